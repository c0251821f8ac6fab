using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Sources;

namespace OpenConduct.Functions;

/// <summary>
/// An agency uploaded a file to exports-incoming/{source}/ (delivered by Event Grid): pull the drop source, which takes
/// the drop only when it is ready (every file its profile needs is there, and the <c>_complete</c> marker was uploaded
/// or the newest file is older than the source's settleMinutes; otherwise nothing happens, and the next upload or the
/// timer pass tries again). A failed pull throws, so that the host delivers the blob again. The pull stores the export
/// in exports-raw, whose manifest then runs <see cref="ProcessRawExport"/>: processing happens there, once.
/// </summary>
public sealed partial class ProcessIncomingDrop(SourcesConfig config, PipelineRunner runner, ILogger<ProcessIncomingDrop> logger)
{
    [Function(nameof(ProcessIncomingDrop))]
    public async Task RunAsync(
        [BlobTrigger(FunctionsSettings.IncomingContainer + "/{source}/{name}", Source = BlobTriggerSource.EventGrid, Connection = "AzureWebJobsStorage")] BlobClient file,
        string source, CancellationToken cancellationToken)
    {
        if (config.Find(source) is not { Kind: SourceKind.Drop } drop)
        {
            Log.NotADrop(logger, file.Name, source);
            return;
        }

        var pull = await runner.PullAsync(drop, "drop", force: false, cancellationToken: cancellationToken);
        if (pull.Outcome == PullOutcome.Failed)
        {
            throw new InvalidOperationException($"{source}: the drop's pull failed ({pull.Message}); the host delivers the blob again");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "OpenConduct: {Blob} was uploaded for {Source}, which is not a drop source of the sources file; ignored")]
        public static partial void NotADrop(ILogger logger, string blob, string source);
    }
}
