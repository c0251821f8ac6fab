using System.Text.Json;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Storage;
using OpenConduct.Core.Tests.Release;
using static OpenConduct.Core.Tests.Officers.OfficerTestKit;

namespace OpenConduct.Core.Tests.Officers;

/// <summary>Officer documents from hand-made published records: one officer's history across two sources, in detail.</summary>
public sealed class OfficerDocumentBuilderTests
{
    // John Smith is OPCR o-js and IAU o-js2 (employee id 1); Carla Diaz (OPCR) shares a complaint with him; Bob Brown
    // (IAU) shares another; Zoe Young (OPCR) has no complaint.
    private static readonly PublishedOfficer Smith = Officer("OPCR", "o-js", "John", "Smith", employeeId: "1", rank: "Sergeant", unit: "Precinct 3", hireDate: "2001-01-01", middle: "Q") with
    {
        Badges = [new PublishedBadge("1201", new DateOnly(2001, 1, 1), new DateOnly(2010, 5, 1)), new PublishedBadge("3302", new DateOnly(2010, 5, 1))],
    };

    private static readonly PublishedOfficer SmithIau = Officer("IAU", "o-js2", "JOHN", "SMITH", employeeId: "1", badges: ["3302"], rank: "SGT", unit: "PRECINCT 3");
    private static readonly PublishedOfficer Diaz = Officer("OPCR", "o-cd", "Carla", "Diaz", employeeId: "3");
    private static readonly PublishedOfficer Brown = Officer("IAU", "o-bb", "Bob", "Brown", employeeId: "2");

    private static readonly PublishedOfficer Young = Officer("OPCR", "o-zy", "Zoe", "Young", employeeId: "9") with
    {
        Badges = [new PublishedBadge("77", new DateOnly(1990, 1, 1), new DateOnly(2000, 1, 1))],
    };

    private static readonly PublishedRecords Opcr = new(
        [Diaz, Smith, Young],
        [
            Case("OPCR", "OPCR-2020-0001", "2020-03-01", "Closed",
                Allegation("o-js", "UseOfForce", "Sustained", discipline: "Suspension", days: 3, final: true),
                Allegation("o-cd", "Courtesy", "Unfounded"),
                Allegation("o-js", "Language", "NotSustained")),
            Case("OPCR", "OPCR-2020-0002", "2020-03-01", "Closed", Allegation("o-cd", "Procedure", "Exonerated")),
            Case("OPCR", "OPCR-2023-0007", "2023-01-10", "Open", Allegation("o-js", "Procedure", pending: true)),
        ]);

    private static readonly PublishedRecords Iau = new(
        [Brown, SmithIau],
        [
            Case("IAU", "IA2019-00001", "2019", "Closed", Allegation("o-js2", "Conduct", "Pending", discipline: "None", final: true)),
            Case("IAU", "IA2021-00002", "2021-05-05", "Closed",
                Allegation("o-bb", "UseOfForce", "Exonerated"),
                Allegation("o-js2", "UseOfForce", "Sustained", discipline: "WrittenReprimand", final: false)),
            Case("IAU", "IA2022-00003", "2022-02-02", "Open", Allegation("o-bb", "Language")),
        ]);

    private static List<OfficerDocument> Build()
    {
        var sources = new[] { Opcr, Iau };
        return [.. OfficerDocumentBuilder.Build(sources, OfficerIdentityResolver.Resolve(sources))];
    }

