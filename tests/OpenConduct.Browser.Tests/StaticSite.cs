using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OpenConduct.Browser.Tests;

/// <summary>
/// The city's website in the tests: a second origin (Kestrel on another loopback port) serving the files of
/// <c>samples/widgets</c> and a few pages of the tests' own, with the sample's API address
/// (<see cref="SampleApi"/>) replaced by the API server's, so that every widget request crosses origins as on a real site.
/// </summary>
public sealed class StaticSite : IAsyncDisposable
{
    /// <summary>The API address that samples/widgets/embed.html is written for (the standalone server's default).</summary>
    public const string SampleApi = "http://127.0.0.1:7071";

    private readonly WebApplication app;

    private StaticSite(WebApplication app, Uri baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The origin (scheme, host, port) of the site, as CORS names it.</summary>
    public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>A free loopback port for the site, chosen before the API starts so that the API can allow its origin.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Serves the files of <paramref name="folder"/> (by name only: nothing else on disk) and <paramref name="pages"/>
    /// (path without the leading slash -> HTML), with <see cref="SampleApi"/> replaced by <paramref name="api"/> in HTML.
    /// </summary>
    public static async Task<StaticSite> StartAsync(int port, string folder, Uri api, IReadOnlyDictionary<string, string>? pages = null)
    {
        var apiBase = api.GetLeftPart(UriPartial.Authority);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var files = Directory.GetFiles(folder).ToDictionary(f => Path.GetFileName(f), f => f, StringComparer.Ordinal);
        app.MapGet("/{name}", (string name) =>
        {
            if (pages is not null && pages.TryGetValue(name, out var page))
            {
                return Results.Text(page.Replace(SampleApi, apiBase, StringComparison.Ordinal), "text/html", Encoding.UTF8);
            }

            if (!files.TryGetValue(name, out var path))
            {
                return Results.NotFound();
            }

            return Path.GetExtension(name) switch
            {
                ".html" => Results.Text(File.ReadAllText(path).Replace(SampleApi, apiBase, StringComparison.Ordinal), "text/html", Encoding.UTF8),
                ".geojson" => Results.File(path, "application/geo+json"),
                _ => Results.File(path, "application/octet-stream"),
            };
        });
        await app.StartAsync().ConfigureAwait(false);
        return new StaticSite(app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }
}
