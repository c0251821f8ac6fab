namespace OpenConduct.Core.Model;

/// <summary>A canonical finding on an allegation (recommended or final).</summary>
public enum Finding
{
    Sustained,
    NotSustained,
    Exonerated,
    Unfounded,
    /// <summary>Closed without a finding (e.g. no signed affidavit, complainant withdrew).</summary>
    NoFinding,
    Pending,
}

/// <summary>The case-processing decision taken at intake.</summary>
public enum IntakeDecision
{
    Dismissed,
    Coaching,
    Mediation,
    Investigation,
    Referred,
    Pending,
}

/// <summary>A kind of discipline, recommended or imposed.</summary>
public enum DisciplineKind
{
    None,
    Coaching,
    Training,
    OralReprimand,
    WrittenReprimand,
    Suspension,
    Demotion,
    Termination,
    ResignedBeforeFinal,
    Other,
}

public enum ComplaintStatus
{
    Open,
    Closed,
}

public enum Sex
{
    Female,
    Male,
    NonBinary,
    Unknown,
}

public enum Race
{
    AmericanIndian,
    Asian,
    Black,
    Hispanic,
    PacificIslander,
    White,
    Multiracial,
    Other,
    Unknown,
}

/// <summary>
/// Flags that mark a complaint as tied to a sensitive matter. Under every disclosure policy such a record never
/// exposes a location or a narrative (see BRIEF.md, victim safety).
/// </summary>
[Flags]
public enum Sensitivity
{
    None = 0,
    DomesticViolence = 1,
    SexualAssault = 2,
    SexualMisconduct = 4,
    Juvenile = 8,
    MentalHealth = 16,
}

/// <summary>
/// A canonical value together with the source's raw value it was mapped from. The raw value is kept beside every
/// canonical value so that a reader (and the data-quality report) can always see what the export said.
/// </summary>
/// <typeparam name="T">The canonical vocabulary (an enum).</typeparam>
public readonly record struct Coded<T>(T? Value, string? Raw)
    where T : struct, Enum
{
    public bool HasValue => Value.HasValue;

    public override string ToString() => Raw is null ? $"{Value}" : $"{Value} ({Raw})";
}

/// <summary>A canonical text value (e.g. an allegation category) with the source's raw value beside it.</summary>
public readonly record struct CodedText(string? Value, string? Raw)
{
    public bool HasValue => Value is not null;

    public override string ToString() => Raw is null ? $"{Value}" : $"{Value} ({Raw})";
}
