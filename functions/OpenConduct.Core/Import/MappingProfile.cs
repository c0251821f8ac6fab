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

    /// <summary>
    /// The keys that identify an officer within the source, in order of preference: <c>employeeId</c>,
    /// <c>badge+name</c>, <c>name+birthYear+hireDate</c>, <c>name+birthYear</c>, <c>name+hireDate</c>, <c>badge</c>.
    /// Default: the first three.
    /// </summary>
    public IReadOnlyList<string>? OfficerKeys { get; init; }

    /// <summary>How values the export does not state are derived, and how rows of one complaint that disagree are resolved.</summary>
    public DerivationRules Rules { get; init; } = new();

    [JsonPropertyName("$schema")]
    public string? Schema { get; init; }
}

/// <summary>
/// Rules for values an export does not state (see docs/profiles.md, "Derived values"). Each list is tried in order;
/// the first rule that decides wins.
/// </summary>
public sealed record DerivationRules
{
    /// <summary>The default status rules: a status column, then a closed date, then the final findings.</summary>
    public static readonly IReadOnlyList<string> DefaultStatus = ["column", "closedDate", "findings"];

    /// <summary>The default finality rules: only a column says that discipline is final.</summary>
    public static readonly IReadOnlyList<string> DefaultDisciplineFinal = ["column"];

    /// <summary>
    /// How a complaint's status is decided: <c>column</c> (complaint.status mapped and not empty), <c>closedDate</c>
    /// (Closed when the complaint has one), <c>findings</c> (Closed when every allegation has a final finding other than
    /// Pending). When none decides, the complaint is Open.
    /// </summary>
    public IReadOnlyList<string>? Status { get; init; }

    /// <summary>
    /// How an allegation's discipline is known to be final: <c>column</c> (allegation.disciplineFinal mapped and not
    /// empty), <c>closedCase</c> (final once the complaint is closed), <c>finalFinding</c> (final once the allegation has a
    /// final finding). When none decides, finality is unknown (and imposed discipline is not published).
    /// </summary>
    public IReadOnlyList<string>? DisciplineFinal { get; init; }

    /// <summary>
    /// When several rows carry one complaint (a denormalized file repeats it; a complaints file may list a case twice)
    /// and they disagree: <c>firstNonEmpty</c> (default: each field from the first row that has it), <c>first</c> (the
    /// first row as it is), <c>last</c> (each field from the last row that has it).
    /// </summary>
    public string? ComplaintRows { get; init; }

    /// <summary>The age under which a complainant makes the complaint Juvenile (sensitive). Default 18; 0 turns the rule off.</summary>
    public int? JuvenileAge { get; init; }

    /// <summary>The default juvenile age.</summary>
    public const int DefaultJuvenileAge = 18;
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
    /// <summary>
    /// <c>csv</c> (delimited text), <c>json</c> (one document), <c>jsonl</c> (a JSON document per line) or <c>excel</c>
    /// (.xlsx, .xlsm, .xls). Default: from the file's extension (<c>.json</c>, <c>.jsonl</c>/<c>.ndjson</c>,
    /// <c>.xlsx</c>/<c>.xlsm</c>/<c>.xls</c>, after any <c>.gz</c>), else csv.
    /// </summary>
    public string? Type { get; init; }

    /// <summary>JSON: the path of the records, e.g. <c>$[*]</c> (default for json), <c>$.*</c>, <c>$.*.officers.*.allegations[*]</c>; <c>$</c> for jsonl.</summary>
    public string? Records { get; init; }

    /// <summary>Workbooks: the sheet, by name or by number from 1. Default: the first.</summary>
    public string? Sheet { get; init; }

    /// <summary>Workbooks: the row of the header, from 1. Default 1.</summary>
    public int? HeaderRow { get; init; }

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
        Type = Type ?? defaults.Type,
        Records = Records ?? defaults.Records,
        Sheet = Sheet ?? defaults.Sheet,
        HeaderRow = HeaderRow ?? defaults.HeaderRow,
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

