using System.Buffers;
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
        \G
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

    public void Analyze(FreeTextDocument doc)
    {
        var published = doc.Options.PublishedDemographics;
        if (published == DemographicAttributes.All)
        {
            return;
        }

        var text = doc.Text;
        // Around each slash, anchored tries at the few places a descriptor can start ("40/W/F", "51, A/F", "B/M/30").
        var done = 0;
        for (var slash = text.IndexOf('/', StringComparison.Ordinal); slash > 0; slash = text.IndexOf('/', slash + 1))
        {
            if (slash < done)
            {
                continue;
            }

            for (var start = Math.Max(done, slash - 8); start < slash; start++)
            {
                if (!char.IsAsciiLetterOrDigit(text[start]) || (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] is '/' or '_')))
                {
                    continue;
                }

                var m = SlashRegex().Match(text, start);
                if (m.Success)
                {
                    Propose(doc, m, published, 0.95f);
                    done = m.Index + m.Length;
                    break;
                }
            }
        }

        var word = text.AsSpan().IndexOfAny(Keywords);
        for (var m = word < 0 ? Match.Empty : WordsRegex().Match(text, Math.Max(0, word - 8)); m.Success; m = m.NextMatch())
        {
            // "a black male" is a descriptor; "black" alone ("a black car") is not matched at all.
            Propose(doc, m, published, m.Groups["age"].Success ? 0.9f : 0.8f);
        }

        if ((published & DemographicAttributes.Age) == 0)
        {
            ProposeAgeAppositions(doc, text);
        }
    }

    /// <summary>The words the descriptor pattern needs: a vectorised search decides whether to run it, and from where.</summary>
    private static readonly SearchValues<string> Keywords = SearchValues.Create(
        ["year", "yr", "y/o", "yo ", "yo,", "old", "of age", "age ", "aged", "black", "white", "hispanic", "latin", "asian", "caucasian",
         "african", "native", "eastern", "racial"],
        StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// An age alone as an apposition after initials or a name: "QZ, 65, states", "(J.D., 34)": a comma, one or two
    /// digits, a comma or a parenthesis, after capitals (initials) or a capitalised word.
    /// </summary>
    private static void ProposeAgeAppositions(FreeTextDocument doc, string text)
    {
        for (var i = text.IndexOf(',', StringComparison.Ordinal); i > 0 && i + 2 < text.Length; i = text.IndexOf(',', i + 1))
        {
            var k = i + 1;
            while (k < text.Length && text[k] == ' ')
            {
                k++;
            }

            var start = k;
            while (k < text.Length && char.IsAsciiDigit(text[k]))
            {
                k++;
            }

            var end = k;
            while (k < text.Length && text[k] == ' ')
            {
                k++;
            }

            if (end - start is not (1 or 2) || k >= text.Length || text[k] is not (',' or ')'))
            {
                continue;
            }

            // Before the comma: initials ("QZ", "J.D.") or a capitalised word ("Lopez").
            var b = i - 1;
            while (b >= 0 && text[b] == ' ')
            {
                b--;
            }

            var wordEnd = b + 1;
            while (b >= 0 && (char.IsLetter(text[b]) || text[b] == '.'))
            {
                b--;
            }

            if (wordEnd - (b + 1) >= 2 && char.IsUpper(text[b + 1]))
            {
                doc.Propose(start, end, PiiKind.Demographic, 0.7f, ContextCue.Person);
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
