namespace OpenConduct.Core.Officers;

/// <summary>
/// One officer's public history across every source: what the officer search and the officer page show. Built only
/// from published (redacted) records: the releases' <c>records/*.jsonl.gz</c>.
/// </summary>
public sealed record OfficerDocument
{
    /// <summary>The stable public id (<c>off-</c> and 16 hex digits): unchanged between releases while the officer's records are.</summary>
    public required string Id { get; init; }

    /// <summary>
    /// "First Middle Last Suffix" as published (the most recent source's spelling), or
    /// <see cref="OfficerDocumentBuilder.UnnamedOfficer"/> when no source publishes a name (<see cref="NamePublished"/> false).
    /// </summary>
    public required string DisplayName { get; init; }

    /// <summary>False when no source publishes the officer's name: the display name is a label, never searched; the officer is found by a badge or an employee id.</summary>
    public bool NamePublished { get; init; } = true;

    /// <summary>Every employee id the sources publish for the officer, distinct (as published).</summary>
    public IReadOnlyList<string> EmployeeIds { get; init; } = [];

    /// <summary>The year of the earliest complaint received in the history (null when no complaint has a received date).</summary>
    public int? FirstComplaintYear { get; init; }

    /// <summary>The year of the latest complaint received in the history.</summary>
    public int? LastComplaintYear { get; init; }

    /// <summary>Every distinct spelling of the name across sources (display name included).</summary>
    public IReadOnlyList<string> NameVariants { get; init; } = [];

    /// <summary>The badge in use (issued most recently, without an end date), if any.</summary>
    public string? CurrentBadge { get; init; }

    /// <summary>Every badge number ever held, current and historic, distinct, oldest first.</summary>
    public IReadOnlyList<string> Badges { get; init; } = [];

    public string? Rank { get; init; }

    public string? Unit { get; init; }

    /// <summary><c>current</c> (a badge without an end date), <c>former</c> (every badge has ended), or null when the records do not say.</summary>
    public string? Status { get; init; }

    /// <summary>The per-source identities merged into this officer: (source, officer reference).</summary>
    public IReadOnlyList<OfficerSourceRef> SourceRefs { get; init; } = [];

    /// <summary>The complaints naming this officer, newest received first; one complaint against several officers is in each history.</summary>
    public IReadOnlyList<ComplaintHistoryEntry> Complaints { get; init; } = [];

    public OfficerSummary Summary { get; init; } = new(0, 0, 0, 0);
}

/// <summary>One source's identity of an officer: the source (as its records write it, e.g. <c>OPCR</c>) and the officer reference there.</summary>
public sealed record OfficerSourceRef(string Source, string OfficerRef)
{
    /// <summary><c>{source}:{officerRef}</c>, the form the identity report and the overrides file use.</summary>
    public override string ToString() => $"{Source}:{OfficerRef}";
}

/// <summary>One complaint in an officer's history, with only this officer's allegations.</summary>
public sealed record ComplaintHistoryEntry
{
    public required string Source { get; init; }
    public required string CaseNumber { get; init; }

    /// <summary>As published: yyyy-MM-dd, yyyy-MM or yyyy.</summary>
    public string? ReceivedDate { get; init; }

    /// <summary><c>Open</c> or <c>Closed</c> (null when the source does not say).</summary>
    public string? Status { get; init; }

    public string? IntakeDecision { get; init; }

    /// <summary>Days from received to closed, where the published dates tell (<see cref="Model.CaseDurations"/>).</summary>
    public int? DaysToClose { get; init; }

    /// <summary>Days from received to the case's final discipline, where the published dates tell.</summary>
    public int? DaysToFinalDiscipline { get; init; }

    /// <summary><c>pending review</c> while the complaint's narrative waits for a reviewer's approval (docs/review.md); null otherwise.</summary>
    public string? NarrativeStatus { get; init; }

    public IReadOnlyList<AllegationHistoryEntry> Allegations { get; init; } = [];
}

public sealed record AllegationHistoryEntry
{
    public string? Category { get; init; }
    public string? Subcategory { get; init; }

    /// <summary>The final finding where the policy publishes it (the case is closed); null otherwise.</summary>
    public string? FinalFinding { get; init; }

    /// <summary>True while a finding exists or may exist but is not public (the case is open).</summary>
    public bool FindingPending { get; init; }

    /// <summary>Whether the discipline is final, where published.</summary>
    public bool? DisciplineFinal { get; init; }

    /// <summary>The imposed discipline once final (e.g. <c>Suspension</c>), where published.</summary>
    public string? ImposedDiscipline { get; init; }

    public int? ImposedDisciplineDays { get; init; }

    /// <summary>
    /// The recommended finding (a review board's, e.g. <c>Sustained</c>), where the policy publishes recommendations
    /// (<c>finality.hideRecommendations: false</c>, e.g. New York); null otherwise.
    /// </summary>
    public string? RecommendedFinding { get; init; }

    /// <summary>The recommended discipline, canonical (e.g. <c>Other</c>), where the policy publishes recommendations; null otherwise.</summary>
    public string? RecommendedDiscipline { get; init; }

    /// <summary>The source's own words for the recommended discipline (e.g. <c>Command Discipline B</c>), beside <see cref="RecommendedDiscipline"/>.</summary>
    public string? RecommendedDisciplineText { get; init; }

    public int? RecommendedDisciplineDays { get; init; }

    /// <summary>
    /// The source's own words for the imposed discipline (e.g. <c>Forfeit vacation 5 day(s)</c>), given with a published
    /// recommendation so that the two read alike; null otherwise.
    /// </summary>
    public string? ImposedDisciplineText { get; init; }
}

/// <summary>Counts over the officer's history: complaints, allegations, sustained allegations (final), allegations with discipline imposed (final).</summary>
public sealed record OfficerSummary(int Complaints, int Allegations, int Sustained, int DisciplineImposed);
