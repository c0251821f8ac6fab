using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Sources;

namespace OpenConduct.Functions;

/// <summary>
/// A raw export is complete (its <c>_manifest.json</c>, written last, was created in exports-raw; delivered by Event
/// Grid): process it into a release and, once a release is live, re-index the officers. An attempt that failed, or
/// that found another instance processing the source for too long, throws, and the host retries the blob: up to
/// host.json's <c>poisonBlobThreshold</c> (5) deliveries, as many as the pipeline's own attempts
/// (<c>ProcessOptions.MaxAttempts</c>), after which the pipeline has quarantined the export itself.
/// </summary>
public sealed partial class ProcessRawExport(SourcesConfig config, PipelineRunner runner, ILogger<ProcessRawExport> logger)
{
    [Function(nameof(ProcessRawExport))]
    public async Task RunAsync(
        [BlobTrigger(FunctionsSettings.RawContainer + "/{source}/{date}/{runId}/" + RawExport.ManifestName, Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] BlobClient manifest,
        string source, string date, string runId, CancellationToken cancellationToken)
    {
        if (config.Find(source) is not { } definition)
        {
            Log.UnknownSource(logger, manifest.Name, source);
            return;
        }

        var report = await runner.ProcessAsync(definition, $"{source}/{date}/{runId}/", "blob", cancellationToken: cancellationToken);
        switch (report.Outcome)
        {
            case ProcessOutcome.Published or ProcessOutcome.AlreadyDone:
                await runner.IndexAsync(cancellationToken: cancellationToken);
                break;
            case ProcessOutcome.Failed or ProcessOutcome.Busy:
                throw new InvalidOperationException($"{source} run {runId}: {report.Outcome.ToString()} ({report.Error}); the host delivers the blob again");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "OpenConduct: {Blob} names source {Source}, which the sources file does not configure; not processed")]
        public static partial void UnknownSource(ILogger logger, string blob, string source);
    }
}
