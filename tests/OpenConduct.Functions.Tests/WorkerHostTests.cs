using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Core.FunctionMetadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenConduct.Api;
using OpenConduct.Api.Review;
using OpenConduct.Core.Pipeline;

namespace OpenConduct.Functions.Tests;

/// <summary>
/// The worker host built from the app's real registrations (<see cref="FunctionsApp.AddOpenConductFunctions"/>, what
/// <c>Program.cs</c> runs): the container validated on build, the options validated as the host's start does first,
/// and every function class created as the worker creates it; then the host would open its gRPC channel to the
/// Functions host, which does not run here.
/// </summary>
public sealed class WorkerHostTests
{
    [Fact]
    public async Task The_host_builds_validates_its_options_and_creates_every_function_class()
    {
        using var host = WorkerHost.CreateBuilder(WorkerHost.Settings()).AddOpenConductFunctions().Build();
        host.Services.GetRequiredService<IStartupValidator>().Validate();

        using var scope = host.Services.CreateScope();
        var classes = typeof(FunctionsApp).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttribute<FunctionAttribute>() is not null))
            .ToList();
        Assert.Equal(["ApiFunctions", "ProcessIncomingDrop", "ProcessRawExport", "PublishReviewed", "PullExports", "ReviewFunctions"], classes.Select(c => c.Name).Order(StringComparer.Ordinal));
        foreach (var type in classes)
        {
            // The worker's default function activator: ActivatorUtilities over the invocation's services.
            Assert.NotNull(ActivatorUtilities.CreateInstance(scope.ServiceProvider, type));
        }

        Assert.NotNull(scope.ServiceProvider.GetRequiredService<ApiRateLimiting>());
        Assert.Equal(300, host.Services.GetRequiredService<IOptions<ApiOptions>>().Value.RateLimitPerMinute);
        Assert.Empty(host.Services.GetRequiredService<IOptions<ApiOptions>>().Value.CorsOrigins);
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<PipelineRunner>());

        // The review's identity decisions, on the storage's review container, for the console and the officer index step.
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<OpenConduct.Core.Review.IdentityReviewStore>());
        Assert.NotNull(scope.ServiceProvider.GetRequiredService<OpenConduct.Core.Review.IdentityReviewQueue>());
        Assert.Equal(["opcr", "iau", "cra", "ccrb"], host.Services.GetRequiredService<ApiSources>().Ids);

        // The review console: Entra ID through the platform (never the standalone server's key sessions), the review's
        // storage over the deployed sources, and publish requests queued in the review container.
        Assert.IsType<AppServiceReviewerAuthentication>(scope.ServiceProvider.GetRequiredService<IReviewerAuthentication>());
        var backend = scope.ServiceProvider.GetRequiredService<ReviewBackend>();
        Assert.Equal(["opcr", "iau", "cra", "ccrb"], backend.Sources);
        Assert.NotNull(backend.Identities);
        Assert.NotNull(backend.IdentityStore);
        Assert.IsType<ReviewRequests>(scope.ServiceProvider.GetRequiredService<IReviewPublisher>());
        await Task.CompletedTask;
    }

    [Fact]
    public void The_cors_origins_and_the_rate_limit_come_from_the_standalone_servers_settings()
    {
        var settings = WorkerHost.Settings();
        settings[ApiOptions.CorsOriginsSetting] = "https://www.example.gov, https://maps.example.gov";
        settings[ApiOptions.RateLimitSetting] = "120";
        using var host = WorkerHost.CreateBuilder(settings).AddOpenConductFunctions().Build();
        host.Services.GetRequiredService<IStartupValidator>().Validate();
        var api = host.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        Assert.Equal(["https://www.example.gov", "https://maps.example.gov"], api.CorsOrigins);
        Assert.Equal(120, api.RateLimitPerMinute);
    }

    [Fact]
    public async Task What_the_worker_reports_to_the_host_is_the_generated_functions_metadata()
    {
        // worker.config.json says workerIndexing: the host asks the worker for its functions instead of reading the file.
        Assert.Equal("true", JsonNode.Parse(File.ReadAllText(Path.Combine(FunctionsMetadata.Folder, "worker.config.json")))!["description"]!["workerIndexing"]!.GetValue<string>());
        using var host = WorkerHost.CreateBuilder(WorkerHost.Settings()).AddOpenConductFunctions().Build();
        var provider = host.Services.GetRequiredService<IFunctionMetadataProvider>();
        Assert.Contains("Generated", provider.GetType().Name, StringComparison.Ordinal);
        var reported = await provider.GetFunctionMetadataAsync(FunctionsMetadata.Folder);
        Assert.Equal(FunctionsMetadata.Functions.Select(f => f.Name).Order(StringComparer.Ordinal), reported.Select(f => f.Name!).Order(StringComparer.Ordinal));
        foreach (var function in reported)
        {
            var file = FunctionsMetadata.Get(function.Name!);
            Assert.Equal(file.EntryPoint, function.EntryPoint);
            Assert.Equal(
                file.Bindings.Select(b => Canonical(b)).Order(StringComparer.Ordinal),
                function.RawBindings!.Select(b => Canonical(JsonNode.Parse(b)!.AsObject())).Order(StringComparer.Ordinal));
        }
    }

    [Theory]
    [InlineData("OPENCONDUCT_RATE_LIMIT", "lots", "rate limit")]
    [InlineData("OPENCONDUCT_CORS_ORIGINS", "https://www.example.gov, https://www.example.gov/widgets/", "CORS origin")]
    [InlineData("Storage:LeaseSeconds", "5", "LeaseSeconds")]
    [InlineData("Search:indexName", "Officers!", "index")]
    public void A_bad_setting_stops_the_host_at_start_naming_it(string key, string value, string named)
    {
        var settings = WorkerHost.Settings();
        settings[key] = value;
        using var host = WorkerHost.CreateBuilder(settings).AddOpenConductFunctions().Build();
        var failure = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(named, failure.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Search:endpoint", "", "Search__endpoint")]
    [InlineData("Storage:Prefix", "test", "Storage__Prefix")]
    [InlineData("OPENCONDUCT_SOURCES", "missing.json", "OPENCONDUCT_SOURCES")]
    public void A_missing_or_contradictory_setting_stops_the_build_naming_it(string key, string value, string named)
    {
        var settings = WorkerHost.Settings();
        settings[key] = value;
        var failure = Assert.Throws<InvalidOperationException>(() => WorkerHost.CreateBuilder(settings).AddOpenConductFunctions());
        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }

    /// <summary>A binding as sorted JSON, its empty <c>properties</c> dropped (the file writes them, the worker may not).</summary>
    private static string Canonical(JsonObject binding)
    {
        var copy = new JsonObject();
        foreach (var (name, value) in binding.OrderBy(p => p.Key, StringComparer.OrdinalIgnoreCase))
        {
            if (name == "properties" && value is JsonObject { Count: 0 })
            {
                continue;
            }

            copy[name.ToLowerInvariant()] = value?.DeepClone();
        }

        return copy.ToJsonString();
    }
}
