using System.Globalization;
using OpenConduct.Core.Officers;

namespace OpenConduct.Tests.Shared;

/// <summary>
/// The officers the conformance suite publishes (<see cref="OfficerIndexConformance"/>): each group is crafted so that
/// one rule of docs/search.md is observable, and so that no group matches another group's queries.
/// </summary>
public static class ConformanceData
{
    // Declared first: static fields are initialised in textual order and the Quennells below use it.
    private static readonly string[] QuennellFirstNames = ["Olaf", "Edgar", "Irma", "Ulla", "Yusuf", "Omar", "Egon", "Ivo", "Uwe", "Otto", "Elke", "Ilse"];

    /// <summary>Every field set, several sources, accents and nulls in the history: GetAsync must return it as it went in.</summary>
    public static readonly OfficerDocument Kowalski = new()
    {
        Id = "off-00000000000000c1",
        DisplayName = "Christopher M. Kowalski",
        NameVariants = ["Christopher M. Kowalski", "Chris Kowalski", "KOWALSKI, CHRISTOPHER"],
        CurrentBadge = "0712",
        Badges = ["0388", "0712"],
        Rank = "Sergeant",
        Unit = "Precinct 3",
        Status = "current",
        SourceRefs = [new("OPCR", "E10234"), new("IAU", "IA-5521"), new("CRA", "Kowalski|Christopher|1971|1998-04-13")],
        Complaints =
        [
            new()
            {
                Source = "OPCR",
                CaseNumber = "OPCR-2024-0173",
                ReceivedDate = "2024-03-05",
                Status = "Closed",
                IntakeDecision = "Investigation",
                Allegations =
                [
                    new()
                    {
                        Category = "Use of Force",
                        Subcategory = "Takedown",
                        FinalFinding = "Sustained",
                        FindingPending = false,
                        DisciplineFinal = true,
                        ImposedDiscipline = "Suspension",
                        ImposedDisciplineDays = 10,
                    },
                    new() { Category = "Language", Subcategory = "Derogatory — «en español»", FinalFinding = "NotSustained" },
                ],
            },
            new()
            {
                Source = "IAU",
                CaseNumber = "IA 19-0042",
                ReceivedDate = "2019-11",
                Status = "Open",
                IntakeDecision = null,
                Allegations = [new() { Category = "Procedure", FindingPending = true, DisciplineFinal = false }],
            },
            new()
            {
                Source = "CRA",
                CaseNumber = "CRA-2003-17",
                ReceivedDate = "2003",
                Status = null,
                Allegations =
                [
                    new() { Category = "Harassment", FinalFinding = "Exonerated", DisciplineFinal = null },
                    new() { Category = "Inappropriate Conduct", FinalFinding = "Sustained", DisciplineFinal = true, ImposedDiscipline = "WrittenReprimand" },
                ],
            },
        ],
        Summary = new(3, 5, 2, 2),
        FirstComplaintYear = 2003,
        LastComplaintYear = 2024,
    };

    /// <summary>A four-letter last name for the short-word typo rules (1 edit, not 2).</summary>
    public static readonly OfficerDocument Holm = Officer("off-00000000000000c2", "Ingrid Holm", complaints: 4, badges: ["2210"]);

    /// <summary>Accents in every name (found without them).</summary>
    public static readonly OfficerDocument Garcia = Officer("off-00000000000000c3", "José Martínez-García", complaints: 2, badges: ["5120"]);

    /// <summary>Letters NFKD does not decompose (ø) and a ring (å): folded by the table.</summary>
    public static readonly OfficerDocument Odegard = Officer("off-00000000000000c4", "Søren Ødegård", complaints: 1, badges: ["6001"]);

    /// <summary>An apostrophe: "O'Brien" is the words o, brien and their concatenation obrien.</summary>
    public static readonly OfficerDocument OBrien = Officer("off-00000000000000c5", "Siobhan O'Brien", complaints: 6, badges: ["6002"]);

    /// <summary>A current badge with letters and a historic badge.</summary>
    public static readonly OfficerDocument Xiong = Officer("off-00000000000000c6", "Mai Xiong", complaints: 3, badges: ["1957", "A-3310"], currentBadge: "A-3310");

    /// <summary>The badge-number tier set: the query <c>4127</c> matches each at a different tier; complaints grow as the tier worsens.</summary>
    public static readonly OfficerDocument BadgeTier = Officer("off-00000000000000a1", "Kari Lindqvist", complaints: 1, badges: ["4127"]);

    /// <summary>A source wrote the badge number in the name column: the variant "4127" is an exact name for the query 4127.</summary>
    public static readonly OfficerDocument ExactNameTier = Officer("off-00000000000000a2", "Lars Eriksen", complaints: 30, badges: ["5533"], variants: ["4127"]);

