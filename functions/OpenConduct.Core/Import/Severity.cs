using OpenConduct.Core.Model;

namespace OpenConduct.Core.Import;

/// <summary>
/// The order in which <c>take: mostSevere</c> ranks the values of a cell that holds several: discipline from none to
/// termination, findings from no finding to sustained, numbers (days) by size. Documented in docs/profiles.md.
/// </summary>
internal static class Severity
{
    private static readonly DisciplineKind[] Discipline =
    [
        DisciplineKind.None, DisciplineKind.Other, DisciplineKind.Coaching, DisciplineKind.Training, DisciplineKind.OralReprimand,
        DisciplineKind.WrittenReprimand, DisciplineKind.Suspension, DisciplineKind.Demotion, DisciplineKind.ResignedBeforeFinal,
        DisciplineKind.Termination,
    ];

    private static readonly Finding[] Findings =
        [Finding.Pending, Finding.NoFinding, Finding.Unfounded, Finding.Exonerated, Finding.NotSustained, Finding.Sustained];

    /// <summary>Whether mostSevere can rank the values of <paramref name="field"/>.</summary>
    public static bool Ranks(CanonicalField field) =>
        field.Kind == FieldKind.Integer || field.CodeType == typeof(DisciplineKind) || field.CodeType == typeof(Finding);

    /// <summary>The rank of a coded value of <paramref name="field"/> (higher is more severe).</summary>
    public static int Rank(CanonicalField field, int enumValue) =>
        field.CodeType == typeof(DisciplineKind) ? Array.IndexOf(Discipline, (DisciplineKind)enumValue)
        : field.CodeType == typeof(Finding) ? Array.IndexOf(Findings, (Finding)enumValue)
        : enumValue;

    /// <summary>The order of discipline kinds, least severe first, for the documentation and its test.</summary>
    public static IReadOnlyList<DisciplineKind> DisciplineOrder => Discipline;

    /// <summary>The order of findings, least severe first.</summary>
    public static IReadOnlyList<Finding> FindingOrder => Findings;
}
