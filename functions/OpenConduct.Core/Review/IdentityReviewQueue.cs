using System.Security.Cryptography;
using System.Text;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Review;

/// <summary>
/// One per-source officer of a review item, with the evidence a reviewer compares side by side. Every value is
/// published already: the per-source values come from the identity report, the officer's from its public document.
/// </summary>
/// <param name="Officer"><c>{source}:{officerRef}</c>, as a decision names it.</param>
/// <param name="Source">The source (as its records write it, e.g. <c>CRA</c>).</param>
/// <param name="OfficerRef">The officer's reference in the source (<c>o-...</c>).</param>
/// <param name="OfficerId">The public id of the officer it is in now (<c>off-...</c>).</param>
/// <param name="Name">The name as the source publishes it.</param>
/// <param name="EmployeeId">As published; null when not.</param>
/// <param name="Badges">The badge numbers the source's record lists.</param>
/// <param name="BirthYear">As published (Minnesota does not).</param>
/// <param name="HireDate">As published.</param>
/// <param name="Unit">The unit on the source's record.</param>
/// <param name="Complaints">The published complaints of the source naming this per-source officer.</param>
/// <param name="FirstComplaintYear">The year of the first of those complaints.</param>
/// <param name="LastComplaintYear">The year of the last of those complaints.</param>
public sealed record IdentityReviewOfficer(
    string Officer,
    string Source,
    string OfficerRef,
    string OfficerId,
    string Name,
    string? EmployeeId,
    IReadOnlyList<string> Badges,
    int? BirthYear,
    string? HireDate,
    string? Unit,
    int Complaints,
    int? FirstComplaintYear,
    int? LastComplaintYear)
{
    /// <summary>The last rank of the officer it is in now (its document); null when no source publishes one.</summary>
    public string? Rank { get; init; }

    /// <summary>The last unit of the officer it is in now (its document).</summary>
    public string? LastUnit { get; init; }

    /// <summary>Every per-source officer of the officer it is in now (itself included), <c>{source}:{officerRef}</c>.</summary>
    public IReadOnlyList<string> OfficerMembers { get; init; } = [];

    /// <summary>The complaints of the officer it is in now, across its sources.</summary>
    public int OfficerComplaints { get; init; }
}

/// <summary>What a review item comes from in the identity report.</summary>
public enum IdentityReviewItemKind
{
    /// <summary>An undecided candidate set of a candidate rule (<c>candidates</c>).</summary>
    Candidate,

    /// <summary>A match of an automatic rule that was not merged (<c>ambiguities</c>).</summary>
    Ambiguity,
}

/// <summary>Officers that a rule matched and that wait for a reviewer's "same" or "different".</summary>
/// <param name="Id"><c>idr-</c> and 16 hex digits of the SHA-256 of the sorted officers: stable across generations while the officers are.</param>
/// <param name="Kind">A candidate set or an ambiguity.</param>
/// <param name="Rule">The rule that matched them.</param>
/// <param name="Ambiguity">Why they were not merged (an ambiguity's kind; a candidate set's when several officers compete); null for a plain candidate.</param>
/// <param name="Reason">The report's reason, in words.</param>
/// <param name="Sources">The sources of the officers, ordinal.</param>
/// <param name="Officers">The per-source officers with their evidence, in the report's order.</param>
/// <param name="Pairs">The pairs the rule matched, with what agrees, differs and is unknown.</param>
public sealed record IdentityReviewItem(
    string Id,
    IdentityReviewItemKind Kind,
    IdentityRule Rule,
    AmbiguityKind? Ambiguity,
    string Reason,
    IReadOnlyList<string> Sources,
    IReadOnlyList<IdentityReviewOfficer> Officers,
    IReadOnlyList<IdentityCandidatePair> Pairs);

/// <summary>The review queue as of one officer index generation and one version of the stored decisions.</summary>
/// <param name="Generation">The live officer index generation the items come from; null before the first.</param>
/// <param name="ReviewVersion">The stored decisions' version: pass it to <see cref="IdentityReviewStore.DecideAsync"/> as the expected version.</param>
/// <param name="Items">Undecided items, in the report's order (ambiguities, then candidate sets; by rule, then first officer).</param>
public sealed record IdentityReviewQueueSnapshot(string? Generation, int ReviewVersion, IReadOnlyList<IdentityReviewItem> Items);

