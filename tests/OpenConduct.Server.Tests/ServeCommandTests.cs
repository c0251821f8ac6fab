using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>
/// <c>serve</c>, run as a process over a release folder and an officer index that <c>ingest</c> built, queried over
/// HTTP on loopback: the officer endpoints, their errors, ETags and headers.
/// </summary>
public sealed class ServeCommandTests : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private ApiServer? server;

    public async Task InitializeAsync()
    {
        var releases = Path.Combine(folder.Path, "releases");
        var index = Path.Combine(folder.Path, "index");
        var (exit, text) = RunWith(PseudonymKey, "ingest", "--profile", "samples/profiles/opcr.json", "--policy", "samples/policies/minnesota.json", "samples/exports/opcr", "--out", releases, "--index", index);
        Assert.True(exit == 0, text);

        server = await ApiServer.StartAsync(releases, index);
        http.BaseAddress = server.BaseAddress;
    }

    public Task DisposeAsync()
    {
        server?.Dispose();
        http.Dispose();
        folder.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Search_finds_an_officer_by_badge_and_name_and_the_history_is_served()
    {
        var health = JsonDocument.Parse(await http.GetStringAsync("/api/health")).RootElement;
        Assert.Equal("degraded", health.GetProperty("status").GetString()); // iau and cra have no release here
        var generation = health.GetProperty("indexGeneration").GetString();
        Assert.StartsWith("g", generation, StringComparison.Ordinal);

        var documents = OfficerDocuments(Path.Combine(folder.Path, "releases"));
        var officer = documents.Where(o => o.TryGetProperty("currentBadge", out _)).MaxBy(o => o.GetProperty("summary").GetProperty("complaints").GetInt32());
        var id = officer.GetProperty("id").GetString()!;

        using var byBadge = await http.GetAsync($"/api/officers?badge={officer.GetProperty("currentBadge").GetString()}");
        Assert.Equal(HttpStatusCode.OK, byBadge.StatusCode);
        Assert.Equal($"\"{generation}\"", byBadge.Headers.ETag?.Tag);
        Assert.Equal("public, max-age=300", byBadge.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", byBadge.Headers.GetValues("X-Content-Type-Options").Single());
        var page = JsonDocument.Parse(await byBadge.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(id, page.GetProperty("officers")[0].GetProperty("id").GetString());
        Assert.Equal("Badge", page.GetProperty("officers")[0].GetProperty("match").GetString());

        var name = officer.GetProperty("displayName").GetString()!;
        var byName = JsonDocument.Parse(await http.GetStringAsync($"/api/officers?q={Uri.EscapeDataString(name[..4])}")).RootElement;
        Assert.Contains(byName.GetProperty("officers").EnumerateArray(), o => o.GetProperty("id").GetString() == id || byName.GetProperty("total").GetInt64() > 20);

        var history = JsonDocument.Parse(await http.GetStringAsync($"/api/officers/{id}")).RootElement;
        Assert.Equal(id, history.GetProperty("id").GetString());
        Assert.Equal(officer.GetProperty("summary").GetProperty("complaints").GetInt32(), history.GetProperty("complaints").GetArrayLength());
    }

    [Fact]
    public async Task A_client_with_the_current_etag_gets_304()
    {
        using var first = await http.GetAsync("/api/officers?q=jo");
        var etag = first.Headers.ETag!.Tag;

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/officers?q=jo");
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var second = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/api/officers?q=smith&sort=name", 400, "Unknown query parameter 'sort'. Use q (a name), badge (a badge number) and page.")]
    [InlineData("/api/officers", 400, "Give q (a name, whole or partial) or badge (a badge number).")]
    [InlineData("/api/officers?q=smith&badge=1", 400, "Give either q (a name) or badge (a badge number), not both.")]
    [InlineData("/api/officers?q=smith&page=0", 400, "page must be a whole number from 1 to 1000.")]
    [InlineData("/api/officers?q=smith&page=x", 400, "page must be a whole number from 1 to 1000.")]
    [InlineData("/api/officers/off-0000000000000000", 404, "There is no officer 'off-0000000000000000'.")]
    public async Task Bad_requests_get_a_problem_with_a_clear_message_and_nothing_internal(string path, int status, string detail)
    {
        using var response = await http.GetAsync(path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(detail, JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("OpenConduct.", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_text_over_200_characters_is_refused_and_hostile_text_is_just_text()
    {
        using var tooLong = await http.GetAsync("/api/officers?q=" + new string('a', 201));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("201 characters long; at most 200", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        foreach (var hostile in new[] { "\"", "name:\"x\"", "*", "a AND b", "\\", "(", "~2", "<script>", "%00" })
        {
            using var response = await http.GetAsync("/api/officers?q=" + Uri.EscapeDataString(hostile));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{hostile}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task A_case_number_gives_the_case_status_and_its_published_allegations()
    {
        var first = ReadJsonLines(Directory.GetFiles(Path.Combine(folder.Path, "releases", "opcr"), "cases.jsonl.gz", SearchOption.AllDirectories).Single())[0].GetProperty("complaint");
        var caseNumber = first.GetProperty("caseNumber").GetString()!;

        using var response = await http.GetAsync($"/api/complaints/{Uri.EscapeDataString(caseNumber)}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var complaint = Assert.Single(body.GetProperty("complaints").EnumerateArray());
        Assert.Equal("OPCR", complaint.GetProperty("source").GetString());
        Assert.Equal(first.GetProperty("status").GetProperty("value").GetString(), complaint.GetProperty("status").GetString());

        using var missing = await http.GetAsync("/api/complaints/NO-SUCH-CASE");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("There is no complaint 'NO-SUCH-CASE'.", JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task The_case_status_and_the_officer_history_give_each_case_its_days_to_close_and_to_final_discipline()
    {
        // A published case with a final discipline dated to the day, and its days worked out from the published record.
        var cases = ReadJsonLines(Directory.GetFiles(Path.Combine(folder.Path, "releases", "opcr"), "cases.jsonl.gz", SearchOption.AllDirectories).Single());
        static DateOnly? Day(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.GetString() is { Length: 10 } text ? DateOnly.ParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) : null;
        var (complaint, closed, discipline) = cases
            .Select(c => (Case: c.GetProperty("complaint"), Allegations: c.GetProperty("allegations").EnumerateArray().ToList()))
            .Where(c => c.Allegations.Any(a => Day(a, "disciplineDate") is not null) && c.Allegations.All(a => !a.TryGetProperty("disciplineFinal", out var f) || f.GetBoolean()))
            .Select(c => (c.Case,
                Day(c.Case, "closedDate")!.Value.DayNumber - Day(c.Case, "receivedDate")!.Value.DayNumber,
                c.Allegations.Max(a => Day(a, "disciplineDate"))!.Value.DayNumber - Day(c.Case, "receivedDate")!.Value.DayNumber))
            .First();
        var caseNumber = complaint.GetProperty("caseNumber").GetString()!;
        Assert.True(discipline >= closed, $"{caseNumber}: discipline decided {discipline} days after received, closed after {closed}");

        var status = JsonDocument.Parse(await http.GetStringAsync($"/api/complaints/{Uri.EscapeDataString(caseNumber)}")).RootElement.GetProperty("complaints")[0];
        Assert.Equal(closed, status.GetProperty("daysToClose").GetInt32());
        Assert.Equal(discipline, status.GetProperty("daysToFinalDiscipline").GetInt32());

        // Every officer of the case has the same days in their history (the whole case's, not their own allegations').
        var officers = OfficerDocuments(Path.Combine(folder.Path, "releases"))
            .Where(o => o.GetProperty("complaints").EnumerateArray().Any(c => c.GetProperty("caseNumber").GetString() == caseNumber))
            .Select(o => o.GetProperty("id").GetString()!)
            .ToList();
        Assert.NotEmpty(officers);
        foreach (var id in officers)
        {
            var history = JsonDocument.Parse(await http.GetStringAsync($"/api/officers/{id}")).RootElement;
            var entry = history.GetProperty("complaints").EnumerateArray().Single(c => c.GetProperty("caseNumber").GetString() == caseNumber);
            Assert.Equal(closed, entry.GetProperty("daysToClose").GetInt32());
            Assert.Equal(discipline, entry.GetProperty("daysToFinalDiscipline").GetInt32());
        }
    }

    [Fact]
    public async Task The_latest_releases_are_listed_with_their_counts()
    {
        var latest = JsonDocument.Parse(await http.GetStringAsync("/api/releases/latest")).RootElement;

        var opcr = Assert.Single(latest.EnumerateArray());
        Assert.Equal("opcr", opcr.GetProperty("source").GetString());
        Assert.Equal(142, opcr.GetProperty("complaints").GetInt64());
    }
}
