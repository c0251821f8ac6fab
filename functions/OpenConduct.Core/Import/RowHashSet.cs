using System.Numerics;

namespace OpenConduct.Core.Import;

/// <summary>
/// A set of 128-bit row hashes (open addressing, linear probing). The keys are already uniform hashes, so their
/// low bits index the table directly; this is several times faster than <see cref="HashSet{T}"/> of
/// <see cref="UInt128"/> on the import's hot path and costs 16 bytes a row at a load factor of at most 1/2.
/// </summary>
internal sealed class RowHashSet
{
    private ulong[] low;
    private ulong[] high;
    private bool[] used;

    /// <param name="expected">How many hashes are expected; the table starts large enough for them.</param>
    public RowHashSet(long expected = 1024)
    {
        var size = (int)Math.Min(1 << 30, BitOperations.RoundUpToPowerOf2((ulong)Math.Max(2048, expected * 2)));
        (low, high, used) = (new ulong[size], new ulong[size], new bool[size]);
    }

    public int Count { get; private set; }

    /// <summary>Adds the hash; false when it was already present.</summary>
    public bool Add(UInt128 hash)
    {
        if ((Count + 1) * 2 > used.Length)
        {
            Grow();
        }

        var (lo, hi) = ((ulong)hash, (ulong)(hash >> 64));
        var mask = used.Length - 1;
        for (var i = (int)(lo & (ulong)mask); ; i = (i + 1) & mask)
        {
            if (!used[i])
            {
                (low[i], high[i], used[i]) = (lo, hi, true);
                Count++;
                return true;
            }

            if (low[i] == lo && high[i] == hi)
            {
                return false;
            }
        }
    }

    private void Grow()
    {
        var (oldLow, oldHigh, oldUsed) = (low, high, used);
        low = new ulong[oldUsed.Length * 2];
        high = new ulong[oldUsed.Length * 2];
        used = new bool[oldUsed.Length * 2];
        Count = 0;
        for (var i = 0; i < oldUsed.Length; i++)
        {
            if (oldUsed[i])
            {
                Add(new UInt128(oldHigh[i], oldLow[i]));
            }
        }
    }
}