/// <summary>
/// The officer merges a reviewer must decide (docs/officers.md#the-review-queue): from the live officer index
/// generation's identity report, every undecided candidate set and every ambiguity, minus those whose matched pairs the
/// overrides file and the stored reviewer decisions already settle (a decision taken since the generation was built is
/// honoured at once, before the officer index step runs again). Each officer carries its evidence from the report and
/// its officer's public document: nothing that is not published.
/// </summary>
public sealed class IdentityReviewQueue(IReleaseStore releases, IdentityReviewStore store)
{
    private volatile Loaded? loaded;

    /// <summary>The undecided items, with the generation and the decisions' version they were computed against.</summary>
    public async Task<IdentityReviewQueueSnapshot> ListAsync(CancellationToken cancellationToken = default)
    {
        var reviewed = await store.LoadAsync(cancellationToken).ConfigureAwait(false);
        var generation = await releases.GetLatestAsync(OfficerIndexStep.Folder, cancellationToken).ConfigureAwait(false);
        if (generation is null)
        {
            return new IdentityReviewQueueSnapshot(null, reviewed.Version, []);
        }

        var current = await LoadAsync(generation, cancellationToken).ConfigureAwait(false);
        var effective = ReviewedIdentityOverrides.Combine(store.FileOverrides, reviewed.Overrides).Overrides;
        return new IdentityReviewQueueSnapshot(generation, reviewed.Version, Build(current.Report, current.Documents, effective));
    }

    /// <summary>One undecided item, or null when there is none with this id (decided, gone from the report, or unknown).</summary>
    public async Task<IdentityReviewItem?> GetAsync(string itemId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        var snapshot = await ListAsync(cancellationToken).ConfigureAwait(false);
        return snapshot.Items.FirstOrDefault(i => string.Equals(i.Id, itemId, StringComparison.Ordinal));
    }

    /// <summary>The id of the item of these officers: <c>idr-</c> and 16 hex digits of the SHA-256 of their canonical references (source in upper case), sorted and joined by line feeds.</summary>
    public static string ItemId(IEnumerable<string> officers)
    {
        ArgumentNullException.ThrowIfNull(officers);
        var keys = officers.Select(o => IdentityOverrides.TryParseRef(o, out var r) ? IdentityOverrides.Canonical(r) : o).Order(StringComparer.Ordinal);
        return "idr-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', keys))))[..16];
    }

    /// <summary>
    /// The items of a report: its ambiguities and undecided candidate sets, with the evidence of the documents (by
    /// public id), minus those whose every matched pair <paramref name="decided"/> settles (joined by its <c>same</c>
    /// entries, or kept apart by a <c>different</c> entry). One item per set of officers (the first listed wins).
    /// </summary>
    public static IReadOnlyList<IdentityReviewItem> Build(IdentityReport report, IReadOnlyDictionary<string, OfficerDocument> documents, IdentityOverrides decided)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(decided);
        var settled = new Settled(decided);
        var items = new List<IdentityReviewItem>();
        var ids = new HashSet<string>(StringComparer.Ordinal);

        void Add(IdentityReviewItemKind kind, IdentityRule rule, AmbiguityKind? ambiguity, string reason, IReadOnlyList<string>? sources, IReadOnlyList<IdentityCandidate> officers, IReadOnlyList<IdentityCandidatePair> pairs)
        {
            var id = ItemId(officers.Select(o => o.Officer));
            var open = pairs.Count > 0 ? pairs.Select(p => (p.First, p.Second)) : officers.SelectMany((a, i) => officers.Skip(i + 1).Select(b => (a.Officer, b.Officer)));
            if (open.All(p => settled.Pair(p.Item1, p.Item2)) || !ids.Add(id))
            {
                return;
            }

            var evidence = officers.Select(o => Officer(o, documents.GetValueOrDefault(o.Id))).ToList();
            items.Add(new IdentityReviewItem(id, kind, rule, ambiguity, reason,
                sources ?? [.. evidence.Select(o => o.Source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)], evidence, pairs));
        }

