using System.Runtime.CompilerServices;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using OpenConduct.Core.Storage;

namespace OpenConduct.Azure;

/// <summary>
/// A blob container as an <see cref="IBlobContainer"/>. Metadata keys must be C# identifiers of ASCII letters,
/// digits and '_' (Azure's rule for metadata names, so <c>pulledAt</c> but not <c>pulled-at</c>) and values
/// printable ASCII (they travel as HTTP headers: escape anything else, e.g. with <see cref="Uri.EscapeDataString(string)"/>);
/// metadata read back is looked up case-insensitively, as Azure treats the names.
/// </summary>
public sealed class BlobContainerStore : IBlobContainer
{
    private readonly BlobContainerClient container;

    /// <param name="container">The container (which must exist: see <see cref="OpenConductStorage.EnsureCreatedAsync"/>).</param>
    /// <param name="leaseDuration">How long a lease lasts unless renewed, 15 to 60 seconds (default 60); leases are renewed every third of it.</param>
    public BlobContainerStore(BlobContainerClient container, TimeSpan? leaseDuration = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        var duration = leaseDuration ?? TimeSpan.FromSeconds(60);
        if (duration < TimeSpan.FromSeconds(15) || duration > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentOutOfRangeException(nameof(leaseDuration), duration, "a blob lease lasts 15 to 60 seconds");
        }

        this.container = container;
        LeaseDuration = duration;
    }

    public string Name => container.Name;

    /// <summary>How long a lease lasts unless renewed.</summary>
    public TimeSpan LeaseDuration { get; }

    /// <summary>How often a held lease is renewed: a third of <see cref="LeaseDuration"/>, so two renewals may fail before it lapses.</summary>
    internal TimeSpan RenewInterval => LeaseDuration / 3;

    public async Task<StoredObject?> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            BlobProperties properties = await Blob(path).GetPropertiesAsync(conditions: null, cancellationToken).ConfigureAwait(false);
            return new StoredObject(path, properties.ContentLength, Quoted(properties.ETag), properties.LastModified, ReadMetadata(properties.Metadata));
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            BlobDownloadStreamingResult download = await Blob(path).DownloadStreamingAsync(options: null, cancellationToken).ConfigureAwait(false);
            return download.Content;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new FileNotFoundException($"there is no blob '{path}' in container '{Name}'", path, e);
        }
    }

    public async Task<StoredObject> UploadAsync(string path, Stream content, IReadOnlyDictionary<string, string>? metadata = null, bool overwrite = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var blob = Blob(path);
        var stored = WriteMetadata(metadata);
        var options = new BlobUploadOptions
        {
            Metadata = stored,
            Conditions = overwrite ? null : new BlobRequestConditions { IfNoneMatch = ETag.All },
        };

        // The size: from the stream when it can tell, else counted as the SDK reads it.
        Stream source = content;
        long? size = content.CanSeek ? content.Length - content.Position : null;
        CountingStream? counting = null;
        if (size is null)
        {
            source = counting = new CountingStream(content);
        }

        try
        {
            BlobContentInfo info = await blob.UploadAsync(source, options, cancellationToken).ConfigureAwait(false);
            return new StoredObject(path, size ?? counting!.Count, Quoted(info.ETag), info.LastModified, ReadMetadata(stored));
        }
        catch (RequestFailedException e) when (!overwrite && (e.Status == 409 || e.ErrorCode == BlobErrorCode.BlobAlreadyExists))
        {
            throw new InvalidOperationException($"blob '{path}' already exists in container '{Name}' (upload without overwrite)", e);
        }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Blob listings are in name order; positional arguments because 12.30's overloads are ambiguous otherwise.
        var blobs = container.GetBlobsAsync(BlobTraits.Metadata, BlobStates.None, string.IsNullOrEmpty(prefix) ? null : prefix, cancellationToken);
        await foreach (var item in blobs.ConfigureAwait(false))
        {
            var properties = item.Properties;
            yield return new StoredObject(item.Name, properties.ContentLength ?? 0, Quoted(properties.ETag), properties.LastModified ?? default, ReadMetadata(item.Metadata));
        }
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken = default) =>
        await Blob(path).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, conditions: null, cancellationToken).ConfigureAwait(false);

    public async Task<IAsyncDisposable?> TryAcquireLeaseAsync(string path, CancellationToken cancellationToken = default)
    {
        var blob = Blob(path);
        for (var attempt = 1; ; attempt++)
        {
            await CreateEmptyIfMissingAsync(blob, cancellationToken).ConfigureAwait(false);
            var lease = blob.GetBlobLeaseClient();
            try
            {
                await lease.AcquireAsync(LeaseDuration, conditions: null, cancellationToken).ConfigureAwait(false);
                return new BlobLease(lease, RenewInterval);
            }
            catch (RequestFailedException e) when (e.ErrorCode == BlobErrorCode.LeaseAlreadyPresent || e.Status == 409)
            {
                return null;
            }
            catch (RequestFailedException e) when (e.Status == 404 && attempt < 3)
            {
                // Deleted between creating and leasing it: create it again.
            }
        }
    }

    private static async Task CreateEmptyIfMissingAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        try
        {
            var options = new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } };
            await blob.UploadAsync(BinaryData.Empty, options, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // It exists already (409), or exists and is leased (412): either way there is something to lease.
        }
    }

    private BlobClient Blob(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return container.GetBlobClient(path);
    }

    /// <summary>An ETag in one form, quoted as in HTTP headers (listings return it bare, properties quoted).</summary>
    private static string? Quoted(ETag? etag) =>
        etag?.ToString() switch
        {
            null or "" => null,
            var text when text.StartsWith('"') || text.StartsWith("W/", StringComparison.Ordinal) => text,
            var text => "\"" + text + "\"",
        };

    private static Dictionary<string, string>? WriteMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null || metadata.Count == 0)
        {
            return null;
        }

        var stored = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in metadata)
        {
            if (key.Length == 0 || char.IsAsciiDigit(key[0]) || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new ArgumentException($"metadata key '{key}' is not a C# identifier (ASCII letters, digits and '_', not starting with a digit), which Azure requires", nameof(metadata));
            }

            ArgumentNullException.ThrowIfNull(value, $"metadata value of '{key}'");
            if (!value.All(c => c is >= ' ' and <= '~'))
            {
                throw new ArgumentException($"metadata value of '{key}' must be printable ASCII (it is sent as an HTTP header): escape it, e.g. with Uri.EscapeDataString", nameof(metadata));
            }

            if (!stored.TryAdd(key, value))
            {
                throw new ArgumentException($"metadata key '{key}' appears twice (Azure metadata names are case-insensitive)", nameof(metadata));
            }
        }

        return stored;
    }

    private static Dictionary<string, string> ReadMetadata(IDictionary<string, string>? metadata) =>
        metadata is null ? new(StringComparer.OrdinalIgnoreCase) : new(metadata, StringComparer.OrdinalIgnoreCase);

    /// <summary>A read-only pass-through that counts the bytes read (for uploads from streams that cannot tell their length).</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Count { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => Count;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Counted(inner.Read(buffer));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Counted(int read)
        {
            Count += read;
            return read;
        }
    }
}

