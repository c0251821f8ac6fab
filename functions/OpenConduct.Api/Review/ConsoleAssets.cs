using Microsoft.AspNetCore.Http;

namespace OpenConduct.Api.Review;

/// <summary>
/// The review console's page, script and style, embedded in this assembly and served with a Content-Security-Policy
/// of their own (scripts, styles and requests from the same origin only; no framing, no inline code).
/// </summary>
public static class ConsoleAssets
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    private static readonly Lazy<byte[]> PageBytes = new(() => Load("console.html"));
    private static readonly Lazy<byte[]> ScriptBytes = new(() => Load("console.js"));
    private static readonly Lazy<byte[]> StyleBytes = new(() => Load("console.css"));

    /// <summary><c>/review</c> to <c>/review/</c>, so that the page's relative URLs (<c>console.js</c>, <c>api/...</c>) resolve under it in either host.</summary>
    public static IResult ToSlash(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return TypedResults.Redirect(context.Request.PathBase + context.Request.Path + "/");
    }

    /// <summary>
    /// <c>/review/</c>: the page; <c>/review</c>: the redirect to it. One route serves both, in either host: routing
    /// ignores a trailing slash, so two routes (<c>/review</c> and <c>/review/</c>) would both match either path.
    /// </summary>
    public static IResult PageOrSlash(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Request.Path.Value?.EndsWith('/') == true ? Page(context) : ToSlash(context);
    }

    public static IResult Page(HttpContext context) => Serve(context, PageBytes.Value, "text/html; charset=utf-8");

    public static IResult Script(HttpContext context) => Serve(context, ScriptBytes.Value, "text/javascript; charset=utf-8");

    public static IResult Style(HttpContext context) => Serve(context, StyleBytes.Value, "text/css; charset=utf-8");

    private static IResult Serve(HttpContext context, byte[] bytes, string contentType)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        return TypedResults.Bytes(bytes, contentType);
    }

    private static byte[] Load(string file)
    {
        var name = "OpenConduct.Api.review." + file;
        using var stream = typeof(ConsoleAssets).Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"the review console's {file} is not embedded ({name})");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
