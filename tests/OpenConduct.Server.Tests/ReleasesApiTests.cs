using System.Net;
using System.Text.Json;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>
/// The three bundled samples ingested once into a release folder, and <c>serve</c> running over it; plus, for opcr, an
/// incomplete release (files but no manifest) that must never be served.
/// </summary>
public sealed class SampleReleasesServer : ServedReleases
{
    /// <summary>A release folder of opcr without a manifest: incomplete, so never served.</summary>
    public const string IncompleteRelease = "20300101-00000000000a";

    protected override async Task PrepareAsync()
    {
        IngestSamples(Sources);
        var incomplete = Path.Combine(Releases, "opcr", IncompleteRelease, "datasets");
        Directory.CreateDirectory(incomplete);
        await File.WriteAllTextAsync(Path.Combine(incomplete, "complaints.csv"), "source,case_number\r\nopcr,INCOMPLETE-RELEASE\r\n");
    }

    /// <summary>The source's live release id.</summary>
    public string Live(string source) => Latest(Path.Combine(Releases, source));

    /// <summary>The folder of the source's live release.</summary>
    public string LiveFolder(string source) => Path.Combine(Releases, source, Live(source));

    /// <summary>The paths the live release's manifest lists.</summary>
    public List<(string Path, long Bytes, string Sha256)> Artefacts(string source) =>
        [.. JsonDocument.Parse(File.ReadAllText(Path.Combine(LiveFolder(source), "manifest.json"))).RootElement.GetProperty("artefacts").EnumerateArray()
            .Select(a => (a.GetProperty("path").GetString()!, a.GetProperty("bytes").GetInt64(), a.GetProperty("sha256").GetString()!))];

    /// <summary>Sends a GET with an If-None-Match header.</summary>
    public async Task<HttpResponseMessage> GetIfNoneMatchAsync(string path, string etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        return await Http.SendAsync(request);
    }

    /// <summary>
    /// A GET sent over a socket exactly as written (HttpClient, through System.Uri, would remove dot segments and
    /// decode <c>%2E</c> before sending): the status code and the raw response.
    /// </summary>
    public async Task<(int Status, string Response)> RawGetAsync(string path)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(Http.BaseAddress!.Host, Http.BaseAddress.Port);
        await using var stream = client.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {Http.BaseAddress.Authority}\r\nConnection: close\r\n\r\n"));
        var response = await new StreamReader(stream, System.Text.Encoding.UTF8).ReadToEndAsync();
        return (int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture), response);
    }

    /// <summary>Asserts a problem+json response with this status and detail, and nothing internal in it.</summary>
    public static async Task AssertProblemAsync(HttpResponseMessage response, int status, string? detail = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (detail is not null)
        {
            Assert.Equal(detail, JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
        }

        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("OpenConduct.", body, StringComparison.Ordinal);
        Assert.DoesNotContain("/tmp", body, StringComparison.Ordinal);
    }
}

/// <summary><c>/api/releases/{source}/{releaseId}/{**path}</c>: every artefact of a complete release, and nothing else.</summary>
public sealed class ReleasesApiTests(SampleReleasesServer server) : IClassFixture<SampleReleasesServer>
{
    private HttpClient Http => server.Http;

