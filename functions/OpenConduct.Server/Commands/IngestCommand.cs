using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using OpenConduct.Azure;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Release;
using OpenConduct.Core.Review;
using OpenConduct.Core.Sources;
using OpenConduct.Core.Storage;

namespace OpenConduct.Server.Commands;

/// <summary>
/// <c>ingest --source id</c>: pulls a configured source into blob storage and processes it into a release, once.
/// <c>ingest --profile p --policy pol folder</c>: publishes a local export folder. <c>--out folder</c> writes the
/// release to a local folder instead of the <c>releases</c> container.
/// </summary>
internal static class IngestCommand
{
    public static Command Create()
    {
        var sourceOption = new Option<string?>("--source", "-s") { Description = "The id of a source in the sources file: pull it and process what was pulled." };
        var sourcesOption = HostSettings.SourcesOption("The sources file (docs/sources.md).");
        var profileOption = new Option<FileInfo?>("--profile", "-p") { Description = "With an export folder: the mapping profile of its format." };
        var policyOption = new Option<FileInfo?>("--policy") { Description = "With an export folder: the disclosure policy. Its pseudonymization key is read from the environment variable the policy names." };
        var folderArgument = new Argument<DirectoryInfo?>("export-folder") { Description = "A local export folder to publish (with --profile and --policy).", Arity = ArgumentArity.ZeroOrOne };
        var outOption = new Option<DirectoryInfo?>("--out", "-o") { Description = "Write the release to this folder ({source}/{releaseId}/... and {source}/latest.json) instead of blob storage." };
        var storageOption = HostSettings.StorageOption("The storage connection string");
        var ifDueOption = new Option<bool>("--if-due") { Description = "With --source: pull only when the source's cadence has passed since its last success." };
        var prefixOption = HostSettings.PrefixOption();
        var indexOption = HostSettings.IndexOption("After a release goes live, the officers of every source's live release are resolved and indexed there (in Azure AI Search instead when OPENCONDUCT_SEARCH_ENDPOINT is set).");
        var overridesOption = new Option<FileInfo?>("--overrides") { Description = "The identity overrides file (docs/officers.md); default: identity-overrides.json beside the sources file, if there is one." };
        var dropOption = new Option<DirectoryInfo?>("--drop") { Description = "With --source of kind drop: upload this folder's files to exports-incoming/{source}/ first, as the agency would." };
        var command = new Command("ingest", "Pull and process a source once, or publish a local export folder, and print a run summary.")
        {
            sourceOption, sourcesOption, profileOption, policyOption, folderArgument, outOption, storageOption, ifDueOption, dropOption, prefixOption, indexOption, overridesOption,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var storageOptions = HostSettings.StorageOptions(parse.GetValue(prefixOption));
            var officers = new OfficerIndexOptions(parse.GetValue(indexOption)!, parse.GetValue(overridesOption));
            if (storageOptions.Validate() is { Count: > 0 } invalid)
            {
                Console.Out.WriteLine("ingest: " + string.Join("; ", invalid));
                return Task.FromResult(2);
            }

            var output = Console.Out;
            var progress = new Progress(Console.Error);
            if (parse.GetValue(sourceOption) is { } sourceId)
            {
                return IngestSourceAsync(sourceId, parse.GetValue(sourcesOption)!, parse.GetValue(storageOption)!, parse.GetValue(outOption), parse.GetValue(ifDueOption), parse.GetValue(dropOption), storageOptions, officers, output, progress, cancellationToken);
            }

            if (parse.GetValue(folderArgument) is { } folder && parse.GetValue(profileOption) is { } profile && parse.GetValue(policyOption) is { } policy)
            {
                return IngestFolderAsync(folder, profile, policy, parse.GetValue(outOption), parse.GetValue(storageOption)!, storageOptions, officers, output, progress, cancellationToken);
            }

            output.WriteLine("ingest: give --source <id>, or --profile <profile> --policy <policy> <export-folder>");
            return Task.FromResult(2);
        });
        return command;
    }

    private static async Task<int> IngestFolderAsync(DirectoryInfo folder, FileInfo profileFile, FileInfo policyFile, DirectoryInfo? outFolder, string storage, StorageOptions storageOptions, OfficerIndexOptions officers, TextWriter output, Progress progress, CancellationToken cancellationToken)
    {
        SourceConfiguration configuration;
        IExportFiles files;
        try
        {
            configuration = SourceConfiguration.Load(profileFile.FullName, policyFile.FullName);
            files = new DirectoryExportFiles(folder.FullName);
        }
        catch (Exception ex) when (ex is ProfileException or PolicyException or IOException or ArgumentException)
        {
            output.WriteLine(ex.Message);
            return 2;
        }

        // The export's identity and time come from its files, so that publishing the same folder again gives the same release.
        var exportFiles = new List<ReleaseExportFile>();
        foreach (var name in files.Names)
        {
            var path = Path.Combine(folder.FullName, name);
            exportFiles.Add(new ReleaseExportFile(name, new FileInfo(path).Length, await RawExport.Sha256Async(path, cancellationToken).ConfigureAwait(false)));
        }

        var pulledAt = new DateTimeOffset(files.Names.Max(n => File.GetLastWriteTimeUtc(Path.Combine(folder.FullName, n))), TimeSpan.Zero);
        if (await ReleaseStoreAsync(outFolder, storage, storageOptions, output, cancellationToken).ConfigureAwait(false) is not var (releases, review))
        {
            return 2;
        }

        var stopwatch = Stopwatch.StartNew();
        try
        {
            var publisher = new ReleasePublisher(releases, new PublisherOptions(), Environment.GetEnvironmentVariable);
            var report = await publisher.PublishAsync(configuration, files, RawExport.Hash(exportFiles), pulledAt, exportFiles, progress, progress, cancellationToken).ConfigureAwait(false);
            PrintPublish(report, configuration.SourceId, releases, stopwatch.Elapsed, output);
            if (report.Outcome == PublishOutcome.ImportFailed)
            {
                return 1;
            }

            // Every source with a live release in the folder, so that publishing sources one by one into one folder
            // indexes them all (in blob storage, the sources file names them: ingest --source).
            var sources = outFolder is null
                ? [configuration.SourceId]
                : await LiveSourcesAsync(releases, outFolder, configuration.SourceId, cancellationToken).ConfigureAwait(false);
            return await UpdateOfficerIndexAsync(releases, review, sources, officers with { Overrides = officers.Overrides ?? Beside(profileFile) }, output, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (PolicyException ex)
        {
            output.WriteLine(ex.Message);
            return 2;
        }
    }

    private static async Task<int> IngestSourceAsync(string sourceId, FileInfo sourcesFile, string storageConnection, DirectoryInfo? outFolder, bool ifDue, DirectoryInfo? drop, StorageOptions storageOptions, OfficerIndexOptions officers, TextWriter output, Progress progress, CancellationToken cancellationToken)
    {
        SourcesConfig config;
        try
        {
            config = SourcesFile.Load(sourcesFile.FullName);
        }
        catch (Exception ex) when (ex is SourcesException or IOException)
        {
            output.WriteLine(ex.Message);
            return 2;
        }

        var source = config.Sources.FirstOrDefault(s => s.Id == sourceId);
        if (source is null)
        {
            output.WriteLine($"ingest: no source '{sourceId}' in {sourcesFile.FullName} (sources: {string.Join(", ", config.Sources.Select(s => s.Id))})");
            return 2;
        }

        if (drop is not null && source.Kind != SourceKind.Drop)
        {
            output.WriteLine($"ingest: --drop is for sources of kind drop; '{source.Id}' is {source.Kind.ToString().ToLowerInvariant()}");
            return 2;
        }

        if (await HostSettings.ConnectStorageAsync(storageConnection, storageOptions, "ingest", output, cancellationToken).ConfigureAwait(false) is not { } storage)
        {
            return 2;
        }

        if (drop is not null)
        {
            await Drops.UploadAsync(storage.Containers.Incoming, source.Id, drop, progress, cancellationToken).ConfigureAwait(false);
        }

        var releases = outFolder is null ? storage.Releases : new FolderReleaseStore(outFolder.FullName);
        if (LoadOverrides(officers with { Overrides = officers.Overrides ?? Beside(sourcesFile) }, output) is not { } overrides)
        {
            return 2;
        }

        var stopwatch = Stopwatch.StartNew();
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var index = new LazyIndex(officers.Index);
        var faults = HangAfterStep.FromSettings(Environment.GetEnvironmentVariable, Console.Error);
        var runner = new PipelineRunner(
            new PullService(storage.Containers, storage.Ledger, SourceConnectors.Create(http), faults: faults),
            new ProcessService(storage.Containers, releases, storage.Ledger, config.Publisher, Environment.GetEnvironmentVariable, faults: faults, review: storage.NarrativeReview),
            releases,
            storage.Ledger,
            // On the storage account, the reviewers' stored decisions apply too (else this run would publish a generation without them).
            () => new OfficerIndexStep(releases, index.Value, overrides.Overrides, overrides.Hash, review: outFolder is null ? new IdentityReviewStore(storage.Review, overrides.Overrides) : null),
            [.. config.Sources.Select(s => s.Id)],
            NullLogger.Instance);
        var report = await runner.RefreshAsync(source, "cli", force: !ifDue, progress, progress, cancellationToken).ConfigureAwait(false);
        var pulled = report.Pull!;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pull {source.Id}: {pulled.Outcome.ToString().ToLowerInvariant()}{(pulled.Message is null ? "" : ": " + pulled.Message)}"));
        if (pulled.Outcome != PullOutcome.Pulled)
        {
            return pulled.Outcome is PullOutcome.Failed or PullOutcome.Quarantined ? 1 : 0;
        }

        var processed = report.Processed[0];
        if (processed.Publish is { } publish)
        {
            PrintPublish(publish, source.Id, releases, stopwatch.Elapsed, output);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"process {source.Id} run {processed.RunId}: {processed.Outcome.ToString().ToLowerInvariant()} after {processed.Attempts} attempt(s){(processed.Error is null ? "" : ": " + processed.Error)}"));
        if (!report.Succeeded)
        {
            return 1;
        }

        if (report.Officers is { } indexed)
        {
            PrintOfficers(indexed, releases, officers.Index, output);
        }

        return 0;
    }

    /// <summary>Where the officer index lives and which identity overrides apply.</summary>
    private sealed record OfficerIndexOptions(DirectoryInfo Index, FileInfo? Overrides);

    /// <summary><c>identity-overrides.json</c> in the folder of the given file (or of its parent, for a profile in samples/profiles).</summary>
    private static FileInfo? Beside(FileInfo file) =>
        new[] { file.Directory, file.Directory?.Parent }
            .Where(d => d is not null)
            .Select(d => new FileInfo(Path.Combine(d!.FullName, "identity-overrides.json")))
            .FirstOrDefault(f => f.Exists);

    /// <summary>The sources of a release folder that have a live release (sub-folders not starting with '_'), and <paramref name="source"/>.</summary>
    private static async Task<IReadOnlyList<string>> LiveSourcesAsync(IReleaseStore releases, DirectoryInfo folder, string source, CancellationToken cancellationToken)
    {
        var sources = new SortedSet<string>(StringComparer.Ordinal) { source };
        foreach (var candidate in folder.EnumerateDirectories().Select(d => d.Name).Where(n => !n.StartsWith('_')))
        {
            if (await releases.GetLatestAsync(candidate, cancellationToken).ConfigureAwait(false) is not null)
            {
                sources.Add(candidate);
            }
        }

        return [.. sources];
    }

    /// <summary>The identity overrides and their hash, or null (the reason written) when the file is invalid.</summary>
    private static (IdentityOverrides Overrides, string? Hash)? LoadOverrides(OfficerIndexOptions options, TextWriter output)
    {
        try
        {
            return OfficerIndexStep.LoadOverrides(options.Overrides?.FullName);
        }
        catch (IdentityOverridesException ex)
        {
            output.WriteLine(ex.Message);
            return null;
        }
    }

    /// <summary>The release step that follows a live release: the officers of every source's live release, resolved and indexed.</summary>
    private static async Task<int> UpdateOfficerIndexAsync(IReleaseStore releases, IBlobContainer? review, IEnumerable<string> sources, OfficerIndexOptions options, TextWriter output, Progress progress, CancellationToken cancellationToken)
    {
        if (LoadOverrides(options, output) is not var (overrides, hash))
        {
            return 2;
        }

        using var index = new LazyIndex(options.Index);
        var reviewed = review is null ? null : new IdentityReviewStore(review, overrides);
        var report = await new OfficerIndexStep(releases, index.Value, overrides, hash, review: reviewed).RunAsync(sources, progress, cancellationToken).ConfigureAwait(false);
        PrintOfficers(report, releases, options.Index, output);
        return 0;
    }

    private static void PrintOfficers(OfficerIndexReport report, IReleaseStore releases, DirectoryInfo indexFolder, TextWriter output)
    {
        var where = HostSettings.IndexLocation(indexFolder);
        output.WriteLine(report.AlreadyLive
            ? $"officers: index generation {report.Generation} is already live in {where}"
            : string.Create(CultureInfo.InvariantCulture,
                $"officers: {report.Officers:N0} officers from {string.Join(", ", report.Releases)} indexed in {where} (generation {report.Generation}; identity report: {releases.Location}/{OfficerIndexStep.Folder}/{report.Generation}/identity.json, {report.Identity!.Counts.Ambiguities:N0} ambiguous, {report.Identity.Counts.Undecided:N0} undecided candidates)"));
    }

    /// <summary>The officer index, opened on first use and disposed with the command.</summary>
    private sealed class LazyIndex(DirectoryInfo folder) : IDisposable
    {
        private IOfficerIndex? index;

        public IOfficerIndex Value => index ??= HostSettings.OpenIndex(folder);

        public void Dispose() => (index as IDisposable)?.Dispose();
    }

    /// <summary>
    /// The --out folder, else the releases container with the review container (whose stored identity decisions the
    /// officer index step applies); null, the reason written, when storage cannot be reached.
    /// </summary>
    private static async Task<(IReleaseStore Releases, IBlobContainer? Review)?> ReleaseStoreAsync(DirectoryInfo? outFolder, string storage, StorageOptions storageOptions, TextWriter output, CancellationToken cancellationToken) =>
        outFolder is not null
            ? (new FolderReleaseStore(outFolder.FullName), null)
            : await HostSettings.ConnectStorageAsync(storage, storageOptions, "ingest", output, cancellationToken).ConfigureAwait(false) is { } connected
                ? (connected.Releases, connected.Review)
                : null;

    private static void PrintPublish(PublishReport report, string source, IReleaseStore releases, TimeSpan elapsed, TextWriter output)
    {
        var ic = CultureInfo.InvariantCulture;
        if (report.Import is { } import)
        {
            CheckCommand.Print(import, source, 20, output);
        }

        output.WriteLine();
        switch (report.Outcome)
        {
            case PublishOutcome.ImportFailed:
                output.WriteLine("release: none (the export cannot be imported; the live release is unchanged)");
                return;
            case PublishOutcome.Superseded:
                output.WriteLine($"release: none (the live release {report.PreviousReleaseId} comes from a later export; it stays live)");
                return;
            case PublishOutcome.AlreadyPublished:
                output.WriteLine($"release: {report.ReleaseId} is already live (same export, profile and policy); nothing written");
                return;
        }

        if (report.Redaction is { } redaction)
        {
            foreach (var line in redaction.Lines())
            {
                output.WriteLine(line);
            }

            output.WriteLine();
        }

        output.WriteLine($"release {report.ReleaseId} published to {releases.Location}/{source}/{report.ReleaseId} (previous: {report.PreviousReleaseId ?? "none"})");
        if (report.Contents is { } contents)
        {
            foreach (var artefact in contents.Artefacts)
            {
                output.WriteLine(string.Create(ic, $"  {artefact.Path,-36} {artefact.Bytes,14:N0} bytes"));
            }

            var changes = contents.Changes;
            output.WriteLine(string.Create(ic,
                $"changes: {changes.NewComplaints:N0} new complaints, {changes.StatusChanges:N0} status changes, {changes.FindingsFinal:N0} findings final, {changes.DisciplineFinal:N0} discipline final, {changes.Removed:N0} removed"));
        }

        output.WriteLine(string.Create(ic, $"done in {elapsed.TotalSeconds:0.0} s"));
    }

    /// <summary>Progress on standard error: pipeline steps as they happen, import progress per 100,000 rows.</summary>
    private sealed class Progress(TextWriter output) : IProgress<string>, IProgress<ImportProgress>
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();

        public void Report(string value) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,6:0.0}s] {value}"));

        public void Report(ImportProgress value) => Report(value.ToString());
    }
}
