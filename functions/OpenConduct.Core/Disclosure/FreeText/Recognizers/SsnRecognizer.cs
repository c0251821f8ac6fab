using System.Buffers;
using System.Text.RegularExpressions;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>Social security numbers: 123-45-6789 or 123 45 6789, and nine bare digits after "SSN" or "social security".</summary>
internal sealed partial class SsnRecognizer : IFreeTextRecognizer
{
    public string Name => "ssn";

    public RecognizerStage Stage => RecognizerStage.Pattern;

    [GeneratedRegex(
        """
        \G
        \d{3}(?<sep>[ -])\d{2}\k<sep>\d{4}
        (?![\w/]|[.-]\d)
        """,
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex SsnRegex();

    /// <summary>Nine bare digits after the keyword.</summary>
    [GeneratedRegex(
        """
        (?i:\bssn|\bsocial[ ]security(?:[ ](?:number|no\.?|\#))?|\bs\.s\.n\.?)[ \t]*[:\#]?[ \t]*(?<v>\d{9})(?![\w/]|[.-]\d)
        """,
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex KeywordRegex();

    private static readonly SearchValues<string> Keywords = SearchValues.Create(["ssn", "social security", "s.s.n"], StringComparison.OrdinalIgnoreCase);

    private static int NextRun(string text, int i)
    {
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        var next = i < text.Length ? text.AsSpan(i).IndexOfAnyInRange('0', '9') : -1;
        return next < 0 ? -1 : i + next;
    }

    public void Analyze(FreeTextDocument doc)
    {
        var text = doc.Text;
        if (doc.DigitCount < 9)
        {
            return;
        }

        // Anchored at each run of exactly three digits with no word character, "+", "/", "." or "-" before it.
        for (var i = text.AsSpan().IndexOfAnyInRange('0', '9'); i >= 0; i = NextRun(text, i))
        {
            if (i + 11 <= text.Length && (i == 0 || !(char.IsLetterOrDigit(text[i - 1]) || text[i - 1] is '_' or '+' or '/' or '.' or '-'))
                && char.IsAsciiDigit(text[i + 1]) && char.IsAsciiDigit(text[i + 2]) && text[i + 3] is ' ' or '-')
            {
                foreach (var m in SsnRegex().EnumerateMatches(text, i))
                {
                    doc.Propose(m.Index, m.Index + m.Length, PiiKind.Ssn, 0.95f);
                    break;
                }
            }
        }

        var keyword = text.AsSpan().IndexOfAny(Keywords);
        for (var m = keyword < 0 ? Match.Empty : KeywordRegex().Match(text, keyword); m.Success; m = m.NextMatch())
        {
            var v = m.Groups["v"];
            doc.Propose(v.Index, v.Index + v.Length, PiiKind.Ssn, 0.95f);
        }
    }
}
