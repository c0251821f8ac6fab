using System.Globalization;
using OpenConduct.Core.Model;

namespace OpenConduct.Core.Import;

/// <summary>The keys that identify an officer within one source, in the order a profile prefers them (<c>officerKeys</c>).</summary>
public enum OfficerKeyKind
{
    /// <summary><c>employeeId</c>: the employee id.</summary>
    EmployeeId,

    /// <summary><c>badge+name</c>: a badge number with the last and first name.</summary>
    BadgeName,

    /// <summary><c>name+birthYear+hireDate</c>: the last and first name with the birth year and the appointment date.</summary>
    NameBirthYearHireDate,

    /// <summary><c>name+birthYear</c>.</summary>
    NameBirthYear,

    /// <summary><c>name+hireDate</c>.</summary>
    NameHireDate,

    /// <summary><c>badge</c>: the badge number alone (only where badges are never reassigned).</summary>
    Badge,
}

/// <summary>A decision the import took about which rows are one officer, with its evidence (key kinds and lines, never names).</summary>
public sealed record OfficerDecision(string Kind, string File, long Line, long OtherLine, string Evidence)
{
    public override string ToString() => $"{Kind}: {File}:{Line} and line {OtherLine}: {Evidence}";
}

/// <summary>
/// The officers of one import, identified by the profile's keys. Rows that share a key are one officer unless
/// something contradicts it (two employee ids, two birth years, two appointment dates); an officer whose badge changes
/// across rows stays one officer when another key agrees (name, birth year and appointment date). Each officer's key
/// is its first key of the most preferred kind (the smallest, so that it does not depend on the order of the rows).
/// </summary>
internal sealed class OfficerRegistry(IReadOnlyList<OfficerKeyKind> kinds)
{
    /// <summary>The default order: employee id, badge and name, name with birth year and appointment date.</summary>
    public static readonly OfficerKeyKind[] DefaultKinds = [OfficerKeyKind.EmployeeId, OfficerKeyKind.BadgeName, OfficerKeyKind.NameBirthYearHireDate];

    private readonly List<OfficerBuilder> nodes = [];
    private readonly List<int> parents = [];
    private readonly List<string> provisional = [];
    private readonly HashSet<string> provisionalTaken = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> byKey = new(StringComparer.Ordinal);
    private readonly HashSet<string> ambiguous = new(StringComparer.Ordinal);
    private readonly List<string> scratch = [];

    /// <summary>Within-source identity decisions (merges of rows with different badges, splits of rows sharing a key).</summary>
    public List<OfficerDecision> Decisions { get; } = [];

    public int Count => nodes.Count;

    public static string Name(OfficerKeyKind kind) => kind switch
    {
        OfficerKeyKind.EmployeeId => "employeeId",
        OfficerKeyKind.BadgeName => "badge+name",
        OfficerKeyKind.NameBirthYearHireDate => "name+birthYear+hireDate",
        OfficerKeyKind.NameBirthYear => "name+birthYear",
        OfficerKeyKind.NameHireDate => "name+hireDate",
        _ => "badge",
    };

    public static OfficerKeyKind? Parse(string name) => Enum.GetValues<OfficerKeyKind>().Cast<OfficerKeyKind?>().FirstOrDefault(k => Name(k!.Value) == name);

    /// <summary>The keys of <paramref name="officer"/>, kind by kind in the profile's order (a row with several badges has several badge keys).</summary>
    public List<string> KeysOf(OfficerBuilder officer)
    {
        scratch.Clear();
        foreach (var kind in kinds)
        {
            AddKeys(kind, officer, scratch);
        }

        return scratch;
    }

    private static void AddKeys(OfficerKeyKind kind, OfficerBuilder o, List<string> keys)
    {
        var name = string.IsNullOrEmpty(o.LastName) ? null : $"{Fold(o.LastName)}|{Fold(o.FirstName)}";
        var year = o.BirthYear?.ToString(CultureInfo.InvariantCulture);
        var hired = o.HireDate?.ToString();
        switch (kind)
        {
            case OfficerKeyKind.EmployeeId when !string.IsNullOrEmpty(o.EmployeeId):
                keys.Add("id:" + o.EmployeeId);
                break;
            case OfficerKeyKind.BadgeName when name is not null:
                foreach (var badge in o.Badges)
                {
                    keys.Add($"badge:{badge.Number}|{name}");
                }

                break;
            // A name is a weak key: with a birth year or an appointment date, or as the last resort of a row that has
            // neither an employee id nor a badge (as a name alone identified officers before keys were configurable).
            case OfficerKeyKind.NameBirthYearHireDate when name is not null
                                                          && (year is not null || hired is not null || (string.IsNullOrEmpty(o.EmployeeId) && o.Badges.Count == 0)):
                keys.Add($"name:{name}|{year}|{hired}");
                break;
            case OfficerKeyKind.NameBirthYear when name is not null && year is not null:
                keys.Add($"nameyear:{name}|{year}");
                break;
            case OfficerKeyKind.NameHireDate when name is not null && hired is not null:
                keys.Add($"namehired:{name}|{hired}");
                break;
            case OfficerKeyKind.Badge:
                foreach (var badge in o.Badges)
                {
                    keys.Add("badgeonly:" + badge.Number);
                }

                break;
            default:
                break;
        }
    }

    private static string Fold(string? name) =>
        name is null ? "" : string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();

