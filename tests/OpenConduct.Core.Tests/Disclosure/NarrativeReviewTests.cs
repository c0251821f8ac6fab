using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Model;
using OpenConduct.Core.Review;

namespace OpenConduct.Core.Tests.Disclosure;

/// <summary>A policy that requires a reviewer: narratives wait, an approval publishes exactly the approved text, a changed text waits again.</summary>
public sealed class NarrativeReviewTests
{
    internal static DisclosurePolicy Reviewed { get; } = DisclosurePolicyLoader.Parse(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "policies", "minnesota.json"))
            .Replace("\"residualRisk\": \"withhold\"", "\"residualRisk\": \"withhold\", \"review\": \"required\"", StringComparison.Ordinal),
        "minnesota, reviewed");

    private const string Text = "Officer Smith said that Zorblat drove off; the complainant, Maria Lopez, 40/W/F, saw it.";

    private static Complaint Closed(string narrative = Text) => RedactorTests.Complaint(ComplaintStatus.Closed) with { Narrative = narrative };

    private static (RedactedCase Case, Redactor Redactor) Redact(NarrativeApprovals approvals, string narrative = Text)
    {
        var redactor = RedactorTests.NewRedactor(Reviewed);
        redactor.Approvals = approvals;
        return (RedactorTests.Redact(redactor, Closed(narrative), RedactorTests.Allegation()), redactor);
    }

    private static NarrativeApproval Approve(PendingNarrative pending, IReadOnlyList<TextMask>? added = null, IReadOnlyList<RemovedMask>? removed = null) => new()
    {
        Source = pending.Source,
        CaseNumber = pending.CaseNumber,
        OriginalSha256 = pending.OriginalSha256,
        AutomaticSha256 = pending.AutomaticSha256,
        Added = added ?? [],
        Removed = removed ?? [],
        PublishedSha256 = "not checked here",
        Reviewer = "reviewer@example.gov",
        ApprovedAt = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero),
    };

    [Fact]
    public void Without_an_approval_the_narrative_is_pending_and_queued_with_its_masks_and_suspect_words()
    {
        var (result, redactor) = Redact(NarrativeApprovals.Empty);

        Assert.Null(result.Complaint.Narrative);
        Assert.True(result.Complaint.NarrativePendingReview);
        Assert.Equal(1, redactor.Report.Rules["review: narrative pending review"]);
        var pending = Assert.Single(redactor.Pending);
        Assert.Equal(Text, pending.Original);
        Assert.Equal("OPCR-2021-0042", pending.CaseNumber);
        Assert.False(pending.ChangedSinceApproval);

        // The masks cover the complainant's name and the descriptor; the unknown capitalised word is flagged, not withheld.
        var masked = pending.Masks.Select(m => Text.Substring(m.Start, m.Length)).ToList();
        Assert.Contains(masked, m => m.Contains("Maria", StringComparison.Ordinal));
        Assert.Contains("40/W/F", masked);
        var flag = Assert.Single(pending.Flags);
        Assert.Equal("Zorblat", Text.Substring(flag.Start, flag.Length));
        Assert.Equal(ResidualRisk.UnknownCapitalisedWord, flag.Risk);
        Assert.DoesNotContain(masked, m => m.Contains("Smith", StringComparison.Ordinal));
    }

    [Fact]
    public void An_approval_publishes_the_scrubbed_text_with_the_reviewers_added_masks()
    {
        var pending = Assert.Single(Redact(NarrativeApprovals.Empty).Redactor.Pending);
        var flag = Assert.Single(pending.Flags);
        var approvals = new NarrativeApprovals([Approve(pending, added: [new TextMask(flag.Start, flag.Length, PiiKind.Name)])]);

        var (result, redactor) = Redact(approvals);

        Assert.Equal("Officer Smith said that [NAME] drove off; the complainant, [NAME], [DEMOGRAPHIC], saw it.", result.Complaint.Narrative);
        Assert.False(result.Complaint.NarrativePendingReview);
        Assert.Empty(redactor.Pending);
        Assert.Equal(1, redactor.Report.Rules["review: narrative published as a reviewer approved it"]);
    }

    [Fact]
    public void An_automatic_mask_taken_out_with_a_reason_is_published_unmasked()
    {
        var pending = Assert.Single(Redact(NarrativeApprovals.Empty).Redactor.Pending);
        var descriptor = pending.Masks.Single(m => Text.Substring(m.Start, m.Length) == "40/W/F");
        var approvals = new NarrativeApprovals([Approve(pending, removed: [new RemovedMask(descriptor.Start, descriptor.Length, descriptor.Kind, "published by the board's order 2026-14")])]);

        var narrative = Redact(approvals).Case.Complaint.Narrative;

        Assert.Equal("Officer Smith said that Zorblat drove off; the complainant, [NAME], 40/W/F, saw it.", narrative);
    }

    [Fact]
    public void A_changed_narrative_returns_to_the_queue_and_says_it_changed_since_approved()
    {
        var pending = Assert.Single(Redact(NarrativeApprovals.Empty).Redactor.Pending);
        var approvals = new NarrativeApprovals([Approve(pending)]);

        var (result, redactor) = Redact(approvals, Text + " He left at noon.");

        Assert.Null(result.Complaint.Narrative);
        Assert.True(result.Complaint.NarrativePendingReview);
        Assert.True(Assert.Single(redactor.Pending).ChangedSinceApproval);
        Assert.Equal(1, redactor.Report.Rules["review: narrative pending review, changed since approved"]);
    }

    [Fact]
    public void Approvals_hash_changes_with_any_approval_and_not_with_their_order()
    {
        var pending = Assert.Single(Redact(NarrativeApprovals.Empty).Redactor.Pending);
        var one = Approve(pending);
        var other = Approve(pending) with { CaseNumber = "OPCR-2021-0043" };

        Assert.Equal(new NarrativeApprovals([one, other]).Hash, new NarrativeApprovals([other, one]).Hash);
        Assert.NotEqual(new NarrativeApprovals([one]).Hash, new NarrativeApprovals([one, other]).Hash);
        Assert.NotEqual(NarrativeApprovals.Empty.Hash, new NarrativeApprovals([one]).Hash);
    }

    [Fact]
    public void A_reviewers_changes_are_checked_before_they_are_saved()
    {
        TextMask[] automatic = [new(10, 5, PiiKind.Name)];

        Assert.Empty(NarrativeReviewRules.Validate(40, automatic, [new TextMask(20, 4, PiiKind.Name)], [new RemovedMask(10, 5, PiiKind.Name, "a public official")]));
        Assert.Contains(NarrativeReviewRules.Validate(40, automatic, [], [new RemovedMask(10, 5, PiiKind.Name, " ")]), e => e.Contains("without a reason", StringComparison.Ordinal));
        Assert.Contains(NarrativeReviewRules.Validate(40, automatic, [], [new RemovedMask(11, 5, PiiKind.Name, "why")]), e => e.Contains("no automatic mask", StringComparison.Ordinal));
        Assert.Contains(NarrativeReviewRules.Validate(40, automatic, [new TextMask(38, 5, PiiKind.Name)], []), e => e.Contains("outside", StringComparison.Ordinal));
    }

    [Fact]
    public void Overlapping_masks_become_one_and_the_added_kind_wins()
    {
        var final = NarrativeReviewRules.FinalMasks([new(10, 5, PiiKind.Initials), new(30, 3, PiiKind.Name)], [new(12, 8, PiiKind.Name)], []);

        Assert.Equal([new TextMask(10, 10, PiiKind.Name), new TextMask(30, 3, PiiKind.Name)], final);
        Assert.Equal("ab [NAME] ef", NarrativeScrubber.Render("ab cd ef", [new TextMask(3, 2, PiiKind.Name)]));
        Assert.Throws<ArgumentException>(() => NarrativeScrubber.Render("ab cd ef", [new TextMask(6, 5, PiiKind.Name)]));
    }
}
