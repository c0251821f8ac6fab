using System.Globalization;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Model;
using OpenConduct.Core.Release;
using static OpenConduct.Core.Dashboards.DashboardDimensions;

namespace OpenConduct.Core.Dashboards;

/// <summary>
/// Builds a release's dashboard facts from its redacted records: the only reader of the demographics held for counts
/// (<c>ForCounts</c>), and of nothing else than redacted records. One fact per allegation, carrying its complaint's
/// dimensions; a complaint without allegations gets one fact of its own, counted among complaints but never among
/// allegations. Values are canonical codes (the enum names, a published precinct id, a canonical category), never a
/// source's raw text.
/// </summary>
/// <remarks>
/// <para>Complaint-level values: year and month of the received date (else the incident date; a date published
/// only to the year has month <c>Unknown</c>); precinct as published; the release's source id; intake decision;
/// status. Complainant demographics of a complaint with several complainants: the distinct known values of its
/// complainants (null and <c>Unknown</c> left out); none is <c>Unknown</c>, one is that value, several are
/// <c>Multiple</c>. Days to close: closed complaints whose received and closed dates are both published to the day;
/// open age: open complaints received on a published day, aged to the release's date (its export's pull date).</para>
/// <para>Allegation-level values: category (canonical); final finding once public, <c>Pending</c> while the case is
/// open, else <c>Unknown</c>; imposed discipline once public, else <c>Unknown</c>; the named officer's race and sex
/// held for counts (<c>Unknown</c> when the policy does not count them or the officer is not in the release); the
/// recommended discipline where the policy publishes recommendations and the allegation has one, else
/// <c>NotPublished</c> (no value: the allegation is in no row of it).</para>
/// <para>Hundred blocks: only when the policy generalizes <c>complaint.location</c> to the hundred block, the published
/// location of each complaint that has one (the redactor never gives one to a sensitive complaint).</para>
/// </remarks>
public static class DashboardFactsBuilder
{
    /// <summary>The facts of a release's redacted records.</summary>
    public static DashboardFactsPart Build(ReleaseInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var cases = input.Records.Cases
            .OrderBy(c => c.Complaint.CaseNumber, StringComparer.Ordinal)
            .ThenBy(c => c.Complaint.Source, StringComparer.Ordinal)
            .ToList();
        return Build(input, cases, input.Records.Officers);
    }

    /// <summary>The facts of the given cases (in the order given: the release builder passes them in case-number order).</summary>
    internal static DashboardFactsPart Build(ReleaseInput input, IReadOnlyList<RedactedCase> cases, IReadOnlyList<RedactedOfficer> officers)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(officers);
        var policy = input.Policy;
        var asOf = DateOnly.FromDateTime(input.PublishedAt.UtcDateTime);
        var locationRule = DisclosurePolicyLoader.Rule(policy, CanonicalFields.Location);
        var hundredBlocks = locationRule is { Action: FieldAction.Generalize, To: Generalization.HundredBlock };

        // Recommendations are counted only where the policy publishes them; elsewhere they are not published, not Unknown.
        var recommendations = !policy.Finality.HideRecommendations
                              && DisclosurePolicyLoader.Rule(policy, CanonicalFields.RecommendedDiscipline) is { Action: FieldAction.Keep };

        var byRef = new Dictionary<string, RedactedOfficer>(StringComparer.Ordinal);
        foreach (var officer in officers)
        {
            byRef.TryAdd(officer.OfficerRef, officer);
        }

        var complaints = cases.Count;
        var allegations = cases.Sum(c => c.Allegations.Count);
        var encoders = Enumerable.Range(0, Count).Select(_ => new Encoder()).ToArray();
        var temporary = new int[Count][];
        for (var d = 0; d < Count; d++)
        {
            temporary[d] = new int[All[d].Level == DimensionLevel.Complaint ? complaints : allegations];
        }

