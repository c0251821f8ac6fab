using System.Globalization;
using Azure.Data.Tables;
using OpenConduct.Core.Storage;

namespace OpenConduct.Azure;

/// <summary>
/// The run ledger in two tables.
/// <list type="bullet">
/// <item><c>Sources</c>: PartitionKey <c>source</c>, RowKey the source id; one entity per source.</item>
/// <item><c>Runs</c>: PartitionKey the source id, RowKey the run id as it is (e.g. <c>20261122T061500Z-ab12</c>).</item>
/// </list>
/// Run ids sort by time, so the newest run has the greatest RowKey. The table returns a partition in ascending
/// RowKey order; rather than invert the key (which would make rows unreadable in Storage Explorer and point reads
/// need the inversion), <see cref="ListRunsAsync"/> reads the source's partition and sorts it descending. A source
/// gains a run per pull (a few dozen a year at a 14-day cadence), so the partition stays small.
/// Every property of <see cref="SourceState"/> and <see cref="RunRecord"/> is a column of the same name, with two
/// exceptions: the key properties (Source, RunId) are the keys, and <see cref="SourceState.ETag"/> is
/// <c>SourceETag</c> (<c>ETag</c> names the entity's own ETag in the Tables SDK). Enums are stored as their names,
/// times as Edm.DateTime (UTC), nulls as absent columns. Error texts are cut to 30,000 characters (a string
/// column holds 64 KiB).
/// </summary>
public sealed class TablePipelineLedger : IPipelineLedger
{
    internal const string SourcePartition = "source";
    internal const int MaxText = 30_000;

    private readonly TableClient sources;
    private readonly TableClient runs;

