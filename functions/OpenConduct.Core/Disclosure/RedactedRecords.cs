using System.Text.Json.Serialization;
using OpenConduct.Core.Model;

namespace OpenConduct.Core.Disclosure;

/// <summary>A published date: truncated to its precision (a month is its first day, a year its 1 January).</summary>
public readonly record struct PublicDate(DateOnly Value, DatePrecision Precision)
{
    public override string ToString() => Precision switch
    {
        DatePrecision.Year => Value.Year.ToString("0000", System.Globalization.CultureInfo.InvariantCulture),
        DatePrecision.Month => Value.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
        _ => Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// The public half of a record, as the disclosure policy decides it. Only the Redactor creates these
/// (their constructors and setters are internal to Core), and every release builder accepts only these types, so
/// no public artefact can be built from a canonical record that did not go through the policy.
/// </summary>
public abstract record RedactedRecord
{
    private protected RedactedRecord()
    {
    }

    public string Source { get; internal init; } = "";
}

public sealed record RedactedComplaint : RedactedRecord
{
    internal RedactedComplaint()
    {
    }

    /// <summary>The case number, or its pseudonym.</summary>
    public string CaseNumber { get; internal init; } = "";

    public PublicDate? ReceivedDate { get; internal init; }
    public PublicDate? IncidentDate { get; internal init; }
    public PublicDate? ClosedDate { get; internal init; }
    public Coded<ComplaintStatus> Status { get; internal init; }
    public Coded<IntakeDecision> IntakeDecision { get; internal init; }
    public string? Precinct { get; internal init; }

    /// <summary>The location as the policy publishes it (hundred block, precinct); never for a sensitive complaint.</summary>
    public string? Location { get; internal init; }

    /// <summary>The scrubbed narrative; never for a sensitive complaint.</summary>
    public string? Narrative { get; internal init; }

    /// <summary>The policy requires a reviewer's approval and the narrative waits for it: published as "pending review".</summary>
    public bool NarrativePendingReview { get; internal init; }

    /// <summary>
    /// True when the sensitivity rule applies: no location and no narrative, whatever the field rules say. Internal:
    /// publishing it would itself tell that the case involves domestic violence, sexual assault or a juvenile.
    /// </summary>
    internal bool Sensitive { get; init; }
}

public sealed record RedactedAllegation : RedactedRecord
{
    internal RedactedAllegation()
    {
    }

    public string CaseNumber { get; internal init; } = "";

    /// <summary>A keyed pseudonym of the officer within the source: stable across releases, irreversible.</summary>
    public string OfficerRef { get; internal init; } = "";

    /// <summary>
    /// The export does not identify the allegation's officer: <see cref="OfficerRef"/> is empty, the allegation counts
    /// (datasets, dashboards) but is never in an officer's history.
    /// </summary>
    public bool OfficerUnidentified { get; internal init; }

    public string? AllegationId { get; internal init; }
    public CodedText Category { get; internal init; }
    public CodedText Subcategory { get; internal init; }
    public Coded<Finding> RecommendedFinding { get; internal init; }

    /// <summary>The final finding once public (the complaint is closed); otherwise empty and <see cref="FindingPending"/>.</summary>
    public Coded<Finding> FinalFinding { get; internal init; }

    /// <summary>True when a finding exists or may exist but is not public yet (the case is open).</summary>
    public bool FindingPending { get; internal init; }

    public Coded<DisciplineKind> RecommendedDiscipline { get; internal init; }
    public int? RecommendedDisciplineDays { get; internal init; }

    /// <summary>The imposed discipline once final; otherwise empty.</summary>
    public Coded<DisciplineKind> ImposedDiscipline { get; internal init; }
    public int? ImposedDisciplineDays { get; internal init; }
    public bool? DisciplineFinal { get; internal init; }

    /// <summary>When the imposed discipline was decided, published with it (once final).</summary>
    public PublicDate? DisciplineDate { get; internal init; }
}

public sealed record RedactedOfficer : RedactedRecord
{
    internal RedactedOfficer()
    {
    }

    /// <summary>The same pseudonym as <see cref="RedactedAllegation.OfficerRef"/>.</summary>
    public string OfficerRef { get; internal init; } = "";

    public string? EmployeeId { get; internal init; }
    public string? FirstName { get; internal init; }
    public string? MiddleName { get; internal init; }
    public string? LastName { get; internal init; }
    public string? Suffix { get; internal init; }
    public IReadOnlyList<BadgeNumber> Badges { get; internal init; } = [];
    public string? Rank { get; internal init; }
    public string? Unit { get; internal init; }
    public Coded<Race> Race { get; internal init; }
    public Coded<Sex> Sex { get; internal init; }
    public int? BirthYear { get; internal init; }
    public PublicDate? HireDate { get; internal init; }

    /// <summary>
    /// Demographics the policy allows only in counts (aggregateOnly). Internal to Core, where the aggregate builders
    /// live (every cell under the threshold k): no record writer outside Core can read it.
    /// </summary>
    [JsonIgnore]
    internal Demographics ForCounts { get; init; }
}

public sealed record RedactedComplainant : RedactedRecord
{
    internal RedactedComplainant()
    {
    }

    public string CaseNumber { get; internal init; } = "";

    public string? FirstName { get; internal init; }
    public string? LastName { get; internal init; }
    public string? Address { get; internal init; }
    public PublicDate? BirthDate { get; internal init; }
    public string? Phone { get; internal init; }
    public Coded<Race> Race { get; internal init; }
    public Coded<Sex> Sex { get; internal init; }
    public string? Age { get; internal init; }

    /// <summary>
    /// Demographics the policy allows only in counts (aggregateOnly). Internal to Core, where the aggregate builders
    /// live (every cell under the threshold k): no record writer outside Core can read it.
    /// </summary>
    [JsonIgnore]
    internal Demographics ForCounts { get; init; }
}

/// <summary>Values usable only in aggregates, where every cell is subject to the threshold k.</summary>
internal readonly record struct Demographics(Race? Race, Sex? Sex, string? AgeBand);

/// <summary>One case, redacted: its complaint, allegations and complainants.</summary>
public sealed record RedactedCase(RedactedComplaint Complaint, IReadOnlyList<RedactedAllegation> Allegations, IReadOnlyList<RedactedComplainant> Complainants);
