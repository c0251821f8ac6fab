using System.Globalization;
using OpenConduct.Core.Dashboards;
using OpenConduct.Core.Model;
using static OpenConduct.Core.Tests.Dashboards.DashboardKit;

namespace OpenConduct.Core.Tests.Dashboards;

/// <summary>
/// Adaptive grouping, as properties over random releases (seeded): every published count is the true count of its
/// group and none is from 1 to k - 1; every period with complaints is in a row whose total is published; the part of a
/// total that is not shown is never a small count; no suppressed count follows exactly from the published figures of
/// the table, nor from a drill-down together with its parent (whose rows may be grouped differently), by linear
/// algebra over the ungrouped true counts. Then the finding of issue 17 on a hand-made release.
/// </summary>
public sealed class AdaptiveGroupingTests
{
    private const long P = 1_000_000_007;

    private static readonly string[] Categories = ["UseOfForce", "Language", "Procedure", "Discrimination", "Search"];

    /// <summary>The requests checked on every random release: time rows by year and month, demographic rows, categories.</summary>
    private static readonly (string Name, (string, string)[] Options)[] Requests =
    [
        ("complaints-over-time", []),
        ("complaints-over-time", [("interval", "month")]),
        ("intake-decisions", []),
        ("demographics", []),
        ("demographics", [("by", "officerRace")]),
        ("allegation-types", []),
        ("allegations-map", []),
        ("allegations-over-time", []),
        ("allegations-over-time", [("interval", "month")]),
        ("timelines", []),
    ];

    [Fact]
    public void Every_table_publishes_true_counts_of_its_groups_and_nothing_follows_from_it()
    {
        var checkedTables = 0;
        var coarser = 0;
        var merged = 0;
        for (var seed = 0; seed < 40; seed++)
        {
            var release = RandomRelease.Make(seed);
            var random = new Random(seed);
            foreach (var (name, options) in Requests)
            {
                if (Months(name, options) && release.YearSpan > 8)
                {
                    continue;   // monthly rows over many years: too many unknowns for the audit
                }

                foreach (var filter in new[] { Array.Empty<(string, string)>(), [release.RandomFilter(random)] })
                {
                    var query = options.Concat(filter).ToArray();
                    var (table, truth) = (Run(release.Facts, name, query), Run(release.Truth, name, query));
                    var where = $"seed {seed}, k = {release.K}, {name}?{string.Join('&', query.Select(q => $"{q.Item1}={q.Item2}"))}";
                    CheckTable(table, truth, where);
                    Audit([(table, truth, true)], where);
                    checkedTables++;
                    coarser += table.Grouping?.GetValueOrDefault("time") is { } level && level is not ("year" or "month") ? 1 : 0;
                    merged += table.Merged is null ? 0 : 1;
                }
            }
        }

        // The random releases exercise what is claimed: coarser time bins and merged groups occur, often.
        Assert.True(checkedTables > 400, $"{checkedTables} tables");
        Assert.True(coarser > 40, $"{coarser} tables with time bins coarser than the rows asked for");
        Assert.True(merged > 20, $"{merged} tables with merged groups");
    }

    [Fact]
    public void A_drill_down_and_its_parent_together_reveal_no_suppressed_count_across_groupings()
    {
        var pairs = 0;
        var differentGrouping = 0;
        for (var seed = 100; seed < 140; seed++)
        {
            var release = RandomRelease.Make(seed);
            var random = new Random(seed);
            foreach (var (name, options) in Requests.Where(r => !Months(r.Name, r.Options)))
            {
                for (var drill = 0; drill < 3; drill++)
                {
                    var parentQuery = options.Concat(drill == 0 ? [] : new[] { release.RandomFilter(random) }).ToArray();
                    var extra = release.RandomFilter(random);
                    if (parentQuery.Any(q => q.Item1 == extra.Name))
                    {
                        continue;
                    }

                    var childQuery = parentQuery.Append(extra).ToArray();
                    var parent = (Run(release.Facts, name, parentQuery), Run(release.Truth, name, parentQuery), false);
                    var child = (Run(release.Facts, name, childQuery), Run(release.Truth, name, childQuery), true);
                    var where = $"seed {seed}, k = {release.K}, {name}: ?{Text(parentQuery)} then &{extra.Name}={extra.Value}";
                    Audit([parent, child], where);
                    pairs++;
                    differentGrouping += Rows(parent.Item1) != Rows(child.Item1) ? 1 : 0;
                }
            }
        }

        Assert.True(pairs > 300, $"{pairs} pairs");
        Assert.True(differentGrouping > 50, $"only {differentGrouping} pairs were grouped differently");
    }

