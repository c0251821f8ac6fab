using System.Globalization;
using OpenConduct.Core.Disclosure;
using static OpenConduct.Core.Dashboards.DashboardDimensions;

namespace OpenConduct.Core.Dashboards;

/// <summary>
/// The rows of a dashboard table after grouping: each original row (a value of the rows' dimension, or a month of a
/// year) falls in one group, or none (<c>-1</c>). Groups keep the order of their first row.
/// </summary>
internal sealed record RowGrouping(string Level, int[] GroupOf, IReadOnlyList<string> Labels, bool[] Dated, IReadOnlyList<IReadOnlyList<string>> Members)
{
    /// <summary>Each row its own group, labelled as it is.</summary>
    public static RowGrouping Identity(string level, IReadOnlyList<string> labels) => new(
        level,
        [.. Enumerable.Range(0, labels.Count)],
        labels,
        [.. labels.Select(l => l != Unknown)],
        [.. labels.Select(l => (IReadOnlyList<string>)[l])]);

    public int Count => Labels.Count;

    /// <summary>The counts of the original rows (<c>rows x width</c>, row-major) added up per group.</summary>
    public long[] Sum(long[] counts, int width)
    {
        var grouped = new long[Count * width];
        for (var r = 0; r < GroupOf.Length; r++)
        {
            var g = GroupOf[r];
            if (g < 0)
            {
                continue;
            }

            for (var c = 0; c < width; c++)
            {
                grouped[(g * width) + c] += counts[(r * width) + c];
            }
        }

        return grouped;
    }
}

/// <summary>
/// Adaptive grouping (docs/api.md, "Grouping"): the finest grouping of a table's rows under which its counts can be
/// published under k. Time rows go from years to 2-year and 5-year bins (counted back from the facts' last year) and one bin of every year (months to quarters,
/// then years and the same bins): the first level at which every period with a count has a published total is used.
/// Demographic rows keep one row per group, except that groups with fewer than k (above zero) are merged into one row,
/// <see cref="MergedLabel"/>. The choice is made from the true counts of the request and is the same for the same
/// request; the suppression that follows is <see cref="SmallCellSuppression"/>, unchanged.
/// </summary>
internal static class DashboardGrouping
{
    /// <summary>The row that holds the merged small groups of a demographic dimension.</summary>
    public const string MergedLabel = "Other (merged)";

    public const string Merged = "merged";

    public const string EachValue = "value";

    /// <summary>The levels of time rows by year, finest first.</summary>
    public static readonly IReadOnlyList<string> YearLevels = ["year", "2-year", "5-year", "all"];

    /// <summary>The levels of time rows by month, finest first.</summary>
    public static readonly IReadOnlyList<string> MonthLevels = ["month", "quarter", "year", "2-year", "5-year", "all"];

    /// <summary>The candidate groupings of time rows, finest first. <paramref name="years"/>: the facts' years (labels are clipped to them).</summary>
    public static IEnumerable<RowGrouping> TimeLevels(bool months, IReadOnlyList<string> labels, IReadOnlyList<string> years)
    {
        var known = years.Where(y => y != Unknown).Select(Parse).ToList();
        var (first, last) = known.Count == 0 ? (0, 0) : (known.Min(), known.Max());
        foreach (var level in months ? MonthLevels : YearLevels)
        {
            if (level == (months ? "month" : "year"))
            {
                yield return RowGrouping.Identity(level, labels);
                continue;
            }

            yield return Bin(level, labels, first, last);
        }
    }

    /// <summary>
    /// Merges the rows whose total is above zero and below k (other than Unknown) into one row at the end, before Unknown
    /// and Multiple; when that row alone has fewer than k, the smallest other rows with a count join it until it has k or
    /// none is left. Null when no row is small.
    /// </summary>
    public static RowGrouping? MergeSmall(IReadOnlyList<string> labels, long[] rowTotals, int k)
    {
        var mergeable = Enumerable.Range(0, labels.Count).Where(r => labels[r] != Unknown).ToList();
        var small = mergeable.Where(r => rowTotals[r] > 0 && rowTotals[r] < k).ToHashSet();
        if (small.Count == 0)
        {
            return null;
        }

        var sum = small.Sum(r => rowTotals[r]);
        foreach (var r in mergeable.Where(r => rowTotals[r] >= k).OrderBy(r => rowTotals[r]).ThenBy(r => r))
        {
            if (sum >= k)
            {
                break;
            }

            small.Add(r);
            sum += rowTotals[r];
        }

        var kept = Enumerable.Range(0, labels.Count).Where(r => !small.Contains(r)).ToList();
        var trailing = kept.Where(r => labels[r] is Unknown or Multiple).ToList();
        var ordered = kept.Except(trailing).ToList();
        var groupOf = new int[labels.Count];
        var groupLabels = new List<string>();
        var members = new List<IReadOnlyList<string>>();
        foreach (var r in ordered)
        {
            groupOf[r] = groupLabels.Count;
            groupLabels.Add(labels[r]);
            members.Add([labels[r]]);
        }

        var merged = groupLabels.Count;
        groupLabels.Add(MergedLabel);
        members.Add([.. small.Order().Select(r => labels[r])]);
        foreach (var r in small)
        {
            groupOf[r] = merged;
        }

        foreach (var r in trailing)
        {
            groupOf[r] = groupLabels.Count;
            groupLabels.Add(labels[r]);
            members.Add([labels[r]]);
        }

        return new RowGrouping(Merged, groupOf, groupLabels, [.. groupLabels.Select(_ => true)], members);
    }

    private static RowGrouping Bin(string level, IReadOnlyList<string> labels, int first, int last)
    {
        var groupOf = new int[labels.Count];
        var groupLabels = new List<string>();
        var members = new List<List<string>>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var r = 0; r < labels.Count; r++)
        {
            var label = labels[r];
            var key = label == Unknown ? Unknown : Key(level, label, first, last);
            if (!index.TryGetValue(key, out var g))
            {
                g = index[key] = groupLabels.Count;
                groupLabels.Add(key);
                members.Add([]);
            }

            groupOf[r] = g;
            members[g].Add(label);
        }

        return new RowGrouping(level, groupOf, groupLabels, [.. groupLabels.Select(l => l != Unknown)], [.. members]);
    }

    /// <summary>
    /// A row's bin: <c>2023-Q1</c>, <c>2023</c>, n-year bins counted back from the facts' last year (so the latest
    /// bins are whole: with 2026 last, <c>2025-2026</c>, <c>2023-2024</c>, ...) whose first bin also takes the earliest
    /// years left over when they are fewer than n (<c>2010-2012</c>), or one bin of every year.
    /// </summary>
    private static string Key(string level, string label, int first, int last)
    {
        var year = Parse(label[..4]);
        if (level == "quarter")
        {
            var month = Parse(label[5..7]);
            return string.Create(CultureInfo.InvariantCulture, $"{year}-Q{((month - 1) / 3) + 1}");
        }

        var width = level switch
        {
            "year" => 1,
            "2-year" => 2,
            "5-year" => 5,
            _ => 0,
        };
        var (from, to) = (first, last);
        if (width > 0)
        {
            to = last - ((last - year) / width * width);
            from = to - width + 1;
            if (from < first && to + width <= last)
            {
                to += width;   // the years left over at the start join the next bin
            }

            from = from - first < width ? first : from;
        }

        return from == to ? from.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{from}-{to}");
    }

    private static int Parse(string digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
}