        var allegationCounts = new int[complaints];
        var closedDays = new int[complaints];
        var openDays = new int[complaints];
        var disciplineDays = new int[complaints];
        var blockOf = new int[complaints];
        var blocks = new Encoder();
        var source = input.Source;
        var a = 0;
        for (var c = 0; c < complaints; c++)
        {
            var @case = cases[c];
            var complaint = @case.Complaint;
            var date = complaint.ReceivedDate ?? complaint.IncidentDate;
            temporary[Year][c] = encoders[Year].Code(date is { } y ? YearText(y.Value.Year) : Unknown);
            temporary[Month][c] = encoders[Month].Code(date is { Precision: not DatePrecision.Year } m ? Months[m.Value.Month - 1] : Unknown);
            temporary[Precinct][c] = encoders[Precinct].Code(string.IsNullOrEmpty(complaint.Precinct) ? Unknown : complaint.Precinct);
            temporary[Source][c] = encoders[Source].Code(source);
            temporary[Intake][c] = encoders[Intake].Code(Name(complaint.IntakeDecision.Value));
            temporary[Status][c] = encoders[Status].Code(Name(complaint.Status.Value));
            temporary[ComplainantRace][c] = encoders[ComplainantRace].Code(Combined(@case.Complainants, p => Name(p.ForCounts.Race)));
            temporary[ComplainantSex][c] = encoders[ComplainantSex].Code(Combined(@case.Complainants, p => Name(p.ForCounts.Sex)));
            temporary[ComplainantAgeBand][c] = encoders[ComplainantAgeBand].Code(Combined(@case.Complainants, p => p.ForCounts.AgeBand ?? Unknown));

            var receivedDay = Day(complaint.ReceivedDate);
            closedDays[c] = CaseDurations.DaysToClose(receivedDay, Day(complaint.ClosedDate), complaint.Status.Value == ComplaintStatus.Closed) ?? DashboardFactsPart.None;
            openDays[c] = complaint.Status.Value == ComplaintStatus.Open && receivedDay is { } received && asOf >= received
                ? asOf.DayNumber - received.DayNumber
                : DashboardFactsPart.None;
            disciplineDays[c] = CaseDurations.DaysToFinalDiscipline(receivedDay, @case.Allegations.Select(x => (Day(x.DisciplineDate), x.DisciplineFinal))) ?? DashboardFactsPart.None;

            blockOf[c] = hundredBlocks && !string.IsNullOrWhiteSpace(complaint.Location) ? blocks.Code(complaint.Location) : DashboardFactsPart.None;

            allegationCounts[c] = @case.Allegations.Count;
            foreach (var allegation in @case.Allegations)
            {
                var officer = byRef.GetValueOrDefault(allegation.OfficerRef);
                temporary[Category][a] = encoders[Category].Code(string.IsNullOrEmpty(allegation.Category.Value) ? Unknown : allegation.Category.Value);
                temporary[DashboardDimensions.Finding][a] = encoders[DashboardDimensions.Finding].Code(
                    allegation.FinalFinding.Value is { } finding ? Name<Model.Finding>(finding) : allegation.FindingPending ? nameof(Model.Finding.Pending) : Unknown);
                temporary[Discipline][a] = encoders[Discipline].Code(Name(allegation.ImposedDiscipline.Value));
                temporary[RecommendedDiscipline][a] = encoders[RecommendedDiscipline].Code(
                    recommendations && allegation.RecommendedDiscipline.Value is { } recommended ? Name<DisciplineKind>(recommended) : NotPublished);
                temporary[OfficerRace][a] = encoders[OfficerRace].Code(Name(officer?.ForCounts.Race));
                temporary[OfficerSex][a] = encoders[OfficerSex].Code(Name(officer?.ForCounts.Sex));
                a++;
            }
        }

        var dictionaries = new string[Count][];
        var columns = new ushort[Count][];
        for (var d = 0; d < Count; d++)
        {
            (dictionaries[d], columns[d]) = encoders[d].Finish(d, temporary[d]);
        }

