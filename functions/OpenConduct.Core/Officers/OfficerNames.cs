using System.Globalization;
using System.Text;

namespace OpenConduct.Core.Officers;

/// <summary>
/// How officers' names and identifiers are compared across sources (docs/officers.md#comparing-names):
/// <list type="bullet">
/// <item>A name is compared by its <b>key</b>, <c>LAST|FIRST</c>: the last name and the first word of the first
/// name, each folded. The middle name and the suffix are ignored, and so is every word of the first name after the
/// first (a middle name written in the first-name column).</item>
/// <item>Folding: compatibility decomposition, accents removed (<c>Rodríguez</c> = <c>RODRIGUEZ</c>), letters with no
/// decomposition spelled out (<c>ß</c> = <c>SS</c>, <c>Æ</c> = <c>AE</c>, <c>Ø</c> = <c>O</c>, <c>Ł</c> = <c>L</c>),
/// upper case; apostrophes are removed (<c>O'Brien</c> = <c>OBRIEN</c>); every other character that is not a letter or
/// a digit separates words (spaces, hyphens, periods, commas).</item>
/// <item>The last name's words are joined without a separator (<c>De La Cruz</c> = <c>DeLaCruz</c>,
/// <c>Smith-Jones</c> = <c>Smith Jones</c>), after dropping a last word that is a generational suffix (<c>Jr</c>,
/// <c>Sr</c>, <c>II</c>, <c>III</c>, <c>IV</c>) when other words remain.</item>
/// <item>An officer without a last name or a first name has no key: the rules that compare names never match them.
/// Initials are not expanded: <c>J.</c> does not match <c>John</c>.</item>
/// <item>Employee ids and badge numbers are trimmed and compared ignoring case; an all-digit value loses its leading
/// zeros (<c>007021</c> = <c>7021</c>).</item>
/// </list>
/// </summary>
public static class OfficerNames
{
    private static readonly HashSet<string> Suffixes = new(StringComparer.Ordinal) { "JR", "SR", "II", "III", "IV" };

    /// <summary>"First Middle Last Suffix": the parts that are present, with single spaces between words.</summary>
    public static string Display(string? first, string? middle, string? last, string? suffix)
    {
        var builder = new StringBuilder();
        foreach (var part in (ReadOnlySpan<string?>)[first, middle, last, suffix])
        {
            if (part is null)
            {
                continue;
            }

            foreach (var word in part.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (builder.Length > 0)
                {
                    builder.Append(' ');
                }

                builder.Append(word);
            }
        }

        return builder.ToString();
    }

    /// <summary>The name key <c>LAST|FIRST</c> (see the type's summary), or null without a last and a first name.</summary>
    public static string? Key(string? first, string? last)
    {
        var lastWords = Words(last);
        if (lastWords.Count > 1 && Suffixes.Contains(lastWords[^1]))
        {
            lastWords.RemoveAt(lastWords.Count - 1);
        }

        var firstWords = Words(first);
        return lastWords.Count == 0 || firstWords.Count == 0 ? null : string.Concat(lastWords) + "|" + firstWords[0];
    }

    /// <summary>An employee id or badge number as compared: trimmed, upper case, an all-digit value without leading zeros; null when empty.</summary>
    public static string? Identifier(string? value)
    {
        var text = value?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (text.All(char.IsAsciiDigit))
        {
            var trimmed = text.TrimStart('0');
            return trimmed.Length == 0 ? "0" : trimmed;
        }

        return text.ToUpperInvariant();
    }

    /// <summary>The folded words of a name part: decomposed, accents removed, upper case, apostrophes removed, split on anything else that is not a letter or digit.</summary>
    public static List<string> Words(string? text)
    {
        var words = new List<string>(2);
        if (string.IsNullOrWhiteSpace(text))
        {
            return words;
        }

        var word = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormKD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            if (c is '\'' or '\u2019' or '\u2018' or '\u02BC' or '`' or '\u00B4')
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                word.Append(Spelled(char.ToUpperInvariant(c)));
            }
            else if (word.Length > 0)
            {
                words.Add(word.ToString());
                word.Clear();
            }
        }

        if (word.Length > 0)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary>Letters that have no canonical decomposition, spelled in ASCII.</summary>
    private static string Spelled(char c) => c switch
    {
        'ß' or 'ẞ' => "SS",
        'Æ' => "AE",
        'Œ' => "OE",
        'Ø' => "O",
        'Ł' => "L",
        'Đ' or 'Ð' => "D",
        'Þ' => "TH",
        'İ' or 'I' or 'ı' => "I",
        _ => c.ToString(),
    };
}
