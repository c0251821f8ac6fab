using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace OpenConduct.Core.Import.Sources;

/// <summary>
/// The rows of a JSON document (<c>json</c>) or of a JSON Lines file (<c>jsonl</c>, one document per line): every
/// value the file format's <c>records</c> path reaches is a row, and each mapped column is a path whose wildcards are
/// those of the records path, bound to the current row (<c>$.*~</c> the case number keying a top-level object,
/// <c>$.*.officers.*.badge_num</c> the badge of the row's officer).
/// </summary>
/// <remarks>
/// <para>Memory: a JSON document is streamed member by member of the container its first wildcard iterates; only one
/// such member (one case, say) is parsed at a time. A JSON Lines file holds one line at a time.</para>
/// <para>Nothing is dropped for its shape: a level whose wildcard finds nothing (a case without officers, an officer
/// without allegations) is still one row, with the deeper columns empty; a value of the wrong shape (a list where an
/// object is expected) is a row problem naming its path; a line of JSON Lines that does not parse is a row problem.</para>
/// </remarks>
internal sealed class JsonRowSource : RowSource
{
    private readonly string file;
    private readonly bool lines;
    private readonly Stream stream;
    private readonly CountingStream counted;
    private readonly JsonPath records;
    private readonly ExportLimits limits;

    /// <summary>The steps of the records path between its wildcards: segments[i] leads from wildcard i's member to wildcard i+1's container.</summary>
    private readonly JsonStep[][] segments;

    private readonly int depth;
    private readonly List<Column> columns = [];
    private readonly List<string> columnNames = [];
    private readonly Queue<Row> pending = new();
    private readonly JsonTokenStream? tokens;
    private readonly LineReader? lineReader;

    private JsonDocument? document;
    private ReadOnlyMemory<byte> documentBytes;
    private long documentLine;
    private bool containerIsObject;
    private bool finished;
    private bool entered;
    private int index;

    private Row current;
    private byte[] cellBytes = new byte[4096];
    private int cellLength;
    private (int Start, int Length, bool List)[] cells = [];

    private JsonRowSource(Stream stream, CountingStream counted, string file, bool lines, JsonPath records, ExportLimits limits)
    {
        this.stream = stream;
        this.limits = limits;
        this.counted = counted;
        this.file = file;
        this.lines = lines;
        this.records = records;
        var parts = new List<List<JsonStep>> { new() };
        foreach (var step in records.Steps)
        {
            if (step.Kind == JsonStepKind.Wildcard)
            {
                parts.Add([]);
            }
            else
            {
                parts[^1].Add(step);
            }
        }

        segments = [.. parts.Select(p => p.ToArray())];
        depth = segments.Length - 1;
        if (lines)
        {
            lineReader = new LineReader(stream, limits.MaxRecordBytes);
        }
        else
        {
            tokens = new JsonTokenStream(stream, limits.MaxRecordBytes);
        }
    }

    /// <summary>A mapped column: the wildcard level its path is bound to, the steps below it, or that level's member name.</summary>
    private sealed record Column(string Name, int Level, JsonStep[] Steps, bool Key);

    /// <summary>One row: the member bound at each wildcard level (absent below where the data stops), or a problem.</summary>
    private readonly record struct Row(Member[] Members, int Present, RowProblem? Problem);

    /// <summary>A wildcard level's current member: its name (or index) and value.</summary>
    private readonly record struct Member(string Key, JsonElement Value, bool FromArray = false);

    public static JsonRowSource? Open(Stream stream, CountingStream counted, string file, FileFormat format, bool lines, ExportLimits limits, out string? error)
    {
        var text = format.Records ?? (lines ? "$" : "$[*]");
        if (JsonPath.Parse(text, out error) is not { } path)
        {
            error = $"{file}: format.records: {error}";
            return null;
        }

        if (!path.Absolute || path.Steps.Any(s => s.Kind == JsonStepKind.Key))
        {
            error = $"{file}: format.records '{text}' must start with $ and name values, not member names (~)";
            return null;
        }

        return new JsonRowSource(stream, counted, file, lines, path, limits);
    }

    public override string Format => lines ? "jsonl" : "json";

    public override IReadOnlyList<string> Columns => columnNames;

    public override long Line => current.Problem is { } p && p.Column < 0 ? documentLine : RowLine();

    public override long BytesRead => counted.Position;

