using System.Net;
using System.Text.Json;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>The OPCR sample under Minnesota and the CCRB-shaped sample under New York, ingested into one release folder and served.</summary>
public sealed class NewYorkServer : ServedReleases
{
    protected override Task PrepareAsync()
    {
        IngestSample("opcr", "minnesota");
        IngestSample("ccrb", "new-york");
        return Task.CompletedTask;
    }
}

/// <summary>
/// Recommended versus final over HTTP on the running server: under New York (samples/policies/new-york.json) an
/// officer's history, the case status and the recommended-vs-final dashboard show the review board's recommendation
/// beside the department's final penalty; under Minnesota none of them carries a recommendation.
/// </summary>
public sealed class NewYorkApiTests(NewYorkServer server) : IClassFixture<NewYorkServer>
{
    private static readonly string[] RecommendationProperties = ["recommendedFinding", "recommendedDiscipline", "recommendedDisciplineText", "recommendedDisciplineDays", "imposedDisciplineText"];

    /// <summary>The CCRB sample's penalty rows: Complaint Id, Tax ID (floats trimmed), Board recommendation, NYPD penalty.</summary>
    private static List<(string Case, string TaxId, string Recommended, string Penalty)> Penalties() =>
        [.. File.ReadLines(Path.Combine(Repo, "samples", "exports", "ccrb", "penalties.csv")).Skip(1).Select(l => l.Split(','))
            .Select(p => (p[1], p[2].EndsWith(".0", StringComparison.Ordinal) ? p[2][..^2] : p[2], p[3], p[9]))];

    /// <summary>The live officer document whose employee ids include this Tax ID.</summary>
    private JsonElement OfficerWith(string taxId) =>
        OfficerDocuments(server.Releases).Single(o => o.GetProperty("employeeIds").EnumerateArray().Any(e => e.GetString() == taxId) && o.GetProperty("sourceRefs").EnumerateArray().Any(r => string.Equals(r.GetProperty("source").GetString(), "CCRB", StringComparison.Ordinal)));

