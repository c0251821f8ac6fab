using OpenConduct.Core.Officers;
using OpenConduct.Lucene;
using OpenConduct.Tests.Shared;

namespace OpenConduct.Lucene.Tests;

/// <summary>The shared conformance suite (tests/Shared) against the embedded index, in a temp folder per test.</summary>
public sealed class LuceneConformanceTests : OfficerIndexConformance
{
    private readonly TempFolder folder = new();
    private readonly List<LuceneOfficerIndex> indexes = [];

    protected override Task<IOfficerIndex> CreateIndexAsync()
    {
        var index = new LuceneOfficerIndex(folder.Path);
        indexes.Add(index);
        return Task.FromResult<IOfficerIndex>(index);
    }

    protected override Task CleanupAsync()
    {
        foreach (var index in indexes)
        {
            index.Dispose();
        }

        folder.Dispose();
        return Task.CompletedTask;
    }
}
