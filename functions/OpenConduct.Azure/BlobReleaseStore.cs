using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using OpenConduct.Core.Storage;

namespace OpenConduct.Azure;

/// <summary>
/// Releases in a blob container (<c>releases</c>), in the layout of <see cref="FolderReleaseStore"/>:
/// <c>{source}/{releaseId}/{path}</c> and the pointer <c>{source}/latest.json</c>.
/// </summary>
public sealed class BlobReleaseStore : IReleaseStore
{
    private readonly BlobContainerClient container;

    public BlobReleaseStore(BlobContainerClient container)
    {
        ArgumentNullException.ThrowIfNull(container);
        this.container = container;
    }

    public string Location => container.Name;

    public async Task<string?> GetLatestAsync(string source, CancellationToken cancellationToken = default)
    {
        await using var stream = await Pointer(source).OpenReadAsync("latest.json", cancellationToken).ConfigureAwait(false);
        return stream is null ? null : await LatestPointer.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
    }

    public async Task SetLatestAsync(string source, string releaseId, CancellationToken cancellationToken = default)
    {
        StorePaths.Segment(releaseId);
        await Pointer(source).WriteAsync("latest.json", "application/json", (s, ct) => LatestPointer.WriteAsync(s, releaseId, ct), cancellationToken).ConfigureAwait(false);
    }

    public IArtefactStore Open(string source, string releaseId) =>
        new BlobArtefactStore(container, StorePaths.Segment(source) + "/" + StorePaths.Segment(releaseId));

    public async Task<IReadOnlyList<string>> ListAsync(string source, CancellationToken cancellationToken = default)
    {
        var prefix = StorePaths.Segment(source) + "/";
        var ids = new List<string>();

        // The virtual directories one level below the source: "{source}/{releaseId}/". latest.json is a blob, not a prefix.
        var items = container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix, cancellationToken);
        await foreach (var item in items.ConfigureAwait(false))
        {
            if (item.IsPrefix)
            {
                ids.Add(item.Prefix[prefix.Length..].TrimEnd('/'));
            }
        }

        ids.Sort(StringComparer.Ordinal);
        return ids;
    }

    private BlobArtefactStore Pointer(string source) => new(container, StorePaths.Segment(source));
}

/// <summary>
/// The artefacts of one release: blobs under <c>{source}/{releaseId}/</c>. An artefact is written to a temporary
/// local file first and uploaded only once its writer has finished, so a writer that throws leaves nothing at the
/// path, and a blob is only ever committed whole (one Put Blob, or a block list committed at the end).
/// </summary>
public sealed class BlobArtefactStore : IArtefactStore
{
    private readonly BlobContainerClient container;
    private readonly string prefix;

    /// <param name="container">The container.</param>
    /// <param name="prefix">The folder of the artefacts, e.g. <c>{source}/{releaseId}</c> (no trailing '/').</param>
    public BlobArtefactStore(BlobContainerClient container, string prefix)
    {
        ArgumentNullException.ThrowIfNull(container);
        this.container = container;
        this.prefix = StorePaths.Check(prefix);
    }

    public string Location => container.Name + "/" + prefix;

    public async Task<ArtefactInfo> WriteAsync(string path, string contentType, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        var blob = Blob(path);
        var temporary = Path.Combine(Path.GetTempPath(), "openconduct-artefact-" + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            long length;
            string sha256;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                using var hashing = new HashingStream(file);
                await write(hashing, cancellationToken).ConfigureAwait(false);
                await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
                length = hashing.Length;
                sha256 = hashing.Sha256Hex();
            }

            await using (var file = new FileStream(temporary, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
            {
                var options = new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                    Metadata = new Dictionary<string, string> { ["sha256"] = sha256 },
                };
                await blob.UploadAsync(file, options, cancellationToken).ConfigureAwait(false);
            }

            return new ArtefactInfo(path, length, sha256, contentType);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            BlobDownloadStreamingResult download = await Blob(path).DownloadStreamingAsync(options: null, cancellationToken).ConfigureAwait(false);
            return download.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    private BlobClient Blob(string path) => container.GetBlobClient(prefix + "/" + StorePaths.Check(path));
}
