using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using OpenConduct.Core.Import.Sources;
using OpenConduct.Core.Model;

namespace OpenConduct.Core.Import;

/// <summary>Counts the source values that a vocabulary (or a column's pattern) does not list: what a profile author works through.</summary>
internal interface IUnmappedCounter
{
    void CountUnmapped(string file, ColumnPlan column, string value, long line, string? mappedTo, bool patternMiss = false);
}

/// <summary>
/// The mapped values of the current row, by canonical field, with typed accessors that record errors. Cells are read
/// from the source only when a record needs them (the complaint columns of a denormalized row whose case is already
/// known are only hashed, never turned into strings); plain cells are converted from their UTF-8 bytes, and a coded
/// value seen before in its column is found by those bytes without making a string.
/// </summary>
internal sealed class RowValues(IUnmappedCounter unmapped, IReadOnlyList<string> sensitiveTerms)
{
    /// <summary>A category or subcategory of this row contains a sensitive term.</summary>
    public bool LooksSensitive { get; private set; }

    private readonly string?[] values = new string?[CanonicalFields.Count];
    private readonly bool[] loaded = new bool[CanonicalFields.Count];
    private readonly ColumnPlan?[] columns = new ColumnPlan?[CanonicalFields.Count];
    private readonly List<ColumnPlan>?[] moreColumns = new List<ColumnPlan>?[CanonicalFields.Count];

    /// <summary>Fields that several groups of one pattern fill: the first group that has a value gives the field.</summary>
    private readonly ColumnPlan[]?[] alternatives = new ColumnPlan[]?[CanonicalFields.Count];
    private readonly string?[] constants = new string?[CanonicalFields.Count];
    private readonly bool[] mapped = new bool[CanonicalFields.Count];
    private FilePlan plan = null!;
    private RowSource source = null!;
    private CsvHelper.CsvReader? csv;
    private bool lists;

    // The row's computed cells (combined columns, pattern groups): bytes in one arena, memoized per plan.
    private byte[] arena = new byte[1024];
    private int arenaLength;
    private (int Start, int Length, bool Set)[] computed = [];
    private readonly HashSet<int> misses = [];

    public List<RowError> Errors { get; } = [];

    public bool HasErrors => Errors.Count > 0;

    public long Line { get; private set; }

    public Provenance Provenance => new(plan.ActualName, Line);

    /// <summary>The value of the <c>take: each</c> column this row's allegation is built from (-1: all of them).</summary>
    public int EachIndex { get; set; } = -1;

    public void Start(FilePlan filePlan, RowSource rows, long line)
    {
        if (!ReferenceEquals(plan, filePlan))
        {
            plan = filePlan;
            Array.Clear(mapped);
            Array.Clear(columns);
            Array.Clear(moreColumns);
            Array.Clear(alternatives);
            Array.Clear(constants);
            var slot = 0;
            foreach (var column in filePlan.Columns)
            {
                column.Slot = slot++;
                var id = column.Field.Id;
                if (columns[id] is null)
                {
                    columns[id] = column;
                }
                else
                {
                    (moreColumns[id] ??= []).Add(column);
                }

                mapped[id] = true;
            }

            computed = new (int, int, bool)[slot];
            foreach (var group in filePlan.Columns.Where(c => c.Group is not null && !c.Field.MultiValue).GroupBy(c => (c.Field.Id, c.Column)).Where(g => g.Count() > 1))
            {
                alternatives[group.Key.Id] = [.. group];
                moreColumns[group.Key.Id]?.RemoveAll(group.Contains);
            }

            foreach (var (field, value) in filePlan.Constants)
            {
                constants[field.Id] = value;
                mapped[field.Id] = true;
            }
        }

        if (!ReferenceEquals(source, rows))
        {
            source = rows;
            lists = rows is JsonRowSource;
            csv = (rows as CsvRowSource)?.Reader;
        }

        Array.Clear(loaded);
        Array.Clear(computed);
        misses.Clear();
        arenaLength = 0;
        Errors.Clear();
        LooksSensitive = false;
        EachIndex = -1;
        Line = line;
    }

