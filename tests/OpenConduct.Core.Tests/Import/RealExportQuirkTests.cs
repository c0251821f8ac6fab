using System.IO.Compression;
using System.Text;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Model;
using static OpenConduct.Core.Tests.Import.ImportTestKit;

namespace OpenConduct.Core.Tests.Import;

/// <summary>
/// Every quirk found in real public exports (issue 13), as a freshly written synthetic fixture: nothing from the real
/// files (no names, no values) is here. Each test imports a small export and checks that nothing is lost or leaked and
/// that every row read is accounted for.
/// </summary>
public sealed class RealExportQuirkTests : IDisposable
{
    private readonly TempExport export = new();

    public void Dispose() => export.Dispose();

    private static void AssertReconciles(ImportReport report)
    {
        Assert.True(report.Succeeded, Errors(report));
        Assert.All(report.Files, f => Assert.True(f.Reconciles, $"{f.Path}: {f.RowsRead} read, {f.RowsImported} imported, {f.RowsMerged} merged, {f.DuplicateRows} duplicates, {f.RowsRejected} rejected"));
    }

    // ---------------------------------------------------------------- JSON: one object keyed by case number

    private const string CaseSummariesJson = """
        {
          "2019OPA-0001": { "case_id": "2019OPA-0001", "issued_date": "2019-05-02", "codes": ["5.001", "8.200"],
            "officers": {
              "7001": { "badge_num": "7001", "first_name": "Ada", "last_name": "Quill", "title": "Officer",
                        "allegations": [ { "allegation": "Force - Use", "finding": "Sustained" },
                                         { "allegation": "Force - Use", "finding": "Sustained" } ] },
              "7002": { "badge_num": "7002", "first_name": "Bo", "last_name": "Reyes", "title": "Sergeant",
                        "allegations": [ { "allegation": "Professionalism", "finding": { "text": "Not Sustained" } } ] } } },
          "2019OPA-0002": { "case_id": "2019OPA-0002", "issued_date": "2019-06-10", "codes": ["6.220"] },
          "2019OPA-0003": { "case_id": "2019OPA-0003", "issued_date": "2019-07-01", "codes": [],
            "officers": { "7003": { "badge_num": "7003", "first_name": "Cy", "last_name": "Stone", "allegations": [] } } },
          "parse_failed": ["https://example.org/a.pdf", "https://example.org/b.pdf"]
        }
        """;

    private const string CaseSummariesProfile = """
        {
          "name": "summaries", "source": "OPA", "shape": "denormalized",
          "files": [ { "name": "cases", "path": "cases.json", "holds": ["complaint", "allegation", "officer"],
            "format": { "records": "$.*.officers.*.allegations[*]" },
            "columns": {
              "$.*~": "complaint.caseNumber",
              "$.*.issued_date": "complaint.closedDate",
              "$.*.codes": { "field": "complaint.sensitivity", "vocabulary": "codes" },
              "$.*.officers.*.badge_num": "officer.badge",
              "$.*.officers.*.first_name": "officer.firstName",
              "$.*.officers.*.last_name": "officer.lastName",
              "$.*.officers.*.title": "officer.rank",
              "$.*.officers.*~": { "field": "allegation.id", "combine": ["$.*.officers.*.allegations[*]~"], "separator": "-" },
              "allegation": { "field": "allegation.category", "vocabulary": "category" },
              "finding": { "field": "allegation.finalFinding", "vocabulary": "finding" }
            } } ],
          "vocabularies": {
            "codes": { "values": { "8.200": "DomesticViolence" }, "fallback": null },
            "category": { "values": { "Force - Use": "UseOfForce", "Professionalism": "Courtesy" } },
            "finding": { "values": { "Sustained": "Sustained", "Not Sustained": "NotSustained" } }
          }
        }
        """;

