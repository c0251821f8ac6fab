using System.Globalization;
using System.Text;

namespace OpenConduct.Core.Officers;

/// <summary>
/// The officer search rules shared by every <see cref="IOfficerIndex"/> (docs/search.md states them for readers).
/// This file depends on nothing but Core: an index engine only finds <em>candidates</em>; the tier of every candidate,
/// and so whether it matches at all, is decided here, on the officer's names and badges.
/// </summary>
/// <remarks>
/// <para><b>Normalisation</b> (<see cref="Words(string?, int)"/>), of the query text and of every name and badge:</para>
/// <list type="number">
/// <item><description>Every unpaired UTF-16 surrogate is replaced by a space.</description></item>
/// <item><description>The text is decomposed to Unicode NFKD (so <c>é</c> is <c>e</c> + a combining accent, the
/// ligature <c>ﬁ</c> is <c>fi</c>, full-width <c>４</c> is <c>4</c>).</description></item>
/// <item><description>Code point by code point: a combining mark (categories Mn, Mc, Me) is dropped and does not
/// separate words; a letter or digit (Lu, Ll, Lt, Lm, Lo, Nd) is lowercased (invariant culture) and then folded by
/// the table <c>ø→o, æ→ae, œ→oe, ß→ss, đ→d, ð→d, ł→l, þ→th, ı→i, ħ→h</c> (letters that NFKD does not
/// decompose); anything else (space, punctuation, symbols, emoji, control characters, ...) ends the word.</description></item>
/// <item><description>Empty words are dropped; every word is cut to its first <see cref="MaxWordLength"/> code points;
/// the query keeps its first <see cref="MaxQueryWords"/> words (names and badges keep all their words).</description></item>
/// </list>
/// <para>A query with no word matches nothing. Lengths below are in code points of the normalised word.</para>
/// <para><b>Officer keys</b> (<see cref="OfficerKeys"/>): the <em>names</em> are the display name and every name variant;
/// the <em>name words</em> are every word of every name, plus the concatenation of every two adjacent words of a name
/// (so "O'Brien" gives <c>o</c>, <c>brien</c> and <c>obrien</c>; "Van Dyke" gives <c>vandyke</c>); the
/// <em>badge keys</em> are, for the current badge, every badge and every published employee id, its normalised words
/// concatenated without separator ("A-123" is <c>a123</c>), all-digit keys without leading zeros. An officer whose name
/// is not published has no names and no name words.</para>
/// <para><b>Tiers</b> (<see cref="Match(QueryKeys, OfficerKeys)"/>), the first that holds:</para>
/// <list type="number">
/// <item><description><see cref="OfficerMatch.Badge"/>: the query words concatenated without separator equal a badge key.</description></item>
/// <item><description><see cref="OfficerMatch.ExactName"/>: for one name, the query words are the name's words in any
/// order (equal as multisets: "Smith John A" is John A Smith), or the name's words without its one-letter words
/// (initials) when some remain ("John Smith" is John A Smith; "John Q Smith" is not).</description></item>
/// <item><description><see cref="OfficerMatch.Prefix"/>: every query word starts some name word (ordinal comparison).</description></item>
/// <item><description><see cref="OfficerMatch.Fuzzy"/>: every query word starts some name word, or has 3 to 5 code points
/// and is within 1 edit of a name word, or has 6 or more and is within 2 edits of one. An edit is an insertion, a
/// deletion, a substitution or a transposition of two adjacent code points (optimal string alignment distance). A
/// word of 1 or 2 code points must start a name word.</description></item>
/// </list>
/// <para><b>Closeness</b> (<see cref="Score"/>): within a tier, the sum over query words of the cost of the word's best
/// name word: 0 the word itself, 1 a nickname (<see cref="NameSimilarity.Nicknames"/>), 2 + the letters left (at most
/// 15) a longer word it starts, 30 per edit less 10 when the two sound alike (<see cref="NameSimilarity.Soundex"/>).
/// A nickname counts in the <see cref="OfficerMatch.Prefix"/> tier.</para>
/// <para><b>Ranking</b>: tier (best first), then closeness, then <see cref="OfficerSummary.Complaints"/> descending, then display name
/// (ordinal), then id (ordinal). <b>Paging</b>: skip below 0 counts as 0; take is clamped to 1..<see cref="OfficerQuery.MaxTake"/>.
/// Total is the number of matching officers.</para>
/// </remarks>
public static class OfficerSearchRules
{
    /// <summary>The query keeps its first 10 words.</summary>
    public const int MaxQueryWords = 10;

