using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Pipeline;

public enum PublishOutcome
{
    /// <summary>A new release was written and <c>latest</c> moved to it.</summary>
    Published,

    /// <summary>This export, profile and policy were already published (a re-run after the release was complete).</summary>
    AlreadyPublished,

    /// <summary>The export cannot be imported (a missing file or column, undecodable bytes...): nothing was written.</summary>
    ImportFailed,

    /// <summary>
    /// The live release was built from an export pulled later than this one (an old export processed late, e.g. a
    /// retry): nothing was written, and <c>latest</c> never moves back in time.
    /// </summary>
    Superseded,
}

public sealed record PublishReport(
    PublishOutcome Outcome,
    string ReleaseId,
    string? PreviousReleaseId,
    ImportReport? Import,
    RedactionReport? Redaction,
    ReleaseContents? Contents,
    ReleaseManifest? Manifest);

/// <summary>
/// Import -> redact -> build -> manifest -> latest: turns the files of one export into a published release. The
/// release id is derived from the export's hash and the profile's and policy's, so re-running after a crash at any
/// step rewrites the same artefacts under the same id (no duplicates), and <c>latest</c> moves only once the
/// manifest, written after every artefact, is there.
/// </summary>
/// <remarks>
/// Under a policy that requires narrative review (<see cref="ScrubbingRule.Review"/>), the reviewers' approvals are
/// read from <paramref name="review"/> before the release id is computed (their hash is part of it, so new approvals
/// give a new release of the same export), and the narratives still pending are written to the review's private
/// queue before the release goes live. Without review storage (a release folder, <c>ingest --out</c>) no approval
/// applies: every narrative stays pending.
/// </remarks>
public sealed class ReleasePublisher(IReleaseStore releases, PublisherOptions publisher, Func<string, string?> settings, IPipelineFaults? faults = null, ImportOptions? importOptions = null, Review.NarrativeReviewStorage? review = null)
{
    /// <summary>Bumped when the artefacts' format changes, so that the same export gives a new release id.</summary>
    public const string FormatVersion = "2";

    /// <summary><c>{yyyyMMdd}-{12 hex}</c>: the pull date and a hash of the export, the profile, the policy and the format.</summary>
    /// <remarks><paramref name="approvalsHash"/>: the hash of the narrative approvals applied, when the policy requires review.</remarks>
    public static string ReleaseIdFor(DateTimeOffset pulledAt, string exportHash, SourceConfiguration configuration, string? approvalsHash = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var identity = string.Join('\n', FormatVersion, configuration.SourceId, exportHash, configuration.ProfileHash, configuration.PolicyHash);
        if (approvalsHash is not null)
        {
            identity += "\nreview:" + approvalsHash;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..12];
        return string.Create(CultureInfo.InvariantCulture, $"{pulledAt.UtcDateTime:yyyyMMdd}-{hash}");
    }

