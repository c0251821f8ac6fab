using System.Text;
using OpenConduct.Core.Import;
using static OpenConduct.Core.Tests.Import.ImportTestKit;

namespace OpenConduct.Core.Tests.Import;

/// <summary>A wrong profile or a wrong file fails precisely, and nothing partial is imported.</summary>
public sealed class ProfileErrorTests : IDisposable
{
    private readonly TempExport export = new();

    public void Dispose() => export.Dispose();

    private static string Profile(string columns = """ "Case": "complaint.caseNumber", "Received": "complaint.receivedDate" """, string extra = "") => $$"""
    {
      "name": "t", "source": "OPCR", "shape": "denormalized",
      "files": [ { "name": "c", "path": "c.csv", "holds": ["complaint"], "columns": { {{columns}} } } ]
      {{extra}}
    }
    """;

    [Fact]
    public void Unknown_canonical_field_is_named_with_a_suggestion()
    {
        var ex = Assert.Throws<ProfileException>(() => MappingProfileLoader.Parse(Profile("""
            "Case": "complaint.caseNumber", "Received": "complaint.recievedDate"
            """)));
        var error = Assert.Single(ex.Errors);
        Assert.Equal("$.files[0].columns['Received']: unknown canonical field 'complaint.recievedDate'; did you mean 'complaint.receivedDate'?", error);
    }

