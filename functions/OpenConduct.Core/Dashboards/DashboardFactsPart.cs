namespace OpenConduct.Core.Dashboards;

/// <summary>
/// The dashboard facts of one release: private microdata (one fact per allegation, with its complaint's dimensions),
/// written by the release builder to <c>internal/dashboard-facts.bin.gz</c> and read back only by the API, which
/// publishes nothing from it but suppressed counts. Dimension values are dictionary-encoded: each complaint-level
/// column holds one code per complaint, each allegation-level column one code per allegation (in complaint order),
/// and a code is a position in the dimension's dictionary (canonical codes only, in the dimension's order).
/// </summary>
public sealed class DashboardFactsPart
{
    /// <summary>No value (a day count or a hundred block).</summary>
    internal const int None = -1;

    internal DashboardFactsPart(
        DashboardFactsHeader header,
        string[][] dictionaries,
        ushort[][] columns,
        int[] allegationCounts,
        int[] closedDays,
        int[] openDays,
        string[] blocks,
        int[] blockOf,
        int[] disciplineDays)
    {
        Header = header;
        Dictionaries = dictionaries;
        Columns = columns;
        AllegationCounts = allegationCounts;
        ClosedDays = closedDays;
        OpenDays = openDays;
        Blocks = blocks;
        BlockOf = blockOf;
        DisciplineDays = disciplineDays;
    }

    /// <summary>What the facts are of: source, release, policy, k, the date of the release, counts.</summary>
    public DashboardFactsHeader Header { get; }

    /// <summary>The number of complaints.</summary>
    public int Complaints => AllegationCounts.Length;

    /// <summary>The number of allegations.</summary>
    public int Allegations => Header.Allegations;

    /// <summary>Per dimension (<see cref="DashboardDimensions"/>), its values in order; a code is an index here.</summary>
    internal string[][] Dictionaries { get; }

    /// <summary>Per dimension: one code per complaint (complaint-level) or per allegation (allegation-level).</summary>
    internal ushort[][] Columns { get; }

    /// <summary>Per complaint, its number of allegations (0 for a complaint without any).</summary>
    internal int[] AllegationCounts { get; }

    /// <summary>Per complaint, days from received to closed (closed complaints with both dates to the day), else <see cref="None"/>.</summary>
    internal int[] ClosedDays { get; }

    /// <summary>Per complaint, its age in days on the release's date (open complaints received on a known day), else <see cref="None"/>.</summary>
    internal int[] OpenDays { get; }

    /// <summary>Per complaint, days from received to its final discipline (<see cref="Model.CaseDurations"/>), else <see cref="None"/>.</summary>
    internal int[] DisciplineDays { get; }

    /// <summary>The hundred blocks the records publish (only when the policy generalizes locations to the hundred block).</summary>
    internal string[] Blocks { get; }

    /// <summary>Per complaint, its hundred block (an index into <see cref="Blocks"/>), or <see cref="None"/>.</summary>
    internal int[] BlockOf { get; }

    /// <summary>The values of a dimension present in these facts, in order.</summary>
    public IReadOnlyList<string> ValuesOf(int dimension) => Dictionaries[dimension];

    /// <summary>Every distinct string the facts hold (dictionaries, blocks, header texts): what a privacy check searches.</summary>
    public IEnumerable<string> Strings() =>
        Dictionaries.SelectMany(d => d).Concat(Blocks).Concat([Header.Source, Header.ReleaseId, Header.Policy]);
}

/// <summary>The header of a release's dashboard facts.</summary>
/// <param name="Source">The source id of the release (e.g. <c>opcr</c>).</param>
/// <param name="ReleaseId">The release the facts were built from.</param>
/// <param name="Policy">The disclosure policy's name.</param>
/// <param name="K">The policy's threshold (<c>aggregation.k</c>): the API applies it to every cell.</param>
/// <param name="AsOf">The release's date (its export's pull date, UTC): open cases are aged to this day.</param>
/// <param name="Allegations">The number of allegations.</param>
/// <param name="HundredBlocks">True when the policy publishes locations generalized to the hundred block (so the facts carry them).</param>
public sealed record DashboardFactsHeader(string Source, string ReleaseId, string Policy, int K, DateOnly AsOf, int Allegations, bool HundredBlocks)
{
    /// <summary>The release's policy publishes recommendations (<c>recommendedDiscipline</c> is counted); false for facts of format 1.</summary>
    public bool Recommendations { get; init; }
}
