namespace OpenConduct.Core.Release;

/// <summary>What the records, datasets, case status and histories say of a narrative that is not (yet) published.</summary>
public static class NarrativeStatus
{
    /// <summary>The policy requires a reviewer's approval and the narrative waits for it.</summary>
    public const string PendingReview = "pending review";
}
