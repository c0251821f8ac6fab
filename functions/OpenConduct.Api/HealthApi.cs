using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Storage;

namespace OpenConduct.Api;

/// <summary>The sources whose releases the API serves.</summary>
public sealed record ApiSources(IReadOnlyList<string> Ids);

/// <summary><c>/api/health</c> and <c>/api/releases/latest</c>.</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/health", HealthAsync).WithTags("Health").WithName("Health").WithSummary("Storage, index and release state.");
        app.MapGet("/api/releases/latest", LatestAsync).WithTags("Releases").WithName("LatestReleases").WithSummary("The live release of every source.");
        return app;
    }

    public static async Task<Ok<HealthResponse>> HealthAsync(IOfficerIndex index, IReleaseStore releases, ApiSources sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(sources);
        var ids = (await releases.GetLiveAsync(sources.Ids, cancellationToken).ConfigureAwait(false)).ToDictionary(r => r.Source, r => r.ReleaseId);
        var live = sources.Ids.ToDictionary(s => s, s => ids.GetValueOrDefault(s), StringComparer.Ordinal);

        var generation = await index.GetGenerationAsync(cancellationToken).ConfigureAwait(false);
        var status = generation is not null && live.Values.All(v => v is not null) ? "ok" : "degraded";
        return TypedResults.Ok(new HealthResponse(status, generation, live));
    }

    public static async Task<Results<Ok<IReadOnlyList<LatestRelease>>, StatusCodeHttpResult>> LatestAsync(HttpContext context, IReleaseStore releases, ApiSources sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(sources);
        var list = new List<LatestRelease>();
        foreach (var (source, id) in await releases.GetLiveAsync(sources.Ids, cancellationToken).ConfigureAwait(false))
        {
            if (await Core.Release.ReleaseManifestIo.ReadAsync(releases.Open(source, id), cancellationToken).ConfigureAwait(false) is { } manifest)
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
}

public sealed record HealthResponse(string Status, string? IndexGeneration, IReadOnlyDictionary<string, string?> Releases);

public sealed record LatestRelease(string Source, string ReleaseId, DateTimeOffset PublishedAt, string? PreviousReleaseId, long Complaints, long Allegations, long Officers);
