using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenConduct.Samples;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>
/// Three generated exports ingested in order, their files dated so that the releases are: iau on 2030-01-01, then
/// opcr on 2030-01-07 and opcr again on 2030-02-04 (a different export, so its changes.json has content); and
/// <c>serve</c> over them.
/// </summary>
public sealed class ChangeFeedServer : ServedReleases
{
    public string Iau { get; private set; } = "";

    public string OpcrFirst { get; private set; } = "";

    public string OpcrSecond { get; private set; } = "";

    protected override Task PrepareAsync()
    {
        Iau = Ingest("iau", d => SyntheticExports.WriteIau(d, new SyntheticExportOptions { Seed = 11, Allegations = 120 }), new DateTime(2030, 1, 1, 6, 0, 0, DateTimeKind.Utc));
        OpcrFirst = Ingest("opcr", d => SyntheticExports.WriteOpcr(d, new SyntheticExportOptions { Seed = 11, Allegations = 240 }), new DateTime(2030, 1, 7, 6, 0, 0, DateTimeKind.Utc));
        OpcrSecond = Ingest("opcr", d => SyntheticExports.WriteOpcr(d, new SyntheticExportOptions { Seed = 12, Allegations = 200 }), new DateTime(2030, 2, 4, 6, 0, 0, DateTimeKind.Utc));
        Assert.NotEqual(OpcrFirst, OpcrSecond);
        return Task.CompletedTask;
    }

    /// <summary>A release's changes.json, as written.</summary>
    public JsonElement ChangesJson(string source, string id) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Releases, source, id, "changes.json"))).RootElement;

    public async Task<(HttpResponseMessage Response, JsonElement Body)> GetAsync(string path)
    {
        var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return (response, JsonDocument.Parse(text).RootElement);
    }

    /// <summary>Writes an export, dates its files (the release's time is its files' latest write), ingests it; returns the live id.</summary>
    private string Ingest(string source, Action<string> write, DateTime pulledAt)
    {
        var export = Sub($"exports-{source}-{pulledAt:yyyyMMdd}");
        write(export);
        foreach (var file in Directory.GetFiles(export))
        {
            File.SetLastWriteTimeUtc(file, pulledAt);
        }

        var (exit, text) = RunWith(PseudonymKey, "ingest", "--profile", $"samples/profiles/{source}.json", "--policy", "samples/policies/minnesota.json", export, "--out", Releases, "--index", Index);
        Assert.True(exit == 0, text);
        var id = Latest(Path.Combine(Releases, source));
        Assert.StartsWith(pulledAt.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + "-", id, StringComparison.Ordinal);
        return id;
    }
}

/// <summary><c>/api/changes?since=</c>: the change feed over each source's chain of releases.</summary>
public sealed class ChangesApiTests(ChangeFeedServer server) : IClassFixture<ChangeFeedServer>
{
    private static readonly string[] Lists = ["newComplaints", "statusChanges", "findingsFinal", "disciplineFinal", "removed"];

    [Fact]
    public async Task Without_since_the_feed_has_the_latest_release_of_each_source_newest_first_with_its_changes()
    {
        var (_, body) = await server.GetAsync("/api/changes");

        Assert.False(body.TryGetProperty("since", out _));
        Assert.False(body.GetProperty("truncated").GetBoolean());
        var releases = body.GetProperty("releases").EnumerateArray().ToList();
        Assert.Equal([server.OpcrSecond, server.Iau], releases.Select(r => r.GetProperty("releaseId").GetString()));

        var second = releases[0];
        Assert.Equal("opcr", second.GetProperty("source").GetString());
        Assert.Equal(server.OpcrFirst, second.GetProperty("previousReleaseId").GetString());
        Assert.Equal(new DateTimeOffset(2030, 2, 4, 6, 0, 0, TimeSpan.Zero), second.GetProperty("publishedAt").GetDateTimeOffset());
        AssertChanges(server.ChangesJson("opcr", server.OpcrSecond), second.GetProperty("changes"));

        // A source's first release has no previous one, and every complaint is new.
        Assert.False(releases[1].TryGetProperty("previousReleaseId", out _));
        AssertChanges(server.ChangesJson("iau", server.Iau), releases[1].GetProperty("changes"));
    }

    [Fact]
    public async Task Since_the_first_release_the_feed_lists_exactly_the_second()
    {
        var (_, body) = await server.GetAsync($"/api/changes?since={server.OpcrFirst}");

        Assert.Equal(server.OpcrFirst, body.GetProperty("since").GetString());
        var release = Assert.Single(body.GetProperty("releases").EnumerateArray());
        Assert.Equal(server.OpcrSecond, release.GetProperty("releaseId").GetString());
        Assert.Equal(server.OpcrFirst, release.GetProperty("previousReleaseId").GetString());
        var written = server.ChangesJson("opcr", server.OpcrSecond);
        AssertChanges(written, release.GetProperty("changes"));

        // The second export differs from the first: something changed, and the counts say what.
        var counts = release.GetProperty("changes").GetProperty("counts");
        Assert.True(Lists.Sum(l => counts.GetProperty(l).GetInt32()) > 0, counts.ToString());
    }