    /// <summary>Every word is cut to its first 100 code points.</summary>
    public const int MaxWordLength = 100;

    /// <summary>The normalised words of <paramref name="text"/> (see the remarks of <see cref="OfficerSearchRules"/>); empty for null.</summary>
    public static IReadOnlyList<string> Words(string? text, int maxWords = int.MaxValue)
    {
        var words = new List<string>();
        if (string.IsNullOrEmpty(text) || maxWords <= 0)
        {
            return words;
        }

        var decomposed = ReplaceLoneSurrogates(text).Normalize(NormalizationForm.FormKD);
        var word = new StringBuilder();
        var length = 0;
        Span<char> utf16 = stackalloc char[2];
        foreach (var rune in decomposed.EnumerateRunes())
        {
            var category = Rune.GetUnicodeCategory(rune);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            if (!Rune.IsLetterOrDigit(rune))
            {
                if (Flush(words, word, ref length) && words.Count == maxWords)
                {
                    return words;
                }

                continue;
            }

            var lower = Rune.ToLowerInvariant(rune);
            var folded = Fold(lower.Value);
            if (folded is not null)
            {
                foreach (var c in folded)
                {
                    if (length < MaxWordLength)
                    {
                        word.Append(c);
                        length++;
                    }
                }
            }
            else if (length < MaxWordLength)
            {
                word.Append(utf16[..lower.EncodeToUtf16(utf16)]);
                length++;
            }
        }

        Flush(words, word, ref length);
        if (words.Count > maxWords)
        {
            words.RemoveRange(maxWords, words.Count - maxWords);
        }

        return words;
    }

    /// <summary>
    /// A badge's (or an identifier's) key: its normalised words concatenated (<c>"A-123"</c> is <c>a123</c>), and when
    /// that is all digits, without its leading zeros (<c>"032395"</c> is <c>32395</c>, as identity compares them); null
    /// when it has no word.
    /// </summary>
    public static string? BadgeKey(string? badge)
    {
        var words = Words(badge);
        return words.Count == 0 ? null : KeyOf(string.Concat(words));
    }

    /// <summary>A concatenation of normalised words as a badge key: all digits lose their leading zeros (all zeros is <c>0</c>).</summary>
    internal static string KeyOf(string concatenated)
    {
        foreach (var c in concatenated)
        {
            if (!char.IsAsciiDigit(c))
            {
                return concatenated;
            }
        }

        var trimmed = concatenated.TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }

