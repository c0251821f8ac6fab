namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>When a recognizer runs: on the raw text, or on the tokens once the pattern spans are known.</summary>
internal enum RecognizerStage
{
    /// <summary>Shapes in the characters (e-mails, phones, addresses...): run first, on the text alone.</summary>
    Pattern,

    /// <summary>Words in context (officers, initials, names): run on the tokens, outside the pattern spans.</summary>
    Token,
}

/// <summary>
/// One recognizer of one kind of personal data (one file each, in the manner of Presidio's recognizers): it reads the
/// document and proposes candidates with a score (<see cref="FreeTextDocument.Propose"/>), or marks tokens. It decides
/// nothing: <see cref="ContextEnhancer"/> raises scores from context words and <see cref="SpanDecision"/> merges.
/// </summary>
internal interface IFreeTextRecognizer
{
    /// <summary>A short name for the decision trace and the documentation.</summary>
    string Name { get; }

    RecognizerStage Stage { get; }

    void Analyze(FreeTextDocument doc);
}
