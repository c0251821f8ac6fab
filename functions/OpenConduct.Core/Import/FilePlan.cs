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
    string[] DateFormats);

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
    public required HashSet<EntityKind> Holds { get; init; }
    public required List<(CanonicalField Field, string Value)> Constants { get; init; }
    public required List<JoinPlan> Joins { get; init; }
    public List<ColumnPlan> Columns { get; set; } = [];

    public string Name => Mapping.Name;

    public bool IsJoinTarget { get; set; }

    public JoinPlan? JoinTo(EntityKind entity) => Joins.Find(j => j.Entity == entity);

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
