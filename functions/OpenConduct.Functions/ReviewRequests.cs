using System.Text;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using OpenConduct.Api.Review;
using OpenConduct.Azure;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Sources;
using OpenConduct.Core.Storage;

namespace OpenConduct.Functions;

/// <summary>
/// What a reviewer asks the Functions app to publish, kept durably until it is done: a new release of a source's live
/// export takes minutes, longer than an HTTP request should wait, so the console's publish writes a marker blob in the
/// private review container (<see cref="Prefix"/><c>republish/{source}</c>, or <see cref="ReindexMarker"/>), which
/// <see cref="PublishReviewed"/> picks up on its schedule. One marker per source: asking twice before the pass
/// publishes once. A marker is deleted only after its work succeeded and only if nobody asked again meanwhile (its
/// ETag is unchanged); otherwise the next pass runs it again.
/// </summary>
public sealed partial class ReviewRequests(OpenConductStorage storage, SourcesConfig sources, PipelineRunner runner, TimeProvider time, ILogger<ReviewRequests> logger) : IReviewPublisher
{
    /// <summary>Where the markers are, in the review container.</summary>
    public const string Prefix = "requests/";

    public const string RepublishPrefix = Prefix + "republish/";

    public const string ReindexMarker = Prefix + "reindex";

    public async Task<bool> RepublishAsync(string source, CancellationToken cancellationToken)
    {
        if (sources.Find(source) is not { } found)
        {
            return false;
        }

        await MarkAsync(RepublishPrefix + found.Id, cancellationToken).ConfigureAwait(false);
        Log.Queued(logger, "republish", found.Id);
        return true;
    }

    public async Task ReindexAsync(CancellationToken cancellationToken)
    {
        await MarkAsync(ReindexMarker, cancellationToken).ConfigureAwait(false);
        Log.Queued(logger, "reindex", "_officers");
    }

    /// <summary>Runs every request waiting (republications first; their runs index the officers), deleting each done one; the number done.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var waiting = new List<StoredObject>();
        await foreach (var marker in storage.Review.ListAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            waiting.Add(marker);
        }

        var done = 0;
        foreach (var marker in waiting.OrderBy(m => m.Path == ReindexMarker ? 1 : 0))
        {
            bool succeeded;
            try
            {
                succeeded = await RunOneAsync(marker.Path, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.Failed(logger, marker.Path, ex.Message, ex);
                continue;
            }

            if (succeeded && (await storage.Review.GetAsync(marker.Path, cancellationToken).ConfigureAwait(false))?.ETag == marker.ETag)
            {
                await storage.Review.DeleteAsync(marker.Path, cancellationToken).ConfigureAwait(false);
                done++;
            }
        }

        return done;
    }

    private async Task<bool> RunOneAsync(string path, CancellationToken cancellationToken)
    {
        if (path == ReindexMarker)
        {
            await runner.IndexAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }

        if (!path.StartsWith(RepublishPrefix, StringComparison.Ordinal) || sources.Find(path[RepublishPrefix.Length..]) is not { } source)
        {
            Log.Unknown(logger, path);
            return true; // not a request this app makes (or a source no longer configured): dropped
        }

        // Null: no live release, or no published run to rebuild it from (said in the run's progress): nothing to retry.
        var report = await runner.RepublishAsync(source, "review", cancellationToken: cancellationToken).ConfigureAwait(false);
        var succeeded = report?.Succeeded ?? true;
        if (!succeeded)
        {
            Log.NotDone(logger, source.Id, string.Join("; ", report!.Processed.Select(p => $"{p.Outcome.ToString()} {p.Error}")));
        }

        return succeeded;
    }

    private async Task MarkAsync(string path, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(time.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture)));
        await storage.Review.UploadAsync(path, content, overwrite: true, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "OpenConduct review: {Request} of {Source} queued")]
        public static partial void Queued(ILogger logger, string request, string source);

        [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "OpenConduct review: the request {Marker} is not one this app makes: dropped")]
        public static partial void Unknown(ILogger logger, string marker);

        [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "OpenConduct review: republishing {Source} did not succeed ({Outcomes}); the next pass tries again")]
        public static partial void NotDone(ILogger logger, string source, string outcomes);

        [LoggerMessage(EventId = 33, Level = LogLevel.Error, Message = "OpenConduct review: the request {Marker} failed: {Reason}; the next pass tries again")]
        public static partial void Failed(ILogger logger, string marker, string reason, Exception exception);
    }
}

/// <summary>
/// The reviewers' publish requests (<see cref="ReviewRequests"/>), on the timer <c>%REVIEW_SCHEDULE%</c> (NCRONTAB with
/// seconds, UTC; every five minutes in infra/): each queued source's live export published again with the approvals,
/// then the officer index step. The host runs one timer at a time across instances.
/// </summary>
public sealed partial class PublishReviewed(ReviewRequests requests, ILogger<PublishReviewed> logger)
{
    [Function(nameof(PublishReviewed))]
    public async Task RunAsync([TimerTrigger("%REVIEW_SCHEDULE%", RunOnStartup = false)] TimerInfo timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        var done = await requests.RunAsync(cancellationToken);
        if (done > 0)
        {
            Log.Done(logger, done);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 34, Level = LogLevel.Information, Message = "OpenConduct review: {Done} publish requests done")]
        public static partial void Done(ILogger logger, int done);
    }
}
