namespace OpenConduct.Core.Import.Sources;

/// <summary>
/// A window of unread bytes over a stream, refilled on demand: what has been consumed is dropped from the front, the
/// buffer doubles only when one unread piece fills it, and a UTF-8 byte-order mark at the start is skipped. The bytes
/// a caller holds stay valid until its next <see cref="Fill"/>. The window never grows past <paramref name="maxUnread"/>
/// bytes: a piece longer than that (a record, a line) throws <see cref="WindowFullException"/> instead of being buffered.
/// </summary>
internal sealed class ByteWindow(Stream stream, long maxUnread = int.MaxValue)
{
    private byte[] buffer = new byte[(int)Math.Min(1 << 16, Math.Max(1, maxUnread))];
    private int start;
    private int end;
    private bool started;

    /// <summary>The stream has no more bytes: <see cref="Unread"/> is all that is left.</summary>
    public bool Eof { get; private set; }

    /// <summary>The bytes read and not yet consumed.</summary>
    public ReadOnlySpan<byte> Unread => buffer.AsSpan(start, end - start);

    /// <summary>A slice of the unread bytes, as memory that stays valid until the next <see cref="Fill"/>.</summary>
    public ReadOnlyMemory<byte> Slice(int offset, int length) => buffer.AsMemory(start + offset, length);

    /// <summary>Marks <paramref name="count"/> unread bytes as consumed.</summary>
    public void Consume(int count) => start += count;

    /// <summary>Reads more bytes after the unread ones (one read of the stream); sets <see cref="Eof"/> at its end.</summary>
    public void Fill()
    {
        if (start > 0)
        {
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            if (buffer.Length >= maxUnread)
            {
                throw new WindowFullException();
            }

            Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, maxUnread));
        }

        var n = stream.Read(buffer, end, buffer.Length - end);
        if (n == 0)
        {
            Eof = true;
            return;
        }

        end += n;
        if (!started)
        {
            started = true;
            if (end >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF)
            {
                start = 3; // a UTF-8 byte-order mark
            }
        }
    }
}

/// <summary>One unread piece is longer than a <see cref="ByteWindow"/> may hold; the reader names the piece and the limit.</summary>
internal sealed class WindowFullException() : Exception("the piece being read is longer than the window may hold");
