namespace OpenConduct.Core.Review;

/// <summary>
/// One line of the review's audit log: who did what to which item, when, with the SHA-256 of the published text (or
/// decision document) before and after; never the private text itself. <see cref="Detail"/> is what the reviewer stated
/// (a reason for taking out a mask, a merge note).
/// </summary>
public sealed record ReviewAuditEntry(DateTimeOffset At, string Reviewer, string Action, string Target, string? BeforeSha256, string? AfterSha256, string? Detail = null);

/// <summary>The review's audit log (Table Storage in both hosts): append-only.</summary>
public interface IReviewAuditLog
{
    Task WriteAsync(ReviewAuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The newest entries first, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<ReviewAuditEntry>> ReadAsync(int max = 100, CancellationToken cancellationToken = default);
}

/// <summary>The audit actions.</summary>
public static class ReviewActions
{
    public const string SignIn = "sign-in";
    public const string SignOut = "sign-out";
    public const string SignInRefused = "sign-in-refused";
    public const string ApproveNarrative = "approve-narrative";
    public const string RemoveMask = "remove-mask";
    public const string Publish = "publish";
    public const string MergeSame = "merge-same";
    public const string MergeDifferent = "merge-different";
}
