using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using OpenConduct.Core.Disclosure;
using static OpenConduct.Core.Dashboards.DashboardDimensions;

namespace OpenConduct.Core.Dashboards;

/// <summary>A request the API cannot answer: 404 (no such dashboard) or 400, with what is allowed instead.</summary>
public sealed record DashboardProblem(int Status, string Title, string Detail, IReadOnlyList<string> Allowed);

/// <summary>A parsed dashboard request: the dashboard, its filters (dimension -> value) and options, checked against facts.</summary>
public sealed class DashboardRequest
{
    internal DashboardRequest(DashboardFacts facts, DashboardDefinition dashboard, IReadOnlyDictionary<string, string> filters, IReadOnlyDictionary<string, string> options, Filter[] compiled)
    {
        Facts = facts;
        Dashboard = dashboard;
        Filters = filters;
        Options = options;
        Compiled = compiled;
    }

    public DashboardDefinition Dashboard { get; }

    /// <summary>The filters as the response echoes them: dimension -> value, in the order of the dimensions.</summary>
    public IReadOnlyDictionary<string, string> Filters { get; }

    /// <summary>Every option of the dashboard with its value (given or default).</summary>
    public IReadOnlyDictionary<string, string> Options { get; }

    internal DashboardFacts Facts { get; }

    /// <summary>The filters as columns and codes, most selective first.</summary>
    internal Filter[] Compiled { get; }
}

/// <summary>
/// A filter on one column of codes: a fact matches when its code is <see cref="Code"/>; <see cref="Postings"/> lists
/// the facts of each code of the column, so that a query can start from its most selective filter's facts.
/// </summary>
internal readonly record struct Filter(ushort[] Codes, ushort Code, int Frequency, bool ComplaintLevel, DashboardFacts.Postings Postings, DashboardFacts.Postings? ComplaintPostings)
{
    /// <summary>The facts with the code (fact indices, ascending).</summary>
    public ReadOnlySpan<int> Facts => Postings.Facts.AsSpan(Postings.Start[Code], Postings.Start[Code + 1] - Postings.Start[Code]);

    /// <summary>The complaints with the code (complaint indices, ascending); complaint-level filters only.</summary>
    public ReadOnlySpan<int> Complaints => ComplaintPostings!.Facts.AsSpan(ComplaintPostings.Start[Code], ComplaintPostings.Start[Code + 1] - ComplaintPostings.Start[Code]);
}

/// <summary>
/// Answers dashboard requests from <see cref="DashboardFacts"/> in memory: filters the facts, counts allegations or
/// distinct complaints into a table, and suppresses it with <see cref="SmallCellSuppression"/> under k (every cell and
/// every total). Nothing else leaves: no percentages, no record.
/// </summary>
public static partial class DashboardQueries
{
    /// <summary>The dimensions held for counts only (aggregateOnly): no day figure is given with a filter on them.</summary>
    private static readonly HashSet<string> CountedOnly = new(
        new[] { ComplainantRace, ComplainantSex, ComplainantAgeBand, OfficerRace, OfficerSex }.Select(d => All[d].Name),
        StringComparer.Ordinal);

    /// <summary>The most values a problem's message lists (the <c>allowed</c> list has them all).</summary>
    private const int MaxListed = 60;

    private const int MaxEcho = 60;

    /// <summary>
    /// Checks a request: the dashboard's name, then every query parameter (a dimension with one value that the facts
    /// have, <c>days</c> with a band, or one of the dashboard's options with an allowed value). Names are matched
    /// ignoring case; values exactly, else ignoring case when that names one value. <c>month</c> also takes
    /// <c>YYYY-MM</c> (that month of that year).
    /// </summary>
    public static (DashboardRequest? Request, DashboardProblem? Problem) Parse(DashboardFacts facts, string name, IEnumerable<KeyValuePair<string, string?[]>> query)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(query);
        if (DashboardDefinitions.Find(name) is not { } dashboard)
        {
            var names = DashboardDefinitions.All.Select(d => d.Name).ToList();
            return (null, new DashboardProblem(404, "Not found", $"There is no dashboard '{Shorten(name)}'. Dashboards: {string.Join(", ", names)}.", names));
        }

