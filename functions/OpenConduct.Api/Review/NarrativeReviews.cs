using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Review;
using OpenConduct.Core.Storage;

namespace OpenConduct.Api.Review;

/// <summary>What a host does when a reviewer asks to publish the decisions: a new release of a source's live export, or the officer index step.</summary>
public interface IReviewPublisher
{
    /// <summary>Queues (or runs) a new release of the source's live export with the approvals; false when there is no such source.</summary>
    Task<bool> RepublishAsync(string source, CancellationToken cancellationToken);

    /// <summary>Queues (or runs) the officer index step, so identity decisions take effect.</summary>
    Task ReindexAsync(CancellationToken cancellationToken);
}

/// <summary>The review's storage as the console uses it: narrative approvals and queues, the audit log, the live releases.</summary>
/// <remarks><see cref="Identities"/> and <see cref="IdentityStore"/>: the officer merge review (null where the host has no officer index step).</remarks>
public sealed record ReviewBackend(NarrativeReviewStorage Narratives, IReviewAuditLog Audit, IReleaseStore Releases, IReadOnlyList<string> Sources)
{
    public IdentityReviewQueue? Identities { get; init; }

    public IdentityReviewStore? IdentityStore { get; init; }

    /// <summary>
    /// The queue last read per source, with the release it belongs to: a release's queue never changes once written, so
    /// it is read again only when the source's live release moves (not on every listing, item and approval).
    /// </summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, (string ReleaseId, IReadOnlyList<PendingNarrative>? Queue)> Queues { get; } = new(StringComparer.Ordinal);
}

/// <summary>A narrative of the queue, as listed.</summary>
public sealed record NarrativeQueueEntry(string Source, string CaseNumber, string? Received, int Masks, int Flags, bool ChangedSinceApproval);

/// <summary>One narrative as the reviewer sees it: the original (reviewers only), the automatic masks, the suspect words, the scrubbed text.</summary>
public sealed record NarrativeReviewItem(
    string Source, string CaseNumber, string? Received, string Original, string Scrubbed,
    IReadOnlyList<TextMask> Masks, IReadOnlyList<TextFlag> Flags, string OriginalSha256, string AutomaticSha256, bool ChangedSinceApproval, string ReleaseId);

/// <summary>A reviewer's approval as sent by the console: the hashes it saw, masks added, automatic masks taken out with reasons.</summary>
public sealed record ApprovalRequest(string OriginalSha256, string AutomaticSha256, IReadOnlyList<TextMask>? Added, IReadOnlyList<RemovedMask>? Removed);

/// <summary>The approval saved: the text now approved for publication (reviewers only) and its hash.</summary>
public sealed record ApprovalResponse(string Source, string CaseNumber, string Published, string PublishedSha256, string Message);

/// <summary>
/// The narrative review's logic behind the console: the queue of the live releases minus what is approved, one item,
/// an approval checked against the item the reviewer saw (hashes) and saved with its audit entry.
/// </summary>
public static class NarrativeReviews
{
    public static async Task<IReadOnlyList<NarrativeQueueEntry>> ListAsync(ReviewBackend backend, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var entries = new List<NarrativeQueueEntry>();
        foreach (var source in backend.Sources)
        {
            var (queue, _) = await QueueAsync(backend, source, cancellationToken).ConfigureAwait(false);
            if (queue is null)
            {
                continue;
            }

            var approvals = await backend.Narratives.Approvals.LoadAsync(source, cancellationToken).ConfigureAwait(false);
            entries.AddRange(queue
                .Where(p => !NarrativeReviewRules.Approves(approvals.Find(p.CaseNumber), p.OriginalSha256, p.AutomaticSha256))
                .Select(p => new NarrativeQueueEntry(source, p.CaseNumber, p.Received, p.Masks.Count, p.Flags.Count, p.ChangedSinceApproval)));
        }

        return [.. entries.OrderByDescending(e => e.Flags > 0).ThenBy(e => e.Received, StringComparer.Ordinal).ThenBy(e => e.CaseNumber, StringComparer.Ordinal)];
    }

