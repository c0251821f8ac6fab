using System.Text;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Storage;
using OpenConduct.Core.Tests.Disclosure;
using OpenConduct.Core.Tests.Release;
using OpenConduct.Samples;
using static OpenConduct.Core.Tests.Officers.OfficerTestKit;

namespace OpenConduct.Core.Tests.Officers;

/// <summary>
/// The committed samples, published as releases and read back: the generator's roster is shared by the three sources
/// (OPCR's officers file lists the whole roster; IAU names officers by the same employee ids; CRA by name, birth year
/// and appointment date), so the expected officers follow from the roster, not from the resolver.
/// </summary>
public sealed class SampleIdentityTests
{
    [Fact]
    public async Task Under_Minnesota_OPCR_and_IAU_officers_merge_on_the_employee_id_and_CRA_officers_stay_alone()
    {
        using var temp = new TempFolder();
        var store = await PublishSamplesAsync(temp.Path);
        var sources = await PublishedRecords.ReadLatestAsync(store, SampleSources);

        var resolution = OfficerIdentityResolver.Resolve(sources);

        var (expected, _) = Expected(birthYearPublished: false);
        Assert.Equal(expected, Groups(resolution));
        Assert.All(resolution.Groups.Where(g => g.Members.Count > 1), g => Assert.Equal([IdentityRule.EmployeeId], g.Rules));
        Assert.Empty(resolution.Report.Ambiguities);
        Assert.Equal(0, resolution.Report.Counts.LinksByRule[IdentityRule.NameBirthYearHireDate]);
        Assert.True(resolution.Report.Counts.MergedGroups >= 10, $"only {resolution.Report.Counts.MergedGroups} officers merged");
        Assert.Equal(sources.Sum(s => s.Officers.Count), resolution.Report.Counts.Officers);
        OfficerIdentityResolverTests.AssertOneSourceEach(resolution);
    }

    [Fact]
    public async Task With_birth_years_published_CRA_officers_merge_by_name_birth_year_and_appointment_date()
    {
        using var temp = new TempFolder();
        var store = await PublishSamplesAsync(temp.Path, MinnesotaWithBirthYear);
        var sources = await PublishedRecords.ReadLatestAsync(store, SampleSources);

        var resolution = OfficerIdentityResolver.Resolve(sources);

        var (expected, craMerged) = Expected(birthYearPublished: true);
        Assert.True(craMerged >= 5, $"only {craMerged} CRA officers are expected to merge");
        Assert.Equal(expected, Groups(resolution));
        Assert.Equal(craMerged, resolution.Report.Counts.LinksByRule[IdentityRule.NameBirthYearHireDate]);
        Assert.All(
            resolution.Groups.Where(g => g.Members.Any(m => m.Source == "CRA") && g.Members.Count > 1),
            g => Assert.Contains(g.Links, l => l.Rule == IdentityRule.NameBirthYearHireDate && (l.From.Source == "CRA" || l.To.Source == "CRA")));
        Assert.Empty(resolution.Report.Ambiguities);
        OfficerIdentityResolverTests.AssertOneSourceEach(resolution);
    }

