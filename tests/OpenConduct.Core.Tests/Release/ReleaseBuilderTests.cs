using System.Security.Cryptography;
using System.Text.Json;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;
using static OpenConduct.Core.Tests.Release.ReleaseTestKit;

namespace OpenConduct.Core.Tests.Release;

/// <summary>The OPCR sample, redacted under the Minnesota policy and built once into a folder for the tests of this class.</summary>
public sealed class SampleRelease : IAsyncLifetime
{
    private readonly TempFolder temp = new();

    public string Folder => temp.Sub("r1");

    public ReleaseInput Input { get; private set; } = null!;

    public ReleaseContents Contents { get; private set; } = null!;

    public List<string> Notified { get; } = [];

    public async Task InitializeAsync()
    {
        var (records, report) = ImportSample("opcr");
        Input = ReleaseTestKit.Input(records, report);
        Contents = await BuildAsync(Input, Folder, Notified.Add);
    }

    public Task DisposeAsync()
    {
        temp.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class ReleaseBuilderTests(SampleRelease sample) : IClassFixture<SampleRelease>
{
    private string Folder => sample.Folder;

    private RedactedRelease Records => sample.Input.Records;

    [Fact]
    public void Every_documented_artefact_is_written_and_reported_with_its_size_and_hash()
    {
        var files = Files(Folder);
        Assert.Equal(MinnesotaArtefacts.Order(StringComparer.Ordinal), files.Keys.Where(k => !k.StartsWith(ReleasePaths.InternalFolder + "/", StringComparison.Ordinal)));
        Assert.Equal([ReleasePaths.DashboardFacts], files.Keys.Where(k => k.StartsWith(ReleasePaths.InternalFolder + "/", StringComparison.Ordinal)));   // internal: not an artefact
        Assert.Equal(MinnesotaArtefacts.Order(StringComparer.Ordinal), sample.Contents.Artefacts.Select(a => a.Path).Order(StringComparer.Ordinal));
        Assert.Equal(sample.Contents.Artefacts.Select(a => a.Path), sample.Notified);
        foreach (var artefact in sample.Contents.Artefacts)
        {
            Assert.Equal(files[artefact.Path].LongLength, artefact.Bytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(files[artefact.Path])), artefact.Sha256);
        }

        var docs = File.ReadAllText(DocsFile.PathOf("releases.md"));
        Assert.All(MinnesotaArtefacts.Append("datasets/complainants.csv").Append("manifest.json"), path => Assert.Contains($"`{path}`", docs, StringComparison.Ordinal));
    }

    [Fact]
    public void Csv_headers_are_the_data_package_fields_and_hashes_and_sizes_match()
    {
        using var package = Json(Folder, "datapackage.json");
        var root = package.RootElement;
        Assert.Equal("tabular-data-package", root.GetProperty("profile").GetString());
        Assert.Equal("openconduct-opcr", root.GetProperty("name").GetString());
        Assert.Equal("r1", root.GetProperty("version").GetString());
        Assert.Equal("2026-11-02T06:00:00Z", root.GetProperty("created").GetString());
        var license = Assert.Single(root.GetProperty("licenses").EnumerateArray().ToList());
        Assert.Equal(["name", "path", "title"], license.EnumerateObject().Select(p => p.Name));

        var resources = root.GetProperty("resources").EnumerateArray().ToList();
        Assert.Equal(["complaints", "allegations", "officers", "row-errors"], resources.Select(r => r.GetProperty("name").GetString()));
        foreach (var resource in resources)
        {
            var path = resource.GetProperty("path").GetString()!;
            var bytes = File.ReadAllBytes(Path.Combine(Folder, path));
            Assert.Equal(bytes.LongLength, resource.GetProperty("bytes").GetInt64());
            Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes)), resource.GetProperty("hash").GetString());
            Assert.Equal("tabular-data-resource", resource.GetProperty("profile").GetString());
            Assert.Equal("text/csv", resource.GetProperty("mediatype").GetString());
            var fields = resource.GetProperty("schema").GetProperty("fields").EnumerateArray().ToList();
            Assert.Equal(fields.Select(f => f.GetProperty("name").GetString()), Csv(Folder, path)[0]);
            Assert.All(fields, f =>
            {
                Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("description").GetString()));
                Assert.False(string.IsNullOrWhiteSpace(f.GetProperty("title").GetString()));
                Assert.Contains(f.GetProperty("type").GetString(), new[] { "string", "integer", "boolean", "date", "yearmonth", "year" });
            });
            Assert.False(bytes.AsSpan().StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }), path + " starts with a BOM");
        }

        var status = resources[0].GetProperty("schema").GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "status");
        Assert.Equal(["Open", "Closed"], status.GetProperty("constraints").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var allegationKeys = resources[1].GetProperty("schema");
        Assert.Equal(["case_number", "allegation_index"], allegationKeys.GetProperty("primaryKey").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(
            ["case_number->complaints.case_number", "officer_ref->officers.officer_ref"],
            allegationKeys.GetProperty("foreignKeys").EnumerateArray().Select(k =>
                $"{k.GetProperty("fields").GetString()}->{k.GetProperty("reference").GetProperty("resource").GetString()}.{k.GetProperty("reference").GetProperty("fields").GetString()}"));
    }

    [Fact]
    public void Every_dataset_has_a_row_per_record_in_both_formats_and_its_keys_hold()
    {
        var complaints = CsvRows(Folder, "datasets/complaints.csv");
        var allegations = CsvRows(Folder, "datasets/allegations.csv");
        var officers = CsvRows(Folder, "datasets/officers.csv");
        Assert.Equal(Records.Cases.Count, complaints.Count);
        Assert.Equal(Records.Cases.Sum(c => c.Allegations.Count), allegations.Count);
        Assert.Equal(Records.Officers.Count, officers.Count);
        Assert.True(allegations.Count > 300);
        Assert.Equal(sample.Input.Import.RowErrors.Count, CsvRows(Folder, "row-errors.csv").Count);

        foreach (var name in new[] { "complaints", "allegations", "officers" })
        {
            using var json = Json(Folder, $"datasets/{name}.json");
            var rows = json.RootElement.EnumerateArray().ToList();
            var csv = CsvRows(Folder, $"datasets/{name}.csv");
            Assert.Equal(csv.Count, rows.Count);
            Assert.All(rows.Zip(csv), pair =>
            {
                foreach (var property in pair.First.EnumerateObject())
                {
                    Assert.True(pair.Second.ContainsKey(property.Name), $"{name}.json has '{property.Name}', which is no column");
                }
            });
        }

        // Primary keys are unique; foreign keys refer to existing rows.
        Assert.Equal(complaints.Count, complaints.Select(c => c["case_number"]).Distinct().Count());
        Assert.Equal(allegations.Count, allegations.Select(a => (a["case_number"], a["allegation_index"])).Distinct().Count());
        Assert.Equal(officers.Count, officers.Select(o => o["officer_ref"]).Distinct().Count());
        var caseNumbers = complaints.Select(c => c["case_number"]).ToHashSet();
        var officerRefs = officers.Select(o => o["officer_ref"]).ToHashSet();
        Assert.All(allegations, a => Assert.Contains(a["case_number"], caseNumbers));
        Assert.All(allegations, a => Assert.Contains(a["officer_ref"], officerRefs));

        // Rows are in case-number order (ordinal), allegations in their order within the case.
        Assert.Equal(complaints.Select(c => c["case_number"]).Order(StringComparer.Ordinal), complaints.Select(c => c["case_number"]));
    }

    [Fact]
    public void The_records_are_json_lines_without_internal_members()
    {
        var cases = Text(Folder, "records/cases.jsonl.gz").Split('\n');
        Assert.Equal("", cases[^1]);
        Assert.Equal(Records.Cases.Count, cases.Length - 1);
        foreach (var line in cases[..^1])
        {
            using var document = JsonDocument.Parse(line);
            Assert.True(document.RootElement.GetProperty("complaint").TryGetProperty("caseNumber", out _));
            Assert.False(document.RootElement.TryGetProperty("complainants", out _)); // Minnesota publishes no complainant field
        }

        var officers = Text(Folder, "records/officers.jsonl.gz").Split('\n');
        Assert.Equal(Records.Officers.Count, officers.Length - 1);
        var all = string.Join('\n', cases) + string.Join('\n', officers);
        foreach (var hidden in new[] { "sensitive", "forCounts", "Sensitive", "ForCounts", "\"race\"", "\"sex\"", "birthYear", ":null" })
        {
            Assert.DoesNotContain(hidden, all, StringComparison.Ordinal);
        }

        Assert.Contains("\"finalFinding\":{\"value\":\"Sustained\",\"raw\":", all, StringComparison.Ordinal);

        // System.Text.Json does not pick up the internal members either.
        var serialized = JsonSerializer.Serialize(Records.Cases) + JsonSerializer.Serialize(Records.Officers);
        Assert.DoesNotContain("Sensitive", serialized, StringComparison.Ordinal);
        Assert.DoesNotContain("ForCounts", serialized, StringComparison.Ordinal);
        var gz = File.ReadAllBytes(Path.Combine(Folder, "records/cases.jsonl.gz"));
        Assert.Equal([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00], gz[..8]); // no file name, no modification time
    }

    [Fact]
    public void The_catalog_is_dcat_us_with_every_required_field_and_download_urls_into_the_release()
    {
        using var catalog = Json(Folder, "data.json");
        var root = catalog.RootElement;
        Assert.Equal("https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld", root.GetProperty("@context").GetString());
        Assert.Equal("dcat:Catalog", root.GetProperty("@type").GetString());
        Assert.Equal("https://project-open-data.cio.gov/v1.1/schema", root.GetProperty("conformsTo").GetString());
        Assert.Equal("https://project-open-data.cio.gov/v1.1/schema/catalog.json", root.GetProperty("describedBy").GetString());
        var datasets = root.GetProperty("dataset").EnumerateArray().ToList();
        Assert.Equal(3, datasets.Count);
        foreach (var (dataset, name) in datasets.Zip(new[] { "complaints", "allegations", "officers" }))
        {
            foreach (var required in new[] { "title", "description", "modified", "identifier", "accessLevel", "license", "accrualPeriodicity", "describedBy", "describedByType" })
            {
                Assert.False(string.IsNullOrWhiteSpace(dataset.GetProperty(required).GetString()), required);
            }

            Assert.Equal("dcat:Dataset", dataset.GetProperty("@type").GetString());
            Assert.NotEmpty(dataset.GetProperty("keyword").EnumerateArray());
            Assert.Equal("org:Organization", dataset.GetProperty("publisher").GetProperty("@type").GetString());
            Assert.Equal("City of Example, Civil Rights", dataset.GetProperty("publisher").GetProperty("name").GetString());
            Assert.Equal("vcard:Contact", dataset.GetProperty("contactPoint").GetProperty("@type").GetString());
            Assert.False(string.IsNullOrWhiteSpace(dataset.GetProperty("contactPoint").GetProperty("fn").GetString()));
            Assert.StartsWith("mailto:", dataset.GetProperty("contactPoint").GetProperty("hasEmail").GetString(), StringComparison.Ordinal);
            Assert.Equal("public", dataset.GetProperty("accessLevel").GetString());
            Assert.Equal("R/P14D", dataset.GetProperty("accrualPeriodicity").GetString());
            Assert.Equal("2026-11-02T06:00:00Z", dataset.GetProperty("modified").GetString());
            Assert.Equal($"https://data.example.org/releases/OPCR/{name}", dataset.GetProperty("identifier").GetString());
            Assert.Equal("https://data.example.org/releases/OPCR/r1/datapackage.json", dataset.GetProperty("describedBy").GetString());
            var distributions = dataset.GetProperty("distribution").EnumerateArray().ToList();
            Assert.Equal(
                [$"https://data.example.org/releases/OPCR/r1/datasets/{name}.csv", $"https://data.example.org/releases/OPCR/r1/datasets/{name}.json"],
                distributions.Select(d => d.GetProperty("downloadURL").GetString()));
            Assert.Equal(["text/csv", "application/json"], distributions.Select(d => d.GetProperty("mediaType").GetString()));
            Assert.All(distributions, d =>
            {
                Assert.False(string.IsNullOrWhiteSpace(d.GetProperty("title").GetString()));
                Assert.False(string.IsNullOrWhiteSpace(d.GetProperty("format").GetString()));
                var relative = d.GetProperty("downloadURL").GetString()!["https://data.example.org/releases/OPCR/r1/".Length..];
                Assert.True(File.Exists(Path.Combine(Folder, relative)), relative);
            });
        }
    }

    [Fact]
    public void Fields_the_minnesota_policy_withholds_have_no_column()
    {
        Assert.False(File.Exists(Path.Combine(Folder, "datasets/complainants.csv")));
        Assert.Equal(
            ["source", "case_number", "received_date", "incident_date", "closed_date", "status", "status_raw", "intake_decision", "intake_decision_raw", "precinct", "location", "narrative"],
            Csv(Folder, "datasets/complaints.csv")[0]);
        Assert.Equal(
            ["source", "case_number", "allegation_index", "allegation_id", "officer_ref", "category", "category_raw", "subcategory", "subcategory_raw",
             "final_finding", "final_finding_raw", "finding_pending", "imposed_discipline", "imposed_discipline_raw", "imposed_discipline_days", "discipline_final", "discipline_date"],
            Csv(Folder, "datasets/allegations.csv")[0]);
        Assert.Equal(
            ["source", "officer_ref", "employee_id", "first_name", "middle_name", "last_name", "suffix", "badge", "badge_from", "badge_to", "badges", "rank", "unit", "hire_date"],
            Csv(Folder, "datasets/officers.csv")[0]);
    }

    [Fact]
    public void The_first_release_counts_every_complaint_as_new()
    {
        var changes = sample.Contents.Changes;
        Assert.Null(changes.PreviousReleaseId);
        Assert.Equal(Records.Cases.Count, changes.NewComplaints);
        Assert.Equal(Records.Cases.Select(c => c.Complaint.CaseNumber).Order(StringComparer.Ordinal), changes.NewComplaintCases);
        Assert.Equal((0, 0, 0, 0), (changes.StatusChanges, changes.FindingsFinal, changes.DisciplineFinal, changes.Removed));
        using var json = Json(Folder, "changes.json");
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("previousReleaseId").ValueKind);
        Assert.Equal(Records.Cases.Count, json.RootElement.GetProperty("counts").GetProperty("newComplaints").GetInt32());
        Assert.Equal(changes.NewComplaintCases, json.RootElement.GetProperty("newComplaints").EnumerateArray().Select(e => e.GetString()!));
    }

    [Fact]
    public void The_quality_report_gives_per_file_counts_and_null_rates_of_published_rows()
    {
        var quality = sample.Contents.Quality;
        var import = sample.Input.Import;
        Assert.Equal(import.RowsRead, quality.RowsRead);
        Assert.Equal(import.Files.Select(f => f.Name), quality.Files.Select(f => f.Name));
        Assert.Equal(import.TotalRowErrors, quality.RowErrors);
        using var json = Json(Folder, "quality.json");
        var root = json.RootElement;
        Assert.Equal(import.RowsRead, root.GetProperty("import").GetProperty("rowsRead").GetInt64());
        Assert.Equal(import.Files.Sum(f => f.DuplicateRows), root.GetProperty("import").GetProperty("duplicateRows").GetInt64());
        Assert.True(import.Files.Sum(f => f.DuplicateRows) > 0, "the OPCR sample has duplicate rows");
        var complaints = root.GetProperty("datasets").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "complaints");
        Assert.Equal(Records.Cases.Count, complaints.GetProperty("rows").GetInt32());
        var closed = complaints.GetProperty("columns").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "closed_date");
        var open = Records.Cases.Count(c => c.Complaint.ClosedDate is null);
        Assert.Equal(open, closed.GetProperty("nulls").GetInt32());
        Assert.Equal(Math.Round((double)open / Records.Cases.Count, 4), closed.GetProperty("nullRate").GetDouble());

        var redaction = root.GetProperty("redaction");
        Assert.Equal("minnesota-13.43", redaction.GetProperty("policy").GetString());
        Assert.Equal(Records.Report.Allegations, redaction.GetProperty("allegations").GetInt64());
        Assert.Equal(
            Records.Report.Rules.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}"),
            redaction.GetProperty("rules").EnumerateArray().Select(r => $"{r.GetProperty("rule").GetString()}={r.GetProperty("count").GetInt64()}"));
        Assert.Contains(redaction.GetProperty("fields").EnumerateArray(), f => f.GetProperty("field").GetString() == "complainant.race" && f.GetProperty("action").GetString() == "aggregateOnly");
    }

    [Fact]
    public async Task Narratives_the_residual_risk_gate_withholds_are_counted_by_reason_in_the_quality_report_never_quoted()
    {
        using var temp = new TempFolder();
        var (records, report) = ImportSample("opcr");
        var everyNarrative = new DisclosurePolicy
        {
            Name = Disclosure.RedactorTests.Minnesota.Name,
            Default = Disclosure.RedactorTests.Minnesota.Default,
            Fields = Disclosure.RedactorTests.Minnesota.Fields,
            Sensitivity = Disclosure.RedactorTests.Minnesota.Sensitivity,
            Finality = Disclosure.RedactorTests.Minnesota.Finality with { Narratives = NarrativeDisclosure.Always },
            Aggregation = Disclosure.RedactorTests.Minnesota.Aggregation,
            Scrubbing = Disclosure.RedactorTests.Minnesota.Scrubbing,
            Pseudonymization = Disclosure.RedactorTests.Minnesota.Pseudonymization,
        };
        var suspect = records.Complaints.FindIndex(c => c.Narrative is not null && c.Sensitivity == Model.Sensitivity.None);
        records.Complaints[suspect] = records.Complaints[suspect] with { Narrative = "The complainant said that Zorblat Quenwick drove off after the stop." };

        await BuildAsync(ReleaseTestKit.Input(records, report, everyNarrative), temp.Path);

        var quality = Text(temp.Path, "quality.json");
        Assert.Contains("\"rule\": \"scrub: narrative withheld, residual risk UnknownCapitalisedWord\"", quality, StringComparison.Ordinal);
        foreach (var file in Files(temp.Path))
        {
            var content = file.Key.EndsWith(".gz", StringComparison.Ordinal) ? Gunzip(file.Value) : System.Text.Encoding.UTF8.GetString(file.Value);
            Assert.DoesNotContain("Zorblat", content, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Building_twice_gives_byte_identical_artefacts()
    {
        using var temp = new TempFolder();
        var (records, report) = ImportSample("opcr");
        await BuildAsync(ReleaseTestKit.Input(records, report), temp.Sub("again"));
        var first = Files(Folder);
        var second = Files(temp.Sub("again"));
        Assert.Equal(first.Keys, second.Keys);
        Assert.All(first, f => Assert.True(f.Value.AsSpan().SequenceEqual(second[f.Key]), $"{f.Key} differs"));
    }

    [Fact]
    public async Task The_manifest_round_trips()
    {
        using var temp = new TempFolder();
        var store = new FolderArtefactStore(temp.Path);
        Assert.Null(await ReleaseManifestIo.ReadAsync(store));
        var manifest = ReleaseManifest.Create(sample.Input, sample.Contents.Artefacts, new ReleaseExport([new ReleaseExportFile("complaints.csv", 1234, new string('a', 64))]) { Hash = new string('b', 64) });
        var info = await ReleaseManifestIo.WriteAsync(store, manifest);
        Assert.Equal("manifest.json", info.Path);
        var read = await ReleaseManifestIo.ReadAsync(store);
        Assert.NotNull(read);
        Assert.Equal(manifest with { Artefacts = [], Export = null }, read with { Artefacts = [], Export = null });
        Assert.Equal(manifest.Artefacts, read.Artefacts);
        Assert.Equal(manifest.Export!.Files, read.Export!.Files);
        Assert.Equal(manifest.Export.Hash, read.Export.Hash);
        Assert.Equal((Records.Cases.Count, Records.Officers.Count), ((int)read.Counts.Complaints, (int)read.Counts.Officers));
        Assert.Equal(("minnesota-13.43", "opcr-joined", 1), (read.Policy, read.Profile, read.FormatVersion));

        var text = File.ReadAllText(Path.Combine(temp.Path, "manifest.json"));
        foreach (var name in new[] { "\"formatVersion\"", "\"source\"", "\"releaseId\"", "\"publishedAt\"", "\"policy\"", "\"profile\"", "\"counts\"", "\"artefacts\"", "\"contentType\"", "\"sha256\"", "\"export\"" })
        {
            Assert.Contains(name, text, StringComparison.Ordinal);
        }

        // The policy's identity.autoMerge is recorded only when it lists a rule (docs/officers.md#candidate-rules).
        Assert.DoesNotContain("\"identity\"", text, StringComparison.Ordinal);
        var policy = sample.Input.Policy;
        var merging = new DisclosurePolicy
        {
            Name = policy.Name,
            Fields = policy.Fields,
            Pseudonymization = policy.Pseudonymization,
            Identity = new IdentityPolicy { AutoMerge = [IdentityPolicy.NameAndHireDate] },
        };
        var withIdentity = ReleaseManifest.Create(sample.Input with { Policy = merging }, sample.Contents.Artefacts);
        await ReleaseManifestIo.WriteAsync(store, withIdentity);
        var back = await ReleaseManifestIo.ReadAsync(store);
        Assert.Equal([IdentityPolicy.NameAndHireDate], back!.Identity!.AutoMerge);
        Assert.Equal(withIdentity with { Artefacts = [] }, back with { Artefacts = [] });
        Assert.NotEqual(manifest with { Artefacts = [], Export = null }, back with { Artefacts = [] });
        Assert.Contains("\"identity\": {\n    \"autoMerge\": [\n      \"nameAndHireDate\"", File.ReadAllText(Path.Combine(temp.Path, "manifest.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fault_after_an_artefact_stops_the_build()
    {
        using var temp = new TempFolder();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => BuildAsync(sample.Input, temp.Path, path =>
        {
            if (path == "datasets/allegations.csv")
            {
                throw new InvalidOperationException("fault");
            }
        }));
        Assert.Equal("fault", error.Message);
        Assert.False(File.Exists(Path.Combine(temp.Path, "datapackage.json")));
        Assert.True(File.Exists(Path.Combine(temp.Path, "datasets/allegations.csv")));
    }

    [Fact]
    public async Task Cancellation_stops_the_build()
    {
        using var temp = new TempFolder();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReleaseBuilder.BuildAsync(sample.Input, new FolderArtefactStore(temp.Path), cancellationToken: cancel.Token));
    }
}
