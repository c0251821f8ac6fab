using System.IO.Compression;
using System.Text;
using System.Text.Json;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;
using OpenConduct.Core.Tests.Disclosure;

namespace OpenConduct.Core.Tests.Release;

/// <summary>Imports the committed samples, redacts them and builds releases into folders; reads the artefacts back.</summary>
internal static class ReleaseTestKit
{
    public static readonly DateTimeOffset PublishedAt = new(2026, 11, 2, 6, 0, 0, TimeSpan.Zero);

    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");

    /// <summary>Every artefact the builder writes for the Minnesota policy (no complainants dataset), manifest excluded.</summary>
    public static readonly string[] MinnesotaArtefacts =
    [
        "records/cases.jsonl.gz", "records/officers.jsonl.gz",
        "datasets/complaints.csv", "datasets/complaints.json", "datasets/allegations.csv", "datasets/allegations.json",
        "datasets/officers.csv", "datasets/officers.json",
        "row-errors.csv", "changes.json", "quality.json", "datapackage.json", "data.json",
    ];

    public static (CanonicalRecordSet Records, ImportReport Report) ImportSample(string source)
    {
        var profile = MappingProfileLoader.LoadFile(Path.Combine(Samples, "profiles", source + ".json"));
        var records = new CanonicalRecordSet();
        var report = new ExportImporter().Import(profile, new DirectoryExportFiles(Path.Combine(Samples, "exports", source)), records);
        Assert.True(report.Succeeded, string.Join("\n", report.Failures));
        return (records, report);
    }

    public static ReleaseInput Input(
        CanonicalRecordSet records, ImportReport report, DisclosurePolicy? policy = null, string releaseId = "r1",
        string? previousId = null, IArtefactStore? previous = null, string source = "OPCR")
    {
        policy ??= RedactorTests.Minnesota;
        return new ReleaseInput
        {
            Source = source,
            ReleaseId = releaseId,
            PublishedAt = PublishedAt,
            Records = RedactionPipeline.Redact(records, RedactorTests.NewRedactor(policy)),
            Import = report,
            Policy = policy,
            PreviousReleaseId = previousId,
            Previous = previous,
            Publisher = new PublisherOptions { Name = "City of Example, Civil Rights", BaseUrl = new Uri("https://data.example.org/releases/") },
        };
    }

    public static Task<ReleaseContents> BuildAsync(ReleaseInput input, string folder, Action<string>? afterArtefact = null) =>
        ReleaseBuilder.BuildAsync(input, new FolderArtefactStore(folder), afterArtefact);

    /// <summary>Every file of a release folder, by '/'-separated relative path.</summary>
    public static SortedDictionary<string, byte[]> Files(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllBytes),
            StringComparer.Ordinal);

    public static string Text(string folder, string path)
    {
        var bytes = File.ReadAllBytes(Path.Combine(folder, path));
        return path.EndsWith(".gz", StringComparison.Ordinal) ? Gunzip(bytes) : Encoding.UTF8.GetString(bytes);
    }

    public static string Gunzip(byte[] bytes)
    {
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    public static List<string[]> Csv(string folder, string path) => TestCsv.Parse(Text(folder, path), ',');

    public static JsonDocument Json(string folder, string path) => JsonDocument.Parse(Text(folder, path));

    /// <summary>The CSV as header -> value dictionaries.</summary>
    public static List<Dictionary<string, string>> CsvRows(string folder, string path)
    {
        var csv = Csv(folder, path);
        var header = csv[0];
        return csv.Skip(1).Select(r => header.Zip(r).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal)).ToList();
    }
}