        // Blocks in ordinal order, so that the facts do not depend on the order cases were seen in.
        var blockNames = blocks.Values.ToArray();
        var blockOrder = Enumerable.Range(0, blockNames.Length).OrderBy(i => blockNames[i], StringComparer.Ordinal).ToArray();
        var blockRemap = new int[blockNames.Length];
        for (var i = 0; i < blockOrder.Length; i++)
        {
            blockRemap[blockOrder[i]] = i;
        }

        for (var c = 0; c < complaints; c++)
        {
            if (blockOf[c] >= 0)
            {
                blockOf[c] = blockRemap[blockOf[c]];
            }
        }

        var header = new DashboardFactsHeader(source, input.ReleaseId, policy.Name, policy.Aggregation.K, asOf, allegations, hundredBlocks) { Recommendations = recommendations };
        return new DashboardFactsPart(header, dictionaries, columns, allegationCounts, closedDays, openDays, [.. blockOrder.Select(i => blockNames[i])], blockOf, disciplineDays);
    }

    /// <summary>A published date that is a day, else null.</summary>
    private static DateOnly? Day(PublicDate? date) => date is { Precision: DatePrecision.Day } day ? day.Value : null;

    private static readonly Dictionary<int, string> YearTexts = [];

    private static string YearText(int year)
    {
        lock (YearTexts)
        {
            if (!YearTexts.TryGetValue(year, out var text))
            {
                YearTexts[year] = text = year.ToString("0000", CultureInfo.InvariantCulture);
            }

            return text;
        }
    }

    /// <summary>The canonical name of an enum value (cached by the runtime), or <c>Unknown</c>.</summary>
    private static string Name<T>(T? value)
        where T : struct, Enum => value is { } v ? EnumNames<T>.Of(v) : Unknown;

    /// <summary>
    /// The complainants' value: the distinct known values (<c>Unknown</c> left out); none gives <c>Unknown</c>, one
    /// gives that value, several give <c>Multiple</c>.
    /// </summary>
    private static string Combined(IReadOnlyList<RedactedComplainant> complainants, Func<RedactedComplainant, string> value)
    {
        string? found = null;
        foreach (var complainant in complainants)
        {
            var v = value(complainant);
            if (v == Unknown)
            {
                continue;
            }

            if (found is null)
            {
                found = v;
            }
            else if (!string.Equals(found, v, StringComparison.Ordinal))
            {
                return Multiple;
            }
        }

        return found ?? Unknown;
    }

    /// <summary>Enum names by value, without the allocation of <see cref="Enum.ToString()"/>.</summary>
    private static class EnumNames<T>
        where T : struct, Enum
    {
        private static readonly Dictionary<T, string> Names = Enum.GetValues<T>().ToDictionary(v => v, v => v.ToString());

        public static string Of(T value) => Names.TryGetValue(value, out var name) ? name : value.ToString();
    }

    /// <summary>Gives each distinct value a temporary code as it is seen, then the codes of the dimension's order.</summary>
    private sealed class Encoder
    {
        private readonly Dictionary<string, int> codes = new(StringComparer.Ordinal);

        public List<string> Values { get; } = [];

        public int Code(string value)
        {
            if (!codes.TryGetValue(value, out var code))
            {
                codes[value] = code = Values.Count;
                Values.Add(value);
            }

            return code;
        }

        public (string[] Dictionary, ushort[] Column) Finish(int dimension, int[] temporary)
        {
            var sorted = DashboardDimensions.Sort(dimension, Values);
            if (sorted.Length > ushort.MaxValue)
            {
                throw new InvalidOperationException($"dashboard facts: dimension '{All[dimension].Name}' has {sorted.Length} values; at most {ushort.MaxValue} fit");
            }

            var position = sorted.Select((v, i) => (v, i)).ToDictionary(p => p.v, p => p.i, StringComparer.Ordinal);
            var remap = Values.Select(v => (ushort)position[v]).ToArray();
            var column = new ushort[temporary.Length];
            for (var i = 0; i < temporary.Length; i++)
            {
                column[i] = remap[temporary[i]];
            }

            return (sorted, column);
        }
    }
}
