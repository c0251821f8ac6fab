using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ExcelDataReader;
using OpenConduct.Core.Import;
using OpenConduct.Core.Model;
using OpenConduct.Samples;

namespace OpenConduct.Core.Tests.Import;

/// <summary>
/// The committed samples in formats other than CSV (samples/exports/opa-json, events-jsonl, workbook, workbook-xls)
/// import with their profiles (samples/profiles/opa-json.json, events-jsonl.json, workbook.json): every row accounted
/// for, the counts per entity, and each quirk the sample carries. Expected values are read from the files themselves
/// (System.Text.Json, ExcelDataReader), independently of the importer, and the counts are also stated.
/// </summary>
public sealed class SampleFormatTests
{
    private static readonly string Exports = Path.Combine(AppContext.BaseDirectory, "samples", "exports");
    private static readonly string Profiles = Path.Combine(AppContext.BaseDirectory, "samples", "profiles");

    private static (ImportReport Report, CanonicalRecordSet Records) Import(string profile, string folder, MappingProfile? loaded = null)
    {
        var records = new CanonicalRecordSet();
        var report = new ExportImporter().Import(loaded ?? MappingProfileLoader.LoadFile(Path.Combine(Profiles, profile)), new DirectoryExportFiles(folder), records);
        Assert.True(report.Succeeded, string.Join("\n", report.Failures));
        return (report, records);
    }

    // ---------------------------------------------------------------- JSON: one document keyed by case number

