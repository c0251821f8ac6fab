using System.Diagnostics;
using System.Globalization;
using System.Text;
using OpenConduct.Core.Disclosure;

namespace OpenConduct.Core.Tests.Disclosure;

/// <summary>A labelled piece of personal data in a corpus narrative. <see cref="Known"/>: for names, whether the
/// record's context lists the person (false: only the pattern recognisers can find it).</summary>
public sealed record LabelledSpan(int Start, int Length, PiiKind Kind, bool Known, string Value)
{
    public int End => Start + Length;
}

/// <summary>An occurrence of the name of an officer on the record: it must survive the scrubber verbatim.</summary>
public sealed record OfficerMention(int Start, int Length, string Value)
{
    public int End => Start + Length;
}

/// <summary>One synthetic narrative with the exact spans of its personal data and of its officers' names.</summary>
public sealed record CorpusNarrative(
    int Id,
    string Style,
    string Text,
    IReadOnlyList<LabelledSpan> Pii,
    IReadOnlyList<OfficerMention> Officers,
    ScrubContext Context);

/// <summary>
/// A deterministic generator of labelled narratives in the styles real exports use: OPCR intake notes with
/// "The reporting party alleges" and "C1 (J.D., 34/B/M)", IAU "Mr. X stated that Officer Y", all-caps CRA text,
/// vehicle stops with plates, contact details, victims' addresses and dates of birth, witnesses named in free text,
/// and typed-in-a-hurry lower-case notes. The name lists here are the corpus's own: half the civilians come from
/// lists of less common names chosen without looking at the scrubber's gazetteer, so pattern recognisers are measured
/// on names they have never seen; for part of the corpus the context leaves some or all civilians unknown.
/// </summary>
public static class ScrubberCorpus
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
        "The complainant, a 34/B/M, said the officers took $200 from the center console.",
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
        public List<LabelledSpan> Pii { get; } = [];
        public List<OfficerMention> Officers { get; } = [];
        public bool Upper { get; set; }

        public Writer T(string s)
        {
            text.Append(Upper ? s.ToUpperInvariant() : s);
            return this;
        }

        public Writer P(PiiKind kind, string value, bool known = true)
        {
            var v = Upper ? value.ToUpperInvariant() : value;
            Pii.Add(new LabelledSpan(text.Length, v.Length, kind, known, v));
            text.Append(v);
            return this;
        }

        public Writer O(string value)
        {
            var v = Upper ? value.ToUpperInvariant() : value;
            Officers.Add(new OfficerMention(text.Length, v.Length, v));
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
        var style = r.Next(10);
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
            _ => "contact-and-distractors",
        };
        w.Upper = style == 3;
        var o1 = officers[0];
        var o2 = officers[^1];

        switch (style)
        {
            case 0:
                w.T("The reporting party alleges that ").T(o1.Rank + " ").O(o1.Last.ToUpperInvariant()).T(" ").T(Phrase(r, complainant)).T(". ");
                w.T("RP (").P(PiiKind.Name, complainant.Initials, complainant.Known).T(", ").T(Triple(complainant)).T(") further states that ");
                OfficerRef(r, w, o2);
                w.T(" ").T(Phrase(r, complainant)).T(". ");
                if (r.NextDouble() < 0.6)
                {
                    w.T("C1 can be reached at ").P(PiiKind.Phone, Phone(r)).T(". ");
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
                w.T(" (").T(Pick(r, ["DOB ", "DOB: ", "d.o.b. ", "date of birth "])).P(PiiKind.DateOfBirth, Dob(r, complainant)).T(") of ");
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
                    w.T("PHONE ").P(PiiKind.Phone, Phone(r)).T(". ");
                }

                w.T("WITNESS ");
                NameOf(w, witness, Form.Full);
                w.T(" CORROBORATED. ").O(o2.Last).T(" DENIED THE ALLEGATION. ");
                break;

            case 4:
                w.T("On ").T(Date(r)).T(" ").T(o1.Rank + " ").O(o1.Last).T(" stopped a ").T(r.Next(1998, 2023).ToString(Inv)).T(" Honda Civic, ");
                w.T(Pick(r, ["MN plate ", "license plate ", "Minnesota license plate number ", "plate #", "LP: ", "MN plates "]));
                w.P(PiiKind.LicensePlate, Plate(r)).T(", registered to ");
                NameOf(w, complainant, Form.LastFirst);
                w.T(" of ");
                Address(r, w);
                w.T(". The driver, ");
                NameOf(w, complainant, Form.Full);
                w.T(", said that ");
                OfficerRef(r, w, o2);
                w.T(" ").T(Phrase(r, complainant)).T(". Passenger ").P(PiiKind.Name, witness.Initials, witness.Known).T(" (").T(Triple(witness)).T(") was released at the scene. ");
                break;

            case 5:
                w.T("complainant ");
                NameOf(w, complainant, Form.Lower);
                w.T(" says officer ").O(o1.Last.ToLowerInvariant()).T(" ").T(Phrase(r, complainant)).T(". ");
                w.T(complainant.Pronouns.P).T(" # is ").P(PiiKind.Phone, Phone(r)).T(" and email ").P(PiiKind.Email, Email(r, complainant).ToUpperInvariant()).T(". ");
                if (r.NextDouble() < 0.6)
                {
                    w.T("ssn ").P(PiiKind.Ssn, Ssn(r)).T(" dob ").P(PiiKind.DateOfBirth, Dob(r, complainant)).T(". ");
                }

                break;

            case 6:
                var supervisor = Pick(r, RareLast.Concat(CommonLast).Where(n => officers.TrueForAll(o => o.Last != n)).ToArray());
                w.T(Pick(r, ["Sgt. ", "Lt. ", "Cmdr. "])).P(PiiKind.Name, supervisor, known: false).T(" reported that ").T(o1.Rank + " ").O(o1.First + " " + o1.Last);
                w.T(" ").T(Phrase(r, complainant)).T(". The victim, ").T(complainant.Honorific + " ");
                NameOf(w, complainant, Form.LastOnly);
                w.T(", lives at ");
                Address(r, w);
                w.T(". Victim's DOB: ").P(PiiKind.DateOfBirth, Dob(r, complainant)).T(". ");
                if (r.NextDouble() < 0.5)
                {
                    w.T("Her SSN ").P(PiiKind.Ssn, Ssn(r)).T(" appears on the property receipt. ");
                }

                break;

            case 7:
                w.T("C1 (").P(PiiKind.Name, complainant.Initials, complainant.Known).T(", ").T(Triple(complainant)).T(") reports that ");
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
                        w.T(" (").P(PiiKind.Phone, Phone(r)).T(") corroborated the account. ");
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
                w.T(" (").T(Pick(r, ["DOB ", "born "])).P(PiiKind.DateOfBirth, Dob(r, complainant)).T(") reported that her ex-boyfriend, ");
                OfficerRef(r, w, o1);
                w.T(", ").T(Phrase(r, complainant)).T(". She currently resides at ");
                Address(r, w);
                w.T(" and asked that her number, ").P(PiiKind.Phone, Phone(r)).T(", not be released. ");
                break;

            default:
                w.T(complainant.Honorific + " ");
                NameOf(w, complainant, Form.LastOnly);
                w.T(" asked to be contacted by e-mail at ").P(PiiKind.Email, Email(r, complainant)).T(" or by phone at ").P(PiiKind.Phone, Phone(r)).T(". ");
                w.T(Distractor(r)).T(" ");
                OfficerRef(r, w, o1);
                w.T(" ").T(Phrase(r, complainant)).T(". ");
                break;
        }

        // One to three extra sentences from the shared pool.
        var extras = 1 + r.Next(3);
        for (var e = 0; e < extras; e++)
        {
            Extra(r, w, complainant, third, o1, o2);
        }

        var text = w.ToString().TrimEnd();
        var officerNames = officers.Select(o => r.Next(4) switch
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
        return new CorpusNarrative(id, styleName, text, pii, mentions, new ScrubContext(officerNames, known));
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
                w.T(", can be reached at ").P(PiiKind.Phone, Phone(r)).T(". ");
                break;
            case 3:
                NameOf(w, third, Form.Full);
                w.T(" said ").O(o2.Last).T(" laughed during the stop. ");
                break;
            case 4:
                w.T("Investigators interviewed ").T(o2.Rank + " ").O(o2.Last).T(" on ").T(Date(r)).T("; ").O(o2.Last).T(" denied the allegation. ");
                break;
            case 5:
                w.T("C1 asked to be contacted at ").P(PiiKind.Email, Email(r, complainant)).T(". ");
                break;
            case 6:
                w.T("Property receipt lists SSN ").P(PiiKind.Ssn, Ssn(r)).T(" and DOB ").P(PiiKind.DateOfBirth, Dob(r, complainant)).T(". ");
                break;
            case 7:
                w.T("A vehicle with ").T(Pick(r, ["license plate ", "MN plate ", "plate number "])).P(PiiKind.LicensePlate, Plate(r)).T(" was seen leaving ");
                w.T(Pick(r, ["the area", "Lake Street", "the 3400 block of Nicollet Ave"])).T(". ");
                break;
            default:
                w.T("The complainant was born in ").P(PiiKind.DateOfBirth, complainant.Dob.Year.ToString(Inv)).T(" and lives with ").T(Pick(r, ["her", "his"])).T(" aunt, ");
                NameOf(w, third, Form.Full);
                w.T(", at ");
                Address(r, w);
                w.T(". ");
                break;
        }
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
                w.P(PiiKind.Name, $"{p.First} {p.Last}", known);
                break;
            case Form.FullMiddle:
                w.P(PiiKind.Name, $"{p.First} {p.Middle}. {p.Last}", known);
                break;
            case Form.LastFirst:
                w.P(PiiKind.Name, $"{p.Last}, {p.First}", known);
                break;
            case Form.Upper:
                w.P(PiiKind.Name, $"{p.First} {p.Last}".ToUpperInvariant(), known);
                break;
            case Form.Lower:
                w.P(PiiKind.Name, $"{p.First} {p.Last}".ToLowerInvariant(), known);
                break;
            default:
                w.P(PiiKind.Name, p.Last, known);
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

        w.P(PiiKind.Address, value.ToString());
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

