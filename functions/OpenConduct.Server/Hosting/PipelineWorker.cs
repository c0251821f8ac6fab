using System.Threading.Channels;
using Cronos;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenConduct.Api;
using OpenConduct.Core.Import;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Sources;

namespace OpenConduct.Server.Hosting;

/// <summary>When the standalone server's pipeline runs: the pull schedule, the watch interval and the sources.</summary>
internal sealed record PipelineSchedule(CronExpression Pulls, TimeSpan Watch, IReadOnlyList<SourceDefinition> Sources);

/// <summary>
/// The standalone server's pipeline, doing what the Functions app's triggers do: on the pull schedule (the timer
/// function's cron, <c>PULL_SCHEDULE</c>) every source that is due is pulled and every unfinished raw export is
/// processed (failed ones retried); between times, every watch interval, ready drops in <c>exports-incoming</c> are
/// pulled and newly pulled raw exports are processed (the blob triggers); a refresh asked for through the admin API
/// runs at once. One thing at a time, each step logged as it goes.
/// </summary>
internal sealed partial class PipelineWorker(PipelineRunner runner, PipelineSchedule schedule, TimeProvider time, ILogger<PipelineWorker> logger)
    : BackgroundService, IRefreshRequests, Api.Review.IReviewPublisher
{
    private readonly Channel<(SourceDefinition? Source, string Kind)> requests = Channel.CreateUnbounded<(SourceDefinition?, string)>();

    /// <summary>A new release of the source's live export with the reviewers' approvals, queued.</summary>
    public Task<bool> RepublishAsync(string source, CancellationToken cancellationToken)
    {
        if (schedule.Sources.FirstOrDefault(s => s.Id == source) is not { } found)
        {
            return Task.FromResult(false);
        }

        requests.Writer.TryWrite((found, "republish"));
        Log.RefreshQueued(logger, found.Id);
        return Task.FromResult(true);
    }

    /// <summary>The officer index step, queued (identity decisions take effect).</summary>
    public Task ReindexAsync(CancellationToken cancellationToken)
    {
        requests.Writer.TryWrite((null, "reindex"));
        return Task.CompletedTask;
    }

    public Task<RefreshResponse?> RequestAsync(string source, CancellationToken cancellationToken)
    {
        if (schedule.Sources.FirstOrDefault(s => s.Id == source) is not { } found)
        {
            return Task.FromResult<RefreshResponse?>(null);
        }

        requests.Writer.TryWrite((found, "refresh"));
        Log.RefreshQueued(logger, found.Id);
        return Task.FromResult<RefreshResponse?>(new RefreshResponse(found.Id, "queued", Message: "The pull runs now and the export is processed after it; /api/health shows the source's last run."));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var next = NextPull();
        Log.Started(logger, schedule.Sources.Count, string.Join(", ", schedule.Sources.Select(s => $"{s.Id} ({s.Kind.ToString().ToLowerInvariant()})")), next, schedule.Watch.TotalSeconds);

        // First whatever an earlier run left unfinished, so that a restart after a crash completes it, and live releases
        // that an earlier version built without what this one publishes (dashboard facts) are rebuilt.
        await EachSourceAsync("start", async source =>
        {
            await runner.ProcessPendingAsync(source, "start", retry: true, Progress, stoppingToken).ConfigureAwait(false);
            await runner.UpgradeAsync(source, "start", Progress, stoppingToken).ConfigureAwait(false);
        }, stoppingToken).ConfigureAwait(false);
        await GuardAsync("officers", () => runner.IndexAsync(Progress, stoppingToken), stoppingToken).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            if (now >= next)
            {
                Log.ScheduledPass(logger, next);
                await EachSourceAsync("timer", async source =>
                {
                    await runner.PullAsync(source, "timer", force: false, Progress, stoppingToken).ConfigureAwait(false);
                    await runner.ProcessPendingAsync(source, "timer", retry: true, Progress, stoppingToken).ConfigureAwait(false);
                }, stoppingToken).ConfigureAwait(false);
                next = NextPull();
                Log.NextPull(logger, next);
                continue;
            }

            if (requests.Reader.TryRead(out var requested))
            {
                await GuardAsync(requested.Source?.Id ?? "officers", () => requested switch
                {
                    ({ } source, "republish") => runner.RepublishAsync(source, "review", Progress, stoppingToken),
                    ({ } source, _) => runner.RefreshAsync(source, "http", force: true, Progress, ImportProgress, stoppingToken),
                    _ => runner.IndexAsync(Progress, stoppingToken),
                }, stoppingToken).ConfigureAwait(false);
                continue;
            }

            // The watch: drops that are ready, raw exports pulled and not processed yet (by this or another instance).
            await EachSourceAsync("watch", async source =>
            {
                if (source.Kind == SourceKind.Drop)
                {
                    await runner.PullAsync(source, "drop", force: false, Progress, stoppingToken).ConfigureAwait(false);
                }

                await runner.ProcessPendingAsync(source, "drop", retry: false, Progress, stoppingToken).ConfigureAwait(false);
            }, stoppingToken).ConfigureAwait(false);

            var wait = Min(schedule.Watch, next - time.GetUtcNow());
            if (wait > TimeSpan.Zero)
            {
                using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                waiting.CancelAfter(wait);
                try
                {
                    await requests.Reader.WaitToReadAsync(waiting.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                }
            }
        }
    }

    private IProgress<string> Progress => new LogProgress(logger);

    private IProgress<ImportProgress> ImportProgress => new LogProgress(logger);

    private DateTimeOffset NextPull() =>
        schedule.Pulls.GetNextOccurrence(time.GetUtcNow(), TimeZoneInfo.Utc) ?? DateTimeOffset.MaxValue;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task EachSourceAsync(string pass, Func<SourceDefinition, Task> work, CancellationToken cancellationToken)
    {
        foreach (var source in schedule.Sources)
        {
            await GuardAsync($"{source.Id} ({pass})", () => work(source), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one piece of work; a failure (storage unreachable, a bug) is logged and the worker carries on.</summary>
    private async Task GuardAsync(string what, Func<Task> work, CancellationToken cancellationToken)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.Failed(logger, what, ex.Message, ex);
        }
    }

    /// <summary>The pipeline's progress as log lines.</summary>
    private sealed class LogProgress(ILogger logger) : IProgress<string>, IProgress<ImportProgress>
    {
        public void Report(string value) => Log.Progress(logger, value);

        public void Report(ImportProgress value) => Log.Progress(logger, value.ToString());
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "pipeline: {Count} source(s): {Sources}; next scheduled pull {Next:u}; watching exports-incoming and exports-raw every {Seconds} s")]
        public static partial void Started(ILogger logger, int count, string sources, DateTimeOffset next, double seconds);

        [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "pipeline: scheduled pull of {Next:u}")]
        public static partial void ScheduledPass(ILogger logger, DateTimeOffset next);

        [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "pipeline: next scheduled pull {Next:u}")]
        public static partial void NextPull(ILogger logger, DateTimeOffset next);

        [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "pipeline: refresh of {Source} requested")]
        public static partial void RefreshQueued(ILogger logger, string source);

        [LoggerMessage(EventId = 14, Level = LogLevel.Error, Message = "pipeline: {What} failed: {Reason}")]
        public static partial void Failed(ILogger logger, string what, string reason, Exception exception);

        [LoggerMessage(EventId = 15, Level = LogLevel.Information, Message = "{Progress}")]
        public static partial void Progress(ILogger logger, string progress);
    }
}