    /// <summary>Forgets the converted values (not the cells): the next allegation of a <c>take: each</c> row reads its own value.</summary>
    public void Reload(CanonicalField field) => loaded[field.Id] = false;

    public bool IsMapped(CanonicalField field) => mapped[field.Id];

    public ColumnPlan? ColumnOf(CanonicalField field) => Col(field.Id);

    /// <summary>The column that gives a field its value in this row: the first alternative group with a value.</summary>
    private ColumnPlan? Col(int id)
    {
        if (alternatives[id] is not { } choices)
        {
            return columns[id];
        }

        foreach (var choice in choices)
        {
            if (!Cell(choice, out _).IsEmpty)
            {
                return choice;
            }
        }

        return choices[0];
    }

    /// <summary>Whether any field of <paramref name="entity"/> has a value in this row (constants not counted).</summary>
    public bool AnyValue(EntityKind entity)
    {
        foreach (var column in plan.EntityColumns[(int)entity])
        {
            if (!Cell(column, out _).IsEmpty)
            {
                return true;
            }
        }

        return false;
    }

    public CanonicalField? FirstMapped(EntityKind entity) =>
        plan.Columns.FirstOrDefault(c => c.Field.Entity == entity)?.Field;

    /// <summary>The raw text of a field (trimmed; null for an empty cell or a null token), read on first use.</summary>
    private string? Raw(CanonicalField field)
    {
        var id = field.Id;
        if (!loaded[id])
        {
            values[id] = Col(id) is { } column ? RawText(column) : constants[id];
            loaded[id] = true;
        }

        return values[id];
    }

    /// <summary>The raw text of one column's field: its single value, or the whole cell of a column that holds several.</summary>
    private string? RawText(ColumnPlan column)
    {
        if (column.Take != Take.None || IsList(column))
        {
            if (column.Take == Take.Each && EachIndex >= 0)
            {
                return Parts(column) is [var one] ? one : null;
            }

            var whole = SourceText(column);
            return whole is null ? null : whole.Replace((char)RowSource.ListSeparator, ';').TrimEnd(';');
        }

        return Text(column);
    }

    private bool IsList(ColumnPlan column) => lists && source.IsList(column.FieldIndex);

    /// <summary>A problem the source found in the row, as a row error.</summary>
    public RowError ErrorOf(RowProblem problem)
    {
        var column = problem.Column >= 0 ? plan.Columns.FirstOrDefault(c => c.FieldIndex == problem.Column) : null;
        return new RowError(plan.ActualName, Line, column is null || problem.Path is not null || lists ? null : column.FieldIndex + 1, column?.Name, problem.Reason, problem.Path);
    }

    public void Error(CanonicalField field, string reason)
    {
        var column = Col(field.Id);
        Errors.Add(column is null
            ? new RowError(plan.ActualName, Line, null, null, $"{field.Path}: {reason}")
            : Error(column, reason));
    }

    private RowError Error(ColumnPlan column, string reason) =>
        new(plan.ActualName, Line, lists ? null : column.FieldIndex + 1, column.Name, reason);

    public string? Text(CanonicalField field)
    {
        var chosen = One(field, out var several);
        return several ? chosen : Raw(field);
    }

    public string? Identifier(CanonicalField field) =>
        Text(field) is { } raw ? ValueConverter.Identifier(raw) : null;

    /// <summary>
    /// A hash of the cells of <paramref name="columns"/> in this row (and of <paramref name="prefix"/>), gathered into
    /// one buffer and hashed once, without making strings: a complaint, an officer or a complainant that a row repeats
    /// exactly hashes the same. Empty cells and null tokens count as no value.
    /// </summary>
    public UInt128 EntityHash(ColumnPlan[] columns, string? prefix)
    {
        var length = 0;
        if (prefix is not null)
        {
            length = Append(MemoryMarshal.AsBytes(prefix.AsSpan()), 0);
        }

        foreach (var column in columns)
        {
            var bytes = Cell(column, out var isNull);
            length = Append(isNull ? [0x00] : bytes, length);
        }

        return XxHash128.HashToUInt128(hashBuffer.AsSpan(0, length));
    }

