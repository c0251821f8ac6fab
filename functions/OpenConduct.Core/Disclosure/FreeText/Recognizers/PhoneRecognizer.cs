using System.Text.RegularExpressions;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// Telephone numbers in every North American notation: (612) 555-0143, 612.555.0143, 612-555-0143, 612 555 0143,
/// 6125550143, +1 612 555 0143, 1-612-555-0143, 555-0143, with an extension.
/// </summary>
internal sealed partial class PhoneRecognizer : IFreeTextRecognizer
{
    public string Name => "phone";

    public RecognizerStage Stage => RecognizerStage.Pattern;

    [GeneratedRegex(
        """
        \G
        (?:
            (?:\+[ ]?1|1)[ .-]?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}
          | (?:\(\d{3}\)[ ]?|\d{3}[ ./-]?)\d{3}[ .-]?\d{4}
          | \d{3}[.-]\d{4}
        )
        (?![\w/]|[.-]\d)
        (?:[ ]?(?i:ext\.?|x)[ ]?\d{1,5}\b)?
        """,
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex PhoneRegex();

    public void Analyze(FreeTextDocument doc)
    {
        if (doc.DigitCount < 7)
        {
            return;
        }

        // Tried only where a number can start: "+", "(" or the first digit of a run, with no word character, "+", "/",
        // "." or "-" before it (not inside "6/7/2021" or "12.5").
        var text = doc.Text;
        var done = 0;
        for (var i = text.AsSpan().IndexOfAny(Starts); i >= 0; i = Next(text, i))
        {
            if (i < done || (i > 0 && (char.IsLetterOrDigit(text[i - 1]) || text[i - 1] is '_' or '+' or '/' or '.' or '-'))
                || !SevenDigitsWithin(text, i))
            {
                continue;
            }

            var m = PhoneRegex().Match(text, i);
            if (m.Success)
            {
                // Seven digits alone ("555-0143") are a phone number less surely than ten.
                doc.Propose(m.Index, m.Index + m.Length, PiiKind.Phone, m.Length >= 10 ? 0.95f : 0.7f, ContextCue.Phone);
                done = m.Index + m.Length;
            }
        }
    }

    /// <summary>A phone number has at least seven digits within its first seventeen characters.</summary>
    private static bool SevenDigitsWithin(string text, int i)
    {
        var digits = 0;
        for (var k = i; k < text.Length && k < i + 17 && digits < 7; k++)
        {
            digits += char.IsAsciiDigit(text[k]) ? 1 : 0;
        }

        return digits >= 7;
    }

    private static readonly System.Buffers.SearchValues<char> Starts = System.Buffers.SearchValues.Create("0123456789(+");

    /// <summary>The next possible start after <paramref name="i"/>: past the rest of a digit run.</summary>
    private static int Next(string text, int i)
    {
        i++;
        while (i < text.Length && char.IsAsciiDigit(text[i]) && char.IsAsciiDigit(text[i - 1]))
        {
            i++;
        }

        var next = i < text.Length ? text.AsSpan(i).IndexOfAny(Starts) : -1;
        return next < 0 ? -1 : i + next;
    }
}
