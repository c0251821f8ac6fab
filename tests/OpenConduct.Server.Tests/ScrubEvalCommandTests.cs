using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>The <c>scrub-eval</c> command: the synthetic figures alone, and with a labelled folder (hand-made, invented people).</summary>
public sealed class ScrubEvalCommandTests
{
    [Fact]
    public void Without_a_folder_it_prints_the_synthetic_figures_only()
    {
        var (exit, output) = Run("scrub-eval", "--synthetic", "120");

        Assert.True(exit == 0, output);
        Assert.Contains("synthetic (seed 3): 120 narratives", output, StringComparison.Ordinal);
        Assert.Matches(@"\| initials \| \d+ \| \d+ \| 1\.000 \|", output);
        Assert.Contains("Officers' mentions:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("part 00", output, StringComparison.Ordinal);
    }

    [Fact]
    public void With_a_labelled_folder_it_prints_each_part_and_never_a_value()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "part-00.jsonl"),
            """{"id": "T-1", "text": "The complainant, QX, 40/W/F, states that Officer XK pushed her.", "officersOnRecord": ["XK"]}""" + "\n");
        File.WriteAllText(Path.Combine(folder.Path, "labels-00.jsonl"),
            """{"id": "T-1", "private": [{"text": "QX", "kind": "initials"}, {"text": "40/W/F", "kind": "demographic"}], "officers": ["XK"]}""" + "\n");

        var (exit, output) = Run("scrub-eval", folder.Path, "--synthetic", "0", "--policy", "samples/policies/minnesota.json");

        Assert.True(exit == 0, output);
        Assert.Contains("part 00: 1 narratives", output, StringComparison.Ordinal);
        Assert.Contains("| initials | 1 | 1 | 1.000 | 1 | 1.000 |", output, StringComparison.Ordinal);
        Assert.Contains("| demographic | 1 | 1 | 1.000 | 1 | 1.000 |", output, StringComparison.Ordinal);
        Assert.Contains("Officers' mentions: 1, masked: 0; of officers on the record: 1, masked: 0.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("QX", output, StringComparison.Ordinal);
        Assert.DoesNotContain("40/W/F", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_labelled_parts_exits_2()
    {
        using var folder = new TempFolder();
        var (exit, output) = Run("scrub-eval", folder.Path, "--synthetic", "0");
        Assert.Equal(2, exit);
        Assert.Contains("has no part-NN.jsonl with its labels-NN.jsonl", output, StringComparison.Ordinal);
    }
}
