using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;

namespace OpenConduct.Core.Tests.Disclosure;

/// <summary>
/// Keeps the published policy schema (samples/policies/policy.schema.json), the shipped policies, the loader
/// (<see cref="DisclosurePolicyLoader"/>), the canonical field catalog and docs/disclosure.md in step.
/// </summary>
public sealed partial class PolicySchemaTests
{
    private static readonly string PoliciesDirectory = Path.Combine(AppContext.BaseDirectory, "samples", "policies");
    private static readonly string SchemaPath = Path.Combine(PoliciesDirectory, "policy.schema.json");
    private static readonly Lazy<JsonSchemaValidator> Schema = new(() => JsonSchemaValidator.Load(SchemaPath));

    /// <summary>A small policy using every form of rule, independent of the sample files.</summary>
    private const string InlinePolicy = """
        {
          "$schema": "policy.schema.json",
          "name": "inline",
          "description": "Every form of rule.",
          "authority": "none",
          "default": "drop",
          "fields": {
            "complaint.caseNumber": { "action": "keep", "reason": "the existence of the complaint is public" },
            "complaint.receivedDate": { "action": "generalize", "to": "month" },
            "complaint.location": { "action": "generalize", "to": "hundredBlock" },
            "complaint.narrative": "scrub",
            "allegation.finalFinding": "keep",
            "officer.employeeId": "pseudonymize",
            "officer.lastName": "keep",
            "officer.birthYear": { "action": "generalize", "to": "decade" },
            "officer.race": "aggregateOnly",
            "complainant.age": { "action": "aggregateOnly", "to": "ageBand", "bands": [18, 30, 50] }
          },
          "sensitivity": { "flags": ["DomesticViolence", "SexualAssault"], "categories": ["DomesticViolence"] },
          "finality": { "findingsWhenClosed": true, "disciplineWhenFinal": true, "hideRecommendations": true, "narratives": "finalDiscipline" },
          "scrubbing": { "residualRisk": "withhold", "officersNamedByRank": "keep" },
          "aggregation": { "k": 5 },
          "pseudonymization": { "keySetting": "OPENCONDUCT_PSEUDONYM_KEY" }
        }
        """;

    private static readonly string[] DatePaths = CanonicalFields.List.Where(f => f.Kind == FieldKind.Date).Select(f => f.Path).ToArray();

    /// <summary>The fields a policy gives rules to: every canonical field but the full names, which the import splits into their parts.</summary>
    private static readonly string[] PolicyFieldPaths = CanonicalFields.List.Where(f => f.Kind != FieldKind.FullName).Select(f => f.Path).ToArray();

    // ---- the shipped policies ----------------------------------------------------------------------------------------

    [Theory]
    [InlineData("minnesota.json")]
    [InlineData("strict-example.json")]
    [InlineData("new-york.json")]
    public void ShippedPolicy_ValidatesAgainstTheSchemaAndLoads(string file)
    {
        var path = Path.Combine(PoliciesDirectory, file);
        Assert.True(File.Exists(path), $"{file} is not in the test output ({path}); it is copied from samples/policies/");

        using var document = ParsePolicyFile(path);
        AssertValid(document.RootElement, file);

        // The schema is the editor's check; the loader is the real one. A shipped policy passes both.
        var exception = Record.Exception(() => DisclosurePolicyLoader.LoadFile(path));
        Assert.True(exception is null, $"{file} does not load: {exception?.Message}");
    }