    [Fact]
    public void Opa_json_imports_every_case_and_rejects_only_the_key_that_is_not_a_case()
    {
        var folder = Path.Combine(Exports, "opa-json");
        var path = Path.Combine(folder, SyntheticExports.OpaFile);
        var (report, records) = Import("opa-json.json", folder);

        // What the document holds, read without the importer.
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var cases = root.Where(m => m.Value is JsonObject).ToList();
        var junk = Assert.Single(root, m => m.Value is not JsonObject);
        Assert.Equal(SyntheticExports.OpaJunkKey, junk.Key);
        Assert.All(junk.Value!.AsArray(), v => Assert.Equal(JsonValueKind.String, v!.GetValueKind()));
        var officers = cases.SelectMany(c => Officers(c.Value!)).ToList();
        var entries = officers.Sum(o => o.Value!["allegations"]!.AsArray().Count);
        var withoutOfficers = cases.Where(c => !Officers(c.Value!).Any()).Select(c => c.Key).ToList();

        var file = Assert.Single(report.Files);
        Assert.Equal("json", file.Format);
        Assert.True(file.Reconciles);
        Assert.Equal((308L, 307L, 0L, 0L, 1L), (file.RowsRead, file.RowsImported, file.RowsMerged, file.DuplicateRows, file.RowsRejected));
        Assert.Equal(entries + withoutOfficers.Count + 1, file.RowsRead);

        Assert.Equal((126, 300, 30), (records.Complaints.Count, records.Allegations.Count, records.Officers.Count));
        Assert.Equal(cases.Select(c => c.Key), records.Complaints.Select(c => c.CaseNumber));
        Assert.Equal(entries, records.Allegations.Count);
        Assert.Equal(officers.Select(o => o.Key).Distinct().Count(), records.Officers.Count);
        Assert.Empty(report.Unmapped);

        // The key that is not a case: one rejected row, named by its path and the line its value starts on.
        var error = Assert.Single(report.RowErrors);
        Assert.Equal("$.unparsed_summaries", error.Path);
        Assert.Equal(1 + File.ReadLines(path).TakeWhile(l => !l.Contains($"\"{SyntheticExports.OpaJunkKey}\"", StringComparison.Ordinal)).Count(), error.Line);
        Assert.Equal("$.unparsed_summaries is an array, where the records path '$.*.officers.*.allegations[*]' needs an object", error.Reason);

        // Cases whose summary names no officer (no "officers", or an empty object): complaints without allegations.
        Assert.True(withoutOfficers.Count >= 2, "the sample has cases without officers");
        Assert.Contains(cases, c => c.Value!["officers"] is null);
        Assert.Contains(cases, c => c.Value!["officers"] is JsonObject { Count: 0 });
        foreach (var number in withoutOfficers)
        {
            var complaint = records.Complaints.Single(c => c.CaseNumber == number);
            Assert.Equal(ComplaintStatus.Closed, complaint.Status.Value);
            Assert.NotNull(complaint.ClosedDate);
            Assert.DoesNotContain(records.Allegations, a => a.CaseNumber == number);
        }

        // Issue dates ("August 14, 2019") are the closed dates; every case is closed by them.
        Assert.All(cases, c => Assert.Equal(
            DateOnly.ParseExact((string)c.Value!["issued_date"]!, "MMMM d, yyyy", CultureInfo.InvariantCulture),
            records.Complaints.Single(r => r.CaseNumber == c.Key).ClosedDate!.Value.Value));
        Assert.Equal(126, report.StatusRules["closedDate"]);

        // Allegation ids are the officer's key (the badge) and the position in the array: unique within a case.
        Assert.All(records.Allegations, a => Assert.Matches(@"^\d+-\d+$", a.AllegationId));
        Assert.All(records.Allegations.GroupBy(a => a.CaseNumber), g => Assert.Equal(g.Count(), g.Select(a => a.AllegationId).Distinct().Count()));

        // An officer accused twice under one title with one finding: two allegations, told apart by their position.
        var repeats = officers.Where(o => o.Value!["allegations"]!.AsArray().Select(a => a!.ToJsonString()).GroupBy(a => a).Any(g => g.Count() > 1)).ToList();
        Assert.NotEmpty(repeats);
        foreach (var officer in repeats)
        {
            var badge = officer.Key;
            var twins = officer.Value!["allegations"]!.AsArray().Select((a, i) => (Json: a!.ToJsonString(), Index: i)).GroupBy(a => a.Json).First(g => g.Count() > 1).ToList();
            var imported = twins.Select(t => records.Allegations.Single(a => a.AllegationId == $"{badge}-{t.Index}" && a.CaseNumber == CaseOf(cases, officer.Value!))).ToList();
            Assert.Single(imported.Select(a => (a.Category, a.FinalFinding, a.OfficerKey)).Distinct());
        }

        // The badge key and badge_num (a number) agree; names, middle initials and titles are the officer's.
        var someone = officers.First(o => (string?)o.Value!["middle_name"] is { Length: > 0 });
        var officer0 = records.Officers.Single(o => o.Badges.Any(b => b.Number == someone.Key));
        Assert.Equal(((string)someone.Value!["first_name"]!, (string)someone.Value["middle_name"]!, (string)someone.Value["last_name"]!, (string)someone.Value["title"]!),
            (officer0.FirstName!, officer0.MiddleName!, officer0.LastName!, officer0.Rank!));
        Assert.StartsWith("badge:" + someone.Key + "|", officer0.Key, StringComparison.Ordinal);

        // The finding variants, each mapped.
        var findings = records.Allegations.GroupBy(a => a.FinalFinding.Raw!).ToDictionary(g => g.Key, g => Assert.Single(g.Select(a => a.FinalFinding.Value).Distinct()));
        Assert.Equal(Finding.NotSustained, findings["Not Sustained (Inconclusive)"]);
        Assert.Equal(Finding.NotSustained, findings["Not Sustained (Training Referral)"]);
        Assert.Equal(Finding.Exonerated, findings["Not Sustained (Lawful and Proper)"]);
        Assert.Equal(Finding.Unfounded, findings["Not Sustained (Unfounded)"]);
        Assert.Equal(Finding.Sustained, findings["Sustained"]);
        Assert.Equal(new CodedText("UseOfForce", "Force - Use"), records.Allegations.First(a => a.Category.Raw == "Force - Use").Category);
    }

