using System.Collections.Frozen;
using System.Reflection;

namespace OpenConduct.Core.Officers;

/// <summary>
/// What the officer search knows of how names sound and are shortened: the American Soundex code of a word, and
/// the nickname groups of given names (<c>Officers/Dictionaries</c>, see its NOTICE.md). Words are the normalised
/// words of <see cref="OfficerSearchRules.Words(string?, int)"/> (lower case, accents folded).
/// </summary>
public static class NameSimilarity
{
    private static readonly Lazy<FrozenDictionary<string, string[]>> Groups = new(LoadNicknames);

    /// <summary>
    /// The American Soundex code of a word (the National Archives' rules: the first letter, then the digits of the
    /// following consonants, a digit repeated across <c>h</c> or <c>w</c> or by the first letter written once, vowels
    /// separating repeats, padded or cut to four characters: <c>johnson</c> and <c>jonson</c> are both <c>j525</c>,
    /// <c>jason</c> is <c>j250</c>); null for a word that does not start with a letter a to z.
    /// </summary>
    public static string? Soundex(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length == 0 || word[0] is < 'a' or > 'z')
        {
            return null;
        }

        Span<char> code = ['0', '0', '0', '0'];
        code[0] = word[0];
        var n = 1;
        var previous = Digit(word[0]);
        for (var i = 1; i < word.Length && n < 4; i++)
        {
            var c = word[i];
            if (c is 'h' or 'w')
            {
                continue; // does not separate two consonants of the same code
            }

            var digit = Digit(c);
            if (digit != '0' && digit != previous)
            {
                code[n++] = digit;
            }

            previous = digit; // a vowel ('0') separates: the same digit after it is written again
        }

        return new string(code);
    }

    /// <summary>
    /// The given names a word may stand for or be shortened to (<c>bill</c>: <c>william</c>, <c>billy</c>,
    /// <c>will</c>, <c>willy</c>), the word itself excluded; empty when the word is in no nickname group.
    /// </summary>
    public static IReadOnlyList<string> Nicknames(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return Groups.Value.TryGetValue(word, out var equivalents) ? equivalents : [];
    }

    /// <summary>Whether two words are in one nickname group (<c>bill</c> and <c>william</c>; <c>bill</c> and <c>will</c>).</summary>
    public static bool AreNicknames(string a, string b)
    {
        var equivalents = Nicknames(a);
        for (var i = 0; i < equivalents.Count; i++)
        {
            if (string.Equals(equivalents[i], b, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static char Digit(char c) => c switch
    {
        'b' or 'f' or 'p' or 'v' => '1',
        'c' or 'g' or 'j' or 'k' or 'q' or 's' or 'x' or 'z' => '2',
        'd' or 't' => '3',
        'l' => '4',
        'm' or 'n' => '5',
        'r' => '6',
        _ => '0', // vowels, y, and anything that is not a letter a to z
    };

    private static FrozenDictionary<string, string[]> LoadNicknames()
    {
        var equivalents = new Dictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var file in (ReadOnlySpan<string>)["nicknames.txt", "nicknames-supplement.txt"])
        {
            var name = "OpenConduct.Core.Officers.Dictionaries." + file;
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"The embedded dictionary {name} is missing from OpenConduct.Core.");
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var group = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                foreach (var word in group)
                {
                    if (!equivalents.TryGetValue(word, out var set))
                    {
                        equivalents[word] = set = new SortedSet<string>(StringComparer.Ordinal);
                    }

                    set.UnionWith(group);
                    set.Remove(word);
                }
            }
        }

        return equivalents.ToFrozenDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }
}
