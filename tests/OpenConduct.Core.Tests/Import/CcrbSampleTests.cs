using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Model;
using OpenConduct.Core.Tests.Disclosure;
using OpenConduct.Samples;

namespace OpenConduct.Core.Tests.Import;

/// <summary>
/// The CCRB-shaped sample (samples/exports/ccrb, profile samples/profiles/ccrb.json): five files joined by Complaint Id
/// and Tax ID, the penalties table giving each officer's recommended and final discipline to the officer's sustained
/// allegations of the complaint (<c>disciplineOf</c>). Every row accounted for, with the counts stated, and each quirk
/// checked against the files as written.
/// </summary>
public sealed class CcrbSampleTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "samples", "exports", "ccrb");
    private static readonly string Profiles = Path.Combine(AppContext.BaseDirectory, "samples", "profiles");

    private static readonly DisclosurePolicy NewYork =
        DisclosurePolicyLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "samples", "policies", "new-york.json"));

    private static (ImportReport Report, CanonicalRecordSet Records) Import()
    {
        var records = new CanonicalRecordSet();
        var report = new ExportImporter().Import(MappingProfileLoader.LoadFile(Path.Combine(Profiles, "ccrb.json")), new DirectoryExportFiles(Folder), records);
        Assert.True(report.Succeeded, string.Join("\n", report.Failures));
        return (report, records);
    }

    /// <summary>The rows of a CSV file of the sample (no quoted values in it), header first.</summary>
    private static List<string[]> Rows(string file) => [.. File.ReadLines(Path.Combine(Folder, file)).Select(l => l.Split(','))];

    [Fact]
    public void Every_row_of_the_five_tables_is_accounted_for()
    {
        var (report, records) = Import();

        var files = report.Files.ToDictionary(f => f.Name);
        Assert.All(report.Files, f => Assert.True(f.Reconciles, $"{f.Name} does not reconcile"));
        Assert.Equal((128L, 128L, 0L, 0L, 0L), Counts(files["complaints"]));
        Assert.Equal((50L, 50L, 0L, 0L, 0L), Counts(files["officers"]));
        Assert.Equal((321L, 320L, 0L, 1L, 0L), Counts(files["allegations"]));
        Assert.Equal((62L, 58L, 4L, 0L, 0L), Counts(files["penalties"]));
        Assert.Equal((149L, 149L, 0L, 0L, 0L), Counts(files["complainants"]));
        Assert.Equal((128, 320, 50, 149), (records.Complaints.Count, records.Allegations.Count, records.Officers.Count, records.Complainants.Count));
        Assert.Empty(report.Unmapped);
        Assert.Empty(report.RowErrors);

        // The penalties file is read before the allegations that take its discipline; every penalty found a sustained allegation.
        Assert.True(report.Files.ToList().FindIndex(f => f.Name == "penalties") < report.Files.ToList().FindIndex(f => f.Name == "allegations"));
        Assert.DoesNotContain(report.Notes, n => n.Reason.Contains("given to no allegation", StringComparison.Ordinal));
        var merged = Assert.Single(report.Merges);
        Assert.Equal(4, merged.Count);

        // The generator's own counts agree.
        var generated = SyntheticExports.WriteCcrb(Path.Combine(Path.GetTempPath(), "ccrb-" + Guid.NewGuid().ToString("N")), SyntheticExports.CommittedOptions("CCRB"));
        try
        {
            Assert.Equal((128, 320), (generated.Complaints, generated.Allegations));
        }
        finally
        {
            Directory.Delete(generated.Directory, recursive: true);
        }

        static (long, long, long, long, long) Counts(FileImportStats f) => (f.RowsRead, f.RowsImported, f.RowsMerged, f.DuplicateRows, f.RowsRejected);
    }

    [Fact]
    public void The_boards_recommendation_and_the_nypd_penalty_reach_the_officers_sustained_allegations()
    {
        var (_, records) = Import();
        var penalties = Rows(SyntheticExports.CcrbPenaltiesFile).Skip(1).ToList();
        var taxIds = records.Officers.ToDictionary(o => o.Key, o => o.EmployeeId!);

        // "Substantiated (Command Discipline B)": the Board's finding, with its recommendation in parentheses.
        var substantiated = records.Allegations.Where(a => a.FinalFinding.Value == Finding.Sustained).ToList();
        Assert.Equal(68, substantiated.Count);
        // Each field keeps the part of the cell its group captured as its raw value.
        Assert.All(substantiated, a => Assert.Equal("Substantiated", a.FinalFinding.Raw));
        Assert.All(substantiated, a => Assert.NotNull(a.RecommendedDiscipline.Value));
        var dispositions = Rows(SyntheticExports.CcrbAllegationsFile).Skip(1).Where(r => r[6].StartsWith("Substantiated (", StringComparison.Ordinal)).ToDictionary(r => r[2], r => r[6]);
        Assert.Equal(68, dispositions.Count);
        Assert.All(substantiated, a => Assert.Equal(dispositions[a.AllegationId!], $"Substantiated ({a.RecommendedDiscipline.Raw})"));
        var cdb = substantiated.First(a => a.RecommendedDiscipline.Raw == "Command Discipline B");
        Assert.Equal(DisciplineKind.Other, cdb.RecommendedDiscipline.Value);
        Assert.Equal(DisciplineKind.Training, substantiated.First(a => a.RecommendedDiscipline.Raw == "Formalized Training").RecommendedDiscipline.Value);

        // Days counted in the penalty's text: "Forfeit vacation 5 day(s)" is 5 days of penalty, final.
        var row = penalties.First(p => p[9].StartsWith("Forfeit vacation ", StringComparison.Ordinal) && penalties.Count(q => q[1] == p[1] && Tax(q[2]) == Tax(p[2])) == 1);
        var days = int.Parse(row[9].Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture);
        var taking = substantiated.Where(a => a.CaseNumber == row[1] && taxIds[a.OfficerKey] == Tax(row[2])).ToList();
        Assert.NotEmpty(taking);
        Assert.All(taking, a =>
        {
            Assert.Equal(new Coded<DisciplineKind>(DisciplineKind.Suspension, row[9]), a.ImposedDiscipline);
            Assert.Equal(days, a.ImposedDisciplineDays);
            Assert.True(a.DisciplineFinal);
        });

        // The same officer's allegations of that case that were not sustained take nothing from the penalty.
        Assert.All(records.Allegations.Where(a => a.CaseNumber == row[1] && !a.OfficerUnidentified && taxIds[a.OfficerKey] == Tax(row[2]) && a.FinalFinding.Value != Finding.Sustained),
            a => Assert.Null(a.ImposedDiscipline.Raw));

        // A blank penalty: pending, so the recommendation stands alone and finality is unknown.
        var pending = penalties.Where(p => p[9].Length == 0).ToList();
        Assert.Equal(7, pending.Count);
        Assert.All(pending, p => Assert.All(
            substantiated.Where(a => a.CaseNumber == p[1] && taxIds[a.OfficerKey] == Tax(p[2])),
            a => Assert.Equal((null, (int?)null, (bool?)null), (a.ImposedDiscipline.Raw, a.ImposedDisciplineDays, a.DisciplineFinal))));

        // Two penalty rows of one officer and complaint: the more severe discipline, both texts in the raw value.
        var twice = penalties.GroupBy(p => (p[1], Tax(p[2]))).Where(g => g.Count() > 1).ToList();
        Assert.Equal(4, twice.Count);
        foreach (var group in twice)
        {
            var texts = string.Join(" / ", group.Select(p => p[9]).Distinct());
            Assert.All(substantiated.Where(a => a.CaseNumber == group.Key.Item1 && taxIds[a.OfficerKey] == group.Key.Item2),
                a => Assert.Equal(texts, a.ImposedDiscipline.Raw));
        }

        static string Tax(string cell) => cell.EndsWith(".0", StringComparison.Ordinal) ? cell[..^2] : cell;
    }

    [Fact]
    public void New_york_publishes_recommended_beside_final_and_minnesota_withholds_the_recommendation()
    {
        var (_, records) = Import();
        var allegation = records.Allegations.First(a => a.FinalFinding.Value == Finding.Sustained && a.ImposedDisciplineDays is not null);
        var complaint = records.Complaints.Single(c => c.CaseNumber == allegation.CaseNumber);
        var officers = records.Officers.ToDictionary(o => o.Key);

        var ny = RedactorTests.NewRedactor(NewYork).RedactCase(complaint, [allegation], [], k => officers.GetValueOrDefault(k));
        var published = Assert.Single(ny.Allegations);
        Assert.Equal(allegation.RecommendedDiscipline, published.RecommendedDiscipline);
        Assert.Equal(allegation.ImposedDiscipline, published.ImposedDiscipline);
        Assert.Equal(allegation.ImposedDisciplineDays, published.ImposedDisciplineDays);

        var mn = RedactorTests.NewRedactor(RedactorTests.Minnesota).RedactCase(complaint, [allegation], [], k => officers.GetValueOrDefault(k));
        var withheld = Assert.Single(mn.Allegations);
        Assert.Null(withheld.RecommendedDiscipline.Raw);
        Assert.Equal(allegation.ImposedDiscipline, withheld.ImposedDiscipline);

        // A recommendation whose penalty is pending: published under New York, the penalty not (not final).
        var waiting = records.Allegations.First(a => a.RecommendedDiscipline.Raw is not null && a.ImposedDiscipline.Raw is null && a.FinalFinding.Value == Finding.Sustained);
        var waitingCase = records.Complaints.Single(c => c.CaseNumber == waiting.CaseNumber);
        var early = Assert.Single(RedactorTests.NewRedactor(NewYork).RedactCase(waitingCase, [waiting], [], k => officers.GetValueOrDefault(k)).Allegations);
        Assert.Equal(waiting.RecommendedDiscipline, early.RecommendedDiscipline);
        Assert.Null(early.ImposedDiscipline.Raw);
    }

    [Fact]
    public void Complainants_of_the_sample_are_never_on_a_record_under_new_york()
    {
        var (_, records) = Import();
        var officers = records.Officers.ToDictionary(o => o.Key);
        var redactor = RedactorTests.NewRedactor(NewYork);
        foreach (var complaint in records.Complaints)
        {
            var redacted = redactor.RedactCase(complaint, [.. records.Allegations.Where(a => a.CaseNumber == complaint.CaseNumber)],
                [.. records.Complainants.Where(c => c.CaseNumber == complaint.CaseNumber)], k => officers.GetValueOrDefault(k));
            Assert.All(redacted.Complainants, c => Assert.Equal((null, null, null, null), (c.FirstName, c.LastName, c.Address, c.Phone)));
        }
    }

    [Fact]
    public void A_file_that_gives_discipline_is_checked_when_the_profile_loads()
    {
        var profile = File.ReadAllText(Path.Combine(Profiles, "ccrb.json"));

        // It holds nothing: a penalties file that claims to hold allegations would count them twice.
        var holding = Assert.Throws<ProfileException>(() => MappingProfileLoader.Parse(profile.Replace("\"holds\": [],", "\"holds\": [\"allegation\"],", StringComparison.Ordinal)));
        Assert.Contains(holding.Errors, e => e.Contains("holds no entity", StringComparison.Ordinal));

        // It names a file of allegations.
        var target = Assert.Throws<ProfileException>(() => MappingProfileLoader.Parse(profile.Replace("\"disciplineOf\": \"allegations\"", "\"disciplineOf\": \"officers\"", StringComparison.Ordinal)));
        Assert.Contains(target.Errors, e => e.Contains("no other file named 'officers' holds allegations", StringComparison.Ordinal));

        // It maps only references and discipline fields.
        var other = Assert.Throws<ProfileException>(() => MappingProfileLoader.Parse(profile.Replace("\"Board Discipline Recommendation\": { \"field\": \"allegation.recommendedDiscipline\"", "\"Board Discipline Recommendation\": { \"field\": \"allegation.category\"", StringComparison.Ordinal)));
        Assert.Contains(other.Errors, e => e.Contains("not 'allegation.category'", StringComparison.Ordinal));

        // A file without disciplineOf holds at least one entity.
        var empty = Assert.Throws<ProfileException>(() => MappingProfileLoader.Parse(profile.Replace("\"disciplineOf\": \"allegations\",", "", StringComparison.Ordinal)));
        Assert.Contains(empty.Errors, e => e.Contains("a file holds at least one entity", StringComparison.Ordinal));
    }
}
