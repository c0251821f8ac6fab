using System.Buffers;
using System.Text.RegularExpressions;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// Other personal identifiers written after their keyword: a driver's licence ("DL# S123-4567-8901", "driver's license
/// number 12345678"), an inmate, prisoner, account, state ID or PPN number. Badge and payroll numbers are the
/// officers' and stay; case and incident numbers identify no one.
/// </summary>
internal sealed partial class OtherIdRecognizer : IFreeTextRecognizer
{
    public string Name => "other-id";

    public RecognizerStage Stage => RecognizerStage.Pattern;

    private static readonly SearchValues<string> Keywords = SearchValues.Create(
        ["licen", " dl", "dl#", "dl:", "inmate", "prisoner", "account", "acct", "state id", "ppn", " pid", " sid"], StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(
        """
        \b(?:driver'?s?[ ]licen[cs]e|licen[cs]e|dl|inmate|prisoner|account|acct|state[ ]id|ppn|pid|sid)\b\.?
        (?:[ \t]*(?:number|num|no\.?|\#|:))*[ \t]*[:\#]?[ \t]*
        (?:(?:is|was|of)[ \t]+)?
        (?<v>(?=[A-Z0-9-]*\d)[A-Z0-9][A-Z0-9-]{4,17}[A-Z0-9])\b
        """,
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnorePatternWhitespace | RegexOptions.IgnoreCase)]
    private static partial Regex IdRegex();

    public void Analyze(FreeTextDocument doc)
    {
        var first = doc.DigitCount < 5 ? -1 : doc.Text.AsSpan().IndexOfAny(Keywords);
        if (first < 0)
        {
            return;
        }

        for (var m = IdRegex().Match(doc.Text, Math.Max(0, first - 10)); m.Success; m = m.NextMatch())
        {
            var v = m.Groups["v"];
            doc.Propose(v.Index, v.Index + v.Length, PiiKind.OtherId, 0.85f);
        }
    }
}
