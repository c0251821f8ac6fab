using System.Globalization;
using OpenConduct.Core.Model;

namespace OpenConduct.Core.Dashboards;

/// <summary>Whether a dimension belongs to the complaint (the same on all its allegations) or to one allegation.</summary>
public enum DimensionLevel
{
    Complaint,
    Allegation,
}

/// <summary>One dimension of the dashboard facts: its name in the API, its title, and whose value it is.</summary>
public sealed record DashboardDimension(string Name, string Title, DimensionLevel Level, string Description);

/// <summary>
/// The dimensions every dashboard can be filtered (drilled down) by, in the order the API lists them, with the
/// canonical values of those that have a closed vocabulary. Values are canonical codes only (never a source's raw
/// text): the enum names of the canonical model, <c>Unknown</c> for a value that is missing or not public, and
/// <c>Multiple</c> for a complaint whose complainants differ.
/// </summary>
public static class DashboardDimensions
{
    public const int Year = 0;
    public const int Month = 1;
    public const int Precinct = 2;
    public const int Source = 3;
    public const int Category = 4;
    public const int Finding = 5;
    public const int Discipline = 6;
    public const int Intake = 7;
    public const int Status = 8;
    public const int ComplainantRace = 9;
    public const int ComplainantSex = 10;
    public const int ComplainantAgeBand = 11;
    public const int OfficerRace = 12;
    public const int OfficerSex = 13;
    public const int RecommendedDiscipline = 14;

    /// <summary>The number of dimensions.</summary>
    public const int Count = 15;

    /// <summary>A value that is missing, not recorded, or not public under the policy.</summary>
    public const string Unknown = "Unknown";

    /// <summary>A complaint whose complainants have different values (race, sex or age band).</summary>
    public const string Multiple = "Multiple";

    /// <summary>
    /// In a release's facts: the policy does not publish this dimension's value (recommendations under
    /// <c>hideRecommendations</c>). Such facts have no value once combined: they match no value of the dimension and
    /// count in no row or column of it.
    /// </summary>
    public const string NotPublished = "NotPublished";

    /// <summary>Every dimension, in API order (the index is the dimension's number, e.g. <see cref="Year"/>).</summary>
    public static IReadOnlyList<DashboardDimension> All { get; } =
    [
        new("year", "Year", DimensionLevel.Complaint, "The year the complaint was received (else the year of the incident)."),
        new("month", "Month", DimensionLevel.Complaint, "The month of the year (01 to 12) the complaint was received; as a filter, YYYY-MM also names one month of one year."),
        new("precinct", "Precinct", DimensionLevel.Complaint, "The precinct of the incident, as the records publish it."),
        new("source", "Source", DimensionLevel.Complaint, "The records source (its id, e.g. opcr)."),
        new("category", "Allegation category", DimensionLevel.Allegation, "The canonical category of the allegation (e.g. UseOfForce)."),
        new("finding", "Final finding", DimensionLevel.Allegation, "The final finding once public; Pending while the case is open."),
        new("discipline", "Discipline imposed", DimensionLevel.Allegation, "The discipline imposed, once final; Unknown when none is published."),
        new("intake", "Intake decision", DimensionLevel.Complaint, "The case-processing decision taken at intake."),
        new("status", "Status", DimensionLevel.Complaint, "Open or Closed."),
        new("complainantRace", "Complainant race", DimensionLevel.Complaint, "The complainants' race (Multiple when they differ); counted only, never on a record."),
        new("complainantSex", "Complainant sex", DimensionLevel.Complaint, "The complainants' sex (Multiple when they differ); counted only, never on a record."),
        new("complainantAgeBand", "Complainant age band", DimensionLevel.Complaint, "The complainants' age band (Multiple when they differ); counted only, never on a record."),
        new("officerRace", "Officer race", DimensionLevel.Allegation, "The race of the officer the allegation names; counted only, never on a record."),
        new("officerSex", "Officer sex", DimensionLevel.Allegation, "The sex of the officer the allegation names; counted only, never on a record."),
        new("recommendedDiscipline", "Discipline recommended", DimensionLevel.Allegation, "The discipline recommended (e.g. by a civilian review board), where the disclosure policy publishes recommendations (finality.hideRecommendations: false). An allegation without a published recommendation (none made, or a policy that withholds them) has no value: it matches no value of this dimension."),
    ];

