using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenConduct.Core.Storage;

namespace OpenConduct.Azure.Tests;

/// <summary>AddOpenConductStorage: clients from configuration, validated options, the ports as singletons.</summary>
public sealed class ServiceRegistrationAdapterTests
{
    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddOpenConductStorage(builder.Configuration);
        return builder.Build();
    }

    [SkippableFact]
    public async Task Resolves_storage_from_configuration_and_works_against_Azurite()
    {
        Azurite.SkipUnlessRunning();
        var prefix = Azurite.NewPrefix("di");
        using var host = Build(new()
        {
            ["Storage:Blobs:connectionString"] = Azurite.ConnectionString,
            ["Storage:Tables:connectionString"] = Azurite.ConnectionString,
            ["Storage:Prefix"] = prefix,
            ["Storage:LeaseSeconds"] = "30",
        });
        await host.StartAsync();
        var storage = host.Services.GetRequiredService<OpenConductStorage>();
        try
        {
            Assert.Same(storage, host.Services.GetRequiredService<OpenConductStorage>());
            Assert.Same(storage.Releases, host.Services.GetRequiredService<IReleaseStore>());
            Assert.Same(storage.Ledger, host.Services.GetRequiredService<IPipelineLedger>());
            Assert.Same(storage.Containers, host.Services.GetRequiredService<PipelineContainers>());
            Assert.Equal(prefix + "-exports-incoming", storage.Containers.Incoming.Name);
            Assert.Equal(prefix + "-exports-quarantine", storage.Containers.Quarantine.Name);
            Assert.Equal(prefix + "-releases", storage.Releases.Location);
            Assert.Equal(TimeSpan.FromSeconds(30), ((BlobContainerStore)storage.Containers.Raw).LeaseDuration);
            Assert.Equal([prefix + "Sources", prefix + "Runs", prefix + "ReviewAudit", prefix + "ReviewApprovals"], storage.Options.TableNames);

            await storage.EnsureCreatedAsync();
            await storage.EnsureCreatedAsync(); // idempotent
            await storage.Containers.Incoming.UploadAsync("opcr/complaints.csv", Azurite.Text("a,b\n"));
            Assert.NotNull(await storage.Containers.Incoming.GetAsync("opcr/complaints.csv"));
            await storage.Ledger.SaveSourceAsync(new SourceState { Source = "opcr", LastHash = "ab" });
            Assert.Equal("ab", (await storage.Ledger.GetSourceAsync("opcr"))!.LastHash);
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
            await host.StopAsync();
        }
    }

    [Fact]
    public void Service_uris_make_token_clients_without_keys()
    {
        using var host = Build(new()
        {
            ["Storage:Blobs:serviceUri"] = "https://stoc1.blob.core.windows.net/",
            ["Storage:Tables:serviceUri"] = "https://stoc1.table.core.windows.net/",
        });
        Assert.Equal("stoc1", host.Services.GetRequiredService<BlobServiceClient>().AccountName);
        Assert.Equal("https://stoc1.table.core.windows.net/", host.Services.GetRequiredService<TableServiceClient>().Uri.ToString());

        using var endpoint = Build(new()
        {
            ["Storage:Blobs:serviceUri"] = "https://stoc2.blob.core.windows.net/",
            ["Storage:Tables:endpoint"] = "https://stoc2.table.core.windows.net/",
        });
        Assert.Equal("stoc2", endpoint.Services.GetRequiredService<TableServiceClient>().AccountName);
        Assert.Equal("exports-raw", endpoint.Services.GetRequiredService<PipelineContainers>().Raw.Name);
    }

    [Fact]
    public async Task Invalid_names_fail_at_start()
    {
        using var host = Build(new()
        {
            ["Storage:Blobs:connectionString"] = "UseDevelopmentStorage=true",
            ["Storage:Tables:connectionString"] = "UseDevelopmentStorage=true",
            ["Storage:Prefix"] = "Test-1",
            ["Storage:LeaseSeconds"] = "90",
        });
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(error.Failures, f => f.Contains("Storage:Prefix 'Test-1'", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Storage:LeaseSeconds is 90", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("t0a1b2c3d4", null)]
    [InlineData("T1", "Storage:Prefix")]
    [InlineData("t-1", "Storage:Prefix")]
    [InlineData("1t", "Storage:Prefix")]
    [InlineData("t01234567890123456789012345678901234567890123456", "Storage:QuarantineContainer")]
    public void Prefixes_give_valid_container_and_table_names(string? prefix, string? error)
    {
        var options = new StorageOptions { Prefix = prefix };
        var errors = options.Validate();
        if (error is null)
        {
            Assert.Empty(errors);
            Assert.All(options.ContainerNames, n => Assert.True(StorageOptions.IsContainerName(n), n));
            Assert.All(options.TableNames, n => Assert.True(StorageOptions.IsTableName(n), n));
        }
        else
        {
            Assert.Contains(errors, e => e.StartsWith(error, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Names_follow_the_service_rules()
    {
        Assert.Empty(new StorageOptions().Validate());
        Assert.Equal(["exports-incoming", "exports-raw", "exports-quarantine", "releases", "review"], new StorageOptions().ContainerNames);
        Assert.NotEmpty(new StorageOptions { RawContainer = "Exports_Raw" }.Validate());
        Assert.NotEmpty(new StorageOptions { RawContainer = "exports--raw" }.Validate());
        Assert.NotEmpty(new StorageOptions { RawContainer = "exports-incoming" }.Validate());
        Assert.NotEmpty(new StorageOptions { RunsTable = "run-log" }.Validate());
        Assert.NotEmpty(new StorageOptions { RunsTable = "sources" }.Validate());
        Assert.NotEmpty(new StorageOptions { LeaseSeconds = 10 }.Validate());
        Assert.Throws<ArgumentException>(() => OpenConductStorage.Create("UseDevelopmentStorage=true", new StorageOptions { Prefix = "Bad" }));
    }
}
