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
/// Officers of one source are distinct people and are never merged, except by a <c>same</c> override. For each rule and
/// each pair of sources, the officers the rule matches form connected candidate sets; a set is merged only when it
/// joins exactly one officer of each source, neither is already matched with the other source (by a stronger rule or an
/// override) or was ambiguous with it under a stronger rule, nothing the two (or the officers already merged with
/// either) publish contradicts the match (different employee ids, different birth years), no <c>different</c> override forbids it, and the merge would not put two
/// officers of one source together. Every other candidate set is listed in the report, not merged. The result does not
/// depend on the input's order.
/// </summary>
public static class OfficerIdentityResolver
{
    private static readonly IdentityRule[] Rules = [IdentityRule.EmployeeId, IdentityRule.BadgeAndName, IdentityRule.NameBirthYearHireDate];

    /// <summary>
    /// Resolves the officers of the given releases (one per source, e.g. from <see cref="PublishedRecords.ReadLatestAsync"/>).
    /// An officer that allegations name but the officers file lacks is resolved too, as an officer with no published
    /// attributes (it can only be merged by an override).
    /// </summary>
    public static IdentityResolution Resolve(IReadOnlyList<PublishedRecords> sources, IdentityOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
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

        return Resolve(officers, overrides);
    }

    /// <summary>Resolves the given per-source officers (each <c>(source, officerRef)</c> once).</summary>
    /// <exception cref="ArgumentException">An officer is given twice.</exception>
    public static IdentityResolution Resolve(IEnumerable<PublishedOfficer> officers, IdentityOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(officers);
        return new Run(officers, overrides ?? IdentityOverrides.Empty).Resolve();
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
        IdentityRule.Override => "override",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };

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

    private sealed class Node(PublishedOfficer officer, int source)
    {
        public PublishedOfficer Officer { get; } = officer;
        public int Source { get; } = source;
        public string Key { get; } = officer.Ref.ToString();
        public string? EmployeeId { get; } = OfficerNames.Identifier(officer.EmployeeId);
        public string? NameKey { get; } = OfficerNames.Key(officer.FirstName, officer.LastName);
        public string[] Badges { get; } = [.. officer.Badges.Select(b => OfficerNames.Identifier(b.Number)).OfType<string>().Distinct(StringComparer.Ordinal)];
        public (int Year, int Month, int Day)? Hire { get; } = PartialDate(officer.HireDate);
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

        public Run(IEnumerable<PublishedOfficer> officers, IdentityOverrides overrides)
        {
            this.overrides = overrides;
            var list = officers.OrderBy(o => o.Source, StringComparer.Ordinal).ThenBy(o => o.OfficerRef, StringComparer.Ordinal).ToList();
            sources = [.. list.Select(o => o.Source).Distinct(StringComparer.Ordinal)];
            var sourceIndex = sources.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i, StringComparer.Ordinal);
            nodes = [.. list.Select(o => new Node(o, sourceIndex[o.Source]))];
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
            _ => [],
        };

        /// <summary>Applies <paramref name="rule"/> between sources <paramref name="a"/> and <paramref name="b"/>.</summary>
        private void Match(IdentityRule rule, int a, int b, Dictionary<string, List<int>> indexB)
        {
            var edges = new List<(int A, int B)>();
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
                        if (rule == IdentityRule.NameBirthYearHireDate && !Agree(nodes[i].Hire!.Value, nodes[j].Hire!.Value))
                        {
                            continue;
                        }

                        if (!seen.Add((i, j)) || Find(i) == Find(j))
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
                }
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
            var described = pairs.Select(p => (p.A, p.B, Conflict: Contradiction(p.A, p.B))).ToList();
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
            var contradicted = across.Select(p => (p.X, p.Y, Conflict: Contradiction(p.X, p.Y))).Where(p => p.Conflict is not null).ToList();
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

            Union(ga, gb);
            links.AddRange(pairs.Select(p => (p.A, p.B, rule)));
        }

        /// <summary>What the two officers both publish and disagree on (employee id, birth year): a contradiction of any match; null when nothing.</summary>
        private string? Contradiction(int i, int j)
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

            return reasons.Count == 0 ? null : string.Join(" and ", reasons);
        }

        private void Report(IdentityRule rule, AmbiguityKind kind, string reason, List<int> officers, List<(int A, int B, string? Conflict)> pairs, int a, int b)
        {
            foreach (var x in officers)
            {
                var other = nodes[x].Source == a ? b : nodes[x].Source == b ? a : -1;
                if (other >= 0 && !Members(Find(x)).Any(m => nodes[m].Source == other))
                {
                    ambiguousWith.TryAdd((x, other), rule);
                }
            }

            ambiguities.Add(new Ambiguity(rule, kind, reason, [.. officers.Distinct().OrderBy(x => nodes[x].Key, StringComparer.Ordinal)], pairs));
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
                return new IdentityCandidate(nodes[i].Key, idOf[Find(i)], o.DisplayName, o.EmployeeId, [.. o.Badges.Select(b => b.Number)], o.BirthYear, o.HireDate);
            }

            var reported = ambiguities
                .OrderBy(x => x.Rule)
                .ThenBy(x => nodes[x.Officers[0]].Key, StringComparer.Ordinal)
                .ThenBy(x => x.Reason, StringComparer.Ordinal)
                .Select(x => new IdentityAmbiguity(
                    x.Rule,
                    x.Kind,
                    x.Reason,
                    [.. x.Officers.Select(Candidate)],
                    [.. x.Pairs.OrderBy(p => nodes[p.A].Key, StringComparer.Ordinal).ThenBy(p => nodes[p.B].Key, StringComparer.Ordinal).Select(p => new IdentityCandidatePair(Key(p.A), Key(p.B), p.Conflict))]))
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
                Counts = new IdentityCounts(nodes.Length, bySourceCount, groups.Count, groups.Count(g => g.Members.Count > 1), linksByRule, reported.Count),
                Merged = [.. groups.Where(g => g.Members.Count > 1)],
                Ambiguities = reported,
                Decisions = decisions,
                UnmatchedOverrides = unmatched,
            };
            return new IdentityResolution(groups, report);
        }
    }
}
