using System.IO.Compression;
using System.Text;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Model;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;
using OpenConduct.Core.Tests.Disclosure;
using OpenConduct.Core.Tests.Release;

namespace OpenConduct.Core.Tests.Officers;

/// <summary>Reading a release's records back: exactly what the builder wrote, streamed, per source's live release.</summary>
public sealed class PublishedRecordsTests
{
    public static TheoryData<string, string> Policies => new()
    {
        { "opcr", "minnesota" },
        { "iau", "minnesota" },
        { "cra", "birthYear" },
        { "opcr", "strict" },
        { "ccrb", "newYork" },   // recommendations published, an allegation against an unidentified officer
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task Reads_back_every_published_field_of_the_redacted_records(string source, string policyName)
    {
        var policy = policyName switch
        {
            "strict" => RedactorTests.Strict,
            "birthYear" => OfficerTestKit.MinnesotaWithBirthYear,
            "newYork" => DisclosurePolicyLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "samples", "policies", "new-york.json")),
            _ => RedactorTests.Minnesota,
        };
        var (records, report) = ReleaseTestKit.ImportSample(source);
        var input = ReleaseTestKit.Input(records, report, policy, source: source.ToUpperInvariant());
        using var temp = new TempFolder();
        var store = new FolderArtefactStore(temp.Path);
        await ReleaseTestKit.BuildAsync(input, temp.Path);

        var published = await PublishedRecords.ReadAsync(store);

        Assert.Null(published.ReleaseId); // no manifest: the builder does not write it
        var officers = input.Records.Officers.OrderBy(o => o.OfficerRef, StringComparer.Ordinal).ToList();
        Assert.Equal(officers.Count, published.Officers.Count);
        for (var i = 0; i < officers.Count; i++)
        {
            var (o, p) = (officers[i], published.Officers[i]);
            Assert.Equal((o.Source, o.OfficerRef, o.EmployeeId, o.FirstName, o.MiddleName, o.LastName, o.Suffix), (p.Source, p.OfficerRef, p.EmployeeId, p.FirstName, p.MiddleName, p.LastName, p.Suffix));
            Assert.Equal(o.Badges.Select(b => new PublishedBadge(b.Number, b.From, b.To)), p.Badges);
            Assert.Equal((o.Rank, o.Unit, o.BirthYear, o.HireDate?.ToString()), (p.Rank, p.Unit, p.BirthYear, p.HireDate));
            Assert.Equal(Code(o.Race), p.Race);
            Assert.Equal(Code(o.Sex), p.Sex);
        }

