using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace OpenConduct.Api;

/// <summary>
/// <c>/api/docs</c>: the interactive API reference, Scalar's (the <c>@scalar/api-reference</c> bundle that
/// Scalar.AspNetCore embeds, served from that assembly as <c>/api/docs/scalar.js</c>) over the API's own OpenAPI
/// document (<c>/api/openapi.json</c>, relative to the page, so it is the host's own). The same page and script in both
/// hosts; the page carries no inline script (Scalar's HTML API: a <c>script#api-reference</c> with <c>data-url</c>),
/// so that its Content-Security-Policy allows only this origin's scripts, no other origin at all (no web fonts, no
/// telemetry, no proxy). Scalar's muted text (both themes) and its light theme's green (JSON literals in the examples)
/// are given a contrast of 4.5 or more on their backgrounds (axe-core's colour-contrast rule, checked by the browser tests).
/// </summary>
public static class ApiReference
{
    /// <summary>The name of Scalar's bundle among Scalar.AspNetCore's resources (gzip-compressed there).</summary>
    public const string BundleResource = "ScalarStaticAssets.scalar.js";

    /// <summary>The page's policy: scripts and data from this origin only; Scalar sets inline styles.</summary>
    public const string PagePolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private const string Page = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>OpenConduct API reference</title>
          <link rel="icon" href="data:,">
        </head>
        <body>
          <noscript>The interactive reference needs JavaScript; the API's description is <a href="openapi.json">openapi.json</a> (OpenAPI 3.1).</noscript>
          <script id="api-reference" data-url="openapi.json" data-configuration='{"withDefaultFonts":false,"telemetry":false,"showDeveloperTools":"never","showToolbar":"never","agent":{"disabled":true},"mcp":{"disabled":true},"hideClientButton":false,"customCss":".light-mode{--scalar-color-3:#6b6b6b;--scalar-color-green:#00734c}.dark-mode{--scalar-color-3:#8f8f8f}"}'></script>
          <script src="docs/scalar.js"></script>
        </body>
        </html>
        """;

    private static readonly Lazy<Bundle> Script = new(Bundle.Load);

    public static IEndpointRouteBuilder MapApiReference(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/docs", Reference).WithName("ApiReference").ExcludeFromDescription();
        app.MapGet("/api/docs/scalar.js", ScriptFile).WithName("ApiReferenceScript").ExcludeFromDescription();
        return app;
    }

    /// <summary>The page (HTML), under its own Content-Security-Policy.</summary>
    public static ContentHttpResult Reference(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.ContentSecurityPolicy = PagePolicy;
        Caching.NotModified(context, null);
        return TypedResults.Text(Page, "text/html; charset=utf-8");
    }

    /// <summary>Scalar's bundle: gzip-encoded as embedded when the client accepts gzip (every browser), else decoded.</summary>
    public static Results<FileContentHttpResult, StatusCodeHttpResult> ScriptFile(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var bundle = Script.Value;
        context.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptEncoding);
        if (Caching.NotModified(context, bundle.Sha256))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var gzip = context.Request.Headers.AcceptEncoding.Any(v => v is not null && v.Split(',').Any(e => e.Split(';')[0].Trim().Equals("gzip", StringComparison.OrdinalIgnoreCase)));
        if (gzip)
        {
            context.Response.Headers.ContentEncoding = "gzip";
        }

        return TypedResults.Bytes(gzip ? bundle.Gzip : bundle.Decoded.Value, "text/javascript; charset=utf-8");
    }

    private sealed record Bundle(byte[] Gzip, string Sha256, Lazy<byte[]> Decoded)
    {
        public static Bundle Load()
        {
            var assembly = typeof(Scalar.AspNetCore.ScalarOptions).Assembly;
            using var stream = assembly.GetManifestResourceStream(BundleResource)
                ?? throw new InvalidOperationException($"{assembly.GetName().Name} {assembly.GetName().Version} has no resource {BundleResource}: see OpenConduct.Api/ApiReference.cs");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var gzip = copy.ToArray();
            return new Bundle(gzip, Convert.ToHexStringLower(SHA256.HashData(gzip))[..16], new Lazy<byte[]>(() => Decode(gzip)));
        }

        private static byte[] Decode(byte[] gzip)
        {
            using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
    }
}
