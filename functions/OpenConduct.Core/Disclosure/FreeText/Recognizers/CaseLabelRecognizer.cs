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

    [GeneratedRegex(@"(?<![\w/#-])[CWV](?:-|\#)?\d{1,2}(?![\w/-])", RegexOptions.CultureInvariant)]
    private static partial Regex LabelRegex();

    public void Analyze(FreeTextDocument doc)
    {
        foreach (var m in LabelRegex().EnumerateMatches(doc.Text))
        {
            doc.Propose(m.Index, m.Index + m.Length, PiiKind.CaseLabel, 0.7f);
        }
    }
}