/// <summary>
/// A held blob lease: renewed in the background every <c>renewEvery</c> until disposed, then released. If renewing
/// fails for good (the lease was broken or lost), renewing stops and the lease lapses.
/// </summary>
internal sealed class BlobLease : IAsyncDisposable
{
    private readonly BlobLeaseClient client;
    private readonly CancellationTokenSource stop = new();
    private readonly Task renewing;
    private int disposed;

    public BlobLease(BlobLeaseClient client, TimeSpan renewEvery)
    {
        this.client = client;
        renewing = Task.Run(() => RenewAsync(renewEvery, stop.Token));
    }

    public string LeaseId => client.LeaseId;

    /// <summary>How many renewals succeeded (for tests).</summary>
    internal int Renewals { get; private set; }

    /// <summary>False once renewing failed for good: the lease was broken, or changed hands after lapsing.</summary>
    internal bool Renewing { get; private set; } = true;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await StopRenewingAsync().ConfigureAwait(false);
        try
        {
            await client.ReleaseAsync(conditions: null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            // The blob is gone, or the lease lapsed and is someone else's now: nothing of ours to release.
        }
    }

    /// <summary>Stops renewing without releasing, as a holder that dies would (for tests of lapsing leases).</summary>
    internal async Task AbandonAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            await StopRenewingAsync().ConfigureAwait(false);
        }
    }

    private async Task StopRenewingAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await renewing.ConfigureAwait(false);
        stop.Dispose();
    }

    private async Task RenewAsync(TimeSpan every, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(every);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await client.RenewAsync(conditions: null, cancellationToken).ConfigureAwait(false);
                    Renewals++;
                }
                catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
                {
                    // Lost for good (blob deleted, lease broken or taken after lapsing).
                    Renewing = false;
                    return;
                }
                catch (Exception e) when (e is RequestFailedException or AggregateException or IOException or HttpRequestException)
                {
                    // A transient failure after the client's own retries: try again at the next tick, the lease
                    // survives two missed renewals.
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
