using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;

namespace OpenConduct.Api;

/// <summary>
/// <c>/api/releases</c>: the live release of every source, and every artefact of every complete release (one with a
/// manifest) of a configured source, as the publisher's <c>baseUrl</c> names them in each release's catalog.
/// </summary>
public static class ReleasesApi
{
    public static RouteGroupBuilder MapReleasesApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/releases").WithTags("Releases");

        // The literal segment wins over the parameters, so /api/releases/latest is never taken for a source.
        api.MapGet("/latest", LatestAsync).WithName("LatestReleases").WithSummary("The live release of every source.");
        api.MapGet("/{source}/{releaseId}/{**path}", GetArtefactAsync).WithName("GetReleaseArtefact")
            .WithSummary("One artefact of a release, as its manifest lists it (datasets, records, datapackage.json, data.json, changes.json, quality.json, row-errors.csv, manifest.json). Immutable: ETag is its SHA-256.");
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<LatestRelease>>, StatusCodeHttpResult>> LatestAsync(HttpContext context, [FromKeyedServices(ApiReleaseStore.Key)] IReleaseStore releases, ApiSources sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(sources);
        var list = new List<LatestRelease>();
        foreach (var (source, id) in await releases.GetLiveAsync(sources.Ids, cancellationToken).ConfigureAwait(false))
        {
            if (await ReleaseFiles.ManifestAsync(releases, source, id, cancellationToken).ConfigureAwait(false) is { } manifest)
            {
                list.Add(new LatestRelease(source, id, manifest.PublishedAt, manifest.PreviousReleaseId, manifest.Counts.Complaints, manifest.Counts.Allegations, manifest.Counts.Officers));
            }
        }

        if (Caching.NotModified(context, string.Join('+', list.Select(r => r.ReleaseId))))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok<IReadOnlyList<LatestRelease>>(list);
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult, StatusCodeHttpResult>> GetArtefactAsync(
        HttpContext context, [FromKeyedServices(ApiReleaseStore.Key)] IReleaseStore releases, ApiSources sources, string source, string releaseId, string? path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(sources);
        if (!sources.Ids.Contains(source, StringComparer.Ordinal))
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not found", $"There is no source '{ReleaseFiles.Shorten(source)}'. Sources: {string.Join(", ", sources.Ids)}.");
        }

        if (await ReleaseFiles.ManifestAsync(releases, source, releaseId, cancellationToken).ConfigureAwait(false) is not { } manifest)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not found", $"Source '{source}' has no complete release '{ReleaseFiles.Shorten(releaseId)}'.");
        }

        if (string.IsNullOrEmpty(path))
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not found", $"Name an artefact of the release, e.g. /api/releases/{source}/{releaseId}/{ReleasePaths.Manifest}, which lists them all.");
        }

        // Only the paths the manifest lists (compared as they are: nothing is combined with a folder, so '..',
        // backslashes or an absolute path can never name anything else), and the manifest itself.
        if (path == ReleasePaths.Manifest)
        {
            var bytes = await ReleaseFiles.ReadBytesAsync(releases.Open(source, releaseId), ReleasePaths.Manifest, cancellationToken).ConfigureAwait(false);
            if (bytes is null)
            {
                return Problems.Status(StatusCodes.Status404NotFound, "Not found", $"Source '{source}' has no complete release '{releaseId}'.");
            }

            if (Caching.NotModified(context, Convert.ToHexStringLower(SHA256.HashData(bytes)), immutable: true))
            {
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }

            context.Response.ContentLength = bytes.Length;
            return TypedResults.Stream(new MemoryStream(bytes, writable: false), ReleaseFiles.ContentType(path));
        }

        if (manifest.Artefacts.FirstOrDefault(a => a.Path == path) is not { } artefact)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not found",
                $"Release {releaseId} of source '{source}' has no artefact '{ReleaseFiles.Shorten(path)}'. Its manifest ({ReleasePaths.Manifest}) lists every artefact.");
        }

        if (Caching.NotModified(context, artefact.Sha256, immutable: true))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return await ReleaseFiles.StreamAsync(context, releases.Open(source, releaseId), artefact, cancellationToken).ConfigureAwait(false) is { } stream
            ? stream
            : Problems.Status(StatusCodes.Status404NotFound, "Not found", $"Release {releaseId} of source '{source}' has no artefact '{path}'.");
    }
}