    public override bool RecordPresent => current.Present == depth;

    public override bool TryGetColumn(string name, out int index)
    {
        index = columnNames.IndexOf(name);
        if (index >= 0)
        {
            return true;
        }

        if (Compile(name, out _) is not { } column)
        {
            return false;
        }

        columns.Add(column);
        columnNames.Add(name);
        index = columns.Count - 1;
        cells = new (int, int, bool)[columns.Count];
        return true;
    }

    /// <summary>Why a mapped column's path cannot be used with this file's records path.</summary>
    public string Missing(IReadOnlyList<string> missing) =>
        string.Join("; ", missing.Select(m => $"{file}: column '{m}': {(Compile(m, out var reason) is null ? reason : "not found")}"));

    private Column? Compile(string name, out string? reason)
    {
        if (JsonPath.Parse(name, out reason) is not { } parsed)
        {
            return null;
        }

        var steps = parsed.Under(records).Steps.ToList();
        var isKey = steps.Count > 0 && steps[^1].Kind == JsonStepKind.Key;
        if (isKey)
        {
            steps.RemoveAt(steps.Count - 1);
        }

        // The column follows the records path as far as they agree; each wildcard on the way stands for the member of
        // the current row, and the column reads below the last of them by names and indexes.
        var common = 0;
        while (common < steps.Count && common < records.Steps.Count && steps[common] == records.Steps[common])
        {
            common++;
        }

        var lastWildcard = steps.Take(common).ToList().FindLastIndex(s => s.Kind == JsonStepKind.Wildcard);
        var level = steps.Take(common).Count(s => s.Kind == JsonStepKind.Wildcard);
        var below = steps.Skip(lastWildcard + 1).ToArray();
        if (below.Any(s => s.Kind == JsonStepKind.Wildcard))
        {
            reason = $"the path '{name}' has a wildcard that the records path '{records}' does not have there: a column holds one value per row (a list of values is read from an array at the column's path)";
            return null;
        }

        if (level == 0 && !lines && depth > 0)
        {
            reason = $"the path '{name}' lies outside the records '{records}': a column's path starts with the records path up to one of its wildcards, or is relative to the records";
            return null;
        }

        if (isKey && (below.Length > 0 || level == 0))
        {
            reason = $"'~' (a member's name) must follow a wildcard of the records path '{records}', in '{name}'";
            return null;
        }

        reason = null;
        return new Column(name, level, below, isKey);
    }

    public override bool Read()
    {
        RowProblems.Clear();
        if (Failure is not null)
        {
            return false;
        }

        try
        {
            while (pending.Count == 0)
            {
                if (finished || !NextTopLevel())
                {
                    finished = true;
                    return false;
                }
            }
        }
        catch (JsonException ex)
        {
            Failure = $"{file}:{(ex.LineNumber ?? 0) + 1}: not valid JSON, the file cannot be read past this point: {ex.Message}";
            return false;
        }
        catch (WindowFullException ex)
        {
            // A record (or line) longer than the reader may buffer: refused before it is read whole.
            throw new Pipeline.InvalidExportException(
                limits.RecordTooLarge(file, lines ? lineReader!.Line + 1 : tokens!.NextValueLine, lines ? "a line" : "a record"), ex);
        }

        current = pending.Dequeue();
        if (current.Problem is { } problem)
        {
            RowProblems.Add(problem);
        }

        FillCells();
        return true;
    }

