using OpenConduct.Core.Model;

namespace OpenConduct.Core.Import;

/// <summary>A row that was not imported: where it is and why. Never carries the cell's value (it may be personal data).</summary>
/// <remarks>
/// <see cref="Line"/> is the line (or sheet row) where the row starts; <see cref="Column"/> counts columns from 1 in
/// delimited files and workbooks; <see cref="Path"/> is where in a JSON record the problem is.
/// </remarks>
public sealed record RowError(string File, long Line, int? Column, string? ColumnName, string Reason, string? Path = null)
{
    /// <summary>The reason without the concrete JSON location, to count rows by reason.</summary>
    public string ReasonKey => (ColumnName is null ? "" : $"column '{ColumnName}': ") + (Path is null ? Reason : Reason.Replace(Path, "(path)", StringComparison.Ordinal));

    public override string ToString() => (Column, Path, ColumnName) switch
    {
        (_, { } path, { } name) => $"{File}:{Line}: {path}: column '{name}': {Reason}",
        (_, { } path, null) when !Reason.StartsWith(path, StringComparison.Ordinal) => $"{File}:{Line}: {path}: {Reason}",
        (null, _, { } name) => $"{File}:{Line}: column '{name}': {Reason}",
        (null, _, null) => $"{File}:{Line}: {Reason}",
        _ => $"{File}:{Line}:{Column}: column '{ColumnName}': {Reason}",
    };
}

/// <summary>A source value that a vocabulary does not list, with how often it occurs.</summary>
public sealed record UnmappedValue(string File, string Column, string Field, string? Vocabulary, string Value, long Count, long FirstLine, string? MappedTo)
{
    public override string ToString() =>
        $"'{Value}' x{Count} in {File} column '{Column}' ({Field}{(Vocabulary is null ? "" : $", vocabulary '{Vocabulary}'")}), first on line {FirstLine}" +
        (MappedTo is null ? ": rows rejected" : $": mapped to fallback {MappedTo}");
}

/// <summary>Counts for one file of the export.</summary>
public sealed class FileImportStats
{
    public required string Name { get; init; }
    public required string Path { get; init; }

    /// <summary>The file's format: csv, json, jsonl or excel.</summary>
    public string Format { get; init; } = "csv";

    /// <summary>The text encoding of a delimited file; null for the other formats (JSON is UTF-8, workbooks carry their own).</summary>
    public string? Encoding { get; init; } = "utf-8";

    /// <summary>The delimiter of a delimited file; null for the other formats.</summary>
    public char? Delimiter { get; set; }

    /// <summary>Workbook rows with no value in any cell, skipped.</summary>
    public long BlankRows { get; internal set; }
    public IReadOnlyList<string> Columns { get; set; } = [];
    public long RowsRead { get; internal set; }
    public long RowsImported { get; internal set; }
    public long RowsRejected { get; internal set; }

    /// <summary>Rows that added nothing new to records already read (a complaint repeated, an officer's row with nothing new), merged into them.</summary>
    public long RowsMerged { get; internal set; }

    public long DuplicateRows { get; internal set; }

    /// <summary>Allegations imported against an unidentified officer of their complaint.</summary>
    public long UnidentifiedOfficer { get; internal set; }

    /// <summary>Whether every row read is accounted for: imported, merged, duplicate or rejected.</summary>
    public bool Reconciles => RowsRead == RowsImported + RowsMerged + DuplicateRows + RowsRejected;
    public long Bytes { get; internal set; }

    /// <summary>How long reading and converting the file's rows took.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Rows whose quoting was broken (a stray quote, text after a closing quote), read as CsvHelper repairs them.</summary>
    public long QuotingRepaired { get; internal set; }
}

/// <summary>What an import did: per file and per entity counts, the first row errors, unmapped values and fatal problems.</summary>
public sealed class ImportReport
{
    public required string Profile { get; init; }
    public required string Source { get; init; }

    /// <summary>Problems that stopped the whole import (missing file or column, wrong delimiter, undecodable bytes).</summary>
    public List<string> Failures { get; } = [];

    /// <summary>A file, record or cell is over a limit (<see cref="ExportLimits"/>): the export is invalid as delivered.</summary>
    public bool ExportInvalid { get; internal set; }

    /// <summary>True when the import completed; when false, every record given to the sink must be discarded.</summary>
    public bool Succeeded => Failures.Count == 0;

    public List<FileImportStats> Files { get; } = [];

    public Dictionary<EntityKind, long> Imported { get; } = Enum.GetValues<EntityKind>().ToDictionary(e => e, _ => 0L);

    /// <summary>The first row errors, in file order (at most <see cref="ImportOptions.MaxRowErrors"/>); every one is in <see cref="AllRowErrors"/>.</summary>
    public List<RowError> RowErrors { get; } = [];

    public long TotalRowErrors { get; internal set; }

    private readonly RowErrorLog log = new();

    /// <summary>Every row error of the import, in file order (kept compressed in memory, never capped).</summary>
    public IEnumerable<RowError> AllRowErrors => log.Read();

    /// <summary>The rows rejected, by file and reason (the first error of each row), with the first lines.</summary>
    public List<ReasonCount> Rejections { get; } = [];

