using System.Globalization;
using System.Text;
using CsCheck;
using OpenConduct.Core.Disclosure;

namespace OpenConduct.Core.Tests.Disclosure;

/// <summary>
/// Small-cell suppression: hand-made tables whose outcome is worked out in the comments, and properties over random
/// tables checked against an independent audit (published values, line rules, and exact recovery by linear algebra).
/// </summary>
public sealed class SmallCellSuppressionTests
{
    private const SuppressionReason Primary = SuppressionReason.BelowThreshold;
    private const SuppressionReason Complementary = SuppressionReason.Complementary;

    // ---- series -------------------------------------------------------------------------------------------------

    [Fact]
    public void Series_hides_a_small_value_and_the_smallest_other_non_zero_value()
    {
        var series = SmallCellSuppression.Suppress1D(["P1", "P2", "P3", "P4", "P5"], [3, 12, 25, 0, 40], k: 10);

        // 3 < 10 is hidden; 80 - (25 + 0 + 40) would give it back, so the smallest non-zero value (12) goes too,
        // and 3 + 12 = 15 >= k. The zero stays: it is not a candidate.
        Assert.Equal(new long?[] { null, null, 25, 0, 40 }, series.Values);
        Assert.Equal(80, series.Total);
        Assert.Equal([new SuppressedCell(0, 0, Primary), new SuppressedCell(0, 1, Complementary)], series.Suppressed);
        Assert.Equal(["P1", "P2", "P3", "P4", "P5"], series.Labels);
    }

    [Fact]
    public void Series_keeps_adding_until_the_hidden_sum_reaches_k()
    {
        // 4 and 5 are both small, but 4 + 5 = 9 < 10: the total minus 30 would reveal a group of 9.
        var series = SmallCellSuppression.Suppress1D(["a", "b", "c"], [4, 5, 30], k: 10);

        Assert.Equal(new long?[] { null, null, null }, series.Values);
        Assert.Equal(39, series.Total);
        Assert.Equal(Complementary, series.Suppressed.Single(cell => cell.Column == 2).Reason);
    }

    [Fact]
    public void Series_total_below_k_is_suppressed_and_zeros_stay_published()
    {
        var series = SmallCellSuppression.Suppress1D(["a", "b", "c"], [2, 3, 0], k: 10);

        Assert.Equal(new long?[] { null, null, 0 }, series.Values);
        Assert.Null(series.Total);
        Assert.Contains(new SuppressedCell(0, null, Primary), series.Suppressed);
        Assert.Null(series.Percentage(0));
        Assert.Null(series.Percentage(2)); // 0 is published, the total is not: no percentage
    }

    [Fact]
    public void Zero_is_never_a_complementary_cell()
    {
        // 3 is hidden; hiding a zero next to it would protect nothing, so 20 goes instead.
        var series = SmallCellSuppression.Suppress1D([KeyValuePair.Create("a", 3L), KeyValuePair.Create("b", 0L), KeyValuePair.Create("c", 0L), KeyValuePair.Create("d", 20L)], k: 10);

        Assert.Equal(new long?[] { null, 0, 0, null }, series.Values);
        Assert.Equal(23, series.Total);
    }

    [Fact]
    public void Series_that_needs_nothing_is_published_whole_with_percentages()
    {
        var series = SmallCellSuppression.Suppress1D(["a", "b", "c"], [10, 0, 30], k: 10);

        Assert.Equal(new long?[] { 10, 0, 30 }, series.Values);
        Assert.Equal(40, series.Total);
        Assert.Empty(series.Suppressed);
        Assert.Equal(25.0, series.Percentage(0));
        Assert.Equal(0.0, series.Percentage(1));
    }

    // ---- cross-tabs ---------------------------------------------------------------------------------------------

