namespace OpenConduct.Core.Release;

/// <summary>
/// Neutralises CSV cells that a spreadsheet would run as a formula (CSV injection, OWASP): a cell that starts with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return is written with a single quote in front
/// (<c>=HYPERLINK(...)</c> becomes <c>'=HYPERLINK(...)</c>), which spreadsheets show as text. A cell that is a plain
/// number (an optional sign, ASCII digits, optionally a point and more digits: <c>-3</c>, <c>+12</c>, <c>-0.5</c>)
/// is left as it is: a spreadsheet reads it as that number, never as a formula. Every other cell is left as it is.
/// Only the CSV files are neutralised; the JSON files keep the original values.
/// </summary>
public static class CsvFormulaGuard
{
    /// <summary>The characters that make a cell a possible formula when it starts with one of them.</summary>
    public static IReadOnlyList<char> Triggers { get; } = ['=', '+', '-', '@', '\t', '\r'];

    /// <summary>What is put in front of a possible formula.</summary>
    public const char Prefix = '\'';

    /// <summary>Whether the cell starts with a trigger and is not a plain number.</summary>
    public static bool NeedsNeutralising(ReadOnlySpan<char> cell) =>
        cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' && !IsPlainNumber(cell);

    /// <summary>The cell as it is written to a CSV file: with <see cref="Prefix"/> in front when it needs neutralising.</summary>
    public static string Neutralise(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return NeedsNeutralising(cell) ? Prefix + cell : cell;
    }

    /// <summary>An optional '+' or '-', one or more ASCII digits, and optionally '.' followed by one or more ASCII digits.</summary>
    public static bool IsPlainNumber(ReadOnlySpan<char> cell)
    {
        var i = cell.Length > 0 && cell[0] is '+' or '-' ? 1 : 0;
        var digits = 0;
        while (i < cell.Length && char.IsAsciiDigit(cell[i]))
        {
            i++;
            digits++;
        }

        if (digits == 0)
        {
            return false;
        }

        if (i == cell.Length)
        {
            return true;
        }

        if (cell[i] != '.')
        {
            return false;
        }

        i++;
        var decimals = 0;
        while (i < cell.Length && char.IsAsciiDigit(cell[i]))
        {
            i++;
            decimals++;
        }

        return decimals > 0 && i == cell.Length;
    }
}
