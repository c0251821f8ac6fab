using System.Globalization;
using System.Text;
using CsvHelper;

namespace OpenConduct.Core.Import.Sources;

/// <summary>
/// A delimited text file read with CsvHelper: header, delimiter (or detected), encoding, null tokens, quoted line
/// breaks, R row names (a header one name shorter than the rows). Checks what only a delimited file can get wrong:
/// the wrong delimiter, undeclared or wrongly declared row names, rows with the wrong number of fields, bytes that
/// are not UTF-8, a quote never closed.
/// </summary>
internal sealed class CsvRowSource : RowSource
{
    private readonly CsvReader reader;
    private readonly string file;
    private readonly bool rowNames;
    private readonly bool validateUtf8;
    private readonly CountingStream counted;
    private readonly Stats stats;
    private readonly int expectedFields;
    private readonly ExportLimits limits;
    private bool checkedShape;

    private CsvRowSource(CsvReader reader, CountingStream counted, Stats stats, string file, bool rowNames, bool validateUtf8, ExportLimits limits)
    {
        this.reader = reader;
        this.limits = limits;
        this.counted = counted;
        this.stats = stats;
        this.file = file;
        this.rowNames = rowNames;
        this.validateUtf8 = validateUtf8;
        expectedFields = reader.Headers.Count + (rowNames ? 1 : 0);
    }

    /// <summary>Opens the file and reads its header; null with the reason in <paramref name="error"/> when it cannot.</summary>
    public static CsvRowSource? Open(Stream stream, CountingStream counted, string file, FileFormat format, Encoding? encoding, CultureInfo culture, ExportLimits limits, out string? error)
    {
        var delimiter = format.Delimiter ?? ",";
        var nullTokens = new List<string> { "" };
        nullTokens.AddRange(format.NullTokens ?? []);
        var stats = new Stats();
        var options = new CsvReaderOptions
        {
            Separator = delimiter == "auto" ? null : delimiter[0],
            HasHeader = true,
            TrimWhitespace = format.Trim ?? true,
            NullValues = nullTokens,
            Encoding = encoding,
            TrackLineNumbers = true,
            PoolStrings = false,
            IncludeValuesInExceptions = false,
            DetectSeparatorHint = false,
            MaxRecordSize = (int)limits.MaxRecordBytes,
            OnMalformedRecord = stats.OnMalformed,
            FormatProvider = culture,
        };

        var reader = CsvReader.Create(stream, options, leaveOpen: false);
        try
        {
            _ = reader.Headers;
        }
        catch (CsvFormatException ex)
        {
            reader.Dispose();
            error = TooLarge(ex) ? limits.RecordTooLarge(file, 1, "a header") : $"{file}: the header cannot be read: {ex.Message}";
            return null;
        }

        if (reader.Headers.Any(h => h.Contains('\uFFFD', StringComparison.Ordinal)))
        {
            reader.Dispose();
            error = $"{file}:1: the header has bytes that are not valid {(encoding is null ? "UTF-8" : encoding.WebName)}; set format.encoding in the profile (e.g. windows-1252)";
            return null;
        }

        error = null;
        return new CsvRowSource(reader, counted, stats, file, format.HeaderShorterThanRows ?? false, validateUtf8: encoding is null, limits);
    }

    public override string Format => "csv";

    public override IReadOnlyList<string> Columns => reader.Headers;

    public override char? Delimiter => reader.Separator;

    public override long Line => reader.LineNumber;

    public override long BytesRead => counted.Position;

    public override long QuotingRepaired => stats.QuotingRepaired;

    public override bool CheckUtf8 => validateUtf8;

    public override ReadOnlySpan<byte> RawRow => reader.RawRecord;

