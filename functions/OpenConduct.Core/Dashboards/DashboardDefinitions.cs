using System.Globalization;
using static OpenConduct.Core.Dashboards.DashboardDimensions;

namespace OpenConduct.Core.Dashboards;

/// <summary>What a dashboard counts.</summary>
public enum DashboardMeasure
{
    /// <summary>Allegations (one per fact; complaints without allegations are not counted).</summary>
    Allegations,

    /// <summary>Distinct complaints: a complaint counts once when at least one of its facts matches the filters.</summary>
    Complaints,
}

/// <summary>What the rows or columns of a table are.</summary>
internal enum AxisKind
{
    /// <summary>A dimension's values.</summary>
    Dimension,

    /// <summary>Months of years (<c>YYYY-MM</c>), for <c>interval=month</c>.</summary>
    MonthSeries,

    /// <summary>Bands of days (timeliness rows).</summary>
    Days,

    /// <summary>Closed or open (timeliness columns).</summary>
    State,
}

internal readonly record struct Axis(AxisKind Kind, int Dimension = -1)
{
    public string Name => Kind switch
    {
        AxisKind.Dimension => All[Dimension].Name,
        AxisKind.MonthSeries => All[Month].Name,
        AxisKind.Days => DashboardDefinitions.DaysParameter,
        _ => "state",
    };

    public bool IsTime => Kind == AxisKind.MonthSeries || (Kind == AxisKind.Dimension && Dimension == Year);
}

/// <summary>One dashboard: its name, what it counts, and how its options choose the rows and columns.</summary>
public sealed class DashboardDefinition
{
    internal DashboardDefinition(
        string name,
        string title,
        string description,
        DashboardMeasure measure,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? options,
        Func<IReadOnlyDictionary<string, string>, (Axis Rows, Axis? Columns)> axes)
    {
        Name = name;
        Title = title;
        Description = description;
        Measure = measure;
        Options = options;
        Defaults = options?.ToDictionary(o => o.Key, o => o.Value[0], StringComparer.Ordinal);
        Axes = axes;
    }

    public string Name { get; }

    public string Title { get; }

    public string Description { get; }

    public DashboardMeasure Measure { get; }

    /// <summary>Option name -> its values, the first being the default; null for a dashboard without options.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Options { get; }

    public IReadOnlyDictionary<string, string>? Defaults { get; }

    internal Func<IReadOnlyDictionary<string, string>, (Axis Rows, Axis? Columns)> Axes { get; }

    /// <summary>The measure as the API writes it: <c>allegations</c> or <c>complaints</c>.</summary>
    public string MeasureName => Measure == DashboardMeasure.Allegations ? "allegations" : "complaints";

    /// <summary>The catalog entry, with the rows and columns of the default options.</summary>
    public DashboardInfo Describe()
    {
        var (rows, columns) = Axes(Defaults ?? new Dictionary<string, string>());
        return new DashboardInfo(Name, Title, Description, MeasureName, rows.Name, columns?.Name, Options) { Defaults = Defaults };
    }
}

/// <summary>The seven dashboards of the city's portal, with timeliness, timelines and recommended versus final (docs/api.md, "Dashboards").</summary>
public static class DashboardDefinitions
{
    /// <summary>The parameter that filters by band of days (days to close, or age of an open case), besides the dimensions.</summary>
    public const string DaysParameter = "days";

    public const string By = "by";

    public const string Interval = "interval";

    /// <summary>The timelines' option: the days to close (<c>closed</c>) or to the final discipline (<c>discipline</c>).</summary>
    public const string To = "to";

    /// <summary>The dashboard of medians and 90th percentiles of days (<see cref="DashboardDurations"/>).</summary>
    public const string Timelines = "timelines";

    /// <summary>The values of <see cref="To"/>, the default first.</summary>
    public static readonly IReadOnlyList<string> DurationsTo = ["closed", "discipline"];

    private static readonly IReadOnlyList<string> Intervals = ["year", "month"];

    private static readonly IReadOnlyList<string> Demographics =
        [.. new[] { ComplainantRace, ComplainantSex, ComplainantAgeBand, OfficerRace, OfficerSex }.Select(d => DashboardDimensions.All[d].Name)];

