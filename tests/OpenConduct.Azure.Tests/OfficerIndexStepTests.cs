using System.Text.Json;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Pipeline;
using OpenConduct.Lucene;
using OpenConduct.Samples;

namespace OpenConduct.Azure.Tests;

/// <summary>
/// The release step that updates the officer index: the live releases of every source on Azurite, resolved into one
/// document per officer, written beside the releases and published to the embedded (Lucene) index.
/// </summary>
public sealed class OfficerIndexStepTests
{
    [SkippableFact]
    public async Task The_officer_index_covers_every_source_and_rerunning_it_is_a_no_op()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("officers");
        using var folder = new TempFolder();
        await pipeline.PublishDropsAsync(Path.Combine(AppContext.BaseDirectory, "samples", "exports"));
        using var index = new LuceneOfficerIndex(folder.Path);
        var step = new OfficerIndexStep(pipeline.Storage.Releases, index);

        var report = await step.RunAsync(PipelineHarness.SampleSources);

        Assert.False(report.AlreadyLive);
        Assert.Equal(3, report.Releases.Count);
        Assert.Equal(report.Generation, await index.GetGenerationAsync());
        Assert.Equal(report.Generation, await pipeline.Storage.Releases.GetLatestAsync(OfficerIndexStep.Folder));
        var written = await IdentityReportIo.ReadDocumentsAsync(pipeline.Storage.Releases.Open(OfficerIndexStep.Folder, report.Generation));
        Assert.NotNull(written);
        Assert.Equal(report.Officers, written.Count);
        Assert.NotNull(await pipeline.Storage.Releases.Open(OfficerIndexStep.Folder, report.Generation).OpenReadAsync("identity.json"));

        // The samples share a roster: some officers are in several sources, and each is one document, found by badge.
        var merged = written.Where(d => d.SourceRefs.Select(r => r.Source).Distinct().Count() > 1).ToList();
        Assert.NotEmpty(merged);
        Assert.True(report.Officers < report.Identity!.Counts.Officers, "no officer was merged across sources");
        var officer = merged.Where(d => d.CurrentBadge is not null).MaxBy(d => d.Summary.Complaints)!;
        var found = await index.SearchAsync(new OfficerQuery { Text = officer.CurrentBadge! });
        Assert.Equal(officer.Id, found.Hits[0].Id);
        Assert.Equal(OfficerMatch.Badge, found.Hits[0].Match);
        Assert.Equal(officer.Summary.Complaints, found.Hits[0].Complaints);
        Assert.Equal(JsonSerializer.Serialize(officer), JsonSerializer.Serialize(await index.GetAsync(officer.Id)));
        Assert.True(officer.Complaints.Select(c => c.Source).Distinct().Count() > 1, "the history does not span sources");

        var again = await step.RunAsync(PipelineHarness.SampleSources);
        Assert.True(again.AlreadyLive);
        Assert.Equal(report.Generation, again.Generation);
    }

    [SkippableFact]
    public async Task No_canary_reaches_the_officer_index()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("officercanary");
        using var folder = new TempFolder();
        var root = Path.Combine(folder.Path, "exports");
        var exports = SyntheticExports.WriteAll(root, new SyntheticExportOptions { Seed = 11, RosterSeed = 1991, Allegations = 400, Canaries = true });
        var canaries = exports.SelectMany(e => e.Canaries).Distinct(StringComparer.Ordinal).ToList();
        await pipeline.PublishDropsAsync(root);
        using var index = new LuceneOfficerIndex(Path.Combine(folder.Path, "index"));
        var report = await new OfficerIndexStep(pipeline.Storage.Releases, index).RunAsync(PipelineHarness.SampleSources);

        // Every document as the index serves it, the index's hits for every canary, and the identity report.
        var store = pipeline.Storage.Releases.Open(OfficerIndexStep.Folder, report.Generation);
        var ids = (await IdentityReportIo.ReadDocumentsAsync(store))!.Select(d => d.Id).ToList();
        var served = new List<string>();
        foreach (var id in ids)
        {
            served.Add(JsonSerializer.Serialize(await index.GetAsync(id)));
        }

        await using (var identity = await store.OpenReadAsync("identity.json"))
        {
            served.Add(await new StreamReader(identity!).ReadToEndAsync());
        }

        var published = string.Join('\n', served);
        Assert.True(canaries.Count > 500, $"only {canaries.Count} canaries were seeded");
        var leaked = canaries.Where(c => published.Contains(c, StringComparison.OrdinalIgnoreCase)).Take(10).ToList();
        Assert.True(leaked.Count == 0, "canaries in the officer index: " + string.Join(", ", leaked));
        foreach (var canary in canaries.Take(200))
        {
            Assert.DoesNotContain((await index.SearchAsync(new OfficerQuery { Text = canary })).Hits, h => h.Match is OfficerMatch.Badge or OfficerMatch.ExactName);
        }

        Assert.Contains("\"caseNumber\"", published, StringComparison.OrdinalIgnoreCase);
        Assert.True(ids.Count > 50, $"only {ids.Count} officers");
    }
}