    /// <summary>The rows merged into records already read, by file and reason.</summary>
    public List<ReasonCount> Merges { get; } = [];

    /// <summary>Notes on rows imported with a caveat (an allegation kept against an unidentified officer), by file and reason.</summary>
    public List<ReasonCount> Notes { get; } = [];

    /// <summary>Complaints whose rows disagree: per complaint field, how many complaints a later row filled (the first had no value) or gave another value.</summary>
    public SortedDictionary<string, (long Filled, long Differs)> ComplaintFields { get; } = new(StringComparer.Ordinal);

    /// <summary>How many complaints had rows that filled or contradicted another row's value.</summary>
    public long ComplaintsWithDisagreeingRows { get; internal set; }

    /// <summary>How many complaints took their status from each rule (column, closedDate, findings, none).</summary>
    public SortedDictionary<string, long> StatusRules { get; } = new(StringComparer.Ordinal);

    /// <summary>Allegations whose discipline finality a case-level rule decided, by outcome.</summary>
    public SortedDictionary<string, long> FinalityRules { get; } = new(StringComparer.Ordinal);

    /// <summary>Within-source officer identity decisions: rows merged across badges, keys found to name two people.</summary>
    public List<OfficerDecision> OfficerDecisions { get; } = [];

    internal void AddRowError(RowError error, int keep)
    {
        TotalRowErrors++;
        log.Add(error);
        if (RowErrors.Count < keep)
        {
            RowErrors.Add(error);
        }
    }

    internal void CountRejection(RowError error) => Count(Rejections, error.File, error.ReasonKey, 1, error.Line);

    internal void CountMerge(string file, string reason) => Count(Merges, file, reason, 1, 0);

    internal void CountNote(string file, string reason, long count, long line) => Count(Notes, file, reason, count, line);

    internal void CountComplaintField(string field, bool filled, bool first)
    {
        var (f, d) = ComplaintFields.GetValueOrDefault(field);
        ComplaintFields[field] = filled ? (f + 1, d) : (f, d + 1);
        if (first)
        {
            ComplaintsWithDisagreeingRows++;
        }
    }

    internal void CountStatus(string rule, long count) => StatusRules[rule] = StatusRules.GetValueOrDefault(rule) + count;

    internal void CountFinality(string rule, long count) => FinalityRules[rule] = FinalityRules.GetValueOrDefault(rule) + count;

    private readonly Dictionary<(string File, string Column, string Raw, string Category), CategoryValue> categoryValues = [];

    /// <summary>
    /// The distinct raw category and subcategory values, each with the canonical category its allegations took (up to
    /// 50,000 distinct): what <see cref="SensitiveTerms.Find"/> reads.
    /// </summary>
    public IEnumerable<CategoryValue> CategoryValues => categoryValues.Values;

    internal CategoryValue? CountCategoryValue(string file, string column, string raw, string category, long line)
    {
        if (!categoryValues.TryGetValue((file, column, raw, category), out var value))
        {
            if (categoryValues.Count >= 50_000)
            {
                return null;
            }

            categoryValues[(file, column, raw, category)] = value = new CategoryValue(file, column, raw, category, line);
        }

        value.Count++;
        return value;
    }

    /// <summary>Complaints made sensitive by a rule of the import (not by a flag column), by rule.</summary>
    public SortedDictionary<string, long> SensitivityRules { get; } = new(StringComparer.Ordinal);

    internal void CountSensitivity(string rule, long count = 1) => SensitivityRules[rule] = SensitivityRules.GetValueOrDefault(rule) + count;

    private readonly Dictionary<(string File, string Reason), ReasonCount> reasons = [];

    private void Count(List<ReasonCount> list, string file, string reason, long count, long line)
    {
        if (!reasons.TryGetValue((file, reason), out var counter))
        {
            reasons[(file, reason)] = counter = new ReasonCount(file, reason);
            list.Add(counter);
        }

        counter.Add(count, line);
    }

    public List<UnmappedValue> Unmapped { get; } = [];

    public TimeSpan Elapsed { get; internal set; }

    public long RowsRead => Files.Sum(f => f.RowsRead);

    public long RowsRejected => Files.Sum(f => f.RowsRejected);
}

/// <summary>How many rows of a file one reason covers, with the first lines where it applies.</summary>
public sealed class ReasonCount(string file, string reason)
{
    private readonly List<long> lines = [];

    public string File { get; } = file;

    public string Reason { get; } = reason;

    public long Count { get; private set; }

    /// <summary>The first lines (up to five).</summary>
    public IReadOnlyList<long> FirstLines => lines;

    internal void Add(long count, long line)
    {
        Count += count;
        if (line > 0 && lines.Count < 5)
        {
            lines.Add(line);
        }
    }

    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Count,10:N0}  {File}: {Reason}") +
        (lines.Count == 0 ? "" : $" (lines {string.Join(", ", lines)}{(Count > lines.Count ? ", ..." : "")})");
}

