using System.Buffers;
using System.Text.RegularExpressions;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// Street addresses in the common US forms: a house number, an optional directional, street-name words and a USPS
/// suffix (St, Ave, Ter., in any case: "3412 Chicago Ave S", "8100 bustleton ter."), or Broadway / Highway 55; a
/// directional with no suffix ("512 S. 5th", "700 n broad", "5600 N. Fairhill"); a number and words after a home cue
/// ("his home at 512 Wyoming", "lives at 18 elm"); a hundred block that is someone's home ("resides on the 1200 block of
/// Ogontz Ave"); each with its unit, city, state and ZIP; P.O. boxes. Kept: a hundred block that locates an incident,
/// intersections and street names without a house number (they point at no door).
/// </summary>
internal sealed partial class AddressRecognizer : IFreeTextRecognizer
{
    public string Name => "address";

    public RecognizerStage Stage => RecognizerStage.Pattern;

    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.IgnorePatternWhitespace;

    /// <summary>The unit, city, state and ZIP that may follow any form.</summary>
    private const string Tail =
        """
        (?:\.?,?[ \t]*(?:(?i:apt|apartment|unit|suite|ste|lot|rm|room|fl|floor|bldg|building)\.?[ \t]*\#?|\#)[ \t]*
           (?:\d[A-Za-z0-9-]{0,5}|[A-Za-z](?:-?\d{1,4})?)\b)?
        (?:
            ,[ \t]*(?:St\.[ ]?)?[A-Z][A-Za-z'’-]*(?:[ \t][A-Z][A-Za-z'’-]*){0,2},?[ \t]+[A-Z]{2}\b(?:[ \t]+\d{5}(?:-\d{4})?\b)?
          | ,?[ \t]+[A-Z]{2}[ \t]+\d{5}(?:-\d{4})?\b
          | ,[ \t]*[A-Z][A-Za-z]+(?:[ \t][A-Z][A-Za-z]+)?(?=[ \t]*(?:[.;:),]|$)|[ \t]+[a-z])
        )?
        """;

    private const string Stop = "(?!(?i:officer|ofc|sgt|lt|cmdr|mr|mrs|ms|and|the|from|to|at|in|on|of|near|by|for|with|his|her|their|a|an|block|blk|hundred|hours|hrs|pm|am|years?|times?|minutes?|feet|foot|people|officers|males?|females?|men|women)\\b)";

    [GeneratedRegex(
        """
        \G
        \d{1,6}(?:[A-Za-z](?![A-Za-z'’])|-\d{1,4}|[ ]1/2|½)?
        (?![ \t]+(?i:block|blk|hundred)\b)
        [ \t]+
        (?:(?:[NSEW]|NE|NW|SE|SW|North|South|East|West|NORTH|SOUTH|EAST|WEST)\.?[ \t]+)?
        (?:
            (?:(?!(?i:officer|ofc|sgt|lt|cmdr|mr|mrs|ms|and|the|from|to|at|in|on|of|near|by|for|with)\b)(?:[A-Z][A-Za-z'’.-]*|\d{1,3}(?i:st|nd|rd|th))[ \t]+){1,4}?
            (?i:street|st|avenue|ave|av|boulevard|blvd|road|rd|drive|dr|lane|ln|parkway|pkwy|way|court|ct|place|pl
               |terrace|ter|terr|circle|cir|trail|trl|highway|hwy|square|sq|mall|row|alley|aly|loop|path|pike|crossing
               |xing|plaza|plz|walk|cove|ridge|heights|hts|freeway|fwy)\b
          | (?i:broadway|(?:highway|hwy|county[ ](?:road|rd)|state[ ]highway|route|rte|us)[ ]\d{1,3})\b
        )
        (?:\.?[ \t]+(?:[NS][EW]?|[EW])\b(?![-.'’]?\w))?
        """ + Tail,
        Options)]
    private static partial Regex AddressRegex();