    public TablePipelineLedger(TableClient sources, TableClient runs)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(runs);
        this.sources = sources;
        this.runs = runs;
    }

    public async Task<SourceState?> GetSourceAsync(string source, CancellationToken cancellationToken = default)
    {
        var response = await sources.GetEntityIfExistsAsync<TableEntity>(SourcePartition, StorePaths.Segment(source), select: null, cancellationToken).ConfigureAwait(false);
        return response.HasValue ? ToSource(response.Value!) : null;
    }

    public async Task SaveSourceAsync(SourceState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        var entity = new TableEntity(SourcePartition, StorePaths.Segment(state.Source));
        if (state.CadenceDays is { } cadence)
        {
            entity["CadenceDays"] = cadence;
        }

        Put(entity, "SourceETag", state.ETag);
        Put(entity, "LastModified", state.LastModified);
        Put(entity, "LastHash", state.LastHash);
        Put(entity, "LastPull", state.LastPull);
        Put(entity, "LastSuccess", state.LastSuccess);
        Put(entity, "LastError", Cut(state.LastError));
        Put(entity, "LastRunId", state.LastRunId);
        Put(entity, "LastReleaseId", state.LastReleaseId);

        // Replace, not merge: a property set to null is removed.
        await sources.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<RunRecord?> GetRunAsync(string source, string runId, CancellationToken cancellationToken = default)
    {
        var response = await runs.GetEntityIfExistsAsync<TableEntity>(StorePaths.Segment(source), StorePaths.Segment(runId), select: null, cancellationToken).ConfigureAwait(false);
        return response.HasValue ? ToRun(response.Value!) : null;
    }

    public async Task SaveRunAsync(RunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(run);
        var entity = new TableEntity(StorePaths.Segment(run.Source), StorePaths.Segment(run.RunId));
        Put(entity, "Trigger", run.Trigger);
        Put(entity, "Started", run.Started);
        Put(entity, "Finished", run.Finished);
        Put(entity, "Outcome", run.Outcome.ToString());
        entity["Attempts"] = run.Attempts;
        Put(entity, "RawPrefix", run.RawPrefix);
        Put(entity, "ExportHash", run.ExportHash);
        entity["Bytes"] = run.Bytes;
        entity["Requests"] = run.Requests;
        entity["RowsRead"] = run.RowsRead;
        entity["RowsRejected"] = run.RowsRejected;
        entity["Complaints"] = run.Complaints;
        entity["Allegations"] = run.Allegations;
        entity["Officers"] = run.Officers;
        Put(entity, "ReleaseId", run.ReleaseId);
        Put(entity, "Error", Cut(run.Error));
        await runs.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<RunRecord>> ListRunsAsync(string source, int max = 50, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {StorePaths.Segment(source)}");
        var all = new List<TableEntity>();
        await foreach (var entity in runs.QueryAsync<TableEntity>(filter, maxPerPage: 1000, select: null, cancellationToken).ConfigureAwait(false))
        {
            all.Add(entity);
        }

        return all.OrderByDescending(e => e.RowKey, StringComparer.Ordinal).Take(max).Select(ToRun).ToList();
    }

    private static SourceState ToSource(TableEntity e) => new()
    {
        Source = e.RowKey,
        ETag = e.GetString("SourceETag"),
        LastModified = e.GetDateTimeOffset("LastModified"),
        LastHash = e.GetString("LastHash"),
        CadenceDays = e.GetDouble("CadenceDays"),
        LastPull = e.GetDateTimeOffset("LastPull"),
        LastSuccess = e.GetDateTimeOffset("LastSuccess"),
        LastError = e.GetString("LastError"),
        LastRunId = e.GetString("LastRunId"),
        LastReleaseId = e.GetString("LastReleaseId"),
    };

    private static RunRecord ToRun(TableEntity e) => new()
    {
        Source = e.PartitionKey,
        RunId = e.RowKey,
        Trigger = e.GetString("Trigger") ?? "",
        Started = e.GetDateTimeOffset("Started") ?? default,
        Finished = e.GetDateTimeOffset("Finished"),
        Outcome = ParseOutcome(e.GetString("Outcome"), e),
        Attempts = e.GetInt32("Attempts") ?? 0,
        RawPrefix = e.GetString("RawPrefix"),
        ExportHash = e.GetString("ExportHash"),
        Bytes = e.GetInt64("Bytes") ?? 0,
        Requests = e.GetInt32("Requests") ?? 0,
        RowsRead = e.GetInt64("RowsRead") ?? 0,
        RowsRejected = e.GetInt64("RowsRejected") ?? 0,
        Complaints = e.GetInt64("Complaints") ?? 0,
        Allegations = e.GetInt64("Allegations") ?? 0,
        Officers = e.GetInt64("Officers") ?? 0,
        ReleaseId = e.GetString("ReleaseId"),
        Error = e.GetString("Error"),
    };

    private static RunOutcome ParseOutcome(string? value, TableEntity e) =>
        value is null ? default
        : Enum.TryParse<RunOutcome>(value, ignoreCase: true, out var outcome) && Enum.IsDefined(outcome) ? outcome
        : throw new InvalidDataException($"run {e.PartitionKey}/{e.RowKey} has an unknown outcome '{value}'");

    private static void Put(TableEntity entity, string name, string? value)
    {
        if (value is not null)
        {
            entity[name] = value;
        }
    }

    /// <summary>Absent when null, and when before 1601 (the Tables minimum; <c>default</c> reads back as <c>default</c>).</summary>
    private static void Put(TableEntity entity, string name, DateTimeOffset? value)
    {
        if (value is { } time && time.UtcDateTime.Year >= 1601)
        {
            entity[name] = time.ToUniversalTime();
        }
    }

    private static string? Cut(string? text)
    {
        if (text is not { Length: > MaxText })
        {
            return text;
        }

        var keep = char.IsHighSurrogate(text[MaxText - 1]) ? MaxText - 1 : MaxText;
        return string.Concat(text.AsSpan(0, keep), string.Create(CultureInfo.InvariantCulture, $"... ({text.Length - keep} more characters)"));
    }
}
