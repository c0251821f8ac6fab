using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>Character classes, case and accent folding, and the word hash shared by the tokenizer and the lexicon.</summary>
internal static class Text
{
    /// <summary>FNV-1a, 64 bits: with the word's length, the lexicon compares hashes only (a false match is some 1e-19 per lookup).</summary>
    public const ulong HashSeed = 14695981039346656037;
    public const ulong HashPrime = 1099511628211;

    /// <summary>Accent- and case-folding table for U+0000..U+024F (Latin-1 and Latin Extended-A/B).</summary>
    private static readonly char[] FoldTable = BuildFoldTable();

    private static char[] BuildFoldTable()
    {
        var table = new char[0x250];
        for (var i = 0; i < table.Length; i++)
        {
            var c = (char)i;
            var decomposed = char.IsSurrogate(c) ? c.ToString() : c.ToString().Normalize(NormalizationForm.FormD);
            table[i] = char.ToLowerInvariant(decomposed.Length > 0 ? decomposed[0] : c);
        }

        table['ø'] = 'o';
        table['Ø'] = 'o';
        table['đ'] = 'd';
        table['Đ'] = 'd';
        table['ł'] = 'l';
        table['Ł'] = 'l';
        table['ß'] = 's';
        table['æ'] = 'a';
        table['Æ'] = 'a';
        return table;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static char Fold(char c) => c < 0x250 ? FoldTable[c] : c == '’' ? '\'' : char.ToLowerInvariant(c);

    public static bool FoldedEquals(ReadOnlySpan<char> folded, ReadOnlySpan<char> word)
    {
        for (var i = 0; i < word.Length; i++)
        {
            if (folded[i] != Fold(word[i]))
            {
                return false;
            }
        }

        return true;
    }

    public static bool FoldEquals(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i] && Fold(a[i]) != Fold(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The hash of an already folded word.</summary>
    public static ulong Hash(ReadOnlySpan<char> folded)
    {
        var hash = HashSeed;
        foreach (var c in folded)
        {
            hash = (hash ^ c) * HashPrime;
        }

        return hash;
    }

    /// <summary>The hash of a word as the tokenizer computes it: folded, combining marks left out.</summary>
    public static ulong FoldedHash(ReadOnlySpan<char> word)
    {
        var hash = HashSeed;
        foreach (var c in word)
        {
            if (Class(c) != CharKind.Mark)
            {
                hash = (hash ^ Fold(c)) * HashPrime;
            }
        }

        return hash;
    }

    /// <summary>Letter case and digits for ASCII from a table; other characters through the Unicode category.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CharKind Class(char c)
    {
        if (c < 128)
        {
            return (CharKind)AsciiKinds[c];
        }

        return char.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.LowercaseLetter => CharKind.Lower,
            UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter => CharKind.Upper,
            UnicodeCategory.OtherLetter or UnicodeCategory.ModifierLetter => CharKind.Lower,
            UnicodeCategory.DecimalDigitNumber => CharKind.Digit,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark => CharKind.Mark,
            _ => CharKind.Other,
        };
    }

    private static ReadOnlySpan<byte> AsciiKinds =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0,
        0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0,
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    ];
}

internal enum CharKind : byte
{
    Other,
    Lower,
    Upper,
    Digit,
    Mark,
}
