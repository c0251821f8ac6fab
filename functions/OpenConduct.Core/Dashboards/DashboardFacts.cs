using System.Globalization;
using OpenConduct.Core.Disclosure;
using static OpenConduct.Core.Dashboards.DashboardDimensions;

namespace OpenConduct.Core.Dashboards;

/// <summary>
/// The dashboard facts of one or several releases (one per source), combined and laid out for queries: every
/// dimension as one column of codes per fact (complaint-level values repeated on each of the complaint's facts),
/// the facts of a complaint contiguous, dictionaries merged (a value has one code across sources). Immutable once
/// built; a reader replaces it as a whole when the live releases change. Holds private microdata: publish only what
/// <see cref="DashboardQueries"/> returns (suppressed counts).
/// </summary>
public sealed class DashboardFacts
{
    /// <summary>A code that is no row of a grouping (e.g. a complaint without a day count).</summary>
    internal const ushort NoCode = ushort.MaxValue;

    /// <summary>The bands of days of the timeliness dashboard (rows), in order.</summary>
    public static IReadOnlyList<string> DayBands { get; } = ["0-30", "31-90", "91-180", "181-365", "366+"];

    /// <summary>The columns of the timeliness dashboard: days from received to closed, and the age of open cases.</summary>
    public static IReadOnlyList<string> DayStates { get; } = ["closed", "open"];

    private static readonly int[] DayBandEnds = [30, 90, 180, 365, int.MaxValue];

    private DashboardFacts(IReadOnlyList<DashboardFactsHeader> parts, int k, int facts, int complaints, long allegations)
    {
        Parts = parts;
        K = k;
        FactCount = facts;
        ComplaintCount = complaints;
        AllegationCount = allegations;
    }

    /// <summary>Facts of no release: every dashboard answers with no rows.</summary>
    public static DashboardFacts Empty { get; } = Combine([]);

    /// <summary>The releases combined (one header per source).</summary>
    public IReadOnlyList<DashboardFactsHeader> Parts { get; }

    /// <summary>The threshold applied to every cell: the largest k of the combined releases' policies (10 without any).</summary>
    public int K { get; }

    /// <summary>Facts: one per allegation, plus one per complaint without allegations.</summary>
    public int FactCount { get; }

    public int ComplaintCount { get; }

    public long AllegationCount { get; }

    /// <summary>The number of distinct hundred-block points (block and precinct) the facts hold.</summary>
    public int PointCount => Points.Length;

    /// <summary>The sources whose releases publish recommendations (their facts have recommended discipline), in order.</summary>
    public IReadOnlyList<string> RecommendationSources { get; private set; } = [];

    /// <summary>True when some release publishes hundred-block locations (so the map has points).</summary>
    public bool HundredBlocks => Parts.Any(p => p.HundredBlocks);

    internal string[][] Values { get; private set; } = [];

    internal ushort[][] Columns { get; private set; } = [];

    /// <summary>Per dimension and code, the number of facts with it (to order filters, most selective first).</summary>
    internal int[][] Frequencies { get; private set; } = [];

    /// <summary>Per dimension: the facts ordered by code (ascending fact index within a code), and where each code starts.</summary>
    internal Postings[] DimensionPostings { get; private set; } = [];

    internal Postings MonthRowPostings { get; private set; } = Postings.Of([], 1);

    internal Postings DayBandPostings { get; private set; } = Postings.Of([], 5);

    /// <summary>Per complaint-level dimension (null for the others): the complaints (indices) ordered by code.</summary>
    internal Postings?[] DimensionComplaintPostings { get; private set; } = [];

    internal Postings MonthRowComplaintPostings { get; private set; } = Postings.Of([], 1);

    internal Postings DayBandComplaintPostings { get; private set; } = Postings.Of([], 5);

    /// <summary>Per complaint, the index of its first fact; one more entry: the number of facts.</summary>
    internal int[] ComplaintStart { get; private set; } = [0];

    /// <summary>Per fact, its complaint (an index into <see cref="ClosedDays"/> and <see cref="ComplaintStart"/>).</summary>
    internal int[] ComplaintOf { get; private set; } = [];

    /// <summary>Per fact, 1 when it is an allegation, 0 for the fact of a complaint without allegations.</summary>
    internal byte[] IsAllegation { get; private set; } = [];

    /// <summary>Per complaint, days from received to closed, or -1.</summary>
    internal int[] ClosedDays { get; private set; } = [];

    internal int MaxClosedDays { get; private set; }

    /// <summary>Per complaint, days from received to its final discipline (<see cref="Model.CaseDurations"/>), or -1.</summary>
    internal int[] DisciplineDays { get; private set; } = [];

    /// <summary>The complaints with days to close, by ascending days: a percentile is one walk in this order.</summary>
    internal DurationOrder ClosedOrder { get; private set; } = DurationOrder.Empty;