    [Fact]
    public void Small_cell_forces_a_complementary_cell_in_its_row_and_then_in_its_column()
    {
        long[,] counts =
        {
            { 3, 20, 30 },
            { 25, 22, 40 },
            { 30, 50, 60 },
        };
        var table = SmallCellSuppression.Suppress(CountTable.FromCounts(counts), k: 10);

        // (0,0)=3 is small. Row 0: the smallest other value is (0,1)=20. Column 0: (1,0)=25. Column 1 now has
        // only (0,1) hidden: (1,1)=22 is smallest, and row 1 already holds (1,0). A closed 2 x 2 pattern.
        Assert.Equal(
            [
                new SuppressedCell(0, 0, Primary),
                new SuppressedCell(0, 1, Complementary),
                new SuppressedCell(1, 0, Complementary),
                new SuppressedCell(1, 1, Complementary),
            ],
            table.Suppressed);
        Assert.Equal(new long?[] { 53, 87, 140 }, table.RowTotals);
        Assert.Equal(new long?[] { 58, 92, 130 }, table.ColumnTotals);
        Assert.Equal(280, table.GrandTotal);
        Assert.Equal(60, table[2, 2]);
        AssertProtected(CountTable.FromCounts(counts), 10, table);
    }

    [Fact]
    public void Row_whose_only_non_zero_cell_is_hidden_loses_its_total()
    {
        long[,] counts =
        {
            { 0, 15, 0 },
            { 3, 30, 40 },
            { 25, 60, 50 },
        };
        var source = CountTable.FromCounts(counts);
        var table = SmallCellSuppression.Suppress(source, k: 10);

        // (1,0)=3 small -> row 1 hides (1,1)=30; column 0 hides (2,0)=25; column 1 hides (0,1)=15, the only non-zero
        // cell of row 0, whose total (15) would then give it back: the total goes. The row-totals line must then hide
        // a second row total (73, the smallest); row 2 hides (2,2)=50 for (2,0); column 2 hides (1,2)=40.
        Assert.Equal(
            [
                new SuppressedCell(0, 1, Complementary),
                new SuppressedCell(0, null, Complementary),
                new SuppressedCell(1, 0, Primary),
                new SuppressedCell(1, 1, Complementary),
                new SuppressedCell(1, 2, Complementary),
                new SuppressedCell(1, null, Complementary),
                new SuppressedCell(2, 0, Complementary),
                new SuppressedCell(2, 2, Complementary),
            ],
            table.Suppressed);
        Assert.Equal(0, table[0, 0]);
        Assert.Equal(0, table[0, 2]);
        Assert.Equal(60, table[2, 1]);
        Assert.Equal(new long?[] { null, null, 135 }, table.RowTotals);
        Assert.Equal(223, table.GrandTotal);
        AssertProtected(source, 10, table);
    }

    [Fact]
    public void Totals_below_k_are_suppressed_and_protected_in_their_margin()
    {
        long[,] counts =
        {
            { 2, 3 },
            { 20, 30 },
        };
        var source = CountTable.FromCounts(counts);
        var table = SmallCellSuppression.Suppress(source, k: 10);

        // Row 0 and its total (5) are small. Columns 0 and 1 each need a second hidden cell (20, 30). The grand total
        // minus row 1's total would give row 0's total, so row 1's total goes too. Column totals and the grand total
        // stay: 22 = a + c and 33 = b + d pin nothing.
        Assert.All(table.Cells, row => Assert.All(row, Assert.Null));
        Assert.Equal(new long?[] { null, null }, table.RowTotals);
        Assert.Equal(new long?[] { 22, 33 }, table.ColumnTotals);
        Assert.Equal(55, table.GrandTotal);
        Assert.Equal(Primary, table.ReasonFor(0, null));
        Assert.Equal(Complementary, table.ReasonFor(1, null));
        Assert.Null(table.ReasonFor(null, null));
        AssertProtected(source, 10, table);
    }

