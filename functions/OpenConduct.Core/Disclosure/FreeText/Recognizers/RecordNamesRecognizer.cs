using System.Globalization;
using System.Runtime.CompilerServices;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// The people the record names, matched against the tokens: the officers on the record (protected wherever a word of
/// their name occurs: a surname anywhere, a given name or initial next to the surname, initials alone as some cities
/// publish officers, "XK" or "X.K.") and the private persons the export lists (complainants: every word of their
/// names marked, in any order and case). A civilian who shares an officer's surname is told apart only by a full
/// known name or a different given name (<see cref="Resolve"/>, run by the decision step after the name rules).
/// </summary>
internal sealed class RecordNamesRecognizer : IFreeTextRecognizer
{
    public string Name => "record-names";

    public RecognizerStage Stage => RecognizerStage.Token;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Analyze(FreeTextDocument doc)
    {
        var officers = doc.Context.OfficerNames ?? [];
        var known = doc.Context.KnownPrivateNames ?? [];

        // People are told apart by a bit of a 32-bit mask; past 32 they share bits, which only merges their parts.
        for (var k = 0; k < officers.Count; k++)
        {
            if (!AddInitials(doc, officers[k], k & 31))
            {
                AddName(doc, officers[k], k & 31, officer: true);
            }
        }

        for (var k = 0; k < known.Count; k++)
        {
            AddName(doc, known[k], k & 31, officer: false);
        }

        var tokens = doc.TokenSpan;
        MatchContext(doc, tokens);
        ProtectInitials(doc, tokens);
    }

