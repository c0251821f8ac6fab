using System.IO.Compression;
using System.Text;
using OpenConduct.Core.Dashboards;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Model;
using OpenConduct.Core.Release;
using OpenConduct.Core.Tests.Disclosure;

namespace OpenConduct.Core.Tests.Dashboards;

/// <summary>
/// Hand-made canonical cases, redacted by the real <see cref="Redactor"/> under a sample policy, for the dashboard
/// tests. Every raw value carries a <c>RAW-</c> token and every private value a <c>PRIVATE-</c> token, so that a test
/// can check the facts hold neither.
/// </summary>
internal sealed class DashboardKit
{
    public static readonly DateTimeOffset PulledAt = new(2026, 11, 2, 6, 0, 0, TimeSpan.Zero);

    private int next;

    public CanonicalRecordSet Records { get; } = new();

    public string Source { get; init; } = "OPCR";

    /// <summary>A policy like the Minnesota one with another threshold.</summary>
    public static DisclosurePolicy MinnesotaWithK(int k) => new()
    {
        Name = $"minnesota, k = {k}",
        Default = RedactorTests.Minnesota.Default,
        Fields = RedactorTests.Minnesota.Fields,
        Sensitivity = RedactorTests.Minnesota.Sensitivity,
        Finality = RedactorTests.Minnesota.Finality,
        Aggregation = new AggregationRule { K = k },
        Pseudonymization = RedactorTests.Minnesota.Pseudonymization,
    };

    public DashboardKit Officer(string key, Race? race, Sex? sex)
    {
        Records.Add(new Officer
        {
            Source = Source, Key = key, EmployeeId = key, FirstName = "PRIVATE-first-" + key, LastName = "Officer" + key,
            Race = new Coded<Race>(race, race is null ? null : "RAW-race-" + race), Sex = new Coded<Sex>(sex, sex is null ? null : "RAW-sex-" + sex),
            BirthYear = 1970,
        });
        return this;
    }

    /// <summary>Adds one complaint with its complainants and allegations; returns its case number.</summary>
    public string Case(
        DateOnly received,
        ComplaintStatus status = ComplaintStatus.Closed,
        string precinct = "1",
        IntakeDecision intake = IntakeDecision.Investigation,
        int daysToClose = 100,
        string? address = null,
        Sensitivity sensitivity = Sensitivity.None,
        IReadOnlyList<Person>? complainants = null,
        params Charge[] allegations)
    {
        var number = $"{Source}-{received.Year}-{++next:0000}";
        Records.Add(new Complaint
        {
            Source = Source, CaseNumber = number, ReceivedDate = received, IncidentDate = received.AddDays(-2),
            ClosedDate = status == ComplaintStatus.Closed ? received.AddDays(daysToClose) : null,
            Status = new Coded<ComplaintStatus>(status, "RAW-status-" + status), IntakeDecision = new Coded<IntakeDecision>(intake, "RAW-intake-" + intake),
            Precinct = precinct, Location = address, Sensitivity = sensitivity,
            Narrative = "PRIVATE-narrative of " + number,
        });
        foreach (var person in complainants ?? [])
        {
            Records.Add(new Complainant
            {
                Source = Source, CaseNumber = number, FirstName = "PRIVATE-complainant", LastName = "PRIVATE-" + number,
                Race = new Coded<Race>(person.Race, person.Race is null ? null : "RAW-race-" + person.Race),
                Sex = new Coded<Sex>(person.Sex, person.Sex is null ? null : "RAW-sex-" + person.Sex), Age = person.Age,
                Address = "PRIVATE-1 Main St", Phone = "PRIVATE-phone",
            });
        }

        foreach (var charge in allegations)
        {
            Records.Add(new Allegation
            {
                Source = Source, CaseNumber = number, OfficerKey = charge.Officer, Category = new CodedText(charge.Category, "RAW-category-" + charge.Category),
                FinalFinding = new Coded<Finding>(charge.Finding, "RAW-finding-" + charge.Finding),
                RecommendedFinding = new Coded<Finding>(Finding.Sustained, "RAW-recommended"),
                ImposedDiscipline = new Coded<DisciplineKind>(charge.Discipline, charge.Discipline is null ? null : "RAW-discipline-" + charge.Discipline),
                DisciplineFinal = charge.Discipline is null ? null : charge.Final,
                DisciplineDate = charge.DecidedAfter is { } after ? received.AddDays(after) : null,
            });
        }

        return number;
    }