    /// <summary>Parses the next top-level record (a member of the first wildcard's container, or a line) into rows.</summary>
    private bool NextTopLevel()
    {
        document?.Dispose();
        document = null;
        if (lines)
        {
            if (!lineReader!.Next(out var line, out var number))
            {
                return false;
            }

            documentLine = number;
            documentBytes = line;
            try
            {
                document = JsonDocument.Parse(line, DocumentOptions);
            }
            catch (JsonException ex)
            {
                pending.Enqueue(new Row([], 0, new RowProblem(-1, null, $"the line is not valid JSON: {ex.Message}")));
                return true;
            }

            Expand(new Member[depth + 1], 0, document.RootElement, 0);
            return true;
        }

        if (!entered)
        {
            entered = true;
            if (!EnterContainer())
            {
                return false;
            }
        }

        // Each member of the first wildcard's container, parsed on its own.
        string key;
        if (containerIsObject)
        {
            if (!tokens!.Next(out var token, out var name) || token == JsonTokenType.EndObject)
            {
                return false;
            }

            key = name!;
        }
        else
        {
            key = index.ToString(CultureInfo.InvariantCulture);
        }

        if (!tokens!.NextValue(out var value, out var valueToken, out var valueLine) || valueToken == JsonTokenType.EndArray)
        {
            return false;
        }

        index++;
        documentLine = valueLine;
        documentBytes = value;
        document = JsonDocument.Parse(value, DocumentOptions);
        var members = new Member[depth + 1];
        members[1] = new Member(key, document.RootElement, !containerIsObject);
        Expand(members, 1, document.RootElement, 1);
        return true;
    }

    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>
    /// Streams down the records path to the container its first wildcard iterates. Without any wildcard the value
    /// the path reaches is the only row.
    /// </summary>
    private bool EnterContainer()
    {
        if (!tokens!.Next(out var token, out _))
        {
            Failure = $"{file}: the file is empty";
            return false;
        }

        var at = new List<JsonStep>();
        foreach (var step in segments[0])
        {
            if (!Descend(ref token, step, at))
            {
                return false;
            }

            at.Add(step);
        }

        if (depth == 0)
        {
            Failure = $"{file}: format.records '{records}' has no wildcard (.* or [*]); write the path of the records, e.g. '$[*]' or '$.data[*]'";
            return false;
        }

        if (token is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            Failure = $"{file}:{tokens.Line}: format.records '{records}': {JsonPath.Show(at)} is {Describe(token)}, not an object or an array to take records from";
            return false;
        }

        containerIsObject = token == JsonTokenType.StartObject;
        return true;
    }

    /// <summary>Moves the token stream from the start of a container to the start of its member <paramref name="step"/>.</summary>
    private bool Descend(ref JsonTokenType token, JsonStep step, List<JsonStep> at)
    {
        var needed = step.Kind == JsonStepKind.Name ? JsonTokenType.StartObject : JsonTokenType.StartArray;
        if (token != needed)
        {
            Failure = $"{file}:{tokens!.Line}: format.records '{records}': {JsonPath.Show(at)} is {Describe(token)}, where the path needs {(needed == JsonTokenType.StartObject ? "an object" : "an array")}";
            return false;
        }

        var index = 0;
        while (true)
        {
            if (step.Kind == JsonStepKind.Name)
            {
                if (!tokens!.Next(out var next, out var name) || next == JsonTokenType.EndObject)
                {
                    Failure = $"{file}: format.records '{records}': {JsonPath.Show(at)} has no member '{step.Name}'";
                    return false;
                }

                if (name == step.Name)
                {
                    tokens.Next(out token, out _);
                    return true;
                }

                tokens.NextValue(out _, out _, out _);
            }
            else
            {
                if (index == step.Index)
                {
                    tokens!.Next(out token, out _);
                    if (token == JsonTokenType.EndArray)
                    {
                        Failure = $"{file}: format.records '{records}': {JsonPath.Show(at)} has no element {step.Index}";
                        return false;
                    }

                    return true;
                }

                tokens!.NextValue(out _, out var skipped, out _);
                if (skipped == JsonTokenType.EndArray)
                {
                    Failure = $"{file}: format.records '{records}': {JsonPath.Show(at)} has no element {step.Index}";
                    return false;
                }

                index++;
            }
        }
    }

    /// <summary>
    /// Adds the rows under <paramref name="value"/>, the member bound at wildcard level <paramref name="level"/>:
    /// down its segment to the next wildcard's container, then one row per member (recursively), or one row that
    /// stops here when there is nothing below.
    /// </summary>
    private void Expand(Member[] members, int level, JsonElement value, int present)
    {
        var element = value;
        foreach (var step in segments[level])
        {
            if (element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
            {
                pending.Enqueue(new Row([.. members], present, null));
                return;
            }

            if (step.Kind == JsonStepKind.Name)
            {
                if (element.ValueKind != JsonValueKind.Object)
                {
                    pending.Enqueue(new Row([.. members], present, Shape(members, level, step, element, "an object")));
                    return;
                }

                if (!element.TryGetProperty(step.Name!, out element))
                {
                    pending.Enqueue(new Row([.. members], present, null));
                    return;
                }
            }
            else
            {
                if (element.ValueKind != JsonValueKind.Array)
                {
                    pending.Enqueue(new Row([.. members], present, Shape(members, level, step, element, "an array")));
                    return;
                }

                if (step.Index >= element.GetArrayLength())
                {
                    pending.Enqueue(new Row([.. members], present, null));
                    return;
                }

                element = element[step.Index];
            }
        }

        if (level == depth)
        {
            pending.Enqueue(new Row([.. members], present, null));
            return;
        }

        var added = pending.Count;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    members[level + 1] = new Member(member.Name, member.Value);
                    Expand(members, level + 1, member.Value, level + 1);
                }

                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    members[level + 1] = new Member(i++.ToString(CultureInfo.InvariantCulture), item, FromArray: true);
                    Expand(members, level + 1, item, level + 1);
                }