    [Fact]
    public void One_row_table_hides_the_column_totals_that_repeat_hidden_cells()
    {
        var source = CountTable.FromCounts(new long[,] { { 3, 12, 30 } });
        var table = SmallCellSuppression.Suppress(source, k: 10);

        Assert.Equal(new long?[] { null, null, 30 }, table.Cells[0]);
        Assert.Equal(new long?[] { null, null, 30 }, table.ColumnTotals);
        Assert.Equal(new long?[] { 45 }, table.RowTotals);
        Assert.Equal(45, table.GrandTotal);
        AssertProtected(source, 10, table);
    }

    [Fact]
    public void One_row_table_with_a_small_total_hides_the_grand_total()
    {
        var source = CountTable.FromCounts(new long[,] { { 3, 4, 0 } });
        var table = SmallCellSuppression.Suppress(source, k: 10);

        Assert.Equal(new long?[] { null, null, 0 }, table.Cells[0]);
        Assert.Null(table.RowTotals[0]);
        Assert.Null(table.GrandTotal);
        Assert.Equal(Primary, table.ReasonFor(null, null));
        AssertProtected(source, 10, table);
    }

    [Fact]
    public void Zeros_are_published_and_an_all_zero_table_needs_nothing()
    {
        var source = CountTable.FromCounts(new long[,] { { 0, 0 }, { 0, 0 } });
        var table = SmallCellSuppression.Suppress(source, k: 10);

        Assert.Empty(table.Suppressed);
        Assert.Equal(0, table.GrandTotal);
        Assert.Null(table.RowPercentage(0, 0)); // 0 of 0 is no percentage

        var empty = SmallCellSuppression.Suppress(new CountTable([], [], new long[0, 0]), k: 10);
        Assert.Empty(empty.Suppressed);
        Assert.Equal(0, empty.GrandTotal);
    }

    [Fact]
    public void A_large_single_cell_line_is_left_alone()
    {
        // Row 0 has one non-zero cell, but it is >= k and nothing around it is hidden: publishing it is fine.
        var source = CountTable.FromCounts(new long[,] { { 15, 0 }, { 12, 30 } });
        var table = SmallCellSuppression.Suppress(source, k: 10);

        Assert.Empty(table.Suppressed);
        Assert.Equal(new long?[] { 15, 42 }, table.RowTotals);
    }

    [Fact]
    public void Percentages_come_only_from_published_cells_over_published_totals()
    {
        long[,] counts =
        {
            { 3, 20, 30 },
            { 25, 22, 40 },
            { 30, 50, 60 },
        };
        var table = SmallCellSuppression.Suppress(CountTable.FromCounts(counts), k: 10);

        Assert.Null(table.RowPercentage(0, 0));
        Assert.Null(table.ColumnPercentage(1, 1));
        Assert.Equal(100.0 * 30 / 53, table.RowPercentage(0, 2));
        Assert.Equal(100.0 * 60 / 130, table.ColumnPercentage(2, 2));
        Assert.Equal(100.0 * 50 / 280, table.GrandPercentage(2, 1));
        Assert.Null(SmallCellSuppression.Percentage(5, null));
        Assert.Null(SmallCellSuppression.Percentage(null, 50));
    }

    [Fact]
    public void Threshold_one_suppresses_nothing_and_invalid_input_is_rejected()
    {
        var source = CountTable.FromCounts(new long[,] { { 1, 2 }, { 0, 3 } });
        Assert.Empty(SmallCellSuppression.Suppress(source, k: 1).Suppressed);

        Assert.Throws<ArgumentOutOfRangeException>(() => SmallCellSuppression.Suppress(source, k: 0));
        Assert.Throws<ArgumentException>(() => CountTable.FromCounts(new long[,] { { 1, -1 } }));
        Assert.Throws<ArgumentException>(() => new CountTable(["a"], ["x", "y"], new long[2, 2]));
        Assert.Throws<ArgumentException>(() => new CountTable(["a", "b"], ["x"], new long[2, 2]));
    }