        var cases = input.Records.Cases.OrderBy(c => c.Complaint.CaseNumber, StringComparer.Ordinal).ToList();
        Assert.Equal(cases.Count, published.Cases.Count);
        var pendingPublished = new Publication(policy).PublishesFindingPending;
        var timed = 0;
        for (var i = 0; i < cases.Count; i++)
        {
            var (c, p) = (cases[i].Complaint, published.Cases[i]);
            Assert.Equal((c.Source, c.CaseNumber, c.ReceivedDate?.ToString(), c.IncidentDate?.ToString(), c.ClosedDate?.ToString(), c.Precinct), (p.Source, p.CaseNumber, p.ReceivedDate, p.IncidentDate, p.ClosedDate, p.Precinct));
            Assert.Equal(Code(c.Status), p.Status);
            Assert.Equal(Code(c.IntakeDecision), p.IntakeDecision);
            Assert.Equal(cases[i].Allegations.Count, p.Allegations.Count);
            for (var k = 0; k < p.Allegations.Count; k++)
            {
                var (a, q) = (cases[i].Allegations[k], p.Allegations[k]);
                Assert.Equal((a.OfficerRef, a.AllegationId, a.OfficerUnidentified), (q.OfficerRef, q.AllegationId, q.OfficerUnidentified));
                Assert.Equal(Code(a.Category), q.Category);
                Assert.Equal(Code(a.Subcategory), q.Subcategory);
                Assert.Equal(Code(a.RecommendedFinding), q.RecommendedFinding);
                Assert.Equal(Code(a.FinalFinding), q.FinalFinding);
                Assert.Equal(pendingPublished && a.FindingPending, q.FindingPending);
                Assert.Equal(Code(a.RecommendedDiscipline), q.RecommendedDiscipline);
                Assert.Equal(a.RecommendedDisciplineDays, q.RecommendedDisciplineDays);
                Assert.Equal(Code(a.ImposedDiscipline), q.ImposedDiscipline);
                Assert.Equal(a.ImposedDisciplineDays, q.ImposedDisciplineDays);
                Assert.Equal(a.DisciplineFinal, q.DisciplineFinal);
                Assert.Equal(a.DisciplineDate?.ToString(), q.DisciplineDate);
            }

            // The days of the case as the dashboard facts count them (from the redacted records), read back from the files.
            static DateOnly? Day(PublicDate? date) => date is { Precision: DatePrecision.Day } d ? d.Value : null;
            var received = Day(c.ReceivedDate);
            Assert.Equal(CaseDurations.DaysToClose(received, Day(c.ClosedDate), c.Status.Value == ComplaintStatus.Closed), p.DaysToClose());
            var toDiscipline = CaseDurations.DaysToFinalDiscipline(received, cases[i].Allegations.Select(a => (Day(a.DisciplineDate), a.DisciplineFinal)));
            Assert.Equal(toDiscipline, p.DaysToFinalDiscipline());
            timed += toDiscipline is null ? 0 : 1;
        }

        // The OPCR and CCRB samples date their final discipline; under Minnesota and New York, received dates are published to the day.
        Assert.True(policyName is not ("minnesota" or "newYork") || source is not ("opcr" or "ccrb") || timed > 0, $"{source} under {policyName}: no case with days to final discipline");