        foreach (var a in report.Ambiguities)
        {
            Add(IdentityReviewItemKind.Ambiguity, a.Rule, a.Kind, a.Reason, null, a.Officers, a.Pairs);
        }

        foreach (var c in report.Candidates.Where(c => c.Decision == CandidateDecision.Undecided))
        {
            Add(IdentityReviewItemKind.Candidate, c.Rule, c.Kind, c.Reason, c.Sources, c.Officers, c.Pairs);
        }

        return items;
    }

    private static IdentityReviewOfficer Officer(IdentityCandidate c, OfficerDocument? document)
    {
        IdentityOverrides.TryParseRef(c.Officer, out var reference);
        return new IdentityReviewOfficer(
            c.Officer, reference?.Source ?? "", reference?.OfficerRef ?? c.Officer, c.Id, c.Name, c.EmployeeId, c.Badges, c.BirthYear, c.HireDate, c.Unit,
            c.Complaints, c.FirstComplaintYear, c.LastComplaintYear)
        {
            Rank = document?.Rank,
            LastUnit = document?.Unit,
            OfficerMembers = [.. (document?.SourceRefs ?? []).Select(r => r.ToString())],
            OfficerComplaints = document?.Summary.Complaints ?? 0,
        };
    }

    /// <summary>The generation's report and the documents it names, read once per generation (a generation never changes).</summary>
    private async Task<Loaded> LoadAsync(string generation, CancellationToken cancellationToken)
    {
        if (loaded is { } cached && cached.Generation == generation)
        {
            return cached;
        }

        var folder = releases.Open(OfficerIndexStep.Folder, generation);
        var report = await IdentityReportIo.ReadReportAsync(folder, cancellationToken).ConfigureAwait(false)
                     ?? throw new InvalidDataException($"the live officer index generation {generation} has no {IdentityReportIo.ReportPath} ({folder.Location})");
        var named = report.Ambiguities.SelectMany(a => a.Officers).Concat(report.Candidates.SelectMany(c => c.Officers)).Select(o => o.Id).ToHashSet(StringComparer.Ordinal);
        var documents = (await IdentityReportIo.ReadDocumentsAsync(folder, cancellationToken).ConfigureAwait(false) ?? [])
            .Where(d => named.Contains(d.Id))
            .ToDictionary(d => d.Id, d => d with { Complaints = [] }, StringComparer.Ordinal);
        var result = new Loaded(generation, report, documents);
        loaded = result;
        return result;
    }

    private sealed record Loaded(string Generation, IdentityReport Report, IReadOnlyDictionary<string, OfficerDocument> Documents);

    /// <summary>Which pairs the overrides settle: joined by the <c>same</c> entries (transitively), or kept apart by one <c>different</c> entry (through those joins).</summary>
    private sealed class Settled
    {
        private readonly Dictionary<string, string> parent = new(StringComparer.Ordinal);
        private readonly List<HashSet<string>> apart = [];

        public Settled(IdentityOverrides overrides)
        {
            foreach (var entry in overrides.Same)
            {
                var first = Find(IdentityOverrides.Canonical(entry.Officers[0]));
                foreach (var officer in entry.Officers.Skip(1))
                {
                    var root = Find(IdentityOverrides.Canonical(officer));
                    if (root != first)
                    {
                        parent[root] = first;
                    }
                }
            }

            apart.AddRange(overrides.Different.Select(e => e.Officers.Select(o => Find(IdentityOverrides.Canonical(o))).ToHashSet(StringComparer.Ordinal)));
        }

        public bool Pair(string a, string b)
        {
            if (!IdentityOverrides.TryParseRef(a, out var x) || !IdentityOverrides.TryParseRef(b, out var y))
            {
                return false;
            }

            var (ra, rb) = (Find(IdentityOverrides.Canonical(x)), Find(IdentityOverrides.Canonical(y)));
            return ra == rb || apart.Exists(s => s.Contains(ra) && s.Contains(rb));
        }

        private string Find(string key)
        {
            while (parent.TryGetValue(key, out var p) && p != key)
            {
                key = p;
            }

            return key;
        }
    }
}