    [Fact]
    public void Tally_counts_by_two_keys_in_a_stable_order()
    {
        var items = new[] { ("P2", "Force"), ("P1", "Language"), ("P2", "Force"), ("P1", "Force") };
        var table = CountTable.Tally(items, item => item.Item1, item => item.Item2, columnOrder: ["Procedure", "Force"]);

        Assert.Equal(["P1", "P2"], table.RowLabels);
        Assert.Equal(["Procedure", "Force", "Language"], table.ColumnLabels);
        Assert.Equal(0, table[0, 0]);
        Assert.Equal(1, table[0, 1]);
        Assert.Equal(2, table[1, 1]);
        Assert.Equal(1, table[0, 2]);
        Assert.Equal(4, table.GrandTotal);
    }

    // ---- the audit itself, and what the bridge rule adds over the line rules -------------------------------------

    [Fact]
    public void Audit_finds_values_pinned_by_a_combination_of_lines()
    {
        // One hidden cell: its row total gives it back.
        Assert.Equal([(0, 0)], Determined(new long?[,] { { null, 5, 10 }, { 7, 8, 15 }, { 12, 13, 25 } }));

        // Two closed 2 x 2 patterns joined by one hidden cell (0,2): every line with a published total has two or more
        // hidden cells, yet rows 0-1 minus columns 0-1 give (0,2) exactly.
        long?[,] chained =
        {
            { null, null, null, 20, 20, 100 },
            { null, null, 20, 20, 20, 100 },
            { 20, 20, null, null, 20, 100 },
            { 20, 20, null, null, 20, 100 },
            { 80, 80, 80, 80, 80, 400 },
        };
        Assert.Equal([(0, 2)], Determined(chained));

        // Without the join, nothing is determined.
        chained[0, 2] = 20;
        Assert.Empty(Determined(chained));
    }

    [Fact]
    public void Bridge_rule_closes_a_value_the_line_rules_alone_leave_determined()
    {
        // Found by a search over random tables (about 1 in 1,600 needs the bridge rule at these sizes).
        long[,] counts =
        {
            { 19, 6, 31, 5 },
            { 18, 32, 8, 29 },
            { 21, 23, 25, 28 },
            { 25, 31, 15, 28 },
        };
        var source = CountTable.FromCounts(counts);

        // The line rules alone hide 6, 5, 8, 15 (small) and 19, 18, 23, 28, 25: every line with a published total has
        // two or more hidden cells summing to at least 12, yet (0,0) joins two closed patterns (rows 0, 2 x columns 1, 3
        // and rows 1, 3 x columns 0, 2): row 0 + row 2 - column 1 - column 3 = (61-31) + (97-21-25) - (92-32-31)
        // - (90-29-28) = 19.
        var linesOnly = SmallCellSuppression.Suppress(source, 12, closeBridges: false);
        Assert.Equal([(0, 0)], Determined(PublishedGrid(linesOnly)));

        // The bridge rule hides the smallest published cell across the two sides, (2,0) = 21.
        var full = SmallCellSuppression.Suppress(source, 12);
        Assert.Equal(
            [new SuppressedCell(2, 0, Complementary)],
            full.Suppressed.Except(linesOnly.Suppressed));
        AssertProtected(source, 12, full);
    }

    // ---- properties ---------------------------------------------------------------------------------------------

    private static readonly Gen<int> CountGen = Gen.Frequency(
        (1, Gen.Const(0)),
        (2, Gen.Int[1, 12]),
        (3, Gen.Int[0, 40]));

    private static readonly Gen<(long[,] Counts, int K)> RandomTables =
        Gen.Select(Gen.Int[1, 8], Gen.Int[1, 8], Gen.Int[2, 12])
            .SelectMany((rows, columns, k) => CountGen.Array[rows * columns].Select(cells => (ToMatrix(rows, columns, cells), k)));

