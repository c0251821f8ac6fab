namespace OpenConduct.Samples;

/// <summary>Canonical allegation categories (the names are the canonical values the profiles map to).</summary>
internal enum Cat
{
    UseOfForce,
    Language,
    Procedure,
    Conduct,
    Discrimination,
    Harassment,
    Courtesy,
    Truthfulness,
    SexualMisconduct,
    DomesticViolence,
}

/// <summary>Canonical findings the generator emits (Pending is a blank cell).</summary>
internal enum Fnd
{
    Sustained,
    NotSustained,
    Exonerated,
    Unfounded,
    NoFinding,
}

internal enum Intake
{
    Dismissed,
    Coaching,
    Mediation,
    Investigation,
    Referred,
}

internal enum Disc
{
    None,
    Coaching,
    Training,
    OralReprimand,
    WrittenReprimand,
    Suspension,
    Demotion,
    Termination,
    Resigned,
}

/// <summary>The source vocabularies: canonical value -> what each export writes. The profiles map them back.</summary>
internal static class Vocab
{
    public static readonly double[] CategoryWeights = [0.15, 0.12, 0.22, 0.20, 0.06, 0.05, 0.11, 0.05, 0.02, 0.02];

    public static readonly string[] OpcrCategory =
    [
        "Use of Force", "Inappropriate Language", "Failure to Follow Procedure", "Unprofessional Conduct", "Discrimination",
        "Harassment", "Discourtesy", "Untruthfulness", "Sexual Misconduct", "Domestic Abuse",
    ];

    /// <summary>The older OPCR wording (before 2015) where it differed.</summary>
    public static readonly string?[] OpcrCategoryBefore2015 =
    [
        null, "Language", "Procedure Violation", "Conduct Unbecoming", null, null, null, null, null, null,
    ];

    public static readonly string[] IauCategory =
    [
        "Use of Force", "Inappropriate Language", "Policy/Procedure Violation", "Conduct Unbecoming an Officer", "Biased Policing",
        "Harassment", "Discourtesy", "Truthfulness", "Sexual Misconduct", "Domestic Violence",
    ];

    public static readonly string[] CraCategory =
    [
        "EXCESSIVE FORCE", "LANGUAGE", "PROCEDURE", "INAPPROPRIATE CONDUCT", "DISCRIMINATION",
        "HARASSMENT", "DISCOURTESY", "UNTRUTHFULNESS", "SEXUAL MISCONDUCT", "DOMESTIC ASSAULT",
    ];

    /// <summary>Sub-categories ("Allegation Detail") per category; <see cref="Phrases"/> has a phrase for each.</summary>
    public static readonly string[][] Details =
    [
        ["Takedown", "Taser", "Chemical irritant", "Neck restraint", "Handcuffing", "Strikes/kicks"],
        ["Profanity", "Derogatory remark", "Threatening language"],
        ["Body-worn camera", "Failure to provide case number", "Vehicle tow", "Search without consent", "Failure to report"],
        ["Rude behavior", "Social media", "Abuse of authority", "Off-duty conduct"],
        ["Race", "Disability", "National origin", "Religion"],
        ["Repeated stops", "Residence", "Contacting employer"],
        ["Demeanor", "Name/badge refused", "Telephone"],
        ["False report", "False statement"],
        ["Sexual comments", "Inappropriate touching", "Solicitation"],
        ["Assault", "Threats", "OFP violation"],
    ];

    /// <summary>
    /// What the officer is said to have done, per category and detail. Placeholders: {o} object pronoun, {p} possessive,
    /// {s} subject pronoun (only before a past-tense verb).
    /// </summary>
    public static readonly string[][] Phrases =
    [
        [
            "took {o} to the ground without warning",
            "deployed a Taser although the complainant was not resisting",
            "sprayed {o} with mace from a few feet away",
            "put {o} in a neck restraint until {s} nearly passed out",
            "tightened the handcuffs until {p} wrists bled",
            "punched {o} twice in the ribs and kicked {p} legs",
        ],
        [
            "used profanity and told {o} to \"shut the f--- up\"",
            "called {o} a \"piece of garbage\" in front of {p} children",
            "said \"I'll make your life hell\" when {s} asked for a supervisor",
        ],
        [
            "failed to activate the body-worn camera",
            "refused to provide a case number for the theft {s} reported",
            "had {p} car towed without a valid reason",
            "searched {p} vehicle without consent",
            "never wrote a report about the assault {s} reported",
        ],
        [
            "was rude and dismissive and laughed at {o}",
            "posted a photo of {o} on social media",
            "threatened to arrest {o} for asking questions",
            "showed up drunk at a neighborhood party and shoved {o}",
        ],
        [
            "stopped {o} only because of {p} race",
            "mocked {p} wheelchair and refused to help",
            "told {o} to \"go back where you came from\"",
            "mocked {p} religious clothing during the stop",
        ],
        [
            "stopped {o} three times in one week without cause",
            "repeatedly parked outside {p} residence",
            "called {p} employer about the arrest",
        ],
        [
            "yelled at {o} and ignored {p} questions",
            "refused to give {p} name and badge number",
            "hung up on {o} when {s} called the precinct",
        ],
        [
            "wrote a false statement in the police report",
            "lied to the sergeant about what happened",
        ],
        [
            "made unwanted sexual comments to {o}",
            "touched {o} inappropriately during a pat-down",
            "asked {o} for {p} phone number and a date during a traffic stop",
        ],
        [
            "assaulted {o} during an argument at their shared residence",
            "repeatedly threatened {o} after the relationship ended",
            "violated the order for protection {s} obtained against the officer",
        ],
    ];

