using System.IO.Compression;

namespace OpenConduct.Core.Import.Sources;

/// <summary>
/// A read-only stream that counts the bytes read through it: the progress of an import is measured on the file as
/// stored (for a gzip file, the compressed bytes), whatever reads it.
/// </summary>
internal sealed class CountingStream(Stream inner) : Stream
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

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = inner.Read(buffer, offset, count);
        position += n;
        return n;
    }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(buffer);
        position += n;
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        position += n;
        return n;
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
            return (new LimitedStream(expanded, limits.MaxFileBytes, _ => limits.FileExpandsTooFar(name)), counted);
        }

        return (counted, counted);
    }
}
