using System.Runtime.CompilerServices;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// A read-only word -> <see cref="Lex"/> table kept compact: open addressing over the words' 64-bit folded hashes
/// mixed with their length (<see cref="Text.HashSeed"/>), the flags beside them; no characters are kept or compared,
/// so a lookup touches one or two cache lines, with the hash <see cref="Tokenizer"/> computes while reading a word.
/// About 108,000 distinct words take 3 MB.
/// </summary>
internal sealed class WordTable
{
    private readonly ulong[] keys;
    private readonly Lex[] values;
    private readonly int mask;

    private WordTable(ulong[] keys, Lex[] values)
    {
        this.keys = keys;
        this.values = values;
        mask = keys.Length - 1;
    }

    public int Count { get; private init; }

    /// <summary>Builds the table from folded words and their flags (flags of a repeated word are combined).</summary>
    public static WordTable Build(IEnumerable<KeyValuePair<string, Lex>> words)
    {
        var merged = new Dictionary<string, Lex>(StringComparer.Ordinal);
        foreach (var (word, lex) in words)
        {
            if (word.Length > 0)
            {
                merged[word] = merged.GetValueOrDefault(word) | lex;
            }
        }

        var size = 1;
        while (size < merged.Count * 2)
        {
            size <<= 1;
        }

        var keys = new ulong[size];
        var values = new Lex[size];
        foreach (var (word, lex) in merged)
        {
            var key = Key(Text.Hash(word), word.Length);
            var slot = (int)(key & (ulong)(size - 1));
            while (keys[slot] != 0 && keys[slot] != key)
            {
                slot = (slot + 1) & (size - 1);
            }

            keys[slot] = key;
            values[slot] |= lex;
        }

        return new WordTable(keys, values) { Count = merged.Count };
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Key(ulong hash, int length)
    {
        var key = (hash ^ ((ulong)length << 56)) * 0x9E3779B97F4A7C15UL;
        return key == 0 ? 1 : key;
    }

    /// <summary>The flags of <paramref name="word"/> (any case and accents; <paramref name="hash"/>: its folded hash).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Lex Get(ReadOnlySpan<char> word, ulong hash)
    {
        var key = Key(hash, word.Length);
        var slot = (int)(key & (ulong)mask);
        ulong k;
        while ((k = keys[slot]) != 0)
        {
            if (k == key)
            {
                return values[slot];
            }

            slot = (slot + 1) & mask;
        }

        return Lex.None;
    }

    /// <summary>
    /// As <see cref="Get(ReadOnlySpan{char}, ulong)"/>, through a small direct-mapped cache of recent words that the
    /// caller owns (one per thread: <see cref="FreeTextDocument"/>): the frequent words of narratives stay in the
    /// processor's cache instead of a probe into the 3 MB table each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Lex Get(ReadOnlySpan<char> word, ulong hash, ulong[] cacheKeys, Lex[] cacheValues)
    {
        var key = Key(hash, word.Length);
        var line = (int)(key >> 52) & (cacheKeys.Length - 1);
        if (cacheKeys[line] == key)
        {
            return cacheValues[line];
        }

        var lex = Get(word, hash);
        cacheKeys[line] = key;
        cacheValues[line] = lex;
        return lex;
    }

    /// <summary>As <see cref="Get(ReadOnlySpan{char}, ulong)"/>, hashing the word first.</summary>
    public Lex Get(ReadOnlySpan<char> word) => Get(word, Text.FoldedHash(word));
}
