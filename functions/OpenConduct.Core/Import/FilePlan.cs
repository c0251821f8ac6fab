using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenConduct.Core.Import;

/// <summary>How a field takes one value from a cell that holds several (<c>take</c>).</summary>
internal enum Take
{
    /// <summary>The cell holds one value (or the field takes every value: multi-value fields).</summary>
    None,
    First,
    Last,
    MostSevere,

    /// <summary>One allegation per value.</summary>
    Each,
}

/// <summary>
/// One field a column fills, resolved against the file's header. A plain column is one cell to one field; a column can
/// also append other columns (<c>combine</c>), fill several fields from the named groups of a <c>pattern</c>, and hold
/// several values (<c>split</c>, or a JSON array) of which a one-value field <c>take</c>s one.
/// </summary>
internal sealed record ColumnPlan(
    string Name,
    int FieldIndex,
    CanonicalField Field,
    ColumnMapping Mapping,
    CompiledVocabulary? Vocabulary,
    string[] DateFormats)
{
    /// <summary>The column's own mapping (split, take, combine, pattern); <see cref="Mapping"/> is this field's (vocabulary, value...).</summary>
    public ColumnMapping Column { get; init; } = Mapping;

    /// <summary>The source indexes of the columns appended to this one (<c>combine</c>).</summary>
    public int[]? Combine { get; init; }

    public string Separator { get; init; } = " ";

    public Regex? Pattern { get; init; }

    /// <summary>The pattern's group this field takes.</summary>
    public string? Group { get; init; }

    private readonly Dictionary<string, Match> matches = new(StringComparer.Ordinal);

    /// <summary>The pattern's match of a value; values repeat (codes), so matches are kept (up to <see cref="CacheLimit"/>).</summary>
    public Match Match(string text)
    {
        if (!matches.TryGetValue(text, out var match))
        {
            match = Pattern!.Match(text);
            if (matches.Count < CacheLimit)
            {
                matches[text] = match;
            }
        }

        return match;
    }

    public Take Take { get; init; }

    /// <summary>A number shared by the plans of one source column, for the row's memo of its pattern match.</summary>
    public int Slot { get; set; }

    /// <summary>A plain cell: no combine, no pattern, no split (JSON lists are found per row).</summary>
    public bool Direct => Combine is null && Pattern is null && Column.Split is null;

    /// <summary>The cell is the source's cell as it is (no combine; a pattern only applied to the parts of a split cell).</summary>
    public bool SourceCellOnly { get; private set; }

    /// <summary>Fixes <see cref="SourceCellOnly"/> once the plan is complete.</summary>
    public ColumnPlan Complete()
    {
        SourceCellOnly = Combine is null && (Pattern is null || Take != Take.None);
        return this;
    }

    /// <summary>
    /// Conversions already done for this column's raw values (the parts of split cells, constants). Coded columns
    /// repeat few distinct values, so the import converts each once; the cache stops growing at
    /// <see cref="CacheLimit"/> entries.
    /// </summary>
    public Dictionary<string, CodeOutcome> Codes { get; } = new(StringComparer.Ordinal);

    /// <summary>The same conversions keyed by the cells' UTF-8 bytes, for the rows' cells (no string made).</summary>
    public CellCache<CodeOutcome> Cells { get; } = new();

    public const int CacheLimit = 50_000;
}

internal enum CodeStatus
{
    /// <summary>Listed in the vocabulary, or already a canonical value.</summary>
    Mapped,

    /// <summary>Not listed; the vocabulary's fallback applies.</summary>
    Fallback,

    /// <summary>Not listed and no fallback: the row is rejected.</summary>
    Unlisted,

    /// <summary>No vocabulary, and the value is not a canonical name of the field's vocabulary.</summary>
    NotCanonical,
}

/// <summary>What a raw value of a coded column converts to. <see cref="Canonical"/> is null for a value a vocabulary maps to "no value".</summary>
internal readonly record struct CodeOutcome(CodeStatus Status, string? Canonical, int EnumValue)
{
    /// <summary>The raw value (of a category or subcategory) contains a sensitive term of the import's options.</summary>
    public bool LooksSensitive { get; init; }
}

/// <summary>A join from a file's rows to an entity held by another file.</summary>
internal sealed record JoinPlan(EntityKind Entity, CanonicalField[] On, string TargetFile);

/// <summary>The formats an export file can be read in.</summary>
internal enum FileType
{
    Csv,
    Json,
    JsonLines,
    Excel,
}

/// <summary>A profile file with everything resolved that does not depend on the file's content.</summary>
internal sealed class FilePlan
{
    public required FileMapping Mapping { get; init; }
    public required string ActualName { get; init; }
    public required FileType Type { get; init; }
    public required FileFormat Format { get; init; }
    public required Encoding? Encoding { get; init; }
    public required string EncodingName { get; init; }
    public required CultureInfo Culture { get; init; }
    public required string[] DateFormats { get; init; }
    public required bool RowNames { get; init; }