    [Fact]
    public async Task A_ccrb_officers_history_shows_the_recommendation_beside_the_final_penalty()
    {
        // A penalty of forfeited days, alone on its officer and complaint.
        var penalties = Penalties();
        var penalty = penalties.First(p => p.Penalty.StartsWith("Forfeit vacation ", StringComparison.Ordinal) && penalties.Count(q => q.Case == p.Case && q.TaxId == p.TaxId) == 1);
        var id = OfficerWith(penalty.TaxId).GetProperty("id").GetString()!;
        var officer = await server.JsonAsync($"/api/officers/{id}");

        var complaint = officer.GetProperty("complaints").EnumerateArray().Single(c => c.GetProperty("caseNumber").GetString() == penalty.Case);
        Assert.Equal("CCRB", complaint.GetProperty("source").GetString());   // the profile's source name
        var sustained = complaint.GetProperty("allegations").EnumerateArray().Where(a => a.TryGetProperty("finalFinding", out var f) && f.GetString() == "Sustained").ToList();
        Assert.NotEmpty(sustained);
        var days = int.Parse(penalty.Penalty.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        foreach (var a in sustained)
        {
            // The recommendation in the source's words, beside the final penalty in the source's words.
            Assert.False(string.IsNullOrEmpty(a.GetProperty("recommendedDisciplineText").GetString()));
            Assert.Equal(penalty.Penalty, a.GetProperty("imposedDisciplineText").GetString());
            Assert.Equal("Suspension", a.GetProperty("imposedDiscipline").GetString());
            Assert.Equal(days, a.GetProperty("imposedDisciplineDays").GetInt32());
            Assert.True(a.GetProperty("disciplineFinal").GetBoolean());
        }

        // Where the Board recommended Command Discipline B for the allegation, the history says so.
        Assert.Contains(sustained, a => a.GetProperty("recommendedDisciplineText").GetString() is "Instructions" or "Formalized Training" or "Command Discipline A" or "Command Discipline B" or "Charges");

        // An allegation that was not sustained carries no penalty.
        Assert.All(complaint.GetProperty("allegations").EnumerateArray().Where(a => !sustained.Contains(a)), a => Assert.False(a.TryGetProperty("imposedDisciplineText", out _)));
    }

    [Fact]
    public async Task A_recommendation_is_public_while_its_penalty_is_pending()
    {
        var pending = Penalties().First(p => p.Penalty.Length == 0);
        var id = OfficerWith(pending.TaxId).GetProperty("id").GetString()!;
        var officer = await server.JsonAsync($"/api/officers/{id}");
        var complaint = officer.GetProperty("complaints").EnumerateArray().Single(c => c.GetProperty("caseNumber").GetString() == pending.Case);
        var recommended = complaint.GetProperty("allegations").EnumerateArray().Where(a => a.TryGetProperty("recommendedDisciplineText", out _)).ToList();
        Assert.NotEmpty(recommended);
        Assert.All(recommended, a =>
        {
            Assert.False(a.TryGetProperty("imposedDiscipline", out _));
            Assert.False(a.TryGetProperty("imposedDisciplineText", out _));
        });

        // The case status says the same: a recommendation without a final discipline.
        var status = await server.JsonAsync($"/api/complaints/{pending.Case}");
        var allegations = status.GetProperty("complaints").EnumerateArray().Single(c => c.GetProperty("source").GetString() == "CCRB").GetProperty("allegations").EnumerateArray().ToList();
        Assert.Contains(allegations, a => a.TryGetProperty("recommendedDiscipline", out var r) && !string.IsNullOrEmpty(r.GetString()) && !a.TryGetProperty("imposedDiscipline", out _));
    }

    [Fact]
    public async Task The_case_status_of_a_decided_penalty_shows_recommended_and_final()
    {
        var penalties = Penalties();
        var decided = penalties.First(p => p.Penalty.StartsWith("Forfeit vacation ", StringComparison.Ordinal) && penalties.Count(q => q.Case == p.Case) == 1);
        var status = await server.JsonAsync($"/api/complaints/{decided.Case}");
        var allegations = status.GetProperty("complaints").EnumerateArray().Single().GetProperty("allegations").EnumerateArray().ToList();
        var withPenalty = allegations.Where(a => a.TryGetProperty("imposedDisciplineText", out _)).ToList();
        Assert.NotEmpty(withPenalty);
        Assert.All(withPenalty, a =>
        {
            Assert.Equal(decided.Penalty, a.GetProperty("imposedDisciplineText").GetString());
            Assert.False(string.IsNullOrEmpty(a.GetProperty("recommendedDiscipline").GetString()));
            Assert.Equal("Sustained", a.GetProperty("finalFinding").GetString());
        });
    }

    [Fact]
    public async Task Under_minnesota_no_history_or_case_status_carries_a_recommendation()
    {
        var opcr = OfficerDocuments(server.Releases).Where(o => o.GetProperty("sourceRefs").EnumerateArray().All(r => string.Equals(r.GetProperty("source").GetString(), "OPCR", StringComparison.Ordinal))).Take(25).ToList();
        Assert.NotEmpty(opcr);
        foreach (var document in opcr)
        {
            var text = (await server.JsonAsync($"/api/officers/{document.GetProperty("id").GetString()}")).GetRawText();
            Assert.DoesNotContain("\"recommended", text, StringComparison.Ordinal);
            Assert.DoesNotContain("imposedDisciplineText", text, StringComparison.Ordinal);
        }

        // The OPCR export has recommended findings and discipline; Minnesota withholds them from the case status too.
        var cases = ReadJsonLines(Path.Combine(server.Releases, "opcr", Latest(Path.Combine(server.Releases, "opcr")), "records", "cases.jsonl.gz"));
        foreach (var number in cases.Select(c => c.GetProperty("complaint").GetProperty("caseNumber").GetString()!).Take(25))
        {
            var text = (await server.JsonAsync($"/api/complaints/{number}")).GetRawText();
            Assert.DoesNotContain("\"recommended", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_dashboard_counts_new_yorks_recommendations_against_the_final_discipline_and_nothing_of_minnesota()
    {
        using var response = await server.Http.GetAsync("/api/dashboards/recommended-vs-final");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var d = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("recommendedDiscipline", d.GetProperty("rows").GetProperty("dimension").GetString());
        Assert.Equal("discipline", d.GetProperty("columns").GetProperty("dimension").GetString());
        Assert.Equal(68, d.GetProperty("total").GetInt64());   // the CCRB sample's substantiated allegations; none of the OPCR's 360
        Assert.Contains(d.GetProperty("notes").EnumerateArray(), n => n.GetString()!.Contains("publishes recommendations, are counted (ccrb)", StringComparison.Ordinal));
        for (var r = 0; r < d.GetProperty("cells").GetArrayLength(); r++)
        {
            Assert.All(d.GetProperty("cells")[r].EnumerateArray(), v => Assert.True(v.ValueKind == JsonValueKind.Null || v.GetInt64() is 0 or >= 10, $"row {r}: {v}"));
        }

        var rows = d.GetProperty("rows").GetProperty("values").EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.DoesNotContain("Unknown", rows);   // an allegation without a recommendation is in no row
        Assert.Contains("Other", rows);

        var opcr = await server.JsonAsync("/api/dashboards/recommended-vs-final?source=opcr");
        Assert.Equal(0, opcr.GetProperty("total").GetInt64());
        var catalog = await server.JsonAsync("/api/dashboards");
        Assert.Contains(catalog.GetProperty("dashboards").EnumerateArray(), x => x.GetProperty("name").GetString() == "recommended-vs-final");
        var discipline = await server.JsonAsync("/api/dashboards/discipline-outcomes");
        Assert.Equal(680, discipline.GetProperty("total").GetInt64());   // every allegation of both
    }
}
