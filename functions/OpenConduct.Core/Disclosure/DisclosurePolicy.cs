using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenConduct.Core.Disclosure;

/// <summary>
/// What a jurisdiction makes public: an action for every canonical field, and record rules on top (sensitive
/// records, finality, small counts). Configuration, not code: loaded from JSON with <see cref="DisclosurePolicyLoader"/>
/// (docs/disclosure.md, samples/policies/policy.schema.json).
/// </summary>
public sealed class DisclosurePolicy
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The law the policy implements, for people reading the redaction report.</summary>
    public string? Authority { get; init; }

    /// <summary>The action for a canonical field the policy does not list. Default <c>drop</c>: nothing is public by omission.</summary>
    public FieldRule Default { get; init; } = new() { Action = FieldAction.Drop };

    /// <summary>Canonical field path (e.g. <c>complainant.lastName</c>) -> its rule.</summary>
    public required IReadOnlyDictionary<string, FieldRule> Fields { get; init; }

    public SensitivityRule Sensitivity { get; init; } = new();

    public FinalityRule Finality { get; init; } = new();

    public AggregationRule Aggregation { get; init; } = new();

    /// <summary>What narrative scrubbing does beyond the field rules: the residual-risk gate, officers named after a rank.</summary>
    public ScrubbingRule Scrubbing { get; init; } = new();

    public PseudonymizationSettings? Pseudonymization { get; init; }

    /// <summary>Which candidate identity rules merge officers across sources automatically (docs/officers.md#candidate-rules). Default: none.</summary>
    public IdentityPolicy Identity { get; init; } = new();

    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<FieldAction>))]
public enum FieldAction
{
    /// <summary>Published as it is.</summary>
    Keep,

    /// <summary>Never published.</summary>
    Drop,

    /// <summary>Published with less precision (<see cref="FieldRule.To"/>).</summary>
    Generalize,

    /// <summary>Free text published with personal data replaced by typed placeholders.</summary>
    Scrub,

    /// <summary>Replaced by a keyed HMAC-SHA256 token: stable across releases, irreversible without the key.</summary>
    Pseudonymize,

    /// <summary>
    /// Never published on a record, but counted in aggregates (dashboards, datasets of counts), where every cell is
    /// subject to the aggregation threshold: complainant and officer demographics.
    /// </summary>
    AggregateOnly,
}

/// <summary>How a generalized value is published.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Generalization>))]
public enum Generalization
{
    /// <summary>A street address as its hundred block: "3412 Nicollet Ave" -> "3400 block of Nicollet Ave".</summary>
    HundredBlock,

    /// <summary>A location replaced by the complaint's precinct.</summary>
    Precinct,

    /// <summary>A date as its month (published as the first day of the month, with month precision).</summary>
    Month,

    /// <summary>A date as its year.</summary>
    Year,

    /// <summary>An age (or a birth year) as a band from <see cref="FieldRule.Bands"/>, e.g. "25-34".</summary>
    AgeBand,

    /// <summary>A year as its decade: 1975 -> 1970.</summary>
    Decade,
}

/// <summary>The rule for one field: in JSON either an action name (<c>"keep"</c>) or an object.</summary>
[JsonConverter(typeof(FieldRuleConverter))]
public sealed record FieldRule
{
    public required FieldAction Action { get; init; }

    /// <summary>For <see cref="FieldAction.Generalize"/>: the coarser form.</summary>
    public Generalization? To { get; init; }

    /// <summary>For <see cref="Generalization.AgeBand"/>: the lower bounds of the bands, ascending (default 18, 25, 35, 45, 55, 65).</summary>
    public IReadOnlyList<int>? Bands { get; init; }

    /// <summary>Why, in the words of the law: shown in the redaction report.</summary>
    public string? Reason { get; init; }
}

/// <summary>Records tied to these flags or allegation categories never expose a location or a narrative.</summary>
public sealed record SensitivityRule
{
    /// <summary>Sensitivity flags (see <see cref="Model.Sensitivity"/>) that make a complaint sensitive.</summary>
    public IReadOnlyList<string> Flags { get; init; } = ["DomesticViolence", "SexualAssault", "SexualMisconduct", "Juvenile"];

    /// <summary>Canonical allegation categories that make their complaint sensitive.</summary>
    public IReadOnlyList<string> Categories { get; init; } = ["DomesticViolence", "SexualMisconduct", "SexualAssault"];