    public static readonly string[] OpcrFinding = ["SU", "NS", "EX", "UN", "NAF"];
    public static readonly string[] IauFinding = ["Sustained", "Not Sustained", "Exonerated", "Unfounded", "Administratively Closed"];
    public static readonly string[] CraFinding = ["SUST", "NOT SUST", "EXON", "UNF", "NO AFF"];
    public const string CraWithdrawn = "WITHDRAWN";

    public static readonly string[] OpcrIntake = ["Dismissed", "Coaching", "Mediation", "Investigation", "Referred to IAU"];

    public static readonly string[] OpcrDiscipline =
    [
        "None", "Coaching", "Training", "Oral Reprimand", "Written Reprimand", "Suspension", "Demotion", "Termination", "Resigned",
    ];

    /// <summary>IAPro action codes; IAU has no separate training code and records it as coaching.</summary>
    public static readonly string[] IauAction =
    [
        "600 - NO ACTION TAKEN", "605 - COACHING", "605 - COACHING", "610 - ORAL REPRIMAND", "620 - WRITTEN REPRIMAND",
        "630 - SUSPENSION", "640 - DEMOTION", "650 - TERMINATION", "660 - RESIGNED PRIOR TO FINAL",
    ];

    public static readonly double[] DisciplineWeights = [0.06, 0.18, 0.07, 0.10, 0.26, 0.22, 0.03, 0.05, 0.03];

    public static readonly int[] SuspensionDays = [1, 2, 3, 5, 10, 15, 20, 30, 40];
    public static readonly double[] SuspensionWeights = [0.15, 0.10, 0.20, 0.20, 0.15, 0.05, 0.08, 0.05, 0.02];
}

/// <summary>The vocabularies of the three exports in other formats (JSON, JSON Lines, workbooks), by canonical value.</summary>
internal static class FormatVocab
{
    /// <summary>The oversight office's allegation titles, by category.</summary>
    public static readonly string[] OpaTitle =
    [
        "Force - Use", "Professionalism - Derogatory Language", "Video and Audio Recording", "Professionalism", "Bias-Free Policing",
        "Retaliation and Harassment", "Courtesy and Demeanor", "Integrity - Honesty", "Sexual Misconduct", "Domestic Violence",
    ];

    /// <summary>The policy section each category's allegation cites.</summary>
    public static readonly string[] OpaPolicy =
    [
        "8.200", "5.001-POL-10", "16.090", "5.001-POL-2", "5.140", "5.001-POL-14", "5.001-POL-10", "5.001-POL-11", "5.170", "15.410",
    ];

    public static readonly string[] OpaNotSustained = ["Not Sustained (Inconclusive)", "Not Sustained (Training Referral)", "Not Sustained (Management Action)"];

    public static string OpaFinding(Fnd finding, Random quirks) => finding switch
    {
        Fnd.Sustained => "Sustained",
        Fnd.NotSustained => quirks.Pick(OpaNotSustained),
        Fnd.Exonerated => "Not Sustained (Lawful and Proper)",
        Fnd.Unfounded => "Not Sustained (Unfounded)",
        _ => "Administratively Closed",
    };

    public static readonly string[] OpaTitles = ["Police Officer", "Sergeant", "Lieutenant", "Captain"];

    public static readonly string[] EventsCategory =
    [
        "Use of force", "Language", "Procedure", "Conduct unbecoming", "Discrimination",
        "Harassment", "Discourtesy", "Untruthfulness", "Sexual misconduct", "Domestic violence",
    ];

    public static readonly string[] EventsFinding = ["Sustained", "Not sustained", "Exonerated", "Unfounded", "No finding"];

    /// <summary>Penalty words, by <see cref="Disc"/> (the events' action and the workbook's penalties).</summary>
    public static readonly string[] Penalty =
    [
        "No action", "Coaching", "Training", "Oral reprimand", "Written reprimand", "Suspension", "Demotion", "Termination", "Resigned",
    ];

    /// <summary>The rank of each <see cref="Disc"/> in the import's severity order (Core's Severity): none, coaching ... resigned, termination.</summary>
    public static readonly int[] SeverityRank = [0, 2, 3, 4, 5, 6, 7, 9, 8];

    /// <summary>The workbook's discipline codes by <see cref="Disc"/>; a suspension is written as its days.</summary>
    public static readonly int[] WorkbookDisciplineCode = [600, 700, 500, 900, 100, 0, 400, 300, 800];

    /// <summary>The workbook's two-digit category codes, by category (a letter per detail follows).</summary>
    public static readonly string[] WorkbookCategoryCode = ["05", "01", "10", "07", "02", "04", "06", "08", "09", "11"];

    public static readonly string[] WorkbookFinding = ["SU", "NS", "EX", "UN", "NAF"];

    /// <summary>"05B-TASER"; a search without consent is the register's own code, 03C-SEARCH OF PREMISES.</summary>
    public static string WorkbookCategory(Cat category, int detail) =>
        category == Cat.Procedure && detail == 3
            ? "03C-SEARCH OF PREMISES"
            : $"{WorkbookCategoryCode[(int)category]}{(char)('A' + detail)}-{Vocab.Details[(int)category][detail].ToUpperInvariant()}";
}