    [Fact]
    public void Old_years_each_below_k_are_shown_in_bins_and_publishable_year_totals_are_shown()
    {
        // The finding of issue 17: the former CRA with 107 complaints over 1991-2010, each year below k = 10; OPCR from
        // 2011 with 18 to 25 a year, split over intake decisions whose cells are mostly small.
        var cra = new DashboardKit { Source = "CRA" }.Officer("o1", Race.White, Sex.Male);
        var counts = new[] { 4, 7, 3, 8, 6, 5, 8, 2, 6, 4, 3, 7, 5, 5, 2, 8, 4, 6, 5, 9 };   // 1991-2010: 107, each pair at least 10
        for (var y = 0; y < counts.Length; y++)
        {
            for (var i = 0; i < counts[y]; i++)
            {
                cra.Case(new DateOnly(1991 + y, 1 + (i % 12), 3), allegations: [new("UseOfForce")]);
            }
        }

        var opcr = new DashboardKit { Source = "OPCR" }.Officer("o2", Race.Black, Sex.Female);
        var decisions = Enum.GetValues<IntakeDecision>();
        for (var year = 2011; year <= 2026; year++)
        {
            for (var i = 0; i < 18 + (year % 8); i++)
            {
                opcr.Case(new DateOnly(year, 1 + (i % 12), 5), intake: decisions[i % decisions.Length], precinct: (1 + (i % 5)).ToString(CultureInfo.InvariantCulture), allegations: [new("Language", "o2")]);
            }
        }

        var facts = DashboardFacts.Combine([cra.Facts(MinnesotaWithK(10), "cra"), opcr.Facts(MinnesotaWithK(10), "opcr")]);
        var overTime = Run(facts, "complaints-over-time");
        Assert.Equal("2-year", overTime.Grouping!["time"]);
        Assert.Equal("1991-1992", overTime.Rows.Values[0]);
        Assert.Equal("2025-2026", overTime.Rows.Values[^1]);
        Assert.All(overTime.RowTotals, total => Assert.True(total >= 10));   // no period drawn as empty
        Assert.Equal(107, overTime.Rows.Values.Select((row, r) => string.CompareOrdinal(row, "2011") < 0 ? overTime.RowTotals[r]!.Value : 0).Sum());
        Assert.Contains(overTime.Notes, n => n.Contains("grouping.time = 2-year", StringComparison.Ordinal));

        // OPCR alone: every year's total is published, by year, though most of its cells by decision are below k: the
        // hidden cells are the part of the total not shown, never a bar without a total.
        var intake = Run(facts, "intake-decisions", ("source", "opcr"));
        Assert.Equal("year", intake.Grouping!["time"]);
        Assert.Equal(16, intake.Rows.Values.Count);
        Assert.All(intake.RowTotals, total => Assert.True(total >= 18));
        for (var r = 0; r < intake.Rows.Values.Count; r++)
        {
            Assert.Equal(intake.RowTotals[r] - intake.Cells[r].Sum(v => v ?? 0), intake.SuppressedParts![r]);
        }

        Assert.Contains(intake.SuppressedParts!, part => part >= 10);

        // One precinct: about 4 complaints a year: 5-year bins (2011-2015, 2016-2020, 2021-2025, 2026 alone has 4, so one
        // bin of every year would be next; whatever the level, every period with complaints shows its total).
        var precinct = Run(facts, "complaints-over-time", ("precinct", "1"));
        Assert.NotEqual("year", precinct.Grouping!["time"]);
        Assert.All(precinct.RowTotals, total => Assert.True(total >= 10));
    }

    [Fact]
    public void Small_demographic_groups_are_merged_into_one_row_listed_in_merged()
    {
        var kit = new DashboardKit().Officer("o1", Race.White, Sex.Male);
        void Add(Race race, int count)
        {
            for (var i = 0; i < count; i++)
            {
                kit.Case(new DateOnly(2023, 1 + (i % 12), 1), complainants: [new Person(race, Sex.Female, 30)], allegations: [new("UseOfForce")]);
            }
        }

        Add(Race.Black, 40);
        Add(Race.White, 30);
        Add(Race.Asian, 4);
        Add(Race.AmericanIndian, 3);
        Add(Race.Hispanic, 12);
        var facts = DashboardFacts.Combine([kit.Facts(MinnesotaWithK(10))]);
        var table = Run(facts, "demographics");
        Assert.Equal("merged", table.Grouping!["complainantRace"]);

        // Asian 4 + AmericanIndian 3 = 7 < 10: the smallest other group (Hispanic, 12) joins them.
        Assert.Equal(["AmericanIndian", "Asian", "Hispanic"], table.Merged!["Other (merged)"]);
        Assert.Equal(19, Cell(table, "Other (merged)", "UseOfForce"));
        Assert.Equal(40, Cell(table, "Black", "UseOfForce"));
        Assert.Equal(0, Cell(table, "PacificIslander", "UseOfForce"));   // zeros stay rows of their own
        Assert.Empty(table.Suppressed);
        Assert.Contains(table.Notes, n => n.Contains("merged", StringComparison.Ordinal));
    }

