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
        (?<![\w+/.-])
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

    public void Analyze(FreeTextDocument doc)
    {
        var text = doc.Text;
        if (doc.DigitCount < 9)
        {
            return;
        }

        foreach (var m in SsnRegex().EnumerateMatches(text))
        {
            doc.Propose(m.Index, m.Index + m.Length, PiiKind.Ssn, 0.95f);
        }

        var keyword = text.AsSpan().IndexOfAny(Keywords);
        for (var m = keyword < 0 ? Match.Empty : KeywordRegex().Match(text, keyword); m.Success; m = m.NextMatch())
        {
            var v = m.Groups["v"];
            doc.Propose(v.Index, v.Index + v.Length, PiiKind.Ssn, 0.95f);
        }
    }
}
