namespace OpenConduct.Core.Disclosure;

/// <summary>
/// What a redaction withheld and why, as counts per field and action and per record rule. Never values: the report
/// is published so the city can show what it withheld.
/// </summary>
public sealed class RedactionReport
{
    private readonly Dictionary<string, long> rules = new(StringComparer.Ordinal);

    /// <summary>Counts per canonical field id; the action of a field is fixed by the policy (<see cref="actions"/>).</summary>
    private readonly long[] fieldCounts = new long[OpenConduct.Core.Import.CanonicalFields.Count];

    private readonly string[] actions;

    internal RedactionReport(string policy, string[] actions)
    {
        Policy = policy;
        this.actions = actions;
    }

    public string Policy { get; }

    /// <summary>Values acted on, per canonical field and action (keep, drop, generalize:month, scrub...). Empty values are not counted.</summary>
    public IReadOnlyDictionary<(string Field, string Action), long> Fields =>
        OpenConduct.Core.Import.CanonicalFields.List.Where(f => fieldCounts[f.Id] > 0).ToDictionary(f => (f.Path, actions[f.Id]), f => fieldCounts[f.Id]);

    /// <summary>Record rules applied (sensitivity, finality...) and narrative scrubbing per kind of personal data.</summary>
    public IReadOnlyDictionary<string, long> Rules => rules;

    public long Complaints { get; internal set; }
    public long Allegations { get; internal set; }
    public long Officers { get; internal set; }
    public long Complainants { get; internal set; }

    internal void Field(OpenConduct.Core.Import.CanonicalField field) => fieldCounts[field.Id]++;

    internal void Rule(string rule, long count = 1)
    {
        if (count > 0)
        {
            rules[rule] = rules.GetValueOrDefault(rule) + count;
        }
    }

    /// <summary>Writes the report as text lines, sorted, for the command line and logs.</summary>
    public IEnumerable<string> Lines()
    {
        yield return FormattableString.Invariant($"redaction under policy '{Policy}': {Complaints:N0} complaints, {Allegations:N0} allegations, {Officers:N0} officers, {Complainants:N0} complainants");
        foreach (var ((field, action), count) in Fields.OrderBy(f => f.Key.Field, StringComparer.Ordinal))
        {
            yield return FormattableString.Invariant($"  {field,-36} {action,-24} {count,10:N0}");
        }

        foreach (var (rule, count) in rules.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            yield return FormattableString.Invariant($"  rule {rule,-55} {count,10:N0}");
        }
    }
}
