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
}
