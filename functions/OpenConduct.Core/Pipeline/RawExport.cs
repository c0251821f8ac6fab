using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenConduct.Core.Release;
using OpenConduct.Core.Sources;

namespace OpenConduct.Core.Pipeline;

/// <summary>
/// The manifest of a raw export, written last into its folder (<c>exports-raw/{source}/{yyyy-MM-dd}/{runId}/_manifest.json</c>):
/// processing starts from it, so a half-uploaded export is never processed.
/// </summary>
public sealed record RawExportManifest
{
    public required string Source { get; init; }
    public required string RunId { get; init; }
    public required DateTimeOffset PulledAt { get; init; }
    public string? Url { get; init; }
    public string? ETag { get; init; }
    public DateTimeOffset? LastModified { get; init; }

    /// <summary>The export's identity: SHA-256 over the names and SHA-256 of its files (see <see cref="RawExport.Hash(IEnumerable{ReleaseExportFile})"/>).</summary>
    public required string ExportHash { get; init; }

    public required IReadOnlyList<ReleaseExportFile> Files { get; init; }
}

/// <summary>Paths and helpers of the raw layout.</summary>
public static class RawExport
{
    public const string ManifestName = "_manifest.json";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary><c>{source}/{yyyy-MM-dd}/{runId}/</c></summary>
    public static string Prefix(string source, DateTimeOffset pulledAt, string runId) =>
        string.Create(CultureInfo.InvariantCulture, $"{source}/{pulledAt.UtcDateTime:yyyy-MM-dd}/{runId}/");

    /// <summary>A new run id: the UTC time, sortable, and a random suffix (two runs in one second stay distinct).</summary>
    public static string NewRunId(DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}");

    /// <summary>
    /// The hash of an export: SHA-256 over "name sha256\n" of its files in ordinal name order. The same files give
    /// the same hash whatever the order they were fetched in.
    /// </summary>
    public static string Hash(IEnumerable<ReleaseExportFile> files) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Concat(
            files.OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => $"{f.Name} {f.Sha256}\n")))));

    public static string Hash(IEnumerable<StagedFile> files) => Hash(files.Select(f => new ReleaseExportFile(f.Name, f.Bytes, f.Sha256)));

    /// <summary>The SHA-256 of a local file, lower-case hex.</summary>
    public static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    public static byte[] Serialize(RawExportManifest manifest) => JsonSerializer.SerializeToUtf8Bytes(manifest, Json);

    public static async Task<RawExportManifest> ReadManifestAsync(Stream stream, string location, CancellationToken cancellationToken) =>
        await JsonSerializer.DeserializeAsync<RawExportManifest>(stream, Json, cancellationToken).ConfigureAwait(false)
        ?? throw new InvalidDataException($"{location}: the raw export manifest is empty");
}
