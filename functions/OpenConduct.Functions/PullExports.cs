using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Sources;

namespace OpenConduct.Functions;

/// <summary>
/// The scheduled pass (<c>PULL_SCHEDULE</c>, NCRONTAB with seconds, UTC; never on start-up): for each source, a pull if
/// its cadence has passed (a drop: if it is ready), then the processing of every unfinished raw export of that source,
/// failed ones retried, the way the standalone server's schedule does, and the rebuild of a live release that an
/// earlier version built without dashboard facts. A source that fails does not stop the others.
/// </summary>
public sealed partial class PullExports(SourcesConfig config, PipelineRunner runner, ILogger<PullExports> logger)
{
    [Function(nameof(PullExports))]
    public async Task RunAsync([TimerTrigger("%PULL_SCHEDULE%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken)
    {
        int pulled = 0, published = 0, failed = 0;
        foreach (var source in config.Sources)
        {
            try
            {
                var pull = await runner.PullAsync(source, "timer", force: false, cancellationToken: cancellationToken);
                var pending = await runner.ProcessPendingAsync(source, "timer", retry: true, cancellationToken: cancellationToken);
                var upgraded = await runner.UpgradeAsync(source, "timer", cancellationToken: cancellationToken);
                pulled += pull.Outcome == PullOutcome.Pulled ? 1 : 0;
                published += pending.Processed.Count(p => p.Outcome == ProcessOutcome.Published) + (upgraded?.Processed.Count(p => p.Outcome == ProcessOutcome.Published) ?? 0);
                failed += (pending with { Pull = pull }).Succeeded ? 0 : 1;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed++;
                Log.SourceFailed(logger, source.Id, ex.Message, ex);
            }
        }

        Log.PassFinished(logger, config.Sources.Count, pulled, published, failed, timer.IsPastDue);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "OpenConduct timer pass: {Sources} sources, {Pulled} pulled, {Published} published, {Failed} failed (past due: {PastDue})")]
        public static partial void PassFinished(ILogger logger, int sources, int pulled, int published, int failed, bool pastDue);

        [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "OpenConduct timer pass: source {Source} failed: {Reason}")]
        public static partial void SourceFailed(ILogger logger, string source, string reason, Exception exception);
    }
}
