using System.Text.Json;
using OpenConduct.Core.Import;

namespace OpenConduct.Core.Release;

/// <summary>
/// The data-quality report of a release (<c>quality.json</c>): what the import read, imported, rejected and
/// de-duplicated per file, how many row errors it found, which source values no vocabulary lists, and how complete each
/// published column is. Never a private value: unmapped values are listed only for fields whose raw text the policy
/// publishes; for the others only how many there are.
/// </summary>
public sealed record QualityReport
{
    public required string Source { get; init; }
    public required string ReleaseId { get; init; }

    /// <summary>The mapping profile's name.</summary>
    public required string Profile { get; init; }

    public required long RowsRead { get; init; }
    public required long RowsImported { get; init; }
    public required long RowsRejected { get; init; }
    public required long DuplicateRows { get; init; }

    /// <summary>Rows merged into records already read (a complaint repeated on several rows, an officer's rows).</summary>
    public long RowsMerged { get; init; }

    /// <summary>Every row error the import found; the row-errors file (<see cref="RowErrorsFile"/>) lists every one.</summary>
    public required long RowErrors { get; init; }

    public required long RowErrorsListed { get; init; }

    /// <summary>The artefact that lists the row errors: row-errors.csv, or row-errors.csv.gz when there are many.</summary>
    public string RowErrorsFile { get; init; } = ReleasePaths.RowErrors;

    public required IReadOnlyList<FileQuality> Files { get; init; }

    /// <summary>Records imported per entity (complaint, allegation, officer, complainant).</summary>
    public required IReadOnlyList<EntityCount> Imported { get; init; }

    /// <summary>Per open dataset, per column: how many published rows leave it empty.</summary>
    public required IReadOnlyList<DatasetQuality> Datasets { get; init; }

    /// <summary>Source values that no vocabulary lists, per file, column and field.</summary>
    public required IReadOnlyList<UnmappedQuality> Unmapped { get; init; }

    /// <summary>Distinct unmapped values over every field.</summary>
    public int UnmappedValues => Unmapped.Sum(u => u.Distinct);

    /// <summary>Occurrences of unmapped values over every field.</summary>
    public long UnmappedOccurrences => Unmapped.Sum(u => u.Occurrences);
}

public sealed record FileQuality(string Name, long RowsRead, long RowsImported, long RowsRejected, long DuplicateRows, long QuotingRepaired)
{
    public string Format { get; init; } = "csv";

    public long RowsMerged { get; init; }

    /// <summary>Allegations imported against an unidentified officer of their complaint.</summary>
    public long UnidentifiedOfficer { get; init; }

    public long BlankRows { get; init; }
}

public sealed record EntityCount(string Entity, long Count);

public sealed record DatasetQuality(string Name, long Rows, IReadOnlyList<ColumnQuality> Columns);

/// <summary>One column's completeness: of <see cref="Count"/> published rows, <see cref="Nulls"/> are empty (<see cref="Rate"/>, 4 decimals).</summary>
public sealed record ColumnQuality(string Name, long Count, long Nulls, double Rate);

/// <summary>
/// The unmapped values of one field in one column of one file. <see cref="Values"/> lists them (with counts) only when
/// <see cref="ValuesPublished"/>: the policy publishes the field's raw text. Otherwise it is empty and only
/// <see cref="Distinct"/> and <see cref="Occurrences"/> tell how many there are.
/// </summary>
public sealed record UnmappedQuality(string File, string Column, string Field, string? Vocabulary, bool ValuesPublished, int Distinct, long Occurrences, IReadOnlyList<UnmappedCount> Values);

/// <summary>An unmapped value, how often it occurs, and the fallback it was mapped to (null: the rows were rejected).</summary>
public sealed record UnmappedCount(string Value, long Count, string? MappedTo);

