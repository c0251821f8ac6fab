using System.Numerics;

namespace OpenConduct.Core.Import;

/// <summary>
/// A set of 128-bit row hashes, or a map of them to an int: open addressing with linear probing in one array, so that
/// an insert costs one cache miss (the set outgrows the caches on large files, and three parallel arrays cost three
/// misses). The keys are already uniform hashes, so their low bits index the table directly (no hashing again, as a
/// dictionary of <see cref="UInt128"/> would). 16 bytes a slot, at a load of at most 1/2; a map keeps its values
/// in a second array, read only on a hit.
/// </summary>
internal sealed class RowHashSet
{
    private UInt128[] slots;
    private int[]? values; // a map's values, by slot (made by the first Set)
    private bool hasZero; // 0 marks an empty slot; the hash 0 itself is kept aside
    private int zeroValue;

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

    public bool Contains(UInt128 hash) => hash == UInt128.Zero ? hasZero : slots[Slot(hash)] != UInt128.Zero;

    /// <summary>The value set for the hash (<see cref="Set"/>).</summary>
    public bool TryGetValue(UInt128 hash, out int value)
    {
        if (hash == UInt128.Zero)
        {
            value = hasZero ? zeroValue : 0;
            return hasZero;
        }

        var slot = Slot(hash);
        var found = slots[slot] != UInt128.Zero;
        value = found && values is not null ? values[slot] : 0;
        return found;
    }

    /// <summary>Adds the hash; false when it was already present.</summary>
    public bool Add(UInt128 hash) => Insert(hash, 0, setValue: false);

    /// <summary>Adds the hash with its value, or replaces the value of a hash present.</summary>
    public void Set(UInt128 hash, int value)
    {
        values ??= new int[slots.Length];
        Insert(hash, value, setValue: true);
    }

    /// <summary>The slot that holds the hash, or the empty slot where it would go.</summary>
    private int Slot(UInt128 hash)
    {
        var mask = slots.Length - 1;
        var i = (int)((ulong)hash & (ulong)mask);
        while (slots[i] != UInt128.Zero && slots[i] != hash)
        {
            i = (i + 1) & mask;
        }

        return i;
    }

    private bool Insert(UInt128 hash, int value, bool setValue)
    {
        if (hash == UInt128.Zero)
        {
            var added = !hasZero;
            hasZero = true;
            zeroValue = setValue ? value : zeroValue;
            Count += added ? 1 : 0;
            return added;
        }

        if ((Count + 1) * 2 > slots.Length)
        {
            Rehash(slots.Length * 2);
        }

        var slot = Slot(hash);
        if (setValue)
        {
            values![slot] = value;
        }

        if (slots[slot] != UInt128.Zero)
        {
            return false;
        }

        slots[slot] = hash;
        Count++;
        return true;
    }

    private void Rehash(int size)
    {
        var (oldSlots, oldValues) = (slots, values);
        slots = new UInt128[size];
        values = oldValues is null ? null : new int[size];
        Count = hasZero ? 1 : 0;
        for (var i = 0; i < oldSlots.Length; i++)
        {
            if (oldSlots[i] != UInt128.Zero)
            {
                Insert(oldSlots[i], oldValues is null ? 0 : oldValues[i], setValue: oldValues is not null);
            }
        }
    }
}
