using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OpenConduct.Core.Officers;

/// <summary>The officers across sources: one <see cref="IdentityGroup"/> per officer, and the identity report.</summary>
public sealed class IdentityResolution
{
    private readonly Dictionary<string, IdentityGroup> byOfficer = new(StringComparer.Ordinal);

    public IdentityResolution(IReadOnlyList<IdentityGroup> groups, IdentityReport report)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(report);
        Groups = groups;
        Report = report;
        foreach (var group in groups)
        {
            foreach (var member in group.Members)
            {
                if (!byOfficer.TryAdd(IdentityOverrides.Canonical(member), group))
                {
                    throw new ArgumentException($"{member} is in two officers", nameof(groups));
                }
            }
        }
    }

    /// <summary>Ordered by id (ordinal).</summary>
    public IReadOnlyList<IdentityGroup> Groups { get; }

    public IdentityReport Report { get; }

    /// <summary>The officer a per-source identity belongs to (the source compared ignoring case), or null when it was not resolved.</summary>
    public IdentityGroup? GroupOf(OfficerSourceRef officer)
    {
        ArgumentNullException.ThrowIfNull(officer);
        return byOfficer.GetValueOrDefault(IdentityOverrides.Canonical(officer));
    }

    /// <summary>The public id of the officer a per-source identity belongs to, or null.</summary>
    public string? IdOf(string source, string officerRef) => GroupOf(new OfficerSourceRef(source, officerRef))?.Id;
}

/// <summary>
/// Resolves officers across sources (docs/officers.md#identity-rules). The rules, strongest first:
/// <list type="number">
/// <item><see cref="IdentityRule.EmployeeId"/>: the same employee id;</item>
/// <item><see cref="IdentityRule.BadgeAndName"/>: a badge number in common (current or historic) and the same name key;</item>
/// <item><see cref="IdentityRule.NameBirthYearHireDate"/>: the same name key, the same birth year, and hire dates that
/// agree at the coarser of their two precisions; an officer without a published birth year or hire date (the Minnesota
/// policy drops birth years) is never matched by this rule.</item>
/// </list>
/// Then the candidate rules, which merge only where the sources' policies enable them (<see cref="IdentityOptions"/>,
/// the policy's <c>identity.autoMerge</c>) and otherwise report their matches as undecided candidates with the evidence:
/// <list type="number">
/// <item><see cref="IdentityRule.NameAndHireDate"/>: the same name key and hire dates that agree;</item>
/// <item><see cref="IdentityRule.NameUnitYears"/>: the same name key, the same unit, and complaint years (first to last)
/// that overlap.</item>
/// </list>
/// Officers of one source are distinct people and are never merged, except by a <c>same</c> override. For each rule and
/// each pair of sources, the officers the rule matches form connected candidate sets; a set is merged only when it
/// joins exactly one officer of each source, neither is already matched with the other source (by a stronger rule or an
/// override) or was ambiguous with it under a stronger rule, nothing the two (or the officers already merged with
/// either) publish contradicts the match (different employee ids, different birth years), no <c>different</c> override forbids it, and the merge would not put two
/// officers of one source together. Every other candidate set is listed in the report, not merged. A candidate rule's
/// set that passes all of this is merged only when the rule is enabled for both sources; otherwise it is reported as
/// undecided (and a weaker rule may not merge its officers with anyone else of the other source). The result does not
/// depend on the input's order.
/// </summary>
public static class OfficerIdentityResolver
{
    private static readonly IdentityRule[] Rules =
        [IdentityRule.EmployeeId, IdentityRule.BadgeAndName, IdentityRule.NameBirthYearHireDate, IdentityRule.NameAndHireDate, IdentityRule.NameUnitYears];

    /// <summary>The evidence fields of a pair, in the order the report lists them.</summary>
    private static readonly string[] EvidenceFields = ["name", "employeeId", "badges", "birthYear", "hireDate", "unit", "complaintYears"];

    /// <summary>
    /// Resolves the officers of the given releases (one per source, e.g. from <see cref="PublishedRecords.ReadLatestAsync"/>).
    /// An officer that allegations name but the officers file lacks is resolved too, as an officer with no published
    /// attributes (it can only be merged by an override). Without <paramref name="options"/>, each source's candidate
    /// rules come from its release (<see cref="IdentityOptions.FromReleases"/>); the cases give each officer's complaint
    /// years and counts (the evidence, and <see cref="IdentityRule.NameUnitYears"/>).
    /// </summary>
    public static IdentityResolution Resolve(IReadOnlyList<PublishedRecords> sources, IdentityOverrides? overrides = null, IdentityOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return Resolve(AllOfficers(sources), overrides, options ?? IdentityOptions.FromReleases(sources), sources.SelectMany(s => s.Cases));
    }

    /// <summary>
    /// Resolves the given per-source officers (each <c>(source, officerRef)</c> once). <paramref name="cases"/> (optional)
    /// give the officers' complaint years and counts; <paramref name="options"/> (default: no candidate rule merges) say
    /// which candidate rules merge.
    /// </summary>
    /// <exception cref="ArgumentException">An officer is given twice, or the options enable a rule that is not a candidate rule.</exception>
    public static IdentityResolution Resolve(IEnumerable<PublishedOfficer> officers, IdentityOverrides? overrides = null, IdentityOptions? options = null, IEnumerable<PublishedCase>? cases = null)
    {
        ArgumentNullException.ThrowIfNull(officers);
        return new Run(officers, overrides ?? IdentityOverrides.Empty, options ?? IdentityOptions.Default, cases ?? []).Resolve();
    }