    private int Append(ReadOnlySpan<byte> bytes, int length)
    {
        if (length + bytes.Length + 1 > hashBuffer.Length)
        {
            Array.Resize(ref hashBuffer, Math.Max(hashBuffer.Length * 2, length + bytes.Length + 1));
        }

        bytes.CopyTo(hashBuffer.AsSpan(length));
        length += bytes.Length;
        hashBuffer[length++] = 0x1F;
        return length;
    }

    private byte[] hashBuffer = new byte[1024];

    /// <summary>
    /// The hash of the row as the duplicate check compares it: the bytes of every source column the profile maps
    /// (each once, with the columns it combines), as written. Rows equal in those columns are duplicates, whatever
    /// columns the profile does not read say.
    /// </summary>
    public UInt128 RowHash()
    {
        if (plan.HashWholeRow && source.RawRow is { IsEmpty: false } record)
        {
            // Every field of the row is mapped: the row's bytes are its mapped cells. A row name (unique to each row)
            // is not a cell of the record: the bytes after it, when the reader's raw cell lies in the raw record.
            if (!plan.RowNames)
            {
                return XxHash128.HashToUInt128(record);
            }

            var name = source.RawCell(0);
            if (record.Overlaps(name, out var offset) && offset >= 0 && offset + name.Length < record.Length)
            {
                return XxHash128.HashToUInt128(record[(offset + name.Length + 1)..]);
            }
        }

        var indexes = plan.SourceColumns;
        var length = 0;
        for (var i = 0; i < indexes.Length; i++)
        {
            var cell = source.RawCell(indexes[i]);
            if (length + cell.Length + 1 > rowBuffer.Length)
            {
                Array.Resize(ref rowBuffer, Math.Max(rowBuffer.Length * 2, length + cell.Length + 1));
            }

            cell.CopyTo(rowBuffer.AsSpan(length));
            length += cell.Length;
            rowBuffer[length++] = 0x1F;
        }

        return XxHash128.HashToUInt128(rowBuffer.AsSpan(0, length));
    }

    private byte[] rowBuffer = new byte[1024];

    /// <summary>A 32-bit hash of one column's cell; 0 for no value.</summary>
    public uint CellHash(ColumnPlan column)
    {
        var bytes = Cell(column, out var isNull);
        return isNull ? 0u : (uint)XxHash3.HashToUInt64(bytes) | 1u;
    }

    /// <summary>
    /// An identifier cell looked up in <paramref name="index"/> by its characters. When the index has it, the index's
    /// own string is returned (no new string); otherwise a new one.
    /// </summary>
    public string? Identifier<TValue>(CanonicalField field, Dictionary<string, TValue> index, out bool found, out TValue? value)
    {
        value = default;
        found = false;
        var column = Col(field.Id);
        if (column is null || loaded[field.Id] || !column.Direct || lists)
        {
            var text = Identifier(field);
            found = text is not null && index.TryGetValue(text, out value);
            return text;
        }

        var bytes = Cell(column, out var isNull);
        if (isNull)
        {
            return null;
        }

        string raw;
        Span<char> chars = stackalloc char[Math.Min(bytes.Length, 128)];
        if (bytes.Length <= 128)
        {
            var id = ValueConverter.Identifier(chars[..Encoding.UTF8.GetChars(bytes, chars)]);
            if (index.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(id, out var key, out value))
            {
                found = true;
                raw = key;
            }
            else
            {
                raw = new string(id);
            }
        }
        else
        {
            raw = ValueConverter.Identifier(Encoding.UTF8.GetString(bytes));
            found = index.TryGetValue(raw, out value);
        }

        values[field.Id] = raw; // already an identifier: Identifier(field) gives it back unchanged
        loaded[field.Id] = true;
        return raw;
    }

    /// <summary>
    /// Whether the identifier cell of <paramref name="field"/> holds exactly <paramref name="previous"/> (the bytes an
    /// earlier row's cell had, kept by <see cref="CopyIdentifierCell"/>); then the field reads as
    /// <paramref name="value"/>, that row's identifier, without converting or looking up the cell again.
    /// </summary>
    public bool IdentifierCellIs(CanonicalField field, ReadOnlySpan<byte> previous, string value)
    {
        var column = Col(field.Id);
        if (column is null || loaded[field.Id] || !column.Direct || lists)
        {
            return false;
        }

        var bytes = Cell(column, out var isNull);
        if (isNull || !bytes.SequenceEqual(previous))
        {
            return false;
        }

        values[field.Id] = value;
        loaded[field.Id] = true;
        return true;
    }

