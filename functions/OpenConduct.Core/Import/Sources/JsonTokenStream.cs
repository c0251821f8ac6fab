using System.Text.Json;

namespace OpenConduct.Core.Import.Sources;

/// <summary>
/// Reads a JSON document from a stream token by token, or value by value, through a buffer that grows only to hold
/// the largest single value asked for whole: <see cref="System.Text.Json.Utf8JsonReader"/> over a refilled buffer,
/// its state carried from one refill to the next. Tracks the line number of what it returns. A value longer than
/// <paramref name="maxValueBytes"/> throws <see cref="WindowFullException"/>.
/// </summary>
internal sealed class JsonTokenStream(Stream stream, long maxValueBytes = int.MaxValue)
{
    private readonly ByteWindow window = new(stream, maxValueBytes);
    private JsonReaderState state = new(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

    /// <summary>The line of the next unread byte.</summary>
    public long Line { get; private set; } = 1;

    /// <summary>The line of the next unread value: past the whitespace and separators before it.</summary>
    public long NextValueLine
    {
        get
        {
            var unread = window.Unread;
            var start = unread.IndexOfAnyExcept(" \t\r\n,:"u8);
            return Line + unread[..(start < 0 ? unread.Length : start)].Count((byte)'\n');
        }
    }

    /// <summary>Reads the next token; false at the end of the document. A property name is returned in <paramref name="name"/>.</summary>
    public bool Next(out JsonTokenType token, out string? name)
    {
        while (true)
        {
            var reader = new Utf8JsonReader(window.Unread, window.Eof, state);
            if (Read(ref reader))
            {
                token = reader.TokenType;
                name = token == JsonTokenType.PropertyName ? reader.GetString() : null;
                Commit(ref reader);
                return true;
            }

            if (window.Eof)
            {
                (token, name) = (JsonTokenType.None, null);
                return false;
            }

            window.Fill();
        }
    }

    /// <summary>
    /// Reads the next value whole (a scalar, or an object or array with everything in it). Its bytes stay valid until
    /// the next call. False at the end of the document; an end-of-container token is returned as it is, with no bytes.
    /// </summary>
    public bool NextValue(out ReadOnlyMemory<byte> value, out JsonTokenType token, out long line)
    {
        while (true)
        {
            var reader = new Utf8JsonReader(window.Unread, window.Eof, state);
            if (Read(ref reader))
            {
                token = reader.TokenType;
                var tokenStart = (int)reader.TokenStartIndex;
                if (token is JsonTokenType.StartObject or JsonTokenType.StartArray && !Skip(ref reader))
                {
                    if (window.Eof)
                    {
                        throw new JsonException("the document ends inside this value", null, Line - 1, null);
                    }

                    window.Fill();
                    continue;
                }

                line = Line + window.Unread[..tokenStart].Count((byte)'\n');
                value = window.Slice(tokenStart, (int)reader.BytesConsumed - tokenStart);
                Commit(ref reader);
                return true;
            }

            if (window.Eof)
            {
                (value, token, line) = (default, JsonTokenType.None, Line);
                return false;
            }

            window.Fill();
        }
    }

    private bool Read(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.Read();
        }
        catch (JsonException ex)
        {
            throw new JsonException(ex.Message, ex.Path, ex.LineNumber, ex.BytePositionInLine, ex); // the reader's state counts lines from the start
        }
    }

    private bool Skip(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.TrySkip();
        }
        catch (JsonException ex)
        {
            throw new JsonException(ex.Message, ex.Path, ex.LineNumber, ex.BytePositionInLine, ex);
        }
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        var consumed = (int)reader.BytesConsumed;
        Line += window.Unread[..consumed].Count((byte)'\n');
        window.Consume(consumed);
        state = reader.CurrentState;
    }
}
