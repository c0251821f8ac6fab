using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>The <c>search-eval</c> command on the synthetic samples (sources.json's three exports, invented people).</summary>
public sealed partial class SearchEvalCommandTests
{
    private static readonly string[] Kinds = ["exact", "exact-last-first", "surname-transposition", "surname-deletion", "nickname", "badge", "badge-leading-zeros"];

    [Fact]
    public void Without_a_folder_it_measures_the_samples_and_prints_one_row_per_kind()
    {
        var (exit, output) = Run("search-eval", "--per-kind", "60", "--seed", "4");

        Assert.True(exit == 0, output);
        Assert.Contains("search-eval: synthetic samples: ", output, StringComparison.Ordinal);
        Assert.Contains("from opcr, iau, cra under policy 'minnesota-13.43'", output, StringComparison.Ordinal);
        Assert.Contains("| Kind | Queries | Recall@1 | Recall@10 | MRR | Target | Met |\n|---|---:|---:|---:|---:|---|---|\n", output, StringComparison.Ordinal);
        var rows = Rows(output);
        Assert.Equal(Kinds, rows.Keys);
        Assert.All(rows.Values, r => Assert.InRange(r.Queries, 1, 60));
        Assert.All(rows.Values, r => Assert.True(r.RecallAt1 <= r.RecallAt10 && r.RecallAt1 <= r.Mrr && r.Mrr <= r.RecallAt10, $"{r}"));
        Assert.Equal(60, rows["exact"].Queries); // the samples have more officers than that

        // The samples' names are distinct but for namesakes the relevant sets include: an exact name is found first.
        Assert.True(rows["exact"].RecallAt1 >= 0.95, $"exact recall@1 {rows["exact"].RecallAt1}");
        Assert.True(rows["exact-last-first"].RecallAt1 >= 0.95, $"exact-last-first recall@1 {rows["exact-last-first"].RecallAt1}");
        Assert.Equal(1.0, rows["exact"].RecallAt10);
        Assert.True(rows["badge"].RecallAt1 >= 0.95, $"badge recall@1 {rows["badge"].RecallAt1}");
        Assert.Matches(@"Targets met: \d of 8\.", output);
    }

    [Fact]
    public void A_written_query_set_reads_back_to_the_same_figures_and_the_output_names_nobody()
    {
        using var folder = new TempFolder();
        var queries = Path.Combine(folder.Path, "queries.jsonl");

        var (exit, written) = Run("search-eval", "--per-kind", "40", "--write-queries", queries);
        Assert.True(exit == 0, written);
        Assert.Contains("labelled queries written to", written, StringComparison.Ordinal);
        var lines = File.ReadAllLines(queries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(Rows(written).Values.Sum(r => r.Queries), lines.Count);

        var (again, read) = Run("search-eval", "--queries", queries);
        Assert.True(again == 0, read);
        Assert.Contains("queries read from queries.jsonl", read, StringComparison.Ordinal);
        Assert.Equal(Rows(written), Rows(read));

        // Figures only on standard output and error without --misses: no query text (a name) appears.
        foreach (var text in lines.Where(l => l.GetProperty("kind").GetString() == "exact").Select(l => l.GetProperty("text").GetString()!))
        {
            Assert.DoesNotContain(text, read, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Queries_of_officers_the_roster_does_not_have_are_left_out_and_said_so()
    {
        using var folder = new TempFolder();
        var queries = Path.Combine(folder.Path, "queries.jsonl");
        var (exit, output) = Run("search-eval", "--per-kind", "2", "--write-queries", queries);
        Assert.True(exit == 0, output);
        var count = File.ReadAllLines(queries).Length;
        const string Stranger = """{"kind":"exact","text":"Nobody Atall","target":"off-0000000000000000","relevant":["off-0000000000000000"]}""";
        File.AppendAllText(queries, Stranger + "\n");

        (exit, output) = Run("search-eval", "--queries", queries);

        Assert.True(exit == 0, output);
        Assert.Contains($"1 of {count + 1} queries name an officer this roster does not have", output, StringComparison.Ordinal);
        Assert.Equal(count, Rows(output).Values.Sum(r => r.Queries));

        File.WriteAllText(queries, Stranger + "\n");
        (exit, output) = Run("search-eval", "--queries", queries);
        Assert.True(exit == 1, output); // nothing left to measure
    }

    [Fact]
    public void An_export_folder_needs_its_profile()
    {
        var (exit, output) = Run("search-eval", "samples/exports/opcr");
        Assert.Equal(2, exit);
        Assert.Contains("an export folder needs its --profile", output, StringComparison.Ordinal);
    }

    /// <summary>The rows of the figures table, by kind.</summary>
    private static Dictionary<string, Row> Rows(string output)
    {
        var rows = new Dictionary<string, Row>(StringComparer.Ordinal);
        foreach (Match m in RowPattern().Matches(output))
        {
            rows[m.Groups["kind"].Value] = new Row(
                int.Parse(m.Groups["n"].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture),
                double.Parse(m.Groups["r1"].Value, CultureInfo.InvariantCulture),
                double.Parse(m.Groups["r10"].Value, CultureInfo.InvariantCulture),
                double.Parse(m.Groups["mrr"].Value, CultureInfo.InvariantCulture));
        }

        return rows;
    }

    private sealed record Row(int Queries, double RecallAt1, double RecallAt10, double Mrr);

    [GeneratedRegex(@"^\| (?<kind>[a-z-]+) \| (?<n>[\d,]+) \| (?<r1>[01]\.\d{3}) \| (?<r10>[01]\.\d{3}) \| (?<mrr>[01]\.\d{3}) \| [^|\n]+ \| [^|\n]+ \|$", RegexOptions.Multiline)]
    private static partial Regex RowPattern();
}
