using System.Text.Json;
using System.Text.RegularExpressions;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>The <c>check</c> command, run as the README runs it, on the committed samples and on broken input.</summary>
public sealed class CheckCommandTests
{
    [Theory]
    [InlineData("opcr", new[] { "complaints.csv", "allegations.csv", "officers.csv", "complainants.csv" }, 142, 360, 50, 2)]
    [InlineData("iau", new[] { "IAPro_export.csv" }, 125, 300, 23, 2)]
    [InlineData("cra", new[] { "cra_complaints_1991_2012.csv" }, 107, 280, 45, 0)]
    public void Check_prints_the_expected_counts_for_each_sample(string source, string[] files, int complaints, int allegations, int officers, int duplicates)
    {
        var (exit, output) = Run("check", "--profile", $"samples/profiles/{source}.json", $"samples/exports/{source}");

        Assert.True(exit == 0, output);
        foreach (var file in files)
        {
            Assert.Contains(file, output, StringComparison.Ordinal);
        }

        Assert.Matches($@"complaints\s+{complaints:N0}\b", output);
        Assert.Matches($@"allegations\s+{allegations:N0}\b", output);
        Assert.Matches($@"officers\s+{officers:N0}\b", output); // CRA: N/A birth years give some officers several name keys

        Assert.Contains($"{duplicates} duplicates, 0 rejected", output, StringComparison.Ordinal);
        Assert.Contains("every row read is accounted for", output, StringComparison.Ordinal);
        Assert.DoesNotContain("row errors", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("opa-json", "opa-json", "case_summaries.json", "json", 126, 300, 30, 0, 1,
        "case_summaries.json:1910: $.unparsed_summaries is an array, where the records path '$.*.officers.*.allegations[*]' needs an object")]
    [InlineData("events-jsonl", "events-jsonl", "complaint_events.jsonl", "jsonl", 123, 296, 24, 0, 1, "complaint_events.jsonl:63: the line is not valid JSON")]
    [InlineData("workbook", "workbook", "conduct_export.xlsx", "excel", 115, 300, 25, 2, 0, null)]
    [InlineData("workbook-xls", "workbook", "conduct_export.xls", "excel", 115, 300, 25, 2, 0, null)]
    public void Check_prints_the_expected_counts_for_each_sample_in_another_format(
        string sample, string profile, string file, string format, int complaints, int allegations, int officers, int duplicates, int rejected, string? rowError)
    {
        var (exit, output) = Run("check", "--profile", $"samples/profiles/{profile}.json", $"samples/exports/{sample}");

        Assert.True(exit == 0, output);
        Assert.Matches($@"(?m)^{Regex.Escape(file)}\s+{format}\s+\d", output);
        Assert.Matches($@"complaints\s+{complaints:N0}\b", output);
        Assert.Matches($@"allegations\s+{allegations:N0}\b", output);
        Assert.Matches($@"officers\s+{officers:N0}\b", output);
        Assert.Contains($"{duplicates} duplicates, {rejected} rejected", output, StringComparison.Ordinal);
        Assert.Contains("every row read is accounted for", output, StringComparison.Ordinal);
        if (rowError is null)
        {
            Assert.DoesNotContain("row errors", output, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains($"row errors: {rejected}", output, StringComparison.Ordinal);
            Assert.Contains("  " + rowError, output, StringComparison.Ordinal);
        }

        switch (sample)
        {
            case "events-jsonl":
                Assert.Contains("allegations           296  (19 against an unidentified officer of their complaint)", output, StringComparison.Ordinal);
                Assert.Matches(@"findings\s+110\b", output);
                Assert.Matches(@"none \(open\)\s+13\b", output);
                break;
            case "opa-json":
                Assert.Matches(@"closedDate\s+126\b", output);
                break;
            default:
                Assert.Contains($"{file}: 1 blank rows skipped", output, StringComparison.Ordinal);
                Assert.Contains("Juvenile: a complainant younger than 18", output, StringComparison.Ordinal);
                break;
        }
    }

    [Fact]
    public void Check_reports_row_errors_with_positions_and_unmapped_values_and_still_exits_zero()
    {
        using var export = new TempFolder();
        File.WriteAllText(Path.Combine(export.Path, "complaints.csv"), "Case,Received,Decision\nA-1,2021-01-01,Dismissed\nA-2,01/02/2021,Dismissed\nA-3,2021-01-03,Shrug\nA-4,2021-01-04,Shrug\n");
        var profile = Path.Combine(export.Path, "profile.json");
        File.WriteAllText(profile, """
            { "name": "t", "source": "T", "shape": "denormalized",
              "files": [ { "name": "c", "path": "complaints.csv", "holds": ["complaint"],
                "columns": { "Case": "complaint.caseNumber", "Received": "complaint.receivedDate",
                             "Decision": { "field": "complaint.intakeDecision", "vocabulary": "d" } } } ],
              "vocabularies": { "d": { "values": { "Dismissed": "Dismissed" } } } }
            """);

        var (exit, output) = Run("check", "--profile", profile, export.Path);

        Assert.True(exit == 0, output);
        Assert.Contains("complaints.csv:3:2: column 'Received': not a date in the expected format yyyy-MM-dd", output, StringComparison.Ordinal);
        Assert.Contains("complaints.csv:4:3: column 'Decision': value is not in vocabulary 'd'", output, StringComparison.Ordinal);
        Assert.Contains("'Shrug' x2 in complaints.csv column 'Decision'", output, StringComparison.Ordinal);
        Assert.Contains("4 rows read: 1 imported, 0 merged, 0 duplicates, 3 rejected", output, StringComparison.Ordinal);
        // the reconciliation counts the rejected rows by reason, with their first lines
        Assert.Matches(@"\s2\s+complaints.csv: column 'Decision': value is not in vocabulary 'd' \(lines 4, 5\)", output);
        Assert.Matches(@"\s1\s+complaints.csv: column 'Received': not a date in the expected format yyyy-MM-dd \(lines 3\)", output);
    }

    [Fact]
    public void Check_exits_1_when_the_export_cannot_be_imported_and_2_when_the_profile_is_invalid()
    {
        using var export = new TempFolder();
        File.WriteAllText(Path.Combine(export.Path, "complaints.csv"), "Case;Received\nA-1;2021-01-01\n");
        var profile = Path.Combine(export.Path, "profile.json");
        File.WriteAllText(profile, """
            { "name": "t", "source": "T", "shape": "denormalized",
              "files": [ { "name": "c", "path": "complaints.csv", "holds": ["complaint"],
                "columns": { "Case": "complaint.caseNumber", "Received": "complaint.receivedDate" } } ] }
            """);
        var (exit, output) = Run("check", "--profile", profile, export.Path);
        Assert.True(exit == 1, output);
        Assert.Contains("the file looks delimited by ';'", output, StringComparison.Ordinal);
        Assert.Contains("nothing was imported", output, StringComparison.Ordinal);

        File.WriteAllText(profile, File.ReadAllText(profile).Replace("complaint.receivedDate", "complaint.received", StringComparison.Ordinal));
        (exit, output) = Run("check", "--profile", profile, export.Path);
        Assert.True(exit == 2, output);
        Assert.Contains("unknown canonical field 'complaint.received'", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_reports_a_cell_over_the_default_limit_as_an_invalid_export_without_its_value()
    {
        // One cell a byte over the default 1 MiB (the pipeline's limits.maxCellBytes), on line 3.
        using var export = new TempFolder();
        var cell = "CANARY" + new string('x', (1 << 20) - 5);
        File.WriteAllText(Path.Combine(export.Path, "complaints.csv"), $"Case,Narrative\nA-1,short\nA-2,\"{cell}\"\nA-3,short\n");
        var (exit, output) = Run("check", "--profile", CaseNarrativeProfile(export.Path), export.Path);

        Assert.True(exit == 1, output);
        Assert.Contains("result: the export is invalid", output, StringComparison.Ordinal);
        Assert.Contains("complaints.csv:3:2: column 'Narrative': a cell of more than 1,048,576 bytes (limits.maxCellBytes)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("CANARY", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_with_a_source_uses_its_profile_policy_and_export_limits_as_the_pipeline_does()
    {
        // A 4,000-byte cell: within the default 1 MiB, over the source's own limits.maxCellBytes of 2,048.
        using var folder = new TempFolder();
        var export = Directory.CreateDirectory(Path.Combine(folder.Path, "export")).FullName;
        File.WriteAllText(Path.Combine(export, "complaints.csv"), $"Case,Narrative\nA-1,short\nA-2,\"CANARY{new string('x', 3994)}\"\n");
        var profile = CaseNarrativeProfile(folder.Path);
        var sources = Path.Combine(folder.Path, "sources.json");
        File.WriteAllText(sources, $$"""
            { "sources": [ { "id": "t", "kind": "drop", "profile": "profile.json", "policy": {{JsonSerializer.Serialize(Path.Combine(Repo, "samples", "policies", "minnesota.json"))}},
                             "limits": { "maxCellBytes": 2048 } } ] }
            """);

        var (plain, plainOutput) = Run("check", "--profile", profile, export);
        Assert.True(plain == 0, plainOutput);

        var (exit, output) = RunWith(PseudonymKey, "check", "--sources", sources, "--source", "t", export);
        Assert.True(exit == 1, output);
        Assert.Contains("complaints.csv:3:2: column 'Narrative': a cell of more than 2,048 bytes (limits.maxCellBytes)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("CANARY", output, StringComparison.Ordinal);

        var (unknown, unknownOutput) = Run("check", "--sources", sources, "--source", "nope", export);
        Assert.Equal(2, unknown);
        Assert.Contains("no source 'nope'", unknownOutput, StringComparison.Ordinal);
        Assert.Contains("(it has t)", unknownOutput, StringComparison.Ordinal);
        var (neither, neitherOutput) = Run("check", export);
        Assert.Equal(2, neither);
        Assert.Contains("give --profile, or --source", neitherOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_with_a_policy_prints_the_redaction_report_and_never_a_private_value()
    {
        var (exit, output) = RunWith(
            PseudonymKey,
            "check", "--profile", "samples/profiles/opcr.json", "samples/exports/opcr", "--policy", "samples/policies/minnesota.json");

        Assert.True(exit == 0, output);
        Assert.Contains("redaction under policy 'minnesota-13.43': 142 complaints, 360 allegations, 50 officers, 160 complainants", output, StringComparison.Ordinal);
        Assert.Matches(@"complainant\.lastName\s+drop\s+160\b", output);
        Assert.Matches(@"complaint\.location\s+generalize:hundredBlock\s+\d", output);
        Assert.Matches(@"rule scrub: Name replaced in narratives\s+\d", output);

        // The report counts; it never shows a value. Complainants' names are in the export, not in the output.
        var complainants = File.ReadAllLines(Path.Combine(Repo, "samples", "exports", "opcr", "complainants.csv")).Skip(1)
            .Select(line => line.Split('"')[1].Split(',')[0]).Where(name => name.Length > 3).Distinct().ToList();
        Assert.NotEmpty(complainants);
        Assert.All(complainants, name => Assert.DoesNotContain(name, output, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_with_a_policy_whose_key_is_missing_fails_at_start_up()
    {
        var (exit, output) = RunWith(
            new() { ["OPENCONDUCT_PSEUDONYM_KEY"] = null },
            "check", "--profile", "samples/profiles/opcr.json", "samples/exports/opcr", "--policy", "samples/policies/minnesota.json");

        Assert.True(exit == 2, output);
        Assert.Contains("the pseudonymization key setting 'OPENCONDUCT_PSEUDONYM_KEY' is not set", output, StringComparison.Ordinal);
        Assert.DoesNotContain("records imported", output, StringComparison.Ordinal); // nothing was read
    }

    /// <summary>Writes profile.json into the folder: complaints.csv's Case and Narrative columns; returns its path.</summary>
    private static string CaseNarrativeProfile(string folder)
    {
        var profile = Path.Combine(folder, "profile.json");
        File.WriteAllText(profile, """
            { "name": "t", "source": "T", "shape": "denormalized",
              "files": [ { "name": "c", "path": "complaints.csv", "holds": ["complaint"],
                "columns": { "Case": "complaint.caseNumber", "Narrative": "complaint.narrative" } } ] }
            """);
        return profile;
    }
}
