using System.IO.Compression;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// The scrubber's dictionaries, loaded once from the gzip'd lists embedded in the assembly (Dictionaries/, built by
/// scripts/dictionaries.py) and from <see cref="Vocabulary"/>: about 108,000 distinct words in one <see cref="WordTable"/>.
/// </summary>
internal static class Lexicon
{
    /// <summary>Surnames ranked up to here count as <see cref="Lex.Last"/>; rarer ones are too often also places or words.</summary>
    public const int SurnameRank = 30_000;

    public const int FrequentSurnameRank = 5_000;

    public const int FrequentFirstRank = 3_000;

    private static readonly Lazy<WordTable> Table = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    public static WordTable Words => Table.Value;

    /// <summary>The flags of one word (any case, accents).</summary>
    public static Lex Get(ReadOnlySpan<char> word) => Words.Get(word);

    /// <summary>True when the English dictionary lists the word (in any case).</summary>
    public static bool IsEnglishWord(ReadOnlySpan<char> word) => (Get(word) & Lex.Word) != 0;

    private static WordTable Build()
    {
        var words = new List<KeyValuePair<string, Lex>>(180_000);
        void Add(string list, Lex lex)
        {
            foreach (var w in list.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                words.Add(new(w, lex));
            }
        }

        var rank = 0;
        foreach (var w in Read("english-words"))
        {
            words.Add(new(w, Lex.Word));
        }

        rank = 0;
        foreach (var w in Read("first-names"))
        {
            words.Add(new(w, ++rank <= FrequentFirstRank ? Lex.First | Lex.FrequentFirst : Lex.First));
        }

        rank = 0;
        foreach (var w in Read("surnames"))
        {
            if (++rank > SurnameRank)
            {
                break;
            }

            words.Add(new(w, rank <= FrequentSurnameRank ? Lex.Last | Lex.FrequentLast : Lex.Last));
        }

        foreach (var line in Read("street-suffixes"))
        {
            Add(line, Lex.Street);
        }

        Add(Vocabulary.Titles, Lex.Title | Lex.Function);
        Add(Vocabulary.Ranks, Lex.Rank | Lex.Function);
        Add(Vocabulary.Cues, Lex.Cue | Lex.Function);
        Add(Vocabulary.Roles, Lex.Role | Lex.Function);
        Add(Vocabulary.Verbs, Lex.Verb | Lex.Function);
        Add(Vocabulary.Auxiliaries, Lex.Aux | Lex.Function);
        Add(Vocabulary.Particles, Lex.Particle);
        Add(Vocabulary.Suffixes, Lex.Suffix);
        Add(Vocabulary.Determiners, Lex.Determiner | Lex.Function);
        Add(Vocabulary.Directionals, Lex.Directional);
        Add(Vocabulary.NameCues, Lex.NameCue);
        Add(Vocabulary.Acronyms, Lex.Acronym);
        Add(Vocabulary.Proper, Lex.Proper);
        Add(Vocabulary.PlaceHeads, Lex.PlaceHead);
        Add(Vocabulary.Function, Lex.Function);
        Add("as", Lex.Connector);
        Add("named", Lex.Connector);
        return WordTable.Build(words);
    }

    private static IEnumerable<string> Read(string name)
    {
        var resource = $"OpenConduct.Core.Disclosure.FreeText.Dictionaries.{name}.txt.gz";
        using var stream = typeof(Lexicon).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the scrubber dictionary '{resource}' is not embedded in the assembly");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                yield return line;
            }
        }
    }
}
