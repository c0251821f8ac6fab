using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Review;
using OpenConduct.Core.Sources;
using OpenConduct.Core.Storage;

namespace OpenConduct.Azure;

/// <summary>The pipeline's services, registered alike by both hosts (the standalone server and the Functions app).</summary>
public static class PipelineServiceCollectionExtensions
{
    /// <summary>The log category of the pipeline's run events (<c>OpenConduct run {Source} {Step} {Outcome}</c>).</summary>
    public const string LogCategory = "OpenConduct.Pipeline";

    /// <summary>
    /// Registers <paramref name="config"/>, <see cref="PullService"/> (with the connectors and one HTTP client),
    /// <see cref="ProcessService"/>, the reviewers' identity decisions (<see cref="IdentityReviewStore"/> on the review
    /// container, checked against these overrides) with their <see cref="IdentityReviewQueue"/>, and
    /// <see cref="PipelineRunner"/>, whose officer index step uses the registered <see cref="IOfficerIndex"/>, these
    /// identity overrides and the stored decisions. Needs the storage services
    /// (<see cref="ServiceCollectionExtensions.AddOpenConductStorage"/>, or an <see cref="OpenConductStorage"/>) and an <see cref="IOfficerIndex"/>. Settings such
    /// as the pseudonymization key are read from the environment (app settings in Azure, Key Vault references).
    /// </summary>
    public static IServiceCollection AddOpenConductPipeline(this IServiceCollection services, SourcesConfig config, IdentityOverrides? overrides = null, string? overridesHash = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(config);
        services.AddSingleton(config);
        services.AddSingleton(new HttpClient { Timeout = Timeout.InfiniteTimeSpan });
        services.AddSingleton(sp => new PullService(sp.GetRequiredService<PipelineContainers>(), sp.GetRequiredService<IPipelineLedger>(), SourceConnectors.Create(sp.GetRequiredService<HttpClient>())));
        services.AddSingleton(sp => new ProcessService(
            sp.GetRequiredService<PipelineContainers>(), sp.GetRequiredService<IReleaseStore>(), sp.GetRequiredService<IPipelineLedger>(), config.Publisher, Environment.GetEnvironmentVariable,
            review: sp.GetRequiredService<OpenConductStorage>().NarrativeReview));
        services.TryAddSingleton(sp => new IdentityReviewStore(
            sp.GetRequiredService<OpenConductStorage>().Review, overrides ?? IdentityOverrides.Empty, sp.GetService<ILogger<IdentityReviewStore>>()));
        services.TryAddSingleton(sp => new IdentityReviewQueue(sp.GetRequiredService<IReleaseStore>(), sp.GetRequiredService<IdentityReviewStore>()));
        services.AddSingleton(sp => new PipelineRunner(
            sp.GetRequiredService<PullService>(),
            sp.GetRequiredService<ProcessService>(),
            sp.GetRequiredService<IReleaseStore>(),
            sp.GetRequiredService<IPipelineLedger>(),
            () => new OfficerIndexStep(
                sp.GetRequiredService<IReleaseStore>(), sp.GetRequiredService<IOfficerIndex>(), overrides ?? IdentityOverrides.Empty, overridesHash, review: sp.GetRequiredService<IdentityReviewStore>()),
            [.. config.Sources.Select(s => s.Id)],
            sp.GetRequiredService<ILoggerFactory>().CreateLogger(LogCategory)));
        return services;
    }
}