internal static class QualityReports
{
    public static QualityReport Create(ReleaseInput input, Publication publication, IReadOnlyList<DatasetQuality> datasets, string rowErrorsFile)
    {
        var import = input.Import;
        var files = import.Files
            .Select(f => new FileQuality(f.Name, f.RowsRead, f.RowsImported, f.RowsRejected, f.DuplicateRows, f.QuotingRepaired)
            {
                Format = f.Format,
                RowsMerged = f.RowsMerged,
                UnidentifiedOfficer = f.UnidentifiedOfficer,
                BlankRows = f.BlankRows,
            })
            .ToList();
        var unmapped = import.Unmapped
            .GroupBy(u => (u.File, u.Column, u.Field, u.Vocabulary))
            .Select(g =>
            {
                var published = CanonicalFields.TryGet(g.Key.Field, out var field) && publication.PublishesRaw(field);
                var values = g.GroupBy(u => u.Value, StringComparer.Ordinal)
                    .Select(v => new UnmappedCount(v.Key, v.Sum(u => u.Count), v.First().MappedTo))
                    .OrderBy(v => v.Value, StringComparer.Ordinal)
                    .ToList();
                return new UnmappedQuality(g.Key.File, g.Key.Column, g.Key.Field, g.Key.Vocabulary, published, values.Count, values.Sum(v => v.Count), published ? values : []);
            })
            .OrderBy(u => u.File, StringComparer.Ordinal)
            .ThenBy(u => u.Column, StringComparer.Ordinal)
            .ThenBy(u => u.Field, StringComparer.Ordinal)
            .ThenBy(u => u.Vocabulary, StringComparer.Ordinal)
            .ToList();
        return new QualityReport
        {
            Source = input.Source,
            ReleaseId = input.ReleaseId,
            Profile = import.Profile,
            RowsRead = files.Sum(f => f.RowsRead),
            RowsImported = files.Sum(f => f.RowsImported),
            RowsRejected = files.Sum(f => f.RowsRejected),
            DuplicateRows = files.Sum(f => f.DuplicateRows),
            RowsMerged = files.Sum(f => f.RowsMerged),
            RowErrors = Math.Max(import.TotalRowErrors, import.RowErrors.Count),
            RowErrorsListed = Math.Max(import.TotalRowErrors, import.RowErrors.Count),
            RowErrorsFile = rowErrorsFile,
            Files = files,
            Imported = Enum.GetValues<EntityKind>().Select(e => new EntityCount(Camel(e.ToString()), import.Imported.GetValueOrDefault(e))).ToList(),
            Datasets = datasets,
            Unmapped = unmapped,
        };
    }

