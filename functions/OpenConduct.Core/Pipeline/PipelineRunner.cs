using System.Diagnostics;
using Microsoft.Extensions.Logging;
using OpenConduct.Core.Import;
using OpenConduct.Core.Sources;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Pipeline;

/// <summary>What one refresh of a source did: its pull, the processing of what was pulled, and the officer index step.</summary>
public sealed record SourceRunReport(string Source, PullReport? Pull, IReadOnlyList<ProcessReport> Processed, OfficerIndexReport? Officers)
{
    /// <summary>True when nothing failed: the pull, every processing and the index step (a drop not ready yet is not a failure).</summary>
    public bool Succeeded =>
        Pull?.Outcome is not (PullOutcome.Failed or PullOutcome.Quarantined)
        && Processed.All(p => p.Outcome is ProcessOutcome.Published or ProcessOutcome.AlreadyDone or ProcessOutcome.Superseded);
}

/// <summary>
/// The pipeline's steps in order for the hosts (the standalone server's schedule and watcher, the Functions app's
/// triggers, the command line): pull a source, process the raw exports it left, and re-index the officers once a
/// release went live. Each step's outcome is logged as one structured event,
/// <c>OpenConduct run {Source} {Step} {Outcome}</c>, with the run id, counts and duration (the alert rules query it).
/// </summary>
public sealed class PipelineRunner(
    PullService pull,
    ProcessService process,
    IReleaseStore releases,
    IPipelineLedger ledger,
    Func<OfficerIndexStep>? officerIndex,
    IReadOnlyList<string> allSources,
    ILogger logger)
{
    /// <summary>Runs that a scheduled pass retries: pulled and never processed, failed, or left running by a crash.</summary>
    private static readonly RunOutcome[] Unfinished = [RunOutcome.Pulled, RunOutcome.Failed, RunOutcome.Running];

    /// <summary>
    /// Pulls the source (<paramref name="force"/>: even when its cadence has not passed), processes the export it
    /// pulled, then the officer index step when a release went live.
    /// </summary>
    public async Task<SourceRunReport> RefreshAsync(SourceDefinition source, string trigger, bool force, IProgress<string>? progress = null, IProgress<ImportProgress>? importProgress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var pulled = await PullAsync(source, trigger, force, progress, cancellationToken).ConfigureAwait(false);
        if (pulled.Outcome != PullOutcome.Pulled)
        {
            return new SourceRunReport(source.Id, pulled, [], null);
        }

        var processed = await ProcessAsync(source, pulled.RawPrefix!, trigger, progress, importProgress, cancellationToken).ConfigureAwait(false);
        var officers = await IndexIfPublishedAsync([processed], progress, cancellationToken).ConfigureAwait(false);
        return new SourceRunReport(source.Id, pulled, [processed], officers);
    }

    /// <summary>
    /// Processes the source's unfinished runs (oldest first): those pulled and not yet processed, and, when
    /// <paramref name="retry"/> is set, failed ones and ones a crash left running. Then the officer index step, when a
    /// release went live.
    /// </summary>
    public async Task<SourceRunReport> ProcessPendingAsync(SourceDefinition source, string trigger, bool retry, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var runs = await ledger.ListRunsAsync(source.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        var pending = runs
            .Where(r => r.RawPrefix is not null && (retry ? Unfinished.Contains(r.Outcome) : r.Outcome == RunOutcome.Pulled))
            .OrderBy(r => r.Started)
            .ToList();
        var processed = new List<ProcessReport>();
        foreach (var run in pending)
        {
            processed.Add(await ProcessAsync(source, run.RawPrefix!, trigger, progress, null, cancellationToken).ConfigureAwait(false));
        }

        var officers = await IndexIfPublishedAsync(processed, progress, cancellationToken).ConfigureAwait(false);
        return new SourceRunReport(source.Id, null, processed, officers);
    }

    /// <summary>
    /// Builds the source's live release again when it was built by an earlier version that wrote no dashboard facts
    /// (an unchanged export is a no-op pull, so it would otherwise never get them): its raw export is processed again,
    /// the new release goes live, then the officer index step. Null when the live release is current (or there is none,
    /// or its raw export is gone: said in the log).
    /// </summary>
    public async Task<SourceRunReport?> UpgradeAsync(SourceDefinition source, string trigger, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (await releases.GetLatestAsync(source.Id, cancellationToken).ConfigureAwait(false) is not { } live
            || await Release.ReleaseManifestIo.ReadAsync(releases.Open(source.Id, live), cancellationToken).ConfigureAwait(false) is not { } manifest
            || manifest.Internal?.Any(a => a.Path == Release.ReleasePaths.DashboardFacts) == true)
        {
            return null;
        }

        return await RebuildLiveAsync(
            source, live, trigger,
            "has no dashboard facts and no published run to rebuild it from; it is rebuilt when its export next changes",
            from => $"{source.Id}: the live release {live} was built without dashboard facts: rebuilding it from {from}",
            progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Builds the source's live release again from its raw export (after reviewers approved narratives: their approvals
    /// are part of the release id, so a new release goes live with them), then the officer index step. Null when the
    /// source has no live release or its raw export is gone (said in the progress).
    /// </summary>
    public async Task<SourceRunReport?> RepublishAsync(SourceDefinition source, string trigger, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (await releases.GetLatestAsync(source.Id, cancellationToken).ConfigureAwait(false) is not { } live)
        {
            progress?.Report($"{source.Id}: no live release to publish again");
            return null;
        }

        return await RebuildLiveAsync(
            source, live, trigger,
            "has no published run to rebuild it from; the approvals apply when its export next changes",
            from => $"{source.Id}: publishing the live export ({from}) again with the reviewers' decisions",
            progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The live release's raw export processed again (<see cref="ProcessService.RebuildAsync"/>), then the officer index step.</summary>
    private async Task<SourceRunReport?> RebuildLiveAsync(SourceDefinition source, string live, string trigger, string noRun, Func<string, string> starting, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var runs = await ledger.ListRunsAsync(source.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (runs.FirstOrDefault(r => r.ReleaseId == live && r.Outcome == RunOutcome.Published && r.RawPrefix is not null) is not { } run)
        {
            progress?.Report($"{source.Id}: the live release {live} {noRun}");
            return null;
        }

        progress?.Report(starting(run.RawPrefix!));
        var clock = Stopwatch.StartNew();
        var report = await process.RebuildAsync(source, run.RawPrefix!, trigger, progress, cancellationToken).ConfigureAwait(false);
        LogProcessed(source.Id, report, clock.Elapsed);
        var officers = await IndexIfPublishedAsync([report], progress, cancellationToken).ConfigureAwait(false);
        return new SourceRunReport(source.Id, null, [report], officers);
    }

    /// <summary>Pulls one source and logs the outcome (a source not due or a drop not ready only when the pull was forced, i.e. asked for).</summary>
    public async Task<PullReport> PullAsync(SourceDefinition source, string trigger, bool force, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var clock = Stopwatch.StartNew();
        var report = await pull.PullAsync(source, trigger, force, progress, cancellationToken).ConfigureAwait(false);
        if (force || report.Outcome is not (PullOutcome.NotDue or PullOutcome.NotReady))
        {
            LogRun(source.Id, "pull", report.Outcome.ToString(), report.RunId, 0, 0, 0, clock.Elapsed, report.Outcome is PullOutcome.Failed or PullOutcome.Quarantined ? report.Message : null);
        }

        return report;
    }

    /// <summary>Processes one raw export and logs the outcome.</summary>
    public async Task<ProcessReport> ProcessAsync(SourceDefinition source, string rawPrefix, string trigger, IProgress<string>? progress = null, IProgress<ImportProgress>? importProgress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var clock = Stopwatch.StartNew();
        var report = await process.ProcessAsync(source, rawPrefix, trigger, progress, importProgress, cancellationToken).ConfigureAwait(false);
        LogProcessed(source.Id, report, clock.Elapsed);
        return report;
    }

    /// <summary>The officer index step over every source's live release (a no-op when the index is current); logs the outcome.</summary>
    public async Task<OfficerIndexReport?> IndexAsync(IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        if (officerIndex is null)
        {
            return null;
        }

        var clock = Stopwatch.StartNew();
        try
        {
            var report = await officerIndex().RunAsync(allSources, progress, cancellationToken).ConfigureAwait(false);
            LogRun("_officers", "index", report.AlreadyLive ? "AlreadyDone" : "Published", report.Generation, 0, 0, report.Officers, clock.Elapsed, null);
            return report;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRun("_officers", "index", "Failed", null, 0, 0, 0, clock.Elapsed, ex.Message);
            throw;
        }
    }

    private async Task<OfficerIndexReport?> IndexIfPublishedAsync(IReadOnlyList<ProcessReport> processed, IProgress<string>? progress, CancellationToken cancellationToken) =>
        processed.Any(p => p.Outcome is ProcessOutcome.Published or ProcessOutcome.AlreadyDone)
            ? await IndexAsync(progress, cancellationToken).ConfigureAwait(false)
            : null;

    /// <summary>The run event of a processing (first or rebuild), with the published release's counts.</summary>
    private void LogProcessed(string source, ProcessReport report, TimeSpan elapsed)
    {
        var counts = report.Publish?.Manifest?.Counts;
        LogRun(source, "process", report.Outcome.ToString(), report.RunId, counts?.Complaints ?? 0, counts?.Allegations ?? 0, counts?.Officers ?? 0, elapsed, report.Error);
    }

    private void LogRun(string source, string step, string outcome, string? runId, long complaints, long allegations, long officers, TimeSpan elapsed, string? error)
    {
        var failed = outcome is nameof(ProcessOutcome.Failed) or nameof(ProcessOutcome.Quarantined) or nameof(ProcessOutcome.Busy);  // PullOutcome's Failed and Quarantined have the same names
        PipelineLog.RunFinished(logger, failed ? LogLevel.Error : LogLevel.Information, source, step, outcome, runId, complaints, allegations, officers, (long)elapsed.TotalMilliseconds, error is null ? "" : ": " + error);
    }
}

/// <summary>The pipeline's structured log events.</summary>
internal static partial class PipelineLog
{
    [LoggerMessage(EventId = 1, EventName = "RunFinished", Message = "OpenConduct run {Source} {Step} {Outcome} (run {RunId}: {Complaints} complaints, {Allegations} allegations, {Officers} officers, {DurationMs} ms){Error}")]
    public static partial void RunFinished(ILogger logger, LogLevel level, string source, string step, string outcome, string? runId, long complaints, long allegations, long officers, long durationMs, string error);
}