    /// <summary>An officer known by initials only ("XK", "X.K.", "X. K."): one to three capital letters.</summary>
    private static bool AddInitials(FreeTextDocument doc, string? name, int owner)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return false;
        }

        Span<char> letters = stackalloc char[3];
        var n = 0;
        foreach (var c in name)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                if (n == 3)
                {
                    return false;
                }

                letters[n++] = c;
            }
            else if (c is not ('.' or ' '))
            {
                return false;
            }
        }

        if (n == 0)
        {
            return false;
        }

        var value = new string(letters[..n]);
        doc.AddCtx(new CtxToken(value, 0, n, owner, Officer: true, CtxRole.Initials, Hyphen: false) { Hash = 0 });
        return true;
    }

    /// <summary>Protects the initials of officers known by initials: "XK", and "X.K." or "X. K." spelt out.</summary>
    private static void ProtectInitials(FreeTextDocument doc, Span<Token> tokens)
    {
        var text = doc.Text;
        foreach (ref readonly var c in doc.Ctx.AsSpan(0, doc.CtxCount))
        {
            if (c.Role != CtxRole.Initials)
            {
                continue;
            }

            var letters = c.Source.AsSpan(c.Start, c.Length);

            // A civilian described with the same initials ("The complainant, VX, 57/B/F"): then only a rank says the officer
            // (OfficerRankRecognizer), and no other occurrence is taken for the officer's.
            var civilian = false;
            for (var i = 0; i < tokens.Length && !civilian; i++)
            {
                civilian = (tokens[i].Flags & Tf.AllCaps) != 0 && text.AsSpan(tokens[i].Start, tokens[i].Length).SequenceEqual(letters)
                    && OfficerRankRecognizer.DescribedAsCivilian(tokens, i, text);
            }

            if (civilian)
            {
                continue;
            }

            for (var i = 0; i < tokens.Length; i++)
            {
                ref var t = ref tokens[i];
                if ((t.Flags & (Tf.AllCaps | Tf.Single)) == 0 || (t.Flags & Tf.Blocked) != 0)
                {
                    continue;
                }

                if (text.AsSpan(t.Start, t.Length).SequenceEqual(letters))
                {
                    t.Flags |= Tf.Protected;
                    continue;
                }

                // Dotted: one letter per token.
                if (letters.Length > 1 && (t.Flags & Tf.Single) != 0 && i + letters.Length <= tokens.Length)
                {
                    var match = true;
                    for (var k = 0; k < letters.Length && match; k++)
                    {
                        ref readonly var u = ref tokens[i + k];
                        match = (u.Flags & Tf.Single) != 0 && text[u.Start] == letters[k] && (k == letters.Length - 1 || u.Gap == Gap.Dot || (u.Flags & Tf.DotAfter) != 0);
                    }

                    if (match)
                    {
                        for (var k = 0; k < letters.Length; k++)
                        {
                            tokens[i + k].Flags |= Tf.Protected;
                        }
                    }
                }
            }
        }
    }


    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddName(FreeTextDocument doc, string? name, int owner, bool officer)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return;
        }

        var comma = name.IndexOf(',', StringComparison.Ordinal);
        var first = doc.CtxCount;
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

            doc.AddCtx(new CtxToken(name, start, i - start, owner, officer, role, hyphen) { Hash = Text.FoldedHash(name.AsSpan(start, i - start)) });
        }

        // Without a comma the first word is the given name and the rest the surname (middle names protected too).
        if (comma < 0)
        {
            var words = 0;
            for (var k = first; k < doc.CtxCount; k++)
            {
                if (doc.Ctx[k].Role != CtxRole.Initial)
                {
                    words++;
                }
            }

            if (words >= 2)
            {
                for (var k = first; k < doc.CtxCount; k++)
                {
                    if (doc.Ctx[k].Role != CtxRole.Initial)
                    {
                        doc.Ctx[k] = doc.Ctx[k] with { Role = CtxRole.Given };
                        break;
                    }
                }
            }
        }
        else
        {
            // "SMITH, JOHN Q": only the first word after the comma is the given name; the rest are middle names.
            var seenGiven = false;
            for (var k = first; k < doc.CtxCount; k++)
            {
                if (doc.Ctx[k].Role == CtxRole.Given)
                {
                    if (seenGiven && officer)
                    {
                        doc.Ctx[k] = doc.Ctx[k] with { Role = CtxRole.Surname };
                    }

                    seenGiven = true;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MatchContext(FreeTextDocument doc, Span<Token> tokens)
    {
        if (doc.CtxCount == 0)
        {
            return;
        }

        var ctx = doc.Ctx.AsSpan(0, doc.CtxCount);

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

            var word = doc.Text.AsSpan(t.Start, t.Length);
            foreach (ref readonly var c in ctx)
            {
                if (c.Role == CtxRole.Initial)
                {
                    if ((t.Flags & Tf.Single) != 0 && Text.Fold(word[0]) == Text.Fold(c.Source[c.Start]))
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
                    if (c.Officer && c.Role == CtxRole.Given && Text.Fold(doc.Text[t.Start]) == Text.Fold(c.Source[c.Start]))
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
            if (((t.Flags & Tf.Cap) == 0 && (t.Lex & (Lex.Word | Lex.Function)) != 0) || (t.Lex & Lex.Particle) != 0)
            {
                var neighbour = (i > 0 && tokens[i - 1].KnownMask != 0 && NameRuns.Continues(tokens[i - 1], true))
                    || (i + 1 < tokens.Length && tokens[i + 1].KnownMask != 0 && NameRuns.Continues(t, true));
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
            while (end < tokens.Length && NameRuns.Continues(tokens[end - 1], true))
            {
                ref readonly var n = ref tokens[end];
                if ((n.Flags & Tf.Known) != 0 && (n.KnownMask & mask) != 0)
                {
                    mask &= n.KnownMask;
                    officerMask &= n.OfficerSurname | n.OfficerGiven;
                    words++;
                    end++;
                }
                else if ((n.Flags & Tf.Single) != 0 && (n.KnownInitial & mask) != 0 && end + 1 < tokens.Length && NameRuns.Continues(n, false))
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
        while (k + 1 < tokens.Length && NameRuns.Continues(tokens[k], false))
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
    public static void Resolve(FreeTextDocument doc, Span<Token> tokens)
    {
        // Officers whose given name the context gives: only for them can "Eric Kueng" be told from "Todd Kueng" (a
        // surname-only entry next to a full one, as "Kueng" beside "Todd Kueng", adds nothing either way).
        uint withGiven = 0;
        foreach (ref readonly var c in doc.Ctx.AsSpan(0, doc.CtxCount))
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
                && !(i >= 2 && NameRuns.Continues(tokens[i - 2], false) && (tokens[i - 2].Lex & Lex.Rank) != 0))
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
            while (end < tokens.Length && (tokens[end].Flags & Tf.Name) != 0 && NameRuns.Continues(tokens[end - 1], false))
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

    private static bool NameMatches(ReadOnlySpan<char> word, bool wordHyphen, in CtxToken c)
    {
        var other = c.Source.AsSpan(c.Start, c.Length);
        if (word.Length == other.Length && Text.FoldEquals(word, other))
        {
            return true;
        }

        if (c.Hyphen && word.Length < other.Length)
        {
            foreach (var range in other.Split('-'))
            {
                if (Text.FoldEquals(word, other[range]))
                {
                    return true;
                }
            }
        }

        if (wordHyphen && other.Length < word.Length)
        {
            foreach (var range in word.Split('-'))
            {
                if (Text.FoldEquals(word[range], other))
                {
                    return true;
                }
            }
        }

        return false;
    }}
