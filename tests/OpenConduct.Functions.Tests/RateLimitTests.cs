using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenConduct.Api;
using OpenConduct.Server.Tests;

namespace OpenConduct.Functions.Tests;

/// <summary>
/// The Functions app's rate limit (<see cref="ApiRateLimiting"/>'s <see cref="ApiClientLimiter"/>) against the
/// standalone server's: the same count per client address, the same 429 answer.
/// </summary>
public sealed partial class RateLimitTests
{
    [Fact]
    public async Task Past_its_limit_a_client_gets_the_standalone_servers_429()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.Sub("releases"));
        using var server = await ApiServer.StartAsync(folder.Sub("releases"), folder.Sub("index"), "--rate-limit", "3");
        using var http = new HttpClient { BaseAddress = server.BaseAddress };

        // The server's start-up probe used one request of the minute; two more pass, the fourth is refused.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/health/live")).StatusCode);
        using var expected = await http.GetAsync("/api/health/live");
        Assert.Equal(HttpStatusCode.TooManyRequests, expected.StatusCode);

        var settings = WorkerHost.Settings();
        settings[ApiOptions.RateLimitSetting] = "3";
        using var host = WorkerHost.CreateBuilder(settings).AddOpenConductFunctions().Build();
        var limiter = host.Services.GetRequiredService<ApiClientLimiter>();
        Assert.Equal(3, host.Services.GetRequiredService<IOptions<ApiOptions>>().Value.RateLimitPerMinute);
        IResult? rejected = null;
        HttpContext? context = null;
        for (var i = 0; i < 4 && rejected is null; i++)
        {
            context = new DefaultHttpContext { RequestServices = host.Services };
            context.Connection.RemoteIpAddress = IPAddress.Loopback;
            context.Response.Body = new MemoryStream();
            rejected = limiter.Reject(context);
            Assert.True(rejected is null == i < 3, $"request {i + 1}: {(rejected is null ? "passed" : "refused")}");
        }

        // Another address has a limit of its own.
        var other = new DefaultHttpContext();
        other.Connection.RemoteIpAddress = IPAddress.Parse("192.0.2.7");
        Assert.Null(limiter.Reject(other));

        await rejected!.ExecuteAsync(context!);
        var body = Encoding.UTF8.GetString(((MemoryStream)context!.Response.Body).ToArray());
        Assert.Equal((int)expected.StatusCode, context.Response.StatusCode);
        Assert.Equal(expected.Content.Headers.ContentType?.ToString(), context.Response.ContentType);
        // 3 a minute: a token every 20 s, and Retry-After is the wait for the next one (a fixed window said up to 60).
        Assert.InRange(int.Parse(context.Response.Headers.RetryAfter!, System.Globalization.CultureInfo.InvariantCulture), 1, 20);
        Assert.InRange(expected.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 20);
        Assert.Equal(
            expected.Headers.Where(h => h.Key is not ("Date" or "Server" or "Retry-After" or "Transfer-Encoding")).Select(h => $"{h.Key}: {string.Join(", ", h.Value)}").Order(StringComparer.Ordinal),
            context.Response.Headers.Where(h => h.Key is not ("Retry-After" or "Content-Type" or "Content-Length")).Select(h => $"{h.Key}: {h.Value}").Order(StringComparer.Ordinal));
        Assert.Equal(Normalized(await expected.Content.ReadAsStringAsync()), Normalized(body));
    }

    /// <summary>The body without what differs by the moment: the seconds to wait and the trace id.</summary>
    private static string Normalized(string body) => Seconds().Replace(TraceId().Replace(body, ""), "N seconds");

    [GeneratedRegex(@"\d+ seconds")]
    private static partial Regex Seconds();

    [GeneratedRegex("\"traceId\":\"[^\"]*\",?")]
    private static partial Regex TraceId();
}
