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
        Assert.Equal("nosniff", limited.Headers.GetValues("X-Content-Type-Options").Single());

        // A token bucket: 5 a minute is one request every 12 s once the bucket is empty, and Retry-After says the real
        // wait (at most 12 s), not a fixed minute.
        var seconds = limited.Headers.RetryAfter?.Delta?.TotalSeconds;
        Assert.True(seconds is >= 1 and <= 12, $"Retry-After: {limited.Headers.RetryAfter}");
        Assert.Contains($"try again in {seconds} seconds", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_limit_holds_across_what_was_a_window_edge_and_frees_one_request_per_refill()
    {
        using var server = await ApiServer.StartAsync(release.Releases, release.Index, "--rate-limit", "60");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        // 60 a minute: the bucket's 60 (less the start-up probe's) then nothing more within the same second or two;
        // a fixed window would have let a second 60 through at its edge.
        var ok = 0;
        for (var i = 0; i < 130; i++)
        {
            if ((await http.GetAsync("/api/health/live")).StatusCode == HttpStatusCode.OK)
            {
                ok++;
            }
        }

        Assert.InRange(ok, 55, 63);
        using var limited = await http.GetAsync("/api/health/live");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var wait = limited.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(wait.TotalSeconds, 1, 1);   // one token a second
        await Task.Delay(wait + TimeSpan.FromMilliseconds(300));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/health/live")).StatusCode);
    }

    [Fact]
    public async Task Admin_key_attempts_have_their_own_strict_budget_and_a_security_log_without_the_key()
    {
        const string Key = "host-test-admin-key-0123456789-0123456789";
        const string Guess = "guess-0123456789-guess-0123456789-guess";
        using var server = await ApiServer.StartAsync(["serve", "--releases", release.Releases, "--index", release.Index], new Dictionary<string, string> { ["OPENCONDUCT_ADMIN_KEY"] = Key });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 12; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/pipeline/refresh?source=opcr");
            request.Headers.Add("x-functions-key", Guess + i);
            using var response = await http.SendAsync(request);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(response.Headers.RetryAfter?.Delta?.TotalSeconds is > 60 and <= 900, $"Retry-After: {response.Headers.RetryAfter}");
            }
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 10).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 2)), statuses);

        // Over the budget even the right key waits: the budget counts attempts, not failures.
        using (var right = new HttpRequestMessage(HttpMethod.Post, "/api/pipeline/refresh?source=opcr"))
        {
            right.Headers.Add("x-functions-key", Key);
            Assert.Equal(HttpStatusCode.TooManyRequests, (await http.SendAsync(right)).StatusCode);
        }

        // The public API is not affected.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/health/live")).StatusCode);
        await server.WaitForLogAsync("admin key attempts over the budget", TimeSpan.FromSeconds(10));
        Assert.Contains("admin key rejected from 127.0.0.1 (wrong key)", server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Guess, server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cached_search_is_never_the_answer_to_an_invalid_one_and_every_answer_varies_by_origin()
    {
        using var server = await ApiServer.StartAsync(release.Releases, release.Index, "--cors-origin", City);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var valid = await http.GetAsync("/api/officers?q=zzqq");
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        using var cachedThenInvalid = await http.GetAsync("/api/officers?q=zzqq&x=1");
        Assert.Equal(HttpStatusCode.BadRequest, cachedThenInvalid.StatusCode);
        using var upper = await http.GetAsync("/api/officers?Q=zzqq&X=1");
        Assert.Equal(HttpStatusCode.BadRequest, upper.StatusCode);

        foreach (var path in new[] { "/api/officers?q=a", "/api/officers?q=a", "/api/health/live", "/api/datasets", "/api/officers/nope", "/api/nothing-here" })
        {
            using var plain = await http.GetAsync(path);
            Assert.Contains("Origin", plain.Headers.Vary);
            using var cors = await Get(http, path, City);
            Assert.Contains("Origin", cors.Headers.Vary);
        }

        // The cached answer of a CORS request is not replayed to a request from another origin, nor the reverse.
        using var forCity = await Get(http, "/api/officers?q=kow", City);
        Assert.Equal(City, forCity.Headers.GetValues("Access-Control-Allow-Origin").Single());
        using var forEvil = await Get(http, "/api/officers?q=kow", "https://evil.example");
        Assert.False(forEvil.Headers.Contains("Access-Control-Allow-Origin"));
        using var forCityAgain = await Get(http, "/api/officers?q=kow", City);
        Assert.Equal(City, forCityAgain.Headers.GetValues("Access-Control-Allow-Origin").Single());
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
        var answer = search.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        Assert.EndsWith("/OfficerSearchResponse", answer.GetProperty("$ref").GetString(), StringComparison.Ordinal);
        Assert.Contains("officers", document.GetProperty("components").GetProperty("schemas").GetProperty("OfficerSearchResponse").GetProperty("properties").EnumerateObject().Select(p => p.Name));

        const string Searched = "Zebulonquist";
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/officers?q={Searched}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/complaints/{Searched}")).StatusCode);
        await server.WaitForLogAsync("GET /api/complaints/{caseNumber} 404", TimeSpan.FromSeconds(10));
        // Successful answers are logged at Debug, off by default; only a slow one (500 ms or more: a cold start on a loaded
        // machine) is logged at Information.
        Assert.All(
            System.Text.RegularExpressions.Regex.Matches(server.Output, @"GET /api/officers/ 200 (\d+(?:\.\d+)?) ms"),
            m => Assert.True(double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) >= 500, $"a successful answer logged at Information: {m.Value}"));
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

    [Fact]
    public async Task Links_come_from_the_public_url_never_from_the_host_header_and_other_hosts_are_refused()
    {
        using var server = await ApiServer.StartAsync(release.Releases, release.Index, "--public-url", "https://data.city.example/open/");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        foreach (var headers in new[] { new Dictionary<string, string>(), new() { ["X-Forwarded-Host"] = "evil.example" }, new() { ["Host"] = "data.city.example" } })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/data.json");
            foreach (var (name, value) in headers)
            {
                if (name == "Host")
                {
                    request.Headers.Host = value;
                }
                else
                {
                    request.Headers.Add(name, value);
                }
            }

            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{string.Join(", ", headers)}: {response.StatusCode} {body}");
            var urls = JsonDocument.Parse(body).RootElement.GetProperty("dataset").EnumerateArray()
                .SelectMany(d => d.GetProperty("distribution").EnumerateArray()).Select(x => x.GetProperty("downloadURL").GetString()!).ToList();
            Assert.NotEmpty(urls);
            Assert.All(urls, u => Assert.StartsWith("https://data.city.example/open/api/datasets/opcr-", u, StringComparison.Ordinal));
            Assert.DoesNotContain("evil.example", body, StringComparison.Ordinal);
        }

        // A Host naming another host is refused before any handler (no answer to cache), as a problem with the security headers.
        foreach (var host in new[] { "evil.example", "evil.example:443", "data.city.example.evil.example" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/data.json");
            request.Headers.Host = host;
            using var refused = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("nosniff", refused.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.DoesNotContain("evil.example", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Null(refused.Headers.CacheControl?.Public is true ? refused.Headers.CacheControl : null);
        }
    }

    [Fact]
    public async Task Requests_over_the_size_limits_are_refused_as_problems_with_the_security_headers()
    {
        using var server = await ApiServer.StartAsync(release.Releases, release.Index);
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        using var longTarget = await http.GetAsync("/api/officers/" + new string('a', 9_000));
        Assert.Equal(HttpStatusCode.RequestUriTooLong, longTarget.StatusCode);
        Assert.Equal("application/problem+json", longTarget.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", longTarget.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("at most 8,192", await longTarget.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var bigHeaders = new HttpRequestMessage(HttpMethod.Get, "/api/health/live");
        bigHeaders.Headers.Add("X-Padding", new string('x', 40_000));
        using var refused = await http.SendAsync(bigHeaders);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal("DENY", refused.Headers.GetValues("X-Frame-Options").Single());

        // Below the limits nothing changes.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/health/live")).StatusCode);
    }

    [Theory]
    [InlineData("--cors-origin", "https://www.city.example/path", "is not an origin")]
    [InlineData("--schedule", "every day", "six-field cron")]
    [InlineData("--rate-limit", "-1", "0 (off) or more")]
    [InlineData("--watch", "0", "--watch is seconds")]
    [InlineData("--public-url", "ftp://data.city.example/", "must be an absolute http(s) URL")]
    [InlineData("--public-url", "https://data.city.example/?x=1", "must be an absolute http(s) URL")]
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