    public static void Write(Utf8JsonWriter w, QualityReport q, Disclosure.RedactionReport redaction, ImportReport import)
    {
        w.WriteStartObject();
        w.WriteNumber("formatVersion", 1);
        w.WriteString("source", q.Source);
        w.WriteString("releaseId", q.ReleaseId);
        w.WriteString("profile", q.Profile);
        w.WriteStartObject("import");
        w.WriteNumber("rowsRead", q.RowsRead);
        w.WriteNumber("rowsImported", q.RowsImported);
        w.WriteNumber("rowsRejected", q.RowsRejected);
        w.WriteNumber("duplicateRows", q.DuplicateRows);
        w.WriteNumber("rowsMerged", q.RowsMerged);
        w.WriteBoolean("reconciles", import.Files.All(f => f.Reconciles));
        w.WriteNumber("rowErrors", q.RowErrors);
        w.WriteNumber("rowErrorsListed", q.RowErrorsListed);
        w.WriteString("rowErrorsFile", q.RowErrorsFile);
        w.WriteStartObject("recordsImported");
        foreach (var entity in q.Imported)
        {
            w.WriteNumber(entity.Entity, entity.Count);
        }

        w.WriteEndObject();
        w.WriteStartArray("files");
        foreach (var f in q.Files)
        {
            w.WriteStartObject();
            w.WriteString("name", f.Name);
            w.WriteNumber("rowsRead", f.RowsRead);
            w.WriteNumber("rowsImported", f.RowsImported);
            w.WriteNumber("rowsRejected", f.RowsRejected);
            w.WriteNumber("duplicateRows", f.DuplicateRows);
            w.WriteNumber("rowsMerged", f.RowsMerged);
            w.WriteNumber("quotingRepaired", f.QuotingRepaired);
            w.WriteString("format", f.Format);
            w.WriteNumber("allegationsWithUnidentifiedOfficer", f.UnidentifiedOfficer);
            w.WriteNumber("blankRows", f.BlankRows);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        Reasons(w, "rejected", import.Rejections);
        Reasons(w, "merged", import.Merges);
        Reasons(w, "notes", import.Notes);
        w.WriteStartObject("complaintRows");
        w.WriteNumber("complaintsWithDisagreeingRows", import.ComplaintsWithDisagreeingRows);
        w.WriteStartArray("fields");
        foreach (var (field, (filled, differs)) in import.ComplaintFields)
        {
            w.WriteStartObject();
            w.WriteString("field", field);
            w.WriteNumber("filledByALaterRow", filled);
            w.WriteNumber("differs", differs);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        Counts(w, "statusRules", import.StatusRules);
        Counts(w, "disciplineFinalityRules", import.FinalityRules);
        Counts(w, "sensitivityRules", import.SensitivityRules);
        w.WriteStartObject("officerIdentity");
        w.WriteNumber("merges", import.OfficerDecisions.Count(d => d.Kind == "merge"));
        w.WriteNumber("splits", import.OfficerDecisions.Count(d => d.Kind == "split"));
        w.WriteStartArray("decisions");
        foreach (var decision in import.OfficerDecisions)
        {
            // Evidence names key kinds and lines, never a name or a badge.
            w.WriteStartObject();
            w.WriteString("kind", decision.Kind);
            w.WriteString("file", decision.File);
            w.WriteNumber("line", decision.Line);
            w.WriteNumber("otherLine", decision.OtherLine);
            w.WriteString("evidence", decision.Evidence);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartArray("datasets");
        foreach (var d in q.Datasets)
        {
            w.WriteStartObject();
            w.WriteString("name", d.Name);
            w.WriteNumber("rows", d.Rows);
            w.WriteStartArray("columns");
            foreach (var c in d.Columns)
            {
                w.WriteStartObject();
                w.WriteString("name", c.Name);
                w.WriteNumber("count", c.Count);
                w.WriteNumber("nulls", c.Nulls);
                w.WriteNumber("nullRate", c.Rate);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartObject("unmapped");
        w.WriteNumber("distinctValues", q.UnmappedValues);
        w.WriteNumber("occurrences", q.UnmappedOccurrences);
        w.WriteStartArray("fields");
        foreach (var u in q.Unmapped)
        {
            w.WriteStartObject();
            w.WriteString("file", u.File);
            w.WriteString("column", u.Column);
            w.WriteString("field", u.Field);
            if (u.Vocabulary is not null)
            {
                w.WriteString("vocabulary", u.Vocabulary);
            }

            w.WriteBoolean("valuesPublished", u.ValuesPublished);
            w.WriteNumber("distinctValues", u.Distinct);
            w.WriteNumber("occurrences", u.Occurrences);
            if (u.ValuesPublished)
            {
                w.WriteStartArray("values");
                foreach (var v in u.Values)
                {
                    w.WriteStartObject();
                    w.WriteString("value", v.Value);
                    w.WriteNumber("count", v.Count);
                    if (v.MappedTo is not null)
                    {
                        w.WriteString("mappedTo", v.MappedTo);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();

        // What the redaction withheld and why: counts, never values (docs/disclosure.md, the redaction report).
        w.WriteStartObject("redaction");
        w.WriteString("policy", redaction.Policy);
        w.WriteNumber("complaints", redaction.Complaints);
        w.WriteNumber("allegations", redaction.Allegations);
        w.WriteNumber("officers", redaction.Officers);
        w.WriteNumber("complainants", redaction.Complainants);
        w.WriteStartArray("fields");
        foreach (var ((field, action), count) in redaction.Fields.OrderBy(f => f.Key.Field, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("field", field);
            w.WriteString("action", action);
            w.WriteNumber("count", count);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("rules");
        foreach (var (rule, count) in redaction.Rules.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("rule", rule);
            w.WriteNumber("count", count);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Rows by file and reason (never values: reasons name columns and rules only).</summary>
    private static void Reasons(Utf8JsonWriter w, string name, IEnumerable<ReasonCount> reasons)
    {
        w.WriteStartArray(name);
        foreach (var reason in reasons.OrderBy(r => r.File, StringComparer.Ordinal).ThenByDescending(r => r.Count).ThenBy(r => r.Reason, StringComparer.Ordinal))
        {
            w.WriteStartObject();
            w.WriteString("file", reason.File);
            w.WriteString("reason", reason.Reason);
            w.WriteNumber("rows", reason.Count);
            w.WriteStartArray("firstLines");
            foreach (var line in reason.FirstLines)
            {
                w.WriteNumberValue(line);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Counts(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, long>> counts)
    {
        w.WriteStartObject(name);
        foreach (var (key, count) in counts)
        {
            w.WriteNumber(key, count);
        }

        w.WriteEndObject();
    }

    /// <summary>Completeness of one column, counted while its dataset is written.</summary>
    public static ColumnQuality Column(string name, long rows, long nulls) =>
        new(name, rows, nulls, rows == 0 ? 0 : Math.Round((double)nulls / rows, 4, MidpointRounding.AwayFromZero));

    private static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);
}
