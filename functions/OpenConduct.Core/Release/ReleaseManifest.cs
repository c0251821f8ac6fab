using System.Text.Json;
using System.Text.Json.Serialization;
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
/// without a manifest is incomplete. Lists every artefact with its size and SHA-256.
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

    /// <summary>The manifest of a built release: its input's identity and counts, and the artefacts it wrote.</summary>
    public static ReleaseManifest Create(ReleaseInput input, IReadOnlyList<ArtefactInfo> artefacts, ReleaseExport? export = null)
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
            artefacts,
            export);
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
