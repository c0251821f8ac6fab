using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OpenConduct.Api;

/// <summary>problem+json responses with a clear message and nothing internal (no stack trace, no type names).</summary>
public static class Problems
{
    public static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad request");

    public static ProblemHttpResult Status(int status, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title);

    public static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem(detail: $"There is no {what} '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}

/// <summary>ETag (the data's generation or release id) and Cache-Control on every GET; 304 on a matching If-None-Match.</summary>
public static class Caching
{
    /// <summary>How long a client or proxy may reuse a response (the data changes every two weeks).</summary>
    public const int MaxAgeSeconds = 300;

    /// <summary>
    /// The Cache-Control of what never changes at its URL (an artefact of a release: releases are immutable): a year,
    /// and <c>immutable</c> so that browsers do not even revalidate it.
    /// </summary>
    public const string ImmutableCacheControl = "public, max-age=31536000, immutable";

    private static readonly string MaxAgeCacheControl = "public, max-age=" + MaxAgeSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);

    // The last version's ETag (the generation changes every two weeks; every answer between carries the same one).
    private static Tuple<string, string>? lastETag;

    /// <summary>Sets the ETag and Cache-Control headers; returns true when the client's copy is current (answer 304).</summary>
    public static bool NotModified(HttpContext context, string? version) => NotModified(context, version, immutable: false);

    /// <summary>
    /// As <see cref="NotModified(HttpContext, string?)"/>; with <paramref name="immutable"/>, the response never changes
    /// at its URL and is cached for a year (<see cref="ImmutableCacheControl"/>).
    /// </summary>
    public static bool NotModified(HttpContext context, string? version, bool immutable)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.CacheControl = immutable ? ImmutableCacheControl : MaxAgeCacheControl;
        if (version is null)
        {
            return false;
        }

        var etag = ETagOf(version);
        context.Response.Headers.ETag = etag;
        var ifNoneMatch = context.Request.Headers.IfNoneMatch;
        return ifNoneMatch.Count > 0 && ifNoneMatch.Any(v => v is not null && (v == etag || v == "*" || v.Split(',').Any(t => t.Trim() == etag)));
    }

    private static string ETagOf(string version)
    {
        var last = Volatile.Read(ref lastETag);
        if (last is not null && string.Equals(last.Item1, version, StringComparison.Ordinal))
        {
            return last.Item2;
        }

        var etag = $"\"{version}\"";
        Volatile.Write(ref lastETag, Tuple.Create(version, etag));
        return etag;
    }
}