    /// <summary>The release input of the records under a policy (the source id is the release's, lower case).</summary>
    public ReleaseInput Input(DisclosurePolicy? policy = null, string releaseId = "r1", string source = "opcr")
    {
        policy ??= RedactorTests.Minnesota;
        return new ReleaseInput
        {
            Source = source,
            ReleaseId = releaseId,
            PublishedAt = PulledAt,
            Records = RedactionPipeline.Redact(Records, RedactorTests.NewRedactor(policy)),
            Import = new ImportReport { Profile = "hand-made", Source = Source },
            Policy = policy,
        };
    }

    public DashboardFactsPart Facts(DisclosurePolicy? policy = null, string source = "opcr") =>
        DashboardFactsBuilder.Build(Input(policy, source: source));

    /// <summary>The content of a gzip stream.</summary>
    public static byte[] Gunzip(byte[] gzip)
    {
        using var stream = new System.IO.Compression.GZipStream(new MemoryStream(gzip), System.IO.Compression.CompressionMode.Decompress);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>Content gzip-compressed.</summary>
    public static byte[] Gzip(byte[] content)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(content);
        }

        return buffer.ToArray();
    }

    /// <summary>The content (not gzipped) of a facts file of the current format (3) as format 2 wrote it: no days to final discipline.</summary>
    public static byte[] FormatTwo(byte[] content, int complaints)
    {
        Assert.Equal(3, content[4]);
        var headerLength = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(content.AsSpan(5, 4));
        var complaintDimensions = DashboardDimensions.All.Count(d => d.Level == DimensionLevel.Complaint);
        var at = 9 + headerLength + (complaintDimensions * 2 * complaints) + (4 * 4 * complaints);
        var two = content[..at].Concat(content[(at + (4 * complaints))..]).ToArray();
        two[4] = 2;
        return two;
    }

    public static byte[] Bytes(DashboardFactsPart facts)
    {
        using var buffer = new MemoryStream();
        DashboardFactsIo.WriteAsync(buffer, facts).GetAwaiter().GetResult();
        return buffer.ToArray();
    }

    /// <summary>The decompressed content of a facts file, as text (binary columns included, as a search would read them).</summary>
    public static string Text(byte[] gzip)
    {
        using var stream = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Parses and runs a request, failing the test on a problem.</summary>
    public static DashboardResponse Run(DashboardFacts facts, string name, params (string Key, string Value)[] query)
    {
        var (request, problem) = DashboardQueries.Parse(facts, name, query.Select(q => new KeyValuePair<string, string?[]>(q.Key, [q.Value])));
        Assert.True(problem is null, problem?.Detail);
        return DashboardQueries.Run(facts, request!);
    }

    public static DashboardProblem Problem(DashboardFacts facts, string name, params (string Key, string Value)[] query)
    {
        var (request, problem) = DashboardQueries.Parse(facts, name, query.Select(q => new KeyValuePair<string, string?[]>(q.Key, [q.Value])));
        Assert.Null(request);
        return problem!;
    }

    /// <summary>The published value of a cell, by row and column label (a series: column null).</summary>
    public static long? Cell(DashboardResponse response, string row, string? column = null)
    {
        var r = response.Rows.Values.ToList().IndexOf(row);
        Assert.True(r >= 0, $"no row '{row}' in {string.Join(", ", response.Rows.Values)}");
        var c = column is null ? 0 : response.Columns!.Values.ToList().IndexOf(column);
        Assert.True(c >= 0, $"no column '{column}'");
        return response.Cells[r][c];
    }

    /// <summary>
    /// Whether a row of a table without grouping (<paramref name="fine"/>: a year, a YYYY-MM month, a group) falls in a
    /// row of a grouped response, read from the response alone: the same label, a bin <c>1991-1995</c> holding the year,
    /// a quarter <c>2023-Q1</c> or a year <c>2023</c> holding the month, or a merged row listing the group.
    /// </summary>
    public static bool InRow(DashboardResponse grouped, string row, string fine)
    {
        if (grouped.Merged is { } merged && merged.TryGetValue(row, out var members))
        {
            return members.Contains(fine);
        }

        if (row == fine)
        {
            return true;
        }

        if (fine == DashboardDimensions.Unknown || row == DashboardDimensions.Unknown || fine.Length < 4 || !int.TryParse(fine[..4], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var year))
        {
            return false;
        }

        if (System.Text.RegularExpressions.Regex.Match(row, @"^(\d{4})-(\d{4})$") is { Success: true } range)
        {
            return year >= Number(range.Groups[1].Value) && year <= Number(range.Groups[2].Value);
        }

        if (System.Text.RegularExpressions.Regex.Match(row, @"^(\d{4})-Q([1-4])$") is { Success: true } quarter)
        {
            return fine.Length == 7 && year == Number(quarter.Groups[1].Value) && (Number(fine[5..]) - 1) / 3 == Number(quarter.Groups[2].Value) - 1;
        }

        return row.Length == 4 && fine.Length == 7 && fine.StartsWith(row + "-", StringComparison.Ordinal);
    }

    /// <summary>
    /// The true table (a response under k = 1, rows not grouped) added up into the rows of a grouped response; a true row
    /// in no grouped row must count nothing (rows outside the first and last with a count are left out).
    /// </summary>
    public static DashboardResponse Regroup(DashboardResponse truth, DashboardResponse grouped)
    {
        var width = truth.Cells.Count == 0 ? 1 : truth.Cells[0].Count;
        var cells = grouped.Rows.Values.Select(_ => new long?[width]).ToList();
        for (var f = 0; f < truth.Rows.Values.Count; f++)
        {
            var rows = Enumerable.Range(0, grouped.Rows.Values.Count).Where(r => InRow(grouped, grouped.Rows.Values[r], truth.Rows.Values[f])).ToList();
            Assert.True(rows.Count <= 1, $"{truth.Rows.Values[f]} is in {rows.Count} rows");
            if (rows.Count == 0)
            {
                Assert.True(truth.RowTotals[f] == 0, $"{truth.Rows.Values[f]} ({truth.RowTotals[f]}) is in no row of {string.Join(", ", grouped.Rows.Values)}");
                continue;
            }

            for (var c = 0; c < width; c++)
            {
                cells[rows[0]][c] = (cells[rows[0]][c] ?? 0) + truth.Cells[f][c]!.Value;
            }
        }

        foreach (var row in cells)
        {
            for (var c = 0; c < width; c++)
            {
                row[c] ??= 0;
            }
        }

        return truth with
        {
            Rows = grouped.Rows,
            Cells = cells,
            RowTotals = [.. cells.Select(row => (long?)row.Sum(v => v!.Value))],
            ColumnTotals = truth.ColumnTotals is null ? null : [.. Enumerable.Range(0, width).Select(c => (long?)cells.Sum(row => row[c]!.Value))],
        };
    }

    private static int Number(string digits) => int.Parse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture);

    public readonly record struct Person(Race? Race, Sex? Sex, int? Age);

    /// <param name="DecidedAfter">Days from received to the day the discipline was decided (the discipline date), or none.</param>
    public readonly record struct Charge(string Category, string Officer = "o1", Finding? Finding = Model.Finding.NotSustained, DisciplineKind? Discipline = null, bool Final = true, int? DecidedAfter = null);
}