    [Fact]
    public void Json_keyed_by_case_number_imports_nested_officers_and_allegations_and_rejects_only_the_junk_key()
    {
        export.Text("cases.json", CaseSummariesJson);
        var profile = CaseSummariesProfile.Replace("\"fallback\": null", "\"fallback\": \"Juvenile\"", StringComparison.Ordinal)
            .Replace("\"8.200\": \"DomesticViolence\"", "\"8.200\": \"DomesticViolence\", \"5.001\": null, \"6.220\": null", StringComparison.Ordinal);

        var (report, records) = ImportExport(profile, export);

        AssertReconciles(report);
        var file = Assert.Single(report.Files);
        Assert.Equal("json", file.Format);
        // 2 allegations of 7001, 1 of 7002 (rejected: its finding is an object), case 2 (no officers), 7003 (no
        // allegations), the junk key.
        Assert.Equal((6L, 4L, 2L, 0L), (file.RowsRead, file.RowsImported, file.RowsRejected, file.DuplicateRows));
        Assert.Equal(["2019OPA-0001", "2019OPA-0002", "2019OPA-0003"], records.Complaints.Select(c => c.CaseNumber));
        Assert.All(records.Complaints, c => Assert.Equal(ComplaintStatus.Closed, c.Status.Value));

        // The same allegation title twice under one officer is two allegations: their array positions differ.
        Assert.Equal(["7001-0", "7001-1"], records.Allegations.Select(a => a.AllegationId).Order());
        Assert.Equal(new CodedText("UseOfForce", "Force - Use"), records.Allegations[0].Category);
        Assert.Contains(records.Officers, o => o.LastName == "Stone"); // an officer without allegations is still known

        // A list of codes feeds a multi-value field; a null vocabulary target is "no value".
        Assert.Equal(Sensitivity.DomesticViolence, records.Complaints[0].Sensitivity);
        Assert.Equal(Sensitivity.None, records.Complaints[1].Sensitivity);

        // Values of the wrong shape are reported with their path, never fatal for the rest.
        Assert.Contains(report.RowErrors, e => e.Path == "$['2019OPA-0001'].officers['7002'].allegations[0].finding" && e.ColumnName == "finding"
                                               && e.Reason.Contains("is an object, where column 'finding' needs a value", StringComparison.Ordinal));
        Assert.Contains(report.RowErrors, e => e is { Path: "$.parse_failed", Line: 12 } && e.Reason.Contains("is an array", StringComparison.Ordinal));
        Assert.Equal("cases.json:12: $.parse_failed is an array, where the records path '$.*.officers.*.allegations[*]' needs an object",
            report.RowErrors.Single(e => e.Path == "$.parse_failed").ToString());
    }

