namespace OpenConduct.Core.Model;

/// <summary>Where a canonical record came from: the export file and the 1-based line its row starts on.</summary>
public readonly record struct Provenance(string File, long Line);

/// <summary>
/// A complaint (one case). Allegations and complainants reference it by <see cref="CaseNumber"/> within its
/// <see cref="Source"/>; the import streams them as separate records so that memory stays bounded by the join
/// indexes rather than by the export's size.
/// </summary>
public sealed record Complaint
{
    public required string Source { get; init; }
    public required string CaseNumber { get; init; }
    public PartialDate? ReceivedDate { get; init; }
    public PartialDate? IncidentDate { get; init; }
    public PartialDate? ClosedDate { get; init; }
    public Coded<ComplaintStatus> Status { get; init; }
    public Coded<IntakeDecision> IntakeDecision { get; init; }
    public string? Precinct { get; init; }

    /// <summary>Raw location as the export gives it. Private: the disclosure policy generalises or drops it.</summary>
    public string? Location { get; init; }

    public Sensitivity Sensitivity { get; init; }

    /// <summary>The raw sensitivity codes, beside <see cref="Sensitivity"/>.</summary>
    public IReadOnlyList<string> SensitivityRaw { get; init; } = [];

    /// <summary>Free-text narrative. Private until scrubbed: it names civilians.</summary>
    public string? Narrative { get; init; }

    public Provenance Provenance { get; init; }
}

/// <summary>
/// One allegation: one officer, one category, with findings and discipline. <see cref="OfficerKey"/> is the
/// officer's key within the source (see <see cref="Officer.Key"/>).
/// </summary>
public sealed record Allegation
{
    public required string Source { get; init; }
    public required string CaseNumber { get; init; }

    /// <summary>The source's own allegation id when it has one.</summary>
    public string? AllegationId { get; init; }

    public required string OfficerKey { get; init; }

    /// <summary>
    /// True when the export does not identify the allegation's officer (no reference, or one that matches no officer):
    /// the allegation counts, against an unidentified officer of its complaint, but is never part of a person's history.
    /// </summary>
    public bool OfficerUnidentified => OfficerKey.StartsWith(Officer.UnidentifiedKeyPrefix, StringComparison.Ordinal);

    public CodedText Category { get; init; }
    public CodedText Subcategory { get; init; }
    public Coded<Finding> RecommendedFinding { get; init; }
    public Coded<Finding> FinalFinding { get; init; }
    public Coded<DisciplineKind> RecommendedDiscipline { get; init; }
    public int? RecommendedDisciplineDays { get; init; }
    public Coded<DisciplineKind> ImposedDiscipline { get; init; }
    public int? ImposedDisciplineDays { get; init; }

    /// <summary>Whether the imposed discipline is final (grievance and arbitration exhausted).</summary>
    public bool? DisciplineFinal { get; init; }

    /// <summary>The raw value of the final flag, beside <see cref="DisciplineFinal"/>.</summary>
    public string? DisciplineFinalRaw { get; init; }

    /// <summary>When the imposed discipline was decided (the date the time to final discipline is counted to).</summary>
    public PartialDate? DisciplineDate { get; init; }

    public Provenance Provenance { get; init; }
}

/// <summary>A badge number, with the dates it was held where the export knows them.</summary>
public readonly record struct BadgeNumber(string Number, DateOnly? From = null, DateOnly? To = null);

/// <summary>An officer as one source knows them. Identity across sources is resolved later, from redacted records.</summary>
public sealed record Officer
{
    /// <summary>The key prefix of an allegation's officer that the export does not identify (followed by the case number).</summary>
    public const string UnidentifiedKeyPrefix = "unidentified:";

    public required string Source { get; init; }

    /// <summary>
    /// The officer's key within the source: <c>id:</c> + employee id when the source has one; otherwise
    /// <c>badge:</c> + badge + name; otherwise <c>name:</c> + name, birth year and hire date.
    /// </summary>
    public required string Key { get; init; }

    public string? EmployeeId { get; init; }
    public string? FirstName { get; init; }
    public string? MiddleName { get; init; }
    public string? LastName { get; init; }
    public string? Suffix { get; init; }
    public IReadOnlyList<BadgeNumber> Badges { get; init; } = [];
    public string? Rank { get; init; }
    public string? Unit { get; init; }
    public Coded<Race> Race { get; init; }
    public Coded<Sex> Sex { get; init; }
    public int? BirthYear { get; init; }
    public PartialDate? HireDate { get; init; }
    public Provenance Provenance { get; init; }

    public string DisplayName =>
        string.Join(' ', new[] { FirstName, MiddleName, LastName, Suffix }.Where(p => !string.IsNullOrWhiteSpace(p)));
}

/// <summary>A complainant on a case. Almost every field here is private under every disclosure policy.</summary>
public sealed record Complainant
{
    public required string Source { get; init; }
    public required string CaseNumber { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string? Address { get; init; }
    public PartialDate? BirthDate { get; init; }
    public string? Phone { get; init; }
    public Coded<Race> Race { get; init; }
    public Coded<Sex> Sex { get; init; }
    public int? Age { get; init; }
    public Provenance Provenance { get; init; }
}
