using System.Globalization;

namespace OpenConduct.Core.Disclosure;

/// <summary>Why a count is not published.</summary>
public enum SuppressionReason
{
    /// <summary>Primary suppression: the count is above zero and below the threshold k, so it could identify people.</summary>
    BelowThreshold,

    /// <summary>
    /// Secondary suppression: the count is not small itself, but publishing it would let a reader recover a
    /// suppressed count by subtraction (a published total minus the published cells of its line).
    /// </summary>
    Complementary,
}

/// <summary>
/// One suppressed position of a table. <see cref="Row"/> and <see cref="Column"/> are zero-based; a <c>null</c>
/// row means the column-totals row and a <c>null</c> column the row-totals column, so <c>(r, null)</c> is the
/// total of row r, <c>(null, c)</c> the total of column c and <c>(null, null)</c> the grand total. In a series
/// (<see cref="SmallCellSuppression.Suppress1D(IReadOnlyList{string}, IReadOnlyList{long}, int)"/>) the values are <c>(0, index)</c> and the total is <c>(0, null)</c>.
/// </summary>
public sealed record SuppressedCell(int? Row, int? Column, SuppressionReason Reason)
{
    /// <summary>True for a row, column or grand total; false for an inner cell.</summary>
    public bool IsTotal => Row is null || Column is null;
}

/// <summary>
/// True counts of a one- or two-dimensional tabulation (rows x columns), with labels, before suppression. Never
/// published as is: <see cref="SmallCellSuppression.Suppress(CountTable, int)"/> turns it into the published view.
/// Immutable; the counts are copied.
/// </summary>
public sealed class CountTable
{
    private readonly long[,] counts;

    /// <param name="rowLabels">One label per row (the first dimension of <paramref name="counts"/>).</param>
    /// <param name="columnLabels">One label per column (the second dimension of <paramref name="counts"/>).</param>
    /// <param name="counts">Non-negative counts, <c>[row, column]</c>.</param>
    public CountTable(IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, long[,] counts)
    {
        ArgumentNullException.ThrowIfNull(rowLabels);
        ArgumentNullException.ThrowIfNull(columnLabels);
        ArgumentNullException.ThrowIfNull(counts);
        if (rowLabels.Count != counts.GetLength(0))
        {
            throw new ArgumentException($"{rowLabels.Count} row labels for {counts.GetLength(0)} rows", nameof(rowLabels));
        }

        if (columnLabels.Count != counts.GetLength(1))
        {
            throw new ArgumentException($"{columnLabels.Count} column labels for {counts.GetLength(1)} columns", nameof(columnLabels));
        }

        if (rowLabels.Any(label => label is null) || columnLabels.Any(label => label is null))
        {
            throw new ArgumentException("labels must not be null", nameof(rowLabels));
        }

        this.counts = (long[,])counts.Clone();
        foreach (var count in this.counts)
        {
            if (count < 0)
            {
                throw new ArgumentException($"counts must not be negative (found {count})", nameof(counts));
            }
        }

        RowLabels = [.. rowLabels];
        ColumnLabels = [.. columnLabels];
    }

    public IReadOnlyList<string> RowLabels { get; }

    public IReadOnlyList<string> ColumnLabels { get; }

    public int RowCount => counts.GetLength(0);

    public int ColumnCount => counts.GetLength(1);

    /// <summary>The true count of a cell.</summary>
    public long this[int row, int column] => counts[row, column];

    public long GrandTotal
    {
        get
        {
            long total = 0;
            foreach (var count in counts)
            {
                total = checked(total + count);
            }

            return total;
        }
    }

    /// <summary>A table labelled by position ("0", "1", ...): for tests and quick tabulations.</summary>
    public static CountTable FromCounts(long[,] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return new CountTable(PositionLabels(counts.GetLength(0)), PositionLabels(counts.GetLength(1)), counts);
    }