    [Fact]
    public void One_officer_has_the_history_of_both_sources_newest_first_with_only_his_allegations()
    {
        var smith = Build().Single(d => d.SourceRefs.Contains(Smith.Ref));

        Assert.Equal([SmithIau.Ref, Smith.Ref], smith.SourceRefs);
        Assert.Equal(OfficerIdentityResolver.PublicId(SmithIau.Ref), smith.Id);
        Assert.Equal(["OPCR-2023-0007", "IA2021-00002", "OPCR-2020-0001", "IA2019-00001"], smith.Complaints.Select(c => c.CaseNumber));
        Assert.Equal(["OPCR", "IAU", "OPCR", "IAU"], smith.Complaints.Select(c => c.Source));

        var shared = smith.Complaints.Single(c => c.CaseNumber == "OPCR-2020-0001");
        Assert.Equal(("2020-03-01", "Closed", "Investigation"), (shared.ReceivedDate, shared.Status, shared.IntakeDecision));
        Assert.Equal(["UseOfForce", "Language"], shared.Allegations.Select(a => a.Category));
        Assert.Equal(new AllegationHistoryEntry { Category = "UseOfForce", FinalFinding = "Sustained", DisciplineFinal = true, ImposedDiscipline = "Suspension", ImposedDisciplineDays = 3 }, shared.Allegations[0]);

        // Open: the finding is pending, never shown as final.
        var open = Assert.Single(smith.Complaints[0].Allegations);
        Assert.True(open.FindingPending);
        Assert.Null(open.FinalFinding);

        // Discipline marked as not final is not shown as imposed.
        var notFinal = Assert.Single(smith.Complaints[1].Allegations);
        Assert.Equal(("Sustained", false, (string?)null, (int?)null), (notFinal.FinalFinding, notFinal.DisciplineFinal, notFinal.ImposedDiscipline, notFinal.ImposedDisciplineDays));

        // A "Pending" finding code on a closed case is pending, not final.
        var pendingCode = Assert.Single(smith.Complaints[3].Allegations);
        Assert.True(pendingCode.FindingPending);
        Assert.Null(pendingCode.FinalFinding);
        Assert.Equal("None", pendingCode.ImposedDiscipline);

        // 4 complaints, 5 allegations, 2 sustained (final), 1 with discipline imposed (final, not None).
        Assert.Equal(new OfficerSummary(4, 5, 2, 1), smith.Summary);
    }

    [Fact]
    public void The_officer_is_described_by_the_most_recent_record_with_every_badge_and_name_variant()
    {
        var smith = Build().Single(d => d.SourceRefs.Contains(Smith.Ref));

        // OPCR's record was seen last (a complaint received 2023-01-10; IAU's last is 2021-05-05).
        Assert.Equal("John Q Smith", smith.DisplayName);
        Assert.Equal(["John Q Smith", "JOHN SMITH"], smith.NameVariants);
        Assert.Equal(("Sergeant", "Precinct 3"), (smith.Rank, smith.Unit));
        Assert.Equal(["1201", "3302"], smith.Badges);
        Assert.Equal("3302", smith.CurrentBadge);
        Assert.Equal("current", smith.Status);
    }

    [Fact]
    public void A_complaint_against_two_officers_is_in_both_histories()
    {
        var documents = Build();
        var smith = documents.Single(d => d.SourceRefs.Contains(Smith.Ref));
        var diaz = documents.Single(d => d.SourceRefs.Contains(Diaz.Ref));
        var brown = documents.Single(d => d.SourceRefs.Contains(Brown.Ref));

        Assert.Contains(smith.Complaints, c => c.CaseNumber == "OPCR-2020-0001");
        var forDiaz = diaz.Complaints.Single(c => c.CaseNumber == "OPCR-2020-0001");
        Assert.Equal(["Courtesy"], forDiaz.Allegations.Select(a => a.Category));
        // Same received date: by case number.
        Assert.Equal(["OPCR-2020-0001", "OPCR-2020-0002"], diaz.Complaints.Select(c => c.CaseNumber));
        Assert.Equal(new OfficerSummary(2, 2, 0, 0), diaz.Summary);

        Assert.Contains(smith.Complaints, c => c.CaseNumber == "IA2021-00002");
        Assert.Equal(["IA2022-00003", "IA2021-00002"], brown.Complaints.Select(c => c.CaseNumber));
        Assert.Equal(["UseOfForce"], brown.Complaints[1].Allegations.Select(a => a.Category));
        Assert.True(brown.Complaints[0].Allegations[0].FindingPending); // open, no finding published, no pending flag
    }

    [Fact]
    public void An_officer_without_complaints_gets_a_document()
    {
        var young = Build().Single(d => d.SourceRefs.Contains(Young.Ref));

        Assert.Empty(young.Complaints);
        Assert.Equal(new OfficerSummary(0, 0, 0, 0), young.Summary);
        Assert.Equal(("Zoe Young", "former", (string?)null), (young.DisplayName, young.Status, young.CurrentBadge));
        Assert.Equal(["77"], young.Badges);
        Assert.Null(Build().Single(d => d.SourceRefs.Contains(Diaz.Ref)).Status); // no badge: the records do not say
    }