/// <summary>Precision and recall of the scrubber per kind on the labelled corpus, and its speed.</summary>
public static class ScrubberEvaluation
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Per-kind figures. A label is found when every character of it is inside a placeholder of its kind; a
    /// placeholder that covers no label of its kind is a false positive.</summary>
    public sealed record KindFigures(PiiKind Kind, int Labels, int Found, int Placeholders, int FalsePositives)
    {
        public double Recall => Labels == 0 ? 1 : (double)Found / Labels;
        public double Precision => Placeholders == 0 ? 1 : (double)(Placeholders - FalsePositives) / Placeholders;
    }

    public sealed record Report(
        int Narratives,
        int Seed,
        int Characters,
        IReadOnlyList<KindFigures> Kinds,
        int OfficerMentions,
        int OfficerMentionsRemoved,
        IReadOnlyList<string> VerbatimFailures,
        IReadOnlyList<string> TextMismatches,
        IReadOnlyList<(string Stratum, int Labels, int Found)> NameStrata,
        IReadOnlyList<string> Misses,
        IReadOnlyList<string> FalsePositiveSamples)
    {
        public KindFigures this[PiiKind kind] => Kinds.First(k => k.Kind == kind);

        public string ToMarkdown()
        {
            var b = new StringBuilder();
            b.Append(Inv, $"Corpus: {Narratives} synthetic narratives, seed {Seed}, {Characters} characters ({Characters / Math.Max(1, Narratives)} per narrative on average).\n\n");
            b.Append("| Kind | Labelled | Found | Recall | Placeholders | False positives | Precision |\n");
            b.Append("|---|---:|---:|---:|---:|---:|---:|\n");
            foreach (var k in Kinds)
            {
                b.Append(Inv, $"| {k.Kind} | {k.Labels} | {k.Found} | {k.Recall:0.000} | {k.Placeholders} | {k.FalsePositives} | {k.Precision:0.000} |\n");
            }

            b.Append(Inv, $"\nOfficer-name occurrences: {OfficerMentions}, removed: {OfficerMentionsRemoved}.\n\n");
            b.Append("| Names by how they can be found | Labelled | Found | Recall |\n|---|---:|---:|---:|\n");
            foreach (var (stratum, labels, found) in NameStrata)
            {
                b.Append(Inv, $"| {stratum} | {labels} | {found} | {(labels == 0 ? 1 : (double)found / labels):0.000} |\n");
            }

            return b.ToString();
        }
    }

    /// <summary>Scrubs a generated corpus and measures it against its labels.</summary>
    public static Report Run(int narratives, int seed)
    {
        var corpus = ScrubberCorpus.Generate(narratives, seed);
        var scrubber = new NarrativeScrubber();
        var kinds = Enum.GetValues<PiiKind>();
        var labels = new int[kinds.Length];
        var found = new int[kinds.Length];
        var placeholders = new int[kinds.Length];
        var falsePositives = new int[kinds.Length];
        int mentions = 0, removed = 0, characters = 0;
        var verbatim = new List<string>();
        var mismatches = new List<string>();
        var misses = new List<string>();
        var fpSamples = new List<string>();
        var strata = new Dictionary<string, (int Labels, int Found)>(StringComparer.Ordinal);
        var spans = new List<PiiSpan>();

        foreach (var n in corpus)
        {
            characters += n.Text.Length;
            spans.Clear();
            var result = scrubber.Scrub(n.Text, n.Context, spans);

            if (result.Text != Rebuild(n.Text, spans))
            {
                mismatches.Add($"#{n.Id}: output differs from its replaced ranges");
            }

            foreach (var label in n.Pii)
            {
                var k = (int)label.Kind;
                labels[k]++;
                var covered = Covered(label.Start, label.End, spans, label.Kind);
                if (covered)
                {
                    found[k]++;
                }
                else if (misses.Count < 60)
                {
                    misses.Add($"#{n.Id} {n.Style} {label.Kind} '{label.Value}' known={label.Known} -> {Excerpt(result.Text, n.Text, label.Start)}");
                }

                if (label.Kind == PiiKind.Name)
                {
                    var officerParts = SampleNarratives.Parts(n.Context.OfficerNames).ToHashSet(StringComparer.Ordinal);
                    var stratum = SampleNarratives.Parts([label.Value]).Any(officerParts.Contains)
                        ? "Shares a word with an officer on the record"
                        : label.Known
                        ? "Known to the context"
                        : label.Value.Split([' ', ',', '.', '-'], StringSplitOptions.RemoveEmptyEntries).Any(p => p.Length > 1 && NarrativeScrubber.InGazetteer(p))
                            ? "Unknown, a part in the gazetteer"
                            : label.Value.Length <= 4 && label.Value.Contains('.', StringComparison.Ordinal)
                                ? "Unknown, initials"
                                : "Unknown, not in the gazetteer";
                    var (l, f) = strata.GetValueOrDefault(stratum);
                    strata[stratum] = (l + 1, f + (covered ? 1 : 0));
                }
            }

            foreach (var span in spans)
            {
                var k = (int)span.Kind;
                placeholders[k]++;
                if (!n.Pii.Any(l => l.Kind == span.Kind && l.Start < span.End && span.Start < l.End))
                {
                    falsePositives[k]++;
                    if (fpSamples.Count < 60)
                    {
                        fpSamples.Add($"#{n.Id} {n.Style} {span.Kind} '{n.Text.Substring(span.Start, span.Length)}'");
                    }
                }
            }

            foreach (var mention in n.Officers)
            {
                mentions++;
                if (spans.Any(s => s.Start < mention.End && mention.Start < s.End))
                {
                    removed++;
                    verbatim.Add($"#{n.Id}: officer '{mention.Value}' removed: {result.Text}");
                }
            }

            // The verbatim check: every officer name occurs in the output at least as often as it is mentioned.
            foreach (var group in n.Officers.GroupBy(m => m.Value, StringComparer.Ordinal))
            {
                var occurrences = Count(result.Text, group.Key);
                if (occurrences < group.Count())
                {
                    verbatim.Add($"#{n.Id}: officer '{group.Key}' occurs {occurrences} times in the output, mentioned {group.Count()} times");
                }
            }
        }

        var figures = kinds.Select(k => new KindFigures(k, labels[(int)k], found[(int)k], placeholders[(int)k], falsePositives[(int)k])).ToList();
        var order = new[]
        {
            "Known to the context", "Unknown, a part in the gazetteer", "Unknown, not in the gazetteer", "Unknown, initials",
            "Shares a word with an officer on the record",
        };
        var nameStrata = order.Where(strata.ContainsKey).Select(s => (s, strata[s].Labels, strata[s].Found)).ToList();
        return new Report(narratives, seed, characters, figures, mentions, removed, verbatim, mismatches, nameStrata, misses, fpSamples);
    }

    /// <summary>What <see cref="Speed"/> measured.</summary>
    public sealed record SpeedFigures(int Narratives, int AverageLength, int Passes, double MicrosecondsPerNarrative, double MicrosecondsPer500Chars, long BytesAllocatedPerNarrative)
    {
        public override string ToString() => string.Create(
            Inv,
            $"{Narratives} narratives, {AverageLength} characters on average, {Passes} passes: {MicrosecondsPerNarrative:0.00} µs per narrative, {MicrosecondsPer500Chars:0.00} µs per 500 characters, {BytesAllocatedPerNarrative} bytes allocated per narrative");
    }

    /// <summary>
    /// Mean time per narrative over <paramref name="passes"/> passes of the corpus, after a warm-up long enough for
    /// tiered compilation to have optimised the hot methods (a Debug build measures unoptimised code).
    /// </summary>
    public static SpeedFigures Speed(int narratives, int seed, int passes) =>
        Speed(ScrubberCorpus.Generate(narratives, seed).Select(n => (n.Text, n.Context)).ToList(), passes);

    /// <summary>As <see cref="Speed(int, int, int)"/>, on any narratives with their contexts.</summary>
    public static SpeedFigures Speed(IReadOnlyList<(string Text, ScrubContext Context)> corpus, int passes)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var scrubber = new NarrativeScrubber();
        var chars = corpus.Sum(n => n.Text.Length);
        var sink = 0;

        // Warm up until tiered compilation has settled: at least three seconds (the generated regular expressions and
        // the library code they call go through tiering, which a test host's background work slows down), and the last
        // three passes within 10% of the fastest pass so far (at most ten seconds).
        var warmUp = Stopwatch.StartNew();
        var passTimes = new List<double>();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(10))
        {
            var pass = Stopwatch.StartNew();
            foreach (var (text, context) in corpus)
            {
                sink += scrubber.Scrub(text, context).Counts.Total;
            }

            passTimes.Add(pass.Elapsed.TotalMicroseconds);
            var fastest = passTimes.Min();
            if (warmUp.Elapsed > TimeSpan.FromSeconds(3) && passTimes.Count >= 5 && passTimes.TakeLast(3).All(t => t <= fastest * 1.1))
            {
                break;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var p = 0; p < passes; p++)
        {
            foreach (var (text, context) in corpus)
            {
                sink += scrubber.Scrub(text, context).Counts.Total;
            }
        }

        watch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        GC.KeepAlive(sink);
        var calls = passes * (double)corpus.Count;
        return new SpeedFigures(
            corpus.Count,
            chars / corpus.Count,
            passes,
            watch.Elapsed.TotalMicroseconds / calls,
            watch.Elapsed.TotalMicroseconds / (passes * (double)chars) * 500,
            (long)(allocated / calls));
    }

    private static bool Covered(int start, int end, List<PiiSpan> spans, PiiKind kind)
    {
        var at = start;
        foreach (var s in spans.Where(s => s.Kind == kind).OrderBy(s => s.Start))
        {
            if (s.Start <= at && s.End > at)
            {
                at = s.End;
            }

            if (at >= end)
            {
                return true;
            }
        }

        return at >= end;
    }

    private static string Rebuild(string text, List<PiiSpan> spans)
    {
        var b = new StringBuilder();
        var at = 0;
        foreach (var s in spans.OrderBy(s => s.Start))
        {
            b.Append(text, at, s.Start - at).Append(NarrativeScrubber.Placeholder(s.Kind));
            at = s.End;
        }

        return b.Append(text, at, text.Length - at).ToString();
    }

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }

    private static string Excerpt(string output, string input, int at)
    {
        var from = Math.Max(0, at - 40);
        return input.Substring(from, Math.Min(input.Length - from, 100)).Replace('\n', ' ') + " || " + output.Replace('\n', ' ');
    }
}

