using System.IO.Compression;
using System.Text.Json;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Review;

/// <summary>Where the reviewers' narrative approvals are kept (Table Storage in Azure, docs/review.md).</summary>
public interface INarrativeApprovalStore
{
    /// <summary>Every approval of the source's narratives.</summary>
    Task<NarrativeApprovals> LoadAsync(string source, CancellationToken cancellationToken = default);

    /// <summary>Saves an approval, replacing the case's earlier one.</summary>
    Task SaveAsync(NarrativeApproval approval, CancellationToken cancellationToken = default);
}

/// <summary>
/// What a release step needs for narrative review: the approvals to apply and the private container the queue of
/// pending narratives is written to.
/// </summary>
public sealed record NarrativeReviewStorage(INarrativeApprovalStore Approvals, IBlobContainer Queue);

/// <summary>
/// The queue of narratives waiting for a reviewer, one file per release in the review's private container
/// (<c>narratives/{source}/{releaseId}.jsonl.gz</c>, one <see cref="PendingNarrative"/> per line), written before the
/// release goes live; the console reads the live release's.
/// </summary>
public static class NarrativeQueue
{
    public static string PathOf(string source, string releaseId) => $"narratives/{source}/{releaseId}.jsonl.gz";

    public static async Task WriteAsync(IBlobContainer container, string source, string releaseId, IReadOnlyList<PendingNarrative> pending, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(pending);
        using var buffer = new MemoryStream();
        await using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            foreach (var item in pending)
            {
                await JsonSerializer.SerializeAsync(gzip, item, NarrativeReviewRules.JsonOptions, cancellationToken).ConfigureAwait(false);
                gzip.WriteByte((byte)'\n');
            }
        }

        buffer.Position = 0;
        await container.UploadAsync(PathOf(source, releaseId), buffer, new Dictionary<string, string> { ["pending"] = pending.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) }, overwrite: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The release's queue, or null when it has none (the policy requires no review, or the release predates it).</summary>
    public static async Task<IReadOnlyList<PendingNarrative>?> ReadAsync(IBlobContainer container, string source, string releaseId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(container);
        var path = PathOf(source, releaseId);
        if (await container.GetAsync(path, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        var items = new List<PendingNarrative>();
        await using var stream = await container.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
        await using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length > 0)
            {
                items.Add(JsonSerializer.Deserialize<PendingNarrative>(line, NarrativeReviewRules.JsonOptions)
                          ?? throw new InvalidDataException($"{container.Name}/{path}: an empty queue entry"));
            }
        }

        return items;
    }
}