    [Fact]
    public void Unknown_property_and_unknown_vocabulary_are_reported_with_their_path()
    {
        var typo = Assert.Throws<ProfileException>(() => MappingProfileLoader.Parse(Profile().Replace("\"shape\"", "\"shap\": 1, \"shape\"", StringComparison.Ordinal)));
        Assert.Contains("shap", Assert.Single(typo.Errors), StringComparison.Ordinal);

        var vocab = Assert.Throws<ProfileException>(() => MappingProfileLoader.Parse(Profile("""
            "Case": "complaint.caseNumber", "Decision": { "field": "complaint.intakeDecision", "vocabulary": "decisons" }
            """, """, "vocabularies": { "decisions": { "values": { "D": "Dismissed", "X": "Nonsense" } } }""")));
        Assert.Contains(vocab.Errors, e => e.Contains("unknown vocabulary 'decisons'", StringComparison.Ordinal) && e.Contains("did you mean 'decisions'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_vocabulary_value_that_is_not_canonical_is_an_error()
    {
        var ex = Assert.Throws<ProfileException>(() => MappingProfileLoader.Parse(Profile("""
            "Case": "complaint.caseNumber", "Decision": { "field": "complaint.intakeDecision", "vocabulary": "d" }
            """, """, "vocabularies": { "d": { "values": { "D": "Dismissed", "X": "Nonsense" } } }""")));
        Assert.Contains(ex.Errors, e => e.Contains("maps 'X' to 'Nonsense', which is not a IntakeDecision value", StringComparison.Ordinal));
    }

    [Fact]
    public void Structural_mistakes_are_all_reported_at_once()
    {
        var ex = Assert.Throws<ProfileException>(() => MappingProfileLoader.Parse("""
            {
              "name": "t", "source": "X", "shape": "joined",
              "files": [
                { "name": "a", "path": "a.csv", "holds": ["allegation", "witness"], "columns": { "Badge": { "field": "officer.badge", "split": "" }, "F": { "field": "allegation.finalFinding", "nameOrder": "last-first" } } }
              ],
              "joins": [ { "file": "b", "entity": "officer", "on": ["officer.badge"] } ]
            }
            """));
        Assert.Contains(ex.Errors, e => e.Contains("unknown entity 'witness'", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("split: the separator is empty", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("only full-name fields take a name order", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("maps no column to 'complaint.caseNumber'", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("no file holds the complaint entity", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("no file is named 'b'", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("'officer.badge' belongs to the officer entity", StringComparison.Ordinal));
    }

    [Fact]
    public void A_mapped_column_missing_from_the_file_lists_the_columns_the_file_has()
    {
        export.Text("c.csv", "Case,Date Received\nA-1,2020-01-01\n");
        var (report, records) = ImportExport(Profile(), export);

        Assert.False(report.Succeeded);
        Assert.Equal("c.csv:1: mapped column 'Received' not in the file; the file has 2 columns: 'Case', 'Date Received'", Assert.Single(report.Failures));
        Assert.Empty(records.Complaints);
    }

    [Fact]
    public void A_missing_file_lists_the_files_present()
    {
        export.Text("complaints.csv", "Case\n");
        var (report, _) = ImportExport(Profile(), export);
        Assert.Contains("no file matches 'c.csv' in the export (files present: complaints.csv)", Assert.Single(report.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void The_wrong_delimiter_is_detected_and_named()
    {
        export.Text("c.csv", "Case;Received\nA-1;2020-01-01\n");
        var (report, _) = ImportExport(Profile(), export);
        Assert.Equal("c.csv:1: the header reads as one column with delimiter ','; the file looks delimited by ';': set format.delimiter to \";\"", Assert.Single(report.Failures));
    }

    [Fact]
    public void Undecodable_bytes_fail_the_whole_import_even_after_good_rows()
    {
        var good = string.Concat(Enumerable.Range(1, 500).Select(i => $"A-{i},2020-01-01\r\n"));
        export.Bytes("c.csv", [.. Encoding.UTF8.GetBytes("Case,Received\r\n" + good), .. "A-501,"u8, 0x93, .. "2020\r\n"u8]);
        var (report, records) = ImportExport(Profile(), export);

        Assert.False(report.Succeeded);
        Assert.Equal("c.csv:502: bytes that are not valid UTF-8; the file is probably in another encoding: set format.encoding in the profile (e.g. windows-1252)", Assert.Single(report.Failures));
        Assert.Empty(records.Complaints); // the 500 good rows were abandoned: nothing partial
        Assert.Equal(0, report.Imported[EntityKind.Complaint]);
    }

    [Fact]
    public void An_unmapped_vocabulary_value_is_listed_with_its_count_and_rejects_only_its_rows()
    {
        export.Text("c.csv", "Case,Decision\nA-1,Dismissed\nA-2,ZZ\nA-3,ZZ\nA-4,Coaching\n");
        var (report, records) = ImportExport(Profile("""
            "Case": "complaint.caseNumber", "Decision": { "field": "complaint.intakeDecision", "vocabulary": "d" }
            """, """, "vocabularies": { "d": { "values": { "C": "Coaching" } } }"""), export);

        Assert.True(report.Succeeded);
        Assert.Equal(2, records.Complaints.Count);
        var unmapped = Assert.Single(report.Unmapped);
        Assert.Equal(("ZZ", 2L, 3L, "d"), (unmapped.Value, unmapped.Count, unmapped.FirstLine, unmapped.Vocabulary));
        Assert.Equal("'ZZ' x2 in c.csv column 'Decision' (complaint.intakeDecision, vocabulary 'd'), first on line 3: rows rejected", unmapped.ToString());
        Assert.Equal("c.csv:3:2: column 'Decision': value is not in vocabulary 'd'", report.RowErrors[0].ToString());
    }

    [Fact]
    public void Row_errors_never_carry_the_cell_value()
    {
        export.Text("c.csv", "Case,Received\nA-1,Jane Doe 612-555-0100\n");
        var (report, _) = ImportExport(Profile(), export);
        var error = Assert.Single(report.RowErrors);
        Assert.DoesNotContain("Jane", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("555", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_unterminated_quote_fails_the_import_instead_of_swallowing_the_rest_of_the_file()
    {
        export.Text("c.csv", "Case,Received\nA-1,2020-01-01\nA-2,\"2020-01-02\nA-3,2020-01-03\nA-4,2020-01-04\n");
        var (report, records) = ImportExport(Profile(), export);

        Assert.False(report.Succeeded);
        Assert.Equal("c.csv:3: a quoted value opened on this line is never closed, so the rest of the file reads as one value; fix the quoting of the export", Assert.Single(report.Failures));
        Assert.Empty(records.Complaints);
    }

    [Fact]
    public void Lines_with_the_wrong_number_of_fields_are_rejected_a_trailing_delimiter_is_fine_and_a_stray_quote_is_repaired()
    {
        export.Text("c.csv", "Case,Received,Narrative\nA-1,2020-01-01,He said \"stop\" twice\nA-2,2020-01-02,first half\nsecond half\nA-3,2020-01-03,fine,\n");
        var (report, records) = ImportExport(Profile("""
            "Case": "complaint.caseNumber", "Received": "complaint.receivedDate", "Narrative": "complaint.narrative"
            """), export);

        Assert.True(report.Succeeded, Errors(report));
        Assert.Equal(["A-1", "A-2", "A-3"], records.Complaints.Select(c => c.CaseNumber));
        Assert.Equal("He said \"stop\" twice", records.Complaints[0].Narrative);
        var error = Assert.Single(report.RowErrors);
        Assert.Equal("c.csv:4: the row has 1 fields where 3 are expected: a line break or a delimiter in an unquoted value splits or merges rows", error.ToString());
        Assert.Equal(1, report.Files[0].QuotingRepaired);
    }

    [Fact]
    public void A_profile_built_in_code_is_checked_before_the_import_starts()
    {
        export.Text("c.csv", "Case\nA-1\n");
        var profile = new MappingProfile
        {
            Name = "in-code",
            Source = "T",
            Shape = ExportShape.Denormalized,
            Files = [new FileMapping { Name = "c", Path = "c.csv", Holds = ["complaint"], Columns = new Dictionary<string, ColumnMapping> { ["Case"] = new() { Field = "complaint.case" } } }],
        };

        var ex = Assert.Throws<ProfileException>(() => new ExportImporter().Import(profile, new DirectoryExportFiles(export.Directory), new CanonicalRecordSet()));
        Assert.Contains(ex.Errors, e => e.Contains("unknown canonical field 'complaint.case'", StringComparison.Ordinal));
    }
}
