using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using OpenConduct.Core.Storage;

namespace OpenConduct.Azure;

/// <summary>
/// The pipeline's storage in one Azure storage account: the containers (<c>exports-incoming</c>,
/// <c>exports-raw</c>, <c>exports-quarantine</c>), the release store (<c>releases</c>), the run ledger
/// (<c>Sources</c> and <c>Runs</c> tables) and the review's private container and audit table (<c>review</c>,
/// <c>ReviewAudit</c>), named by <see cref="StorageOptions"/>.
/// </summary>
public sealed class OpenConductStorage
{
    public OpenConductStorage(BlobServiceClient blobs, TableServiceClient tables, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        BlobService = blobs;
        TableService = tables;
        Options = options;
        var lease = TimeSpan.FromSeconds(options.LeaseSeconds);
        Containers = new PipelineContainers(
            new BlobContainerStore(blobs.GetBlobContainerClient(options.ContainerName(options.IncomingContainer)), lease),
            new BlobContainerStore(blobs.GetBlobContainerClient(options.ContainerName(options.RawContainer)), lease),
            new BlobContainerStore(blobs.GetBlobContainerClient(options.ContainerName(options.QuarantineContainer)), lease));
        Releases = new BlobReleaseStore(blobs.GetBlobContainerClient(options.ContainerName(options.ReleasesContainer)));
        Review = new BlobContainerStore(blobs.GetBlobContainerClient(options.ContainerName(options.ReviewContainer)), lease);
        ReviewAudit = new TableReviewAuditLog(tables.GetTableClient(options.TableName(options.ReviewAuditTable)));
        NarrativeReview = new Core.Review.NarrativeReviewStorage(
            new TableNarrativeApprovalStore(tables.GetTableClient(options.TableName(options.ReviewApprovalsTable))), Review);
        Ledger = new TablePipelineLedger(
            tables.GetTableClient(options.TableName(options.SourcesTable)),
            tables.GetTableClient(options.TableName(options.RunsTable)));
    }

    public BlobServiceClient BlobService { get; }

    public TableServiceClient TableService { get; }

    public StorageOptions Options { get; }

    public PipelineContainers Containers { get; }

    public IReleaseStore Releases { get; }

    public IPipelineLedger Ledger { get; }

    /// <summary>The review's private container (<see cref="StorageOptions.ReviewContainer"/>): pending narratives and decisions.</summary>
    public IBlobContainer Review { get; }

    /// <summary>The review's audit log table (<see cref="StorageOptions.ReviewAuditTable"/>).</summary>
    public Core.Review.IReviewAuditLog ReviewAudit { get; }

    /// <summary>Narrative review: the approvals (<see cref="StorageOptions.ReviewApprovalsTable"/>) and the queue (the review container).</summary>
    public Core.Review.NarrativeReviewStorage NarrativeReview { get; }

    /// <summary>
    /// Storage from a connection string (the command line, tests): <c>UseDevelopmentStorage=true</c> is Azurite on
    /// 127.0.0.1 (blobs on port 10000, tables on 10002).
    /// </summary>
    public static OpenConductStorage Create(string connectionString, StorageOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return new OpenConductStorage(new BlobServiceClient(connectionString), new TableServiceClient(connectionString), options ?? new StorageOptions());
    }

    /// <summary>
    /// Creates the containers (private) and tables that are missing. In Azure the Bicep template creates them; this is
    /// for Azurite and a first run.
    /// </summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        foreach (var name in Options.ContainerNames)
        {
            await BlobService.GetBlobContainerClient(name).CreateIfNotExistsAsync(PublicAccessType.None, metadata: null, encryptionScopeOptions: null, cancellationToken).ConfigureAwait(false);
        }

        foreach (var name in Options.TableNames)
        {
            await TableService.CreateTableIfNotExistsAsync(name, cancellationToken).ConfigureAwait(false);
        }
    }
}
