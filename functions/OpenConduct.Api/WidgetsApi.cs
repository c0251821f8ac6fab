using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace OpenConduct.Api;

/// <summary>
/// <c>/widgets</c>: the embeddable widgets (one ES module, <c>widgets/openconduct.js</c>, embedded in this assembly)
/// and the precinct boundaries the map draws. The script is served under a name carrying its hash
/// (<c>openconduct.{8 hex}.js</c>, cached for a year, immutable); <c>openconduct.js</c> redirects to it with a short
/// cache, so pages embed the stable name and still get a new version within minutes of a deployment.
/// </summary>
public static class WidgetsApi
{
    /// <summary>The manifest resource name of the script (see the csproj).</summary>
    public const string ScriptResource = "OpenConduct.Api.widgets.openconduct.js";

    /// <summary>How long a browser or proxy may keep the redirect from the stable name (seconds).</summary>
    public const int RedirectMaxAgeSeconds = 300;

    private static readonly Lazy<WidgetScript> Embedded = new(WidgetScript.Load);
    private static readonly ConcurrentDictionary<string, (DateTime Written, long Length, byte[] Bytes, string Hash)> Boundaries = new(StringComparer.Ordinal);

    /// <summary>The script as served: its bytes, the SHA-256 (hex) and the versioned file name.</summary>
    public static WidgetScript Script => Embedded.Value;

    public static RouteGroupBuilder MapWidgetsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var widgets = app.MapGroup("/widgets").WithTags("Widgets");
        widgets.MapGet("/openconduct.js", Latest).WithName("WidgetsScript")
            .WithSummary("The widgets' script: a redirect (302, cached 5 minutes) to its current versioned name.");
        widgets.MapGet("/openconduct.{version}.js", Versioned).WithName("WidgetsScriptVersion")
            .WithSummary("The widgets' script (an ES module) under its versioned name: immutable, cached for a year; another version redirects to the current one.");
        widgets.MapGet("/precincts.geojson", PrecinctsAsync).WithName("PrecinctBoundaries")
            .WithSummary("The precinct boundaries (GeoJSON) that <oc-map> draws, as configured (Api:PrecinctsGeoJson, --precincts).");
        return widgets;
    }

    public static RedirectHttpResult Latest(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Redirect(context);
    }

    public static Results<FileContentHttpResult, RedirectHttpResult, StatusCodeHttpResult> Versioned(HttpContext context, string version)
    {
        ArgumentNullException.ThrowIfNull(context);
        var script = Script;
        if (!string.Equals(version, script.Version, StringComparison.OrdinalIgnoreCase))
        {
            // A page that pinned an older (or a mistyped) version gets the current one rather than a broken page.
            return Redirect(context);
        }

        if (Caching.NotModified(context, script.Sha256, immutable: true))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(script.Bytes, WidgetScript.ContentType);
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult, StatusCodeHttpResult>> PrecinctsAsync(
        HttpContext context, IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var path = options.Value.PrecinctsGeoJson;
        var file = string.IsNullOrEmpty(path) ? null : new FileInfo(path);
        if (file is not { Exists: true })
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not found", "No precinct boundaries are configured: give the standalone server --precincts <file.geojson>, or set Api:PrecinctsGeoJson.");
        }

        if (!Boundaries.TryGetValue(file.FullName, out var cached) || cached.Written != file.LastWriteTimeUtc || cached.Length != file.Length)
        {
            var bytes = await File.ReadAllBytesAsync(file.FullName, cancellationToken).ConfigureAwait(false);
            cached = (file.LastWriteTimeUtc, file.Length, bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
            Boundaries[file.FullName] = cached;
        }

        if (Caching.NotModified(context, cached.Hash))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Bytes(cached.Bytes, "application/geo+json");
    }

    /// <summary>
    /// Any file under <c>/widgets/</c> by name, for a host that maps one route <c>widgets/{file}</c> (the Functions app,
    /// where the route prefix puts it under <c>/api/widgets/</c>): the stable name, a versioned name or the boundaries.
    /// </summary>
    public static async Task<IResult> GetFileAsync(HttpContext context, IOptions<ApiOptions> options, string file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(file);
        if (file == "openconduct.js")
        {
            return Latest(context);
        }

        if (file == "precincts.geojson")
        {
            return (await PrecinctsAsync(context, options, cancellationToken).ConfigureAwait(false)).Result;
        }

        if (file.StartsWith("openconduct.", StringComparison.Ordinal) && file.EndsWith(".js", StringComparison.Ordinal) && file.Length > "openconduct..js".Length)
        {
            return Versioned(context, file["openconduct.".Length..^".js".Length]).Result;
        }

        return Problems.Status(StatusCodes.Status404NotFound, "Not found", "The widgets are /widgets/openconduct.js (the script) and /widgets/precincts.geojson (the precinct boundaries).");
    }

    private static RedirectHttpResult Redirect(HttpContext context)
    {
        context.Response.Headers.CacheControl = $"public, max-age={RedirectMaxAgeSeconds}";

        // Relative to /widgets/, so that it holds behind a proxy or a route prefix.
        return TypedResults.Redirect(Script.FileName);
    }
}

/// <summary>The widgets' script: its bytes, SHA-256 (lowercase hex), version (the hash's first 8 digits) and versioned file name.</summary>
public sealed record WidgetScript(byte[] Bytes, string Sha256)
{
    public const string ContentType = "application/javascript; charset=utf-8";

    public string Version => Sha256[..8];

    public string FileName => $"openconduct.{Version}.js";

    internal static WidgetScript Load()
    {
        using var stream = typeof(WidgetsApi).Assembly.GetManifestResourceStream(WidgetsApi.ScriptResource)
            ?? throw new InvalidOperationException($"the resource {WidgetsApi.ScriptResource} is not embedded in {typeof(WidgetsApi).Assembly.GetName().Name}");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.ToArray();
        return new WidgetScript(bytes, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }
}
