using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using OpenConduct.Core.Model;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Officers;

/// <summary>
/// A coded value as a release publishes it: the canonical code and the source's raw text, either of which may be
/// missing (a coded value with neither is not published, and is read as null).
/// </summary>
public sealed record PublishedCode(string? Value, string? Raw)
{
    /// <summary>The canonical code, else the source's raw text.</summary>
    public string? Text => Value ?? Raw;
}

/// <summary>A badge number with the dates it was held, as published (badge dates are published to the day or not at all).</summary>
public sealed record PublishedBadge(string Number, DateOnly? From = null, DateOnly? To = null);

/// <summary>One line of a release's <c>records/officers.jsonl.gz</c>: an officer as one source publishes them.</summary>
public sealed record PublishedOfficer
{
    public required string Source { get; init; }

    /// <summary>The officer's keyed pseudonym within the source (<c>o-</c> and 20 hex digits), stable across releases.</summary>
    public required string OfficerRef { get; init; }

    public string? EmployeeId { get; init; }
    public string? FirstName { get; init; }
    public string? MiddleName { get; init; }
    public string? LastName { get; init; }
    public string? Suffix { get; init; }

    /// <summary>Every badge the source lists, oldest first.</summary>
    public IReadOnlyList<PublishedBadge> Badges { get; init; } = [];

    public string? Rank { get; init; }
    public string? Unit { get; init; }

    /// <summary>Published only by policies that publish officers' race on records (not Minnesota).</summary>
    public PublishedCode? Race { get; init; }

    /// <summary>Published only by policies that publish officers' sex on records (not Minnesota).</summary>
    public PublishedCode? Sex { get; init; }

    /// <summary>The birth year as published (a decade's first year when the policy generalizes it); Minnesota drops it.</summary>
    public int? BirthYear { get; init; }

    /// <summary>The hire (appointment) date at its published precision: <c>2004-06-01</c>, <c>2004-06</c> or <c>2004</c>.</summary>
    public string? HireDate { get; init; }

    /// <summary>The source reference of this officer.</summary>
    public OfficerSourceRef Ref => new(Source, OfficerRef);

    /// <summary>"First Middle Last Suffix": the published name parts that are present, single spaces between words.</summary>
    public string DisplayName => OfficerNames.Display(FirstName, MiddleName, LastName, Suffix);
}

/// <summary>One allegation of a published case: the officer it names and what the policy publishes about it.</summary>
public sealed record PublishedAllegation
{
    /// <summary>The officer's pseudonym; empty when <see cref="OfficerUnidentified"/>.</summary>
    public required string OfficerRef { get; init; }

    /// <summary>The export does not identify the officer: the allegation is in no officer's history.</summary>
    public bool OfficerUnidentified { get; init; }

    public string? AllegationId { get; init; }
    public PublishedCode? Category { get; init; }
    public PublishedCode? Subcategory { get; init; }

    /// <summary>Published only with <c>hideRecommendations: false</c>.</summary>
    public PublishedCode? RecommendedFinding { get; init; }

    /// <summary>The final finding once public (the case is closed, under the Minnesota policy).</summary>
    public PublishedCode? FinalFinding { get; init; }

    /// <summary>True when the record says a finding exists or may exist but is not public yet.</summary>
    public bool FindingPending { get; init; }

    public PublishedCode? RecommendedDiscipline { get; init; }
    public int? RecommendedDisciplineDays { get; init; }
    public PublishedCode? ImposedDiscipline { get; init; }
    public int? ImposedDisciplineDays { get; init; }

    /// <summary>Whether the imposed discipline is final; null when the source does not say or the policy does not publish it.</summary>
    public bool? DisciplineFinal { get; init; }

    /// <summary>When the imposed discipline was decided, as published (<c>yyyy-MM-dd</c>, <c>yyyy-MM</c> or <c>yyyy</c>).</summary>
    public string? DisciplineDate { get; init; }

    /// <summary>
    /// True when a recommended finding or discipline is published (only where the policy publishes recommendations): then
    /// the final discipline is shown beside it in the source's own words too.
    /// </summary>
    public bool HasRecommendation => RecommendedFinding?.Text is not null || RecommendedDiscipline?.Text is not null;
}