                break;
            case JsonValueKind.Null or JsonValueKind.Undefined:
                break;
            default:
                pending.Enqueue(new Row([.. members], present, Shape(members, level, new JsonStep(JsonStepKind.Wildcard), element, "an object or an array")));
                return;
        }

        if (pending.Count == added)
        {
            // Nothing below: the row stops at this level (a case without officers is still a case).
            Array.Clear(members, level + 1, depth - level);
            pending.Enqueue(new Row([.. members], present, null));
        }
    }

    private RowProblem Shape(Member[] members, int level, JsonStep step, JsonElement found, string needed)
    {
        var path = Location(members, level, segments[level].TakeWhile(s => s != step));
        return new RowProblem(-1, path, $"{path} is {Describe(found.ValueKind)}, where the records path '{records}' needs {needed}");
    }

    /// <summary>The concrete path of the member bound at <paramref name="level"/>, then <paramref name="below"/>.</summary>
    private string Location(Member[] members, int level, IEnumerable<JsonStep> below)
    {
        var steps = new List<JsonStep>(segments[0]);
        for (var l = 1; l <= level; l++)
        {
            var key = members[l].Key;
            steps.Add(members[l].FromArray
                ? new JsonStep(JsonStepKind.Index, Index: int.Parse(key, CultureInfo.InvariantCulture))
                : new JsonStep(JsonStepKind.Name, key));
            if (l < level)
            {
                steps.AddRange(segments[l]);
            }
        }

        steps.AddRange(below);
        return JsonPath.Show(steps);
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        _ => "null",
    };

    /// <summary>The line the current row's deepest value starts on.</summary>
    private long RowLine()
    {
        if (lines || current.Present == 0 || current.Members.Length == 0)
        {
            return documentLine;
        }

        var raw = JsonMarshal.GetRawUtf8Value(current.Members[current.Present].Value);
        var all = documentBytes.Span;
        var offset = (long)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(all), ref MemoryMarshal.GetReference(raw));
        return offset < 0 || offset > all.Length ? documentLine : documentLine + all[..(int)offset].Count((byte)'\n');
    }

    /// <summary>Reads every mapped column's value of the current row into one buffer.</summary>
    private void FillCells()
    {
        cellLength = 0;
        for (var c = 0; c < columns.Count; c++)
        {
            var column = columns[c];
            var start = cellLength;
            var list = false;
            if (current.Problem is null)
            {
                if (Value(column, out var value, out var problem))
                {
                    list = Append(column, value);
                }
                else if (problem is { } wrong)
                {
                    RowProblems.Add(new RowProblem(c, wrong.Path, wrong.Reason));
                }
            }

            if (cellLength - start > limits.MaxCellBytes)
            {
                throw new Pipeline.InvalidExportException(limits.CellTooLarge(file, RowLine(), null, column.Name));
            }

            cells[c] = (start, cellLength - start, list);
        }
    }

    /// <summary>The column's value in the current row; false with no problem when the row has none there.</summary>
    private bool Value(Column column, out JsonElement value, out (string Path, string Reason)? problem)
    {
        problem = null;
        value = default;
        if (column.Level > current.Present || (column.Level == 0 && document is null))
        {
            return false;
        }

        if (column.Key)
        {
            return true;
        }

        var element = column.Level == 0 ? document!.RootElement : current.Members[column.Level].Value;
        for (var i = 0; i < column.Steps.Length; i++)
        {
            var step = column.Steps[i];
            if (element.ValueKind is JsonValueKind.Null)
            {
                return false;
            }

            if (step.Kind == JsonStepKind.Name ? element.ValueKind != JsonValueKind.Object : element.ValueKind != JsonValueKind.Array)
            {
                var at = Location(current.Members, column.Level, column.Steps.Take(i));
                problem = (at, $"{at} is {Describe(element.ValueKind)}, where column '{column.Name}' needs {(step.Kind == JsonStepKind.Name ? "an object" : "an array")}");
                return false;
            }

            if (step.Kind == JsonStepKind.Name)
            {
                if (!element.TryGetProperty(step.Name!, out element))
                {
                    return false;
                }
            }
            else if (step.Index < element.GetArrayLength())
            {
                element = element[step.Index];
            }
            else
            {
                return false;
            }
        }

        if (element.ValueKind == JsonValueKind.Object || (element.ValueKind == JsonValueKind.Array && element.EnumerateArray().Any(e => e.ValueKind is JsonValueKind.Object or JsonValueKind.Array)))
        {
            var at = Location(current.Members, column.Level, column.Steps);
            problem = (at, $"{at} is {(element.ValueKind == JsonValueKind.Object ? "an object" : "an array of objects or arrays")}, where column '{column.Name}' needs a value (or an array of values)");
            return false;
        }

        value = element;
        return element.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);
    }

    /// <summary>Appends a value's text as UTF-8; an array of values is appended as a list. True for a list.</summary>
    private bool Append(Column column, JsonElement value)
    {
        if (column.Key)
        {
            AppendText(current.Members[column.Level].Key);
            return false;
        }

        if (value.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in value.EnumerateArray())
            {
                if (item.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
                {
                    AppendScalar(item);
                    Ensure(1);
                    cellBytes[cellLength++] = ListSeparator;
                }
            }

            return true;
        }

        AppendScalar(value);
        return false;
    }

    private void AppendScalar(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                var raw = JsonMarshal.GetRawUtf8Value(value);
                if (raw.IndexOf((byte)'\\') < 0)
                {
                    AppendBytes(raw[1..^1]);
                }
                else
                {
                    AppendText(value.GetString()!);
                }

                break;
            case JsonValueKind.Number:
                AppendBytes(JsonMarshal.GetRawUtf8Value(value));
                break;
            case JsonValueKind.True:
                AppendBytes("true"u8);
                break;
            case JsonValueKind.False:
                AppendBytes("false"u8);
                break;
            default:
                break;
        }
    }

    private void AppendText(string text)
    {
        Ensure(Encoding.UTF8.GetMaxByteCount(text.Length));
        cellLength += Encoding.UTF8.GetBytes(text, cellBytes.AsSpan(cellLength));
    }

    private void AppendBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(cellBytes.AsSpan(cellLength));
        cellLength += bytes.Length;
    }

    private void Ensure(int more)
    {
        if (cellLength + more > cellBytes.Length)
        {
            Array.Resize(ref cellBytes, Math.Max(cellBytes.Length * 2, cellLength + more));
        }
    }

    public override ReadOnlySpan<byte> Cell(int column)
    {
        var (start, length, _) = cells[column];
        return cellBytes.AsSpan(start, length);
    }

    public override bool IsList(int column) => cells[column].List;

    public override void Dispose()
    {
        document?.Dispose();
        stream.Dispose();
    }

    /// <summary>Splits a stream into lines (LF or CRLF), keeping the line number; a line is valid until the next call.</summary>
    private sealed class LineReader(Stream stream, long maxLineBytes)
    {
        private readonly ByteWindow window = new(stream, maxLineBytes);
        private long line;

        /// <summary>The number of the last line returned (or passed over).</summary>
        public long Line => line;

        public bool Next(out ReadOnlyMemory<byte> text, out long number)
        {
            while (true)
            {
                var unread = window.Unread;
                var newline = unread.IndexOf((byte)'\n');
                if (newline >= 0 || (window.Eof && !unread.IsEmpty))
                {
                    var length = newline >= 0 ? newline : unread.Length;
                    var content = window.Slice(0, length);
                    window.Consume(newline >= 0 ? newline + 1 : length);
                    line++;
                    if (content.Span.Trim("\r \t"u8).IsEmpty)
                    {
                        continue;
                    }

                    (text, number) = (content, line);
                    return true;
                }

                if (window.Eof)
                {
                    (text, number) = (default, line);
                    return false;
                }

                window.Fill();
            }
        }
    }
}
