using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenConduct.Core.Import;

/// <summary>
/// A declarative description of one export format: its files, what each holds, how its cells map to canonical
/// fields, and the quirks of the files. Loaded from JSON (see docs/profiles.md and
/// samples/profiles/profile.schema.json) with <see cref="MappingProfileLoader"/>.
/// </summary>
public sealed class MappingProfile
{
    /// <summary>A short machine name, e.g. <c>opcr-joined</c>.</summary>
    public required string Name { get; init; }

    public string? Description { get; init; }

    /// <summary>The source every record of this export belongs to (e.g. OPCR, IAU, CRA).</summary>
    public required string Source { get; init; }

    /// <summary><c>joined</c> (several files joined by keys) or <c>denormalized</c> (one row per officer x allegation).</summary>
    public required ExportShape Shape { get; init; }

    /// <summary>Format options that apply to every file unless the file overrides them.</summary>
    public FileFormat Defaults { get; init; } = new();

    public required IReadOnlyList<FileMapping> Files { get; init; }

    /// <summary>How rows of one file reference an entity held by another file.</summary>
    public IReadOnlyList<JoinMapping> Joins { get; init; } = [];

    /// <summary>Named vocabularies: source codes to canonical values.</summary>
    public IReadOnlyDictionary<string, VocabularyMapping> Vocabularies { get; init; } =
        new Dictionary<string, VocabularyMapping>();

    /// <summary>Canonical field -> constant raw value, applied to every row of every file.</summary>
    public IReadOnlyDictionary<string, string> Constants { get; init; } = new Dictionary<string, string>();

    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ExportShape>))]
public enum ExportShape
{
    Joined,
    Denormalized,
}

/// <summary>Format options of a file. Every property is optional; unset ones fall back to the profile defaults.</summary>
public sealed record FileFormat
{
    /// <summary>One character, or <c>"auto"</c> to detect among , ; tab and |. Default ",".</summary>
    public string? Delimiter { get; init; }

    /// <summary><c>utf-8</c> (default; a BOM is honoured), <c>windows-1252</c>, <c>iso-8859-1</c>, <c>utf-16</c>.</summary>
    public string? Encoding { get; init; }

    /// <summary>Cell values that mean "no value", matched exactly after trimming. Default: none but the empty cell.</summary>
    public IReadOnlyList<string>? NullTokens { get; init; }

    /// <summary>Date formats tried in order (.NET custom format strings). Default: ISO 8601 <c>yyyy-MM-dd</c>.</summary>
    public IReadOnlyList<string>? DateFormats { get; init; }

    /// <summary>Culture for numbers and dates, e.g. <c>en-US</c>. Default: invariant.</summary>
    public string? Culture { get; init; }

    /// <summary>
    /// The header is one name shorter than the rows: the first field of every row is a row name (as R's
    /// write.csv writes it) and is ignored.
    /// </summary>
    public bool? HeaderShorterThanRows { get; init; }

    /// <summary>Trim spaces and tabs around values. Default true.</summary>
    public bool? Trim { get; init; }

    internal FileFormat Over(FileFormat defaults) => new()
    {
        Delimiter = Delimiter ?? defaults.Delimiter,
        Encoding = Encoding ?? defaults.Encoding,
        NullTokens = NullTokens ?? defaults.NullTokens,
        DateFormats = DateFormats ?? defaults.DateFormats,
        Culture = Culture ?? defaults.Culture,
        HeaderShorterThanRows = HeaderShorterThanRows ?? defaults.HeaderShorterThanRows,
        Trim = Trim ?? defaults.Trim,
    };
}

/// <summary>One file of the export.</summary>
public sealed class FileMapping
{
    /// <summary>The file's name in the profile (used by joins and in messages), e.g. <c>allegations</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The file name in the export folder; <c>*</c> matches any run of characters (e.g. <c>IAPro_*.csv</c>).</summary>
    public required string Path { get; init; }

    /// <summary>The entities whose records this file's rows carry: complaint, allegation, officer, complainant.</summary>
    public required IReadOnlyList<string> Holds { get; init; }

    public FileFormat Format { get; init; } = new();

    /// <summary>Column name (as in the header) -> canonical field, either a string or a full column mapping.</summary>
    public required IReadOnlyDictionary<string, ColumnMapping> Columns { get; init; }

    /// <summary>Canonical field -> constant raw value, for every row of this file.</summary>
    public IReadOnlyDictionary<string, string> Constants { get; init; } = new Dictionary<string, string>();