    public static IReadOnlyList<DashboardDefinition> All { get; } =
    [
        new("allegations-map", "Allegations by precinct",
            "Allegations per precinct, for a choropleth map of the precincts, with the hundred blocks that have at least k allegations where the disclosure policy publishes locations.",
            DashboardMeasure.Allegations, null, _ => (new Axis(AxisKind.Dimension, Precinct), null)),
        new("demographics", "Demographics and allegation types",
            "Allegations by the race, sex or age band of the complainants (by=complainantRace, complainantSex, complainantAgeBand) or the race or sex of the officer (by=officerRace, officerSex), against the allegation category.",
            DashboardMeasure.Allegations, new Dictionary<string, IReadOnlyList<string>> { [By] = Demographics },
            o => (new Axis(AxisKind.Dimension, IndexOf(o[By])), new Axis(AxisKind.Dimension, Category))),
        new("intake-decisions", "Decisions at intake",
            "Complaints by the case-processing decision taken at intake (dismissed, coaching, mediation, investigation, referred, pending), per year or month received (interval=year or month).",
            DashboardMeasure.Complaints, new Dictionary<string, IReadOnlyList<string>> { [Interval] = Intervals },
            o => (Time(o), new Axis(AxisKind.Dimension, Intake))),
        new("discipline-outcomes", "Findings and discipline imposed",
            "Allegations by final finding and by the discipline imposed, once final. Recommended discipline is counted in recommended-vs-final, where the policy publishes it.",
            DashboardMeasure.Allegations, null, _ => (new Axis(AxisKind.Dimension, Finding), new Axis(AxisKind.Dimension, Discipline))),
        new("complaints-over-time", "Complaints over time",
            "Complaints received per year or month (interval=year or month), by source.",
            DashboardMeasure.Complaints, new Dictionary<string, IReadOnlyList<string>> { [Interval] = Intervals },
            o => (Time(o), new Axis(AxisKind.Dimension, Source))),
        new("allegations-over-time", "Allegations by type over time",
            "Allegations by the year or month their complaint was received (interval=year or month), by allegation category.",
            DashboardMeasure.Allegations, new Dictionary<string, IReadOnlyList<string>> { [Interval] = Intervals },
            o => (Time(o), new Axis(AxisKind.Dimension, Category))),
        new("allegation-types", "Allegation types and findings",
            "Allegations by category and final finding (Pending while the case is open).",
            DashboardMeasure.Allegations, null, _ => (new Axis(AxisKind.Dimension, Category), new Axis(AxisKind.Dimension, Finding))),
        new("timeliness", "Time to close and age of open cases",
            "Complaints by band of days: from received to closed for closed complaints, and the age of open complaints on the date of their source's release.",
            DashboardMeasure.Complaints, null, _ => (new Axis(AxisKind.Days), new Axis(AxisKind.State))),
        new(Timelines, "Time to close and to final discipline",
            "Complaints by year received and source, counting those whose dates are published to the day, with the median and 90th percentile of their days from received to closed (to=closed) or to the final discipline (to=discipline) for every published count: each cell, row and the total.",
            DashboardMeasure.Complaints, new Dictionary<string, IReadOnlyList<string>> { [To] = DurationsTo },
            _ => (new Axis(AxisKind.Dimension, Year), new Axis(AxisKind.Dimension, Source))),
        new("recommended-vs-final", "Recommended and final discipline",
            "Allegations with a recommended discipline (e.g. a civilian review board's), by that recommendation against the discipline imposed once final (Unknown while pending or when none is published); only releases whose disclosure policy publishes recommendations (e.g. New York) have any.",
            DashboardMeasure.Allegations, null, _ => (new Axis(AxisKind.Dimension, RecommendedDiscipline), new Axis(AxisKind.Dimension, Discipline))),
    ];

    /// <summary>The dashboard with this name (ignoring case), or null.</summary>
    public static DashboardDefinition? Find(string name) =>
        All.FirstOrDefault(d => string.Equals(d.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The catalog: k, every dimension with the values the facts have, every dashboard, the releases counted.</summary>
    public static DashboardCatalogResponse Catalog(DashboardFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return new DashboardCatalogResponse(
            facts.K,
            [.. DashboardDimensions.All.Select((d, i) => new DashboardDimensionInfo(d.Name, d.Title, facts.ValuesOf(i))
            {
                Level = d.Level == DimensionLevel.Complaint ? "complaint" : "allegation",
                Description = d.Description,
            })],
            [.. All.Select(d => d.Describe())])
        {
            Releases = [.. facts.Parts.Select(p => new DashboardReleaseInfo(p.Source, p.ReleaseId, p.Policy, p.K, p.AsOf.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))],
            ExtraFilters =
            [
                new DashboardDimensionInfo(DaysParameter, "Days to close, or age of an open case", DashboardFacts.DayBands)
                {
                    Level = "complaint",
                    Description = "Closed complaints by days from received to closed, open ones by age on their source's release date; complaints whose dates are not published to the day match no band.",
                },
            ],
        };
    }

    private static Axis Time(IReadOnlyDictionary<string, string> options) =>
        options[Interval] == "month" ? new Axis(AxisKind.MonthSeries) : new Axis(AxisKind.Dimension, Year);
}