    /// <summary>The month values, <c>01</c> to <c>12</c>.</summary>
    public static IReadOnlyList<string> Months { get; } = [.. Enumerable.Range(1, 12).Select(m => m.ToString("00", CultureInfo.InvariantCulture))];

    private static readonly Dictionary<string, int> ByName = All.Select((d, i) => (d.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);

    private static readonly string[]?[] Domains = BuildDomains();

    /// <summary>The dimension's number, or -1 when no dimension has this name (case-sensitive).</summary>
    public static int IndexOf(string name) => ByName.GetValueOrDefault(name, -1);

    /// <summary>
    /// The canonical values of a dimension with a closed vocabulary (in their order, <c>Unknown</c> and
    /// <c>Multiple</c> where they apply), or null for an open one (years, precincts, sources, categories, age bands).
    /// </summary>
    public static IReadOnlyList<string>? Domain(int dimension) => Domains[dimension];

    /// <summary>
    /// The order of a dimension's values: a closed vocabulary in its own order; years and months ascending; precincts
    /// by number where they are numbers; age bands by their lower bound; everything else ordinal; <c>Unknown</c> and
    /// <c>Multiple</c> last.
    /// </summary>
    public static int Compare(int dimension, string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return 0;
        }

        if (Domains[dimension] is { } domain)
        {
            var (ia, ib) = (Array.IndexOf(domain, a), Array.IndexOf(domain, b));
            ia = ia < 0 ? int.MaxValue : ia;
            ib = ib < 0 ? int.MaxValue : ib;
            return ia != ib ? ia.CompareTo(ib) : string.CompareOrdinal(a, b);
        }

        var (sa, sb) = (Special(a), Special(b));
        if (sa != sb)
        {
            return sa.CompareTo(sb);
        }

        switch (dimension)
        {
            case Precinct:
            case ComplainantAgeBand:
                var (na, nb) = dimension == Precinct ? (Number(a), Number(b)) : (BandStart(a), BandStart(b));
                if (na is { } x && nb is { } y && x != y)
                {
                    return x.CompareTo(y);
                }

                if (na.HasValue != nb.HasValue)
                {
                    return na.HasValue ? -1 : 1;
                }

                return string.CompareOrdinal(a, b);
            default:
                return string.CompareOrdinal(a, b);
        }
    }

    /// <summary>Sorts values of a dimension in its order (see <see cref="Compare"/>), without duplicates.</summary>
    public static string[] Sort(int dimension, IEnumerable<string> values)
    {
        var list = values.Distinct(StringComparer.Ordinal).ToList();
        list.Sort((a, b) => Compare(dimension, a, b));
        return [.. list];
    }

    // Unknown and Multiple go last, in that order.
    private static int Special(string value) => value switch
    {
        Unknown => 1,
        Multiple => 2,
        _ => 0,
    };

    private static long? Number(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    // "under 18" -> -1, "18-24" -> 18, "65+" -> 65.
    private static long? BandStart(string value)
    {
        if (value.StartsWith("under ", StringComparison.Ordinal))
        {
            return -1;
        }

        var digits = value.TakeWhile(char.IsAsciiDigit).Count();
        return digits > 0 ? Number(value[..digits]) : null;
    }

    private static string[]?[] BuildDomains()
    {
        var domains = new string[]?[Count];
        domains[Month] = [.. Months, Unknown];
        domains[Finding] = [.. Enum.GetNames<Finding>(), Unknown];
        domains[Discipline] = [.. Enum.GetNames<DisciplineKind>(), Unknown];
        domains[RecommendedDiscipline] = Enum.GetNames<DisciplineKind>();   // no Unknown: an allegation without a published recommendation has no value
        domains[Intake] = [.. Enum.GetNames<IntakeDecision>(), Unknown];
        domains[Status] = [.. Enum.GetNames<ComplaintStatus>(), Unknown];
        domains[ComplainantRace] = [.. Enum.GetNames<Race>(), Multiple];   // Race has its own Unknown
        domains[ComplainantSex] = [.. Enum.GetNames<Sex>(), Multiple];     // and so has Sex
        domains[OfficerRace] = Enum.GetNames<Race>();
        domains[OfficerSex] = Enum.GetNames<Sex>();
        return domains;
    }
}
