using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenConduct.Core.Disclosure;

namespace OpenConduct.Core.Review;

/// <summary>A mask of the scrubber that a reviewer took out, and why (audited).</summary>
public sealed record RemovedMask(int Start, int Length, [property: JsonConverter(typeof(NamesOnlyEnumConverter<PiiKind>))] PiiKind Kind, string Reason);

/// <summary>
/// A reviewer's approval of one narrative (docs/review.md): which text it approved (hashes of the original and of the
/// scrubber's automatic masks), the masks the reviewer added and the automatic ones taken out with a reason, who and
/// when. Never the text itself: ranges and hashes only. It holds while the original and the automatic masks are
/// unchanged; a changed narrative returns to the queue.
/// </summary>
public sealed record NarrativeApproval
{
    /// <summary>The source, as the records write it.</summary>
    public required string Source { get; init; }

    /// <summary>The case number as published.</summary>
    public required string CaseNumber { get; init; }

    /// <summary>SHA-256 (hex) of the original narrative the reviewer saw.</summary>
    public required string OriginalSha256 { get; init; }

    /// <summary>SHA-256 (hex) of the scrubber's automatic masks the reviewer saw (<see cref="NarrativeReviewRules.MasksSha256"/>).</summary>
    public required string AutomaticSha256 { get; init; }

    /// <summary>Masks the reviewer added.</summary>
    public IReadOnlyList<TextMask> Added { get; init; } = [];

    /// <summary>Automatic masks the reviewer took out, each with a stated reason.</summary>
    public IReadOnlyList<RemovedMask> Removed { get; init; } = [];

    /// <summary>SHA-256 (hex) of the text approved for publication.</summary>
    public required string PublishedSha256 { get; init; }

    /// <summary>Who approved (the session's or the identity provider's name for the reviewer).</summary>
    public required string Reviewer { get; init; }

    public required DateTimeOffset ApprovedAt { get; init; }
}

/// <summary>The approvals of one source's narratives, by published case number, as loaded for one redaction run.</summary>
public sealed class NarrativeApprovals
{
    private readonly Dictionary<string, NarrativeApproval> byCase;

    public NarrativeApprovals(IEnumerable<NarrativeApproval> approvals)
    {
        ArgumentNullException.ThrowIfNull(approvals);
        byCase = new Dictionary<string, NarrativeApproval>(StringComparer.Ordinal);
        foreach (var approval in approvals)
        {
            byCase[approval.CaseNumber] = approval;
        }

        Hash = NarrativeReviewRules.Sha256(string.Join('\n', byCase.Values.OrderBy(a => a.CaseNumber, StringComparer.Ordinal)
            .Select(a => JsonSerializer.Serialize(a, NarrativeReviewRules.Json))));
    }

    /// <summary>No approvals.</summary>
    public static NarrativeApprovals Empty { get; } = new([]);

    public int Count => byCase.Count;

    /// <summary>SHA-256 over every approval: part of the release id when the policy requires review, so a new approval gives a new release.</summary>
    public string Hash { get; }

    public NarrativeApproval? Find(string caseNumber) => byCase.GetValueOrDefault(caseNumber);

    public IEnumerable<NarrativeApproval> All => byCase.Values;
}

/// <summary>
/// A narrative waiting for a reviewer, as the review queue holds it (private: the original text is here, and only
/// reviewers see it). <see cref="ChangedSinceApproval"/>: an earlier approval exists for the case, for another text.
/// </summary>
public sealed record PendingNarrative
{
    public required string Source { get; init; }

    public required string CaseNumber { get; init; }

    /// <summary>The received date as published (for the queue's order), or null.</summary>
    public string? Received { get; init; }

    public required string Original { get; init; }

    public required IReadOnlyList<TextMask> Masks { get; init; }

    public required IReadOnlyList<TextFlag> Flags { get; init; }

    public required string OriginalSha256 { get; init; }

    public required string AutomaticSha256 { get; init; }

    public bool ChangedSinceApproval { get; init; }
}

