using System.Globalization;
using System.Text.Json;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Model;

namespace OpenConduct.Core.Release;

/// <summary>
/// Writes the redacted records as JSON lines (camelCase, empty values omitted, codes as <c>{"value", "raw"}</c>,
/// dates as published: <c>2024-03-14</c>, <c>2024-03</c> or <c>2024</c>). Every property is written by name here: a
/// member of the redacted types that is not listed (the internal <c>Sensitive</c> and <c>ForCounts</c>) is never written.
/// </summary>
internal sealed class RecordWriter(Publication publication)
{
    private readonly bool findingPending = publication.PublishesFindingPending;
    private readonly bool complainants = publication.PublishesComplainants;

    public void WriteCase(Utf8JsonWriter w, RedactedCase @case)
    {
        var c = @case.Complaint;
        w.WriteStartObject();
        w.WriteStartObject("complaint");
        w.WriteString("source", c.Source);
        w.WriteString("caseNumber", c.CaseNumber);
        Date(w, "receivedDate", c.ReceivedDate);
        Date(w, "incidentDate", c.IncidentDate);
        Date(w, "closedDate", c.ClosedDate);
        Code(w, "status", c.Status);
        Code(w, "intakeDecision", c.IntakeDecision);
        Text(w, "precinct", c.Precinct);
        Text(w, "location", c.Location);
        Text(w, "narrative", c.Narrative);
        if (c.NarrativePendingReview)
        {
            w.WriteString("narrativeStatus", NarrativeStatus.PendingReview);
        }

        w.WriteEndObject();

        w.WriteStartArray("allegations");
        foreach (var a in @case.Allegations)
        {
            w.WriteStartObject();
            Text(w, "allegationId", a.AllegationId);
            if (a.OfficerUnidentified)
            {
                w.WriteNull("officerRef");
                w.WriteBoolean("officerUnidentified", true);
            }
            else
            {
                w.WriteString("officerRef", a.OfficerRef);
            }

            Code(w, "category", a.Category);
            Code(w, "subcategory", a.Subcategory);
            Code(w, "recommendedFinding", a.RecommendedFinding);
            Code(w, "finalFinding", a.FinalFinding);
            if (findingPending && a.FindingPending)
            {
                w.WriteBoolean("findingPending", true);
            }

            Code(w, "recommendedDiscipline", a.RecommendedDiscipline);
            Number(w, "recommendedDisciplineDays", a.RecommendedDisciplineDays);
            Code(w, "imposedDiscipline", a.ImposedDiscipline);
            Number(w, "imposedDisciplineDays", a.ImposedDisciplineDays);
            if (a.DisciplineFinal is { } final)
            {
                w.WriteBoolean("disciplineFinal", final);
            }

            Date(w, "disciplineDate", a.DisciplineDate);

            w.WriteEndObject();
        }

        w.WriteEndArray();

        if (complainants)
        {
            w.WriteStartArray("complainants");
            foreach (var p in @case.Complainants)
            {
                w.WriteStartObject();
                Text(w, "firstName", p.FirstName);
                Text(w, "lastName", p.LastName);
                Text(w, "address", p.Address);
                Date(w, "birthDate", p.BirthDate);
                Text(w, "phone", p.Phone);
                Code(w, "race", p.Race);
                Code(w, "sex", p.Sex);
                Text(w, "age", p.Age);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    public static void WriteOfficer(Utf8JsonWriter w, RedactedOfficer o)
    {
        w.WriteStartObject();
        w.WriteString("source", o.Source);
        w.WriteString("officerRef", o.OfficerRef);
        Text(w, "employeeId", o.EmployeeId);
        Text(w, "firstName", o.FirstName);
        Text(w, "middleName", o.MiddleName);
        Text(w, "lastName", o.LastName);
        Text(w, "suffix", o.Suffix);
        if (o.Badges.Count > 0)
        {
            w.WriteStartArray("badges");
            foreach (var b in o.Badges)
            {
                w.WriteStartObject();
                w.WriteString("number", b.Number);
                Day(w, "from", b.From);
                Day(w, "to", b.To);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        Text(w, "rank", o.Rank);
        Text(w, "unit", o.Unit);
        Code(w, "race", o.Race);
        Code(w, "sex", o.Sex);
        Number(w, "birthYear", o.BirthYear);
        Date(w, "hireDate", o.HireDate);
        w.WriteEndObject();
    }

    private static void Text(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static void Number(Utf8JsonWriter w, string name, int? value)
    {
        if (value is { } n)
        {
            w.WriteNumber(name, n);
        }
    }

    private static void Date(Utf8JsonWriter w, string name, PublicDate? value)
    {
        if (value is { } d)
        {
            w.WriteString(name, d.ToString());
        }
    }

    private static void Day(Utf8JsonWriter w, string name, DateOnly? value)
    {
        if (value is { } d)
        {
            w.WriteString(name, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }
    }

    private static void Code<T>(Utf8JsonWriter w, string name, Coded<T> value)
        where T : struct, Enum => CodeParts(w, name, value.Value?.ToString(), value.Raw);

    private static void Code(Utf8JsonWriter w, string name, CodedText value) => CodeParts(w, name, value.Value, value.Raw);

    private static void CodeParts(Utf8JsonWriter w, string name, string? value, string? raw)
    {
        if (value is null && raw is null)
        {
            return;
        }

        w.WriteStartObject(name);
        Text(w, "value", value);
        Text(w, "raw", raw);
        w.WriteEndObject();
    }
}