    // ---- checks ---------------------------------------------------------------------------------------------------

    private static bool Months(string name, (string, string)[] options) => options.Any(o => o.Item2 == "month");

    private static string Text((string Name, string Value)[] query) => string.Join('&', query.Select(q => $"{q.Name}={q.Value}"));

    private static string Rows(DashboardResponse response) => string.Join(',', response.Rows.Values);

    /// <summary>The response against the truth added up into its rows; coverage of every period; the parts not shown.</summary>
    private static void CheckTable(DashboardResponse table, DashboardResponse truth, string where)
    {
        var k = table.K;
        var regrouped = Regroup(truth, table);
        var width = table.Cells.Count == 0 ? 1 : table.Cells[0].Count;
        var trueTotal = truth.Total!.Value;
        var tooFew = trueTotal > 0 && trueTotal < k;
        void Published(long? value, long actual, string what)
        {
            if (value is { } v)
            {
                Assert.True(v == actual, $"{where}: {what} published {v}, true {actual}");
                Assert.False(v > 0 && v < k, $"{where}: {what} published {v} < k");
            }
            else
            {
                // Zeros are published, except in a table with fewer than k, which publishes nothing.
                Assert.True(actual > 0 || tooFew, $"{where}: {what} is a zero, suppressed");
            }
        }

        for (var r = 0; r < table.Cells.Count; r++)
        {
            for (var c = 0; c < width; c++)
            {
                Published(table.Cells[r][c], regrouped.Cells[r][c]!.Value, $"cell ({table.Rows.Values[r]}, {c})");
            }

            Published(table.RowTotals[r], regrouped.RowTotals[r]!.Value, $"total of {table.Rows.Values[r]}");
            if (table.SuppressedParts is { } parts)
            {
                // The part not shown is the sum of the hidden cells: never 1 to k - 1 (nor a single hidden cell).
                var hidden = Enumerable.Range(0, width).Where(c => table.Cells[r][c] is null).Select(c => regrouped.Cells[r][c]!.Value).ToList();
                Assert.Equal(table.RowTotals[r] is null ? null : hidden.Sum(), parts[r]);
                Assert.False(parts[r] is > 0 && (parts[r] < k || hidden.Count(v => v > 0) < 2), $"{where}: part not shown {parts[r]} of {table.Rows.Values[r]}");
            }
        }

        Published(table.Total, trueTotal, "total");
        if (tooFew)
        {
            return;
        }

        Assert.NotNull(table.Total);
        if (table.Rows.Dimension is "year" or "month")
        {
            // Every period with complaints lies in a row whose total is published (hence at least k).
            Assert.NotNull(table.Grouping?["time"]);
            for (var f = 0; f < truth.Rows.Values.Count; f++)
            {
                if (truth.RowTotals[f] > 0 && truth.Rows.Values[f] != DashboardDimensions.Unknown)
                {
                    var row = Enumerable.Range(0, table.Rows.Values.Count).Single(r => InRow(table, table.Rows.Values[r], truth.Rows.Values[f]));
                    Assert.True(table.RowTotals[row] >= k, $"{where}: {truth.Rows.Values[f]} ({truth.RowTotals[f]}) is in {table.Rows.Values[row]}, total {table.RowTotals[row]?.ToString(CultureInfo.InvariantCulture) ?? "hidden"}");
                }
            }
        }

        if (table.Merged is { } merged)
        {
            // Merged: no group left on its own row is small, and the merged row is at least k (unless all of it is small).
            for (var r = 0; r < table.Rows.Values.Count; r++)
            {
                var label = table.Rows.Values[r];
                var count = regrouped.RowTotals[r]!.Value;
                Assert.True(count == 0 || count >= k || label == DashboardDimensions.Unknown || (merged.ContainsKey(label) && regrouped.Total < k + count), $"{where}: {label} has {count}");
            }
        }
    }