    [Fact]
    public async Task Every_artefact_of_every_live_release_is_served_byte_for_byte_with_its_type_length_and_sha256_etag()
    {
        foreach (var source in SampleReleasesServer.Sources)
        {
            var id = server.Live(source);
            var artefacts = server.Artefacts(source);
            Assert.Contains(artefacts, a => a.Path == "records/cases.jsonl.gz");
            Assert.Contains(artefacts, a => a.Path == "row-errors.csv");
            foreach (var (path, bytes, sha256) in artefacts)
            {
                using var response = await Http.GetAsync($"/api/releases/{source}/{id}/{path}");

                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{source}/{id}/{path}: {response.StatusCode}");
                var body = await response.Content.ReadAsByteArrayAsync();
                Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(server.LiveFolder(source), path)), body);
                Assert.Equal(bytes, response.Content.Headers.ContentLength);
                Assert.Equal($"\"{sha256}\"", response.Headers.ETag?.Tag);
                Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl?.ToString());
                Assert.Empty(response.Content.Headers.ContentEncoding);
                var expected = path.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv; charset=utf-8"
                    : path.EndsWith(".json", StringComparison.Ordinal) ? "application/json"
                    : "application/gzip";
                Assert.Equal(expected, response.Content.Headers.ContentType?.ToString());
            }

            // The gzipped records stay gzip: the client gets the file, decompresses it itself.
            var cases = ReadJsonLines(Path.Combine(server.LiveFolder(source), "records", "cases.jsonl.gz"));
            Assert.NotEmpty(cases);
        }
    }

    [Fact]
    public async Task The_manifest_itself_is_served_with_the_sha256_of_its_bytes()
    {
        var id = server.Live("iau");
        using var response = await Http.GetAsync($"/api/releases/iau/{id}/manifest.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var file = await File.ReadAllBytesAsync(Path.Combine(server.LiveFolder("iau"), "manifest.json"));
        Assert.Equal(file, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(file.Length, response.Content.Headers.ContentLength);
        Assert.Equal($"\"{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(file))}\"", response.Headers.ETag?.Tag);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.ToString());

        using var again = await server.GetIfNoneMatchAsync($"/api/releases/iau/{id}/manifest.json", response.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task A_client_with_the_artefacts_sha256_gets_304_and_no_body()
    {
        var id = server.Live("opcr");
        var (path, _, sha256) = server.Artefacts("opcr").First(a => a.Path == "datasets/allegations.csv");

        using var response = await server.GetIfNoneMatchAsync($"/api/releases/opcr/{id}/{path}", $"\"{sha256}\"");

        Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"\"{sha256}\"", response.Headers.ETag?.Tag);

        using var stale = await server.GetIfNoneMatchAsync($"/api/releases/opcr/{id}/{path}", "\"0000\"");
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
    }

    [Fact]
    public async Task The_download_urls_of_each_releases_own_catalog_resolve_to_this_route()
    {
        foreach (var source in SampleReleasesServer.Sources)
        {
            var catalog = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(server.LiveFolder(source), "data.json"))).RootElement;
            var urls = catalog.GetProperty("dataset").EnumerateArray()
                .SelectMany(d => d.GetProperty("distribution").EnumerateArray().Select(x => x.GetProperty("downloadURL").GetString()!)
                    .Append(d.GetProperty("describedBy").GetString()!))
                .Distinct().ToList();
            Assert.True(urls.Count >= 7, string.Join(", ", urls));
            foreach (var url in urls)
            {
                // The publisher's baseUrl is http://localhost:7071/api/releases/; this server listens on another port.
                var uri = new Uri(url);
                Assert.StartsWith($"/api/releases/{source}/{server.Live(source)}/", uri.AbsolutePath, StringComparison.Ordinal);
                using var response = await Http.GetAsync(uri.PathAndQuery);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}");
                var local = Path.Combine(server.LiveFolder(source), uri.AbsolutePath[$"/api/releases/{source}/{server.Live(source)}/".Length..]);
                Assert.Equal(await File.ReadAllBytesAsync(local), await response.Content.ReadAsByteArrayAsync());
            }
        }
    }

    [Fact]
    public async Task The_latest_releases_still_answer_beside_the_artefact_route()
    {
        using var response = await Http.GetAsync("/api/releases/latest");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var latest = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(SampleReleasesServer.Sources, latest.EnumerateArray().Select(r => r.GetProperty("source").GetString()));
        Assert.Equal(server.Live("cra"), latest[2].GetProperty("releaseId").GetString());

        using var again = await server.GetIfNoneMatchAsync("/api/releases/latest", response.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task Unknown_sources_releases_and_paths_are_404_problems()
    {
        var id = server.Live("opcr");
        using (var response = await Http.GetAsync($"/api/releases/nosuch/{id}/manifest.json"))
        {
            await SampleReleasesServer.AssertProblemAsync(response, 404, "There is no source 'nosuch'. Sources: opcr, iau, cra, ccrb.");
        }

        // The officer index's folder sits beside the sources' folders; it is not a source.
        using (var response = await Http.GetAsync($"/api/releases/_officers/{Latest(Path.Combine(server.Releases, "_officers"))}/identity.json"))
        {
            await SampleReleasesServer.AssertProblemAsync(response, 404, "There is no source '_officers'. Sources: opcr, iau, cra, ccrb.");
        }

        using (var response = await Http.GetAsync("/api/releases/opcr/20300107-0123456789ab/manifest.json"))
        {
            await SampleReleasesServer.AssertProblemAsync(response, 404, "Source 'opcr' has no complete release '20300107-0123456789ab'.");
        }

        // Another source's release, asked for under the wrong source.
        using (var response = await Http.GetAsync($"/api/releases/opcr/{server.Live("iau")}/manifest.json"))
        {
            await SampleReleasesServer.AssertProblemAsync(response, 404, $"Source 'opcr' has no complete release '{server.Live("iau")}'.");
        }

        // A release without a manifest is incomplete: its files exist but are never served.
        using (var response = await Http.GetAsync($"/api/releases/opcr/{SampleReleasesServer.IncompleteRelease}/datasets/complaints.csv"))
        {
            await SampleReleasesServer.AssertProblemAsync(response, 404, $"Source 'opcr' has no complete release '{SampleReleasesServer.IncompleteRelease}'.");
        }

        using (var response = await Http.GetAsync($"/api/releases/opcr/{id}/datasets/complainants.csv"))
        {
            await SampleReleasesServer.AssertProblemAsync(response, 404, $"Release {id} of source 'opcr' has no artefact 'datasets/complainants.csv'. Its manifest (manifest.json) lists every artefact.");
        }

        using (var response = await Http.GetAsync($"/api/releases/opcr/{id}/"))
        {
            await SampleReleasesServer.AssertProblemAsync(response, 404, $"Name an artefact of the release, e.g. /api/releases/opcr/{id}/manifest.json, which lists them all.");
        }
    }

    [Theory]
    [InlineData("{id}/..%2F..%2Fmanifest.json")]
    [InlineData("{id}/..%2Flatest.json")]
    [InlineData("{id}/datasets%2F..%2F..%2Flatest.json")]
    [InlineData("{id}/%2E%2E/%2E%2E/iau/latest.json")]
    [InlineData("{id}/datasets/%2E%2E/manifest.json.tmp")]
    [InlineData("{id}/datasets%5Ccomplaints.csv")]
    [InlineData("{id}//etc/passwd")]
    [InlineData("{id}/%2Fetc%2Fpasswd")]
    [InlineData("{id}/C:%5CWindows%5Cwin.ini")]
    [InlineData("..%2F_officers/latest.json")]
    [InlineData("%2E%2E/manifest.json")]
    [InlineData("{id}%2F..%2F{id}/manifest.json")]
    [InlineData("{id}/../../iau/latest.json")]
    [InlineData("{id}/../../../../../../etc/passwd")]
    [InlineData("{id}/datasets/../../{id}/manifest.json.tmp")]
    [InlineData("{id}/datasets\\..\\..\\latest.json")]
    [InlineData("../_officers/latest.json")]
    public async Task Path_traversal_never_reaches_a_file_outside_the_manifest(string attempt)
    {
        var id = server.Live("opcr");
        var path = "/api/releases/opcr/" + attempt.Replace("{id}", id, StringComparison.Ordinal);

        var (status, body) = await server.RawGetAsync(path);

        Assert.True(status is 404 or 400, $"{path}: {body}");
        Assert.DoesNotContain("\"release\"", body, StringComparison.Ordinal); // latest.json's content
        Assert.DoesNotContain("\"artefacts\"", body, StringComparison.Ordinal); // a manifest's content
        Assert.DoesNotContain("root:", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }
}