    [Fact]
    public void Json_column_paths_outside_the_records_or_with_extra_wildcards_are_refused_with_a_reason()
    {
        export.Text("cases.json", CaseSummariesJson);

        var (outside, _) = ImportExport(CaseSummariesProfile.Replace("\"$.*.issued_date\"", "\"$.issued_date\"", StringComparison.Ordinal), export);
        var (wildcard, _) = ImportExport(CaseSummariesProfile.Replace("\"$.*.issued_date\"", "\"$.*.officers.*.allegations[*].notes[*]\"", StringComparison.Ordinal), export);

        Assert.Contains("lies outside the records", Assert.Single(outside.Failures), StringComparison.Ordinal);
        Assert.Contains("has a wildcard that the records path", Assert.Single(wildcard.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_file_that_does_not_parse_fails_the_import_with_its_line()
    {
        export.Text("cases.json", "{\n \"A-1\": { \"case_id\": \"A-1\" },\n \"A-2\": { \"case_id\": \n}\n");

        var (report, records) = ImportExport(CaseSummariesProfile, export);

        Assert.False(report.Succeeded);
        Assert.Matches(@"^cases\.json:4: not valid JSON", Assert.Single(report.Failures));
        Assert.Empty(records.Complaints);
    }

    [Fact]
    public void A_json_file_read_without_format_type_is_recognised_by_its_extension_and_a_csv_profile_on_json_says_so()
    {
        export.Text("cases.csv", "[{\"case\": \"A-1\"}]\n");
        var (report, _) = ImportExport("""
            { "name": "t", "source": "T", "shape": "denormalized",
              "files": [ { "name": "c", "path": "cases.csv", "holds": ["complaint"], "columns": { "case": "complaint.caseNumber", "received": "complaint.receivedDate" } } ] }
            """, export);

        Assert.Contains("set format.type to \"json\"", Assert.Single(report.Failures), StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- JSON arrays, JSON Lines, gzip

    [Fact]
    public void Json_lines_read_nested_records_partial_dates_lists_and_a_bad_line_is_one_rejected_row()
    {
        export.Text("complaints.jsonl", """
            {"id": "E-1", "received": "2021-03", "dv": "Y", "allegations": [{"type": "Use of Force", "finding": "Sustained", "officer": {"id": 11}}, {"type": "Rudeness", "finding": "Exonerated", "officer": null}]}

            {"id": "E-2", "received": "2021", "dv": "N", "allegations": [{"type": "Search", "finding": null, "officer": {"id": 12}}]}
            {"id": "E-3", "received": "2021-04", "dv": "N", "allegations": [
            {"id": "E-4", "received": "2021-05-06", "dv": "N", "allegations": []}
            """);
        const string Profile = """
            {
              "name": "events", "source": "EV", "shape": "denormalized",
              "files": [ { "name": "events", "path": "complaints.jsonl", "holds": ["complaint", "allegation", "officer"],
                "format": { "records": "$.allegations[*]", "dateFormats": ["yyyy-MM-dd", "yyyy-MM", "yyyy"] },
                "columns": {
                  "$.id": "complaint.caseNumber", "$.received": "complaint.receivedDate",
                  "$.dv": { "field": "complaint.sensitivity", "vocabulary": "dv" },
                  "type": "allegation.category", "finding": "allegation.finalFinding", "officer.id": "officer.employeeId"
                } } ],
              "vocabularies": { "dv": { "values": { "Y": "DomesticViolence", "N": null } } }
            }
            """;

        var (report, records) = ImportExport(Profile, export);

        AssertReconciles(report);
        var file = Assert.Single(report.Files);
        Assert.Equal(("jsonl", 5L, 4L, 1L), (file.Format, file.RowsRead, file.RowsImported, file.RowsRejected));
        Assert.Contains(report.RowErrors, e => e.Line == 4 && e.Reason.StartsWith("the line is not valid JSON", StringComparison.Ordinal));

        var e1 = records.Complaints.Single(c => c.CaseNumber == "E-1");
        Assert.Equal(new PartialDate(new DateOnly(2021, 3, 1), DatePrecision.Month), e1.ReceivedDate);
        Assert.Equal("2021-03", e1.ReceivedDate.ToString());
        Assert.Equal("2021", records.Complaints.Single(c => c.CaseNumber == "E-2").ReceivedDate.ToString());
        Assert.Equal(Sensitivity.DomesticViolence, e1.Sensitivity);
        Assert.Equal(Sensitivity.None, records.Complaints.Single(c => c.CaseNumber == "E-2").Sensitivity);

        // Status by the default rules: every allegation of E-1 has a final finding (closed), E-2's has none (open).
        Assert.Equal(ComplaintStatus.Closed, e1.Status.Value);
        Assert.Equal(ComplaintStatus.Open, records.Complaints.Single(c => c.CaseNumber == "E-2").Status.Value);
        Assert.Equal(1, report.StatusRules["findings"]);

        // An allegation whose officer is null is kept against an unidentified officer of its complaint.
        var unidentified = Assert.Single(records.Allegations, a => a.OfficerUnidentified);
        Assert.Equal(("E-1", "Courtesy"), (unidentified.CaseNumber, unidentified.Category.Value));
        Assert.Equal(ComplaintStatus.Open, records.Complaints.Single(c => c.CaseNumber == "E-4").Status.Value); // no allegation: a complaint alone
    }

    [Fact]
    public void A_gzipped_csv_is_read_as_it_is_decompressed()
    {
        using (var gz = new GZipStream(File.Create(Path.Combine(export.Directory, "cases.csv.gz")), CompressionLevel.Fastest))
        {
            gz.Write(Encoding.UTF8.GetBytes("case,received\r\nG-1,2020-01-02\r\nG-2,2020-01-03\r\n"));
        }

        var (report, records) = ImportExport("""
            { "name": "t", "source": "T", "shape": "denormalized",
              "files": [ { "name": "c", "path": "cases.csv.gz", "holds": ["complaint"], "columns": { "case": "complaint.caseNumber", "received": "complaint.receivedDate" } } ] }
            """, export);

        AssertReconciles(report);
        Assert.Equal(["G-1", "G-2"], records.Complaints.Select(c => c.CaseNumber));
    }

    // ---------------------------------------------------------------- computed columns

    private const string AccusedProfile = """
        {
          "name": "accused", "source": "CR", "shape": "denormalized",
          "defaults": { "dateFormats": ["yyyy-MM-dd"] },
          "rules": { "status": ["closedDate"], "disciplineFinal": ["closedCase"] },
          "files": [ { "name": "accused", "path": "accused.csv", "holds": ["complaint", "allegation", "officer", "complainant"],
            "columns": {
              "cr_id": "complaint.caseNumber",
              "closed": "complaint.closedDate",
              "address_number": { "field": "complaint.location", "combine": ["street"], "separator": " " },
              "name": { "field": "officer.fullName", "nameOrder": "last-first" },
              "birth": "officer.birthYear",
              "appointed": "officer.hireDate",
              "star": "officer.badge",
              "category": { "pattern": "^(?<code>[0-9]{2}[A-Z]?)-(?<text>.+)$",
                            "groups": { "code": { "field": "allegation.category", "vocabulary": "category" }, "text": "allegation.subcategory" } },
              "discipline": { "pattern": "^(?:(?<code>0|[1-9]00)|(?<days>[0-9]+))(?:\\.0+)?$",
                              "groups": { "code": { "field": "allegation.imposedDiscipline", "vocabulary": "discipline" },
                                          "days": ["allegation.imposedDisciplineDays", { "field": "allegation.imposedDiscipline", "value": "Suspension" }] } },
              "age": { "field": "complainant.age", "fractions": "truncate" }
            } } ],
          "vocabularies": {
            "category": { "extract": "^(?<key>[0-9]{2})", "values": { "05K": "DomesticViolence", "03": "SearchSeizure", "05": "UseOfForce" } },
            "discipline": { "values": { "100": "WrittenReprimand", "600": "None" } }
          }
        }
        """;

    [Fact]
    public void Combined_columns_pattern_groups_alternative_groups_values_and_fractions_fill_several_fields()
    {
        export.Text("accused.csv", """
            cr_id,closed,address_number,street,name,birth,appointed,star,category,discipline,age
            1001,2011-01-05,3400,N BROAD ST,"QUILL, ADA",1970.0,1995-06-01,4410.0,03C-SEARCH OF PREMISE/VEHICLE WITHOUT WARRANT,10.0,48.767
            1001,2011-01-05,3400,N BROAD ST,"QUILL, ADA",1970.0,1995-06-01,4410.0,05A-ARRESTEE - DURING ARREST,600.0,48.767
            1002,,,,"QUILL, ADA",1970.0,1995-06-01,,05K-DOMESTIC ALTERCATION/INCIDENT - OFF DUTY,100,
            1003,2012-02-02,12,,"REYES, BO",1980.0,2001-01-01,,9-NOT A CODE,600,19.5
            """);

        var (report, records) = ImportExport(AccusedProfile, export);

        AssertReconciles(report);
        Assert.Equal((4L, 3L, 1L), (report.Files[0].RowsRead, report.Files[0].RowsImported, report.Files[0].RowsRejected));
        var suspension = records.Allegations.Single(a => a.Subcategory.Value == "SEARCH OF PREMISE/VEHICLE WITHOUT WARRANT");
        Assert.Equal(new CodedText("SearchSeizure", "03C"), suspension.Category);
        Assert.Equal((DisciplineKind.Suspension, 10), (suspension.ImposedDiscipline.Value, suspension.ImposedDisciplineDays));
        Assert.Equal("10", suspension.ImposedDiscipline.Raw); // the raw value is what the group captured
        var none = records.Allegations.Single(a => a.Category.Value == "UseOfForce");
        Assert.Equal((DisciplineKind.None, (int?)null), (none.ImposedDiscipline.Value, none.ImposedDisciplineDays));
        Assert.Equal("DomesticViolence", records.Allegations.Single(a => a.CaseNumber == "1002").Category.Value);

        Assert.Equal("3400 N BROAD ST", records.Complaints.Single(c => c.CaseNumber == "1001").Location);
        Assert.Null(records.Complaints.Single(c => c.CaseNumber == "1002").Location);
        Assert.Equal(48, Assert.Single(records.Complainants).Age);
        var officer = Assert.Single(records.Officers);
        Assert.Equal((1970, "4410"), (officer.BirthYear, officer.Badges.Single().Number));

        // A value its column's pattern does not match rejects its row and is listed, like an unmapped code.
        Assert.Contains(report.RowErrors, e => e is { Line: 5, ColumnName: "category (code)" } && e.Reason == "the value does not match the column's pattern");
        Assert.Contains(report.Unmapped, u => u.Value == "9-NOT A CODE" && u.Vocabulary == "(pattern)");

        // Finality by rule: the imposed discipline of a closed case is final; of an open case not.
        Assert.True(records.Allegations.Single(a => a.CaseNumber == "1001" && a.ImposedDisciplineDays == 10).DisciplineFinal);
        Assert.False(records.Allegations.Single(a => a.CaseNumber == "1002").DisciplineFinal);
    }

    [Fact]
    public void A_fraction_in_a_whole_number_field_rejects_its_row_unless_the_profile_rounds_or_truncates()
    {
        export.Text("accused.csv", """
            cr_id,closed,address_number,street,name,birth,appointed,star,category,discipline,age
            1001,2011-01-05,1,A ST,"QUILL, ADA",1970,1995-06-01,1,03C-X,600,48.5
            """);

        var (rejected, _) = ImportExport(AccusedProfile.Replace("""{ "field": "complainant.age", "fractions": "truncate" }""", "\"complainant.age\"", StringComparison.Ordinal), export);
        var (rounded, records) = ImportExport(AccusedProfile.Replace("truncate", "round", StringComparison.Ordinal), export);

        Assert.Contains(rejected.RowErrors, e => e.ColumnName == "age" && e.Reason.Contains("\"fractions\"", StringComparison.Ordinal));
        Assert.Equal(49, Assert.Single(records.Complainants).Age);
        AssertReconciles(rounded);
    }

    [Fact]
    public void A_split_cell_gives_a_one_value_field_the_first_last_or_most_severe_value_and_each_makes_one_allegation_per_value()
    {
        export.Text("penalties.csv", """
            case,officer,categories,penalty,days
            P-1,501,Force|Language,Written reprimand / Suspension / Oral reprimand,2 / 10 / 5
            P-2,502,Search,None,
            """);
        const string Profile = """
            {
              "name": "penalties", "source": "P", "shape": "denormalized",
              "files": [ { "name": "p", "path": "penalties.csv", "holds": ["complaint", "allegation", "officer"],
                "columns": {
                  "case": "complaint.caseNumber", "officer": "officer.employeeId",
                  "categories": { "field": "allegation.category", "split": "|", "take": "each" },
                  "penalty": { "field": "allegation.imposedDiscipline", "vocabulary": "penalty", "split": " / ", "take": "mostSevere" },
                  "days": { "field": "allegation.imposedDisciplineDays", "split": " / ", "take": "last" }
                } } ],
              "vocabularies": { "penalty": { "values": { "Written reprimand": "WrittenReprimand", "Suspension": "Suspension", "Oral reprimand": "OralReprimand", "None": "None" } } }
            }
            """;

        var (report, records) = ImportExport(Profile, export);

        AssertReconciles(report);
        Assert.Equal(3, records.Allegations.Count);
        var p1 = records.Allegations.Where(a => a.CaseNumber == "P-1").ToList();
        Assert.Equal(["UseOfForce", "Language"], p1.Select(a => a.Category.Value));
        Assert.All(p1, a => Assert.Equal(DisciplineKind.Suspension, a.ImposedDiscipline.Value));
        Assert.All(p1, a => Assert.Equal("Written reprimand / Suspension / Oral reprimand", a.ImposedDiscipline.Raw)); // the rest kept raw
        Assert.All(p1, a => Assert.Equal(5, a.ImposedDisciplineDays));
        Assert.Equal(["Force", "Language"], p1.Select(a => a.Category.Raw));
    }

    // ---------------------------------------------------------------- rows of one complaint, duplicates, people

    [Fact]
    public void Rows_of_one_complaint_that_disagree_are_reported_by_field_and_resolved_by_the_profile_rule()
    {
        export.Text("iapro.csv", """
            case,received,closed,precinct,officer,allegation,finding
            D-1,2020-01-01,,3,501,Force,Sustained
            D-1,2020-01-01,2020-06-30,3,502,Force,Sustained
            D-1,2020-01-01,2020-07-01,4,503,Force,Sustained
            D-2,2020-02-01,2020-03-01,5,501,Force,Exonerated
            D-2,2020-02-01,2020-03-01,5,501,Force,Exonerated
            D-2,2020-02-01,2020-03-01,5,501,Force,Exonerated
            D-2,2020-02-01,2020-03-01,5,501,Force,Exonerated
            """);
        string Profile(string rule) => $$"""
            {
              "name": "rows", "source": "R", "shape": "denormalized", "rules": { "complaintRows": "{{rule}}" },
              "files": [ { "name": "f", "path": "iapro.csv", "holds": ["complaint", "allegation", "officer"],
                "columns": { "case": "complaint.caseNumber", "received": "complaint.receivedDate", "closed": "complaint.closedDate",
                             "precinct": "complaint.precinct", "officer": "officer.employeeId", "allegation": "allegation.category", "finding": "allegation.finalFinding" } } ]
            }
            """;

        var (report, records) = ImportExport(Profile("firstNonEmpty"), export);
        var (_, last) = ImportExport(Profile("last"), export);
        var (_, first) = ImportExport(Profile("first"), export);

        AssertReconciles(report);
        Assert.Equal(3, report.Files[0].DuplicateRows); // D-2 repeated exactly
        var d1 = records.Complaints.Single(c => c.CaseNumber == "D-1");
        Assert.Equal((new DateOnly(2020, 6, 30), ComplaintStatus.Closed, "3"), (d1.ClosedDate!.Value.Value, d1.Status.Value!.Value, d1.Precinct));
        Assert.Equal(1, report.ComplaintsWithDisagreeingRows);
        Assert.Equal((1L, 1L), report.ComplaintFields["complaint.closedDate"]); // filled by line 3, another value on line 4
        Assert.Equal((0L, 1L), report.ComplaintFields["complaint.precinct"]);

        var d1Last = last.Complaints.Single(c => c.CaseNumber == "D-1");
        Assert.Equal((new DateOnly(2020, 7, 1), "4"), (d1Last.ClosedDate!.Value.Value, d1Last.Precinct));
        // "first" keeps the first row as it is (no closed date); the case is still closed: every finding is final.
        var d1First = first.Complaints.Single(c => c.CaseNumber == "D-1");
        Assert.Equal((null, ComplaintStatus.Closed), (d1First.ClosedDate, d1First.Status.Value!.Value));
    }

    [Fact]
    public void Duplicates_compare_mapped_columns_only_and_complainants_without_an_id_are_people()
    {
        export
            .Text("complaints.csv", """
                case,received,row_id
                C-1,2020-01-01,1
                C-1,2020-01-01,2
                C-2,2020-01-02,3
                """)
            .Text("complainants.csv", """
                case,sex,age
                C-1,F,30
                C-1,F,30
                C-2,M,
                """);
        var (report, records) = ImportExport("""
            {
              "name": "people", "source": "X", "shape": "joined",
              "files": [
                { "name": "complaints", "path": "complaints.csv", "holds": ["complaint"], "columns": { "case": "complaint.caseNumber", "received": "complaint.receivedDate" } },
                { "name": "complainants", "path": "complainants.csv", "holds": ["complainant"], "columns": { "case": "complaint.caseNumber", "sex": "complainant.sex", "age": "complainant.age" } } ],
              "joins": [ { "file": "complainants", "entity": "complaint", "on": ["complaint.caseNumber"] } ],
              "vocabularies": {}
            }
            """.Replace("\"sex\": \"complainant.sex\"", "\"sex\": { \"field\": \"complainant.sex\", \"vocabulary\": \"sex\" }", StringComparison.Ordinal)
               .Replace("\"vocabularies\": {}", "\"vocabularies\": { \"sex\": { \"values\": { \"F\": \"Female\", \"M\": \"Male\" } } }", StringComparison.Ordinal), export);

        AssertReconciles(report);
        // The second C-1 row differs only in an unmapped column: a duplicate, not a second complaint nor a conflict.
        Assert.Equal(1, report.Files.Single(f => f.Name == "complaints").DuplicateRows);
        Assert.Equal(0, report.ComplaintsWithDisagreeingRows);
        // Two complainants alike on one case are two people.
        Assert.Equal(3, records.Complainants.Count);
        Assert.Equal(0, report.Files.Single(f => f.Name == "complainants").DuplicateRows);
    }

    // ---------------------------------------------------------------- officers

    [Fact]
    public void An_officer_whose_badge_changes_stays_one_officer_when_name_birth_year_and_appointment_agree()
    {
        export.Text("accused.csv", """
            case,name,birth,appointed,star,category
            A-1,"QUILL, ADA",1970,1995-06-01,4410,Force
            A-2,"QUILL, ADA",1970,1995-06-01,5120,Force
            A-3,"QUILL, ADA",1970,1995-06-01,,Force
            A-4,"QUILL, ADA",1982,2004-02-02,4410,Force
            A-5,"REYES, BO",,,,Force
            """);
        const string Profile = """
            {
              "name": "stars", "source": "S", "shape": "denormalized",
              "files": [ { "name": "f", "path": "accused.csv", "holds": ["complaint", "allegation", "officer"],
                "columns": { "case": "complaint.caseNumber", "name": { "field": "officer.fullName", "nameOrder": "last-first" },
                             "birth": "officer.birthYear", "appointed": "officer.hireDate", "star": "officer.badge", "category": "allegation.category" } } ]
            }
            """;

        var (report, records) = ImportExport(Profile, export);

        AssertReconciles(report);
        Assert.Equal(3, records.Officers.Count);
        var quill = records.Officers.Single(o => o.BirthYear == 1970);
        Assert.Equal(["4410", "5120"], quill.Badges.Select(b => b.Number).Order());
        Assert.Equal(3, records.Allegations.Count(a => a.OfficerKey == quill.Key)); // every allegation names the merged officer's final key
        // The badge 4410 is shared with another person born in 1982: kept apart, and the split is reported.
        Assert.Contains(report.OfficerDecisions, d => d.Kind == "split" && d.Evidence.Contains("birth years differ", StringComparison.Ordinal));
        Assert.Contains(report.OfficerDecisions, d => d.Kind == "merge" && d.Evidence.Contains("badges differ", StringComparison.Ordinal));
        Assert.DoesNotContain(report.OfficerDecisions, d => d.Evidence.Contains("QUILL", StringComparison.OrdinalIgnoreCase)); // evidence never names
    }

    [Fact]
    public void The_profile_orders_the_officer_keys()
    {
        export.Text("accused.csv", """
            case,emp,name,star,category
            K-1,900,"QUILL, ADA",5120,Force
            K-2,900,"QUILL, ADA",4410,Force
            K-3,901,"REYES, BO",7000,Force
            K-4,902,"REYES, BO",7000,Force
            """);
        string Profile(string keys) => $$"""
            {
              "name": "keys", "source": "K", "shape": "denormalized", "officerKeys": {{keys}},
              "files": [ { "name": "f", "path": "accused.csv", "holds": ["complaint", "allegation", "officer"],
                "columns": { "case": "complaint.caseNumber", "emp": "officer.employeeId", "name": { "field": "officer.fullName", "nameOrder": "last-first" },
                             "star": "officer.badge", "category": "allegation.category" } } ]
            }
            """;

        var (idFirst, byId) = ImportExport(Profile("""["employeeId", "badge+name"]"""), export);
        var (_, byBadge) = ImportExport(Profile("""["badge+name", "employeeId"]"""), export);

        // One employee id with two badges is one officer; one badge and name with two employee ids is two people.
        Assert.Equal(["id:900", "id:901", "id:902"], byId.Officers.Select(o => o.Key).Order());
        Assert.Contains(idFirst.OfficerDecisions, d => d.Kind == "split" && d.Evidence.Contains("employee ids differ", StringComparison.Ordinal));
        // The first key kind of the profile names the officer: the smallest of its badges, whatever the rows' order.
        Assert.Contains(byBadge.Officers, o => o.Key == "badge:4410|QUILL|ADA" && o.EmployeeId == "900");
        Assert.Equal(4, byBadge.Allegations.Count);
        Assert.Equal(2, byBadge.Allegations.Count(a => a.OfficerKey == "badge:4410|QUILL|ADA"));
        Assert.Throws<ProfileException>(() => MappingProfileLoader.Parse(Profile("""["badge+rank"]""")));
    }

    [Fact]
    public void Allegations_without_an_identifiable_officer_are_kept_counted_and_in_no_officer_history()
    {
        export.Text("rows.csv", """
            case,emp,rank,category,finding
            U-1,501,Officer,Force,Sustained
            U-1,,,Language,Sustained
            U-2,,Sergeant,Force,Exonerated
            """);
        var (report, records) = ImportExport("""
            {
              "name": "u", "source": "U", "shape": "denormalized",
              "files": [ { "name": "f", "path": "rows.csv", "holds": ["complaint", "allegation", "officer"],
                "columns": { "case": "complaint.caseNumber", "emp": "officer.employeeId", "rank": "officer.rank",
                             "category": "allegation.category", "finding": "allegation.finalFinding" } } ]
            }
            """, export);

        AssertReconciles(report);
        Assert.Equal(3, records.Allegations.Count);
        Assert.Equal(2, report.Files[0].UnidentifiedOfficer);
        Assert.Equal(["unidentified:U-1", "unidentified:U-2"], records.Allegations.Where(a => a.OfficerUnidentified).Select(a => a.OfficerKey));
        Assert.Single(records.Officers);

        var redactor = new Redactor(DisclosurePolicyLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "samples", "policies", "minnesota.json")),
            _ => new string('k', 48));
        var release = RedactionPipeline.Redact(records, redactor);
        var published = release.Cases.SelectMany(c => c.Allegations).Where(a => a.OfficerUnidentified).ToList();
        Assert.Equal(2, published.Count);
        Assert.All(published, a => Assert.Equal("", a.OfficerRef));
    }

    // ---------------------------------------------------------------- categories and victim safety

    [Fact]
    public void Categories_map_to_the_closed_set_by_name_alias_or_vocabulary_and_anything_else_is_other_with_its_raw_text()
    {
        export.Text("rows.csv", """
            case,emp,category
            V-1,1,Use of force
            V-1,1,Domestic Abuse
            V-1,1,Parking lot dispute
            V-2,2,Domestic dispute at home
            """);

        var (report, records) = ImportExport("""
            { "name": "c", "source": "C", "shape": "denormalized",
              "files": [ { "name": "f", "path": "rows.csv", "holds": ["complaint", "allegation", "officer"],
                "columns": { "case": "complaint.caseNumber", "emp": "officer.employeeId", "category": "allegation.category" } } ] }
            """, export);

        AssertReconciles(report);
        Assert.Equal(["UseOfForce", "DomesticViolence", "Other", "Other"], records.Allegations.Select(a => a.Category.Value));
        Assert.Equal("Parking lot dispute", records.Allegations[2].Category.Raw);
        Assert.Contains(report.Unmapped, u => u.Value == "Parking lot dispute" && u.MappedTo == "Other");

        // A value that reads as sensitive but maps to a category the policy does not treat as sensitive is named.
        var warning = Assert.Single(SensitiveTerms.Find(report, new SensitivityRule()));
        Assert.Equal(("Domestic dispute at home", "domestic", "Other", 1L), (warning.Value, warning.Term, warning.Category, warning.Count));
    }

    [Fact]
    public void Sensitive_terms_are_found_in_split_cells_and_with_the_policys_own_terms()
    {
        export.Text("rows.csv", """
            case,emp,category
            W-1,1,Courtesy / Family violence call
            W-2,2,Courtesy
            W-3,3,Courtesy / Elder abuse
            """);
        const string Profile = """
            { "name": "c", "source": "C", "shape": "denormalized",
              "files": [ { "name": "f", "path": "rows.csv", "holds": ["complaint", "allegation", "officer"],
                "columns": { "case": "complaint.caseNumber", "emp": "officer.employeeId",
                             "category": { "field": "allegation.category", "split": " / ", "take": "first" } } } ] }
            """;
        var rule = new SensitivityRule { Terms = ["family violence", "elder"] };

        // Imported with the policy's terms, both split values that carry one are named, whatever part was taken.
        var (report, _) = ImportExport(Profile, export, new ImportOptions { SensitiveTerms = rule.Terms });
        AssertReconciles(report);
        var warnings = SensitiveTerms.Find(report, rule);
        Assert.Equal([("Courtesy / Elder abuse", "elder"), ("Courtesy / Family violence call", "family violence")],
            warnings.Select(w => (w.Value, w.Term)).OrderBy(w => w.Value, StringComparer.Ordinal));

        // With the default terms neither is of interest, and none is reported.
        var (defaults, _) = ImportExport(Profile, export);
        Assert.Empty(SensitiveTerms.Find(defaults, rule));
    }

    [Fact]
    public void A_policy_or_profile_that_names_a_category_outside_the_closed_set_does_not_load_and_migrate_profile_rewrites_the_profile()
    {
        var policy = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "policies", "minnesota.json"))
            .Replace("\"categories\": [\"DomesticViolence\"", "\"categories\": [\"Domestic violence at home\"", StringComparison.Ordinal);
        var policyError = Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Load(new MemoryStream(Encoding.UTF8.GetBytes(policy)), "policy"));
        Assert.Contains("'Domestic violence at home' is not a canonical allegation category", policyError.Message, StringComparison.Ordinal);

        const string Old = """
            { "name": "old", "source": "O", "shape": "denormalized",
              "files": [ { "name": "f", "path": "f.csv", "holds": ["complaint", "allegation", "officer"],
                "columns": { "case": "complaint.caseNumber", "emp": "officer.employeeId", "cat": { "field": "allegation.category", "vocabulary": "cat" } } } ],
              "vocabularies": { "cat": { "values": { "F": "Physical force", "L": "Use of force" }, "fallback": "Misc" } } }
            """;
        Assert.Throws<ProfileException>(() => MappingProfileLoader.Parse(Old));

        var (migrated, changes) = ProfileMigration.Migrate(Old);

        var profile = MappingProfileLoader.Parse(migrated);
        Assert.Equal(new Dictionary<string, string?> { ["F"] = "Other", ["L"] = "UseOfForce" }, profile.Vocabularies["cat"].Values);
        Assert.Equal("Other", profile.Vocabularies["cat"].Fallback);
        Assert.Equal(3, changes.Count);
        Assert.Contains(changes, c => c.Contains("'Physical force' -> Other", StringComparison.Ordinal));
    }