    [Fact]
    public void An_officer_only_allegations_name_gets_a_document_of_its_own()
    {
        var orphan = new PublishedRecords([], [Case("CRA", "CRA-99-0001", "1999-01-01", "Closed", Allegation("o-unknown", "Language", "Sustained"))]);
        var sources = new[] { Opcr, Iau, orphan };

        var fromSources = OfficerDocumentBuilder.Build(sources, OfficerIdentityResolver.Resolve(sources)).Single(d => d.SourceRefs.Contains(new OfficerSourceRef("CRA", "o-unknown")));
        var withoutIdentity = OfficerDocumentBuilder.Build(sources, OfficerIdentityResolver.Resolve([.. Opcr.Officers, .. Iau.Officers])).Single(d => d.SourceRefs.Contains(new OfficerSourceRef("CRA", "o-unknown")));

        Assert.Equal(OfficerDocumentBuilder.UnnamedOfficer, fromSources.DisplayName);
        Assert.Equal(new OfficerSummary(1, 1, 1, 0), fromSources.Summary);
        Assert.Equal(fromSources.Id, withoutIdentity.Id);
        Assert.Equal(OfficerIdentityResolver.PublicId(new OfficerSourceRef("CRA", "o-unknown")), fromSources.Id);
    }

    [Fact]
    public async Task Documents_are_written_as_json_lines_and_read_back_the_same()
    {
        var documents = Build();
        using var temp = new TempFolder();
        var store = new FolderArtefactStore(temp.Path);

        var info = await IdentityReportIo.WriteDocumentsAsync(store, documents);
        var again = await IdentityReportIo.WriteDocumentsAsync(new FolderArtefactStore(temp.Sub("again")), Build());
        var read = await IdentityReportIo.ReadDocumentsAsync(store);

        Assert.Equal(IdentityReportIo.DocumentsPath, info.Path);
        Assert.Equal(info.Sha256, again.Sha256);
        Assert.NotNull(read);
        Assert.Equal(Json(documents), Json(read));
        var lines = ReleaseTestKit.Text(temp.Path, IdentityReportIo.DocumentsPath).Split('\n');
        Assert.Equal(documents.Count + 1, lines.Length);
        Assert.Equal("", lines[^1]);
        var smith = lines.Single(l => l.Contains("\"o-js\"", StringComparison.Ordinal));
        Assert.StartsWith("{\"id\":\"off-", smith, StringComparison.Ordinal);
        Assert.Contains("\"displayName\":\"John Q Smith\"", smith, StringComparison.Ordinal);
        Assert.Contains("\"sourceRefs\":[{\"source\":\"IAU\",\"officerRef\":\"o-js2\"},{\"source\":\"OPCR\",\"officerRef\":\"o-js\"}]", smith, StringComparison.Ordinal);
        Assert.Contains("\"summary\":{\"complaints\":4,\"allegations\":5,\"sustained\":2,\"disciplineImposed\":1}", smith, StringComparison.Ordinal);
        Assert.DoesNotContain("null", smith, StringComparison.Ordinal);
        Assert.Null(await IdentityReportIo.ReadDocumentsAsync(new FolderArtefactStore(temp.Sub("none"))));
    }

