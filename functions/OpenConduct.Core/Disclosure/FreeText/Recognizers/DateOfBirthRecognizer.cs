using System.Buffers;
using System.Text.RegularExpressions;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// Dates of birth: a date (or a lone year) written after "DOB", "D.O.B.", "date of birth", "birth date" or "born".
/// Other dates, such as the incident date, are not personal data and stay.
/// </summary>
internal sealed partial class DateOfBirthRecognizer : IFreeTextRecognizer
{
    public string Name => "date-of-birth";

    public RecognizerStage Stage => RecognizerStage.Pattern;

    /// <summary>A vectorised search decides whether to run the pattern, and from where.</summary>
    private static readonly SearchValues<string> Keywords =
        SearchValues.Create(["dob", "d.o.b", "d. o. b", "d o b", "birth", "born"], StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(
        """
        \b(?:d\.?[ ]?o\.?[ ]?b|date[ ]of[ ]birth|birth[ ]?date|birthday|born)\b\.?
        [ \t]*[:(–-]?[ \t]*
        (?:(?:is|was|of|on|in)[ \t]+)?
        (?<v>
            \d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/])
          | \d{4}-\d{1,2}-\d{1,2}(?!\d)
          | (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?[ \t]+\d{1,2}(?:st|nd|rd|th)?,?[ \t]+\d{4}(?!\d)
          | \d{1,2}(?:st|nd|rd|th)?[ \t]+(?:of[ \t]+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?[ \t]+\d{4}(?!\d)
          | (?:19|20)\d{2}(?![\d/-])
        )
        """,
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnorePatternWhitespace | RegexOptions.IgnoreCase)]
    private static partial Regex DobRegex();

    public void Analyze(FreeTextDocument doc)
    {
        var first = doc.Text.AsSpan().IndexOfAny(Keywords);
        if (first < 0)
        {
            return;
        }

        for (var m = DobRegex().Match(doc.Text, Math.Max(0, first - 12)); m.Success; m = m.NextMatch())
        {
            var v = m.Groups["v"];
            doc.Propose(v.Index, v.Index + v.Length, PiiKind.DateOfBirth, 0.95f);
        }
    }
}
