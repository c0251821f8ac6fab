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
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Where each generalization applies.</summary>
    private static readonly Dictionary<Generalization, Func<CanonicalField, bool>> Applies = new()
    {
        [Generalization.HundredBlock] = f => f == CanonicalFields.Location || f == CanonicalFields.ComplainantAddress,
        [Generalization.Precinct] = f => f == CanonicalFields.Location || f == CanonicalFields.ComplainantAddress,
        [Generalization.Month] = f => f.Kind == FieldKind.Date,
        [Generalization.Year] = f => f.Kind == FieldKind.Date,
        [Generalization.AgeBand] = f => f == CanonicalFields.ComplainantAge,
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
        DisclosurePolicy? policy;
        try
        {
            policy = JsonSerializer.Deserialize<DisclosurePolicy>(json, Options);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is null ? "" : $" at {ex.Path}";
            var line = ex.LineNumber is null ? "" : $" (line {ex.LineNumber + 1})";
            var message = ex.Message.Split(" Path:", 2)[0];
            throw new PolicyException(name, [$"{message}{where}{line}"]);
        }

        if (policy is null)
        {
            throw new PolicyException(name, ["the file holds no policy (null)"]);
        }

        var errors = Validate(policy);
        return errors.Count > 0 ? throw new PolicyException(name, errors) : policy;
    }

    /// <summary>Every problem of a policy that can be found without its secrets, as messages naming the JSON path.</summary>
    public static List<string> Validate(DisclosurePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var errors = new List<string>();
        CheckRule("$.default", policy.Default, null, errors);
        foreach (var (path, rule) in policy.Fields)
        {
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

        if (policy.Aggregation.K < 1)
        {
            errors.Add($"$.aggregation.k: {policy.Aggregation.K} is not a count; use 1 to publish every count, 10 is common");
        }

        if (policy.Pseudonymization is { KeySetting: var setting } && string.IsNullOrWhiteSpace(setting))
        {
            errors.Add("$.pseudonymization.keySetting: the setting name is empty");
        }

        if (policy.Pseudonymization is null)
        {
            errors.Add("$.pseudonymization: missing; officers are referred to by keyed pseudonyms, so a policy names the setting that holds the key, e.g. { \"keySetting\": \"OPENCONDUCT_PSEUDONYM_KEY\" }");
        }

        return errors;
    }

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
                errors.Add($"{at}: '{field.Path}' cannot be generalized to {JsonNamingPolicy.CamelCase.ConvertName(to.ToString())}" +
                           (fits.Count == 0 ? "; it has no coarser form (keep, drop or pseudonymize it)" : $" (it can be: {string.Join(", ", fits)})"));
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

        if (rule.Action == FieldAction.Scrub && field.Kind != FieldKind.Text)
        {
            errors.Add($"{at}: only free text can be scrubbed; '{field.Path}' is {field.Kind.ToString().ToLowerInvariant()}");
        }

        if (rule.Action == FieldAction.Pseudonymize && field.Kind is not (FieldKind.Identifier or FieldKind.Text or FieldKind.FullName))
        {
            errors.Add($"{at}: only identifiers and names can be pseudonymized; '{field.Path}' is {field.Kind.ToString().ToLowerInvariant()}");
        }

        if (rule.Action == FieldAction.AggregateOnly && field.Kind is not (FieldKind.Coded or FieldKind.Integer or FieldKind.CodedText))
        {
            errors.Add($"{at}: only coded values and numbers can be counted in aggregates; '{field.Path}' is {field.Kind.ToString().ToLowerInvariant()}");
        }
    }
}