    [Fact]
    public async Task The_identity_report_is_written_as_indented_json()
    {
        var officers = new[]
        {
            Officer("OPCR", "o-01", "Jane", "Doe", birthYear: 1980, hireDate: "2005-01-10"),
            Officer("CRA", "o-02", "JANE A", "DOE", birthYear: 1980, hireDate: "2005-01-10"),
            Officer("CRA", "o-03", "JANE B", "DOE", birthYear: 1980, hireDate: "2005-01-10"),
            Officer("OPCR", "o-04", "Sam", "White", employeeId: "10002", badges: ["77016"]),
            Officer("IAU", "o-05", "Sam", "White", employeeId: "10002", badges: ["77016"]),
        };
        var overrides = IdentityOverrides.Parse("""{ "different": [ { "officers": ["CRA:o-03", "OPCR:o-01"], "note": "sisters" } ], "same": [ { "officers": ["OPCR:o-09", "IAU:o-05"] } ] }""");
        var resolution = OfficerIdentityResolver.Resolve(officers, overrides);
        using var temp = new TempFolder();

        var info = await IdentityReportIo.WriteReportAsync(new FolderArtefactStore(temp.Path), resolution.Report);

        Assert.Equal(IdentityReportIo.ReportPath, info.Path);
        var text = File.ReadAllText(Path.Combine(temp.Path, IdentityReportIo.ReportPath));
        Assert.EndsWith("}\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal(1, root.GetProperty("formatVersion").GetInt32());
        var counts = root.GetProperty("counts");
        Assert.Equal(5, counts.GetProperty("officers").GetInt32());
        Assert.Equal(2, counts.GetProperty("officersBySource").GetProperty("CRA").GetInt32());
        Assert.Equal(1, counts.GetProperty("linksByRule").GetProperty("employeeId").GetInt32());
        Assert.Equal(1, counts.GetProperty("linksByRule").GetProperty("nameBirthYearHireDate").GetInt32());
        Assert.Equal(0, counts.GetProperty("linksByRule").GetProperty("override").GetInt32());
        Assert.Equal(2, counts.GetProperty("mergedGroups").GetInt32());
        Assert.Equal(0, root.GetProperty("ambiguities").GetArrayLength());
        var decisions = root.GetProperty("decisions");
        Assert.Equal(["same", "different"], decisions.EnumerateArray().Select(d => d.GetProperty("kind").GetString()));
        Assert.Equal("sisters", decisions[1].GetProperty("note").GetString());
        Assert.True(decisions[1].GetProperty("applied").GetBoolean());
        Assert.Equal("$.same[0].officers[0]", root.GetProperty("unmatchedOverrides")[0].GetProperty("location").GetString());
        var merged = root.GetProperty("merged");
        Assert.Equal(2, merged.GetArrayLength());
        Assert.All(merged.EnumerateArray(), m => Assert.Matches("^off-[0-9a-f]{16}$", m.GetProperty("id").GetString()));
        Assert.Contains(merged.EnumerateArray(), m => m.GetProperty("links")[0].GetProperty("rule").GetString() == "nameBirthYearHireDate");
    }

    private static string Json(IEnumerable<OfficerDocument> documents) => JsonSerializer.Serialize(documents, IdentityReportIo.DocumentJson);

    [Fact]
    public void A_published_recommendation_is_beside_the_final_outcome_in_the_source_words_and_absent_otherwise()
    {
        // New York's records carry the Board's recommendation; the penalty once decided, or nothing while pending.
        var officer = Officer("CCRB", "o-ny", "Ana", "Ruiz", employeeId: "912345");
        var decided = Allegation("o-ny", "Discrimination", "Sustained", discipline: "Suspension", days: 5, final: true) with
        {
            RecommendedDiscipline = new PublishedCode("Other", "Command Discipline B"),
            ImposedDiscipline = new PublishedCode("Suspension", "Forfeit vacation 5 day(s)"),
        };
        var pending = Allegation("o-ny", "Conduct", "Sustained") with { RecommendedDiscipline = new PublishedCode("Other", "Charges") };
        var none = Allegation("o-ny", "Courtesy", "NotSustained");
        var ccrb = new PublishedRecords([officer], [Case("CCRB", "201900001", "2019-01-15", "Closed", decided, pending, none)]);
        var document = Assert.Single(OfficerDocumentBuilder.Build([ccrb], OfficerIdentityResolver.Resolve([ccrb])));
        var allegations = Assert.Single(document.Complaints).Allegations;

        Assert.Equal(new AllegationHistoryEntry
        {
            Category = "Discrimination", FinalFinding = "Sustained", DisciplineFinal = true, ImposedDiscipline = "Suspension", ImposedDisciplineDays = 5,
            RecommendedDiscipline = "Other", RecommendedDisciplineText = "Command Discipline B", ImposedDisciplineText = "Forfeit vacation 5 day(s)",
        }, allegations[0]);
        Assert.Equal(("Other", "Charges", null, null), (allegations[1].RecommendedDiscipline, allegations[1].RecommendedDisciplineText, allegations[1].ImposedDiscipline, allegations[1].ImposedDisciplineText));
        Assert.Equal(new AllegationHistoryEntry { Category = "Courtesy", FinalFinding = "NotSustained" }, allegations[2]);

        // Minnesota's records have no recommendation: the entry is as it always was, without the source's words.
        var smith = Build().Single(d => d.SourceRefs.Contains(Smith.Ref));
        Assert.All(smith.Complaints.SelectMany(c => c.Allegations), a =>
            Assert.Equal((null, null, null, (int?)null, null), (a.RecommendedFinding, a.RecommendedDiscipline, a.RecommendedDisciplineText, a.RecommendedDisciplineDays, a.ImposedDisciplineText)));
    }
}
