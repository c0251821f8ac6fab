using OpenConduct.Core.Officers;

namespace OpenConduct.Core.Tests.Officers;

/// <summary>The overrides file: strict loading, every problem with its location, contradictory decisions, the sample.</summary>
public sealed class IdentityOverridesTests
{
    [Fact]
    public void A_valid_file_loads_with_comments_and_trailing_commas()
    {
        var overrides = IdentityOverrides.Parse("""
            {
              // decisions of the review office
              "same": [
                { "officers": ["opcr:o-9ecaf2abcd4a80d7b150", "IAU:o-0123456789abcdef0123"], "note": "personnel file 2019-044" },
              ],
              "different": [
                { "officers": ["OPCR:o-1", "CRA:o-2", "IAU:o-3"] }
              ]
            }
            """);

        var same = Assert.Single(overrides.Same);
        Assert.Equal([new OfficerSourceRef("opcr", "o-9ecaf2abcd4a80d7b150"), new OfficerSourceRef("IAU", "o-0123456789abcdef0123")], same.Officers);
        Assert.Equal("personnel file 2019-044", same.Note);
        Assert.Equal("$.same[0]", same.Location);
        var different = Assert.Single(overrides.Different);
        Assert.Equal(3, different.Officers.Count);
        Assert.Null(different.Note);
        Assert.Equal("$.different[0]", different.Location);
    }

    [Fact]
    public void An_empty_file_has_no_decisions()
    {
        var overrides = IdentityOverrides.Parse("{}");
        Assert.Empty(overrides.Same);
        Assert.Empty(overrides.Different);
    }

    [Fact]
    public void Every_problem_is_listed_with_its_location()
    {
        var ex = Assert.Throws<IdentityOverridesException>(() => IdentityOverrides.Parse("""
            {
              "same": [
                { "officers": ["OPCR:o-1"] },
                { "officers": ["OPCR o-1", "IAU:"] },
                null,
                { "officers": ["OPCR:o-1", "opcr:o-1"] },
                { "note": "no officers" }
              ],
              "different": [
                { "officers": [":o-1", "IAU:o-2"] }
              ]
            }
            """, "overrides.json"));

        Assert.Equal("overrides.json", ex.File);
        Assert.Equal(
        [
            "$.same[0].officers: an entry names at least two officers (1 given)",
            "$.same[1].officers[0]: 'OPCR o-1' is not an officer reference {source}:{officerRef} (e.g. OPCR:o-9ecaf2abcd4a80d7b150)",
            "$.same[1].officers[1]: 'IAU:' is not an officer reference {source}:{officerRef} (e.g. OPCR:o-9ecaf2abcd4a80d7b150)",
            "$.same[2]: an entry is null",
            "$.same[3].officers[1]: 'opcr:o-1' is listed twice in the entry",
            "$.same[4].officers: the officers are missing",
            "$.different[0].officers[0]: ':o-1' is not an officer reference {source}:{officerRef} (e.g. OPCR:o-9ecaf2abcd4a80d7b150)",
        ],
            ex.Errors);
        Assert.Contains("$.same[2]: an entry is null", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "same": [], "sam": [] }""", "'sam'", "$.sam")]
    [InlineData("""{ "same": [ { "officers": ["A:o-1", "B:o-2"], "notes": "x" } ] }""", "'notes'", "$.same[0].notes")]
    [InlineData("""{ "same": [ { "officers": "A:o-1" } ] }""", "could not be converted", "$.same[0].officers")]
    [InlineData("{ \"same\": [\n  { \"officers\": [\"A:o-1\" \"B:o-2\"] } ] }", "(line 2, column", "$.same[0].officers[1]")]
    [InlineData("null", "(null)", "")]
    public void Malformed_json_and_unknown_properties_are_errors_with_their_location(string json, string message, string location)
    {
        var ex = Assert.Throws<IdentityOverridesException>(() => IdentityOverrides.Parse(json));
        var error = Assert.Single(ex.Errors);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Contains(location, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Contradictory_decisions_are_an_error()
    {
        // OPCR:o-1 = IAU:o-2 and IAU:o-2 = CRA:o-3 (two entries), so OPCR:o-1 = CRA:o-3: "different" cannot hold.
        var ex = Assert.Throws<IdentityOverridesException>(() => IdentityOverrides.Parse("""
            {
              "same": [
                { "officers": ["OPCR:o-1", "IAU:o-2"] },
                { "officers": ["iau:o-2", "CRA:o-3"] }
              ],
              "different": [
                { "officers": ["CRA:o-3", "OPCR:o-9"] },
                { "officers": ["OPCR:o-1", "CRA:o-3"] }
              ]
            }
            """));

        Assert.Equal(
            ["$.different[1]: OPCR:o-1 and CRA:o-3 are declared the same officer by $.same[0], $.same[1]; an officer cannot be different from itself"],
            ex.Errors);
    }

    [Fact]
    public void A_missing_file_is_an_error()
    {
        var ex = Assert.Throws<IdentityOverridesException>(() => IdentityOverrides.Load(Path.Combine(Path.GetTempPath(), "no-such-overrides-" + Guid.NewGuid().ToString("N") + ".json")));
        Assert.StartsWith("the file does not exist", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void The_sample_overrides_file_loads()
    {
        var path = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(DocsFile.PathOf("officers.md")))!, "samples", "identity-overrides.json");
        var overrides = IdentityOverrides.Load(path);
        Assert.Empty(overrides.Same);
        Assert.Empty(overrides.Different);
    }
}
