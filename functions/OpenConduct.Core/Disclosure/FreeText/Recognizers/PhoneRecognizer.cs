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
        (?<![\w+/.-])
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

        foreach (var m in PhoneRegex().EnumerateMatches(doc.Text))
        {
            // Seven digits alone ("555-0143") are a phone number less surely than ten.
            doc.Propose(m.Index, m.Index + m.Length, PiiKind.Phone, m.Length >= 10 ? 0.95f : 0.7f, ContextCue.Phone);
        }
    }
}
