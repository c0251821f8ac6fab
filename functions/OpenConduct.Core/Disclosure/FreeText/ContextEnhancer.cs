namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// Raises the score of a weak candidate when a context word of its kind is near, as Presidio's context-aware enhancer
/// does: a person cue within four words before (complainant, witness, behalf, nephew, Mr., "his name is") or a
/// descriptor right after (", 40/W/F"); a home cue before an address; a phone or vehicle word before a number. The
/// factor (+0.35) lifts a candidate of 0.25 over <see cref="SpanDecision.Threshold"/> only with such a word.
/// </summary>
internal static class ContextEnhancer
{
    public const float Factor = 0.35f;

    private const int Window = 4;

    public static void Enhance(FreeTextDocument doc)
    {
        var candidates = doc.CandidateSpan;
        var tokens = doc.TokenSpan;
        for (var c = 0; c < candidates.Length; c++)
        {
            ref var candidate = ref candidates[c];
            if (candidate.Context == ContextCue.None || candidate.Score >= SpanDecision.Threshold)
            {
                continue;
            }

            var first = doc.TokenAt(candidate.Start);
            var found = false;
            if ((candidate.Context & ContextCue.Structural) != 0)
            {
                // "The complainant, PA, 40/W/F": the descriptor, or the role noun and its comma, right next to it.
                found = DescriptorFollows(doc, candidate.End)
                    || (first > 0 && tokens[first - 1].Gap == Gap.Comma && (tokens[first - 1].Lex & (Lex.Cue | Lex.Title | Lex.Role)) != 0)
                    || (first > 1 && doc.Word(tokens[first - 1]).Equals("of", StringComparison.OrdinalIgnoreCase)
                        && doc.Word(tokens[first - 2]).Equals("behalf", StringComparison.OrdinalIgnoreCase))
                    || CoordinatedWithInitials(doc, tokens, first);
            }
            else
            {
                // Words before, skipping what patterns found ("QX, 29/B/M, and PA": the descriptor's tokens do not count).
                var seen = 0;
                for (var k = first - 1; k >= 0 && seen < Window && !found; k--)
                {
                    if ((tokens[k].Flags & Tf.Blocked) != 0)
                    {
                        continue;
                    }

                    seen++;
                    found = IsCue(doc, tokens[k], candidate.Context);
                }

                if (!found && (candidate.Context & ContextCue.Person) != 0)
                {
                    found = DescriptorFollows(doc, candidate.End);
                }
            }

            if (found)
            {
                candidate.Score += Factor;
            }
        }
    }

    private static bool IsCue(FreeTextDocument doc, in Token t, ContextCue context)
    {
        if ((context & ContextCue.Person) != 0 && (t.Lex & (Lex.Cue | Lex.Title | Lex.NameCue | Lex.Role)) != 0)
        {
            return true;
        }

        var word = doc.Text.AsSpan(t.Start, t.Length);
        return ((context & ContextCue.Person) != 0 && Is(word, "behalf", "complainant", "complainants", "initials"))
            || ((context & ContextCue.Home) != 0 && Is(word, "home", "house", "residence", "lives", "resides", "address", "apartment"))
            || ((context & ContextCue.Phone) != 0 && Is(word, "phone", "cell", "number", "call", "tel", "telephone", "contact"))
            || ((context & ContextCue.Vehicle) != 0 && Is(word, "plate", "tag", "vehicle", "car", "registered", "registration", "license", "licence"));
    }

    private static bool Is(ReadOnlySpan<char> word, params ReadOnlySpan<string> options)
    {
        foreach (var option in options)
        {
            if (word.Equals(option, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"QX, 29/B/M, and PA,": after "and", skipping a descriptor, other initials a person cue introduced.</summary>
    private static bool CoordinatedWithInitials(FreeTextDocument doc, Span<Token> tokens, int first)
    {
        if (first < 2 || !doc.Word(tokens[first - 1]).Equals("and", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var k = first - 2;
        while (k >= 0 && (tokens[k].Flags & Tf.Blocked) != 0)
        {
            k--;
        }

        return k >= 1 && (tokens[k].Flags & Tf.AllCaps) != 0 && tokens[k].Length is 2 or 3 && (tokens[k].Lex & Lex.Acronym) == 0
            && (tokens[k - 1].Lex & (Lex.Cue | Lex.Role)) != 0;
    }

    /// <summary>A demographic candidate starts within three characters after <paramref name="end"/>: "PA, 46/W/F".</summary>
    private static bool DescriptorFollows(FreeTextDocument doc, int end)
    {
        foreach (ref readonly var other in doc.CandidateSpan)
        {
            if (other.Kind == PiiKind.Demographic && other.Start >= end && other.Start <= end + 3)
            {
                return true;
            }
        }

        return false;
    }
}