    [Fact]
    public void Random_tables_are_protected()
    {
        // Both ways of choosing complementary cells: the smallest first, and keeping row totals.
        RandomTables.Sample(
            sample =>
            {
                var source = CountTable.FromCounts(sample.Counts);
                AssertProtected(source, sample.K, SmallCellSuppression.Suppress(source, sample.K));
                AssertProtected(source, sample.K, SmallCellSuppression.SuppressKeepingRowTotals(source, sample.K));
            },
            iter: 400,
            print: Describe);
    }

    [Fact]
    public void Random_series_are_protected()
    {
        Gen.Select(CountGen.Array[1, 12], Gen.Int[2, 12]).Sample(
            (cells, k) =>
            {
                var counts = cells.Select(c => (long)c).ToList();
                var series = SmallCellSuppression.Suppress1D([.. counts.Select((_, i) => i.ToString(CultureInfo.InvariantCulture))], counts, k);

                // A series is the one-row table without its repeated margins: check it as such.
                var published = new long?[2, counts.Count + 1];
                for (var i = 0; i < counts.Count; i++)
                {
                    published[0, i] = series.Values[i];
                    published[1, i] = series.Values[i];
                }

                published[0, counts.Count] = published[1, counts.Count] = series.Total;
                var matrix = new long[1, counts.Count];
                for (var i = 0; i < counts.Count; i++)
                {
                    matrix[0, i] = counts[i];
                }

                AssertProtected(matrix, k, published);
            },
            iter: 400);
    }

    [Fact]
    public void Keeping_row_totals_hides_a_column_total_rather_than_a_rows_only_cell()
    {
        // k = 10. Rows 0 and 2 have one source each (23, 30); row 1 has a 5. The plain rules protect the 5 in its column
        // with the 23, the only cell of row 0, so row 0's total goes too. Keeping row totals, column 0 hides its total
        // instead, and the column-totals line hides the smallest other column total to protect it.
        var source = CountTable.FromCounts(new long[,] { { 23, 0, 0 }, { 5, 20, 15 }, { 30, 0, 0 } });
        var plain = SmallCellSuppression.Suppress(source, 10);
        Assert.Null(plain.RowTotals[0]);

        var kept = SmallCellSuppression.SuppressKeepingRowTotals(source, 10);
        Assert.Equal([23, 40, 30], kept.RowTotals);
        Assert.Equal([null, 20, null], kept.ColumnTotals);
        Assert.Equal(93, kept.GrandTotal);
        Assert.Equal([null, 20, null], kept.Cells[1]);
        AssertProtected(source, 10, kept);
    }

