using System.Text.Json;
using System.Text.RegularExpressions;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>The <c>ingest</c> command, run as the README runs it: local folders to a local release, and a drop source on Azurite.</summary>
public sealed partial class IngestCommandTests
{
    /// <summary>Every artefact path in the table of docs/releases.md, with whether it is conditional ("only when").</summary>
    private static List<(string Path, bool Conditional)> DocumentedArtefacts()
    {
        // The table headed "| Path | Format |", to its end.
        var rows = File.ReadAllLines(Path.Combine(Repo, "docs", "releases.md"))
            .SkipWhile(l => !l.StartsWith("| Path | Format |", StringComparison.Ordinal))
            .TakeWhile(l => l.StartsWith('|'))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal));
        var artefacts = rows.Select(l => (Path: ArtefactPath().Match(l).Groups[1].Value, Conditional: l.Contains("only when", StringComparison.Ordinal) || l.Contains("same condition", StringComparison.Ordinal)))
            .ToList();
        Assert.True(artefacts.Count >= 14, $"docs/releases.md lists only {artefacts.Count} artefacts");
        return artefacts;
    }

    [Theory]
    [InlineData("opcr", 142)]
    [InlineData("iau", 125)]
    [InlineData("cra", 107)]
    public void Ingest_out_on_each_sample_writes_every_documented_release_file(string source, int complaints)
    {
        using var output = new TempFolder();

        var (exit, text) = RunWith(PseudonymKey, "ingest", "--profile", $"samples/profiles/{source}.json", "--policy", "samples/policies/minnesota.json", $"samples/exports/{source}", "--out", output.Path, "--index", Path.Combine(output.Path, "_index"));

        Assert.True(exit == 0, text);
        var latest = Latest(Path.Combine(output.Path, source));
        Assert.Matches(@"^\d{8}-[0-9a-f]{12}$", latest);
        Assert.Contains($"release {latest} published to {output.Path}/{source}/{latest} (previous: none)", text, StringComparison.Ordinal);
        Assert.Contains($"changes: {complaints} new complaints", text, StringComparison.Ordinal);
        var release = Path.Combine(output.Path, source, latest);
        foreach (var (path, conditional) in DocumentedArtefacts())
        {
            Assert.True(conditional || File.Exists(Path.Combine(release, path)), $"{path} is documented but was not written");
        }

        var written = Directory.EnumerateFiles(release, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(release, f).Replace('\\', '/')).ToList();
        Assert.All(written, path => Assert.Contains(path, DocumentedArtefacts().Select(a => a.Path)));
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(release, "manifest.json"))).RootElement;
        Assert.Equal(complaints, manifest.GetProperty("counts").GetProperty("complaints").GetInt32());
        Assert.Equal(written.Count - 1, manifest.GetProperty("artefacts").GetArrayLength() + manifest.GetProperty("internal").GetArrayLength());   // internal: recorded apart
    }

    [Fact]
    public void Ingesting_the_same_folder_again_changes_nothing()
    {
        using var output = new TempFolder();
        string[] arguments = ["ingest", "--profile", "samples/profiles/opcr.json", "--policy", "samples/policies/minnesota.json", "samples/exports/opcr", "--out", output.Path, "--index", Path.Combine(output.Path, "_index")];
        var first = RunWith(PseudonymKey, arguments);
        Assert.True(first.Exit == 0, first.Output);
        var files = Snapshot(output.Path);

        var (exit, text) = RunWith(PseudonymKey, arguments);

        Assert.True(exit == 0, text);
        Assert.Contains("is already live (same export, profile and policy); nothing written", text, StringComparison.Ordinal);
        Assert.Equal(files, Snapshot(output.Path));
    }

    [Fact]
    public void Ingest_indexes_the_officers_and_search_finds_them_by_badge_and_name()
    {
        using var output = new TempFolder();
        var releases = Path.Combine(output.Path, "releases");
        var index = Path.Combine(output.Path, "index");

        var (exit, text) = RunWith(PseudonymKey, "ingest", "--profile", "samples/profiles/opcr.json", "--policy", "samples/policies/minnesota.json", "samples/exports/opcr", "--out", releases, "--index", index);

        Assert.True(exit == 0, text);
        Assert.Matches(@"officers: 50 officers from opcr/\d{8}-[0-9a-f]{12} indexed in ", text);
        Assert.True(File.Exists(Path.Combine(releases, "_officers", Latest(Path.Combine(releases, "_officers")), "identity.json")));
        var officer = OfficerDocuments(releases)
            .Where(o => o.TryGetProperty("currentBadge", out _))
            .MaxBy(o => o.GetProperty("summary").GetProperty("complaints").GetInt32());
        var id = officer.GetProperty("id").GetString()!;
        var badge = officer.GetProperty("currentBadge").GetString()!;
        var name = officer.GetProperty("displayName").GetString()!;

        var byBadge = Run("search", badge, "--index", index);
        Assert.True(byBadge.Exit == 0, byBadge.Output);
        Assert.Matches($@"\n  {id}  Badge\s+{Regex.Escape(name)}", byBadge.Output);

        var byPrefix = Run("search", name[..4], "--index", index, "--take", "50");
        Assert.Contains(id, byPrefix.Output, StringComparison.Ordinal);

        var history = Run("search", "--id", id, "--index", index);
        Assert.True(history.Exit == 0, history.Output);
        Assert.Equal(id, JsonDocument.Parse(history.Output).RootElement.GetProperty("id").GetString());

        var missing = Run("search", "anything", "--index", Path.Combine(output.Path, "nowhere"));
        Assert.Equal(2, missing.Exit);
        Assert.Contains("no officer index in", missing.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Sources_published_one_by_one_into_one_folder_are_indexed_together()
    {
        using var output = new TempFolder();
        var releases = Path.Combine(output.Path, "releases");
        var index = Path.Combine(output.Path, "index");
        foreach (var source in new[] { "opcr", "iau" })
        {
            var (exit, text) = RunWith(PseudonymKey, "ingest", "--profile", $"samples/profiles/{source}.json", "--policy", "samples/policies/minnesota.json", $"samples/exports/{source}", "--out", releases, "--index", index);
            Assert.True(exit == 0, text);
            if (source == "iau")
            {
                Assert.Matches(@"officers: \d+ officers from iau/\d{8}-[0-9a-f]{12}, opcr/\d{8}-[0-9a-f]{12} indexed in ", text);
            }
        }

        var sources = OfficerDocuments(releases).SelectMany(o => o.GetProperty("complaints").EnumerateArray().Select(c => c.GetProperty("source").GetString()!)).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(new[] { "IAU", "OPCR" }, sources.Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Ingest_without_an_export_or_a_source_says_what_to_give()
    {
        var (exit, text) = Run("ingest");

        Assert.Equal(2, exit);
        Assert.Contains("ingest: give --source <id>, or --profile <profile> --policy <policy> <export-folder>", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ingest_without_the_pseudonymization_key_writes_nothing()
    {
        using var output = new TempFolder();

        var (exit, text) = RunWith(new() { ["OPENCONDUCT_PSEUDONYM_KEY"] = null },
            "ingest", "--profile", "samples/profiles/opcr.json", "--policy", "samples/policies/minnesota.json", "samples/exports/opcr", "--out", output.Path, "--index", Path.Combine(output.Path, "_index"));

        Assert.Equal(2, exit);
        Assert.Contains("the pseudonymization key setting 'OPENCONDUCT_PSEUDONYM_KEY' is not set", text, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(output.Path, "*", SearchOption.AllDirectories));
    }

    [SkippableFact]
    public void Ingest_a_drop_source_on_azurite_then_again_as_a_no_op()
    {
        OpenConduct.Azure.Tests.Azurite.SkipUnlessRunning();
        var prefix = "cli" + Guid.NewGuid().ToString("N")[..8];
        using var index = new TempFolder();
        string[] arguments = ["ingest", "--source", "cra", "--drop", "samples/exports/cra", "--prefix", prefix, "--storage", "UseDevelopmentStorage=true", "--index", index.Path];

        var (exit, text) = RunWith(PseudonymKey, arguments);

        Assert.True(exit == 0, text);
        Assert.Contains($"cra: uploaded cra_complaints_1991_2012.csv to {prefix}-exports-incoming/cra/", text, StringComparison.Ordinal);
        Assert.Contains("pull cra: pulled", text, StringComparison.Ordinal);
        Assert.Matches(@"release \d{8}-[0-9a-f]{12} published to " + prefix + @"-releases/cra/", text);
        Assert.Matches(@"process cra run \d{8}T\d{6}Z-[0-9a-f]{4}: published after 1 attempt\(s\)", text);

        var again = RunWith(PseudonymKey, arguments);
        Assert.True(again.Exit == 0, again.Output);
        Assert.Contains("pull cra: unchanged: same SHA-256 as the last export", again.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("published", again.Output, StringComparison.Ordinal);
    }

    private static Dictionary<string, byte[]> Snapshot(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToDictionary(f => f, File.ReadAllBytes);

    [GeneratedRegex(@"^\| `([^`]+)`")]
    private static partial Regex ArtefactPath();
}