    /// <summary>Lower-case street words with a suffix ("8100 bustleton ter.", "212 e allegheny ave").</summary>
    [GeneratedRegex(
        """
        \G
        \d{1,6}[a-z]?[ \t]+
        (?:(?i:n|s|e|w|north|south|east|west)\.?[ \t]+)?
        """ + Stop + """
        [a-z][a-z'’-]+(?:[ \t]+(?!(?i:and|the|to|at|in|on|of|his|her)\b)[a-z][a-z'’-]+)?[ \t]+
        (?i:street|st|avenue|ave|av|boulevard|blvd|road|rd|drive|dr|lane|ln|parkway|pkwy|court|ct|place|pl|terrace|ter|terr|circle|cir|pike|hwy)\b
        """ + Tail,
        Options)]
    private static partial Regex LowerCaseRegex();

    /// <summary>A directional and a street name with no suffix: "512 S. 5th", "700 n broad", "5600 N. Fairhill".</summary>
    [GeneratedRegex(
        """
        \G
        \d{2,6}[A-Za-z]?[ \t]+
        (?:[NSEWnsew]|North|South|East|West|north|south|east|west)\.?[ \t]+
        """ + Stop + """
        (?:\d{1,3}(?i:st|nd|rd|th)|[A-Za-z][a-z'’-]{2,})
        (?:[ \t]+(?!(?i:and|the|to|at|in|on|of|his|her|st|street|ave|avenue|where|when|while)\b)[A-Z][a-z'’-]{2,})?
        """ + Tail,
        Options)]
    private static partial Regex DirectionalRegex();

    /// <summary>A number and one or two words after a home cue: "his home at 512 Wyoming", "lives at 18 elm".</summary>
    [GeneratedRegex(
        """
        \b(?i:home|house|residence|apartment|lives|lived|living|resides|resided|residing|reside|address(?:[ ]is)?|moved)
        (?:[ \t]+(?i:is|was|at|on|to|located|in|of))*[ \t]+(?:(?i:at|on)[ \t]+)?
        (?<v>
        \d{1,6}[A-Za-z]?[ \t]+
        (?:(?i:n|s|e|w|north|south|east|west)\.?[ \t]+)?
        """ + Stop + """
        (?:\d{1,3}(?i:st|nd|rd|th)|[A-Za-z][A-Za-z'’-]+)
        (?:[ \t]+(?!(?i:and|the|to|at|in|on|of|his|her|where|when|while|with)\b)(?:[A-Z][A-Za-z'’.-]+|(?i:st|street|ave|avenue|rd|road|ter|terrace|ln|lane|pl|place|ct|court|dr|drive|blvd)\b\.?))?
        """ + Tail + """
        )
        """,
        Options)]
    private static partial Regex HomeCueRegex();

    /// <summary>A hundred block that is someone's home: "resides on the 1200 block of Ogontz Ave", "his property at 3100 blk W. Elm St".</summary>
    [GeneratedRegex(
        """
        \b(?i:home|house|residence|property|lives|lived|living|resides|resided|residing|reside)\b[^.;\d]{0,24}?
        (?<v>
        \b\d{1,6}[ \t]+(?i:block|blk)\.?(?:[ \t]+(?i:of))?[ \t]+
        (?:(?i:n|s|e|w|north|south|east|west)\.?[ \t]+)?
        (?:\d{1,3}(?i:st|nd|rd|th)|[A-Za-z][A-Za-z'’-]+)
        (?:[ \t]+(?!(?i:and|the|to|at|in|on|of|where|when|while|with)\b)[A-Za-z][A-Za-z'’-]+\.?)?
        )
        """,
        Options)]
    private static partial Regex HomeBlockRegex();

