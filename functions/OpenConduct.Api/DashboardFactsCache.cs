using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenConduct.Core.Dashboards;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;

namespace OpenConduct.Api;

/// <summary>
/// The dashboard facts of every source's live release, combined, for the dashboards. Each release's
/// <c>internal/dashboard-facts.bin.gz</c> is checked against the SHA-256 its manifest records before it is used; the
/// whole set is loaded on first use and replaced as a whole whenever a source's live release changes, so a reader
/// never mixes two. The facts are private microdata: only <see cref="DashboardQueries"/>' suppressed tables leave.
/// </summary>
public sealed partial class DashboardFactsCache([FromKeyedServices(ApiReleaseStore.Key)] IReleaseStore releases, ApiSources sources, ILogger<DashboardFactsCache> logger)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private Loaded? loaded;

    /// <summary>The live releases of one request; <see cref="Version"/> is the ETag of dashboard responses.</summary>
    public sealed class Snapshot
    {
        internal Snapshot(IReadOnlyList<LiveRelease> live) => Live = live;

        public IReadOnlyList<LiveRelease> Live { get; }

        public string Version => ReleaseFiles.Version(Live);
    }

    /// <summary>What the dashboards count: the combined facts, and notes on releases left out (no facts, or facts that fail their check).</summary>
    public sealed record Facts(DashboardFacts Combined, IReadOnlyList<string> Notes);

    /// <summary>Reads the live release pointers (once per request).</summary>
    public async Task<Snapshot> SnapshotAsync(CancellationToken cancellationToken) =>
        new(await releases.GetLiveAsync(sources.Ids, cancellationToken).ConfigureAwait(false));

    /// <summary>The facts of the snapshot's releases (loaded once per set of live releases).</summary>
    public async Task<Facts> GetAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var current = loaded;
        if (current?.Version == snapshot.Version)
        {
            return current.Facts;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            current = loaded;
            if (current?.Version != snapshot.Version)
            {
                loaded = current = new Loaded(snapshot.Version, await LoadAsync(snapshot.Live, cancellationToken).ConfigureAwait(false));
            }
        }
        finally
        {
            gate.Release();
        }

        return current.Facts;
    }

    private async Task<Facts> LoadAsync(IReadOnlyList<LiveRelease> live, CancellationToken cancellationToken)
    {
        var parts = new List<DashboardFactsPart>();
        var notes = new List<string>();
        foreach (var (source, releaseId) in live)
        {
            var store = releases.Open(source, releaseId);
            if (await ReleaseManifestIo.ReadAsync(store, cancellationToken).ConfigureAwait(false) is not { } manifest)
            {
                continue;
            }

            try
            {
                if (await DashboardFactsIo.ReadVerifiedAsync(store, manifest, cancellationToken).ConfigureAwait(false) is { } part)
                {
                    parts.Add(part);
                }
                else
                {
                    notes.Add($"Source '{source}' is not counted: its live release ({releaseId}) was built before dashboards existed and has no dashboard facts.");
                }
            }
            catch (InvalidDataException ex)
            {
                FactsRejected(logger, source, releaseId, ex.Message);
                notes.Add($"Source '{source}' is not counted: the dashboard facts of its live release ({releaseId}) fail their integrity check.");
            }
        }

        return new Facts(DashboardFacts.Combine(parts), notes);
    }

    [LoggerMessage(EventId = 40, EventName = "DashboardFactsRejected", Level = LogLevel.Error, Message = "Dashboard facts of {Source} release {ReleaseId} rejected: {Reason}")]
    private static partial void FactsRejected(ILogger logger, string source, string releaseId, string reason);

    private sealed record Loaded(string Version, Facts Facts);
}
