using System.Globalization;
using System.Text;
using ExcelDataReader;

namespace OpenConduct.Core.Import.Sources;

/// <summary>
/// The rows of one sheet of a workbook (.xlsx and .xlsm through Open XML, .xls through BIFF), read with
/// ExcelDataReader row by row. The header is the profile's <c>headerRow</c> (default the first), the sheet its
/// <c>sheet</c> (a name, or a number from 1; default the first). Cells become text as a CSV export of the sheet
/// would give them: numbers without float noise (<c>1949</c>, not <c>1949.0</c>), dates as <c>yyyy-MM-dd</c> (with
/// <c>HH:mm:ss</c> when they have a time), booleans as <c>true</c>/<c>false</c>. Rows with no value at all are
/// skipped (a sheet's formatted but empty rows), and counted.
/// </summary>
internal sealed class ExcelRowSource : RowSource
{
    /// <summary>The date formats of cells read as dates; added to every date column of a workbook's file.</summary>
    public static readonly string[] DateFormats = ["yyyy-MM-dd", "yyyy-MM-dd HH:mm:ss"];

    private readonly IExcelDataReader reader;
    private readonly CountingStream counted;
    private readonly Stream? temporary;
    private readonly string file;
    private readonly List<string> header;
    private readonly Dictionary<string, int> byName;
    private readonly ExportLimits limits;
    private byte[] bytes = new byte[1024];
    private (int Start, int Length)[] cells = [];
    private long row;

