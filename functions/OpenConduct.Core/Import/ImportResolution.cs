using OpenConduct.Core.Model;

namespace OpenConduct.Core.Import;

/// <summary>
/// What an import decides only once every row is read, for the records it already gave its sink: complaints that later
/// rows completed or that derivation rules closed, discipline that became final with its case, and officers that later
/// rows showed to be one (their keys change). A sink that keeps records applies it (<see cref="IImportSink.Complete"/>).
/// </summary>
public sealed class ImportResolution
{
    public static ImportResolution None { get; } = new(new Dictionary<string, ComplaintResolution>(), new Dictionary<string, string>());

    public ImportResolution(IReadOnlyDictionary<string, ComplaintResolution> complaints, IReadOnlyDictionary<string, string> officerAliases)
    {
        Complaints = complaints;
        OfficerAliases = officerAliases;
    }

    /// <summary>By case number: what changes for that complaint and its allegations.</summary>
    public IReadOnlyDictionary<string, ComplaintResolution> Complaints { get; }

    /// <summary>An officer key given to earlier records -> the officer's final key.</summary>
    public IReadOnlyDictionary<string, string> OfficerAliases { get; }

    public bool IsEmpty => Complaints.Count == 0 && OfficerAliases.Count == 0;

    public Complaint Apply(Complaint complaint)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        return Complaints.TryGetValue(complaint.CaseNumber, out var resolution) ? resolution.Apply(complaint) : complaint;
    }

    public Allegation Apply(Allegation allegation)
    {
        ArgumentNullException.ThrowIfNull(allegation);
        var result = allegation;
        if (OfficerAliases.TryGetValue(allegation.OfficerKey, out var key))
        {
            result = result with { OfficerKey = key };
        }

        if (Complaints.TryGetValue(allegation.CaseNumber, out var resolution) && resolution.DisciplineFinalWhenUnknown is { } final
            && result.DisciplineFinal is null && (result.ImposedDiscipline.Raw is not null || result.ImposedDisciplineDays is not null))
        {
            result = result with { DisciplineFinal = final };
        }

        return result;
    }
}

/// <summary>What changes for one complaint once all its rows are read.</summary>
public sealed class ComplaintResolution
{
    private readonly List<(CanonicalField Field, Complaint From)> fills = [];

    /// <summary>The status decided at the end (by the findings rule, or because a later row brought a closed date).</summary>
    public Coded<ComplaintStatus>? Status { get; internal set; }

    /// <summary>Set when discipline of unknown finality becomes final (or not) with its case (rule closedCase).</summary>
    public bool? DisciplineFinalWhenUnknown { get; internal set; }

    /// <summary>Sensitivity flags derived from the whole case (a juvenile complainant), added to the complaint's.</summary>
    public Sensitivity AddSensitivity { get; internal set; }

    /// <summary>The fields later rows gave the complaint, by the profile's complaintRows rule.</summary>
    public IEnumerable<CanonicalField> Filled => fills.Select(f => f.Field);

    /// <summary>Takes <paramref name="field"/> from <paramref name="from"/> (a complaint built from a later row).</summary>
    internal void Fill(CanonicalField field, Complaint from)
    {
        fills.RemoveAll(f => f.Field == field);
        fills.Add((field, from));
    }

    public Complaint Apply(Complaint complaint)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        var result = complaint;
        foreach (var (field, from) in fills)
        {
            result = field.Name switch
            {
                "receivedDate" => result with { ReceivedDate = from.ReceivedDate },
                "incidentDate" => result with { IncidentDate = from.IncidentDate },
                "closedDate" => result with { ClosedDate = from.ClosedDate },
                "status" => result with { Status = from.Status },
                "intakeDecision" => result with { IntakeDecision = from.IntakeDecision },
                "precinct" => result with { Precinct = from.Precinct },
                "location" => result with { Location = from.Location },
                "sensitivity" => result with { Sensitivity = result.Sensitivity | from.Sensitivity, SensitivityRaw = [.. result.SensitivityRaw.Union(from.SensitivityRaw)] },
                "narrative" => result with { Narrative = from.Narrative },
                _ => result,
            };
        }

        if (AddSensitivity != Sensitivity.None)
        {
            result = result with { Sensitivity = result.Sensitivity | AddSensitivity };
        }

        return Status is { } status ? result with { Status = status } : result;
    }
}
