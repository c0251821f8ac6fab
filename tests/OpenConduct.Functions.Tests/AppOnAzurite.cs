using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenConduct.Azure;
using OpenConduct.Azure.Search;
using OpenConduct.Azure.Tests;
using OpenConduct.Azure.Tests.Search;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Pipeline;
using OpenConduct.Server.Tests;

namespace OpenConduct.Functions.Tests;

/// <summary>
/// The Functions app's worker host (<see cref="FunctionsApp.AddOpenConductFunctions"/>, as deployed, built, not started) on Azurite,
/// under a prefix of their own, with the Azure AI Search fake as the officer index, and the function classes created
/// as the worker creates them. The sources are the deployed sources file (the samples' three drops).
/// </summary>
internal sealed class AppOnAzurite : IAsyncDisposable
{
    static AppOnAzurite()
    {
        // The policy's pseudonymization key, read by the pipeline from the environment (an app setting in Azure):
        // the one the standalone server's tests use, so that both hosts would publish the same release.
        Environment.SetEnvironmentVariable("OPENCONDUCT_PSEUDONYM_KEY", Cli.PseudonymKey["OPENCONDUCT_PSEUDONYM_KEY"]);
    }

    private readonly IHost host;

    private AppOnAzurite(OpenConductStorage storage, FakeSearchService search, IHost host)
    {
        Storage = storage;
        Search = search;
        this.host = host;
    }

    public OpenConductStorage Storage { get; }

    public FakeSearchService Search { get; }

    public IServiceProvider Services => host.Services;

    public string Prefix => Storage.Options.Prefix!;

    /// <summary>Skips the test when Azurite is not running.</summary>
    public static async Task<AppOnAzurite> StartAsync(string name, IReadOnlyDictionary<string, string?>? more = null)
    {
        var storage = await Azurite.NewStorageAsync(name);
        var settings = WorkerHost.Settings();
        settings["Storage:Blobs:connectionString"] = Azurite.ConnectionString;
        settings["Storage:Tables:connectionString"] = Azurite.ConnectionString;
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        // The worker host as deployed. The app refuses a storage prefix (its triggers watch fixed container names): the
        // prefix comes after the check, so that each test has storage of its own in the shared Azurite.
        var builder = WorkerHost.CreateBuilder(settings).AddOpenConductFunctions();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Storage:Prefix"] = storage.Options.Prefix });
        var search = new FakeSearchService();
        builder.Services.AddSingleton(_ => search.Adapter());
        builder.Services.AddSingleton<IOfficerIndex>(sp => sp.GetRequiredService<AzureSearchOfficerIndex>());
        return new AppOnAzurite(storage, search, builder.Build());
    }

    /// <summary>A function class, as the worker's activator creates one per invocation.</summary>
    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(host.Services);

    /// <summary>The client the host binds to a blob trigger's <see cref="BlobClient"/> parameter.</summary>
    public BlobClient Blob(string container, string path) =>
        Storage.BlobService.GetBlobContainerClient(Storage.Options.ContainerName(container)).GetBlobClient(path);

    /// <summary>An agency's drop of a sample export: its files, then the completion marker; the marker's blob.</summary>
    public async Task<BlobClient> DropAsync(string source)
    {
        await Drops.UploadAsync(Storage.Containers.Incoming, source, new DirectoryInfo(Path.Combine(AppContext.BaseDirectory, "samples", "exports", source)));
        return Blob(FunctionsSettings.IncomingContainer, $"{source}/{PullService.CompleteMarker}");
    }

    /// <summary>The raw exports' manifests of a source, as (blob, source, date, runId): the blob trigger's path parameters.</summary>
    public async Task<List<(BlobClient Blob, string Source, string Date, string RunId)>> ManifestsAsync(string source)
    {
        var manifests = new List<(BlobClient, string, string, string)>();
        await foreach (var item in Storage.Containers.Raw.ListAsync(source + "/"))
        {
            var parts = item.Path.Split('/');
            if (parts is [var s, var date, var runId, RawExport.ManifestName])
            {
                manifests.Add((Blob(FunctionsSettings.RawContainer, item.Path), s, date, runId));
            }
        }

        return manifests;
    }

    public async ValueTask DisposeAsync()
    {
        host.Dispose();
        await Azurite.DeleteAsync(Storage);
    }
}
