namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// The closed word classes of police narratives, written here because no dictionary lists them by function: titles,
/// ranks, role and relationship nouns, reporting verbs, name particles, agency acronyms, and capitalised words that
/// are never names (months, days, nationalities, states). Open classes (English words, given names, surnames, street
/// suffixes) come from the licensed dictionaries in Dictionaries/ (NOTICE.md).
/// </summary>
internal static class Vocabulary
{
    public const string Titles = "mr mrs ms miss mx dr mister madam mstr";

    public const string Ranks =
        "officer officers ofc ofcr po sgt sergeant sergeants lt lieutenant lieutenants cmdr commander capt captain det detective "
        + "detectives inv investigator insp inspector deputy chief trooper troopers cpl corporal corporals patrolman patrolmen "
        + "commissioner dep asst";

    /// <summary>Nouns that introduce a person: "complainant X", "her nephew, X".</summary>
    public const string Cues =
        "witness witnesses complainant complainants victim victims caller rp cp suspect juvenile arrestee driver passenger "
        + "bystander girlfriend boyfriend wife husband son sons daughter daughters mother father brother brothers sister sisters "
        + "cousin friend roommate landlord tenant resident relative neighbor neighbour grandmother grandfather grandson "
        + "granddaughter aunt uncle nephew niece stepfather stepmother stepson stepdaughter fiance fiancee identified ex "
        + "mom dad child children grandchild godson goddaughter coworker co-worker classmate companion partner civilian civ";

    public const string Roles =
        "neighbor neighbour witness friend bystander passenger driver resident relative coworker roommate cousin sister brother "
        + "mother father son daughter wife husband girlfriend boyfriend partner employee manager owner clerk tenant landlord student "
        + "teacher nurse acquaintance victim complainant caller aunt uncle grandmother grandfather niece nephew grandson "
        + "granddaughter";

    public const string Verbs =
        "stated said says states reported reports told tells alleged alleges claimed claims explained explains advised added "
        + "recorded records called calls witnessed confirmed confirms corroborated corroborates denied denies admitted admits wrote "
        + "writes described describes indicated indicates asked asks saw sees heard observed noticed filed complained declined "
        + "refused agreed yelled screamed provided gave identified remembered recalled believed believes felt feels spoke speaks "
        + "submitted disputed";

    /// <summary>Verbs that follow organisations as readily as people: after them a name needs the gazetteer or the context.</summary>
    public const string Auxiliaries =
        "was is were had has did came went returned arrived left walked ran approached contacted";

    public const string Particles = "van von de del della la le da di du der den st ter bin ibn al el dos das mc mac";

    public const string Suffixes = "jr sr ii iii iv";

    public const string Determiners = "a an the his her their my our its this that";

    public const string Directionals = "n s e w ne nw se sw north south east west northeast northwest southeast southwest";

    /// <summary>Words after which a name follows: "his name is", "named", "registered to", "photo taken by".</summary>
    public const string NameCues = "name named registered owned taken signed aka alias nicknamed";

    /// <summary>
    /// Acronyms of agencies, units and everyday abbreviations, with the two-letter state codes: in capitals they read as
    /// such, not as initials, unless the context says a person (", 40/W/F", "The complainant, PA,").
    /// </summary>
    public const string Acronyms =
        "ppd iad iab dhs pfd ems sepd septa da ada fop us usa id tv er ok am pm dob cctv dui dwi atm suv bwc mvr cad ci eeo pd "
        + "fbi atf dea ice ceo cpr cvs nypd lapd cpd spd mpd opcr cra iau bca doj hcmc cpd cops swat svu siu dui rp cp na "
        + "dc nw ne sw se hq rn md dds phd esq llc inc ltd co pc ssn dl pa nj ny de al ak az ar ca ct fl ga hi ia il in ks "
        + "ky la ma me mi mn mo mt nc nd nh nm nv oh or ri sc sd tn tx ut va vt wa wi wv wy";

    /// <summary>Capitalised words that are never a person's name.</summary>
    public const string Proper =
        "january february march april may june july august september october november december jan feb mar apr jun jul aug "
        + "sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat "
        + "sun american african hispanic latino latina latinx asian caucasian indian native puerto rican mexican dominican "
        + "haitian jamaican irish italian chinese korean vietnamese cambodian somali hmong arab arabic spanish english french "
        + "russian muslim christian catholic jewish islamic african-american god christ allah facebook instagram twitter "
        + "youtube google iphone android uber lyft amazon walmart target wawa mcdonalds dunkin starbucks fargo "
        + "honduran guatemalan salvadoran colombian venezuelan cuban ecuadorian peruvian brazilian nigerian ghanaian ethiopian "
        + "eritrean kenyan liberian sudanese egyptian moroccan iraqi iranian afghan pakistani bangladeshi filipino japanese thai "
        + "laotian burmese nepali tibetan ukrainian polish german greek portuguese albanian bosnian turkish lebanese syrian "
        + "palestinian israeli european americans africans asians hispanics latinos caucasians negro negroes "
        + "honda toyota chevrolet chevy nissan hyundai kia buick cadillac lexus acura infiniti mazda subaru volkswagen vw bmw "
        + "mercedes audi chrysler pontiac mitsubishi volvo tesla gmc civic accord camry corolla altima impala malibu taurus "
        + "sentra elantra sonata tahoe suburban silverado escalade "
        + "alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho illinois "
        + "indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri montana "
        + "nebraska nevada hampshire jersey mexico york ohio oklahoma oregon pennsylvania rhode tennessee texas "
        + "utah vermont wisconsin wyoming america philadelphia minneapolis chicago seattle boston baltimore "
        + "pittsburgh detroit cleveland atlanta houston dallas denver phoenix angeles francisco diego brooklyn bronx queens "
        + "manhattan trenton newark harrisburg allentown hennepin bucks delaware chester";

    /// <summary>Words that make the capitalised words before them a place or an organisation.</summary>
    public const string PlaceHeads =
        "street avenue road boulevard drive lane terrace parkway highway place court square plaza way alley st ave rd blvd ln ter pkwy hwy "
        + "streets avenues roads boulevards drives lanes "
        + "district division unit squad precinct hospital clinic school academy university college church station center centre "
        + "park building tower towers apartments apartment store market mall plaza restaurant bar club hotel motel bank "
        + "department dept police bureau office agency county city township borough authority company inc llc corp services "
        + "service team headquarters hq jail prison facility detectives court courthouse library pharmacy shelter casino "
        + "arena stadium field bridge expressway highway lake river creek village heights hall airport terminal garage mount mt fort "
        + "cemetery commission board association foundation program programs";

    /// <summary>Function words and police vocabulary that name lists may hold but that never name a person here.</summary>
    public const string Function =
        "a an the and or but if then than when while after before during since until because although though as at by for "
        + "from in into of on onto off out over under with without within about above across against along among around behind "
        + "below beneath beside between beyond inside near outside through toward towards upon via per he she they it we i you "
        + "him her them us me his hers their its our my your this that these those there here who whom whose which what where "
        + "why how all any both each either neither every some many much more most other another such no not nor only own same "
        + "so too very just also still yet again once already later soon now see saw seen told said says call called per "
        + "complainant complainants officer officers police unknown unidentified reporting party attached according";
}