    [Fact]
    public void Opa_json_without_the_index_in_the_allegation_id_would_drop_the_repeated_allegations_as_duplicates()
    {
        // The same profile, the allegation id left out: the repeated entries are then equal rows, counted as duplicates.
        var folder = Path.Combine(Exports, "opa-json");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Profiles, "opa-json.json")))!;
        json["files"]![0]!["columns"]!.AsObject().Remove("$.*.officers.*~");
        var profile = MappingProfileLoader.Parse(json.ToJsonString(), "opa-json without allegation ids");

        var (report, records) = Import("", folder, profile);
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, SyntheticExports.OpaFile)))!.AsObject();
        var repeated = root.Where(m => m.Value is JsonObject).SelectMany(c => Officers(c.Value!))
            .Sum(o => o.Value!["allegations"]!.AsArray().Select(a => a!.ToJsonString()).GroupBy(a => a).Sum(g => g.Count() - 1));
        Assert.True(repeated > 0);
        Assert.Equal(repeated, report.Files[0].DuplicateRows);
        Assert.Equal(300 - repeated, records.Allegations.Count);
    }

    // ---------------------------------------------------------------- JSON Lines: a complaint per line

    [Fact]
    public void Events_jsonl_imports_every_valid_line_and_rejects_the_one_cut_off()
    {
        var folder = Path.Combine(Exports, "events-jsonl");
        var (report, records) = Import("events-jsonl.json", folder);

        var lines = File.ReadAllLines(Path.Combine(folder, SyntheticExports.EventsFile));
        var parsed = lines.Select((text, i) => (Line: i + 1, Json: TryParse(text))).ToList();
        var broken = Assert.Single(parsed, p => p.Json is null);
        var complaints = parsed.Where(p => p.Json is not null).Select(p => p.Json!).ToList();
        var allegations = complaints.SelectMany(c => c["allegations"]!.AsArray().Select(a => (Complaint: c, Allegation: a!))).ToList();

        var file = Assert.Single(report.Files);
        Assert.Equal("jsonl", file.Format);
        Assert.True(file.Reconciles);
        Assert.Equal((297L, 296L, 0L, 0L, 1L), (file.RowsRead, file.RowsImported, file.RowsMerged, file.DuplicateRows, file.RowsRejected));
        Assert.Equal(allegations.Count + complaints.Count(c => c["allegations"]!.AsArray().Count == 0) + 1, file.RowsRead);
        Assert.Equal((123, 296, 24), (records.Complaints.Count, records.Allegations.Count, records.Officers.Count));
        Assert.Equal(complaints.Select(c => (string)c["complaint_id"]!), records.Complaints.Select(c => c.CaseNumber));
        Assert.Equal(allegations.Count, records.Allegations.Count);
        Assert.Empty(report.Unmapped);

        // The line cut off is one rejected row, at its line, for the whole line; the lines after it import.
        var error = Assert.Single(report.RowErrors);
        Assert.Equal(((long)broken.Line, (int?)null, (string?)null), (error.Line, error.Column, error.ColumnName));
        Assert.StartsWith("the line is not valid JSON", error.Reason, StringComparison.Ordinal);
        Assert.True(broken.Line < lines.Length / 2 + 10 && broken.Line > 10, "the broken line is in the middle of the file");

        // Allegations whose officer is null: kept, against an unidentified officer of their complaint.
        var unidentified = allegations.Where(a => a.Allegation["officer"] is null).ToList();
        Assert.True(unidentified.Count >= 5);
        Assert.Equal(19, unidentified.Count);
        Assert.Equal(unidentified.Count, file.UnidentifiedOfficer);
        Assert.Equal(unidentified.Count, records.Allegations.Count(a => a.OfficerUnidentified));
        Assert.All(records.Allegations.Where(a => a.OfficerUnidentified), a => Assert.Equal(Officer.UnidentifiedKeyPrefix + a.CaseNumber, a.OfficerKey));
        Assert.Equal(allegations.Where(a => a.Allegation["officer"] is not null).Select(a => (string)a.Allegation["officer"]!["emp_id"]!).Distinct().Count(), records.Officers.Count);

        // Months received ("2021-03"): month precision, the first of the month.
        foreach (var (json, complaint) in complaints.Zip(records.Complaints))
        {
            var month = DateOnly.ParseExact((string)json["received"]! + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.Equal(new PartialDate(month, DatePrecision.Month), complaint.ReceivedDate);
            Assert.Equal(((int)json["district"]!).ToString(CultureInfo.InvariantCulture), complaint.Precinct);

            // The Y/N flag: Y (or y) is a domestic-violence complaint; N maps to no flag, its raw value kept.
            var flag = (string)json["dv_flag"]!;
            Assert.Equal(flag is "Y" or "y" ? Sensitivity.DomesticViolence : Sensitivity.None, complaint.Sensitivity);
            Assert.Equal([flag], complaint.SensitivityRaw);
            Assert.Equal((string)json["summary"]!, complaint.Narrative);

            // No closed date: closed when every allegation has a final finding (not Pending), else open.
            var decided = json["allegations"]!.AsArray().All(a => (string?)a!["finding"] is { } f && f != "Pending");
            Assert.Null(complaint.ClosedDate);
            Assert.Equal(decided ? ComplaintStatus.Closed : ComplaintStatus.Open, complaint.Status.Value);
        }

        Assert.Contains(complaints, c => (string)c["dv_flag"]! == "Y");
        Assert.Contains(complaints, c => (string)c["dv_flag"]! is "y" or "n");
        Assert.Contains(complaints, c => (string)c["summary"]! is var s && s.Contains('"', StringComparison.Ordinal));
        var closed = records.Complaints.Count(c => c.Status.Value == ComplaintStatus.Closed);
        Assert.Equal(closed, report.StatusRules["findings"]);
        Assert.Equal(records.Complaints.Count - closed, report.StatusRules["none (open)"]);

        // An open complaint may have decided some of its allegations already: the rule needs every one.
        Assert.Contains(records.Complaints, c => c.Status.Value == ComplaintStatus.Open
            && records.Allegations.Any(a => a.CaseNumber == c.CaseNumber && a.FinalFinding.Value is { } f && f != Finding.Pending));
        Assert.Contains(records.Allegations, a => a.FinalFinding == new Coded<Finding>(Finding.Pending, "Pending"));

        // Discipline is final once its allegation has a final finding; the days come from a JSON number.
        var disciplined = records.Allegations.Where(a => a.ImposedDiscipline.HasValue).ToList();
        Assert.NotEmpty(disciplined);
        Assert.All(disciplined, a => Assert.Equal(a.FinalFinding.Value is { } f && f != Finding.Pending, a.DisciplineFinal));
        Assert.Contains(disciplined, a => a.ImposedDiscipline.Value == DisciplineKind.Suspension && a.ImposedDisciplineDays > 0);

        // An officer's badges as a JSON array: every badge held.
        var twoBadges = allegations.Select(a => a.Allegation["officer"]).OfType<JsonObject>().First(o => o["badges"]!.AsArray().Count == 2);
        var holder = records.Officers.Single(o => o.EmployeeId == (string)twoBadges["emp_id"]!);
        Assert.Equal(twoBadges["badges"]!.AsArray().Select(b => (string)b!).Order(StringComparer.Ordinal), holder.Badges.Select(b => b.Number).Order(StringComparer.Ordinal));
    }

    // ---------------------------------------------------------------- Workbooks: .xlsx and .xls, one profile

    [Theory]
    [InlineData("workbook", SyntheticExports.WorkbookFile)]
    [InlineData("workbook-xls", SyntheticExports.WorkbookXlsFile)]
    public void Workbook_imports_with_the_shared_profile_and_reads_every_computed_column(string sample, string fileName)
    {
        var folder = Path.Combine(Exports, sample);
        var (report, records) = Import("workbook.json", folder);

        var sheet = ReadRegister(Path.Combine(folder, fileName));
        var data = sheet.Rows.Where(r => r.Values.Any(v => v is not null)).ToList();
        var duplicates = data.Where((r, i) => i > 0 && r.Values.SequenceEqual(data[i - 1].Values)).Count();

        var file = Assert.Single(report.Files);
        Assert.Equal((fileName, "excel"), (file.Path, file.Format));
        Assert.True(file.Reconciles);
        Assert.Equal((302L, 300L, 0L, 2L, 0L, 1L), (file.RowsRead, file.RowsImported, file.RowsMerged, file.DuplicateRows, file.RowsRejected, file.BlankRows));
        Assert.Equal(data.Count, file.RowsRead);
        Assert.Equal(duplicates, file.DuplicateRows);
        Assert.Equal(sheet.Rows.Count - data.Count, file.BlankRows);
        Assert.Equal((115, 300, 25, 109), (records.Complaints.Count, records.Allegations.Count, records.Officers.Count, records.Complainants.Count));
        Assert.Equal(data.Select(r => r["CR No"]).Distinct().Count(), records.Complaints.Count);
        Assert.Equal(data.Count - duplicates, records.Allegations.Count);
        Assert.Empty(report.RowErrors);
        Assert.Empty(report.Unmapped);

        var rows = data.Distinct(new RowComparer()).ToList();
        Assert.Equal(rows.Count, records.Allegations.Count);
        foreach (var (row, allegation) in rows.Zip(records.Allegations))
        {
            var caseNumber = ((double)row["CR No"]!).ToString(CultureInfo.InvariantCulture);
            Assert.Equal(caseNumber, allegation.CaseNumber);
            var complaint = records.Complaints.Single(c => c.CaseNumber == caseNumber);

            // Date cells.
            Assert.Equal(DateOnly.FromDateTime((DateTime)row["Received"]!), complaint.ReceivedDate!.Value.Value);
            Assert.Equal(row["Closed"] is DateTime closed ? DateOnly.FromDateTime(closed) : null, complaint.ClosedDate?.Value);

            // combine: the address number and the street, or the street alone.
            var street = (string?)row["Street Name"];
            Assert.Equal(row["St No"] is double number ? $"{number.ToString(CultureInfo.InvariantCulture)} {street}" : street, complaint.Location);

            // pattern: "03C-SEARCH OF PREMISES" -> the code through the vocabulary, the text as the subcategory.
            var category = (string)row["Category"]!;
            Assert.Equal(category[..category.IndexOf('-', StringComparison.Ordinal)], allegation.Category.Raw);
            Assert.Equal(category[(category.IndexOf('-', StringComparison.Ordinal) + 1)..], allegation.Subcategory.Raw);

            // pattern with two groups filling one field: a code, or the days of a suspension.
            switch (row["Rec Discipline"])
            {
                case double days when days < 100:
                    Assert.Equal((DisciplineKind.Suspension, (int?)days), (allegation.RecommendedDiscipline.Value, allegation.RecommendedDisciplineDays));
                    break;
                case double code:
                    Assert.Equal(code.ToString(CultureInfo.InvariantCulture), allegation.RecommendedDiscipline.Raw);
                    Assert.Null(allegation.RecommendedDisciplineDays);
                    break;
                default:
                    Assert.Null(allegation.RecommendedDiscipline.Raw);
                    break;
            }

            // split + take mostSevere: the most severe penalty, and the days of the suspension among them.
            if (row["Penalty"] is string penalty)
            {
                Assert.Equal(penalty, allegation.ImposedDiscipline.Raw);
                var expected = penalty.Split(" / ").Select(Penalty).MaxBy(p => Array.IndexOf(SeverityOrder, p.Kind));
                Assert.Equal(expected.Kind, allegation.ImposedDiscipline.Value);
                Assert.Equal(penalty.Split(" / ").Select(Penalty).Max(p => p.Days), allegation.ImposedDisciplineDays);
            }
            else
            {
                Assert.False(allegation.ImposedDiscipline.HasValue);
            }
        }

        // The sample has each case the test is about.
        var search = records.Allegations.First(a => a.Category.Raw == "03C");
        Assert.Equal((new CodedText("SearchSeizure", "03C"), "SEARCH OF PREMISES"), (search.Category, search.Subcategory.Raw));
        Assert.Contains(records.Allegations, a => a.RecommendedDiscipline == new Coded<DisciplineKind>(DisciplineKind.None, "600"));
        Assert.Contains(records.Allegations, a => a.RecommendedDiscipline.Value == DisciplineKind.Suspension && a.RecommendedDisciplineDays == 10);
        Assert.Contains(records.Allegations, a => a.ImposedDiscipline.Raw is { } p && p.Contains(" / ", StringComparison.Ordinal) && !p.StartsWith("Suspension", StringComparison.Ordinal) && a.ImposedDiscipline.Value == DisciplineKind.Suspension);
        Assert.Contains(records.Complaints, c => c.Location is { } l && char.IsAsciiDigit(l[0]));
        Assert.Contains(records.Complaints, c => c.Location is { } l && !char.IsAsciiDigit(l[0]));

        // fractions: truncate; an age under 18 makes the complaint Juvenile.
        var ages = data.Where(r => r["Complainant Age"] is double).GroupBy(r => ((double)r["CR No"]!).ToString(CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => (double)g.First()["Complainant Age"]!);
        Assert.Contains(ages.Values, a => a != Math.Floor(a));
        Assert.All(records.Complainants.Where(c => c.Age is not null), c => Assert.Equal((int)Math.Floor(ages[c.CaseNumber]), c.Age));
        var juvenile = ages.Where(a => a.Value < 18).Select(a => a.Key).ToHashSet();
        Assert.NotEmpty(juvenile);
        Assert.Equal(juvenile.Order(StringComparer.Ordinal), records.Complaints.Where(c => (c.Sensitivity & Sensitivity.Juvenile) != 0).Select(c => c.CaseNumber).Order(StringComparer.Ordinal));

        // Discipline is final once the complaint is closed.
        Assert.All(records.Allegations.Where(a => a.ImposedDiscipline.HasValue),
            a => Assert.Equal(records.Complaints.Single(c => c.CaseNumber == a.CaseNumber).Status.Value == ComplaintStatus.Closed, a.DisciplineFinal));
    }

    [Fact]
    public void Workbook_as_xls_and_as_xlsx_give_the_same_records()
    {
        var (xlsxReport, xlsx) = Import("workbook.json", Path.Combine(Exports, "workbook"));
        var (xlsReport, xls) = Import("workbook.json", Path.Combine(Exports, "workbook-xls"));
        Assert.Equal(SyntheticExports.WorkbookFile, xlsxReport.Files[0].Path);
        Assert.Equal(SyntheticExports.WorkbookXlsFile, xlsReport.Files[0].Path);

        static Provenance Same(Provenance p) => p with { File = "conduct_export" };
        Assert.Equal(xlsx.Complaints.Select(c => c with { Provenance = Same(c.Provenance), SensitivityRaw = [] }), xls.Complaints.Select(c => c with { Provenance = Same(c.Provenance), SensitivityRaw = [] }));
        Assert.Equal(xlsx.Complaints.Select(c => string.Join(';', c.SensitivityRaw)), xls.Complaints.Select(c => string.Join(';', c.SensitivityRaw)));
        Assert.Equal(xlsx.Allegations.Select(a => a with { Provenance = Same(a.Provenance) }), xls.Allegations.Select(a => a with { Provenance = Same(a.Provenance) }));
        Assert.Equal(xlsx.Complainants.Select(c => c with { Provenance = Same(c.Provenance) }), xls.Complainants.Select(c => c with { Provenance = Same(c.Provenance) }));
        Assert.Equal(xlsx.Officers.Select(o => (o.Key, o.DisplayName, o.BirthYear, o.HireDate, string.Join(';', o.Badges))), xls.Officers.Select(o => (o.Key, o.DisplayName, o.BirthYear, o.HireDate, string.Join(';', o.Badges))));
    }

    // ---------------------------------------------------------------- larger exports: every value the generator writes is mapped

    [Theory]
    [InlineData("opa-json")]
    [InlineData("events-jsonl")]
    [InlineData("workbook")]
    [InlineData("workbook-xls")]
    public void A_larger_export_of_each_format_maps_every_value_the_generator_writes(string sample)
    {
        using var folder = new TempFolder();
        var options = new SyntheticExportOptions { Seed = 5, Allegations = 5000 };
        var result = sample switch
        {
            "opa-json" => SyntheticExports.WriteOpaJson(folder.Path, options),
            "events-jsonl" => SyntheticExports.WriteEventsJsonl(folder.Path, options),
            "workbook" => SyntheticExports.WriteWorkbook(folder.Path, options),
            _ => SyntheticExports.WriteWorkbook(folder.Path, options, xls: true),
        };
        var (report, records) = Import(sample.StartsWith("workbook", StringComparison.Ordinal) ? "workbook.json" : sample + ".json", folder.Path);

        Assert.Empty(report.Unmapped);
        Assert.True(report.Files[0].Reconciles);
        Assert.Equal(result.Files[0].Rows, report.Files[0].RowsRead);
        Assert.Equal(result.Files[0].DuplicateRows, report.Files[0].DuplicateRows);
        Assert.Equal(result.Complaints, records.Complaints.Count);
        Assert.Equal(result.Allegations, records.Allegations.Count);
        Assert.Equal(sample.StartsWith("workbook", StringComparison.Ordinal) ? 0 : 1, report.Files[0].RowsRejected); // the junk key; the cut line
    }

    private static IEnumerable<KeyValuePair<string, JsonNode?>> Officers(JsonNode complaint) =>
        complaint["officers"] is JsonObject officers ? officers : [];

    private static string CaseOf(List<KeyValuePair<string, JsonNode?>> cases, JsonNode officer) =>
        cases.Single(c => Officers(c.Value!).Any(o => ReferenceEquals(o.Value, officer))).Key;

    private static JsonNode? TryParse(string line)
    {
        try
        {
            return JsonNode.Parse(line);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Discipline from least to most severe, as docs/profiles.md orders it for mostSevere.</summary>
    private static readonly DisciplineKind[] SeverityOrder =
    [
        DisciplineKind.None, DisciplineKind.Other, DisciplineKind.Coaching, DisciplineKind.Training, DisciplineKind.OralReprimand,
        DisciplineKind.WrittenReprimand, DisciplineKind.Suspension, DisciplineKind.Demotion, DisciplineKind.ResignedBeforeFinal,
        DisciplineKind.Termination,
    ];

    /// <summary>One penalty of the register's cell, read here with the register's words.</summary>
    private static (DisciplineKind Kind, int? Days) Penalty(string text)
    {
        var words = text.Split(' ');
        return words[0] switch
        {
            "Suspension" => (DisciplineKind.Suspension, int.Parse(words[1], CultureInfo.InvariantCulture)),
            "Written" => (DisciplineKind.WrittenReprimand, null),
            "Oral" => (DisciplineKind.OralReprimand, null),
            "Training" => (DisciplineKind.Training, null),
            "Coaching" => (DisciplineKind.Coaching, null),
            "No" => (DisciplineKind.None, null),
            "Demotion" => (DisciplineKind.Demotion, null),
            "Termination" => (DisciplineKind.Termination, null),
            "Resigned" => (DisciplineKind.ResignedBeforeFinal, null),
            _ => throw new InvalidOperationException($"unexpected penalty '{text}'"),
        };
    }

    /// <summary>The register sheet as ExcelDataReader reads it: the rows under the header, by header name.</summary>
    private static (List<string> Header, List<RegisterRow> Rows) ReadRegister(string path)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        using var stream = File.OpenRead(path);
        using var reader = ExcelReaderFactory.CreateReader(stream);
        while (reader.Name != SyntheticExports.WorkbookSheet)
        {
            Assert.True(reader.NextResult(), $"no sheet '{SyntheticExports.WorkbookSheet}'");
        }

        var header = new List<string>();
        var rows = new List<RegisterRow>();
        for (var r = 1; reader.Read(); r++)
        {
            var values = Enumerable.Range(0, reader.FieldCount).Select(reader.GetValue).ToArray();
            if (r == SyntheticExports.WorkbookHeaderRow)
            {
                header = [.. values.Select(v => (string)v)];
            }
            else if (r > SyntheticExports.WorkbookHeaderRow)
            {
                rows.Add(new RegisterRow(header, values));
            }
        }

        return (header, rows);
    }

    private sealed record RegisterRow(List<string> Header, object?[] Values)
    {
        public object? this[string column] => Values[Header.IndexOf(column)];
    }

    private sealed class RowComparer : IEqualityComparer<RegisterRow>
    {
        public bool Equals(RegisterRow? x, RegisterRow? y) => x!.Values.SequenceEqual(y!.Values);

        public int GetHashCode(RegisterRow obj) => obj.Values.Aggregate(0, (h, v) => HashCode.Combine(h, v));
    }
}