    private ExcelRowSource(IExcelDataReader reader, CountingStream counted, Stream? temporary, string file, List<string> header, long headerRow, ExportLimits limits)
    {
        this.reader = reader;
        this.limits = limits;
        this.counted = counted;
        this.temporary = temporary;
        this.file = file;
        this.header = header;
        row = headerRow;
        byName = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            byName.TryAdd(header[i], i);
        }
    }

    /// <summary>Rows with no value in any cell, skipped.</summary>
    public long BlankRows { get; private set; }

    public static ExcelRowSource? Open(Stream stream, CountingStream counted, string file, FileFormat format, ExportLimits limits, Pipeline.ArchiveLimits archive, out string? error)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

        // Both formats need to seek (a ZIP's directory is at its end, BIFF is a compound file): a stream that cannot
        // is copied to a temporary file first.
        Stream? temporary = null;
        if (!stream.CanSeek)
        {
            temporary = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
            stream.CopyTo(temporary);
            stream.Dispose();
            temporary.Position = 0;
            stream = temporary;
        }

        try
        {
            CheckParts(stream, file, limits, archive);
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        IExcelDataReader reader;
        try
        {
            reader = ExcelReaderFactory.CreateReader(stream, new ExcelReaderConfiguration { LeaveOpen = false });
        }
        catch (Exception ex) when (ex is ExcelDataReader.Exceptions.ExcelReaderException or InvalidDataException or NotSupportedException or IOException)
        {
            stream.Dispose();
            error = $"{file}: not a workbook that can be read (.xlsx, .xlsm or .xls): {ex.Message}";
            return null;
        }

        var sheets = new List<string>();
        var wanted = format.Sheet;
        var found = false;
        do
        {
            sheets.Add(reader.Name);
            if (wanted is null
                || string.Equals(reader.Name, wanted, StringComparison.OrdinalIgnoreCase)
                || (int.TryParse(wanted, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number == sheets.Count))
            {
                found = true;
                break;
            }
        }
        while (reader.NextResult());

        if (!found)
        {
            reader.Dispose();
            error = $"{file}: format.sheet '{wanted}' is not a sheet of the workbook (sheets: {string.Join(", ", sheets.Select(s => $"'{s}'"))})";
            return null;
        }

        var headerRow = format.HeaderRow ?? 1;
        for (var r = 1; r <= headerRow; r++)
        {
            if (!reader.Read())
            {
                reader.Dispose();
                error = $"{file}: sheet '{reader.Name}' has {r - 1} rows; format.headerRow is {headerRow}";
                return null;
            }
        }

        var header = new List<string>();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            header.Add(Text(reader.GetValue(i))?.Trim() ?? "");
        }

        while (header.Count > 0 && header[^1].Length == 0)
        {
            header.RemoveAt(header.Count - 1);
        }

        error = null;
        return new ExcelRowSource(reader, counted, temporary, file, header, headerRow, limits);
    }

    /// <summary>
    /// A .xlsx is a ZIP archive whose parts (sheets, shared strings) the reader expands: their count, declared sizes and
    /// ratios are checked against the archive limits, and no part may expand past the file limit, before any is read
    /// (the framework's ZIP reader stops a part at its declared size). Not a ZIP (.xls): nothing to check.
    /// </summary>
    private static void CheckParts(Stream stream, string file, ExportLimits limits, Pipeline.ArchiveLimits archive)
    {
        Span<byte> magic = stackalloc byte[4];
        var read = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        stream.Position = 0;
        if (read < 4 || !magic.SequenceEqual("PK\u0003\u0004"u8))
        {
            return;
        }

        using (var zip = OpenZip(stream))
        {
            if (zip is not null)
            {
                var partLimits = archive with { MaxEntryBytes = Math.Min(archive.MaxEntryBytes, limits.MaxFileBytes) };
                Pipeline.ArchiveExpander.CheckDeclaredSizes($"{file} (a workbook)", zip.Entries, partLimits);
            }
        }

        stream.Position = 0;
    }

    /// <summary>The workbook as a ZIP archive, or null when it is not a readable one (the reader then says why).</summary>
    private static System.IO.Compression.ZipArchive? OpenZip(Stream stream)
    {
        try
        {
            return new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    public override string Format => "excel";

    public override IReadOnlyList<string> Columns => header;

    public override long Line => row;

    public override long BytesRead => temporary?.Position ?? counted.Position;

    public override bool TryGetColumn(string name, out int index) => byName.TryGetValue(name.Trim(), out index);

    /// <summary>The columns the sheet has, for a missing column's message.</summary>
    public string Missing(IReadOnlyList<string> missing) =>
        $"{file}:{row}: mapped column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))} not in the header row of sheet '{reader.Name}'; " +
        $"it has {header.Count} columns: {string.Join(", ", header.Select(h => $"'{h}'"))} (set format.sheet or format.headerRow if the header is elsewhere)";

    public override bool Read()
    {
        RowProblems.Clear();
        while (true)
        {
            bool read;
            try
            {
                read = reader.Read();
            }
            catch (Exception ex) when (ex is ExcelDataReader.Exceptions.ExcelReaderException or InvalidDataException or IOException)
            {
                Failure = $"{file}:{row + 1}: the workbook cannot be read past this row: {ex.Message}";
                return false;
            }

            if (!read)
            {
                return false;
            }

            row++;
            if (Fill())
            {
                return true;
            }

            BlankRows++;
        }
    }

    /// <summary>Every cell of the row as UTF-8 text in one buffer; false when the row has no value.</summary>
    private bool Fill()
    {
        var count = Math.Max(header.Count, reader.FieldCount);
        if (cells.Length < count)
        {
            cells = new (int, int)[count];
        }

        var length = 0;
        var any = false;
        for (var i = 0; i < count; i++)
        {
            var text = i < reader.FieldCount ? Text(reader.GetValue(i)) : null;
            if (string.IsNullOrEmpty(text))
            {
                cells[i] = (length, 0);
                continue;
            }

            any |= !string.IsNullOrWhiteSpace(text);
            var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
            if (length + needed > bytes.Length)
            {
                Array.Resize(ref bytes, Math.Max(bytes.Length * 2, length + needed));
            }

            var n = Encoding.UTF8.GetBytes(text, bytes.AsSpan(length));
            if (n > limits.MaxCellBytes)
            {
                throw new Pipeline.InvalidExportException(limits.CellTooLarge(file, row, i + 1, i < header.Count ? header[i] : "(no header)"));
            }

            cells[i] = (length, n);
            length += n;
        }

        return any;
    }

    /// <summary>A cell's value as the text a CSV export would hold.</summary>
    internal static string? Text(object? value) => value switch
    {
        null or DBNull => null,
        string s => s,
        double d when Math.Abs(d) < 1e15 && d == Math.Floor(d) => ((long)d).ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        DateTime t when t.TimeOfDay == TimeSpan.Zero => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        TimeSpan t => t.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    public override ReadOnlySpan<byte> Cell(int column)
    {
        if (column >= cells.Length)
        {
            return default;
        }

        var (start, length) = cells[column];
        return bytes.AsSpan(start, length);
    }

    public override void Dispose()
    {
        reader.Dispose();
        temporary?.Dispose();
    }
}
