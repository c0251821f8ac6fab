namespace OpenConduct.Core.Storage;

/// <summary>An artefact written to a store: where, how big, and its SHA-256 (lower-case hex).</summary>
public sealed record ArtefactInfo(string Path, long Bytes, string Sha256, string ContentType);

/// <summary>
/// The files of one release (a folder locally, a blob prefix in Azure). Writes replace what is at the path, so
/// writing the same artefact twice (a re-run after a crash) leaves one copy with the same content.
/// </summary>
public interface IArtefactStore
{
    /// <summary>A name for messages, e.g. the folder or the blob prefix.</summary>
    string Location { get; }

    /// <summary>
    /// Writes the artefact at <paramref name="path"/> ('/'-separated, relative to the release) with what
    /// <paramref name="write"/> writes to the stream it is given, and returns its size and SHA-256. The content is
    /// visible under the path only once complete (a file is written beside it and moved; a blob is committed at the end).
    /// </summary>
    Task<ArtefactInfo> WriteAsync(string path, string contentType, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default);

    /// <summary>Opens an artefact for reading, or returns null when there is none at the path.</summary>
    Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken = default);
}

/// <summary>
/// Where releases live: per source, one folder per release id plus a <c>latest</c> pointer that moves only once a
/// release is complete. Layout (a folder locally, the <c>releases</c> container in Azure):
/// <c>{source}/{releaseId}/...</c> and <c>{source}/latest.json</c>.
/// </summary>
public interface IReleaseStore
{
    string Location { get; }

    /// <summary>The id of the source's live release, or null before its first.</summary>
    Task<string?> GetLatestAsync(string source, CancellationToken cancellationToken = default);

    /// <summary>Moves the source's <c>latest</c> pointer (one small write: readers see the old or the new release).</summary>
    Task SetLatestAsync(string source, string releaseId, CancellationToken cancellationToken = default);

    /// <summary>The artefacts of one release (which may not exist yet).</summary>
    IArtefactStore Open(string source, string releaseId);

    /// <summary>The release ids of a source, oldest first.</summary>
    Task<IReadOnlyList<string>> ListAsync(string source, CancellationToken cancellationToken = default);
}
