using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using OpenConduct.Api;
using OpenConduct.Api.Review;
using OpenConduct.Azure;
using OpenConduct.Core.Review;

namespace OpenConduct.Functions;

/// <summary>
/// The Functions app's start-up, as a table of contents: what <c>Program.cs</c> runs, and what the tests build the worker
/// host from (tests/OpenConduct.Functions.Tests), so that the registrations they check are the deployed ones.
/// </summary>
public static class FunctionsApp
{
    /// <summary>The worker: ASP.NET Core integration, the API's per-client rate limit, telemetry, and the app's services.</summary>
    public static FunctionsApplicationBuilder AddOpenConductFunctions(this FunctionsApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // HTTP functions take ASP.NET Core's HttpRequest and return the shared handlers' IResult.
        builder.ConfigureFunctionsWebApplication();

        // Every HTTP function: the standalone server's limit per client address, per instance (docs/deploy.md).
        builder.UseMiddleware<ApiRateLimiting>();
        builder.UseMiddleware<ApiStorageOutage>();

        // Telemetry straight from the worker to Application Insights: unsampled, and Information and up, because the
        // pipeline's run events ("OpenConduct run {Source} {Step} {Outcome}") are what the alerts query.
        builder.Services
            .AddApplicationInsightsTelemetryWorkerService(options => options.EnableAdaptiveSampling = false)
            .ConfigureFunctionsApplicationInsights();
        builder.Logging.KeepInformationInApplicationInsights();

        // The deployed sources file and identity overrides, checked before anything starts (AI Search required).
        builder.Services.AddOpenConductFunctionServices(builder.Configuration, FunctionsSettings.Read(builder.Configuration));
        return builder;
    }

    /// <summary>
    /// The services the functions take: storage, the Azure AI Search officer index, the pipeline over the deployed
    /// sources, the API's services (options validated on start) and the Functions app's own.
    /// </summary>
    public static IServiceCollection AddOpenConductFunctionServices(this IServiceCollection services, IConfiguration configuration, FunctionsSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddOpenConductStorage(configuration);
        services.AddOpenConductSearch(configuration);
        services.AddOpenConductPipeline(settings.Sources, settings.Overrides, settings.OverridesHash);

        // The review console's reviewers: Entra ID through the platform's authentication, with the Reviewer app role
        // (registered before the API's services, whose default is the standalone server's key sessions).
        services.AddSingleton<IReviewerAuthentication, AppServiceReviewerAuthentication>();
        services.AddOpenConductApi(api =>
        {
            // The standalone server's settings, by the same names: the platform applies the CORS list in Azure (infra
            // sets it from the same value), the worker checks it at start; the rate limit is ApiRateLimiting's.
            foreach (var origin in ApiOptions.ParseOrigins(configuration[ApiOptions.CorsOriginsSetting]))
            {
                api.CorsOrigins.Add(origin);
            }

            api.RateLimitPerMinute = ApiOptions.ParseRateLimit(configuration[ApiOptions.RateLimitSetting]);
            api.PublicBaseUrl = ApiOptions.ParsePublicBaseUrl(configuration[ApiOptions.PublicBaseUrlSetting])
                ?? (configuration["WEBSITE_HOSTNAME"] is { Length: > 0 } host ? new Uri($"https://{host}/") : null);
            api.PrecinctsGeoJson = FunctionsSettings.PrecinctsFile(configuration);
        });
        services.AddSingleton(new ApiSources([.. settings.Sources.Sources.Select(s => s.Id)]));
        services.AddSingleton<IRefreshRequests, RefreshRequests>();

        // The review's storage for the console, and its publish requests, queued in the review container for PublishReviewed.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<OpenConductStorage>();
            return new ReviewBackend(storage.NarrativeReview, storage.ReviewAudit, storage.Releases, [.. settings.Sources.Sources.Select(s => s.Id)])
            {
                Identities = sp.GetRequiredService<IdentityReviewQueue>(),
                IdentityStore = sp.GetRequiredService<IdentityReviewStore>(),
            };
        });
        services.AddSingleton<ReviewRequests>();
        services.AddSingleton<IReviewPublisher>(sp => sp.GetRequiredService<ReviewRequests>());
        services.AddSingleton<ApiDescription>();
        services.AddSingleton<ApiClientLimiter>();
        return services;
    }
}
