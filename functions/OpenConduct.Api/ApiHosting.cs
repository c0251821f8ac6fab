using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenConduct.Api;

/// <summary>
/// The public API's services and request pipeline for an ASP.NET Core host (the standalone server): problem details,
/// JSON, OpenAPI, CORS for the configured origins, rate limiting per client address, security headers and a request
/// log without query strings. The Functions app registers the same services; its platform does CORS and keys.
/// </summary>
public static partial class ApiHosting
{
    public const string CorsPolicy = "city";
    public const string RateLimitPolicy = "per-client";

    /// <summary>
    /// The output cache of the officer endpoints: a response is kept per query string and per index generation, so a new
    /// generation is never answered from an old one's cache (type-ahead traffic repeats the same few prefixes).
    /// </summary>
    public const string OfficersCachePolicy = "officers";

    /// <summary>Registers the services the API's handlers take, with the options from the <c>Api</c> section (validated on start).</summary>
    public static IServiceCollection AddOpenConductApi(this IServiceCollection services, Action<ApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => o.Validate().Count == 0, "invalid API options").ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidation>();
        services.AddProblemDetails();
        services.AddKeyedSingleton<Core.Storage.IReleaseStore>(ApiReleaseStore.Key, (sp, _) =>
            new ApiReleaseStore(sp.GetRequiredService<Core.Storage.IReleaseStore>(), sp.GetService<TimeProvider>() ?? TimeProvider.System));
        services.AddExceptionHandler<StorageUnavailableHandler>();
        services.AddSingleton<CaseDirectory>();
        services.AddSingleton<AdminKeyAttempts>();
        services.AddSingleton<DashboardFactsCache>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);
        services.AddOpenApi("v1", o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "OpenConduct API";
            document.Info.Description = "Police-conduct records published under the jurisdiction's disclosure policy: officer search and histories, case status, open datasets, the change feed.";
            // No server URL (the one a request came in on is not the public one behind a proxy): clients use the
            // document's own origin, and both hosts serve the same document.
            document.Servers = [];
            return Task.CompletedTask;
        }));

        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<ApiOptions>>((cors, api) =>
            cors.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins([.. api.Value.CorsOrigins])
                .WithMethods("GET")
                .WithHeaders("If-None-Match", "Accept", "Accept-Language")
                .WithExposedHeaders("ETag", "Retry-After")
                .SetPreflightMaxAge(TimeSpan.FromHours(1))));

        services.AddOutputCache();
        services.AddOptions<OutputCacheOptions>().Configure<IOptions<ApiOptions>>((cache, api) =>
        {
            cache.SizeLimit = 64 * 1024 * 1024;
            var seconds = api.Value.OfficersCacheSeconds;
            cache.AddPolicy(OfficersCachePolicy, policy =>
            {
                if (seconds == 0)
                {
                    policy.NoCache();
                    return;
                }

                // Every query parameter is part of the key (an unknown one is a 400, never cached, so it cannot be
                // answered from the cache of a valid query), and so is the Origin (CORS headers differ by it).
                policy.Expire(TimeSpan.FromSeconds(seconds))
                    .SetVaryByQuery("*")
                    .SetVaryByHeader("Origin")
                    .VaryByValue(async (context, cancellationToken) => new KeyValuePair<string, string>(
                        "generation",
                        await context.RequestServices.GetRequiredService<Core.Officers.IOfficerIndex>().GetGenerationAsync(cancellationToken).ConfigureAwait(false) ?? ""));
            });
        });

        // Host filtering (used by the standalone server's pipeline): the public base URL's host and the loopback names;
        // any host when no public URL is configured. The web host's defaults put ASP.NET Core's host filtering first of
        // all middleware (a startup filter), where its 400 would carry neither the security headers nor a problem:
        // that filter is taken out, and UseOpenConductApi places the same middleware after them.
        foreach (var filter in services.Where(d => d.ServiceType == typeof(Microsoft.AspNetCore.Hosting.IStartupFilter) && d.ImplementationType?.Name == "HostFilteringStartupFilter").ToList())
        {
            services.Remove(filter);
        }

        services.AddHostFiltering(_ => { });
        services.AddOptions<Microsoft.AspNetCore.HostFiltering.HostFilteringOptions>().Configure<IOptions<ApiOptions>>((hosts, api) =>
        {
            hosts.AllowedHosts = api.Value.PublicBaseUrl is { } url && url.Scheme is "http" or "https"
                ? [url.IdnHost, "localhost", "127.0.0.1", "[::1]"]
                : ["*"];
            hosts.AllowEmptyHosts = false;
            hosts.IncludeFailureMessage = false;
        });

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<ApiOptions>>((limiter, api) =>
        {
            var perMinute = api.Value.RateLimitPerMinute;
            limiter.AddPolicy(RateLimitPolicy, context => ClientPartition(context, perMinute));
            limiter.OnRejected = (rejected, _) => new ValueTask(TooManyRequests(rejected.HttpContext.Response, rejected.Lease).ExecuteAsync(rejected.HttpContext));
        });
        return services;
    }

    /// <summary>
    /// The rate limit's partition of a request, in both hosts: its client address (the connection's, as forwarded by
    /// the platform in Azure), a token bucket of <paramref name="perMinute"/> requests refilled one request every
    /// 60 / <paramref name="perMinute"/> seconds, no queue; no limit when 0. Unlike a fixed window, whose edge lets a
    /// client make twice the limit within a second or two, a client that has used its bucket gets one request per
    /// refill, and the 429's <c>Retry-After</c> is the time until its next token (the limiter computes it).
    /// </summary>
    public static RateLimitPartition<IPAddress> ClientPartition(HttpContext context, int perMinute)
    {
        ArgumentNullException.ThrowIfNull(context);
        return perMinute == 0
            ? RateLimitPartition.GetNoLimiter(IPAddress.None)
            : RateLimitPartition.GetTokenBucketLimiter(
                context.Connection.RemoteIpAddress ?? IPAddress.None,
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = perMinute,
                    TokensPerPeriod = 1,
                    ReplenishmentPeriod = TimeSpan.FromMinutes(1) / perMinute,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
    }

    /// <summary>The answer to a client over its limit, in both hosts: 429, <c>Retry-After</c> (whole seconds until it may try again) and a problem.</summary>
    public static ProblemHttpResult TooManyRequests(HttpResponse response, RateLimitLease lease)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(lease);
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
        response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        return Problems.Status(StatusCodes.Status429TooManyRequests, "Too many requests", $"This address made too many requests; try again in {retryAfter} seconds.");
    }

    /// <summary>The request pipeline and every route of the API (and its OpenAPI document at <c>/api/openapi.json</c>).</summary>
    public static WebApplication UseOpenConductApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            AddResponseHeaders(context.Response);
            await next(context).ConfigureAwait(false);
        });
        app.UseMiddleware<RequestLog>();
        app.Use(async (context, next) =>
        {
            // The request-size limits, here rather than in Kestrel (whose own refusals are bare: no security headers,
            // no problem): the host raises Kestrel's limits above these (MaxRequestLineBytes, MaxRequestHeaderBytes).
            if (RequestTooLarge(context.Request) is { } refusal)
            {
                await refusal.ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        app.Use(async (context, next) =>
        {
            var stale = StaleRequest.Begin();
            context.Response.OnStarting(() =>
            {
                stale.Apply(context.Response);
                return Task.CompletedTask;
            });
            await next(context).ConfigureAwait(false);
        });
        app.UseHostFiltering();
        app.UseCors();
        app.UseRateLimiter();
        app.UseOutputCache();
        var api = app.MapGroup("");
        api.MapOpenConductApi();
        api.MapOpenApi("/api/openapi.json").WithTags("OpenAPI");
        api.RequireCors(CorsPolicy).RequireRateLimiting(RateLimitPolicy);
        return app;
    }

    /// <summary>The longest request target (path and query) the API answers: longer is a 414 problem.</summary>
    public const int MaxTargetLength = 8 * 1024;

    /// <summary>The most header bytes (names and values) the API answers: more is a 431 problem.</summary>
    public const int MaxHeaderBytes = 32 * 1024;

    /// <summary>What the host sets Kestrel's request-line limit to: above <see cref="MaxTargetLength"/>, so the app refuses.</summary>
    public const int KestrelRequestLineBytes = 64 * 1024;

    /// <summary>What the host sets Kestrel's header limit to: above <see cref="MaxHeaderBytes"/>, so the app refuses.</summary>
    public const int KestrelHeaderBytes = 64 * 1024;

    /// <summary>The 414 or 431 problem for a request over the API's size limits, or null.</summary>
    public static IResult? RequestTooLarge(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var target = request.PathBase.Value?.Length + request.Path.Value?.Length + request.QueryString.Value?.Length ?? 0;
        if (target > MaxTargetLength)
        {
            return Problems.Status(StatusCodes.Status414UriTooLong, "URI too long", $"The request's path and query are {target:N0} characters; at most {MaxTargetLength:N0} are answered.");
        }

        long headers = 0;
        foreach (var (name, values) in request.Headers)
        {
            headers += name.Length + 4;
            foreach (var value in values)
            {
                headers += value?.Length ?? 0;
            }
        }

        return headers > MaxHeaderBytes
            ? Problems.Status(StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request header fields too large", $"The request's headers are {headers:N0} bytes; at most {MaxHeaderBytes:N0} are answered.")
            : null;
    }

    /// <summary>
    /// The security headers of every response (both hosts): the API serves JSON and files, never pages to frame or sniff;
    /// its data may be read by other origins' pages (CORS decides which may call it).
    /// </summary>
    public static void AddSecurityHeaders(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        foreach (var (name, value) in SecurityHeaders)
        {
            headers[name] = value;
        }
    }

    /// <summary>The security headers and their values, in the order they are written.</summary>
    private static readonly (string Name, string Value)[] SecurityHeaders =
    [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
        ("X-Frame-Options", "DENY"),
        ("Cross-Origin-Resource-Policy", "cross-origin"),
    ];

    /// <summary>
    /// What every response of both hosts carries: the security headers and <c>Vary: Origin</c>, set now and set again
    /// when the response starts (an error handler that clears the response, as the exception handler does for a 500,
    /// would otherwise send it without them).
    /// </summary>
    public static void AddResponseHeaders(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        AddSecurityHeaders(response.Headers);
        AddVaryOrigin(response.Headers);
        response.OnStarting(static state =>
        {
            // Only what is missing: a handler may have set its own (the API reference page's CSP allows its script).
            var headers = ((HttpResponse)state).Headers;
            foreach (var (name, value) in SecurityHeaders)
            {
                if (!headers.ContainsKey(name))
                {
                    headers[name] = value;
                }
            }

            AddVaryOrigin(headers);
            return Task.CompletedTask;
        }, response);
    }

    /// <summary>
    /// <c>Vary: Origin</c> merged with any other <c>Vary</c>: CORS adds
    /// <c>Access-Control-Allow-Origin</c> for an allowed origin's request and nothing for another's, so a shared cache
    /// must not answer one origin with the other's copy (ASP.NET Core's CORS adds it only when a policy has several
    /// origins, and never to a request without an Origin).
    /// </summary>
    private static void AddVaryOrigin(IHeaderDictionary headers)
    {
        var vary = headers.Vary;
        foreach (var value in vary)
        {
            foreach (var part in (value ?? "").Split(',', StringSplitOptions.TrimEntries))
            {
                if (part.Equals("Origin", StringComparison.OrdinalIgnoreCase) || part == "*")
                {
                    return;
                }
            }
        }

        headers.Append("Vary", "Origin");
    }

    /// <summary>Storage that cannot be read in time: a fast 503 with Retry-After and a problem, never a 500 after the SDK's whole retry budget.</summary>
    private sealed class StorageUnavailableHandler : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not StorageUnavailableException)
            {
                return false;
            }

            await StorageUnavailableException.Answer(httpContext.Response).ExecuteAsync(httpContext).ConfigureAwait(false);
            return true;
        }
    }

    /// <summary>Names every invalid option at start, rather than one generic message.</summary>
    private sealed class ApiOptionsValidation : IValidateOptions<ApiOptions>
    {
        public ValidateOptionsResult Validate(string? name, ApiOptions options) =>
            options.Validate() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }

    /// <summary>
    /// One line per request with the method, the route's template (never the path's values or the query string, which
    /// may hold the name someone searched for), the status and the time taken: at <see cref="LogLevel.Information"/>
    /// for an error (status 400 or above) or a slow answer (<see cref="SlowRequest"/> or longer), at
    /// <see cref="LogLevel.Debug"/> for every other answer (a line per successful request cost a search about a fifth
    /// of its server time: docs/performance.md, "HTTP API").
    /// </summary>
    private sealed partial class RequestLog(RequestDelegate next, ILoggerFactory loggers)
    {
        /// <summary>The log category, so that hosts can turn the request log up or down (<c>Logging:LogLevel:OpenConduct.Requests</c>).</summary>
        public const string Category = "OpenConduct.Requests";

        /// <summary>An answer that took at least this long is logged as if it were an error.</summary>
        public static readonly TimeSpan SlowRequest = TimeSpan.FromMilliseconds(500);

        private readonly ILogger logger = loggers.CreateLogger(Category);

        public async Task InvokeAsync(HttpContext context)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context).ConfigureAwait(false);
            }
            finally
            {
                var elapsed = Stopwatch.GetElapsedTime(started);
                var status = context.Response.StatusCode;
                var level = status >= 400 || elapsed >= SlowRequest ? LogLevel.Information : LogLevel.Debug;
                if (logger.IsEnabled(level))
                {
                    var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                    Served(logger, level, context.Request.Method, route, status, elapsed.TotalMilliseconds);
                }
            }
        }

        [LoggerMessage(EventId = 2, EventName = "Request", Message = "{Method} {Route} {Status} {ElapsedMs:0.0} ms")]
        private static partial void Served(ILogger logger, LogLevel level, string method, string route, int status, double elapsedMs);
    }
}
