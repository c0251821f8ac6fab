using Azure.Search.Documents.Indexes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenConduct.Azure.Search;
using OpenConduct.Core.Officers;

namespace OpenConduct.Azure.Tests.Search;

/// <summary>AddOpenConductSearch: nothing without an endpoint; with one, a token-credential client and the index.</summary>
public sealed class SearchRegistrationTests
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddOpenConductSearch(builder.Configuration);
        return builder.Build();
    }

    [Fact]
    public void Without_an_endpoint_nothing_is_registered()
    {
        var services = new ServiceCollection();
        services.AddOpenConductSearch(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Search:indexName"] = "x" }).Build());

        Assert.Empty(services);
    }

    [Fact]
    public void An_endpoint_registers_the_index_with_a_token_credential_client()
    {
        using var host = Build(new() { ["Search:endpoint"] = "https://srch-oc1.search.windows.net" });

        var index = Assert.IsType<AzureSearchOfficerIndex>(host.Services.GetRequiredService<IOfficerIndex>());
        Assert.Same(index, host.Services.GetRequiredService<AzureSearchOfficerIndex>());
        Assert.Equal("officers", index.IndexName);
        Assert.Equal(new Uri("https://srch-oc1.search.windows.net"), index.Endpoint);
        Assert.Equal(new Uri("https://srch-oc1.search.windows.net"), host.Services.GetRequiredService<SearchIndexClient>().Endpoint);
    }

    [Fact]
    public void The_index_name_and_limits_come_from_the_section()
    {
        using var host = Build(new()
        {
            ["Search:endpoint"] = "https://srch-oc2.search.windows.net/",
            ["Search:indexName"] = "officers-minneapolis",
            ["Search:maxAttempts"] = "7",
        });

        Assert.Equal("officers-minneapolis", host.Services.GetRequiredService<AzureSearchOfficerIndex>().IndexName);
        Assert.Equal(7, host.Services.GetRequiredService<IOptions<AzureSearchOfficerIndexOptions>>().Value.MaxAttempts);
    }

    [Fact]
    public async Task Invalid_settings_stop_the_host_at_start()
    {
        using var host = Build(new() { ["Search:endpoint"] = "https://srch-oc3.search.windows.net", ["Search:indexName"] = "Officers!" });

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("Officers!", error.Message, StringComparison.Ordinal);
    }
}
