using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenConduct.Core.Storage;

namespace OpenConduct.Azure;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Registers the pipeline's storage: the Blob and Table service clients (through Microsoft.Extensions.Azure), the
    /// validated <see cref="StorageOptions"/> (section <c>Storage</c>), and as singletons <see cref="OpenConductStorage"/>,
    /// <see cref="PipelineContainers"/>, <see cref="IReleaseStore"/> and <see cref="IPipelineLedger"/>.
    /// <para>
    /// <c>Storage:Blobs</c> holds either <c>connectionString</c> (locally <c>UseDevelopmentStorage=true</c>, i.e. Azurite)
    /// or <c>serviceUri</c> (<c>https://{account}.blob.core.windows.net</c>, with a token credential: no keys).
    /// <c>Storage:Tables</c> holds either <c>connectionString</c> or <c>endpoint</c> (the Tables SDK's name for it;
    /// <c>serviceUri</c> is accepted as well) (<c>https://{account}.table.core.windows.net</c>). The credential is
    /// <see cref="DefaultAzureCredential"/> (managed identity in Azure; <c>AZURE_CLIENT_ID</c> picks a user-assigned
    /// one) unless a section names its own (<c>credential</c>: <c>managedidentity</c> with <c>clientId</c>).
    /// As environment variables: <c>Storage__Blobs__serviceUri</c>, <c>Storage__Tables__endpoint</c>.
    /// </para>
    /// </summary>
    public static IServiceCollection AddOpenConductStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var tables = configuration.GetSection(StorageOptions.SectionName + ":Tables");
        services.AddAzureClients(builder =>
        {
            builder.AddBlobServiceClient(configuration.GetSection(StorageOptions.SectionName + ":Blobs"));

            // The client factory matches configuration keys to constructor parameters, and TableServiceClient's is
            // "endpoint"; "serviceUri" (the Blobs name) is mapped to it by hand so both sections can read alike
            // (with the default credential only).
            if (tables["connectionString"] is null && tables.Value is null && tables["endpoint"] is null && tables["serviceUri"] is { } serviceUri)
            {
                builder.AddClient<TableServiceClient, TableClientOptions>((options, credential) => new TableServiceClient(new Uri(serviceUri), credential, options));
            }
            else
            {
                builder.AddTableServiceClient(tables);
            }

            builder.UseCredential(new DefaultAzureCredential());
        });

        // Bound from the configuration given here, the one the clients come from (so this also works in a bare
        // ServiceCollection without an IConfiguration service).
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>>(new StorageOptionsValidator()));

        services.TryAddSingleton(provider => new OpenConductStorage(
            provider.GetRequiredService<BlobServiceClient>(),
            provider.GetRequiredService<TableServiceClient>(),
            provider.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.TryAddSingleton(provider => provider.GetRequiredService<OpenConductStorage>().Containers);
        services.TryAddSingleton(provider => provider.GetRequiredService<OpenConductStorage>().Releases);
        services.TryAddSingleton(provider => provider.GetRequiredService<OpenConductStorage>().Ledger);
        return services;
    }
}
