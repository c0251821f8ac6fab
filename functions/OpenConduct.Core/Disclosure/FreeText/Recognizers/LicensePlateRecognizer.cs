using System.Buffers;
using System.Text.RegularExpressions;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// Vehicle licence plates: a value that mixes letters and digits after "plate", "license plate", "tag", "LP",
/// "registration"; or after a state's two-letter code with no keyword ("IL 361234", "PA JKL-1234", "NJ tag"). A bare
/// five-digit or ZIP+4 value after a state code is a ZIP code and stays.
/// </summary>
internal sealed partial class LicensePlateRecognizer : IFreeTextRecognizer
{
    public string Name => "licence-plate";

    public RecognizerStage Stage => RecognizerStage.Pattern;

    private static readonly SearchValues<string> Keywords =
        SearchValues.Create(["plate", "tag", "lp ", "lp:", "lp#", "lic ", "lic.", "license", "licence", "registration", "reg ", "reg.", "reg#"], StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(
        """
        (?i:\b(?:licen[cs]e[ \t]+plates?|lic\.?[ \t]*plates?|plates?|tags?|lp|registration|reg\.?)\b)\.?
        (?:[ \t]*[:\#]|[ \t]+(?i:number|num|no\.?|reading|reads|read|of|was|is|displaying|showing|bearing)(?![\w]))*
        [ \t]*[:\#]?[ \t]*
        (?<v>[A-Za-z0-9]{1,4}(?:[ -]?[A-Za-z0-9]{1,4})?)(?![A-Za-z0-9])
        """,
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex KeywordRegex();

    /// <summary>A state code, then a plate with at least one digit: "IL 361234", "PA JKL-1234", "MN 123 ABC".</summary>
    [GeneratedRegex(
        """
        (?<![\w,])(?<state>AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY)
        [ \t]+(?!\d{5}(?:-\d{4})?\b)
        (?<v>(?=[A-Z0-9 -]{0,9}\d)[A-Z0-9]{2,4}(?:[ -]?[A-Z0-9]{2,4})?)(?![A-Za-z0-9])
        """,
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex StateRegex();

    public void Analyze(FreeTextDocument doc)
    {
        var text = doc.Text;
        if (doc.DigitCount == 0)
        {
            return;
        }

        var first = text.AsSpan().IndexOfAny(Keywords);
        for (var m = first < 0 ? Match.Empty : KeywordRegex().Match(text, Math.Max(0, first - 12)); m.Success; m = m.NextMatch())
        {
            var v = m.Groups["v"];
            if (IsPlate(text.AsSpan(v.Index, v.Length)))
            {
                doc.Propose(v.Index, v.Index + v.Length, PiiKind.LicensePlate, 0.9f);
            }
        }

        var state = FirstStateCode(text);
        if (state < 0)
        {
            return;
        }

        foreach (var m in StateRegex().EnumerateMatches(text, state))
        {
            var value = text.AsSpan(m.Index, m.Length);
            var v = value[value.IndexOfAny(' ', '\t')..].TrimStart();
            var digits = 0;
            var total = 0;
            foreach (var c in v)
            {
                digits += char.IsAsciiDigit(c) ? 1 : 0;
                total += char.IsAsciiLetterOrDigit(c) ? 1 : 0;
            }

            if (total is >= 4 and <= 8 && digits > 0 && !HasWord(v))
            {
                // The state code is part of what identifies the car: the whole "PA JKL-1234" goes.
                doc.Propose(m.Index, m.Index + m.Length, PiiKind.LicensePlate, 0.75f, ContextCue.Vehicle);
            }
        }
    }

    /// <summary>Where two capitals, a space and, within a few characters, a digit first occur: only there can a state-code plate be.</summary>
    private static int FirstStateCode(string text)
    {
        // Jump from capital to capital: a state code is two capitals, a space, and a digit within ten characters.
        var span = text.AsSpan();
        for (var i = span.IndexOfAnyInRange('A', 'Z'); i >= 0 && i + 3 < text.Length; i = Next(span, i))
        {
            if (char.IsAsciiLetterUpper(text[i + 1]) && text[i + 2] == ' ' && (i == 0 || !char.IsLetterOrDigit(text[i - 1]))
                && span.Slice(i + 3, Math.Min(10, text.Length - i - 3)).ContainsAnyInRange('0', '9'))
            {
                return i;
            }
        }

        return -1;
    }

    private static int Next(ReadOnlySpan<char> span, int i)
    {
        var next = span[(i + 1)..].IndexOfAnyInRange('A', 'Z');
        return next < 0 ? -1 : i + 1 + next;
    }

    /// <summary>"IN THE 3400": a dictionary word among the characters says this is prose, not a plate.</summary>
    private static bool HasWord(ReadOnlySpan<char> value)
    {
        foreach (var range in value.SplitAny(' ', '-'))
        {
            var part = value[range];
            if (part.Length >= 2 && !part.ContainsAnyInRange('0', '9') && Lexicon.IsEnglishWord(part))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPlate(ReadOnlySpan<char> value)
    {
        int digits = 0, letters = 0, lower = 0;
        var space = false;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (char.IsAsciiLetter(c))
            {
                letters++;
                if (char.IsAsciiLetterLower(c))
                {
                    lower++;
                }
            }
            else if (c == ' ')
            {
                space = true;
            }
        }

        var total = digits + letters;
        return total is >= 4 and <= 8 && digits > 0 && (letters > 0 || digits >= 5) && !(lower > 0 && (space || lower < letters));
    }
}
