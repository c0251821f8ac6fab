using Azure.Identity;
using Azure.Search.Documents.Indexes;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenConduct.Azure.Search;
using OpenConduct.Core.Officers;

namespace OpenConduct.Azure;

public static class SearchServiceCollectionExtensions
{
    /// <summary>
    /// Registers the officer index in Azure AI Search when section <c>Search</c> names an <c>endpoint</c>
    /// (<c>https://{service}.search.windows.net</c>): the <see cref="SearchIndexClient"/> through
    /// Microsoft.Extensions.Azure with <see cref="DefaultAzureCredential"/> (Entra ID: managed identity in Azure,
    /// <c>AZURE_CLIENT_ID</c> picks a user-assigned one; no API keys), the validated
    /// <see cref="AzureSearchOfficerIndexOptions"/> (<c>indexName</c>, default <c>officers</c>, and the publishing
    /// limits), and as singletons <see cref="AzureSearchOfficerIndex"/> and <see cref="IOfficerIndex"/> (TryAdd: a
    /// registration made before wins). Without an endpoint it registers nothing, and the caller registers the embedded
    /// Lucene index. As environment variables: <c>Search__endpoint</c>, <c>Search__indexName</c>.
    /// <para>
    /// Roles the identity needs: <c>Search Index Data Reader</c> to search; to publish, <c>Search Index Data
    /// Contributor</c> and (the publish creates or updates the index definition) <c>Search Service Contributor</c>.
    /// </para>
    /// </summary>
    public static IServiceCollection AddOpenConductSearch(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(AzureSearchOfficerIndexOptions.SectionName);
        if (string.IsNullOrWhiteSpace(section["endpoint"]))
        {
            return services;
        }

        services.AddAzureClients(builder =>
        {
            // The factory matches the section's keys to SearchIndexClient's constructor: (Uri endpoint, TokenCredential).
            builder.AddSearchIndexClient(section);
            builder.UseCredential(new DefaultAzureCredential());
        });

        services.AddOptions<AzureSearchOfficerIndexOptions>().Bind(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AzureSearchOfficerIndexOptions>>(new AzureSearchOfficerIndexOptionsValidator()));
        services.TryAddSingleton(provider => new AzureSearchOfficerIndex(
            provider.GetRequiredService<SearchIndexClient>(),
            provider.GetRequiredService<IOptions<AzureSearchOfficerIndexOptions>>().Value));
        services.TryAddSingleton<IOfficerIndex>(provider => provider.GetRequiredService<AzureSearchOfficerIndex>());
        return services;
    }
}