    [Fact]
    public void A_complainant_younger_than_the_juvenile_age_makes_the_complaint_juvenile()
    {
        export.Text("rows.csv", """
            case,emp,category,age
            J-1,1,Force,16
            J-2,1,Force,34
            """);
        const string Profile = """
            { "name": "j", "source": "J", "shape": "denormalized",
              "files": [ { "name": "f", "path": "rows.csv", "holds": ["complaint", "allegation", "officer", "complainant"],
                "columns": { "case": "complaint.caseNumber", "emp": "officer.employeeId", "category": "allegation.category", "age": "complainant.age" } } ] }
            """;

        var (report, records) = ImportExport(Profile, export);
        var (_, off) = ImportExport(Profile.Replace("\"shape\": \"denormalized\",", "\"shape\": \"denormalized\", \"rules\": { \"juvenileAge\": 0 },", StringComparison.Ordinal), export);

        Assert.Equal(Sensitivity.Juvenile, records.Complaints.Single(c => c.CaseNumber == "J-1").Sensitivity);
        Assert.Equal(Sensitivity.None, records.Complaints.Single(c => c.CaseNumber == "J-2").Sensitivity);
        Assert.Equal(1, Assert.Single(report.SensitivityRules).Value);
        Assert.All(off.Complaints, c => Assert.Equal(Sensitivity.None, c.Sensitivity));
    }

