using System.Text.Json;
using System.Text.Json.Serialization;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Release;

/// <summary>How many records a release publishes.</summary>
public sealed record ReleaseCounts(long Complaints, long Allegations, long Officers, long Complainants);

/// <summary>One file of the raw export a release was built from.</summary>
public sealed record ReleaseExportFile(string Name, long Bytes, string Sha256);

/// <summary>The raw export a release was built from.</summary>
public sealed record ReleaseExport(IReadOnlyList<ReleaseExportFile> Files)
{
    /// <summary>The export's identity (SHA-256 over its files' names and hashes), when known.</summary>
    public string? Hash { get; init; }
}

/// <summary>
/// The manifest of a release (<c>manifest.json</c>), written by the pipeline after every other artefact: a release
/// without a manifest is incomplete. Lists every public artefact with its size and SHA-256 (<see cref="Artefacts"/>:
/// the API serves exactly these), and the internal ones apart (<see cref="Internal"/>).
/// </summary>
public sealed record ReleaseManifest(
    int FormatVersion,
    string Source,
    string ReleaseId,
    DateTimeOffset PublishedAt,
    string? PreviousReleaseId,
    string Policy,
    string Profile,
    ReleaseCounts Counts,
    IReadOnlyList<ArtefactInfo> Artefacts,
    ReleaseExport? Export = null)
{
    /// <summary>The manifest format this code writes.</summary>
    public const int CurrentFormatVersion = 1;

    /// <summary>
    /// The release's internal artefacts (under <see cref="ReleasePaths.InternalFolder"/>, e.g. the dashboard facts):
    /// private files for the service's own use, recorded with their size and SHA-256 so that a reader can check them,
    /// and never among <see cref="Artefacts"/>, so never served or listed as open data. Null in manifests written
    /// before internal artefacts existed.
    /// </summary>
    public IReadOnlyList<ArtefactInfo>? Internal { get; init; }

    /// <summary>
    /// The policy's <c>identity</c> settings when they differ from the default (a candidate rule that merges
    /// automatically), so that the officer index step, which reads releases rather than policies, applies them
    /// (docs/officers.md#candidate-rules). Null when the policy lists none, and in manifests written before.
    /// </summary>
    public IdentityPolicy? Identity { get; init; }

    /// <summary>As a record's equality, with <see cref="Internal"/> compared by its entries (a manifest read back equals the one written).</summary>
    public bool Equals(ReleaseManifest? other) =>
        other is not null
        && FormatVersion == other.FormatVersion
        && Source == other.Source
        && ReleaseId == other.ReleaseId
        && PublishedAt.Equals(other.PublishedAt)
        && PreviousReleaseId == other.PreviousReleaseId
        && Policy == other.Policy
        && Profile == other.Profile
        && Equals(Counts, other.Counts)
        && Equals(Artefacts, other.Artefacts)
        && Equals(Export, other.Export)
        && (Internal ?? []).SequenceEqual(other.Internal ?? [])
        && (Identity?.AutoMerge ?? []).SequenceEqual(other.Identity?.AutoMerge ?? [], StringComparer.Ordinal);

    public override int GetHashCode() => HashCode.Combine(FormatVersion, Source, ReleaseId, PublishedAt, Counts, Internal?.Count ?? 0);

    /// <summary>
    /// The manifest of a built release: its input's identity and counts, and the artefacts it wrote. When
    /// <paramref name="artefacts"/> is a build's <see cref="ReleaseContents.Artefacts"/>, the internal artefacts the
    /// build wrote travel with it and are recorded under <see cref="Internal"/>.
    /// </summary>
    public static ReleaseManifest Create(ReleaseInput input, IReadOnlyList<ArtefactInfo> artefacts, ReleaseExport? export = null) =>
        Create(input, artefacts, (artefacts as ReleaseArtefactList)?.Internal, export);

    /// <summary>The manifest of a built release, with its public and internal artefacts.</summary>
    public static ReleaseManifest Create(ReleaseInput input, ReleaseContents contents, ReleaseExport? export = null)
    {
        ArgumentNullException.ThrowIfNull(contents);
        return Create(input, contents.Artefacts, contents.Internal, export);
    }

    private static ReleaseManifest Create(ReleaseInput input, IReadOnlyList<ArtefactInfo> artefacts, IReadOnlyList<ArtefactInfo>? internalArtefacts, ReleaseExport? export)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(artefacts);
        var cases = input.Records.Cases;
        return new ReleaseManifest(
            CurrentFormatVersion,
            input.Source,
            input.ReleaseId,
            input.PublishedAt,
            input.PreviousReleaseId,
            input.Policy.Name,
            input.Import.Profile,
            new ReleaseCounts(cases.Count, cases.Sum(c => (long)c.Allegations.Count), input.Records.Officers.Count, cases.Sum(c => (long)c.Complainants.Count)),
            [.. artefacts],
            export)
        {
            Internal = internalArtefacts is { Count: > 0 } ? [.. internalArtefacts] : null,
            Identity = input.Policy.Identity.AutoMerge.Count > 0 ? new IdentityPolicy { AutoMerge = [.. input.Policy.Identity.AutoMerge] } : null,
        };
    }
}

/// <summary>Writes and reads <c>manifest.json</c>.</summary>
public static class ReleaseManifestIo
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NewLine = "\n",
    };

    public static Task<ArtefactInfo> WriteAsync(IArtefactStore store, ReleaseManifest manifest, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(manifest);
        return store.WriteAsync(ReleasePaths.Manifest, ReleaseJson.ContentType, async (stream, token) =>
        {
            await JsonSerializer.SerializeAsync(stream, manifest, Json, token).ConfigureAwait(false);
            await stream.WriteAsync("\n"u8.ToArray(), token).ConfigureAwait(false);
        }, ct);
    }

    /// <summary>The release's manifest, or null when it has none (the release is incomplete or does not exist).</summary>
    public static async Task<ReleaseManifest?> ReadAsync(IArtefactStore store, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var stream = await store.OpenReadAsync(ReleasePaths.Manifest, ct).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<ReleaseManifest>(stream, Json, ct).ConfigureAwait(false);
        }
    }
}
