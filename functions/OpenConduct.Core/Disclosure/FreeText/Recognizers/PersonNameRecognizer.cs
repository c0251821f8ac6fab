using System.Runtime.CompilerServices;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// Private persons' names from their context: a title ("Mr. [X]"), a role or relationship ("witness X", "her nephew, X
/// Y"), a phrase that announces a name ("his name is", "registered to", "photo taken by"), an age/race/sex descriptor or
/// a phone number in parentheses after the words, an appositive (", a neighbor"), a reporting verb ("X stated"), the
/// name lists (a given name from the SSA list before a surname from the Census list); then every other occurrence of a
/// surname found once, and runs extended over middle initials, particles and Jr./Sr. Officers' names (protected by
/// <see cref="RecordNamesRecognizer"/> and <see cref="OfficerRankRecognizer"/>) are never taken.
/// </summary>
internal sealed class PersonNameRecognizer : IFreeTextRecognizer
{
    /// <summary>Words that are no name on their own: dictionary words and every closed class.</summary>
    private const Lex Common = Lex.Word | Lex.Function | Lex.Proper | Lex.PlaceHead | Lex.Acronym | Lex.Title | Lex.Rank | Lex.Cue
        | Lex.Verb | Lex.Aux | Lex.Street | Lex.Role | Lex.Determiner | Lex.Connector;

    public string Name => "person-name";

    public RecognizerStage Stage => RecognizerStage.Token;

    public void Analyze(FreeTextDocument doc) => new NameRules(doc.Text, doc.TokenSpan, doc.UpperCase).Apply();