    [Fact]
    public void EveryPolicyInSamples_ValidatesAndLoads()
    {
        var policies = Directory.EnumerateFiles(PoliciesDirectory, "*.json")
            .Where(p => !string.Equals(Path.GetFileName(p), "policy.schema.json", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(policies.Count >= 2, "samples/policies/ should hold minnesota.json and strict-example.json");
        foreach (var path in policies)
        {
            using var document = ParsePolicyFile(path);
            AssertValid(document.RootElement, Path.GetFileName(path));
            var exception = Record.Exception(() => DisclosurePolicyLoader.LoadFile(path));
            Assert.True(exception is null, $"{Path.GetFileName(path)} does not load: {exception?.Message}");
        }
    }

    [Fact]
    public void ShippedPolicies_SayWhatTheDocsSay()
    {
        var minnesota = DisclosurePolicyLoader.LoadFile(Path.Combine(PoliciesDirectory, "minnesota.json"));
        Assert.Equal(FieldAction.Drop, minnesota.Default.Action);
        Assert.Equal(10, minnesota.Aggregation.K);
        Assert.Equal(PolicyFieldPaths, minnesota.Fields.Keys);
        Assert.Equal(NarrativeDisclosure.FinalDiscipline, minnesota.Finality.Narratives);
        Assert.Equal("OPENCONDUCT_PSEUDONYM_KEY", minnesota.Pseudonymization?.KeySetting);

        var strict = DisclosurePolicyLoader.LoadFile(Path.Combine(PoliciesDirectory, "strict-example.json"));
        Assert.Equal(FieldAction.Drop, strict.Default.Action);
        Assert.Equal(20, strict.Aggregation.K);
        Assert.Equal(FieldAction.Pseudonymize, strict.Fields["complaint.caseNumber"].Action);
        Assert.Equal(Generalization.Precinct, strict.Fields["complaint.location"].To);
        Assert.Equal(FieldAction.Drop, strict.Fields["complaint.narrative"].Action);
        Assert.Equal(NarrativeDisclosure.FinalDiscipline, strict.Finality.Narratives);
    }

    [Fact]
    public void NewYorkPolicy_PublishesRecommendationsBesideFinalDiscipline_AndKeepsComplainantsPrivate()
    {
        var newYork = DisclosurePolicyLoader.LoadFile(Path.Combine(PoliciesDirectory, "new-york.json"));
        Assert.Equal(FieldAction.Drop, newYork.Default.Action);
        Assert.Equal(10, newYork.Aggregation.K);
        Assert.Equal(PolicyFieldPaths, newYork.Fields.Keys);
        Assert.Contains("87(4-a)", newYork.Authority, StringComparison.Ordinal);

        // Recommendations are public (Public Officers Law 86(6)), the final penalty once decided.
        Assert.False(newYork.Finality.HideRecommendations);
        Assert.True(newYork.Finality.DisciplineWhenFinal);
        Assert.True(newYork.Finality.FindingsWhenClosed);
        foreach (var field in new[] { "allegation.recommendedFinding", "allegation.recommendedDiscipline", "allegation.recommendedDisciplineDays", "allegation.finalFinding", "allegation.imposedDiscipline", "allegation.imposedDisciplineDays" })
        {
            Assert.Equal(FieldAction.Keep, newYork.Fields[field].Action);
            Assert.False(string.IsNullOrWhiteSpace(newYork.Fields[field].Reason), $"{field} has no reason");
        }

        // Complainants: identity, home address and phone never on a record (87(4-a), 89(2-b)); demographics only counted.
        foreach (var field in new[] { "complainant.firstName", "complainant.lastName", "complainant.address", "complainant.phone", "complainant.birthDate" })
        {
            Assert.Equal(FieldAction.Drop, newYork.Fields[field].Action);
        }

        foreach (var field in new[] { "complainant.race", "complainant.sex", "complainant.age" })
        {
            Assert.Equal(FieldAction.AggregateOnly, newYork.Fields[field].Action);
        }

        Assert.Contains("89(2-b)", newYork.Fields["complainant.address"].Reason, StringComparison.Ordinal);
        Assert.Equal(Generalization.HundredBlock, newYork.Fields["complaint.location"].To);
        Assert.Equal(FieldAction.Scrub, newYork.Fields["complaint.narrative"].Action);
    }

    [Fact]
    public void InlinePolicy_ValidatesAndLoads()
    {
        AssertValid(JsonDocument.Parse(InlinePolicy).RootElement, "inline policy");
        var policy = DisclosurePolicyLoader.Parse(InlinePolicy, "inline");
        Assert.Equal([18, 30, 50], policy.Fields["complainant.age"].Bands);
    }

    // ---- unknown field paths and properties fail both -------------------------------------------------------------

    [Theory]
    [InlineData("complaint.narative")]
    [InlineData("Complaint.Narrative")]
    [InlineData("narrative")]
    [InlineData("officer.name")]
    [InlineData("complainant.email")]
    [InlineData("")]
    public void UnknownFieldPath_FailsTheSchemaAndTheLoader(string path)
    {
        var policy = Inline();
        policy["fields"]!.AsObject()[path] = "drop";

        AssertInvalid(policy, $"the unknown field '{path}'");
        var error = Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated"));
        Assert.Contains(error.Errors, e => e.StartsWith($"$.fields['{path}']: unknown canonical field '{path}'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "sensitivty")]
    [InlineData("", "threshold")]
    [InlineData("/sensitivity", "flag")]
    [InlineData("/finality", "findingsWhenClose")]
    [InlineData("/aggregation", "threshold")]
    [InlineData("/pseudonymization", "key")]
    [InlineData("/fields/complaint.caseNumber", "why")]
    [InlineData("/fields/complainant.age", "band")]
    public void UnknownProperty_FailsTheSchemaAndTheLoader(string pointer, string property)
    {
        var policy = Inline();
        var target = pointer.Length == 0 ? policy : Get(policy, pointer).AsObject();
        target[property] = "x";

        AssertInvalid(policy, $"the unknown property '{property}' at '{pointer}'");
        var error = Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated"));
        Assert.Contains($"'{property}'", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/fields/complaint.narrative", """{ "action": "generalize", "to": "month" }""", "a narrative generalized to a month")]
    [InlineData("/fields/officer.lastName", "\"aggregateOnly\"", "a name counted in aggregates")]
    [InlineData("/fields/complaint.caseNumber", "\"drop\"", "the case number dropped")]
    [InlineData("/fields/complaint.status", "\"scrub\"", "a coded value scrubbed")]
    [InlineData("/fields/officer.lastName", "\"scrub\"", "a name scrubbed (only the narrative is scrubbed)")]
    [InlineData("/fields/complainant.address", "\"scrub\"", "an address scrubbed")]
    [InlineData("/fields/complaint.location", "\"pseudonymize\"", "a location pseudonymized")]
    [InlineData("/fields/complaint.narrative", "\"pseudonymize\"", "a narrative pseudonymized")]
    [InlineData("/fields/complaint.status", "\"aggregateOnly\"", "a status counted in aggregates (demographics only)")]
    [InlineData("/fields/officer.birthYear", "\"aggregateOnly\"", "a birth year counted in aggregates")]
    [InlineData("/fields/officer.birthYear", """{ "action": "aggregateOnly", "to": "decade" }""", "a birth year counted by decade")]
    [InlineData("/fields/officer.fullName", "\"keep\"", "a rule on officer.fullName")]
    [InlineData("/fields/complainant.fullName", "\"drop\"", "a rule on complainant.fullName")]
    [InlineData("/fields/officer.lastName", "null", "a null rule")]
    [InlineData("/fields/complaint.receivedDate", "\"pseudonymize\"", "a date pseudonymized")]
    [InlineData("/fields/complaint.receivedDate", "\"generalize\"", "generalize without \"to\"")]
    [InlineData("/fields/complaint.receivedDate", """{ "action": "generalize", "to": "decade" }""", "a date generalized to a decade")]
    [InlineData("/fields/complaint.location", """{ "action": "generalize", "to": "month" }""", "a location generalized to a month")]
    [InlineData("/fields/complaint.location", """{ "action": "generalize", "to": "street" }""", "an unknown generalization")]
    [InlineData("/fields/complainant.age", """{ "action": "generalize", "to": "ageBand", "bands": [] }""", "no bands")]
    [InlineData("/fields/complainant.age", """{ "action": "generalize", "to": "ageBand", "bands": [-1, 18] }""", "a negative band")]
    [InlineData("/fields/complainant.age", """{ "action": "aggregateOnly", "bands": [18, 30] }""", "bands without \"to\"")]
    [InlineData("/fields/officer.race", """{ "action": "aggregateOnly", "to": "ageBand" }""", "race counted by age band")]
    [InlineData("/fields/officer.lastName", """{ "action": "keep", "to": "month" }""", "\"to\" on keep")]
    [InlineData("/fields/officer.lastName", "\"hide\"", "an unknown action")]
    [InlineData("/fields/officer.lastName", "1", "a rule that is a number")]
    [InlineData("/fields/officer.lastName", """{ "reason": "no action" }""", "a rule object without action")]
    [InlineData("/default", "\"scrub\"", "a default other than keep or drop")]
    [InlineData("/default", """{ "action": "generalize", "to": "month" }""", "a generalizing default")]
    [InlineData("/sensitivity/flags/0", "\"Domestic\"", "an unknown sensitivity flag")]
    [InlineData("/sensitivity/flags/0", "\"None\"", "the flag None")]
    [InlineData("/sensitivity/flags/0", "\"domesticViolence\"", "a flag in the wrong case")]
    [InlineData("/sensitivity/categories/0", "\" \"", "an empty category")]
    [InlineData("/sensitivity/flags", "[]", "no sensitivity flags")]
    [InlineData("/sensitivity/flags", "null", "null sensitivity flags")]
    [InlineData("/sensitivity", "null", "a null sensitivity section")]
    [InlineData("/finality", "null", "a null finality section")]
    [InlineData("/aggregation", "null", "a null aggregation section")]
    [InlineData("/scrubbing", "null", "a null scrubbing section")]
    [InlineData("/scrubbing/residualRisk", "\"drop\"", "an unknown residual-risk action")]
    [InlineData("/scrubbing/residualRisk", "\"Withhold\"", "a residual-risk action in the wrong case")]
    [InlineData("/scrubbing/officersNamedByRank", "true", "officers by rank that is not a string")]
    [InlineData("/scrubbing/unknown", "1", "an unknown scrubbing property")]
    [InlineData("/fields", "null", "null fields")]
    [InlineData("/default", "null", "a null default")]
    [InlineData("/finality/narratives", "\"final\"", "an unknown narrative finality")]
    [InlineData("/finality/narratives", "null", "a null narrative finality")]
    [InlineData("/finality/narratives", "true", "a narrative finality that is not a string")]
    [InlineData("/aggregation/k", "0", "k of 0")]
    [InlineData("/aggregation/k", "\"10\"", "k as a string")]
    [InlineData("/finality/findingsWhenClosed", "\"yes\"", "a finality flag that is not a boolean")]
    [InlineData("/pseudonymization/keySetting", "\" \"", "an empty key setting")]
    [InlineData("/pseudonymization/keySetting", "32", "a key setting that is not a string")]
    public void MalformedPolicy_FailsTheSchemaAndTheLoader(string pointer, string replacement, string what)
    {
        var policy = Inline();
        Set(policy, pointer, JsonNode.Parse(replacement));

        AssertInvalid(policy, what);
        Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated"));
    }

    [Theory]
    [InlineData("name")]
    [InlineData("fields")]
    [InlineData("pseudonymization")]
    public void MissingRequiredProperty_FailsTheSchemaAndTheLoader(string property)
    {
        var policy = Inline();
        policy.Remove(property);

        AssertInvalid(policy, $"no '{property}'");
        var error = Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated"));
        Assert.Contains(property, Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void CaseNumber_MustBeListedUnlessTheDefaultKeepsIt()
    {
        var policy = Inline();
        policy["fields"]!.AsObject().Remove("complaint.caseNumber");
        AssertInvalid(policy, "no rule for the case number and default drop");
        Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated"));

        policy.Remove("default");
        AssertInvalid(policy, "no rule for the case number and no default (drop)");
        Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated"));

        foreach (var keep in new[] { "\"keep\"", """{ "action": "keep", "reason": "everything is public" }""" })
        {
            policy["default"] = JsonNode.Parse(keep);
            AssertValid(policy, $"default {keep} without a rule for the case number");
            DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated");
        }
    }

    [Fact]
    public void BandsOnlyGoWithAgeBands_InTheSchema()
    {
        // The loader accepts (and ignores) bands on any generalization; the schema, which editors show, allows them
        // only where they mean something.
        var policy = Inline();
        Set(policy, "/fields/complaint.receivedDate", JsonNode.Parse("""{ "action": "generalize", "to": "month", "bands": [18] }"""));
        AssertInvalid(policy, "bands on a month");
    }

    // ---- the schema agrees with the loader, rule by rule ----------------------------------------------------------

    [Fact]
    public void SchemaAndLoader_AgreeOnEveryRuleForEveryField()
    {
        var disagreements = new List<string>();
        var tried = 0;
        foreach (var field in CanonicalFields.List)
        {
            foreach (var rule in CandidateRules())
            {
                var policy = Inline();
                var fields = new JsonObject { ["complaint.caseNumber"] = "keep" };
                fields[field.Path] = rule.DeepClone();
                policy["fields"] = fields;
                tried++;
                Compare(policy, $"{field.Path} ({field.Kind}): {rule.ToJsonString()}", disagreements);
            }
        }

        Assert.True(tried > 1000, $"only {tried} combinations tried");
        Assert.True(disagreements.Count == 0, $"the schema and the loader disagree on {disagreements.Count} of {tried} field rules:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", disagreements));
    }

    [Fact]
    public void SchemaAndLoader_AgreeOnTheDefault()
    {
        var disagreements = new List<string>();
        foreach (var rule in CandidateRules())
        {
            foreach (var listsCaseNumber in new[] { true, false })
            {
                var policy = Inline();
                policy["default"] = rule.DeepClone();
                if (!listsCaseNumber)
                {
                    policy["fields"]!.AsObject().Remove("complaint.caseNumber");
                }

                Compare(policy, $"default {rule.ToJsonString()}{(listsCaseNumber ? "" : ", case number not listed")}", disagreements);
            }
        }

        Assert.True(disagreements.Count == 0, "the schema and the loader disagree:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", disagreements));
    }

    [Fact]
    public void SchemaAndLoader_AgreeOnSensitivityFlags()
    {
        var disagreements = new List<string>();
        var candidates = Enum.GetNames<Model.Sensitivity>().Concat(["domesticViolence", "JUVENILE", "1", "Unknown", ""]);
        foreach (var flag in candidates)
        {
            var policy = Inline();
            policy["sensitivity"]!["flags"] = new JsonArray(flag);
            Compare(policy, $"flag '{flag}'", disagreements);
        }

        Assert.True(disagreements.Count == 0, "the schema and the loader disagree:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", disagreements));
    }

    [Fact]
    public void SchemaAndLoader_AgreeOnNarrativeFinality()
    {
        var disagreements = new List<string>();
        var candidates = Enum.GetNames<NarrativeDisclosure>().Select(Camel).Select(n => (JsonNode?)JsonValue.Create(n))
            .Concat([JsonValue.Create("final"), JsonValue.Create("never"), JsonValue.Create(""), JsonValue.Create(true), null]);
        foreach (var value in candidates)
        {
            var policy = Inline();
            policy["finality"]!["narratives"] = value?.DeepClone();
            Compare(policy, $"narratives {value?.ToJsonString() ?? "null"}", disagreements);
        }

        Assert.True(disagreements.Count == 0, "the schema and the loader disagree:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", disagreements));
    }

    [Fact]
    public void SchemaAndLoader_AgreeOnNarrativeFinality_NumbersAndLists()
    {
        var disagreements = new List<string>();
        foreach (var value in new JsonNode[] { JsonValue.Create(1), JsonValue.Create(7), JsonValue.Create("1"), JsonValue.Create("always, closed") })
        {
            var policy = Inline();
            policy["finality"]!["narratives"] = value;
            Compare(policy, $"narratives {value.ToJsonString()}", disagreements);
        }

        Assert.True(disagreements.Count == 0, "the schema and the loader disagree:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", disagreements));
    }

    /// <summary>Every action and generalization, as a name and as an object, with and without "to".</summary>
    private static IEnumerable<JsonNode> CandidateRules()
    {
        var actions = Enum.GetNames<FieldAction>().Select(Camel).ToList();
        var generalizations = Enum.GetNames<Generalization>().Select(Camel).ToList();
        foreach (var action in actions)
        {
            yield return JsonValue.Create(action);
            yield return new JsonObject { ["action"] = action };
            yield return new JsonObject { ["action"] = action, ["reason"] = "a reason" };
            foreach (var to in generalizations)
            {
                yield return new JsonObject { ["action"] = action, ["to"] = to };
            }

            yield return new JsonObject { ["action"] = action, ["to"] = "ageBand", ["bands"] = new JsonArray(18, 30) };
            yield return new JsonObject { ["action"] = action, ["bands"] = new JsonArray(18, 30) };
        }
    }

    private static void Compare(JsonObject policy, string what, List<string> disagreements)
    {
        var schemaErrors = Schema.Value.Validate(policy);
        var loaderError = Record.Exception(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "matrix"));
        if (loaderError is not (null or PolicyException))
        {
            disagreements.Add($"{what}: the loader throws {loaderError.GetType().Name} instead of a PolicyException: {loaderError.Message}");
        }
        else if (schemaErrors.Count == 0 && loaderError is not null)
        {
            disagreements.Add($"{what}: the schema accepts it, the loader says {string.Join(" / ", ((PolicyException)loaderError).Errors)}");
        }
        else if (schemaErrors.Count > 0 && loaderError is null)
        {
            disagreements.Add($"{what}: the loader accepts it, the schema says {string.Join(" / ", schemaErrors)}");
        }
    }

    // ---- the loader's messages are precise ------------------------------------------------------------------------

    [Fact]
    public void LoaderError_NarrativeGeneralizedToMonth_NamesTheFieldAndTheGeneralization()
    {
        var policy = Inline();
        Set(policy, "/fields/complaint.narrative", JsonNode.Parse("""{ "action": "generalize", "to": "month" }"""));

        var message = Assert.Single(Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated")).Errors);
        Assert.StartsWith("$.fields['complaint.narrative']: 'complaint.narrative' cannot be generalized to month", message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoaderError_NarrativeGeneralizedToMonth_NamesTheFieldsAMonthFits()
    {
        var policy = Inline();
        Set(policy, "/fields/complaint.narrative", JsonNode.Parse("""{ "action": "generalize", "to": "month" }"""));

        var message = Assert.Single(Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated")).Errors);
        foreach (var path in DatePaths)
        {
            Assert.Contains(path, message, StringComparison.Ordinal);
        }

        // A narrative's way to publish less is scrubbing.
        Assert.Contains("scrub", message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoaderError_LocationGeneralizedToMonth_NamesTheGeneralizationsThatFit()
    {
        var policy = Inline();
        Set(policy, "/fields/complaint.location", JsonNode.Parse("""{ "action": "generalize", "to": "month" }"""));

        var message = Assert.Single(Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated")).Errors);
        Assert.StartsWith("$.fields['complaint.location']: 'complaint.location' cannot be generalized to month", message, StringComparison.Ordinal);
        Assert.Contains("hundredBlock", message, StringComparison.Ordinal);
        Assert.Contains("precinct", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("officer.lastName", "keep, drop, pseudonymize")]
    [InlineData("officer.birthYear", "keep, drop, generalize")]
    [InlineData("complaint.status", "keep, drop")]
    [InlineData("complaint.receivedDate", "keep, drop, generalize")]
    public void LoaderError_AggregateOnlyOnAFieldThatCannotBeCounted_SaysWhatCan(string path, string alternatives)
    {
        var policy = Inline();
        Set(policy, $"/fields/{path}", "aggregateOnly");

        var message = Assert.Single(Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated")).Errors);
        Assert.Equal($"$.fields['{path}']: '{path}' cannot be counted in aggregates only (demographics: race, sex, age); it can be: {alternatives}", message);
    }

    [Theory]
    [InlineData("officer.fullName", "\"keep\"")]
    [InlineData("officer.fullName", "\"pseudonymize\"")]
    [InlineData("complainant.fullName", "\"drop\"")]
    [InlineData("complainant.fullName", """{ "action": "drop", "reason": "complainants' identities are private" }""")]
    public void LoaderError_RuleOnAFullName_SaysToRuleTheParts(string path, string rule)
    {
        var policy = Inline();
        Set(policy, $"/fields/{path}", JsonNode.Parse(rule));

        AssertInvalid(policy, $"a rule on {path}");
        var message = Assert.Single(Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated")).Errors);
        Assert.Equal($"$.fields['{path}']: '{path}' is split into first, middle and last name on import; give the rules to those fields", message);
    }

    [Theory]
    [InlineData("/sensitivity", "$: fields, default, sensitivity (flags, categories), finality, aggregation, scrubbing and identity (autoMerge) may be omitted but not null")]
    [InlineData("/sensitivity/categories", "$: fields, default, sensitivity (flags, categories), finality, aggregation, scrubbing and identity (autoMerge) may be omitted but not null")]
    [InlineData("/fields", "$: fields, default, sensitivity (flags, categories), finality, aggregation, scrubbing and identity (autoMerge) may be omitted but not null")]
    [InlineData("/fields/officer.lastName", "$.fields['officer.lastName']: the rule is null")]
    public void LoaderError_Null_IsOneClearMessage(string pointer, string expected)
    {
        var policy = Inline();
        Set(policy, pointer, null);

        AssertInvalid(policy, $"null at {pointer}");
        var message = Assert.Single(Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated")).Errors);
        Assert.Equal(expected, message);
    }

    [Fact]
    public void LoaderError_MissingPseudonymization_SaysWhatToWrite()
    {
        var policy = Inline();
        policy.Remove("pseudonymization");

        var message = Assert.Single(Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated")).Errors);
        Assert.StartsWith("$.pseudonymization: missing", message, StringComparison.Ordinal);
        Assert.Contains("\"keySetting\"", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/fields/complaint.caseNumber", "\"drop\"", "$.fields['complaint.caseNumber']: the case number joins a case's records; keep it or pseudonymize it")]
    [InlineData("/fields/complaint.status", "\"scrub\"", "$.fields['complaint.status']: 'complaint.status' cannot be scrubbed (only the narrative is free text to scrub); it can be: keep, drop")]
    [InlineData("/fields/officer.lastName", "\"scrub\"", "$.fields['officer.lastName']: 'officer.lastName' cannot be scrubbed (only the narrative is free text to scrub); it can be: keep, drop, pseudonymize")]
    [InlineData("/fields/complaint.receivedDate", "\"pseudonymize\"", "$.fields['complaint.receivedDate']: 'complaint.receivedDate' cannot be pseudonymized (identifiers and names only); it can be: keep, drop, generalize")]
    [InlineData("/fields/complaint.location", "\"pseudonymize\"", "$.fields['complaint.location']: 'complaint.location' cannot be pseudonymized (identifiers and names only); it can be: keep, drop, generalize")]
    [InlineData("/fields/officer.race", """{ "action": "aggregateOnly", "to": "ageBand" }""", "$.fields['officer.race']: 'officer.race' cannot be generalized to ageBand, which applies to complainant.birthDate, complainant.age; 'officer.race' can be: keep, drop, aggregateOnly")]
    [InlineData("/fields/complaint.location", """{ "action": "generalize", "to": "month" }""", "$.fields['complaint.location']: 'complaint.location' cannot be generalized to month, which applies to complaint.receivedDate, complaint.incidentDate, complaint.closedDate, allegation.disciplineDate, officer.badgeFrom, officer.badgeTo, officer.hireDate, complainant.birthDate; 'complaint.location' can be generalized to hundredBlock or precinct")]
    [InlineData("/fields/complaint.narrative", """{ "action": "generalize", "to": "month" }""", "$.fields['complaint.narrative']: 'complaint.narrative' cannot be generalized to month, which applies to complaint.receivedDate, complaint.incidentDate, complaint.closedDate, allegation.disciplineDate, officer.badgeFrom, officer.badgeTo, officer.hireDate, complainant.birthDate; 'complaint.narrative' can be: keep, drop, scrub")]
    [InlineData("/sensitivity/flags", "[]", "$.sensitivity.flags: empty; victim safety applies under every policy: list at least DomesticViolence, SexualAssault and Juvenile")]
    [InlineData("/fields/complaint.receivedDate", "\"generalize\"", "$.fields['complaint.receivedDate']: generalize needs \"to\" (hundredBlock, precinct, month, year, ageBand, decade)")]
    [InlineData("/fields/officer.lastName", """{ "action": "keep", "to": "month" }""", "$.fields['officer.lastName']: \"to\" and \"bands\" go with the generalize and aggregateOnly actions")]
    [InlineData("/fields/complainant.age", """{ "action": "generalize", "to": "ageBand", "bands": [30, 18] }""", "$.fields['complainant.age'].bands: the band bounds must be ascending, non-negative whole numbers")]
    [InlineData("/default", "\"scrub\"", "$.default: the default action is keep or drop")]
    [InlineData("/sensitivity/flags/0", "\"Domestic\"", "$.sensitivity.flags: unknown flag 'Domestic' (DomesticViolence, SexualAssault, SexualMisconduct, Juvenile, MentalHealth)")]
    [InlineData("/aggregation/k", "0", "$.aggregation.k: 0 is not a count; use 1 to publish every count, 10 is common")]
    [InlineData("/pseudonymization/keySetting", "\"\"", "$.pseudonymization.keySetting: the setting name is empty")]
    public void LoaderError_IsOneMessageNamingThePath(string pointer, string replacement, string expected)
    {
        var policy = Inline();
        Set(policy, pointer, JsonNode.Parse(replacement));

        var error = Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated"));
        Assert.Equal(expected, Assert.Single(error.Errors));
        Assert.Equal("mutated", error.Policy);
    }

    [Fact]
    public void LoaderError_UnknownField_SuggestsTheClosest()
    {
        var policy = Inline();
        policy["fields"]!["complaint.narative"] = "drop";

        var message = Assert.Single(Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated")).Errors);
        Assert.Equal("$.fields['complaint.narative']: unknown canonical field 'complaint.narative'; did you mean 'complaint.narrative'?", message);
    }

    [Fact]
    public void LoaderError_UnknownProperties_NameThePropertyAndThePath()
    {
        var policy = Inline();
        policy["sensitivty"] = new JsonObject();
        var message = Assert.Single(Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated")).Errors);
        Assert.Contains("'sensitivty'", message, StringComparison.Ordinal);
        Assert.Contains("at $.sensitivty", message, StringComparison.Ordinal);

        policy = Inline();
        policy["fields"]!["complaint.caseNumber"]!["why"] = "x";
        message = Assert.Single(Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated")).Errors);
        Assert.StartsWith("unknown field-rule property 'why' (allowed: action, to, bands, reason) at $.fields['complaint.caseNumber']", message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoaderError_EveryProblemIsReportedAtOnce()
    {
        var policy = Inline();
        Set(policy, "/fields/complaint.status", "scrub");
        Set(policy, "/fields/officer.lastName", "aggregateOnly");
        Set(policy, "/aggregation/k", 0);
        policy.Remove("pseudonymization");

        var error = Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated"));
        Assert.Equal(4, error.Errors.Count);
        Assert.Equal(4, Schema.Value.Validate(policy).Count);
    }

    // ---- the schema itself ----------------------------------------------------------------------------------------

    [Fact]
    public void Schema_IsDraft2020_12WithItsPublishedId()
    {
        using var document = LoadSchemaDocument();
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", document.RootElement.GetProperty("$schema").GetString());
        Assert.Equal("https://openconduct.example/schemas/policy.schema.json", document.RootElement.GetProperty("$id").GetString());
        Assert.False(document.RootElement.GetProperty("additionalProperties").GetBoolean());
    }

    [Fact]
    public void SchemaFieldPaths_EqualTheCanonicalFieldCatalog()
    {
        using var document = LoadSchemaDocument();
        var root = document.RootElement;
        var defs = root.GetProperty("$defs");
        var paths = CanonicalFields.List.Select(f => f.Path).ToList();

        Assert.Equal(paths, EnumOf(defs.GetProperty("fieldPath")));
        var fields = root.GetProperty("properties").GetProperty("fields");
        Assert.Equal("#/$defs/fieldPath", fields.GetProperty("propertyNames").GetProperty("$ref").GetString());
        Assert.Equal(paths, fields.GetProperty("properties").EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void SchemaNames_EqualTheModel()
    {
        using var document = LoadSchemaDocument();
        var root = document.RootElement;
        var defs = root.GetProperty("$defs");

        Assert.Equal(Enum.GetNames<FieldAction>().Select(Camel), EnumOf(defs.GetProperty("action")));
        Assert.Equal(Enum.GetNames<Generalization>().Select(Camel), EnumOf(defs.GetProperty("generalization")));
        Assert.Equal(
            Enum.GetNames<Model.Sensitivity>().Where(n => n != nameof(Model.Sensitivity.None)),
            EnumOf(root.GetProperty("properties").GetProperty("sensitivity").GetProperty("properties").GetProperty("flags").GetProperty("items")));

        Assert.Equal(
            Enum.GetNames<NarrativeDisclosure>().Select(Camel),
            EnumOf(root.GetProperty("properties").GetProperty("finality").GetProperty("properties").GetProperty("narratives")));

        // Every property of the policy model is in the schema, and nothing else.
        Assert.Equal(
            ["$schema", "aggregation", "authority", "default", "description", "fields", "finality", "identity", "name", "pseudonymization", "scrubbing", "sensitivity"],
            root.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(
            typeof(FinalityRule).GetProperties().Select(p => Camel(p.Name)).Order(StringComparer.Ordinal),
            root.GetProperty("properties").GetProperty("finality").GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(
            typeof(ScrubbingRule).GetProperties().Select(p => Camel(p.Name)).Order(StringComparer.Ordinal),
            root.GetProperty("properties").GetProperty("scrubbing").GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var identity = root.GetProperty("properties").GetProperty("identity").GetProperty("properties");
        Assert.Equal(
            typeof(IdentityPolicy).GetProperties().Where(p => p.GetMethod?.IsStatic == false).Select(p => Camel(p.Name)).Order(StringComparer.Ordinal),
            identity.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(IdentityPolicy.CandidateRules.Keys, EnumOf(identity.GetProperty("autoMerge").GetProperty("items")));
        var scrubbing = root.GetProperty("properties").GetProperty("scrubbing").GetProperty("properties");
        Assert.Equal(Enum.GetNames<ResidualRiskAction>().Select(Camel), EnumOf(scrubbing.GetProperty("residualRisk")));
        Assert.Equal(Enum.GetNames<OfficerMentions>().Select(Camel), EnumOf(scrubbing.GetProperty("officersNamedByRank")));
    }

    [Fact]
    public void Schema_DescribesEveryProperty()
    {
        using var document = LoadSchemaDocument();
        var missing = JsonSchemaValidator.PropertiesWithoutDescription(document.RootElement);
        Assert.True(missing.Count == 0, "properties without a description: " + string.Join(", ", missing));
    }

    [Fact]
    public void Validator_RefusesKeywordsItDoesNotImplement()
    {
        using var schema = JsonDocument.Parse("""{ "type": "object", "not": { "required": ["x"] } }""");
        using var instance = JsonDocument.Parse("{}");
        var error = Assert.Throws<NotSupportedException>(() => new JsonSchemaValidator(schema.RootElement).Validate(instance.RootElement));
        Assert.Contains("'not'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_ChecksMinimumAndMaximum()
    {
        using var schema = JsonDocument.Parse("""{ "type": "integer", "minimum": 1, "maximum": 3 }""");
        var validator = new JsonSchemaValidator(schema.RootElement);
        Assert.NotEmpty(validator.Validate(JsonNode.Parse("0")!));
        Assert.Empty(validator.Validate(JsonNode.Parse("1")!));
        Assert.Empty(validator.Validate(JsonNode.Parse("3")!));
        Assert.NotEmpty(validator.Validate(JsonNode.Parse("4")!));
    }

    // ---- docs/disclosure.md ---------------------------------------------------------------------------------------

    [Fact]
    public void DocsExamplePolicies_ValidateAndLoad()
    {
        var policies = DocsBlocks("example-policy");
        Assert.True(policies.Count >= 1, "docs/disclosure.md should hold an example policy (<!-- example-policy: name --> before a json block)");
        foreach (var (name, json) in policies)
        {
            AssertValid(JsonDocument.Parse(json).RootElement, $"docs example policy '{name}'");
            var exception = Record.Exception(() => DisclosurePolicyLoader.Parse(json, name));
            Assert.True(exception is null, $"docs example policy '{name}' does not load: {exception?.Message}");
        }
    }

    [Fact]
    public void DocsFieldTable_ListsEveryCanonicalField()
    {
        var text = File.ReadAllText(DocsPath());
        var missing = CanonicalFields.List.Where(f => !text.Contains($"| `{f.Path}` |", StringComparison.Ordinal)).Select(f => f.Path).ToList();
        Assert.True(missing.Count == 0, "docs/disclosure.md has no table row for: " + string.Join(", ", missing));
    }

    [Theory]
    [InlineData("/fields/complaint.location", """{ "action": "generalize", "to": "month" }""")]
    [InlineData("/fields/complaint.narrative", """{ "action": "generalize", "to": "month" }""")]
    [InlineData("/fields/complaint.receivedDate", "\"generalize\"")]
    [InlineData("/fields/officer.lastName", """{ "action": "keep", "to": "month" }""")]
    [InlineData("/fields/complainant.age", """{ "action": "generalize", "to": "ageBand", "bands": [30, 18] }""")]
    [InlineData("/fields/complaint.status", "\"scrub\"")]
    [InlineData("/fields/complaint.receivedDate", "\"pseudonymize\"")]
    [InlineData("/fields/officer.lastName", "\"aggregateOnly\"")]
    [InlineData("/fields/complaint.caseNumber", "\"drop\"")]
    [InlineData("/fields/officer.birthYear", "\"aggregateOnly\"")]
    [InlineData("/fields/officer.fullName", "\"keep\"")]
    [InlineData("/fields/officer.lastName", "null")]
    [InlineData("/sensitivity", "null")]
    [InlineData("/sensitivity/flags", "[]")]
    [InlineData("/default", "\"scrub\"")]
    [InlineData("/sensitivity/flags/0", "\"Domestic\"")]
    [InlineData("/sensitivity/categories/0", "\"\"")]
    [InlineData("/aggregation/k", "0")]
    [InlineData("/pseudonymization/keySetting", "\"\"")]
    [InlineData("/pseudonymization", null)]
    [InlineData("/identity", """{ "autoMerge": ["nameAndHire"] }""")]
    [InlineData("/identity", """{ "autoMerge": ["badgeAndName"] }""")]
    [InlineData("/identity", """{ "autoMerge": ["nameAndHireDate"] }""")]
    [InlineData("/identity", "null")]
    public void DocsErrorCatalogue_QuotesTheLoadersMessages(string pointer, string? replacement)
    {
        var policy = Inline();
        if (replacement is null)
        {
            policy.Remove(pointer.TrimStart('/'));
        }
        else
        {
            Set(policy, pointer, JsonNode.Parse(replacement));
        }

        var message = Assert.Single(Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated")).Errors);
        Assert.True(File.ReadAllText(DocsPath()).Contains($"`{message}`", StringComparison.Ordinal), $"docs/disclosure.md's error catalogue does not quote: {message}");
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private static JsonObject Inline() => JsonNode.Parse(InlinePolicy)!.AsObject();

    private static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

    private static void AssertValid(JsonElement policy, string what)
    {
        var errors = Schema.Value.Validate(policy);
        Assert.True(errors.Count == 0, $"{what} does not validate against policy.schema.json:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
    }

    private static void AssertValid(JsonObject policy, string what)
    {
        using var document = JsonDocument.Parse(policy.ToJsonString());
        AssertValid(document.RootElement, what);
    }

    private static void AssertInvalid(JsonObject policy, string what) =>
        Assert.True(Schema.Value.Validate(policy).Count > 0, $"policy.schema.json accepts a policy with {what}");

    private static JsonDocument ParsePolicyFile(string path) =>
        // The loader allows comments and trailing commas; so does this check.
        JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

    private static JsonDocument LoadSchemaDocument()
    {
        Assert.True(File.Exists(SchemaPath), $"the schema is not in the test output: {SchemaPath} (it is copied from samples/policies/)");
        return JsonDocument.Parse(File.ReadAllText(SchemaPath));
    }

    private static IEnumerable<string> EnumOf(JsonElement schema) =>
        schema.GetProperty("enum").EnumerateArray().Select(e => e.GetString()!);

    private static JsonNode Get(JsonNode root, string pointer) => JsonPointer.Get(root, pointer);

    private static void Set(JsonNode root, string pointer, JsonNode? value) => JsonPointer.Set(root, pointer, value);

    private static Dictionary<string, string> DocsBlocks(string kind) => DocsFile.Blocks("disclosure.md", kind);

    private static string DocsPath() => DocsFile.PathOf("disclosure.md");
}
