using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenConduct.Functions;

/// <summary>The worker's log filters.</summary>
public static class FunctionsLogging
{
    /// <summary>The Application Insights logger provider of the worker SDK, whose default rule keeps Warning and above only.</summary>
    public const string ApplicationInsightsProvider = "Microsoft.Extensions.Logging.ApplicationInsights.ApplicationInsightsLoggerProvider";

    /// <summary>
    /// Lets Information reach Application Insights (the pipeline's run events, one per step: the alerts and the run
    /// queries of docs/deploy.md read them) by removing the SDK's Warning-only rule, as the isolated worker guide
    /// shows; the Azure SDK's and the frameworks' own Information (every storage request) stay out.
    /// </summary>
    public static ILoggingBuilder KeepInformationInApplicationInsights(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        logging.Services.Configure<LoggerFilterOptions>(options =>
        {
            var rule = options.Rules.FirstOrDefault(r => string.Equals(r.ProviderName, ApplicationInsightsProvider, StringComparison.Ordinal));
            if (rule is not null)
            {
                options.Rules.Remove(rule);
            }
        });
        return logging.AddFilter("Azure", LogLevel.Warning).AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning);
    }
}
