using OpenConduct.Core.Import;
using OpenConduct.Core.Release;
using OpenConduct.Core.Sources;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Pipeline;

/// <summary>How a pull ended.</summary>
public enum PullOutcome
{
    /// <summary>The source's cadence has not passed since its last successful pull.</summary>
    NotDue,

    /// <summary>A drop is incomplete (a file its profile needs is missing) or still being uploaded.</summary>
    NotReady,

    /// <summary>The export has not changed (conditional GET, or the same SHA-256 as the last one): a recorded no-op.</summary>
    Unchanged,

    /// <summary>A new export is stored in <c>exports-raw</c>, ready to be processed.</summary>
    Pulled,

    /// <summary>The pull failed (recorded as a failed run, with the reason).</summary>
    Failed,

    /// <summary>
    /// A drop is invalid as delivered (a file over <see cref="ExportLimits.MaxFileBytes"/>): it moved from
    /// <c>exports-incoming</c> to <c>exports-quarantine</c> with its error report, without being copied to raw.
    /// </summary>
    Quarantined,
}

public sealed record PullReport(string Source, PullOutcome Outcome, string? RunId = null, string? RawPrefix = null, string? ExportHash = null, long Bytes = 0, string? Message = null);

/// <summary>
/// Pulls a source's export into <c>exports-raw</c>, byte for byte with its provenance, and records the run. An
/// unchanged export is a recorded no-op; a pull is due when the source's cadence has passed since its last success.
/// </summary>
public sealed class PullService(
    PipelineContainers containers,
    IPipelineLedger ledger,
    IEnumerable<ISourceConnector> connectors,
    TimeProvider? time = null,
    IPipelineFaults? faults = null)
{
    private readonly TimeProvider time = time ?? TimeProvider.System;
    private readonly Dictionary<SourceKind, ISourceConnector> connectors = connectors.ToDictionary(c => c.Kind);

    /// <summary>Pulls every source that is due (drops: every source whose drop is ready).</summary>
    public async Task<IReadOnlyList<PullReport>> PullDueAsync(IEnumerable<SourceDefinition> sources, string trigger, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var reports = new List<PullReport>();
        foreach (var source in sources)
        {
            reports.Add(await PullAsync(source, trigger, force: false, progress, cancellationToken).ConfigureAwait(false));
        }

        return reports;
    }

    /// <summary>Pulls one source; <paramref name="force"/> ignores the cadence (a drop is always pulled when ready).</summary>
    public async Task<PullReport> PullAsync(SourceDefinition source, string trigger, bool force = false, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var clock = time.GetUtcNow();
        var state = await ledger.GetSourceOrNewAsync(source.Id, cancellationToken).ConfigureAwait(false)
            with { CadenceDays = source.Kind == SourceKind.Drop ? null : source.Cadence.TotalDays };
        if (!force && source.Kind != SourceKind.Drop && state.LastSuccess is { } last && last + source.Cadence > clock)
        {
            return new PullReport(source.Id, PullOutcome.NotDue, Message: $"next pull due {last + source.Cadence:u}");
        }

        // The pull's time orders the source's exports (a later pull's export supersedes an earlier one's, and latest
        // never moves back): it is never before the source's previous pull, whatever this instance's clock says, so
        // that an instance whose clock is behind another's cannot stamp the newer export as the older.
        var now = PullTime(clock, state.LastPull);

        var staging = Path.Combine(Path.GetTempPath(), "openconduct-pull-" + Guid.NewGuid().ToString("N"));
        var runId = RawExport.NewRunId(now);
        var run = new RunRecord { Source = source.Id, RunId = runId, Trigger = trigger, Started = now, Outcome = RunOutcome.Running };
        try
        {
            PullResult result;
            IReadOnlyList<StoredObject> dropped = [];
            if (source.Kind == SourceKind.Drop)
            {
                var drop = await StageDropAsync(source, staging, clock, progress, cancellationToken).ConfigureAwait(false);
                if (drop.Invalid is { } invalid)
                {
                    return await QuarantineDropAsync(source, state, run, drop.Objects, invalid, progress, cancellationToken).ConfigureAwait(false);
                }

                if (drop.Result is null)
                {
                    return new PullReport(source.Id, PullOutcome.NotReady, Message: drop.Why);
                }

                (result, dropped) = (drop.Result, drop.Objects);
            }
            else
            {
                var connector = connectors.GetValueOrDefault(source.Kind)
                    ?? throw new PullException($"{source.Id}: no connector for sources of kind '{source.Kind}'");
                progress?.Report($"{source.Id}: pulling {source.Url}");
                result = await connector.PullAsync(source, new PullConditions(state.ETag, state.LastModified), staging, progress, cancellationToken).ConfigureAwait(false);
            }

            faults?.After(PipelineSteps.Fetched);
            var exportHash = result.NotModified ? null : RawExport.Hash(result.Files);
            if (result.NotModified || exportHash == state.LastHash)
            {
                await RemoveDroppedAsync(dropped, cancellationToken).ConfigureAwait(false);
                var why = result.NotModified ? "not modified since the last pull (conditional GET)" : "same SHA-256 as the last export";
                progress?.Report($"{source.Id}: unchanged: {why}");
                await ledger.SaveRunAsync(run with { Finished = time.GetUtcNow(), Outcome = RunOutcome.NoOp, ExportHash = exportHash ?? state.LastHash, Requests = result.Requests }, cancellationToken).ConfigureAwait(false);
                await ledger.SaveSourceAsync(state with
                {
                    LastPull = now,
                    LastSuccess = now,
                    LastError = null,
                    LastRunId = runId,
                    ETag = result.ETag ?? state.ETag,
                    LastModified = result.LastModified ?? state.LastModified,
                }, cancellationToken).ConfigureAwait(false);
                return new PullReport(source.Id, PullOutcome.Unchanged, runId, ExportHash: exportHash ?? state.LastHash, Message: why);
            }

            var prefix = RawExport.Prefix(source.Id, now, runId);
            var files = new List<ReleaseExportFile>();
            foreach (var file in result.Files)
            {
                var metadata = new Dictionary<string, string>
                {
                    ["source"] = source.Id,
                    ["url"] = Uri.EscapeDataString(result.Url ?? ""),
                    ["pulledAt"] = now.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["size"] = file.Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["sha256"] = file.Sha256,
                };
                if (result.ETag is not null)
                {
                    metadata["etag"] = Uri.EscapeDataString(result.ETag);
                }

                await using (var stream = new FileStream(file.LocalPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
                {
                    await containers.Raw.UploadAsync(prefix + file.Name, stream, metadata, overwrite: true, cancellationToken).ConfigureAwait(false);
                }

                files.Add(new ReleaseExportFile(file.Name, file.Bytes, file.Sha256));
                progress?.Report($"{source.Id}: stored {containers.Raw.Name}/{prefix}{file.Name} ({file.Bytes:N0} bytes)");
            }

            faults?.After(PipelineSteps.RawFiles);
            var manifest = new RawExportManifest
            {
                Source = source.Id,
                RunId = runId,
                PulledAt = now,
                Url = result.Url,
                ETag = result.ETag,
                LastModified = result.LastModified,
                ExportHash = exportHash!,
                Files = files,
            };
            using (var json = new MemoryStream(RawExport.Serialize(manifest)))
            {
                await containers.Raw.UploadAsync(prefix + RawExport.ManifestName, json, new Dictionary<string, string> { ["source"] = source.Id, ["sha256"] = exportHash! }, overwrite: true, cancellationToken).ConfigureAwait(false);
            }

            faults?.After(PipelineSteps.RawManifest);
            await RemoveDroppedAsync(dropped, cancellationToken).ConfigureAwait(false);
            faults?.After(PipelineSteps.IncomingRemoved);
            var bytes = files.Sum(f => f.Bytes);
            await ledger.SaveRunAsync(run with { Outcome = RunOutcome.Pulled, RawPrefix = prefix, ExportHash = exportHash, Bytes = bytes, Requests = result.Requests }, cancellationToken).ConfigureAwait(false);
            await ledger.SaveSourceAsync(state with
            {
                LastPull = now,
                LastSuccess = now,
                LastError = null,
                LastRunId = runId,
                LastHash = exportHash,
                ETag = result.ETag,
                LastModified = result.LastModified,
            }, cancellationToken).ConfigureAwait(false);
            faults?.After(PipelineSteps.PullRecorded);
            return new PullReport(source.Id, PullOutcome.Pulled, runId, prefix, exportHash, bytes);
        }
        catch (PullException ex)
        {
            progress?.Report(ex.Message);
            await ledger.SaveRunAsync(run with { Finished = time.GetUtcNow(), Outcome = RunOutcome.Failed, Error = ex.Message, Attempts = 1 }, cancellationToken).ConfigureAwait(false);
            await ledger.SaveSourceAsync(state with { LastPull = now, LastError = ex.Message, LastRunId = runId }, cancellationToken).ConfigureAwait(false);
            return new PullReport(source.Id, PullOutcome.Failed, runId, Message: ex.Message);
        }
        finally
        {
            if (Directory.Exists(staging))
            {
                Directory.Delete(staging, recursive: true);
            }
        }
    }

    /// <summary>The time of a pull: the clock's, or just after the source's previous pull when the clock is behind it.</summary>
    public static DateTimeOffset PullTime(DateTimeOffset clock, DateTimeOffset? previous) =>
        previous is { } last && last >= clock ? last + TimeSpan.FromMilliseconds(1) : clock;

    private sealed record StagedDrop(PullResult? Result, IReadOnlyList<StoredObject> Objects, string? Why, string? Invalid = null);

    /// <summary>
    /// The name of the empty file an uploader writes into the drop folder after its last file to say the upload is
    /// complete: the drop is then pulled at once, without waiting for it to settle. Removed with the drop.
    /// </summary>
    public const string CompleteMarker = "_complete";

    /// <summary>
    /// A drop is ready when every file its profile needs is in <c>exports-incoming/{source}/</c> and either the
    /// uploader wrote <see cref="CompleteMarker"/> or the newest file was written at least
    /// <see cref="SourceDefinition.SettleTime"/> ago; its files are then staged.
    /// </summary>
    private async Task<StagedDrop> StageDropAsync(SourceDefinition source, string staging, DateTimeOffset now, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var folder = source.Id + "/";
        var objects = new List<StoredObject>();
        StoredObject? marker = null;
        await foreach (var item in containers.Incoming.ListAsync(folder, cancellationToken).ConfigureAwait(false))
        {
            // Files of the drop's own folder only (not sub-folders); the completion marker is not part of the export.
            if (item.Path.Length == folder.Length + CompleteMarker.Length && item.Path.EndsWith(CompleteMarker, StringComparison.Ordinal))
            {
                marker = item;
            }
            else if (item.Path.IndexOf('/', folder.Length) < 0)
            {
                objects.Add(item);
            }
        }

        if (objects.Count == 0)
        {
            return new StagedDrop(null, [], $"nothing in {containers.Incoming.Name}/{folder}");
        }

        var names = objects.Select(o => o.Path[folder.Length..]).ToList();
        var profile = MappingProfileLoader.LoadFile(source.Profile);
        var missing = new List<string>();
        foreach (var file in profile.Files)
        {
            if (file.FindIn(names, out var error) is null)
            {
                missing.Add(error ?? file.Path);
            }
        }

        if (missing.Count > 0)
        {
            return new StagedDrop(null, [], $"the drop in {containers.Incoming.Name}/{folder} is incomplete: {string.Join("; ", missing)}");
        }

        var newest = objects.Max(o => o.LastModified);
        if (marker is null && newest + source.SettleTime > now)
        {
            return new StagedDrop(null, [], $"the drop in {containers.Incoming.Name}/{folder} changed at {newest:u}; pulled once untouched for {source.SettleTime}");
        }

        // A file over the size limit makes the drop invalid before a byte of it is copied.
        var limits = source.Limits ?? ExportLimits.Default;
        if (objects.FirstOrDefault(o => o.Size > limits.MaxFileBytes) is { } large)
        {
            return new StagedDrop(null, marker is null ? objects : [.. objects, marker], null, limits.FileTooLarge(large.Path[folder.Length..], large.Size));
        }

        var staged = new List<StagedFile>();
        foreach (var item in objects)
        {
            var name = item.Path[folder.Length..];
            await using var input = await containers.Incoming.OpenReadAsync(item.Path, cancellationToken).ConfigureAwait(false);
            staged.Add(await Staging.WriteAsync(staging, name, (output, ct) => input.CopyToAsync(output, ct), cancellationToken).ConfigureAwait(false));
            progress?.Report($"{source.Id}: fetched {containers.Incoming.Name}/{item.Path} ({item.Size:N0} bytes)");
        }

        return new StagedDrop(new PullResult { Files = staged, Url = $"{containers.Incoming.Name}/{folder}", Requests = staged.Count }, marker is null ? objects : [.. objects, marker], null);
    }

    /// <summary>
    /// Moves an invalid drop to <c>exports-quarantine/{source}/{yyyy-MM-dd}/{runId}/</c> with its error report (blob to
    /// blob, nothing staged on disk), removes it from the drop folder and records the run as quarantined.
    /// </summary>
    private async Task<PullReport> QuarantineDropAsync(SourceDefinition source, SourceState state, RunRecord run, IReadOnlyList<StoredObject> objects, string error, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var folder = source.Id + "/";
        var prefix = RawExport.Prefix(source.Id, run.Started, run.RunId);
        foreach (var item in objects)
        {
            await using var input = await containers.Incoming.OpenReadAsync(item.Path, cancellationToken).ConfigureAwait(false);
            await containers.Quarantine.UploadAsync(prefix + item.Path[folder.Length..], input, item.Metadata, overwrite: true, cancellationToken).ConfigureAwait(false);
        }

        var message = "the export is invalid: " + error;
        var report = new QuarantineReport(source.Id, run.RunId, time.GetUtcNow(), 1, message, [], []);
        using (var json = new MemoryStream(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(report, RawExport.Json)))
        {
            await containers.Quarantine.UploadAsync(prefix + QuarantineReport.FileName, json, null, overwrite: true, cancellationToken).ConfigureAwait(false);
        }

        await RemoveDroppedAsync(objects, cancellationToken).ConfigureAwait(false);
        progress?.Report($"{source.Id}: {message}; moved the drop to {containers.Quarantine.Name}/{prefix} with {QuarantineReport.FileName}");
        await ledger.SaveRunAsync(run with { Finished = time.GetUtcNow(), Outcome = RunOutcome.Quarantined, Error = message, Attempts = 1 }, cancellationToken).ConfigureAwait(false);
        await ledger.SaveSourceAsync(state with { LastPull = run.Started, LastError = $"run {run.RunId} quarantined: {message}", LastRunId = run.RunId }, cancellationToken).ConfigureAwait(false);
        return new PullReport(source.Id, PullOutcome.Quarantined, run.RunId, Message: message);
    }

    private async Task RemoveDroppedAsync(IReadOnlyList<StoredObject> dropped, CancellationToken cancellationToken)
    {
        foreach (var item in dropped)
        {
            await containers.Incoming.DeleteAsync(item.Path, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>Uploading a drop, as an agency's script would: every file of a folder, then the completion marker.</summary>
public static class Drops
{
    /// <summary>Uploads the files of <paramref name="folder"/> to <c>exports-incoming/{source}/</c>, then <see cref="PullService.CompleteMarker"/>.</summary>
    public static async Task<int> UploadAsync(IBlobContainer incoming, string source, DirectoryInfo folder, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        ArgumentNullException.ThrowIfNull(folder);
        var files = folder.EnumerateFiles().Where(f => f.Name != PullService.CompleteMarker).OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        foreach (var file in files)
        {
            await using var stream = file.OpenRead();
            await incoming.UploadAsync($"{source}/{file.Name}", stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            progress?.Report($"{source}: uploaded {file.Name} to {incoming.Name}/{source}/");
        }

        await incoming.UploadAsync($"{source}/{PullService.CompleteMarker}", new MemoryStream(), cancellationToken: cancellationToken).ConfigureAwait(false);
        return files.Count;
    }
}
