using System.IO.Compression;
using System.Text.Json;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Release;
using OpenConduct.Core.Sources;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Pipeline;

public sealed record ProcessOptions
{
    /// <summary>After this many failed attempts an export moves to quarantine.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>How long to wait for another instance processing the same source to finish.</summary>
    public TimeSpan LeaseWait { get; init; } = TimeSpan.FromMinutes(10);

    public ImportOptions Import { get; init; } = ImportOptions.Default;

    /// <summary>The archive limits of a source that sets none in the sources file.</summary>
    public ArchiveLimits Archive { get; init; } = ArchiveLimits.Default;

    /// <summary>The file, record and cell limits of a source that sets none in the sources file.</summary>
    public ExportLimits Limits { get; init; } = ExportLimits.Default;
}

public enum ProcessOutcome
{
    Published,

    /// <summary>The run was already finished (published or quarantined): nothing was done.</summary>
    AlreadyDone,

    /// <summary>The attempt failed; the export stays in <c>exports-raw</c> and will be retried.</summary>
    Failed,

    /// <summary>The export moved to <c>exports-quarantine</c> with its error report.</summary>
    Quarantined,

    /// <summary>Another instance held the source's lease for longer than <see cref="ProcessOptions.LeaseWait"/>.</summary>
    Busy,

    /// <summary>A later export is already live: this older one was not published (recorded as a no-op run).</summary>
    Superseded,
}

public sealed record ProcessReport(string Source, string RunId, ProcessOutcome Outcome, int Attempts, PublishReport? Publish = null, string? Error = null);