    /// <summary>Copies the bytes of the identifier cell of <paramref name="field"/> into <paramref name="buffer"/>; their length, or -1 when it cannot be compared by its bytes.</summary>
    public int CopyIdentifierCell(CanonicalField field, ref byte[] buffer)
    {
        var column = Col(field.Id);
        if (column is null || !column.Direct || lists)
        {
            return -1;
        }

        var bytes = Cell(column, out var isNull);
        if (isNull || bytes.Length > 256)
        {
            return -1;
        }

        if (bytes.Length > buffer.Length)
        {
            buffer = new byte[256];
        }

        bytes.CopyTo(buffer);
        return bytes.Length;
    }

    /// <summary>Every value of a multi-value field: split cells, JSON arrays and several columns.</summary>
    public List<string> Values(CanonicalField field)
    {
        var first = Col(field.Id);
        if (first is not null && moreColumns[field.Id] is null && first.SourceCellOnly && first.Column.Split is null && !IsList(first)
            && Cell(first, out _).IsEmpty)
        {
            return NoValues; // the common case: one plain column, empty in this row
        }

        var result = new List<string>();
        if (first is not null)
        {
            result.AddRange(Parts(first));
        }
        else if (constants[field.Id] is { } constant)
        {
            result.Add(constant);
        }

        foreach (var column in moreColumns[field.Id] ?? [])
        {
            result.AddRange(Parts(column));
        }

        return result;
    }

