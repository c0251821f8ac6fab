using System.Globalization;
using System.Text;

namespace OpenConduct.Samples;

/// <summary>
/// Deterministic synthetic exports of the three sources a city has (see BRIEF.md, "Domain facts"), each with the
/// quirks real exports have. Rows are streamed to disk: memory is bounded by the officer roster (one officer per 40
/// allegations), never by the number of rows.
/// </summary>
public static partial class SyntheticExports
{
    /// <summary>Seed of the committed samples under samples/exports/.</summary>
    public const int CommittedSeed = 20261122;

    /// <summary>
    /// The shape of what the generator writes, raised whenever a file gains or changes a column (2: OPCR's
    /// "Discipline Date"), so that an export generated before and kept for benchmarks is made again.
    /// </summary>
    public const int ShapeVersion = 2;

    /// <summary>Roster seed of the committed samples (shared by the three, so their officers overlap).</summary>
    public const int CommittedRosterSeed = 1991;

    public const int CommittedOpcrAllegations = 360;
    public const int CommittedIauAllegations = 300;
    public const int CommittedCraAllegations = 280;

    public const string OpcrComplaintsFile = "complaints.csv";
    public const string OpcrAllegationsFile = "allegations.csv";
    public const string OpcrOfficersFile = "officers.csv";
    public const string OpcrComplainantsFile = "complainants.csv";
    public const string IauFile = "IAPro_export.csv";
    public const string CraFile = "cra_complaints_1991_2012.csv";

    private const int OpcrSalt = 1;
    private const int IauSalt = 2;
    private const int CraSalt = 3;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The options of one committed sample.</summary>
    public static SyntheticExportOptions CommittedOptions(string source) => new()
    {
        Seed = CommittedSeed,
        RosterSeed = CommittedRosterSeed,
        Allegations = source.ToUpperInvariant() switch
        {
            "OPCR" => CommittedOpcrAllegations,
            "IAU" => CommittedIauAllegations,
            "CRA" => CommittedCraAllegations,
            "OPA" => CommittedOpaAllegations,
            "EVT" => CommittedEventsAllegations,
            "PSB" => CommittedWorkbookAllegations,
            "CCRB" => CommittedCcrbAllegations,
            _ => throw new ArgumentException($"unknown source '{source}' (OPCR, IAU, CRA, OPA, EVT, PSB, CCRB)", nameof(source)),
        },
    };

    /// <summary>
    /// Regenerates the committed samples under <paramref name="samplesExportsDir"/> (the repository's
    /// <c>samples/exports</c>): the three CSV exports <c>opcr</c>, <c>iau</c> and <c>cra</c>, then one export in each
    /// other format: <c>opa-json</c> (JSON), <c>events-jsonl</c> (JSON Lines), <c>workbook</c> (.xlsx) and
    /// <c>workbook-xls</c> (the same register as .xls), and <c>ccrb</c>, shaped like the New York City CCRB's tables.
    /// </summary>
    public static IReadOnlyList<SyntheticExportResult> WriteCommittedSamples(string samplesExportsDir) =>
    [
        WriteOpcr(Path.Combine(samplesExportsDir, "opcr"), CommittedOptions("OPCR")),
        WriteIau(Path.Combine(samplesExportsDir, "iau"), CommittedOptions("IAU")),
        WriteCra(Path.Combine(samplesExportsDir, "cra"), CommittedOptions("CRA")),
        WriteOpaJson(Path.Combine(samplesExportsDir, "opa-json"), CommittedOptions("OPA")),
        WriteEventsJsonl(Path.Combine(samplesExportsDir, "events-jsonl"), CommittedOptions("EVT")),
        WriteWorkbook(Path.Combine(samplesExportsDir, "workbook"), CommittedOptions("PSB")),
        WriteWorkbook(Path.Combine(samplesExportsDir, "workbook-xls"), CommittedOptions("PSB"), xls: true),
        WriteCcrb(Path.Combine(samplesExportsDir, "ccrb"), CommittedOptions("CCRB")),
    ];

