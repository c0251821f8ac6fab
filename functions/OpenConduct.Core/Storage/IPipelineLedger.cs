namespace OpenConduct.Core.Storage;

/// <summary>What the pipeline remembers of a source between pulls (the <c>Sources</c> table in Azure).</summary>
public sealed record SourceState
{
    public required string Source { get; init; }

    /// <summary>The cadence the source was last pulled with, in days (from the sources file; none for a drop).</summary>
    public double? CadenceDays { get; init; }

    public string? ETag { get; init; }
    public DateTimeOffset? LastModified { get; init; }
    public string? LastHash { get; init; }
    public DateTimeOffset? LastPull { get; init; }
    public DateTimeOffset? LastSuccess { get; init; }
    public string? LastError { get; init; }
    public string? LastRunId { get; init; }
    public string? LastReleaseId { get; init; }
}

/// <summary>How a run ended.</summary>
public enum RunOutcome
{
    Running,

    /// <summary>The export was pulled and is waiting to be processed.</summary>
    Pulled,

    /// <summary>The export had not changed (conditional GET or same hash): nothing was processed.</summary>
    NoOp,

    /// <summary>A new release was published.</summary>
    Published,

    /// <summary>The attempt failed; the run will be retried.</summary>
    Failed,

    /// <summary>Every attempt failed: the export was moved to quarantine with its error report.</summary>
    Quarantined,
}

/// <summary>One run of the pipeline for a source (the <c>Runs</c> table in Azure).</summary>
public sealed record RunRecord
{
    public required string Source { get; init; }
    public required string RunId { get; init; }

    /// <summary>What started it: timer, http, cli, drop.</summary>
    public required string Trigger { get; init; }

    public DateTimeOffset Started { get; init; }
    public DateTimeOffset? Finished { get; init; }
    public RunOutcome Outcome { get; init; }
    public int Attempts { get; init; }

    /// <summary>The raw export's folder in <c>exports-raw</c>.</summary>
    public string? RawPrefix { get; init; }

    public string? ExportHash { get; init; }
    public long Bytes { get; init; }

    /// <summary>How many requests the pull took (pages and retries); for a drop, the files read.</summary>
    public int Requests { get; init; }
    public long RowsRead { get; init; }
    public long RowsRejected { get; init; }
    public long Complaints { get; init; }
    public long Allegations { get; init; }
    public long Officers { get; init; }
    public string? ReleaseId { get; init; }
    public string? Error { get; init; }
}

/// <summary>The run ledger: source state and runs (Azure Tables in Azure).</summary>
public interface IPipelineLedger
{
    Task<SourceState?> GetSourceAsync(string source, CancellationToken cancellationToken = default);

    Task SaveSourceAsync(SourceState state, CancellationToken cancellationToken = default);

    Task<RunRecord?> GetRunAsync(string source, string runId, CancellationToken cancellationToken = default);

    Task SaveRunAsync(RunRecord run, CancellationToken cancellationToken = default);

    /// <summary>The source's runs, newest first.</summary>
    Task<IReadOnlyList<RunRecord>> ListRunsAsync(string source, int max = 50, CancellationToken cancellationToken = default);
}

public static class PipelineLedgerExtensions
{
    /// <summary>The source's state, or a fresh one before its first run.</summary>
    public static async Task<SourceState> GetSourceOrNewAsync(this IPipelineLedger ledger, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        return await ledger.GetSourceAsync(source, cancellationToken).ConfigureAwait(false) ?? new SourceState { Source = source };
    }

    /// <summary>Reads the source's state, changes it and saves it.</summary>
    public static async Task UpdateSourceAsync(this IPipelineLedger ledger, string source, Func<SourceState, SourceState> update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(update);
        var state = await ledger.GetSourceOrNewAsync(source, cancellationToken).ConfigureAwait(false);
        await ledger.SaveSourceAsync(update(state), cancellationToken).ConfigureAwait(false);
    }
}