    /// <summary>
    /// The values of a column for its field: the cell (with the columns it combines), cut by <c>split</c> or as a JSON
    /// array, each part through the column's pattern to this field's group; one value for a <c>take: each</c> column
    /// while an allegation of the row is built.
    /// </summary>
    public List<string> Parts(ColumnPlan column)
    {
        if (SourceText(column) is not { } whole)
        {
            return NoValues;
        }

        var parts = new List<string>();

        var list = IsList(column);
        IEnumerable<string> pieces = list
            ? whole.Split((char)RowSource.ListSeparator, StringSplitOptions.RemoveEmptyEntries)
            : column.Column.Split is { } split ? whole.Split(split, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [whole];
        var i = 0;
        foreach (var piece in pieces)
        {
            var index = i++;
            if (column.Take == Take.Each && EachIndex >= 0 && index != EachIndex)
            {
                continue;
            }

            var text = piece.Trim();
            if (text.Length == 0 || IsNullToken(text))
            {
                continue;
            }

            if (column.Pattern is not null)
            {
                var match = column.Match(text);
                if (!match.Success)
                {
                    PatternMiss(column, text);
                    continue;
                }

                var group = match.Groups[column.Group!];
                if (!group.Success || group.Value.Trim().Length == 0)
                {
                    continue;
                }

                text = group.Value.Trim();
            }

            parts.Add(text);
        }

        return parts;
    }

    /// <summary>How many values the <c>take: each</c> column holds in this row (before its pattern).</summary>
    public int EachCount(ColumnPlan column)
    {
        if (SourceText(column) is not { } whole)
        {
            return 0;
        }

        return IsList(column)
            ? whole.Split((char)RowSource.ListSeparator, StringSplitOptions.RemoveEmptyEntries).Length
            : whole.Split(column.Column.Split!, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Length;
    }

    /// <summary>The empty result of <see cref="Values"/> and <see cref="Parts"/>; never added to (callers only read).</summary>
    private static readonly List<string> NoValues = [];

    private bool IsNullToken(string text)
    {
        foreach (var token in plan.NullTokens)
        {
            if (Encoding.UTF8.GetByteCount(text) == token.Length && Encoding.UTF8.GetBytes(text).AsSpan().SequenceEqual(token))
            {
                return true;
            }
        }

        return false;
    }

    private void PatternMiss(ColumnPlan column, string text)
    {
        if (misses.Add(column.FieldIndex))
        {
            unmapped.CountUnmapped(plan.ActualName, column, text, Line, null, patternMiss: true);
            Errors.Add(Error(column, "the value does not match the column's pattern"));
        }
    }

    /// <summary>The text of the column's cell with the cells it combines (separated, empty ones skipped); null when all are empty.</summary>
    private string? SourceText(ColumnPlan column)
    {
        if (column.Combine is null)
        {
            var bytes = SourceCell(column.FieldIndex, out var isNull);
            return isNull ? null : Encoding.UTF8.GetString(bytes);
        }

        var text = new StringBuilder();
        foreach (var index in (ReadOnlySpan<int>)[column.FieldIndex, .. column.Combine])
        {
            var bytes = SourceCell(index, out var isNull);
            if (!isNull)
            {
                if (text.Length > 0)
                {
                    text.Append(column.Separator);
                }

                text.Append(Encoding.UTF8.GetString(bytes));
            }
        }

        return text.Length == 0 ? null : text.ToString();
    }

    /// <summary>
    /// The cell of a column as UTF-8 bytes, without making a string for a plain column (null tokens and empty cells
    /// give <paramref name="isNull"/>). A combined or pattern column's cell is its computed value; a column that holds
    /// several values gives its whole cell. Valid until the next row.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ReadOnlySpan<byte> Cell(ColumnPlan column, out bool isNull) =>
        column.SourceCellOnly ? SourceCell(column.FieldIndex, out isNull) : ComputedCell(column, whole: column.Take != Take.None, out isNull);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> SourceCell(int index, out bool isNull)
    {
        // Delimited text (the common case) is read straight from CsvHelper's reader; other formats through the source.
        var cell = (csv is { } reader ? index < reader.FieldCount ? reader.GetSpan(index) : default : source.Cell(index)).Trim((byte)' ');
        isNull = cell.IsEmpty;
        foreach (var token in plan.NullTokens)
        {
            isNull |= cell.SequenceEqual(token);
        }

        return isNull ? default : cell;
    }

    private ReadOnlySpan<byte> ComputedCell(ColumnPlan column, bool whole, out bool isNull)
    {
        ref var memo = ref computed[column.Slot];
        if (!memo.Set)
        {
            var text = whole ? SourceText(column) : Parts(column) is [var one, ..] ? one : null;
            memo = (arenaLength, 0, true);
            if (text is not null)
            {
                var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
                if (arenaLength + needed > arena.Length)
                {
                    Array.Resize(ref arena, Math.Max(arena.Length * 2, arenaLength + needed));
                }

                memo.Length = Encoding.UTF8.GetBytes(text, arena.AsSpan(arenaLength));
                arenaLength += memo.Length;
            }
        }

        isNull = memo.Length == 0;
        return arena.AsSpan(memo.Start, memo.Length);
    }

    /// <summary>The cell as a string; null for an empty cell or a null token.</summary>
    private string? Text(ColumnPlan column)
    {
        var cell = Cell(column, out var isNull);
        return isNull ? null : Encoding.UTF8.GetString(cell);
    }

    /// <summary>One value from several: the take rule of the column, or an error when the field holds one value and the column says nothing.</summary>
    private bool TooMany(ColumnPlan column, List<string> parts)
    {
        if (parts.Count > 1 && column.Take == Take.None && !column.Field.MultiValue)
        {
            Errors.Add(Error(column, $"holds {parts.Count} values (an array) where the field takes one; say which with \"split\" and \"take\""));
            return true;
        }

        return false;
    }

    private static T? Choose<T>(ColumnPlan column, List<T> values, Func<T, int>? rank = null)
    {
        if (values.Count == 0)
        {
            return default;
        }

        return column.Take switch
        {
            Take.Last => values[^1],
            Take.MostSevere when rank is not null => values.MaxBy(rank),
            _ => values[0],
        };
    }

    /// <summary>The one text value of a take (or list) column's field.</summary>
    private string? One(CanonicalField field, out bool several)
    {
        several = false;
        var column = Col(field.Id);
        if (column is null || (column.Take == Take.None && !IsList(column)) || (column.Take == Take.Each && EachIndex >= 0))
        {
            return null;
        }

        several = true;
        var parts = Parts(column);
        return TooMany(column, parts) ? null : Choose(column, parts);
    }

    public PartialDate? Date(CanonicalField field)
    {
        var column = Col(field.Id);
        var formats = column?.DateFormats ?? plan.DateFormats;
        var chosen = One(field, out var several);
        if (several)
        {
            return chosen is null ? null : ParseDate(field, chosen, formats);
        }

        if (column is not null && column.Direct)
        {
            var bytes = Cell(column, out var isNull);
            if (isNull)
            {
                return null;
            }

            Span<char> chars = stackalloc char[Math.Min(bytes.Length, 128)];
            if (bytes.Length <= 128)
            {
                var text = DateText(chars[..Encoding.UTF8.GetChars(bytes, chars)]);
                if (ValueConverter.TryDate(text, formats, plan.Culture, out PartialDate date))
                {
                    return date;
                }

                DateError(field, formats);
                return null;
            }
        }

        return Raw(field) is { } raw ? ParseDate(field, raw, formats) : null;
    }

    private PartialDate? ParseDate(CanonicalField field, string raw, string[] formats)
    {
        if (ValueConverter.TryDate(DateText(raw.AsSpan()), formats, plan.Culture, out PartialDate date))
        {
            return date;
        }

        DateError(field, formats);
        return null;
    }

    /// <summary>A year written as a float (<c>1970.0</c>) is read as the year.</summary>
    private static ReadOnlySpan<char> DateText(ReadOnlySpan<char> text) => ValueConverter.Identifier(text);

    private void DateError(CanonicalField field, string[] formats) =>
        Error(field, $"not a date in the expected format{(formats.Length > 1 ? "s" : "")} {string.Join(" or ", formats)}");

    public int? Integer(CanonicalField field)
    {
        var column = Col(field.Id);
        var fractions = column?.Mapping.Fractions;
        if (column?.Mapping.DateFormats is { } yearFormats)
        {
            // A birth year read from a date (or a year): the year of the date.
            return Raw(field) is { } text
                ? int.TryParse(ValueConverter.Identifier(text), out var year) && year is > 0 and < 10000 ? year : ParseDate(field, text, [.. yearFormats, .. plan.DateFormats])?.Year
                : null;
        }

        if (column is not null && (column.Take != Take.None || IsList(column)) && !(column.Take == Take.Each && EachIndex >= 0))
        {
            var parts = Parts(column);
            if (TooMany(column, parts))
            {
                return null;
            }

            var numbers = new List<int>();
            foreach (var part in parts)
            {
                if (ValueConverter.TryInteger(part, plan.Culture, out var number, fractions))
                {
                    numbers.Add(number);
                }
                else
                {
                    IntegerError(field, fractions);
                    return null;
                }
            }

            return numbers.Count == 0 ? null : Choose(column, numbers, n => n);
        }

        int value;
        bool parsed;
        if (column is not null && column.Direct)
        {
            var bytes = Cell(column, out var isNull);
            if (isNull)
            {
                return null;
            }

            parsed = ValueConverter.TryInteger(bytes, plan.Culture, out value, fractions);
        }
        else if (Raw(field) is { } raw)
        {
            parsed = ValueConverter.TryInteger(raw, plan.Culture, out value, fractions);
        }
        else
        {
            return null;
        }

        if (parsed)
        {
            return value;
        }

        IntegerError(field, fractions);
        return null;
    }

    private void IntegerError(CanonicalField field, string? fractions) =>
        Error(field, fractions is null ? "not a whole number (a fraction needs \"fractions\": \"round\" or \"truncate\")" : "not a number");

    public bool? Boolean(CanonicalField field)
    {
        var (raw, outcome) = Code(field);
        if (raw is null || outcome is not { Canonical: { } canonical })
        {
            return null;
        }

        if (ValueConverter.Boolean(canonical) is { } flag)
        {
            return flag;
        }

        Error(field, "not a yes/no value (Y/N, Yes/No, True/False, 1/0); map it with a vocabulary");
        return null;
    }

    /// <summary>The raw text of a Boolean field, beside its value.</summary>
    public string? BooleanRaw(CanonicalField field) => Code(field, count: false).Raw;

    public Coded<T> Coded<T>(CanonicalField field)
        where T : struct, Enum
    {
        var (raw, outcome) = Code(field);
        if (outcome is not { Canonical: not null } known)
        {
            return new Coded<T>(null, raw);
        }

        var value = known.EnumValue;
        return new Coded<T>(Unsafe.As<int, T>(ref value), raw);
    }

    public CodedText CodedText(CanonicalField field)
    {
        var (raw, outcome) = Code(field);
        return raw is null ? default : new CodedText(outcome?.Canonical, raw);
    }

    /// <summary>
    /// The raw text and the conversion of a coded cell. A value seen before in the column is found in the column's
    /// cache by the cell's bytes, and its cached string is the raw value: no new string per row.
    /// </summary>
    private (string? Raw, CodeOutcome? Outcome) Code(CanonicalField field, bool count = true)
    {
        var column = Col(field.Id);
        if (column is null)
        {
            if (Raw(field) is not { } constant)
            {
                return default;
            }

            NoteSensitive(field, constant);
            return (constant, count ? Resolve(field, constant) : null);
        }

        if (column.Take != Take.None || IsList(column))
        {
            var ofParts = CodeOfParts(field, column, count);
            NoteSensitive(field, ofParts.Raw);
            return ofParts;
        }

        var bytes = Cell(column, out var isNull);
        if (isNull)
        {
            return default;
        }

        if (column.Cells.TryGet(bytes, out var raw, out var cached))
        {
            LooksSensitive |= cached.LooksSensitive;
            return (raw, count ? Handle(field, column, raw, cached) : cached);
        }

        raw = Encoding.UTF8.GetString(bytes);
        var converted = Convert(field, column, raw);
        if (IsCategory(field))
        {
            converted = converted with { LooksSensitive = HasSensitiveTerm(raw) };
            LooksSensitive |= converted.LooksSensitive;
        }

        column.Cells.Add(bytes, raw, converted);
        return (raw, count ? Handle(field, column, raw, converted) : converted);
    }

    private static bool IsCategory(CanonicalField field) =>
        field == CanonicalFields.Category || field == CanonicalFields.Subcategory;

    private bool HasSensitiveTerm(string raw)
    {
        foreach (var term in sensitiveTerms)
        {
            if (raw.Contains(term, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Flags the row when a category value that is not cached by its bytes (a constant, a split cell) has a sensitive term.</summary>
    private void NoteSensitive(CanonicalField field, string? raw)
    {
        if (raw is not null && IsCategory(field) && HasSensitiveTerm(raw))
        {
            LooksSensitive = true;
        }
    }

    /// <summary>
    /// One value of several: chosen by the column's take rule (each: the value of the allegation being built). Apart
    /// from <see cref="Code"/>, so that the common path allocates nothing (a lambda here captures the field).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private (string? Raw, CodeOutcome? Outcome) CodeOfParts(CanonicalField field, ColumnPlan column, bool count)
    {
        var parts = Parts(column);
        var whole = Raw(field);
        if (!count || TooMany(column, parts))
        {
            return (whole, null);
        }

        var outcomes = new List<CodeOutcome>();
        foreach (var part in parts)
        {
            if (Resolve(field, part) is { } outcome)
            {
                outcomes.Add(outcome);
            }
        }

        var chosen = Choose(column, outcomes, o => o.Canonical is null ? -1 : Severity.Rank(field, o.EnumValue));
        return (whole, outcomes.Count == 0 ? null : chosen);
    }

    public (Sensitivity Flags, IReadOnlyList<string> Raw) Flags(CanonicalField field)
    {
        var parts = Values(field);
        if (parts.Count == 0)
        {
            return (Sensitivity.None, []);
        }

        var flags = Sensitivity.None;
        foreach (var part in parts)
        {
            if (Resolve(field, part) is { Canonical: not null } outcome)
            {
                flags |= (Sensitivity)outcome.EnumValue;
            }
        }

        return (flags, parts);
    }

    /// <summary>The conversion of one raw value (a part of a split cell, a constant), cached per column.</summary>
    private CodeOutcome? Resolve(CanonicalField field, string raw)
    {
        var column = Col(field.Id);
        if (column is null || !column.Codes.TryGetValue(raw, out var outcome))
        {
            outcome = Convert(field, column, raw);
            if (column is not null && column.Codes.Count < ColumnPlan.CacheLimit)
            {
                column.Codes[raw] = outcome;
            }
        }

        return Handle(field, column, raw, outcome);
    }

    /// <summary>
    /// The outcome when the value converts; null, with the row error recorded, when it does not. Unmapped values are
    /// counted every time they occur.
    /// </summary>
    private CodeOutcome? Handle(CanonicalField field, ColumnPlan? column, string raw, CodeOutcome outcome)
    {
        switch (outcome.Status)
        {
            case CodeStatus.Mapped:
                return outcome;
            case CodeStatus.Fallback:
                if (column is not null)
                {
                    unmapped.CountUnmapped(plan.ActualName, column, raw, Line, outcome.Canonical);
                }

                return outcome;
            case CodeStatus.Unlisted:
                if (column is not null)
                {
                    unmapped.CountUnmapped(plan.ActualName, column, raw, Line, null);
                }

                Error(field, $"value is not in vocabulary '{column?.Vocabulary?.Name}'");
                return null;
            default:
                if (column is not null)
                {
                    unmapped.CountUnmapped(plan.ActualName, column, raw, Line, null);
                }

                Error(field, $"value is not a {ValueConverter.Describe(field)}; map it with a vocabulary");
                return null;
        }
    }

    private static CodeOutcome Convert(CanonicalField field, ColumnPlan? column, string raw)
    {
        if (field.CodeType == typeof(AllegationCategory))
        {
            return Category(column, raw);
        }

        var status = CodeStatus.Mapped;
        string? canonical;
        var vocabulary = column?.Vocabulary;
        if (column?.Mapping.Value is { } value)
        {
            canonical = value;
        }
        else if (vocabulary is not null && vocabulary.TryLookup(raw, out canonical))
        {
            if (canonical is null)
            {
                return new CodeOutcome(CodeStatus.Mapped, null, 0); // the vocabulary says: no value
            }
        }
        else if (vocabulary is null || (field.CodeType is { } type && ValueConverter.TryParseCanonical(type, raw, out _)))
        {
            canonical = raw;
        }
        else if (vocabulary.Fallback is { } fallback)
        {
            (canonical, status) = (fallback, CodeStatus.Fallback);
        }
        else
        {
            return new CodeOutcome(CodeStatus.Unlisted, null, 0);
        }

        if (field.CodeType is null)
        {
            return new CodeOutcome(status, canonical, 0);
        }

        return ValueConverter.TryParseCanonical(field.CodeType, canonical, out var parsed)
            ? new CodeOutcome(status, canonical, parsed)
            : new CodeOutcome(CodeStatus.NotCanonical, null, 0);
    }

    /// <summary>
    /// A category: through the column's vocabulary (or value), else by canonical name or alias; anything else is Other
    /// (reported as unmapped), never a rejected row.
    /// </summary>
    private static CodeOutcome Category(ColumnPlan? column, string raw)
    {
        string? target = null;
        var listed = false;
        if (column?.Mapping.Value is { } value)
        {
            (target, listed) = (value, true);
        }
        else if (column?.Vocabulary is { } vocabulary && vocabulary.TryLookup(raw, out target))
        {
            if (target is null)
            {
                return new CodeOutcome(CodeStatus.Mapped, null, 0);
            }

            listed = true;
        }

        if (CategoryNames.Parse(listed ? target! : raw) is { } category)
        {
            return new CodeOutcome(CodeStatus.Mapped, category.ToString(), (int)category);
        }

        var fallback = column?.Vocabulary?.Fallback is { } declared && CategoryNames.Parse(declared) is { } f ? f : AllegationCategory.Other;
        return new CodeOutcome(CodeStatus.Fallback, fallback.ToString(), (int)fallback);
    }

    public (string? First, string? Middle, string? Last, string? Suffix) Name(CanonicalField field) =>
        Raw(field) is { } raw ? PersonName.Parse(raw, Col(field.Id)?.Mapping.NameOrder) : default;
}
