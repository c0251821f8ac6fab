using System.Reflection;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace OpenConduct.Functions.Tests;

/// <summary>
/// The worker host as <c>Program.cs</c> builds it (<see cref="FunctionsApp.AddOpenConductFunctions"/>), with the app's
/// generated start-up code run as the worker runs it for its entry assembly (here the entry assembly is the test
/// runner's), every registration validated when the container is built.
/// </summary>
internal static class WorkerHost
{
    /// <summary>The settings a deployment has (infra/modules/function-app.bicep), with Azurite's connection for storage.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["PULL_SCHEDULE"] = "0 0 6 * * *",
        ["REVIEW_SCHEDULE"] = "0 */5 * * * *",
        ["Search:endpoint"] = "https://oc-test.search.windows.net",
        ["Storage:Blobs:connectionString"] = "UseDevelopmentStorage=true",
        ["Storage:Tables:connectionString"] = "UseDevelopmentStorage=true",
        ["OPENCONDUCT_SOURCES"] = "sources.json",
    };

    public static FunctionsApplicationBuilder CreateBuilder(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        RunGeneratedStartup(builder);
        return builder;
    }

    /// <summary>What the worker does with its entry assembly: the source generator's start-up code (the function metadata provider and executor, the extensions' start-up).</summary>
    private static void RunGeneratedStartup(FunctionsApplicationBuilder builder)
    {
        var app = typeof(FunctionsApp).Assembly;
        if (app.GetCustomAttribute<WorkerExtensionStartupCodeExecutorInfoAttribute>() is { } extensions)
        {
            ((WorkerExtensionStartup)Activator.CreateInstance(extensions.StartupCodeExecutorType)!).Configure(builder);
        }

        foreach (var type in app.GetTypes().Where(t => typeof(IAutoConfigureStartup).IsAssignableFrom(t) && !t.IsInterface && !t.IsAbstract))
        {
            ((IAutoConfigureStartup)Activator.CreateInstance(type)!).Configure(new ServicesOnly(builder));
        }
    }

    /// <summary>An <see cref="IHostBuilder"/> whose service registrations go straight to the application builder's.</summary>
    private sealed class ServicesOnly(FunctionsApplicationBuilder builder) : IHostBuilder
    {
        public IDictionary<object, object> Properties => builder.Properties;

        public IHost Build() => throw new NotSupportedException();

        public IHostBuilder ConfigureAppConfiguration(Action<HostBuilderContext, IConfigurationBuilder> configureDelegate) => throw new NotSupportedException();

        public IHostBuilder ConfigureContainer<TContainerBuilder>(Action<HostBuilderContext, TContainerBuilder> configureDelegate) => throw new NotSupportedException();

        public IHostBuilder ConfigureHostConfiguration(Action<IConfigurationBuilder> configureDelegate) => throw new NotSupportedException();

        public IHostBuilder ConfigureServices(Action<HostBuilderContext, IServiceCollection> configureDelegate)
        {
            configureDelegate(new HostBuilderContext(builder.Properties) { Configuration = builder.Configuration, HostingEnvironment = builder.Environment }, builder.Services);
            return this;
        }

        public IHostBuilder UseServiceProviderFactory<TContainerBuilder>(IServiceProviderFactory<TContainerBuilder> factory)
            where TContainerBuilder : notnull => throw new NotSupportedException();

        public IHostBuilder UseServiceProviderFactory<TContainerBuilder>(Func<HostBuilderContext, IServiceProviderFactory<TContainerBuilder>> factory)
            where TContainerBuilder : notnull => throw new NotSupportedException();
    }
}
