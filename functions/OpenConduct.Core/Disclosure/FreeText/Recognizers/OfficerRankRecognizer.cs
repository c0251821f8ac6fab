namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// Officers named after a rank: "Officer XK", "P/O Smith", "Sgt. Lee", "Officers XK and YT", "Officer Q and V",
/// "Detectives Ruiz, Park and Dunn". Where officers' names are public (<see cref="ScrubberOptions.KeepOfficersNamedByRank"/>,
/// the default) they are protected like the officers on the record, and so is every other occurrence of the same
/// initials or surname; otherwise they are marked as private names. "Security officer X" names no police officer.
/// </summary>
internal sealed class OfficerRankRecognizer : IFreeTextRecognizer
{
    public string Name => "officer-rank";

    public RecognizerStage Stage => RecognizerStage.Token;

    public void Analyze(FreeTextDocument doc)
    {
        var tokens = doc.TokenSpan;
        var text = doc.Text;
        var keep = doc.Options.KeepOfficersNamedByRank;
        Span<int> references = stackalloc int[16];
        var found = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            ref readonly var t = ref tokens[i];
            int next;
            if ((t.Lex & Lex.Rank) != 0 && (t.Gap is Gap.Space || (t.Gap == Gap.Dot && t.Length <= 4)))
            {
                next = i + 1;
            }
            else if (IsSlashRank(doc, i))
            {
                next = i + 2; // "P/O Smith"
            }
            else
            {
                continue;
            }

            if (i > 0 && text.AsSpan(tokens[i - 1].Start, tokens[i - 1].Length).Equals("security", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // "Police Officer X", "Sergeant Detective X": the last rank word leads.
            while (next < tokens.Length && (tokens[next].Lex & Lex.Rank) != 0 && tokens[next - 1].Gap is Gap.Space or Gap.Dot)
            {
                next++;
            }

            var plural = text[t.End - 1] is 's' or 'S' && t.Length > 3;
            var k = next;
            while (k < tokens.Length)
            {
                var end = Reference(doc, tokens, k);
                if (end < 0 || (k > next && (tokens[k].Flags & Tf.AllCaps) != 0 && CivilianSomewhere(tokens, k, text)))
                {
                    // "Cpl. XZ and QB was arrested" when the complainant is "QB, 52/H/F": a civilian's initials end the list.
                    break;
                }

                for (var j = k; j < end; j++)
                {
                    tokens[j].Flags |= keep ? Tf.Protected : Tf.Name;
                }

                // The surname (the last word) or the initials recur alone: "Officer John Smith ... Smith said".
                if (found < references.Length && (tokens[end - 1].Flags & Tf.Single) == 0)
                {
                    references[found++] = end - 1;
                }
                var initials = (tokens[k].Flags & (Tf.AllCaps | Tf.Single)) != 0;
                k = end;

                // A list: "XK and YT", "XK, YT and ZB", "Ruiz, Park and Dunn" (names only after a plural rank).
                if (k >= tokens.Length || !(plural || initials))
                {
                    break;
                }

                // "Officers XB, 4th District and ZD, 19th District": the unit after each officer is skipped.
                k = SkipUnit(doc, tokens, k);
                if (k >= tokens.Length)
                {
                    break;
                }

                ref readonly var last = ref tokens[k - 1];
                if (last.Gap == Gap.Comma && k < tokens.Length)
                {
                    if (IsAnd(doc, tokens[k]) && tokens[k].Gap == Gap.Space)
                    {
                        k++;
                    }

                    continue;
                }

                if ((last.Gap == Gap.Space || (last.Gap == Gap.Dot && (last.Flags & Tf.Single) != 0)) && IsAnd(doc, tokens[k]) && tokens[k].Gap == Gap.Space && k + 1 < tokens.Length)
                {
                    k++;
                    continue;
                }

                if (last.Gap == Gap.Other && k < tokens.Length && text.AsSpan(last.End, tokens[k].Start - last.End).Trim() is "&" or "/")
                {
                    continue;
                }

                break;
            }
        }

        if (found > 0 && keep)
        {
            Propagate(doc, tokens, references[..found]);
        }
    }

    private static bool IsSlashRank(FreeTextDocument doc, int i)
    {
        var tokens = doc.Tokens;
        if (i + 1 >= doc.TokenCount)
        {
            return false;
        }

        ref readonly var p = ref tokens[i];
        ref readonly var o = ref tokens[i + 1];
        return p.Length == 1 && o.Length == 1 && (doc.Text[p.Start] is 'P' or 'p') && (doc.Text[o.Start] is 'O' or 'o')
            && o.Start == p.End + 1 && doc.Text[p.End] == '/' && o.Gap is Gap.Space or Gap.Dot;
    }

    /// <summary>After an officer reference, ", 18th District" or ", Highway Patrol": the index after it, or <paramref name="k"/>.</summary>
    private static int SkipUnit(FreeTextDocument doc, Span<Token> tokens, int k)
    {
        if (k == 0 || tokens[k - 1].Gap != Gap.Comma || k >= tokens.Length)
        {
            return k;
        }

        var j = k;
        while (j < tokens.Length && j - k < 3 && ((tokens[j].Flags & Tf.Digit) != 0 || (tokens[j].Flags & Tf.Cap) != 0 && (tokens[j].Lex & Lex.Word) != 0)
            && (tokens[j].Lex & Lex.PlaceHead) == 0)
        {
            j++;
        }

        return j < tokens.Length && j > k - 1 && (tokens[j].Lex & Lex.PlaceHead) != 0 && (tokens[j].Flags & Tf.Cap) != 0 ? j + 1 : k;
    }

    private static bool IsAnd(FreeTextDocument doc, in Token t) =>
        doc.Text.AsSpan(t.Start, t.Length).Equals("and", StringComparison.OrdinalIgnoreCase);

    /// <summary>The end (exclusive) of one officer reference at <paramref name="k"/>: initials or a capitalised name; -1 if none.</summary>
    private static int Reference(FreeTextDocument doc, Span<Token> tokens, int k)
    {
        ref readonly var t = ref tokens[k];
        if ((t.Flags & (Tf.Blocked | Tf.Digit)) != 0)
        {
            return -1;
        }

        // Initials: "XK", "Q", "X.K.", "X. K."
        if ((t.Flags & Tf.AllCaps) != 0 && t.Length <= 3 && !doc.UpperCase)
        {
            return k + 1;
        }

        if ((t.Flags & Tf.Single) != 0)
        {
            var end = k + 1;
            while (end < tokens.Length && (tokens[end - 1].Gap == Gap.Dot || (tokens[end - 1].Flags & Tf.DotAfter) != 0 && tokens[end].Start == tokens[end - 1].End + 1)
                && (tokens[end].Flags & Tf.Single) != 0 && end - k < 3)
            {
                end++;
            }

            // "Officer J. Smith": the initial and the surname.
            if (end < tokens.Length && tokens[end - 1].Gap is Gap.Dot or Gap.Space && IsNameWord(doc, tokens[end]))
            {
                return NameEnd(doc, tokens, end);
            }

            return end;
        }

        return IsNameWord(doc, t) ? NameEnd(doc, tokens, k) : -1;
    }

    private static int NameEnd(FreeTextDocument doc, Span<Token> tokens, int k)
    {
        var end = k + 1;
        while (end < tokens.Length && end - k < 3 && tokens[end - 1].Gap == Gap.Space && IsNameWord(doc, tokens[end]))
        {
            end++;
        }

        return end;
    }

    /// <summary>A capitalised word that can be part of a name: no English word, or a surname that also is one ("Brown").</summary>
    private static bool IsNameWord(FreeTextDocument doc, in Token t)
    {
        if ((t.Flags & (Tf.Cap | Tf.Blocked | Tf.Digit)) != Tf.Cap || (t.Flags & Tf.Single) != 0)
        {
            return false;
        }

        if ((t.Lex & (Lex.Function | Lex.Rank | Lex.Proper | Lex.PlaceHead | Lex.Street | Lex.Title | Lex.Cue | Lex.Verb | Lex.Aux | Lex.Determiner)) != 0)
        {
            return false;
        }

        return (t.Lex & Lex.Word) == 0 || (t.Lex & (Lex.First | Lex.Last)) != 0 && (t.Flags & Tf.AllCaps) == 0 || (t.Flags & Tf.Known) != 0 || doc.UpperCase;
    }

    /// <summary>Every other occurrence of an officer's initials or surname found after a rank is the officer's too.</summary>
    private static void Propagate(FreeTextDocument doc, Span<Token> tokens, ReadOnlySpan<int> references)
    {
        var text = doc.Text;
        Span<int> protectedWords = stackalloc int[references.Length];
        var count = 0;
        foreach (var i in references)
        {
            ref readonly var t = ref tokens[i];
            if ((t.Flags & Tf.AllCaps) != 0 || (t.Lex & Lex.Word) == 0)
            {
                protectedWords[count++] = i;
            }
        }

        for (var i = 0; i < tokens.Length; i++)
        {
            ref var t = ref tokens[i];
            if ((t.Flags & (Tf.Protected | Tf.Blocked | Tf.Digit | Tf.Known)) != 0 || (t.Flags & (Tf.Cap | Tf.AllCaps)) == 0)
            {
                continue;
            }

            foreach (var p in protectedWords[..count])
            {
                ref readonly var o = ref tokens[p];
                if (o.Length == t.Length && text.AsSpan(o.Start, o.Length).SequenceEqual(text.AsSpan(t.Start, t.Length)) && !DescribedAsCivilian(tokens, i, text))
                {
                    t.Flags |= Tf.Protected;
                    break;
                }
            }
        }
    }

    /// <summary>True when the initials at <paramref name="k"/> are described as a civilian's anywhere in the text.</summary>
    private static bool CivilianSomewhere(Span<Token> tokens, int k, string text)
    {
        var value = text.AsSpan(tokens[k].Start, tokens[k].Length);
        for (var i = 0; i < tokens.Length; i++)
        {
            if (i != k && tokens[i].Length == value.Length && text.AsSpan(tokens[i].Start, tokens[i].Length).SequenceEqual(value)
                && DescribedAsCivilian(tokens, i, text))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// "The complainant, XK, 46/W/F", "Mrs. XK": initials followed by a descriptor, or after a title or a role noun, are a
    /// civilian's at that place, even if an officer shares them.
    /// </summary>
    internal static bool DescribedAsCivilian(Span<Token> tokens, int i, string text)
    {
        if (i > 0 && (tokens[i - 1].Lex & (Lex.Title | Lex.Cue)) != 0 && (tokens[i - 1].Lex & Lex.Rank) == 0)
        {
            return true;
        }

        var k = tokens[i].End;
        while (k < text.Length && text[k] is ',' or ' ')
        {
            k++;
        }

        var digits = 0;
        while (k < text.Length && char.IsAsciiDigit(text[k]))
        {
            k++;
            digits++;
        }

        return digits is >= 1 and <= 3 && k < text.Length && (text[k] == '/' || text[k] == ',' || text[k] == ')');
    }
}
