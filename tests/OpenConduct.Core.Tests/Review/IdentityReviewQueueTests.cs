using System.Text;
using System.Text.Json;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Review;
using OpenConduct.Core.Storage;
using static OpenConduct.Core.Tests.Officers.OfficerTestKit;

namespace OpenConduct.Core.Tests.Review;

/// <summary>
/// The review queue over the committed samples under Minnesota (former-CRA officers never merge automatically: each
/// is an undecided candidate of its roster officer), and the officer index step applying a decision.
/// </summary>
public sealed class IdentityReviewQueueTests
{
    [Fact]
    public async Task The_queue_lists_every_undecided_candidate_with_its_evidence_side_by_side()
    {
        using var temp = new TempFolder();
        var releases = await PublishSamplesAsync(temp.Path);
        var store = new IdentityReviewStore(new MemoryContainer());
        var report = await new OfficerIndexStep(releases, new GenerationIndex(), review: store).RunAsync(SampleSources);
        var queue = new IdentityReviewQueue(releases, store);

        var snapshot = await queue.ListAsync();

        Assert.Equal(report.Generation, snapshot.Generation);
        Assert.Equal(0, snapshot.ReviewVersion);
        Assert.Equal(report.Identity!.Counts.Undecided + report.Identity.Counts.Ambiguities, snapshot.Items.Count);
        Assert.True(snapshot.Items.Count >= 5, $"only {snapshot.Items.Count} items");
        Assert.Equal(snapshot.Items.Count, snapshot.Items.Select(i => i.Id).Distinct().Count());
        Assert.All(snapshot.Items, item =>
        {
            Assert.Equal(IdentityReviewItemKind.Candidate, item.Kind);
            Assert.Equal(IdentityRule.NameAndHireDate, item.Rule);
            Assert.Equal(IdentityReviewQueue.ItemId(item.Officers.Select(o => o.Officer).Reverse()), item.Id);
            Assert.Matches("^idr-[0-9a-f]{16}$", item.Id);
            Assert.Contains("CRA", item.Sources);
            Assert.NotEmpty(item.Pairs);
            Assert.All(item.Officers, o =>
            {
                Assert.Equal($"{o.Source}:{o.OfficerRef}", o.Officer);
                Assert.StartsWith("off-", o.OfficerId, StringComparison.Ordinal);
                Assert.False(string.IsNullOrWhiteSpace(o.Name));
                Assert.Contains(o.Officer, o.OfficerMembers);
                Assert.True(o.OfficerComplaints >= o.Complaints);
            });
        });

        // The example: the roster's "Samuel E White" beside the former CRA's "SAMUEL E WHITE".
        var white = snapshot.Items.Single(i => i.Officers.Any(o => o.Name == "SAMUEL E WHITE"));
        var cra = white.Officers.Single(o => o.Source == "CRA");
        var roster = white.Officers.Single(o => o.Source != "CRA");
        Assert.Equal("Samuel E White", roster.Name);
        Assert.True(roster.OfficerComplaints > cra.OfficerComplaints, $"{roster.OfficerComplaints} beside {cra.OfficerComplaints}");
        Assert.True(roster.OfficerMembers.Count >= 2, "the roster officer is merged across OPCR and IAU");
        Assert.NotEmpty(roster.Badges);
        Assert.NotNull(roster.Rank);
        Assert.NotNull(cra.HireDate);

        Assert.Equal(JsonSerializer.Serialize(white), JsonSerializer.Serialize(await queue.GetAsync(white.Id)));
        Assert.Null(await queue.GetAsync("idr-0000000000000000"));
    }

