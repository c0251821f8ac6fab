using OpenConduct.Core.Import;

namespace OpenConduct.Core.Tests.Import;

public sealed class RowHashSetTests
{
    [Fact]
    public void Behaves_like_a_HashSet_through_growth_including_the_zero_hash()
    {
        var set = new RowHashSet(1);
        var reference = new HashSet<UInt128>();
        var random = new Random(7);
        for (var i = 0; i < 50_000; i++)
        {
            // Many repeats, colliding low bits, and the zero hash.
            var hash = random.Next(4) switch
            {
                0 => UInt128.Zero,
                1 => new UInt128((ulong)random.Next(100), 42),
                _ => new UInt128((ulong)random.NextInt64(), (ulong)random.Next(3000)),
            };
            Assert.Equal(reference.Add(hash), set.Add(hash));
        }

        Assert.Equal(reference.Count, set.Count);

        set.EnsureCapacity(1_000_000); // rehashes once; nothing is lost
        Assert.Equal(reference.Count, set.Count);
        Assert.All(reference, hash => Assert.True(set.Contains(hash)));
        Assert.False(set.Contains(new UInt128(1, 1)));
    }

    [Fact]
    public void As_a_map_behaves_like_a_Dictionary_through_growth_including_the_zero_hash()
    {
        var map = new RowHashSet(1);
        var reference = new Dictionary<UInt128, int>();
        var random = new Random(11);
        for (var i = 0; i < 50_000; i++)
        {
            var hash = random.Next(5) switch
            {
                0 => UInt128.Zero,
                1 => new UInt128(42, (ulong)random.Next(64)), // the same low bits: long probe runs
                _ => new UInt128((ulong)random.NextInt64(), (ulong)random.Next(5000)),
            };
            if (random.Next(3) == 0)
            {
                Assert.Equal(reference.TryGetValue(hash, out var expected), map.TryGetValue(hash, out var value));
                Assert.Equal(expected, value);
            }
            else
            {
                reference[hash] = i;
                map.Set(hash, i);
            }
        }

        Assert.Equal(reference.Count, map.Count);
        map.EnsureCapacity(500_000);
        Assert.All(reference, pair => Assert.Equal((true, pair.Value), (map.TryGetValue(pair.Key, out var value), value)));
        Assert.False(map.TryGetValue(new UInt128(1, 1), out _));
    }
}
