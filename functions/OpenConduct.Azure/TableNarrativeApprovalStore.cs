using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using OpenConduct.Core.Review;

namespace OpenConduct.Azure;

/// <summary>
/// The reviewers' narrative approvals in Table Storage: partition = source, one row per case (the row key a hash of
/// the case number, which may hold characters a row key cannot), the approval as JSON (ranges and hashes, never text).
/// </summary>
public sealed class TableNarrativeApprovalStore(TableClient table) : INarrativeApprovalStore
{
    private const string ApprovalProperty = "Approval";

    public async Task<NarrativeApprovals> LoadAsync(string source, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        var approvals = new List<NarrativeApproval>();
        try
        {
            await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == source, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                if (entity.GetString(ApprovalProperty) is { } json && JsonSerializer.Deserialize<NarrativeApproval>(json, NarrativeReviewRules.JsonOptions) is { } approval)
                {
                    approvals.Add(approval);
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No table yet: no approvals.
        }

        return new NarrativeApprovals(approvals);
    }

    public async Task SaveAsync(NarrativeApproval approval, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var entity = new TableEntity(approval.Source, RowKey(approval.CaseNumber))
        {
            [ApprovalProperty] = JsonSerializer.Serialize(approval, NarrativeReviewRules.JsonOptions),
        };
        await table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
    }

    private static string RowKey(string caseNumber) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(caseNumber)))[..40];
}
