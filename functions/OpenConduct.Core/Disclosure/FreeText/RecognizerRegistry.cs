namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// The recognizers the scrubber runs, in order: the pattern recognizers on the text, then the token recognizers
/// (the record's names first, so that officers are protected before anything looks for a name). Each proposes; the
/// decision is <see cref="SpanDecision"/>'s.
/// </summary>
internal static class RecognizerRegistry
{
    public static IReadOnlyList<IFreeTextRecognizer> Default { get; } =
    [
        new EmailRecognizer(),
        new PhoneRecognizer(),
        new SsnRecognizer(),
        new OtherIdRecognizer(),
        new DateOfBirthRecognizer(),
        new LicensePlateRecognizer(),
        new AddressRecognizer(),
        new DemographicRecognizer(),
        new CaseLabelRecognizer(),
        new RecordNamesRecognizer(),
        new OfficerRankRecognizer(),
        new PersonNameRecognizer(),
        new InitialsRecognizer(),
    ];
}
