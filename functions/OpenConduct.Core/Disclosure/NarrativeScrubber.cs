using System.Buffers;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenConduct.Core.Disclosure;

/// <summary>The kinds of personal data the <see cref="NarrativeScrubber"/> replaces with a typed placeholder.</summary>
public enum PiiKind
{
    /// <summary>A private person's name: complainant, witness, victim, bystander, or an officer not on the record.</summary>
    Name,

    /// <summary>A street address (house number + street), with its unit, city, state and ZIP when written with it.</summary>
    Address,

    /// <summary>A telephone number.</summary>
    Phone,

    /// <summary>An e-mail address.</summary>
    Email,

    /// <summary>A social security number.</summary>
    Ssn,

    /// <summary>A date of birth (a date or a year written next to "DOB", "born", "date of birth").</summary>
    DateOfBirth,

    /// <summary>A vehicle licence plate written next to "plate", "license plate", "tag", "LP".</summary>
    LicensePlate,
}

/// <summary>
/// What the scrubber knows about one record. <paramref name="OfficerNames"/>: the officers on the record, in any of
/// the forms exports use ("John Smith", "Smith, John", "SMITH, JOHN Q", "John Q. Smith", "Smith"); their names are
/// never replaced. In "First Last" the first word is the given name and every later word a surname; in "Last, First"
/// the words before the comma are the surname; a one-word entry is a surname and is protected wherever it occurs.
/// <paramref name="KnownPrivateNames"/>: the complainants, witnesses and victims the export names ("Maria Lopez",
/// "Lopez, Maria", "LOPEZ"); each of their words is replaced wherever it occurs, in any order and case, with or
/// without accents, curly apostrophes or a middle initial (a word that is also a common English word, such as
/// "young", only in lower case next to another part of the name).
/// </summary>
public sealed record ScrubContext(IReadOnlyList<string> OfficerNames, IReadOnlyList<string> KnownPrivateNames)
{
    /// <summary>No officers, no known private names: only the pattern recognisers run.</summary>
    public static ScrubContext Empty { get; } = new([], []);
}

/// <summary>The scrubbed text and how many placeholders of each kind were written (counts only, never values).</summary>
public readonly record struct ScrubResult(string Text, PiiCounts Counts);

/// <summary>Placeholders written per <see cref="PiiKind"/>. Immutable; add two with <c>+</c> to aggregate.</summary>
public readonly record struct PiiCounts(int Name, int Address, int Phone, int Email, int Ssn, int DateOfBirth, int LicensePlate)
{
    /// <summary>The count for one kind.</summary>
    public int this[PiiKind kind] => kind switch
    {
        PiiKind.Name => Name,
        PiiKind.Address => Address,
        PiiKind.Phone => Phone,
        PiiKind.Email => Email,
        PiiKind.Ssn => Ssn,
        PiiKind.DateOfBirth => DateOfBirth,
        PiiKind.LicensePlate => LicensePlate,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>All placeholders written.</summary>
    public int Total => Name + Address + Phone + Email + Ssn + DateOfBirth + LicensePlate;

    public static PiiCounts operator +(PiiCounts left, PiiCounts right) => left.Add(right);

    /// <summary>The sum of two counts.</summary>
    public PiiCounts Add(PiiCounts other) => new(
        Name + other.Name,
        Address + other.Address,
        Phone + other.Phone,
        Email + other.Email,
        Ssn + other.Ssn,
        DateOfBirth + other.DateOfBirth,
        LicensePlate + other.LicensePlate);

    internal PiiCounts Increment(PiiKind kind) => kind switch
    {
        PiiKind.Name => this with { Name = Name + 1 },
        PiiKind.Address => this with { Address = Address + 1 },
        PiiKind.Phone => this with { Phone = Phone + 1 },
        PiiKind.Email => this with { Email = Email + 1 },
        PiiKind.Ssn => this with { Ssn = Ssn + 1 },
        PiiKind.DateOfBirth => this with { DateOfBirth = DateOfBirth + 1 },
        _ => this with { LicensePlate = LicensePlate + 1 },
    };

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"Name={Name} Address={Address} Phone={Phone} Email={Email} Ssn={Ssn} DateOfBirth={DateOfBirth} LicensePlate={LicensePlate}");
}

/// <summary>One replaced range of the input (start and length in the input text).</summary>
internal readonly record struct PiiSpan(int Start, int Length, PiiKind Kind)
{
    public int End => Start + Length;
}

/// <summary>
/// Removes personal data from free-text narratives, replacing each item with a typed placeholder: [NAME], [ADDRESS],
/// [PHONE], [EMAIL], [SSN], [DOB], [PLATE]. Stateless and thread-safe; one instance can serve every record.
/// </summary>
/// <remarks>
/// <para>
/// <b>Structured items</b> are found by source-generated regular expressions (e-mail addresses by a scan outwards
/// from each "@"): e-mail addresses; phone numbers in the
/// forms (612) 555-0143, 612.555.0143, 612-555-0143, 6125550143, +1 612 555 0143, 555-0143, with an extension;
/// SSNs written 123-45-6789 or 123 45 6789 (nine bare digits only after "SSN"/"social security"); dates of birth,
/// meaning a date (or a lone year) written after "DOB", "D.O.B.", "date of birth", "birth date" or "born" (other dates,
/// such as the incident date, are not personal data and stay); licence plates after "plate", "license plate", "tag"
/// or "LP" (the value must mix letters and digits); street addresses: a house number, an optional directional, one to
/// four street-name words and a suffix (St, Ave, Blvd, Rd, Dr, Ln, Pkwy, Way, Ct, Pl, Terrace, Circle, Mall...), or
/// Broadway / Highway 55 / County Road 42, followed by an optional trailing directional, unit (Apt 4B, #204, Unit 3)
/// and ", City, ST 55407". P.O. boxes count as addresses.
/// </para>
/// <para>
/// <b>What is kept on purpose</b>: hundred-block references ("the 3400 block of Nicollet Ave") are already the
/// generalised form the disclosure policy publishes; intersections ("Lake St &amp; Chicago Ave") and street names
/// without a house number name no residence; precincts, case and badge numbers, incident dates and times, and the
/// "34/B/M" age/race/sex triples and C1/W1 labels are not names. A trailing period after "St" stays outside the
/// placeholder so the sentence keeps its full stop.
/// </para>
/// <para>
/// <b>Names</b> are found on word tokens: (1) the known private names of the record, token by token, in any order and
/// case and accent-insensitively; (2) a title (Mr., Ms., Mrs., Miss, Mx., Dr.) or a rank (Officer, Sgt., Lt., Cmdr.,
/// Det., Chief...) followed by capitalised words, so officers not on the record are replaced too; (3) role cues
/// ("witness", "complainant", "victim", "neighbor", "named", "C1"...) followed by capitalised words; (4) initials
/// ("J.D.", "(JD, 34/B/M)"); (5) capitalised words followed by an age/race/sex triple, a phone number in
/// parentheses, an appositive (", a neighbor") or a reporting verb ("stated", "said"); (6) a gazetteer of common US
/// first names and surnames (including Hispanic, Somali, Hmong and Vietnamese ones); then every later occurrence of a
/// surname found once is replaced too, and runs are extended over adjacent capitalised words, middle initials,
/// particles (van, de, St.) and Jr./Sr. Titles and ranks stay in the text ("Mr. [NAME]", "Sgt. [NAME]"), as do
/// possessive endings ("[NAME]'s").
/// </para>
/// <para>
/// <b>Priority</b>: e-mail, then phone and SSN, date of birth, plate, address, and names last; a name is never looked
/// for inside an item already found. Officer protection applies to name tokens: a street that carries an officer's
/// surname ("4500 Washington Ave" when Officer Washington is on the record) is still an address, and an e-mail
/// address is replaced whole.
/// </para>
/// <para>
/// <b>Officer names</b> on the record are never replaced: any token equal to an officer's surname (or a part of a
/// hyphenated one, or a middle name) is protected everywhere, and the officer's given name and initial are protected
/// next to the surname or when the given name stands alone. Two cases are read as a civilian who shares the
/// officer's surname, not as the officer: a full known private name ("Joshua White" when the export names that
/// complainant and the officer is Samuel White), and a given name that some rule found right before the surname of
/// an officer whose given name the context gives, with no rank in front ("Eric Kueng, a neighbor" when the officer is
/// Todd Kueng; "Officer Eric Kueng" stays). A civilian referred to only by a surname an officer on the record shares
/// ("Mr. White") is left in the text: the officer's name wins. On the corpus this is the one weak spot (see the
/// tests): about a third of such names stay.
/// </para>
/// <para>
/// <b>Speed</b>: one pass per pattern over the text (source-generated expressions; the date-of-birth and plate
/// patterns only run when a vectorised search finds their keywords), one tokenisation that hashes each word while
/// reading it, one lookup per word in an open-addressing table, and one allocation: the result string (none when
/// nothing is replaced). Working memory is per thread and reused. The hot methods are compiled fully optimised
/// from the first call (<see cref="MethodImplOptions.AggressiveOptimization"/>): in a host that keeps compiling
/// new code (a test host, a web host), tiered compilation can leave them in an instrumented tier several times
/// slower for the few seconds a release takes.
/// </para>
/// </remarks>
public sealed partial class NarrativeScrubber
{
    /// <summary>The placeholder written for a kind.</summary>
    public static string Placeholder(PiiKind kind) => kind switch
    {
        PiiKind.Name => "[NAME]",
        PiiKind.Address => "[ADDRESS]",
        PiiKind.Phone => "[PHONE]",
        PiiKind.Email => "[EMAIL]",
        PiiKind.Ssn => "[SSN]",
        PiiKind.DateOfBirth => "[DOB]",
        PiiKind.LicensePlate => "[PLATE]",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Replaces the personal data in <paramref name="text"/>; returns the same string when there is none.</summary>
    public ScrubResult Scrub(string text, ScrubContext context) => Scrub(text, context, null);

    /// <summary>As <see cref="Scrub(string, ScrubContext)"/>, also adding each replaced input range to <paramref name="found"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Instance API by design.")]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal ScrubResult Scrub(string text, ScrubContext context, List<PiiSpan>? found)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(text))
        {
            return new ScrubResult(text ?? string.Empty, default);
        }

        var s = scratch ??= new Scratch();
        s.Reset();
        FindPatterns(text, s);
        FindNames(text, context, s);
        return Build(text, s, found);
    }

