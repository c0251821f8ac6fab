using System.Numerics;

namespace OpenConduct.Core.Import;

/// <summary>
/// A set of 128-bit row hashes: open addressing with linear probing in one array, so that an insert costs one
/// cache miss (the set outgrows the caches on large files, and three parallel arrays cost three misses). The
/// keys are already uniform hashes, so their low bits index the table directly. 16 bytes a slot, at a load of at
/// most 1/2.
/// </summary>
internal sealed class RowHashSet
{
    private UInt128[] slots;
    private bool hasZero; // 0 marks an empty slot; the hash 0 itself is kept aside

    /// <param name="expected">How many hashes are expected; the table starts large enough for them.</param>
    public RowHashSet(long expected = 1024) =>
        slots = new UInt128[(int)Math.Min(1 << 30, BitOperations.RoundUpToPowerOf2((ulong)Math.Max(2048, expected * 2)))];

    public int Count { get; private set; }

    /// <summary>Grows the table once to hold <paramref name="expected"/> hashes, instead of doubling on the way.</summary>
    public void EnsureCapacity(long expected)
    {
        var size = (long)BitOperations.RoundUpToPowerOf2((ulong)Math.Clamp(expected * 2, 2048, 1 << 30));
        if (size > slots.Length)
        {
            Rehash((int)size);
        }
    }

    public bool Contains(UInt128 hash)
    {
        if (hash == UInt128.Zero)
        {
            return hasZero;
        }

        var mask = slots.Length - 1;
        for (var i = (int)((ulong)hash & (ulong)mask); ; i = (i + 1) & mask)
        {
            if (slots[i] == UInt128.Zero)
            {
                return false;
            }

            if (slots[i] == hash)
            {
                return true;
            }
        }
    }

    /// <summary>Adds the hash; false when it was already present.</summary>
    public bool Add(UInt128 hash)
    {
        if (hash == UInt128.Zero)
        {
            var added = !hasZero;
            hasZero = true;
            Count += added ? 1 : 0;
            return added;
        }

        if ((Count + 1) * 2 > slots.Length)
        {
            Grow();
        }

        var mask = slots.Length - 1;
        for (var i = (int)((ulong)hash & (ulong)mask); ; i = (i + 1) & mask)
        {
            var slot = slots[i];
            if (slot == UInt128.Zero)
            {
                slots[i] = hash;
                Count++;
                return true;
            }

            if (slot == hash)
            {
                return false;
            }
        }
    }

    private void Grow() => Rehash(slots.Length * 2);

    private void Rehash(int size)
    {
        var old = slots;
        slots = new UInt128[size];
        Count = hasZero ? 1 : 0;
        foreach (var hash in old)
        {
            if (hash != UInt128.Zero)
            {
                Add(hash);
            }
        }
    }
}