    /// <summary>
    /// Exact recovery, by linear algebra over the true ungrouped counts of the first table's request: the unknowns are
    /// its cells (part <c>v</c>) and, for a drill-down (<c>Child</c>), the cells of the parent that the child does not
    /// count (part <c>w</c>); a published figure of the child is a sum over <c>v</c>, of the parent a sum over
    /// <c>v + w</c>. A suppressed figure is recovered exactly iff its sum lies in the span of the published sums (modulo
    /// a large prime: a 0/1 system whose rational dependencies have small denominators).
    /// </summary>
    private static void Audit((DashboardResponse Table, DashboardResponse Truth, bool Child)[] tables, string where)
    {
        var fineRows = tables.Select(t => t.Truth).OrderByDescending(t => t.Rows.Values.Count).First().Rows.Values;
        var width = tables[0].Table.Cells.Count == 0 ? 1 : tables[0].Table.Cells[0].Count;
        var pair = tables.Length > 1;
        var n = fineRows.Count * width * (pair ? 2 : 1);
        var basis = new Dictionary<int, long[]>();
        var hidden = new List<(long[] Sum, string What)>();
        foreach (var (table, _, child) in tables)
        {
            // The fine rows of each of the table's rows.
            var members = table.Rows.Values.Select(row => Enumerable.Range(0, fineRows.Count).Where(f => InRow(table, row, fineRows[f])).ToList()).ToList();
            long[] Sum(IEnumerable<int> rows, IEnumerable<int> columns)
            {
                var vector = new long[n];
                foreach (var f in rows)
                {
                    foreach (var c in columns)
                    {
                        var at = (f * width) + c;
                        vector[at] = 1;
                        if (pair && !child)
                        {
                            vector[(fineRows.Count * width) + at] = 1;
                        }
                    }
                }

                return vector;
            }

            var allColumns = Enumerable.Range(0, width).ToList();
            var allRows = members.SelectMany(m => m).ToList();
            void Add(long? value, long[] sum, string what)
            {
                if (value is null)
                {
                    hidden.Add((sum, $"{(child ? "drill-down" : "table")} {what}"));
                }
                else
                {
                    Reduce(basis, sum, add: true);
                }
            }

            for (var r = 0; r < members.Count; r++)
            {
                for (var c = 0; c < width; c++)
                {
                    Add(table.Cells[r][c], Sum(members[r], [c]), $"cell ({table.Rows.Values[r]}, {c})");
                }

                Add(table.RowTotals[r], Sum(members[r], allColumns), $"total of {table.Rows.Values[r]}");
            }

            if (table.ColumnTotals is { } columnTotals)
            {
                for (var c = 0; c < width; c++)
                {
                    Add(columnTotals[c], Sum(allRows, [c]), $"column total {c}");
                }
            }

            Add(table.Total, Sum(allRows, allColumns), "total");
        }

        // The true ungrouped counts: v the (child) table's, w the parent's minus the child's.
        var truth = new long[n];
        for (var f = 0; f < fineRows.Count; f++)
        {
            for (var c = 0; c < width; c++)
            {
                var (child, parent) = (TrueCell(tables[^1].Truth, fineRows[f], c), TrueCell(tables[0].Truth, fineRows[f], c));
                truth[(f * width) + c] = child;
                if (pair)
                {
                    truth[(fineRows.Count * width) + (f * width) + c] = parent - child;
                }
            }
        }

        foreach (var (sum, what) in hidden)
        {
            // A hidden zero (a table with fewer than k hides its zeros too) may well be known to be zero: it is nobody.
            var value = sum.Select((x, i) => x * truth[i]).Sum();
            if (value > 0)
            {
                Assert.False(Reduce(basis, (long[])sum.Clone(), add: false), $"{where}: the suppressed {what} ({value}) follows from the published figures");
            }
        }
    }

    /// <summary>
    /// Reduces the vector by an echelon basis (pivot -> a row whose first non-zero, 1, is at the pivot); true when it
    /// reduces to zero (it is in the span). With <paramref name="add"/>, a vector left non-zero joins the basis.
    /// </summary>
    private static bool Reduce(Dictionary<int, long[]> basis, long[] vector, bool add)
    {
        for (var i = 0; i < vector.Length; i++)
        {
            if (vector[i] == 0)
            {
                continue;
            }

            if (basis.TryGetValue(i, out var row))
            {
                var factor = vector[i];
                for (var j = i; j < vector.Length; j++)
                {
                    if (row[j] != 0)
                    {
                        vector[j] = ((vector[j] - (factor * row[j] % P)) % P + P) % P;
                    }
                }

                continue;
            }

            if (!add)
            {
                return false;
            }

            var inverse = Disclosure.SmallCellSuppressionTests.ModPow(vector[i], P - 2, P);
            for (var j = i; j < vector.Length; j++)
            {
                vector[j] = vector[j] * inverse % P;
            }

            basis[i] = vector;
            return false;
        }

        return true;
    }

