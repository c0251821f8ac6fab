using System.Text.Json.Serialization;

namespace OpenConduct.Core.Dashboards;

// The JSON of GET /api/dashboards and GET /api/dashboards/{name} (docs/api.md, "Dashboards"). Properties the
// contract gives as null (a table without columns, a suppressed total, a suppressed position's total side) are
// written as null even where the host leaves null properties out.

/// <summary><c>GET /api/dashboards</c>: the threshold, every dimension with its values, every dashboard.</summary>
public sealed record DashboardCatalogResponse(
    int K,
    IReadOnlyList<DashboardDimensionInfo> Dimensions,
    IReadOnlyList<DashboardInfo> Dashboards)
{
    /// <summary>The live releases the dashboards count (source, release, policy, its k, its date).</summary>
    public IReadOnlyList<DashboardReleaseInfo> Releases { get; init; } = [];

    /// <summary>Other parameters some dashboards accept besides the dimensions (e.g. <c>days</c>).</summary>
    public IReadOnlyList<DashboardDimensionInfo> ExtraFilters { get; init; } = [];
}

/// <summary>A dimension: its parameter name, title and the values a filter accepts (and tables show).</summary>
public sealed record DashboardDimensionInfo(string Name, string Title, IReadOnlyList<string> Values)
{
    /// <summary><c>complaint</c> (the same on all of a complaint's allegations) or <c>allegation</c>.</summary>
    public string? Level { get; init; }

    public string? Description { get; init; }
}

/// <summary>A dashboard: what it counts (<c>allegations</c> or <c>complaints</c>), by what rows and columns, its options.</summary>
public sealed record DashboardInfo(
    string Name,
    string Title,
    string Description,
    string Measure,
    string Rows,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Columns,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyDictionary<string, IReadOnlyList<string>>? Options)
{
    /// <summary>The value each option takes when the request does not give it.</summary>
    public IReadOnlyDictionary<string, string>? Defaults { get; init; }
}

/// <summary>A live release the dashboards count.</summary>
public sealed record DashboardReleaseInfo(string Source, string ReleaseId, string Policy, int K, string AsOf);

/// <summary>
/// <c>GET /api/dashboards/{name}</c>: one table of suppressed counts. A suppressed value is null and listed in
/// <see cref="Suppressed"/> with its reason. A series (no columns) has one value per row: <c>cells[i]</c> holds one
/// number, and <c>rowTotals</c> repeats them.
/// </summary>
public sealed record DashboardResponse(
    string Name,
    string Title,
    string Measure,
    int K,
    IReadOnlyDictionary<string, string> Filters,
    DashboardAxis Rows,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DashboardAxis? Columns,
    IReadOnlyList<IReadOnlyList<long?>> Cells,
    IReadOnlyList<long?> RowTotals,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] IReadOnlyList<long?>? ColumnTotals,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? Total,
    IReadOnlyList<DashboardSuppressedCell> Suppressed,
    IReadOnlyList<string> Notes)
{
    /// <summary>The options the table was made with (e.g. <c>{"by":"complainantRace"}</c>), for dashboards that take any.</summary>
    public IReadOnlyDictionary<string, string>? Options { get; init; }

    /// <summary>allegations-map: the hundred blocks with at least k matching allegations (empty when the policy publishes none).</summary>
    public IReadOnlyList<DashboardPoint>? Points { get; init; }

    /// <summary>
    /// How the rows are grouped, by axis: <c>{"time": "2-year"}</c> for time rows (year, 2-year, 5-year, all; month,
    /// quarter, year, ...), <c>{"complainantRace": "merged"}</c> (or <c>"value"</c>) for demographic rows; null for the
    /// dashboards whose rows are never grouped.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Grouping { get; init; }

    /// <summary>The groups each merged row holds (<c>{"Other (merged)": ["AmericanIndian", "PacificIslander"]}</c>); null when none is merged.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Merged { get; init; }

    /// <summary>
    /// Tables with columns: per row, the part of its published total that is in suppressed cells ("part of this total
    /// not shown"): the total minus the row's published cells, 0 when none is hidden, null when the total is hidden.
    /// </summary>
    public IReadOnlyList<long?>? SuppressedParts { get; init; }

    /// <summary>timeliness: the median days from received to closed of the matching closed complaints, only when at least k match.</summary>
    public long? MedianDaysToClose { get; init; }

    /// <summary>
    /// Time rows: the last month (<c>YYYY-MM</c>) in which the data has any complaint, when it is not a December: the last
    /// period is then a part of its year (the current year, or an export that ends early). Null otherwise.
    /// </summary>
    public string? DataThrough { get; init; }

    /// <summary>timelines: the median and 90th percentile of days of every published count (null elsewhere).</summary>
    public DashboardDurations? Durations { get; init; }
}

/// <summary>
/// The days of the timelines dashboard, in the shape of its table: for each cell, row total and the total whose count
/// is published (at least k, not hidden), the lower median and the 90th percentile (nearest rank) of the days of its
/// complaints; null wherever the count is not published.
/// </summary>
/// <param name="To"><c>closed</c> (days from received to closed) or <c>discipline</c> (to the final discipline).</param>
/// <param name="Median">Per row and column, the median days of the cell.</param>
/// <param name="P90">Per row and column, the 90th percentile of the cell's days.</param>
/// <param name="RowMedian">Per row, the median days of the row total.</param>
/// <param name="RowP90">Per row, the 90th percentile of the row total's days.</param>
/// <param name="TotalMedian">The median days of the total.</param>
/// <param name="TotalP90">The 90th percentile of the total's days.</param>
public sealed record DashboardDurations(
    string To,
    IReadOnlyList<IReadOnlyList<long?>> Median,
    IReadOnlyList<IReadOnlyList<long?>> P90,
    IReadOnlyList<long?> RowMedian,
    IReadOnlyList<long?> RowP90,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? TotalMedian,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? TotalP90);

/// <summary>The rows or the columns of a table: the dimension and its values, in order.</summary>
public sealed record DashboardAxis(string Dimension, IReadOnlyList<string> Values);

/// <summary>
/// A suppressed position: <c>row</c> and <c>column</c> are zero-based; a null row is the column-totals line, a null
/// column the row-totals column (so (null, null) is the total). <c>reason</c>: <c>belowThreshold</c> (a count from 1
/// to k - 1, or any count of a table with fewer than k matching) or <c>complementary</c> (hidden so that a total cannot
/// reveal a small count).
/// </summary>
public sealed record DashboardSuppressedCell(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Row,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? Column,
    string Reason);

/// <summary>A hundred block with its precinct and the number of matching allegations (at least k).</summary>
public sealed record DashboardPoint(string Block, string Precinct, long Count);
