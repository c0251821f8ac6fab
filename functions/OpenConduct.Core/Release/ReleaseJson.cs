using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Release;

/// <summary>How the release writes JSON: UTF-8 without BOM, LF line ends, only the escapes JSON requires.</summary>
internal static class ReleaseJson
{
    /// <summary>
    /// Escapes only what JSON requires (quotes, backslashes, control characters): names with accents stay readable.
    /// The artefacts are data files served as <c>application/json</c>, never embedded in HTML.
    /// </summary>
    public static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true, NewLine = "\n" };

    public const string ContentType = "application/json";

    /// <summary>Writes a small JSON document (built in memory, indented, ending with a newline).</summary>
    public static Task<ArtefactInfo> WriteDocumentAsync(IArtefactStore store, string path, Action<Utf8JsonWriter> write, CancellationToken cancellationToken) =>
        store.WriteAsync(path, ContentType, async (stream, ct) =>
        {
            var buffer = new ArrayBufferWriter<byte>(1 << 14);
            using (var writer = new Utf8JsonWriter(buffer, Indented))
            {
                write(writer);
            }

            buffer.Write("\n"u8);
            await stream.WriteAsync(buffer.WrittenMemory, ct).ConfigureAwait(false);
        }, cancellationToken);

    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Writes JSON values one after another to a stream without holding them all: each value is written to a buffer
/// with a reused <see cref="Utf8JsonWriter"/>, and the buffer goes to the stream whenever it passes 64 KiB.
/// </summary>
internal sealed class JsonRowStream : IDisposable
{
    private const int FlushAt = 1 << 16;
    private readonly Stream output;
    private readonly ArrayBufferWriter<byte> buffer = new(FlushAt * 2);
    private readonly Utf8JsonWriter writer;

    public JsonRowStream(Stream output)
    {
        this.output = output;
        writer = new Utf8JsonWriter(buffer, ReleaseJson.Compact);
    }

    /// <summary>Starts a value: write it with the returned writer, then call <see cref="EndAsync"/>.</summary>
    public Utf8JsonWriter Begin()
    {
        writer.Reset(buffer);
        return writer;
    }

    public ValueTask EndAsync(CancellationToken cancellationToken)
    {
        writer.Flush();
        return buffer.WrittenCount >= FlushAt ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>Bytes written between values (separators, newlines).</summary>
    public void Raw(ReadOnlySpan<byte> bytes) => buffer.Write(bytes);

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (buffer.WrittenCount > 0)
        {
            await output.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            buffer.ResetWrittenCount();
        }
    }

    public void Dispose() => writer.Dispose();
}