    /// <summary>A variant with the word 41275: the query 4127 starts it.</summary>
    public static readonly OfficerDocument PrefixTier = Officer("off-00000000000000a3", "Nils Brandt", complaints: 40, badges: ["5534"], variants: ["Nils 41275"]);

    /// <summary>A variant with the word 4172: one transposition from 4127.</summary>
    public static readonly OfficerDocument FuzzyTier = Officer("off-00000000000000a4", "Pia Berg", complaints: 50, badges: ["5535"], variants: ["Pia 4172"]);

    /// <summary>The name-tier set for the query "Ann Lee": two exact names (tie broken by id), prefixes (tie broken by complaints, then display name), a fuzzy match.</summary>
    public static readonly OfficerDocument AnnLee = Officer("off-00000000000000b1", "Ann Lee", complaints: 0, badges: ["7001"]);

    public static readonly OfficerDocument AnnLeeToo = Officer("off-00000000000000b2", "Ann Lee", complaints: 0, badges: ["7002"]);

    public static readonly OfficerDocument AnnetteLee = Officer("off-00000000000000b3", "Annette Lee", complaints: 9, badges: ["7003"]);

    public static readonly OfficerDocument AnnaLeeds = Officer("off-00000000000000b4", "Anna Leeds", complaints: 3, badges: ["7004"]);

    public static readonly OfficerDocument AnnabelLeeds = Officer("off-00000000000000b5", "Annabel Leeds", complaints: 3, badges: ["7005"]);

    public static readonly OfficerDocument AnnLea = Officer("off-00000000000000b6", "Ann Lea", complaints: 50, badges: ["7006"]);

    /// <summary>A middle initial: "John Smithers" is an exact name for John Q. Smithers; "John R Smithers" matches nothing (a one-letter word must start a name word).</summary>
    public static readonly OfficerDocument Smithers = Officer("off-00000000000000c7", "John Q. Smithers", complaints: 5, badges: ["8001"]);

    /// <summary>
    /// Closeness within a tier (the README's example): for "jonson", Johnson (1 edit, sounds alike) ranks before
    /// Carlson's first name Jason (2 edits), although Carlson has 20 times the complaints.
    /// </summary>
    public static readonly OfficerDocument JasonCarlson = Officer("off-00000000000000e1", "Jason Carlson", complaints: 40, badges: ["4401"]);

    public static readonly OfficerDocument JasonJohnson = Officer("off-00000000000000e2", "Jason U Johnson", complaints: 2, badges: ["4402"]);

    /// <summary>A longer surname that merely starts with "berg" ranks after Pia Berg (the word itself), whatever the complaints.</summary>
    public static readonly OfficerDocument Bergstrom = Officer("off-00000000000000e3", "Tove Bergstrom-Lind", complaints: 60, badges: ["4403"]);

    /// <summary>A formal first name found by its nickname ("Bill Tanaka").</summary>
    public static readonly OfficerDocument Tanaka = Officer("off-00000000000000e4", "William Tanaka", complaints: 1, badges: ["00771"]);

    /// <summary>A compound surname: "delacruz", "de la cruz" and "cruz" all find it.</summary>
    public static readonly OfficerDocument DeLaCruz = Officer("off-00000000000000e5", "Marta De La Cruz", complaints: 1, badges: ["4405"]);

    /// <summary>
    /// An officer whose name no source publishes: shown as "Officer (name not published)", never found by the words of
    /// that label, found by its published employee id.
    /// </summary>
    public static readonly OfficerDocument Unnamed = Officer("off-00000000000000e6", OfficerDocumentBuilder.UnnamedOfficer, complaints: 2, badges: []) with
    {
        NamePublished = false,
        CurrentBadge = null,
        EmployeeIds = ["HX-20417"],
        SourceRefs = [new("IAU", "o-0000000000000000e6e6")],
    };

    /// <summary>60 officers named Quennell with 0..59 complaints: for paging and the 50 cap.</summary>
    public static readonly IReadOnlyList<OfficerDocument> Quennells =
    [
        .. Enumerable.Range(0, 60).Select(i => Officer(
            string.Create(CultureInfo.InvariantCulture, $"off-00000000000001{i:x2}"),
            string.Create(CultureInfo.InvariantCulture, $"{QuennellFirstNames[i % QuennellFirstNames.Length]} Quennell"),
            complaints: i,
            badges: [string.Create(CultureInfo.InvariantCulture, $"9{i:000}")])),
    ];