    /// <summary>The one export file that <see cref="Path"/> matches, or null with the reason in <paramref name="error"/>.</summary>
    public string? FindIn(IReadOnlyList<string> names, out string? error) => FilePlan.Match(this, names, out error);
}

/// <summary>How one column maps to a canonical field. In JSON either <c>"complaint.caseNumber"</c> or an object.</summary>
[JsonConverter(typeof(ColumnMappingConverter))]
public sealed record ColumnMapping
{
    /// <summary>The canonical field, e.g. <c>allegation.finalFinding</c> (see docs/profiles.md for the list).</summary>
    public required string Field { get; init; }

    /// <summary>The vocabulary that maps this column's values to canonical values.</summary>
    public string? Vocabulary { get; init; }

    /// <summary>Date formats for this column only, tried before the file's.</summary>
    public IReadOnlyList<string>? DateFormats { get; init; }

    /// <summary>Multi-value cell: the separator between values (badge lists, sensitivity flags).</summary>
    public string? Split { get; init; }

    /// <summary>For full-name fields: <c>auto</c> (default: a comma means "Last, First"), <c>last-first</c>, <c>first-last</c>.</summary>
    public string? NameOrder { get; init; }

    /// <summary>A column that some exports of this format lack; missing, its field is simply empty.</summary>
    public bool Optional { get; init; }
}

/// <summary>Rows of <see cref="File"/> reference the <see cref="Entity"/> held by another file, matched on <see cref="On"/>.</summary>
public sealed record JoinMapping
{
    public required string File { get; init; }
    public required string Entity { get; init; }
    public required IReadOnlyList<string> On { get; init; }
}

/// <summary>Source values -> canonical values for one vocabulary.</summary>
public sealed record VocabularyMapping
{
    /// <summary>Source value (matched ignoring case and surrounding spaces) -> canonical value.</summary>
    public required IReadOnlyDictionary<string, string> Values { get; init; }

    /// <summary>
    /// Optional regular expression with a group named <c>key</c>: a value is looked up by what the group captures,
    /// e.g. <c>^(?&lt;key&gt;\d+)\s*-</c> turns <c>600 - NO ACTION TAKEN</c> into <c>600</c>.
    /// </summary>
    public string? Extract { get; init; }

    /// <summary>
    /// Canonical value for source values not listed. Without it an unlisted value rejects its row. Either way every
    /// unlisted value is reported with its count.
    /// </summary>
    public string? Fallback { get; init; }
}

/// <summary>Reads a column mapping written either as a field name or as an object.</summary>
public sealed class ColumnMappingConverter : JsonConverter<ColumnMapping>
{
    public override ColumnMapping? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new ColumnMapping { Field = reader.GetString()! };
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a column maps to a canonical field name or to an object with \"field\"");
        }

        string? field = null, vocabulary = null, split = null, nameOrder = null;
        List<string>? dateFormats = null;
        var optional = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case "field": field = reader.GetString(); break;
                case "vocabulary": vocabulary = reader.GetString(); break;
                case "split": split = reader.GetString(); break;
                case "nameOrder": nameOrder = reader.GetString(); break;
                case "optional": optional = reader.GetBoolean(); break;
                case "dateFormats": dateFormats = JsonSerializer.Deserialize<List<string>>(ref reader, options); break;
                default: throw new JsonException($"unknown column property '{property}' (allowed: field, vocabulary, dateFormats, split, nameOrder, optional)");
            }
        }

        if (field is null)
        {
            throw new JsonException("a column object needs \"field\"");
        }

        return new ColumnMapping
        {
            Field = field,
            Vocabulary = vocabulary,
            Split = split,
            NameOrder = nameOrder,
            Optional = optional,
            DateFormats = dateFormats,
        };
    }

    public override void Write(Utf8JsonWriter writer, ColumnMapping value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value with { Field = "" } == new ColumnMapping { Field = "" })
        {
            writer.WriteStringValue(value.Field);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("field", value.Field);
        if (value.Vocabulary is not null) writer.WriteString("vocabulary", value.Vocabulary);
        if (value.DateFormats is not null)
        {
            writer.WritePropertyName("dateFormats");
            JsonSerializer.Serialize(writer, value.DateFormats, options);
        }

        if (value.Split is not null) writer.WriteString("split", value.Split);
        if (value.NameOrder is not null) writer.WriteString("nameOrder", value.NameOrder);
        if (value.Optional) writer.WriteBoolean("optional", true);
        writer.WriteEndObject();
    }
}
