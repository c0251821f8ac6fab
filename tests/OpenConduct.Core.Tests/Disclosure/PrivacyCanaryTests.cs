using System.IO.Compression;
using System.Text;
using System.Text.Json;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Model;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;
using OpenConduct.Samples;

namespace OpenConduct.Core.Tests.Disclosure;

/// <summary>
/// Privacy canaries: the generator writes three exports with a unique token in every private field and every
/// narrative (<see cref="SyntheticExportOptions.Canaries"/>); the import is redacted under the Minnesota policy and every public output is searched for the tokens.
/// Public outputs today: the redacted release (cases, officers), the redaction report, every artefact of the
/// releases built from it (one per source: records, datasets, data package, catalog, changes, quality, row errors,
/// manifest), and the officer index's artefacts built from those releases' records (the identity report, with the
/// candidate rules' evidence both undecided and merged, and the officer documents). Later issues add their surfaces (index, API, widgets) to <see cref="PublicOutputs"/>.
/// </summary>
public sealed class PrivacyCanaryTests
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");

    [Fact]
    public async Task No_canary_reaches_a_public_output_and_public_fields_keep_their_values()
    {
        var (records, canaries, reports) = SeededImport();
        var release = RedactionPipeline.Redact(records, RedactorTests.NewRedactor(RedactorTests.Minnesota));
        var artefacts = await ReleaseArtefacts(release, reports, RedactorTests.Minnesota);
        var published = PublicOutputs(release, artefacts);

        Assert.True(canaries.Count > 1000, $"only {canaries.Count} canaries were seeded");
        var leaked = canaries.Where(c => published.Contains(c, StringComparison.OrdinalIgnoreCase)).Take(10).ToList();
        Assert.True(leaked.Count == 0, "canaries in public output: " + string.Join(", ", leaked));

        // ...while every public field still carries its value.
        Assert.All(records.Officers.Where(o => o.LastName is not null), o => Assert.Contains(o.LastName!, published, StringComparison.Ordinal));
        Assert.All(records.Complaints, c => Assert.Contains(JsonSerializer.Serialize(c.CaseNumber, Json), published, StringComparison.Ordinal));
        var closedSustained = release.Cases.Where(c => c.Complaint.Status.Value == ComplaintStatus.Closed).SelectMany(c => c.Allegations).Count(a => a.FinalFinding.Value == Finding.Sustained);
        Assert.True(closedSustained > 0, "no final finding was published");
        Assert.Equal(records.Complaints.Count, release.Cases.Count);
        Assert.Equal(records.Allegations.Count, release.Cases.Sum(c => c.Allegations.Count));
        // Narratives of closed cases with final discipline are published, scrubbed.
        var narratives = release.Cases.Count(c => c.Complaint.Narrative is not null);
        Assert.True(narratives > 10, $"only {narratives} narratives were published");
        Assert.All(release.Cases.Where(c => c.Complaint.Narrative is not null), c => Assert.False(c.Complaint.Sensitive));

        // The release artefacts alone carry the public values too (the search above covers them for real).
        Assert.All(records.Complaints, c => Assert.Contains(c.CaseNumber, artefacts, StringComparison.Ordinal));
        Assert.All(records.Officers.Where(o => o.LastName is not null), o => Assert.Contains(o.LastName!, artefacts, StringComparison.Ordinal));
        var narrative = release.Cases.First(c => c.Complaint.Narrative is not null).Complaint.Narrative!;
        Assert.Contains(JsonSerializer.Serialize(narrative, Json), artefacts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_canary_leaks_even_when_every_narrative_is_published_scrubbed()
    {
        var minnesota = RedactorTests.Minnesota;
        var everyNarrative = new DisclosurePolicy
        {
            Name = "minnesota, every narrative",
            Default = minnesota.Default,
            Fields = minnesota.Fields,
            Sensitivity = minnesota.Sensitivity,
            Finality = minnesota.Finality with { Narratives = NarrativeDisclosure.Always },
            Aggregation = minnesota.Aggregation,
            Pseudonymization = minnesota.Pseudonymization,
        };
        var (records, canaries, reports) = SeededImport();
        var release = RedactionPipeline.Redact(records, RedactorTests.NewRedactor(everyNarrative));
        var artefacts = await ReleaseArtefacts(release, reports, everyNarrative);
        var published = PublicOutputs(release, artefacts);

        var narratives = release.Cases.Count(c => c.Complaint.Narrative is not null);
        Assert.True(narratives > 500, $"only {narratives} narratives were published");
        var leaked = canaries.Where(c => published.Contains(c, StringComparison.OrdinalIgnoreCase)).Take(10).ToList();
        Assert.True(leaked.Count == 0, "canaries in public output: " + string.Join(", ", leaked));
    }

    /// <summary>Everything the redacted release publishes, as one text to search (<paramref name="artefacts"/>: see <see cref="ReleaseArtefacts"/>).</summary>
    internal static string PublicOutputs(RedactedRelease release, string artefacts) =>
        string.Join('\n',
            JsonSerializer.Serialize(release.Cases, Json),
            JsonSerializer.Serialize(release.Officers, Json),
            string.Join('\n', release.Report.Lines()),
            artefacts);

    /// <summary>
    /// Builds one release per source from the redacted records (with the source's import report, and the manifest the
    /// pipeline adds) into a temporary folder, then the officer index's artefacts from those releases' published records
    /// (<c>identity.json</c> and <c>officers.jsonl.gz</c>), and returns the text of every file, gzip files decompressed.
    /// </summary>
    internal static async Task<string> ReleaseArtefacts(RedactedRelease release, IReadOnlyList<ImportReport> reports, DisclosurePolicy policy)
    {
        var root = Path.Combine(Path.GetTempPath(), "openconduct-canary-release-" + Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var report in reports)
            {
                var records = new RedactedRelease(
                    [.. release.Cases.Where(c => c.Complaint.Source == report.Source)],
                    [.. release.Officers.Where(o => o.Source == report.Source)],
                    release.Report);
                Assert.NotEmpty(records.Cases);
                var input = new ReleaseInput
                {
                    Source = report.Source,
                    ReleaseId = "canary",
                    PublishedAt = new DateTimeOffset(2026, 11, 22, 6, 0, 0, TimeSpan.Zero),
                    Records = records,
                    Import = report,
                    Policy = policy,
                };
                var store = new FolderArtefactStore(Path.Combine(root, report.Source));
                var contents = await ReleaseBuilder.BuildAsync(input, store);
                await ReleaseManifestIo.WriteAsync(store, ReleaseManifest.Create(input, contents.Artefacts));
            }

            // The officer index: identity across the sources and one document per officer, from the published records only.
            var published = new List<PublishedRecords>();
            foreach (var report in reports)
            {
                published.Add(await PublishedRecords.ReadAsync(new FolderArtefactStore(Path.Combine(root, report.Source))));
            }

            var identity = OfficerIdentityResolver.Resolve(published);
            var index = new FolderArtefactStore(Path.Combine(root, "officer-index"));
            await IdentityReportIo.WriteReportAsync(index, identity.Report);
            await IdentityReportIo.WriteDocumentsAsync(index, OfficerDocumentBuilder.Build(published, identity));
            var documents = await IdentityReportIo.ReadDocumentsAsync(index);
            Assert.Equal(identity.Groups.Count, documents!.Count);
            Assert.True(identity.Report.Counts.MergedGroups > 0, "no officer was merged across sources");
            Assert.Equal(release.Cases.Sum(c => c.Allegations.Count), documents.Sum(d => d.Summary.Allegations));

            // The candidate rules' sets, with their evidence (units, complaint years and counts): undecided by default,
            // and merged when every candidate rule is enabled; both reports are searched.
            Assert.True(identity.Report.Counts.Undecided > 0, "the identity report lists no undecided candidate");
            var merging = OfficerIdentityResolver.Resolve(published, options: new IdentityOptions { AutoMerge = [.. IdentityOptions.CandidateRules] });
            Assert.Contains(merging.Report.Candidates, c => c.Decision == CandidateDecision.Merged && c.Officers.Any(o => o.Complaints > 0));
            await IdentityReportIo.WriteReportAsync(new FolderArtefactStore(Path.Combine(root, "officer-index-candidates-merged")), merging.Report);

            var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            Assert.True(files.Count >= 3 * 14, $"only {files.Count} release files");
            return string.Join('\n', files.Select(file =>
            {
                using var stream = File.OpenRead(file);
                using var content = file.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : (Stream)stream;
                using var reader = new StreamReader(content, Encoding.UTF8);
                return reader.ReadToEnd();
            }));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The three exports generated with <see cref="SyntheticExportOptions.Canaries"/> (a unique canary in every private
    /// field and every narrative) into a temporary folder and imported with the sample profiles; the canaries are the
    /// tokens the generator reports it wrote.
    /// </summary>
    internal static (CanonicalRecordSet Records, List<string> Canaries, List<ImportReport> Reports) SeededImport()
    {
        var root = Path.Combine(Path.GetTempPath(), "openconduct-canaries-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new SyntheticExportOptions { Seed = 20261122, RosterSeed = 1991, Allegations = 600, Canaries = true };
            var exports = SyntheticExports.WriteAll(root, options);
            var records = new CanonicalRecordSet();
            var reports = new List<ImportReport>();
            foreach (var source in new[] { "opcr", "iau", "cra" })
            {
                var profile = MappingProfileLoader.LoadFile(Path.Combine(Samples, "profiles", source + ".json"));
                var report = new ExportImporter().Import(profile, new DirectoryExportFiles(Path.Combine(root, source)), records);
                Assert.True(report.Succeeded, string.Join("\n", report.Failures));
                reports.Add(report);
            }

            return (records, [.. exports.SelectMany(e => e.Canaries).Distinct(StringComparer.Ordinal)], reports);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
