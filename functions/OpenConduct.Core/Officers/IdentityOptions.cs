namespace OpenConduct.Core.Officers;

/// <summary>
/// Which candidate rules (<see cref="IdentityRule.NameAndHireDate"/>, <see cref="IdentityRule.NameUnitYears"/>) merge
/// officers automatically (docs/officers.md#candidate-rules): the <c>identity.autoMerge</c> of the sources' policies.
/// A candidate rule merges two sources' officers only when it is enabled for both; otherwise its matches are reported
/// as undecided candidates. The automatic rules (employee id; badge and name; name, birth year and hire date) always merge.
/// </summary>
public sealed record IdentityOptions
{
    /// <summary>No candidate rule merges: every candidate is reported, undecided.</summary>
    public static IdentityOptions Default { get; } = new();

    /// <summary>The candidate rules, in the order they are tried (after the automatic rules).</summary>
    public static IReadOnlyList<IdentityRule> CandidateRules { get; } = [IdentityRule.NameAndHireDate, IdentityRule.NameUnitYears];

    /// <summary>The candidate rules enabled for every source that <see cref="AutoMergeBySource"/> does not list.</summary>
    public IReadOnlyList<IdentityRule> AutoMerge { get; init; } = [];

    /// <summary>
    /// The candidate rules enabled for each source, by the source's name as its records write it (compared ignoring
    /// case): its policy's <c>identity.autoMerge</c>. Null: <see cref="AutoMerge"/> applies to every source.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IdentityRule>>? AutoMergeBySource { get; init; }

    /// <summary>Whether <paramref name="rule"/> merges officers of the two sources: an automatic rule always does, a candidate rule when it is enabled for both.</summary>
    public bool Merges(IdentityRule rule, string sourceA, string sourceB) =>
        !IsCandidate(rule) || (EnabledFor(sourceA).Contains(rule) && EnabledFor(sourceB).Contains(rule));

    /// <summary>Whether the rule is a candidate rule (it merges only where the policy enables it).</summary>
    public static bool IsCandidate(IdentityRule rule) => rule is IdentityRule.NameAndHireDate or IdentityRule.NameUnitYears;

    /// <summary>
    /// The options the releases carry: each source's candidate rules from its release's manifest
    /// (<see cref="PublishedRecords.IdentityAutoMerge"/>), under the source names its records write. Rule names this
    /// version does not know are ignored.
    /// </summary>
    public static IdentityOptions FromReleases(IEnumerable<PublishedRecords> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var bySource = new Dictionary<string, IReadOnlyList<IdentityRule>>(StringComparer.OrdinalIgnoreCase);
        foreach (var release in sources)
        {
            IReadOnlyList<IdentityRule> rules = [.. release.IdentityAutoMerge
                .Select(name => OfficerIdentityResolver.TryParseRule(name, out var rule) && IsCandidate(rule) ? rule : (IdentityRule?)null)
                .OfType<IdentityRule>()
                .Distinct()];
            var names = release.Officers.Select(o => o.Source).Concat(release.Cases.Select(c => c.Source)).Distinct(StringComparer.OrdinalIgnoreCase);
            foreach (var name in names)
            {
                bySource[name] = rules;
            }
        }

        return new IdentityOptions { AutoMergeBySource = bySource };
    }

    /// <summary>The candidate rules enabled for a source (its name compared ignoring case).</summary>
    public IReadOnlyList<IdentityRule> EnabledFor(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (AutoMergeBySource is null)
        {
            return AutoMerge;
        }

        if (AutoMergeBySource.TryGetValue(source, out var rules))
        {
            return rules;
        }

        foreach (var (name, listed) in AutoMergeBySource)
        {
            if (string.Equals(name, source, StringComparison.OrdinalIgnoreCase))
            {
                return listed;
            }
        }

        return AutoMerge;
    }
}
