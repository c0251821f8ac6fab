using Microsoft.Extensions.DependencyInjection;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Storage;

namespace OpenConduct.Api;

/// <summary>
/// The cases of every source's live release, by case number, for the case-status lookup. Loaded from the published
/// records (never anything else) on first use, and again whenever a source's live release changes.
/// </summary>
public sealed class CaseDirectory([FromKeyedServices(ApiReleaseStore.Key)] IReleaseStore releases, ApiSources sources)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private Loaded? loaded;

    /// <summary>The live releases the answers come from; <see cref="Version"/> is the ETag of case responses.</summary>
    public sealed class Snapshot
    {
        internal Snapshot(IReadOnlyList<LiveRelease> live) => Live = live;

        public IReadOnlyList<LiveRelease> Live { get; }

        public string Version => string.Join('+', Live.Select(r => r.ToString()));
    }

    /// <summary>Reads the live release pointers (once per request).</summary>
    public async Task<Snapshot> SnapshotAsync(CancellationToken cancellationToken) =>
        new(await releases.GetLiveAsync(sources.Ids, cancellationToken).ConfigureAwait(false));

    /// <summary>Every case of the snapshot's releases with this case number (one per source at most), ignoring case.</summary>
    public async Task<IReadOnlyList<PublishedCase>> FindAsync(string caseNumber, Snapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var current = loaded;
        if (current?.Version != snapshot.Version)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                current = loaded;
                if (current?.Version != snapshot.Version)
                {
                    var records = await PublishedRecords.ReadAsync(releases, snapshot.Live, cancellationToken).ConfigureAwait(false);
                    var byNumber = new Dictionary<string, List<PublishedCase>>(StringComparer.OrdinalIgnoreCase);
                    foreach (var @case in records.SelectMany(r => r.Cases))
                    {
                        if (!byNumber.TryGetValue(@case.CaseNumber, out var list))
                        {
                            byNumber[@case.CaseNumber] = list = [];
                        }

                        list.Add(@case);
                    }

                    loaded = current = new Loaded(snapshot.Version, byNumber);
                }
            }
            finally
            {
                gate.Release();
            }
        }

        return current.Cases.GetValueOrDefault(caseNumber) ?? [];
    }

    /// <summary>The cases of one set of live releases: replaced as a whole, so a reader never mixes two.</summary>
    private sealed record Loaded(string Version, Dictionary<string, List<PublishedCase>> Cases);
}
