using System.Globalization;

namespace OpenConduct.Core.Import;

/// <summary>
/// The sizes an export's files must keep, whatever their format (the pipeline's defaults, overridden per source by the
/// sources file's <c>limits</c> object). A file or cell over a limit makes the export invalid: the import fails at
/// once with a message naming the file, the line (or sheet row), the column and the limit, never the cell's value, and
/// the pipeline quarantines the export at its first attempt.
/// </summary>
public sealed record ExportLimits
{
    /// <summary>
    /// The most bytes one file of an export may hold (default 2 GiB, the largest export a pull accepts): as stored (a
    /// drop's file is checked before it is copied, a pulled file before it is read) and as read (a <c>.gz</c> file
    /// decompressed, a workbook's parts expanded).
    /// </summary>
    public long MaxFileBytes { get; init; } = 2L << 30;

    /// <summary>
    /// The most bytes one record may take as the reader buffers it (default 64 MiB): a delimited row, a JSON document's
    /// record (one member of the records' first wildcard), a JSON Lines line. The reader never buffers more than this.
    /// </summary>
    public long MaxRecordBytes { get; init; } = 64L << 20;

    /// <summary>
    /// The most bytes (UTF-8) one cell may hold (default 1 MiB): a field of a delimited row, a workbook cell, the value a
    /// mapped column takes from a JSON record. A narrative is a few kilobytes; a megabyte is no cell an agency writes.
    /// </summary>
    public int MaxCellBytes { get; init; } = 1 << 20;

    public static ExportLimits Default { get; } = new();

    /// <summary>The problems with these limits (empty when valid), named after the sources file's properties under <paramref name="at"/>.</summary>
    public IReadOnlyList<string> Validate(string at)
    {
        var problems = new List<string>();
        if (MaxFileBytes <= 0)
        {
            problems.Add(Invariant($"{at}.maxFileBytes: {MaxFileBytes} is not a number of bytes above 0"));
        }

        if (MaxRecordBytes is <= 0 or > int.MaxValue)
        {
            problems.Add(Invariant($"{at}.maxRecordBytes: {MaxRecordBytes} is not a number of bytes between 1 and {int.MaxValue}"));
        }

        if (MaxCellBytes <= 0)
        {
            problems.Add(Invariant($"{at}.maxCellBytes: {MaxCellBytes} is not a number of bytes above 0"));
        }
        else if (MaxCellBytes > MaxRecordBytes)
        {
            problems.Add(Invariant($"{at}.maxCellBytes: {MaxCellBytes} is more than maxRecordBytes ({MaxRecordBytes}); a cell is part of a record"));
        }

        return problems;
    }

    /// <summary>"file:line: column 'name': a cell of more than N bytes (limits.maxCellBytes)": where, and the limit, never the value.</summary>
    internal string CellTooLarge(string file, long line, int? column, string? columnName) =>
        Invariant($"{file}:{line}:{(column is { } c ? c.ToString(CultureInfo.InvariantCulture) + ":" : "")} column '{columnName}': a cell of more than {MaxCellBytes:N0} bytes (limits.maxCellBytes); the export is refused");

    internal string RecordTooLarge(string file, long line, string what) =>
        Invariant($"{file}:{line}: {what} of more than {MaxRecordBytes:N0} bytes (limits.maxRecordBytes); the export is refused");

    /// <summary>"file: N bytes, more than the M one file may hold (limits.maxFileBytes)".</summary>
    public string FileTooLarge(string file, long bytes) =>
        Invariant($"{file}: {bytes:N0} bytes, more than the {MaxFileBytes:N0} one file may hold (limits.maxFileBytes); the export is refused");

    /// <summary>"file: expands past the M bytes one file may hold (limits.maxFileBytes)": a compressed file read.</summary>
    internal string FileExpandsTooFar(string file) =>
        Invariant($"{file}: expands past the {MaxFileBytes:N0} bytes one file may hold (limits.maxFileBytes); the export is refused");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