    /// <summary>
    /// Words that make a source's category or subcategory look sensitive (matched ignoring case, within the text). A
    /// value containing one that maps to a category the policy does not treat as sensitive is named by <c>check</c> and
    /// counted in the quality report: a profile must not switch victim safety off by a spelling.
    /// </summary>
    public IReadOnlyList<string> Terms { get; init; } = DefaultTerms;

    /// <summary>The default sensitive terms.</summary>
    public static readonly IReadOnlyList<string> DefaultTerms = ["domestic", "sexual", "rape", "juvenile", "child", "intimate partner", "stalking"];
}

/// <summary>Findings and discipline are public only once final.</summary>
public sealed record FinalityRule
{
    /// <summary>A finding is public only when its complaint is closed. Default true.</summary>
    public bool FindingsWhenClosed { get; init; } = true;

    /// <summary>Imposed discipline is public only when its final flag says so. Default true.</summary>
    public bool DisciplineWhenFinal { get; init; } = true;

    /// <summary>Recommended (non-final) findings and discipline are never public. Default true.</summary>
    public bool HideRecommendations { get; init; } = true;

    /// <summary>
    /// When a (scrubbed) narrative is public. Default <c>finalDiscipline</c>: Minnesota makes public the data
    /// documenting the basis of a final disciplinary action; the narrative of any other case is investigative data.
    /// </summary>
    public NarrativeDisclosure Narratives { get; init; } = NarrativeDisclosure.FinalDiscipline;
}

[JsonConverter(typeof(NamesOnlyEnumConverter<NarrativeDisclosure>))]
public enum NarrativeDisclosure
{
    /// <summary>Every narrative the field rule publishes.</summary>
    Always,

    /// <summary>Only narratives of closed cases.</summary>
    Closed,

    /// <summary>Only narratives of closed cases with at least one final, imposed discipline.</summary>
    FinalDiscipline,
}

/// <summary>Narrative scrubbing beyond the field rules (docs/disclosure.md, "Free text, step by step").</summary>
public sealed record ScrubbingRule
{
    /// <summary>
    /// A scrubbed narrative in which something still looks like a person identifier: <c>withhold</c> (the default, the
    /// safer choice) publishes no narrative, <c>mask</c> masks the suspect words too and publishes it.
    /// </summary>
    [JsonConverter(typeof(NamesOnlyEnumConverter<ResidualRiskAction>))]
    public ResidualRiskAction ResidualRisk { get; init; } = ResidualRiskAction.Withhold;

    /// <summary>
    /// A name or initials after a police rank ("Officer XK", "Sgt. Lee"): <c>keep</c> (the default, where every officer's
    /// name is public personnel data) or <c>mask</c> (only the officers on the record stay).
    /// </summary>
    [JsonConverter(typeof(NamesOnlyEnumConverter<OfficerMentions>))]
    public OfficerMentions OfficersNamedByRank { get; init; } = OfficerMentions.Keep;

    /// <summary>
    /// Whether a person approves each scrubbed narrative before it is published (docs/review.md): <c>off</c> (the
    /// default: the scrubber and its residual-risk gate decide) or <c>required</c> (a narrative is published only once
    /// a reviewer approved its scrubbed text; until then it says "pending review").
    /// </summary>
    [JsonConverter(typeof(NamesOnlyEnumConverter<NarrativeReview>))]
    public NarrativeReview Review { get; init; } = NarrativeReview.Off;
}

/// <summary>Whether scrubbed narratives wait for a reviewer's approval (<see cref="ScrubbingRule.Review"/>).</summary>
public enum NarrativeReview
{
    /// <summary>Published as the scrubber and its residual-risk gate decide.</summary>
    Off,

    /// <summary>Published only once a reviewer approved the scrubbed text.</summary>
    Required,
}

/// <summary>What happens to officers named after a rank who are not on the record.</summary>
public enum OfficerMentions
{
    /// <summary>Kept: their names are public.</summary>
    Keep,

    /// <summary>Masked as private names.</summary>
    Mask,
}

/// <summary>Every count a dashboard or dataset shows: cells below <see cref="K"/> are suppressed, with complementary suppression.</summary>
public sealed record AggregationRule
{
    public int K { get; init; } = 10;
}

/// <summary>
/// Identity across sources (docs/officers.md#candidate-rules). The automatic rules (employee id; badge and name; name,
/// birth year and hire date) always merge; the candidate rules only propose officers that may be one person, in the
/// identity report, unless <see cref="AutoMerge"/> lists them. A rule merges two sources' officers only when the
/// policies of both sources list it.
/// </summary>
public sealed record IdentityPolicy
{
    /// <summary>The candidate rule comparing the name key and the hire date.</summary>
    public const string NameAndHireDate = "nameAndHireDate";

