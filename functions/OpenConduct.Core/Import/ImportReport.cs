using OpenConduct.Core.Model;

namespace OpenConduct.Core.Import;

/// <summary>A row that was not imported: where it is and why. Never carries the cell's value (it may be personal data).</summary>
public sealed record RowError(string File, long Line, int? Column, string? ColumnName, string Reason)
{
    public override string ToString() =>
        Column is null ? $"{File}:{Line}: {Reason}" : $"{File}:{Line}:{Column}: column '{ColumnName}': {Reason}";
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
    public string Encoding { get; init; } = "utf-8";
    public char Delimiter { get; set; }
    public IReadOnlyList<string> Columns { get; set; } = [];
    public long RowsRead { get; internal set; }
    public long RowsImported { get; internal set; }
    public long RowsRejected { get; internal set; }
    public long DuplicateRows { get; internal set; }
    public long Bytes { get; internal set; }

    /// <summary>How long reading and converting the file's rows took.</summary>
    public TimeSpan Elapsed { get; internal set; }

    /// <summary>Rows whose quoting was broken (a stray quote, text after a closing quote), read as CsvHelper repairs them.</summary>
    public long QuotingRepaired { get; private set; }

    /// <summary>The line of a quoted value that is never closed, if any (the rest of the file is unreadable).</summary>
    internal long? UnterminatedQuoteLine { get; private set; }

    /// <summary>Counts what the reader reports as malformed; keeps no row content (it may be personal data).</summary>
    internal void OnMalformed(CsvHelper.CsvMalformedRecord record)
    {
        if (record.Reason == CsvHelper.CsvMalformedReason.UnterminatedQuote)
        {
            UnterminatedQuoteLine ??= record.LineNumber;
        }
        else if (record.Reason is CsvHelper.CsvMalformedReason.StrayQuote or CsvHelper.CsvMalformedReason.TextAfterClosingQuote)
        {
            QuotingRepaired++;
        }
    }
}

/// <summary>What an import did: per file and per entity counts, the first row errors, unmapped values and fatal problems.</summary>
public sealed class ImportReport
{
    public required string Profile { get; init; }
    public required string Source { get; init; }

    /// <summary>Problems that stopped the whole import (missing file or column, wrong delimiter, undecodable bytes).</summary>
    public List<string> Failures { get; } = [];

    /// <summary>True when the import completed; when false, every record given to the sink must be discarded.</summary>
    public bool Succeeded => Failures.Count == 0;

    public List<FileImportStats> Files { get; } = [];

    public Dictionary<EntityKind, long> Imported { get; } = Enum.GetValues<EntityKind>().ToDictionary(e => e, _ => 0L);

    /// <summary>The first row errors, in file order (at most <see cref="ImportOptions.MaxRowErrors"/>).</summary>
    public List<RowError> RowErrors { get; } = [];

    public long TotalRowErrors { get; internal set; }

    public List<UnmappedValue> Unmapped { get; } = [];

    public TimeSpan Elapsed { get; internal set; }

    public long RowsRead => Files.Sum(f => f.RowsRead);

    public long RowsRejected => Files.Sum(f => f.RowsRejected);
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