    private static long TrueCell(DashboardResponse truth, string row, int column)
    {
        var r = truth.Rows.Values.ToList().IndexOf(row);
        return r < 0 ? 0 : truth.Cells[r][column]!.Value;
    }

    /// <summary>A random release of one to three sources, under k and under k = 1 (the truth), with skewed years, precincts and groups.</summary>
    private sealed class RandomRelease
    {
        private readonly List<(string Name, string Value)> filters = [];

        public required DashboardFacts Facts { get; init; }

        public required DashboardFacts Truth { get; init; }

        public int K => Facts.K;

        public int YearSpan { get; private init; }

        public (string Name, string Value) RandomFilter(Random random) => filters[random.Next(filters.Count)];

        public static RandomRelease Make(int seed)
        {
            var random = new Random(20261207 + seed);
            var k = new[] { 3, 5, 10, 10 }[random.Next(4)];
            var parts = new List<DashboardFactsPart>();
            var truth = new List<DashboardFactsPart>();
            var (first, last) = (3000, 0);
            foreach (var source in new[] { "cra", "opcr", "iau" }.Take(1 + random.Next(3)))
            {
                var from = 1995 + random.Next(25);
                var to = Math.Min(2026, from + random.Next(random.Next(2) == 0 ? 5 : 20));
                (first, last) = (Math.Min(first, from), Math.Max(last, to));
                var kit = Kit(random, source, from, to, 10 + random.Next(random.Next(3) == 0 ? 40 : 160));
                parts.Add(kit.Facts(MinnesotaWithK(k), source));
                truth.Add(kit.Facts(MinnesotaWithK(1), source));
            }

            var facts = DashboardFacts.Combine(parts);
            var release = new RandomRelease { Facts = facts, Truth = DashboardFacts.Combine(truth), YearSpan = last - first + 1 };
            foreach (var d in new[] { DashboardDimensions.Precinct, DashboardDimensions.Source, DashboardDimensions.Category, DashboardDimensions.Intake, DashboardDimensions.Status })
            {
                release.filters.AddRange(facts.ValuesOf(d).Select(v => (DashboardDimensions.All[d].Name, v)));
            }

            return release;
        }

        private static DashboardKit Kit(Random random, string source, int from, int to, int complaints)
        {
            var kit = new DashboardKit { Source = source.ToUpperInvariant() };
            Race Race() => Pick(random, [Model.Race.White, Model.Race.Black, Model.Race.Asian, Model.Race.Hispanic, Model.Race.AmericanIndian, Model.Race.Unknown], [30, 25, 4, 6, 2, 5]);
            for (var o = 0; o < 8; o++)
            {
                kit.Officer($"o{o}", Race(), random.Next(4) == 0 ? Sex.Female : Sex.Male);
            }

            // Some years busy, some nearly empty.
            var years = Enumerable.Range(from, to - from + 1).ToArray();
            var weights = years.Select(_ => random.Next(3) == 0 ? 1 : 2 + random.Next(10)).ToArray();
            for (var i = 0; i < complaints; i++)
            {
                var year = Pick(random, years, weights);
                var charges = Enumerable.Range(0, 1 + random.Next(2))
                    .Select(_ => new Charge(Pick(random, Categories, [10, 6, 5, 1, 2]), $"o{random.Next(8)}"))
                    .ToArray();
                kit.Case(
                    new DateOnly(year, 1 + random.Next(12), 1 + random.Next(28)),
                    status: random.Next(5) == 0 ? ComplaintStatus.Open : ComplaintStatus.Closed,
                    precinct: Pick(random, ["1", "2", "3", "4", "5"], [8, 5, 3, 2, 1]),
                    intake: Pick(random, Enum.GetValues<IntakeDecision>(), [5, 3, 2, 8, 1, 1]),
                    complainants: [new Person(Race(), random.Next(2) == 0 ? Sex.Female : Sex.Male, 18 + random.Next(60))],
                    allegations: charges);
            }

            return kit;
        }

        private static T Pick<T>(Random random, IReadOnlyList<T> values, IReadOnlyList<int> weights)
        {
            var roll = random.Next(weights.Sum());
            for (var i = 0; i < values.Count; i++)
            {
                roll -= weights[i];
                if (roll < 0)
                {
                    return values[i];
                }
            }

            return values[^1];
        }
    }
}
