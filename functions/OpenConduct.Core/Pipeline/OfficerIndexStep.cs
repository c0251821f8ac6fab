using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Review;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Pipeline;

/// <summary>What the officer index step did.</summary>
public sealed record OfficerIndexReport(string Generation, bool AlreadyLive, int Officers, IReadOnlyList<string> Releases, IdentityReport? Identity);

/// <summary>
/// After a source's release goes live: reads the live release of every source, resolves officers across them
/// (identity rules, the candidate rules each release's policy merges, the city's overrides file, then the reviewers'
/// stored decisions that the file does not contradict: <see cref="ReviewedIdentityOverrides"/>), builds one document per officer, writes the identity report and the
/// documents beside the releases (<c>_officers/{generation}/identity.json</c>, <c>officers.jsonl.gz</c>), publishes
/// them to the officer index as a new generation and moves <c>_officers/latest.json</c>. The generation is derived
/// from the live release ids, the overrides file's hash and the stored decisions' hash, so re-running it without a
/// change is a no-op and a reviewer's decision makes the next run publish a new generation.
/// </summary>
/// <param name="releases">The release store (the sources' live releases, and the officer index folder).</param>
/// <param name="index">The officer index the documents are published to.</param>
/// <param name="overrides">The city's overrides file (none: <see cref="IdentityOverrides.Empty"/>).</param>
/// <param name="overridesHash">The SHA-256 of the overrides file (<see cref="LoadOverrides"/>), null when there is none.</param>
/// <param name="faults">Fault injection (tests).</param>
/// <param name="review">The reviewers' stored identity decisions, applied after the file; null when the host has no review storage.</param>
public sealed class OfficerIndexStep(IReleaseStore releases, IOfficerIndex index, IdentityOverrides? overrides = null, string? overridesHash = null, IPipelineFaults? faults = null, IdentityReviewStore? review = null)
{
    /// <summary>The pseudo-source under which the cross-source officer artefacts live in the release store.</summary>
    public const string Folder = "_officers";

    public const string ArtefactsWritten = "officers-written";
    public const string IndexPublished = "index-published";

    /// <summary>Loads an overrides file (or none) with the SHA-256 of its bytes, for the generation id.</summary>
    public static (IdentityOverrides Overrides, string? Hash) LoadOverrides(string? path) =>
        path is null || !File.Exists(path)
            ? (IdentityOverrides.Empty, null)
            : (IdentityOverrides.Load(path), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path))));

    public async Task<OfficerIndexReport> RunAsync(IEnumerable<string> sources, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var live = await releases.GetLiveAsync(sources.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal), cancellationToken).ConfigureAwait(false);
        var reviewed = review is null ? null : await review.LoadAsync(cancellationToken).ConfigureAwait(false);
        var identity = string.Join('\n', live.Select(r => r.ToString())) + "\n" + (overridesHash ?? "no overrides")
                       + (reviewed?.Sha256 is { } reviewedHash ? "\nreview " + reviewedHash : "");
        var generation = "g" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..12];
        if (await index.GetGenerationAsync(cancellationToken).ConfigureAwait(false) == generation
            && await releases.GetLatestAsync(Folder, cancellationToken).ConfigureAwait(false) == generation)
        {
            progress?.Report($"officers: generation {generation} is already live");
            return new OfficerIndexReport(generation, true, 0, Names(live), null);
        }

        progress?.Report($"officers: reading {live.Count} live release(s): {string.Join(", ", live)}");
        var records = await PublishedRecords.ReadAsync(releases, live, cancellationToken).ConfigureAwait(false);
        var combined = ReviewedIdentityOverrides.Combine(overrides ?? IdentityOverrides.Empty, reviewed?.Overrides ?? IdentityOverrides.Empty);
        var resolution = OfficerIdentityResolver.Resolve(records, combined.Overrides);
        var report = resolution.Report;
        if (combined.NotApplied.Count > 0)
        {
            // Reported, never applied: the file comes first.
            report = report with { Decisions = [.. report.Decisions, .. combined.NotApplied] };
            progress?.Report(string.Create(CultureInfo.InvariantCulture,
                $"officers: {combined.NotApplied.Count} reviewer decision(s) of version {reviewed!.Version} not applied: the overrides file contradicts them (identity.json decisions)"));
        }

        var documents = OfficerDocumentBuilder.Build(records, resolution).ToList();
        progress?.Report(string.Create(CultureInfo.InvariantCulture,
            $"officers: {documents.Count:N0} officers from {resolution.Report.Counts.Officers:N0} per-source records ({resolution.Report.Counts.MergedGroups:N0} merged across sources, {resolution.Report.Counts.Ambiguities:N0} ambiguous and {resolution.Report.Counts.Undecided:N0} undecided candidates in identity.json)"));

        var store = releases.Open(Folder, generation);
        await IdentityReportIo.WriteReportAsync(store, report, cancellationToken).ConfigureAwait(false);
        await IdentityReportIo.WriteDocumentsAsync(store, documents, cancellationToken).ConfigureAwait(false);
        faults?.After(ArtefactsWritten);

        await index.PublishAsync(generation, documents, progress, cancellationToken).ConfigureAwait(false);
        faults?.After(IndexPublished);
        await releases.SetLatestAsync(Folder, generation, cancellationToken).ConfigureAwait(false);
        progress?.Report($"officers: generation {generation} is live ({documents.Count:N0} officers)");
        return new OfficerIndexReport(generation, false, documents.Count, Names(live), report);
    }

    private static List<string> Names(IReadOnlyList<LiveRelease> live) => [.. live.Select(r => r.ToString())];
}
