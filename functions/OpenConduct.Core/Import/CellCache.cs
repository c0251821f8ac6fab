using System.IO.Hashing;

namespace OpenConduct.Core.Import;

/// <summary>
/// Conversions of a column's cells keyed by the cells' UTF-8 bytes: a coded column repeats a few distinct values,
/// and finding one by its bytes (XxHash3, then a byte comparison) costs a fraction of making a string and hashing
/// its characters. The cached string is handed out as the raw value, so repeated values share one string. Open
/// addressing at a load of at most 1/2; stops growing at <see cref="Limit"/> entries (later values are simply
/// converted every time).
/// </summary>
internal sealed class CellCache<T>
{
    public const int Limit = 50_000;

    private Entry[] entries = new Entry[32];

    public int Count { get; private set; }

    public bool TryGet(ReadOnlySpan<byte> cell, out string raw, out T value)
    {
        var hash = XxHash3.HashToUInt64(cell);
        var mask = entries.Length - 1;
        for (var i = (int)hash & mask; ; i = (i + 1) & mask)
        {
            ref var entry = ref entries[i];
            if (entry.Key is null)
            {
                (raw, value) = (null!, default!);
                return false;
            }

            if (entry.Hash == hash && cell.SequenceEqual(entry.Key))
            {
                (raw, value) = (entry.Raw, entry.Value);
                return true;
            }
        }
    }

    public void Add(ReadOnlySpan<byte> cell, string raw, T value)
    {
        if (Count >= Limit)
        {
            return;
        }

        if ((Count + 1) * 2 > entries.Length)
        {
            var old = entries;
            entries = new Entry[old.Length * 2];
            foreach (var entry in old)
            {
                if (entry.Key is not null)
                {
                    Insert(entry);
                }
            }
        }

        Insert(new Entry(cell.ToArray(), XxHash3.HashToUInt64(cell), raw, value));
        Count++;
    }

    private void Insert(Entry entry)
    {
        var mask = entries.Length - 1;
        var i = (int)entry.Hash & mask;
        while (entries[i].Key is not null)
        {
            i = (i + 1) & mask;
        }

        entries[i] = entry;
    }

    private readonly record struct Entry(byte[] Key, ulong Hash, string Raw, T Value);
}