/// <summary>
/// One line of a release's <c>records/cases.jsonl.gz</c>: the complaint and its allegations. The location, the
/// narrative and the complainants are not read (no reader of this type needs them, and narratives are most of the
/// file's size).
/// </summary>
public sealed record PublishedCase
{
    public required string Source { get; init; }

    /// <summary>The case number, or its pseudonym.</summary>
    public required string CaseNumber { get; init; }

    /// <summary>As published: <c>yyyy-MM-dd</c>, <c>yyyy-MM</c> or <c>yyyy</c>.</summary>
    public string? ReceivedDate { get; init; }

    public string? IncidentDate { get; init; }
    public string? ClosedDate { get; init; }
    public PublishedCode? Status { get; init; }
    public PublishedCode? IntakeDecision { get; init; }
    public string? Precinct { get; init; }

    /// <summary><c>pending review</c> while the case's narrative waits for a reviewer (docs/review.md); null otherwise.</summary>
    public string? NarrativeStatus { get; init; }

    /// <summary>In the source's order.</summary>
    public IReadOnlyList<PublishedAllegation> Allegations { get; init; } = [];

    /// <summary>Days from received to closed, from the published dates (<see cref="CaseDurations"/>); null when they do not tell.</summary>
    public int? DaysToClose() =>
        CaseDurations.DaysToClose(CaseDurations.Day(ReceivedDate), CaseDurations.Day(ClosedDate), Status?.Value == nameof(ComplaintStatus.Closed));

    /// <summary>Days from received to the final discipline of the whole case (every allegation's, not one officer's), or null.</summary>
    public int? DaysToFinalDiscipline() =>
        CaseDurations.DaysToFinalDiscipline(CaseDurations.Day(ReceivedDate), Allegations.Select(a => (CaseDurations.Day(a.DisciplineDate), a.DisciplineFinal)));
}

/// <summary>
/// The published records of one release (<c>records/cases.jsonl.gz</c> and <c>records/officers.jsonl.gz</c>), read
/// back into public read-model types. Only what a release publishes can be here: these files are written from
/// redacted records (docs/releases.md#records-recordsjsonlgz).
/// </summary>
/// <param name="Officers">In the file's order (by officer reference).</param>
/// <param name="Cases">In the file's order (by case number).</param>
public sealed record PublishedRecords(IReadOnlyList<PublishedOfficer> Officers, IReadOnlyList<PublishedCase> Cases)
{
    /// <summary>The source id the release is stored under (e.g. <c>opcr</c>), when known (from the manifest or the release store).</summary>
    public string? Source { get; init; }

    /// <summary>The release id, when known (from the manifest or the release store).</summary>
    public string? ReleaseId { get; init; }

    /// <summary>
    /// The candidate identity rules the release's policy merges automatically (<c>identity.autoMerge</c>, recorded in
    /// the manifest); empty when it lists none or the release has no manifest.
    /// </summary>
    public IReadOnlyList<string> IdentityAutoMerge { get; init; } = [];

    /// <summary>
    /// Reads a release's records, streaming: each line is parsed from the decompressed bytes as it arrives, and the
    /// values that repeat (officer references, codes, dates) are shared, so memory is the records' (a release of
    /// 1,000,000 allegations reads in a few hundred MB). <see cref="Source"/> and <see cref="ReleaseId"/> come from
    /// the release's manifest when it has one.
    /// </summary>
    /// <exception cref="FileNotFoundException">The release has no <c>records/cases.jsonl.gz</c> or no <c>records/officers.jsonl.gz</c>.</exception>
    /// <exception cref="InvalidDataException">A line is not what the release builder writes (the message names the file and line).</exception>
    public static async Task<PublishedRecords> ReadAsync(IArtefactStore release, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(release);
        var pool = new ValuePool();
        var officers = new List<PublishedOfficer>();
        await ReadLinesAsync(release, ReleasePaths.Officers, line => officers.Add(ParseOfficer(line, pool)), cancellationToken).ConfigureAwait(false);
        var cases = new List<PublishedCase>();
        await ReadLinesAsync(release, ReleasePaths.Cases, line => cases.Add(ParseCase(line, pool)), cancellationToken).ConfigureAwait(false);
        var manifest = await ReleaseManifestIo.ReadAsync(release, cancellationToken).ConfigureAwait(false);
        return new PublishedRecords(officers, cases) { Source = manifest?.Source, ReleaseId = manifest?.ReleaseId, IdentityAutoMerge = manifest?.Identity?.AutoMerge ?? [] };
    }