    /// <summary>The three exports with the same options, in <c>{root}/opcr</c>, <c>{root}/iau</c> and <c>{root}/cra</c>.</summary>
    public static IReadOnlyList<SyntheticExportResult> WriteAll(string root, SyntheticExportOptions options) =>
    [
        WriteOpcr(Path.Combine(root, "opcr"), options),
        WriteIau(Path.Combine(root, "iau"), options),
        WriteCra(Path.Combine(root, "cra"), options),
    ];

    /// <summary>
    /// The civilian review office's export, joined shape: complaints.csv, allegations.csv, officers.csv (one row per
    /// badge) and complainants.csv, joined by case number and employee id. UTF-8 without BOM, commas, CRLF.
    /// </summary>
    public static SyntheticExportResult WriteOpcr(string directory, SyntheticExportOptions options)
    {
        var (roster, generator, quirks) = Prepare(directory, options, SourceKind.Opcr, OpcrSalt);
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        const string crlf = "\r\n";
        var duplicates = new Duplicates(options.DuplicateRate ?? 0.002, options.Allegations);

        using var officers = new CsvSink(Path.Combine(directory, OpcrOfficersFile), encoding, ',', crlf);
        using var complaints = new CsvSink(Path.Combine(directory, OpcrComplaintsFile), encoding, ',', crlf);
        using var allegations = new CsvSink(Path.Combine(directory, OpcrAllegationsFile), encoding, ',', crlf);
        using var complainants = new CsvSink(Path.Combine(directory, OpcrComplainantsFile), encoding, ',', crlf);

        officers.Header(["Employee ID", "Last Name", "First Name", "Middle Initial", "Badge", "Badge Issued", "Rank", "Assignment", "Race", "Sex", "Birth Year", "Hire Date"]);
        foreach (var o in roster.Officers)
        {
            var birthYear = quirks.Chance(0.03) ? "" : o.BirthYear.ToString(Inv) + ".0";
            OfficerRow(officers, quirks, o, o.Badge, o.Hired, birthYear);
            if (o.SecondBadge is not null)
            {
                OfficerRow(officers, quirks, o, o.SecondBadge, o.SecondBadgeIssued!.Value, birthYear);
            }
        }

        complaints.Header(["Case Number", "Date Received", "Incident Date", "Date Closed", "Case Status", "Intake Decision", "Precinct", "Incident Location", "Flags", "Summary"]);
        allegations.Header(["Allegation ID", "Case Number", "Employee ID", "Allegation", "Allegation Detail", "Recommended Finding", "Final Finding", "Recommended Discipline", "Discipline Imposed", "Suspension Days", "Discipline Final", "Discipline Date"]);
        complainants.Header(["Case Number", "Complainant Name", "Address", "DOB", "Phone", "Race", "Sex", "Age"]);

        while (generator.Next() is { } c)
        {
            var caseNumber = string.Create(Inv, $"OPCR-{c.Year}-{c.Sequence:D4}");
            var flags = new List<string>(3);
            if (c.DomesticViolence)
            {
                flags.Add("DV");
            }

            if (c.SexualAssault)
            {
                flags.Add("SA");
            }

            if (c.Juvenile)
            {
                flags.Add("JUV");
            }

            complaints.Field(caseNumber)
                .Field(Date(c.Received))
                .Field(Date(c.Incident))
                .Field(Date(c.Closed))
                .Field(c.Open ? "Open" : "Closed")
                .Field(c.Intake is { } intake ? Vocab.OpcrIntake[(int)intake] : null)
                .Field(c.Precinct)
                .Field(c.Location)
                .Field(string.Join('|', flags))
                .Field(c.Narrative)
                .EndRow();

            foreach (var a in c.Allegations)
            {
                var category = c.Year < 2015 && Vocab.OpcrCategoryBefore2015[(int)a.Category] is { } older ? older : Vocab.OpcrCategory[(int)a.Category];
                if (quirks.Chance(0.03))
                {
                    category = quirks.Chance(0.5) ? category.ToUpperInvariant() : category.ToLowerInvariant();
                }

                allegations.Field(a.Id)
                    .Field(caseNumber)
                    .Field(a.Officer.EmployeeId)
                    .Field(category)
                    .Field(quirks.Chance(0.1) ? null : Vocab.Details[(int)a.Category][a.Detail])
                    .Field(a.Recommended is { } rec ? Vocab.OpcrFinding[(int)rec] : null)
                    .Field(a.Final is { } fin ? Vocab.OpcrFinding[(int)fin] : null)
                    .Field(a.RecommendedDiscipline is { } rd ? Vocab.OpcrDiscipline[(int)rd] : null)
                    .Field(a.ImposedDiscipline is { } id ? Vocab.OpcrDiscipline[(int)id] : null)
                    .Field(a.SuspensionDays > 0 ? a.SuspensionDays.ToString(Inv) + ".0" : null)
                    .Field(a.DisciplineFinal is { } final ? (final ? "Y" : "N") : null)
                    .Field(a.DisciplineDate is { } decided ? Date(decided) : null)
                    .EndRow(duplicates.Next(quirks));
            }

            foreach (var p in c.Complainants)
            {
                complainants.Field(caseNumber)
                    .Field($"{p.LastName}, {p.FirstName}")
                    .Field(p.Address ?? "N/A")
                    .Field(p.BirthDate is { } dob ? Date(dob) : "N/A")
                    .Field(p.Phone ?? "N/A")
                    .Field(p.Race < 0 ? "N/A" : Names.RaceLetters[p.Race])
                    .Field(p.Sex switch { 'M' => "M", 'F' => "F", _ => "X" })
                    .Field(p.Age?.ToString(Inv) ?? "N/A")
                    .EndRow();
            }
        }

        return Result("OPCR", directory, generator, roster, complaints, allegations, officers, complainants);

        static string? Date(DateOnly? date) => date?.ToString("M/d/yyyy", Inv);
    }