public sealed record ImportProgress(string File, long Rows, long Bytes, long TotalBytes)
{
    /// <summary>"  file: 100,000 rows, 42%", as the command line prints progress.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"  {File}: {Rows:N0} rows, {(TotalBytes <= 0 ? 0 : 100.0 * Bytes / TotalBytes):0}%");
}

public sealed record ImportOptions
{
    public static ImportOptions Default { get; } = new();

    /// <summary>How many row errors the report keeps (all are counted).</summary>
    public int MaxRowErrors { get; init; } = 1000;

    /// <summary>How often, in rows, progress is reported.</summary>
    public int ProgressEvery { get; init; } = 100_000;

    /// <summary>
    /// Words that make a raw category or subcategory look sensitive: the import keeps such values with the category
    /// they took, for <see cref="SensitiveTerms.Find"/>. Default: the default policy's terms; pass the policy's.
    /// </summary>
    public IReadOnlyList<string> SensitiveTerms { get; init; } = Disclosure.SensitivityRule.DefaultTerms;

    /// <summary>The sizes a file, a record and a cell may have (the source's <c>limits</c>, else the defaults).</summary>
    public ExportLimits Limits { get; init; } = ExportLimits.Default;

    /// <summary>The limits a workbook's parts must keep (a .xlsx is a ZIP archive): the source's <c>archive</c>, else the defaults.</summary>
    public Pipeline.ArchiveLimits Archive { get; init; } = Pipeline.ArchiveLimits.Default;
}

/// <summary>
/// Receives the canonical records of an import as they are read. Records are staged: when the import's report says
/// it failed, the sink discards everything it received (<see cref="Abandon"/> is called).
/// </summary>
public interface IImportSink
{
    void Add(Complaint complaint);

    void Add(Allegation allegation);

    void Add(Officer officer);

    void Add(Complainant complainant);

    /// <summary>The import failed: nothing received may be published.</summary>
    void Abandon();

    /// <summary>
    /// The import read every row: what changes in records already received (complaints completed by later rows or
    /// closed by a rule, officers found to be one). A sink that keeps records applies it; the default ignores it.
    /// </summary>
    void Complete(ImportResolution resolution)
    {
    }
}

/// <summary>Keeps every record in memory: for tests, small exports and the check command's samples.</summary>
public sealed class CanonicalRecordSet : IImportSink
{
    public List<Complaint> Complaints { get; } = [];
    public List<Allegation> Allegations { get; } = [];
    public List<Officer> Officers { get; } = [];
    public List<Complainant> Complainants { get; } = [];

    public void Add(Complaint complaint) => Complaints.Add(complaint);

    public void Add(Allegation allegation) => Allegations.Add(allegation);

    public void Add(Officer officer) => Officers.Add(officer);

    public void Add(Complainant complainant) => Complainants.Add(complainant);

    public void Complete(ImportResolution resolution)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        if (resolution.IsEmpty)
        {
            return;
        }

        for (var i = 0; i < Complaints.Count; i++)
        {
            Complaints[i] = resolution.Apply(Complaints[i]);
        }

        for (var i = 0; i < Allegations.Count; i++)
        {
            Allegations[i] = resolution.Apply(Allegations[i]);
        }
    }

    public void Abandon()
    {
        Complaints.Clear();
        Allegations.Clear();
        Officers.Clear();
        Complainants.Clear();
    }
}

/// <summary>Counts records without keeping them: for the check command and benchmarks.</summary>
public sealed class CountingSink : IImportSink
{
    public long Complaints { get; private set; }
    public long Allegations { get; private set; }
    public long Officers { get; private set; }
    public long Complainants { get; private set; }

    public void Add(Complaint complaint) => Complaints++;

    public void Add(Allegation allegation) => Allegations++;

    public void Add(Officer officer) => Officers++;

    public void Add(Complainant complainant) => Complainants++;

    public void Abandon() => Complaints = Allegations = Officers = Complainants = 0;
}

/// <summary>The files of one export: a folder here, a blob prefix in Azure.</summary>
public interface IExportFiles
{
    /// <summary>A name for messages, e.g. the folder path.</summary>
    string Location { get; }

    IReadOnlyList<string> Names { get; }

    long Length(string name);

    Stream Open(string name);
}

/// <summary>The files of an export folder (not recursive).</summary>
public sealed class DirectoryExportFiles : IExportFiles
{
    private readonly string directory;

    public DirectoryExportFiles(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"export folder not found: {directory}");
        }

        this.directory = directory;
        Names = Directory.EnumerateFiles(directory).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
    }

    public string Location => directory;

    public IReadOnlyList<string> Names { get; }

    public long Length(string name) => new FileInfo(System.IO.Path.Combine(directory, name)).Length;

    public Stream Open(string name) =>
        new FileStream(System.IO.Path.Combine(directory, name), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
}

/// <summary>A raw category (or subcategory) value of a column and the canonical category its allegations took.</summary>
public sealed class CategoryValue(string file, string column, string raw, string category, long firstLine)
{
    public string File { get; } = file;
    public string Column { get; } = column;
    public string Raw { get; } = raw;
    public string Category { get; } = category;
    public long FirstLine { get; } = firstLine;
    public long Count { get; internal set; }
}
