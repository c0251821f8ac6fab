namespace OpenConduct.Core.Disclosure;

/// <summary>
/// What a redaction withheld and why, as counts per field and action and per record rule. Never values: the report
/// is published so the city can show what it withheld.
/// </summary>
public sealed class RedactionReport
{
    private readonly Dictionary<(string Field, string Action), long> fields = [];
    private readonly Dictionary<string, long> rules = new(StringComparer.Ordinal);

    public string Policy { get; init; } = "";

    /// <summary>Values acted on, per canonical field and action (keep, drop, generalize:month, scrub...). Empty values are not counted.</summary>
    public IReadOnlyDictionary<(string Field, string Action), long> Fields => fields;

    /// <summary>Record rules applied (sensitivity, finality...) and narrative scrubbing per kind of personal data.</summary>
    public IReadOnlyDictionary<string, long> Rules => rules;

    public long Complaints { get; internal set; }
    public long Allegations { get; internal set; }
    public long Officers { get; internal set; }
    public long Complainants { get; internal set; }

    internal void Field(string field, string action) => Add(fields, (field, action));

    internal void Rule(string rule, long count = 1)
    {
        if (count > 0)
        {
            rules[rule] = rules.GetValueOrDefault(rule) + count;
        }
    }

    private static void Add<TKey>(Dictionary<TKey, long> counts, TKey key)
        where TKey : notnull => counts[key] = counts.GetValueOrDefault(key) + 1;

    /// <summary>Writes the report as text lines, sorted, for the command line and logs.</summary>
    public IEnumerable<string> Lines()
    {
        yield return FormattableString.Invariant($"redaction under policy '{Policy}': {Complaints:N0} complaints, {Allegations:N0} allegations, {Officers:N0} officers, {Complainants:N0} complainants");
        foreach (var ((field, action), count) in fields.OrderBy(f => f.Key.Field, StringComparer.Ordinal).ThenBy(f => f.Key.Action, StringComparer.Ordinal))
        {
            yield return FormattableString.Invariant($"  {field,-36} {action,-22} {count,10:N0}");
        }

        foreach (var (rule, count) in rules.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            yield return FormattableString.Invariant($"  rule {rule,-53} {count,10:N0}");
        }
    }
}
