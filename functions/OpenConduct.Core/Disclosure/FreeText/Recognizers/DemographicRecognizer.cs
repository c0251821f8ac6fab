using System.Text.RegularExpressions;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// Age, race and sex descriptors of a person: "40/W/F", "(21/B/M)", "B/M/30", "W/M", "UNK/B/M", "a 34-year-old Black
/// male", "a Hispanic female", "34 y/o", "age 40", and an age alone as an apposition after a name or initials
/// ("QZ, 65, states"). Masked unless the policy publishes every attribute the descriptor carries on records
/// (<see cref="ScrubberOptions.PublishedDemographics"/>; Minnesota publishes none: demographics are counted only).
/// </summary>
internal sealed partial class DemographicRecognizer : IFreeTextRecognizer
{
    public string Name => "demographic";

    public RecognizerStage Stage => RecognizerStage.Pattern;

    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnorePatternWhitespace;


    /// <summary>Slashed triples and pairs in any order of age, race and sex.</summary>
    [GeneratedRegex(
        """
        (?<![\w/])
        (?:
            (?<age>\d{1,3}|UNK|unk|U/K)[ ]?/[ ]?(?<race>(?i:[WBHAIUO]|AI|AA|AS|PI|WH|BL|HI|UNK))[ ]?/[ ]?(?<sex>(?i:[MF]))
          | (?<race>(?i:[WBHAIUO]|AI|AA|AS|PI|WH|BL|HI))[ ]?/[ ]?(?<sex>(?i:[MF]))(?:[ ]?/[ ]?(?<age>\d{1,3}))?
          | (?<sex>(?i:[MF]))[ ]?/[ ]?(?<race>(?i:[WBHAIUO]|AI|AA|AS|PI|WH|BL|HI))(?:[ ]?/[ ]?(?<age>\d{1,3}))?
          | (?<age>\d{1,3})(?:,[ ]?|[ ]?)(?<race>(?i:[WBHAIUO]|AI|AA|AS|PI|WH|BL|HI))[ ]?/[ ]?(?<sex>(?i:[MF]))
          | (?<age>\d{1,3})[ ]?/[ ]?(?<sex>(?i:[MF]))
        )
        (?![\w/])
        """,
        Options)]
    private static partial Regex SlashRegex();

    /// <summary>Words: "34-year-old Black male", "a Hispanic female", "Black man", "34 y/o", "age 40", "40 years old".</summary>
    [GeneratedRegex(
        """
        \b(?:
            (?<age>\d{1,3})[- ]?(?:years?|yrs?|yo)?[- ]?(?:old|of[ ]age|y/o|yo)\b
            (?:[ ,-]+(?<race>african[- ]american|black|white|hispanic|latino|latina|latinx|asian|caucasian|native[ ]american|middle[ ]eastern|biracial|multiracial))?
            (?:[ ,-]+(?<sex>male|female|man|woman|boy|girl|juvenile[ ]male|juvenile[ ]female))?
          | (?<race>african[- ]american|black|white|hispanic|latino|latina|latinx|asian|caucasian|native[ ]american|middle[ ]eastern|biracial|multiracial)
            [ ]+(?<sex>male|female|man|woman|boy|girl|males|females|men|women|boys|girls)\b
          | (?<=\b(?:age|aged)[ ]+)(?<age>\d{1,3})\b
        )
        """,
        Options | RegexOptions.IgnoreCase)]
    private static partial Regex WordsRegex();

    /// <summary>An age alone as an apposition after initials or a name: "QZ, 65, states", "(J.D., 34)".</summary>
    [GeneratedRegex(
        """
        (?<=(?:\b[A-Z]{2,3}|\b(?:[A-Z]\.[ ]?){2,3}|\b[A-Z][a-z]+)[ ]?,[ ]*|\([ ]*(?:[A-Z]{2,3}|(?:[A-Z]\.[ ]?){2,3})[ ]?,[ ]*)
        (?<age>\d{1,2})(?=[ ]?[,)])
        """,
        Options)]
    private static partial Regex AgeAppositionRegex();

    public void Analyze(FreeTextDocument doc)
    {
        var published = doc.Options.PublishedDemographics;
        if (published == DemographicAttributes.All)
        {
            return;
        }

        var text = doc.Text;
        if (text.Contains('/', StringComparison.Ordinal))
        {
            for (var m = SlashRegex().Match(text); m.Success; m = m.NextMatch())
            {
                Propose(doc, m, published, 0.95f);
            }
        }

        for (var m = WordsRegex().Match(text); m.Success; m = m.NextMatch())
        {
            // "a black male" is a descriptor; "black" alone ("a black car") is not matched at all.
            Propose(doc, m, published, m.Groups["age"].Success ? 0.9f : 0.8f);
        }

        if ((published & DemographicAttributes.Age) == 0 && text.Contains(',', StringComparison.Ordinal))
        {
            foreach (var m in AgeAppositionRegex().EnumerateMatches(text))
            {
                doc.Propose(m.Index, m.Index + m.Length, PiiKind.Demographic, 0.7f, ContextCue.Person);
            }
        }
    }

    private static void Propose(FreeTextDocument doc, Match m, DemographicAttributes published, float score)
    {
        var carries = (m.Groups["age"].Success ? DemographicAttributes.Age : 0)
            | (m.Groups["race"].Success ? DemographicAttributes.Race : 0)
            | (m.Groups["sex"].Success ? DemographicAttributes.Sex : 0);
        if ((carries & ~published) != 0)
        {
            doc.Propose(m.Index, m.Index + m.Length, PiiKind.Demographic, score);
        }
    }
}