    public override bool TryGetColumn(string name, out int index)
    {
        if (reader.TryGetFieldIndex(name, out index))
        {
            index += rowNames ? 1 : 0;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Why mapped columns are missing: a header that reads as one column means the wrong delimiter; otherwise the
    /// columns the file has.
    /// </summary>
    public string Missing(IReadOnlyList<string> missing, int mappedColumns)
    {
        var header = reader.Headers;
        var delimiter = reader.Separator;
        if (header.Count == 1 && mappedColumns > 1)
        {
            var other = ",;\t|".FirstOrDefault(c => c != delimiter && header[0].Contains(c, StringComparison.Ordinal));
            if (header[0].TrimStart().StartsWith('{') || header[0].TrimStart().StartsWith('['))
            {
                return $"{file}:1: the file reads as JSON, not as delimited text: set format.type to \"json\" (or \"jsonl\" for one JSON object per line)";
            }

            return other == default
                ? $"{file}:1: the header reads as one column with delimiter '{Show(delimiter)}'; check format.delimiter"
                : $"{file}:1: the header reads as one column with delimiter '{Show(delimiter)}'; the file looks delimited by '{Show(other)}': set format.delimiter to \"{Show(other)}\"";
        }

        return $"{file}:1: mapped column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))} not in the file; " +
               $"the file has {header.Count} columns: {string.Join(", ", header.Select(h => $"'{h}'"))}";
    }

    private static string Show(char c) => c == '\t' ? "\\t" : c.ToString();

    public override bool Read()
    {
        RowProblems.Clear();
        bool read;
        try
        {
            read = reader.Read();
        }
        catch (CsvFormatException ex)
        {
            var line = ex.LineNumber > 0 ? ex.LineNumber : reader.LineNumber;
            if (TooLarge(ex))
            {
                throw new Pipeline.InvalidExportException(limits.RecordTooLarge(file, line, "a row"), ex);
            }

            Failure = $"{file}:{line}: the file cannot be read past this point: {ex.Message}";
            return false;
        }

        if (!read)
        {
            // A quote that is never closed swallows the rest of the file into one value: nothing after it can be trusted.
            if (stats.UnterminatedQuoteLine is { } openLine)
            {
                Failure = $"{file}:{openLine}: a quoted value opened on this line is never closed, so the rest of the file reads as one value; fix the quoting of the export";
            }

            return false;
        }

        // A row no longer than the cell limit has no cell over it: the fields are looked at only for a longer row.
        if (reader.RawRecord.Length > limits.MaxCellBytes)
        {
            CheckCells();
        }

        if (validateUtf8 && !System.Text.Unicode.Utf8.IsValid(reader.RawRecord))
        {
            Failure = $"{file}:{reader.LineNumber}: bytes that are not valid UTF-8; the file is probably in another encoding: set format.encoding in the profile (e.g. windows-1252)";
            return false;
        }

        if (!checkedShape)
        {
            checkedShape = true;
            var fields = reader.FieldCount;
            if (rowNames && fields == expectedFields - 1)
            {
                Failure = $"{file}:{reader.LineNumber}: the profile says the header is one column shorter than the rows (format.headerShorterThanRows), but the first row has as many fields as the header ({fields})";
                return false;
            }

            if (!rowNames && fields == expectedFields + 1)
            {
                Failure = $"{file}:{reader.LineNumber}: the first row has one field more than the header ({fields} against {expectedFields}): rows start with a row name (as R writes them); set format.headerShorterThanRows to true";
                return false;
            }
        }

        if (reader.FieldCount != expectedFields && !OnlyEmptyExtraFields())
        {
            RowProblems.Add(new RowProblem(-1, null,
                $"the row has {reader.FieldCount} fields where {expectedFields} are expected: a line break or a delimiter in an unquoted value splits or merges rows"));
        }

        return true;
    }

    /// <summary>Throws when a field of the row is over <see cref="ExportLimits.MaxCellBytes"/>, naming its line and column.</summary>
    private void CheckCells()
    {
        for (var i = 0; i < reader.FieldCount; i++)
        {
            if (reader.GetRawSpan(i).Length > limits.MaxCellBytes && reader.GetSpan(i).Length > limits.MaxCellBytes)
            {
                var header = i - (rowNames ? 1 : 0);
                var name = header >= 0 && header < reader.Headers.Count ? reader.Headers[header] : "(no header)";
                throw new Pipeline.InvalidExportException(limits.CellTooLarge(file, reader.LineNumber, i + 1, name));
            }
        }
    }

    /// <summary>Whether the reader refused a record for <see cref="CsvReaderOptions.MaxRecordSize"/>.</summary>
    private static bool TooLarge(CsvFormatException ex) => ex.Message.Contains("too large", StringComparison.OrdinalIgnoreCase);

    /// <summary>A row longer than expected only by empty fields (a trailing delimiter) is fine.</summary>
    private bool OnlyEmptyExtraFields()
    {
        if (reader.FieldCount < expectedFields)
        {
            return false;
        }

        for (var i = expectedFields; i < reader.FieldCount; i++)
        {
            if (!reader.IsEmpty(i))
            {
                return false;
            }
        }

        return true;
    }

    public override ReadOnlySpan<byte> Cell(int column) => column < reader.FieldCount ? reader.GetSpan(column) : default;

    public override ReadOnlySpan<byte> RawCell(int column) => column < reader.FieldCount ? reader.GetRawSpan(column) : default;

    /// <summary>The reader, for the importer's cell reads without a virtual call per cell.</summary>
    internal CsvReader Reader => reader;

    public override void Dispose() => reader.Dispose();

    /// <summary>Counts what the reader reports as malformed; keeps no row content (it may be personal data).</summary>
    private sealed class Stats
    {
        public long QuotingRepaired { get; private set; }

        public long? UnterminatedQuoteLine { get; private set; }

        public void OnMalformed(CsvMalformedRecord record)
        {
            if (record.Reason == CsvMalformedReason.UnterminatedQuote)
            {
                UnterminatedQuoteLine ??= record.LineNumber;
            }
            else if (record.Reason is CsvMalformedReason.StrayQuote or CsvMalformedReason.TextAfterClosingQuote)
            {
                QuotingRepaired++;
            }
        }
    }
}