        var options = new Dictionary<string, string>(dashboard.Defaults ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var given = new SortedDictionary<int, (string Name, string Value, Filter Filter)>();
        foreach (var (key, values) in query)
        {
            var parameter = key ?? "";
            if (dashboard.Options?.Keys.FirstOrDefault(o => string.Equals(o, parameter, StringComparison.OrdinalIgnoreCase)) is { } option)
            {
                var allowed = dashboard.Options[option];
                if (values.Length != 1 || Match(allowed, values[0]) is not { } chosen)
                {
                    return (null, BadRequest($"The option '{option}' of {dashboard.Name} takes one of: {string.Join(", ", allowed)}.", allowed));
                }

                options[option] = chosen;
                continue;
            }

            var dimension = DashboardDimensions.All.Select((d, i) => (d.Name, i)).FirstOrDefault(d => string.Equals(d.Name, parameter, StringComparison.OrdinalIgnoreCase));
            var isDays = string.Equals(parameter, DashboardDefinitions.DaysParameter, StringComparison.OrdinalIgnoreCase);
            if (dimension.Name is null && !isDays)
            {
                var allowed = Parameters(dashboard);
                return (null, BadRequest(
                    $"Unknown query parameter '{Shorten(parameter)}'. {dashboard.Name} is filtered by the dimensions ({string.Join(", ", DashboardDimensions.All.Select(d => d.Name))}) and {DashboardDefinitions.DaysParameter}"
                    + (dashboard.Options is { } o ? $"; its options: {string.Join(", ", o.Keys)}" : "") + ".",
                    allowed));
            }

            var (slot, label) = isDays ? (Count, DashboardDefinitions.DaysParameter) : (dimension.i, dimension.Name!);
            var accepted = isDays ? DashboardFacts.DayBands : facts.ValuesOf(slot);
            if (values.Length != 1 || string.IsNullOrEmpty(values[0]))
            {
                return (null, BadRequest($"Give one value of '{label}'. Its values: {List(accepted)}.", accepted));
            }

            if (given.ContainsKey(slot))
            {
                return (null, BadRequest($"Give '{label}' once.", accepted));
            }

            if (Compile(facts, slot, values[0]!) is not { } compiled)
            {
                var more = slot == Month ? " (or YYYY-MM, a month of one of the years)" : "";
                return (null, BadRequest($"'{label}' has no such value. Its values: {List(accepted)}{more}.", accepted));
            }

            given[slot] = (label, compiled.Value, compiled.Filter);
        }

        var filters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (_, (label, value, _)) in given)
        {
            filters[label] = value;
        }

