using System.Runtime.CompilerServices;

namespace OpenConduct.Core.Disclosure.FreeText;

/// <summary>
/// A read-only word -> <see cref="Lex"/> table kept compact: every word's folded characters in one pool, open addressing
/// over entry indexes, the FNV-1a hash that <see cref="Tokenizer"/> computes while reading a word. About 150,000 words
/// take some 5 MB and a lookup is one probe or two.
/// </summary>
internal sealed class WordTable
{
    private readonly char[] pool;
    private readonly int[] offsets;
    private readonly byte[] lengths;
    private readonly Lex[] values;
    private readonly int[] slots;
    private readonly int mask;

    private WordTable(char[] pool, int[] offsets, byte[] lengths, Lex[] values, int[] slots)
    {
        this.pool = pool;
        this.offsets = offsets;
        this.lengths = lengths;
        this.values = values;
        this.slots = slots;
        mask = slots.Length - 1;
    }

    public int Count => offsets.Length;

    /// <summary>Builds the table from folded words and their flags (flags of a repeated word are combined).</summary>
    public static WordTable Build(IEnumerable<KeyValuePair<string, Lex>> words)
    {
        var merged = new Dictionary<string, Lex>(StringComparer.Ordinal);
        foreach (var (word, lex) in words)
        {
            if (word.Length is > 0 and <= byte.MaxValue)
            {
                merged[word] = merged.GetValueOrDefault(word) | lex;
            }
        }

        var size = 1;
        while (size < merged.Count * 2)
        {
            size <<= 1;
        }

        var pool = new char[merged.Keys.Sum(k => k.Length)];
        var offsets = new int[merged.Count];
        var lengths = new byte[merged.Count];
        var values = new Lex[merged.Count];
        var slots = new int[size];
        var at = 0;
        var index = 0;
        foreach (var (word, lex) in merged)
        {
            word.CopyTo(pool.AsSpan(at));
            offsets[index] = at;
            lengths[index] = (byte)word.Length;
            values[index] = lex;
            var slot = (int)(Text.Hash(word) & (uint)(size - 1));
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & (size - 1);
            }

            slots[slot] = index + 1;
            at += word.Length;
            index++;
        }

        return new WordTable(pool, offsets, lengths, values, slots);
    }

    /// <summary>The flags of <paramref name="word"/> (any case and accents; <paramref name="hash"/>: its folded FNV-1a hash).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Lex Get(ReadOnlySpan<char> word, uint hash)
    {
        var slot = (int)(hash & (uint)mask);
        int entry;
        while ((entry = slots[slot]) != 0)
        {
            entry--;
            if (lengths[entry] == word.Length && Text.FoldedEquals(pool.AsSpan(offsets[entry], word.Length), word))
            {
                return values[entry];
            }

            slot = (slot + 1) & mask;
        }

        return Lex.None;
    }

    /// <summary>As <see cref="Get(ReadOnlySpan{char}, uint)"/>, hashing the word first.</summary>
    public Lex Get(ReadOnlySpan<char> word) => Get(word, Text.FoldedHash(word));
}
