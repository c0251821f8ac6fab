using System.Security.Cryptography;
using System.Text.Json;

namespace OpenConduct.Core.Storage;

/// <summary>Releases in a local folder: <c>{root}/{source}/{releaseId}/...</c> and <c>{root}/{source}/latest.json</c>.</summary>
public sealed class FolderReleaseStore(string root) : IReleaseStore
{
    private readonly string root = Path.GetFullPath(root);

    public string Location => root;

    public async Task<string?> GetLatestAsync(string source, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(root, StorePaths.Segment(source), "latest.json");
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = File.OpenRead(path);
        return (await JsonSerializer.DeserializeAsync<LatestPointer>(stream, LatestPointer.Json, cancellationToken).ConfigureAwait(false))?.Release;
    }

    public async Task SetLatestAsync(string source, string releaseId, CancellationToken cancellationToken = default)
    {
        var store = new FolderArtefactStore(Path.Combine(root, StorePaths.Segment(source)));
        await store.WriteAsync("latest.json", "application/json", (s, ct) => LatestPointer.WriteAsync(s, releaseId, ct), cancellationToken).ConfigureAwait(false);
    }

    public IArtefactStore Open(string source, string releaseId) =>
        new FolderArtefactStore(Path.Combine(root, StorePaths.Segment(source), StorePaths.Segment(releaseId)));

    public Task<IReadOnlyList<string>> ListAsync(string source, CancellationToken cancellationToken = default)
    {
        var folder = Path.Combine(root, StorePaths.Segment(source));
        IReadOnlyList<string> ids = Directory.Exists(folder)
            ? Directory.EnumerateDirectories(folder).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];
        return Task.FromResult(ids);
    }
}

/// <summary>The content of a <c>latest.json</c> pointer.</summary>
public sealed record LatestPointer(string Release)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Task WriteAsync(Stream stream, string releaseId, CancellationToken cancellationToken) =>
        JsonSerializer.SerializeAsync(stream, new LatestPointer(releaseId), Json, cancellationToken);

    public static async Task<string?> ReadAsync(Stream stream, CancellationToken cancellationToken) =>
        (await JsonSerializer.DeserializeAsync<LatestPointer>(stream, Json, cancellationToken).ConfigureAwait(false))?.Release;
}

/// <summary>Artefacts in a local folder; each is written to a temporary file beside its path and moved into place.</summary>
public sealed class FolderArtefactStore(string folder) : IArtefactStore
{
    private readonly string folder = Path.GetFullPath(folder);

    public string Location => folder;

    public async Task<ArtefactInfo> WriteAsync(string path, string contentType, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var target = Resolve(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temporary = target + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp";
        try
        {
            HashingStream hashing;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                hashing = new HashingStream(file);
                await write(hashing, cancellationToken).ConfigureAwait(false);
                await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, target, overwrite: true);
            return new ArtefactInfo(path, hashing.Length, hashing.Sha256Hex(), contentType);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var target = Resolve(path);
        Stream? stream = File.Exists(target) ? new FileStream(target, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true) : null;
        return Task.FromResult(stream);
    }

    private string Resolve(string path)
    {
        var full = Path.GetFullPath(Path.Combine(folder, StorePaths.Check(path)));
        return full.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? full
            : throw new ArgumentException($"artefact path '{path}' leaves the release folder", nameof(path));
    }
}

/// <summary>Checks of the names used in store paths.</summary>
public static class StorePaths
{
    /// <summary>A single path segment (a source or release id): letters, digits, '-', '_' and '.', not starting with '.'.</summary>
    public static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        if (value[0] == '.' || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"'{value}' is not a valid id (letters, digits, '-', '_' and '.', not starting with '.')", nameof(value));
        }

        return value;
    }

    /// <summary>A relative '/'-separated path made of valid segments.</summary>
    public static string Check(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        foreach (var segment in path.Split('/'))
        {
            Segment(segment);
        }

        return path;
    }
}

/// <summary>Counts and hashes (SHA-256) what is written through it.</summary>
public sealed class HashingStream(Stream inner) : Stream
{
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long length;
    private byte[]? digest;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => length;

    public override long Position
    {
        get => length;
        set => throw new NotSupportedException();
    }

    /// <summary>The SHA-256 of everything written, as lower-case hex (ends the hashing).</summary>
    public string Sha256Hex()
    {
        digest ??= hash.GetHashAndReset();
        return Convert.ToHexStringLower(digest);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.AppendData(buffer);
        length += buffer.Length;
        inner.Write(buffer);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        hash.AppendData(buffer.Span);
        length += buffer.Length;
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
