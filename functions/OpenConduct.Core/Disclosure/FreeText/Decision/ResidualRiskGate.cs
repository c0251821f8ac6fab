namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// The last check before a scrubbed narrative is published: does anything left in it still look like a person
/// identifier? A capitalised word that is no dictionary word, no officer's name, no month, nationality, state or city,
/// and not followed by a place or organisation word ("Quillen Avenue", "Brightwater Hospital"); two or three capitals
/// that are no known acronym; seven digits or more, or a letters-and-digits code shaped like a plate or an ID. The
/// policy says what follows (<see cref="ScrubberOptions.ResidualRisk"/>): withhold the narrative, or mask those words.
/// </summary>
internal static class ResidualRiskGate
{
    /// <summary>The first reason found (the order of <see cref="ResidualRisk"/>), and with <paramref name="mask"/> every suspect word masked.</summary>
    public static ResidualRisk Check(FreeTextDocument doc, bool mask) => Check(doc, mask, out _);

    /// <summary>As <see cref="Check(FreeTextDocument, bool)"/>; <paramref name="at"/>: the first suspect word's start, or -1.</summary>
    public static ResidualRisk Check(FreeTextDocument doc, bool mask, out int at) => Check(doc, mask, out at, null);

    /// <summary>
    /// As <see cref="Check(FreeTextDocument, bool, out int)"/>, also adding every suspect word to <paramref name="flags"/>
    /// when given (for a reviewer: the check then goes on past the first).
    /// </summary>
    public static ResidualRisk Check(FreeTextDocument doc, bool mask, out int at, List<TextFlag>? flags)
    {
        at = -1;
        var tokens = doc.TokenSpan;
        var spans = doc.Spans.AsSpan(0, doc.SpanCount);
        var reason = ResidualRisk.None;
        var s = 0;
        var added = false;
        for (var i = 0; i < tokens.Length; i++)
        {
            ref readonly var t = ref tokens[i];
            while (s < spans.Length && spans[s].End <= t.Start)
            {
                s++;
            }

            if ((s < spans.Length && spans[s].Start < t.End) || (t.Flags & Tf.Protected) != 0)
            {
                continue;
            }

            var risk = Assess(doc, tokens, i);
            if (risk == ResidualRisk.None)
            {
                continue;
            }

            if (reason == ResidualRisk.None || risk < reason)
            {
                reason = risk;
                at = t.Start;
            }

            flags?.Add(new TextFlag(t.Start, t.End - t.Start, risk));
            if (!mask)
            {
                if (flags is null)
                {
                    return reason;
                }

                continue;
            }

            doc.AddSpan(t.Start, t.End, risk switch
            {
                ResidualRisk.UnknownCapitalisedWord => PiiKind.Name,
                ResidualRisk.InitialsLike => PiiKind.Initials,
                _ => PiiKind.OtherId,
            });
            added = true;
        }

        if (added)
        {
            doc.Spans.AsSpan(0, doc.SpanCount).Sort((a, b) => a.Start.CompareTo(b.Start));
        }

        return reason;
    }

    private static ResidualRisk Assess(FreeTextDocument doc, Span<Token> tokens, int i)
    {
        ref readonly var t = ref tokens[i];
        if ((t.Flags & Tf.Digit) != 0)
        {
            return NumberLike(doc, t) ? ResidualRisk.NumberLike : ResidualRisk.None;
        }

        if (doc.UpperCase)
        {
            // In capitals only the shape of the words is left: a non-word among them is suspect.
            return (t.Flags & Tf.AllCaps) != 0 && t.Length >= 3 && t.Lex == Lex.None && !PlaceFollows(doc, tokens, i)
                ? ResidualRisk.UnknownCapitalisedWord
                : ResidualRisk.None;
        }

        if ((t.Flags & Tf.AllCaps) != 0)
        {
            // "CCN 21-123456": capitals before a number label it.
            var code = i + 1 < tokens.Length && (tokens[i + 1].Flags & Tf.Digit) != 0 && tokens[i + 1].Start <= t.End + 2;
            return t.Length <= 3 && (t.Lex & (Lex.Acronym | Lex.Suffix)) == 0 && !code ? ResidualRisk.InitialsLike : ResidualRisk.None;
        }

        const Lex NotAName = Lex.Word | Lex.Proper | Lex.Acronym | Lex.Function | Lex.Rank | Lex.Title | Lex.Cue | Lex.Street
            | Lex.PlaceHead | Lex.Directional | Lex.Particle | Lex.Suffix | Lex.Verb | Lex.Aux | Lex.Role | Lex.Determiner;
        if ((t.Flags & Tf.Cap) == 0 || t.Length < 3 || (t.Lex & NotAName) != 0)
        {
            return ResidualRisk.None;
        }

        return PlaceFollows(doc, tokens, i) || PlacePrecedes(tokens, i) ? ResidualRisk.None : ResidualRisk.UnknownCapitalisedWord;
    }

    /// <summary>
    /// A place or organisation word within the next three capitalised words or initials: "Maple Park Avenue", "Brightwater
    /// Hospital", "Anna B. Carter Avenue", "Quarry and Linden Streets" (one "and" or "&amp;" between two names).
    /// </summary>
    private static bool PlaceFollows(FreeTextDocument doc, Span<Token> tokens, int i)
    {
        var connector = false;
        for (var k = i + 1; k < tokens.Length && k <= i + 4; k++)
        {
            ref readonly var previous = ref tokens[k - 1];
            var gap = previous.Gap is Gap.Space or Gap.Dot
                || (previous.Gap == Gap.Other && doc.Text.AsSpan(previous.End, tokens[k].Start - previous.End).Trim() is "&");
            if (!gap)
            {
                return false;
            }

            ref readonly var t = ref tokens[k];
            if ((t.Flags & Tf.Cap) == 0)
            {
                if (!connector && doc.Word(t).Equals("and", StringComparison.OrdinalIgnoreCase))
                {
                    connector = true;
                    continue;
                }

                return false;
            }

            if ((t.Lex & (Lex.PlaceHead | Lex.Street)) != 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A place word right before: "Lake Harriet", "Mount Airy".</summary>
    private static bool PlacePrecedes(Span<Token> tokens, int i) =>
        i > 0 && tokens[i - 1].Gap == Gap.Space && (tokens[i - 1].Flags & Tf.Cap) != 0 && (tokens[i - 1].Lex & Lex.PlaceHead) != 0;

    private static bool NumberLike(FreeTextDocument doc, in Token t)
    {
        var word = doc.Text.AsSpan(t.Start, t.Length);
        var digits = 0;
        var letters = 0;
        foreach (var c in word)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (char.IsAsciiLetter(c))
            {
                letters++;
            }
        }

        return (letters == 0 && digits >= 7) || (letters >= 2 && digits >= 3 && digits + letters is >= 5 and <= 9 && (t.Flags & Tf.Lower) == 0 && (t.Flags & Tf.HasLower) == 0);
    }
}