    public static async Task<NarrativeReviewItem?> GetAsync(ReviewBackend backend, string source, string caseNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        var (queue, releaseId) = await QueueAsync(backend, source, cancellationToken).ConfigureAwait(false);
        return queue?.FirstOrDefault(p => string.Equals(p.CaseNumber, caseNumber, StringComparison.Ordinal)) is { } p
            ? new NarrativeReviewItem(source, p.CaseNumber, p.Received, p.Original, NarrativeScrubber.Render(p.Original, p.Masks), p.Masks, p.Flags, p.OriginalSha256, p.AutomaticSha256, p.ChangedSinceApproval, releaseId!)
            : null;
    }

    /// <summary>Saves the approval (after checking it), then the audit entries; the errors when it cannot be saved, else the response.</summary>
    public static async Task<(ApprovalResponse? Saved, IReadOnlyList<string> Errors)> ApproveAsync(
        ReviewBackend backend, Reviewer reviewer, string source, string caseNumber, ApprovalRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(reviewer);
        ArgumentNullException.ThrowIfNull(request);
        if (await GetAsync(backend, source, caseNumber, cancellationToken).ConfigureAwait(false) is not { } item)
        {
            return (null, [$"there is no narrative of case '{caseNumber}' of source '{source}' waiting for review"]);
        }

        if (request.OriginalSha256 != item.OriginalSha256 || request.AutomaticSha256 != item.AutomaticSha256)
        {
            return (null, ["the narrative changed since it was shown (a new release came in): reload it and review it again"]);
        }

        var added = request.Added ?? [];
        var removed = request.Removed ?? [];
        var errors = NarrativeReviewRules.Validate(item.Original.Length, item.Masks, added, removed);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var published = NarrativeScrubber.Render(item.Original, NarrativeReviewRules.FinalMasks(item.Masks, added, removed));
        var publishedSha = NarrativeReviewRules.Sha256(published);
        var previous = (await backend.Narratives.Approvals.LoadAsync(source, cancellationToken).ConfigureAwait(false)).Find(caseNumber);
        var now = time.GetUtcNow();
        await backend.Narratives.Approvals.SaveAsync(new NarrativeApproval
        {
            Source = source, // the source id: approvals are kept per configured source
            CaseNumber = item.CaseNumber,
            OriginalSha256 = item.OriginalSha256,
            AutomaticSha256 = item.AutomaticSha256,
            Added = added,
            Removed = removed,
            PublishedSha256 = publishedSha,
            Reviewer = reviewer.Name,
            ApprovedAt = now,
        }, cancellationToken).ConfigureAwait(false);

        var target = $"{source}/{item.CaseNumber}";
        await backend.Audit.WriteAsync(new ReviewAuditEntry(now, reviewer.Name, ReviewActions.ApproveNarrative, target, previous?.PublishedSha256, publishedSha,
            FormattableString.Invariant($"{added.Count} masks added, {removed.Count} taken out")), cancellationToken).ConfigureAwait(false);
        foreach (var mask in removed)
        {
            await backend.Audit.WriteAsync(new ReviewAuditEntry(now, reviewer.Name, ReviewActions.RemoveMask, target, null, publishedSha,
                FormattableString.Invariant($"{mask.Kind} mask at {mask.Start} (length {mask.Length}) taken out: {mask.Reason}")), cancellationToken).ConfigureAwait(false);
        }

        return (new ApprovalResponse(item.Source, item.CaseNumber, published, publishedSha,
            "Approved. It is published with the next release of this source: publish now from the queue, or it goes out with the next export."), []);
    }

    /// <summary>The live release's queue of a source, or null (no live release, or no queue: the policy requires no review).</summary>
    private static async Task<(IReadOnlyList<PendingNarrative>? Queue, string? ReleaseId)> QueueAsync(ReviewBackend backend, string source, CancellationToken cancellationToken)
    {
        if (!backend.Sources.Contains(source, StringComparer.Ordinal)
            || await backend.Releases.GetLatestAsync(source, cancellationToken).ConfigureAwait(false) is not { } live)
        {
            return (null, null);
        }

        if (backend.Queues.TryGetValue(source, out var cached) && cached.ReleaseId == live)
        {
            return (cached.Queue, live);
        }

        var queue = await NarrativeQueue.ReadAsync(backend.Narratives.Queue, source, live, cancellationToken).ConfigureAwait(false);
        backend.Queues[source] = (live, queue);
        return (queue, live);
    }
}