    /// <summary>The complaints with days to final discipline, by ascending days.</summary>
    internal DurationOrder DisciplineOrder { get; private set; } = DurationOrder.Empty;

    /// <summary>The rows of a monthly series: <c>YYYY-MM</c> for every month of every known year, then <c>Unknown</c>.</summary>
    internal string[] MonthRows { get; private set; } = [Unknown];

    /// <summary>
    /// The last month (<c>YYYY-MM</c>) in which any complaint of the facts was received, or null: the end of the data,
    /// which the time rows' last period may not reach. A month every release publishes (received dates are public to
    /// the month at least wherever dashboards count them), so it tells nothing new.
    /// </summary>
    public string? LastMonth { get; private set; }

    /// <summary>Per fact, its row in <see cref="MonthRows"/>.</summary>
    internal ushort[] MonthRow { get; private set; } = [];

    internal int[] MonthRowFrequencies { get; private set; } = [0];

    /// <summary>Per fact, its band of days (<see cref="DayBands"/>), or <see cref="NoCode"/>.</summary>
    internal ushort[] DayBand { get; private set; } = [];

    internal int[] DayBandFrequencies { get; private set; } = new int[5];

    /// <summary>Per fact, closed (0), open (1), or <see cref="NoCode"/> (no day count).</summary>
    internal ushort[] DayState { get; private set; } = [];

    /// <summary>The hundred-block points: block and precinct.</summary>
    internal (string Block, string Precinct)[] Points { get; private set; } = [];

    /// <summary>Per fact, its point, or -1.</summary>
    internal int[] PointOf { get; private set; } = [];

    /// <summary>The values of a dimension, in order: those filters accept and tables show.</summary>
    public IReadOnlyList<string> ValuesOf(int dimension) => Values[dimension];

    /// <summary>
    /// Combines the facts of several releases (one per source). Closed vocabularies list every canonical value
    /// (present or not), open ones (years, precincts, sources, categories, age bands) the values present.
    /// </summary>
    public static DashboardFacts Combine(IEnumerable<DashboardFactsPart> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        var list = parts.ToList();
        var complaints = list.Sum(p => p.Complaints);
        var allegations = list.Sum(p => (long)p.Allegations);
        long factTotal = 0;
        foreach (var part in list)
        {
            foreach (var count in part.AllegationCounts)
            {
                factTotal += Math.Max(1, count);
            }
        }

        if (factTotal > int.MaxValue)
        {
            throw new InvalidOperationException($"dashboard facts: {factTotal} facts do not fit in memory arrays");
        }

        var n = (int)factTotal;
        var facts = new DashboardFacts(
            [.. list.Select(p => p.Header)],
            list.Count == 0 ? SmallCellSuppression.CommonThreshold : list.Max(p => p.Header.K),
            n,
            complaints,
            allegations);
        var placeholders = list.Any(p => p.AllegationCounts.Any(c => c == 0));

        // Merged dictionaries and each part's code -> merged code.
        var values = new string[Count][];
        var remaps = new ushort[list.Count][][];
        for (var p = 0; p < list.Count; p++)
        {
            remaps[p] = new ushort[Count][];
        }

        for (var d = 0; d < Count; d++)
        {
            // NotPublished is no value: facts with it get NoCode (they match no filter and count in no row of it).
            var union = (Domain(d) ?? []).Concat(list.SelectMany(p => p.Dictionaries[d])).Where(v => v != NotPublished);
            if (All[d].Level == DimensionLevel.Allegation && placeholders && d != RecommendedDiscipline)
            {
                union = union.Append(Unknown);
            }

            values[d] = Sort(d, union);
            if (values[d].Length >= NoCode)
            {
                throw new InvalidOperationException($"dashboard facts: dimension '{All[d].Name}' has {values[d].Length} values");
            }

            var position = values[d].Select((v, i) => (v, i)).ToDictionary(x => x.v, x => (ushort)x.i, StringComparer.Ordinal);
            for (var p = 0; p < list.Count; p++)
            {
                remaps[p][d] = [.. list[p].Dictionaries[d].Select(v => v == NotPublished ? NoCode : position[v])];
            }
        }

        // Month rows: every month of every known year, then Unknown.
        var years = values[Year].Where(y => y != Unknown).ToArray();
        var monthRows = years.SelectMany(y => Months.Select(m => $"{y}-{m}")).Append(Unknown).ToArray();
        if (monthRows.Length >= NoCode)
        {
            throw new InvalidOperationException($"dashboard facts: {years.Length} years are too many for monthly rows");
        }

        var yearPosition = years.Select((y, i) => (y, i)).ToDictionary(x => x.y, x => x.i, StringComparer.Ordinal);
        var unknownMonthRow = (ushort)(monthRows.Length - 1);

        // Points: (block, precinct) pairs, ordinal.
        var pointKeys = new SortedSet<(string Block, string Precinct)>(Comparer<(string Block, string Precinct)>.Create((a, b) =>
        {
            var c = string.CompareOrdinal(a.Block, b.Block);
            return c != 0 ? c : string.CompareOrdinal(a.Precinct, b.Precinct);
        }));
        foreach (var part in list)
        {
            for (var c = 0; c < part.Complaints; c++)
            {
                if (part.BlockOf[c] >= 0)
                {
                    pointKeys.Add((part.Blocks[part.BlockOf[c]], part.Dictionaries[Precinct][part.Columns[Precinct][c]]));
                }
            }
        }

        var points = pointKeys.ToArray();
        var pointIndex = points.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i);