    /// <summary>
    /// Every pair of officers of two different sources that <paramref name="rule"/> matches on its own: no other rule,
    /// no override, no ambiguity check, nothing merged. For measuring a rule (<c>openconduct identity-eval</c>); the
    /// pairs are ordered by their officers (<c>{source}:{officerRef}</c>, ordinal), the smaller first in each.
    /// </summary>
    public static IReadOnlyList<(OfficerSourceRef First, OfficerSourceRef Second)> Pairs(IdentityRule rule, IEnumerable<PublishedOfficer> officers, IEnumerable<PublishedCase>? cases = null)
    {
        ArgumentNullException.ThrowIfNull(officers);
        if (rule == IdentityRule.Override)
        {
            throw new ArgumentOutOfRangeException(nameof(rule), rule, "an override is no rule");
        }

        return new Run(officers, IdentityOverrides.Empty, IdentityOptions.Default, cases ?? []).Pairs(rule);
    }

    /// <summary>The officers of the releases, and those that allegations name but no officers file lists.</summary>
    internal static List<PublishedOfficer> AllOfficers(IReadOnlyList<PublishedRecords> sources)
    {
        var officers = new List<PublishedOfficer>();
        var known = new HashSet<(string, string)>();
        foreach (var officer in sources.SelectMany(s => s.Officers))
        {
            officers.Add(officer);
            known.Add((officer.Source, officer.OfficerRef));
        }

        foreach (var @case in sources.SelectMany(s => s.Cases))
        {
            foreach (var allegation in @case.Allegations)
            {
                if (!allegation.OfficerUnidentified && known.Add((@case.Source, allegation.OfficerRef)))
                {
                    officers.Add(new PublishedOfficer { Source = @case.Source, OfficerRef = allegation.OfficerRef });
                }
            }
        }

        return officers;
    }

    /// <summary>
    /// The public id of an officer whose smallest per-source identity (ordinal on <c>{source}:{officerRef}</c>) is
    /// <paramref name="smallest"/>: <c>off-</c> and the first 16 hex digits of the SHA-256 of that text (UTF-8).
    /// </summary>
    public static string PublicId(OfficerSourceRef smallest)
    {
        ArgumentNullException.ThrowIfNull(smallest);
        return "off-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(smallest.ToString())))[..16];
    }

    /// <summary>The name of a rule in the report and the docs (<c>employeeId</c>, <c>badgeAndName</c>...).</summary>
    public static string Name(IdentityRule rule) => rule switch
    {
        IdentityRule.EmployeeId => "employeeId",
        IdentityRule.BadgeAndName => "badgeAndName",
        IdentityRule.NameBirthYearHireDate => "nameBirthYearHireDate",
        IdentityRule.NameAndHireDate => "nameAndHireDate",
        IdentityRule.NameUnitYears => "nameUnitYears",
        IdentityRule.Override => "override",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };

    /// <summary>The rule of a name (<see cref="Name"/>), compared exactly.</summary>
    public static bool TryParseRule(string? name, out IdentityRule rule)
    {
        foreach (var value in Enum.GetValues<IdentityRule>())
        {
            if (string.Equals(Name(value), name, StringComparison.Ordinal))
            {
                rule = value;
                return true;
            }
        }

        rule = default;
        return false;
    }

    /// <summary>A unit as compared: its folded words (<see cref="OfficerNames.Words"/>), all-digit words without leading zeros, one space between; null when empty.</summary>
    public static string? UnitKey(string? unit)
    {
        var words = OfficerNames.Words(unit);
        return words.Count == 0 ? null : string.Join(' ', words.Select(w => w.All(char.IsAsciiDigit) ? OfficerNames.Identifier(w) : w));
    }

