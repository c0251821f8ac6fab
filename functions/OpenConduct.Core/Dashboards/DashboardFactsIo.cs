using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;
using static OpenConduct.Core.Dashboards.DashboardDimensions;

namespace OpenConduct.Core.Dashboards;

/// <summary>
/// Writes and reads a release's dashboard facts (<see cref="ReleasePaths.DashboardFacts"/>): one gzip stream holding
/// <c>OCDF</c>, a format byte (3; formats 1 and 2 are still read), the length of a JSON header (int32, little-endian), the header, then the columns as
/// little-endian arrays, in this order: each complaint-level dimension (uint16 per complaint), the allegation count,
/// the days to close, the open age, the hundred block and the days to final discipline (int32 per complaint, -1 for
/// none; formats 1 and 2 have no days to final discipline), then each
/// allegation-level dimension (uint16 per allegation, in complaint order). The header holds the source, release,
/// policy, k, the release's date, the counts, the dictionaries of every dimension and the hundred blocks
/// (docs/releases.md, "Dashboard facts"). Deterministic: the same facts give the same bytes.
/// </summary>
public static class DashboardFactsIo
{
    /// <summary>The content type of the file.</summary>
    public const string ContentType = "application/gzip";

    /// <summary>
    /// The format this code writes: 2 added the allegation-level dimension <c>recommendedDiscipline</c> (its column
    /// after the other allegation-level ones) and the header's <c>recommendations</c> flag; 3 the days to final
    /// discipline (after the hundred blocks). Formats 1 and 2 are still read: format 1's allegations take
    /// <c>NotPublished</c> for <c>recommendedDiscipline</c> (the release was built before recommendations were counted:
    /// they stay out of the counts until it is rebuilt), and neither has days to final discipline (none counted).
    /// </summary>
    public const int FormatVersion = 3;

    /// <summary>The dimensions format 1 did not have, each read as <see cref="DashboardDimensions.NotPublished"/>.</summary>
    private static readonly int[] AddedInFormat2 = [RecommendedDiscipline];

    private static readonly byte[] Magic = "OCDF"u8.ToArray();

