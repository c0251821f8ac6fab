using System.Globalization;
using System.Text;

namespace OpenConduct.Samples;

/// <summary>
/// Writes delimited rows to a stream one at a time. A row is assembled in a buffer first so that it can be written
/// twice (the exact duplicate rows real exports carry).
/// </summary>
internal sealed class CsvSink : IDisposable
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private readonly StreamWriter writer;
    private readonly char delimiter;
    private readonly string newLine;
    private readonly StringBuilder row = new(1024);
    private bool firstField = true;

    public CsvSink(string path, Encoding encoding, char delimiter, string newLine)
    {
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        writer = new StreamWriter(stream, encoding, 1 << 16);
        this.delimiter = delimiter;
        this.newLine = newLine;
    }

    public string Path => ((FileStream)writer.BaseStream).Name;

    /// <summary>Data rows written (the header not counted, duplicates counted).</summary>
    public long Rows { get; private set; }

    public int DuplicateRows { get; private set; }

    /// <summary>A value, quoted only when it must be (delimiter, quote, line break, or surrounding spaces).</summary>
    public CsvSink Field(string? value)
    {
        Separate();
        if (string.IsNullOrEmpty(value))
        {
            return this;
        }

        if (NeedsQuotes(value))
        {
            AppendQuoted(value);
        }
        else
        {
            row.Append(value);
        }

        return this;
    }

    /// <summary>A value always written in quotes (as R writes character columns).</summary>
    public CsvSink Quoted(string value)
    {
        Separate();
        AppendQuoted(value);
        return this;
    }

    /// <summary>A value written as is (numbers, tokens such as NA).</summary>
    public CsvSink Raw(string value)
    {
        Separate();
        row.Append(value);
        return this;
    }

    public CsvSink Field(int value) => Raw(value.ToString(Inv));

    /// <summary>Writes the header line (not counted as a row).</summary>
    public void Header(IEnumerable<string> names, bool quoted = false)
    {
        foreach (var name in names)
        {
            if (quoted)
            {
                Quoted(name);
            }
            else
            {
                Field(name);
            }
        }

        Flush(countRow: false);
    }

    /// <summary>Ends the row; with <paramref name="duplicate"/> it is written twice.</summary>
    public void EndRow(bool duplicate = false)
    {
        if (duplicate)
        {
            writer.Write(row);
            writer.Write(newLine);
            Rows++;
            DuplicateRows++;
        }

        Flush(countRow: true);
    }

    /// <summary>Counts the row just written as a near-duplicate written by the caller.</summary>
    public void CountDuplicate() => DuplicateRows++;

    public void Dispose() => writer.Dispose();

    private void Flush(bool countRow)
    {
        writer.Write(row);
        writer.Write(newLine);
        row.Clear();
        firstField = true;
        if (countRow)
        {
            Rows++;
        }
    }

    private void Separate()
    {
        if (!firstField)
        {
            row.Append(delimiter);
        }

        firstField = false;
    }

    private bool NeedsQuotes(string value)
    {
        if (value[0] == ' ' || value[^1] == ' ')
        {
            return true;
        }

        foreach (var c in value)
        {
            if (c == delimiter || c is '"' or '\r' or '\n')
            {
                return true;
            }
        }

        return false;
    }

    private void AppendQuoted(string value)
    {
        row.Append('"');
        foreach (var c in value)
        {
            if (c == '"')
            {
                row.Append('"');
            }

            row.Append(c);
        }

        row.Append('"');
    }
}
