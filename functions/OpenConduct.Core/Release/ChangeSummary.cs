using System.IO.Compression;
using System.Text.Json;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Release;

/// <summary>
/// What changed since the previous release (<c>changes.json</c>), compared on the published records: complaints that
/// are new or were removed, complaints whose status changed, allegations whose final finding or final discipline became
/// public. The counts are complete; each list holds at most <see cref="MaxListed"/> entries, ordered by case number
/// (ordinal), then allegation.
/// </summary>
public sealed record ChangeSummary
{
    /// <summary>The most entries a list holds; the counts are complete.</summary>
    public const int MaxListed = 1000;

    /// <summary>The release compared against, or null for a source's first release (then every complaint is new).</summary>
    public string? PreviousReleaseId { get; init; }

    /// <summary>Why the comparison is not against the previous release's records, when it cannot be; otherwise null.</summary>
    public string? Note { get; init; }

    public int NewComplaints { get; init; }
    public int StatusChanges { get; init; }
    public int FindingsFinal { get; init; }
    public int DisciplineFinal { get; init; }
    public int Removed { get; init; }

    /// <summary>Case numbers of the new complaints.</summary>
    public IReadOnlyList<string> NewComplaintCases { get; init; } = [];

    public IReadOnlyList<StatusChange> StatusChangeList { get; init; } = [];

    public IReadOnlyList<FindingChange> FindingsFinalList { get; init; } = [];

    public IReadOnlyList<DisciplineChange> DisciplineFinalList { get; init; } = [];

    /// <summary>Case numbers of the complaints of the previous release that this one no longer has.</summary>
    public IReadOnlyList<string> RemovedCases { get; init; } = [];
}

/// <summary>A complaint whose published status changed (canonical codes; null when none was published).</summary>
public sealed record StatusChange(string CaseNumber, string? From, string? To);

/// <summary>An allegation whose final finding became public: its case, 1-based position in the case, id and officer.</summary>
public sealed record FindingChange(string CaseNumber, int AllegationIndex, string? AllegationId, string OfficerRef, string Finding);

/// <summary>An allegation whose imposed discipline became public and final.</summary>
public sealed record DisciplineChange(string CaseNumber, int AllegationIndex, string? AllegationId, string OfficerRef, string Discipline, int? Days);

/// <summary>Computes the change summary from the current records and the previous release's <c>records/cases.jsonl.gz</c>.</summary>
internal static class ChangeSummaries
{
    /// <summary>What the change summary compares of one published allegation.</summary>
    private readonly record struct AllegationState(string? AllegationId, string OfficerRef, string? Finding, string? Discipline, int? Days);

    private sealed record CaseState(string? Status, List<AllegationState> Allegations);

