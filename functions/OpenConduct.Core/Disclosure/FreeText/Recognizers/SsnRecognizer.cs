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
        (?:
            \d{3}(?<sep>[ -])\d{2}\k<sep>\d{4}
          | (?<=(?i:\bssn|\bsocial[ ]security(?:[ ](?:number|no\.?|\#))?|\bs\.s\.n\.?)[ \t]*[:\#]?[ \t]*)\d{9}
        )
        (?![\w/]|[.-]\d)
        """,
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex SsnRegex();

    public void Analyze(FreeTextDocument doc)
    {
        foreach (var m in SsnRegex().EnumerateMatches(doc.Text))
        {
            doc.Propose(m.Index, m.Index + m.Length, PiiKind.Ssn, 0.95f);
        }
    }
}
