using static OpenConduct.Core.Dashboards.DashboardDimensions;

namespace OpenConduct.Core.Dashboards;

// The timelines dashboard: counts of complaints that have a duration, and the median and 90th percentile of their
// days for every count that is published. Both walk the complaints in ascending order of days (kept by the facts),
// so that a percentile is found by counting, without sorting per request.
public static partial class DashboardQueries
{
    /// <summary>
    /// Counts the complaints with days (to close or to the final discipline) that match the filters (at least one of
    /// their facts does) into the table, by their first fact's row and column codes. Returns the walk's order and which
    /// of its complaints matched.
    /// </summary>
    private static (int[] Order, bool[] Matched) TallyDurations(DashboardFacts facts, Filter[] filters, string to, ushort[] rowCodes, ushort[] columnCodes, int width, long[] counts)
    {
        var order = to == "discipline" ? facts.ComplaintsByDisciplineDays : facts.ComplaintsByClosedDays;
        var start = facts.ComplaintStart;
        var matched = new bool[order.Length];
        for (var p = 0; p < order.Length; p++)
        {
            var c = order[p];
            var first = start[c];
            var match = filters.Length == 0;
            for (var i = first; !match && i < start[c + 1]; i++)
            {
                match = Matches(filters, i);
            }

            var (row, column) = (rowCodes[first], columnCodes[first]);
            if (match && row != DashboardFacts.NoCode && column != DashboardFacts.NoCode)
            {
                counts[(row * width) + column]++;
                matched[p] = true;
            }
        }

        return (order, matched);
    }

    /// <summary>The median and 90th percentile of the days of every published count of the response (cells, row totals, total).</summary>
    private static DashboardDurations Durations(DashboardFacts facts, string to, int[] order, bool[] matched, ushort[] rowCodes, ushort[] columnCodes, RowGrouping grouping, DashboardResponse table)
    {
        var days = to == "discipline" ? facts.DisciplineDays : facts.ClosedDays;
        var labels = table.Rows.Values;
        var rows = labels.Count;
        var width = table.Columns!.Values.Count;
        var offset = rows == 0 ? 0 : IndexOfLabel(grouping.Labels, labels[0]);
        var cells = new Ranks[rows * width];
        var rowRanks = new Ranks[rows];
        for (var r = 0; r < rows; r++)
        {
            rowRanks[r] = new Ranks(table.RowTotals[r]);
            for (var c = 0; c < width; c++)
            {
                cells[(r * width) + c] = new Ranks(table.Cells[r][c]);
            }
        }

        var total = new Ranks(table.Total);
        var start = facts.ComplaintStart;
        for (var p = 0; p < order.Length; p++)
        {
            if (!matched[p])
            {
                continue;
            }

            var complaint = order[p];
            var first = start[complaint];
            var group = grouping.GroupOf[rowCodes[first]] - offset;
            if (group < 0 || group >= rows)
            {
                continue;   // a row outside the table has no complaint (the table runs from the first to the last with one)
            }

            var d = days[complaint];
            cells[(group * width) + columnCodes[first]].See(d);
            rowRanks[group].See(d);
            total.See(d);
        }

        return new DashboardDurations(
            to,
            [.. Enumerable.Range(0, rows).Select(r => (IReadOnlyList<long?>)[.. Enumerable.Range(0, width).Select(c => cells[(r * width) + c].Median)])],
            [.. Enumerable.Range(0, rows).Select(r => (IReadOnlyList<long?>)[.. Enumerable.Range(0, width).Select(c => cells[(r * width) + c].P90)])],
            [.. rowRanks.Select(r => r.Median)],
            [.. rowRanks.Select(r => r.P90)],
            total.Median,
            total.P90);
    }

    private static int IndexOfLabel(IReadOnlyList<string> labels, string label)
    {
        for (var i = 0; i < labels.Count; i++)
        {
            if (string.Equals(labels[i], label, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"the row '{label}' is not one of the grouping's");
    }

    /// <summary>
    /// The ranks of a published count's median (lower, <c>(n - 1) / 2</c>) and 90th percentile (nearest rank,
    /// <c>ceil(0.9 n) - 1</c>, zero-based), filled in as its days are seen in ascending order. A count that is not
    /// published (null) gets neither.
    /// </summary>
    private struct Ranks(long? published)
    {
        private readonly long n = published ?? 0;
        private long seen;

        public long? Median { get; private set; }

        public long? P90 { get; private set; }

        public void See(int days)
        {
            if (n == 0)
            {
                return;
            }

            if (seen == (n - 1) / 2)
            {
                Median = days;
            }

            if (seen == ((9 * n) + 9) / 10 - 1)
            {
                P90 = days;
            }

            seen++;
        }
    }
}