    /// <summary>
    /// The records of each source's live release (<c>latest</c>), in the order of <paramref name="sources"/>; a source
    /// without a live release is skipped.
    /// </summary>
    public static async Task<IReadOnlyList<PublishedRecords>> ReadLatestAsync(IReleaseStore releases, IEnumerable<string> sources, CancellationToken cancellationToken = default) =>
        await ReadAsync(releases, await releases.GetLiveAsync(sources, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    /// <summary>The records of the given releases, in their order.</summary>
    public static async Task<IReadOnlyList<PublishedRecords>> ReadAsync(IReleaseStore releases, IEnumerable<LiveRelease> live, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(live);
        var result = new List<PublishedRecords>();
        foreach (var release in live)
        {
            var records = await ReadAsync(releases.Open(release.Source, release.ReleaseId), cancellationToken).ConfigureAwait(false);
            result.Add(records with { Source = release.Source, ReleaseId = release.ReleaseId });
        }

        return result;
    }

    /// <summary>Calls <paramref name="parse"/> with each non-empty line of a gzipped JSON-lines artefact, without building strings.</summary>
    internal static async Task ReadLinesAsync(IArtefactStore release, string path, Action<ReadOnlyMemory<byte>> parse, CancellationToken cancellationToken)
    {
        var stream = await release.OpenReadAsync(path, cancellationToken).ConfigureAwait(false)
                     ?? throw new FileNotFoundException($"the release at {release.Location} has no {path}", path);
        await using (stream.ConfigureAwait(false))
        {
            var gzip = new GZipStream(stream, CompressionMode.Decompress);
            await using (gzip.ConfigureAwait(false))
            {
                var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
                try
                {
                    var filled = 0;
                    long lineNumber = 0;
                    while (true)
                    {
                        if (filled == buffer.Length)
                        {
                            // A line longer than the buffer: grow it.
                            var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                            buffer.AsSpan(0, filled).CopyTo(larger);
                            ArrayPool<byte>.Shared.Return(buffer);
                            buffer = larger;
                        }

                        var read = await gzip.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                        var end = filled + read;
                        var start = 0;
                        var searchFrom = filled;
                        while (true)
                        {
                            var newline = buffer.AsSpan(searchFrom, end - searchFrom).IndexOf((byte)'\n');
                            if (newline < 0)
                            {
                                break;
                            }

                            var lineEnd = searchFrom + newline;
                            lineNumber++;
                            Parse(buffer.AsMemory(start, lineEnd - start), lineNumber);
                            start = lineEnd + 1;
                            searchFrom = start;
                        }

                        if (read == 0)
                        {
                            if (end > start)
                            {
                                Parse(buffer.AsMemory(start, end - start), ++lineNumber);
                            }

                            break;
                        }

                        // Keep the incomplete line at the start of the buffer.
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        filled = end - start;
                        cancellationToken.ThrowIfCancellationRequested();
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }

        void Parse(ReadOnlyMemory<byte> line, long number)
        {
            var span = line.Span;
            if (span.Length > 0 && span[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.Span.Trim((byte)' ').IsEmpty)
            {
                return;
            }

            try
            {
                parse(line);
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"{release.Location}/{path}, line {number.ToString(CultureInfo.InvariantCulture)}: {ex.Message}", ex);
            }
        }
    }

    private static PublishedOfficer ParseOfficer(ReadOnlyMemory<byte> line, ValuePool pool)
    {
        var r = new Utf8JsonReader(line.Span);
        Expect(ref r, JsonTokenType.StartObject);
        string? source = null, officerRef = null, employeeId = null, first = null, middle = null, last = null, suffix = null, rank = null, unit = null, hire = null;
        PublishedCode? race = null, sex = null;
        int? birthYear = null;
        List<PublishedBadge>? badges = null;
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("source"u8))
            {
                source = pool.String(ref r);
            }
            else if (r.ValueTextEquals("officerRef"u8))
            {
                officerRef = pool.String(ref r);
            }
            else if (r.ValueTextEquals("employeeId"u8))
            {
                employeeId = Text(ref r);
            }
            else if (r.ValueTextEquals("firstName"u8))
            {
                first = Text(ref r);
            }
            else if (r.ValueTextEquals("middleName"u8))
            {
                middle = Text(ref r);
            }
            else if (r.ValueTextEquals("lastName"u8))
            {
                last = Text(ref r);
            }
            else if (r.ValueTextEquals("suffix"u8))
            {
                suffix = pool.String(ref r);
            }
            else if (r.ValueTextEquals("badges"u8))
            {
                badges = ReadBadges(ref r);
            }
            else if (r.ValueTextEquals("rank"u8))
            {
                rank = pool.String(ref r);
            }
            else if (r.ValueTextEquals("unit"u8))
            {
                unit = pool.String(ref r);
            }
            else if (r.ValueTextEquals("race"u8))
            {
                race = pool.Code(ref r);
            }
            else if (r.ValueTextEquals("sex"u8))
            {
                sex = pool.Code(ref r);
            }
            else if (r.ValueTextEquals("birthYear"u8))
            {
                birthYear = Number(ref r);
            }
            else if (r.ValueTextEquals("hireDate"u8))
            {
                hire = pool.String(ref r);
            }
            else
            {
                Skip(ref r);
            }
        }

        return new PublishedOfficer
        {
            Source = source ?? throw new FormatException("the officer has no source"),
            OfficerRef = officerRef ?? throw new FormatException("the officer has no officerRef"),
            EmployeeId = employeeId,
            FirstName = first,
            MiddleName = middle,
            LastName = last,
            Suffix = suffix,
            Badges = badges is null ? [] : badges.ToArray(),
            Rank = rank,
            Unit = unit,
            Race = race,
            Sex = sex,
            BirthYear = birthYear,
            HireDate = hire,
        };
    }

    private static List<PublishedBadge> ReadBadges(ref Utf8JsonReader r)
    {
        Expect(ref r, JsonTokenType.StartArray);
        var badges = new List<PublishedBadge>(2);
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException($"a badge is a {r.TokenType}, not an object");
            }

            string? number = null;
            DateOnly? from = null, to = null;
            while (NextProperty(ref r))
            {
                if (r.ValueTextEquals("number"u8))
                {
                    number = Text(ref r);
                }
                else if (r.ValueTextEquals("from"u8))
                {
                    from = Day(ref r);
                }
                else if (r.ValueTextEquals("to"u8))
                {
                    to = Day(ref r);
                }
                else
                {
                    Skip(ref r);
                }
            }

            badges.Add(new PublishedBadge(number ?? throw new FormatException("a badge has no number"), from, to));
        }

        return badges;
    }

    private static PublishedCase ParseCase(ReadOnlyMemory<byte> line, ValuePool pool)
    {
        var r = new Utf8JsonReader(line.Span);
        Expect(ref r, JsonTokenType.StartObject);
        string? source = null, caseNumber = null, received = null, incident = null, closed = null, precinct = null, narrativeStatus = null;
        PublishedCode? status = null, intake = null;
        PublishedAllegation[] allegations = [];
        while (NextProperty(ref r))
        {
            if (r.ValueTextEquals("complaint"u8))
            {
                Expect(ref r, JsonTokenType.StartObject);
                while (NextProperty(ref r))
                {
                    if (r.ValueTextEquals("source"u8))
                    {
                        source = pool.String(ref r);
                    }
                    else if (r.ValueTextEquals("caseNumber"u8))
                    {
                        caseNumber = Text(ref r);
                    }
                    else if (r.ValueTextEquals("receivedDate"u8))
                    {
                        received = pool.String(ref r);
                    }
                    else if (r.ValueTextEquals("incidentDate"u8))
                    {
                        incident = pool.String(ref r);
                    }
                    else if (r.ValueTextEquals("closedDate"u8))
                    {
                        closed = pool.String(ref r);
                    }
                    else if (r.ValueTextEquals("status"u8))
                    {
                        status = pool.Code(ref r);
                    }
                    else if (r.ValueTextEquals("intakeDecision"u8))
                    {
                        intake = pool.Code(ref r);
                    }
                    else if (r.ValueTextEquals("precinct"u8))
                    {
                        precinct = pool.String(ref r);
                    }
                    else if (r.ValueTextEquals("narrativeStatus"u8))
                    {
                        narrativeStatus = pool.String(ref r);
                    }
                    else
                    {
                        Skip(ref r); // location, narrative: not read
                    }
                }
            }
            else if (r.ValueTextEquals("allegations"u8))
            {
                allegations = ReadAllegations(ref r, pool);
            }
            else
            {
                Skip(ref r); // complainants: not read
            }
        }

        return new PublishedCase
        {
            Source = source ?? throw new FormatException("the complaint has no source"),
            CaseNumber = caseNumber ?? throw new FormatException("the complaint has no caseNumber"),
            ReceivedDate = received,
            IncidentDate = incident,
            ClosedDate = closed,
            Status = status,
            IntakeDecision = intake,
            Precinct = precinct,
            NarrativeStatus = narrativeStatus,
            Allegations = allegations,
        };
    }

    private static PublishedAllegation[] ReadAllegations(ref Utf8JsonReader r, ValuePool pool)
    {
        Expect(ref r, JsonTokenType.StartArray);
        var list = pool.Allegations;
        list.Clear();
        while (r.Read() && r.TokenType != JsonTokenType.EndArray)
        {
            if (r.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException($"an allegation is a {r.TokenType}, not an object");
            }

            string? officerRef = null, id = null;
            PublishedCode? category = null, subcategory = null, recommended = null, final = null, recommendedDiscipline = null, imposed = null;
            int? recommendedDays = null, imposedDays = null;
            var pending = false;
            var unidentified = false;
            bool? disciplineFinal = null;
            string? disciplineDate = null;
            while (NextProperty(ref r))
            {
                if (r.ValueTextEquals("officerRef"u8))
                {
                    officerRef = r.TokenType == JsonTokenType.Null ? null : pool.String(ref r);
                }
                else if (r.ValueTextEquals("officerUnidentified"u8))
                {
                    unidentified = Boolean(ref r) == true;
                }
                else if (r.ValueTextEquals("allegationId"u8))
                {
                    id = Text(ref r);
                }
                else if (r.ValueTextEquals("category"u8))
                {
                    category = pool.Code(ref r);
                }
                else if (r.ValueTextEquals("subcategory"u8))
                {
                    subcategory = pool.Code(ref r);
                }
                else if (r.ValueTextEquals("recommendedFinding"u8))
                {
                    recommended = pool.Code(ref r);
                }
                else if (r.ValueTextEquals("finalFinding"u8))
                {
                    final = pool.Code(ref r);
                }
                else if (r.ValueTextEquals("findingPending"u8))
                {
                    pending = Boolean(ref r) == true;
                }
                else if (r.ValueTextEquals("recommendedDiscipline"u8))
                {
                    recommendedDiscipline = pool.Code(ref r);
                }
                else if (r.ValueTextEquals("recommendedDisciplineDays"u8))
                {
                    recommendedDays = Number(ref r);
                }
                else if (r.ValueTextEquals("imposedDiscipline"u8))
                {
                    imposed = pool.Code(ref r);
                }
                else if (r.ValueTextEquals("imposedDisciplineDays"u8))
                {
                    imposedDays = Number(ref r);
                }
                else if (r.ValueTextEquals("disciplineFinal"u8))
                {
                    disciplineFinal = Boolean(ref r);
                }
                else if (r.ValueTextEquals("disciplineDate"u8))
                {
                    disciplineDate = pool.String(ref r);
                }
                else
                {
                    Skip(ref r);
                }
            }

            list.Add(new PublishedAllegation
            {
                OfficerRef = officerRef ?? (unidentified ? "" : throw new FormatException("an allegation has no officerRef")),
                OfficerUnidentified = unidentified,
                AllegationId = id,
                Category = category,
                Subcategory = subcategory,
                RecommendedFinding = recommended,
                FinalFinding = final,
                FindingPending = pending,
                RecommendedDiscipline = recommendedDiscipline,
                RecommendedDisciplineDays = recommendedDays,
                ImposedDiscipline = imposed,
                ImposedDisciplineDays = imposedDays,
                DisciplineFinal = disciplineFinal,
                DisciplineDate = disciplineDate,
            });
        }

        return list.ToArray();
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool NextProperty(ref Utf8JsonReader r)
    {
        if (!r.Read())
        {
            throw new FormatException("the line ends inside an object");
        }

        return r.TokenType switch
        {
            JsonTokenType.PropertyName => true,
            JsonTokenType.EndObject => false,
            _ => throw new FormatException($"unexpected {r.TokenType} in an object"),
        };
    }

    private static void Expect(ref Utf8JsonReader r, JsonTokenType type)
    {
        if (!r.Read() || r.TokenType != type)
        {
            throw new FormatException($"expected {type}, found {r.TokenType}");
        }
    }

    private static void Skip(ref Utf8JsonReader r)
    {
        r.Read();
        r.Skip();
    }

    private static string? Text(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType switch
        {
            JsonTokenType.String => r.GetString(),
            JsonTokenType.Null => null,
            _ => throw new FormatException($"expected a string, found {r.TokenType}"),
        };
    }

    private static int? Number(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType switch
        {
            JsonTokenType.Number => r.GetInt32(),
            JsonTokenType.Null => null,
            _ => throw new FormatException($"expected a number, found {r.TokenType}"),
        };
    }

    private static bool? Boolean(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType switch
        {
            JsonTokenType.True => true,
            JsonTokenType.False => false,
            JsonTokenType.Null => null,
            _ => throw new FormatException($"expected a boolean, found {r.TokenType}"),
        };
    }

    private static DateOnly? Day(ref Utf8JsonReader r)
    {
        r.Read();
        return r.TokenType switch
        {
            JsonTokenType.String => DateOnly.ParseExact(r.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            JsonTokenType.Null => null,
            _ => throw new FormatException($"expected a date, found {r.TokenType}"),
        };
    }

    /// <summary>Shares the strings and codes that repeat across lines (officer references, codes, dates, ranks).</summary>
    private sealed class ValuePool
    {
        private readonly Dictionary<string, string> strings = new(StringComparer.Ordinal);
        private readonly Dictionary<(string?, string?), PublishedCode> codes = [];
        private char[] chars = new char[256];

        /// <summary>A scratch list reused for each case's allegations.</summary>
        public List<PublishedAllegation> Allegations { get; } = new(16);

        public string? String(ref Utf8JsonReader r)
        {
            r.Read();
            if (r.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (r.TokenType != JsonTokenType.String)
            {
                throw new FormatException($"expected a string, found {r.TokenType}");
            }

            var length = r.HasValueSequence ? checked((int)r.ValueSequence.Length) : r.ValueSpan.Length;
            if (length > chars.Length)
            {
                chars = new char[Math.Max(length, chars.Length * 2)];
            }

            var written = r.CopyString(chars);
            var key = chars.AsSpan(0, written);
            var lookup = strings.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(key, out var known))
            {
                return known;
            }

            var value = key.ToString();
            strings.Add(value, value);
            return value;
        }

        public PublishedCode? Code(ref Utf8JsonReader r)
        {
            r.Read();
            if (r.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (r.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException($"expected a coded value {{\"value\", \"raw\"}}, found {r.TokenType}");
            }

            string? value = null, raw = null;
            while (NextProperty(ref r))
            {
                if (r.ValueTextEquals("value"u8))
                {
                    value = String(ref r);
                }
                else if (r.ValueTextEquals("raw"u8))
                {
                    raw = String(ref r);
                }
                else
                {
                    Skip(ref r);
                }
            }

            if (value is null && raw is null)
            {
                return null;
            }

            if (!codes.TryGetValue((value, raw), out var code))
            {
                code = new PublishedCode(value, raw);
                codes.Add((value, raw), code);
            }

            return code;
        }
    }
}
