using System.Security.Cryptography;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Release;
using OpenConduct.Core.Sources;
using OpenConduct.Core.Storage;
using OpenConduct.Samples;

namespace OpenConduct.Azure.Tests;

/// <summary>
/// One pipeline on its own Azurite storage (prefixed containers and tables), with the OPCR sample as an agency drop,
/// a clock that stands still (so that releases built at different times of a test run are byte-identical), and
/// helpers to read what it stored.
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    public const string Key = "pipeline-test-key-0123456789-0123456789";

    /// <summary>The first pull's time; later pulls are an hour apart.</summary>
    public static readonly DateTimeOffset Start = new(2030, 1, 7, 6, 0, 0, TimeSpan.Zero);

    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");
    private static readonly Lazy<string> Changed = new(WriteChangedExport);
    private static readonly SemaphoreSlim ReferenceLock = new(1, 1);
    private static List<(string Path, string Sha256)>? reference;
    private readonly List<string> folders = [];

    private PipelineHarness(OpenConductStorage storage)
    {
        Storage = storage;
        Opcr = DropSource("opcr");
    }

    public OpenConductStorage Storage { get; }

    public SourceDefinition Opcr { get; }

    public ManualTime Time { get; } = new(Start);

    public PullService Pull => PullWith(null);

    public static string SampleFolder(string source) => Path.Combine(Samples, "exports", source);

    /// <summary>A sample source (opcr, iau, cra) as an agency drop, pulled as soon as it is complete.</summary>
    public static SourceDefinition DropSource(string id) => new()
    {
        Id = id,
        Kind = SourceKind.Drop,
        Profile = Path.Combine(Samples, "profiles", id + ".json"),
        Policy = Path.Combine(Samples, "policies", "minnesota.json"),
        SettleTime = TimeSpan.Zero,
    };

    public static Func<string, string?> Settings => name => name == "OPENCONDUCT_PSEUDONYM_KEY" ? Key : null;

    public static async Task<PipelineHarness> CreateAsync(string name) => new(await Azurite.NewStorageAsync(name));

    /// <summary>
    /// A harness whose storage is reached through <paramref name="connectionString"/> (e.g. loopback proxies in front of
    /// Azurite that a test cuts), its containers and tables created through it under a new prefix.
    /// </summary>
    public static async Task<PipelineHarness> CreateAsync(string name, string connectionString)
    {
        Azurite.SkipUnlessRunning();
        // A short retry budget, so that a test of an outage does not wait out the SDK's default one (6 tries, back-off).
        var blobOptions = new global::Azure.Storage.Blobs.BlobClientOptions();
        blobOptions.Retry.MaxRetries = 1;
        blobOptions.Retry.Delay = TimeSpan.FromMilliseconds(100);
        blobOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        var tableOptions = new global::Azure.Data.Tables.TableClientOptions();
        tableOptions.Retry.MaxRetries = 1;
        tableOptions.Retry.Delay = TimeSpan.FromMilliseconds(100);
        tableOptions.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        var storage = new OpenConductStorage(
            new global::Azure.Storage.Blobs.BlobServiceClient(connectionString, blobOptions),
            new global::Azure.Data.Tables.TableServiceClient(connectionString, tableOptions),
            new StorageOptions { Prefix = Azurite.NewPrefix(name) });
        await storage.EnsureCreatedAsync();
        return new(storage);
    }

    /// <summary>A pull service on this storage; <paramref name="time"/>: another instance's clock (default the harness's).</summary>
    public PullService PullWith(IPipelineFaults? faults, TimeProvider? time = null) => new(Storage.Containers, Storage.Ledger, [], time ?? Time, faults);

    public ProcessService Process(IPipelineFaults? faults = null, ProcessOptions? options = null, TimeProvider? time = null) =>
        new(Storage.Containers, Storage.Releases, Storage.Ledger, new PublisherOptions(), Settings, options, time ?? Time, faults);

    /// <summary>Uploads the files of a folder to <c>exports-incoming/{source}/</c>, as an agency would.</summary>
    public async Task DropAsync(string folder, string? except = null, string source = "opcr")
    {
        foreach (var file in Directory.GetFiles(folder).Where(f => Path.GetFileName(f) != except))
        {
            await using var stream = File.OpenRead(file);
            await Storage.Containers.Incoming.UploadAsync(source + "/" + Path.GetFileName(file), stream);
        }
    }

    /// <summary>Drops, pulls and processes the committed OPCR sample; returns the live release id.</summary>
    public async Task<string> PublishSampleAsync()
    {
        await DropAsync(SampleFolder("opcr"));
        var pulled = await Pull.PullAsync(Opcr, "test");
        Assert.Equal(PullOutcome.Pulled, pulled.Outcome);
        var processed = await Process().ProcessAsync(Opcr, pulled.RawPrefix!, "test");
        Assert.Equal(ProcessOutcome.Published, processed.Outcome);
        return processed.Publish!.ReleaseId;
    }

    /// <summary>The three sample sources, in the order the tests publish them.</summary>
    public static readonly string[] SampleSources = ["opcr", "iau", "cra"];

    /// <summary>Drops, pulls and processes the exports of <c>{root}/{source}</c> for every sample source; each must publish.</summary>
    public async Task PublishDropsAsync(string root, IProgress<string>? progress = null, IProgress<Core.Import.ImportProgress>? importProgress = null)
    {
        foreach (var source in SampleSources)
        {
            await DropAsync(Path.Combine(root, source), source: source);
            var definition = DropSource(source);
            var pulled = await Pull.PullAsync(definition, "test", progress: progress);
            Assert.Equal(PullOutcome.Pulled, pulled.Outcome);
            var processed = await Process().ProcessAsync(definition, pulled.RawPrefix!, "test", progress, importProgress);
            Assert.True(processed.Outcome == ProcessOutcome.Published, $"{source}: {processed.Outcome} {processed.Error}");
        }
    }

    /// <summary>An hour later, the next export (the sample with more cases) is dropped and pulled.</summary>
    public async Task<PullReport> PullChangedAsync()
    {
        await DropAsync(ChangedExport());
        var pulled = await Pull.PullAsync(Opcr, "test");
        Assert.Equal(PullOutcome.Pulled, pulled.Outcome);
        return pulled;
    }

    /// <summary>The next export: the generator's OPCR with the sample's seed and 60 more allegations.</summary>
    public string ChangedExport()
    {
        Time.Set(Start.AddHours(1));
        return Changed.Value;
    }

    public string CopyOfSample(string source)
    {
        var folder = Path.Combine(Path.GetTempPath(), "openconduct-copy-" + Guid.NewGuid().ToString("N"));
        folders.Add(folder);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(SampleFolder(source)))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        return folder;
    }

    public async Task<List<StoredObject>> ListAsync(IBlobContainer container, string prefix)
    {
        var list = new List<StoredObject>();
        await foreach (var item in container.ListAsync(prefix))
        {
            list.Add(item);
        }

        return list;
    }

    public async Task<byte[]> ReadBytesAsync(IBlobContainer container, string path)
    {
        await using var stream = await container.OpenReadAsync(path);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>The release's blobs are exactly its manifest's artefacts and internal artefacts plus the manifest, each with the listed SHA-256.</summary>
    public async Task AssertReleaseMatchesManifestAsync(string source, string releaseId)
    {
        var store = Storage.Releases.Open(source, releaseId);
        var manifest = await ReleaseManifestIo.ReadAsync(store);
        Assert.NotNull(manifest);
        foreach (var artefact in manifest.Artefacts.Concat(manifest.Internal ?? []))
        {
            await using var stream = await store.OpenReadAsync(artefact.Path);
            Assert.True(stream is not null, $"{artefact.Path} is listed but missing");
            Assert.Equal(artefact.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)));
        }

        var releases = Storage.BlobService.GetBlobContainerClient(Storage.Options.ContainerName(Storage.Options.ReleasesContainer));
        var blobs = new List<string>();
        await foreach (var blob in releases.GetBlobsAsync(global::Azure.Storage.Blobs.Models.BlobTraits.None, global::Azure.Storage.Blobs.Models.BlobStates.None, $"{source}/{releaseId}/", default))
        {
            blobs.Add(blob.Name[$"{source}/{releaseId}/".Length..]);
        }

        Assert.Equal(manifest.Artefacts.Concat(manifest.Internal ?? []).Select(a => a.Path).Append(ReleasePaths.Manifest).Order(StringComparer.Ordinal), blobs.Order(StringComparer.Ordinal));
    }

    /// <summary>The artefacts (path, SHA-256) of the changed export's release after the sample's, built without interruption.</summary>
    public static async Task<List<(string Path, string Sha256)>> ReferenceArtefactsAsync()
    {
        await ReferenceLock.WaitAsync();
        try
        {
            if (reference is null)
            {
                await using var clean = await CreateAsync("reference");
                await clean.PublishSampleAsync();
                var pulled = await clean.PullChangedAsync();
                var report = await clean.Process().ProcessAsync(clean.Opcr, pulled.RawPrefix!, "test");
                reference = [.. report.Publish!.Manifest!.Artefacts.Select(a => (a.Path, a.Sha256))];
            }

            return reference;
        }
        finally
        {
            ReferenceLock.Release();
        }
    }

    /// <summary>The artefact paths of a release of the sample (built into a local folder; no Azurite needed).</summary>
    public static IReadOnlyList<string> ArtefactPaths()
    {
        var folder = Path.Combine(Path.GetTempPath(), "openconduct-paths-" + Guid.NewGuid().ToString("N"));
        try
        {
            var configuration = SourceConfiguration.Load("opcr", Path.Combine(Samples, "profiles", "opcr.json"), Path.Combine(Samples, "policies", "minnesota.json"));
            var publisher = new ReleasePublisher(new FolderReleaseStore(folder), new PublisherOptions(), Settings);
            var report = publisher.PublishAsync(configuration, new Core.Import.DirectoryExportFiles(SampleFolder("opcr")), "paths", Start, []).GetAwaiter().GetResult();
            return [.. report.Manifest!.Artefacts.Select(a => a.Path)];
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Azurite.DeleteAsync(Storage);
        foreach (var folder in folders.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string WriteChangedExport()
    {
        var folder = Path.Combine(Path.GetTempPath(), "openconduct-changed-" + Environment.ProcessId);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        var options = SyntheticExports.CommittedOptions("OPCR");
        SyntheticExports.WriteOpcr(folder, options with { Allegations = options.Allegations + 60 });
        return folder;
    }
}

/// <summary>A clock that moves only when told.</summary>
internal sealed class ManualTime(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset now = now;

    public void Set(DateTimeOffset value) => now = value;

    public override DateTimeOffset GetUtcNow() => now;
}