    /// <summary>The file's null tokens as UTF-8, for comparing cells without making strings.</summary>
    public required byte[][] NullTokens { get; init; }
    public required HashSet<EntityKind> Holds
    {
        get => holds;
        init
        {
            holds = value;
            foreach (var entity in value)
            {
                holdsEntity[(int)entity] = true;
            }
        }
    }

    private readonly HashSet<EntityKind> holds = [];
    private readonly bool[] holdsEntity = new bool[4];
    private readonly JoinPlan?[] joinTo = new JoinPlan?[4];
    public required List<(CanonicalField Field, string Value)> Constants { get; init; }
    public required List<JoinPlan> Joins
    {
        get => joins;
        init
        {
            joins = value;
            foreach (var join in value)
            {
                joinTo[(int)join.Entity] = join;
            }
        }
    }

    private readonly List<JoinPlan> joins = [];
    public List<ColumnPlan> Columns { get; set; } = [];

    /// <summary>The columns of complaint fields (but the case number): compared when a later row repeats a complaint.</summary>
    public ColumnPlan[] ComplaintColumns { get; set; } = [];

    /// <summary>The columns of officer fields: their cells name the row's officer (a denormalized file repeats them).</summary>
    public ColumnPlan[] OfficerColumns { get; set; } = [];

    /// <summary>The columns of complainant fields.</summary>
    public ColumnPlan[] ComplainantColumns { get; set; } = [];

    /// <summary>The columns of each entity's fields, by <see cref="EntityKind"/>: what "does the row have a value for it" reads.</summary>
    public ColumnPlan[][] EntityColumns { get; set; } = [[], [], [], []];

    /// <summary>The column whose values make one allegation each (<c>take: each</c>), if any.</summary>
    public ColumnPlan? EachColumn { get; set; }

    /// <summary>The distinct source columns the profile reads (mapped, combined), in order: what the duplicate check hashes.</summary>
    public int[] SourceColumns { get; set; } = [];

    /// <summary>
    /// The profile maps every field of the file's rows (delimited text): the duplicate check hashes the whole row (after
    /// the row name, in a file whose rows lead with one).
    /// </summary>
    public bool HashWholeRow { get; set; }

    /// <summary>Every row is a record, even one equal to an earlier row (files of people).</summary>
    public bool KeepDuplicates { get; init; }

    public string Name => Mapping.Name;

    public bool IsJoinTarget { get; set; }

    /// <summary>For a file that gives discipline to allegations (<c>disciplineOf</c>): the allegations file's officer join fields.</summary>
    public CanonicalField[]? DisciplineOfficerOn { get; set; }

    /// <summary>For a file holding allegations: the files that give their discipline (read before it).</summary>
    public bool TakesDiscipline { get; set; }

    public JoinPlan? JoinTo(EntityKind entity) => joinTo[(int)entity];

    public bool Has(EntityKind entity) => holdsEntity[(int)entity];

    public static string[] DefaultDateFormats { get; } = ["yyyy-MM-dd"];

    /// <summary>The format names of profiles (<c>format.type</c>).</summary>
    public static readonly string[] TypeNames = ["csv", "json", "jsonl", "excel"];

    public static string TypeName(FileType type) => TypeNames[(int)type];

    /// <summary>The file's format: the profile's <c>format.type</c>, else from the file name's extension (after <c>.gz</c>), else CSV.</summary>
    public static FileType TypeOf(string? declared, string fileName)
    {
        if (declared is not null)
        {
            return (FileType)Array.IndexOf(TypeNames, declared.ToLowerInvariant());
        }

        var name = fileName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? fileName[..^3] : fileName;
        return System.IO.Path.GetExtension(name).ToLowerInvariant() switch
        {
            ".json" => FileType.Json,
            ".jsonl" or ".ndjson" => FileType.JsonLines,
            ".xlsx" or ".xlsm" or ".xls" => FileType.Excel,
            _ => FileType.Csv,
        };
    }

    /// <summary>Finds the one export file the mapping's path matches, or explains why none does.</summary>
    public static string? Match(FileMapping mapping, IReadOnlyList<string> names, out string? error)
    {
        var pattern = new Regex("^" + Regex.Escape(mapping.Path).Replace("\\*", ".*", StringComparison.Ordinal) + "$",
            RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        var matches = names.Where(n => pattern.IsMatch(n)).ToList();
        error = matches.Count switch
        {
            1 => null,
            0 => $"file '{mapping.Name}': no file matches '{mapping.Path}' in the export (files present: {(names.Count == 0 ? "none" : string.Join(", ", names))})",
            _ => $"file '{mapping.Name}': '{mapping.Path}' matches {matches.Count} files ({string.Join(", ", matches)}); make the path match exactly one",
        };
        return matches.Count == 1 ? matches[0] : null;
    }
}