    /// <summary>
    /// Counts items by two keys. Rows and columns follow <paramref name="rowOrder"/> / <paramref name="columnOrder"/>
    /// when given (so categories with no items still appear, as zeros); keys not in the order are appended in
    /// ordinal order, which keeps the table deterministic.
    /// </summary>
    public static CountTable Tally<T>(
        IEnumerable<T> items,
        Func<T, string> rowKey,
        Func<T, string> columnKey,
        IEnumerable<string>? rowOrder = null,
        IEnumerable<string>? columnOrder = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(rowKey);
        ArgumentNullException.ThrowIfNull(columnKey);
        var pairs = items.Select(item => (Row: rowKey(item), Column: columnKey(item))).ToList();
        var rows = Order(rowOrder, pairs.Select(pair => pair.Row));
        var columns = Order(columnOrder, pairs.Select(pair => pair.Column));
        var rowIndex = Index(rows);
        var columnIndex = Index(columns);
        var counts = new long[rows.Count, columns.Count];
        foreach (var (row, column) in pairs)
        {
            counts[rowIndex[row], columnIndex[column]]++;
        }

        return new CountTable(rows, columns, counts);
    }

    private static List<string> PositionLabels(int count) =>
        [.. Enumerable.Range(0, count).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    private static List<string> Order(IEnumerable<string>? order, IEnumerable<string> keys)
    {
        var result = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in order ?? [])
        {
            if (seen.Add(key))
            {
                result.Add(key);
            }
        }

        result.AddRange(keys.Where(key => !seen.Contains(key)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return result;
    }

    private static Dictionary<string, int> Index(List<string> labels)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            index[labels[i]] = i;
        }

        return index;
    }
}

/// <summary>
/// The published view of a <see cref="CountTable"/>: every value is either the true count or <c>null</c>
/// (suppressed). Totals are nullable too: a total is suppressed when it is itself small or when it would reveal a
/// suppressed cell (e.g. a row with a single non-zero cell, or a one-row table). Build every figure a reader sees
/// (tables, headline numbers, percentages, drill-down margins) from this view, never from the <see cref="CountTable"/>.
/// </summary>
public sealed class SuppressedTable
{
    internal SuppressedTable(
        int k,
        IReadOnlyList<string> rowLabels,
        IReadOnlyList<string> columnLabels,
        IReadOnlyList<IReadOnlyList<long?>> cells,
        IReadOnlyList<long?> rowTotals,
        IReadOnlyList<long?> columnTotals,
        long? grandTotal,
        IReadOnlyList<SuppressedCell> suppressed)
    {
        K = k;
        RowLabels = rowLabels;
        ColumnLabels = columnLabels;
        Cells = cells;
        RowTotals = rowTotals;
        ColumnTotals = columnTotals;
        GrandTotal = grandTotal;
        Suppressed = suppressed;
    }

    /// <summary>The threshold the table was suppressed with.</summary>
    public int K { get; }

    public IReadOnlyList<string> RowLabels { get; }

    public IReadOnlyList<string> ColumnLabels { get; }

    /// <summary><c>Cells[row][column]</c>: the count, or <c>null</c> when suppressed.</summary>
    public IReadOnlyList<IReadOnlyList<long?>> Cells { get; }

    public IReadOnlyList<long?> RowTotals { get; }

    public IReadOnlyList<long?> ColumnTotals { get; }

    public long? GrandTotal { get; }

    /// <summary>
    /// Every suppressed position with its reason, rows in order then the column-totals row; within a row, columns
    /// in order then the row total (see <see cref="SuppressedCell"/>).
    /// </summary>
    public IReadOnlyList<SuppressedCell> Suppressed { get; }

    public int RowCount => RowLabels.Count;

    public int ColumnCount => ColumnLabels.Count;

    public long? this[int row, int column] => Cells[row][column];

    /// <summary>Why a position is suppressed (<c>null</c> row/column = a total, as in <see cref="SuppressedCell"/>), or <c>null</c> when it is published.</summary>
    public SuppressionReason? ReasonFor(int? row, int? column) =>
        Suppressed.FirstOrDefault(cell => cell.Row == row && cell.Column == column)?.Reason;

