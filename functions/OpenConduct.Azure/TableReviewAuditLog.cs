using System.Globalization;
using Azure;
using Azure.Data.Tables;
using OpenConduct.Core.Review;

namespace OpenConduct.Azure;

/// <summary>
/// The review's audit log in Table Storage: one partition per month (<c>yyyyMM</c>), row keys that sort newest first
/// (inverted ticks and a random suffix), append-only (an existing row is never replaced).
/// </summary>
public sealed class TableReviewAuditLog(TableClient table, TimeProvider? time = null) : IReviewAuditLog
{
    private readonly TimeProvider time = time ?? TimeProvider.System;

    public async Task WriteAsync(ReviewAuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var at = entry.At.ToUniversalTime();
        var row = new TableEntity(Partition(at), (DateTimeOffset.MaxValue.Ticks - at.Ticks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8])
        {
            ["At"] = at,
            ["Reviewer"] = entry.Reviewer,
            ["Action"] = entry.Action,
            ["Target"] = entry.Target,
            ["BeforeSha256"] = entry.BeforeSha256,
            ["AfterSha256"] = entry.AfterSha256,
            ["Detail"] = entry.Detail,
        };
        await table.AddEntityAsync(row, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ReviewAuditEntry>> ReadAsync(int max = 100, CancellationToken cancellationToken = default)
    {
        var entries = new List<ReviewAuditEntry>();
        var month = time.GetUtcNow();
        // The newest months first: this month and the eleven before it.
        for (var i = 0; i < 12 && entries.Count < max; i++, month = month.AddMonths(-1))
        {
            try
            {
                var partition = Partition(month);
                await foreach (var e in table.QueryAsync<TableEntity>(x => x.PartitionKey == partition, maxPerPage: max, cancellationToken: cancellationToken).ConfigureAwait(false))
                {
                    entries.Add(new ReviewAuditEntry(
                        e.GetDateTimeOffset("At") ?? default, e.GetString("Reviewer") ?? "", e.GetString("Action") ?? "", e.GetString("Target") ?? "",
                        e.GetString("BeforeSha256"), e.GetString("AfterSha256"), e.GetString("Detail")));
                    if (entries.Count >= max)
                    {
                        break;
                    }
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                break;
            }
        }

        return entries;
    }

    private static string Partition(DateTimeOffset at) => at.UtcDateTime.ToString("yyyyMM", CultureInfo.InvariantCulture);
}
