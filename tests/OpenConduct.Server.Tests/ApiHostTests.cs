using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>The sample OPCR release and its officer index, built once for the host tests.</summary>
public sealed class OpcrRelease : IDisposable
{
    private readonly TempFolder folder = new();

    public OpcrRelease()
    {
        var (exit, text) = RunWith(PseudonymKey, "ingest", "--profile", "samples/profiles/opcr.json", "--policy", "samples/policies/minnesota.json", "samples/exports/opcr", "--out", Releases, "--index", Index);
        Assert.True(exit == 0, text);
    }

    public string Releases => Path.Combine(folder.Path, "releases");

    public string Index => Path.Combine(folder.Path, "index");

    public void Dispose() => folder.Dispose();
}

/// <summary>
/// What the server does around the handlers, on the running process: rate limiting per client address (429 with
/// Retry-After), CORS for the configured origins only, the OpenAPI document listing every route, the admin endpoint
/// closed without a key, a request log without query strings, and clear refusals of bad settings.
/// </summary>
public sealed class ApiHostTests(OpcrRelease release) : IClassFixture<OpcrRelease>
{
    private const string City = "https://www.city.example";

    [Fact]
    public async Task Past_the_rate_limit_a_client_gets_429_with_retry_after_and_a_problem()
    {
        using var server = await ApiServer.StartAsync(release.Releases, release.Index, "--rate-limit", "5");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        // The start-up probe used one request of the window.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await http.GetAsync("/api/officers?q=a")).StatusCode);
        }

        Assert.Equal(4, statuses.Count(s => s == HttpStatusCode.OK));
        using var limited = await http.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var seconds = limited.Headers.RetryAfter?.Delta?.TotalSeconds;
        Assert.True(seconds is >= 1 and <= 60, $"Retry-After: {limited.Headers.RetryAfter}");
        Assert.Contains("too many requests", await limited.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Cors_allows_the_configured_origin_and_no_other()
    {
        using var server = await ApiServer.StartAsync(release.Releases, release.Index, "--cors-origin", City);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var allowed = await Get(http, "/api/officers?q=a", City);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(City, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("ETag", allowed.Headers.GetValues("Access-Control-Expose-Headers").Single(), StringComparison.Ordinal);

        using var denied = await Get(http, "/api/officers?q=a", "https://evil.example");
        Assert.False(denied.Headers.Contains("Access-Control-Allow-Origin"));

        using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/officers?q=a");
        preflight.Headers.Add("Origin", City);
        preflight.Headers.Add("Access-Control-Request-Method", "GET");
        preflight.Headers.Add("Access-Control-Request-Headers", "if-none-match");
        using var answer = await http.SendAsync(preflight);
        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Equal(City, answer.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("GET", answer.Headers.GetValues("Access-Control-Allow-Methods").Single(), StringComparison.Ordinal);

        using var post = new HttpRequestMessage(HttpMethod.Options, "/api/pipeline/refresh");
        post.Headers.Add("Origin", City);
        post.Headers.Add("Access-Control-Request-Method", "POST");
        using var refused = await http.SendAsync(post);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Methods") && refused.Headers.GetValues("Access-Control-Allow-Methods").Single().Contains("POST", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_openapi_document_lists_every_route_and_the_log_has_no_query_strings()
    {
        using var server = await ApiServer.StartAsync(release.Releases, release.Index);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var document = await http.GetFromJsonAsync<JsonElement>("/api/openapi.json");
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        foreach (var route in new[]
        {
            "/api/officers", "/api/officers/{id}", "/api/complaints/{caseNumber}", "/api/releases/latest", "/api/changes",
            "/api/datasets", "/api/data.json", "/api/health", "/api/health/live", "/api/pipeline/refresh",
        })
        {
            Assert.True(paths.Contains(route), $"{route} is not in the OpenAPI document: {string.Join(", ", paths)}");
        }

        var search = document.GetProperty("paths").GetProperty("/api/officers").GetProperty("get");
        Assert.Contains(search.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "q");

        const string Searched = "Zebulonquist";
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/officers?q={Searched}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/complaints/{Searched}")).StatusCode);
        await server.WaitForLogAsync("GET /api/complaints/{caseNumber} 404", TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("GET /api/officers/ 200", server.Output, StringComparison.Ordinal); // successful answers are logged at Debug, off by default
        Assert.DoesNotContain(Searched, server.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_admin_endpoint_is_closed_without_a_key_and_there_is_nothing_to_refresh_without_a_pipeline()
    {
        using (var server = await ApiServer.StartAsync(release.Releases, release.Index))
        using (var http = new HttpClient { BaseAddress = server.BaseAddress })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pipeline/refresh?source=opcr");
            request.Headers.Add("x-functions-key", "anything-at-all");
            using var closed = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Forbidden, closed.StatusCode);
            Assert.Contains("no admin key", await closed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.GetAsync("/api/pipeline/refresh?source=opcr")).StatusCode);
        }

        const string Key = "host-test-admin-key-0123456789-0123456789";
        using (var server = await ApiServer.StartAsync(["serve", "--releases", release.Releases, "--index", release.Index], new Dictionary<string, string> { ["OPENCONDUCT_ADMIN_KEY"] = Key }))
        using (var http = new HttpClient { BaseAddress = server.BaseAddress })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pipeline/refresh?source=opcr");
            request.Headers.Add("x-functions-key", Key);
            using var conflict = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
            Assert.Contains("runs no pipeline", await conflict.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--cors-origin", "https://www.city.example/path", "is not an origin")]
    [InlineData("--schedule", "every day", "six-field cron")]
    [InlineData("--rate-limit", "-1", "0 (off) or more")]
    [InlineData("--watch", "0", "--watch is seconds")]
    public void Bad_settings_are_refused_with_a_clear_message(string option, string value, string message)
    {
        var (exit, text) = Run("serve", "--releases", release.Releases, "--index", release.Index, "--urls", "http://127.0.0.1:0", option, value);
        Assert.Equal(2, exit);
        Assert.Contains(message, text, StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> Get(HttpClient http, string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", origin);
        return http.SendAsync(request);
    }
}
