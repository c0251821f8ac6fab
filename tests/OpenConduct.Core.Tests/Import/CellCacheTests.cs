using System.Text;
using OpenConduct.Core.Import;

namespace OpenConduct.Core.Tests.Import;

public sealed class CellCacheTests
{
    [Fact]
    public void Finds_values_by_bytes_through_growth_and_stops_at_its_limit()
    {
        var cache = new CellCache<int>();
        for (var i = 0; i < 1000; i++)
        {
            cache.Add(Encoding.UTF8.GetBytes($"code-{i}"), $"code-{i}", i);
        }

        for (var i = 0; i < 1000; i++)
        {
            Assert.True(cache.TryGet(Encoding.UTF8.GetBytes($"code-{i}"), out var raw, out var value));
            Assert.Equal(($"code-{i}", i), (raw, value));
        }

        Assert.False(cache.TryGet("code-1000"u8, out _, out _));
        Assert.False(cache.TryGet(""u8, out _, out _));

        for (var i = 1000; i < CellCache<int>.Limit + 10; i++)
        {
            cache.Add(Encoding.UTF8.GetBytes($"code-{i}"), "", i);
        }

        Assert.Equal(CellCache<int>.Limit, cache.Count);
        Assert.False(cache.TryGet(Encoding.UTF8.GetBytes($"code-{CellCache<int>.Limit + 5}"), out _, out _));
    }
}
