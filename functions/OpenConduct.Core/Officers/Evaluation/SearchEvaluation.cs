using System.Globalization;
using System.Text;

namespace OpenConduct.Core.Officers;

/// <summary>
/// Measures an officer index on labelled queries: each query is run through <see cref="IOfficerIndex.SearchAsync"/>
/// (the first <see cref="Depth"/> hits) and scored by the rank of its first relevant officer. Per kind:
/// recall@1 and recall@10 (the share of queries with a relevant officer first, or among the first 10) and the mean
/// reciprocal rank (1/rank of the first relevant officer, 0 when none is in the first 10). Figures only: the report
/// names nobody, so the report of a real roster can be published; <see cref="Report.Misses"/> quotes queries and is
/// for a developer's screen only.
/// </summary>
public static class SearchEvaluation
{
    /// <summary>How many hits each query reads.</summary>
    public const int Depth = 10;

    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A target on one kind: recall at <see cref="K"/> of at least <see cref="Minimum"/>.</summary>
    public sealed record Target(string Kind, int K, double Minimum)
    {
        public override string ToString() => string.Create(Inv, $"recall@{K} ≥ {Minimum:0.00}");
    }

    /// <summary>
    /// The targets of issue 16: exact names (either order) and badges (as published, and with or without leading zeros)
    /// first at least 99% of the time; a one-typo surname first at least 85% of the time and in the first 10 at least 99%.
    /// </summary>
    public static IReadOnlyList<Target> Targets { get; } =
    [
        new(SearchQueryKinds.Exact, 1, 0.99),
        new(SearchQueryKinds.ExactLastFirst, 1, 0.99),
        new(SearchQueryKinds.SurnameTransposition, 1, 0.85),
        new(SearchQueryKinds.SurnameTransposition, 10, 0.99),
        new(SearchQueryKinds.SurnameDeletion, 1, 0.85),
        new(SearchQueryKinds.SurnameDeletion, 10, 0.99),
        new(SearchQueryKinds.Badge, 1, 0.99),
        new(SearchQueryKinds.BadgeLeadingZeros, 1, 0.99),
    ];

    /// <summary>The figures of one kind. <see cref="ReciprocalRanks"/> is the sum of 1/rank over its queries.</summary>
    public sealed record KindFigures(string Kind, int Queries, int AtOne, int AtTen, double ReciprocalRanks, int SeveralRelevant)
    {
        public double RecallAt1 => Queries == 0 ? 0 : (double)AtOne / Queries;

        public double RecallAt10 => Queries == 0 ? 0 : (double)AtTen / Queries;

        public double Mrr => Queries == 0 ? 0 : ReciprocalRanks / Queries;

        /// <summary>Recall at 1 or 10.</summary>
        public double RecallAt(int k) => k switch
        {
            1 => RecallAt1,
            10 => RecallAt10,
            _ => throw new ArgumentOutOfRangeException(nameof(k), k, "recall is measured at 1 and 10"),
        };

        /// <summary>The figures of a list of first-relevant ranks (1-based; null when no relevant officer was in the first 10).</summary>
        public static KindFigures From(string kind, IEnumerable<int?> ranks, int severalRelevant = 0)
        {
            ArgumentNullException.ThrowIfNull(ranks);
            int queries = 0, one = 0, ten = 0;
            var reciprocal = 0.0;
            foreach (var rank in ranks)
            {
                queries++;
                if (rank is { } r and >= 1 and <= Depth)
                {
                    one += r == 1 ? 1 : 0;
                    ten++;
                    reciprocal += 1.0 / r;
                }
            }

            return new KindFigures(kind, queries, one, ten, reciprocal, severalRelevant);
        }
    }

    /// <summary>The figures of one query set.</summary>
    public sealed record Report(string Set, int Officers, IReadOnlyList<KindFigures> Kinds, IReadOnlyDictionary<string, int>? Eligible, IReadOnlyList<string> Misses)
    {
        public KindFigures this[string kind] => Kinds.First(k => k.Kind == kind);

        /// <summary>Each target with its kind's figure and whether it is met (a kind without queries meets nothing).</summary>
        public IEnumerable<(Target Target, double? Value, bool Met)> TargetResults() =>
            Targets.Select(t =>
            {
                var figures = Kinds.FirstOrDefault(k => k.Kind == t.Kind);
                double? value = figures is { Queries: > 0 } ? figures.RecallAt(t.K) : null;
                return (t, value, value >= t.Minimum);
            });