    private readonly ref struct NameRules
    {
        private readonly string text;
        private readonly Span<Token> tokens;

        /// <summary>The narrative is written in capitals: two or three capitals may then be a short name, not initials.</summary>
        private readonly bool upper;

        public NameRules(string text, Span<Token> tokens, bool upper)
        {
            this.text = text;
            this.tokens = tokens;
            this.upper = upper;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public readonly void Apply()
        {
            Anchors();
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

            if ((t.Flags & Tf.AllCaps) != 0 && t.Length <= 3 && !upper)
            {
                return false; // "QZ": initials, the initials recognizer's
            }

            if ((t.Flags & Tf.Cap) == 0 || (t.Lex & (Lex.Title | Lex.Rank | Lex.Cue | Lex.Verb | Lex.Aux | Lex.Particle | Lex.Suffix | Lex.Function | Lex.Proper | Lex.Acronym)) != 0)
            {
                return false;
            }

            if ((t.Lex & (Lex.PlaceHead | Lex.Directional)) != 0 || ((t.Lex & Lex.Street) != 0 && !NameLex(i)))
            {
                return false; // "Street", "Hospital", "North"; but USPS's "Green" is a frequent surname too
            }

            return (t.Lex & Common) == 0 || NameLex(i);
        }

        /// <summary>
        /// After a cue and a first name word, a capitalised dictionary word that continues the name mid-sentence ("her aunt,
        /// Nicole Two Bulls", "Tyrone Van Dyke"): never a closed-class word, never the first word of a sentence.
        /// </summary>
        private readonly bool Continuation(int i)
        {
            ref readonly var t = ref tokens[i];
            return (t.Flags & (Tf.Cap | Tf.Blocked | Tf.Digit | Tf.Protected | Tf.Single | Tf.SentenceStart)) == Tf.Cap
                && (t.Lex & (Common & ~Lex.Word)) == 0 && ((t.Flags & Tf.AllCaps) == 0 || upper) && !LooksLikeVerb(i);
        }

        /// <summary>
        /// Right after "Mr." or "Ms.": any capitalised word but a function word, a rank, a role, a verb or a month is a name,
        /// even a place word or a dictionary word ("Ms. Park", "Mr. Street", "Mr. Blackbird").
        /// </summary>
        private readonly bool TitleWord(int i)
        {
            ref readonly var t = ref tokens[i];
            return (t.Flags & (Tf.Cap | Tf.Blocked | Tf.Digit | Tf.Protected | Tf.Single)) == Tf.Cap
                && (t.Lex & (Lex.Function | Lex.Title | Lex.Rank | Lex.Cue | Lex.Verb | Lex.Aux | Lex.Determiner | Lex.Connector | Lex.Proper | Lex.Acronym)) == 0
                && ((t.Flags & Tf.AllCaps) == 0 || upper) && !LooksLikeVerb(i);
        }

        /// <summary>A capitalised word that is no common word, function word or police vocabulary.</summary>
        private readonly bool Strong(int i) =>
            Weak(i) && (tokens[i].Lex & Common) == 0;

        private readonly bool Initial(int i)
        {
            ref readonly var t = ref tokens[i];
            return (t.Flags & (Tf.Single | Tf.Blocked | Tf.Protected)) == Tf.Single && (t.Flags & Tf.DotAfter) != 0;
        }

        private readonly bool IsName(int i) => (tokens[i].Flags & Tf.Name) != 0;

        private readonly bool Has(int i, Lex lex) => (tokens[i].Lex & lex) != 0;

        /// <summary>
        /// A name-capable word: in a name list and no English word, or one of the frequent names even if it is a word
        /// ("Brown", "Rose"), and never a function word, a month or a place word.
        /// </summary>
        private readonly bool NameLex(int i)
        {
            var lex = tokens[i].Lex;
            if ((lex & (Lex.First | Lex.Last)) == 0 || (lex & (Lex.Function | Lex.Proper | Lex.Acronym)) != 0)
            {
                return false;
            }

            return (lex & Lex.Word) == 0 || (lex & (Lex.FrequentFirst | Lex.FrequentLast)) != 0;
        }

        /// <summary>
        /// Where a name starts after a phrase that announces one, or -1: "name is X", "named X", "aka X", "registered to X",
        /// "owned by X", "taken by X", "signed by X".
        /// </summary>
        private readonly int PhraseCue(int i)
        {
            ref readonly var t = ref tokens[i];
            if ((t.Lex & Lex.NameCue) == 0 || t.Gap != Gap.Space && t.Gap != Gap.Other || i + 1 >= tokens.Length)
            {
                return -1;
            }

            var word = text.AsSpan(t.Start, t.Length);
            var next = text.AsSpan(tokens[i + 1].Start, tokens[i + 1].Length);
            if (word.Equals("name", StringComparison.OrdinalIgnoreCase))
            {
                return (next.Equals("is", StringComparison.OrdinalIgnoreCase) || next.Equals("was", StringComparison.OrdinalIgnoreCase))
                    && t.Gap == Gap.Space && i + 2 < tokens.Length ? i + 2 : -1;
            }

            if (word.Equals("named", StringComparison.OrdinalIgnoreCase) || word.Equals("aka", StringComparison.OrdinalIgnoreCase)
                || word.Equals("alias", StringComparison.OrdinalIgnoreCase) || word.Equals("nicknamed", StringComparison.OrdinalIgnoreCase))
            {
                return i + 1;
            }

            return (next.Equals("to", StringComparison.OrdinalIgnoreCase) || next.Equals("by", StringComparison.OrdinalIgnoreCase))
                && t.Gap == Gap.Space && tokens[i + 1].Gap == Gap.Space && i + 2 < tokens.Length ? i + 2 : -1;
        }

        /// <summary>
        /// The end (exclusive) of the name run starting at <paramref name="i"/>: capitalised words, initials, particles
        /// and a Jr./Sr. suffix, at most <paramref name="maxWords"/> words; -1 when it holds no word.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly int TakeRun(int i, int maxWords, bool allCapsFree, bool relaxed = false, bool afterTitle = false)
        {
            var j = i;
            var words = 0;
            var previousFirst = false;
            while (j < tokens.Length)
            {
                ref readonly var t = ref tokens[j];
                if (Initial(j) || (words >= 1 && (t.Flags & (Tf.Single | Tf.Blocked | Tf.Protected)) == Tf.Single && t.Gap == Gap.Space
                    && j + 1 < tokens.Length && Weak(j + 1)))
                {
                    // An initial only counts inside a run: "J. Doe", "Maria J. Lopez", "Marisela K Kowalski".
                }
                else if (relaxed && words < maxWords && !Weak(j) && (words >= 1 ? Continuation(j) : afterTitle && TitleWord(j)))
                {
                    words++;
                }
                else if (Weak(j))
                {
                    if (words >= maxWords || LooksLikeVerb(j))
                    {
                        break;
                    }

                    if (words >= 1 && (t.Flags & Tf.AllCaps) != 0 && (t.Flags & Tf.Known) == 0 && !NameLex(j)
                        && !previousFirst && !(allCapsFree && Strong(j)))
                    {
                        break;
                    }

                    previousFirst = Has(j, Lex.First);
                    words++;
                }
                else if ((words >= 1 || (t.Flags & Tf.Cap) != 0) && Has(j, Lex.Particle) && j + 1 < tokens.Length && NameRuns.Continues(t, false)
                    && (Weak(j + 1) || (relaxed && words >= 1 && Continuation(j + 1))) && (t.Flags & (Tf.Blocked | Tf.Protected)) == 0)
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
                if (!NameRuns.Continues(t, false))
                {
                    break;
                }
            }

            // Drop trailing initials and particles that no word follows.
            while (j > i && !Weak(j - 1) && !Has(j - 1, Lex.Suffix) && !(relaxed && (j - 1 > i ? Continuation(j - 1) : afterTitle && TitleWord(j - 1))))
            {
                j--;
            }

            return words == 0 ? -1 : j;
        }

        /// <summary>An all-caps word that reads as a verb form ("CANVASSED", "SHOUTING"), unless it is a known name.</summary>
        private readonly bool LooksLikeVerb(int j)
        {
            ref readonly var t = ref tokens[j];
            if ((t.Flags & Tf.AllCaps) == 0 || (t.Flags & Tf.Known) != 0 || NameLex(j) || t.Length < 5)
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
            end < tokens.Length && end > 0 && tokens[end - 1].Gap is Gap.Space or Gap.Dot && Has(end, Lex.Street | Lex.PlaceHead)
            && (tokens[end].Flags & Tf.Cap) != 0;

        /// <summary>True when a place word comes right before the run ("Lake Harriet", "Mount Airy"): the run names a place.</summary>
        private readonly bool PlacePrecedes(int start) =>
            start > 0 && tokens[start - 1].Gap == Gap.Space && (tokens[start - 1].Flags & Tf.Cap) != 0 && Has(start - 1, Lex.PlaceHead);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly void Anchors()
        {
            for (var i = 0; i < tokens.Length; i++)
            {
                ref readonly var t = ref tokens[i];
                var party = IsPartyLabel(i);
                if ((t.Flags & Tf.Blocked) != 0 && !party)
                {
                    continue;
                }

                var phrase = PhraseCue(i);
                if (phrase > 0)
                {
                    // "his name is X", "registered to X", "photo taken by X": capitalised or lower-case.
                    var last = TakeRun(phrase, 3, allCapsFree: true, relaxed: true);
                    if (last > 0 && !PlaceFollows(last))
                    {
                        Mark(phrase, last);
                    }
                    else if (last < 0)
                    {
                        LowerCaseRun(phrase, afterPhrase: true);
                    }

                    continue;
                }

                var anchor = (t.Lex & Lex.Title) != 0 && (t.Flags & Tf.Cap) != 0
                    || (t.Lex & Lex.Cue) != 0
                    || party;
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

                    // After "Mr." or "Ms." any capitalised word that is no closed-class word is a name ("Mr. Blackbird").
                    var end = TakeRun(next, 3, allCapsFree: true, relaxed: true, afterTitle: (t.Lex & Lex.Title) != 0);
                    if (end > 0 && !PlaceFollows(end))
                    {
                        Mark(next, end);
                    }
                    else if (end < 0 && (t.Lex & Lex.Cue) != 0)
                    {
                        LowerCaseRun(next, afterPhrase: false);
                    }

                    continue;
                }
            }
        }

        /// <summary>
        /// "complainant maria lopez says": after a cue, one to three lower-case words that are no common word, ended by a
        /// verb, a comma or a parenthesis; at least one of them in the gazetteer, or two or three unknown words before a
        /// reporting verb.
        /// </summary>
        private readonly void LowerCaseRun(int from, bool afterPhrase)
        {
            var end = from;
            while (end < tokens.Length && end - from < 3)
            {
                ref readonly var t = ref tokens[end];
                if ((t.Flags & (Tf.Lower | Tf.Blocked | Tf.Protected | Tf.Digit)) != Tf.Lower
                    || !(t.Lex == Lex.None || NameLex(end)))
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
                var unknown = end - from >= (afterPhrase ? 1 : 2);
                for (var k = from; k < end && unknown; k++)
                {
                    unknown = tokens[k].Lex == Lex.None;
                }

                if (!unknown || (!afterPhrase && (last.Gap != Gap.Space || end >= tokens.Length || !Has(end, Lex.Verb))))
                {
                    return;
                }
            }

            var closed = afterPhrase || last.Gap == Gap.Comma
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
                if (!Weak(i) || (i > 0 && Weak(i - 1) && NameRuns.Continues(tokens[i - 1], false)))
                {
                    i++;
                    continue;
                }

                var end = TakeRun(i, 3, allCapsFree: true, relaxed: true);
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
                        gazetteer |= NameLex(k) || (tokens[k].Flags & Tf.Known) != 0;
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

                if (name && !PlaceFollows(end) && !PlacePrecedes(i))
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
                    var first = (t.Lex & Lex.First) != 0 && (t.Lex & Common) == 0;
                    var surnameNext = i + 1 < tokens.Length && t.Gap == Gap.Space && (tokens[i + 1].Flags & Tf.Cap) != 0
                        && (tokens[i + 1].Lex & Lex.Last) != 0 && (tokens[i + 1].Lex & Common) == 0 && Usable(i + 1);
                    var lastAlone = (t.Lex & Lex.FrequentLast) != 0 && (t.Lex & Common) == 0 && (t.Flags & Tf.SentenceStart) == 0;
                    if ((first || surnameNext || lastAlone) && Weak(i))
                    {
                        var end = TakeRun(i, 3, allCapsFree: false);
                        if (end > 0 && !PlaceFollows(end) && !PlacePrecedes(i))
                        {
                            Mark(i, end);
                            i = end - 1;
                        }
                    }
                }
                else if ((t.Flags & Tf.Lower) != 0 && (t.Lex & Lex.First) != 0 && (t.Lex & Common) == 0 && t.Gap == Gap.Space
                    && i + 1 < tokens.Length && (tokens[i + 1].Flags & Tf.Lower) != 0 && (tokens[i + 1].Lex & Lex.Last) != 0 && (tokens[i + 1].Lex & Common) == 0
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
                    && ((t.Lex & Common) == 0 || (t.Flags & Tf.Known) != 0 || (NameLex(i) && InLongerName(i)) || LastOfLongerName(i)))
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

                if ((t.Flags & Tf.Cap) == 0 && (t.Lex & Common) != 0)
                {
                    continue;
                }

                for (var k = 0; k < count; k++)
                {
                    ref readonly var f = ref tokens[found[k]];
                    if (f.Hash == t.Hash && f.Length == t.Length
                        && Text.FoldEquals(text.AsSpan(t.Start, t.Length), text.AsSpan(f.Start, f.Length)))
                    {
                        t.Flags |= Tf.Name;
                        break;
                    }
                }
            }
        }

