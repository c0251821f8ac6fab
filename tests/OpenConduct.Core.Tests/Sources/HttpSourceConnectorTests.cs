using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using OpenConduct.Core.Sources;

namespace OpenConduct.Core.Tests.Sources;

public sealed class HttpSourceConnectorTests
{
    private const string Csv = "http/complaints.csv";
    private const string ETag = "\"5f3c-2a1b\"";
    private const string LastModified = "Tue, 04 Feb 2025 10:00:00 GMT";

    private static SourceDefinition Source(Uri url) => new()
    {
        Id = "opcr-web",
        Kind = SourceKind.Http,
        Url = url,
        Profile = "profile.json",
        Policy = "policy.json",
        Retries = 3,
        RetryDelay = TimeSpan.FromSeconds(2),
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Serves the recorded CSV with its validators, or 304 when the request's validators match.</summary>
    private static async Task ServeCsv(HttpContext context)
    {
        if (context.Request.Headers.IfNoneMatch == ETag)
        {
            context.Response.StatusCode = 304;
            context.Response.Headers.ETag = ETag;
            return;
        }

        context.Response.Headers.ETag = ETag;
        context.Response.Headers.LastModified = LastModified;
        await FixtureServer.ServeAsync(context, Csv, "text/csv");
    }

    [Fact]
    public async Task Pull_streams_the_file_to_staging_and_returns_its_validators()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) => ServeCsv(context));
        var url = server.Url("exports/complaints.csv");

        var result = await new HttpSourceConnector(kit.Http, kit.Delay).PullAsync(Source(url), new PullConditions(null, null), kit.Staging, kit.Reporter);

        var expected = FixtureServer.FixtureBytes(Csv);
        var file = Assert.Single(result.Files);
        Assert.Equal("complaints.csv", file.Name);
        Assert.Equal(expected, await File.ReadAllBytesAsync(file.LocalPath));
        Assert.Equal(expected.Length, file.Bytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), file.Sha256);
        Assert.False(result.NotModified);
        Assert.Equal(ETag, result.ETag);
        Assert.Equal(DateTimeOffset.Parse(LastModified, System.Globalization.CultureInfo.InvariantCulture), result.LastModified);
        Assert.Equal(url.ToString(), result.Url);
        Assert.Equal(1, result.Requests);
        var request = Assert.Single(server.Requests);
        Assert.Null(request.Header("If-None-Match"));
        Assert.Null(request.Header("If-Modified-Since"));
        Assert.Contains(kit.Progress, p => p == $"opcr-web: GET {url}");
        Assert.Contains(kit.Progress, p => p.StartsWith("opcr-web: received ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_304_to_the_conditional_GET_is_not_modified()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) => ServeCsv(context));
        var lastModified = DateTimeOffset.Parse(LastModified, System.Globalization.CultureInfo.InvariantCulture);

        var result = await new HttpSourceConnector(kit.Http, kit.Delay).PullAsync(
            Source(server.Url("exports/complaints.csv")), new PullConditions(ETag, lastModified), kit.Staging);

        Assert.True(result.NotModified);
        Assert.Empty(result.Files);
        Assert.Equal(ETag, result.ETag);
        Assert.Equal(lastModified, result.LastModified);
        Assert.Equal(1, result.Requests);
        var request = Assert.Single(server.Requests);
        Assert.Equal(ETag, request.Header("If-None-Match"));
        Assert.Equal(LastModified, request.Header("If-Modified-Since"));
        Assert.False(Directory.Exists(kit.Staging) && Directory.EnumerateFiles(kit.Staging).Any());
    }

    [Fact]
    public async Task A_500_is_retried_after_the_first_delay()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, n) =>
            n == 1 ? FixtureServer.WriteAsync(context, "upstream unavailable"u8.ToArray(), "text/plain", 500) : ServeCsv(context));

        var result = await new HttpSourceConnector(kit.Http, kit.Delay).PullAsync(Source(server.Url("exports/complaints.csv")), new PullConditions(null, null), kit.Staging, kit.Reporter);

        Assert.Equal(2, result.Requests);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(2)], kit.Waits);
        Assert.Equal(FixtureServer.FixtureBytes(Csv), await File.ReadAllBytesAsync(Assert.Single(result.Files).LocalPath));
        Assert.Contains(kit.Progress, p => p.Contains("HTTP 500 Internal Server Error: upstream unavailable; retrying in 2 s", StringComparison.Ordinal));
        Assert.Contains(kit.Progress, p => p.EndsWith("(attempt 2 of 4)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_500_forever_fails_after_retries_plus_one_attempts_with_exponential_backoff()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) => FixtureServer.WriteAsync(context, [], "text/plain", 500));
        var url = server.Url("exports/complaints.csv");

        var error = await Assert.ThrowsAsync<PullException>(() =>
            new HttpSourceConnector(kit.Http, kit.Delay).PullAsync(Source(url), new PullConditions(null, null), kit.Staging));

        Assert.Equal($"opcr-web: GET {url} failed: HTTP 500 Internal Server Error (after 4 attempts)", error.Message);
        Assert.Equal(4, server.Requests.Count);
        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)], kit.Waits);
    }

    [Fact]
    public async Task A_429_waits_as_long_as_Retry_After_says()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, n) =>
        {
            if (n == 1)
            {
                context.Response.Headers.RetryAfter = "7";
                return FixtureServer.WriteAsync(context, "slow down"u8.ToArray(), "text/plain", 429);
            }

            return ServeCsv(context);
        });

        var result = await new HttpSourceConnector(kit.Http, kit.Delay).PullAsync(Source(server.Url("exports/complaints.csv")), new PullConditions(null, null), kit.Staging);

        Assert.Equal(2, result.Requests);
        Assert.Equal([TimeSpan.FromSeconds(7)], kit.Waits);
    }

    [Fact]
    public async Task A_request_slower_than_the_timeout_is_retried()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync(async (context, n) =>
        {
            if (n == 1)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            await ServeCsv(context);
        });
        // 5 s: long enough that a retry served at once does not time out on a loaded build machine.
        var source = Source(server.Url("exports/complaints.csv")) with { Timeout = TimeSpan.FromSeconds(5) };

        var result = await new HttpSourceConnector(kit.Http, kit.Delay).PullAsync(source, new PullConditions(null, null), kit.Staging, kit.Reporter);

        // The first attempt hangs and times out; on a loaded machine a retry may time out too, so only "retried" is exact.
        Assert.InRange(result.Requests, 2, 4);
        Assert.Equal(result.Requests, server.Requests.Count);
        Assert.Equal(TimeSpan.FromSeconds(2), kit.Waits[0]);
        Assert.Equal($"opcr-web: GET {source.Url!.AbsoluteUri}: timed out (timeoutSeconds: 5); retrying in 2 s", kit.Progress[1]);
        Assert.Equal(FixtureServer.FixtureBytes(Csv), await File.ReadAllBytesAsync(Assert.Single(result.Files).LocalPath));
    }

    [Fact]
    public async Task A_body_shorter_than_its_Content_Length_is_retried()
    {
        using var kit = new PullKit();
        var body = FixtureServer.FixtureBytes(Csv);
        await using var server = await FixtureServer.StartAsync((context, n) =>
            n == 1 ? FixtureServer.TruncateAsync(context, body, "text/csv") : ServeCsv(context));

        var result = await new HttpSourceConnector(kit.Http, kit.Delay).PullAsync(Source(server.Url("exports/complaints.csv")), new PullConditions(null, null), kit.Staging, kit.Reporter);

        Assert.Equal(2, result.Requests);
        var file = Assert.Single(result.Files);
        Assert.Equal(body, await File.ReadAllBytesAsync(file.LocalPath));
        Assert.Equal(body.Length, file.Bytes);
    }

    [Fact]
    public async Task A_body_that_is_always_truncated_fails_after_the_retries_and_leaves_no_file()
    {
        using var kit = new PullKit();
        var body = FixtureServer.FixtureBytes(Csv);
        await using var server = await FixtureServer.StartAsync((context, _) => FixtureServer.TruncateAsync(context, body, "text/csv"));
        var url = server.Url("exports/complaints.csv");

        var error = await Assert.ThrowsAsync<PullException>(() =>
            new HttpSourceConnector(kit.Http, kit.Delay).PullAsync(Source(url) with { Retries = 1 }, new PullConditions(null, null), kit.Staging));

        Assert.Matches($"^opcr-web: GET {Regex.Escape(url.AbsoluteUri)} failed: the response (broke off|ended after).* \\(after 2 attempts\\)$", error.Message);
        Assert.Equal(2, server.Requests.Count);
        Assert.False(File.Exists(Path.Combine(kit.Staging, "complaints.csv")));
    }

    [Fact]
    public async Task A_body_that_ends_quietly_before_its_Content_Length_is_counted_as_truncated_and_retried()
    {
        // A socket that closes early raises an error in HttpClient; a handler that just ends the stream does not:
        // counting the bytes against Content-Length catches that case too.
        using var kit = new PullKit();
        var body = FixtureServer.FixtureBytes(Csv);
        var calls = 0;
        using var http = new HttpClient(new StubHandler(() =>
        {
            var content = new ByteArrayContent(++calls == 1 ? body[..10] : body);
            content.Headers.ContentLength = body.Length;
            return new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = content };
        }));

        var result = await new HttpSourceConnector(http, kit.Delay).PullAsync(Source(new Uri("https://data.example.gov/exports/complaints.csv")), new PullConditions(null, null), kit.Staging, kit.Reporter);

        Assert.Equal(2, result.Requests);
        Assert.Equal(body, await File.ReadAllBytesAsync(Assert.Single(result.Files).LocalPath));
        Assert.Contains(kit.Progress, p => p.Contains($"the response ended after 10 of the {body.Length} bytes it declared (Content-Length); retrying", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_404_fails_at_once_without_retrying()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) =>
            FixtureServer.WriteAsync(context, "<html><body><h1>404 Not Found</h1></body></html>"u8.ToArray(), "text/html", 404));
        var url = server.Url("exports/missing.csv");

        var error = await Assert.ThrowsAsync<PullException>(() =>
            new HttpSourceConnector(kit.Http, kit.Delay).PullAsync(Source(url), new PullConditions(null, null), kit.Staging));

        Assert.Equal($"opcr-web: GET {url} failed: HTTP 404 Not Found (after 1 attempt)", error.Message);
        Assert.Single(server.Requests);
        Assert.Empty(kit.Waits);
    }

    [Fact]
    public async Task A_Content_Length_above_the_size_cap_fails_before_reading_the_body()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) => ServeCsv(context));
        var url = server.Url("exports/complaints.csv");
        var length = FixtureServer.FixtureBytes(Csv).Length;

        var error = await Assert.ThrowsAsync<PullException>(() =>
            new HttpSourceConnector(kit.Http, kit.Delay).PullAsync(Source(url) with { MaxBytes = 100 }, new PullConditions(null, null), kit.Staging));

        Assert.Equal($"opcr-web: GET {url} failed: the export exceeds the size cap of 100 bytes (maxBytes): the response declares {length} bytes (Content-Length) (after 1 attempt)", error.Message);
        Assert.Single(server.Requests);
        Assert.False(File.Exists(Path.Combine(kit.Staging, "complaints.csv")));
    }

    [Fact]
    public async Task A_body_without_Content_Length_is_counted_against_the_size_cap_while_streaming()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync(async (context, _) =>
        {
            // Chunked: no Content-Length, so only counting can catch it.
            context.Response.ContentType = "text/csv";
            for (var i = 0; i < 20; i++)
            {
                await context.Response.Body.WriteAsync(new byte[1000], context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        });
        var url = server.Url("exports/complaints.csv");

        var error = await Assert.ThrowsAsync<PullException>(() =>
            new HttpSourceConnector(kit.Http, kit.Delay).PullAsync(Source(url) with { MaxBytes = 5000 }, new PullConditions(null, null), kit.Staging));

        Assert.Equal($"opcr-web: GET {url} failed: the export exceeds the size cap of 5000 bytes (maxBytes): more than 5000 bytes received (after 1 attempt)", error.Message);
        Assert.False(File.Exists(Path.Combine(kit.Staging, "complaints.csv")));
    }

    [Theory]
    [InlineData("https://data.example.gov/exports/complaints.csv", null, "complaints.csv")]
    [InlineData("https://data.example.gov/api/views/x7k2-9qpm/rows.csv?accessType=DOWNLOAD", null, "rows.csv")]
    [InlineData("https://data.example.gov/files/OPCR%20cases%202024.csv", null, "OPCR_cases_2024.csv")]
    [InlineData("https://data.example.gov/", null, "opcr-web.csv")]
    [InlineData("https://data.example.gov/exports/.complaints.csv", null, "complaints.csv")]
    [InlineData("https://data.example.gov/download?id=5", "cases.csv", "cases.csv")]
    public void The_staged_file_is_named_by_fileName_or_the_URL(string url, string? fileName, string expected)
    {
        Assert.Equal(expected, HttpSourceConnector.FileNameOf(Source(new Uri(url)) with { FileName = fileName }));
    }

    private sealed class StubHandler(Func<HttpResponseMessage> respond) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(respond());
    }
}
