namespace OpenConduct.Samples;

/// <summary>
/// Word lists the generator draws from. Every character is in Windows-1252 (the CRA export is written in it), and
/// every phone number is in the fictional 555-01xx range.
/// </summary>
internal static class Names
{
    public static readonly string[] MaleFirst =
    [
        "James", "John", "Robert", "Michael", "William", "David", "Richard", "Joseph", "Thomas", "Charles",
        "Christopher", "Daniel", "Matthew", "Anthony", "Mark", "Donald", "Steven", "Paul", "Andrew", "Joshua",
        "Kevin", "Brian", "George", "Timothy", "Ronald", "Jason", "Jeffrey", "Ryan", "Jacob", "Gary",
        "Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon", "Benjamin", "Samuel",
        "José", "Luis", "Carlos", "Jesús", "Mohamed", "Abdi", "Ahmed", "Tou", "Pheng", "Nguyen",
        "Darnell", "Terrell", "DeShawn", "Andre", "Marcus", "Björn", "Søren", "François", "René", "Jürgen",
    ];

    public static readonly string[] FemaleFirst =
    [
        "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica", "Sarah", "Karen",
        "Lisa", "Nancy", "Betty", "Margaret", "Sandra", "Ashley", "Kimberly", "Emily", "Donna", "Michelle",
        "Carol", "Amanda", "Dorothy", "Melissa", "Deborah", "Stephanie", "Rebecca", "Sharon", "Laura", "Cynthia",
        "María", "Lucía", "Sofía", "Ana", "Fatima", "Hodan", "Amina", "Mai", "Pa Houa", "Yer",
        "Keisha", "Latoya", "Tamika", "Aaliyah", "Renée", "Zoë", "Chloé", "Inés", "Noémie", "Anaïs",
    ];

    public static readonly string[] Last =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor",
        "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Hill", "Scott", "Green", "Adams", "Baker",
        "Nelson", "Carlson", "Olson", "Peterson", "Larson", "Johnston", "Swanson", "Hanson", "Lindquist", "Berg",
        "Nguyen", "Vang", "Xiong", "Lee", "Her", "Yang", "Thao", "Moua", "Ali", "Hassan",
        "Mohamed", "Abdi", "Warsame", "García", "Rodríguez", "Hernández", "López", "Peña", "Muñoz", "Núñez",
        "Ibáñez", "Müller", "Schröder", "Dübner", "Béliveau", "Dubé", "Lefèvre", "O'Brien", "O'Connor", "McCarthy",
        "Kowalski", "Novak", "DeLaurentis", "St. Pierre", "Van Dyke", "Lund", "Eriksen", "Gustafson", "Backstrom", "Holm",
    ];

    public static readonly string[] WitnessFirst =
    [
        "Maria", "Carlos", "Deja", "Tyrone", "Heather", "Nick", "Alicia", "Omar", "Jenny", "Raúl", "Siobhan", "Kou",
    ];

    public static readonly string[] WitnessLast =
    [
        "Lopez", "Reyes", "Bergstrom", "Jama", "Sandoval", "Olsen", "Washington", "Her", "Ortiz", "Quiñones", "Fjeld", "Greene",
    ];

    /// <summary>Street names by precinct (index 0 is precinct 1).</summary>
    public static readonly string[][] Streets =
    [
        ["Hennepin Ave", "Nicollet Mall", "1st Ave N", "Washington Ave S", "5th St S", "Marquette Ave"],
        ["Central Ave NE", "University Ave SE", "Lowry Ave NE", "Johnson St NE", "Como Ave SE", "Broadway St NE"],
        ["E Lake St", "Chicago Ave", "Bloomington Ave", "Cedar Ave", "Minnehaha Ave", "E 38th St"],
        ["W Broadway Ave", "Penn Ave N", "Lowry Ave N", "Fremont Ave N", "Plymouth Ave N", "Emerson Ave N"],
        ["Nicollet Ave", "Lyndale Ave S", "Hennepin Ave S", "W Lake St", "W 50th St", "Lagoon Ave"],
    ];

    public static readonly string[] Zips = ["55401", "55413", "55407", "55411", "55408"];

    public static readonly string[] AreaCodes = ["612", "612", "612", "651", "763", "952"];

    public static readonly string[] EmailDomains = ["example.com", "example.org", "example.net"];

    public static readonly string[] Units =
    [
        "SWAT", "Traffic Unit", "Homicide", "Juvenile Unit", "Narcotics", "Training Division", "Downtown Command", "Violent Crimes",
    ];

    public static readonly string[] Ranks = ["Police Officer", "Sergeant", "Lieutenant", "Commander"];
    public static readonly string[] RankAbbrev = ["PO", "SGT", "LT", "CMDR"];
    public static readonly string[] RankTitle = ["Officer", "Sgt.", "Lt.", "Cmdr."];

    /// <summary>Race codes in the order of <see cref="RaceWeights"/>: W, B, H, A, I, P, O.</summary>
    public static readonly string[] RaceLetters = ["W", "B", "H", "A", "I", "P", "O"];
    public static readonly string[] RaceWords = ["White", "Black", "Hispanic", "Asian", "American Indian", "Pacific Islander", "Other"];
    public static readonly string[] RaceUpper = ["WHITE", "BLACK", "HISPANIC", "ASIAN", "AM INDIAN", "PAC ISLANDER", "OTHER"];

    public static readonly double[] OfficerRaceWeights = [0.70, 0.10, 0.07, 0.07, 0.02, 0.01, 0.03];
    public static readonly double[] CivilianRaceWeights = [0.38, 0.36, 0.10, 0.07, 0.05, 0.01, 0.03];

    /// <summary>Folds the accented letters of the lists above to ASCII, for e-mail addresses.</summary>
    public static string Ascii(string value)
    {
        Span<char> buffer = stackalloc char[value.Length];
        var n = 0;
        foreach (var c in value)
        {
            var folded = c switch
            {
                'á' or 'à' or 'â' or 'ä' => 'a',
                'é' or 'è' or 'ê' or 'ë' => 'e',
                'í' or 'ï' => 'i',
                'ó' or 'ö' or 'ø' => 'o',
                'ú' or 'ü' => 'u',
                'ñ' => 'n',
                'ç' => 'c',
                ' ' or '\'' or '.' => '\0',
                _ => char.ToLowerInvariant(c),
            };
            if (folded != '\0')
            {
                buffer[n++] = folded;
            }
        }

        return new string(buffer[..n]);
    }
}
