using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenConduct.Core.Tests.Sources;

/// <summary>One request the fixture server received.</summary>
internal sealed record RecordedRequest(string Path, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);

    public string? Param(string name) => Query.GetValueOrDefault(name);
}

/// <summary>
/// A real HTTP server (Kestrel on 127.0.0.1, an ephemeral port) that answers with a test's handler, typically serving
/// the recorded fixtures of TestData/sources, and records every request it receives.
/// </summary>
internal sealed class FixtureServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly ConcurrentQueue<RecordedRequest> requests = new();

    private FixtureServer(WebApplication app, Uri baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    /// <summary><c>http://127.0.0.1:{port}/</c></summary>
    public Uri BaseUrl { get; }

    public IReadOnlyList<RecordedRequest> Requests => [.. requests];

    public Uri Url(string pathAndQuery) => new(BaseUrl, pathAndQuery.TrimStart('/'));

    public static async Task<FixtureServer> StartAsync(Func<HttpContext, int, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        FixtureServer? server = null;
        var count = 0;
        app.Run(async context =>
        {
            var request = context.Request;
            server!.requests.Enqueue(new RecordedRequest(
                request.Path.Value ?? "",
                request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
                request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            await handler(context, Interlocked.Increment(ref count));
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server = new FixtureServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    /// <summary>The path of a recorded fixture under TestData/sources.</summary>
    public static string Fixture(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", "sources", relative);

    public static byte[] FixtureBytes(string relative) => File.ReadAllBytes(Fixture(relative));

    /// <summary>Answers with a fixture file's bytes (Content-Length set).</summary>
    public static Task ServeAsync(HttpContext context, string relative, string contentType, int status = 200) =>
        WriteAsync(context, FixtureBytes(relative), contentType, status);

    public static async Task WriteAsync(HttpContext context, byte[] body, string contentType, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>Declares the length of <paramref name="body"/>, sends only its first half, then drops the connection.</summary>
    public static async Task TruncateAsync(HttpContext context, byte[] body, string contentType)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);

        // Let the client read the headers and start on the body before the connection drops.
        await Task.Delay(200, context.RequestAborted);
        context.Abort();
    }
}

/// <summary>A staging folder and the waits the connectors asked for (recorded, never slept).</summary>
internal sealed class PullKit : IDisposable
{
    public PullKit([CallerMemberName] string test = "")
    {
        Staging = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"oc-sources-{test}-{Guid.NewGuid():N}");
    }

    public string Staging { get; }

    public List<TimeSpan> Waits { get; } = [];

    public List<string> Progress { get; } = [];

    public HttpClient Http { get; } = new() { Timeout = Timeout.InfiniteTimeSpan };

    public Func<TimeSpan, CancellationToken, Task> Delay => (wait, _) =>
    {
        lock (Waits)
        {
            Waits.Add(wait);
        }

        return Task.CompletedTask;
    };

    public IProgress<string> Reporter => new SyncProgress(Progress);

    public void Dispose()
    {
        Http.Dispose();
        if (Directory.Exists(Staging))
        {
            Directory.Delete(Staging, recursive: true);
        }
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool, too late for assertions).</summary>
    private sealed class SyncProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines)
            {
                lines.Add(value);
            }
        }
    }
}
