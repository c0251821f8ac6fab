using System.Runtime.CompilerServices;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// Splits a narrative into words and numbers in one pass: each token's shape (capitalised, capitals, one letter,
/// digits, a possessive 's), the punctuation after it, whether it starts a sentence, and the hash of its folded form,
/// computed while reading it so that the lexicon lookup needs no second pass over the characters.
/// </summary>
internal static class Tokenizer
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tokenize(FreeTextDocument doc)
    {
        var text = doc.Text;
        var i = 0;
        var n = text.Length;
        var sentenceStart = true;
        while (i < n)
        {
            var c = text[i];
            var kind0 = Text.Class(c);
            if (kind0 is CharKind.Other or CharKind.Mark)
            {
                if (c is '.' or '!' or '?' or '\n' or ':' or ';')
                {
                    // A full stop after a one-letter token or an abbreviation may not end the sentence; the next
                    // capitalised word is treated as a sentence start all the same (the safer reading for names).
                    sentenceStart = true;
                }

                i++;
                continue;
            }

            var start = i;
            bool lower = false, upper = false, digit = false, hyphen = false, possessive = false, apostrophe = false;
            var hash = Text.HashSeed;
            while (i < n)
            {
                c = text[i];
                var kind = Text.Class(c);
                if (kind == CharKind.Lower)
                {
                    lower = true;
                    hash = (hash ^ Text.Fold(c)) * Text.HashPrime;
                    i++;
                }
                else if (kind == CharKind.Upper)
                {
                    upper = true;
                    hash = (hash ^ Text.Fold(c)) * Text.HashPrime;
                    i++;
                }
                else if (kind == CharKind.Digit)
                {
                    digit = true;
                    i++;
                }
                else if (kind == CharKind.Mark)
                {
                    i++;
                }
                else if (c is '\'' or '’' or '-' && i + 1 < n && Text.Class(text[i + 1]) is CharKind.Lower or CharKind.Upper)
                {
                    if (c != '-' && text[i + 1] is 's' or 'S' && (i + 2 >= n || !char.IsLetterOrDigit(text[i + 2])))
                    {
                        possessive = true;
                        break;
                    }

                    hyphen |= c == '-';
                    apostrophe |= c != '-';
                    hash = (hash ^ Text.Fold(c)) * Text.HashPrime;
                    i++;
                }
                else
                {
                    break;
                }
            }

            var length = i - start;
            if (possessive)
            {
                i += 2;
            }

            var flags = Tf.None;
            if (digit)
            {
                flags |= Tf.Digit;
                if (!lower && !upper)
                {
                    flags |= Tf.AllDigits;
                }
            }

            if (Text.Class(text[start]) == CharKind.Upper)
            {
                flags |= Tf.Cap;
            }

            if (lower)
            {
                flags |= Tf.HasLower;
            }

            if (upper && !lower)
            {
                flags |= length == 1 ? Tf.Single : Tf.AllCaps;
            }

            if (!upper && lower)
            {
                flags |= Tf.Lower;
            }

            if (possessive)
            {
                flags |= Tf.Possessive;
            }

            if (hyphen)
            {
                flags |= Tf.Hyphen;
            }

            if (i < n && text[i] == '.')
            {
                flags |= Tf.DotAfter;
            }

            if (hyphen || apostrophe)
            {
                flags |= Tf.Slow;
            }

            if (sentenceStart)
            {
                flags |= Tf.SentenceStart;
                sentenceStart = false;
            }

            doc.AddToken(new Token { Start = start, Length = length, Flags = flags, Hash = digit ? 0 : hash });
        }

        var tokens = doc.Tokens;
        var count = doc.TokenCount;
        for (var k = 0; k < count; k++)
        {
            ref var t = ref tokens[k];
            t.Gap = k + 1 < count ? GapBetween(text, t.End, tokens[k + 1].Start) : Gap.Other;
        }
    }

    private static Gap GapBetween(string text, int from, int to)
    {
        var length = to - from;
        if (length is 0 or > 3)
        {
            return Gap.Other;
        }

        var first = text[from];
        for (var k = from + 1; k < to; k++)
        {
            if (text[k] is not (' ' or '\t'))
            {
                return Gap.Other;
            }
        }

        return first switch
        {
            ' ' or '\t' => Gap.Space,
            '.' => Gap.Dot,
            ',' => Gap.Comma,
            _ => Gap.Other,
        };
    }

    /// <summary>Looks every word up in the lexicon (words with an apostrophe or a hyphen the long way).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Classify(FreeTextDocument doc)
    {
        var words = Lexicon.Words;
        var text = doc.Text;
        var tokens = doc.Tokens.AsSpan(0, doc.TokenCount);
        var caps = 0;
        var letters = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            ref var t = ref tokens[i];
            if ((t.Flags & Tf.Digit) != 0)
            {
                continue;
            }

            var word = text.AsSpan(t.Start, t.Length);
            t.Lex = (t.Flags & Tf.Slow) != 0 ? ClassifySlow(word) : words.Get(word, t.Hash, doc.LexiconCacheKeys, doc.LexiconCacheValues);
            if (t.Length > 1)
            {
                letters++;
                if ((t.Flags & Tf.AllCaps) != 0)
                {
                    caps++;
                }
            }
        }

        // A narrative written in capitals: capitals then say nothing about initials or acronyms.
        doc.UpperCase = letters >= 4 && caps * 10 >= letters * 6;
    }

    private static Lex ClassifySlow(ReadOnlySpan<char> word)
    {
        var words = Lexicon.Words;
        var whole = words.Get(word);
        if (whole != Lex.None)
        {
            return whole;
        }

        Span<char> buffer = stackalloc char[Math.Min(word.Length, 64)];
        if (word.Length > buffer.Length)
        {
            return Lex.None;
        }

        // "O'Brien" is listed as "obrien".
        var n = 0;
        var hyphenated = false;
        foreach (var c in word)
        {
            if (c is '\'' or '’')
            {
                continue;
            }

            hyphenated |= c == '-';
            buffer[n++] = Text.Fold(c);
        }

        var joined = words.Get(buffer[..n]);
        if (joined != Lex.None)
        {
            return joined;
        }

        if (!hyphenated)
        {
            return Contraction(word);
        }

        // Hyphenated: the union of its parts' name flags; a word only when every part is.
        var union = Lex.None;
        var allWords = true;
        foreach (var range in ((ReadOnlySpan<char>)buffer[..n]).Split('-'))
        {
            var part = buffer[range];
            var lex = part.Length > 0 ? words.Get(part) : Lex.None;
            allWords &= (lex & (Lex.Word | Lex.Proper)) != 0; // "Somali-speaking"
            union |= lex & (Lex.First | Lex.Last | Lex.FrequentFirst | Lex.FrequentLast);
        }

        return allWords ? Lex.Word : union;
    }

    /// <summary>"don't", "I'm", "you're", "didn't": a word and an apostrophe ending is a word (SCOWL's lists have no contractions).</summary>
    private static Lex Contraction(ReadOnlySpan<char> word)
    {
        var apostrophe = word.IndexOfAny('\'', '’');
        if (apostrophe <= 0)
        {
            return Lex.None;
        }

        var stem = word[..apostrophe];
        var ending = word[(apostrophe + 1)..];
        if (ending.Equals("t", StringComparison.OrdinalIgnoreCase) && stem.Length > 2 && stem[^1] is 'n' or 'N')
        {
            var shorter = stem[..^1];
            if ((Lexicon.Get(shorter) & Lex.Word) != 0 || shorter.Equals("ca", StringComparison.OrdinalIgnoreCase) || shorter.Equals("wo", StringComparison.OrdinalIgnoreCase))
            {
                return Lex.Word; // "didn't", "can't", "won't"
            }
        }

        var known = ending.Equals("t", StringComparison.OrdinalIgnoreCase) || ending.Equals("m", StringComparison.OrdinalIgnoreCase)
            || ending.Equals("re", StringComparison.OrdinalIgnoreCase) || ending.Equals("ve", StringComparison.OrdinalIgnoreCase)
            || ending.Equals("ll", StringComparison.OrdinalIgnoreCase) || ending.Equals("d", StringComparison.OrdinalIgnoreCase);
        return known && (stem.Equals("i", StringComparison.OrdinalIgnoreCase) || (Lexicon.Get(stem) & Lex.Word) != 0) ? Lex.Word : Lex.None;
    }
}
