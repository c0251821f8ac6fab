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

    private const string RaceWords =
        "african[- ]american|black|white|hispanic|latino|latina|latinx|asian|caucasian|native[ ]american|middle[ ]eastern|biracial|multiracial";

    /// <summary>An age in words: "34-year-old Black male", "34 year old", "40 years of age", "34 y/o", "34yo".</summary>
    [GeneratedRegex(
        """
        \b(?<age>\d{1,3})[- ]?(?:years?|yrs?|yo)?[- ]?(?:old|of[ ]age|y/o|yo)\b
        (?:[ ,-]+(?<race>
        """ + RaceWords + """
        ))?
        (?:[ ,-]+(?<sex>male|female|man|woman|boy|girl|juvenile[ ]male|juvenile[ ]female))?
        """,
        Options | RegexOptions.IgnoreCase)]
    private static partial Regex AgeWordsRegex();

    /// <summary>Race and sex in words: "a Black male", "Hispanic female", "white men".</summary>
    [GeneratedRegex(
        """
        \b(?<race>
        """ + RaceWords + """
        )[ ]+(?<sex>male|female|man|woman|boy|girl|males|females|men|women|boys|girls)\b
        """,
        Options | RegexOptions.IgnoreCase)]
    private static partial Regex RaceWordsRegex();

    /// <summary>"age 40", "aged 17".</summary>
    [GeneratedRegex(@"\b(?:age|aged)[ ]+(?<age>\d{1,3})\b", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnoreCase)]
    private static partial Regex AgeRegex();

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
            // A descriptor has a letter on at least one side of each slash: "6/29/2012" has digits on both.
            if (slash < done || !LetterBeside(text, slash))
            {
                continue;
            }

            // Where it can start: the word or number before the slash ("40/", "B/", "35B/"), or the number before
            // ", " or " " in front of it ("51, A/F").
            var start = slash - 1;
            while (start >= 0 && text[start] == ' ')
            {
                start--;
            }

            while (start > 0 && char.IsAsciiLetterOrDigit(text[start - 1]))
            {
                start--;
            }

            var earlier = start - 1;
            while (earlier >= 0 && text[earlier] is ' ' or ',')
            {
                earlier--;
            }

            var number = earlier;
            while (number >= 0 && char.IsAsciiDigit(text[number]))
            {
                number--;
            }

            if (earlier >= 0 && number < earlier && earlier - number <= 3 && TryAt(doc, text, number + 1, published, ref done))
            {
                continue;
            }

            if (start >= 0 && start >= done)
            {
                TryAt(doc, text, start, published, ref done);
            }
        }

        // Each form only when its keyword is there, and from there on: "year"/"y/o"/"yo"/"old"/"of age" after digits,
        // a race word (before a sex word: "a black male"; "a black car" is no descriptor), "age"/"aged". One scan for
        // all their keywords first: most narratives have none.
        if (text.AsSpan().IndexOfAny(AnyKeyword) < 0)
        {
            if ((published & DemographicAttributes.Age) == 0)
            {
                ProposeAgeAppositions(doc, text);
            }

            return;
        }

        if (doc.DigitCount > 0 && text.AsSpan().IndexOfAny(AgeKeywords) is var ageAt and >= 0)
        {
            for (var m = AgeWordsRegex().Match(text, Math.Max(0, ageAt - 8)); m.Success; m = m.NextMatch())
            {
                Propose(doc, m, published, 0.9f);
            }
        }

        if (text.AsSpan().IndexOfAny(RaceKeywords) is var raceAt and >= 0)
        {
            for (var m = RaceWordsRegex().Match(text, raceAt); m.Success; m = m.NextMatch())
            {
                Propose(doc, m, published, 0.8f);
            }
        }

        if (doc.DigitCount > 0 && text.AsSpan().IndexOfAny(AgeOnlyKeywords) is var agedAt and >= 0)
        {
            for (var m = AgeRegex().Match(text, agedAt); m.Success; m = m.NextMatch())
            {
                var age = m.Groups["age"];
                if ((published & DemographicAttributes.Age) == 0)
                {
                    doc.Propose(age.Index, age.Index + age.Length, PiiKind.Demographic, 0.9f);
                }
            }
        }

        if ((published & DemographicAttributes.Age) == 0)
        {
            ProposeAgeAppositions(doc, text);
        }
    }

    /// <summary>The words each descriptor pattern needs: a vectorised search decides whether to run it, and from where.</summary>
    private static readonly SearchValues<string> AgeKeywords = SearchValues.Create(
        ["year", "yr", "y/o", "yo ", "yo,", "yo.", " old", "-old", "of age"], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> RaceKeywords = SearchValues.Create(
        ["black", "white", "hispanic", "latin", "asian", "caucasian", "african", "native", "eastern", "racial"], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> AgeOnlyKeywords = SearchValues.Create(["age "], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> AnyKeyword = SearchValues.Create(
        ["year", "yr", "y/o", "yo ", "yo,", "yo.", " old", "-old", "of age", "black", "white", "hispanic", "latin", "asian", "caucasian",
         "african", "native", "eastern", "racial", "age "],
        StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// An age alone as an apposition after initials or a name: "QZ, 65, states", "(J.D., 34)": a comma, one or two
    /// digits, a comma or a parenthesis, after capitals (initials) or a capitalised word.
    /// </summary>
    private static void ProposeAgeAppositions(FreeTextDocument doc, string text)
    {
        if (doc.DigitCount == 0)
        {
            return;
        }

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

    private static bool TryAt(FreeTextDocument doc, string text, int start, DemographicAttributes published, ref int done)
    {
        if (start > 0 && (char.IsLetterOrDigit(text[start - 1]) || text[start - 1] is '/' or '_'))
        {
            return false;
        }

        if (published == DemographicAttributes.None)
        {
            // Nothing published (the shipped policies): whatever the descriptor carries goes; no Match object needed.
            foreach (var v in SlashRegex().EnumerateMatches(text, start))
            {
                doc.Propose(v.Index, v.Index + v.Length, PiiKind.Demographic, 0.95f);
                done = v.Index + v.Length;
                return true;
            }

            return false;
        }

        var m = SlashRegex().Match(text, start);
        if (!m.Success)
        {
            return false;
        }

        Propose(doc, m, published, 0.95f);
        done = m.Index + m.Length;
        return true;
    }

    private static bool LetterBeside(string text, int slash)
    {
        var before = slash - 1;
        while (before >= 0 && text[before] == ' ')
        {
            before--;
        }

        var after = slash + 1;
        while (after < text.Length && text[after] == ' ')
        {
            after++;
        }

        return (before >= 0 && char.IsAsciiLetter(text[before])) || (after < text.Length && char.IsAsciiLetter(text[after]));
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
