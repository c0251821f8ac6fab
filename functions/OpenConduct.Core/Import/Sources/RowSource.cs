namespace OpenConduct.Core.Import.Sources;

/// <summary>
/// The rows of one export file, whatever its format: a CSV file's records, the records a JSON document's
/// <c>records</c> path reaches, the lines of a JSON Lines file, the rows of a workbook's sheet. The importer reads
/// every format through this one shape: columns found by name when the file is opened, then row by row the cells of
/// the mapped columns as UTF-8 bytes, a line number for messages, and the problems of the current row.
/// </summary>
/// <remarks>
/// A source streams: it holds one row (and, for JSON, one top-level record) at a time, so that memory does not grow
/// with the file. Problems that make the rest of a file unreadable are <see cref="Failure"/>s (the import fails);
/// problems of one row are <see cref="RowProblems"/> (the row is rejected with them, the next row is read).
/// </remarks>
internal abstract class RowSource : IDisposable
{
    /// <summary>The format, for the report: <c>csv</c>, <c>json</c>, <c>jsonl</c>, <c>excel</c>.</summary>
    public abstract string Format { get; }

    /// <summary>The columns the file offers, for messages: a CSV header, a sheet's header row, a JSON file's mapped paths.</summary>
    public abstract IReadOnlyList<string> Columns { get; }

    /// <summary>The line (CSV, JSON, JSON Lines) or sheet row (workbooks) the current row starts on, from 1.</summary>
    public abstract long Line { get; }

    /// <summary>How many bytes of the file have been consumed (of the file as stored: compressed bytes for .gz).</summary>
    public abstract long BytesRead { get; }

    /// <summary>
    /// Set when the file cannot be read on from here (bytes that do not decode, a quote never closed, JSON that does not
    /// parse): the import fails with this message.
    /// </summary>
    public string? Failure { get; protected set; }

    /// <summary>
    /// The problems of the current row: a wrong number of fields, a JSON value of the wrong shape. The row is rejected
    /// with them. Empty for a good row.
    /// </summary>
    public List<RowProblem> RowProblems { get; } = [];

    /// <summary>The index of a mapped column, or false when the file has no such column.</summary>
    public abstract bool TryGetColumn(string name, out int index);

    /// <summary>
    /// Opens the first row after the header (CSV, workbooks) and checks what can be checked of the file's shape before
    /// any row is imported (a wrong delimiter, R row names). Null when the file can be read, else why it cannot.
    /// </summary>
    public virtual string? CheckShape() => null;

    /// <summary>Moves to the next row; false at the end of the file or on a <see cref="Failure"/>.</summary>
    public abstract bool Read();

    /// <summary>
    /// The cell of <paramref name="column"/> in the current row as UTF-8 bytes (not trimmed); empty when the row has
    /// no value there. Valid until the next <see cref="Read"/>.
    /// </summary>
    public abstract ReadOnlySpan<byte> Cell(int column);

    /// <summary>
    /// The cell's bytes as the file writes them (with any quotes, for delimited text): what the duplicate check hashes.
    /// Two rows with the same raw cells have the same values.
    /// </summary>
    public virtual ReadOnlySpan<byte> RawCell(int column) => Cell(column);

    /// <summary>
    /// Whether the cell holds several values, each ended by <see cref="ListSeparator"/> (a JSON array of scalars).
    /// </summary>
    public virtual bool IsList(int column) => false;

    /// <summary>The byte that ends each value of a list cell (<see cref="IsList"/>).</summary>
    public const byte ListSeparator = 0x1F;

    /// <summary>
    /// False when the current row stops above its records (a JSON case without officers, an officer without
    /// allegations): the row carries the levels above, not a record of the deepest kind.
    /// </summary>
    public virtual bool RecordPresent => true;

    /// <summary>Rows whose quoting was broken and repaired by the reader (CSV only).</summary>
    public virtual long QuotingRepaired => 0;

    /// <summary>The CSV delimiter used (for the report); none for other formats.</summary>
    public virtual char? Delimiter => null;

    /// <summary>Whether the cells may hold bytes that are not valid UTF-8, which the importer must check (CSV read as UTF-8).</summary>
    public virtual bool CheckUtf8 => false;

    /// <summary>The raw bytes of the current row, for the UTF-8 check (CSV only).</summary>
    public virtual ReadOnlySpan<byte> RawRow => default;

    public abstract void Dispose();
}

/// <summary>A problem of one row: a column (index into the source's columns, or -1 for the whole row), a path for JSON, and the reason.</summary>
internal readonly record struct RowProblem(int Column, string? Path, string Reason);
