using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Storage;
using OpenConduct.Core.Tests.Release;
using static OpenConduct.Core.Tests.Officers.OfficerTestKit;

namespace OpenConduct.Core.Tests.Officers;

/// <summary>
/// The candidate rules (name and hire date; name, unit and complaint years): reported with their evidence, undecided,
/// unless the policy enables them (docs/officers.md#candidate-rules); overrides still win.
/// </summary>
public sealed class CandidateRuleTests
{
    private static readonly IdentityOptions NameAndHireDate = new() { AutoMerge = [IdentityRule.NameAndHireDate] };
    private static readonly IdentityOptions Both = new() { AutoMerge = [.. IdentityOptions.CandidateRules] };

    // A CRA officer known by name and appointment date only (Minnesota drops birth years), and the OPCR officer.
    private static readonly PublishedOfficer Cra = Officer("CRA", "o-01", "MARIA T", "DE LA CRUZ", hireDate: "2001-06-04");
    private static readonly PublishedOfficer Opcr = Officer("OPCR", "o-02", "María", "DeLaCruz", employeeId: "10234", badges: ["1201"], hireDate: "2001-06", unit: "Precinct 3");

    private static readonly PublishedCase[] Cases =
    [
        Case("CRA", "CRA-1999-01", "1999-03-02", "Closed", Allegation("o-01")),
        Case("CRA", "CRA-2003-07", "2003-11", "Closed", Allegation("o-01"), Allegation("o-01", "Language")),
        Case("OPCR", "OPCR-2010-0001", "2010-01-05", "Closed", Allegation("o-02")),
    ];

    [Fact]
    public void Name_and_hire_date_is_reported_undecided_with_its_evidence_and_not_merged_by_default()
    {
        var resolution = OfficerIdentityResolver.Resolve([Cra, Opcr], cases: Cases);

        Assert.Equal(2, resolution.Groups.Count);
        Assert.Empty(resolution.Report.Ambiguities);
        var set = Assert.Single(resolution.Report.Candidates);
        Assert.Equal((IdentityRule.NameAndHireDate, CandidateDecision.Undecided, (AmbiguityKind?)null), (set.Rule, set.Decision, set.Kind));
        Assert.Equal(["CRA", "OPCR"], set.Sources);
        Assert.Contains("undecided", set.Reason, StringComparison.Ordinal);
        Assert.Equal(["CRA:o-01", "OPCR:o-02"], set.Officers.Select(o => o.Officer));

        var pair = Assert.Single(set.Pairs);
        Assert.Equal(("CRA:o-01", "OPCR:o-02", (string?)null), (pair.First, pair.Second, pair.Conflict));
        Assert.Equal(["name", "hireDate"], pair.Agree);
        Assert.Equal(["complaintYears"], pair.Differ); // 1999-2003 and 2010 do not overlap: evidence, not a contradiction
        Assert.Equal(["employeeId", "badges", "birthYear", "unit"], pair.Unknown);

        var cra = set.Officers[0];
        Assert.Equal((resolution.IdOf("CRA", "o-01"), "MARIA T DE LA CRUZ", "2001-06-04", (string?)null), (cra.Id, cra.Name, cra.HireDate, cra.Unit));
        Assert.Equal((2, 1999, 2003), (cra.Complaints, cra.FirstComplaintYear, cra.LastComplaintYear));
        var opcr = set.Officers[1];
        Assert.Equal(("10234", "Precinct 3", 1, 2010, 2010), (opcr.EmployeeId, opcr.Unit, opcr.Complaints, opcr.FirstComplaintYear, opcr.LastComplaintYear));
        Assert.Equal(["1201"], opcr.Badges);

        var counts = resolution.Report.Counts;
        Assert.Equal((1, 1, 0), (counts.Candidates, counts.Undecided, counts.LinksByRule[IdentityRule.NameAndHireDate]));
    }

    [Fact]
    public void The_complaint_years_are_compared_in_the_evidence()
    {
        var resolution = OfficerIdentityResolver.Resolve([Cra, Opcr with { HireDate = "2001" }], cases: [.. Cases, Case("OPCR", "OPCR-2002-0009", "2002-02-02", "Closed", Allegation("o-02"))]);

        var pair = Assert.Single(Assert.Single(resolution.Report.Candidates).Pairs);
        Assert.Equal(["name", "hireDate", "complaintYears"], pair.Agree);
        Assert.Equal(["employeeId", "badges", "birthYear", "unit"], pair.Unknown);
    }

