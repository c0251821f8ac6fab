using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Officers;

/// <summary>
/// Writes the officer index folder's artefacts: the identity report (<c>identity.json</c>) and the officer documents
/// (<c>officers.jsonl.gz</c>), and reads the documents back (docs/officers.md). Both are deterministic: the same
/// resolution and documents give the same bytes (documents in the order given, which the builder makes the id order).
/// </summary>
public static class IdentityReportIo
{
    /// <summary>The identity report's path in the officer index folder.</summary>
    public const string ReportPath = "identity.json";

    /// <summary>The officer documents' path in the officer index folder.</summary>
    public const string DocumentsPath = "officers.jsonl.gz";

    /// <summary>How the documents are written: camelCase, nulls omitted, only the escapes JSON requires.</summary>
    internal static readonly JsonSerializerOptions DocumentJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    /// <summary>Writes <c>identity.json</c>: indented, LF line ends, ending with a newline.</summary>
    public static Task<ArtefactInfo> WriteReportAsync(IArtefactStore store, IdentityReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(report);
        return ReleaseJson.WriteDocumentAsync(store, ReportPath, w => WriteReport(w, report), cancellationToken);
    }

    /// <summary>Writes <c>officers.jsonl.gz</c>: one document per line (camelCase, nulls omitted), gzip without file name or time.</summary>
    public static Task<ArtefactInfo> WriteDocumentsAsync(IArtefactStore store, IEnumerable<OfficerDocument> documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(documents);
        return store.WriteAsync(DocumentsPath, "application/gzip", async (stream, ct) =>
        {
            var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true);
            await using (gzip.ConfigureAwait(false))
            {
                using var json = new JsonRowStream(gzip);
                foreach (var document in documents)
                {
                    ct.ThrowIfCancellationRequested();
                    JsonSerializer.Serialize(json.Begin(), document, DocumentJson);
                    await json.EndAsync(ct).ConfigureAwait(false);
                    json.Raw("\n"u8);
                }

                await json.FlushAsync(ct).ConfigureAwait(false);
            }
        }, cancellationToken);
    }

    /// <summary>The documents of <c>officers.jsonl.gz</c> in the file's order, or null when the store has none.</summary>
    /// <exception cref="InvalidDataException">A line is not an officer document (the message names the line).</exception>
    public static async Task<IReadOnlyList<OfficerDocument>?> ReadDocumentsAsync(IArtefactStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var probe = await store.OpenReadAsync(DocumentsPath, cancellationToken).ConfigureAwait(false);
        if (probe is null)
        {
            return null;
        }

        await probe.DisposeAsync().ConfigureAwait(false);
        var documents = new List<OfficerDocument>();
        await PublishedRecords.ReadLinesAsync(store, DocumentsPath, line =>
            documents.Add(JsonSerializer.Deserialize<OfficerDocument>(line.Span, DocumentJson) ?? throw new FormatException("the line is null")), cancellationToken).ConfigureAwait(false);
        return documents;
    }

    private static string Camel(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

    private static void WriteReport(Utf8JsonWriter w, IdentityReport report)
    {
        w.WriteStartObject();
        w.WriteNumber("formatVersion", report.FormatVersion);

        var counts = report.Counts;
        w.WriteStartObject("counts");
        w.WriteNumber("officers", counts.Officers);
        w.WriteStartObject("officersBySource");
        foreach (var (source, count) in counts.OfficersBySource.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(source, count);
        }

        w.WriteEndObject();
        w.WriteNumber("groups", counts.Groups);
        w.WriteNumber("mergedGroups", counts.MergedGroups);
        w.WriteStartObject("linksByRule");
        foreach (var rule in Enum.GetValues<IdentityRule>())
        {
            w.WriteNumber(OfficerIdentityResolver.Name(rule), counts.LinksByRule.GetValueOrDefault(rule));
        }

        w.WriteEndObject();
        w.WriteNumber("ambiguities", counts.Ambiguities);
        w.WriteNumber("candidates", counts.Candidates);
        w.WriteNumber("undecided", counts.Undecided);
        w.WriteStartObject("notCandidates");
        foreach (var rule in IdentityOptions.CandidateRules)
        {
            w.WriteNumber(OfficerIdentityResolver.Name(rule), counts.NotCandidates.GetValueOrDefault(rule));
        }

        w.WriteEndObject();
        w.WriteEndObject();

        w.WriteStartArray("ambiguities");
        foreach (var a in report.Ambiguities)
        {
            w.WriteStartObject();
            w.WriteString("rule", OfficerIdentityResolver.Name(a.Rule));
            w.WriteString("kind", Camel(a.Kind.ToString()));
            w.WriteString("reason", a.Reason);
            WriteOfficers(w, a.Officers);
            WritePairs(w, a.Pairs);
            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartArray("candidates");
        foreach (var c in report.Candidates)
        {
            w.WriteStartObject();
            w.WriteString("rule", OfficerIdentityResolver.Name(c.Rule));
            w.WriteString("decision", Camel(c.Decision.ToString()));
            if (c.Kind is { } kind)
            {
                w.WriteString("kind", Camel(kind.ToString()));
            }

            w.WriteStartArray("sources");
            foreach (var source in c.Sources)
            {
                w.WriteStringValue(source);
            }

            w.WriteEndArray();
            w.WriteString("reason", c.Reason);
            WriteOfficers(w, c.Officers);
            WritePairs(w, c.Pairs);
            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartArray("decisions");
        foreach (var d in report.Decisions)
        {
            w.WriteStartObject();
            w.WriteString("kind", d.Kind);
            w.WriteString("location", d.Location);
            w.WriteStartArray("officers");
            foreach (var o in d.Officers)
            {
                w.WriteStringValue(o);
            }

            w.WriteEndArray();
            if (d.Note is not null)
            {
                w.WriteString("note", d.Note);
            }

            w.WriteBoolean("applied", d.Applied);
            w.WriteString("effect", d.Effect);
            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartArray("unmatchedOverrides");
        foreach (var u in report.UnmatchedOverrides)
        {
            w.WriteStartObject();
            w.WriteString("location", u.Location);
            w.WriteString("officer", u.Officer);
            w.WriteEndObject();
        }

        w.WriteEndArray();

        w.WriteStartArray("merged");
        foreach (var g in report.Merged)
        {
            w.WriteStartObject();
            w.WriteString("id", g.Id);
            w.WriteStartArray("members");
            foreach (var m in g.Members)
            {
                w.WriteStringValue(m.ToString());
            }

            w.WriteEndArray();
            w.WriteStartArray("links");
            foreach (var l in g.Links)
            {
                w.WriteStartObject();
                w.WriteString("from", l.From.ToString());
                w.WriteString("to", l.To.ToString());
                w.WriteString("rule", OfficerIdentityResolver.Name(l.Rule));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The officers of an ambiguity or a candidate set, with what the rules compare (all of it published).</summary>
    private static void WriteOfficers(Utf8JsonWriter w, IReadOnlyList<IdentityCandidate> officers)
    {
        w.WriteStartArray("officers");
        foreach (var c in officers)
        {
            w.WriteStartObject();
            w.WriteString("officer", c.Officer);
            w.WriteString("id", c.Id);
            w.WriteString("name", c.Name);
            if (c.EmployeeId is not null)
            {
                w.WriteString("employeeId", c.EmployeeId);
            }

            w.WriteStartArray("badges");
            foreach (var b in c.Badges)
            {
                w.WriteStringValue(b);
            }

            w.WriteEndArray();
            if (c.BirthYear is { } year)
            {
                w.WriteNumber("birthYear", year);
            }

            if (c.HireDate is not null)
            {
                w.WriteString("hireDate", c.HireDate);
            }

            if (c.Unit is not null)
            {
                w.WriteString("unit", c.Unit);
            }

            w.WriteNumber("complaints", c.Complaints);
            if (c.FirstComplaintYear is { } first)
            {
                w.WriteNumber("firstComplaintYear", first);
            }

            if (c.LastComplaintYear is { } last)
            {
                w.WriteNumber("lastComplaintYear", last);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>The matched pairs, with what disagrees (<c>conflict</c>) and the evidence.</summary>
    private static void WritePairs(Utf8JsonWriter w, IReadOnlyList<IdentityCandidatePair> pairs)
    {
        w.WriteStartArray("pairs");
        foreach (var p in pairs)
        {
            w.WriteStartObject();
            w.WriteStartArray("officers");
            w.WriteStringValue(p.First);
            w.WriteStringValue(p.Second);
            w.WriteEndArray();
            if (p.Conflict is not null)
            {
                w.WriteString("conflict", p.Conflict);
            }

            foreach (var (name, fields) in new[] { ("agree", p.Agree), ("differ", p.Differ), ("unknown", p.Unknown) })
            {
                w.WriteStartArray(name);
                foreach (var field in fields)
                {
                    w.WriteStringValue(field);
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