    /// <summary>
    /// <c>skip</c>: a row with the same value in every mapped column as an earlier row is a duplicate, counted and
    /// skipped. <c>keep</c>: every row is a record (people: two complainants may share every value). Default: skip,
    /// except for a file that holds only complainants.
    /// </summary>
    public string? Duplicates { get; init; }

    /// <summary>
    /// The name of a file holding allegations whose discipline this file gives: one row per officer and case (a
    /// penalties table), matched on the case number and the allegations file's officer join. Such a file holds no
    /// entity; each sustained allegation (final or recommended finding) of that officer in that case takes the row's discipline fields it does not have.
    /// </summary>
    public string? DisciplineOf { get; init; }

    /// <summary>The one export file that <see cref="Path"/> matches, or null with the reason in <paramref name="error"/>.</summary>
    public string? FindIn(IReadOnlyList<string> names, out string? error) => FilePlan.Match(this, names, out error);
}

/// <summary>
/// How one column maps to canonical fields. In JSON either <c>"complaint.caseNumber"</c> or an object: a field with
/// options, or a <c>pattern</c> whose named groups fill several fields.
/// </summary>
[JsonConverter(typeof(ColumnMappingConverter))]
public sealed record ColumnMapping
{
    /// <summary>The canonical field, e.g. <c>allegation.finalFinding</c> (see docs/profiles.md for the list). Null for a column read through <see cref="Groups"/>.</summary>
    public string? Field { get; init; }

    /// <summary>The vocabulary that maps this column's values to canonical values.</summary>
    public string? Vocabulary { get; init; }

    /// <summary>Date formats for this column only, tried before the file's.</summary>
    public IReadOnlyList<string>? DateFormats { get; init; }

    /// <summary>The cell holds several values separated by this string (badge lists, flags, combined penalties).</summary>
    public string? Split { get; init; }

    /// <summary>
    /// For a split cell of a field that holds one value: which value the field takes: <c>first</c>, <c>last</c>,
    /// <c>mostSevere</c> (findings, discipline, days), or <c>each</c> (one allegation per value).
    /// </summary>
    public string? Take { get; init; }

    /// <summary>For full-name fields: <c>auto</c> (default: a comma means "Last, First"), <c>last-first</c>, <c>first-last</c>.</summary>
    public string? NameOrder { get; init; }

    /// <summary>A column that some exports of this format lack; missing, its field is simply empty.</summary>
    public bool Optional { get; init; }

    /// <summary>Other columns whose values are appended to this column's, with <see cref="Separator"/> (empty cells skipped).</summary>
    public IReadOnlyList<string>? Combine { get; init; }

    /// <summary>The text between combined values. Default one space.</summary>
    public string? Separator { get; init; }

    /// <summary>A .NET regular expression with named groups; each group of <see cref="Groups"/> fills its fields.</summary>
    public string? Pattern { get; init; }

    /// <summary>Group name -> the mappings (field and options) its capture fills.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ColumnMapping>>? Groups { get; init; }

    /// <summary>The canonical value the field takes whenever the column (or group) has a value; the cell is kept as the raw value.</summary>
    public string? Value { get; init; }

    /// <summary>Integer fields: what a fraction becomes: <c>round</c> (to the nearest, halves away from zero) or <c>truncate</c>. Default: the row is rejected.</summary>
    public string? Fractions { get; init; }

    /// <summary>The field mappings this column fills: itself, or every mapping of every group.</summary>
    public IEnumerable<ColumnMapping> Targets => Groups is null ? [this] : Groups.Values.SelectMany(g => g);
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
    /// <summary>
    /// Source value (matched ignoring case and surrounding spaces) -> canonical value; null means "no value" (e.g. the
    /// "N" of a yes/no flag that feeds a sensitivity).
    /// </summary>
    public required IReadOnlyDictionary<string, string?> Values { get; init; }

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
    private const string Allowed = "field, vocabulary, dateFormats, split, take, nameOrder, optional, combine, separator, pattern, groups, value, fractions";