    /// <summary>
    /// The optimal string alignment distance (insertions, deletions, substitutions and adjacent transpositions, each
    /// costing 1) between two strings, compared code point by code point; any distance above <paramref name="max"/>
    /// is reported as <paramref name="max"/> + 1.
    /// </summary>
    public static int EditDistance(string a, string b, int max)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);

        // Without surrogates every char is a code point: compare the chars themselves (the common case, no copy).
        if (a.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0 && b.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return EditDistance<char>(a, b, max);
        }

        const int OnStack = 128;
        var x = a.Length <= OnStack ? stackalloc int[a.Length] : new int[a.Length];
        var y = b.Length <= OnStack ? stackalloc int[b.Length] : new int[b.Length];
        x = x[..CodePoints(a, x)];
        y = y[..CodePoints(b, y)];
        return EditDistance<int>(x, y, max);
    }

    /// <summary>The optimal string alignment distance of two sequences of code points (see the public overload).</summary>
    private static int EditDistance<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, int max)
        where T : IEquatable<T>
    {
        const int OnStack = 128;
        if (Math.Abs(x.Length - y.Length) > max)
        {
            return max + 1;
        }

        // Three rows of the dynamic programme: two back (for transpositions), one back, and the current one.
        var width = y.Length + 1;
        var rows = width <= OnStack ? stackalloc int[width * 3] : new int[width * 3];
        var previous2 = rows[..width];
        var previous = rows.Slice(width, width);
        var row = rows.Slice(2 * width, width);
        for (var j = 0; j < width; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= x.Length; i++)
        {
            row[0] = i;
            var best = row[0];
            var xi = x[i - 1];
            for (var j = 1; j < width; j++)
            {
                var cost = xi.Equals(y[j - 1]) ? 0 : 1;
                var d = Math.Min(Math.Min(previous[j] + 1, row[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && xi.Equals(y[j - 2]) && x[i - 2].Equals(y[j - 1]))
                {
                    d = Math.Min(d, previous2[j - 2] + 1);
                }

                row[j] = d;
                best = Math.Min(best, d);
            }

            if (best > max)
            {
                return max + 1;
            }

            var recycled = previous2;
            previous2 = previous;
            previous = row;
            row = recycled;
        }

        return Math.Min(previous[width - 1], max + 1);
    }

    /// <summary>The number of edits a query word may differ by: 0 for 1-2 code points, 1 for 3-5, 2 for 6 or more.</summary>
    public static int AllowedEdits(string queryWord)
    {
        ArgumentNullException.ThrowIfNull(queryWord);
        var length = CodePointCount(queryWord);
        return length switch
        {
            <= 2 => 0,
            <= 5 => 1,
            _ => 2,
        };
    }

    /// <summary>The officer's best tier for the query, or null when the officer does not match.</summary>
    public static OfficerMatch? Match(QueryKeys query, OfficerKeys officer) => Score(query, officer)?.Tier;

    /// <summary>
    /// The officer's best tier for the query and how close the officer's name is within that tier (see the remarks:
    /// "Closeness"), or null when the officer does not match.
    /// </summary>
    public static OfficerScore? Score(QueryKeys query, OfficerKeys officer)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(officer);
        if (query.Words.Count == 0)
        {
            return null;
        }

        // Arrays and indexed loops, no interfaces or LINQ: this runs for every candidate of every search.
        var badges = officer.BadgeKeyArray;
        for (var i = 0; i < badges.Length; i++)
        {
            if (string.Equals(badges[i], query.BadgeKey, StringComparison.Ordinal))
            {
                return new OfficerScore(OfficerMatch.Badge, 0);
            }
        }

        var names = officer.SortedNameArrays;
        var sortedWords = query.SortedWordArray;
        for (var i = 0; i < names.Length; i++)
        {
            if (SameWords(names[i], sortedWords))
            {
                return new OfficerScore(OfficerMatch.ExactName, 0);
            }
        }

        var tier = OfficerMatch.Prefix;
        var distance = 0;
        var words = query.WordArray;
        for (var i = 0; i < words.Length; i++)
        {
            var cost = WordCost(query, i, officer);
            if (cost < 0)
            {
                return null;
            }

            if (cost >= FuzzyCost)
            {
                tier = OfficerMatch.Fuzzy;
            }

            distance += cost;
        }

        return new OfficerScore(tier, distance);
    }

    /// <summary>The cost of a query word that is a name word.</summary>
    public const int ExactWordCost = 0;

    /// <summary>The cost of a query word that is a nickname of a name word, or the name a nickname stands for.</summary>
    public const int NicknameCost = 1;

    /// <summary>The cost of a query word that starts a longer name word: this plus the letters left, at most 15 of them.</summary>
    public const int PrefixCost = 2;

    /// <summary>The least cost of a query word within edits of a name word (1 edit: 30, 2 edits: 60; 10 less when they sound alike).</summary>
    public const int FuzzyCost = 20;

    /// <summary>The least cost of query word <paramref name="index"/> against the officer's name words, or -1 when it matches none.</summary>
    private static int WordCost(QueryKeys query, int index, OfficerKeys officer)
    {
        var q = query.WordArray[index];
        var length = query.WordLengths[index];
        var nameWords = officer.WordArray;
        var nameLengths = officer.WordLengths;
        var best = int.MaxValue;
        for (var j = 0; j < nameWords.Length; j++)
        {
            var w = nameWords[j];
            if (w.StartsWith(q, StringComparison.Ordinal))
            {
                if (w.Length == q.Length)
                {
                    return ExactWordCost;
                }

                best = Math.Min(best, PrefixCost + Math.Min(nameLengths[j] - length, 15));
            }
        }

        var nicknames = query.Nicknames[index];
        if (nicknames.Count > 0 && best > NicknameCost)
        {
            for (var j = 0; j < nameWords.Length; j++)
            {
                for (var k = 0; k < nicknames.Count; k++)
                {
                    if (string.Equals(nameWords[j], nicknames[k], StringComparison.Ordinal))
                    {
                        return NicknameCost;
                    }
                }
            }
        }

        if (best != int.MaxValue)
        {
            return best;
        }

        var edits = query.WordEdits[index];
        if (edits == 0)
        {
            return -1;
        }

        var soundex = query.SoundexArray[index];
        var officerSoundex = officer.SoundexArray;
        for (var j = 0; j < nameWords.Length; j++)
        {
            // More code points apart than the allowed edits: further than them (what EditDistance checks first).
            if (Math.Abs(nameLengths[j] - length) > edits)
            {
                continue;
            }

            var d = EditDistance(q, nameWords[j], edits);
            if (d <= edits)
            {
                var cost = (30 * d) - (soundex is not null && string.Equals(soundex, officerSoundex[j], StringComparison.Ordinal) ? 10 : 0);
                best = Math.Min(best, cost);
            }
        }

        return best == int.MaxValue ? -1 : best;
    }

    /// <summary>
    /// The cost of query word <paramref name="index"/> against one name word, or -1 when it matches that word in no way:
    /// 0 the word itself, <see cref="NicknameCost"/> a nickname, <see cref="PrefixCost"/> + the letters left (at most 15)
    /// a longer word it starts (the least of the two when both hold), else 30 per edit less 10 when the two sound alike
    /// (within the word's allowed edits). A query word's cost against an officer (what <see cref="Score"/> sums) is the
    /// least of these over the officer's name words: every prefix or nickname cost (at most 17) is below every edit cost
    /// (at least 20), so the edits only count when no name word is a prefix or a nickname, as the remarks state. An index
    /// can so score a one-word query per distinct name word and give each officer the least cost of its words.
    /// </summary>
    /// <param name="query">The query.</param>
    /// <param name="index">Which query word.</param>
    /// <param name="nameWord">A normalised name word (one of <see cref="OfficerKeys.Words"/>).</param>
    /// <param name="nameWordLength">Its number of code points (<see cref="CodePointCount"/>).</param>
    /// <param name="nameWordSoundex">Its Soundex code (<see cref="NameSimilarity.Soundex"/>).</param>
    public static int NameWordCost(QueryKeys query, int index, string nameWord, int nameWordLength, string? nameWordSoundex)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(nameWord);
        var q = query.WordArray[index];
        var length = query.WordLengths[index];
        var cost = -1;
        if (nameWord.StartsWith(q, StringComparison.Ordinal))
        {
            if (nameWord.Length == q.Length)
            {
                return ExactWordCost;
            }

            cost = PrefixCost + Math.Min(nameWordLength - length, 15);
        }

        var nicknames = query.Nicknames[index];
        for (var k = 0; k < nicknames.Count; k++)
        {
            if (string.Equals(nameWord, nicknames[k], StringComparison.Ordinal))
            {
                return NicknameCost;
            }
        }

        if (cost >= 0)
        {
            return cost;
        }

        var edits = query.WordEdits[index];
        if (edits == 0 || Math.Abs(nameWordLength - length) > edits)
        {
            return -1;
        }

        var d = EditDistance(q, nameWord, edits);
        if (d > edits)
        {
            return -1;
        }

        var soundex = query.SoundexArray[index];
        return (30 * d) - (soundex is not null && string.Equals(soundex, nameWordSoundex, StringComparison.Ordinal) ? 10 : 0);
    }

    /// <summary>Orders two matches the way results are ranked: tier, closeness, complaints descending, display name, id.</summary>
    public static int Compare(OfficerScore scoreA, int complaintsA, string displayNameA, string idA, OfficerScore scoreB, int complaintsB, string displayNameB, string idB)
    {
        var c = scoreA.Tier.CompareTo(scoreB.Tier);
        if (c == 0)
        {
            c = scoreA.Distance.CompareTo(scoreB.Distance);
        }

        if (c == 0)
        {
            c = complaintsB.CompareTo(complaintsA);
        }

        if (c == 0)
        {
            c = string.CompareOrdinal(displayNameA, displayNameB);
        }

        return c != 0 ? c : string.CompareOrdinal(idA, idB);
    }

    /// <summary>Skip below 0 counts as 0.</summary>
    public static int ClampSkip(int skip) => Math.Max(0, skip);

    /// <summary>Take is clamped to 1..<see cref="OfficerQuery.MaxTake"/>.</summary>
    public static int ClampTake(int take) => Math.Clamp(take, 1, OfficerQuery.MaxTake);

    /// <summary>The number of Unicode code points of a string (a surrogate pair counts once).</summary>
    public static int CodePointCount(string s)
    {
        var n = 0;
        foreach (var c in s)
        {
            if (!char.IsLowSurrogate(c))
            {
                n++;
            }
        }

        return n;
    }

    private static bool SameWords(string[] a, string[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Writes the code points of <paramref name="s"/> into <paramref name="buffer"/> (at least <c>s.Length</c> long); returns how many.</summary>
    private static int CodePoints(string s, Span<int> buffer)
    {
        var i = 0;
        foreach (var rune in s.EnumerateRunes())
        {
            buffer[i++] = rune.Value;
        }

        return i;
    }

    private static bool Flush(List<string> words, StringBuilder word, ref int length)
    {
        if (word.Length == 0)
        {
            return false;
        }

        words.Add(word.ToString());
        word.Clear();
        length = 0;
        return true;
    }

    private static string? Fold(int lower) => lower switch
    {
        'ø' => "o",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        'đ' => "d",
        'ð' => "d",
        'ł' => "l",
        'þ' => "th",
        'ı' => "i",
        'ħ' => "h",
        _ => null,
    };

    private static string ReplaceLoneSurrogates(string text)
    {
        char[]? copy = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                copy ??= text.ToCharArray();
                copy[i] = ' ';
            }
        }

        return copy is null ? text : new string(copy);
    }
}