        var columns = new ushort[Count][];
        for (var d = 0; d < Count; d++)
        {
            columns[d] = new ushort[n];
        }

        var start = new int[complaints + 1];
        var isAllegation = new byte[n];
        var closedDays = new int[complaints];
        var disciplineDays = new int[complaints];
        var monthRow = new ushort[n];
        var dayBand = new ushort[n];
        var dayState = new ushort[n];
        var pointOf = new int[n];
        var complaintOf = new int[n];
        // A complaint without allegations: Unknown for the allegation dimensions, no value (NoCode) where there is no Unknown.
        var unknownCodes = Enumerable.Range(0, Count).Select(d => Array.IndexOf(values[d], Unknown) is var i and >= 0 ? i : NoCode).ToArray();
        var complaintDims = Enumerable.Range(0, Count).Where(d => All[d].Level == DimensionLevel.Complaint).ToArray();
        var allegationDims = Enumerable.Range(0, Count).Where(d => All[d].Level == DimensionLevel.Allegation).ToArray();
        var maxClosed = 0;
        int f = 0, complaint = 0;
        for (var p = 0; p < list.Count; p++)
        {
            var part = list[p];
            var remap = remaps[p];
            var partYears = part.Dictionaries[Year];
            var partMonths = part.Dictionaries[Month];
            var a = 0;
            for (var c = 0; c < part.Complaints; c++, complaint++)
            {
                start[complaint] = f;
                var year = partYears[part.Columns[Year][c]];
                var month = partMonths[part.Columns[Month][c]];
                var row = yearPosition.TryGetValue(year, out var yi) && month != Unknown
                    ? (ushort)((yi * 12) + int.Parse(month, NumberStyles.None, CultureInfo.InvariantCulture) - 1)
                    : unknownMonthRow;
                var (state, days) = part.ClosedDays[c] >= 0 ? ((ushort)0, part.ClosedDays[c]) : part.OpenDays[c] >= 0 ? ((ushort)1, part.OpenDays[c]) : (NoCode, -1);
                var band = Band(days);
                closedDays[complaint] = part.ClosedDays[c];
                disciplineDays[complaint] = part.DisciplineDays[c];
                maxClosed = Math.Max(maxClosed, part.ClosedDays[c]);
                var point = part.BlockOf[c] >= 0
                    ? pointIndex[(part.Blocks[part.BlockOf[c]], part.Dictionaries[Precinct][part.Columns[Precinct][c]])]
                    : -1;
                var count = part.AllegationCounts[c];
                for (var i = 0; i < Math.Max(1, count); i++, f++)
                {
                    foreach (var d in complaintDims)
                    {
                        columns[d][f] = remap[d][part.Columns[d][c]];
                    }

                    if (count == 0)
                    {
                        foreach (var d in allegationDims)
                        {
                            columns[d][f] = (ushort)unknownCodes[d];
                        }
                    }
                    else
                    {
                        foreach (var d in allegationDims)
                        {
                            columns[d][f] = remap[d][part.Columns[d][a]];
                        }

                        isAllegation[f] = 1;
                        a++;
                    }

                    complaintOf[f] = complaint;
                    monthRow[f] = row;
                    dayBand[f] = band;
                    dayState[f] = state;
                    pointOf[f] = point;
                }
            }
        }

        start[complaints] = f;
        facts.RecommendationSources = [.. list.Where(p => p.Header.Recommendations).Select(p => p.Header.Source)];
        facts.Values = values;
        facts.Columns = columns;
        facts.Frequencies = [.. Enumerable.Range(0, Count).Select(d => Frequency(columns[d], values[d].Length))];
        facts.DimensionPostings = [.. Enumerable.Range(0, Count).Select(d => Postings.Of(columns[d], values[d].Length))];
        facts.MonthRowPostings = Postings.Of(monthRow, monthRows.Length);
        facts.DayBandPostings = Postings.Of(dayBand, DayBands.Count);
        ushort[] FirstFacts(ushort[] codes)
        {
            var first = new ushort[complaints];
            for (var c = 0; c < complaints; c++)
            {
                first[c] = codes[start[c]];
            }

            return first;
        }