    [Fact]
    public void A_rule_the_policy_enables_merges()
    {
        var resolution = OfficerIdentityResolver.Resolve([Cra, Opcr], options: NameAndHireDate, cases: Cases);

        var group = Assert.Single(resolution.Groups);
        Assert.Equal([IdentityRule.NameAndHireDate], group.Rules);
        Assert.Equal(1, resolution.Report.Counts.LinksByRule[IdentityRule.NameAndHireDate]);
        var set = Assert.Single(resolution.Report.Candidates);
        Assert.Equal(CandidateDecision.Merged, set.Decision);
        Assert.All(set.Officers, o => Assert.Equal(group.Id, o.Id));
        Assert.Equal(0, resolution.Report.Counts.Undecided);
        Assert.Contains("merged", set.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_candidate_rule_merges_two_sources_only_when_the_policies_of_both_enable_it()
    {
        var onlyCra = new IdentityOptions
        {
            AutoMergeBySource = new Dictionary<string, IReadOnlyList<IdentityRule>> { ["cra"] = [IdentityRule.NameAndHireDate], ["OPCR"] = [] },
        };
        var both = onlyCra with { AutoMergeBySource = new Dictionary<string, IReadOnlyList<IdentityRule>> { ["cra"] = [IdentityRule.NameAndHireDate], ["opcr"] = [IdentityRule.NameAndHireDate] } };

        Assert.Equal(2, OfficerIdentityResolver.Resolve([Cra, Opcr], options: onlyCra).Groups.Count);
        Assert.Single(OfficerIdentityResolver.Resolve([Cra, Opcr], options: both).Groups);
        Assert.False(onlyCra.Merges(IdentityRule.NameAndHireDate, "CRA", "OPCR"));
        Assert.True(onlyCra.Merges(IdentityRule.EmployeeId, "CRA", "OPCR"));
    }

    [Fact]
    public void A_different_override_beats_an_enabled_rule_and_a_same_override_needs_none()
    {
        var different = IdentityOverrides.Parse("""{ "different": [ { "officers": ["CRA:o-01", "OPCR:o-02"], "note": "two people" } ] }""");
        var apart = OfficerIdentityResolver.Resolve([Cra, Opcr], different, Both, Cases);

        Assert.Equal(2, apart.Groups.Count);
        Assert.Empty(apart.Report.Candidates);
        Assert.Empty(apart.Report.Ambiguities);
        var decision = Assert.Single(apart.Report.Decisions);
        Assert.True(decision.Applied);
        Assert.Equal("kept apart: CRA:o-01 and OPCR:o-02 (matched by nameAndHireDate)", decision.Effect);

        var same = IdentityOverrides.Parse("""{ "same": [ { "officers": ["CRA:o-01", "OPCR:o-02"] } ] }""");
        var merged = OfficerIdentityResolver.Resolve([Cra, Opcr], same, cases: Cases);
        Assert.Equal([IdentityRule.Override], Assert.Single(merged.Groups).Rules);
        Assert.Empty(merged.Report.Candidates);
    }

    [Fact]
    public void An_officer_whose_badge_changed_between_sources_is_a_candidate_with_the_badges_differing()
    {
        // No employee ids; OPCR lists the current badge, IAU the old one: no rule 2 match, a rule 4 candidate.
        var opcr = Officer("OPCR", "o-10", "Dana", "Scully", badges: ["3300"], hireDate: "1995-01-09");
        var iau = Officer("IAU", "o-11", "DANA", "SCULLY", badges: ["1201"], hireDate: "1995-01-09");

        var undecided = OfficerIdentityResolver.Resolve([opcr, iau]);
        var pair = Assert.Single(Assert.Single(undecided.Report.Candidates).Pairs);
        Assert.Equal(["badges"], pair.Differ);
        Assert.Equal(2, undecided.Groups.Count);

        var merged = OfficerIdentityResolver.Resolve([opcr, iau], options: NameAndHireDate);
        Assert.Equal([IdentityRule.NameAndHireDate], Assert.Single(merged.Groups).Rules);
    }

    [Fact]
    public void Name_unit_and_overlapping_complaint_years_is_a_candidate()
    {
        var iau = Officer("IAU", "o-20", "Lee", "Park", unit: "Precinct 01");
        var opcr = Officer("OPCR", "o-21", "LEE", "PARK", unit: "PRECINCT 1");
        var later = Officer("CRA", "o-22", "Lee", "Park", unit: "Precinct 1");
        PublishedCase[] cases =
        [
            Case("IAU", "I-1", "2010-04-01", "Closed", Allegation("o-20")),
            Case("IAU", "I-2", "2012", "Closed", Allegation("o-20")),
            Case("OPCR", "P-1", "2011-08-30", "Open", Allegation("o-21")),
            Case("OPCR", "P-2", "2015-01-01", "Open", Allegation("o-21")),
            Case("CRA", "C-1", "2001-01-01", "Closed", Allegation("o-22")),
        ];

        var resolution = OfficerIdentityResolver.Resolve([iau, opcr, later], cases: cases);

        var set = Assert.Single(resolution.Report.Candidates);
        Assert.Equal((IdentityRule.NameUnitYears, CandidateDecision.Undecided), (set.Rule, set.Decision));
        Assert.Equal(["IAU:o-20", "OPCR:o-21"], set.Officers.Select(o => o.Officer));
        Assert.Equal(["name", "unit", "complaintYears"], Assert.Single(set.Pairs).Agree);
        Assert.Equal(3, resolution.Groups.Count);

        var merged = OfficerIdentityResolver.Resolve([iau, opcr, later], options: new IdentityOptions { AutoMerge = [IdentityRule.NameUnitYears] }, cases: cases);
        Assert.Contains(Joined(iau.Ref, opcr.Ref), Groups(merged));
        Assert.Contains(Joined(later.Ref), Groups(merged));
    }

    [Fact]
    public void Matches_that_published_identifiers_contradict_are_no_candidates()
    {
        // Same name and hire date, but the birth years differ (namesakes of one academy class), or the employee ids;
        // same name and unit in overlapping years, but the hire dates differ.
        var opcr = Officer("OPCR", "o-30", "Orlo", "Fenwick", birthYear: 1970, hireDate: "1994-05-02");
        var iau = Officer("IAU", "o-31", "ORLO", "FENWICK", birthYear: 1972, hireDate: "1994-05-02");
        var cra = Officer("CRA", "o-32", "DAVID", "JONES", hireDate: "1994-05-02", employeeId: "7");
        var opcrOther = Officer("OPCR", "o-33", "David", "Jones", hireDate: "1994-05-02", employeeId: "8");
        var iauUnit = Officer("IAU", "o-34", "Kim", "Ng", hireDate: "2003-01-06", unit: "Precinct 4");
        var opcrUnit = Officer("OPCR", "o-35", "Kim", "Ng", hireDate: "2007-07-16", unit: "Precinct 4");
        PublishedCase[] cases = [Case("IAU", "I-1", "2012", "Closed", Allegation("o-34")), Case("OPCR", "P-1", "2012", "Closed", Allegation("o-35"))];

        var resolution = OfficerIdentityResolver.Resolve([opcr, iau, cra, opcrOther, iauUnit, opcrUnit], options: Both, cases: cases);

        Assert.Equal(6, resolution.Groups.Count);
        Assert.Empty(resolution.Report.Candidates);
        Assert.Empty(resolution.Report.Ambiguities);
        Assert.Equal(2, resolution.Report.Counts.NotCandidates[IdentityRule.NameAndHireDate]);
        Assert.Equal(1, resolution.Report.Counts.NotCandidates[IdentityRule.NameUnitYears]);
    }

    [Fact]
    public void Several_candidates_stay_undecided_even_when_the_rule_is_enabled()
    {
        // CRA wrote one officer twice (a row without the birth year): two CRA officers match the OPCR one.
        var first = Officer("CRA", "o-40", "PAT", "QUINN", hireDate: "1985-03-01");
        var second = Officer("CRA", "o-41", "PAT", "QUINN", hireDate: "1985-03-01");
        var opcr = Officer("OPCR", "o-42", "Pat", "Quinn", hireDate: "1985-03-01");

        var resolution = OfficerIdentityResolver.Resolve([first, second, opcr], options: NameAndHireDate);

        Assert.Equal(3, resolution.Groups.Count);
        var set = Assert.Single(resolution.Report.Candidates);
        Assert.Equal((CandidateDecision.Undecided, (AmbiguityKind?)AmbiguityKind.MultipleCandidates), (set.Decision, set.Kind));
        Assert.Equal(["CRA:o-40", "CRA:o-41", "OPCR:o-42"], set.Officers.Select(o => o.Officer));
        Assert.Equal(2, set.Pairs.Count);
        Assert.Contains("OPCR:o-42 matches 2 officers of CRA", set.Reason, StringComparison.Ordinal);
        Assert.Empty(resolution.Report.Ambiguities);
    }

    [Fact]
    public void A_weaker_enabled_rule_does_not_merge_an_officer_left_undecided_with_someone_else()
    {
        // nameAndHireDate (not enabled) matches IAU o-50 with OPCR o-51; nameUnitYears (enabled) would match it with
        // OPCR o-52: the reviewer decides, nothing merges.
        var iau = Officer("IAU", "o-50", "Ann", "Lee", hireDate: "2001-06-04", unit: "Precinct 2");
        var byHire = Officer("OPCR", "o-51", "Ann", "Lee", hireDate: "2001");
        var byUnit = Officer("OPCR", "o-52", "ANN", "LEE", unit: "PRECINCT 2");
        PublishedCase[] cases = [Case("IAU", "I-1", "2010", "Closed", Allegation("o-50")), Case("OPCR", "P-1", "2010-05-05", "Closed", Allegation("o-52"))];

        var resolution = OfficerIdentityResolver.Resolve([iau, byHire, byUnit], options: new IdentityOptions { AutoMerge = [IdentityRule.NameUnitYears] }, cases: cases);

        Assert.Equal(3, resolution.Groups.Count);
        var set = Assert.Single(resolution.Report.Candidates);
        Assert.Equal((IdentityRule.NameAndHireDate, CandidateDecision.Undecided), (set.Rule, set.Decision));
        Assert.Equal(1, resolution.Report.Counts.NotCandidates[IdentityRule.NameUnitYears]);

        // With the same officer, the weaker rule may merge.
        var same = OfficerIdentityResolver.Resolve([iau, byHire with { Unit = "Precinct 2" }], options: new IdentityOptions { AutoMerge = [IdentityRule.NameUnitYears] }, cases: [cases[0], Case("OPCR", "P-2", "2010", "Closed", Allegation("o-51"))]);
        Assert.Equal([IdentityRule.NameUnitYears], Assert.Single(same.Groups).Rules);
        Assert.DoesNotContain(same.Report.Candidates, c => c.Decision == CandidateDecision.Undecided);
    }

    [Fact]
    public void One_officer_matched_through_two_members_of_another_is_one_candidate()
    {
        // OPCR and IAU are one officer by employee id; CRA matches both by name and hire date: one candidate set.
        var opcr = Officer("OPCR", "o-60", "Sam", "White", employeeId: "5", hireDate: "1990-02-01");
        var iau = Officer("IAU", "o-61", "Sam", "White", employeeId: "5", hireDate: "1990-02-01");
        var cra = Officer("CRA", "o-62", "SAM", "WHITE", hireDate: "1990-02-01");

        var resolution = OfficerIdentityResolver.Resolve([opcr, iau, cra]);

        var set = Assert.Single(resolution.Report.Candidates);
        Assert.Equal(["CRA", "IAU", "OPCR"], set.Sources);
        Assert.Equal(2, set.Pairs.Count);
        Assert.Equal(2, set.Officers.Select(o => o.Id).Distinct().Count());
    }

    [Fact]
    public void Options_enable_candidate_rules_only()
    {
        var error = Assert.Throws<ArgumentException>(() => OfficerIdentityResolver.Resolve([Cra, Opcr], options: new IdentityOptions { AutoMerge = [IdentityRule.EmployeeId] }));
        Assert.Contains("employeeId always merge", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_policy_names_of_the_rules_are_the_resolvers()
    {
        Assert.Equal(
            IdentityPolicy.CandidateRules.Keys.Order(StringComparer.Ordinal),
            IdentityOptions.CandidateRules.Select(OfficerIdentityResolver.Name).Order(StringComparer.Ordinal));
        Assert.Equal(
            IdentityPolicy.AutomaticRules,
            Enum.GetValues<IdentityRule>().Where(r => r != IdentityRule.Override && !IdentityOptions.IsCandidate(r)).Select(OfficerIdentityResolver.Name));
        Assert.All(Enum.GetValues<IdentityRule>(), r => Assert.True(OfficerIdentityResolver.TryParseRule(OfficerIdentityResolver.Name(r), out var back) && back == r));
    }

    [Fact]
    public void Pairs_lists_what_one_rule_matches_alone()
    {
        var opcr = Officer("OPCR", "o-70", "Sam", "White", employeeId: "5", hireDate: "1990-02-01");
        var iau = Officer("IAU", "o-71", "Sam", "White", employeeId: "5", hireDate: "1990-02-01");
        var cra = Officer("CRA", "o-72", "SAM", "WHITE", hireDate: "1990");
        var sameSource = Officer("CRA", "o-73", "SAM", "WHITE", hireDate: "1990-02-01");

        var pairs = OfficerIdentityResolver.Pairs(IdentityRule.NameAndHireDate, [opcr, iau, cra, sameSource]);

        Assert.Equal(
            ["CRA:o-72 IAU:o-71", "CRA:o-72 OPCR:o-70", "CRA:o-73 IAU:o-71", "CRA:o-73 OPCR:o-70", "IAU:o-71 OPCR:o-70"],
            pairs.Select(p => $"{p.First} {p.Second}"));
        Assert.Single(OfficerIdentityResolver.Pairs(IdentityRule.EmployeeId, [opcr, iau, cra, sameSource]));
    }

    [Fact]
    public async Task Candidates_do_not_depend_on_the_input_order_and_are_written_with_their_evidence()
    {
        var officers = new List<PublishedOfficer>
        {
            Cra, Opcr,
            Officer("CRA", "o-40", "PAT", "QUINN", hireDate: "1985-03-01"),
            Officer("CRA", "o-41", "PAT", "QUINN", hireDate: "1985-03-01"),
            Officer("OPCR", "o-42", "Pat", "Quinn", hireDate: "1985-03-01"),
            Officer("OPCR", "o-60", "Sam", "White", employeeId: "5", hireDate: "1990-02-01", unit: "Precinct 1"),
            Officer("IAU", "o-61", "Sam", "White", employeeId: "5", hireDate: "1990-02-01"),
            Officer("CRA", "o-62", "SAM", "WHITE", hireDate: "1990-02-01"),
            Officer("IAU", "o-20", "Lee", "Park", unit: "Precinct 01"),
            Officer("OPCR", "o-21", "LEE", "PARK", unit: "PRECINCT 1"),
        };
        PublishedCase[] cases = [.. Cases, Case("IAU", "I-1", "2010", "Closed", Allegation("o-20")), Case("OPCR", "P-1", "2010-05-05", "Closed", Allegation("o-21"))];
        using var temp = new TempFolder();
        var reports = new List<byte[]>();
        for (var seed = 0; seed < 4; seed++)
        {
            var random = new Random(seed);
            var resolution = OfficerIdentityResolver.Resolve(officers.OrderBy(_ => random.Next()).ToList(), cases: cases.OrderBy(_ => random.Next()));
            var store = new FolderArtefactStore(temp.Sub(seed.ToString(CultureInfo.InvariantCulture)));
            await IdentityReportIo.WriteReportAsync(store, resolution.Report);
            reports.Add(File.ReadAllBytes(Path.Combine(store.Location, IdentityReportIo.ReportPath)));
        }

        Assert.All(reports, r => Assert.Equal(reports[0], r));
        using var json = JsonDocument.Parse(Encoding.UTF8.GetString(reports[0]));
        var root = json.RootElement;
        Assert.Equal(4, root.GetProperty("counts").GetProperty("candidates").GetInt32());
        Assert.Equal(4, root.GetProperty("counts").GetProperty("undecided").GetInt32());
        Assert.Equal(0, root.GetProperty("counts").GetProperty("linksByRule").GetProperty("nameAndHireDate").GetInt32());
        Assert.Equal(0, root.GetProperty("counts").GetProperty("notCandidates").GetProperty("nameUnitYears").GetInt32());
        var candidates = root.GetProperty("candidates").EnumerateArray().ToList();
        Assert.Equal(["nameAndHireDate", "nameAndHireDate", "nameAndHireDate", "nameUnitYears"], candidates.Select(c => c.GetProperty("rule").GetString()));
        Assert.All(candidates, c => Assert.Equal("undecided", c.GetProperty("decision").GetString()));
        Assert.Single(candidates, c => c.TryGetProperty("kind", out var kind) && kind.GetString() == "multipleCandidates");
        var first = candidates[0];
        Assert.Equal(["CRA", "OPCR"], first.GetProperty("sources").EnumerateArray().Select(s => s.GetString()));
        var officer = first.GetProperty("officers")[0];
        Assert.Equal(2, officer.GetProperty("complaints").GetInt32());
        Assert.Equal(1999, officer.GetProperty("firstComplaintYear").GetInt32());
        Assert.Equal(2003, officer.GetProperty("lastComplaintYear").GetInt32());
        Assert.Equal("Precinct 3", first.GetProperty("officers")[1].GetProperty("unit").GetString());
        var pair = first.GetProperty("pairs")[0];
        Assert.Equal(["name", "hireDate"], pair.GetProperty("agree").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["complaintYears"], pair.GetProperty("differ").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(4, pair.GetProperty("unknown").GetArrayLength());
    }
}