/// <summary>
/// A query, normalised: its words (at most 10), the same words sorted, the badge key (the words concatenated, an
/// all-digit key without leading zeros), and per word its Soundex code and its nicknames.
/// </summary>
public sealed class QueryKeys
{
    private QueryKeys(IReadOnlyList<string> words)
    {
        WordArray = [.. words];
        SortedWordArray = [.. WordArray];
        Array.Sort(SortedWordArray, StringComparer.Ordinal);
        BadgeKey = OfficerSearchRules.KeyOf(string.Concat(WordArray));
        WordLengths = new int[WordArray.Length];
        WordEdits = new int[WordArray.Length];
        SoundexArray = new string?[WordArray.Length];
        var nicknames = new IReadOnlyList<string>[WordArray.Length];
        for (var i = 0; i < WordArray.Length; i++)
        {
            WordLengths[i] = OfficerSearchRules.CodePointCount(WordArray[i]);
            WordEdits[i] = OfficerSearchRules.AllowedEdits(WordArray[i]);
            SoundexArray[i] = NameSimilarity.Soundex(WordArray[i]);
            nicknames[i] = NameSimilarity.Nicknames(WordArray[i]);
        }

        Nicknames = nicknames;
    }

    public IReadOnlyList<string> Words => WordArray;

    public IReadOnlyList<string> SortedWords => SortedWordArray;