        facts.DimensionComplaintPostings = [.. Enumerable.Range(0, Count).Select(d => All[d].Level == DimensionLevel.Complaint ? Postings.Of(FirstFacts(columns[d]), values[d].Length) : null)];
        facts.MonthRowComplaintPostings = Postings.Of(FirstFacts(monthRow), monthRows.Length);
        facts.DayBandComplaintPostings = Postings.Of(FirstFacts(dayBand), DayBands.Count);
        facts.ComplaintStart = start;
        facts.ComplaintOf = complaintOf;
        facts.IsAllegation = isAllegation;
        facts.ClosedDays = closedDays;
        facts.MaxClosedDays = maxClosed;
        facts.DisciplineDays = disciplineDays;
        facts.ClosedOrder = DurationOrder.Of(closedDays, start, columns[Year], columns[Source]);
        facts.DisciplineOrder = DurationOrder.Of(disciplineDays, start, columns[Year], columns[Source]);
        facts.MonthRows = monthRows;
        facts.MonthRow = monthRow;
        facts.MonthRowFrequencies = Frequency(monthRow, monthRows.Length);
        // The month rows before the last one (Unknown), searched from the end.
        var lastRow = monthRows.Length < 2 ? -1 : Array.FindLastIndex(facts.MonthRowFrequencies, monthRows.Length - 2, monthRows.Length - 1, f => f > 0);
        facts.LastMonth = lastRow >= 0 ? monthRows[lastRow] : null;
        facts.DayBand = dayBand;
        facts.DayBandFrequencies = Frequency(dayBand, DayBands.Count);
        facts.DayState = dayState;
        facts.Points = points;
        facts.PointOf = pointOf;
        return facts;
    }

    /// <summary>
    /// The facts (or complaints) of each code of one column, in ascending order: code <c>c</c>'s are
    /// <c>Facts[Start[c]..Start[c + 1]]</c>. A query starts from its most selective filter's.
    /// </summary>
    internal sealed class Postings
    {
        private Postings(int[] facts, int[] start)
        {
            Facts = facts;
            Start = start;
        }

        public int[] Facts { get; }

        public int[] Start { get; }

        /// <summary>Counting sort of the facts by code (codes at or above <paramref name="size"/>, e.g. <see cref="NoCode"/>, are left out).</summary>
        public static Postings Of(ushort[] codes, int size)
        {
            var start = new int[size + 1];
            foreach (var code in codes)
            {
                if (code < size)
                {
                    start[code + 1]++;
                }
            }

            for (var c = 0; c < size; c++)
            {
                start[c + 1] += start[c];
            }

            var next = start[..size];
            var facts = new int[start[size]];
            for (var i = 0; i < codes.Length; i++)
            {
                var code = codes[i];
                if (code < size)
                {
                    facts[next[code]++] = i;
                }
            }

            return new Postings(facts, start);
        }
    }

    /// <summary>The band of a day count (<see cref="DayBands"/>), or <see cref="NoCode"/> for none.</summary>
    internal static ushort Band(int days)
    {
        if (days < 0)
        {
            return NoCode;
        }

        var band = 0;
        while (days > DayBandEnds[band])
        {
            band++;
        }

        return (ushort)band;
    }

    /// <summary>
    /// The complaints that have a day count (at least 0), by ascending day count, each with its days, its year's code
    /// and its source's code in the same order: the timelines' walks read them in sequence.
    /// </summary>
    internal sealed class DurationOrder
    {
        private DurationOrder(int[] complaints, int[] days, ushort[] rows, ushort[] columns)
        {
            Complaints = complaints;
            Days = days;
            Rows = rows;
            Columns = columns;
        }

        public static DurationOrder Empty { get; } = new([], [], [], []);

        public int[] Complaints { get; }

        public int[] Days { get; }

        /// <summary>The complaint's year (a code of the year dimension).</summary>
        public ushort[] Rows { get; }

        /// <summary>The complaint's source (a code of the source dimension).</summary>
        public ushort[] Columns { get; }

        public static DurationOrder Of(int[] days, int[] start, ushort[] years, ushort[] sources)
        {
            var complaints = Enumerable.Range(0, days.Length).Where(c => days[c] >= 0).ToArray();
            var sorted = complaints.Select(c => days[c]).ToArray();
            Array.Sort(sorted, complaints);
            return new DurationOrder(
                complaints,
                sorted,
                [.. complaints.Select(c => years[start[c]])],
                [.. complaints.Select(c => sources[start[c]])]);
        }
    }

    private static int[] Frequency(ushort[] column, int size)
    {
        var counts = new int[size];
        foreach (var code in column)
        {
            if (code < size)
            {
                counts[code]++;
            }
        }

        return counts;
    }
}