    [Fact]
    public async Task A_same_decision_leaves_the_queue_at_once_and_the_next_step_merges_the_officers_in_a_new_generation()
    {
        using var temp = new TempFolder();
        var releases = await PublishSamplesAsync(temp.Path);
        var store = new IdentityReviewStore(new MemoryContainer());
        var index = new GenerationIndex();
        var step = new OfficerIndexStep(releases, index, review: store);
        var first = await step.RunAsync(SampleSources);
        var queue = new IdentityReviewQueue(releases, store);
        var before = await queue.ListAsync();
        var white = before.Items.Single(i => i.Officers.Any(o => o.Name == "SAMUEL E WHITE"));
        var other = before.Items.First(i => i.Id != white.Id);

        await store.DecideAsync(IdentityDecisionKind.Same, [.. white.Officers.Select(o => o.Officer)], "personnel file 1998-12", before.ReviewVersion);
        await store.DecideAsync(IdentityDecisionKind.Different, [.. other.Officers.Select(o => o.Officer)], null, before.ReviewVersion + 1);

        // Decided items leave the queue before the step runs again.
        var decided = await queue.ListAsync();
        Assert.Equal((first.Generation, 2), (decided.Generation, decided.ReviewVersion));
        Assert.Equal(before.Items.Select(i => i.Id).Except([white.Id, other.Id]), decided.Items.Select(i => i.Id));
        Assert.Null(await queue.GetAsync(white.Id));

        var second = await step.RunAsync(SampleSources);
        Assert.False(second.AlreadyLive);
        Assert.NotEqual(first.Generation, second.Generation);
        Assert.Equal(first.Officers - 1, second.Officers);
        var documents = (await IdentityReportIo.ReadDocumentsAsync(releases.Open(OfficerIndexStep.Folder, second.Generation)))!;
        var merged = documents.Single(d => d.SourceRefs.Any(r => r.ToString() == white.Officers[0].Officer));
        Assert.Equal(white.Officers.SelectMany(o => o.OfficerMembers).Order(StringComparer.Ordinal), merged.SourceRefs.Select(r => r.ToString()).Order(StringComparer.Ordinal));
        Assert.Equal(white.Officers.Select(o => o.OfficerMembers.Count).Sum(), merged.SourceRefs.Count);
        foreach (var officer in other.Officers)
        {
            Assert.DoesNotContain(documents.Single(d => d.SourceRefs.Any(r => r.ToString() == officer.Officer)).SourceRefs, r => other.Officers.Any(o => o.Officer != officer.Officer && o.Officer == r.ToString()));
        }

        var decisions = second.Identity!.Decisions;
        Assert.Contains(decisions, d => d is { Kind: "same", Location: "review:v000002:$.same[0]", Applied: true, Note: "personnel file 1998-12" });
        Assert.Contains(decisions, d => d is { Kind: "different", Location: "review:v000002:$.different[0]", Applied: true });
        Assert.Equal(first.Identity!.Counts.Undecided - 2, second.Identity.Counts.Undecided);
        Assert.Equal(decided.Items.Select(i => i.Id), (await queue.ListAsync()).Items.Select(i => i.Id));

        // Nothing changed since: the step is a no-op.
        var third = await step.RunAsync(SampleSources);
        Assert.True(third.AlreadyLive);
        Assert.Equal(second.Generation, third.Generation);
    }

    [Fact]
    public async Task Without_stored_decisions_the_generation_is_the_one_without_review_storage()
    {
        using var temp = new TempFolder();
        var releases = await PublishSamplesAsync(temp.Path);

        var plain = await new OfficerIndexStep(releases, new GenerationIndex()).RunAsync(SampleSources);
        var reviewed = await new OfficerIndexStep(releases, new GenerationIndex(), review: new IdentityReviewStore(new MemoryContainer())).RunAsync(SampleSources);

        Assert.Equal(plain.Generation, reviewed.Generation);
    }