    private static readonly SearchValues<string> HomeCues = SearchValues.Create(
        ["home", "house", "residence", "apartment", "lives", "lived", "living", "reside", "address", "moved", "property"], StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"\b(?i:p\.?[ ]?o\.?[ ]?box)[ \t]*\d{1,6}\b", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex PoBoxRegex();

    public void Analyze(FreeTextDocument doc)
    {
        var text = doc.Text;
        if (!text.AsSpan().ContainsAnyInRange('0', '9'))
        {
            return;
        }

        // The number-led forms are tried only where a house number can start: digits after a space or an opening
        // punctuation (not inside "6/7/2021" or "2:35"), then spaces and a letter. Anchored there, they cost little.
        for (var i = text.AsSpan().IndexOfAnyInRange('0', '9'); i >= 0; i = Next(text, i))
        {
            if (!CanStart(text, i))
            {
                continue;
            }

            // The word after the number decides which forms can match: a capital (or a digit: "5th"), or a lower-case word.
            var word = WordAfter(text, i);
            if (word < 0)
            {
                continue;
            }

            if (char.IsUpper(text[word]) || char.IsAsciiDigit(text[word]))
            {
                Try(doc, AddressRegex(), i, 0.9f, ContextCue.Home);
            }
            else
            {
                Try(doc, LowerCaseRegex(), i, 0.8f, ContextCue.Home);
            }

            if (text[word] is 'N' or 'S' or 'E' or 'W' or 'n' or 's' or 'e' or 'w')
            {
                Try(doc, DirectionalRegex(), i, 0.75f, ContextCue.Home);
            }
        }

        var cue = text.AsSpan().IndexOfAny(HomeCues);
        if (cue >= 0)
        {
            for (var m = HomeCueRegex().Match(text, cue); m.Success; m = m.NextMatch())
            {
                var v = m.Groups["v"];
                doc.Propose(v.Index, v.Index + v.Length, PiiKind.Address, 0.85f);
            }

            for (var m = HomeBlockRegex().Match(text, cue); m.Success; m = m.NextMatch())
            {
                var v = m.Groups["v"];
                doc.Propose(v.Index, v.Index + v.Length, PiiKind.Address, 0.8f);
            }
        }

        if (text.Contains("box", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var m in PoBoxRegex().EnumerateMatches(text))
            {
                doc.Propose(m.Index, m.Index + m.Length, PiiKind.Address, 0.9f);
            }
        }
    }

    private static void Try(FreeTextDocument doc, Regex regex, int at, float score, ContextCue context)
    {
        // Anchored at the position (\G): the first match, if any, starts there; no Match object is allocated.
        foreach (var m in regex.EnumerateMatches(doc.Text, at))
        {
            doc.Propose(m.Index, m.Index + m.Length, PiiKind.Address, score, context);
            break;
        }
    }

    /// <summary>Where the word after the house number starts (past an optional letter and the spaces), or -1.</summary>
    private static int WordAfter(string text, int i)
    {
        var k = i;
        while (k < text.Length && (char.IsAsciiDigit(text[k]) || text[k] == '-'))
        {
            k++;
        }

        if (k < text.Length && char.IsAsciiLetter(text[k]))
        {
            k++;
        }

        while (k < text.Length && text[k] is ' ' or '\t')
        {
            k++;
        }

        return k < text.Length && char.IsLetterOrDigit(text[k]) ? k : -1;
    }

    /// <summary>The start of the next run of digits after the run at <paramref name="i"/>, or -1.</summary>
    private static int Next(string text, int i)
    {
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        var next = text.AsSpan(i).IndexOfAnyInRange('0', '9');
        return next < 0 ? -1 : i + next;
    }

    /// <summary>A house number can start here: no word character, slash, dot, colon, dollar, hash or hyphen before; 1-6 digits, an optional letter, spaces, a letter.</summary>
    private static bool CanStart(string text, int i)
    {
        if (i > 0 && (char.IsLetterOrDigit(text[i - 1]) || text[i - 1] is '_' or '/' or '.' or ':' or '$' or '#' or '-'))
        {
            return false;
        }

        var k = i;
        while (k < text.Length && char.IsAsciiDigit(text[k]))
        {
            k++;
        }

        if (k - i > 6)
        {
            return false;
        }

        if (k < text.Length && char.IsAsciiLetter(text[k]))
        {
            k++; // "9510A"
        }
        else if (k < text.Length && text[k] == '-')
        {
            return true; // "1420-22 Main St"
        }

        var spaces = k;
        while (k < text.Length && text[k] is ' ' or '\t')
        {
            k++;
        }

        return k > spaces && k < text.Length && (char.IsLetter(text[k]) || char.IsAsciiDigit(text[k]));
    }
}