        // Most selective first: a fact fails the rarest filter soonest.
        var ordered = given.Values.Select(g => g.Filter).OrderBy(f => f.Frequency).ToArray();
        return (new DashboardRequest(facts, dashboard, filters, options, ordered), null);
    }

    /// <summary>Answers a parsed request with a suppressed table.</summary>
    public static DashboardResponse Run(DashboardFacts facts, DashboardRequest request)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(request);
        if (!ReferenceEquals(request.Facts, facts))
        {
            throw new ArgumentException("the request was parsed against other facts", nameof(request));
        }

        var dashboard = request.Dashboard;
        var (rows, columns) = dashboard.Axes(request.Options);
        var (rowCodes, rowLabels) = AxisOf(facts, rows);
        var (columnCodes, columnLabels) = columns is { } c ? AxisOf(facts, c) : (null, ["count"]);
        var width = columnLabels.Count;
        var counts = new long[rowLabels.Count * width];
        var map = dashboard.Name == "allegations-map";
        var timeliness = rows.Kind == AxisKind.Days;
        var pointCounts = map ? new long[facts.Points.Length] : null;
        var closedDays = timeliness ? new long[facts.MaxClosedDays + 1] : null;

        var durationsTo = dashboard.Name == DashboardDefinitions.Timelines ? request.Options[DashboardDefinitions.To] : null;
        var (order, marks) = durationsTo is null
            ? (null, null)
            : TallyDurations(facts, request.Compiled, durationsTo, rowCodes, columnCodes!, width, counts);
        if (order is null)
        {
            Tally(facts, request.Compiled, dashboard.Measure == DashboardMeasure.Complaints, new Sink(facts, rowCodes, columnCodes, width, counts, pointCounts, closedDays));
        }

        var k = facts.K;
        var trueTotal = counts.Sum();
        var tooFew = trueTotal > 0 && trueTotal < k;

        // The rows' grouping (DashboardGrouping): time rows in the finest bins whose every period with a count shows its
        // total, small demographic groups merged; then the rows that are kept and their suppression.
        var layout = Layout(facts, dashboard, rows, rowLabels, [.. columnLabels], counts, width, tooFew);
        var labels = layout.Labels;
        var rowCount = labels.Count;
        var notes = new List<string> { ThresholdNote(facts) };
        IReadOnlyList<IReadOnlyList<long?>> cells;
        IReadOnlyList<long?> rowTotals;
        IReadOnlyList<long?> columnTotals;
        long? total;
        List<DashboardSuppressedCell> hidden;
        if (tooFew)
        {
            // Fewer than k match: nothing of the table is published, zeros included (they would tell what the few share).
            cells = [.. Enumerable.Range(0, rowCount).Select(_ => (IReadOnlyList<long?>)new long?[width])];
            rowTotals = new long?[rowCount];
            columnTotals = new long?[width];
            total = null;
            hidden = [];
            for (var r = 0; r <= rowCount; r++)
            {
                for (var col = 0; col <= width; col++)
                {
                    hidden.Add(new DashboardSuppressedCell(r == rowCount ? null : r, col == width ? null : col, "belowThreshold"));
                }
            }

            notes.Add($"Fewer than {k} {dashboard.MeasureName} match these filters: no count of this table is published.");
        }
        else
        {
            var suppressed = layout.Suppressed!;
            cells = suppressed.Cells;
            rowTotals = suppressed.RowTotals;
            columnTotals = suppressed.ColumnTotals;
            total = suppressed.GrandTotal;
            hidden = [.. suppressed.Suppressed.Select(s => new DashboardSuppressedCell(s.Row, s.Column, s.Reason == SuppressionReason.BelowThreshold ? "belowThreshold" : "complementary"))];
        }

        if (columns is null)
        {
            // A series: the column-totals line repeats the cells and the total; it is not published.
            hidden = [.. hidden.Where(h => h.Row is not null || h.Column is null)];
        }

        notes.AddRange(Notes(facts, request, rows));
        notes.AddRange(GroupingNotes(layout.Grouping, rows, dashboard, k));

        // A median or percentile is one complaint's own days, and each case's days are public (case status, histories): with
        // a filter on what is only counted (complainants' or officers' demographics), the figure could point at the case
        // and tell its complainant's race. No day figure is given then; the counts are.
        var countedOnly = request.Filters.Keys.Any(CountedOnly.Contains);
        if (countedOnly && (closedDays is not null || order is not null))
        {
            notes.Add("No median or percentile of days is given with a filter on complainants' or officers' demographics: each case's days are public, so a figure of days could point at one case and tell what is only counted.");
        }

        var response = new DashboardResponse(
            dashboard.Name,
            dashboard.Title,
            dashboard.MeasureName,
            k,
            request.Filters,
            new DashboardAxis(rows.Name, labels),
            columns is { } axis ? new DashboardAxis(axis.Name, columnLabels) : null,
            cells,
            rowTotals,
            columns is null ? null : columnTotals,
            total,
            hidden,
            notes)
        {
            Options = dashboard.Options is null ? null : request.Options,
            Grouping = layout.Grouping is { } g ? new Dictionary<string, string> { [rows.IsTime ? "time" : rows.Name] = g.Level } : null,
            Merged = layout.Grouping is { Level: DashboardGrouping.Merged } m
                ? Enumerable.Range(0, m.Count).Where(i => m.Labels[i] == DashboardGrouping.MergedLabel).ToDictionary(i => m.Labels[i], i => m.Members[i], StringComparer.Ordinal)
                : null,
            SuppressedParts = columns is null ? null : SuppressedParts(cells, rowTotals),
            DataThrough = rows.IsTime && facts.LastMonth is { } last && !last.EndsWith("-12", StringComparison.Ordinal) ? last : null,
        };

        if (map)
        {
            var points = new List<DashboardPoint>();
            for (var p = 0; p < pointCounts!.Length; p++)
            {
                if (pointCounts[p] >= k)
                {
                    points.Add(new DashboardPoint(facts.Points[p].Block, facts.Points[p].Precinct, pointCounts[p]));
                }
            }

            response = response with { Points = points };
        }

        if (closedDays is not null && !countedOnly)
        {
            response = response with { MedianDaysToClose = Median(closedDays, k) };
        }

        if (order is not null && !tooFew && !countedOnly && layout.Grouping is { } timeRows)
        {
            response = response with { Durations = Durations(order, marks, timeRows, response) };
        }

        if (marks is not null)
        {
            ArrayPool<byte>.Shared.Return(marks);
        }

        return response;
    }

    /// <summary>
    /// Per row, the part of its published total that is in suppressed cells: the total minus the published cells (0 when
    /// none is hidden), computed from published figures only; null when the total itself is not published.
    /// </summary>
    private static long?[] SuppressedParts(IReadOnlyList<IReadOnlyList<long?>> cells, IReadOnlyList<long?> rowTotals)
    {
        var parts = new long?[rowTotals.Count];
        for (var r = 0; r < parts.Length; r++)
        {
            if (rowTotals[r] is { } total)
            {
                parts[r] = total - cells[r].Sum(v => v ?? 0);
            }
        }

        return parts;
    }

    /// <summary>The rows kept (after grouping and trimming), their grouping (null: the dimension's values as they are), and their suppression (null when fewer than k match).</summary>
    private sealed record TableLayout(IReadOnlyList<string> Labels, RowGrouping? Grouping, long[,] Table, SuppressedTable? Suppressed);

    /// <summary>
    /// Groups the rows and suppresses the table. Time rows: the finest level of <see cref="DashboardGrouping.TimeLevels"/>
    /// at which every period with a count has its total published (a level with a period total from 1 to k - 1 is
    /// skipped without suppressing it), else the last (one bin of every year); the rows run from the first to the last
    /// group with a count (zeros outside say nothing: a suppressed count is never zero), except when fewer than k match:
    /// then every row of the finest level is kept, all hidden, so that the rows do not tell when the few complaints were
    /// received. Demographic rows: small groups merged (<see cref="DashboardGrouping.MergeSmall"/>).
    /// </summary>
    private static TableLayout Layout(DashboardFacts facts, DashboardDefinition dashboard, Axis rows, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels, long[] counts, int width, bool tooFew)
    {
        var k = facts.K;
        if (rows.IsTime)
        {
            var levels = DashboardGrouping.TimeLevels(rows.Kind == AxisKind.MonthSeries, rowLabels, facts.ValuesOf(Year)).ToList();
            if (tooFew)
            {
                return new TableLayout(rowLabels, levels[0], Table(counts, width, 0, rowLabels.Count), null);
            }

            TableLayout? chosen = null;
            for (var l = 0; l < levels.Count && chosen is null; l++)
            {
                var level = levels[l];
                var grouped = level.Sum(counts, width);
                var (first, last) = (0, level.Count - 1);
                while (first <= last && RowSum(grouped, first, width) == 0)
                {
                    first++;
                }

                while (last >= first && RowSum(grouped, last, width) == 0)
                {
                    last--;
                }

                var final = l == levels.Count - 1;
                if (!final && Enumerable.Range(first, last - first + 1).Any(r => level.Dated[r] && RowSum(grouped, r, width) is > 0 and var n && n < k))
                {
                    continue;   // a period's total would be hidden: a coarser level
                }

                var labels = level.Labels.Skip(first).Take(last - first + 1).ToList();
                var table = Table(grouped, width, first, labels.Count);
                var suppressed = SmallCellSuppression.SuppressKeepingRowTotals(new CountTable(labels, columnLabels, table), k);
                var shown = Enumerable.Range(0, labels.Count).All(r => !level.Dated[first + r] || suppressed.RowTotals[r] is not null || RowSum(grouped, first + r, width) == 0);
                if (shown || final)
                {
                    chosen = new TableLayout(labels, level, table, suppressed);
                }
            }

            return chosen!;
        }

        RowGrouping? grouping = null;
        var kept = rowLabels;
        var rowCounts = counts;
        if (dashboard.Name == "demographics" && !tooFew)
        {
            var totals = Enumerable.Range(0, rowLabels.Count).Select(r => RowSum(counts, r, width)).ToArray();
            grouping = DashboardGrouping.MergeSmall(rowLabels, totals, k) ?? RowGrouping.Identity(DashboardGrouping.EachValue, rowLabels);
            kept = grouping.Labels;
            rowCounts = grouping.Sum(counts, width);
        }

        var plain = Table(rowCounts, width, 0, kept.Count);
        return new TableLayout(kept, grouping, plain, tooFew ? null : SmallCellSuppression.Suppress(new CountTable(kept, columnLabels, plain), k));
    }

    private static long[,] Table(long[] counts, int width, int first, int rowCount)
    {
        var table = new long[rowCount, width];
        for (var r = 0; r < rowCount; r++)
        {
            for (var c = 0; c < width; c++)
            {
                table[r, c] = counts[((first + r) * width) + c];
            }
        }

        return table;
    }

    private static IEnumerable<string> GroupingNotes(RowGrouping? grouping, Axis rows, DashboardDefinition dashboard, int k)
    {
        if (grouping is null)
        {
            yield break;
        }

        var finest = rows.Kind == AxisKind.MonthSeries ? "month" : "year";
        if (rows.IsTime && grouping.Level != finest)
        {
            var what = grouping.Level switch
            {
                "quarter" => "quarters",
                "year" => "years",
                "all" => "one period of every year",
                _ => $"{grouping.Level} periods",
            };
            yield return $"Rows are {what} (grouping.time = {grouping.Level}): by {finest}, some period with {dashboard.MeasureName} would have fewer than {k} and show no total. This is the finest grouping in which every period with {dashboard.MeasureName} shows its total.";
        }

        if (grouping.Level == DashboardGrouping.Merged)
        {
            yield return $"Groups with fewer than {k} {dashboard.MeasureName} are merged into the row \"{DashboardGrouping.MergedLabel}\" (listed in \"merged\"), with the smallest other groups when needed to reach {k}.";
        }
    }

    /// <summary>
    /// The baseline of the benchmark: the facts that match the request's filters, counted by a plain scan (no
    /// grouping, no distinct complaints, no suppression).
    /// </summary>
    public static long CountMatching(DashboardFacts facts, DashboardRequest request)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(request);
        var filters = request.Compiled;
        long count = 0;
        for (var i = 0; i < facts.FactCount; i++)
        {
            var match = true;
            foreach (var f in filters)
            {
                if (f.Codes[i] != f.Code)
                {
                    match = false;
                    break;
                }
            }

            count += match ? 1 : 0;
        }

        return count;
    }

    /// <summary>The parameters a dashboard accepts: the dimensions, <c>days</c>, its options.</summary>
    public static IReadOnlyList<string> Parameters(DashboardDefinition dashboard)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        return [.. DashboardDimensions.All.Select(d => d.Name), DashboardDefinitions.DaysParameter, .. dashboard.Options?.Keys ?? []];
    }

    /// <summary>
    /// Counts the matching facts (allegations) or distinct complaints into the sink. When the most selective filter
    /// matches at most half the facts it drives: only its facts (or, for a complaint-level filter counting complaints,
    /// its complaints) are visited, in order, and the other filters are checked on them. Otherwise (or without filters)
    /// every fact is visited in order, or every complaint's first fact when all filters are complaint-level.
    /// </summary>
    private static void Tally(DashboardFacts facts, Filter[] filters, bool complaints, Sink sink)
    {
        var isAllegation = facts.IsAllegation;
        var complaintOf = facts.ComplaintOf;
        if (!complaints)
        {
            if (filters.Length == 0 || filters[0].Frequency > facts.FactCount / 2)
            {
                for (var i = 0; i < facts.FactCount; i++)
                {
                    if (isAllegation[i] != 0 && Matches(filters, i))
                    {
                        sink.Add(i);
                    }
                }

                return;
            }

            var rest = filters[1..];
            foreach (var i in filters[0].Facts)
            {
                if (isAllegation[i] != 0 && Matches(rest, i))
                {
                    sink.Add(i);
                }
            }

            return;
        }

        // Complaints: a complaint counts once, at its first fact that matches every filter (complaint-level codes are on
        // every fact of the complaint); the row and column are complaint-level, the same on each of its facts.
        var start = facts.ComplaintStart;
        var sparse = filters.Length > 0 && filters[0].Frequency <= facts.FactCount / 2;
        if (sparse && filters[0].ComplaintLevel)
        {
            // The complaints of the most selective filter: the others checked on their facts.
            var others = filters[1..];
            foreach (var c in filters[0].Complaints)
            {
                for (var i = start[c]; i < start[c + 1]; i++)
                {
                    if (Matches(others, i))
                    {
                        sink.Add(i);
                        break;
                    }
                }
            }

            return;
        }

        if (sparse)
        {
            // The facts of the most selective filter (allegation-level), in order: a complaint's facts come together.
            var others = filters[1..];
            var last = -1;
            foreach (var i in filters[0].Facts)
            {
                if (complaintOf[i] != last && Matches(others, i))
                {
                    last = complaintOf[i];
                    sink.Add(i);
                }
            }

            return;
        }

        if (filters.All(f => f.ComplaintLevel))
        {
            // Every complaint once, by its first fact.
            for (var c = 0; c < facts.ComplaintCount; c++)
            {
                if (Matches(filters, start[c]))
                {
                    sink.Add(start[c]);
                }
            }

            return;
        }

        // Every complaint, its facts until one matches (most complaints match at their first fact here).
        for (var c = 0; c < facts.ComplaintCount; c++)
        {
            for (var i = start[c]; i < start[c + 1]; i++)
            {
                if (Matches(filters, i))
                {
                    sink.Add(i);
                    break;
                }
            }
        }
    }

    /// <summary>Where counts go: the table's cell of a fact, its hundred-block point, its closed complaint's days.</summary>
    private readonly struct Sink(DashboardFacts facts, ushort[] rowCodes, ushort[]? columnCodes, int width, long[] counts, long[]? pointCounts, long[]? closedDays, byte[]? marks = null)
    {
        private readonly int[] pointOf = facts.PointOf;
        private readonly ushort[] dayState = facts.DayState;
        private readonly int[] days = facts.ClosedDays;
        private readonly int[] complaintOf = facts.ComplaintOf;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int i)
        {
            var row = rowCodes[i];
            var column = columnCodes is null ? 0 : columnCodes[i];
            if (row != DashboardFacts.NoCode && column != DashboardFacts.NoCode)
            {
                counts[(row * width) + column]++;
            }

            if (pointCounts is not null && pointOf[i] >= 0)
            {
                pointCounts[pointOf[i]]++;
            }

            if (closedDays is not null && dayState[i] == 0)
            {
                closedDays[days[complaintOf[i]]]++;
            }

            if (marks is not null)
            {
                marks[complaintOf[i]] = 1;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Matches(Filter[] filters, int i)
    {
        for (var k = 0; k < filters.Length; k++)
        {
            ref readonly var f = ref filters[k];   // by reference: a filter is a few words, not worth copying per fact
            if (f.Codes[i] != f.Code)
            {
                return false;
            }
        }

        return true;
    }

    private static (ushort[] Codes, IReadOnlyList<string> Labels) AxisOf(DashboardFacts facts, Axis axis) => axis.Kind switch
    {
        AxisKind.Dimension => (facts.Columns[axis.Dimension], facts.ValuesOf(axis.Dimension)),
        AxisKind.MonthSeries => (facts.MonthRow, facts.MonthRows),
        AxisKind.Days => (facts.DayBand, DashboardFacts.DayBands),
        _ => (facts.DayState, DashboardFacts.DayStates),
    };

    /// <summary>The filter for a value of a dimension (or of days, slot <see cref="DashboardDimensions.Count"/>), or null when the facts have no such value.</summary>
    private static (string Value, Filter Filter)? Compile(DashboardFacts facts, int slot, string value)
    {
        if (slot == Count)
        {
            return Match(DashboardFacts.DayBands, value) is { } band
                ? (band, Make(facts.DayBand, DashboardFacts.DayBands, facts.DayBandFrequencies, band, complaintLevel: true, facts.DayBandPostings, facts.DayBandComplaintPostings))
                : null;
        }

        if (slot == Month && value.Length == 7 && value[4] == '-')
        {
            // YYYY-MM: one month of one year.
            var row = Array.IndexOf(facts.MonthRows, value);
            return row >= 0 && value != Unknown
                ? (value, new Filter(facts.MonthRow, (ushort)row, facts.MonthRowFrequencies[row], ComplaintLevel: true, facts.MonthRowPostings, facts.MonthRowComplaintPostings))
                : null;
        }

        var values = facts.ValuesOf(slot);
        return Match(values, value) is { } found
            ? (found, Make(facts.Columns[slot], values, facts.Frequencies[slot], found, All[slot].Level == DimensionLevel.Complaint, facts.DimensionPostings[slot], facts.DimensionComplaintPostings[slot]))
            : null;
    }

    private static Filter Make(ushort[] codes, IReadOnlyList<string> values, int[] frequencies, string value, bool complaintLevel, DashboardFacts.Postings postings, DashboardFacts.Postings? complaintPostings)
    {
        var code = values.ToList().IndexOf(value);
        return new Filter(codes, (ushort)code, frequencies[code], complaintLevel, postings, complaintPostings);
    }

    /// <summary>The value itself when listed, else the one value equal to it ignoring case, else null.</summary>
    private static string? Match(IReadOnlyList<string> values, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (values.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        var similar = values.Where(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return similar.Count == 1 ? similar[0] : null;
    }

    private static long RowSum(long[] counts, int row, int width)
    {
        long sum = 0;
        for (var c = 0; c < width; c++)
        {
            sum += counts[(row * width) + c];
        }

        return sum;
    }

    /// <summary>The lower median of a histogram of days, only when it counts at least k complaints.</summary>
    private static long? Median(long[] histogram, int k)
    {
        var n = histogram.Sum();
        if (n < k || n == 0)
        {
            return null;
        }

        var target = (n - 1) / 2;
        long seen = 0;
        for (var days = 0; days < histogram.Length; days++)
        {
            seen += histogram[days];
            if (seen > target)
            {
                return days;
            }
        }

        return null;
    }

    private static string ThresholdNote(DashboardFacts facts)
    {
        var k = facts.K;
        var whose = facts.Parts.Select(p => p.K).Distinct().Count() > 1
            ? $"the largest threshold of the sources' disclosure policies, k = {k}"
            : $"the disclosure policy's threshold, k = {k}";
        return k <= 1
            ? $"Every count is published ({whose})."
            : $"Counts from 1 to {k - 1} are not published ({whose}), and some larger counts are hidden as well (complementary suppression) so that no total can reveal them: each hidden count is null and listed in \"suppressed\" with its reason. No percentage is published; compute them from published counts only.";
    }

    private static IEnumerable<string> Notes(DashboardFacts facts, DashboardRequest request, Axis rows)
    {
        var dashboard = request.Dashboard;
        var k = facts.K;
        if (dashboard.Measure == DashboardMeasure.Complaints)
        {
            yield return "A complaint is counted once, under its own values, when at least one of its allegations matches the filters; a complaint without allegations has the value Unknown for the allegation dimensions.";
        }

        if (dashboard.Name == "allegations-map")
        {
            yield return facts.HundredBlocks
                ? $"Points are the hundred blocks with at least {k} matching allegations. Some complaints never have a published location (victim safety), so the points do not add up to the precinct counts."
                : "The disclosure policy publishes no hundred-block locations, so there are no points.";
        }

        if (dashboard.Name == "demographics")
        {
            yield return request.Options[DashboardDefinitions.By].StartsWith("complainant", StringComparison.Ordinal)
                ? "Complainant demographics are those of the allegation's complaint: Multiple when its complainants differ, Unknown when none is known or the disclosure policy does not count them."
                : "Officer demographics are those of the officer the allegation names: Unknown when not known or not counted under the disclosure policy.";
        }

        if (dashboard.Name == "discipline-outcomes")
        {
            yield return "Findings are counted once final (the case is closed; Pending before), discipline once imposed and final; Unknown: none published. Recommended discipline is counted in recommended-vs-final.";
        }

        if (dashboard.Name == "recommended-vs-final")
        {
            var sources = facts.RecommendationSources;
            yield return sources.Count > 0
                ? $"Only allegations with a recommendation, of releases whose disclosure policy publishes recommendations, are counted ({string.Join(", ", sources)}). Rows: the discipline recommended; columns: the discipline imposed once final (Unknown: pending or none published)."
                : "No release counted here publishes recommendations under its disclosure policy: nothing is counted.";
        }

        if (rows.IsTime)
        {
            yield return "Rows are the year (or month) the complaint was received, else of the incident; they run from the first to the last row with a matching complaint.";
        }

        if (dashboard.Name == DashboardDefinitions.Timelines)
        {
            yield return request.Options[DashboardDefinitions.To] == "discipline"
                ? $"Counted: complaints with a final discipline, from the day received to the latest day on which one of its allegations' discipline was decided; a complaint with discipline not yet final is not counted. Median and 90th percentile (in \"durations\") are given only where the count is published (at least {k})."
                : $"Counted: closed complaints whose received and closed dates are published to the day. Median and 90th percentile of the days from received to closed (in \"durations\") are given only where the count is published (at least {k}).";
        }

        if (rows.Kind == AxisKind.Days)
        {
            var dates = string.Join(", ", facts.Parts.Select(p => $"{p.Source} {p.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"));
            yield return $"Closed: days from received to closed. Open: the age of open complaints on the date of their source's release ({(dates.Length > 0 ? dates : "none")}). Complaints whose dates are not published to the day are not counted. medianDaysToClose is given only when at least {k} closed complaints match.";
        }
    }

    private static DashboardProblem BadRequest(string detail, IReadOnlyList<string> allowed) => new(400, "Bad request", detail, allowed);

    private static string List(IReadOnlyList<string> values) =>
        values.Count <= MaxListed
            ? string.Join(", ", values)
            : string.Join(", ", values.Take(MaxListed)) + string.Create(CultureInfo.InvariantCulture, $", ... ({values.Count - MaxListed} more: see \"allowed\", or GET /api/dashboards)");

    private static string Shorten(string text)
    {
        var clean = new string([.. text.Take(MaxEcho).Select(ch => char.IsControl(ch) ? '?' : ch)]);
        return text.Length > MaxEcho ? clean + "..." : clean;
    }
}