    public override ColumnMapping? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return new ColumnMapping { Field = reader.GetString()! };
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("a column maps to a canonical field name or to an object with \"field\" (or \"pattern\" and \"groups\")");
        }

        string? field = null, vocabulary = null, split = null, take = null, nameOrder = null, separator = null, pattern = null, value = null, fractions = null;
        List<string>? dateFormats = null, combine = null;
        Dictionary<string, IReadOnlyList<ColumnMapping>>? groups = null;
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
                case "take": take = reader.GetString(); break;
                case "nameOrder": nameOrder = reader.GetString(); break;
                case "optional": optional = reader.GetBoolean(); break;
                case "dateFormats": dateFormats = JsonSerializer.Deserialize<List<string>>(ref reader, options); break;
                case "combine": combine = JsonSerializer.Deserialize<List<string>>(ref reader, options); break;
                case "separator": separator = reader.GetString(); break;
                case "pattern": pattern = reader.GetString(); break;
                case "value": value = reader.GetString(); break;
                case "fractions": fractions = reader.GetString(); break;
                case "groups": groups = ReadGroups(ref reader, options); break;
                default: throw new JsonException($"unknown column property '{property}' (allowed: {Allowed})");
            }
        }

        if (field is null && groups is null)
        {
            throw new JsonException("a column object needs \"field\", or \"pattern\" with \"groups\"");
        }

        return new ColumnMapping
        {
            Field = field,
            Vocabulary = vocabulary,
            Split = split,
            Take = take,
            NameOrder = nameOrder,
            Optional = optional,
            DateFormats = dateFormats,
            Combine = combine,
            Separator = separator,
            Pattern = pattern,
            Groups = groups,
            Value = value,
            Fractions = fractions,
        };
    }

    /// <summary><c>"groups": { "code": "allegation.category", "days": [ "allegation.imposedDisciplineDays", { ... } ] }</c></summary>
    private Dictionary<string, IReadOnlyList<ColumnMapping>> ReadGroups(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("\"groups\" is an object: group name -> a field, a column mapping, or a list of them");
        }

        var groups = new Dictionary<string, IReadOnlyList<ColumnMapping>>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            var mappings = new List<ColumnMapping>();
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    mappings.Add(Read(ref reader, typeof(ColumnMapping), options)!);
                }
            }
            else
            {
                mappings.Add(Read(ref reader, typeof(ColumnMapping), options)!);
            }

            groups[name] = mappings;
        }

        return groups;
    }

    public override void Write(Utf8JsonWriter writer, ColumnMapping value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        if (value.Field is not null && value with { Field = "" } == new ColumnMapping { Field = "" })
        {
            writer.WriteStringValue(value.Field);
            return;
        }

        writer.WriteStartObject();
        if (value.Field is not null) writer.WriteString("field", value.Field);
        if (value.Vocabulary is not null) writer.WriteString("vocabulary", value.Vocabulary);
        if (value.DateFormats is not null)
        {
            writer.WritePropertyName("dateFormats");
            JsonSerializer.Serialize(writer, value.DateFormats, options);
        }

        if (value.Split is not null) writer.WriteString("split", value.Split);
        if (value.Take is not null) writer.WriteString("take", value.Take);
        if (value.NameOrder is not null) writer.WriteString("nameOrder", value.NameOrder);
        if (value.Optional) writer.WriteBoolean("optional", true);
        if (value.Combine is not null)
        {
            writer.WritePropertyName("combine");
            JsonSerializer.Serialize(writer, value.Combine, options);
        }

        if (value.Separator is not null) writer.WriteString("separator", value.Separator);
        if (value.Pattern is not null) writer.WriteString("pattern", value.Pattern);
        if (value.Groups is not null)
        {
            writer.WritePropertyName("groups");
            writer.WriteStartObject();
            foreach (var (name, mappings) in value.Groups)
            {
                writer.WritePropertyName(name);
                writer.WriteStartArray();
                foreach (var mapping in mappings)
                {
                    Write(writer, mapping, options);
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        if (value.Value is not null) writer.WriteString("value", value.Value);
        if (value.Fractions is not null) writer.WriteString("fractions", value.Fractions);
        writer.WriteEndObject();
    }
}
