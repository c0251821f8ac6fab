using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Pipeline;

/// <summary>What the officer index step did.</summary>
public sealed record OfficerIndexReport(string Generation, bool AlreadyLive, int Officers, IReadOnlyList<string> Releases, IdentityReport? Identity);

/// <summary>
/// After a source's release goes live: reads the live release of every source, resolves officers across them
/// (identity rules, the candidate rules each release's policy merges, and the city's overrides), builds one document per officer, writes the identity report and the
/// documents beside the releases (<c>_officers/{generation}/identity.json</c>, <c>officers.jsonl.gz</c>), publishes
/// them to the officer index as a new generation and moves <c>_officers/latest.json</c>. The generation is derived
/// from the live release ids and the overrides, so re-running it is a no-op.
/// </summary>
public sealed class OfficerIndexStep(IReleaseStore releases, IOfficerIndex index, IdentityOverrides? overrides = null, string? overridesHash = null, IPipelineFaults? faults = null)
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
        var identity = string.Join('\n', live.Select(r => r.ToString())) + "\n" + (overridesHash ?? "no overrides");
        var generation = "g" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..12];
        if (await index.GetGenerationAsync(cancellationToken).ConfigureAwait(false) == generation
            && await releases.GetLatestAsync(Folder, cancellationToken).ConfigureAwait(false) == generation)
        {
            progress?.Report($"officers: generation {generation} is already live");
            return new OfficerIndexReport(generation, true, 0, Names(live), null);
        }

        progress?.Report($"officers: reading {live.Count} live release(s): {string.Join(", ", live)}");
        var records = await PublishedRecords.ReadAsync(releases, live, cancellationToken).ConfigureAwait(false);
        var resolution = OfficerIdentityResolver.Resolve(records, overrides);
        var documents = OfficerDocumentBuilder.Build(records, resolution).ToList();
        progress?.Report(string.Create(CultureInfo.InvariantCulture,
            $"officers: {documents.Count:N0} officers from {resolution.Report.Counts.Officers:N0} per-source records ({resolution.Report.Counts.MergedGroups:N0} merged across sources, {resolution.Report.Counts.Ambiguities:N0} ambiguous and {resolution.Report.Counts.Undecided:N0} undecided candidates in identity.json)"));

        var store = releases.Open(Folder, generation);
        await IdentityReportIo.WriteReportAsync(store, resolution.Report, cancellationToken).ConfigureAwait(false);
        await IdentityReportIo.WriteDocumentsAsync(store, documents, cancellationToken).ConfigureAwait(false);
        faults?.After(ArtefactsWritten);

        await index.PublishAsync(generation, documents, progress, cancellationToken).ConfigureAwait(false);
        faults?.After(IndexPublished);
        await releases.SetLatestAsync(Folder, generation, cancellationToken).ConfigureAwait(false);
        progress?.Report($"officers: generation {generation} is live ({documents.Count:N0} officers)");
        return new OfficerIndexReport(generation, false, documents.Count, Names(live), resolution.Report);
    }

    private static List<string> Names(IReadOnlyList<LiveRelease> live) => [.. live.Select(r => r.ToString())];
}