    /// <summary>
    /// Adds a row's officer: merged into the officer(s) it shares a key with, unless they contradict it. Returns the
    /// officer's node, or -1 when the row has no key at all (the officer cannot be identified).
    /// </summary>
    public int Add(OfficerBuilder officer, string file)
    {
        var keys = KeysOf(officer);
        if (keys.Count == 0)
        {
            return -1;
        }

        var node = -1;
        foreach (var key in keys)
        {
            if (ambiguous.Contains(key) || !byKey.TryGetValue(key, out var other))
            {
                continue;
            }

            other = Find(other);
            if (node == other)
            {
                continue;
            }

            var known = nodes[other];
            var candidate = node < 0 ? officer : nodes[node];
            if (Contradiction(candidate, known) is { } why)
            {
                // The same key names two people: neither this key nor its officers are joined through it any more.
                ambiguous.Add(key);
                Decisions.Add(new OfficerDecision("split", file, officer.Provenance.Line, known.Provenance.Line,
                    $"rows share {KindOf(key)} but {why}: kept apart"));
                continue;
            }

            if (node < 0)
            {
                known.Merge(officer, out var badgeChanged);
                if (badgeChanged && !key.StartsWith("badge", StringComparison.Ordinal) && !key.StartsWith("id:", StringComparison.Ordinal))
                {
                    Decisions.Add(new OfficerDecision("merge", file, officer.Provenance.Line, known.Provenance.Line,
                        $"rows share {KindOf(key)}; their badges differ: one officer"));
                }

                node = other;
            }
            else
            {
                // The row joins two officers known apart so far (e.g. an employee id on one, a name and birth year on the other).
                nodes[node].Merge(known, out _);
                parents[other] = node;
                unions++;
                Decisions.Add(new OfficerDecision("merge", file, officer.Provenance.Line, known.Provenance.Line,
                    $"a row shares {KindOf(key)} with an officer and another key with a second one: one officer"));
            }
        }

        if (node < 0)
        {
            node = nodes.Count;
            nodes.Add(officer);
            parents.Add(node);
            // Unique even when a key turned out to name two people (the second gets a suffix).
            var key = provisionalTaken.Add(keys[0]) ? keys[0] : $"{keys[0]}#{node}";
            provisionalTaken.Add(key);
            provisional.Add(key);
        }

        foreach (var key in keys)
        {
            if (!ambiguous.Contains(key))
            {
                byKey.TryAdd(key, node);
            }
        }

        return node;
    }

    private static string KindOf(string key) => key[..key.IndexOf(':', StringComparison.Ordinal)] switch
    {
        "id" => "an employee id",
        "badge" => "a badge and name",
        "name" => "a name, birth year and appointment date",
        "nameyear" => "a name and birth year",
        "namehired" => "a name and appointment date",
        _ => "a badge",
    };

    /// <summary>Why two officers sharing a key cannot be one person, or null.</summary>
    private static string? Contradiction(OfficerBuilder a, OfficerBuilder b)
    {
        if (!string.IsNullOrEmpty(a.EmployeeId) && !string.IsNullOrEmpty(b.EmployeeId) && a.EmployeeId != b.EmployeeId)
        {
            return "their employee ids differ";
        }

        if (a.BirthYear is { } x && b.BirthYear is { } y && x != y)
        {
            return "their birth years differ";
        }

        if (a.HireDate is { } h && b.HireDate is { } k && h != k)
        {
            return "their appointment dates differ";
        }

        return null;
    }

    public int Find(int node)
    {
        while (parents[node] != node)
        {
            parents[node] = parents[parents[node]];
            node = parents[node];
        }

        return node;
    }

    /// <summary>The key an allegation read now names its officer by (its node's first key; see <see cref="Finish"/>).</summary>
    public string KeyOf(int node) => provisional[unions == 0 ? node : Find(node)];

    /// <summary>How many times two officers known apart were joined (while none were, every node is its own root).</summary>
    private int unions;

    /// <summary>
    /// The officers, each with its final key, and the provisional keys that changed (aliases), for records already
    /// given to the sink.
    /// </summary>
    public (List<Officer> Officers, Dictionary<string, string> Aliases) Finish(string source)
    {
        var members = new Dictionary<int, List<int>>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var root = Find(i);
            if (!members.TryGetValue(root, out var list))
            {
                members[root] = list = [];
            }

            list.Add(i);
        }

        var officers = new List<Officer>(members.Count);
        var aliases = new Dictionary<string, string>(StringComparer.Ordinal);
        var final = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (root, group) in members.OrderBy(m => m.Key))
        {
            var builder = nodes[root];
            var keys = KeysOf(builder).Where(k => !ambiguous.Contains(k) && byKey.TryGetValue(k, out var n) && Find(n) == root).ToList();
            var prefix = keys.Count == 0 ? null : keys[0][..(keys[0].IndexOf(':', StringComparison.Ordinal) + 1)];
            var best = prefix is null ? provisional[root] : keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Min(StringComparer.Ordinal)!;
            if (!final.Add(best))
            {
                best = provisional[root];
                final.Add(best);
            }

            builder.Key = best;
            officers.Add(builder.Build(source));
            foreach (var member in group)
            {
                if (provisional[member] != best)
                {
                    aliases[provisional[member]] = best;
                }
            }
        }

        return (officers, aliases);
    }
}