/// <summary>
/// Processes a raw export (from its <c>_manifest.json</c>) into a release: single-flight per source (a blob lease),
/// idempotent (the release id follows from the export), and after <see cref="ProcessOptions.MaxAttempts"/> failed
/// attempts the export moves to quarantine with an error report. The live release is untouched until the new
/// one is complete.
/// </summary>
public sealed class ProcessService(
    PipelineContainers containers,
    IReleaseStore releases,
    IPipelineLedger ledger,
    PublisherOptions publisher,
    Func<string, string?> settings,
    ProcessOptions? options = null,
    TimeProvider? time = null,
    IPipelineFaults? faults = null,
    Review.NarrativeReviewStorage? review = null)
{
    private readonly ProcessOptions options = options ?? new ProcessOptions();
    private readonly TimeProvider time = time ?? TimeProvider.System;

    /// <summary>The lease that makes processing of one source single-flight, in the raw container.</summary>
    public static string LockPath(string source) => $"_locks/{source}";

    /// <summary>Processes the raw export under <paramref name="rawPrefix"/> (<c>{source}/{yyyy-MM-dd}/{runId}/</c>).</summary>
    public Task<ProcessReport> ProcessAsync(SourceDefinition source, string rawPrefix, string trigger, IProgress<string>? progress = null, IProgress<ImportProgress>? importProgress = null, CancellationToken cancellationToken = default) =>
        RunAsync(source, rawPrefix, trigger, rebuild: false, progress, importProgress, cancellationToken);

    /// <summary>
    /// Processes again a raw export whose run was published, so that its release is built by this version of the code
    /// (a new release format gives a new release id; the same export's release stays live until the new one is). The
    /// attempts count from zero again.
    /// </summary>
    public Task<ProcessReport> RebuildAsync(SourceDefinition source, string rawPrefix, string trigger, IProgress<string>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(source, rawPrefix, trigger, rebuild: true, progress, null, cancellationToken);

    private async Task<ProcessReport> RunAsync(SourceDefinition source, string rawPrefix, string trigger, bool rebuild, IProgress<string>? progress, IProgress<ImportProgress>? importProgress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(rawPrefix);
        rawPrefix = rawPrefix.EndsWith('/') ? rawPrefix : rawPrefix + "/";
        var runId = rawPrefix.TrimEnd('/').Split('/')[^1];
        await using var lease = await AcquireAsync(source.Id, progress, cancellationToken).ConfigureAwait(false);
        if (lease is null)
        {
            return new ProcessReport(source.Id, runId, ProcessOutcome.Busy, 0, Error: $"another instance has been processing {source.Id} for {options.LeaseWait}");
        }

        var run = await ledger.GetRunAsync(source.Id, runId, cancellationToken).ConfigureAwait(false)
            ?? new RunRecord { Source = source.Id, RunId = runId, Trigger = trigger, Started = time.GetUtcNow(), RawPrefix = rawPrefix };
        if (rebuild && run.Outcome == RunOutcome.Published)
        {
            progress?.Report($"{source.Id}: run {runId} was published as {run.ReleaseId}; building its release again with this version");
            run = run with { Attempts = 0 };
        }
        else if (run.Outcome is RunOutcome.Published or RunOutcome.Quarantined or RunOutcome.NoOp)
        {
            progress?.Report($"{source.Id}: run {runId} is already {run.Outcome.ToString().ToLowerInvariant()}");
            return new ProcessReport(source.Id, runId, ProcessOutcome.AlreadyDone, run.Attempts);
        }

        var manifestPath = rawPrefix + RawExport.ManifestName;
        if (await containers.Raw.GetAsync(manifestPath, cancellationToken).ConfigureAwait(false) is null)
        {
            // Quarantined by an attempt that crashed before it recorded so: finish the record.
            if (await containers.Quarantine.GetAsync(manifestPath, cancellationToken).ConfigureAwait(false) is not null)
            {
                var error = run.Error ?? "quarantined by an earlier attempt";
                await RecordQuarantineAsync(source, run, run.Attempts, error, cancellationToken).ConfigureAwait(false);
                return new ProcessReport(source.Id, runId, ProcessOutcome.Quarantined, run.Attempts, Error: error);
            }

            throw new FileNotFoundException($"{containers.Raw.Name}/{manifestPath}: no raw export manifest");
        }

        var attempts = run.Attempts + 1;
        run = run with { Outcome = RunOutcome.Running, Attempts = attempts, RawPrefix = rawPrefix, Error = null };
        await ledger.SaveRunAsync(run, cancellationToken).ConfigureAwait(false);
        var work = Path.Combine(Path.GetTempPath(), "openconduct-process-" + Guid.NewGuid().ToString("N"));
        try
        {
            RawExportManifest manifest;
            await using (var stream = await containers.Raw.OpenReadAsync(manifestPath, cancellationToken).ConfigureAwait(false))
            {
                manifest = await RawExport.ReadManifestAsync(stream, $"{containers.Raw.Name}/{manifestPath}", cancellationToken).ConfigureAwait(false);
            }

            var configuration = SourceConfiguration.Load(source);
            var limits = source.Limits ?? options.Limits;
            var archive = source.Archive ?? options.Archive;
            await DownloadAsync(rawPrefix, manifest, work, limits, archive, progress, cancellationToken).ConfigureAwait(false);
            var publisherService = new ReleasePublisher(releases, publisher, settings, faults, options.Import with { Limits = limits, Archive = archive }, review);
            var published = await publisherService.PublishAsync(
                configuration, new DirectoryExportFiles(work), manifest.ExportHash, manifest.PulledAt, manifest.Files, progress, importProgress, cancellationToken).ConfigureAwait(false);
            if (published.Outcome == PublishOutcome.ImportFailed)
            {
                // The export itself is broken: retrying cannot help. Quarantine it now, with the import's reasons.
                var error = (published.Import!.ExportInvalid ? "the export is invalid: " : "the export cannot be imported: ") + string.Join("; ", published.Import.Failures);
                await QuarantineAsync(source, run, rawPrefix, attempts, error, published.Import, progress, cancellationToken).ConfigureAwait(false);
                return new ProcessReport(source.Id, runId, ProcessOutcome.Quarantined, attempts, published, error);
            }

            if (published.Outcome == PublishOutcome.Superseded)
            {
                var note = $"superseded: the live release {published.PreviousReleaseId} comes from a later export";
                await ledger.SaveRunAsync(run with { Finished = time.GetUtcNow(), Outcome = RunOutcome.NoOp, ExportHash = manifest.ExportHash, Error = note }, cancellationToken).ConfigureAwait(false);
                return new ProcessReport(source.Id, runId, ProcessOutcome.Superseded, attempts, published, note);
            }

            var counts = published.Manifest?.Counts;
            await ledger.SaveRunAsync(run with
            {
                Finished = time.GetUtcNow(),
                Outcome = RunOutcome.Published,
                ReleaseId = published.ReleaseId,
                ExportHash = manifest.ExportHash,
                Bytes = manifest.Files.Sum(f => f.Bytes),
                RowsRead = published.Import?.RowsRead ?? run.RowsRead,
                RowsRejected = published.Import?.RowsRejected ?? run.RowsRejected,
                Complaints = counts?.Complaints ?? 0,
                Allegations = counts?.Allegations ?? 0,
                Officers = counts?.Officers ?? 0,
            }, cancellationToken).ConfigureAwait(false);
            await ledger.UpdateSourceAsync(source.Id, state => state with { LastReleaseId = published.ReleaseId, LastError = null }, cancellationToken).ConfigureAwait(false);
            faults?.After(PipelineSteps.ProcessRecorded);
            return new ProcessReport(source.Id, runId, ProcessOutcome.Published, attempts, published);
        }
        catch (InvalidExportException ex)
        {
            // An archive over a limit or with an unsafe entry: the export is invalid as delivered, retrying cannot help.
            var error = "the export is invalid: " + ex.Message;
            progress?.Report($"{source.Id}: {error}");
            await QuarantineAsync(source, run, rawPrefix, attempts, error, null, progress, cancellationToken).ConfigureAwait(false);
            return new ProcessReport(source.Id, runId, ProcessOutcome.Quarantined, attempts, Error: error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var error = ex is ProfileException or PolicyException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
            progress?.Report($"{source.Id}: attempt {attempts} of {options.MaxAttempts} failed: {error}");
            if (attempts >= options.MaxAttempts)
            {
                await QuarantineAsync(source, run, rawPrefix, attempts, error, null, progress, cancellationToken).ConfigureAwait(false);
                return new ProcessReport(source.Id, runId, ProcessOutcome.Quarantined, attempts, Error: error);
            }

            await ledger.SaveRunAsync(run with { Outcome = RunOutcome.Failed, Error = error, Finished = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
            await ledger.UpdateSourceAsync(source.Id, state => state with { LastError = error }, cancellationToken).ConfigureAwait(false);
            return new ProcessReport(source.Id, runId, ProcessOutcome.Failed, attempts, Error: error);
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private async Task<IAsyncDisposable?> AcquireAsync(string source, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + options.LeaseWait;
        var told = false;
        while (true)
        {
            var lease = await containers.Raw.TryAcquireLeaseAsync(LockPath(source), cancellationToken).ConfigureAwait(false);
            if (lease is not null || time.GetUtcNow() >= deadline)
            {
                return lease;
            }

            if (!told)
            {
                progress?.Report($"{source}: another instance is processing this source; waiting");
                told = true;
            }

            await Task.Delay(TimeSpan.FromSeconds(2), time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Downloads the export's files, checks each against its SHA-256 in the manifest, and expands ZIP archives.</summary>
    private async Task DownloadAsync(string rawPrefix, RawExportManifest manifest, string folder, ExportLimits limits, ArchiveLimits archive, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        // Every file's size is known from the manifest: one over the limit makes the export invalid before anything is read.
        if (manifest.Files.FirstOrDefault(f => f.Bytes > limits.MaxFileBytes) is { } large)
        {
            throw new InvalidExportException(limits.FileTooLarge(large.Name, large.Bytes));
        }

        Directory.CreateDirectory(folder);
        foreach (var file in manifest.Files)
        {
            var path = Path.Combine(folder, StorePaths.Segment(file.Name));
            await using (var input = await containers.Raw.OpenReadAsync(rawPrefix + file.Name, cancellationToken).ConfigureAwait(false))
            await using (var output = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await input.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            }

            var sha = await RawExport.Sha256Async(path, cancellationToken).ConfigureAwait(false);
            if (sha != file.Sha256)
            {
                throw new InvalidDataException($"{containers.Raw.Name}/{rawPrefix}{file.Name}: SHA-256 {sha} does not match the manifest's {file.Sha256}");
            }

            if (file.Name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                ArchiveExpander.Expand(path, folder, archive);
                File.Delete(path);
            }

            progress?.Report($"{manifest.Source}: read {containers.Raw.Name}/{rawPrefix}{file.Name} ({file.Bytes:N0} bytes, SHA-256 checked)");
        }
    }

    /// <summary>Copies the raw export to quarantine with an error report beside it, then removes it from raw.</summary>
    private async Task QuarantineAsync(SourceDefinition source, RunRecord run, string rawPrefix, int attempts, string error, ImportReport? import, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var objects = new List<StoredObject>();
        await foreach (var item in containers.Raw.ListAsync(rawPrefix, cancellationToken).ConfigureAwait(false))
        {
            objects.Add(item);
        }

        foreach (var item in objects)
        {
            await using var input = await containers.Raw.OpenReadAsync(item.Path, cancellationToken).ConfigureAwait(false);
            await containers.Quarantine.UploadAsync(item.Path, input, item.Metadata, overwrite: true, cancellationToken).ConfigureAwait(false);
        }

        var report = new QuarantineReport(source.Id, run.RunId, time.GetUtcNow(), attempts, error,
            import?.Failures ?? [], import?.RowErrors.Take(100).Select(e => e.ToString()).ToList() ?? []);
        using (var json = new MemoryStream(JsonSerializer.SerializeToUtf8Bytes(report, RawExport.Json)))
        {
            await containers.Quarantine.UploadAsync(rawPrefix + QuarantineReport.FileName, json, null, overwrite: true, cancellationToken).ConfigureAwait(false);
        }

        // The manifest goes last, so that an interrupted quarantine leaves the export processable in raw.
        foreach (var item in objects.OrderBy(o => o.Path.EndsWith(RawExport.ManifestName, StringComparison.Ordinal)))
        {
            await containers.Raw.DeleteAsync(item.Path, cancellationToken).ConfigureAwait(false);
        }

        progress?.Report($"{source.Id}: moved the export to {containers.Quarantine.Name}/{rawPrefix} with {QuarantineReport.FileName}");
        await RecordQuarantineAsync(source, run, attempts, error, cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordQuarantineAsync(SourceDefinition source, RunRecord run, int attempts, string error, CancellationToken cancellationToken)
    {
        await ledger.SaveRunAsync(run with { Outcome = RunOutcome.Quarantined, Attempts = attempts, Error = error, Finished = time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
        await ledger.UpdateSourceAsync(source.Id, state => state with { LastError = $"run {run.RunId} quarantined: {error}" }, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The error report written beside a quarantined export (<c>_error.json</c>).</summary>
public sealed record QuarantineReport(string Source, string RunId, DateTimeOffset QuarantinedAt, int Attempts, string Error, IReadOnlyList<string> ImportFailures, IReadOnlyList<string> FirstRowErrors)
{
    public const string FileName = "_error.json";
}
