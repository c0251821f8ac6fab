using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Options;
using OpenConduct.Api;

namespace OpenConduct.Functions;

/// <summary>
/// The standalone server's rate limit per client address (<see cref="ApiOptions.RateLimitPerMinute"/>, setting
/// <c>Api__RateLimitPerMinute</c>, 0 for none), in this worker instance's memory: the same partitions
/// (<see cref="ApiHosting.ClientPartition"/>) and the same 429 answer (<see cref="ApiHosting.TooManyRequests"/>).
/// The client address is the connection's as the ASP.NET Core integration's forwarded-headers step sets it from the
/// platform's <c>X-Forwarded-For</c>. Each instance counts alone, so a client spread over N instances may make up to N
/// times the limit (docs/deploy.md, "Rate limiting").
/// </summary>
public sealed class ApiClientLimiter(IOptions<ApiOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> limiter =
        PartitionedRateLimiter.Create<HttpContext, IPAddress>(context => ApiHosting.ClientPartition(context, options.Value.RateLimitPerMinute));

    /// <summary>Null when the request may go on; otherwise the 429 answer to give instead, its headers set.</summary>
    public IResult? Reject(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var lease = limiter.AttemptAcquire(context);
        if (lease.IsAcquired)
        {
            return null;
        }

        ApiHosting.AddResponseHeaders(context.Response);
        return ApiHosting.TooManyRequests(context.Response, lease);
    }

    public void Dispose() => limiter.Dispose();
}

/// <summary>
/// Worker middleware in front of every HTTP function: a request over its client's limit is answered 429 by the
/// ASP.NET Core integration (which executes the invocation's <see cref="IResult"/>) and the function does not run.
/// </summary>
public sealed class ApiRateLimiting(ApiClientLimiter limiter) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.GetHttpContext() is { } http && limiter.Reject(http) is { } rejected)
        {
            context.GetInvocationResult().Value = rejected;
            return;
        }

        await next(context);
    }
}

/// <summary>
/// Worker middleware around every HTTP function, as the standalone server's pipeline does: storage that cannot be read
/// in time (<see cref="StorageUnavailableException"/>) is answered 503 with <c>Retry-After</c> instead of failing the
/// invocation, and an answer built from a <c>latest</c> pointer read before an outage carries
/// <see cref="StaleRequest.Header"/>.
/// </summary>
public sealed class ApiStorageOutage : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var stale = StaleRequest.Begin();
        try
        {
            await next(context);
        }
        catch (Exception ex) when (context.GetHttpContext() is { } http && Unwrap(ex) is StorageUnavailableException)
        {
            ApiHosting.AddResponseHeaders(http.Response);
            context.GetInvocationResult().Value = StorageUnavailableException.Answer(http.Response);
            return;
        }

        if (context.GetHttpContext() is { } response)
        {
            stale.Apply(response.Response);
        }
    }

    private static Exception Unwrap(Exception ex) => ex is AggregateException { InnerExceptions.Count: 1 } one ? Unwrap(one.InnerExceptions[0]) : ex.InnerException is StorageUnavailableException inner ? inner : ex;
}