/// <summary>The rules that tie an approval to a text: hashes, and the masks a published narrative gets.</summary>
public static class NarrativeReviewRules
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The JSON options of every review document (camelCase, enums as names).</summary>
    public static JsonSerializerOptions JsonOptions => Json;

    /// <summary>SHA-256 of the UTF-8 text, lower-case hex.</summary>
    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text ?? string.Empty)));

    /// <summary>SHA-256 of masks in start order (<c>start:length:kind</c> per line): the same masks always give the same hash.</summary>
    public static string MasksSha256(IEnumerable<TextMask> masks) =>
        Sha256(string.Join('\n', (masks ?? []).OrderBy(m => m.Start).ThenBy(m => m.Length)
            .Select(m => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{m.Start}:{m.Length}:{m.Kind}"))));

    /// <summary>Whether <paramref name="approval"/> approved this text with these automatic masks.</summary>
    public static bool Approves(NarrativeApproval? approval, string originalSha256, string automaticSha256) =>
        approval is not null
        && string.Equals(approval.OriginalSha256, originalSha256, StringComparison.Ordinal)
        && string.Equals(approval.AutomaticSha256, automaticSha256, StringComparison.Ordinal);

    /// <summary>
    /// The masks of the published text: the automatic ones minus those the reviewer took out, plus those the reviewer
    /// added. Overlapping masks become one covering both (the added mask's kind wins).
    /// </summary>
    public static IReadOnlyList<TextMask> FinalMasks(IReadOnlyList<TextMask> automatic, IReadOnlyList<TextMask> added, IReadOnlyList<RemovedMask> removed)
    {
        ArgumentNullException.ThrowIfNull(automatic);
        ArgumentNullException.ThrowIfNull(added);
        ArgumentNullException.ThrowIfNull(removed);
        var all = automatic.Where(m => !removed.Any(r => r.Start == m.Start && r.Length == m.Length))
            .Select(m => (Mask: m, Added: false))
            .Concat(added.Select(m => (Mask: m, Added: true)))
            .OrderBy(m => m.Mask.Start)
            .ToList();
        var merged = new List<(TextMask Mask, bool Added)>(all.Count);
        foreach (var next in all)
        {
            if (merged.Count > 0 && merged[^1].Mask is var last && next.Mask.Start < last.Start + last.Length)
            {
                var end = Math.Max(last.Start + last.Length, next.Mask.Start + next.Mask.Length);
                var kind = merged[^1].Added || !next.Added ? last.Kind : next.Mask.Kind;
                merged[^1] = (new TextMask(last.Start, end - last.Start, kind), merged[^1].Added || next.Added);
            }
            else
            {
                merged.Add(next);
            }
        }

        return [.. merged.Select(m => m.Mask)];
    }

    /// <summary>
    /// What is wrong with a reviewer's changes to a narrative of <paramref name="length"/> characters (empty when
    /// nothing): masks outside the text or empty, an automatic mask taken out without a reason or one that is not an
    /// automatic mask.
    /// </summary>
    public static IReadOnlyList<string> Validate(int length, IReadOnlyList<TextMask> automatic, IReadOnlyList<TextMask> added, IReadOnlyList<RemovedMask> removed)
    {
        ArgumentNullException.ThrowIfNull(automatic);
        ArgumentNullException.ThrowIfNull(added);
        ArgumentNullException.ThrowIfNull(removed);
        var errors = new List<string>();
        foreach (var mask in added)
        {
            if (mask.Start < 0 || mask.Length <= 0 || mask.Start + mask.Length > length)
            {
                errors.Add($"added mask at {mask.Start} (length {mask.Length}) is outside the narrative of {length} characters");
            }
        }

        foreach (var mask in removed)
        {
            if (string.IsNullOrWhiteSpace(mask.Reason))
            {
                errors.Add($"the automatic mask at {mask.Start} is taken out without a reason: state why");
            }

            if (!automatic.Any(m => m.Start == mask.Start && m.Length == mask.Length))
            {
                errors.Add($"there is no automatic mask at {mask.Start} (length {mask.Length}) to take out");
            }
        }

        return errors;
    }
}
