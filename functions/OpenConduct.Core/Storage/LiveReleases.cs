namespace OpenConduct.Core.Storage;

/// <summary>A source's live release: the id its <c>latest</c> pointer names.</summary>
public sealed record LiveRelease(string Source, string ReleaseId)
{
    public override string ToString() => $"{Source}/{ReleaseId}";
}

public static class LiveReleases
{
    /// <summary>
    /// The live release of each source, in the order given; a source without one is left out. Read the pointers
    /// once and pass the result on, so that everything built from it describes the same releases.
    /// </summary>
    public static async Task<IReadOnlyList<LiveRelease>> GetLiveAsync(this IReleaseStore releases, IEnumerable<string> sources, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(sources);
        var live = new List<LiveRelease>();
        foreach (var source in sources)
        {
            if (await releases.GetLatestAsync(source, cancellationToken).ConfigureAwait(false) is { } id)
            {
                live.Add(new LiveRelease(source, id));
            }
        }

        return live;
    }
}
