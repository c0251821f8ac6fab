using System.IO.Compression;
using System.Text;

namespace OpenConduct.Core.Import;

/// <summary>
/// Every row error of an import, whatever their number: written as lines into a gzip stream in memory (errors repeat,
/// so a million of them take a few megabytes) and read back in order. Never the cells' values: only locations and
/// reasons.
/// </summary>
internal sealed class RowErrorLog
{
    private readonly MemoryStream buffer = new();
    private GZipStream? writer;
    private StreamWriter? text;
    private long count;

    public void Add(RowError error)
    {
        text ??= new StreamWriter(writer = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true), new UTF8Encoding(false));
        text.Write(error.File);
        text.Write('\u001f');
        text.Write(error.Line.ToString(System.Globalization.CultureInfo.InvariantCulture));
        text.Write('\u001f');
        text.Write(error.Column?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        text.Write('\u001f');
        text.Write(error.ColumnName);
        text.Write('\u001f');
        text.Write(error.Reason.ReplaceLineEndings(" "));
        text.Write('\u001f');
        text.Write(error.Path);
        text.Write('\n');
        count++;
    }

    public IEnumerable<RowError> Read()
    {
        if (count == 0)
        {
            yield break;
        }

        lock (buffer)
        {
            if (text is not null)
            {
                text.Flush();
                text.Dispose();
                writer!.Dispose();
                text = null;
                writer = null;
            }
        }

        var bytes = buffer.ToArray();
        using var reader = new StreamReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress), Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split('\u001f');
            yield return new RowError(
                parts[0],
                long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
                parts[2].Length == 0 ? null : int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture),
                parts[3].Length == 0 ? null : parts[3],
                parts[4],
                parts[5].Length == 0 ? null : parts[5]);
        }
    }
}