    [Fact]
    public async Task Since_a_release_of_another_source_the_feed_lists_the_releases_published_after_it()
    {
        var (_, body) = await server.GetAsync($"/api/changes?since={server.Iau}");

        Assert.Equal([server.OpcrSecond, server.OpcrFirst], body.GetProperty("releases").EnumerateArray().Select(r => r.GetProperty("releaseId").GetString()));
        var first = body.GetProperty("releases")[1];
        AssertChanges(server.ChangesJson("opcr", server.OpcrFirst), first.GetProperty("changes"));
    }

    [Theory]
    [InlineData("2029-12-31", "opcr-second,opcr-first,iau")]
    [InlineData("2000-01-01", "opcr-second,opcr-first,iau")]
    [InlineData("2030-01-01", "opcr-second,opcr-first")] // iau was published on that day: not after it
    [InlineData("2030-01-06", "opcr-second,opcr-first")]
    [InlineData("2030-01-07", "opcr-second")]
    [InlineData("2030-02-03", "opcr-second")]
    [InlineData("2030-02-04", "")]
    [InlineData("2031-01-01", "")]
    public async Task Since_a_date_the_feed_lists_the_releases_published_after_that_day(string since, string expected)
    {
        var (_, body) = await server.GetAsync($"/api/changes?since={since}");

        Assert.Equal(since, body.GetProperty("since").GetString());
        Assert.False(body.GetProperty("truncated").GetBoolean());
        var names = new Dictionary<string, string> { [server.OpcrSecond] = "opcr-second", [server.OpcrFirst] = "opcr-first", [server.Iau] = "iau" };
        Assert.Equal(expected, string.Join(',', body.GetProperty("releases").EnumerateArray().Select(r => names[r.GetProperty("releaseId").GetString()!])));
    }

    [Fact]
    public async Task Each_since_has_its_own_etag_and_a_current_one_gets_304()
    {
        var version = $"opcr/{server.OpcrSecond}+iau/{server.Iau}";
        foreach (var (query, etag) in new[] { ("", $"\"{version}\""), ($"?since={server.OpcrFirst}", $"\"{version}+since={server.OpcrFirst}\""), ("?since=2030-01-01", $"\"{version}+since=2030-01-01\"") })
        {
            var (response, _) = await server.GetAsync("/api/changes" + query);
            Assert.Equal(etag, response.Headers.ETag?.Tag);
            Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
            response.Dispose();

            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/changes" + query);
            request.Headers.TryAddWithoutValidation("If-None-Match", etag);
            using var again = await server.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
            Assert.Empty(await again.Content.ReadAsByteArrayAsync());
        }
    }

