using OpenConduct.Core.Officers;

namespace OpenConduct.Core.Review;

/// <summary>The overrides the resolver applies (the file's, then the reviewers' that agree with it) and the reviewer decisions left out.</summary>
/// <param name="Overrides">The file's entries, then the applied reviewer entries (<c>same</c>, then <c>different</c>).</param>
/// <param name="NotApplied">
/// Reviewer decisions that the overrides file (or a reviewer decision that comes before) contradicts, with
/// <see cref="IdentityDecision.Applied"/> false and the contradiction as the effect: listed in the identity report's
/// <c>decisions</c>, never applied.
/// </param>
public sealed record CombinedIdentityOverrides(IdentityOverrides Overrides, IReadOnlyList<IdentityDecision> NotApplied);

/// <summary>
/// How the city's overrides file and the reviewers' stored decisions (<see cref="IdentityReviewStore"/>) combine
/// (docs/officers.md#reviewer-decisions): the file comes first and wins. A stored decision that the file now
/// contradicts is not applied and is reported, never applied halfway and never dropped silently:
/// <list type="number">
/// <item>a stored <c>different</c> entry naming two officers that the file's <c>same</c> entries merge is left out (the file says they are one person);</item>
/// <item>then each stored <c>same</c> entry, in order, is left out when the merge it adds would join two officers that a
/// <c>different</c> entry (the file's, or an applied stored one) keeps apart.</item>
/// </list>
/// Leaving out a <c>same</c> entry only keeps officers apart, and leaving out a <c>different</c> entry only follows a
/// merge the file itself declares, so the result never merges anything that neither the file nor an applied reviewer decision merges.
/// </summary>
public static class ReviewedIdentityOverrides
{
    /// <summary>Combines the file's overrides with the stored reviewer overrides (whose locations name their version).</summary>
    public static CombinedIdentityOverrides Combine(IdentityOverrides file, IdentityOverrides reviewed)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(reviewed);
        if (reviewed.Same.Count == 0 && reviewed.Different.Count == 0)
        {
            return new CombinedIdentityOverrides(file, []);
        }

        var notApplied = new List<IdentityDecision>();
        var different = new List<IdentityOverride>(file.Different);
        foreach (var entry in reviewed.Different)
        {
            var errors = new List<string>();
            IdentityOverrides.Contradictions(file.Same, [entry], errors);
            if (errors.Count > 0)
            {
                notApplied.Add(NotApplied("different", entry, "the overrides file declares them the same officer", errors));
            }
            else
            {
                different.Add(entry);
            }
        }

        var same = new List<IdentityOverride>(file.Same);
        foreach (var entry in reviewed.Same)
        {
            var errors = new List<string>();
            IdentityOverrides.Contradictions([.. same, entry], different, errors);
            if (errors.Count > 0)
            {
                notApplied.Add(NotApplied("same", entry, "it would merge officers that are kept apart", errors));
            }
            else
            {
                same.Add(entry);
            }
        }

        return new CombinedIdentityOverrides(new IdentityOverrides { Same = same, Different = different }, notApplied);
    }

    private static IdentityDecision NotApplied(string kind, IdentityOverride entry, string why, List<string> errors) =>
        new(kind, entry.Location, [.. entry.Officers.Select(o => o.ToString())], entry.Note, false,
            $"not applied: it contradicts the overrides file or an earlier reviewer decision ({why}): {string.Join("; ", errors)}");
}