    /// <summary>The expected order of the query "4127".</summary>
    public static IReadOnlyList<OfficerDocument> TierOrder => [BadgeTier, ExactNameTier, PrefixTier, FuzzyTier];

    /// <summary>The expected order of the query "Ann Lee", and each one's tier.</summary>
    public static IReadOnlyList<(OfficerDocument Officer, OfficerMatch Match)> AnnLeeOrder =>
    [
        (AnnLee, OfficerMatch.ExactName),
        (AnnLeeToo, OfficerMatch.ExactName),
        (AnnetteLee, OfficerMatch.Prefix),
        (AnnaLeeds, OfficerMatch.Prefix),
        (AnnabelLeeds, OfficerMatch.Prefix),
        (AnnLea, OfficerMatch.Fuzzy),
    ];

    /// <summary>Everything the suite publishes as its first generation.</summary>
    public static IReadOnlyList<OfficerDocument> All =>
    [
        Kowalski, Holm, Garcia, Odegard, OBrien, Xiong,
        BadgeTier, ExactNameTier, PrefixTier, FuzzyTier,
        AnnLea, AnnabelLeeds, AnnaLeeds, AnnetteLee, AnnLeeToo, AnnLee,
        Smithers,
        JasonCarlson, JasonJohnson, Bergstrom, Tanaka, DeLaCruz, Unnamed,
        .. Quennells,
    ];

    /// <summary>The second generation: none of the first's officers but one renamed, and a new one.</summary>
    public static IReadOnlyList<OfficerDocument> SecondGeneration =>
    [
        Officer("off-00000000000000d1", "Zelda Quist", complaints: 2, badges: ["3141"]),
        Holm with { DisplayName = "Ingrid Holm-Dahl", NameVariants = ["Ingrid Holm-Dahl", "Ingrid Holm"] },
    ];

    /// <summary>Inputs that must neither throw nor match anything (they hold no word that any officer's names start or approach).</summary>
    public static IReadOnlyList<string> HostileInputs =>
    [
        "", " ", "   \t\r\n\u00a0\u2003", "\"", "\"\"", "'", "`", "name:\"x\"", "*", "?", "~2", "~", "AND OR NOT", "&&", "||", "!",
        "\\", "(", ")", "[", "]", "{", "}", "/regex/", "/.*/", "^", "-", "+", ":", "*:*", "%", "_",
        "' OR 1=1 --", "$filter=Id eq 'x'", "search.ismatch('x')", "<script>alert(1)</script>",
        new string('a', 10_000), string.Concat(Enumerable.Repeat("*~\\:\"(", 1_700)),
        "\0\u0001\u001f", "\u0000", "👮‍♀️🚓", "\udc00\ud800", "\u200b\u200d\ufeff",
    ];

    /// <summary>Query syntax around a real name: each must find <see cref="Kowalski"/> (the punctuation only separates words).</summary>
    public static IReadOnlyList<string> HostileAroundKowalski =>
    [
        "\"Kowalski\"", "kowalski*", "(kowalski)", "kowalski\\", "👮 Kowalski", "+kowalski", "kowalski^", "[kowalski]", "KOWALSKI:",
    ];

    /// <summary>An officer with <paramref name="complaints"/> complaints in its history (and in its summary).</summary>
    public static OfficerDocument Officer(string id, string displayName, int complaints, IReadOnlyList<string> badges, string? currentBadge = null, IReadOnlyList<string>? variants = null) => new()
    {
        Id = id,
        DisplayName = displayName,
        NameVariants = [displayName, .. variants ?? []],
        CurrentBadge = currentBadge ?? (badges.Count > 0 ? badges[^1] : null),
        Badges = badges,
        Rank = "Police Officer",
        Unit = "Precinct 1",
        Status = "current",
        SourceRefs = [new("OPCR", "E" + id[^6..])],
        Complaints =
        [
            .. Enumerable.Range(0, complaints).Select(k => new ComplaintHistoryEntry
            {
                Source = "OPCR",
                CaseNumber = string.Create(CultureInfo.InvariantCulture, $"OPCR-{2000 + (k % 25)}-{id[^4..]}{k:000}"),
                ReceivedDate = string.Create(CultureInfo.InvariantCulture, $"{2000 + (k % 25)}-0{1 + (k % 9)}-1{k % 10}"),
                Status = "Closed",
                IntakeDecision = "Investigation",
                Allegations = [new() { Category = "Procedure", FinalFinding = "NotSustained" }],
            }),
        ],
        Summary = new(complaints, complaints, 0, 0),
        FirstComplaintYear = complaints > 0 ? 2000 : null,
        LastComplaintYear = complaints > 0 ? 2000 + Math.Min(complaints - 1, 24) : null,
    };
}