    /// <summary>
    /// The Internal Affairs Unit's IAPro export, denormalized: one file, one row per officer x allegation with the
    /// complaint's columns repeated. UTF-8 with BOM, commas, LF, NULL for missing values. received_dt and occurred_dt
    /// are <c>yyyy-MM-dd HH:mm:ss</c>, completed_dt is <c>yyyy-MM-dd</c>.
    /// </summary>
    public static SyntheticExportResult WriteIau(string directory, SyntheticExportOptions options)
    {
        const string nullToken = "NULL";
        var (roster, generator, quirks) = Prepare(directory, options, SourceKind.Iau, IauSalt);
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true);
        var duplicates = new Duplicates(options.DuplicateRate ?? 0.008, options.Allegations);
        string[] incidentTypes = ["Citizen Complaint", "Internal", "OPCR Referral", "Use of Force Review"];

        using var rows = new CsvSink(Path.Combine(directory, IauFile), encoding, ',', "\n");
        rows.Header(
        [
            "incident_no", "received_dt", "occurred_dt", "completed_dt", "status", "incident_type", "precinct", "location",
            "emp_no", "officer_last", "officer_first", "badge_no", "rank", "unit", "officer_race", "officer_sex",
            "allegation", "allegation_detail", "finding", "action_taken", "days_suspended", "action_final",
            "citizen_name", "citizen_race", "citizen_sex", "citizen_age", "summary",
        ]);

