using System.Text.RegularExpressions;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// Case-person labels that stand for a civilian: C1, W2, V1 (complainant, witness, victim), C-1, W#2. They identify no
/// one by themselves, but they tie together what a narrative says about one person, so they are masked too.
/// </summary>
internal sealed partial class CaseLabelRecognizer : IFreeTextRecognizer
{
    public string Name => "case-label";

    public RecognizerStage Stage => RecognizerStage.Pattern;

    [GeneratedRegex(@"\G[CWV](?:-|\#)?\d{1,2}(?![\w/-])", RegexOptions.CultureInvariant)]
    private static partial Regex LabelRegex();

    public void Analyze(FreeTextDocument doc)
    {
        if (doc.DigitCount == 0)
        {
            return;
        }

        // Only where C, W or V is followed by a digit, "-" or "#" is the anchored pattern tried.
        var text = doc.Text;
        for (var i = text.AsSpan().IndexOfAny('C', 'W', 'V'); i >= 0 && i + 1 < text.Length; i = Next(text, i))
        {
            if (!(char.IsAsciiDigit(text[i + 1]) || text[i + 1] is '-' or '#') || (i > 0 && (char.IsLetterOrDigit(text[i - 1]) || text[i - 1] is '_' or '/' or '#' or '-')))
            {
                continue;
            }

            foreach (var m in LabelRegex().EnumerateMatches(text, i))
            {
                doc.Propose(m.Index, m.Index + m.Length, PiiKind.CaseLabel, 0.7f);
                break;
            }
        }
    }

    private static int Next(string text, int i)
    {
        var next = i + 1 < text.Length ? text.AsSpan(i + 1).IndexOfAny('C', 'W', 'V') : -1;
        return next < 0 ? -1 : i + 1 + next;
    }
}