        // Repeated values are shared, not copied per line.
        var refs = published.Cases.SelectMany(c => c.Allegations).GroupBy(a => a.OfficerRef).Where(g => g.Count() > 1).First();
        Assert.All(refs, a => Assert.Same(refs.First().OfficerRef, a.OfficerRef));
    }

    [Fact]
    public async Task Reads_the_live_release_of_each_source_and_skips_a_source_without_one()
    {
        using var temp = new TempFolder();
        var store = await OfficerTestKit.PublishSamplesAsync(temp.Path, sources: ["opcr", "iau"]);

        var all = await PublishedRecords.ReadLatestAsync(store, OfficerTestKit.SampleSources);

        Assert.Equal(["opcr", "iau"], all.Select(r => r.Source));
        Assert.Equal([await store.GetLatestAsync("opcr"), await store.GetLatestAsync("iau")], all.Select(r => r.ReleaseId));
        Assert.Equal(["OPCR", "IAU"], all.Select(r => r.Officers.Select(o => o.Source).Distinct().Single()));
        Assert.All(all, r => Assert.NotEmpty(r.Cases));
        var opcr = await PublishedRecords.ReadAsync(store.Open("opcr", all[0].ReleaseId!));
        Assert.Equal(("opcr", all[0].ReleaseId), (opcr.Source, opcr.ReleaseId)); // from the manifest
    }

    [Fact]
    public async Task Long_lines_a_last_line_without_newline_and_unknown_properties_are_read()
    {
        using var temp = new TempFolder();
        var store = new FolderArtefactStore(temp.Path);
        var narrative = new string('x', 300_000);
        await WriteGzipAsync(store, ReleasePaths.Cases,
            "{\"complaint\":{\"source\":\"OPCR\",\"caseNumber\":\"C-1\",\"narrative\":\"" + narrative + "\",\"status\":{\"raw\":\"Hold\"},\"future\":{\"a\":[1,2]}},\"allegations\":[{\"officerRef\":\"o-1\",\"findingPending\":true,\"category\":{\"value\":\"Language\"}}],\"complainants\":[{\"age\":\"25-34\"}]}\r\n"
            + "\n"
            + "{\"complaint\":{\"source\":\"OPCR\",\"caseNumber\":\"C-2\",\"receivedDate\":\"2024-03\"},\"allegations\":[]}");
        await WriteGzipAsync(store, ReleasePaths.Officers, "{\"source\":\"OPCR\",\"officerRef\":\"o-1\",\"lastName\":\"Ndiaye\",\"badges\":[{\"number\":\"12\",\"from\":\"2001-02-03\"}],\"birthYear\":1970}\n");

        var published = await PublishedRecords.ReadAsync(store);

        Assert.Equal(["C-1", "C-2"], published.Cases.Select(c => c.CaseNumber));
        Assert.Equal(new PublishedCode(null, "Hold"), published.Cases[0].Status);
        Assert.Equal("Hold", published.Cases[0].Status!.Text);
        var allegation = Assert.Single(published.Cases[0].Allegations);
        Assert.True(allegation.FindingPending);
        Assert.Equal(new PublishedCode("Language", null), allegation.Category);
        Assert.Null(allegation.FinalFinding);
        Assert.Equal("2024-03", published.Cases[1].ReceivedDate);
        var officer = Assert.Single(published.Officers);
        Assert.Equal((new PublishedBadge("12", new DateOnly(2001, 2, 3)), 1970, "Ndiaye"), (Assert.Single(officer.Badges), officer.BirthYear, officer.DisplayName));
    }

    [Fact]
    public async Task A_missing_file_or_a_malformed_line_is_an_error_naming_it()
    {
        using var temp = new TempFolder();
        var store = new FolderArtefactStore(temp.Path);
        await WriteGzipAsync(store, ReleasePaths.Officers, "{\"source\":\"OPCR\",\"officerRef\":\"o-1\"}\n");
        var missing = await Assert.ThrowsAsync<FileNotFoundException>(() => PublishedRecords.ReadAsync(store));
        Assert.Contains(ReleasePaths.Cases, missing.Message, StringComparison.Ordinal);

        await WriteGzipAsync(store, ReleasePaths.Cases, "{\"complaint\":{\"source\":\"OPCR\",\"caseNumber\":\"C-1\"},\"allegations\":[]}\n{\"complaint\":{\"source\":\"OPCR\"},\"allegations\":[{\"officerRef\":\"o-1\"}]}\n");
        var malformed = await Assert.ThrowsAsync<InvalidDataException>(() => PublishedRecords.ReadAsync(store));
        Assert.Contains("records/cases.jsonl.gz, line 2: the complaint has no caseNumber", malformed.Message, StringComparison.Ordinal);

        await WriteGzipAsync(store, ReleasePaths.Cases, "{\"complaint\":{\"source\":\"OPCR\",\"caseNumber\":\"C-1\"},\"allegations\":[{\"officerRef\":\"o-1\",\"disciplineFinal\":\"yes\"}]}\n");
        var wrongType = await Assert.ThrowsAsync<InvalidDataException>(() => PublishedRecords.ReadAsync(store));
        Assert.Contains("line 1: expected a boolean, found String", wrongType.Message, StringComparison.Ordinal);
    }

    private static PublishedCode? Code<T>(Coded<T> coded)
        where T : struct, Enum => coded.Value is null && coded.Raw is null ? null : new PublishedCode(coded.Value?.ToString(), coded.Raw);

    private static PublishedCode? Code(CodedText coded) => coded.Value is null && coded.Raw is null ? null : new PublishedCode(coded.Value, coded.Raw);

    internal static Task WriteGzipAsync(IArtefactStore store, string path, string text) =>
        store.WriteAsync(path, "application/gzip", async (stream, ct) =>
        {
            await using var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true);
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        });
}
