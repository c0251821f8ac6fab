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
        services.AddSingleton<CaseDirectory>();
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

                policy.Expire(TimeSpan.FromSeconds(seconds))
                    .SetVaryByQuery("q", "badge", "page")
                    .VaryByValue(async (context, cancellationToken) => new KeyValuePair<string, string>(
                        "generation",
                        await context.RequestServices.GetRequiredService<Core.Officers.IOfficerIndex>().GetGenerationAsync(cancellationToken).ConfigureAwait(false) ?? ""));
            });
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
    /// the platform in Azure), <paramref name="perMinute"/> requests in each fixed minute, no queue; no limit when 0.
    /// </summary>
    public static RateLimitPartition<IPAddress> ClientPartition(HttpContext context, int perMinute)
    {
        ArgumentNullException.ThrowIfNull(context);
        return perMinute == 0
            ? RateLimitPartition.GetNoLimiter(IPAddress.None)
            : RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress ?? IPAddress.None,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
    }

    /// <summary>The answer to a client over its limit, in both hosts: 429, <c>Retry-After</c> (seconds) and a problem.</summary>
    public static ProblemHttpResult TooManyRequests(HttpResponse response, RateLimitLease lease)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(lease);
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 60;
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
            AddSecurityHeaders(context.Response.Headers);
            await next(context).ConfigureAwait(false);
        });
        app.UseMiddleware<RequestLog>();
        app.UseCors();
        app.UseRateLimiter();
        app.UseOutputCache();
        var api = app.MapGroup("");
        api.MapOpenConductApi();
        api.MapOpenApi("/api/openapi.json").WithTags("OpenAPI");
        api.RequireCors(CorsPolicy).RequireRateLimiting(RateLimitPolicy);
        return app;
    }

    /// <summary>
    /// The security headers of every response (both hosts): the API serves JSON and files, never pages to frame or sniff;
    /// its data may be read by other origins' pages (CORS decides which may call it).
    /// </summary>
    public static void AddSecurityHeaders(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
        headers.XFrameOptions = "DENY";
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
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