    [Fact]
    public async Task The_identity_report_reads_back_to_the_same_bytes()
    {
        using var temp = new TempFolder();
        var releases = await PublishSamplesAsync(temp.Path, MinnesotaWithBirthYear);
        var report = await new OfficerIndexStep(releases, new GenerationIndex()).RunAsync(SampleSources);
        var folder = releases.Open(OfficerIndexStep.Folder, report.Generation);

        var read = await IdentityReportIo.ReadReportAsync(folder);
        var copy = new FolderArtefactStore(temp.Sub("copy"));
        await IdentityReportIo.WriteReportAsync(copy, read!);

        Assert.NotEmpty(read!.Merged);
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(folder.Location, IdentityReportIo.ReportPath), Encoding.UTF8),
            await File.ReadAllTextAsync(Path.Combine(copy.Location, IdentityReportIo.ReportPath), Encoding.UTF8));
        Assert.Null(await IdentityReportIo.ReadReportAsync(new FolderArtefactStore(temp.Sub("none"))));
    }

    [Fact]
    public void An_item_is_settled_when_every_matched_pair_is_joined_or_kept_apart_through_the_overrides()
    {
        // CRA:o-c matches OPCR:o-a and OPCR:o-b (two competing officers).
        var report = new IdentityReport
        {
            Counts = new IdentityCounts(3, new Dictionary<string, int>(), 3, 0, new Dictionary<IdentityRule, int>(), 0),
            Candidates =
            [
                new IdentityCandidateSet(IdentityRule.NameAndHireDate, CandidateDecision.Undecided, ["CRA", "OPCR"], "competing",
                    [Candidate("CRA:o-c"), Candidate("OPCR:o-a"), Candidate("OPCR:o-b")],
                    [new IdentityCandidatePair("CRA:o-c", "OPCR:o-a", null), new IdentityCandidatePair("CRA:o-c", "OPCR:o-b", null)]) { Kind = AmbiguityKind.MultipleCandidates },
                new IdentityCandidateSet(IdentityRule.NameAndHireDate, CandidateDecision.Merged, ["CRA", "OPCR"], "merged by policy",
                    [Candidate("CRA:o-x"), Candidate("OPCR:o-y")], [new IdentityCandidatePair("CRA:o-x", "OPCR:o-y", null)]),
            ],
        };
        var documents = new Dictionary<string, OfficerDocument>();

        Assert.Single(IdentityReviewQueue.Build(report, documents, IdentityOverrides.Empty));
        Assert.Equal(AmbiguityKind.MultipleCandidates, IdentityReviewQueue.Build(report, documents, IdentityOverrides.Empty)[0].Ambiguity);

        // One pair decided: the other still waits.
        Assert.Single(IdentityReviewQueue.Build(report, documents, Overrides("""{ "same": [{ "officers": ["cra:o-c", "OPCR:o-a"] }] }""")));

        // Both: one joined, the other kept apart through that join (o-b is different from o-a, which is o-c).
        Assert.Empty(IdentityReviewQueue.Build(report, documents, Overrides("""{ "same": [{ "officers": ["CRA:o-c", "OPCR:o-a"] }], "different": [{ "officers": ["OPCR:o-a", "OPCR:o-b"] }] }""")));
        Assert.Empty(IdentityReviewQueue.Build(report, documents, Overrides("""{ "different": [{ "officers": ["CRA:o-c", "OPCR:o-a", "OPCR:o-b"] }] }""")));
        Assert.Single(IdentityReviewQueue.Build(report, documents, Overrides("""{ "different": [{ "officers": ["OPCR:o-a", "OPCR:o-b"] }] }""")));
    }

    private static IdentityOverrides Overrides(string json) => IdentityOverrides.Parse(json);

    private static IdentityCandidate Candidate(string officer) => new(officer, "off-" + officer[^1], "Jane Doe", null, [], null, "2005");

    /// <summary>An officer index that only keeps its generation (the step's no-op check reads it).</summary>
    private sealed class GenerationIndex : IOfficerIndex
    {
        private string? generation;

        public Task PublishAsync(string generation, IEnumerable<OfficerDocument> documents, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
        {
            _ = documents.Count();
            this.generation = generation;
            return Task.CompletedTask;
        }

        public Task<string?> GetGenerationAsync(CancellationToken cancellationToken = default) => Task.FromResult(generation);

        public Task<OfficerSearchResult> SearchAsync(OfficerQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<OfficerDocument?> GetAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
