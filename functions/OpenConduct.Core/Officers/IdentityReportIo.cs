using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Officers;

/// <summary>
/// Writes the officer index folder's artefacts: the identity report (<c>identity.json</c>) and the officer documents
/// (<c>officers.jsonl.gz</c>), and reads both back (docs/officers.md). Both are deterministic: the same
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

    /// <summary>The identity report of <c>identity.json</c> (as <see cref="WriteReportAsync"/> writes it), or null when the store has none.</summary>
    /// <exception cref="InvalidDataException">The file is not an identity report of a known format version (the message says what is wrong).</exception>
    public static async Task<IdentityReport?> ReadReportAsync(IArtefactStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var stream = await store.OpenReadAsync(ReportPath, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            try
            {
                using var json = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
                return ReadReport(json.RootElement);
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{store.Location}/{ReportPath} is not an identity report: {ex.Message}", ex);
            }
        }
    }

    private static IdentityReport ReadReport(JsonElement root)
    {
        var format = root.GetProperty("formatVersion").GetInt32();
        if (format != IdentityReport.CurrentFormatVersion)
        {
            throw new FormatException($"format version {format} is not {IdentityReport.CurrentFormatVersion}");
        }

        var c = root.GetProperty("counts");
        var counts = new IdentityCounts(
            c.GetProperty("officers").GetInt32(),
            c.GetProperty("officersBySource").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal),
            c.GetProperty("groups").GetInt32(),
            c.GetProperty("mergedGroups").GetInt32(),
            c.GetProperty("linksByRule").EnumerateObject().ToDictionary(p => Rule(p.Name), p => p.Value.GetInt32()),
            c.GetProperty("ambiguities").GetInt32())
        {
            Candidates = c.GetProperty("candidates").GetInt32(),
            Undecided = c.GetProperty("undecided").GetInt32(),
            NotCandidates = c.GetProperty("notCandidates").EnumerateObject().ToDictionary(p => Rule(p.Name), p => p.Value.GetInt32()),
        };

        return new IdentityReport
        {
            FormatVersion = format,
            Counts = counts,
            Ambiguities = [.. root.GetProperty("ambiguities").EnumerateArray().Select(a => new IdentityAmbiguity(
                Rule(a.GetProperty("rule").GetString()), Enum.Parse<AmbiguityKind>(a.GetProperty("kind").GetString()!, ignoreCase: true),
                a.GetProperty("reason").GetString()!, ReadOfficers(a), ReadPairs(a)))],
            Candidates = [.. root.GetProperty("candidates").EnumerateArray().Select(s => new IdentityCandidateSet(
                Rule(s.GetProperty("rule").GetString()), Enum.Parse<CandidateDecision>(s.GetProperty("decision").GetString()!, ignoreCase: true),
                Strings(s.GetProperty("sources")), s.GetProperty("reason").GetString()!, ReadOfficers(s), ReadPairs(s))
            {
                Kind = s.TryGetProperty("kind", out var kind) ? Enum.Parse<AmbiguityKind>(kind.GetString()!, ignoreCase: true) : null,
            })],
            Decisions = [.. root.GetProperty("decisions").EnumerateArray().Select(d => new IdentityDecision(
                d.GetProperty("kind").GetString()!, d.GetProperty("location").GetString()!, Strings(d.GetProperty("officers")),
                Text(d, "note"), d.GetProperty("applied").GetBoolean(), d.GetProperty("effect").GetString()!))],
            UnmatchedOverrides = [.. root.GetProperty("unmatchedOverrides").EnumerateArray().Select(u => new UnmatchedOverride(
                u.GetProperty("location").GetString()!, u.GetProperty("officer").GetString()!))],
            Merged = [.. root.GetProperty("merged").EnumerateArray().Select(g => new IdentityGroup(
                g.GetProperty("id").GetString()!,
                [.. g.GetProperty("members").EnumerateArray().Select(m => Ref(m.GetString()))],
                [.. g.GetProperty("links").EnumerateArray().Select(l => new IdentityLink(Ref(l.GetProperty("from").GetString()), Ref(l.GetProperty("to").GetString()), Rule(l.GetProperty("rule").GetString())))]))],
        };

        static IdentityRule Rule(string? name) =>
            OfficerIdentityResolver.TryParseRule(name, out var rule) ? rule : throw new FormatException($"'{name}' is not an identity rule");

        static OfficerSourceRef Ref(string? text) =>
            IdentityOverrides.TryParseRef(text, out var officer) ? officer : throw new FormatException($"'{text}' is not an officer reference");

        static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var value) ? value.GetString() : null;

        static int? Number(JsonElement e, string name) => e.TryGetProperty(name, out var value) ? value.GetInt32() : null;

        static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetString()!)];

        static List<IdentityCandidate> ReadOfficers(JsonElement parent) =>
        [
            .. parent.GetProperty("officers").EnumerateArray().Select(o => new IdentityCandidate(
                o.GetProperty("officer").GetString()!, o.GetProperty("id").GetString()!, o.GetProperty("name").GetString()!,
                Text(o, "employeeId"), Strings(o.GetProperty("badges")), Number(o, "birthYear"), Text(o, "hireDate"))
            {
                Unit = Text(o, "unit"),
                Complaints = o.GetProperty("complaints").GetInt32(),
                FirstComplaintYear = Number(o, "firstComplaintYear"),
                LastComplaintYear = Number(o, "lastComplaintYear"),
            }),
        ];

        static List<IdentityCandidatePair> ReadPairs(JsonElement parent) =>
        [
            .. parent.GetProperty("pairs").EnumerateArray().Select(p =>
            {
                var officers = Strings(p.GetProperty("officers"));
                return officers.Count == 2
                    ? new IdentityCandidatePair(officers[0], officers[1], Text(p, "conflict"))
                    {
                        Agree = Strings(p.GetProperty("agree")),
                        Differ = Strings(p.GetProperty("differ")),
                        Unknown = Strings(p.GetProperty("unknown")),
                    }
                    : throw new FormatException($"a pair names {officers.Count} officers");
            }),
        ];
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