public sealed record LatestRelease(string Source, string ReleaseId, DateTimeOffset PublishedAt, string? PreviousReleaseId, long Complaints, long Allegations, long Officers);

/// <summary>
/// Reading releases for the API: manifests and the small documents derived from a release, cached per release
/// store (a release never changes once its manifest is written), the ETag of a set of live releases, and artefacts
/// streamed from the store with their content type and length.
/// </summary>
internal static class ReleaseFiles
{
    /// <summary>The most entries kept per store (manifests and documents of about a hundred releases per source); then the cache starts over.</summary>
    private const int MaxCached = 2048;

    /// <summary>The longest id or path echoed back in a problem.</summary>
    private const int MaxEcho = 100;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly ConditionalWeakTable<IReleaseStore, ConcurrentDictionary<string, object>> Caches = [];

    /// <summary>The ETag of responses built from these live releases: <c>{source}/{releaseId}</c> joined with '+'.</summary>
    public static string Version(IReadOnlyList<LiveRelease> live) => live.Count == 0 ? "none" : string.Join('+', live.Select(r => r.ToString()));

    /// <summary>The manifest of a complete release, or null when the ids are not valid store names or the release has no manifest.</summary>
    public static Task<ReleaseManifest?> ManifestAsync(IReleaseStore releases, string source, string releaseId, CancellationToken cancellationToken) =>
        IsSegment(source) && IsSegment(releaseId)
            ? CachedAsync(releases, $"manifest:{source}/{releaseId}", () => ReleaseManifestIo.ReadAsync(releases.Open(source, releaseId), cancellationToken))
            : Task.FromResult<ReleaseManifest?>(null);

    /// <summary>
    /// A value derived from a complete release, computed once per store: <paramref name="key"/> must name the release
    /// (its source and id). Null is not kept (the release may be complete later).
    /// </summary>
    public static async Task<T?> CachedAsync<T>(IReleaseStore releases, string key, Func<Task<T?>> load)
        where T : class
    {
        var cache = Caches.GetValue(releases, _ => new ConcurrentDictionary<string, object>(StringComparer.Ordinal));
        if (cache.TryGetValue(key, out var hit))
        {
            return (T)hit;
        }

        var value = await load().ConfigureAwait(false);
        if (value is not null)
        {
            if (cache.Count >= MaxCached)
            {
                cache.Clear();
            }

            cache[key] = value;
        }

        return value;
    }

    /// <summary>A small artefact's bytes (a manifest, a JSON document), or null when there is none.</summary>
    public static async Task<byte[]?> ReadBytesAsync(IArtefactStore store, string path, CancellationToken cancellationToken)
    {
        var stream = await store.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            return copy.ToArray();
        }
    }

    /// <summary>A small JSON artefact, parsed, or null when there is none or it is not JSON.</summary>
    public static async Task<JsonDocument?> ReadJsonAsync(IArtefactStore store, string path, CancellationToken cancellationToken)
    {
        var stream = await store.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// The artefact streamed from the store (never held whole), with its content type and the length the manifest
    /// gives; null when the store has no such file. The caller sets ETag and Cache-Control first.
    /// </summary>
    public static async Task<FileStreamHttpResult?> StreamAsync(HttpContext context, IArtefactStore store, ArtefactInfo artefact, CancellationToken cancellationToken)
    {
        var stream = await store.OpenReadAsync(artefact.Path, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        context.Response.ContentLength = artefact.Bytes;
        return TypedResults.Stream(stream, ContentType(artefact.Path));
    }

    /// <summary>
    /// The content type of an artefact: CSV and JSON as UTF-8 text; the gzipped records as <c>application/gzip</c>
    /// (a file that stays compressed when saved, so never with a Content-Encoding).
    /// </summary>
    public static string ContentType(string path) =>
        path.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv; charset=utf-8"
        : path.EndsWith(".json", StringComparison.Ordinal) ? "application/json"
        : path.EndsWith(".gz", StringComparison.Ordinal) ? "application/gzip"
        : "application/octet-stream";

    /// <summary>A source or release id as the store accepts it (letters, digits, '-', '_', '.', not starting with '.').</summary>
    public static bool IsSegment(string value) =>
        value.Length is > 0 and <= 64 && value[0] != '.' && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    /// <summary>What the client sent, cut to a readable length for a problem's message.</summary>
    public static string Shorten(string value) => value.Length <= MaxEcho ? value : value[..MaxEcho] + "...";
}