        while (generator.Next() is { } c)
        {
            var incidentNo = string.Create(Inv, $"IA{c.Year}-{c.Sequence:D5}");
            var received = c.Received.ToDateTime(new TimeOnly(7 + quirks.Next(11), quirks.Next(60), quirks.Next(60))).ToString("yyyy-MM-dd HH:mm:ss", Inv);
            var occurred = c.Incident?.ToDateTime(new TimeOnly(quirks.Next(24), quirks.Next(60), 0)).ToString("yyyy-MM-dd HH:mm:ss", Inv) ?? nullToken;
            var completed = c.Closed?.ToString("yyyy-MM-dd", Inv) ?? nullToken;
            var citizen = c.Complainants.Count > 0 ? c.Complainants[0] : null;
            foreach (var a in c.Allegations)
            {
                var o = a.Officer;
                var badgeDate = c.Incident ?? c.Received;
                rows.Field(incidentNo)
                    .Field(received)
                    .Field(occurred)
                    .Field(completed)
                    .Field(c.Open ? "Active" : "Completed")
                    .Field(incidentTypes[c.Kind])
                    .Field(c.Precinct)
                    .Field(c.Location ?? nullToken)
                    .Field(o.EmployeeId)
                    .Field(o.LastName)
                    .Field(o.FirstName)
                    .Field(o.BadgeOn(badgeDate))
                    .Field(Names.RankAbbrev[o.Rank])
                    .Field(o.Assignment.ToUpperInvariant())
                    .Field(Names.RaceWords[o.Race])
                    .Field(o.Female ? "Female" : "Male")
                    .Field(Vocab.IauCategory[(int)a.Category])
                    .Field(quirks.Chance(0.15) ? nullToken : Vocab.Details[(int)a.Category][a.Detail])
                    .Field(a.Final is { } fin ? Vocab.IauFinding[(int)fin] : nullToken)
                    .Field(a.ImposedDiscipline is { } d ? Vocab.IauAction[(int)d] : nullToken)
                    .Field(a.SuspensionDays > 0 ? a.SuspensionDays.ToString(Inv) + ".0" : nullToken)
                    .Field(a.DisciplineFinal is { } final ? (final ? "Yes" : "No") : nullToken)
                    .Field(citizen is null ? nullToken : $"{citizen.FirstName} {citizen.LastName}")
                    .Field(citizen is null || citizen.Race < 0 ? nullToken : Names.RaceWords[citizen.Race])
                    .Field(citizen is null ? nullToken : citizen.Sex switch { 'M' => "Male", 'F' => "Female", _ => "Unknown" })
                    .Field(citizen?.Age?.ToString(Inv) ?? nullToken)
                    .Field(c.Narrative)
                    .EndRow(duplicates.Next(quirks));
            }
        }

