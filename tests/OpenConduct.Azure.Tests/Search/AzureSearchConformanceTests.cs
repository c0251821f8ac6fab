using System.Security.Cryptography;
using Azure;
using Azure.Identity;
using Azure.Search.Documents.Indexes;
using OpenConduct.Azure.Search;
using OpenConduct.Core.Officers;
using OpenConduct.Tests.Shared;

namespace OpenConduct.Azure.Tests.Search;

/// <summary>
/// The shared officer-index suite against a real Azure AI Search service: <c>OPENCONDUCT_SEARCH_ENDPOINT</c>
/// (<c>https://{service}.search.windows.net</c>), reached with <see cref="DefaultAzureCredential"/> (an identity with
/// Search Service Contributor and Search Index Data Contributor). Each test gets its own index, deleted after it.
/// Skipped, saying so, without the variable.
/// </summary>
public sealed class AzureSearchConformanceTests : OfficerIndexConformance
{
    public const string EndpointVariable = "OPENCONDUCT_SEARCH_ENDPOINT";

    private readonly List<string> created = [];
    private SearchIndexClient? client;

    protected override void SkipUnlessAvailable() =>
        Skip.If(string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EndpointVariable)), "OPENCONDUCT_SEARCH_ENDPOINT is not set: the conformance suite runs against Azure AI Search only with a service");

    protected override async Task<IOfficerIndex> CreateIndexAsync()
    {
        client ??= new SearchIndexClient(new Uri(Environment.GetEnvironmentVariable(EndpointVariable)!), new DefaultAzureCredential());
        var name = "oc-conformance-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        created.Add(name);
        var index = new AzureSearchOfficerIndex(client, new AzureSearchOfficerIndexOptions { IndexName = name, PointerCacheDuration = TimeSpan.FromSeconds(1) });
        await index.EnsureIndexAsync();
        return index;
    }

    protected override async Task CleanupAsync()
    {
        foreach (var name in created)
        {
            try
            {
                await client!.DeleteIndexAsync(name);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
            }
        }
    }
}

/// <summary>
/// The shared officer-index suite against <see cref="FakeSearchService"/>: the adapter's requests, the SDK and the
/// ranking end to end without a service (the fake evaluates the adapter's filters; the real service is above).
/// </summary>
public sealed class AzureSearchFakeServiceConformanceTests : OfficerIndexConformance
{
    protected override Task<IOfficerIndex> CreateIndexAsync() => Task.FromResult<IOfficerIndex>(new FakeSearchService().Adapter());
}
