using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OpenConduct.Api;

/// <summary>problem+json responses with a clear message and nothing internal (no stack trace, no type names).</summary>
public static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem(detail: $"There is no {what} '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}

/// <summary>ETag (the data's generation or release id) and Cache-Control on every GET; 304 on a matching If-None-Match.</summary>
public static class Caching
{
    /// <summary>How long a client or proxy may reuse a response (the data changes every two weeks).</summary>
    public const int MaxAgeSeconds = 300;

    /// <summary>Sets the ETag and Cache-Control headers; returns true when the client's copy is current (answer 304).</summary>
    public static bool NotModified(HttpContext context, string? version)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.CacheControl = $"public, max-age={MaxAgeSeconds}";
        if (version is null)
        {
            return false;
        }

        var etag = $"\"{version}\"";
        context.Response.Headers.ETag = etag;
        return context.Request.Headers.IfNoneMatch.Any(v => v is not null && (v == etag || v == "*" || v.Split(',').Any(t => t.Trim() == etag)));
    }
}