    /// <summary>The candidate rule comparing the name key, the unit and the years of the officer's complaints.</summary>
    public const string NameUnitYears = "nameUnitYears";

    /// <summary>The automatic rules, which always merge and are not listed in <see cref="AutoMerge"/>.</summary>
    public static IReadOnlyList<string> AutomaticRules { get; } = ["employeeId", "badgeAndName", "nameBirthYearHireDate"];

    /// <summary>
    /// The candidate rules <see cref="AutoMerge"/> may list, with the canonical fields each compares: a rule can only
    /// match when the policy publishes these fields as they are or generalized (not dropped, not pseudonymized: a
    /// pseudonym is keyed with its source, so two sources never give the same one).
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> CandidateRules { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [NameAndHireDate] = ["officer.firstName", "officer.lastName", "officer.hireDate"],
        [NameUnitYears] = ["officer.firstName", "officer.lastName", "officer.unit", "complaint.receivedDate"],
    };

    /// <summary>
    /// The candidate rules that merge automatically, by name (<c>nameAndHireDate</c>, <c>nameUnitYears</c>). Default
    /// empty: their candidates are listed in the identity report as undecided, for a reviewer.
    /// </summary>
    public IReadOnlyList<string> AutoMerge { get; init; } = [];
}

/// <summary>Where the pseudonymization key comes from: a configuration setting, never the policy file.</summary>
public sealed record PseudonymizationSettings
{
    /// <summary>The name of the setting (environment variable or app setting) that holds the key, e.g. <c>OPENCONDUCT_PSEUDONYM_KEY</c>.</summary>
    public required string KeySetting { get; init; }
}

/// <summary>Reads a field rule written either as an action name or as an object.</summary>
public sealed class FieldRuleConverter : JsonConverter<FieldRule>
{
    public override FieldRule? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new FieldRule { Action = ParseAction(reader.GetString()!) };
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a field rule is an action name (keep, drop, generalize, scrub, pseudonymize, aggregateOnly) or an object with \"action\"");
        }

        FieldAction? action = null;
        Generalization? to = null;
        List<int>? bands = null;
        string? reason = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case "action": action = ParseAction(reader.GetString()!); break;
                case "to":
                    to = Enum.TryParse<Generalization>(reader.GetString(), ignoreCase: true, out var g) && !int.TryParse(reader.GetString(), out _)
                        ? g
                        : throw new JsonException($"unknown generalization '{reader.GetString()}' (hundredBlock, precinct, month, year, ageBand, decade)");
                    break;
                case "bands": bands = JsonSerializer.Deserialize<List<int>>(ref reader, options); break;
                case "reason": reason = reader.GetString(); break;
                default: throw new JsonException($"unknown field-rule property '{property}' (allowed: action, to, bands, reason)");
            }
        }

        return new FieldRule
        {
            Action = action ?? throw new JsonException("a field rule object needs \"action\""),
            To = to,
            Bands = bands,
            Reason = reason,
        };
    }

    public override void Write(Utf8JsonWriter writer, FieldRule value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("action", JsonNamingPolicy.CamelCase.ConvertName(value.Action.ToString()));
        if (value.To is { } to) writer.WriteString("to", JsonNamingPolicy.CamelCase.ConvertName(to.ToString()));
        if (value.Bands is not null)
        {
            writer.WritePropertyName("bands");
            JsonSerializer.Serialize(writer, value.Bands, options);
        }

        if (value.Reason is not null) writer.WriteString("reason", value.Reason);
        writer.WriteEndObject();
    }

    private static FieldAction ParseAction(string name) =>
        Enum.TryParse<FieldAction>(name, ignoreCase: true, out var action) && !int.TryParse(name, out _)
            ? action
            : throw new JsonException($"unknown action '{name}' (keep, drop, generalize, scrub, pseudonymize, aggregateOnly)");
}

/// <summary>Reads an enum from exactly one of its camelCase names: no numbers, no lists.</summary>
public sealed class NamesOnlyEnumConverter<T> : JsonConverter<T>
    where T : struct, Enum
{
    private static readonly Dictionary<string, T> Names =
        Enum.GetValues<T>().ToDictionary(v => JsonNamingPolicy.CamelCase.ConvertName(v.ToString()), v => v, StringComparer.Ordinal);

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && Names.TryGetValue(reader.GetString()!, out var value)
            ? value
            : throw new JsonException($"expected one of {string.Join(", ", Names.Keys)}");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(JsonNamingPolicy.CamelCase.ConvertName(value.ToString()));
    }
}
