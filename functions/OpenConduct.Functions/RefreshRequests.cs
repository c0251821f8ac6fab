using OpenConduct.Api;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Sources;

namespace OpenConduct.Functions;

/// <summary>
/// <c>POST /api/pipeline/refresh?source=</c> in the Functions app: pulls the source now, whatever its cadence, and
/// answers with the pull's outcome. Processing follows on its own: the pull writes the export's
/// <c>_manifest.json</c> to exports-raw, whose BlobCreated event runs <see cref="ProcessRawExport"/>.
/// </summary>
public sealed class RefreshRequests(SourcesConfig sources, PipelineRunner runner) : IRefreshRequests
{
    public async Task<RefreshResponse?> RequestAsync(string source, CancellationToken cancellationToken)
    {
        if (sources.Find(source) is not { } found)
        {
            return null;
        }

        var pull = await runner.PullAsync(found, "http", force: true, cancellationToken: cancellationToken);
        var message = pull.Outcome == PullOutcome.Pulled
            ? "The export is in exports-raw and is processed next; /api/health shows the source's last run."
            : pull.Message;
        return new RefreshResponse(found.Id, pull.Outcome.ToString(), pull.RunId, message);
    }
}