    /// <summary>True when the scrubber's gazetteer lists <paramref name="word"/> as a first name or a surname.</summary>
    internal static bool InGazetteer(string word)
    {
        Span<char> buffer = stackalloc char[MaxLookup];
        return (Classify(word, buffer, out _) & (Lex.First | Lex.Last)) != 0;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Patterns

    private const RegexOptions PatternOptions = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    /// <summary>Phones and SSNs: told apart afterwards by their digit count (nine digits is an SSN).</summary>
    [GeneratedRegex(
        """
        (?<![\w+/.-])
        (?:
            (?:\+[ ]?1|1)[ .-]?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}
          | (?:\(\d{3}\)[ ]?|\d{3}[ ./-]?)\d{3}[ .-]?\d{4}
          | \d{3}(?<sep>[ -])\d{2}\k<sep>\d{4}
          | \d{3}[.-]\d{4}
          | (?<=(?i:\bssn|\bsocial[ ]security(?:[ ](?:number|no\.?|\#))?|\bs\.s\.n\.?)[ \t]*[:\#]?[ \t]*)\d{9}
        )
        (?![\w/]|[.-]\d)
        (?:[ ]?(?i:ext\.?|x)[ ]?\d{1,5}\b)?
        """,
        PatternOptions | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex NumberRegex();

    [GeneratedRegex(
        """
        (?<![\w/.:$\#-])
        (?:
            \d{1,6}(?:[A-Za-z](?![A-Za-z'’])|-\d{1,4}|[ ]1/2|½)?
            (?![ \t]+(?i:block|blk|hundred)\b)
            [ \t]+
            (?:(?:[NSEW]|NE|NW|SE|SW|North|South|East|West|NORTH|SOUTH|EAST|WEST)\.?[ \t]+)?
            (?:
                (?:(?!(?i:officer|ofc|sgt|lt|cmdr|mr|mrs|ms|and|the|from|to|at|in|on|of|near|by|for|with)\b)(?:[A-Z][A-Za-z'’.-]*|\d{1,3}(?i:st|nd|rd|th))[ \t]+){1,4}?
                (?i:street|st|avenue|ave|av|boulevard|blvd|road|rd|drive|dr|lane|ln|parkway|pkwy|way|court|ct|place|pl
                   |terrace|ter|circle|cir|trail|trl|highway|hwy|square|sq|mall|row|alley|aly|loop|path|pike|crossing
                   |xing|plaza|plz|walk|cove|ridge|heights|hts|freeway|fwy)\b
              | (?i:broadway|(?:highway|hwy|county[ ](?:road|rd)|state[ ]highway|route|rte|us)[ ]\d{1,3})\b
            )
            (?:\.?[ \t]+(?:[NS][EW]?|[EW])\b(?![-.'’]?\w))?
            (?:\.?,?[ \t]*(?:(?i:apt|apartment|unit|suite|ste|lot|rm|room|fl|floor|bldg|building)\.?[ \t]*\#?|\#)[ \t]*
               (?:\d[A-Za-z0-9-]{0,5}|[A-Za-z](?:-?\d{1,4})?)\b)?
            (?:
                ,?[ \t]+(?i:minneapolis|saint[ ]paul|st\.?[ ]paul|richfield|bloomington|edina|robbinsdale|golden[ ]valley
                   |st\.?[ ]louis[ ]park|brooklyn[ ]center|brooklyn[ ]park|columbia[ ]heights|fridley|roseville|crystal
                   |new[ ]hope|hopkins|minnetonka|plymouth|maple[ ]grove|eagan|burnsville)\b
                   (?:,?[ \t]+(?:MN|Minn\.|Minnesota|MINNESOTA)\b)?(?:[ \t]+\d{5}(?:-\d{4})?\b)?
              | ,[ \t]*[A-Z][A-Za-z.'’-]*(?:[ \t][A-Z][A-Za-z.'’-]*){0,2},?[ \t]+(?:[A-Z]{2}|Minnesota)\b(?:[ \t]+\d{5}(?:-\d{4})?\b)?
              | ,?[ \t]+(?:MN|Minnesota)(?:[ \t]+\d{5}(?:-\d{4})?)?\b
            )?
        )
        """,
        PatternOptions | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex AddressRegex();

    [GeneratedRegex(@"\b(?i:p\.?[ ]?o\.?[ ]?box)[ \t]*\d{1,6}\b", PatternOptions)]
    private static partial Regex PoBoxRegex();

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
        PatternOptions | RegexOptions.IgnorePatternWhitespace | RegexOptions.IgnoreCase)]
    private static partial Regex DobRegex();

    [GeneratedRegex(
        """
        (?i:\b(?:licen[cs]e[ \t]+plates?|lic\.?[ \t]*plates?|plates?|tags?|lp)\b)\.?
        (?:[ \t]*[:\#]|[ \t]+(?i:number|num|no\.?|reading|reads|read|of|was|is|displaying|showing|bearing)(?![\w]))*
        [ \t]*[:\#]?[ \t]*
        (?<v>[A-Za-z0-9]{1,4}(?:[ -]?[A-Za-z0-9]{1,4})?)(?![A-Za-z0-9])
        """,
        PatternOptions | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex PlateRegex();

    /// <summary>
    /// Words in the date-of-birth and plate patterns: a vectorised search decides whether to run them, and from where
    /// (a few characters earlier, for "date of birth" and "license plate").
    /// </summary>
    private static readonly SearchValues<string> DobKeywords =
        SearchValues.Create(["dob", "d.o.b", "d. o. b", "d o b", "birth", "born"], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> PlateKeywords =
        SearchValues.Create(["plate", "tag", "lp", "lic"], StringComparison.OrdinalIgnoreCase);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FindPatterns(string text, Scratch s)
    {
        FindEmails(text, s);

        foreach (var m in NumberRegex().EnumerateMatches(text))
        {
            s.AddPattern(m.Index, m.Length, IsSsnShape(text.AsSpan(m.Index, m.Length)) ? PiiKind.Ssn : PiiKind.Phone);
        }

        var dob = text.AsSpan().IndexOfAny(DobKeywords);
        for (var m = dob < 0 ? Match.Empty : DobRegex().Match(text, Math.Max(0, dob - 12)); m.Success; m = m.NextMatch())
        {
            var v = m.Groups["v"];
            s.AddPattern(v.Index, v.Length, PiiKind.DateOfBirth);
        }

        var plate = text.AsSpan().IndexOfAny(PlateKeywords);
        for (var m = plate < 0 ? Match.Empty : PlateRegex().Match(text, Math.Max(0, plate - 12)); m.Success; m = m.NextMatch())
        {
            var v = m.Groups["v"];
            if (IsPlate(text.AsSpan(v.Index, v.Length)))
            {
                s.AddPattern(v.Index, v.Length, PiiKind.LicensePlate);
            }
        }

        foreach (var m in AddressRegex().EnumerateMatches(text))
        {
            s.AddPattern(m.Index, m.Length, PiiKind.Address);
        }

        if (text.Contains("box", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var m in PoBoxRegex().EnumerateMatches(text))
            {
                s.AddPattern(m.Index, m.Length, PiiKind.Address);
            }
        }

        s.SortPatterns();
    }

    /// <summary>E-mail addresses, found from each '@' outwards (cheaper than a pattern that starts at every letter).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FindEmails(string text, Scratch s)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        while (at >= 0)
        {
            var start = at;
            while (start > 0 && (char.IsAsciiLetterOrDigit(text[start - 1]) || text[start - 1] is '.' or '_' or '%' or '+' or '-'))
            {
                start--;
            }

            while (start < at && !char.IsAsciiLetterOrDigit(text[start]))
            {
                start++;
            }

            var end = at + 1;
            var lastDot = -1;
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '.' or '-'))
            {
                if (text[end] == '.')
                {
                    lastDot = end;
                }

                end++;
            }

            while (end > at + 1 && text[end - 1] is '.' or '-')
            {
                end--;
            }

            if (lastDot >= end - 1)
            {
                lastDot = text.LastIndexOf('.', end - 1, end - at - 1);
            }

            var tld = lastDot > at + 1 ? text.AsSpan(lastDot + 1, end - lastDot - 1) : default;
            if (start < at && at + 1 < end && char.IsAsciiLetterOrDigit(text[at + 1]) && tld.Length is >= 2 and <= 24
                && !ContainsNonLetter(tld) && text[lastDot - 1] != '.')
            {
                s.AddPattern(start, end - start, PiiKind.Email);
            }

            at = text.IndexOf('@', Math.Max(end, at + 1));
        }
    }

    private static bool ContainsNonLetter(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (!char.IsAsciiLetter(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSsnShape(ReadOnlySpan<char> match)
    {
        var digits = 0;
        foreach (var c in match)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (c is '(' or '+' || char.IsAsciiLetter(c))
            {
                return false;
            }
        }

        return digits == 9;
    }

    private static bool IsPlate(ReadOnlySpan<char> value)
    {
        int digits = 0, letters = 0, lower = 0;
        var space = false;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
            }
            else if (char.IsAsciiLetter(c))
            {
                letters++;
                if (char.IsAsciiLetterLower(c))
                {
                    lower++;
                }
            }
            else if (c == ' ')
            {
                space = true;
            }
        }

        var total = digits + letters;
        return total is >= 4 and <= 8 && digits > 0 && letters > 0 && !(lower > 0 && (space || lower < letters));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Names

    private const int MaxLookup = 40;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FindNames(string text, ScrubContext context, Scratch s)
    {
        Tokenize(text, s);
        if (s.TokenCount == 0)
        {
            return;
        }

        Span<char> buffer = stackalloc char[MaxLookup];
        var tokens = s.Tokens.AsSpan(0, s.TokenCount);
        for (var i = 0; i < tokens.Length; i++)
        {
            ref var t = ref tokens[i];
            if ((t.Flags & Tf.Digit) != 0)
            {
                continue;
            }

            // The hash was computed while tokenising; words with an apostrophe or a hyphen go the long way.
            var word = text.AsSpan(t.Start, t.Length);
            if ((t.Flags & Tf.Slow) != 0)
            {
                t.Lex = Classify(word, buffer, out _);
            }
            else
            {
                Lexicon.TryGetWord(word, t.Hash, out t.Lex);
            }
        }

        var ctx = new NameContext(text, context, s);
        ctx.MatchContext(tokens);
        var rules = new NameRules(text, tokens);
        rules.Apply();
        ctx.Resolve(tokens);
        EmitNames(tokens, s);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tokenize(string text, Scratch s)
    {
        var patterns = s.Patterns;
        var patternCount = s.PatternCount;
        var p = 0;
        var i = 0;
        var n = text.Length;
        while (i < n)
        {
            var c = text[i];
            if (CharClass(c) is CharKind.Other or CharKind.Mark)
            {
                i++;
                continue;
            }

            var start = i;
            bool lower = false, upper = false, digit = false, hyphen = false, possessive = false, apostrophe = false;
            var hash = HashSeed;
            while (i < n)
            {
                c = text[i];
                var kind = CharClass(c);
                if (kind == CharKind.Lower)
                {
                    lower = true;
                    hash = (hash ^ Fold(c)) * HashPrime;
                    i++;
                }
                else if (kind == CharKind.Upper)
                {
                    upper = true;
                    hash = (hash ^ Fold(c)) * HashPrime;
                    i++;
                }
                else if (kind == CharKind.Digit)
                {
                    digit = true;
                    i++;
                }
                else if (kind == CharKind.Mark)
                {
                    i++;
                }
                else if (c is '\'' or '’' or '-' && i + 1 < n && CharClass(text[i + 1]) is CharKind.Lower or CharKind.Upper)
                {
                    if (c != '-' && text[i + 1] is 's' or 'S' && (i + 2 >= n || !char.IsLetterOrDigit(text[i + 2])))
                    {
                        possessive = true;
                        break;
                    }

                    hyphen |= c == '-';
                    apostrophe |= c != '-';
                    hash = (hash ^ Fold(c)) * HashPrime;
                    i++;
                }
                else
                {
                    break;
                }
            }

            var length = i - start;
            if (possessive)
            {
                i += 2;
            }

            while (p < patternCount && patterns[p].End <= start)
            {
                p++;
            }

            var flags = Tf.None;
            if (p < patternCount && patterns[p].Start < start + length)
            {
                flags |= Tf.Blocked;
            }

            if (digit)
            {
                flags |= Tf.Digit;
            }

            if (CharClass(text[start]) == CharKind.Upper)
            {
                flags |= Tf.Cap;
            }

            if (lower)
            {
                flags |= Tf.HasLower;
            }

            if (upper && !lower)
            {
                flags |= length == 1 ? Tf.Single : Tf.AllCaps;
            }

            if (!upper && lower)
            {
                flags |= Tf.Lower;
            }

            if (possessive)
            {
                flags |= Tf.Possessive;
            }

            if (hyphen)
            {
                flags |= Tf.Hyphen;
            }

            if (i < n && text[i] == '.')
            {
                flags |= Tf.DotAfter;
            }

            if (hyphen || apostrophe)
            {
                flags |= Tf.Slow;
            }

            s.AddToken(new Token { Start = start, Length = length, Flags = flags, Hash = digit ? 0 : hash });
        }

        var tokens = s.Tokens;
        for (var k = 0; k < s.TokenCount; k++)
        {
            ref var t = ref tokens[k];
            t.Gap = k + 1 < s.TokenCount ? GapBetween(text, t.Start + t.Length, tokens[k + 1].Start) : Gap.Other;
        }
    }

    private enum CharKind : byte
    {
        Other,
        Lower,
        Upper,
        Digit,
        Mark,
    }

    /// <summary>Letter case and digits for ASCII from a table; other characters through the Unicode category.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static CharKind CharClass(char c)
    {
        if (c < 128)
        {
            return (CharKind)AsciiKinds[c];
        }

        return char.GetUnicodeCategory(c) switch
        {
            UnicodeCategory.LowercaseLetter => CharKind.Lower,
            UnicodeCategory.UppercaseLetter or UnicodeCategory.TitlecaseLetter => CharKind.Upper,
            UnicodeCategory.OtherLetter or UnicodeCategory.ModifierLetter => CharKind.Lower,
            UnicodeCategory.DecimalDigitNumber => CharKind.Digit,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark => CharKind.Mark,
            _ => CharKind.Other,
        };
    }

    private static ReadOnlySpan<byte> AsciiKinds =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0,
        0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0,
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    ];

    private static Gap GapBetween(string text, int from, int to)
    {
        var length = to - from;
        if (length is 0 or > 3)
        {
            return Gap.Other;
        }

        var first = text[from];
        for (var k = from + 1; k < to; k++)
        {
            if (text[k] is not (' ' or '\t'))
            {
                return Gap.Other;
            }
        }

        return first switch
        {
            ' ' or '\t' => Gap.Space,
            '.' => Gap.Dot,
            ',' => Gap.Comma,
            _ => Gap.Other,
        };
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void EmitNames(ReadOnlySpan<Token> tokens, Scratch s)
    {
        var i = 0;
        while (i < tokens.Length)
        {
            if ((tokens[i].Flags & Tf.Name) == 0)
            {
                i++;
                continue;
            }

            var j = i;
            while (j + 1 < tokens.Length && (tokens[j + 1].Flags & Tf.Name) != 0 && Continues(tokens[j], lenient: true))
            {
                j++;
            }

            ref readonly var last = ref tokens[j];
            var end = last.Start + last.Length;
            if ((last.Flags & (Tf.Single | Tf.DotAfter)) == (Tf.Single | Tf.DotAfter))
            {
                end++;
            }

            s.AddName(tokens[i].Start, end - tokens[i].Start);
            i = j + 1;
        }
    }

    /// <summary>Whether a name run can continue from <paramref name="t"/> to the next token.</summary>
    private static bool Continues(in Token t, bool lenient) => t.Gap switch
    {
        Gap.Space => true,
        Gap.Dot => (t.Flags & Tf.Single) != 0 || (t.Lex & Lex.Particle) != 0 || (t.Lex & Lex.Title) != 0,
        Gap.Comma => lenient,
        _ => false,
    };

    private ref struct NameRules
    {
        private readonly string text;
        private readonly Span<Token> tokens;

        public NameRules(string text, Span<Token> tokens)
        {
            this.text = text;
            this.tokens = tokens;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Apply()
        {
            AnchorsAndInitials();
            Contextual();
            Gazetteer();
            Propagate();
            Extend();
        }

        private readonly bool Usable(int i) => (tokens[i].Flags & (Tf.Blocked | Tf.Digit | Tf.Protected)) == 0;

        /// <summary>A word that can be part of a name once something says a name is there.</summary>
        private readonly bool Weak(int i)
        {
            ref readonly var t = ref tokens[i];
            if ((t.Flags & (Tf.Blocked | Tf.Digit | Tf.Protected | Tf.Single)) != 0)
            {
                return false;
            }

            if ((t.Flags & Tf.Known) != 0)
            {
                return true;
            }

            if ((t.Flags & Tf.Cap) == 0 || (t.Lex & (Lex.Title | Lex.Rank | Lex.Cue | Lex.Verb | Lex.Aux | Lex.Street | Lex.Particle | Lex.Suffix)) != 0)
            {
                return false;
            }

            return (t.Lex & Lex.Common) == 0 || (t.Lex & (Lex.First | Lex.Last)) != 0;
        }

        /// <summary>A capitalised word that is no common word, function word or police vocabulary.</summary>
        private readonly bool Strong(int i) =>
            Weak(i) && (tokens[i].Lex & Lex.Common) == 0;

        private readonly bool Initial(int i)
        {
            ref readonly var t = ref tokens[i];
            return (t.Flags & (Tf.Single | Tf.Blocked | Tf.Protected)) == Tf.Single && (t.Flags & Tf.DotAfter) != 0;
        }

        private readonly bool IsName(int i) => (tokens[i].Flags & Tf.Name) != 0;

        private readonly bool Has(int i, Lex lex) => (tokens[i].Lex & lex) != 0;

        /// <summary>
        /// The end (exclusive) of the name run starting at <paramref name="i"/>: capitalised words, initials, particles
        /// and a Jr./Sr. suffix, at most <paramref name="maxWords"/> words; -1 when it holds no word.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly int TakeRun(int i, int maxWords, bool allCapsFree)
        {
            var j = i;
            var words = 0;
            var previousFirst = false;
            while (j < tokens.Length)
            {
                ref readonly var t = ref tokens[j];
                if (Initial(j))
                {
                    // An initial only counts inside a run: "J. Doe", "Maria J. Lopez".
                }
                else if (Weak(j))
                {
                    if (words >= maxWords || LooksLikeVerb(j))
                    {
                        break;
                    }

                    if (words >= 1 && (t.Flags & Tf.AllCaps) != 0 && (t.Flags & Tf.Known) == 0 && !Has(j, Lex.First | Lex.Last)
                        && !previousFirst && !(allCapsFree && Strong(j)))
                    {
                        break;
                    }

                    previousFirst = Has(j, Lex.First);
                    words++;
                }
                else if ((words >= 1 || (t.Flags & Tf.Cap) != 0) && Has(j, Lex.Particle) && j + 1 < tokens.Length && Continues(t, false)
                    && Weak(j + 1) && (t.Flags & (Tf.Blocked | Tf.Protected)) == 0)
                {
                    // "van", "de", "St." inside a surname: "Van Dyke", "Lt. St. Pierre".
                }
                else if (words >= 1 && Has(j, Lex.Suffix))
                {
                    j++;
                    break;
                }
                else
                {
                    break;
                }

                j++;
                if (!Continues(t, false))
                {
                    break;
                }
            }

            // Drop trailing initials and particles that no word follows.
            while (j > i && !Weak(j - 1) && !Has(j - 1, Lex.Suffix))
            {
                j--;
            }

            return words == 0 ? -1 : j;
        }

        /// <summary>An all-caps word that reads as a verb form ("CANVASSED", "SHOUTING"), unless it is a known name.</summary>
        private readonly bool LooksLikeVerb(int j)
        {
            ref readonly var t = ref tokens[j];
            if ((t.Flags & Tf.AllCaps) == 0 || (t.Flags & Tf.Known) != 0 || Has(j, Lex.First | Lex.Last) || t.Length < 5)
            {
                return false;
            }

            var word = text.AsSpan(t.Start, t.Length);
            return word.EndsWith("ED", StringComparison.Ordinal) || word.EndsWith("ING", StringComparison.Ordinal);
        }

        private readonly void Mark(int from, int to)
        {
            for (var k = from; k < to; k++)
            {
                if ((tokens[k].Flags & (Tf.Blocked | Tf.Protected)) == 0)
                {
                    tokens[k].Flags |= Tf.Name;
                }
            }
        }

        /// <summary>True when the token after the run names a street or a place ("Washington Ave", "Lake Nokomis Park").</summary>
        private readonly bool PlaceFollows(int end) =>
            end < tokens.Length && end > 0 && tokens[end - 1].Gap is Gap.Space or Gap.Dot && Has(end, Lex.Street);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void AnchorsAndInitials()
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                ref readonly var t = ref tokens[i];
                if ((t.Flags & Tf.Blocked) != 0)
                {
                    continue;
                }

                var anchor = (t.Lex & Lex.Title) != 0 && (t.Flags & Tf.Cap) != 0
                    || (t.Lex & Lex.Rank) != 0
                    || (t.Lex & Lex.Cue) != 0
                    || IsPartyLabel(i);
                // "Sgt. Lee", "Mr. Doe": the dot of an abbreviation; "... the Shift Lieutenant. Property ...": a full stop.
                var abbreviation = t.Gap == Gap.Dot && t.Length <= 4 && (t.Lex & (Lex.Title | Lex.Rank)) != 0;
                if (anchor && i + 1 < tokens.Length && (t.Gap == Gap.Space || abbreviation || (t.Gap == Gap.Comma && (t.Lex & Lex.Title) == 0)))
                {
                    var next = i + 1;
                    if ((tokens[next].Lex & Lex.Connector) != 0 && tokens[next].Gap == Gap.Space && next + 1 < tokens.Length)
                    {
                        next++; // "identified as", "named"
                    }

                    if ((tokens[next].Lex & Lex.Title) != 0)
                    {
                        continue; // "witness Mr. Doe": the title anchors it.
                    }

                    var end = TakeRun(next, 3, allCapsFree: true);
                    if (end > 0 && !PlaceFollows(end))
                    {
                        Mark(next, end);
                    }
                    else if (end < 0 && (t.Lex & (Lex.Cue | Lex.Rank)) != 0)
                    {
                        LowerCaseRun(next);
                    }

                    continue;
                }

                // Initials: J.D., J. D., J.D.M.
                if (Initial(i) && (t.Flags & Tf.Cap) != 0 && t.Gap == Gap.Dot && i + 1 < tokens.Length && Initial(i + 1))
                {
                    var end = i + 2;
                    if (end < tokens.Length && tokens[end - 1].Gap == Gap.Dot && Initial(end) && end + 1 <= tokens.Length)
                    {
                        end++;
                    }

                    ref readonly var lastInitial = ref tokens[end - 1];
                    if (!IsAbbreviation(i, end) || TripleFollows(lastInitial.Start + lastInitial.Length + 1))
                    {
                        Mark(i, end);
                    }

                    i = end - 1;
                    continue;
                }

                // Initials without dots before an age/race/sex triple: "(JD, 34/B/M)".
                if ((t.Flags & Tf.AllCaps) != 0 && t.Length is 2 or 3 && t.Start > 0 && text[t.Start - 1] == '('
                    && TripleFollows(t.Start + t.Length))
                {
                    Mark(i, i + 1);
                }
            }
        }

        /// <summary>
        /// "complainant maria lopez says": after a cue, one to three lower-case words that are no common word, ended by a
        /// verb, a comma or a parenthesis; at least one of them in the gazetteer, or two or three unknown words before a
        /// reporting verb.
        /// </summary>
        private readonly void LowerCaseRun(int from)
        {
            var end = from;
            while (end < tokens.Length && end - from < 3)
            {
                ref readonly var t = ref tokens[end];
                if ((t.Flags & (Tf.Lower | Tf.Blocked | Tf.Protected | Tf.Digit)) != Tf.Lower
                    || !(t.Lex == Lex.None || (t.Lex & (Lex.First | Lex.Last)) != 0 && (t.Lex & Lex.Common) == 0))
                {
                    break;
                }

                end++;
                if (t.Gap != Gap.Space)
                {
                    break;
                }
            }

            var gazetteer = false;
            for (var k = from; k < end; k++)
            {
                gazetteer |= (tokens[k].Lex & (Lex.First | Lex.Last)) != 0;
            }

            ref readonly var last = ref tokens[end - 1];
            if (!gazetteer)
            {
                // "the driver side door was": lower-case words nobody lists are a name only as two or three unknown
                // words closed by a reporting verb ("complainant ikenna obi says").
                var unknown = end - from >= 2;
                for (var k = from; k < end && unknown; k++)
                {
                    unknown = tokens[k].Lex == Lex.None;
                }

                if (!unknown || last.Gap != Gap.Space || end >= tokens.Length || !Has(end, Lex.Verb))
                {
                    return;
                }
            }

            var closed = last.Gap == Gap.Comma
                || (last.Gap == Gap.Space && end < tokens.Length && Has(end, Lex.Verb | Lex.Aux))
                || ((last.Flags & Tf.Possessive) == 0 && ParenthesisFollows(last.Start + last.Length));
            if (closed)
            {
                Mark(from, end);
            }
        }

        private readonly bool IsPartyLabel(int i)
        {
            // C1, W1, V2, RP, CP: labels that introduce a party, never names themselves.
            ref readonly var t = ref tokens[i];
            var word = text.AsSpan(t.Start, t.Length);
            return word.Length is 2 or 3 && word[0] is 'C' or 'W' or 'V' && char.IsAsciiDigit(word[1]) && (word.Length == 2 || char.IsAsciiDigit(word[2]));
        }

        private readonly bool IsAbbreviation(int from, int to)
        {
            Span<char> letters = stackalloc char[3];
            for (var k = from; k < to; k++)
            {
                letters[k - from] = char.ToUpperInvariant(text[tokens[k].Start]);
            }

            var l = letters[..(to - from)];
            if (l.Length == 3)
            {
                return l is "DOB" or "USA" or "OFP" or "MPD" or "BCA" or "DWI" or "DUI" or "BWC" or "CAD" or "IAU" or "SPD" or "HCM" or "EMT";
            }

            return l is "US" or "PO" or "AM" or "PM" or "DC" or "NE" or "NW" or "SE" or "SW" or "ID" or "RP" or "CP" or "PD" or "MN" or "ER" or "TV" or "UK" or "OK";
        }

        /// <summary>", 34/B/M)" or " 34/B/M" (or "UNK/B/M"): an age/race/sex triple right after <paramref name="at"/>.</summary>
        private readonly bool TripleFollows(int at)
        {
            var span = text.AsSpan(at);
            var k = 0;
            while (k < span.Length && span[k] is ',' or ' ' or '(')
            {
                k++;
            }

            var digits = 0;
            while (k < span.Length && char.IsAsciiDigit(span[k]))
            {
                k++;
                digits++;
            }

            if (digits == 0 && span[k..].StartsWith("UNK", StringComparison.OrdinalIgnoreCase))
            {
                k += 3;
                digits = 1;
            }

            // "/B/M", "/W/F", "/AI/M"
            return digits is >= 1 and <= 3 && k + 4 <= span.Length && span[k] == '/' && char.IsAsciiLetter(span[k + 1])
                && (span[k + 2] == '/' || (char.IsAsciiLetter(span[k + 2]) && k + 5 <= span.Length && span[k + 3] == '/'));
        }

        /// <summary>What comes right after the text position: "(" and a digit, a triple, or "(DOB".</summary>
        private readonly bool ParenthesisFollows(int at)
        {
            var span = text.AsSpan(at);
            var k = 0;
            while (k < span.Length && span[k] == ' ')
            {
                k++;
            }

            if (k >= span.Length || span[k] != '(')
            {
                return false;
            }

            k++;
            if (k < span.Length && (char.IsAsciiDigit(span[k]) || span[k] == '+'))
            {
                return true;
            }

            var rest = span[k..];
            return rest.StartsWith("DOB", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("D.O.B", StringComparison.OrdinalIgnoreCase)
                || rest.StartsWith("born", StringComparison.OrdinalIgnoreCase) || rest.StartsWith("age", StringComparison.OrdinalIgnoreCase)
                || rest.StartsWith("UNK/", StringComparison.OrdinalIgnoreCase);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void Contextual()
        {
            var i = 0;
            while (i < tokens.Length)
            {
                if (!Weak(i) || (i > 0 && Weak(i - 1) && Continues(tokens[i - 1], false)))
                {
                    i++;
                    continue;
                }

                var end = TakeRun(i, 3, allCapsFree: true);
                if (end < 0)
                {
                    i++;
                    continue;
                }

                var words = 0;
                var gazetteer = false;
                for (var k = i; k < end; k++)
                {
                    if (Weak(k))
                    {
                        words++;
                        gazetteer |= Has(k, Lex.First | Lex.Last) || (tokens[k].Flags & Tf.Known) != 0;
                    }
                }

                ref readonly var last = ref tokens[end - 1];
                var lastEnd = last.Start + last.Length;
                var name = false;
                var lastFirst = false;
                if ((last.Flags & Tf.Possessive) == 0 && ParenthesisFollows(lastEnd))
                {
                    name = words >= 2 || gazetteer || (i > 0 && tokens[i - 1].Gap == Gap.Comma && Weak(i - 1));
                    lastFirst = true;
                }
                else if (end < tokens.Length && last.Gap == Gap.Comma && AppositiveAt(end))
                {
                    name = words >= 2 || gazetteer || Strong(i);
                }
                else if (end < tokens.Length && last.Gap == Gap.Space && Has(end, Lex.Verb | Lex.Aux)
                    && ((tokens[end].Flags & Tf.Lower) != 0 || ((tokens[end].Flags & Tf.AllCaps) != 0 && (last.Flags & Tf.AllCaps) != 0)))
                {
                    // "Siobhan Fjeld stated"; after "was", "arrived" only a name the gazetteer or the context knows.
                    name = gazetteer || (words >= 2 && Has(end, Lex.Verb));
                }

                if (name && !PlaceFollows(end))
                {
                    Mark(i, end);
                    if (lastFirst && i > 0 && tokens[i - 1].Gap == Gap.Comma && Weak(i - 1))
                    {
                        Mark(i - 1, i); // "LOPEZ, MARIA (34/H/F)"
                    }
                }

                i = end;
            }
        }

        private readonly bool AppositiveAt(int k)
        {
            // ", a neighbor", ", her friend", ", the driver", ", neighbor"
            if (Has(k, Lex.Role))
            {
                return true;
            }

            return Has(k, Lex.Determiner) && k + 1 < tokens.Length && tokens[k].Gap == Gap.Space
                && (Has(k + 1, Lex.Role) || (k + 2 < tokens.Length && tokens[k + 1].Gap == Gap.Space && Has(k + 2, Lex.Role)));
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void Gazetteer()
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                ref readonly var t = ref tokens[i];
                if (IsName(i) || !Usable(i))
                {
                    continue;
                }

                if ((t.Flags & Tf.Cap) != 0)
                {
                    var first = (t.Lex & (Lex.First | Lex.Common)) == Lex.First;
                    var surnameNext = i + 1 < tokens.Length && t.Gap == Gap.Space && (tokens[i + 1].Flags & Tf.Cap) != 0
                        && (tokens[i + 1].Lex & (Lex.Last | Lex.Common)) == Lex.Last && Usable(i + 1);
                    var lastAlone = (t.Lex & (Lex.Last | Lex.Common)) == Lex.Last;
                    if ((first || surnameNext || lastAlone) && Weak(i))
                    {
                        var end = TakeRun(i, 3, allCapsFree: false);
                        if (end > 0 && !PlaceFollows(end))
                        {
                            Mark(i, end);
                            i = end - 1;
                        }
                    }
                }
                else if ((t.Flags & Tf.Lower) != 0 && (t.Lex & (Lex.First | Lex.Common)) == Lex.First && t.Gap == Gap.Space
                    && i + 1 < tokens.Length && (tokens[i + 1].Flags & Tf.Lower) != 0 && (tokens[i + 1].Lex & (Lex.Last | Lex.Common)) == Lex.Last
                    && Usable(i + 1))
                {
                    Mark(i, i + 2); // "maria lopez" typed in lower case
                    i++;
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void Propagate()
        {
            // Every later (or earlier) occurrence of a surname found once: "Ms. Fjeld" ... "Fjeld's statement".
            Span<int> found = stackalloc int[24];
            var count = 0;
            for (var i = 0; i < tokens.Length && count < found.Length; i++)
            {
                ref readonly var t = ref tokens[i];
                if ((t.Flags & (Tf.Name | Tf.Single)) == Tf.Name && t.Length >= 3
                    && ((t.Lex & Lex.Common) == 0 || (t.Flags & Tf.Known) != 0 || ((t.Lex & (Lex.First | Lex.Last)) != 0 && InLongerName(i))))
                {
                    found[count++] = i; // "Priya Brown" ... "Brown later said": a common word only once seen in a full name
                }
            }

            if (count == 0)
            {
                return;
            }

            for (var i = 0; i < tokens.Length; i++)
            {
                ref var t = ref tokens[i];
                if ((t.Flags & (Tf.Name | Tf.Blocked | Tf.Digit | Tf.Protected | Tf.Single)) != 0)
                {
                    continue;
                }

                if ((t.Flags & Tf.Cap) == 0 && (t.Lex & Lex.Common) != 0)
                {
                    continue;
                }

                for (var k = 0; k < count; k++)
                {
                    ref readonly var f = ref tokens[found[k]];
                    if (f.Hash == t.Hash && f.Length == t.Length
                        && FoldEquals(text.AsSpan(t.Start, t.Length), text.AsSpan(f.Start, f.Length)))
                    {
                        t.Flags |= Tf.Name;
                        break;
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly bool InLongerName(int i) =>
            (i > 0 && (tokens[i - 1].Flags & Tf.Name) != 0 && Continues(tokens[i - 1], false))
            || (i + 1 < tokens.Length && (tokens[i + 1].Flags & Tf.Name) != 0 && Continues(tokens[i], false));

        private readonly void Extend()
        {
            var i = 0;
            while (i < tokens.Length)
            {
                if (!IsName(i))
                {
                    i++;
                    continue;
                }

                var start = i;
                var end = i + 1;
                while (end < tokens.Length && IsName(end) && Continues(tokens[end - 1], false))
                {
                    end++;
                }

                // Right: middle initials, particles, capitalised words, Jr./Sr.
                var added = 0;
                while (end < tokens.Length && added < 2 && Continues(tokens[end - 1], false))
                {
                    if (IsName(end))
                    {
                        end++;
                        continue;
                    }

                    if (Has(end, Lex.Suffix) && Usable(end))
                    {
                        tokens[end].Flags |= Tf.Name;
                        end++;
                        break;
                    }

                    var more = end;
                    if (Initial(more) || (Has(more, Lex.Particle) && Usable(more)))
                    {
                        more++;
                        if (more >= tokens.Length || !Continues(tokens[more - 1], false))
                        {
                            break;
                        }
                    }

                    if (!Extensible(more) || PlaceFollows(more + 1))
                    {
                        break;
                    }

                    Mark(end, more + 1);
                    end = more + 1;
                    added++;
                }

                // Left: one given name or initial before a surname found alone ("Siobhan [Fjeld]").
                if (start > 0 && Continues(tokens[start - 1], false) && !IsName(start - 1))
                {
                    var before = start - 1;
                    if (Initial(before) && (tokens[before].Flags & Tf.Cap) != 0)
                    {
                        Mark(before, start);
                    }
                    else if (Extensible(before))
                    {
                        Mark(before, start);
                    }
                    else if (Has(before, Lex.Particle) && (tokens[before].Flags & (Tf.Blocked | Tf.Protected)) == 0)
                    {
                        Mark(before, start); // "Van [Dyke]"
                        if (before > 0 && Continues(tokens[before - 1], false) && Extensible(before - 1))
                        {
                            Mark(before - 1, before);
                        }
                    }
                }

                i = end;
            }
        }

        private readonly bool Extensible(int k)
        {
            if (k >= tokens.Length || !Weak(k))
            {
                return false;
            }

            return (tokens[k].Flags & Tf.AllCaps) == 0 || (tokens[k].Flags & Tf.Known) != 0 || Has(k, Lex.First | Lex.Last);
        }
    }

    /// <summary>The officers and known private names of one record, matched against the tokens.</summary>
    private readonly ref struct NameContext
    {
        private readonly string text;
        private readonly Scratch s;

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public NameContext(string text, ScrubContext context, Scratch s)
        {
            this.text = text;
            this.s = s;
            var officers = context.OfficerNames ?? [];
            var known = context.KnownPrivateNames ?? [];
            // People are told apart by a bit of a 32-bit mask; past 32 they share bits, which only merges their parts.
            for (var k = 0; k < officers.Count; k++)
            {
                AddName(officers[k], k & 31, officer: true);
            }

            for (var k = 0; k < known.Count; k++)
            {
                AddName(known[k], k & 31, officer: false);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void AddName(string? name, int owner, bool officer)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                return;
            }

            var comma = name.IndexOf(',', StringComparison.Ordinal);
            var first = s.CtxCount;
            var i = 0;
            while (i < name.Length)
            {
                if (!char.IsLetter(name[i]))
                {
                    i++;
                    continue;
                }

                var start = i;
                var hyphen = false;
                while (i < name.Length && (char.IsLetter(name[i]) || char.GetUnicodeCategory(name[i]) is UnicodeCategory.NonSpacingMark
                    || (name[i] is '\'' or '’' or '-' && i + 1 < name.Length && char.IsLetter(name[i + 1]))))
                {
                    hyphen |= name[i] == '-';
                    i++;
                }

                var role = comma >= 0 ? (start < comma ? CtxRole.Surname : CtxRole.Given) : CtxRole.Surname;
                if (i - start == 1)
                {
                    role = CtxRole.Initial;
                }

                s.AddCtx(new CtxToken(name, start, i - start, owner, officer, role, hyphen) { Hash = FoldedHash(name.AsSpan(start, i - start)) });
            }

            // Without a comma the first word is the given name and the rest the surname (middle names protected too).
            if (comma < 0)
            {
                var words = 0;
                for (var k = first; k < s.CtxCount; k++)
                {
                    if (s.Ctx[k].Role != CtxRole.Initial)
                    {
                        words++;
                    }
                }

                if (words >= 2)
                {
                    for (var k = first; k < s.CtxCount; k++)
                    {
                        if (s.Ctx[k].Role != CtxRole.Initial)
                        {
                            s.Ctx[k] = s.Ctx[k] with { Role = CtxRole.Given };
                            break;
                        }
                    }
                }
            }
            else
            {
                // "SMITH, JOHN Q": only the first word after the comma is the given name; the rest are middle names.
                var seenGiven = false;
                for (var k = first; k < s.CtxCount; k++)
                {
                    if (s.Ctx[k].Role == CtxRole.Given)
                    {
                        if (seenGiven && officer)
                        {
                            s.Ctx[k] = s.Ctx[k] with { Role = CtxRole.Surname };
                        }

                        seenGiven = true;
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void MatchContext(Span<Token> tokens)
        {
            if (s.CtxCount == 0)
            {
                return;
            }

            var ctx = s.Ctx.AsSpan(0, s.CtxCount);

            // A cheap filter: a 64-bit Bloom filter of the context words' hashes. Hyphenated words on either side take
            // the slow path, as do initials (matched on their letter).
            ulong bloom = 0;
            var slow = false;
            foreach (ref readonly var c in ctx)
            {
                bloom |= 1UL << (int)(c.Hash & 63);
                slow |= c.Hyphen;
            }

            for (var i = 0; i < tokens.Length; i++)
            {
                ref var t = ref tokens[i];
                if ((t.Flags & (Tf.Digit | Tf.Blocked)) != 0)
                {
                    continue;
                }

                if (!slow && (t.Flags & (Tf.Hyphen | Tf.Single)) == 0 && (bloom & (1UL << (int)(t.Hash & 63))) == 0)
                {
                    continue;
                }

                var word = text.AsSpan(t.Start, t.Length);
                foreach (ref readonly var c in ctx)
                {
                    if (c.Role == CtxRole.Initial)
                    {
                        if ((t.Flags & Tf.Single) != 0 && Fold(word[0]) == Fold(c.Source[c.Start]))
                        {
                            if (c.Officer)
                            {
                                t.OfficerInitial |= 1u << c.Owner;
                            }
                            else
                            {
                                t.KnownInitial |= 1u << c.Owner;
                            }
                        }

                        continue;
                    }

                    if (c.Hash != t.Hash && !c.Hyphen && (t.Flags & Tf.Hyphen) == 0)
                    {
                        continue;
                    }

                    if (!NameMatches(word, (t.Flags & Tf.Hyphen) != 0, c))
                    {
                        continue;
                    }

                    if (!c.Officer)
                    {
                        t.KnownMask |= 1u << c.Owner;
                    }
                    else if (c.Role == CtxRole.Surname)
                    {
                        t.OfficerSurname |= 1u << c.Owner;
                    }
                    else
                    {
                        t.OfficerGiven |= 1u << c.Owner;
                    }
                }
            }

            // Given-name initials of officers: "J." before "Smith".
            for (var i = 0; i < tokens.Length; i++)
            {
                ref var t = ref tokens[i];
                if ((t.Flags & Tf.Single) != 0 && (t.Flags & Tf.Cap) != 0)
                {
                    foreach (ref readonly var c in ctx)
                    {
                        if (c.Officer && c.Role == CtxRole.Given && Fold(text[t.Start]) == Fold(c.Source[c.Start]))
                        {
                            t.OfficerInitial |= 1u << c.Owner;
                        }
                    }
                }
            }

            for (var i = 0; i < tokens.Length; i++)
            {
                ref var t = ref tokens[i];
                if (t.KnownMask == 0)
                {
                    continue;
                }

                // A known name that is also a common word ("young", "white") counts in lower case only next to another
                // part, and a particle ("St", "Van", "de") only ever next to another part.
                if (((t.Flags & Tf.Cap) == 0 && (t.Lex & Lex.Common) != 0) || (t.Lex & Lex.Particle) != 0)
                {
                    var neighbour = (i > 0 && tokens[i - 1].KnownMask != 0 && Continues(tokens[i - 1], true))
                        || (i + 1 < tokens.Length && tokens[i + 1].KnownMask != 0 && Continues(t, true));
                    if (!neighbour)
                    {
                        t.KnownMask = 0;
                        continue;
                    }
                }

                t.Flags |= Tf.Known | Tf.Name;
            }

            // Officer protection.
            for (var i = 0; i < tokens.Length; i++)
            {
                ref var t = ref tokens[i];
                if (t.OfficerSurname != 0)
                {
                    t.Flags |= Tf.Protected;
                    continue;
                }

                if (t.OfficerGiven != 0)
                {
                    t.Flags |= Tf.OfficerGiven;
                    var next = NextWord(tokens, i);
                    if (next >= 0 && (tokens[next].OfficerSurname & t.OfficerGiven) != 0)
                    {
                        t.Flags |= Tf.Protected;
                    }
                    else if (i > 0 && tokens[i - 1].Gap == Gap.Comma && (tokens[i - 1].OfficerSurname & t.OfficerGiven) != 0)
                    {
                        t.Flags |= Tf.Protected; // "SMITH, JOHN"
                    }
                }

                if (t.OfficerInitial != 0 && (t.Flags & Tf.Single) != 0)
                {
                    var next = NextWord(tokens, i);
                    if (next >= 0 && (tokens[next].OfficerSurname & t.OfficerInitial) != 0)
                    {
                        t.Flags |= Tf.Protected;
                    }
                }
            }

            // Full known names: consecutive tokens of one person, two words or more.
            var run = 0;
            while (run < tokens.Length)
            {
                if ((tokens[run].Flags & Tf.Known) == 0)
                {
                    run++;
                    continue;
                }

                var mask = tokens[run].KnownMask;
                var officerMask = tokens[run].OfficerSurname | tokens[run].OfficerGiven;
                var end = run + 1;
                var words = 1;
                while (end < tokens.Length && Continues(tokens[end - 1], true))
                {
                    ref readonly var n = ref tokens[end];
                    if ((n.Flags & Tf.Known) != 0 && (n.KnownMask & mask) != 0)
                    {
                        mask &= n.KnownMask;
                        officerMask &= n.OfficerSurname | n.OfficerGiven;
                        words++;
                        end++;
                    }
                    else if ((n.Flags & Tf.Single) != 0 && (n.KnownInitial & mask) != 0 && end + 1 < tokens.Length && Continues(n, false))
                    {
                        end++;
                    }
                    else
                    {
                        break;
                    }
                }

                if (words >= 2 && officerMask == 0)
                {
                    for (var k = run; k < end; k++)
                    {
                        tokens[k].Flags |= Tf.KnownFull;
                        if ((tokens[k].Flags & Tf.Single) != 0)
                        {
                            tokens[k].Flags |= Tf.Name;
                        }
                    }
                }

                run = end;
            }

            // The override: tokens of a full known name are the civilian's even when an officer shares one part.
            for (var i = 0; i < tokens.Length; i++)
            {
                ref var t = ref tokens[i];
                if ((t.Flags & (Tf.KnownFull | Tf.Protected)) == (Tf.KnownFull | Tf.Protected))
                {
                    t.Flags &= ~Tf.Protected;
                    t.Flags |= Tf.Name;
                }
            }
        }

        private static int NextWord(Span<Token> tokens, int i)
        {
            var k = i;
            while (k + 1 < tokens.Length && Continues(tokens[k], false))
            {
                k++;
                if ((tokens[k].Flags & Tf.Single) == 0)
                {
                    return k;
                }
            }

            return -1;
        }

        /// <summary>Applies officer protection to what the rules marked.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Resolve(Span<Token> tokens)
        {
            // Officers whose given name the context gives: only for them can "Eric Kueng" be told from "Todd Kueng" (a
            // surname-only entry next to a full one, as "Kueng" beside "Todd Kueng", adds nothing either way).
            uint withGiven = 0;
            foreach (ref readonly var c in s.Ctx.AsSpan(0, s.CtxCount))
            {
                if (c.Officer && c.Role == CtxRole.Given)
                {
                    withGiven |= 1u << c.Owner;
                }
            }

            for (var i = 0; i < tokens.Length; i++)
            {
                ref var t = ref tokens[i];
                if ((t.Flags & Tf.Protected) == 0)
                {
                    continue;
                }

                // A civilian who shares an officer's surname: "Eric Kueng, a neighbor" when the officer is Todd Kueng.
                // The word before is a given name some rule found, no officer's given name, and no rank or title
                // precedes it ("Officer Eric Kueng" stays: possibly another officer of that name).
                if ((t.OfficerSurname & withGiven) != 0 && i > 0 && tokens[i - 1].Gap == Gap.Space
                    && (tokens[i - 1].Flags & (Tf.Name | Tf.Single | Tf.Protected | Tf.OfficerGiven)) == Tf.Name
                    && !(i >= 2 && Continues(tokens[i - 2], false) && (tokens[i - 2].Lex & Lex.Rank) != 0))
                {
                    t.Flags &= ~Tf.Protected;
                    t.Flags |= Tf.Name;
                    continue;
                }

                t.Flags &= ~Tf.Name;
            }

            // An officer's given name on its own, or with only initials, is the officer's.
            var run = 0;
            while (run < tokens.Length)
            {
                if ((tokens[run].Flags & Tf.Name) == 0)
                {
                    run++;
                    continue;
                }

                var end = run + 1;
                while (end < tokens.Length && (tokens[end].Flags & Tf.Name) != 0 && Continues(tokens[end - 1], false))
                {
                    end++;
                }

                var officerOnly = true;
                var anyGiven = false;
                for (var k = run; k < end; k++)
                {
                    var f = tokens[k].Flags;
                    if ((f & Tf.OfficerGiven) != 0 && (f & Tf.KnownFull) == 0)
                    {
                        anyGiven = true;
                    }
                    else if ((f & Tf.Single) == 0)
                    {
                        officerOnly = false;
                    }
                }

                if (officerOnly && anyGiven)
                {
                    for (var k = run; k < end; k++)
                    {
                        tokens[k].Flags &= ~Tf.Name;
                    }
                }

                run = end;
            }
        }

        private bool NameMatches(ReadOnlySpan<char> word, bool wordHyphen, in CtxToken c)
        {
            var other = c.Source.AsSpan(c.Start, c.Length);
            if (word.Length == other.Length && FoldEquals(word, other))
            {
                return true;
            }

            if (c.Hyphen && word.Length < other.Length)
            {
                foreach (var range in other.Split('-'))
                {
                    if (FoldEquals(word, other[range]))
                    {
                        return true;
                    }
                }
            }

            if (wordHyphen && other.Length < word.Length)
            {
                foreach (var range in word.Split('-'))
                {
                    if (FoldEquals(word[range], other))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Output

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ScrubResult Build(string text, Scratch s, List<PiiSpan>? found)
    {
        var patterns = s.Patterns.AsSpan(0, s.PatternCount);
        var names = s.Names.AsSpan(0, s.NameCount);
        if (patterns.Length + names.Length == 0)
        {
            return new ScrubResult(text, default);
        }

        var all = s.Merged(patterns, names);
        var counts = default(PiiCounts);
        var length = text.Length;
        foreach (ref readonly var span in all)
        {
            counts = counts.Increment(span.Kind);
            length += Placeholder(span.Kind).Length - span.Length;
            found?.Add(span);
        }

        var result = string.Create(length, (text, s), static (destination, state) =>
        {
            var (source, sc) = state;
            var merged = sc.MergedSpans.AsSpan(0, sc.MergedCount);
            var at = 0;
            var written = 0;
            foreach (ref readonly var span in merged)
            {
                source.AsSpan(at, span.Start - at).CopyTo(destination[written..]);
                written += span.Start - at;
                var placeholder = Placeholder(span.Kind);
                placeholder.CopyTo(destination[written..]);
                written += placeholder.Length;
                at = span.End;
            }

            source.AsSpan(at).CopyTo(destination[written..]);
        });
        return new ScrubResult(result, counts);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Working memory (one per thread, reused)

    [ThreadStatic]
    private static Scratch? scratch;

    private sealed class Scratch
    {
        public PiiSpan[] Patterns = new PiiSpan[16];
        public int PatternCount;
        public PiiSpan[] Names = new PiiSpan[16];
        public int NameCount;
        public PiiSpan[] MergedSpans = new PiiSpan[32];
        public int MergedCount;
        public Token[] Tokens = new Token[256];
        public int TokenCount;
        public CtxToken[] Ctx = new CtxToken[16];
        public int CtxCount;

        public void Reset()
        {
            if (Tokens.Length > 8192)
            {
                Tokens = new Token[256]; // one huge narrative does not pin its working memory to the thread
            }

            PatternCount = 0;
            NameCount = 0;
            MergedCount = 0;
            TokenCount = 0;
            Array.Clear(Ctx, 0, CtxCount);
            CtxCount = 0;
        }

        /// <summary>Adds a pattern span unless it overlaps one found earlier (earlier recognisers win).</summary>
        public void AddPattern(int start, int length, PiiKind kind)
        {
            if (length <= 0)
            {
                return;
            }

            var end = start + length;
            for (var k = 0; k < PatternCount; k++)
            {
                if (Patterns[k].Start < end && start < Patterns[k].End)
                {
                    return;
                }
            }

            if (PatternCount == Patterns.Length)
            {
                Array.Resize(ref Patterns, Patterns.Length * 2);
            }

            Patterns[PatternCount++] = new PiiSpan(start, length, kind);
        }

        public void SortPatterns()
        {
            // Insertion sort: a handful of spans.
            for (var i = 1; i < PatternCount; i++)
            {
                var x = Patterns[i];
                var j = i - 1;
                while (j >= 0 && Patterns[j].Start > x.Start)
                {
                    Patterns[j + 1] = Patterns[j];
                    j--;
                }

                Patterns[j + 1] = x;
            }
        }

        public void AddName(int start, int length)
        {
            if (NameCount == Names.Length)
            {
                Array.Resize(ref Names, Names.Length * 2);
            }

            Names[NameCount++] = new PiiSpan(start, length, PiiKind.Name);
        }

        public void AddToken(Token token)
        {
            if (TokenCount == Tokens.Length)
            {
                Array.Resize(ref Tokens, Tokens.Length * 2);
            }

            Tokens[TokenCount++] = token;
        }

        public void AddCtx(CtxToken token)
        {
            if (CtxCount == Ctx.Length)
            {
                Array.Resize(ref Ctx, Ctx.Length * 2);
            }

            Ctx[CtxCount++] = token;
        }

        public ReadOnlySpan<PiiSpan> Merged(ReadOnlySpan<PiiSpan> a, ReadOnlySpan<PiiSpan> b)
        {
            if (MergedSpans.Length < a.Length + b.Length)
            {
                MergedSpans = new PiiSpan[(a.Length + b.Length) * 2];
            }

            int i = 0, j = 0, n = 0;
            while (i < a.Length || j < b.Length)
            {
                MergedSpans[n++] = j >= b.Length || (i < a.Length && a[i].Start <= b[j].Start) ? a[i++] : b[j++];
            }

            MergedCount = n;
            return MergedSpans.AsSpan(0, n);
        }
    }

    private enum Gap : byte
    {
        Other,
        Space,
        Dot,
        Comma,
    }

    [Flags]
    private enum Tf : uint
    {
        None = 0,
        Cap = 1,
        HasLower = 1 << 1,
        AllCaps = 1 << 2,
        Single = 1 << 3,
        DotAfter = 1 << 4,
        Digit = 1 << 5,
        Possessive = 1 << 6,
        Blocked = 1 << 7,
        Lower = 1 << 8,
        Hyphen = 1 << 9,
        Slow = 1 << 15,
        Name = 1 << 10,
        Protected = 1 << 11,
        OfficerGiven = 1 << 12,
        KnownFull = 1 << 13,
        Known = 1 << 14,
    }

    private struct Token
    {
        public int Start;
        public int Length;

        /// <summary>FNV-1a of the folded word (0 for digits and overlong words): compared before any character.</summary>
        public uint Hash;
        public Tf Flags;
        public Lex Lex;
        public Gap Gap;
        public uint KnownMask;
        public uint KnownInitial;
        public uint OfficerSurname;
        public uint OfficerGiven;
        public uint OfficerInitial;
    }

    private enum CtxRole : byte
    {
        Given,
        Surname,
        Initial,
    }

    private readonly record struct CtxToken(string Source, int Start, int Length, int Owner, bool Officer, CtxRole Role, bool Hyphen)
    {
        /// <summary>The hash of the folded word, as <see cref="Token.Hash"/>.</summary>
        public uint Hash { get; init; }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Lexicon

    [Flags]
    private enum Lex : ushort
    {
        None = 0,
        First = 1,
        Last = 1 << 1,
        Common = 1 << 2,
        Title = 1 << 3,
        Rank = 1 << 4,
        Cue = 1 << 5,
        Verb = 1 << 6,
        Street = 1 << 7,
        Particle = 1 << 8,
        Suffix = 1 << 9,
        Role = 1 << 10,
        Determiner = 1 << 11,
        Connector = 1 << 12,
        Aux = 1 << 13,
    }

    /// <summary>Accent- and case-folding table for U+0000..U+024F (Latin-1 and Latin Extended-A/B).</summary>
    private static readonly char[] FoldTable = BuildFoldTable();

    private static char[] BuildFoldTable()
    {
        var table = new char[0x250];
        for (var i = 0; i < table.Length; i++)
        {
            var c = (char)i;
            var decomposed = char.IsSurrogate(c) ? c.ToString() : c.ToString().Normalize(NormalizationForm.FormD);
            table[i] = char.ToLowerInvariant(decomposed.Length > 0 ? decomposed[0] : c);
        }

        table['ø'] = 'o';
        table['Ø'] = 'o';
        table['đ'] = 'd';
        table['Đ'] = 'd';
        table['ł'] = 'l';
        table['Ł'] = 'l';
        table['ß'] = 's';
        table['æ'] = 'a';
        table['Æ'] = 'a';
        return table;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static char Fold(char c) => c < 0x250 ? FoldTable[c] : c == '’' ? '\'' : char.ToLowerInvariant(c);

    private static bool FoldEquals(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i] && Fold(a[i]) != Fold(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static Lex Classify(ReadOnlySpan<char> word, Span<char> buffer, out uint hash)
    {
        if (word.Length > buffer.Length)
        {
            hash = 0;
            return Lex.None;
        }

        var folded = buffer[..word.Length];
        var apostrophes = false;
        hash = HashSeed;
        for (var i = 0; i < word.Length; i++)
        {
            var f = Fold(word[i]);
            folded[i] = f;
            apostrophes |= f == '\'';
            hash = (hash ^ f) * HashPrime;
        }

        if (Lexicon.TryGet(folded, hash, out var lex))
        {
            return lex;
        }

        if (apostrophes)
        {
            // "O'Brien" is listed as "obrien".
            var n = 0;
            for (var i = 0; i < folded.Length; i++)
            {
                if (folded[i] != '\'')
                {
                    folded[n++] = folded[i];
                }
            }

            if (Lexicon.TryGet(folded[..n], Hash(folded[..n]), out lex))
            {
                return lex;
            }
        }

        if (folded.Contains('-'))
        {
            // Hyphenated: the union of its parts; common only when every part is.
            var union = Lex.None;
            var allCommon = true;
            foreach (var range in ((ReadOnlySpan<char>)folded).Split('-'))
            {
                var part = folded[range];
                var partLex = part.Length > 0 && Lexicon.TryGet(part, Hash(part), out var l) ? l : Lex.None;
                allCommon &= (partLex & Lex.Common) != 0;
                union |= partLex & (Lex.First | Lex.Last);
            }

            return allCommon ? Lex.Common : union;
        }

        return Lex.None;
    }

    private const uint HashSeed = 2166136261;
    private const uint HashPrime = 16777619;

    private static uint FoldedHash(ReadOnlySpan<char> word)
    {
        var hash = HashSeed;
        foreach (var c in word)
        {
            if (CharClass(c) != CharKind.Mark)
            {
                hash = (hash ^ Fold(c)) * HashPrime; // as Tokenize hashes: combining marks left out
            }
        }

        return hash;
    }

    private static uint Hash(ReadOnlySpan<char> folded)
    {
        var hash = HashSeed;
        foreach (var c in folded)
        {
            hash = (hash ^ c) * HashPrime;
        }

        return hash;
    }

    private static readonly LexTable Lexicon = new(BuildLexicon());

    /// <summary>Open addressing over folded words; the hash is computed while folding, so a lookup is one probe or two.</summary>
    private sealed class LexTable
    {
        private readonly string[] keys;
        private readonly Lex[] values;
        private readonly int mask;

        public LexTable(Dictionary<string, Lex> words)
        {
            var size = 1;
            while (size < words.Count * 4)
            {
                size <<= 1;
            }

            keys = new string[size];
            values = new Lex[size];
            mask = size - 1;
            foreach (var (word, lex) in words)
            {
                var slot = (int)(Hash(word) & (uint)mask);
                while (keys[slot] is not null)
                {
                    slot = (slot + 1) & mask;
                }

                keys[slot] = word;
                values[slot] = lex;
            }
        }

        /// <summary>As <see cref="TryGet"/>, folding <paramref name="word"/> while comparing.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryGetWord(ReadOnlySpan<char> word, uint hash, out Lex lex)
        {
            var slot = (int)(hash & (uint)mask);
            while (keys[slot] is { } key)
            {
                if (key.Length == word.Length && FoldedEquals(key, word))
                {
                    lex = values[slot];
                    return true;
                }

                slot = (slot + 1) & mask;
            }

            lex = Lex.None;
            return false;
        }

        private static bool FoldedEquals(string folded, ReadOnlySpan<char> word)
        {
            for (var i = 0; i < word.Length; i++)
            {
                if (folded[i] != Fold(word[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public bool TryGet(ReadOnlySpan<char> folded, uint hash, out Lex lex)
        {
            var slot = (int)(hash & (uint)mask);
            while (keys[slot] is { } key)
            {
                if (key.AsSpan().SequenceEqual(folded))
                {
                    lex = values[slot];
                    return true;
                }

                slot = (slot + 1) & mask;
            }

            lex = Lex.None;
            return false;
        }
    }

    private static Dictionary<string, Lex> BuildLexicon()
    {
        var lexicon = new Dictionary<string, Lex>(StringComparer.Ordinal);
        void Add(string words, Lex lex)
        {
            foreach (var w in words.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                lexicon[w] = lexicon.GetValueOrDefault(w) | lex;
            }
        }

        Add(FirstNames, Lex.First);
        Add(Surnames, Lex.Last);
        Add(CommonWords, Lex.Common);
        Add(Titles, Lex.Title | Lex.Common);
        Add(Ranks, Lex.Rank | Lex.Common);
        Add(Cues, Lex.Cue | Lex.Common);
        Add(Roles, Lex.Role | Lex.Common);
        Add(Verbs, Lex.Verb | Lex.Common);
        Add(Auxiliaries, Lex.Aux | Lex.Common);
        Add(StreetWords, Lex.Street | Lex.Common);
        Add(Particles, Lex.Particle);
        Add(Suffixes, Lex.Suffix);
        Add("a an the his her their my our its this that", Lex.Determiner | Lex.Common);
        Add("named", Lex.Cue | Lex.Common);
        Add("as", Lex.Connector | Lex.Common);
        return lexicon;
    }

    private const string Titles = "mr mrs ms miss mx dr mister madam mstr";

    private const string Ranks =
        "officer ofc ofcr po sgt sergeant lt lieutenant cmdr commander capt captain det detective inv "
        + "investigator insp inspector deputy chief trooper agent sheriff cpl corporal patrolman dep asst";

    private const string Cues =
        "witness witnesses complainant complainants victim victims caller rp cp suspect juvenile arrestee driver passenger "
        + "bystander girlfriend boyfriend wife husband son daughter mother father brother sister cousin friend roommate landlord "
        + "tenant resident relative neighbor neighbour grandmother grandfather aunt uncle nephew niece stepfather stepmother fiance "
        + "fiancee identified ex";

    private const string Roles =
        "neighbor neighbour witness friend bystander passenger driver resident relative coworker roommate cousin sister brother "
        + "mother father son daughter wife husband girlfriend boyfriend partner employee manager owner clerk tenant landlord student "
        + "teacher nurse acquaintance victim complainant caller aunt uncle grandmother grandfather niece nephew";

    private const string Verbs =
        "stated said says states reported reports told tells alleged alleges claimed claims explained explains advised added "
        + "recorded records called calls witnessed confirmed confirms corroborated corroborates denied denies admitted admits wrote "
        + "writes described describes indicated indicates asked asks saw sees heard observed noticed filed complained declined "
        + "refused agreed yelled screamed provided gave identified remembered recalled believed believes felt feels spoke speaks "
        + "submitted disputed";

    /// <summary>Verbs that follow organisations as readily as people: after them a name needs the gazetteer or the context.</summary>
    private const string Auxiliaries =
        "was is were had has did came went returned arrived left walked ran approached contacted";

    private const string StreetWords =
        "ave avenue st street blvd boulevard rd road dr drive ln lane pkwy parkway way ct court pl place terrace cir circle trail "
        + "hwy highway mall county park lake river creek bridge center centre hospital clinic school university college church "
        + "mosque temple station precinct library market plaza square hall building apartments tower towers store avenue "
        + "freeway expressway island falls bluff heights village bank atm health healthcare memorial school middle elementary "
        + "high academy inn hotel motel foods pharmacy shelter casino arena stadium fargo";

    private const string Particles = "van von de del della la le da di du der den st ter bin ibn al el dos das";

    private const string Suffixes = "jr sr ii iii iv";

    private const string CommonWords =
        // Function words and pronouns.
        "a an the and or but if then than when while after before during since until because although though as at by for "
        + "from in into of on onto off out over under with without within about above across against along among around behind "
        + "below beneath beside between beyond inside near outside through throughout toward towards upon via per he she they it we "
        + "i you him her them us me his hers their theirs its our ours my mine your this that these those there here who whom whose "
        + "which what where why how all any both each either neither every some many much more most other another such no not nor "
        + "only own same so too very just also still yet again once already later soon now today yesterday tomorrow tonight "
        + "morning afternoon evening night day week month year hour minute is was were be been being are am has have had do does "
        + "did will would shall should can could may might must yes ok okay please thank thanks sir maam however therefore "
        + "meanwhile earlier finally eventually additionally furthermore initially subsequently afterwards according regarding "
        + "reportedly allegedly approximately following prior instead both neither nobody somebody someone anyone everyone "
        + "nothing something anything everything none unknown unk na nil dob ssn phone email tel cell call officers sergeants "
        + "lieutenants investigators deputies took canvassed shoved pushed grabbed hit kicked punched struck stopped searched "
        + "arrested cuffed handcuffed released booked transported drove ran walked laughed yelled swore cursed threatened "
        // Police, courts, places, organisations.
        + "police department dept mpd opcr iau cra bwc cad hcmc jail court judge county city state minnesota minneapolis hennepin "
        + "saint paul internal affairs unit division squad car vehicle van truck suv dispatch dispatcher supervisor investigation "
        + "report complaint complaints allegation allegations case policy procedure manual video camera body worn footage audio "
        + "taser mace spray handcuffs gun weapon firearm arrest arrested citation ticket warrant probable cause search consent "
        + "stop traffic incident incidents summary narrative details detail statement statements finding findings sustained "
        + "exonerated unfounded discipline suspension coaching mediation dismissed referred pending closed open intake interview "
        + "interviews evidence notes note update updated review reviewed services advocate advocates protection order ofp "
        + "emergency room er ems fire ambulance medical target walmart cub foods transit metro light rail bus line blue green red "
        + "orange involved safety training academy field sergeant office civil rights commission board panel hearing appeal "
        + "federal fbi bca doj sheriffs patrol team swat narcotics homicide juvenile traffic downtown uptown northside southside "
        + "precinct precincts command attorney attorneys prosecutor staff council mayor agency "
        // People, demographics, languages, directions, dates.
        + "male female man woman men women boy girl child children kid kids adult adults teen teenager black white hispanic "
        + "latino latina asian native american african indian somali hmong english spanish oromo vietnamese karen arabic "
        + "race sex age gender north south east west northeast northwest southeast southwest n s e w ne nw se sw "
        + "monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september "
        + "october november december jan feb mar apr jun jul aug sep sept oct nov dec am pm hrs hours "
        + "first second third fourth fifth one three four five six seven eight nine ten several twice "
        // Common words that are also names.
        + "will mark grant hope joy faith rose dawn art bill frank guy rich dean chase lane angel young brown gray grey king hill "
        + "long love price rice bell page wood woods stone hall park ward rivers cross bush sharp strong swift case short small "
        + "little major early best gold silver cook baker hunter fisher miller"
        + " christian summer winter autumn sunny star sky river storm august";

    private const string FirstNames =
        // US, English-language.
        "james john robert michael william david richard joseph thomas charles christopher daniel matthew anthony donald steven "
        + "paul andrew joshua kenneth kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric "
        + "jonathan stephen larry justin scott brandon benjamin samuel gregory alexander patrick jack dennis jerry tyler aaron "
        + "henry douglas peter adam nathan zachary walter kyle harold carl jeremy keith roger gerald ethan arthur terry sean "
        + "lawrence joe noah jesse albert bryan billy bruce willie jordan dylan alan ralph gabriel roy wayne eugene logan randy "
        + "louis russell vincent philip bobby johnny bradley shawn travis curtis derek tony marcus darnell terrell deshawn andre "
        + "jamal malik tyrone jermaine lamar darius cedric reginald dwayne devon trevon kareem rashad antoine demetrius "
        + "terrance maurice rodney corey jerome leon calvin melvin clarence tommy jimmy danny ricky mike chris matt dave steve "
        + "tom jim bob rob nick dan ben sam tim josh greg jeff ron ray don ken ed ted fred earl lee "
        + "mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley "
        + "kimberly emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon laura cynthia kathleen amy "
        + "angela shirley anna brenda pamela emma nicole helen samantha katherine christine debra rachel carolyn janet catherine "
        + "maria heather diane ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith megan andrea "
        + "cheryl hannah jacqueline martha gloria teresa ann sara frances kathryn janice jean abigail alice judy sophia denise "
        + "beverly marilyn danielle theresa diana brittany natalie isabella charlotte doris kayla alexis lori tiffany crystal "
        + "keisha latoya tamika aaliyah shanice ebony imani jasmine monique tanisha latasha destiny tasha shaniqua jada nia "
        + "kiara tamara renee yolanda felicia wanda tonya regina valerie sheila jenny jen katie kate beth liz sue pam deb "
        + "becky cindy sandy tina wendy anne "
        // Hispanic.
        + "jose luis carlos jesus miguel juan antonio francisco alejandro manuel pedro javier fernando ricardo rafael eduardo "
        + "sergio jorge roberto raul hector oscar mario alberto enrique armando ramon julio cesar guillermo diego andres pablo "
        + "lucia sofia ana guadalupe rosa carmen juana josefina alejandra veronica gabriela adriana leticia yesenia marisol "
        + "esperanza araceli elena isabel beatriz claudia mariana paola daniela valeria ximena lupita "
        // Somali, East African, Arabic.
        + "mohamed mohamud mohammed muhammad ahmed ahmad abdi abdullahi abdirahman abdirizak abdikadir abdiweli hassan hussein "
        + "ali omar yusuf ibrahim ismail osman farah bashir mukhtar liban hamza khalid mustafa adan ayub hamse guled "
        + "fatima fatuma hodan amina fadumo halima hawa asha sahra sagal ifrah ayan deqa maryan nasra ubah najma khadija hibaaq "
        + "ilhan zamzam muna ladan anab zainab aisha layla yasmin noor samira "
        // Hmong, Vietnamese, Lao.
        + "tou pheng kou fue chue neng nhia koua xeng blia meng cheng pao yeng vue tong "
        + "mai zoua xee chia nou kia youa lia kazoua mainhia yer pa see "
        + "minh thanh tuan hung duc quang lan linh hoa thuy huong ngoc trang "
        // Scandinavian, German, other.
        + "bjorn soren lars sven nils erik anders ingrid astrid greta francois rene jurgen zoe chloe ines noemie anais";

    private const string Surnames =
        "smith johnson williams brown jones miller davis wilson anderson taylor thomas moore martin jackson thompson white harris "
        + "clark lewis robinson walker young allen king wright hill scott green adams baker nelson carter mitchell roberts turner "
        + "phillips campbell parker evans edwards collins stewart morris murphy cook rogers morgan peterson cooper reed bailey bell "
        + "kelly howard ward cox richardson wood watson brooks bennett gray james hughes price sanders myers long ross foster "
        + "powell jenkins perry russell sullivan fisher henderson coleman simmons patterson jordan reynolds hamilton graham "
        + "wallace west cole hayes bryant gibson ellis stevens murray ford marshall owens harrison fernandez mcdonald woods "
        + "washington kennedy wells hunt black daniels palmer mills grant knight ferguson rose stone hawkins dunn perkins hudson "
        + "spencer gardner stephens payne pierce berry matthews arnold wagner willis ray watkins olson carroll duncan snyder hart "
        + "cunningham bradley lane andrews harper fox riley armstrong carpenter weaver greene lawrence elliott sims austin "
        + "franklin lawson fields ryan schmidt carr castillo banks booker mosley jefferson obrien oconnor mccarthy kowalski novak "
        + "nowak wisniewski"
        // Minnesota Scandinavian and German.
        + " carlson larson hanson swanson gustafson lindquist berg lund holm eriksen erickson bergstrom sandberg nygaard "
        + "halvorson thorson solberg hagen dahl johnston lindstrom nordstrom engstrom sundberg anderberg schroeder mueller muller "
        + "hoffman schultz becker koch olsen jensen christensen pedersen nielsen"
        // Hispanic.
        + " garcia rodriguez martinez hernandez lopez gonzalez perez sanchez ramirez torres flores rivera gomez diaz reyes "
        + "morales cruz ortiz gutierrez chavez ramos ruiz alvarez mendoza jimenez vasquez moreno herrera medina aguilar vargas "
        + "guzman castro sandoval delgado pena munoz nunez ibanez quinones espinoza salazar romero soto contreras dominguez "
        + "estrada figueroa navarro rojas silva"
        // Somali and East African.
        + " mohamed mohamud ahmed abdi ali hassan hussein farah warsame jama omar yusuf ibrahim osman aden adan egal dahir duale "
        + "elmi hirsi isse nur noor abdullahi abdulle guled ismail"
        // Hmong, Vietnamese, Lao.
        + " vang xiong yang thao her lee moua lor lo chang vue khang kue hang yang cha chue "
        + "nguyen tran le pham hoang phan vu dang bui do ho ngo duong ly truong";
}
