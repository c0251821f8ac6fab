using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenConduct.Core.Import;

/// <summary>One mapped column of a file, resolved against the file's header.</summary>
internal sealed record ColumnPlan(
    string Name,
    int FieldIndex,
    CanonicalField Field,
    ColumnMapping Mapping,
    CompiledVocabulary? Vocabulary,
    string[] DateFormats)
{
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

/// <summary>What a raw value of a coded column converts to.</summary>
internal readonly record struct CodeOutcome(CodeStatus Status, string? Canonical, int EnumValue);

/// <summary>A join from a file's rows to an entity held by another file.</summary>
internal sealed record JoinPlan(EntityKind Entity, CanonicalField[] On, string TargetFile);

/// <summary>A profile file with everything resolved that does not depend on the file's content.</summary>
internal sealed class FilePlan
{
    public required FileMapping Mapping { get; init; }
    public required string ActualName { get; init; }
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

    public string Name => Mapping.Name;

    public bool IsJoinTarget { get; set; }

    public JoinPlan? JoinTo(EntityKind entity) => joinTo[(int)entity];

    public bool Has(EntityKind entity) => holdsEntity[(int)entity];

    public static string[] DefaultDateFormats { get; } = ["yyyy-MM-dd"];

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