    // ---------------------------------------------------------------- partial dates and birth years

    [Fact]
    public void Year_only_dates_keep_their_precision_through_the_redaction_and_birth_years_read_floats_and_dates()
    {
        export.Text("rows.csv", """
            case,received,emp,birth,category
            Y-1,2009,1,1970.0,Force
            Y-2,2009-07,2,1981-03-04,Force
            """);
        var (report, records) = ImportExport("""
            { "name": "y", "source": "Y", "shape": "denormalized",
              "files": [ { "name": "f", "path": "rows.csv", "holds": ["complaint", "allegation", "officer"],
                "format": { "dateFormats": ["yyyy-MM-dd", "yyyy-MM", "yyyy"] },
                "columns": { "case": "complaint.caseNumber", "received": "complaint.receivedDate", "emp": "officer.employeeId",
                             "birth": { "field": "officer.birthYear", "dateFormats": ["yyyy-MM-dd"] }, "category": "allegation.category" } } ] }
            """, export);

        AssertReconciles(report);
        Assert.Equal([1970, 1981], records.Officers.Select(o => o.BirthYear!.Value).Order());
        var redactor = new Redactor(DisclosurePolicyLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "samples", "policies", "minnesota.json")),
            _ => new string('k', 48));
        var release = RedactionPipeline.Redact(records, redactor);
        Assert.Equal(["2009", "2009-07"], release.Cases.Select(c => c.Complaint.ReceivedDate.ToString()));
    }
}