        /// <summary>The table (shares rounded down to 3 decimals) and the targets, as the command prints them and docs/search.md quotes them.</summary>
        public string ToMarkdown()
        {
            var b = new StringBuilder();
            b.Append(Inv, $"{Set}: {Kinds.Sum(k => k.Queries):N0} queries over {Officers:N0} officers.\n\n");
            b.Append("| Kind | Queries | Recall@1 | Recall@10 | MRR | Target | Met |\n|---|---:|---:|---:|---:|---|---|\n");
            var results = TargetResults().ToList();
            foreach (var k in Kinds)
            {
                var targets = results.Where(r => r.Target.Kind == k.Kind).ToList();
                var target = targets.Count == 0 ? "-" : string.Join(", ", targets.Select(t => t.Target.ToString()));
                var met = targets.Count == 0 ? "-" : targets.All(t => t.Met) ? "yes" : "**no**";
                b.Append(k.Queries == 0
                    ? string.Create(Inv, $"| {k.Kind} | 0 | - | - | - | {target} | {met} |\n")
                    : string.Create(Inv, $"| {k.Kind} | {k.Queries:N0} | {Down(k.RecallAt1)} | {Down(k.RecallAt10)} | {Down(k.Mrr)} | {target} | {met} |\n"));
            }

            b.Append(Inv, $"\nTargets met: {results.Count(r => r.Met)} of {results.Count}.");
            var several = Kinds.Sum(k => k.SeveralRelevant);
            b.Append(Inv, $" Queries with several relevant officers (namesakes, a shared badge): {several:N0}.");
            if (Eligible is { Count: > 0 })
            {
                b.Append(" Officers eligible per kind: ")
                    .Append(string.Join(", ", Kinds.Select(k => string.Create(Inv, $"{k.Kind} {Eligible.GetValueOrDefault(k.Kind):N0}"))))
                    .Append('.');
            }

            return b.Append('\n').ToString();
        }
    }

    /// <summary>A share with 3 decimals, rounded down (1999 of 2000 is 0.999, never 1.000), past binary fractions' error (19 of 20 is 0.950).</summary>
    public static string Down(double share) => (Math.Floor((share * 1000) + 1e-9) / 1000).ToString("0.000", Inv);

    /// <summary>The 1-based rank of the first hit that is one of <paramref name="relevant"/>, or null when none is.</summary>
    public static int? FirstRelevantRank(IReadOnlyList<string> rankedIds, IReadOnlyCollection<string> relevant)
    {
        ArgumentNullException.ThrowIfNull(rankedIds);
        ArgumentNullException.ThrowIfNull(relevant);
        for (var i = 0; i < rankedIds.Count; i++)
        {
            if (relevant.Contains(rankedIds[i], StringComparer.Ordinal))
            {
                return i + 1;
            }
        }

        return null;
    }

    /// <summary>
    /// Runs every query through <paramref name="index"/> and measures it. Kinds are listed in the order of
    /// <see cref="SearchQueryKinds.All"/> (every one, with or without queries), then any other kind the set holds.
    /// Up to <paramref name="maxMisses"/> queries of each kind that did not find a relevant officer first are described
    /// in <see cref="Report.Misses"/>.
    /// </summary>
    public static async Task<Report> RunAsync(
        string set,
        IOfficerIndex index,
        IReadOnlyList<LabelledQuery> queries,
        int officers,
        IReadOnlyDictionary<string, int>? eligible = null,
        int maxMisses = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(queries);
        var ranks = new Dictionary<string, List<int?>>(StringComparer.Ordinal);
        var several = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>(SearchQueryKinds.All);
        foreach (var kind in order)
        {
            ranks[kind] = [];
        }

        var misses = new List<string>();
        var missesByKind = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var query in queries)
        {
            var result = await index.SearchAsync(new OfficerQuery { Text = query.Text, Take = Depth }, cancellationToken).ConfigureAwait(false);
            var rank = FirstRelevantRank([.. result.Hits.Select(h => h.Id)], query.Relevant);
            if (!ranks.TryGetValue(query.Kind, out var list))
            {
                ranks[query.Kind] = list = [];
                order.Add(query.Kind);
            }

            list.Add(rank);
            several[query.Kind] = several.GetValueOrDefault(query.Kind) + (query.Relevant.Count > 1 ? 1 : 0);
            if (rank != 1 && missesByKind.GetValueOrDefault(query.Kind) < maxMisses)
            {
                missesByKind[query.Kind] = missesByKind.GetValueOrDefault(query.Kind) + 1;
                var first = result.Hits.Count == 0 ? "no hit" : string.Create(Inv, $"first {result.Hits[0].DisplayName} ({result.Hits[0].Match}, {result.Hits[0].Complaints} complaints)");
                misses.Add(string.Create(Inv,
                    $"{set} {query.Kind} \"{query.Text}\" for {query.Target}: {(rank is { } r ? "rank " + r.ToString(Inv) : "not in the first " + Depth.ToString(Inv))} of {result.Total} matches; {first}"));
            }
        }

        var kinds = order.Select(kind => KindFigures.From(kind, ranks[kind], several.GetValueOrDefault(kind))).ToList();
        return new Report(set, officers, kinds, eligible, misses);
    }
}
