using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenConduct.Core.Storage;

namespace OpenConduct.Api;

/// <summary>
/// The release store as the public API reads it (keyed service <see cref="Key"/>; the pipeline keeps the plain one):
/// every storage read has a short, explicit budget (<see cref="ReadTimeout"/>, the SDK's retries included) instead of
/// the pipeline's long one, and a source's <c>latest</c> pointer that cannot be read in time is answered from the last
/// one read, marking the request as stale (<see cref="StaleRequest"/>). The small artefacts of a release are already
/// kept in memory once read (<c>ReleaseFiles</c>), so during an outage the live release's manifest, catalog, change
/// feed, datasets list and dashboards keep being served, stale but served; what was never read fails fast with
/// <see cref="StorageUnavailableException"/>, answered 503 with <c>Retry-After</c>.
/// </summary>
public sealed class ApiReleaseStore(IReleaseStore inner, TimeProvider time) : IReleaseStore
{
    /// <summary>The keyed-service key of the API's store.</summary>
    public const string Key = "api";

    /// <summary>How long one read may take on a request path, retries included.</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(3);

    /// <summary>While storage is failing, how often a read tries it again.</summary>
    public static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (string? Id, DateTimeOffset ReadAt)> latest = new(StringComparer.Ordinal);

    private long lastProbeTicks;

    public string Location => inner.Location;

    /// <summary>When storage last failed a read of this store, or null since it last answered.</summary>
    public DateTimeOffset? FailingSince { get; private set; }

    public async Task<string?> GetLatestAsync(string source, CancellationToken cancellationToken = default)
    {
        try
        {
            var id = await ReadAsync(token => inner.GetLatestAsync(source, token), cancellationToken).ConfigureAwait(false);
            latest[source] = (id, time.GetUtcNow());
            return id;
        }
        catch (StorageUnavailableException) when (latest.TryGetValue(source, out var known))
        {
            StaleRequest.Mark(known.ReadAt);
            return known.Id;
        }
    }

    public Task SetLatestAsync(string source, string releaseId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The API does not publish releases.");

    public IArtefactStore Open(string source, string releaseId) => new Artefacts(this, inner.Open(source, releaseId));

    public Task<IReadOnlyList<string>> ListAsync(string source, CancellationToken cancellationToken = default) =>
        ReadAsync(token => inner.ListAsync(source, token), cancellationToken);

    /// <summary>
    /// Runs one read within <see cref="ReadTimeout"/>; a timeout or a storage failure becomes
    /// <see cref="StorageUnavailableException"/>. While storage is failing, one read every <see cref="ProbeInterval"/>
    /// tries it again and the others fail at once (a circuit breaker), so a request that reads several things does not
    /// wait a budget for each.
    /// </summary>
    private async Task<T> ReadAsync<T>(Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        if (FailingSince is { } failing)
        {
            var now = time.GetUtcNow();
            var last = new DateTimeOffset(Interlocked.Read(ref lastProbeTicks), TimeSpan.Zero);
            if (now - last < ProbeInterval || Interlocked.CompareExchange(ref lastProbeTicks, now.UtcTicks, last.UtcTicks) != last.UtcTicks)
            {
                throw new StorageUnavailableException(failing, new TimeoutException("storage is failing; the next try is due within " + ProbeInterval.TotalSeconds + " s"));
            }
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(ReadTimeout);
        try
        {
            var value = await read(budget.Token).ConfigureAwait(false);
            FailingSince = null;
            return value;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && IsOutage(ex))
        {
            FailingSince ??= time.GetUtcNow();
            Interlocked.Exchange(ref lastProbeTicks, time.GetUtcNow().UtcTicks);
            throw new StorageUnavailableException(FailingSince.Value, ex);
        }
    }

    /// <summary>A timeout, a network failure or a server error of the store (not a missing blob, which reads return as null).</summary>
    private static bool IsOutage(Exception ex) => ex switch
    {
        OperationCanceledException => true,
        IOException or System.Net.Http.HttpRequestException or System.Net.Sockets.SocketException or TimeoutException => true,
        AggregateException aggregate => aggregate.InnerExceptions.All(IsOutage),
        // Azure.RequestFailedException (this project does not reference the SDK): its HTTP status, 0 without a response.
        _ when ex.GetType().FullName == "Azure.RequestFailedException" => ex.GetType().GetProperty("Status")?.GetValue(ex) is int status && status is 0 or >= 500 or 408 or 429,
        _ => ex.InnerException is { } inner && IsOutage(inner),
    };

    private sealed class Artefacts(ApiReleaseStore owner, IArtefactStore inner) : IArtefactStore
    {
        public string Location => inner.Location;

        public Task<ArtefactInfo> WriteAsync(string path, string contentType, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The API does not write artefacts.");

        public Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken = default) =>
            owner.ReadAsync(token => inner.OpenReadAsync(path, token), cancellationToken);
    }
}

/// <summary>Storage cannot be read in time and nothing read before can answer: the API answers 503 with Retry-After.</summary>
public sealed class StorageUnavailableException(DateTimeOffset since, Exception inner)
    : Exception($"storage has not answered in time since {since:O}", inner)
{
    /// <summary>Seconds a client should wait before trying again.</summary>
    public const int RetryAfterSeconds = 30;

    public DateTimeOffset Since { get; } = since;

    /// <summary>The answer to give: 503, Retry-After, a problem that says what happened (no storage detail).</summary>
    public static ProblemHttpResult Answer(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        return Problems.Status(StatusCodes.Status503ServiceUnavailable, "Service unavailable",
            $"The published data cannot be read right now; try again in {RetryAfterSeconds} seconds.");
    }
}

/// <summary>
/// Whether the current request was answered from a <c>latest</c> pointer read before an outage, and since when: the
/// hosts set <see cref="Begin"/> per request and, when <see cref="Since"/> is set, add the header
/// <c>OpenConduct-Stale-Since</c> (the time of the last successful read) and shorten the cache lifetime.
/// </summary>
public sealed class StaleRequest
{
    /// <summary>The response header that says the answer may be stale, and since when.</summary>
    public const string Header = "OpenConduct-Stale-Since";

    private static readonly AsyncLocal<StaleRequest?> Current = new();

    public DateTimeOffset? Since { get; private set; }

    /// <summary>Starts tracking the current request (its async flow).</summary>
    public static StaleRequest Begin() => Current.Value = new StaleRequest();

    internal static void Mark(DateTimeOffset readAt)
    {
        if (Current.Value is { } request && (request.Since is null || readAt < request.Since))
        {
            request.Since = readAt;
        }
    }

    /// <summary>Adds the header and a short cache lifetime when the answer was stale.</summary>
    public void Apply(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (Since is { } since && response.StatusCode < 400)
        {
            response.Headers[Header] = since.ToString("O", CultureInfo.InvariantCulture);
            response.Headers.CacheControl = "public, max-age=30";
        }
    }
}