    /// <summary>A cell as a percentage of its row total; <c>null</c> unless both are published.</summary>
    public double? RowPercentage(int row, int column) => SmallCellSuppression.Percentage(Cells[row][column], RowTotals[row]);

    /// <summary>A cell as a percentage of its column total; <c>null</c> unless both are published.</summary>
    public double? ColumnPercentage(int row, int column) => SmallCellSuppression.Percentage(Cells[row][column], ColumnTotals[column]);

    /// <summary>A cell as a percentage of the grand total; <c>null</c> unless both are published.</summary>
    public double? GrandPercentage(int row, int column) => SmallCellSuppression.Percentage(Cells[row][column], GrandTotal);
}

/// <summary>The published view of one series of counts with its total (e.g. complaints by precinct).</summary>
public sealed class SuppressedSeries
{
    internal SuppressedSeries(int k, IReadOnlyList<string> labels, IReadOnlyList<long?> values, long? total, IReadOnlyList<SuppressedCell> suppressed)
    {
        K = k;
        Labels = labels;
        Values = values;
        Total = total;
        Suppressed = suppressed;
    }

    public int K { get; }

    public IReadOnlyList<string> Labels { get; }

    /// <summary>The count per label, or <c>null</c> when suppressed.</summary>
    public IReadOnlyList<long?> Values { get; }

    public long? Total { get; }

    /// <summary>Suppressed positions: values as <c>(0, index)</c>, the total as <c>(0, null)</c>.</summary>
    public IReadOnlyList<SuppressedCell> Suppressed { get; }

    /// <summary>A value as a percentage of the total; <c>null</c> unless both are published.</summary>
    public double? Percentage(int index) => SmallCellSuppression.Percentage(Values[index], Total);
}

/// <summary>
/// Small-cell suppression for published counts (dashboards, datasets): a count of people above zero and below k
/// can identify them, so it is withheld, together with enough other counts that no published total gives it away.
/// </summary>
/// <remarks>
/// <para>The table is treated with its margins: an R x C table is an (R+1) x (C+1) grid whose last column holds
/// the row totals and whose last row holds the column totals and, in the corner, the grand total. Every row and
/// every column of that grid is a <em>line</em>: its members sum to its total. The row-totals column and the
/// column-totals row are lines too (their total is the grand total), so a suppressed row total is protected
/// exactly like a suppressed cell.</para>
/// <para>Rules, applied until nothing changes (each step only adds suppressions, so it terminates):</para>
/// <list type="number">
/// <item><b>Primary.</b> Every position (cell or total) with 0 &lt; count &lt; k is suppressed
/// (<see cref="SuppressionReason.BelowThreshold"/>).</item>
/// <item><b>Zeros are published.</b> A zero describes nobody, and hiding it where it is not needed only costs
/// readers. A zero is also never chosen as a complementary cell: a reader often knows that a combination is
/// impossible or empty (a structural zero), so hiding a zero next to a small cell leaves the small cell exposed,
/// and a zero adds nothing to the hidden sum. Hence every suppressed position holds a count above zero.</item>
/// <item><b>Lines with a published total.</b> The suppressed members must be none, or at least two whose sum is at
/// least k; otherwise the total minus the published members would give one suppressed count, or a group smaller
/// than k. Complementary members are added greedily: the smallest non-zero published member first (ties: a member
/// whose crossing line already has a suppression, so no new line is opened; then position). When the line runs
/// out of candidates (e.g. its only non-zero cell was suppressed to protect its column), its total is suppressed
/// instead.</item>
/// <item><b>Lines with a suppressed total</b> must have at least one suppressed member, otherwise the total would
/// be the sum of the published members (the smallest non-zero published member is added).</item>
/// <item><b>Audit against exact recovery.</b> Rules 3 and 4 protect every line on its own, but combinations of
/// lines can still pin a value: with the suppressed positions as edges between their row and their column (the
/// margins are a row and a column of their own), a suppressed count is exactly determined by the published
/// figures if and only if its edge is a bridge (lies on no cycle). Each bridge is closed with the smallest non-zero
/// published position that connects its two sides, and the line rules run again.</item>
/// </list>
/// <para>What is guaranteed: no published count is 0 &lt; n &lt; k; published counts are the true counts; in every
/// line with a published total the suppressed counts are none or at least two summing to at least k; no
/// suppressed count can be computed exactly from the published figures by any combination of sums and differences
/// (linear algebra over the whole table); the result depends only on the input (no hashing or randomness).</para>
/// <para>What is not guaranteed: the published figures together with the fact that counts are non-negative bound
/// every suppressed count within an interval, and no minimum width of that interval is enforced (a full
/// linear-programming audit as in tau-Argus); a suppressed small count of 3 may be known to lie between, say, 1
/// and 15. Differences of suppressed counts across lines and groups made of several lines are not held to k.
/// Tables are protected one at a time: two tables published from overlapping data (a 1-D series and a 2-D table
/// with the same margin, or two drill-down levels) must share their suppression: take the series from the 2-D
/// table's published totals rather than suppressing it separately. Published zeros next to a single non-zero
/// count &gt;= k say that the whole group has one attribute (attribute disclosure for a group of at least k),
/// which the threshold rule accepts.</para>
/// <para>Percentages are computed only from a published count over a published total
/// (<see cref="Percentage(long?, long?)"/>, <see cref="SuppressedTable.RowPercentage(int, int)"/>): a percentage of
/// a suppressed count, or over a suppressed total, would give the hidden number back.</para>
/// </remarks>
public static class SmallCellSuppression
{
    /// <summary>The threshold most publishers use.</summary>
    public const int CommonThreshold = 10;