        /// <summary>The surname ending a run of two words or more ("Tyrone Blackbird"): it may be a dictionary word and still recur alone.</summary>
        private readonly bool LastOfLongerName(int i) =>
            (tokens[i].Flags & Tf.Cap) != 0 && (tokens[i].Lex & (Common & ~Lex.Word)) == 0
            && i > 0 && (tokens[i - 1].Flags & Tf.Name) != 0 && (tokens[i - 1].Flags & Tf.Single) == 0 && NameRuns.Continues(tokens[i - 1], false)
            && !(i + 1 < tokens.Length && (tokens[i + 1].Flags & Tf.Name) != 0 && NameRuns.Continues(tokens[i], false));

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private readonly bool InLongerName(int i) =>
            (i > 0 && (tokens[i - 1].Flags & Tf.Name) != 0 && NameRuns.Continues(tokens[i - 1], false))
            || (i + 1 < tokens.Length && (tokens[i + 1].Flags & Tf.Name) != 0 && NameRuns.Continues(tokens[i], false));

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
                while (end < tokens.Length && IsName(end) && NameRuns.Continues(tokens[end - 1], false))
                {
                    end++;
                }

                // Right: middle initials, particles, capitalised words, Jr./Sr.
                var added = 0;
                while (end < tokens.Length && added < 2 && NameRuns.Continues(tokens[end - 1], false))
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
                        if (more >= tokens.Length || !NameRuns.Continues(tokens[more - 1], false))
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
                if (start > 0 && NameRuns.Continues(tokens[start - 1], false) && !IsName(start - 1))
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
                        if (before > 0 && NameRuns.Continues(tokens[before - 1], false) && Extensible(before - 1))
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

            return (tokens[k].Flags & Tf.AllCaps) == 0 || (tokens[k].Flags & Tf.Known) != 0 || NameLex(k);
        }
    }
}
