using System.Globalization;
using System.Text;

namespace OpenConduct.Samples;

/// <summary>A labelled span of a corpus narrative: its kind in the labelled-set vocabulary (name, initials, demographic,
/// address, phone, email, dob, plate, caselabel, otherid). <see cref="Known"/>: for names, whether the record's context
/// lists the person (false: only the recognisers can find it).</summary>
public sealed record CorpusLabel(int Start, int Length, string Kind, bool Known, string Value)
{
    public int End => Start + Length;
}

/// <summary>An occurrence of an officer's name: it must survive the scrubber verbatim.</summary>
public sealed record CorpusOfficer(int Start, int Length, string Value)
{
    public int End => Start + Length;
}

/// <summary>One synthetic narrative with the exact spans of its personal data and of its officers' names, and the
/// officers and private names the record gives the scrubber.</summary>
public sealed record CorpusNarrative(
    int Id,
    string Style,
    string Text,
    IReadOnlyList<CorpusLabel> Labels,
    IReadOnlyList<CorpusOfficer> Officers,
    IReadOnlyList<string> OfficerNames,
    IReadOnlyList<string> KnownPrivateNames);

/// <summary>
/// A deterministic generator of labelled narratives in the styles real exports use: OPCR intake notes with
/// "The reporting party alleges" and "C1 (J.D., 34/B/M)", IAU "Mr. X stated that Officer Y", all-caps CRA text,
/// vehicle stops with plates, contact details, victims' addresses and dates of birth, witnesses named in free text,
/// and typed-in-a-hurry lower-case notes. The name lists here are the corpus's own: half the civilians come from
/// lists of less common names chosen without looking at the scrubber's gazetteer, so pattern recognisers are measured
/// on names they have never seen; for part of the corpus the context leaves some or all civilians unknown.
/// </summary>
public static class NarrativeCorpus
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // Common first names and surnames as they occur in Minneapolis records.
    private static readonly string[] CommonFirstMale =
    [
        "James", "Robert", "Michael", "David", "Joseph", "Anthony", "Kevin", "Brian", "Marcus", "Darnell", "Terrell", "DeShawn",
        "Jamal", "Luis", "Carlos", "Miguel", "José", "Jesús", "Mohamed", "Abdi", "Ahmed", "Abdirahman", "Tou", "Pheng", "Kou",
        "Tyrone", "Andre", "Eric", "Steven", "Omar",
    ];

    private static readonly string[] CommonFirstFemale =
    [
        "Maria", "Jennifer", "Jessica", "Ashley", "Michelle", "Keisha", "Latoya", "Tamika", "Aaliyah", "Lucía", "Sofía", "Ana",
        "Guadalupe", "Fatima", "Hodan", "Amina", "Fadumo", "Mai", "Zoua", "Yer", "Heather", "Nicole", "Rebecca", "Linda", "Rosa",
    ];

    private static readonly string[] CommonLast =
    [
        "Johnson", "Williams", "Brown", "Jones", "Davis", "Wilson", "Anderson", "Jackson", "Thompson", "Harris", "Robinson",
        "Lewis", "Walker", "Carlson", "Olson", "Peterson", "Larson", "Nguyen", "Vang", "Xiong", "Yang", "Thao", "Moua",
        "Hassan", "Warsame", "García", "Rodríguez", "Hernández", "López", "Muñoz", "Reyes", "Ortiz", "Sandoval", "Washington",
        "O'Brien", "McCarthy", "Kowalski", "Bergstrom", "Jama", "Farah",
    ];

    // Less common names, chosen for this corpus without consulting the scrubber's word lists.
    private static readonly string[] RareFirst =
    [
        "Siobhan", "Dagny", "Ikenna", "Thandiwe", "Teodora", "Leilani", "Bjarne", "Xochitl", "Oluwaseun", "Yusra", "Kaysha",
        "Marisela", "Tenzin", "Kwame", "Chidi", "Anh", "Kalani", "Ludmila", "Zeynep", "Emre", "Priya", "Arjun", "Wanjiru",
        "Nkechi", "Eamon", "Saoirse", "Lorcan", "Dalia", "Thiago", "Nayeli", "Itzel", "Hamdi", "Sacdiyo", "Ikran", "Abshir",
        "Nimco", "Pakou", "Ntxhi", "Shoua", "Cheeko", "Rayshawn", "Quintavious", "Jaleesa", "Odalys", "Brisa", "Solveig",
        "Torvald", "Ingeborg", "Wenonah", "Migizi", "Dakota", "Waziyata", "Kimani", "Ayodele",
    ];

    private static readonly string[] RareLast =
    [
        "Fjeld", "Quispe", "Mokoena", "Obi", "Okafor", "Wanjiku", "Kowalczyk", "Haugen", "Rasmussen", "Lindgren", "Tjaden",
        "Nakamura", "Petrov", "Ivanova", "Kaur", "Gelle", "Samatar", "Mire", "Waberi", "Cabdi", "Yangsao", "Lyfoung", "Vuong",
        "Trinh", "Bautista", "Zamudio", "Tlapa", "Cuevas", "Oyelaran", "Adeyemi", "Boakye", "Mensah", "Stenberg", "Aune",
        "Brekke", "Kittelson", "Gorski", "Wróbel", "Strand", "Two Bulls", "Blackbird", "Fairbanks", "Goodsky", "Kingbird",
        "Garcia-Vang", "Lopez-Ortiz", "Van Dyke", "St. Pierre", "DeLaurentis", "Ní Bhriain",
    ];

    private static readonly string[] OfficerFirst =
    [
        "John", "Mark", "Jason", "Samuel", "Barbara", "Derek", "Tou", "Todd", "Kimberly", "Paul", "Christopher", "Daniel",
        "Erika", "Tyler", "Ahmed", "Brenda", "Garrett", "Kristin", "Luis", "Mai",
    ];

    private static readonly string[] OfficerLast =
    [
        "Smith", "Chauvin", "Lane", "Kueng", "Thao", "Holm", "Dubé", "Lindquist", "Kroll", "Nordberg", "Stenerson", "Bauer",
        "Hagen", "Vang", "Nielsen", "Ortega", "Sundberg", "Hanneman", "Pettersen", "Blackwell", "Riordan", "Schaefer",
        "Kjos", "Garcia-Lund", "Brandt",
    ];

    /// <summary>Streets as addresses write them; several carry a person's name (James Ave, Harriet Ave).</summary>
    private static readonly string[] Streets =
    [
        "Chicago Ave S", "E Lake St", "Nicollet Ave", "Lyndale Ave N", "Penn Ave N", "Central Ave NE", "Cedar Ave S",
        "Bloomington Ave", "E 38th St", "W Broadway Ave", "Hiawatha Ave", "Portland Ave S", "Park Ave", "Minnehaha Pkwy",
        "University Ave SE", "Como Ave SE", "Lowry Ave NE", "Marshall St NE", "Riverside Ave", "E Franklin Ave", "W 50th St",
        "Xerxes Ave S", "Emerson Ave N", "Fremont Ave N", "Girard Ave S", "Blaisdell Ave", "Stevens Ave", "Oakland Ave",
        "James Ave N", "Dupont Ave N", "Harriet Ave", "Bryant Ave S", "Cedar Lake Rd", "Victory Memorial Dr",
        "Theodore Wirth Pkwy", "W Broadway", "Nicollet Mall", "Upton Ave S", "Kenwood Pkwy", "N 2nd St", "S 6th St",
        "Penn Ave S", "Thomas Ave N", "Morgan Ave N", "Russell Ave N", "Queen Ave N", "Logan Ave N", "Sheridan Ave S",
    ];

    private static readonly string[] Cities = ["Minneapolis", "Minneapolis", "Minneapolis", "St. Paul", "Richfield", "Brooklyn Center"];
    private static readonly string[] Zips = ["55401", "55404", "55406", "55407", "55408", "55411", "55412", "55413", "55418"];
    private static readonly string[] Domains = ["example.com", "example.org", "example.net", "mail.example.com"];
    private static readonly string[] RaceLetters = ["W", "B", "H", "A", "I", "U"];

    private static readonly string[] Phrases =
    [
        "took {o} to the ground without warning",
        "deployed a Taser although {s} was not resisting",
        "used profanity and told {o} to \"shut up\"",
        "refused to provide a case number",
        "searched {p} vehicle without consent",
        "tightened the handcuffs until {p} wrists bled",
        "was rude and laughed at {o}",
        "stopped {o} only because of {p} race",
        "failed to activate the body-worn camera",
        "threatened to arrest {o} for asking questions",
        "called {p} employer about the arrest",
        "refused to give a name and badge number",
    ];

    private static readonly string[] Distractors =
    [
        "The incident occurred in the {block} block of {street} on {date} at about {time}.",
        "Squad 330 responded to a call near {street} & {street2} at {hours} hours.",
        "Body-worn camera footage (BWC) was reviewed by Internal Affairs on {date}.",
        "The case was assigned CCN {ccn} and referred to the 3rd Precinct.",
        "C1 was transported to HCMC and later booked into Hennepin County Jail.",
        "The stop took place on {street} near the Cub Foods at {time}.",
        "OPCR case {opcr} was opened on {date}; the investigator canvassed the area on Monday, {month} {day}.",
        "The complainant said the officers took $200 from the center console. See the attached property receipt.",
        "W1 declined to give a statement. The tow was released on {date}.",
        "Officers were dispatched to the 2900 block of {street} for a report of a disturbance.",
        "Squad video was not available; Lake Street businesses were asked for footage.",
        "The complainant was taken to Abbott Northwestern Hospital by Hennepin EMS.",
        "Officers met the caller at the Lake Street Kmart near Powderhorn Park.",
        "She said the Metro Transit bus driver saw everything from the Blue Line platform.",
        "He asked for a Somali interpreter; Language Line was used.",
        "The squad was parked on {street} near George Floyd Square.",
        "Video from Target Field station and Cub Foods was requested on Tuesday, May 4.",
        "The complainant attends Roosevelt High School and works at Hennepin Healthcare.",
        "According to the CAD report, Squad 520 cleared at {hours} hours.",
        "Both officers completed Crisis Intervention Training in March 2019.",
        "Despite the warning, Officers Reviewed the Use of Force Policy with the Shift Lieutenant.",
        "The family of Martin Luther King Jr. Park volunteers called 911 from Nicollet Mall.",
        "Eventually Hennepin County Attorney staff declined charges on {date}.",
        "He had just withdrawn cash at the Wells Fargo ATM on {street}.",
        "Her son attends Franklin Middle School; Washington County deputies assisted.",
        "Officer Safety Training and the Crisis Negotiation Team were mentioned in the Use of Force Report.",
        "The Complainant Services Unit mailed a letter; Victim Services was notified the same day.",
        "Dispatch told Squad 520 to clear. Sergeant Supervisor Review was completed by Internal Affairs.",
        "Grant Park and Lake Harriet were searched; North Memorial Health was contacted.",
        "Several Somali-speaking and Hmong-speaking residents said Metro Transit Police arrived first.",
        "The Downtown Command Center forwarded the Body Camera Footage to OPCR on {date}.",
    ];

    private enum Form
    {
        Full,
        FullMiddle,
        LastFirst,
        Upper,
        Lower,
        LastOnly,
    }

    private sealed class Person
    {
        public required string First { get; init; }
        public required string Last { get; init; }
        public required char Middle { get; init; }
        public required char Sex { get; init; }
        public required int Age { get; init; }
        public required string Race { get; init; }
        public required DateOnly Dob { get; init; }
        public bool Known { get; set; }

        public string Honorific => Sex == 'F' ? "Ms." : "Mr.";
        public string Initials => $"{First[0]}.{Last[0]}.";
        public (string O, string P, string S) Pronouns => Sex == 'F' ? ("her", "her", "she") : ("him", "his", "he");
    }

    private sealed class Officer
    {
        public required string First { get; init; }
        public required string Last { get; init; }
        public required char Middle { get; init; }
        public required string Rank { get; init; }
    }

    /// <summary>Writes a narrative and its labels at the same time, so every span is exact by construction.</summary>
    private sealed class Writer
    {
        private readonly StringBuilder text = new(640);
        public List<CorpusLabel> Pii { get; } = [];
        public List<CorpusOfficer> Officers { get; } = [];
        public bool Upper { get; set; }

        public Writer T(string s)
        {
            text.Append(Upper ? s.ToUpperInvariant() : s);
            return this;
        }

        public Writer P(string kind, string value, bool known = true)
        {
            var v = Upper ? value.ToUpperInvariant() : value;
            Pii.Add(new CorpusLabel(text.Length, v.Length, kind, known, v));
            text.Append(v);
            return this;
        }

        public Writer O(string value)
        {
            var v = Upper ? value.ToUpperInvariant() : value;
            Officers.Add(new CorpusOfficer(text.Length, v.Length, v));
            text.Append(v);
            return this;
        }

        public override string ToString() => text.ToString();
    }

    /// <summary>Generates <paramref name="count"/> narratives; the same seed gives the same corpus.</summary>
    public static IReadOnlyList<CorpusNarrative> Generate(int count, int seed)
    {
        var r = new Random(seed);
        var result = new List<CorpusNarrative>(count);
        for (var id = 0; id < count; id++)
        {
            result.Add(One(r, id));
        }

        return result;
    }

    private static CorpusNarrative One(Random r, int id)
    {
        var officers = new List<Officer>();
        var officerCount = 1 + (r.NextDouble() < 0.35 ? 1 : 0);
        while (officers.Count < officerCount)
        {
            var o = new Officer
            {
                First = Pick(r, OfficerFirst),
                Last = Pick(r, OfficerLast),
                Middle = (char)('A' + r.Next(26)),
                Rank = r.NextDouble() switch
                {
                    < 0.6 => "Officer",
                    < 0.8 => "Sgt.",
                    < 0.9 => "Lt.",
                    _ => "Ofc.",
                },
            };
            if (officers.TrueForAll(x => x.Last != o.Last))
            {
                officers.Add(o);
            }
        }

        var complainant = NewPerson(r, officers);
        var witness = NewPerson(r, officers);
        var third = NewPerson(r, officers);

        // Who the context knows: everyone (55%), only the complainant (25%), nobody (20%).
        var mode = r.NextDouble();
        complainant.Known = mode < 0.80;
        witness.Known = mode < 0.55;
        third.Known = mode < 0.55;

        var w = new Writer();
        var style = r.Next(12);
        var initialsOnly = false;
        var styleName = style switch
        {
            0 => "opcr-reporting-party",
            1 => "iau-mr-stated",
            2 => "complainant-dob-address",
            3 => "cra-all-caps",
            4 => "vehicle-stop",
            5 => "typed-lower-case",
            6 => "iau-internal-victim",
            7 => "witness-heavy",
            8 => "domestic-victim",
            9 => "contact-and-distractors",
            10 => "summary-initials-descriptors",
            _ => "long-narrative-cues",
        };
        w.Upper = style == 3;
        var o1 = officers[0];
        var o2 = officers[^1];

        switch (style)
        {
            case 0:
                w.T("The reporting party alleges that ").T(o1.Rank + " ").O(o1.Last.ToUpperInvariant()).T(" ").T(Phrase(r, complainant)).T(". ");
                w.T("RP (").P("initials", complainant.Initials, complainant.Known).T(", ").P("demographic", Triple(complainant)).T(") further states that ");
                OfficerRef(r, w, o2);
                w.T(" ").T(Phrase(r, complainant)).T(". ");
                if (r.NextDouble() < 0.6)
                {
                    w.P("caselabel", "C1").T(" can be reached at ").P("phone", Phone(r)).T(". ");
                }

                break;

            case 1:
                w.T(complainant.Honorific + " ");
                NameOf(w, complainant, r.NextDouble() < 0.3 ? Form.FullMiddle : Form.Full);
                w.T(" stated that ").T(o1.Rank + " ").O(o1.First + " " + o1.Last).T(" ").T(Phrase(r, complainant)).T(". ");
                w.T(complainant.Honorific + " ");
                NameOf(w, complainant, Form.LastOnly);
                w.T(" further stated that ");
                OfficerRef(r, w, o2);
                w.T(" ").T(Phrase(r, complainant)).T(". ");
                break;

            case 2:
                w.T("Complainant ");
                NameOf(w, complainant, Form.Full);
                w.T(" (").T(Pick(r, ["DOB ", "DOB: ", "d.o.b. ", "date of birth "])).P("dob", Dob(r, complainant)).T(") of ");
                Address(r, w);
                w.T(" alleges that on ").T(Date(r)).T(" ").T(o1.Rank + " ").O(o1.Last).T(" (badge ").T(r.Next(1000, 99999).ToString(Inv)).T(") ");
                w.T(Phrase(r, complainant)).T(". ");
                NameOf(w, complainant, Form.LastOnly);
                w.T("'s ").T(Pick(r, ["son", "daughter", "cousin", "roommate"])).T(", ");
                NameOf(w, witness, Form.Full);
                w.T(", was present and saw ").O(o1.Last).T(" push ").T(complainant.Pronouns.O).T(". ");
                break;

            case 3:
                w.T("COMPLAINANT ");
                NameOf(w, complainant, Form.Full);
                w.T(" STATES THAT ").T(o1.Rank == "Officer" ? "OFC " : o1.Rank + " ").O(o1.Last).T(" ").T(Phrase(r, complainant)).T(" AT ");
                Address(r, w);
                w.T(". ");
                if (r.NextDouble() < 0.7)
                {
                    w.T("PHONE ").P("phone", Phone(r)).T(". ");
                }

                w.T("WITNESS ");
                NameOf(w, witness, Form.Full);
                w.T(" CORROBORATED. ").O(o2.Last).T(" DENIED THE ALLEGATION. ");
                break;

            case 4:
                w.T("On ").T(Date(r)).T(" ").T(o1.Rank + " ").O(o1.Last).T(" stopped a ").T(r.Next(1998, 2023).ToString(Inv)).T(" Honda Civic, ");
                w.T(Pick(r, ["MN plate ", "license plate ", "Minnesota license plate number ", "plate #", "LP: ", "MN plates "]));
                w.P("plate", Plate(r)).T(", registered to ");
                NameOf(w, complainant, Form.LastFirst);
                w.T(" of ");
                Address(r, w);
                w.T(". The driver, ");
                NameOf(w, complainant, Form.Full);
                w.T(", said that ");
                OfficerRef(r, w, o2);
                w.T(" ").T(Phrase(r, complainant)).T(". Passenger ").P("initials", witness.Initials, witness.Known).T(" (").P("demographic", Triple(witness)).T(") was released at the scene. ");
                break;

            case 5:
                w.T("complainant ");
                NameOf(w, complainant, Form.Lower);
                w.T(" says officer ").O(o1.Last.ToLowerInvariant()).T(" ").T(Phrase(r, complainant)).T(". ");
                w.T(complainant.Pronouns.P).T(" # is ").P("phone", Phone(r)).T(" and email ").P("email", Email(r, complainant).ToUpperInvariant()).T(". ");
                if (r.NextDouble() < 0.6)
                {
                    w.T("ssn ").P("otherid", Ssn(r)).T(" dob ").P("dob", Dob(r, complainant)).T(". ");
                }

                break;

            case 6:
                var supervisor = Pick(r, RareLast.Concat(CommonLast).Where(n => officers.TrueForAll(o => o.Last != n)).ToArray());
                // A supervisor named after a rank is an officer too: public where officers' names are (the default policy).
                w.T(Pick(r, ["Sgt. ", "Lt. ", "Cmdr. "])).O(supervisor).T(" reported that ").T(o1.Rank + " ").O(o1.First + " " + o1.Last);
                w.T(" ").T(Phrase(r, complainant)).T(". The victim, ").T(complainant.Honorific + " ");
                NameOf(w, complainant, Form.LastOnly);
                w.T(", lives at ");
                Address(r, w);
                w.T(". Victim's DOB: ").P("dob", Dob(r, complainant)).T(". ");
                if (r.NextDouble() < 0.5)
                {
                    w.T("Her SSN ").P("otherid", Ssn(r)).T(" appears on the property receipt. ");
                }

                break;

            case 7:
                w.P("caselabel", "C1").T(" (").P("initials", complainant.Initials, complainant.Known).T(", ").P("demographic", Triple(complainant)).T(") reports that ");
                OfficerRef(r, w, o1);
                w.T(" ").T(Phrase(r, complainant)).T(". ");
                switch (r.Next(3))
                {
                    case 0:
                        w.T("A witness, ");
                        NameOf(w, witness, Form.Full);
                        w.T(", stated that the officer never explained the reason for the stop. ");
                        break;
                    case 1:
                        w.T("Witness ");
                        NameOf(w, witness, Form.Full);
                        w.T(" (").P("phone", Phone(r)).T(") corroborated the account. ");
                        break;
                    default:
                        NameOf(w, witness, Form.Full);
                        w.T(", a neighbor, recorded part of the incident on a phone. ");
                        break;
                }

                NameOf(w, witness, Form.LastOnly);
                w.T(" later told investigators that ").O(o1.Last).T(" ").T(Phrase(r, complainant)).T(". ");
                break;

            case 8:
                w.T("Victim ");
                NameOf(w, complainant, r.NextDouble() < 0.5 ? Form.Full : Form.LastFirst);
                w.T(" (").T(Pick(r, ["DOB ", "born "])).P("dob", Dob(r, complainant)).T(") reported that her ex-boyfriend, ");
                OfficerRef(r, w, o1);
                w.T(", ").T(Phrase(r, complainant)).T(". She currently resides at ");
                Address(r, w);
                w.T(" and asked that her number, ").P("phone", Phone(r)).T(", not be released. ");
                break;

            case 10:
                initialsOnly = true;
                SummaryWithInitials(r, w, complainant, witness, o1, o2);
                break;

            case 11:
                LongNarrativeWithCues(r, w, complainant, witness, third, o1);
                break;

            default:
                w.T(complainant.Honorific + " ");
                NameOf(w, complainant, Form.LastOnly);
                w.T(" asked to be contacted by e-mail at ").P("email", Email(r, complainant)).T(" or by phone at ").P("phone", Phone(r)).T(". ");
                w.T(Distractor(r)).T(" ");
                OfficerRef(r, w, o1);
                w.T(" ").T(Phrase(r, complainant)).T(". ");
                break;
        }

        // One to three extra sentences from the shared pool.
        // A summary that knows officers by initials only does not name them elsewhere: no extra sentences.
        var extras = initialsOnly ? 0 : 1 + r.Next(3);
        for (var e = 0; e < extras; e++)
        {
            Extra(r, w, complainant, third, o1, o2);
        }

        var text = w.ToString().TrimEnd();
        var officerNames = initialsOnly ? officers.Select(o => OfficerInitials(o)).ToList() : officers.Select(o => r.Next(4) switch
        {
            0 => $"{o.First} {o.Last}",
            1 => $"{o.Last.ToUpperInvariant()}, {o.First.ToUpperInvariant()}",
            2 => $"{o.Last}, {o.First} {o.Middle}",
            _ => $"{o.First} {o.Middle}. {o.Last}",
        }).ToList();
        var known = new List<string>();
        foreach (var p in new[] { complainant, witness, third })
        {
            if (p.Known)
            {
                known.Add(r.Next(4) switch
                {
                    0 => $"{p.First} {p.Last}",
                    1 => $"{p.Last}, {p.First}",
                    2 => $"{p.Last.ToUpperInvariant()}, {p.First.ToUpperInvariant()} {p.Middle}",
                    _ => $"{p.First} {p.Middle}. {p.Last}",
                });
            }
        }

        // Half the records also list bare surnames, as the redactor passes them (DisplayName and LastName).
        if (r.Next(2) == 0)
        {
            officerNames.AddRange(officers.Select(o => o.Last));
            known.AddRange(new[] { complainant, witness, third }.Where(p => p.Known).Select(p => p.Last));
        }

        var pii = w.Pii.Where(x => x.End <= text.Length).ToList();
        var mentions = w.Officers.Where(x => x.End <= text.Length).ToList();
        return new CorpusNarrative(id, styleName, text, pii, mentions, officerNames, known);
    }

    private static void Extra(Random r, Writer w, Person complainant, Person third, Officer o1, Officer o2)
    {
        switch (r.Next(9))
        {
            case 0:
                w.T(Distractor(r)).T(" ");
                break;
            case 1:
                w.T("The incident took place outside ");
                Address(r, w);
                w.T(".  ");
                break;
            case 2:
                w.T(complainant.Honorific + " ");
                NameOf(w, complainant, Form.LastOnly);
                w.T("'s ").T(Pick(r, ["mother", "brother", "friend"])).T(", ");
                NameOf(w, third, Form.Full);
                w.T(", can be reached at ").P("phone", Phone(r)).T(". ");
                break;
            case 3:
                NameOf(w, third, Form.Full);
                w.T(" said ").O(o2.Last).T(" laughed during the stop. ");
                break;
            case 4:
                w.T("Investigators interviewed ").T(o2.Rank + " ").O(o2.Last).T(" on ").T(Date(r)).T("; ").O(o2.Last).T(" denied the allegation. ");
                break;
            case 5:
                w.P("caselabel", "C1").T(" asked to be contacted at ").P("email", Email(r, complainant)).T(". ");
                break;
            case 6:
                w.T("Property receipt lists SSN ").P("otherid", Ssn(r)).T(" and DOB ").P("dob", Dob(r, complainant)).T(". ");
                break;
            case 7:
                w.T("A vehicle with ").T(Pick(r, ["license plate ", "MN plate ", "plate number "])).P("plate", Plate(r)).T(" was seen leaving ");
                w.T(Pick(r, ["the area", "Lake Street", "the 3400 block of Nicollet Ave"])).T(". ");
                break;
            default:
                w.T("The complainant was born in ").P("dob", complainant.Dob.Year.ToString(Inv)).T(" and lives with ").T(Pick(r, ["her", "his"])).T(" aunt, ");
                NameOf(w, third, Form.Full);
                w.T(", at ");
                Address(r, w);
                w.T(". ");
                break;
        }
    }

    /// <summary>Initials that read as words or suffixes: the recognisers must not take them for either.</summary>
    private static readonly string[] WordLikeInitials = ["JR", "DR", "SR", "AS", "HE", "NA", "AT", "OR", "ME", "IT", "AN", "BE"];

    private static string OfficerInitials(Officer o) => $"{o.First[0]}{o.Last[0]}";

    /// <summary>Initials for a civilian, never those of an officer of the record; sometimes word-like, sometimes dotted.</summary>
    private static string CivilianInitials(Random r, Person p, Officer o1, Officer o2)
    {
        string value;
        do
        {
            value = r.Next(4) == 0 ? Pick(r, WordLikeInitials) : $"{p.First[0]}{p.Last[0]}";
        }
        while (value == OfficerInitials(o1) || value == OfficerInitials(o2));

        return r.Next(5) == 0 ? $"{value[0]}.{value[1]}" : value;
    }

    /// <summary>
    /// A published complaint summary of the kind some cities release: civilians by initials with age/race/sex
    /// descriptors in every notation, officers by initials (those on the record, and others after a rank).
    /// </summary>
    private static void SummaryWithInitials(Random r, Writer w, Person complainant, Person witness, Officer o1, Officer o2)
    {
        var c = CivilianInitials(r, complainant, o1, o2);
        var v = CivilianInitials(r, witness, o1, o2);
        var other = $"{(char)('A' + r.Next(26))}{(char)('A' + r.Next(26))}";
        if (other == c || other == v)
        {
            other = "ZQ";
        }

        switch (r.Next(3))
        {
            case 0:
                w.T("The complainant, ").P("initials", c).T(", ").P("demographic", Triple(complainant)).T(", states that ");
                break;
            case 1:
                w.T("The complainant, a relative, filed on behalf of ").P("initials", c).T(", ").P("demographic", Triple(complainant)).T(", and states that ");
                break;
            default:
                w.T("The complainant, ").P("initials", c).T(" (").P("demographic", $"{complainant.Race}/{complainant.Sex}/{complainant.Age.ToString(Inv)}").T("), states that ");
                break;
        }

        w.T("Officers ").O(OfficerInitials(o1)).T(" and ").O(other).T(" stopped her near her home. ");
        w.P("initials", c).T(" states that Officer ").O(OfficerInitials(o1)).T(" ").T(Phrase(r, complainant)).T(". ");
        if (r.Next(2) == 0)
        {
            w.T("A witness, ").P("initials", v).T(", ").P("demographic", Triple(witness)).T(", saw Officer ").O(OfficerInitials(o2)).T(" push ").T(complainant.Pronouns.O).T(". ");
        }
        else
        {
            w.T("The Reporting Party, a ").P("demographic", $"{witness.Age.ToString(Inv)}-year-old {(witness.Sex == 'F' ? "Black female" : "white male")}").T(", said Sgt. ").O(other).T(" arrived later. ");
        }

        w.T("See the attached report. ").O(OfficerInitials(o1)).T(" denied the allegation.");
    }

    /// <summary>
    /// A long investigation narrative: names after cues ("his name is", "registered to", "photo taken by", "her nephew,"),
    /// house numbers with lower-case or suffix-less streets, phones with dots, plates without a keyword.
    /// </summary>
    private static void LongNarrativeWithCues(Random r, Writer w, Person complainant, Person witness, Person third, Officer o1)
    {
        w.T("The Reporting Party stated that ").T(o1.Rank + " ").O(o1.Last).T(" ").T(Phrase(r, complainant)).T(". ");
        switch (r.Next(5))
        {
            case 0:
                w.T("She said her nephew, ").P("name", $"{third.First} {third.Last}", third.Known).T(", was with her. ");
                break;
            case 1:
                w.T("My brother's name is ").P("name", $"{third.First} {(char)('A' + r.Next(26))} {third.Last}", third.Known).T(" and he saw it. ");
                break;
            case 2:
                w.T("The car was registered to ").P("name", $"{third.First} {third.Last}", third.Known).T(". ");
                break;
            case 3:
                w.T("A photo taken by ").P("name", $"{third.First} {third.Last}", third.Known).T(" shows the stop. ");
                break;
            default:
                w.T("He said his name is ").P("name", $"{third.First} {third.Last}", third.Known).T(". ");
                break;
        }

        var number = r.Next(100, 9999).ToString(Inv);
        switch (r.Next(4))
        {
            case 0:
                w.T("She was calling the police at ").P("address", $"{number} {Pick(r, ["n", "s", "e", "w"])} {Pick(r, ["randolph", "marshall", "orkney", "lawrence"])}").T(" when they arrived. ");
                break;
            case 1:
                w.T("They went to his home at ").P("address", $"{number} {Pick(r, ["S.", "N.", "W."])} {Pick(r, ["Sydenham", "Bouvier", "Colorado", "Hutchinson"])}").T(". ");
                break;
            case 2:
                // The address ends at its suffix; an abbreviation's dot stays in the text as the scrubber leaves it.
                var suffix = Pick(r, ["ter.", "st", "ave", "rd"]);
                w.T("The stop ended near ").P("address", $"{number} {Pick(r, ["bustleton", "pennway", "algon", "loney"])} {suffix.TrimEnd('.')}").T(suffix.EndsWith('.') ? "." : "").T(" that night. ");
                break;
            default:
                w.T("She lives at ").P("address", $"{number} {Pick(r, ["Fairhill", "Orkney", "Quillen", "Reese"])}").T(" with her son. ");
                break;
        }

        var area = Pick(r, ["312", "215", "267", "612"]);
        w.T("Call her at ").P("phone", $"{area}.555.01{r.Next(10, 99).ToString(Inv)}").T(". ");
        w.T("The car, ").P("plate", $"{Pick(r, ["IL", "PA", "NJ", "MN"])} {r.Next(100000, 999999).ToString(Inv)}").T(", was towed. ");
        w.T("See the attached statement of the Reporting Party.");
    }

    private static Person NewPerson(Random r, List<Officer> officers)
    {
        var female = r.NextDouble() < 0.45;
        var rare = r.NextDouble() < 0.5;
        var first = rare ? Pick(r, RareFirst) : Pick(r, female ? CommonFirstFemale : CommonFirstMale);

        // A few civilians share a surname with an officer on the record, as in real exports.
        var last = r.NextDouble() < 0.03
            ? officers[0].Last
            : r.NextDouble() < 0.5 ? Pick(r, RareLast) : Pick(r, CommonLast);
        var age = 15 + r.Next(60);
        return new Person
        {
            First = first,
            Last = last,
            Middle = (char)('A' + r.Next(26)),
            Sex = female ? 'F' : 'M',
            Age = age,
            Race = Pick(r, RaceLetters),
            Dob = new DateOnly(2023 - age, 1 + r.Next(12), 1 + r.Next(28)),
        };
    }

    private static void NameOf(Writer w, Person p, Form form)
    {
        var known = p.Known;
        switch (form)
        {
            case Form.Full:
                w.P("name", $"{p.First} {p.Last}", known);
                break;
            case Form.FullMiddle:
                w.P("name", $"{p.First} {p.Middle}. {p.Last}", known);
                break;
            case Form.LastFirst:
                w.P("name", $"{p.Last}, {p.First}", known);
                break;
            case Form.Upper:
                w.P("name", $"{p.First} {p.Last}".ToUpperInvariant(), known);
                break;
            case Form.Lower:
                w.P("name", $"{p.First} {p.Last}".ToLowerInvariant(), known);
                break;
            default:
                w.P("name", p.Last, known);
                break;
        }
    }

    private static void OfficerRef(Random r, Writer w, Officer o)
    {
        switch (r.Next(6))
        {
            case 0:
                w.T(o.Rank + " ").O(o.First + " " + o.Last);
                break;
            case 1:
                w.T("Ofc. ").O($"{o.First[0]}. {o.Last}");
                break;
            case 2:
                w.T(o.Rank + " ").O(o.Last.ToUpperInvariant());
                break;
            default:
                w.T(o.Rank + " ").O(o.Last);
                break;
        }
    }

    private static void Address(Random r, Writer w)
    {
        var number = r.NextDouble() < 0.1 ? $"{r.Next(100, 9999)}{(char)('A' + r.Next(4))}" : r.Next(100, 9999).ToString(Inv);
        var value = new StringBuilder();
        value.Append(number).Append(' ').Append(Pick(r, Streets));
        switch (r.Next(6))
        {
            case 0:
                value.Append(" Apt ").Append(r.Next(1, 40).ToString(Inv)).Append((char)('A' + r.Next(4)));
                break;
            case 1:
                value.Append(" #").Append(r.Next(100, 999).ToString(Inv));
                break;
            case 2:
                value.Append(", Unit ").Append(r.Next(1, 12).ToString(Inv));
                break;
        }

        switch (r.Next(4))
        {
            case 0:
                value.Append(", ").Append(Pick(r, Cities)).Append(", MN ").Append(Pick(r, Zips));
                break;
            case 1:
                value.Append(", Minneapolis");
                break;
        }

        w.P("address", value.ToString());
    }

    private static string Phone(Random r)
    {
        var area = Pick(r, ["612", "651", "763", "952"]);
        var line = "01" + r.Next(100).ToString("D2", Inv);
        return r.Next(7) switch
        {
            0 => $"({area}) 555-{line}",
            1 => $"{area}.555.{line}",
            2 => $"{area}-555-{line}",
            3 => $"{area}555{line}",
            4 => $"+1 {area} 555 {line}",
            5 => $"({area}) 555 {line}",
            _ => $"1-{area}-555-{line}",
        };
    }

    private static string Email(Random r, Person p)
    {
        var local = r.Next(3) switch
        {
            0 => $"{Ascii(p.First)}.{Ascii(p.Last)}",
            1 => $"{Ascii(p.First)[0]}{Ascii(p.Last)}{r.Next(10, 99).ToString(Inv)}",
            _ => $"{Ascii(p.Last)}_{Ascii(p.First)}",
        };
        return local + "@" + Pick(r, Domains);
    }

    private static string Ssn(Random r)
    {
        var area = r.Next(1, 665).ToString("D3", Inv);
        var group = r.Next(1, 99).ToString("D2", Inv);
        var serial = r.Next(1, 9999).ToString("D4", Inv);
        return r.NextDouble() < 0.6 ? $"{area}-{group}-{serial}" : $"{area} {group} {serial}";
    }

    private static string Plate(Random r)
    {
        var letters = new string([(char)('A' + r.Next(26)), (char)('A' + r.Next(26)), (char)('A' + r.Next(26))]);
        var digits = r.Next(100, 999).ToString(Inv);
        return r.Next(4) switch
        {
            0 => $"{letters}-{digits}",
            1 => $"{digits} {letters}",
            2 => $"{letters}{digits}",
            _ => $"{digits}-{letters}",
        };
    }

    private static string Dob(Random r, Person p) => r.Next(5) switch
    {
        0 => p.Dob.ToString("M/d/yyyy", Inv),
        1 => p.Dob.ToString("MM/dd/yyyy", Inv),
        2 => p.Dob.ToString("yyyy-MM-dd", Inv),
        3 => p.Dob.ToString("MMMM d, yyyy", Inv),
        _ => p.Dob.ToString("M/d/yy", Inv),
    };

    private static string Date(Random r) => new DateOnly(2015 + r.Next(9), 1 + r.Next(12), 1 + r.Next(28)).ToString("M/d/yyyy", Inv);

    private static string Triple(Person p) => $"{p.Age.ToString(Inv)}/{p.Race}/{p.Sex}";

    private static string Phrase(Random r, Person p)
    {
        var (o, pos, s) = p.Pronouns;
        return Pick(r, Phrases).Replace("{o}", o, StringComparison.Ordinal).Replace("{p}", pos, StringComparison.Ordinal).Replace("{s}", s, StringComparison.Ordinal);
    }

    private static string Distractor(Random r)
    {
        var street = Pick(r, Streets);
        var street2 = Pick(r, Streets);
        var time = $"{1 + r.Next(12)}:{(r.Next(12) * 5).ToString("D2", Inv)} {(r.Next(2) == 0 ? "AM" : "PM")}";
        var date = Date(r);
        return Pick(r, Distractors)
            .Replace("{block}", (r.Next(1, 60) * 100).ToString(Inv), StringComparison.Ordinal)
            .Replace("{street2}", street2, StringComparison.Ordinal)
            .Replace("{street}", street, StringComparison.Ordinal)
            .Replace("{date}", date, StringComparison.Ordinal)
            .Replace("{time}", time, StringComparison.Ordinal)
            .Replace("{hours}", (r.Next(0, 24) * 100 + r.Next(0, 60)).ToString("D4", Inv), StringComparison.Ordinal)
            .Replace("{ccn}", $"{r.Next(15, 24).ToString(Inv)}-{r.Next(100000, 999999).ToString(Inv)}", StringComparison.Ordinal)
            .Replace("{opcr}", $"{r.Next(2015, 2024).ToString(Inv)}-{r.Next(1, 999).ToString("D4", Inv)}", StringComparison.Ordinal)
            .Replace("{month}", Pick(r, ["January", "March", "June", "August", "October"]), StringComparison.Ordinal)
            .Replace("{day}", (1 + r.Next(28)).ToString(Inv), StringComparison.Ordinal);
    }

    private static string Ascii(string value)
    {
        var d = value.Normalize(NormalizationForm.FormD);
        var b = new StringBuilder(d.Length);
        foreach (var c in d)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                b.Append(char.ToLowerInvariant(c));
            }
        }

        return b.ToString();
    }

    private static T Pick<T>(Random r, IReadOnlyList<T> items) => items[r.Next(items.Count)];
}

