using OpenConduct.Core.Model;

namespace OpenConduct.Core.Import;

/// <summary>The canonical entities an export's rows can carry.</summary>
public enum EntityKind
{
    Complaint,
    Allegation,
    Officer,
    Complainant,
}

/// <summary>How a canonical field's raw text is converted.</summary>
public enum FieldKind
{
    /// <summary>Text, kept as is (trimmed).</summary>
    Text,

    /// <summary>An identifier: text, where an integer written as a float (<c>1949.0</c>) is read as the integer.</summary>
    Identifier,

    /// <summary>A date, parsed with the column's or file's date formats.</summary>
    Date,

    /// <summary>An integer; <c>1949.0</c> is accepted, <c>1949.5</c> is not.</summary>
    Integer,

    /// <summary>A yes/no flag: Y/N, Yes/No, True/False, 1/0, T/F, or through a vocabulary.</summary>
    Boolean,

    /// <summary>A canonical vocabulary value (an enum), mapped through a vocabulary or by its canonical name.</summary>
    Coded,

    /// <summary>Free canonical text through an optional vocabulary (allegation categories).</summary>
    CodedText,

    /// <summary>A person's full name, split into parts.</summary>
    FullName,
}

/// <summary>One canonical field: where it lives and how its values are read.</summary>
public sealed record CanonicalField(
    int Id,
    EntityKind Entity,
    string Name,
    FieldKind Kind,
    Type? CodeType = null,
    bool MultiValue = false,
    string Description = "")
{
    /// <summary>The path used in profiles, e.g. <c>allegation.finalFinding</c>.</summary>
    public string Path { get; } = $"{Entity.ToString().ToLowerInvariant()}.{Name}";

    public override string ToString() => Path;
}

/// <summary>The catalog of canonical fields a profile may map to.</summary>
public static class CanonicalFields
{
    private static readonly List<CanonicalField> All = [];

    public static readonly CanonicalField CaseNumber = Add(EntityKind.Complaint, "caseNumber", FieldKind.Identifier, description: "The case number; joins every file of a case.");
    public static readonly CanonicalField ReceivedDate = Add(EntityKind.Complaint, "receivedDate", FieldKind.Date);
    public static readonly CanonicalField IncidentDate = Add(EntityKind.Complaint, "incidentDate", FieldKind.Date);
    public static readonly CanonicalField ClosedDate = Add(EntityKind.Complaint, "closedDate", FieldKind.Date);
    public static readonly CanonicalField Status = Add(EntityKind.Complaint, "status", FieldKind.Coded, typeof(ComplaintStatus), description: "Open or Closed; when unmapped, Closed if a closed date is present.");
    public static readonly CanonicalField IntakeDecision = Add(EntityKind.Complaint, "intakeDecision", FieldKind.Coded, typeof(Model.IntakeDecision));
    public static readonly CanonicalField Precinct = Add(EntityKind.Complaint, "precinct", FieldKind.Identifier);
    public static readonly CanonicalField Location = Add(EntityKind.Complaint, "location", FieldKind.Text, description: "Private: raw address or place.");
    public static readonly CanonicalField Sensitivity = Add(EntityKind.Complaint, "sensitivity", FieldKind.Coded, typeof(Model.Sensitivity), multi: true);
    public static readonly CanonicalField Narrative = Add(EntityKind.Complaint, "narrative", FieldKind.Text, description: "Private until scrubbed.");

    public static readonly CanonicalField AllegationId = Add(EntityKind.Allegation, "id", FieldKind.Identifier);
    public static readonly CanonicalField Category = Add(EntityKind.Allegation, "category", FieldKind.CodedText, typeof(AllegationCategory), description: "A closed set of canonical categories; anything else is Other with the raw text kept.");
    public static readonly CanonicalField Subcategory = Add(EntityKind.Allegation, "subcategory", FieldKind.CodedText);
    public static readonly CanonicalField RecommendedFinding = Add(EntityKind.Allegation, "recommendedFinding", FieldKind.Coded, typeof(Finding));
    public static readonly CanonicalField FinalFinding = Add(EntityKind.Allegation, "finalFinding", FieldKind.Coded, typeof(Finding));
    public static readonly CanonicalField RecommendedDiscipline = Add(EntityKind.Allegation, "recommendedDiscipline", FieldKind.Coded, typeof(DisciplineKind));
    public static readonly CanonicalField RecommendedDisciplineDays = Add(EntityKind.Allegation, "recommendedDisciplineDays", FieldKind.Integer);
    public static readonly CanonicalField ImposedDiscipline = Add(EntityKind.Allegation, "imposedDiscipline", FieldKind.Coded, typeof(DisciplineKind));
    public static readonly CanonicalField ImposedDisciplineDays = Add(EntityKind.Allegation, "imposedDisciplineDays", FieldKind.Integer);
    public static readonly CanonicalField DisciplineFinal = Add(EntityKind.Allegation, "disciplineFinal", FieldKind.Boolean);
    public static readonly CanonicalField DisciplineDate = Add(EntityKind.Allegation, "disciplineDate", FieldKind.Date, description: "When the imposed discipline was decided; with disciplineFinal, when it became final.");

