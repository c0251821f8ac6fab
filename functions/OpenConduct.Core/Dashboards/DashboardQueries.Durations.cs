using System.Buffers;

namespace OpenConduct.Core.Dashboards;

// The timelines dashboard: counts of complaints that have a duration, and the median and 90th percentile of their
// days for every count that is published. Both walk the facts' complaints in ascending order of days (kept with their
// rows and columns in that order, DashboardFacts.DurationOrder), so that a percentile is found by counting, without
// sorting per request, and the walks read memory in sequence.
public static partial class DashboardQueries
{
    /// <summary>
    /// Counts the complaints with days (to close or to the final discipline) that match the filters (at least one of
    /// their facts does) into the table. With filters, the matching complaints are marked first by the same
    /// <see cref="Tally"/> as every dashboard (from the most selective filter's postings); the marks (pooled, returned by
    /// the caller) are null without filters: every complaint matches.
    /// </summary>
    private static (DashboardFacts.DurationOrder Order, byte[]? Marks) TallyDurations(DashboardFacts facts, Filter[] filters, string to, ushort[] rowCodes, ushort[] columnCodes, int width, long[] counts)
    {
        var order = to == "discipline" ? facts.DisciplineOrder : facts.ClosedOrder;
        byte[]? marks = null;
        if (filters.Length > 0)
        {
            marks = ArrayPool<byte>.Shared.Rent(facts.ComplaintCount);
            Array.Clear(marks, 0, facts.ComplaintCount);
            Tally(facts, filters, complaints: true, new Sink(facts, rowCodes, columnCodes, width, new long[counts.Length], null, null, marks));
        }

        var (complaints, rows, columns) = (order.Complaints, order.Rows, order.Columns);
        for (var p = 0; p < complaints.Length; p++)
        {
            if ((marks is null || marks[complaints[p]] != 0) && rows[p] != DashboardFacts.NoCode && columns[p] != DashboardFacts.NoCode)
            {
                counts[(rows[p] * width) + columns[p]]++;
            }
        }

        return (order, marks);
    }

    /// <summary>The median and 90th percentile of the days of every published count of the response (cells, row totals, total).</summary>
    private static DashboardDurations Durations(DashboardFacts.DurationOrder order, byte[]? marks, RowGrouping grouping, DashboardResponse table)
    {
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
        var (complaints, days, rowCodes, columnCodes) = (order.Complaints, order.Days, order.Rows, order.Columns);
        for (var p = 0; p < complaints.Length; p++)
        {
            if ((marks is not null && marks[complaints[p]] == 0) || rowCodes[p] == DashboardFacts.NoCode || columnCodes[p] == DashboardFacts.NoCode)
            {
                continue;
            }

            var group = grouping.GroupOf[rowCodes[p]] - offset;
            if (group < 0 || group >= rows)
            {
                continue;   // a row outside the table has no complaint (the table runs from the first to the last with one)
            }

            var d = days[p];
            cells[(group * width) + columnCodes[p]].See(d);
            rowRanks[group].See(d);
            total.See(d);
        }

        return new DashboardDurations(
            table.Options?[DashboardDefinitions.To] ?? "closed",
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
