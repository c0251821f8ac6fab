using System.Runtime.CompilerServices;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// The one decision step: turns what the recognizers proposed into the spans to mask. (1) Officers on the record win
/// over a civilian sharing their surname only as <see cref="RecordNamesRecognizer.Resolve"/> allows; (2) the words the
/// name rules marked become name candidates; (3) context raises weak candidates (<see cref="ContextEnhancer"/>); (4) a
/// candidate below <see cref="Threshold"/>, or a name or initials over an officer's protected word, is rejected; (5)
/// initials accepted once are accepted wherever they recur; (6) overlapping candidates merge when of one kind, and the
/// higher score wins between kinds (a pattern over a name: "4500 Washington Ave" stays an address).
/// </summary>
internal static class SpanDecision
{
    /// <summary>A candidate is masked from this score on (Presidio's default threshold is lower; ours favours recall).</summary>
    public const float Threshold = 0.5f;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Decide(FreeTextDocument doc)
    {
        var tokens = doc.TokenSpan;
        if (doc.CtxCount > 0)
        {
            RecordNamesRecognizer.Resolve(doc, tokens);
        }

        ProposeNameRuns(doc, tokens);
        ContextEnhancer.Enhance(doc);

        var candidates = doc.CandidateSpan;
        if (candidates.Length == 0)
        {
            return;
        }

        for (var c = 0; c < candidates.Length; c++)
        {
            ref var candidate = ref candidates[c];
            candidate.Rejected = candidate.Score < Threshold
                || (candidate.Kind is PiiKind.Name or PiiKind.Initials && OverOfficer(doc, candidate));
        }

        PropagateInitials(doc, candidates);
        Sort(candidates);
        Merge(doc, candidates);
    }

    /// <summary>Runs of words the name rules marked, each one name candidate ("Mr. [Maria J. Lopez]").</summary>
    private static void ProposeNameRuns(FreeTextDocument doc, Span<Token> tokens)
    {
        var i = 0;
        while (i < tokens.Length)
        {
            if ((tokens[i].Flags & Tf.Name) == 0)
            {
                i++;
                continue;
            }

            var j = i;
            while (j + 1 < tokens.Length && (tokens[j + 1].Flags & Tf.Name) != 0 && NameRuns.Continues(tokens[j], lenient: true))
            {
                j++;
            }

            ref readonly var last = ref tokens[j];
            var end = last.End;
            if ((last.Flags & (Tf.Single | Tf.DotAfter)) == (Tf.Single | Tf.DotAfter))
            {
                end++;
            }

            doc.Propose(tokens[i].Start, end, PiiKind.Name, (tokens[i].Flags & Tf.Known) != 0 ? 0.95f : 0.9f);
            i = j + 1;
        }
    }

    private static bool OverOfficer(FreeTextDocument doc, in Candidate candidate)
    {
        var tokens = doc.Tokens;
        for (var k = doc.TokenAt(candidate.Start); k < doc.TokenCount && tokens[k].Start < candidate.End; k++)
        {
            if ((tokens[k].Flags & (Tf.Protected | Tf.KnownFull)) == Tf.Protected)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Initials accepted somewhere ("The complainant, PA, 40/W/F") are accepted at every other occurrence ("PA states").</summary>
    private static void PropagateInitials(FreeTextDocument doc, Span<Candidate> candidates)
    {
        var text = doc.Text;
        for (var a = 0; a < candidates.Length; a++)
        {
            ref readonly var accepted = ref candidates[a];
            if (accepted.Rejected || accepted.Kind != PiiKind.Initials)
            {
                continue;
            }

            var value = text.AsSpan(accepted.Start, accepted.Length);
            for (var b = 0; b < candidates.Length; b++)
            {
                ref var other = ref candidates[b];
                if (other.Rejected && other.Kind == PiiKind.Initials && other.Length == accepted.Length
                    && text.AsSpan(other.Start, other.Length).SequenceEqual(value) && !OverOfficer(doc, other))
                {
                    other.Rejected = false;
                }
            }
        }
    }

    private static void Sort(Span<Candidate> candidates)
    {
        // Insertion sort by start: a handful of candidates.
        for (var i = 1; i < candidates.Length; i++)
        {
            var x = candidates[i];
            var j = i - 1;
            while (j >= 0 && (candidates[j].Start > x.Start || (candidates[j].Start == x.Start && candidates[j].End < x.End)))
            {
                candidates[j + 1] = candidates[j];
                j--;
            }

            candidates[j + 1] = x;
        }
    }

    private static void Merge(FreeTextDocument doc, Span<Candidate> candidates)
    {
        var has = false;
        Candidate current = default;
        foreach (ref readonly var c in candidates)
        {
            if (c.Rejected)
            {
                continue;
            }

            if (!has)
            {
                current = c;
                has = true;
                continue;
            }

            if (c.Start < current.End)
            {
                if (c.Kind == current.Kind)
                {
                    current.End = Math.Max(current.End, c.End);
                    current.Score = Math.Max(current.Score, c.Score);
                }
                else if (c.Score > current.Score || (c.Score == current.Score && c.Length > current.Length))
                {
                    // The stronger kind takes the whole overlap: nothing of either is left in the text.
                    current = c with { Start = Math.Min(current.Start, c.Start), End = Math.Max(current.End, c.End) };
                }
                else
                {
                    current.End = Math.Max(current.End, c.End);
                }

                continue;
            }

            doc.AddSpan(current.Start, current.End, current.Kind);
            current = c;
        }

        if (has)
        {
            doc.AddSpan(current.Start, current.End, current.Kind);
        }
    }
}