    [Fact]
    public async Task Under_Minnesota_CRA_officers_are_undecided_candidates_of_their_roster_officer_by_name_and_hire_date()
    {
        using var temp = new TempFolder();
        var store = await PublishSamplesAsync(temp.Path);
        var sources = await PublishedRecords.ReadLatestAsync(store, SampleSources);

        var resolution = OfficerIdentityResolver.Resolve(sources);

        // Every candidate names one roster officer only (precision), and every CRA officer with an appointment date is
        // in a candidate (recall); none is merged.
        var (truth, craWithHireDate) = Truth();
        var candidates = resolution.Report.Candidates;
        Assert.NotEmpty(candidates);
        Assert.All(candidates, c =>
        {
            Assert.Equal((IdentityRule.NameAndHireDate, CandidateDecision.Undecided), (c.Rule, c.Decision));
            Assert.Single(c.Officers.Select(o => truth[o.Officer]).Distinct());
            Assert.All(c.Pairs, p => Assert.Contains("hireDate", p.Agree));
        });
        Assert.Equal(craWithHireDate.Order(StringComparer.Ordinal), candidates.SelectMany(c => c.Officers).Select(o => o.Officer).Where(o => o.StartsWith("CRA:", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(0, resolution.Report.Counts.LinksByRule[IdentityRule.NameAndHireDate]);
        Assert.Equal(candidates.Count, resolution.Report.Counts.Undecided);
    }

    [Fact]
    public async Task With_name_and_hire_date_in_the_policy_CRA_officers_merge_through_the_releases()
    {
        var minnesota = RedactorTests.Minnesota;
        var policy = new DisclosurePolicy
        {
            Name = "minnesota, name and hire date merge",
            Default = minnesota.Default,
            Fields = minnesota.Fields,
            Sensitivity = minnesota.Sensitivity,
            Finality = minnesota.Finality,
            Aggregation = minnesota.Aggregation,
            Pseudonymization = minnesota.Pseudonymization,
            Identity = new IdentityPolicy { AutoMerge = [IdentityPolicy.NameAndHireDate] },
        };
        using var temp = new TempFolder();
        var store = await PublishSamplesAsync(temp.Path, policy);
        var sources = await PublishedRecords.ReadLatestAsync(store, SampleSources);
        Assert.All(sources, s => Assert.Equal([IdentityPolicy.NameAndHireDate], s.IdentityAutoMerge));

        var resolution = OfficerIdentityResolver.Resolve(sources);

        // A CRA officer merges with its roster officer when it is the only CRA officer of that person with an
        // appointment date; a person CRA split into two such officers stays a candidate (two candidates).
        var (truth, craWithHireDate) = Truth();
        var byPerson = craWithHireDate.GroupBy(o => truth[o]).ToList();
        var alone = byPerson.Where(g => g.Count() == 1).Select(g => g.Single()).ToList();
        Assert.True(alone.Count >= 5, $"only {alone.Count} CRA officers are expected to merge");
        Assert.Equal(alone.Count, resolution.Report.Counts.LinksByRule[IdentityRule.NameAndHireDate]);
        Assert.All(alone, o => Assert.Contains(truth[o], resolution.Groups.Single(g => g.Members.Any(m => m.ToString() == o)).Members.Select(m => truth[m.ToString()])));
        Assert.All(resolution.Groups, g => Assert.Single(g.Members.Select(m => truth[m.ToString()]).Distinct()));
        Assert.All(resolution.Report.Candidates.Where(c => c.Decision == CandidateDecision.Undecided), c => Assert.Equal(AmbiguityKind.MultipleCandidates, c.Kind));
        Assert.Equal(byPerson.Count(g => g.Count() > 1), resolution.Report.Candidates.Count(c => c.Decision == CandidateDecision.Undecided));
        OfficerIdentityResolverTests.AssertOneSourceEach(resolution);
    }

    [Fact]
    public async Task Ids_documents_and_report_are_the_same_for_a_new_release_of_the_same_records()
    {
        using var temp = new TempFolder();
        var first = await PublishSamplesAsync(temp.Sub("a"));
        var second = await PublishSamplesAsync(temp.Sub("b"), pulledAt: ReleaseTestKit.PublishedAt.AddDays(14));
        Assert.NotEqual(await first.GetLatestAsync("opcr"), await second.GetLatestAsync("opcr"));

        var outputs = new List<(string Report, string Documents, List<string> Ids)>();
        foreach (var (store, name) in new[] { (first, "a"), (second, "b") })
        {
            var sources = await PublishedRecords.ReadLatestAsync(store, SampleSources);
            var resolution = OfficerIdentityResolver.Resolve(sources);
            var index = new FolderArtefactStore(temp.Sub("index-" + name));
            await IdentityReportIo.WriteReportAsync(index, resolution.Report);
            await IdentityReportIo.WriteDocumentsAsync(index, OfficerDocumentBuilder.Build(sources, resolution));
            outputs.Add((
                File.ReadAllText(Path.Combine(index.Location, IdentityReportIo.ReportPath), Encoding.UTF8),
                ReleaseTestKit.Text(index.Location, IdentityReportIo.DocumentsPath),
                [.. resolution.Groups.Select(g => g.Id)]));
        }

        Assert.Equal(outputs[0].Ids, outputs[1].Ids);
        Assert.Equal(outputs[0].Report, outputs[1].Report);
        Assert.Equal(outputs[0].Documents, outputs[1].Documents);
    }

    [Fact]
    public async Task Every_published_allegation_is_in_exactly_one_history_and_every_officer_has_a_document()
    {
        using var temp = new TempFolder();
        var store = await PublishSamplesAsync(temp.Path, MinnesotaWithBirthYear);
        var sources = await PublishedRecords.ReadLatestAsync(store, SampleSources);
        var resolution = OfficerIdentityResolver.Resolve(sources);

        var documents = OfficerDocumentBuilder.Build(sources, resolution).ToList();

        Assert.Equal(resolution.Groups.Select(g => g.Id), documents.Select(d => d.Id));
        Assert.Equal(documents.Select(d => d.Id).Order(StringComparer.Ordinal), documents.Select(d => d.Id));
        var refs = documents.SelectMany(d => d.SourceRefs).ToList();
        Assert.Equal(sources.Sum(s => s.Officers.Count), refs.Count);
        Assert.Equal(refs.Count, refs.Distinct().Count());
        Assert.Equal(sources.Sum(s => s.Cases.Sum(c => c.Allegations.Count)), documents.Sum(d => d.Summary.Allegations));
        Assert.Equal(documents.Sum(d => d.Complaints.Sum(c => c.Allegations.Count)), documents.Sum(d => d.Summary.Allegations));
        Assert.Contains(documents, d => d.Complaints.Count == 0);
        Assert.Contains(documents, d => d.Complaints.Select(c => c.Source).Distinct().Count() == 3);
        Assert.All(documents, d =>
        {
            Assert.Equal(d.Complaints.Count, d.Summary.Complaints);
            Assert.Equal(d.Complaints.Count, d.Complaints.Select(c => (c.Source, c.CaseNumber)).Distinct().Count());
            Assert.Equal(d.DisplayName, d.NameVariants[0]);
            Assert.NotEqual(OfficerDocumentBuilder.UnnamedOfficer, d.DisplayName);
            Assert.All(d.Complaints.SelectMany(c => c.Allegations), a => Assert.False(a.FindingPending && a.FinalFinding is not null));
        });

        // A complaint naming several officers is in the history of each.
        var shared = sources.SelectMany(s => s.Cases).First(c => c.Allegations.Select(a => resolution.IdOf(c.Source, a.OfficerRef)).Distinct().Count() > 1);
        var named = shared.Allegations.Select(a => resolution.IdOf(shared.Source, a.OfficerRef)).Distinct().ToList();
        Assert.All(named, id => Assert.Contains(documents.Single(d => d.Id == id).Complaints, c => c.CaseNumber == shared.CaseNumber && c.Source == shared.Source));

        // Open complaints show no final finding.
        var open = documents.SelectMany(d => d.Complaints).Where(c => c.Status == "Open").ToList();
        Assert.NotEmpty(open);
        Assert.All(open.SelectMany(c => c.Allegations), a => Assert.True(a.FindingPending && a.FinalFinding is null));
    }

    /// <summary>
    /// The officers the resolution must find, from the unredacted samples: the roster is OPCR's officers file (the
    /// generator writes every roster officer there, and their names are unique), an IAU officer is the roster officer
    /// with its employee id, a CRA officer the roster officer with its name. CRA writes an officer's birth year or
    /// appointment date as N/A on some rows, which makes another CRA officer (another key): only the one with both
    /// merges, by rule 3, and only while the birth year is published on both sides.
    /// </summary>
    private static (HashSet<string> Groups, int CraMerged) Expected(bool birthYearPublished)
    {
        var records = ImportSamples();
        var roster = records.Officers.Where(o => o.Source == "OPCR").ToList();
        Assert.Equal(Roster(), roster.Count);
        Assert.Equal(roster.Count, roster.Select(o => (o.FirstName!.ToUpperInvariant(), o.LastName!.ToUpperInvariant())).Distinct().Count());
        var members = roster.ToDictionary(o => o, o => new List<OfficerSourceRef> { RefOf(o) });
        var alone = new List<OfficerSourceRef>();
        var craMerged = 0;
        foreach (var officer in records.Officers.Where(o => o.Source == "IAU"))
        {
            members[roster.Single(r => r.EmployeeId == officer.EmployeeId)].Add(RefOf(officer));
        }

        foreach (var officer in records.Officers.Where(o => o.Source == "CRA"))
        {
            var truth = roster.Single(r => r.LastName!.ToUpperInvariant() == officer.LastName && r.FirstName!.ToUpperInvariant() == officer.FirstName);
            if (officer.BirthYear is not null)
            {
                Assert.Equal(truth.BirthYear ?? officer.BirthYear, officer.BirthYear);
            }

            if (officer.HireDate is not null)
            {
                Assert.Equal(truth.HireDate, officer.HireDate);
            }

            if (birthYearPublished && officer.BirthYear is not null && officer.HireDate is not null && truth.BirthYear is not null)
            {
                members[truth].Add(RefOf(officer));
                craMerged++;
            }
            else
            {
                alone.Add(RefOf(officer));
            }
        }

        return ([.. members.Values.Select(m => Joined([.. m])), .. alone.Select(a => Joined(a))], craMerged);
    }

    /// <summary>
    /// Each published officer of the samples (<c>{source}:{officerRef}</c>) with its roster officer (as the OPCR
    /// reference), from the unredacted samples; and the CRA officers that publish an appointment date.
    /// </summary>
    private static (Dictionary<string, string> Truth, List<string> CraWithHireDate) Truth()
    {
        var records = ImportSamples();
        var roster = records.Officers.Where(o => o.Source == "OPCR").ToList();
        var truth = new Dictionary<string, string>(StringComparer.Ordinal);
        var craWithHireDate = new List<string>();
        foreach (var officer in records.Officers)
        {
            var person = officer.Source switch
            {
                "OPCR" => officer,
                "IAU" => roster.Single(r => r.EmployeeId == officer.EmployeeId),
                _ => roster.Single(r => r.LastName!.ToUpperInvariant() == officer.LastName && r.FirstName!.ToUpperInvariant() == officer.FirstName),
            };
            truth[RefOf(officer).ToString()] = RefOf(person).ToString();
            if (officer.Source == "CRA" && officer.HireDate is not null && person.HireDate is not null)
            {
                craWithHireDate.Add(RefOf(officer).ToString());
            }
        }

        return (truth, craWithHireDate);
    }

    /// <summary>The roster size the generator uses for the committed samples (the same for the three).</summary>
    private static int Roster()
    {
        var root = Path.Combine(Path.GetTempPath(), "oc-roster-" + Guid.NewGuid().ToString("N"));
        try
        {
            var sizes = SyntheticExports.WriteCommittedSamples(root).Select(r => r.Officers).Distinct().ToList();
            return Assert.Single(sizes);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