    public string BadgeKey { get; }

    /// <summary>The Soundex code of each word (null for a word that does not start with a letter a to z).</summary>
    public IReadOnlyList<string?> Soundex => SoundexArray;

    /// <summary>The nicknames of each word (<see cref="NameSimilarity.Nicknames"/>), empty for most words.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Nicknames { get; }

    /// <summary>The words (what <see cref="Words"/> returns), as the array the rules loop over.</summary>
    internal string[] WordArray { get; }

    internal string[] SortedWordArray { get; }

    internal string?[] SoundexArray { get; }

    /// <summary>The number of code points of each word.</summary>
    internal int[] WordLengths { get; }

    /// <summary>The edits each word is allowed (<see cref="OfficerSearchRules.AllowedEdits"/>).</summary>
    internal int[] WordEdits { get; }

    public static QueryKeys From(string? text) => new(OfficerSearchRules.Words(text, OfficerSearchRules.MaxQueryWords));
}

/// <summary>An officer's search keys: names (as sorted word lists), name words with their Soundex codes, badge and identifier keys.</summary>
public sealed class OfficerKeys
{
    private OfficerKeys(List<string[]> sortedNames, List<string> words, List<string> badgeKeys)
    {
        SortedNameArrays = [.. sortedNames];
        WordArray = [.. words];
        WordLengths = new int[WordArray.Length];
        SoundexArray = new string?[WordArray.Length];
        for (var i = 0; i < WordArray.Length; i++)
        {
            WordLengths[i] = OfficerSearchRules.CodePointCount(WordArray[i]);
            SoundexArray[i] = NameSimilarity.Soundex(WordArray[i]);
        }

        BadgeKeyArray = [.. badgeKeys];
    }