    /// <summary>Suppresses a two-dimensional table with its row, column and grand totals.</summary>
    /// <param name="table">The true counts.</param>
    /// <param name="k">Counts above zero and below k are suppressed; k = 1 suppresses nothing.</param>
    public static SuppressedTable Suppress(CountTable table, int k) => Suppress(table, k, closeBridges: true);

    /// <summary>
    /// As <see cref="Suppress(CountTable, int)"/>, with the same rules and guarantees, but choosing complementary
    /// positions so as to keep row totals published where another choice exists: a cell that is the only non-zero cell
    /// of its row (hiding it would hide the row's total too) and a row total are chosen only when no other candidate of
    /// the line (or, for rule 5, across the bridge) has a count, and a column line (or the row-totals column) that has
    /// only such candidates hides its own total (a column total, or the grand total) instead. For tables whose rows are
    /// periods of time, where a bar without a total is what a reader must not get (the dashboards' time rows); column
    /// totals are hidden more often in exchange.
    /// </summary>
    public static SuppressedTable SuppressKeepingRowTotals(CountTable table, int k) => Suppress(table, k, closeBridges: true, keepRowTotals: true);

    /// <summary>With <paramref name="closeBridges"/> false, only the line rules run: for tests that show what rule 5 adds.</summary>
    internal static SuppressedTable Suppress(CountTable table, int k, bool closeBridges, bool keepRowTotals = false)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var grid = new Grid(table, k, keepRowTotals);
        grid.Run(closeBridges);
        return grid.ToTable(table);
    }

    /// <summary>
    /// Suppresses one series of counts with its total (a one-row table). The total is suppressed when it is small,
    /// and a lone small value brings the next smallest non-zero value down with it.
    /// </summary>
    public static SuppressedSeries Suppress1D(IReadOnlyList<string> labels, IReadOnlyList<long> counts, int k)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(counts);
        var matrix = new long[1, counts.Count];
        for (var i = 0; i < counts.Count; i++)
        {
            matrix[0, i] = counts[i];
        }

        // A one-row table: its column totals repeat the cells and its grand total repeats the row total, so the
        // published cells and row total are exactly the series rules; the repeated margins are dropped.
        var table = Suppress(new CountTable(["total"], labels, matrix), k);
        return new SuppressedSeries(
            k,
            table.ColumnLabels,
            table.Cells[0],
            table.RowTotals[0],
            [.. table.Suppressed.Where(cell => cell.Row == 0)]);
    }

    /// <summary>Suppresses one series given as (label, count) pairs, in the given order.</summary>
    public static SuppressedSeries Suppress1D(IEnumerable<KeyValuePair<string, long>> counts, int k)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var list = counts.ToList();
        return Suppress1D([.. list.Select(pair => pair.Key)], [.. list.Select(pair => pair.Value)], k);
    }

    /// <summary>
    /// <paramref name="part"/> as a percentage of <paramref name="whole"/>, or <c>null</c> when either is
    /// suppressed (or the whole is zero). The only way percentages of suppressed tables should be computed.
    /// </summary>
    public static double? Percentage(long? part, long? whole) =>
        part is { } p && whole is { } w && w > 0 ? 100.0 * p / w : null;

    /// <summary>The (R+1) x (C+1) grid of cells and margins, and the suppression state of each position.</summary>
    private sealed class Grid
    {
        private readonly int rows;    // R: inner rows; row index R is the column-totals row
        private readonly int columns; // C: inner columns; column index C is the row-totals column
        private readonly int k;
        private readonly bool keepRowTotals;
        private readonly long[,] values;
        private readonly SuppressionReason?[,] reasons;

        public Grid(CountTable table, int k, bool keepRowTotals)
        {
            rows = table.RowCount;
            columns = table.ColumnCount;
            this.k = k;
            this.keepRowTotals = keepRowTotals;
            values = new long[rows + 1, columns + 1];
            reasons = new SuppressionReason?[rows + 1, columns + 1];
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    var count = table[r, c];
                    values[r, c] = count;
                    values[r, columns] = checked(values[r, columns] + count);
                    values[rows, c] = checked(values[rows, c] + count);
                    values[rows, columns] = checked(values[rows, columns] + count);
                }
            }
        }

        private int VertexCount => rows + 1 + columns + 1;

        public void Run(bool closeBridges)
        {
            for (var r = 0; r <= rows; r++)
            {
                for (var c = 0; c <= columns; c++)
                {
                    if (values[r, c] > 0 && values[r, c] < k)
                    {
                        reasons[r, c] = SuppressionReason.BelowThreshold;
                    }
                }
            }

            while (ProtectLines() || (closeBridges && CloseOneBridge()))
            {
            }
        }

        public SuppressedTable ToTable(CountTable table)
        {
            var cells = new List<IReadOnlyList<long?>>(rows);
            for (var r = 0; r < rows; r++)
            {
                var row = new long?[columns];
                for (var c = 0; c < columns; c++)
                {
                    row[c] = Published(r, c);
                }

                cells.Add(row);
            }

            var suppressed = new List<SuppressedCell>();
            for (var r = 0; r <= rows; r++)
            {
                for (var c = 0; c <= columns; c++)
                {
                    if (reasons[r, c] is { } reason)
                    {
                        suppressed.Add(new SuppressedCell(r == rows ? null : r, c == columns ? null : c, reason));
                    }
                }
            }

            return new SuppressedTable(
                k,
                table.RowLabels,
                table.ColumnLabels,
                cells,
                [.. Enumerable.Range(0, rows).Select(r => Published(r, columns))],
                [.. Enumerable.Range(0, columns).Select(c => Published(rows, c))],
                Published(rows, columns),
                suppressed);
        }

        private long? Published(int r, int c) => reasons[r, c] is null ? values[r, c] : null;

        private bool IsSuppressed((int Row, int Column) position) => reasons[position.Row, position.Column] is not null;

        private long Value((int Row, int Column) position) => values[position.Row, position.Column];

        private void Suppress((int Row, int Column) position) => reasons[position.Row, position.Column] ??= SuppressionReason.Complementary;

        /// <summary>One pass of rules 3 and 4 over every line: inner rows, inner columns, then the two margin lines.</summary>
        private bool ProtectLines()
        {
            var changed = false;
            for (var r = 0; r < rows; r++)
            {
                changed |= ProtectLine(RowLine(r));
            }

            for (var c = 0; c < columns; c++)
            {
                changed |= ProtectLine(ColumnLine(c));
            }

            changed |= ProtectLine(RowLine(rows));
            changed |= ProtectLine(ColumnLine(columns));
            return changed;
        }

        private Line RowLine(int r) => new(
            [.. Enumerable.Range(0, columns).Select(c => (r, c))],
            (r, columns),
            Crossing: member => ColumnVertex(member.Column));

        private Line ColumnLine(int c) => new(
            [.. Enumerable.Range(0, rows).Select(r => (r, c))],
            (rows, c),
            Crossing: member => RowVertex(member.Row));

        private bool ProtectLine(Line line)
        {
            var hidden = 0;
            long hiddenSum = 0;
            foreach (var member in line.Members)
            {
                if (IsSuppressed(member) && Value(member) > 0)
                {
                    hidden++;
                    hiddenSum += Value(member);
                }
            }

            if (IsSuppressed(line.Total))
            {
                // Rule 4: a hidden total needs a hidden member, or it is the sum of the published ones.
                if (hidden > 0 || BestCandidate(line) is not { } member)
                {
                    return false;
                }

                Suppress(member);
                return true;
            }

            if (hidden == 0)
            {
                return false;
            }

            var changed = false;
            while (hidden < 2 || hiddenSum < k)
            {
                if (BestCandidate(line) is not { } member || (Cost(member) > 0 && line.Total.Row == rows))
                {
                    // The line cannot be protected by its members: hide its total (protected in turn by its margin line).
                    // Keeping row totals, a column line hides its total rather than a row's total or a row's only cell.
                    Suppress(line.Total);
                    return true;
                }

                Suppress(member);
                hidden++;
                hiddenSum += Value(member);
                changed = true;
            }

            return changed;
        }

        /// <summary>The smallest non-zero published member; ties go to a member whose crossing line is already affected, then to position.</summary>
        private (int Row, int Column)? BestCandidate(Line line)
        {
            (int Row, int Column)? best = null;
            (int Cost, long Value, int Fresh) bestKey = default;
            foreach (var member in line.Members)
            {
                if (IsSuppressed(member) || Value(member) == 0)
                {
                    continue;
                }

                var key = (Cost(member), Value(member), Degree(line.Crossing(member)) > 0 ? 0 : 1);
                if (best is null || key.CompareTo(bestKey) < 0)
                {
                    best = member;
                    bestKey = key;
                }
            }

            return best;
        }

        /// <summary>
        /// Without <see cref="keepRowTotals"/> every candidate costs 0 (the smallest count is chosen). With it, a row
        /// total, and a cell that is its row's only non-zero cell (hiding it leaves the row total nothing to hide with),
        /// cost 1: chosen only when the line has no other candidate. The rules that follow are the same either way.
        /// </summary>
        private int Cost((int Row, int Column) position)
        {
            if (!keepRowTotals || position.Row == rows)
            {
                return 0;
            }

            if (position.Column == columns)
            {
                return 1;
            }

            for (var c = 0; c < columns; c++)
            {
                if (c != position.Column && values[position.Row, c] > 0)
                {
                    return 0;
                }
            }

            return 1;
        }

        private int RowVertex(int r) => r;

        private int ColumnVertex(int c) => rows + 1 + c;

        /// <summary>Suppressed positions on a line (members and total), i.e. the degree of its vertex.</summary>
        private int Degree(int vertex)
        {
            var degree = 0;
            if (vertex <= rows)
            {
                for (var c = 0; c <= columns; c++)
                {
                    degree += reasons[vertex, c] is null ? 0 : 1;
                }
            }
            else
            {
                var c = vertex - rows - 1;
                for (var r = 0; r <= rows; r++)
                {
                    degree += reasons[r, c] is null ? 0 : 1;
                }
            }

            return degree;
        }

        /// <summary>
        /// Rule 5. The grid's lines are the vertices of a bipartite graph (row r, column c) and each suppressed
        /// position (r, c) an edge; every line equation holds whatever is published, so a suppressed value is
        /// determined exactly when its edge lies on no cycle. Closes the first such bridge (in row-major order).
        /// </summary>
        private bool CloseOneBridge()
        {
            if (FirstBridge() is not { } bridge)
            {
                return false;
            }

            // The two sides of the bridge. Published figures give the bridge's value because every other position
            // between the sides is published; hiding one of them puts the bridge on a cycle.
            var rowSide = Reachable(RowVertex(bridge.Row), bridge);
            var columnSide = Reachable(ColumnVertex(bridge.Column), bridge);
            (int Row, int Column)? best = null;
            for (var r = 0; r <= rows; r++)
            {
                for (var c = 0; c <= columns; c++)
                {
                    var crosses = (rowSide[RowVertex(r)] && columnSide[ColumnVertex(c)]) || (columnSide[RowVertex(r)] && rowSide[ColumnVertex(c)]);
                    if (crosses && reasons[r, c] is null && values[r, c] > 0 && (best is null || (Cost((r, c)), values[r, c]).CompareTo((Cost(best.Value), Value(best.Value))) < 0))
                    {
                        best = (r, c);
                    }
                }
            }

            // Unreachable: all suppressed values are > 0, and the sums over one side equal the bridge plus the
            // other crossing positions, so a non-zero bridge always has a non-zero published position across.
            Suppress(best ?? throw new InvalidOperationException("small-cell suppression: a determined count cannot be protected"));
            return true;
        }

        private (int Row, int Column)? FirstBridge()
        {
            var order = new int[VertexCount];
            var low = new int[VertexCount];
            var counter = 0;
            (int Row, int Column)? first = null;

            void Visit(int vertex, int parent)
            {
                order[vertex] = low[vertex] = ++counter;
                foreach (var (neighbour, edge) in Edges(vertex))
                {
                    if (neighbour == parent)
                    {
                        continue; // a single edge per pair of vertices, so skipping the parent skips the tree edge
                    }

                    if (order[neighbour] == 0)
                    {
                        Visit(neighbour, vertex);
                        low[vertex] = Math.Min(low[vertex], low[neighbour]);
                        if (low[neighbour] > order[vertex] && (first is null || Before(edge, first.Value)))
                        {
                            first = edge;
                        }
                    }
                    else
                    {
                        low[vertex] = Math.Min(low[vertex], order[neighbour]);
                    }
                }
            }

            for (var vertex = 0; vertex < VertexCount; vertex++)
            {
                if (order[vertex] == 0)
                {
                    Visit(vertex, -1);
                }
            }

            return first;
        }

        private static bool Before((int Row, int Column) a, (int Row, int Column) b) => a.Row < b.Row || (a.Row == b.Row && a.Column < b.Column);

        /// <summary>Suppressed positions at a vertex, as (other vertex, position).</summary>
        private IEnumerable<(int Neighbour, (int Row, int Column) Edge)> Edges(int vertex)
        {
            if (vertex <= rows)
            {
                for (var c = 0; c <= columns; c++)
                {
                    if (reasons[vertex, c] is not null)
                    {
                        yield return (ColumnVertex(c), (vertex, c));
                    }
                }
            }
            else
            {
                var c = vertex - rows - 1;
                for (var r = 0; r <= rows; r++)
                {
                    if (reasons[r, c] is not null)
                    {
                        yield return (RowVertex(r), (r, c));
                    }
                }
            }
        }

        private bool[] Reachable(int start, (int Row, int Column) without)
        {
            var seen = new bool[VertexCount];
            var stack = new Stack<int>();
            seen[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                foreach (var (neighbour, edge) in Edges(stack.Pop()))
                {
                    if (edge != without && !seen[neighbour])
                    {
                        seen[neighbour] = true;
                        stack.Push(neighbour);
                    }
                }
            }

            return seen;
        }

        private sealed record Line((int Row, int Column)[] Members, (int Row, int Column) Total, Func<(int Row, int Column), int> Crossing);
    }
}