    [Fact]
    public void Suppression_is_deterministic()
    {
        RandomTables.Sample(
            sample =>
            {
                var first = SmallCellSuppression.Suppress(CountTable.FromCounts(sample.Counts), sample.K);
                var second = SmallCellSuppression.Suppress(CountTable.FromCounts((long[,])sample.Counts.Clone()), sample.K);
                Assert.Equal(Render(first), Render(second));
                Assert.Equal(first.Suppressed, second.Suppressed);
            },
            iter: 200,
            print: Describe);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static long[,] ToMatrix(int rows, int columns, int[] cells)
    {
        var matrix = new long[rows, columns];
        for (var i = 0; i < cells.Length; i++)
        {
            matrix[i / columns, i % columns] = cells[i];
        }

        return matrix;
    }

    private static string Describe((long[,] Counts, int K) sample)
    {
        var text = new StringBuilder().Append("k=").Append(sample.K).AppendLine();
        for (var r = 0; r < sample.Counts.GetLength(0); r++)
        {
            for (var c = 0; c < sample.Counts.GetLength(1); c++)
            {
                text.Append(sample.Counts[r, c].ToString(CultureInfo.InvariantCulture).PadLeft(4));
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static string Render(SuppressedTable table)
    {
        var grid = PublishedGrid(table);
        var text = new StringBuilder();
        for (var r = 0; r < grid.GetLength(0); r++)
        {
            for (var c = 0; c < grid.GetLength(1); c++)
            {
                text.Append(grid[r, c]?.ToString(CultureInfo.InvariantCulture) ?? "*").Append(' ');
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    /// <summary>The published view as an (R+1) x (C+1) grid: row totals in the last column, column totals and the grand total in the last row.</summary>
    private static long?[,] PublishedGrid(SuppressedTable table)
    {
        int rows = table.RowCount, columns = table.ColumnCount;
        var grid = new long?[rows + 1, columns + 1];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                grid[r, c] = table[r, c];
            }

            grid[r, columns] = table.RowTotals[r];
        }

        for (var c = 0; c < columns; c++)
        {
            grid[rows, c] = table.ColumnTotals[c];
        }

        grid[rows, columns] = table.GrandTotal;
        return grid;
    }

    private static long[,] TrueGrid(long[,] counts)
    {
        int rows = counts.GetLength(0), columns = counts.GetLength(1);
        var grid = new long[rows + 1, columns + 1];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                grid[r, c] = counts[r, c];
                grid[r, columns] += counts[r, c];
                grid[rows, c] += counts[r, c];
                grid[rows, columns] += counts[r, c];
            }
        }

        return grid;
    }

    private static void AssertProtected(CountTable source, int k, SuppressedTable table)
    {
        var counts = new long[source.RowCount, source.ColumnCount];
        for (var r = 0; r < source.RowCount; r++)
        {
            for (var c = 0; c < source.ColumnCount; c++)
            {
                counts[r, c] = source[r, c];
            }
        }

        var published = PublishedGrid(table);
        AssertProtected(counts, k, published);

        // The list of suppressed positions matches the nulls, with the right reason.
        var truth = TrueGrid(counts);
        int rows = source.RowCount, columns = source.ColumnCount;
        var listed = table.Suppressed.Select(cell => (cell.Row ?? rows, cell.Column ?? columns)).ToList();
        Assert.Equal(listed.Count, listed.Distinct().Count());
        for (var r = 0; r <= rows; r++)
        {
            for (var c = 0; c <= columns; c++)
            {
                Assert.Equal(published[r, c] is null, listed.Contains((r, c)));
                if (published[r, c] is null)
                {
                    var expected = truth[r, c] < k ? SuppressionReason.BelowThreshold : SuppressionReason.Complementary;
                    Assert.Equal(expected, table.ReasonFor(r == rows ? null : r, c == columns ? null : c));
                }
            }
        }
    }

    /// <summary>The invariants, on the published grid alone (plus the truth to compare with).</summary>
    private static void AssertProtected(long[,] counts, int k, long?[,] published)
    {
        var truth = TrueGrid(counts);
        int rows = counts.GetLength(0), columns = counts.GetLength(1);

        for (var r = 0; r <= rows; r++)
        {
            for (var c = 0; c <= columns; c++)
            {
                if (published[r, c] is { } value)
                {
                    // (c) published values are the true counts; (a), (d) none is small unless it is zero.
                    Assert.Equal(truth[r, c], value);
                    Assert.False(value > 0 && value < k, $"published small count {value} at ({r},{c})");
                }
                else
                {
                    Assert.True(truth[r, c] > 0, $"zero suppressed at ({r},{c})");
                }
            }
        }

        // (b) every line: rows 0..R-1, the column-totals row R, columns 0..C-1, the row-totals column C.
        for (var r = 0; r <= rows; r++)
        {
            AssertLine(k, [.. Enumerable.Range(0, columns).Select(c => (truth[r, c], published[r, c]))], (truth[r, columns], published[r, columns]), $"row {r}");
        }

        for (var c = 0; c <= columns; c++)
        {
            AssertLine(k, [.. Enumerable.Range(0, rows).Select(r => (truth[r, c], published[r, c]))], (truth[rows, c], published[rows, c]), $"column {c}");
        }

        // Nothing hidden can be computed exactly from what is published.
        Assert.Empty(Determined(published));
    }

    private static void AssertLine(int k, (long Truth, long? Published)[] members, (long Truth, long? Published) total, string name)
    {
        var hidden = members.Where(member => member.Published is null && member.Truth > 0).ToList();
        var hiddenSum = hidden.Sum(member => member.Truth);
        if (total.Published is not null)
        {
            Assert.True(hidden.Count is 0 or >= 2, $"{name}: {hidden.Count} hidden cell(s) under a published total");
            Assert.True(hiddenSum == 0 || hiddenSum >= k, $"{name}: hidden cells sum to {hiddenSum} < {k} under a published total");
        }
        else
        {
            Assert.True(hidden.Count >= 1, $"{name}: hidden total is the sum of its published cells");
        }
    }

    /// <summary>
    /// Hidden positions whose value follows from the published grid by linear algebra: the unknowns are the hidden
    /// positions, the equations the R+1 row lines and C+1 column lines. A hidden value is determined iff every
    /// vector of the null space is zero there. Exact arithmetic modulo a large prime: the constraint matrix is an
    /// incidence matrix up to signs (totally unimodular), so ranks modulo p equal ranks over the rationals.
    /// </summary>
    private static List<(int Row, int Column)> Determined(long?[,] published)
    {
        const long P = 1_000_000_007;
        int rows = published.GetLength(0) - 1, columns = published.GetLength(1) - 1;
        var unknowns = new List<(int Row, int Column)>();
        for (var r = 0; r <= rows; r++)
        {
            for (var c = 0; c <= columns; c++)
            {
                if (published[r, c] is null)
                {
                    unknowns.Add((r, c));
                }
            }
        }

        // Row line r: cells (r, c < C) - total (r, C) = 0. Column line c: cells (r < R, c) - total (R, c) = 0.
        var equations = new List<long[]>();
        for (var r = 0; r <= rows; r++)
        {
            equations.Add([.. unknowns.Select(u => u.Row != r ? 0L : u.Column == columns ? P - 1 : 1)]);
        }

        for (var c = 0; c <= columns; c++)
        {
            equations.Add([.. unknowns.Select(u => u.Column != c ? 0L : u.Row == rows ? P - 1 : 1)]);
        }

        // Reduced row echelon form.
        var pivotRowOf = new int[unknowns.Count];
        Array.Fill(pivotRowOf, -1);
        var rank = 0;
        for (var column = 0; column < unknowns.Count && rank < equations.Count; column++)
        {
            var pivot = equations.FindIndex(rank, e => e[column] != 0);
            if (pivot < 0)
            {
                continue;
            }

            (equations[rank], equations[pivot]) = (equations[pivot], equations[rank]);
            var inverse = ModPow(equations[rank][column], P - 2, P);
            for (var j = 0; j < unknowns.Count; j++)
            {
                equations[rank][j] = equations[rank][j] * inverse % P;
            }

            for (var i = 0; i < equations.Count; i++)
            {
                if (i != rank && equations[i][column] != 0)
                {
                    var factor = equations[i][column];
                    for (var j = 0; j < unknowns.Count; j++)
                    {
                        equations[i][j] = ((equations[i][j] - (factor * equations[rank][j] % P)) % P + P) % P;
                    }
                }
            }

            pivotRowOf[column] = rank++;
        }

        // A free unknown is never determined; a pivot unknown is determined iff its row has no free unknown in it.
        var determined = new List<(int Row, int Column)>();
        for (var u = 0; u < unknowns.Count; u++)
        {
            if (pivotRowOf[u] >= 0 && Enumerable.Range(0, unknowns.Count).All(j => pivotRowOf[j] >= 0 || equations[pivotRowOf[u]][j] == 0))
            {
                determined.Add(unknowns[u]);
            }
        }

        return determined;
    }

    internal static long ModPow(long value, long exponent, long modulus)
    {
        long result = 1;
        value %= modulus;
        while (exponent > 0)
        {
            if ((exponent & 1) == 1)
            {
                result = result * value % modulus;
            }

            value = value * value % modulus;
            exponent >>= 1;
        }

        return result;
    }
}