    public async Task<PublishReport> PublishAsync(
        SourceConfiguration configuration,
        IExportFiles files,
        string exportHash,
        DateTimeOffset pulledAt,
        IReadOnlyList<ReleaseExportFile> exportFiles,
        IProgress<string>? progress = null,
        IProgress<ImportProgress>? importProgress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(files);
        var source = configuration.SourceId;
        var reviewRequired = configuration.Policy.Scrubbing.Review == NarrativeReview.Required;
        var approvals = reviewRequired && review is not null
            ? await review.Approvals.LoadAsync(source, cancellationToken).ConfigureAwait(false)
            : Review.NarrativeApprovals.Empty;
        var releaseId = ReleaseIdFor(pulledAt, exportHash, configuration, reviewRequired ? approvals.Hash : null);
        var store = releases.Open(source, releaseId);
        var latest = await releases.GetLatestAsync(source, cancellationToken).ConfigureAwait(false);
        if (latest == releaseId)
        {
            progress?.Report($"{source}: release {releaseId} is already live");
            return new PublishReport(PublishOutcome.AlreadyPublished, releaseId, null, null, null, null, await ReleaseManifestIo.ReadAsync(store, cancellationToken).ConfigureAwait(false));
        }

        // A crash after the manifest but before the pointer moved: every artefact is there; move the pointer.
        if (await ReleaseManifestIo.ReadAsync(store, cancellationToken).ConfigureAwait(false) is { } complete)
        {
            progress?.Report($"{source}: release {releaseId} is complete; making it live");
            await releases.SetLatestAsync(source, releaseId, cancellationToken).ConfigureAwait(false);
            faults?.After(PipelineSteps.Latest);
            return new PublishReport(PublishOutcome.Published, releaseId, complete.PreviousReleaseId, null, null, null, complete);
        }

        if (latest is not null
            && await ReleaseManifestIo.ReadAsync(releases.Open(source, latest), cancellationToken).ConfigureAwait(false) is { } live
            && live.PublishedAt > pulledAt)
        {
            progress?.Report($"{source}: the live release {latest} comes from a later export ({live.PublishedAt:u}); this one ({pulledAt:u}) is not published");
            return new PublishReport(PublishOutcome.Superseded, releaseId, latest, null, null, null, null);
        }

        progress?.Report($"{source}: importing {files.Location} with profile '{configuration.Profile.Name}'");
        var records = new CanonicalRecordSet();
        var import = new ExportImporter(importOptions).Import(configuration.Profile, files, records, importProgress, cancellationToken);
        if (!import.Succeeded)
        {
            return new PublishReport(PublishOutcome.ImportFailed, releaseId, latest, import, null, null, null);
        }

        faults?.After(PipelineSteps.Imported);
        progress?.Report($"{source}: redacting under policy '{configuration.Policy.Name}'");
        var redactor = new Redactor(configuration.Policy, settings) { Approvals = approvals };
        var redacted = RedactionPipeline.Redact(records, redactor);
        records.Abandon(); // the canonical records are no longer needed; let them go before the release is built
        faults?.After(PipelineSteps.Redacted);

        progress?.Report($"{source}: building release {releaseId}" + (latest is null ? " (the first)" : $" (previous {latest})"));
        var input = new ReleaseInput
        {
            Source = source,
            ReleaseId = releaseId,
            PublishedAt = pulledAt,
            Records = redacted,
            Import = import,
            Policy = configuration.Policy,
            Publisher = publisher,
            PreviousReleaseId = latest,
            Previous = latest is null ? null : releases.Open(source, latest),
        };
        var contents = await ReleaseBuilder.BuildAsync(input, store, path => faults?.After(PipelineSteps.ArtefactPrefix + path), progress, cancellationToken).ConfigureAwait(false);
        if (reviewRequired)
        {
            await WriteReviewQueueAsync(source, releaseId, redactor.Pending, approvals, progress, cancellationToken).ConfigureAwait(false);
        }

        var manifest = ReleaseManifest.Create(input, contents.Artefacts, new ReleaseExport(exportFiles) { Hash = exportHash });
        await ReleaseManifestIo.WriteAsync(store, manifest, cancellationToken).ConfigureAwait(false);
        faults?.After(PipelineSteps.Manifest);
        await releases.SetLatestAsync(source, releaseId, cancellationToken).ConfigureAwait(false);
        faults?.After(PipelineSteps.Latest);
        progress?.Report($"{source}: release {releaseId} is live ({contents.Artefacts.Count} artefacts)");
        return new PublishReport(PublishOutcome.Published, releaseId, latest, import, redacted.Report, contents, manifest);
    }

    /// <summary>The release's queue of narratives waiting for a reviewer, in the review's private container, before the release goes live.</summary>
    private async Task WriteReviewQueueAsync(string source, string releaseId, IReadOnlyList<Review.PendingNarrative> pending, Review.NarrativeApprovals approvals, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (review is null)
        {
            progress?.Report($"{source}: {pending.Count} narratives wait for a reviewer's approval and stay unpublished (no review storage here: publish through the pipeline to review them)");
            return;
        }

        await Review.NarrativeQueue.WriteAsync(review.Queue, source, releaseId, pending, cancellationToken).ConfigureAwait(false);
        faults?.After(PipelineSteps.ReviewQueue);
        progress?.Report($"{source}: {pending.Count} narratives wait for a reviewer's approval ({approvals.Count} approvals applied)");
    }
}
