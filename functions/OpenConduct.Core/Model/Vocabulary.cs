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

/// <summary>
/// The closed set of canonical allegation categories. A source's categories map to one of these (through the
/// profile's vocabulary, a canonical name, or a common alias); anything else is <see cref="Other"/>, with the source's
/// text kept as the raw value. Because the set is closed, a disclosure policy's sensitive categories cannot be missed
/// by a spelling. Meanings: docs/profiles.md, "Canonical vocabularies".
/// </summary>
public enum AllegationCategory
{
    /// <summary>Physical force, weapons, taser, firearm, unnecessary physical contact.</summary>
    UseOfForce,

    /// <summary>Profanity, slurs, offensive or abusive language.</summary>
    Language,

    /// <summary>Discourtesy, rudeness, demeanor.</summary>
    Courtesy,

    /// <summary>Bias, discrimination, racial or other profiling.</summary>
    Discrimination,

    /// <summary>Harassment, intimidation, threats.</summary>
    Harassment,

    /// <summary>Retaliation against a complainant or witness.</summary>
    Retaliation,

    /// <summary>Stops, searches, seizures, entries, arrests and detentions (Fourth Amendment).</summary>
    SearchSeizure,

    /// <summary>Treatment of people in custody: booking, lockup, medical care, prisoners' property and rights.</summary>
    Custody,

    /// <summary>Violations of policy or procedure: reports, inventory, equipment, supervision, records.</summary>
    Procedure,

    /// <summary>Failure to act or to provide service, neglect of duty, absence.</summary>
    NeglectOfDuty,

    /// <summary>Untruthfulness, false statements or reports.</summary>
    Truthfulness,

    /// <summary>Corruption, bribery, extortion, theft, misuse of position or of records.</summary>
    Integrity,

    /// <summary>Conduct unbecoming, off-duty misconduct, intoxication, insubordination.</summary>
    Conduct,

    /// <summary>A criminal offence by the officer (assault, driving under the influence, drugs...).</summary>
    CriminalConduct,

    /// <summary>Driving, traffic accidents, use of vehicles.</summary>
    VehicleOperation,

    /// <summary>Damage to or loss of a person's property.</summary>
    Property,

    /// <summary>Domestic violence or abuse (sensitive under every shipped policy).</summary>
    DomesticViolence,

    /// <summary>Sexual misconduct or harassment (sensitive).</summary>
    SexualMisconduct,

    /// <summary>Sexual assault, rape or other sexual offences (sensitive).</summary>
    SexualAssault,

    /// <summary>Nothing above fits; the raw value says what the source wrote.</summary>
    Other,
}
