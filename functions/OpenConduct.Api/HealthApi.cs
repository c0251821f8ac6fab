using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Storage;

namespace OpenConduct.Api;

/// <summary>The sources whose releases the API serves.</summary>
public sealed record ApiSources(IReadOnlyList<string> Ids);

/// <summary><c>/api/health</c> (the live releases are listed by <see cref="ReleasesApi"/>).</summary>
public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/health", HealthAsync).WithTags("Health").WithName("Health").WithSummary("Storage, index and release state.");
        return app;
    }

    /// <summary>
    /// 200 when every source has a live release, the index is built and no source's last run failed ("ok"), or when
    /// something is missing or failing ("degraded", with the details); 503 when storage or the index cannot be reached.
    /// Never cached. The last run's error text is not shown (it is for operators, in the run ledger and the logs).
    /// </summary>
    public static async Task<JsonHttpResult<HealthResponse>> HealthAsync(HttpContext context, IOfficerIndex index, IReleaseStore releases, ApiSources sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(sources);
        context.Response.Headers.CacheControl = "no-store";
        var storage = "ok";
        var live = sources.Ids.ToDictionary(s => s, _ => (string?)null, StringComparer.Ordinal);
        var runs = new Dictionary<string, SourceHealth>(StringComparer.Ordinal);

        // The same short budget as the API's reads: an outage is reported within seconds, not after the SDK's retries.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(ApiReleaseStore.ReadTimeout);
        try
        {
            foreach (var release in await releases.GetLiveAsync(sources.Ids, budget.Token).ConfigureAwait(false))
            {
                live[release.Source] = release.ReleaseId;
            }

            if (context.RequestServices.GetService(typeof(IPipelineLedger)) is IPipelineLedger ledger)
            {
                foreach (var source in sources.Ids)
                {
                    var state = await ledger.GetSourceOrNewAsync(source, budget.Token).ConfigureAwait(false);
                    runs[source] = new SourceHealth(state.LastPull, state.LastSuccess, state.LastError is not null, state.LastRunId);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            storage = "unreachable";
        }

        string? generation = null;
        var indexState = "ok";
        try
        {
            generation = await index.GetGenerationAsync(cancellationToken).ConfigureAwait(false);
            indexState = generation is null ? "empty" : "ok";
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            indexState = "unreachable";
        }

        var unavailable = storage != "ok" || indexState == "unreachable";
        var complete = indexState == "ok" && live.Values.All(v => v is not null) && !runs.Values.Any(r => r.LastRunFailed);
        var status = unavailable ? "unavailable" : complete ? "ok" : "degraded";
        return TypedResults.Json(
            new HealthResponse(status, storage, indexState, generation, live, runs.Count == 0 ? null : runs),
            statusCode: unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }
}

/// <summary>The service's state: <c>status</c> is ok, degraded or unavailable; <c>sources</c> only where the host runs the pipeline.</summary>
public sealed record HealthResponse(string Status, string Storage, string Index, string? IndexGeneration, IReadOnlyDictionary<string, string?> Releases, IReadOnlyDictionary<string, SourceHealth>? Sources);

/// <summary>A source's last pull, last success and whether its last run failed (the run ledger).</summary>
public sealed record SourceHealth(DateTimeOffset? LastPull, DateTimeOffset? LastSuccess, bool LastRunFailed, string? LastRunId);
