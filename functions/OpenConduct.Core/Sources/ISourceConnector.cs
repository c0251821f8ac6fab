using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Sources;

/// <summary>What a connector knows of the last pull, for conditional requests.</summary>
public sealed record PullConditions(string? ETag, DateTimeOffset? LastModified);

/// <summary>One file of a pulled export, written to the staging folder.</summary>
public sealed record StagedFile(string Name, string LocalPath, long Bytes, string Sha256);

/// <summary>What a pull fetched: nothing new (<see cref="NotModified"/>), or the files of the export.</summary>
public sealed record PullResult
{
    public bool NotModified { get; init; }

    public IReadOnlyList<StagedFile> Files { get; init; } = [];

    /// <summary>The URL the export came from (for provenance).</summary>
    public string? Url { get; init; }

    public string? ETag { get; init; }

    public DateTimeOffset? LastModified { get; init; }

    /// <summary>How many requests it took (pages and retries).</summary>
    public int Requests { get; init; }

    public static PullResult Unchanged(string? url, string? etag, DateTimeOffset? lastModified) =>
        new() { NotModified = true, Url = url, ETag = etag, LastModified = lastModified };
}

/// <summary>A pull failed for good (after retries): the message names the URL and the reason.</summary>
public sealed class PullException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Fetches a source's export into a staging folder.</summary>
public interface ISourceConnector
{
    SourceKind Kind { get; }

    /// <summary>
    /// Fetches the export of <paramref name="source"/> into files under <paramref name="stagingFolder"/>, or reports
    /// that it has not changed since <paramref name="conditions"/>. Throws <see cref="PullException"/> when it
    /// cannot be fetched (after retrying transient failures).
    /// </summary>
    Task<PullResult> PullAsync(SourceDefinition source, PullConditions conditions, string stagingFolder, IProgress<string>? progress = null, CancellationToken cancellationToken = default);
}

/// <summary>Writes a staged file and computes its size and SHA-256 on the way.</summary>
public static class Staging
{
    public static async Task<StagedFile> WriteAsync(string stagingFolder, string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        Directory.CreateDirectory(stagingFolder);
        var path = Path.Combine(stagingFolder, StorePaths.Segment(name));
        HashingStream hashing;
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            hashing = new HashingStream(file);
            await write(hashing, cancellationToken).ConfigureAwait(false);
            await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        return new StagedFile(name, path, hashing.Length, hashing.Sha256Hex());
    }
}