    /// <summary>Every name's words sorted ordinally, and every name's words without its one-letter words (when some remain), distinct.</summary>
    public IReadOnlyList<IReadOnlyList<string>> SortedNames => SortedNameArrays;

    /// <summary>
    /// Every word of every name and every concatenation of two or three adjacent words of a name (<c>vandyke</c>,
    /// <c>delacruz</c>, <c>smithjones</c>), distinct.
    /// </summary>
    public IReadOnlyList<string> Words => WordArray;

    /// <summary>The Soundex code of each of <see cref="Words"/>, in the same order.</summary>
    public IReadOnlyList<string?> Soundex => SoundexArray;

    /// <summary>The normalised current badge, badges and published employee ids, distinct (all-digit keys without leading zeros).</summary>
    public IReadOnlyList<string> BadgeKeys => BadgeKeyArray;

    /// <summary>The arrays behind the properties above, which the rules loop over, and the number of code points of each word.</summary>
    internal string[][] SortedNameArrays { get; }

    internal string[] WordArray { get; }

    internal int[] WordLengths { get; }

    internal string?[] SoundexArray { get; }

    internal string[] BadgeKeyArray { get; }

    public static OfficerKeys From(OfficerDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return Of(document.NamePublished, document.DisplayName, document.NameVariants, document.CurrentBadge, document.Badges, document.EmployeeIds);
    }

    /// <summary>
    /// The keys of an officer as an index stores its fields (every adapter calls this, so the rule is one): an officer
    /// whose name is not published has no name keys (its display name is a label); employee ids are badge keys.
    /// </summary>
    public static OfficerKeys Of(bool namePublished, string? displayName, IEnumerable<string?>? nameVariants, string? currentBadge, IEnumerable<string?>? badges, IEnumerable<string?>? employeeIds) =>
        From(namePublished ? displayName : null, namePublished ? nameVariants : null, currentBadge, (badges ?? []).Concat(employeeIds ?? []));

    /// <summary>
    /// The keys of an officer. A null or empty display name and no variants give no name keys: an officer whose name is
    /// not published is found only by a badge or an identifier, never by the words of a placeholder.
    /// </summary>
    public static OfficerKeys From(string? displayName, IEnumerable<string?>? nameVariants, string? currentBadge, IEnumerable<string?>? badges)
    {
        var names = new List<string[]>();
        var words = new List<string>();
        var wordSet = new HashSet<string>(StringComparer.Ordinal);
        var nameSet = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in (nameVariants ?? []).Prepend(displayName))
        {
            var w = OfficerSearchRules.Words(name);
            if (w.Count == 0)
            {
                continue;
            }

            for (var i = 0; i < w.Count; i++)
            {
                if (wordSet.Add(w[i]))
                {
                    words.Add(w[i]);
                }

                if (i > 0 && wordSet.Add(w[i - 1] + w[i]))
                {
                    words.Add(w[i - 1] + w[i]);
                }

                if (i > 1 && wordSet.Add(w[i - 2] + w[i - 1] + w[i]))
                {
                    words.Add(w[i - 2] + w[i - 1] + w[i]);
                }
            }

            AddName(names, nameSet, [.. w.Order(StringComparer.Ordinal)]);
            string[] withoutInitials = [.. w.Where(x => OfficerSearchRules.CodePointCount(x) > 1).Order(StringComparer.Ordinal)];
            if (withoutInitials.Length > 0 && withoutInitials.Length < w.Count)
            {
                AddName(names, nameSet, withoutInitials);
            }
        }

        var badgeKeys = new List<string>();
        foreach (var badge in (badges ?? []).Prepend(currentBadge))
        {
            var key = OfficerSearchRules.BadgeKey(badge);
            if (key is not null && !badgeKeys.Contains(key, StringComparer.Ordinal))
            {
                badgeKeys.Add(key);
            }
        }

        return new OfficerKeys(names, words, badgeKeys);
    }

    private static void AddName(List<string[]> names, HashSet<string> seen, string[] sorted)
    {
        if (seen.Add(string.Join('\u0001', sorted)))
        {
            names.Add(sorted);
        }
    }
}

/// <summary>
/// How an officer matched a query: the tier, and within it the distance of the name from the query (0 for an exact
/// word; the sum over query words of <see cref="OfficerSearchRules"/>'s word costs). Smaller is closer.
/// </summary>
public readonly record struct OfficerScore(OfficerMatch Tier, int Distance);