/// <summary>The narratives of the committed IAU and OPCR sample exports with the officers and complainants of each case.</summary>
internal static class SampleNarratives
{
    private static string Exports => Path.Combine(AppContext.BaseDirectory, "samples", "exports");

    public static IEnumerable<(string Id, List<string> Officers, List<string> Complainants, string Narrative)> Iau()
    {
        var rows = Csv(Path.Combine(Exports, "iau", "IAPro_export.csv"), ',');
        foreach (var group in rows.GroupBy(r => r["incident_no"], StringComparer.Ordinal))
        {
            var narrative = group.First()["summary"];
            if (narrative is "" or "NULL")
            {
                continue;
            }

            var officers = group.Select(r => $"{r["officer_first"]} {r["officer_last"]}").Distinct(StringComparer.Ordinal).ToList();
            var complainants = group.Select(r => r["citizen_name"]).Where(n => n is not ("" or "NULL")).Distinct(StringComparer.Ordinal).ToList();
            yield return (group.Key, officers, complainants, narrative);
        }
    }

    public static IEnumerable<(string Id, List<string> Officers, List<string> Complainants, string Narrative)> Opcr()
    {
        var folder = Path.Combine(Exports, "opcr");
        var officers = Csv(Path.Combine(folder, "officers.csv"), ',')
            .GroupBy(r => r["Employee ID"], StringComparer.Ordinal) // the export repeats some rows
            .ToDictionary(g => g.Key, g => $"{g.First()["Last Name"]}, {g.First()["First Name"]} {g.First()["Middle Initial"]}".Trim(), StringComparer.Ordinal);
        var byCase = Csv(Path.Combine(folder, "allegations.csv"), ',').ToLookup(r => r["Case Number"], r => r["Employee ID"], StringComparer.Ordinal);
        var complainants = Csv(Path.Combine(folder, "complainants.csv"), ',').ToLookup(r => r["Case Number"], r => r["Complainant Name"], StringComparer.Ordinal);
        foreach (var complaint in Csv(Path.Combine(folder, "complaints.csv"), ','))
        {
            var id = complaint["Case Number"];
            var narrative = complaint["Summary"];
            if (narrative is "" or "NULL" or "N/A")
            {
                continue;
            }

            var names = byCase[id].Select(e => officers.GetValueOrDefault(e)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            yield return (id, names, complainants[id].Where(n => n is not ("" or "N/A")).ToList(), narrative);
        }
    }

    /// <summary>The folded name parts (lower case, no accents, curly apostrophes straightened) of a list of names.</summary>
    public static IEnumerable<string> Parts(IEnumerable<string> names) =>
        names.SelectMany(n => Fold(n).Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length > 1);

    /// <summary>Whole-word occurrences of a folded part in a text, compared folded.</summary>
    public static int WordCount(string text, string foldedPart) =>
        System.Text.RegularExpressions.Regex.Count(Fold(text), $@"(?<![\w'-]){System.Text.RegularExpressions.Regex.Escape(foldedPart)}(?![\w-]|'\w)");

    private static string Fold(string value)
    {
        var d = value.Replace('’', '\'').Normalize(NormalizationForm.FormD);
        var b = new StringBuilder(d.Length);
        foreach (var c in d)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                b.Append(char.ToLowerInvariant(c));
            }
        }

        return b.ToString();
    }

    /// <summary>A small RFC 4180 reader: quoted fields, doubled quotes, newlines inside quotes, a UTF-8 BOM.</summary>
    private static List<Dictionary<string, string>> Csv(string path, char delimiter)
    {
        var records = TestCsv.Parse(File.ReadAllText(path, Encoding.UTF8), delimiter).Select(r => r.ToList()).ToList();
        var header = records[0];
        return records.Skip(1).Where(r => r.Count == header.Count)
            .Select(r => header.Select((h, k) => (h, r[k])).ToDictionary(x => x.h, x => x.Item2, StringComparer.Ordinal))
            .ToList();
    }
}
