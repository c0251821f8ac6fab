using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenConduct.Api;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Browser.Tests;

/// <summary>
/// The widgets' script and the precinct boundaries as the server serves them, without a browser: the size budget, the
/// strings table complete in every language, the versioned immutable name and the redirect to it, CORS on both, and
/// the sample boundaries naming exactly the samples' precincts.
/// </summary>
[Collection(WidgetsCollection.Name)]
public sealed partial class WidgetAssetTests(WidgetSite site)
{
    private static readonly string ScriptFile = Path.Combine(Repo, "functions", "OpenConduct.Api", "widgets", "openconduct.js");

    [Fact]
    public void The_script_is_under_40_kb_gzipped_and_embedded_as_it_is_in_the_repository()
    {
        var bytes = WidgetsApi.Script.Bytes;
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        Assert.True(buffer.Length < 40 * 1024, $"the widgets' script is {buffer.Length:N0} bytes gzipped; the budget is 40 KB");
        Assert.Equal(File.ReadAllBytes(ScriptFile), bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes))[..8], WidgetsApi.Script.Version);
        Assert.Matches("^openconduct\\.[0-9a-f]{8}\\.js$", WidgetsApi.Script.FileName);
    }

    [Fact]
    public void Every_string_of_the_table_exists_in_every_language()
    {
        var source = File.ReadAllText(ScriptFile);
        var table = source[source.IndexOf("const STRINGS = {", StringComparison.Ordinal)..source.IndexOf("\n};", StringComparison.Ordinal)];
        var languages = Language().Matches(table).Select(m => (Name: m.Groups[1].Value, Start: m.Index)).ToList();
        Assert.Equal(["en", "es"], languages.Select(l => l.Name));
        var keys = languages.Select((l, i) => Key().Matches(table[l.Start..(i + 1 < languages.Count ? languages[i + 1].Start : table.Length)]).Select(m => m.Groups[1].Value).ToHashSet()).ToList();
        Assert.True(keys[0].Count > 150, $"only {keys[0].Count} English strings were read");
        Assert.Empty(keys[0].Except(keys[1]).Order());
        Assert.Empty(keys[1].Except(keys[0]).Order());
    }

    [Fact]
    public async Task The_script_is_served_under_its_versioned_name_immutable_and_the_stable_name_redirects_to_it()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = site.Api };
        using var stable = await GetAsync(http, "/widgets/openconduct.js", site.Site.Origin);
        Assert.Equal(HttpStatusCode.Redirect, stable.StatusCode);
        Assert.Equal(WidgetsApi.Script.FileName, stable.Headers.Location?.ToString());
        Assert.Equal(TimeSpan.FromSeconds(300), stable.Headers.CacheControl?.MaxAge);
        Assert.Equal(site.Site.Origin, stable.Headers.GetValues("Access-Control-Allow-Origin").Single());

        using var script = await GetAsync(http, "/widgets/" + WidgetsApi.Script.FileName, site.Site.Origin);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("application/javascript; charset=utf-8", script.Content.Headers.ContentType?.ToString());
        Assert.Equal("public, max-age=31536000, immutable", string.Join(", ", script.Headers.GetValues("Cache-Control")));
        Assert.Equal(site.Site.Origin, script.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(WidgetsApi.Script.Bytes, await script.Content.ReadAsByteArrayAsync());
        var etag = script.Headers.ETag;
        Assert.NotNull(etag);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/widgets/" + WidgetsApi.Script.FileName);
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);

        // A page that pinned another version is sent to the current one.
        using var old = await http.GetAsync("/widgets/openconduct.00000000.js");
        Assert.Equal(HttpStatusCode.Redirect, old.StatusCode);
        Assert.Equal(WidgetsApi.Script.FileName, old.Headers.Location?.ToString());

        // Another origin than the configured one gets no CORS header: the browser refuses it the module.
        using var stranger = await GetAsync(http, "/widgets/" + WidgetsApi.Script.FileName, "https://evil.example");
        Assert.False(stranger.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task The_precinct_boundaries_are_served_as_geojson_and_name_exactly_the_samples_precincts()
    {
        using var http = new HttpClient { BaseAddress = site.Api };
        using var response = await GetAsync(http, "/widgets/precincts.geojson", site.Site.Origin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(site.Site.Origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.NotNull(response.Headers.ETag);
        var geojson = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("FeatureCollection", geojson.GetProperty("type").GetString());
        var features = geojson.GetProperty("features").EnumerateArray().ToList();
        Assert.All(features, f => Assert.Equal("Polygon", f.GetProperty("geometry").GetProperty("type").GetString()));
        var mapped = features.Select(f => f.GetProperty("properties").GetProperty("precinct").GetString()!).Order().ToList();

        var published = Directory.GetFiles(site.Releases, "cases.jsonl.gz", SearchOption.AllDirectories)
            .SelectMany(ReadJsonLines)
            .Select(c => c.GetProperty("complaint").TryGetProperty("precinct", out var p) ? p.GetString() : null)
            .OfType<string>().Distinct().Order().ToList();
        Assert.Equal(["1", "2", "3", "4", "5"], published);
        Assert.Equal(published, mapped);
    }

    [Fact]
    public async Task One_route_by_file_name_serves_every_widget_file_for_the_functions_app()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new ApiOptions { PrecinctsGeoJson = Path.Combine(Repo, "samples", "widgets", "precincts.geojson") });
        var stable = await WidgetsApi.GetFileAsync(new Microsoft.AspNetCore.Http.DefaultHttpContext(), options, "openconduct.js", default);
        Assert.Equal(WidgetsApi.Script.FileName, Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.RedirectHttpResult>(stable).Url);
        var script = await WidgetsApi.GetFileAsync(new Microsoft.AspNetCore.Http.DefaultHttpContext(), options, WidgetsApi.Script.FileName, default);
        Assert.Equal(WidgetScript.ContentType, Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult>(script).ContentType);
        var boundaries = await WidgetsApi.GetFileAsync(new Microsoft.AspNetCore.Http.DefaultHttpContext(), options, "precincts.geojson", default);
        Assert.Equal("application/geo+json", Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult>(boundaries).ContentType);
        var other = await WidgetsApi.GetFileAsync(new Microsoft.AspNetCore.Http.DefaultHttpContext(), options, "other.js", default);
        Assert.Equal(404, Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>(other).StatusCode);
        var none = await WidgetsApi.GetFileAsync(new Microsoft.AspNetCore.Http.DefaultHttpContext(), Microsoft.Extensions.Options.Options.Create(new ApiOptions()), "precincts.geojson", default);
        Assert.Equal(404, Assert.IsType<Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult>(none).StatusCode);
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        return await http.SendAsync(request);
    }

    [GeneratedRegex(@"^  (\w+): \{$", RegexOptions.Multiline)]
    private static partial Regex Language();

    [GeneratedRegex(@"'([\w.-]+)': ")]
    private static partial Regex Key();
}