    /// <summary>Writes the facts, gzip-compressed (no file name, no time in the gzip header).</summary>
    public static async Task WriteAsync(Stream stream, DashboardFactsPart facts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(facts);
        var gzip = new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true);
        await using (gzip.ConfigureAwait(false))
        {
            var buffered = new BufferedStream(gzip, 1 << 16);
            await using (buffered.ConfigureAwait(false))
            {
                var header = Header(facts);
                buffered.Write(Magic);
                buffered.WriteByte(FormatVersion);
                Span<byte> length = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(length, header.Length);
                buffered.Write(length);
                buffered.Write(header);
                foreach (var d in Dimensions(DimensionLevel.Complaint))
                {
                    Write(buffered, facts.Columns[d]);
                }

                Write(buffered, facts.AllegationCounts);
                Write(buffered, facts.ClosedDays);
                Write(buffered, facts.OpenDays);
                Write(buffered, facts.BlockOf);
                Write(buffered, facts.DisciplineDays);
                cancellationToken.ThrowIfCancellationRequested();
                foreach (var d in Dimensions(DimensionLevel.Allegation))
                {
                    Write(buffered, facts.Columns[d]);
                }

                await buffered.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Reads facts written by <see cref="WriteAsync"/> (gzip-compressed); throws <see cref="InvalidDataException"/> on anything else.</summary>
    public static DashboardFactsPart Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var gzip = new GZipStream(stream, CompressionMode.Decompress, leaveOpen: true);
        using var input = new BufferedStream(gzip, 1 << 16);
        try
        {
            return ReadContent(input);
        }
        catch (Exception ex) when (ex is EndOfStreamException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new InvalidDataException("dashboard facts: the file is truncated or not in the expected format: " + ex.Message, ex);
        }
    }

    /// <summary>Reads facts from bytes (the whole file).</summary>
    public static DashboardFactsPart Read(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        using var stream = new MemoryStream(bytes, writable: false);
        return Read(stream);
    }

    /// <summary>
    /// The dashboard facts of a complete release, checked against the size and SHA-256 its manifest records under
    /// <c>internal</c>. Null when the manifest records none (a release built before dashboards existed); throws
    /// <see cref="InvalidDataException"/> when the file is missing, altered or unreadable.
    /// </summary>
    public static async Task<DashboardFactsPart?> ReadVerifiedAsync(IArtefactStore store, ReleaseManifest manifest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Internal?.FirstOrDefault(a => a.Path == ReleasePaths.DashboardFacts) is not { } recorded)
        {
            return null;
        }

        var stream = await store.OpenReadAsync(ReleasePaths.DashboardFacts, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"dashboard facts: {store.Location}: {ReleasePaths.DashboardFacts} is listed in the manifest but missing");
        byte[] bytes;
        await using (stream.ConfigureAwait(false))
        {
            using var copy = new MemoryStream(recorded.Bytes > 0 && recorded.Bytes < int.MaxValue ? (int)recorded.Bytes : 0);
            await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            bytes = copy.ToArray();
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (bytes.LongLength != recorded.Bytes || !string.Equals(sha256, recorded.Sha256, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"dashboard facts: {store.Location}: {ReleasePaths.DashboardFacts} does not match its manifest ({bytes.LongLength} bytes, SHA-256 {sha256}; the manifest records {recorded.Bytes} bytes, {recorded.Sha256})");
        }

        var facts = Read(bytes);
        if (!string.Equals(facts.Header.ReleaseId, manifest.ReleaseId, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"dashboard facts: {store.Location}: the facts are of release '{facts.Header.ReleaseId}', the manifest of '{manifest.ReleaseId}'");
        }

        return facts;
    }

    private static IEnumerable<int> Dimensions(DimensionLevel level) => Enumerable.Range(0, Count).Where(d => All[d].Level == level);

    private static byte[] Header(DashboardFactsPart facts)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var h = facts.Header;
            w.WriteStartObject();
            w.WriteString("format", "openconduct-dashboard-facts");
            w.WriteNumber("version", FormatVersion);
            w.WriteString("source", h.Source);
            w.WriteString("releaseId", h.ReleaseId);
            w.WriteString("policy", h.Policy);
            w.WriteNumber("k", h.K);
            w.WriteString("asOf", h.AsOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteNumber("complaints", facts.Complaints);
            w.WriteNumber("allegations", h.Allegations);
            w.WriteBoolean("hundredBlocks", h.HundredBlocks);
            w.WriteBoolean("recommendations", h.Recommendations);
            w.WriteStartArray("dimensions");
            for (var d = 0; d < Count; d++)
            {
                w.WriteStartObject();
                w.WriteString("name", All[d].Name);
                w.WriteString("level", All[d].Level == DimensionLevel.Complaint ? "complaint" : "allegation");
                w.WriteStartArray("values");
                foreach (var value in facts.Dictionaries[d])
                {
                    w.WriteStringValue(value);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("blocks");
            foreach (var block in facts.Blocks)
            {
                w.WriteStringValue(block);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static DashboardFactsPart ReadContent(Stream input)
    {
        Span<byte> start = stackalloc byte[9];
        input.ReadExactly(start);
        if (!start[..4].SequenceEqual(Magic))
        {
            throw new InvalidDataException("dashboard facts: not a facts file (no OCDF signature)");
        }

        var version = start[4];
        if (version is not (1 or 2 or FormatVersion))
        {
            throw new InvalidDataException($"dashboard facts: format {version} is not supported (this code reads formats 1 to {FormatVersion})");
        }

        var headerLength = BinaryPrimitives.ReadInt32LittleEndian(start[5..]);
        if (headerLength is <= 0 or > 256 << 20)
        {
            throw new InvalidDataException($"dashboard facts: a header of {headerLength} bytes");
        }

        var headerBytes = new byte[headerLength];
        input.ReadExactly(headerBytes);
        using var json = JsonDocument.Parse(headerBytes);
        var root = json.RootElement;
        if (root.GetProperty("format").GetString() != "openconduct-dashboard-facts")
        {
            throw new InvalidDataException("dashboard facts: the header names another format");
        }

        var complaints = root.GetProperty("complaints").GetInt32();
        var allegations = root.GetProperty("allegations").GetInt32();
        if (complaints < 0 || allegations < 0)
        {
            throw new InvalidDataException("dashboard facts: negative counts");
        }

        var header = new DashboardFactsHeader(
            root.GetProperty("source").GetString()!,
            root.GetProperty("releaseId").GetString()!,
            root.GetProperty("policy").GetString()!,
            root.GetProperty("k").GetInt32(),
            DateOnly.ParseExact(root.GetProperty("asOf").GetString()!, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            allegations,
            root.GetProperty("hundredBlocks").GetBoolean())
        {
            Recommendations = version > 1 && root.GetProperty("recommendations").GetBoolean(),
        };
        if (header.K < 1)
        {
            throw new InvalidDataException($"dashboard facts: k = {header.K}");
        }

        var dictionaries = new string[Count][];
        foreach (var dimension in root.GetProperty("dimensions").EnumerateArray())
        {
            var name = dimension.GetProperty("name").GetString()!;
            var d = IndexOf(name);
            if (d < 0)
            {
                throw new InvalidDataException($"dashboard facts: unknown dimension '{name}'");
            }

            dictionaries[d] = [.. dimension.GetProperty("values").EnumerateArray().Select(v => v.GetString()!)];
        }

        // Format 1 lacks the dimensions added since: not published in that release's facts.
        var absent = Enumerable.Range(0, Count).Where(d => dictionaries[d] is null).ToHashSet();
        if (absent.Count > 0 && (version != 1 || !absent.SetEquals(AddedInFormat2)))
        {
            throw new InvalidDataException($"dashboard facts: format {version} lacks the dimension(s) {string.Join(", ", absent.Select(d => All[d].Name))} in its header");
        }

        foreach (var d in absent)
        {
            dictionaries[d] = [NotPublished];
        }

        var blocks = root.GetProperty("blocks").EnumerateArray().Select(v => v.GetString()!).ToArray();

        var columns = new ushort[Count][];
        foreach (var d in Dimensions(DimensionLevel.Complaint))
        {
            columns[d] = ReadUInt16s(input, complaints, dictionaries[d].Length, All[d].Name);
        }

        var allegationCounts = ReadInt32s(input, complaints);
        var closedDays = ReadInt32s(input, complaints);
        var openDays = ReadInt32s(input, complaints);
        var blockOf = ReadInt32s(input, complaints);
        var disciplineDays = version < 3 ? Enumerable.Repeat(DashboardFactsPart.None, complaints).ToArray() : ReadInt32s(input, complaints);
        foreach (var d in Dimensions(DimensionLevel.Allegation))
        {
            columns[d] = absent.Contains(d) ? new ushort[allegations] : ReadUInt16s(input, allegations, dictionaries[d].Length, All[d].Name);
        }

        if (input.ReadByte() != -1)
        {
            throw new InvalidDataException("dashboard facts: bytes after the last column");
        }

        long sum = 0;
        foreach (var count in allegationCounts)
        {
            sum += count >= 0 ? count : throw new InvalidDataException("dashboard facts: a negative allegation count");
        }

        if (sum != allegations)
        {
            throw new InvalidDataException($"dashboard facts: the complaints have {sum} allegations, the header says {allegations}");
        }

        if (blockOf.Any(b => b < DashboardFactsPart.None || b >= blocks.Length) || closedDays.Any(v => v < DashboardFactsPart.None) || openDays.Any(v => v < DashboardFactsPart.None) || disciplineDays.Any(v => v < DashboardFactsPart.None))
        {
            throw new InvalidDataException("dashboard facts: a day count or hundred block out of range");
        }

        return new DashboardFactsPart(header, dictionaries, columns, allegationCounts, closedDays, openDays, blocks, blockOf, disciplineDays);
    }

    private static void Write(Stream stream, ushort[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }

        Span<byte> two = stackalloc byte[2];
        foreach (var value in values)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(two, value);
            stream.Write(two);
        }
    }

    private static void Write(Stream stream, int[] values)
    {
        if (BitConverter.IsLittleEndian)
        {
            stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }

        Span<byte> four = stackalloc byte[4];
        foreach (var value in values)
        {
            BinaryPrimitives.WriteInt32LittleEndian(four, value);
            stream.Write(four);
        }
    }

    private static ushort[] ReadUInt16s(Stream input, int count, int dictionarySize, string name)
    {
        var values = new ushort[count];
        input.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(values, values);
        }

        foreach (var value in values)
        {
            if (value >= dictionarySize)
            {
                throw new InvalidDataException($"dashboard facts: a code of '{name}' out of its dictionary");
            }
        }

        return values;
    }

    private static int[] ReadInt32s(Stream input, int count)
    {
        var values = new int[count];
        input.ReadExactly(MemoryMarshal.AsBytes(values.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(values, values);
        }

        return values;
    }
}