    [Theory]
    [InlineData("?since=yesterday", "since='yesterday' is neither a release id nor a date: ")]
    [InlineData("?since=2030-02-30", "since='2030-02-30' is neither a release id nor a date: ")]
    [InlineData("?since=2030-1-7", "since='2030-1-7' is neither a release id nor a date: ")]
    [InlineData("?since=", "since='' is neither a release id nor a date: ")]
    [InlineData("?since=20300107-0123456789AB", "since='20300107-0123456789AB' is neither a release id nor a date: ")]
    [InlineData("?since=20301307-0123456789ab", "since='20301307-0123456789ab' is neither a release id nor a date: ")]
    [InlineData("?since=2030-01-01&since=2030-01-02", "Give since once: ")]
    [InlineData("?from=2030-01-01", "Unknown query parameter 'from'. The only parameter is since: ")]
    [InlineData("?since=2030-01-01&page=2", "Unknown query parameter 'page'. The only parameter is since: ")]
    public async Task A_bad_since_or_an_unknown_parameter_is_a_400_that_says_what_is_accepted(string query, string start)
    {
        using var response = await server.Http.GetAsync("/api/changes" + query);

        await SampleReleasesServer.AssertProblemAsync(response, 400);
        var detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString()!;
        Assert.StartsWith(start, detail, StringComparison.Ordinal);
        Assert.EndsWith(
            "since takes a release id (yyyyMMdd-, then 12 lower-case hex digits, e.g. 20300107-0123456789ab) or a date (yyyy-MM-dd, UTC), and lists the releases published after it; without since, the latest release of each source.",
            detail,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_but_well_formed_release_id_is_a_404()
    {
        using var response = await server.Http.GetAsync("/api/changes?since=20300107-0123456789ab");

        await SampleReleasesServer.AssertProblemAsync(response, 404, "There is no release '20300107-0123456789ab'.");
    }

    [Fact]
    public async Task A_long_chain_stops_after_100_releases_and_says_so()
    {
        // 103 releases of cra, chained by previousReleaseId, written as the pipeline writes them (manifest, changes.json, latest.json).
        using var folder = new TempFolder();
        var releases = folder.Sub("releases");
        var ids = Enumerable.Range(0, 103).Select(i => $"{new DateTime(2031, 1, 1).AddDays(i):yyyyMMdd}-{i:x12}").ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            var release = Path.Combine(releases, "cra", ids[i]);
            Directory.CreateDirectory(release);
            var publishedAt = new DateTimeOffset(2031, 1, 1, 6, 0, 0, TimeSpan.Zero).AddDays(i);
            var previous = i == 0 ? null : ids[i - 1];
            await File.WriteAllTextAsync(Path.Combine(release, "manifest.json"), JsonSerializer.Serialize(new
            {
                formatVersion = 1, source = "cra", releaseId = ids[i], publishedAt, previousReleaseId = previous, policy = "minnesota-13.43", profile = "cra",
                counts = new { complaints = i, allegations = i, officers = 1, complainants = 0 },
                artefacts = new[] { new { path = "changes.json", bytes = 1, sha256 = "00", contentType = "application/json" } },
            }));
            await File.WriteAllTextAsync(Path.Combine(release, "changes.json"), JsonSerializer.Serialize(new
            {
                formatVersion = 1, source = "cra", releaseId = ids[i], publishedAt, previousReleaseId = previous, maxListed = 1000,
                counts = new { newComplaints = 1, statusChanges = 0, findingsFinal = 0, disciplineFinal = 0, removed = 0 },
                newComplaints = new[] { $"CRA-{i:0000}" }, statusChanges = Array.Empty<object>(), findingsFinal = Array.Empty<object>(), disciplineFinal = Array.Empty<object>(), removed = Array.Empty<string>(),
            }));
        }

        await File.WriteAllTextAsync(Path.Combine(releases, "cra", "latest.json"), JsonSerializer.Serialize(new { release = ids[^1] }));
        Directory.CreateDirectory(folder.Sub("index"));
        using var chain = await ApiServer.StartAsync(releases, folder.Sub("index"));
        using var http = new HttpClient { BaseAddress = chain.BaseAddress };

        var all = JsonDocument.Parse(await http.GetStringAsync("/api/changes?since=2000-01-01")).RootElement;
        Assert.True(all.GetProperty("truncated").GetBoolean());
        var listed = all.GetProperty("releases").EnumerateArray().Select(r => r.GetProperty("releaseId").GetString()).ToList();
        Assert.Equal(ids.AsEnumerable().Reverse().Take(100), listed);
        Assert.Equal(
            $"cra: only the latest 100 releases are listed; the earlier ones can be read one by one from /api/releases/cra/{ids[2]}/changes.json, following previousReleaseId.",
            Assert.Single(all.GetProperty("notes").EnumerateArray()).GetString());
        Assert.Equal("CRA-0102", all.GetProperty("releases")[0].GetProperty("changes").GetProperty("newComplaints")[0].GetString());

        var recent = JsonDocument.Parse(await http.GetStringAsync($"/api/changes?since={ids[50]}")).RootElement;
        Assert.False(recent.GetProperty("truncated").GetBoolean());
        Assert.False(recent.TryGetProperty("notes", out _));
        Assert.Equal(ids.Skip(51).Reverse(), recent.GetProperty("releases").EnumerateArray().Select(r => r.GetProperty("releaseId").GetString()));

        var exactly100 = JsonDocument.Parse(await http.GetStringAsync($"/api/changes?since={ids[2]}")).RootElement;
        Assert.False(exactly100.GetProperty("truncated").GetBoolean());
        Assert.Equal(100, exactly100.GetProperty("releases").GetArrayLength());
    }

    /// <summary>The feed's changes are the release's changes.json: its counts, note and every list, as written.</summary>
    private static void AssertChanges(JsonElement written, JsonElement served)
    {
        Assert.Equal(written.GetProperty("maxListed").GetInt32(), served.GetProperty("maxListed").GetInt32());
        foreach (var list in Lists)
        {
            Assert.Equal(written.GetProperty("counts").GetProperty(list).GetInt32(), served.GetProperty("counts").GetProperty(list).GetInt32());
            Assert.Equal(Normalize(written.GetProperty(list)), Normalize(served.GetProperty(list)));
        }

        Assert.Equal(written.TryGetProperty("note", out var note) ? note.GetString() : null, served.TryGetProperty("note", out var servedNote) ? servedNote.GetString() : null);
    }

    /// <summary>A list's entries as compact JSON, with null properties left out (the API omits nulls).</summary>
    private static List<string> Normalize(JsonElement list) =>
        [.. list.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Object
            ? JsonSerializer.Serialize(e.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).OrderBy(p => p.Name, StringComparer.Ordinal).ToDictionary(p => p.Name, p => p.Value))
            : e.GetRawText())];
}
