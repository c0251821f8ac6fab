using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Review;
using OpenConduct.Core.Storage;
using OpenConduct.Lucene;

namespace OpenConduct.Azure.Tests;

/// <summary>
/// Reviewers' identity decisions in the review container on Azurite: versions, two reviewers writing one version,
/// and decisions applied by the officer index step over the three sample sources (Minnesota: former-CRA officers
/// are undecided candidates of their roster officer).
/// </summary>
public sealed partial class IdentityReviewTests
{
    private const string A = "OPCR:o-aaaaaaaaaaaaaaaaaaaa";
    private const string B = "CRA:o-bbbbbbbbbbbbbbbbbbbb";

    [SkippableFact]
    public async Task Versions_are_immutable_blobs_and_of_two_reviewers_deciding_against_one_version_one_wins()
    {
        var storage = await Azurite.NewStorageAsync("reviewversions");
        try
        {
            var first = new IdentityReviewStore(storage.Review);
            var second = new IdentityReviewStore(storage.Review);
            Assert.Equal(1, (await first.DecideAsync(IdentityDecisionKind.Same, [A, B], "personnel file", 0)).Version);

            // Both saw version 1 and decide at the same moment: exactly one stores version 2.
            var outcomes = await Task.WhenAll(
                Outcome(first.DecideAsync(IdentityDecisionKind.Different, [A, B], "two people", 1)),
                Outcome(second.DecideAsync(IdentityDecisionKind.Same, [A, B], "confirmed", 1)));
            Assert.Single(outcomes, o => o.Version == 2);
            var lost = Assert.Single(outcomes, o => o.Error is not null).Error!;
            var stale = Assert.IsType<StaleIdentityReviewException>(lost);
            Assert.Equal(1, stale.ExpectedVersion);

            // A reviewer whose listing lags behind a write (version 3 written after it listed) hits the create-only write.
            await first.DecideAsync(IdentityDecisionKind.Same, [A, B], null, 2);
            var lagging = new IdentityReviewStore(new LaggingListing(storage.Review, IdentityReviewStore.PathOf(3)));
            var conflict = await Assert.ThrowsAsync<StaleIdentityReviewException>(() => lagging.DecideAsync(IdentityDecisionKind.Different, [A, B], null, 2));
            Assert.IsType<InvalidOperationException>(conflict.InnerException);

            var blobs = new List<string>();
            await foreach (var item in storage.Review.ListAsync(IdentityReviewStore.Prefix))
            {
                blobs.Add(item.Path);
            }

            Assert.Equal([IdentityReviewStore.PathOf(1), IdentityReviewStore.PathOf(2), IdentityReviewStore.PathOf(3)], blobs);
            var latest = await first.LoadAsync();
            Assert.Equal(3, latest.Version);
            Assert.Equal([A, B], latest.Overrides.Same.Single().Officers.Select(o => o.ToString()));
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    [SkippableFact]
    public async Task A_same_decision_merges_at_the_next_step_a_different_one_keeps_apart_and_rerunning_is_a_no_op()
    {
        await using var samples = await Samples.PublishAsync("reviewmerge");
        var (pipeline, index, store) = (samples.Pipeline, samples.Index, samples.Store);
        var step = new OfficerIndexStep(pipeline.Storage.Releases, index, review: store);
        var queue = new IdentityReviewQueue(pipeline.Storage.Releases, store);
        var first = await step.RunAsync(PipelineHarness.SampleSources);

        // Under Minnesota, one person is two officers: "Samuel E White" of the roster and the former CRA's "SAMUEL E WHITE".
        var before = await queue.ListAsync();
        Assert.Equal(first.Generation, before.Generation);
        var white = before.Items.Single(i => i.Officers.Any(o => o.Name == "SAMUEL E WHITE"));
        var named = (await index.SearchAsync(new OfficerQuery { Text = "Samuel E White" })).Hits.Where(h => h.DisplayName.Equals("Samuel E White", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(white.Officers.Select(o => o.OfficerId).Order(StringComparer.Ordinal), named.Select(h => h.Id).Intersect(white.Officers.Select(o => o.OfficerId)).Order(StringComparer.Ordinal));
        var other = before.Items.First(i => i.Id != white.Id);
        var note = "confirmed by the records office";
        var version = await store.DecideAsync(IdentityDecisionKind.Same, [.. white.Officers.Select(o => o.Officer)], note, before.ReviewVersion);

        // The decision takes effect at the next step: a new generation, one document for the two.
        var second = await step.RunAsync(PipelineHarness.SampleSources);
        Assert.False(second.AlreadyLive);
        Assert.NotEqual(first.Generation, second.Generation);
        Assert.Equal(second.Generation, await index.GetGenerationAsync());
        Assert.Equal(second.Generation, await pipeline.Storage.Releases.GetLatestAsync(OfficerIndexStep.Folder));
        Assert.Equal(first.Officers - 1, second.Officers);
        var hits = (await index.SearchAsync(new OfficerQuery { Text = "Samuel E White" })).Hits.Where(h => h.DisplayName.Equals("Samuel E White", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Equal(named.Count - 1, hits.Count);
        var merged = Assert.Single(hits, h => h.Sources.Contains("CRA") && h.Sources.Contains("OPCR"));
        Assert.Equal(white.Officers.Select(o => o.OfficerComplaints).Sum(), merged.Complaints);
        Assert.Equal(white.Officers.SelectMany(o => o.OfficerMembers).Order(StringComparer.Ordinal), (await index.GetAsync(merged.Id))!.SourceRefs.Select(r => r.ToString()).Order(StringComparer.Ordinal));
        Assert.Contains(second.Identity!.Decisions, d => d.Kind == "same" && d.Applied && d.Location == $"review:v{version.Version:D6}:$.same[0]");
        Assert.DoesNotContain(white.Id, (await queue.ListAsync()).Items.Select(i => i.Id));

        // Re-running without a change is a no-op.
        var again = await step.RunAsync(PipelineHarness.SampleSources);
        Assert.True(again.AlreadyLive);
        Assert.Equal(second.Generation, again.Generation);

        // "Different" keeps the other candidate's officers apart (as they were), and is listed as applied.
        var apart = await store.DecideAsync(IdentityDecisionKind.Different, [.. other.Officers.Select(o => o.Officer)], null, version.Version);
        var third = await step.RunAsync(PipelineHarness.SampleSources);
        Assert.False(third.AlreadyLive);
        Assert.Equal(second.Officers, third.Officers);
        var documents = (await IdentityReportIo.ReadDocumentsAsync(pipeline.Storage.Releases.Open(OfficerIndexStep.Folder, third.Generation)))!;
        var ids = other.Officers.Select(o => documents.Single(d => d.SourceRefs.Any(r => r.ToString() == o.Officer)).Id).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Contains(third.Identity!.Decisions, d => d.Kind == "different" && d.Applied && d.Location == $"review:v{apart.Version:D6}:$.different[0]");
        Assert.Equal(before.Items.Count - 2, (await queue.ListAsync()).Items.Count);

        // The stored documents hold officer references and notes only: no name, badge or other evidence.
        var evidence = white.Officers.Concat(other.Officers)
            .SelectMany(o => new[] { o.Name, o.EmployeeId, o.HireDate, o.Unit, o.Rank }.Concat(o.Badges))
            .OfType<string>()
            .Where(v => v.Length >= 3)
            .ToList();
        for (var v = 1; v <= apart.Version; v++)
        {
            var text = await Azurite.ReadAllAsync(await pipeline.Storage.Review.OpenReadAsync(IdentityReviewStore.PathOf(v)));
            AssertOnlyReferencesAndNotes(text, [note]);
            Assert.DoesNotContain(evidence, e => text.Contains(e, StringComparison.OrdinalIgnoreCase));
        }
    }

    [SkippableFact]
    public async Task A_stored_decision_the_overrides_file_now_contradicts_is_reported_and_not_applied()
    {
        await using var samples = await Samples.PublishAsync("reviewfile");
        var (pipeline, index, store) = (samples.Pipeline, samples.Index, samples.Store);
        var first = await new OfficerIndexStep(pipeline.Storage.Releases, index, review: store).RunAsync(PipelineHarness.SampleSources);
        var item = (await new IdentityReviewQueue(pipeline.Storage.Releases, store).ListAsync()).Items[0];
        var officers = item.Officers.Select(o => o.Officer).ToList();
        await store.DecideAsync(IdentityDecisionKind.Same, officers, null, 0);

        // Later, the city's file says the opposite: the file wins, the stored decision is listed as not applied.
        var file = IdentityOverrides.Parse(JsonSerializer.Serialize(new { different = new[] { new { officers, note = "the file" } } }));
        var report = await new OfficerIndexStep(pipeline.Storage.Releases, index, file, "file-hash", review: new IdentityReviewStore(pipeline.Storage.Review, file)).RunAsync(PipelineHarness.SampleSources);

        Assert.Equal(first.Officers, report.Officers);
        var refused = Assert.Single(report.Identity!.Decisions, d => d.Location.StartsWith("review:", StringComparison.Ordinal));
        Assert.False(refused.Applied);
        Assert.Contains("not applied: it contradicts the overrides file", refused.Effect, StringComparison.Ordinal);
        Assert.Contains(report.Identity.Decisions, d => d is { Location: "$.different[0]", Applied: true });
        var json = await Azurite.ReadAllAsync((await pipeline.Storage.Releases.Open(OfficerIndexStep.Folder, report.Generation).OpenReadAsync(IdentityReportIo.ReportPath))!);
        Assert.Contains("\"location\": \"review:v000001:$.same[0]\"", json, StringComparison.Ordinal);
    }

    /// <summary>The document is the overrides format and its only strings are officer references and the given notes.</summary>
    private static void AssertOnlyReferencesAndNotes(string text, IReadOnlyList<string> notes)
    {
        using var json = JsonDocument.Parse(text);
        foreach (var list in json.RootElement.EnumerateObject())
        {
            Assert.Contains(list.Name, new[] { "same", "different" });
            foreach (var entry in list.Value.EnumerateArray())
            {
                foreach (var property in entry.EnumerateObject())
                {
                    Assert.Contains(property.Name, new[] { "officers", "note" });
                    if (property.Name == "note")
                    {
                        Assert.Contains(property.Value.GetString(), notes);
                    }
                    else
                    {
                        Assert.All(property.Value.EnumerateArray(), o => Assert.Matches(Reference(), o.GetString()!));
                    }
                }
            }
        }
    }

    private static async Task<(int? Version, Exception? Error)> Outcome(Task<IdentityReviewVersion> decision)
    {
        try
        {
            return ((await decision).Version, null);
        }
        catch (IdentityReviewException ex)
        {
            return (null, ex);
        }
    }

    [GeneratedRegex("^(OPCR|IAU|CRA):o-[0-9a-f]{20}$")]
    private static partial Regex Reference();

    /// <summary>The three sample sources published on Azurite, an embedded officer index, and the review store on the harness's review container.</summary>
    private sealed class Samples : IAsyncDisposable
    {
        private readonly TempFolder folder = new();

        private Samples(PipelineHarness pipeline)
        {
            Pipeline = pipeline;
            Index = new LuceneOfficerIndex(folder.Path);
            Store = new IdentityReviewStore(pipeline.Storage.Review);
        }

        public PipelineHarness Pipeline { get; }

        public LuceneOfficerIndex Index { get; }

        public IdentityReviewStore Store { get; }

        public static async Task<Samples> PublishAsync(string name)
        {
            var pipeline = await PipelineHarness.CreateAsync(name);
            await pipeline.PublishDropsAsync(Path.Combine(AppContext.BaseDirectory, "samples", "exports"));
            return new Samples(pipeline);
        }

        public async ValueTask DisposeAsync()
        {
            Index.Dispose();
            folder.Dispose();
            await Pipeline.DisposeAsync();
        }
    }

    /// <summary>The container, with a listing that does not show one path yet (a write that landed after this reader listed).</summary>
    private sealed class LaggingListing(IBlobContainer inner, string hidden) : IBlobContainer
    {
        public string Name => inner.Name;

        public Task<StoredObject?> GetAsync(string path, CancellationToken cancellationToken = default) => inner.GetAsync(path, cancellationToken);

        public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default) => inner.OpenReadAsync(path, cancellationToken);

        public Task<StoredObject> UploadAsync(string path, Stream content, IReadOnlyDictionary<string, string>? metadata = null, bool overwrite = true, CancellationToken cancellationToken = default) =>
            inner.UploadAsync(path, content, metadata, overwrite, cancellationToken);

        public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await foreach (var item in inner.ListAsync(prefix, cancellationToken))
            {
                if (item.Path != hidden)
                {
                    yield return item;
                }
            }
        }

        public Task DeleteAsync(string path, CancellationToken cancellationToken = default) => inner.DeleteAsync(path, cancellationToken);

        public Task<IAsyncDisposable?> TryAcquireLeaseAsync(string path, CancellationToken cancellationToken = default) => inner.TryAcquireLeaseAsync(path, cancellationToken);
    }
}
