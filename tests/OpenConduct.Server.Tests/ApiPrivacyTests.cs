using System.IO.Compression;
using System.Text;
using System.Text.Json;
using OpenConduct.Samples;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>
/// The privacy canary over the API: the three exports generated with a unique canary in every private field and
/// narrative (and the CCRB-shaped export, its complainants' names, addresses, phones and dates of birth canaries, under
/// the New York policy) are ingested, served, and every officer's history, every case lookup, the searches for the canaries
/// themselves, the releases list, health, the OpenAPI document and the API reference page are searched for the
/// canaries. The Functions app's HTTP functions answer byte for byte as this server does for the same release
/// (tests/OpenConduct.Functions.Tests, ParityTests), so this covers them too.
/// </summary>
public sealed class ApiPrivacyTests
{
    /// <summary>The exports and the policy each is released under.</summary>
    private static readonly (string Source, string Policy)[] Sources = [("opcr", "minnesota"), ("iau", "minnesota"), ("cra", "minnesota"), ("ccrb", "new-york")];

    [Fact]
    public async Task No_canary_reaches_any_api_response()
    {
        using var folder = new TempFolder();
        var options = new SyntheticExportOptions { Seed = 5, RosterSeed = 1991, Allegations = 300, Canaries = true };
        var exports = SyntheticExports.WriteAll(Path.Combine(folder.Path, "exports"), options);

        // The CCRB-shaped export under the New York policy, which publishes recommendations but never complainants.
        var ccrb = SyntheticExports.WriteCcrb(Path.Combine(folder.Path, "exports", "ccrb"), options);
        Assert.NotEmpty(ccrb.Canaries);
        var canaries = exports.Append(ccrb).SelectMany(e => e.Canaries).Distinct(StringComparer.Ordinal).ToList();
        var releases = Path.Combine(folder.Path, "releases");
        var index = Path.Combine(folder.Path, "index");
        foreach (var (source, policy) in Sources)
        {
            var (exit, text) = RunWith(PseudonymKey, "ingest", "--profile", $"samples/profiles/{source}.json", "--policy", $"samples/policies/{policy}.json", Path.Combine(folder.Path, "exports", source), "--out", releases, "--index", index);
            Assert.True(exit == 0, text);
        }

        // Successful requests are logged at Debug: turned on here, so that every line the request log can write is checked.
        using var server = await ApiServer.StartAsync(
            ["serve", "--releases", releases, "--index", index, "--rate-limit", "0"],
            new Dictionary<string, string> { ["Logging__LogLevel__OpenConduct.Requests"] = "Debug" });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var responses = new StringBuilder();
        async Task Get(string path) => responses.Append(await (await http.GetAsync(path)).Content.ReadAsStringAsync()).Append('\n');

        await Get("/api/health");
        await Get("/api/openapi.json");
        await Get("/api/docs");
        await Get("/api/releases/latest");
        await Get("/api/datasets");
        await Get("/api/data.json");
        await Get("/api/changes");
        await Get("/api/changes?since=2000-01-01");
        foreach (var name in JsonDocument.Parse(await http.GetStringAsync("/api/datasets")).RootElement.GetProperty("datasets").EnumerateArray().Select(d => d.GetProperty("name").GetString()!))
        {
            await Get($"/api/datasets/{name}.csv");
            await Get($"/api/datasets/{name}.json");
        }

        // Every artefact of every live release, the gzipped records decompressed so that the search sees their text.
        async Task GetGzip(string path)
        {
            await using var gzip = new GZipStream(await http.GetStreamAsync(path), CompressionMode.Decompress);
            responses.Append(await new StreamReader(gzip).ReadToEndAsync()).Append('\n');
        }

        foreach (var (source, _) in Sources)
        {
            var live = Latest(Path.Combine(releases, source));
            await Get($"/api/releases/{source}/{live}/manifest.json");
            foreach (var path in JsonDocument.Parse(File.ReadAllText(Path.Combine(releases, source, live, "manifest.json"))).RootElement.GetProperty("artefacts").EnumerateArray().Select(a => a.GetProperty("path").GetString()!))
            {
                await (path.EndsWith(".gz", StringComparison.Ordinal) ? GetGzip($"/api/releases/{source}/{live}/{path}") : Get($"/api/releases/{source}/{live}/{path}"));
            }
        }

        foreach (var id in OfficerDocuments(releases).Select(o => o.GetProperty("id").GetString()!))
        {
            await Get($"/api/officers/{id}");
        }

        // Searches that find officers: every field of a result (sources, complaint years, employee ids, badges) is scanned.
        foreach (var officer in OfficerDocuments(releases).Take(60))
        {
            await Get($"/api/officers?q={Uri.EscapeDataString(officer.GetProperty("displayName").GetString()!)}");
            if (officer.TryGetProperty("badges", out var badges) && badges.GetArrayLength() > 0)
            {
                await Get($"/api/officers?badge={Uri.EscapeDataString(badges[0].GetString()!)}");
            }
        }

        Assert.Contains("\"sources\":[", responses.ToString(), StringComparison.Ordinal); // the searches found officers

        var caseNumbers = Directory.GetFiles(releases, "cases.jsonl.gz", SearchOption.AllDirectories)
            .SelectMany(ReadJsonLines).Select(c => c.GetProperty("complaint").GetProperty("caseNumber").GetString()!).Distinct().ToList();
        foreach (var caseNumber in caseNumbers)
        {
            await Get($"/api/complaints/{Uri.EscapeDataString(caseNumber)}");
        }

        foreach (var canary in canaries.Take(100))
        {
            await Get($"/api/officers?q={Uri.EscapeDataString(canary)}");
        }

        // Every dashboard, unfiltered and drilled down (demographics held for counts only, cells under k, hundred blocks).
        await Get("/api/dashboards");
        foreach (var dashboard in OpenConduct.Core.Dashboards.DashboardDefinitions.All.Select(d => d.Name))
        {
            await Get($"/api/dashboards/{dashboard}");
            await Get($"/api/dashboards/{dashboard}?precinct=3&status=Closed");
            await Get($"/api/dashboards/{dashboard}?complainantRace=Black&year=2020");
            await Get($"/api/dashboards/{dashboard}?officerSex=Female&category=UseOfForce&complainantAgeBand=25-34");
        }

        await Get("/api/dashboards/demographics?by=complainantAgeBand&precinct=2");
        await Get("/api/dashboards/demographics?by=officerRace&finding=Sustained");
        await Get("/api/dashboards/complaints-over-time?interval=month&year=2021");
        await Get("/api/dashboards/intake-decisions?interval=month&complainantSex=Female");
        await Get("/api/dashboards/allegations-map?category=Conduct");
        await Get("/api/dashboards/timeliness?days=366%2B&source=opcr");
        await Get("/api/dashboards/timelines?to=discipline&source=opcr");
        await Get("/api/dashboards/timelines?to=closed&precinct=2&category=UseOfForce");
        await Get("/api/dashboards/recommended-vs-final?source=ccrb&complainantRace=Black");
        await Get("/api/dashboards/demographics?recommendedDiscipline=Other&by=complainantSex");

        var published = responses.ToString();
        Assert.True(canaries.Count > 300, $"only {canaries.Count} canaries were seeded");
        Assert.True(caseNumbers.Count > 200, $"only {caseNumbers.Count} cases");
        var leaked = canaries.Where(c => published.Contains(c, StringComparison.OrdinalIgnoreCase)).Take(10).ToList();
        Assert.True(leaked.Count == 0, "canaries in API responses: " + string.Join(", ", leaked));
        Assert.Contains("\"complaints\"", published, StringComparison.Ordinal);
        Assert.Contains("\"displayName\"", published, StringComparison.Ordinal);
        Assert.Contains("\"dcat:Catalog\"", published, StringComparison.Ordinal); // the datasets, the catalog, the change feed and the artefacts were served
        Assert.Contains("source,case_number,", published, StringComparison.Ordinal);
        Assert.Contains("{\"complaint\":{", published, StringComparison.Ordinal);
        Assert.Contains("\"newComplaints\"", published, StringComparison.Ordinal);
        Assert.Contains("\"dashboards\":[{\"name\":\"allegations-map\"", published, StringComparison.Ordinal); // the dashboards were served
        Assert.Contains("\"name\":\"timeliness\",\"title\"", published, StringComparison.Ordinal);
        Assert.Contains("\"recommendedDisciplineText\":", published, StringComparison.Ordinal); // New York's recommendations were published
        Assert.Contains(ccrb.Canaries, c => c.StartsWith("Kanary", StringComparison.Ordinal)); // and its complainants' names were seeded
        Assert.Contains("\"title\": \"OpenConduct API\"", published, StringComparison.Ordinal); // the API's description and its reference page
        Assert.Contains("id=\"api-reference\"", published, StringComparison.Ordinal);

        // The server's log (the request log among it): no canary, and not the text the public searched for.
        await server.WaitForLogAsync("GET /api/officers/ 200", TimeSpan.FromSeconds(10));
        var log = server.Output;
        var logged = canaries.Where(c => log.Contains(c, StringComparison.OrdinalIgnoreCase)).Take(10).ToList();
        Assert.True(logged.Count == 0, "canaries in the server's log: " + string.Join(", ", logged));
        Assert.Contains("GET /api/officers/{id} 200", log, StringComparison.Ordinal);
    }
}
