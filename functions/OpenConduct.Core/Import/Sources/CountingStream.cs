using System.IO.Compression;

namespace OpenConduct.Core.Import.Sources;

/// <summary>
/// A read-only stream that counts the bytes read through it: the progress of an import is measured on the file as
/// stored (for a gzip file, the compressed bytes), whatever reads it. With a <paramref name="limit"/>, the read that
/// would pass it throws <see cref="Pipeline.InvalidExportException"/> with <paramref name="over"/>'s message: that bounds
/// what a file expands to (a <c>.gz</c> file decompressed) however small it is as stored.
/// </summary>
internal sealed class CountingStream(Stream inner, long limit = long.MaxValue, Func<long, string>? over = null) : Stream
{
    private long position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public Stream Inner => inner;

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Count(int n)
    {
        position += n;
        return position > limit ? throw new Pipeline.InvalidExportException(over?.Invoke(position) ?? $"more than {limit} bytes") : n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary>
    /// Opens an export file for reading: counted, and decompressed as it is read when its name ends in <c>.gz</c>,
    /// never past <see cref="ExportLimits.MaxFileBytes"/> (a small file may expand without end).
    /// </summary>
    public static (Stream Stream, CountingStream Counted) Open(Stream file, string name, ExportLimits limits)
    {
        var counted = new CountingStream(file);
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            var expanded = new GZipStream(counted, CompressionMode.Decompress, leaveOpen: false);
            return (new CountingStream(expanded, limits.MaxFileBytes, _ => limits.FileExpandsTooFar(name)), counted);
        }

        return (counted, counted);
    }
}
