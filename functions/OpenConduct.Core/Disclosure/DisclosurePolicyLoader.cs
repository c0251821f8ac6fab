using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenConduct.Core.Import;

namespace OpenConduct.Core.Disclosure;

/// <summary>A policy that cannot be used, with one precise message per problem.</summary>
public sealed class PolicyException(string policy, IReadOnlyList<string> errors)
    : Exception($"disclosure policy {policy} is not valid:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", errors)}")
{
    public string Policy { get; } = policy;

    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>Reads disclosure policies from JSON and checks them against the canonical field catalog.</summary>
public static class DisclosurePolicyLoader
{
    private static readonly JsonSerializerOptions Options = StrictJson.Options();

    /// <summary>Where each generalization applies.</summary>
    private static readonly Dictionary<Generalization, Func<CanonicalField, bool>> Applies = new()
    {
        [Generalization.HundredBlock] = f => f == CanonicalFields.Location || f == CanonicalFields.ComplainantAddress,
        [Generalization.Precinct] = f => f == CanonicalFields.Location || f == CanonicalFields.ComplainantAddress,
        [Generalization.Month] = f => f.Kind == FieldKind.Date,
        [Generalization.Year] = f => f.Kind == FieldKind.Date,
        [Generalization.AgeBand] = f => f == CanonicalFields.ComplainantAge || f == CanonicalFields.ComplainantBirthDate,
        [Generalization.Decade] = f => f == CanonicalFields.BirthYear,
    };

    public static DisclosurePolicy LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    public static DisclosurePolicy Parse(string json, string name = "policy") =>
        Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), name);

    public static DisclosurePolicy Load(Stream json, string name)
    {
        var policy = StrictJson.Read<DisclosurePolicy>(json, Options, "policy", out var error)
                     ?? throw new PolicyException(name, [error!]);

        var errors = Validate(policy);
        return errors.Count > 0 ? throw new PolicyException(name, errors) : policy;
    }

    /// <summary>Every problem of a policy that can be found without its secrets, as messages naming the JSON path.</summary>
    public static List<string> Validate(DisclosurePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new List<string>();
        if (policy.Fields is null || policy.Default is null || policy.Sensitivity?.Flags is null || policy.Sensitivity.Categories is null
            || policy.Finality is null || policy.Aggregation is null || policy.Scrubbing is null || policy.Identity?.AutoMerge is null)
        {
            errors.Add("$: fields, default, sensitivity (flags, categories), finality, aggregation, scrubbing and identity (autoMerge) may be omitted but not null");
            return errors;
        }

        if (string.IsNullOrWhiteSpace(policy.Name))
        {
            errors.Add("$.name: the policy needs a name (it is shown in every redaction report)");
        }

        if (!Enum.IsDefined(policy.Finality.Narratives))
        {
            errors.Add($"$.finality.narratives: '{policy.Finality.Narratives}' is not always, closed or finalDiscipline");
        }

        CheckRule("$.default", policy.Default, null, errors);
        foreach (var (path, rule) in policy.Fields)
        {
            if (rule is null)
            {
                errors.Add($"$.fields['{path}']: the rule is null");
                continue;
            }

            if (!CanonicalFields.TryGet(path, out var field))
            {
                var hint = CanonicalFields.Closest(path) is { } close ? $"; did you mean '{close}'?" : "";
                errors.Add($"$.fields['{path}']: unknown canonical field '{path}'{hint}");
                continue;
            }

            CheckRule($"$.fields['{path}']", rule, field, errors);
        }

        if (Rule(policy, CanonicalFields.CaseNumber).Action is not (FieldAction.Keep or FieldAction.Pseudonymize))
        {
            errors.Add("$.fields['complaint.caseNumber']: the case number joins a case's records; keep it or pseudonymize it");
        }

        if (policy.Sensitivity.Flags.Count == 0)
        {
            errors.Add("$.sensitivity.flags: empty; victim safety applies under every policy: list at least DomesticViolence, SexualAssault and Juvenile");
        }

        foreach (var flag in policy.Sensitivity.Flags)
        {
            if (!Enum.TryParse<Model.Sensitivity>(flag, ignoreCase: false, out var value) || value == Model.Sensitivity.None || int.TryParse(flag, out _))
            {
                errors.Add($"$.sensitivity.flags: unknown flag '{flag}' ({string.Join(", ", Enum.GetNames<Model.Sensitivity>().Skip(1))})");
            }
        }

        if (policy.Sensitivity.Categories.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("$.sensitivity.categories: a category is empty");
        }

        foreach (var category in policy.Sensitivity.Categories.Where(c => !string.IsNullOrWhiteSpace(c) && Import.CategoryNames.Parse(c) is null))
        {
            errors.Add($"$.sensitivity.categories: '{category}' is not a canonical allegation category ({string.Join(", ", Enum.GetNames<Model.AllegationCategory>())}); profiles map every source category to one of these, so a policy names them");
        }

        if (policy.Aggregation.K < 1)
        {
            errors.Add($"$.aggregation.k: {policy.Aggregation.K} is not a count; use 1 to publish every count, 10 is common");
        }

        if (policy.Pseudonymization is { KeySetting: var setting } && string.IsNullOrWhiteSpace(setting))
        {
            errors.Add("$.pseudonymization.keySetting: the setting name is empty");
        }

        CheckIdentity(policy, errors);

        if (policy.Pseudonymization is null)
        {
            errors.Add("$.pseudonymization: missing; officers are referred to by keyed pseudonyms, so a policy names the setting that holds the key, e.g. { \"keySetting\": \"OPENCONDUCT_PSEUDONYM_KEY\" }");
        }

        return errors;
    }

    /// <summary>
    /// <c>identity.autoMerge</c>: candidate rules only (the automatic ones always merge), each once, and each able to
    /// match under this policy (the fields it compares are published as they are or generalized).
    /// </summary>
    private static void CheckIdentity(DisclosurePolicy policy, List<string> errors)
    {
        var rules = policy.Identity.AutoMerge;
        var candidates = string.Join(", ", IdentityPolicy.CandidateRules.Keys);
        for (var i = 0; i < rules.Count; i++)
        {
            var at = $"$.identity.autoMerge[{i}]";
            var rule = rules[i];
            if (IdentityPolicy.AutomaticRules.Contains(rule, StringComparer.Ordinal))
            {
                errors.Add($"{at}: '{rule}' always merges; autoMerge lists candidate rules only ({candidates})");
                continue;
            }

            if (rule is null || !IdentityPolicy.CandidateRules.TryGetValue(rule, out var fields))
            {
                errors.Add($"{at}: '{rule}' is not a candidate identity rule ({candidates})");
                continue;
            }

            if (rules.Take(i).Contains(rule, StringComparer.Ordinal))
            {
                errors.Add($"{at}: '{rule}' is listed twice");
                continue;
            }

            var withheld = fields
                .Select(path => (Path: path, Action: CanonicalFields.TryGet(path, out var field) ? Rule(policy, field).Action : FieldAction.Drop))
                .Where(f => f.Action is not (FieldAction.Keep or FieldAction.Generalize))
                .Select(f => $"{(f.Action == FieldAction.Pseudonymize ? "pseudonymizes" : "does not publish")} {f.Path}")
                .ToList();
            if (withheld.Count > 0)
            {
                errors.Add($"{at}: '{rule}' compares {string.Join(", ", fields)}, but the policy {string.Join(" and ", withheld)}: the rule could never match");
            }
        }
    }

    /// <summary>Whether an action other than keep, drop and generalize applies to a field.</summary>
    public static bool Allows(CanonicalField field, FieldAction action) => action switch
    {
        FieldAction.Keep or FieldAction.Drop => true,
        FieldAction.Generalize => Applies.Any(a => a.Value(field)),
        FieldAction.Scrub => field == CanonicalFields.Narrative,
        FieldAction.Pseudonymize => field.Kind is FieldKind.Identifier or FieldKind.Text
                                    && field != CanonicalFields.Narrative && field != CanonicalFields.Location && field != CanonicalFields.ComplainantAddress,
        FieldAction.AggregateOnly => field == CanonicalFields.OfficerRace || field == CanonicalFields.OfficerSex
                                     || field == CanonicalFields.ComplainantRace || field == CanonicalFields.ComplainantSex || field == CanonicalFields.ComplainantAge
                                     || field == CanonicalFields.ComplainantBirthDate, // only with "to": "ageBand" (see CheckRule)
        _ => false,
    };

    /// <summary>The actions a field takes, for messages: "keep, drop, scrub".</summary>
    private static string Alternatives(CanonicalField field) =>
        string.Join(", ", Enum.GetValues<FieldAction>().Where(a => Allows(field, a)).Select(a => JsonNamingPolicy.CamelCase.ConvertName(a.ToString())));

    private static string Verb(FieldAction action) => action switch
    {
        FieldAction.Scrub => "scrubbed (only the narrative is free text to scrub)",
        FieldAction.Pseudonymize => "pseudonymized (identifiers and names only)",
        FieldAction.AggregateOnly => "counted in aggregates only (demographics: race, sex, age)",
        _ => JsonNamingPolicy.CamelCase.ConvertName(action.ToString()),
    };

    /// <summary>The rule for a field: its own, or the policy's default.</summary>
    public static FieldRule Rule(DisclosurePolicy policy, CanonicalField field) =>
        policy.Fields.TryGetValue(field.Path, out var rule) ? rule : policy.Default;

    private static void CheckRule(string at, FieldRule rule, CanonicalField? field, List<string> errors)
    {
        if (field is null && rule.Action is not (FieldAction.Keep or FieldAction.Drop))
        {
            errors.Add($"{at}: the default action is keep or drop");
            return;
        }

        if (rule.Action == FieldAction.Generalize || (rule.Action == FieldAction.AggregateOnly && rule.To is not null))
        {
            if (rule.To is not { } to)
            {
                errors.Add($"{at}: generalize needs \"to\" (hundredBlock, precinct, month, year, ageBand, decade)");
            }
            else if (field is not null && !Applies[to](field))
            {
                var fits = Applies.Where(a => a.Value(field)).Select(a => JsonNamingPolicy.CamelCase.ConvertName(a.Key.ToString())).ToList();
                var targets = CanonicalFields.List.Where(Applies[to]).Select(f => f.Path);
                errors.Add($"{at}: '{field.Path}' cannot be generalized to {JsonNamingPolicy.CamelCase.ConvertName(to.ToString())}, which applies to {string.Join(", ", targets)}; " +
                           (fits.Count == 0
                               ? $"'{field.Path}' can be: {Alternatives(field)}"
                               : $"'{field.Path}' can be generalized to {string.Join(" or ", fits)}"));
            }

            if (rule.Bands is { } bands && (bands.Count == 0 || bands.Zip(bands.Skip(1)).Any(p => p.Second <= p.First) || bands[0] < 0))
            {
                errors.Add($"{at}.bands: the band bounds must be ascending, non-negative whole numbers");
            }
        }
        else if (rule.To is not null || rule.Bands is not null)
        {
            errors.Add($"{at}: \"to\" and \"bands\" go with the generalize and aggregateOnly actions");
        }

        if (field is null)
        {
            return;
        }

        if (field.Kind == FieldKind.FullName)
        {
            errors.Add($"{at}: '{field.Path}' is split into first, middle and last name on import; give the rules to those fields");
            return;
        }

        if (rule.Action == FieldAction.AggregateOnly && field == CanonicalFields.ComplainantBirthDate)
        {
            if (rule.To != Generalization.AgeBand)
            {
                errors.Add($"{at}: '{field.Path}' is counted in aggregates only as an age band; use {{ \"action\": \"aggregateOnly\", \"to\": \"ageBand\" }}");
            }
        }
        else if (rule.Action is (FieldAction.Scrub or FieldAction.Pseudonymize or FieldAction.AggregateOnly) && !Allows(field, rule.Action))
        {
            errors.Add($"{at}: '{field.Path}' cannot be {Verb(rule.Action)}; it can be: {Alternatives(field)}");
        }
    }
}