    public static readonly CanonicalField EmployeeId = Add(EntityKind.Officer, "employeeId", FieldKind.Identifier);
    public static readonly CanonicalField OfficerFirstName = Add(EntityKind.Officer, "firstName", FieldKind.Text);
    public static readonly CanonicalField OfficerMiddleName = Add(EntityKind.Officer, "middleName", FieldKind.Text);
    public static readonly CanonicalField OfficerLastName = Add(EntityKind.Officer, "lastName", FieldKind.Text);
    public static readonly CanonicalField OfficerSuffix = Add(EntityKind.Officer, "suffix", FieldKind.Text);
    public static readonly CanonicalField OfficerFullName = Add(EntityKind.Officer, "fullName", FieldKind.FullName);
    public static readonly CanonicalField Badge = Add(EntityKind.Officer, "badge", FieldKind.Identifier, multi: true);
    public static readonly CanonicalField BadgeFrom = Add(EntityKind.Officer, "badgeFrom", FieldKind.Date, description: "Date the (single) badge of the row was issued.");
    public static readonly CanonicalField BadgeTo = Add(EntityKind.Officer, "badgeTo", FieldKind.Date);
    public static readonly CanonicalField Rank = Add(EntityKind.Officer, "rank", FieldKind.Text);
    public static readonly CanonicalField Unit = Add(EntityKind.Officer, "unit", FieldKind.Text);
    public static readonly CanonicalField OfficerRace = Add(EntityKind.Officer, "race", FieldKind.Coded, typeof(Race));
    public static readonly CanonicalField OfficerSex = Add(EntityKind.Officer, "sex", FieldKind.Coded, typeof(Sex));
    public static readonly CanonicalField BirthYear = Add(EntityKind.Officer, "birthYear", FieldKind.Integer);
    public static readonly CanonicalField HireDate = Add(EntityKind.Officer, "hireDate", FieldKind.Date);

    public static readonly CanonicalField ComplainantFirstName = Add(EntityKind.Complainant, "firstName", FieldKind.Text);
    public static readonly CanonicalField ComplainantLastName = Add(EntityKind.Complainant, "lastName", FieldKind.Text);
    public static readonly CanonicalField ComplainantFullName = Add(EntityKind.Complainant, "fullName", FieldKind.FullName);
    public static readonly CanonicalField ComplainantAddress = Add(EntityKind.Complainant, "address", FieldKind.Text);
    public static readonly CanonicalField ComplainantBirthDate = Add(EntityKind.Complainant, "birthDate", FieldKind.Date);
    public static readonly CanonicalField ComplainantPhone = Add(EntityKind.Complainant, "phone", FieldKind.Text);
    public static readonly CanonicalField ComplainantRace = Add(EntityKind.Complainant, "race", FieldKind.Coded, typeof(Race));
    public static readonly CanonicalField ComplainantSex = Add(EntityKind.Complainant, "sex", FieldKind.Coded, typeof(Sex));
    public static readonly CanonicalField ComplainantAge = Add(EntityKind.Complainant, "age", FieldKind.Integer);

    private static readonly Dictionary<string, CanonicalField> ByPath =
        All.ToDictionary(f => f.Path, StringComparer.Ordinal);

    /// <summary>Every canonical field, in catalog order.</summary>
    public static IReadOnlyList<CanonicalField> List => All;

    public static int Count => All.Count;

    public static bool TryGet(string path, out CanonicalField field) => ByPath.TryGetValue(path, out field!);

    /// <summary>The known field whose path is closest to <paramref name="path"/>, for "did you mean" hints.</summary>
    public static string? Closest(string path) => Suggest.Closest(path, All.Select(f => f.Path));

    public static EntityKind? ParseEntity(string name) =>
        Enum.TryParse<EntityKind>(name, ignoreCase: true, out var kind) && !int.TryParse(name, out _) ? kind : null;

    private static CanonicalField Add(EntityKind entity, string name, FieldKind kind, Type? codeType = null, bool multi = false, string description = "")
    {
        var field = new CanonicalField(All.Count, entity, name, kind, codeType, multi, description);
        All.Add(field);
        return field;
    }
}

/// <summary>"Did you mean" suggestions by edit distance.</summary>
internal static class Suggest
{
    public static string? Closest(string value, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var distance = Distance(value.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        return bestDistance <= Math.Max(2, value.Length / 3) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
