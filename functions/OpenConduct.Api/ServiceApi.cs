using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenConduct.Api;

/// <summary>What the host does when the city asks for a refresh of a source now.</summary>
public interface IRefreshRequests
{
    /// <summary>Starts (or queues) a pull of the source, ignoring its cadence; null when there is no such source.</summary>
    Task<RefreshResponse?> RequestAsync(string source, CancellationToken cancellationToken);
}

/// <summary>The answer to a refresh request: what happened (<c>queued</c>, or the pull's outcome) and where to follow it.</summary>
public sealed record RefreshResponse(string Source, string Status, string? RunId = null, string? Message = null);

/// <summary>
/// The service endpoints: <c>GET /api/health/live</c> (liveness: answers without touching storage or the index) and
/// <c>POST /api/pipeline/refresh?source=</c> (a pull now; never anonymous). Not under <c>/api/admin</c>: the Functions
/// host reserves routes whose first segment is <c>admin</c>.
/// </summary>
public static class ServiceApi
{
    /// <summary>The header that carries the admin key (the one Azure Functions uses for function keys).</summary>
    public const string KeyHeader = "x-functions-key";

    public static IEndpointRouteBuilder MapServiceApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/health/live", Live).WithTags("Health").WithName("Live").WithSummary("Liveness: the process answers (touches nothing else).");
        app.MapPost("/api/pipeline/refresh", RefreshAsync).WithTags("Admin").WithName("Refresh")
            .WithSummary("Pulls a source now, whatever its cadence; processing follows. Requires the admin key in the x-functions-key header.")
            .AddEndpointFilter(RequireAdminKeyAsync);
        return app;
    }

    public static Ok<LiveResponse> Live() => TypedResults.Ok(new LiveResponse("ok"));

    public static async Task<Results<Accepted<RefreshResponse>, ProblemHttpResult>> RefreshAsync(HttpContext context, string? source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        // "code" is where Azure Functions also accepts the function key; the platform has checked it before the handler runs.
        if (context.Request.Query.Keys.FirstOrDefault(k => !k.Equals("source", StringComparison.OrdinalIgnoreCase) && !k.Equals("code", StringComparison.Ordinal)) is { } unknown)
        {
            return Problems.BadRequest($"Unknown query parameter '{unknown}'. Give source, the id of a configured source.");
        }

        if (string.IsNullOrWhiteSpace(source))
        {
            return Problems.BadRequest("Give source, the id of a configured source: POST /api/pipeline/refresh?source=opcr");
        }

        if (context.RequestServices.GetService(typeof(IRefreshRequests)) is not IRefreshRequests refresh)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "No pipeline", "This server serves a release folder and runs no pipeline: there is nothing to refresh.");
        }

        return await refresh.RequestAsync(source, cancellationToken).ConfigureAwait(false) is { } accepted
            ? TypedResults.Accepted("/api/health", accepted)
            : Problems.NotFound("source", source);
    }

    /// <summary>
    /// The standalone server's check of the admin key (constant-time). In Azure the function's authorization level does
    /// this before the handler runs, and no key is configured here, so the endpoint stays closed.
    /// </summary>
    private static async ValueTask<object?> RequireAdminKeyAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        var options = http.RequestServices.GetService(typeof(IOptions<ApiOptions>)) as IOptions<ApiOptions>;
        if (options?.Value.AdminKey is not { } key)
        {
            return Problems.Status(StatusCodes.Status403Forbidden, "Forbidden", "The admin endpoints are turned off: the server has no admin key (OPENCONDUCT_ADMIN_KEY).");
        }

        // Every attempt, right or wrong, takes a permit of the client's much smaller admin budget first: a key cannot be
        // guessed at the public rate.
        var attempts = http.RequestServices.GetRequiredService<AdminKeyAttempts>();
        using var lease = attempts.Attempt(http, out var refused);
        if (refused is not null)
        {
            return refused;
        }

        if (!attempts.Matches(http, http.Request.Headers[KeyHeader].ToString(), key))
        {
            return Problems.Status(StatusCodes.Status401Unauthorized, "Unauthorized", $"Give the admin key in the {KeyHeader} header.");
        }

        return await next(invocation).ConfigureAwait(false);
    }
}

/// <summary>
/// The standalone server's budget of admin-key attempts per client address, much stricter than the public rate
/// limit: <see cref="PerWindow"/> attempts (right or wrong) in each <see cref="Window"/>, then 429 with the real wait;
/// and the security log (category <see cref="Category"/>): a warning for every wrong or missing key and for every
/// attempt refused for being over the budget, with the client address, never the key given.
/// </summary>
public sealed partial class AdminKeyAttempts(ILoggerFactory loggers) : IDisposable
{
    /// <summary>The security log's category (<c>Logging:LogLevel:OpenConduct.Security</c>).</summary>
    public const string Category = "OpenConduct.Security";

    public const int PerWindow = 10;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    public PartitionedRateLimiter<IPAddress> Limiter { get; } = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address =>
        RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions { PermitLimit = PerWindow, Window = Window, QueueLimit = 0 }));

    public ILogger Log { get; } = loggers.CreateLogger(Category);

    public void Dispose() => Limiter.Dispose();

    /// <summary>
    /// Takes one attempt, right or wrong, from the client's budget: the lease to hold for the request, and with it the
    /// 429 (Retry-After, logged as over the budget) when the budget is spent, else null.
    /// </summary>
    public RateLimitLease Attempt(HttpContext http, out IResult? refused)
    {
        ArgumentNullException.ThrowIfNull(http);
        var client = http.Connection.RemoteIpAddress ?? IPAddress.None;
        var lease = Limiter.AttemptAcquire(client);
        refused = null;
        if (!lease.IsAcquired)
        {
            Refused(Log, client.ToString());
            refused = ApiHosting.TooManyRequests(http.Response, lease);
        }

        return lease;
    }

    /// <summary>Whether <paramref name="given"/> is the admin key (constant time); a wrong or missing key is logged, never the key.</summary>
    public bool Matches(HttpContext http, string given, string key)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (Secrets.FixedTimeEquals(given, key))
        {
            return true;
        }

        Rejected(Log, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", given.Length == 0);
        return false;
    }

    [LoggerMessage(EventId = 401, EventName = "AdminKeyRejected", Level = LogLevel.Warning, Message = "admin key rejected from {Client} ({Kind})")]
    private static partial void Rejected(ILogger logger, string client, string kind);

    private static void Rejected(ILogger logger, string client, bool missing) => Rejected(logger, client, missing ? "no key given" : "wrong key");

    [LoggerMessage(EventId = 429, EventName = "AdminKeyAttemptsExceeded", Level = LogLevel.Warning, Message = "admin key attempts over the budget from {Client}: refused")]
    private static partial void Refused(ILogger logger, string client);
}

public sealed record LiveResponse(string Status);