        return Result("IAU", directory, generator, roster, rows);
    }

    /// <summary>
    /// The former Civilian Review Authority's historical export (1991-2012, all closed), denormalized, as R's
    /// write.table writes it: Windows-1252, semicolons, CRLF, character values quoted, numbers bare, <c>N/A</c> for
    /// missing values, every row led by a quoted row name that the header lacks. Dates are <c>dd.MM.yyyy</c>. Officers
    /// have no id: name (<c>LAST, FIRST M</c>), birth year and appointment date identify them.
    /// </summary>
    public static SyntheticExportResult WriteCra(string directory, SyntheticExportOptions options)
    {
        const string na = "N/A";
        var (roster, generator, quirks) = Prepare(directory, options, SourceKind.Cra, CraSalt);
        var encoding = (Encoding)CodePagesEncodingProvider.Instance.GetEncoding(1252)!.Clone();
        encoding.EncoderFallback = EncoderFallback.ExceptionFallback;
        var rate = options.DuplicateRate ?? 0;
        var duplicates = new Duplicates(rate, options.Allegations);

        using var rows = new CsvSink(Path.Combine(directory, CraFile), encoding, ';', "\r\n");
        rows.Header(
        [
            "CaseNo", "DateFiled", "DateClosed", "Precinct", "Officer", "OfficerDOBYear", "ApptDate", "OfficerRace", "OfficerSex",
            "AllegationType", "Disposition", "ComplainantRace", "ComplainantSex", "ComplainantAge", "Narrative",
        ], quoted: true);

        var rowName = 0;
        while (generator.Next() is { } c)
        {
            var caseNo = string.Create(Inv, $"CRA-{c.Year % 100:D2}-{c.Sequence:D4}");
            var narrative = quirks.Chance(0.08) ? null : quirks.Chance(0.7) ? Curly(c.Narrative) : c.Narrative;
            var p = c.Complainants.Count > 0 ? c.Complainants[0] : null;
            foreach (var a in c.Allegations)
            {
                var o = a.Officer;
                var name = $"{o.LastName}, {o.FirstName}{(o.MiddleInitial.Length > 0 ? " " + o.MiddleInitial : "")}".ToUpperInvariant();
                var birthYear = quirks.Chance(0.04) ? null : o.BirthYear.ToString(Inv);
                var appointed = quirks.Chance(0.03) ? null : o.Hired.ToString("dd.MM.yyyy", Inv);
                var duplicate = duplicates.Next(quirks);
                for (var copy = 0; copy < (duplicate ? 2 : 1); copy++)
                {
                    // R numbers every row, so a repeated row differs from its twin only by the row name.
                    rows.Quoted((++rowName).ToString(Inv))
                        .Quoted(caseNo)
                        .Quoted(c.Received.ToString("dd.MM.yyyy", Inv))
                        .Quoted(c.Closed!.Value.ToString("dd.MM.yyyy", Inv))
                        .Raw(c.Precinct.ToString(Inv))
                        .Quoted(name)
                        .Raw(birthYear ?? na);
                    QuotedOrNa(rows, appointed)
                        .Quoted(Names.RaceUpper[o.Race])
                        .Quoted(o.Female ? "FEMALE" : "MALE")
                        .Quoted(Vocab.CraCategory[(int)a.Category])
                        .Quoted(a.Withdrawn ? Vocab.CraWithdrawn : Vocab.CraFinding[(int)a.Final!.Value]);
                    QuotedOrNa(rows, p is null || p.Race < 0 ? null : Names.RaceUpper[p.Race]);
                    QuotedOrNa(rows, p is null || p.Sex == 'X' ? null : p.Sex == 'M' ? "MALE" : "FEMALE");
                    rows.Raw(p?.Age?.ToString(Inv) ?? na);
                    QuotedOrNa(rows, narrative);
                    rows.EndRow();
                    if (copy == 1)
                    {
                        rows.CountDuplicate();
                    }
                }
            }
        }

        static CsvSink QuotedOrNa(CsvSink sink, string? value) => value is null ? sink.Raw(na) : sink.Quoted(value);

        return Result("CRA", directory, generator, roster, rows);
    }

    private static (Roster Roster, CaseGenerator Generator, Random Quirks) Prepare(string directory, SyntheticExportOptions options, SourceKind kind, int salt)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Allegations);
        Directory.CreateDirectory(directory);
        var roster = new Roster(options.RosterSeed, options.Officers ?? Roster.DefaultSize(options.Allegations));
        var generator = new CaseGenerator(kind, Rng.For(options.Seed, salt), roster, options.Allegations, options.Canaries ? new CanarySeeder(salt) : null);
        return (roster, generator, Rng.For(options.Seed, salt + 100));
    }

    private static void OfficerRow(CsvSink sink, Random quirks, RosterOfficer o, string badge, DateOnly issued, string birthYear)
    {
        var id = o.EmployeeId.ToString(Inv);
        sink.Field(quirks.Chance(0.25) ? id + ".0" : id)
            .Field(o.LastName)
            .Field(o.FirstName)
            .Field(o.MiddleInitial)
            .Field(badge)
            .Field(issued.ToString("M/d/yyyy", Inv))
            .Field(Names.Ranks[o.Rank])
            .Field(o.Assignment)
            .Field(Names.RaceLetters[o.Race])
            .Field(o.Female ? "F" : "M")
            .Field(birthYear)
            .Field(o.Hired.ToString("M/d/yyyy", Inv))
            .EndRow();
    }

    /// <summary>Straight quotes to typographic ones, as a word processor would have typed them.</summary>
    private static string Curly(string text)
    {
        var chars = text.ToCharArray();
        var open = true;
        for (var i = 0; i < chars.Length; i++)
        {
            if (chars[i] == '"')
            {
                chars[i] = open ? '\u201C' : '\u201D';
                open = !open;
            }
            else if (chars[i] == '\'')
            {
                chars[i] = i > 0 && char.IsLetter(chars[i - 1]) ? '\u2019' : '\u2018';
            }
        }

        return new string(chars);
    }

    private static SyntheticExportResult Result(string source, string directory, CaseGenerator generator, Roster roster, params CsvSink[] sinks) =>
        new(source, Path.GetFullPath(directory), [.. sinks.Select(s => new GeneratedFile(s.Path, s.Rows, s.DuplicateRows))],
            generator.Complaints, generator.Allegations, roster.Officers.Length, generator.Canaries?.Tokens.ToArray() ?? []);

    /// <summary>Decides which allegation rows are written twice; at least one when the rate is not 0.</summary>
    private sealed class Duplicates(double rate, int total)
    {
        private int seen;
        private int written;

        public bool Next(Random quirks)
        {
            seen++;
            var duplicate = rate > 0 && (quirks.NextDouble() < rate || (written == 0 && seen == Math.Max(1, total / 2)));
            if (duplicate)
            {
                written++;
            }

            return duplicate;
        }
    }
}
