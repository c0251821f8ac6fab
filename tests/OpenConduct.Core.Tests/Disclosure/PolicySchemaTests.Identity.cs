using System.Text.Json.Nodes;
using OpenConduct.Core.Disclosure;

namespace OpenConduct.Core.Tests.Disclosure;

/// <summary>The policy's <c>identity</c> section: the candidate rules a policy merges automatically (docs/officers.md#candidate-rules).</summary>
public sealed partial class PolicySchemaTests
{
    [Fact]
    public void Identity_IsOffByDefault()
    {
        var minnesota = DisclosurePolicyLoader.LoadFile(Path.Combine(PoliciesDirectory, "minnesota.json"));
        Assert.Empty(minnesota.Identity.AutoMerge);
        Assert.Empty(DisclosurePolicyLoader.Parse(InlinePolicy, "inline").Identity.AutoMerge);
    }

    [Theory]
    [InlineData("""["nameAndHireDate"]""")]
    [InlineData("""["nameUnitYears", "nameAndHireDate"]""")]
    [InlineData("[]")]
    public void Identity_AutoMerge_ValidatesAndLoads(string autoMerge)
    {
        var policy = Minnesota();
        policy["identity"] = JsonNode.Parse($$"""{ "autoMerge": {{autoMerge}} }""");

        AssertValid(policy, $"identity.autoMerge {autoMerge}");
        var loaded = DisclosurePolicyLoader.Parse(policy.ToJsonString(), "minnesota with identity");
        Assert.Equal(JsonNode.Parse(autoMerge)!.AsArray().Select(n => n!.GetValue<string>()), loaded.Identity.AutoMerge);
    }

    [Theory]
    [InlineData("""{ "autoMerge": ["nameAndHire"] }""", "$.identity.autoMerge[0]: 'nameAndHire' is not a candidate identity rule (nameAndHireDate, nameUnitYears)")]
    [InlineData("""{ "autoMerge": ["badgeAndName"] }""", "$.identity.autoMerge[0]: 'badgeAndName' always merges; autoMerge lists candidate rules only (nameAndHireDate, nameUnitYears)")]
    [InlineData("""{ "autoMerge": ["nameAndHireDate", "nameAndHireDate"] }""", "$.identity.autoMerge[1]: 'nameAndHireDate' is listed twice")]
    [InlineData("""{ "autoMerge": null }""", "$: fields, default, sensitivity (flags, categories), finality, aggregation, scrubbing and identity (autoMerge) may be omitted but not null")]
    public void Identity_Mistakes_FailTheSchemaAndTheLoader(string identity, string expected)
    {
        var policy = Minnesota();
        policy["identity"] = JsonNode.Parse(identity);

        AssertInvalid(policy, identity);

        var error = Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated"));
        Assert.Equal(expected, Assert.Single(error.Errors));
        Assert.True(File.ReadAllText(DocsPath()).Contains($"`{expected}`", StringComparison.Ordinal), $"docs/disclosure.md's error catalogue does not quote: {expected}");
    }

    [Fact]
    public void Identity_UnknownProperty_FailsTheSchemaAndTheLoader()
    {
        var policy = Minnesota();
        policy["identity"] = JsonNode.Parse("""{ "automerge": ["nameAndHireDate"] }""");

        AssertInvalid(policy, "identity.automerge");
        var error = Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated"));
        Assert.Contains("'automerge'", Assert.Single(error.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nameAndHireDate", "officer.hireDate", "\"drop\"", "$.identity.autoMerge[0]: 'nameAndHireDate' compares officer.firstName, officer.lastName, officer.hireDate, but the policy does not publish officer.hireDate: the rule could never match")]
    [InlineData("nameAndHireDate", "officer.lastName", "\"pseudonymize\"", "$.identity.autoMerge[0]: 'nameAndHireDate' compares officer.firstName, officer.lastName, officer.hireDate, but the policy pseudonymizes officer.lastName: the rule could never match")]
    [InlineData("nameUnitYears", "officer.unit", "\"drop\"", "$.identity.autoMerge[0]: 'nameUnitYears' compares officer.firstName, officer.lastName, officer.unit, complaint.receivedDate, but the policy does not publish officer.unit: the rule could never match")]
    [InlineData("nameUnitYears", "complaint.receivedDate", """{ "action": "generalize", "to": "year" }""", null)]
    [InlineData("nameAndHireDate", "officer.hireDate", """{ "action": "generalize", "to": "month" }""", null)]
    public void Identity_ARuleNeedsWhatItCompares(string rule, string field, string fieldRule, string? expected)
    {
        // The schema cannot relate the two sections; the loader does.
        var policy = Minnesota();
        policy["identity"] = JsonNode.Parse($$"""{ "autoMerge": ["{{rule}}"] }""");
        policy["fields"]![field] = JsonNode.Parse(fieldRule);

        AssertValid(policy, $"{rule} with {field} {fieldRule}");
        if (expected is null)
        {
            Assert.Equal([rule], DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated").Identity.AutoMerge);
        }
        else
        {
            var error = Assert.Throws<PolicyException>(() => DisclosurePolicyLoader.Parse(policy.ToJsonString(), "mutated"));
            Assert.Equal(expected, Assert.Single(error.Errors));
        }
    }

    private static JsonObject Minnesota() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(PoliciesDirectory, "minnesota.json")), documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
}