    /// <summary>A published date (<c>yyyy</c>, <c>yyyy-MM</c> or <c>yyyy-MM-dd</c>) as year, month and day (0 when not published).</summary>
    internal static (int Year, int Month, int Day)? PartialDate(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var parts = text.Trim().Split('-');
        if (parts.Length > 3 || parts.Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit)))
        {
            return null;
        }

        var numbers = parts.Select(p => int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        return (numbers[0], numbers.Length > 1 ? numbers[1] : 0, numbers.Length > 2 ? numbers[2] : 0);
    }

    /// <summary>Two published dates agree at the coarser of their precisions (<c>2004</c> agrees with <c>2004-06-01</c>).</summary>
    internal static bool Agree((int Year, int Month, int Day) a, (int Year, int Month, int Day) b) =>
        a.Year == b.Year
        && (a.Month == 0 || b.Month == 0 || (a.Month == b.Month && (a.Day == 0 || b.Day == 0 || a.Day == b.Day)));

    /// <summary>The complaints that name a per-source officer: how many, and the years of the first and the last (received, else incident date).</summary>
    private readonly record struct Activity(int Complaints, int? First, int? Last)
    {
        public Activity With(int? year) => new(
            Complaints + 1,
            year is null ? First : First is null ? year : Math.Min(First.Value, year.Value),
            year is null ? Last : Last is null ? year : Math.Max(Last.Value, year.Value));
    }

    /// <summary>Each officer's complaints, by <see cref="IdentityOverrides.Canonical"/> reference.</summary>
    private static Dictionary<string, Activity> Activities(IEnumerable<PublishedCase> cases)
    {
        var activities = new Dictionary<string, Activity>(StringComparer.Ordinal);
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var @case in cases)
        {
            var year = (PartialDate(@case.ReceivedDate) ?? PartialDate(@case.IncidentDate))?.Year;
            named.Clear();
            foreach (var allegation in @case.Allegations)
            {
                if (!allegation.OfficerUnidentified && named.Add(allegation.OfficerRef))
                {
                    var key = IdentityOverrides.Canonical(new OfficerSourceRef(@case.Source, allegation.OfficerRef));
                    activities[key] = activities.GetValueOrDefault(key).With(year);
                }
            }
        }

        return activities;
    }

    private sealed class Node(PublishedOfficer officer, int source, Activity activity)
    {
        public PublishedOfficer Officer { get; } = officer;
        public int Source { get; } = source;
        public string Key { get; } = officer.Ref.ToString();
        public string? EmployeeId { get; } = OfficerNames.Identifier(officer.EmployeeId);
        public string? NameKey { get; } = OfficerNames.Key(officer.FirstName, officer.LastName);
        public string[] Badges { get; } = [.. officer.Badges.Select(b => OfficerNames.Identifier(b.Number)).OfType<string>().Distinct(StringComparer.Ordinal)];
        public (int Year, int Month, int Day)? Hire { get; } = PartialDate(officer.HireDate);
        public string? Unit { get; } = UnitKey(officer.Unit);
        public Activity Activity { get; } = activity;
    }

    private sealed record Ambiguity(IdentityRule Rule, AmbiguityKind Kind, string Reason, List<int> Officers, List<(int A, int B, string? Conflict)> Pairs);

    /// <summary>One resolution: the officers, a union-find over them, and what the report collects.</summary>
    private sealed class Run
    {
        private readonly Node[] nodes;
        private readonly string[] sources;
        private readonly List<int>[] bySource;
        private readonly int[] parent;
        private readonly List<int>?[] members;
        private readonly List<(int From, int To, IdentityRule Rule)> links = [];
        private readonly Dictionary<(int Officer, int Source), IdentityRule> ambiguousWith = [];
        private readonly List<Ambiguity> ambiguities = [];
        private readonly IdentityOverrides overrides;
        private readonly Dictionary<string, int> byKey = new(StringComparer.Ordinal);
        private readonly List<int>?[] differentEntries;
        private readonly List<List<(int A, int B, IdentityRule Rule)>> prevented = [];
        private readonly List<(IdentityOverride Entry, List<int> Found)> same = [];
        private readonly List<(IdentityOverride Entry, List<int> Found)> different = [];
        private readonly List<UnmatchedOverride> unmatched = [];
        private readonly IdentityOptions options;

        /// <summary>The candidate rules' sets left undecided (the policies do not merge by the rule), pair by pair.</summary>
        private readonly List<(IdentityRule Rule, int A, int B)> undecided = [];

        /// <summary>Officers in an undecided candidate set with the other source: the rule and the officers they were matched with.</summary>
        private readonly Dictionary<(int Officer, int Source), (IdentityRule Rule, List<int> With)> undecidedWith = [];

        /// <summary>The candidate rules' sets in which several officers compete: undecided, whatever the policies say.</summary>
        private readonly List<Ambiguity> competing = [];

        /// <summary>The candidate rules' matched pairs that are no candidates (contradicted, or decided by a stronger rule), by rule.</summary>
        private readonly Dictionary<IdentityRule, int> dropped = [];

        /// <summary>The candidate rules' sets merged by the policies.</summary>
        private readonly List<(IdentityRule Rule, List<(int A, int B)> Pairs)> mergedCandidates = [];

        public Run(IEnumerable<PublishedOfficer> officers, IdentityOverrides overrides, IdentityOptions options, IEnumerable<PublishedCase> cases)
        {
            this.overrides = overrides;
            this.options = options;
            var notCandidates = options.AutoMerge.Concat(options.AutoMergeBySource?.Values.SelectMany(r => r) ?? []).Where(r => !IdentityOptions.IsCandidate(r)).Distinct().ToList();
            if (notCandidates.Count > 0)
            {
                throw new ArgumentException($"only candidate rules are enabled by options ({string.Join(", ", IdentityOptions.CandidateRules.Select(Name))}); {string.Join(", ", notCandidates.Select(Name))} always merge", nameof(options));
            }

            var activities = Activities(cases);
            var list = officers.OrderBy(o => o.Source, StringComparer.Ordinal).ThenBy(o => o.OfficerRef, StringComparer.Ordinal).ToList();
            sources = [.. list.Select(o => o.Source).Distinct(StringComparer.Ordinal)];
            var sourceIndex = sources.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i, StringComparer.Ordinal);
            nodes = [.. list.Select(o => new Node(o, sourceIndex[o.Source], activities.GetValueOrDefault(IdentityOverrides.Canonical(o.Ref))))];
            bySource = [.. sources.Select(_ => new List<int>())];
            parent = new int[nodes.Length];
            members = new List<int>?[nodes.Length];
            differentEntries = new List<int>?[nodes.Length];
            for (var i = 0; i < nodes.Length; i++)
            {
                parent[i] = i;
                bySource[nodes[i].Source].Add(i);
                if (!byKey.TryAdd(IdentityOverrides.Canonical(nodes[i].Officer.Ref), i))
                {
                    throw new ArgumentException($"the officer {nodes[i].Key} is given twice (a source's officers are compared ignoring the case of the source)", nameof(officers));
                }
            }
        }

        public IdentityResolution Resolve()
        {
            ApplyOverrides();
            foreach (var rule in Rules)
            {
                var index = sources.Select((_, s) => Index(rule, s)).ToArray();
                for (var a = 0; a < sources.Length; a++)
                {
                    for (var b = a + 1; b < sources.Length; b++)
                    {
                        Match(rule, a, b, index[b]);
                    }
                }
            }

            return Result();
        }

        /// <summary>Every pair of officers of two sources that <paramref name="rule"/> matches, alone (<see cref="OfficerIdentityResolver.Pairs"/>).</summary>
        public List<(OfficerSourceRef First, OfficerSourceRef Second)> Pairs(IdentityRule rule)
        {
            var pairs = new List<(int X, int Y)>();
            for (var b = 1; b < sources.Length; b++)
            {
                var index = Index(rule, b);
                for (var a = 0; a < b; a++)
                {
                    foreach (var (i, j) in Matches(rule, a, index))
                    {
                        pairs.Add(Ordered(i, j));
                    }
                }
            }

            return [.. pairs.Distinct()
                .OrderBy(p => nodes[p.X].Key, StringComparer.Ordinal)
                .ThenBy(p => nodes[p.Y].Key, StringComparer.Ordinal)
                .Select(p => (nodes[p.X].Officer.Ref, nodes[p.Y].Officer.Ref))];
        }

        /// <summary>The pairs (an officer of source <paramref name="a"/>, one of the source of <paramref name="indexB"/>) that <paramref name="rule"/> matches, each once.</summary>
        private IEnumerable<(int A, int B)> Matches(IdentityRule rule, int a, Dictionary<string, List<int>> indexB)
        {
            var seen = new HashSet<(int, int)>();
            foreach (var i in bySource[a])
            {
                foreach (var key in Keys(rule, nodes[i]))
                {
                    if (!indexB.TryGetValue(key, out var candidates))
                    {
                        continue;
                    }

                    foreach (var j in candidates)
                    {
                        if (Agrees(rule, nodes[i], nodes[j]) && seen.Add((i, j)))
                        {
                            yield return (i, j);
                        }
                    }
                }
            }
        }

        /// <summary>What a rule compares beyond the key of <see cref="Keys"/>: hire dates at the coarser precision, overlapping complaint years.</summary>
        private static bool Agrees(IdentityRule rule, Node x, Node y) => rule switch
        {
            IdentityRule.NameBirthYearHireDate or IdentityRule.NameAndHireDate => Agree(x.Hire!.Value, y.Hire!.Value),
            IdentityRule.NameUnitYears => x.Activity.First <= y.Activity.Last && y.Activity.First <= x.Activity.Last,
            _ => true,
        };

        private void ApplyOverrides()
        {
            List<int> Found(IdentityOverride entry)
            {
                var found = new List<int>();
                for (var k = 0; k < entry.Officers.Count; k++)
                {
                    if (byKey.TryGetValue(IdentityOverrides.Canonical(entry.Officers[k]), out var i))
                    {
                        found.Add(i);
                    }
                    else
                    {
                        unmatched.Add(new UnmatchedOverride($"{entry.Location}.officers[{k.ToString(CultureInfo.InvariantCulture)}]", entry.Officers[k].ToString()));
                    }
                }

                return found;
            }

            foreach (var entry in overrides.Same)
            {
                var found = Found(entry);
                same.Add((entry, found));
                foreach (var other in found.Skip(1))
                {
                    if (Find(found[0]) != Find(other))
                    {
                        Union(Find(found[0]), Find(other));
                    }

                    links.Add((found[0], other, IdentityRule.Override));
                }
            }

            foreach (var entry in overrides.Different)
            {
                var found = Found(entry);
                var number = different.Count;
                different.Add((entry, found));
                prevented.Add([]);
                foreach (var i in found)
                {
                    (differentEntries[i] ??= []).Add(number);
                }
            }
        }

        /// <summary>The officers of source <paramref name="s"/> by what <paramref name="rule"/> compares.</summary>
        private Dictionary<string, List<int>> Index(IdentityRule rule, int s)
        {
            var index = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            foreach (var i in bySource[s])
            {
                foreach (var key in Keys(rule, nodes[i]))
                {
                    if (!index.TryGetValue(key, out var list))
                    {
                        index[key] = list = new List<int>(1);
                    }

                    if (list.Count == 0 || list[^1] != i)
                    {
                        list.Add(i);
                    }
                }
            }

            return index;
        }

        private static IEnumerable<string> Keys(IdentityRule rule, Node n) => rule switch
        {
            IdentityRule.EmployeeId when n.EmployeeId is not null => [n.EmployeeId],
            IdentityRule.BadgeAndName when n.NameKey is not null => n.Badges.Select(b => b + "\u001f" + n.NameKey),
            IdentityRule.NameBirthYearHireDate when n.NameKey is not null && n.Officer.BirthYear is { } year && n.Hire is not null =>
                [n.NameKey + "\u001f" + year.ToString(CultureInfo.InvariantCulture)],
            IdentityRule.NameAndHireDate when n.NameKey is not null && n.Hire is { } hire =>
                [n.NameKey + "\u001f" + hire.Year.ToString(CultureInfo.InvariantCulture)],
            IdentityRule.NameUnitYears when n.NameKey is not null && n.Unit is not null && n.Activity.First is not null =>
                [n.NameKey + "\u001f" + n.Unit],
            _ => [],
        };

        /// <summary>Applies <paramref name="rule"/> between sources <paramref name="a"/> and <paramref name="b"/>.</summary>
        private void Match(IdentityRule rule, int a, int b, Dictionary<string, List<int>> indexB)
        {
            var edges = new List<(int A, int B)>();
            foreach (var (i, j) in Matches(rule, a, indexB))
            {
                if (Find(i) == Find(j))
                {
                    continue;
                }

                if (Forbidden(Find(i), Find(j)) is { } entry)
                {
                    Prevent(entry, i, j, rule);
                    continue;
                }

                edges.Add((i, j));
            }

            // Candidate sets: the connected components of the matched pairs, in the order of their smallest officer.
            var component = new Dictionary<int, int>();
            int Root(int x)
            {
                while (component.TryGetValue(x, out var p) && p != x)
                {
                    x = p;
                }

                return x;
            }

            foreach (var (i, j) in edges)
            {
                component.TryAdd(i, i);
                component.TryAdd(j, j);
                var (ri, rj) = (Root(i), Root(j));
                if (ri != rj)
                {
                    component[Math.Max(ri, rj)] = Math.Min(ri, rj);
                }
            }

            foreach (var set in edges.GroupBy(e => Root(e.A)).OrderBy(g => g.Key))
            {
                Decide(rule, a, b, [.. set]);
            }
        }

        /// <summary>Merges one candidate set, or reports it.</summary>
        private void Decide(IdentityRule rule, int a, int b, List<(int A, int B)> pairs)
        {
            var sideA = pairs.Select(p => p.A).Distinct().Order().ToList();
            var sideB = pairs.Select(p => p.B).Distinct().Order().ToList();
            var groupsA = sideA.Select(Find).Distinct().ToList();
            var groupsB = sideB.Select(Find).Distinct().ToList();
            var described = pairs.Select(p => (p.A, p.B, Conflict: Contradiction(p.A, p.B, rule))).ToList();
            var officers = sideA.Concat(sideB).ToList();

            var conflicts = described.Where(p => p.Conflict is not null).ToList();
            if (conflicts.Count > 0)
            {
                Report(rule, AmbiguityKind.Conflict, string.Join("; ", conflicts.Select(p => $"{Key(p.A)} and {Key(p.B)} match by {Name(rule)} but {p.Conflict}")), officers, described, a, b);
                return;
            }

            var already = new List<string>();
            var extra = new List<int>();
            foreach (var (groups, side, other) in new[] { (groupsA, sideA, b), (groupsB, sideB, a) })
            {
                foreach (var g in groups)
                {
                    var there = Members(g).Where(m => nodes[m].Source == other).Order().ToList();
                    if (there.Count > 0)
                    {
                        var named = side.Where(x => Find(x) == g).Select(Key);
                        already.Add($"{string.Join(", ", named)} is already one officer with {string.Join(", ", there.Select(Key))} of {sources[other]}");
                        extra.AddRange(there);
                    }
                }
            }

            if (already.Count > 0)
            {
                Report(rule, AmbiguityKind.AlreadyMatched, $"matched by {Name(rule)}, but " + string.Join("; ", already), [.. officers, .. extra], described, a, b);
                return;
            }

            var earlier = officers
                .Select(x => (x, Rule: ambiguousWith.TryGetValue((x, nodes[x].Source == a ? b : a), out var r) ? r : (IdentityRule?)null))
                .Where(e => e.Rule is not null)
                .ToList();
            if (earlier.Count > 0)
            {
                Report(rule, AmbiguityKind.AmbiguousEarlier, $"matched by {Name(rule)}, but " + string.Join("; ", earlier.Select(e => $"{Key(e.x)} is ambiguous with {sources[nodes[e.x].Source == a ? b : a]} under {Name(e.Rule!.Value)}")), officers, described, a, b);
                return;
            }

            // An officer left undecided with other officers of the other source by a stronger candidate rule is not
            // merged with someone else by a weaker one (with the same officers, it may be).
            var pending = officers
                .Select(x => (x, Other: nodes[x].Source == a ? b : a))
                .Where(e => undecidedWith.TryGetValue((e.x, e.Other), out var u) && u.With.Any(w => !groupsA.Concat(groupsB).Contains(Find(w))))
                .Select(e => (e.x, e.Other, undecidedWith[(e.x, e.Other)]))
                .ToList();
            if (pending.Count > 0)
            {
                Report(rule, AmbiguityKind.AmbiguousEarlier, $"matched by {Name(rule)}, but " + string.Join("; ", pending.Select(e => $"{Key(e.x)} is an undecided candidate with {string.Join(", ", e.Item3.With.Select(Key))} of {sources[e.Other]} under {Name(e.Item3.Rule)}")), officers, described, a, b);
                return;
            }

            if (groupsA.Count > 1 || groupsB.Count > 1)
            {
                var many = officers
                    .Select(x => (x, Count: pairs.Where(p => p.A == x || p.B == x).Select(p => Find(p.A == x ? p.B : p.A)).Distinct().Count()))
                    .Where(e => e.Count > 1)
                    .Select(e => $"{Key(e.x)} matches {e.Count.ToString(CultureInfo.InvariantCulture)} officers of {sources[nodes[e.x].Source == a ? b : a]}");
                Report(rule, AmbiguityKind.MultipleCandidates, string.Join("; ", many) + $" by {Name(rule)}", officers, described, a, b);
                return;
            }

            var (ga, gb) = (groupsA[0], groupsB[0]);
            if (Forbidden(ga, gb) is { } entry)
            {
                foreach (var (i, j) in pairs)
                {
                    Prevent(entry, i, j, rule);
                }

                return;
            }

            // The two officers being merged must agree as wholes: a member of one contradicting a member of the other
            // (through a chain of matches) is a conflict too.
            var across = Members(ga).SelectMany(x => Members(gb).Select(y => Ordered(x, y))).ToList();
            var contradicted = across.Select(p => (p.X, p.Y, Conflict: Contradiction(p.X, p.Y, rule))).Where(p => p.Conflict is not null).ToList();
            if (contradicted.Count > 0)
            {
                Report(rule, AmbiguityKind.Conflict, $"matched by {Name(rule)}, but merging would join " + string.Join("; ", contradicted.Select(p => $"{Key(p.X)} and {Key(p.Y)}, {p.Conflict}")), [.. officers, .. contradicted.SelectMany(p => new[] { p.X, p.Y })], described, a, b);
                return;
            }

            var clash = across.Where(p => nodes[p.X].Source == nodes[p.Y].Source).ToList();
            if (clash.Count > 0)
            {
                Report(rule, AmbiguityKind.SameSource, $"matched by {Name(rule)}, but merging would put " + string.Join("; ", clash.Select(c => $"{Key(c.X)} and {Key(c.Y)} of {sources[nodes[c.X].Source]}")) + " in one officer", [.. officers, .. clash.SelectMany(c => new[] { c.X, c.Y })], described, a, b);
                return;
            }

            if (!options.Merges(rule, sources[a], sources[b]))
            {
                foreach (var (i, j) in pairs)
                {
                    undecided.Add((rule, i, j));
                    foreach (var (x, y, other) in new[] { (i, j, b), (j, i, a) })
                    {
                        if (!undecidedWith.TryGetValue((x, other), out var pendingWith))
                        {
                            undecidedWith[(x, other)] = pendingWith = (rule, []);
                        }

                        if (!pendingWith.With.Contains(y))
                        {
                            pendingWith.With.Add(y);
                        }
                    }
                }

                return;
            }

            Union(ga, gb);
            links.AddRange(pairs.Select(p => (p.A, p.B, rule)));
            if (IdentityOptions.IsCandidate(rule))
            {
                mergedCandidates.Add((rule, pairs));
            }
        }

        /// <summary>What the two officers' published records agree on, differ on, and cannot compare (<see cref="IdentityCandidatePair"/>).</summary>
        private (List<string> Agree, List<string> Differ, List<string> Unknown) Evidence(int i, int j)
        {
            var (x, y) = (nodes[i], nodes[j]);
            var verdicts = new bool?[]
            {
                x.NameKey is null || y.NameKey is null ? null : x.NameKey == y.NameKey,
                x.EmployeeId is null || y.EmployeeId is null ? null : x.EmployeeId == y.EmployeeId,
                x.Badges.Length == 0 || y.Badges.Length == 0 ? null : x.Badges.Intersect(y.Badges, StringComparer.Ordinal).Any(),
                x.Officer.BirthYear is not { } bx || y.Officer.BirthYear is not { } by ? null : bx == by,
                x.Hire is not { } hx || y.Hire is not { } hy ? null : Agree(hx, hy),
                x.Unit is null || y.Unit is null ? null : x.Unit == y.Unit,
                x.Activity.First is null || y.Activity.First is null ? null : Agrees(IdentityRule.NameUnitYears, x, y),
            };
            var result = (Agree: new List<string>(), Differ: new List<string>(), Unknown: new List<string>());
            for (var k = 0; k < EvidenceFields.Length; k++)
            {
                (verdicts[k] switch { true => result.Agree, false => result.Differ, null => result.Unknown }).Add(EvidenceFields[k]);
            }

            return result;
        }

        /// <summary>What the two officers both publish and disagree on (employee id, birth year; for a candidate rule, the hire date too): a contradiction of the match; null when nothing.</summary>
        private string? Contradiction(int i, int j, IdentityRule rule)
        {
            var (x, y) = (nodes[i], nodes[j]);
            var reasons = new List<string>(2);
            if (x.EmployeeId is not null && y.EmployeeId is not null && x.EmployeeId != y.EmployeeId)
            {
                reasons.Add($"their employee ids differ ({x.Officer.EmployeeId}, {y.Officer.EmployeeId})");
            }

            if (x.Officer.BirthYear is { } bx && y.Officer.BirthYear is { } by && bx != by)
            {
                reasons.Add($"their birth years differ ({bx.ToString(CultureInfo.InvariantCulture)}, {by.ToString(CultureInfo.InvariantCulture)})");
            }

            // A candidate rule rests on a name: hire dates that disagree speak against it (the automatic rules compare
            // identifiers and keep their historic behaviour).
            if (IdentityOptions.IsCandidate(rule) && x.Hire is { } hx && y.Hire is { } hy && !Agree(hx, hy))
            {
                reasons.Add($"their hire dates differ ({x.Officer.HireDate}, {y.Officer.HireDate})");
            }

            return reasons.Count == 0 ? null : string.Join(" and ", reasons);
        }

        /// <summary>
        /// Leaves a candidate set apart: an automatic rule's set is an ambiguity. A candidate rule's set is an undecided
        /// candidate when several officers compete (<see cref="AmbiguityKind.MultipleCandidates"/>,
        /// <see cref="AmbiguityKind.SameSource"/>); otherwise it is no candidate at all (the published identifiers
        /// contradict it, a stronger rule already matched or left apart its officers) and is dropped, counted.
        /// </summary>
        private void Report(IdentityRule rule, AmbiguityKind kind, string reason, List<int> officers, List<(int A, int B, string? Conflict)> pairs, int a, int b)
        {
            if (IdentityOptions.IsCandidate(rule) && kind is not (AmbiguityKind.MultipleCandidates or AmbiguityKind.SameSource))
            {
                dropped[rule] = dropped.GetValueOrDefault(rule) + pairs.Count;
                return;
            }

            foreach (var x in officers)
            {
                var other = nodes[x].Source == a ? b : nodes[x].Source == b ? a : -1;
                if (other >= 0 && !Members(Find(x)).Any(m => nodes[m].Source == other))
                {
                    ambiguousWith.TryAdd((x, other), rule);
                }
            }

            var entry = new Ambiguity(rule, kind, reason, [.. officers.Distinct().OrderBy(x => nodes[x].Key, StringComparer.Ordinal)], pairs);
            (IdentityOptions.IsCandidate(rule) ? competing : ambiguities).Add(entry);
        }

        /// <summary>The index of a <c>different</c> entry that forbids merging the two groups, or null.</summary>
        private int? Forbidden(int ga, int gb)
        {
            foreach (var x in Members(ga))
            {
                if (differentEntries[x] is not { } entries)
                {
                    continue;
                }

                foreach (var y in Members(gb))
                {
                    if (differentEntries[y] is { } others && entries.FirstOrDefault(others.Contains, -1) is var shared and >= 0)
                    {
                        return shared;
                    }
                }
            }

            return null;
        }

        private void Prevent(int entry, int i, int j, IdentityRule rule)
        {
            var list = prevented[entry];
            if (!list.Any(p => (p.A == i && p.B == j) || (p.A == j && p.B == i)))
            {
                list.Add((i, j, rule));
            }
        }

        private int Find(int x)
        {
            while (parent[x] != x)
            {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }

            return x;
        }

        private List<int> Members(int root) => members[root] ??= [root];

        private void Union(int ra, int rb)
        {
            var (big, small) = Members(ra).Count >= Members(rb).Count ? (ra, rb) : (rb, ra);
            parent[small] = big;
            Members(big).AddRange(Members(small));
            members[small] = null;
        }

        private string Key(int i) => nodes[i].Key;

        /// <summary>The two officers, the smaller <c>{source}:{officerRef}</c> first.</summary>
        private (int X, int Y) Ordered(int i, int j) => string.CompareOrdinal(nodes[i].Key, nodes[j].Key) <= 0 ? (i, j) : (j, i);

        private IdentityResolution Result()
        {
            var roots = Enumerable.Range(0, nodes.Length).Select(Find).Distinct().ToList();
            var idOf = new Dictionary<int, string>();
            var groups = new List<IdentityGroup>(roots.Count);
            var linksOf = links.GroupBy(l => Find(l.From)).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var root in roots)
            {
                var memberNodes = Members(root).Select(m => nodes[m]).OrderBy(n => n.Key, StringComparer.Ordinal).ToList();
                var id = PublicId(memberNodes[0].Officer.Ref);
                idOf[root] = id;
                var groupLinks = linksOf.TryGetValue(root, out var found)
                    ? found.OrderBy(l => l.Rule).ThenBy(l => nodes[l.From].Key, StringComparer.Ordinal).ThenBy(l => nodes[l.To].Key, StringComparer.Ordinal)
                        .Select(l => new IdentityLink(nodes[l.From].Officer.Ref, nodes[l.To].Officer.Ref, l.Rule)).ToList()
                    : [];
                groups.Add(new IdentityGroup(id, [.. memberNodes.Select(n => n.Officer.Ref)], groupLinks));
            }

            groups.Sort((x, y) => string.CompareOrdinal(x.Id, y.Id));
            for (var k = 1; k < groups.Count; k++)
            {
                if (groups[k].Id == groups[k - 1].Id)
                {
                    throw new InvalidOperationException($"two officers have the public id {groups[k].Id} ({groups[k - 1].Members[0]}, {groups[k].Members[0]}): a SHA-256 prefix collision");
                }
            }

            IdentityCandidate Candidate(int i)
            {
                var o = nodes[i].Officer;
                var activity = nodes[i].Activity;
                return new IdentityCandidate(nodes[i].Key, idOf[Find(i)], o.DisplayName, o.EmployeeId, [.. o.Badges.Select(b => b.Number)], o.BirthYear, o.HireDate)
                {
                    Unit = o.Unit,
                    Complaints = activity.Complaints,
                    FirstComplaintYear = activity.First,
                    LastComplaintYear = activity.Last,
                };
            }

            IdentityCandidatePair Pair(int i, int j, string? conflict)
            {
                var (agree, differ, unknown) = Evidence(i, j);
                return new IdentityCandidatePair(Key(i), Key(j), conflict) { Agree = agree, Differ = differ, Unknown = unknown };
            }

            List<IdentityCandidatePair> Pairs(IEnumerable<(int A, int B, string? Conflict)> pairs) =>
                [.. pairs.OrderBy(p => nodes[p.A].Key, StringComparer.Ordinal).ThenBy(p => nodes[p.B].Key, StringComparer.Ordinal).Select(p => Pair(p.A, p.B, p.Conflict))];

            var reported = ambiguities
                .OrderBy(x => x.Rule)
                .ThenBy(x => nodes[x.Officers[0]].Key, StringComparer.Ordinal)
                .ThenBy(x => x.Reason, StringComparer.Ordinal)
                .Select(x => new IdentityAmbiguity(
                    x.Rule,
                    x.Kind,
                    x.Reason,
                    [.. x.Officers.Select(Candidate)],
                    Pairs(x.Pairs)))
                .ToList();

            // Undecided pairs, one candidate set per two officers as resolved (a per-source officer matched with two
            // members of one officer is one set); pairs whose officers were merged since (by a weaker rule the policy
            // enables) are no longer candidates.
            var candidateSets = new List<(IdentityRule Rule, CandidateDecision Decision, List<(int A, int B)> Pairs)>();
            foreach (var set in undecided
                .Where(u => Find(u.A) != Find(u.B))
                .GroupBy(u => (u.Rule, Math.Min(Find(u.A), Find(u.B)), Math.Max(Find(u.A), Find(u.B)))))
            {
                candidateSets.Add((set.Key.Rule, CandidateDecision.Undecided, [.. set.Select(u => Ordered(u.A, u.B)).Distinct()]));
            }

            candidateSets.AddRange(mergedCandidates.Select(m => (m.Rule, CandidateDecision.Merged, m.Pairs.Select(p => Ordered(p.A, p.B)).ToList())));
            var candidates = competing
                .Select(c => new IdentityCandidateSet(
                    c.Rule,
                    CandidateDecision.Undecided,
                    [.. c.Officers.Select(x => sources[nodes[x].Source]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                    c.Reason + ": undecided; a reviewer decides (overrides file)",
                    [.. c.Officers.Select(Candidate)],
                    Pairs(c.Pairs)) { Kind = c.Kind })
                .Concat(candidateSets.Select(c =>
                {
                    var officers = c.Pairs.SelectMany(p => new[] { p.A, p.B }).Distinct().OrderBy(x => nodes[x].Key, StringComparer.Ordinal).ToList();
                    var names = officers.Select(x => sources[nodes[x].Source]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
                    var matched = string.Join("; ", c.Pairs.Select(p => $"{Key(p.A)} and {Key(p.B)}"));
                    var reason = c.Decision == CandidateDecision.Merged
                        ? $"{matched} match by {Name(c.Rule)}: merged, as the policies of {string.Join(" and ", names)} list it in identity.autoMerge"
                        : $"{matched} match by {Name(c.Rule)}: undecided, as the policies of {string.Join(" and ", names)} do not all list it in identity.autoMerge; a reviewer decides (overrides file)";
                    return new IdentityCandidateSet(c.Rule, c.Decision, names, reason, [.. officers.Select(Candidate)], Pairs(c.Pairs.Select(p => (p.A, p.B, Contradiction(p.A, p.B, c.Rule)))));
                }))
                .OrderBy(c => c.Rule)
                .ThenBy(c => c.Officers[0].Officer, StringComparer.Ordinal)
                .ThenBy(c => c.Reason, StringComparer.Ordinal)
                .ToList();

            var decisions = new List<IdentityDecision>();
            foreach (var (entry, found) in same)
            {
                var applied = found.Count >= 2;
                var effect = applied
                    ? $"merged {found.Count.ToString(CultureInfo.InvariantCulture)} officers into {idOf[Find(found[0])]}"
                    : $"not applied: {found.Count.ToString(CultureInfo.InvariantCulture)} of its officers are in the records";
                if (applied && found.Count < entry.Officers.Count)
                {
                    effect += $" ({(entry.Officers.Count - found.Count).ToString(CultureInfo.InvariantCulture)} not in the records)";
                }

                decisions.Add(new IdentityDecision("same", entry.Location, [.. entry.Officers.Select(o => o.ToString())], entry.Note, applied, effect));
            }

            for (var k = 0; k < different.Count; k++)
            {
                var (entry, _) = different[k];
                var kept = prevented[k];
                var effect = kept.Count > 0
                    ? "kept apart: " + string.Join("; ", kept.Select(p => $"{Key(p.A)} and {Key(p.B)} (matched by {Name(p.Rule)})"))
                    : "no rule matched these officers: nothing to keep apart";
                decisions.Add(new IdentityDecision("different", entry.Location, [.. entry.Officers.Select(o => o.ToString())], entry.Note, kept.Count > 0, effect));
            }

            var linksByRule = Enum.GetValues<IdentityRule>().ToDictionary(r => r, r => links.Count(l => l.Rule == r));
            var bySourceCount = new SortedDictionary<string, int>(StringComparer.Ordinal);
            for (var s = 0; s < sources.Length; s++)
            {
                bySourceCount[sources[s]] = bySource[s].Count;
            }

            var report = new IdentityReport
            {
                Counts = new IdentityCounts(nodes.Length, bySourceCount, groups.Count, groups.Count(g => g.Members.Count > 1), linksByRule, reported.Count)
                {
                    Candidates = candidates.Count,
                    Undecided = candidates.Count(c => c.Decision == CandidateDecision.Undecided),
                    NotCandidates = IdentityOptions.CandidateRules.ToDictionary(r => r, r => dropped.GetValueOrDefault(r)),
                },
                Merged = [.. groups.Where(g => g.Members.Count > 1)],
                Ambiguities = reported,
                Candidates = candidates,
                Decisions = decisions,
                UnmatchedOverrides = unmatched,
            };
            return new IdentityResolution(groups, report);
        }
    }
}
