namespace OpenConduct.Core.Storage;

/// <summary>A stored object: its path in its container, size, ETag, time and metadata.</summary>
public sealed record StoredObject(string Path, long Size, string? ETag, DateTimeOffset LastModified, IReadOnlyDictionary<string, string> Metadata);

/// <summary>
/// A container of objects (a blob container in Azure): the port through which the pipeline reads agency drops and
/// keeps raw exports and quarantined ones. Paths are '/'-separated.
/// </summary>
public interface IBlobContainer
{
    string Name { get; }

    /// <summary>The object's properties and metadata, or null when there is none.</summary>
    Task<StoredObject?> GetAsync(string path, CancellationToken cancellationToken = default);

    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Uploads <paramref name="content"/> (read to its end) and returns the stored object; replaces what is there when <paramref name="overwrite"/>.</summary>
    Task<StoredObject> UploadAsync(string path, Stream content, IReadOnlyDictionary<string, string>? metadata = null, bool overwrite = true, CancellationToken cancellationToken = default);

    /// <summary>The objects whose paths start with <paramref name="prefix"/>, in path order.</summary>
    IAsyncEnumerable<StoredObject> ListAsync(string prefix, CancellationToken cancellationToken = default);

    Task DeleteAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes an exclusive lease on <paramref name="path"/> (creating an empty object there if needed), or returns
    /// null when another holder has it. The lease is renewed until it is disposed; a holder that dies loses it
    /// after the lease period.
    /// </summary>
    Task<IAsyncDisposable?> TryAcquireLeaseAsync(string path, CancellationToken cancellationToken = default);
}

/// <summary>The pipeline's containers.</summary>
public sealed record PipelineContainers(IBlobContainer Incoming, IBlobContainer Raw, IBlobContainer Quarantine);