    public static async Task<ChangeSummary> ComputeAsync(ReleaseInput input, IReadOnlyList<RedactedCase> cases, CancellationToken cancellationToken)
    {
        Dictionary<(string Source, string CaseNumber), CaseState>? previous = null;
        string? note = null;
        if (input.PreviousReleaseId is not null && input.Previous is not null)
        {
            previous = await ReadAsync(input.Previous, cancellationToken).ConfigureAwait(false);
            if (previous is null)
            {
                note = $"the previous release {input.PreviousReleaseId} has no {ReleasePaths.Cases}; every complaint is counted as new";
            }
        }
        else if (input.PreviousReleaseId is not null)
        {
            note = $"the records of the previous release {input.PreviousReleaseId} were not available; every complaint is counted as new";
        }

        previous ??= [];
        var newCases = new List<string>();
        var statusChanges = new List<StatusChange>();
        var findings = new List<FindingChange>();
        var discipline = new List<DisciplineChange>();
        var seen = new HashSet<(string, string)>();
        var counter = 0;
        foreach (var @case in cases)
        {
            if (++counter % 4096 == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var complaint = @case.Complaint;
            var key = (complaint.Source, complaint.CaseNumber);
            seen.Add(key);
            if (!previous.TryGetValue(key, out var before))
            {
                newCases.Add(complaint.CaseNumber);
                continue;
            }

            var status = complaint.Status.Value?.ToString();
            if (!string.Equals(status, before.Status, StringComparison.Ordinal))
            {
                statusChanges.Add(new StatusChange(complaint.CaseNumber, before.Status, status));
            }

            var previousByKey = Keyed(before.Allegations).ToDictionary(a => a.Key, a => a.State);
            var current = @case.Allegations.Select(State).ToList();
            foreach (var (allegationKey, state, index) in Keyed(current).Select((a, i) => (a.Key, a.State, i + 1)))
            {
                previousByKey.TryGetValue(allegationKey, out var old);
                if (state.Finding is not null && old.Finding is null)
                {
                    findings.Add(new FindingChange(complaint.CaseNumber, index, state.AllegationId, state.OfficerRef, state.Finding));
                }

                if (state.Discipline is not null && old.Discipline is null)
                {
                    discipline.Add(new DisciplineChange(complaint.CaseNumber, index, state.AllegationId, state.OfficerRef, state.Discipline, state.Days));
                }
            }
        }

        var removed = previous.Keys.Where(k => !seen.Contains(k)).Select(k => k.CaseNumber).ToList();
        newCases.Sort(StringComparer.Ordinal);
        removed.Sort(StringComparer.Ordinal);
        return new ChangeSummary
        {
            PreviousReleaseId = input.PreviousReleaseId,
            Note = note,
            NewComplaints = newCases.Count,
            StatusChanges = statusChanges.Count,
            FindingsFinal = findings.Count,
            DisciplineFinal = discipline.Count,
            Removed = removed.Count,
            NewComplaintCases = Cap(newCases),
            StatusChangeList = Cap(statusChanges.OrderBy(s => s.CaseNumber, StringComparer.Ordinal)),
            FindingsFinalList = Cap(findings.OrderBy(f => f.CaseNumber, StringComparer.Ordinal).ThenBy(f => f.AllegationIndex)),
            DisciplineFinalList = Cap(discipline.OrderBy(f => f.CaseNumber, StringComparer.Ordinal).ThenBy(f => f.AllegationIndex)),
            RemovedCases = Cap(removed),
        };
    }

    /// <summary>
    /// A published allegation's state: the final finding once public, and the imposed discipline once public and not
    /// marked as not final.
    /// </summary>
    private static AllegationState State(RedactedAllegation a) => new(
        a.AllegationId,
        a.OfficerRef,
        a.FinalFinding.Value?.ToString(),
        a.ImposedDiscipline.Value is { } kind && a.DisciplineFinal != false ? kind.ToString() : null,
        a.ImposedDisciplineDays);

    /// <summary>
    /// Allegations are matched across releases by (allegation id, officer, occurrence): the n-th allegation with the
    /// same id (or none) naming the same officer in the same case. Officer references and pseudonymized ids are stable
    /// across releases, so the match does not depend on the allegations' positions.
    /// </summary>
    private static IEnumerable<((string, string, int) Key, AllegationState State)> Keyed(List<AllegationState> allegations)
    {
        var occurrences = new Dictionary<(string, string), int>();
        foreach (var a in allegations)
        {
            var id = (a.AllegationId ?? "", a.OfficerRef);
            var n = occurrences.GetValueOrDefault(id);
            occurrences[id] = n + 1;
            yield return ((id.Item1, id.OfficerRef, n), a);
        }
    }

    private static List<T> Cap<T>(IEnumerable<T> items) => items.Take(ChangeSummary.MaxListed).ToList();

    /// <summary>Reads the previous release's cases, or null when it has no records file.</summary>
    private static async Task<Dictionary<(string, string), CaseState>?> ReadAsync(IArtefactStore previous, CancellationToken cancellationToken)
    {
        var stream = await previous.OpenReadAsync(ReleasePaths.Cases, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        var cases = new Dictionary<(string, string), CaseState>();
        await using (stream.ConfigureAwait(false))
        {
            await using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, System.Text.Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                using var document = JsonDocument.Parse(line);
                var complaint = document.RootElement.GetProperty("complaint");
                var source = String(complaint, "source") ?? "";
                var caseNumber = String(complaint, "caseNumber") ?? "";
                var allegations = new List<AllegationState>();
                if (document.RootElement.TryGetProperty("allegations", out var list))
                {
                    foreach (var a in list.EnumerateArray())
                    {
                        var discipline = CodeValue(a, "imposedDiscipline");
                        var final = a.TryGetProperty("disciplineFinal", out var f) && f.ValueKind == JsonValueKind.False ? false : (bool?)null;
                        allegations.Add(new AllegationState(
                            String(a, "allegationId"),
                            String(a, "officerRef") ?? "",
                            CodeValue(a, "finalFinding"),
                            discipline is not null && final != false ? discipline : null,
                            a.TryGetProperty("imposedDisciplineDays", out var days) && days.ValueKind == JsonValueKind.Number ? days.GetInt32() : null));
                    }
                }

                cases[(source, caseNumber)] = new CaseState(CodeValue(complaint, "status"), allegations);
            }
        }

        return cases;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? CodeValue(JsonElement element, string name) =>
        element.TryGetProperty(name, out var coded) && coded.ValueKind == JsonValueKind.Object ? String(coded, "value") : null;

    public static void Write(Utf8JsonWriter w, ReleaseInput input, ChangeSummary changes)
    {
        w.WriteStartObject();
        w.WriteNumber("formatVersion", 1);
        w.WriteString("source", input.Source);
        w.WriteString("releaseId", input.ReleaseId);
        w.WriteString("publishedAt", ReleaseJson.Timestamp(input.PublishedAt));
        if (changes.PreviousReleaseId is null)
        {
            w.WriteNull("previousReleaseId");
        }
        else
        {
            w.WriteString("previousReleaseId", changes.PreviousReleaseId);
        }

        if (changes.Note is not null)
        {
            w.WriteString("note", changes.Note);
        }

        w.WriteNumber("maxListed", ChangeSummary.MaxListed);
        w.WriteStartObject("counts");
        w.WriteNumber("newComplaints", changes.NewComplaints);
        w.WriteNumber("statusChanges", changes.StatusChanges);
        w.WriteNumber("findingsFinal", changes.FindingsFinal);
        w.WriteNumber("disciplineFinal", changes.DisciplineFinal);
        w.WriteNumber("removed", changes.Removed);
        w.WriteEndObject();

        w.WriteStartArray("newComplaints");
        foreach (var c in changes.NewComplaintCases)
        {
            w.WriteStringValue(c);
        }

        w.WriteEndArray();
        w.WriteStartArray("statusChanges");
        foreach (var s in changes.StatusChangeList)
        {
            w.WriteStartObject();
            w.WriteString("caseNumber", s.CaseNumber);
            NullableString(w, "from", s.From);
            NullableString(w, "to", s.To);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("findingsFinal");
        foreach (var f in changes.FindingsFinalList)
        {
            w.WriteStartObject();
            Allegation(w, f.CaseNumber, f.AllegationIndex, f.AllegationId, f.OfficerRef);
            w.WriteString("finding", f.Finding);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("disciplineFinal");
        foreach (var d in changes.DisciplineFinalList)
        {
            w.WriteStartObject();
            Allegation(w, d.CaseNumber, d.AllegationIndex, d.AllegationId, d.OfficerRef);
            w.WriteString("discipline", d.Discipline);
            if (d.Days is { } days)
            {
                w.WriteNumber("days", days);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("removed");
        foreach (var c in changes.RemovedCases)
        {
            w.WriteStringValue(c);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Allegation(Utf8JsonWriter w, string caseNumber, int index, string? id, string officerRef)
    {
        w.WriteString("caseNumber", caseNumber);
        w.WriteNumber("allegationIndex", index);
        if (id is not null)
        {
            w.WriteString("allegationId", id);
        }

        w.WriteString("officerRef", officerRef);
    }

    private static void NullableString(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
