using System.Security.Cryptography;
using System.Text;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Storage;
using OpenConduct.Core.Tests.Release;
using static OpenConduct.Core.Tests.Officers.OfficerTestKit;

namespace OpenConduct.Core.Tests.Officers;

/// <summary>The identity rules, ambiguity, conflicts, overrides and public ids, on hand-made officers.</summary>
public sealed class OfficerIdentityResolverTests
{
    [Fact]
    public void Rule_1_merges_on_the_employee_id_whatever_the_spelling_of_the_name()
    {
        var opcr = Officer("OPCR", "o-01", "John", "Smith", employeeId: "10234", badges: ["1201"]);
        var iau = Officer("IAU", "o-02", "JOHNNY", "SMITH-JONES", employeeId: "010234");
        var other = Officer("IAU", "o-03", "John", "Smith", employeeId: "10235");

        var resolution = OfficerIdentityResolver.Resolve([opcr, iau, other]);

        var group = Assert.Single(resolution.Groups, g => g.Members.Count > 1);
        Assert.Equal([iau.Ref, opcr.Ref], group.Members);
        Assert.Equal([IdentityRule.EmployeeId], group.Rules);
        Assert.Equal(new IdentityLink(iau.Ref, opcr.Ref, IdentityRule.EmployeeId), Assert.Single(group.Links));
        Assert.Equal(1, resolution.Report.Counts.LinksByRule[IdentityRule.EmployeeId]);
        Assert.Empty(resolution.Report.Ambiguities);
        AssertOneSourceEach(resolution);
    }

    [Fact]
    public void Rule_2_merges_on_a_shared_badge_and_the_name_key()
    {
        // No employee ids. The badge is historic in one source and current in the other; the names differ in accents,
        // case, hyphenation, the middle name and the suffix.
        var opcr = Officer("OPCR", "o-01", "José", "Rodríguez-Pérez", badges: ["1201", "3300"], middle: "Luis", suffix: "Jr.");
        var iau = Officer("IAU", "o-02", "JOSE L", "RODRIGUEZ PEREZ JR", badges: ["01201"]);
        var namesake = Officer("IAU", "o-03", "José", "Rodríguez-Pérez", badges: ["9999"]);

        var resolution = OfficerIdentityResolver.Resolve([opcr, iau, namesake]);

        Assert.Contains(Joined(opcr.Ref, iau.Ref), Groups(resolution));
        Assert.Contains(Joined(namesake.Ref), Groups(resolution));
        Assert.Equal([IdentityRule.BadgeAndName], resolution.GroupOf(opcr.Ref)!.Rules);
        Assert.Empty(resolution.Report.Ambiguities);
    }

    [Fact]
    public void Rule_3_merges_on_name_birth_year_and_hire_date_at_the_coarser_precision()
    {
        var cra = Officer("CRA", "o-01", "MARIA T", "DE LA CRUZ", birthYear: 1975, hireDate: "2001-06-04");
        var opcr = Officer("OPCR", "o-02", "María", "DeLaCruz", middle: "Teresa", birthYear: 1975, hireDate: "2001");
        var otherYear = Officer("IAU", "o-03", "Maria", "De la Cruz", birthYear: 1976, hireDate: "2001-06-04");
        var craDay = Officer("CRA", "o-04", "TOM", "HANKS", birthYear: 1950, hireDate: "1980-01-02");
        var iauDay = Officer("IAU", "o-05", "Tom", "Hanks", birthYear: 1950, hireDate: "1980-01-03");

        var resolution = OfficerIdentityResolver.Resolve([cra, opcr, otherYear, craDay, iauDay]);

        Assert.Equal(
            new HashSet<string> { Joined(cra.Ref, opcr.Ref), Joined(otherYear.Ref), Joined(craDay.Ref), Joined(iauDay.Ref) },
            Groups(resolution));
        Assert.Equal(4, resolution.Groups.Count);
        Assert.Contains(Joined(cra.Ref, opcr.Ref), Groups(resolution));
        Assert.Equal([IdentityRule.NameBirthYearHireDate], resolution.GroupOf(cra.Ref)!.Rules);
        Assert.Empty(resolution.Report.Ambiguities);
    }

    [Theory]
    [InlineData("2001", "2001-06-04", true)]
    [InlineData("2001-06", "2001-06-30", true)]
    [InlineData("2001-06-04", "2001-06-04", true)]
    [InlineData("2001-06", "2001-07-01", false)]
    [InlineData("2001-06-04", "2001-06-05", false)]
    [InlineData("2000", "2001", false)]
    public void Hire_dates_agree_at_the_coarser_precision(string a, string b, bool agree)
    {
        var x = Officer("CRA", "o-01", "Tom", "Hanks", birthYear: 1950, hireDate: a);
        var y = Officer("IAU", "o-02", "Tom", "Hanks", birthYear: 1950, hireDate: b);
        Assert.Equal(agree ? 1 : 2, OfficerIdentityResolver.Resolve([x, y]).Groups.Count);
    }

    [Fact]
    public void Rule_3_never_applies_without_a_birth_year_or_a_hire_date()
    {
        // The Minnesota policy drops birth years: name and hire date alone are not enough.
        var cra = Officer("CRA", "o-01", "MARIA", "DE LA CRUZ", hireDate: "2001-06-04");
        var opcr = Officer("OPCR", "o-02", "Maria", "De La Cruz", birthYear: 1975, hireDate: "2001-06-04");
        var noHire = Officer("IAU", "o-03", "Maria", "De La Cruz", birthYear: 1975);

        var resolution = OfficerIdentityResolver.Resolve([cra, opcr, noHire]);

        Assert.Equal(3, resolution.Groups.Count);
        Assert.Empty(resolution.Report.Ambiguities);
    }

    [Fact]
    public void Rules_apply_in_order_a_stronger_match_wins_and_the_weaker_candidate_is_reported()
    {
        // OPCR o-01 has employee id 7 like IAU o-02; IAU o-03 (no employee id) shares its badge and name.
        var opcr = Officer("OPCR", "o-01", "Dana", "Scully", employeeId: "7", badges: ["42"]);
        var byId = Officer("IAU", "o-02", "Dana", "Scully", employeeId: "7");
        var byBadge = Officer("IAU", "o-03", "Dana", "Scully", badges: ["42"]);

        var resolution = OfficerIdentityResolver.Resolve([opcr, byId, byBadge]);

        Assert.Contains(Joined(opcr.Ref, byId.Ref), Groups(resolution));
        Assert.Contains(Joined(byBadge.Ref), Groups(resolution));
        var ambiguity = Assert.Single(resolution.Report.Ambiguities);
        Assert.Equal((IdentityRule.BadgeAndName, AmbiguityKind.AlreadyMatched), (ambiguity.Rule, ambiguity.Kind));
        Assert.Contains("already one officer with IAU:o-02", ambiguity.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_candidates_are_reported_and_not_merged()
    {
        var opcr = Officer("OPCR", "o-01", "Jane", "Doe", birthYear: 1980, hireDate: "2005-01-10");
        var first = Officer("CRA", "o-02", "JANE A", "DOE", birthYear: 1980, hireDate: "2005-01-10");
        var second = Officer("CRA", "o-03", "JANE B", "DOE", birthYear: 1980, hireDate: "2005");

        var resolution = OfficerIdentityResolver.Resolve([opcr, first, second]);

        Assert.Equal(3, resolution.Groups.Count);
        var ambiguity = Assert.Single(resolution.Report.Ambiguities);
        Assert.Equal(IdentityRule.NameBirthYearHireDate, ambiguity.Rule);
        Assert.Equal(AmbiguityKind.MultipleCandidates, ambiguity.Kind);
        Assert.Equal(["CRA:o-02", "CRA:o-03", "OPCR:o-01"], ambiguity.Officers.Select(c => c.Officer));
        Assert.Equal(2, ambiguity.Pairs.Count);
        Assert.Contains("OPCR:o-01 matches 2 officers of CRA", ambiguity.Reason, StringComparison.Ordinal);
        var candidate = ambiguity.Officers.Single(c => c.Officer == "OPCR:o-01");
        Assert.Equal(("Jane Doe", 1980, "2005-01-10", resolution.IdOf("OPCR", "o-01")), (candidate.Name, candidate.BirthYear, candidate.HireDate, candidate.Id));
        Assert.Equal(1, resolution.Report.Counts.Ambiguities);
    }

    [Fact]
    public void A_rule_conflict_is_reported_and_not_merged()
    {
        // Same badge and name, but the employee ids differ: rule 2 matches, rule 1 contradicts it.
        var opcr = Officer("OPCR", "o-01", "Sam", "White", employeeId: "10002", badges: ["77016"]);
        var iau = Officer("IAU", "o-02", "Sam", "White", employeeId: "10003", badges: ["77016"]);
        // Same employee id, but the birth years differ.
        var opcr2 = Officer("OPCR", "o-03", "Ann", "Lee", employeeId: "5", birthYear: 1970);
        var iau2 = Officer("IAU", "o-04", "Ann", "Lee", employeeId: "5", birthYear: 1971);

        var resolution = OfficerIdentityResolver.Resolve([opcr, iau, opcr2, iau2]);

        Assert.Equal(4, resolution.Groups.Count);
        Assert.Equal(2, resolution.Report.Ambiguities.Count);
        Assert.All(resolution.Report.Ambiguities, a => Assert.Equal(AmbiguityKind.Conflict, a.Kind));
        var byBadge = resolution.Report.Ambiguities.Single(a => a.Rule == IdentityRule.BadgeAndName);
        Assert.Equal("their employee ids differ (10003, 10002)", Assert.Single(byBadge.Pairs).Conflict);
        var byId = resolution.Report.Ambiguities.Single(a => a.Rule == IdentityRule.EmployeeId);
        Assert.Contains("birth years differ (1971, 1970)", byId.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Officers_of_one_source_are_never_merged()
    {
        var a = Officer("OPCR", "o-01", "Chris", "Olson", employeeId: "1", badges: ["10"], birthYear: 1970, hireDate: "1995-01-01");
        var b = Officer("OPCR", "o-02", "Chris", "Olson", employeeId: "1", badges: ["10"], birthYear: 1970, hireDate: "1995-01-01");

        var resolution = OfficerIdentityResolver.Resolve([a, b]);

        Assert.Equal(2, resolution.Groups.Count);
        Assert.Empty(resolution.Report.Ambiguities);
    }

    [Fact]
    public void Transitive_merges_never_put_two_officers_of_one_source_together()
    {
        // CRA o-c1 is OPCR o-a by employee id; CRA o-c2 is IAU o-b by badge and name; OPCR o-a and IAU o-b share a badge
        // and a name: merging them would make CRA o-c1 and o-c2 one officer.
        var a = Officer("OPCR", "o-a", "Lee", "Park", employeeId: "1", badges: ["5"]);
        var c1 = Officer("CRA", "o-c1", employeeId: "1");
        var b = Officer("IAU", "o-b", "Lee", "Park", badges: ["5"]);
        var c2 = Officer("CRA", "o-c2", "LEE", "PARK", badges: ["5"]);

        var resolution = OfficerIdentityResolver.Resolve([a, c1, b, c2]);

        Assert.Equal([Joined(a.Ref, c1.Ref), Joined(b.Ref, c2.Ref)], Groups(resolution).Order(StringComparer.Ordinal));
        AssertOneSourceEach(resolution);
        var sameSource = Assert.Single(resolution.Report.Ambiguities, x => x.Kind == AmbiguityKind.SameSource);
        Assert.Contains("CRA:o-c1 and CRA:o-c2 of CRA", sameSource.Reason, StringComparison.Ordinal);
        Assert.Contains(resolution.Report.Ambiguities, x => x.Kind == AmbiguityKind.AlreadyMatched);
    }

    [Fact]
    public void A_same_override_settles_an_ambiguity_and_forces_a_merge_across_a_conflict()
    {
        var opcr = Officer("OPCR", "o-01", "Jane", "Doe", birthYear: 1980, hireDate: "2005-01-10");
        var first = Officer("CRA", "o-02", "JANE A", "DOE", birthYear: 1980, hireDate: "2005-01-10");
        var second = Officer("CRA", "o-03", "JANE B", "DOE", birthYear: 1980, hireDate: "2005-01-10");
        var sam = Officer("OPCR", "o-04", "Sam", "White", employeeId: "10002", badges: ["77016"]);
        var samIau = Officer("IAU", "o-05", "Sam", "White", employeeId: "10003", badges: ["77016"]);
        var overrides = IdentityOverrides.Parse("""
            {
              "same": [
                { "officers": ["opcr:o-01", "CRA:o-02"], "note": "personnel file 2005-118" },
                { "officers": ["OPCR:o-04", "IAU:o-05"], "note": "IAU typed the wrong employee id" }
              ]
            }
            """);

        var resolution = OfficerIdentityResolver.Resolve([opcr, first, second, sam, samIau], overrides);

        Assert.Contains(Joined(opcr.Ref, first.Ref), Groups(resolution));
        Assert.Contains(Joined(second.Ref), Groups(resolution));
        Assert.Contains(Joined(sam.Ref, samIau.Ref), Groups(resolution));
        Assert.Equal([IdentityRule.Override], resolution.GroupOf(sam.Ref)!.Rules);
        Assert.Equal(2, resolution.Report.Counts.LinksByRule[IdentityRule.Override]);
        // The other candidate still matches OPCR o-01 by rule 3: reported, never merged.
        var left = Assert.Single(resolution.Report.Ambiguities);
        Assert.Equal(AmbiguityKind.AlreadyMatched, left.Kind);
        Assert.Contains(left.Officers, c => c.Officer == "CRA:o-03");
        Assert.All(resolution.Report.Decisions, d => Assert.True(d.Applied, d.Effect));
        Assert.Equal("personnel file 2005-118", resolution.Report.Decisions[0].Note);
        Assert.StartsWith("merged 2 officers into off-", resolution.Report.Decisions[0].Effect, StringComparison.Ordinal);
    }

    [Fact]
    public void A_same_override_may_merge_two_officers_of_one_source()
    {
        // CRA wrote one officer's birth year on some rows only: two CRA officers for one person.
        var full = Officer("CRA", "o-01", "PAT", "QUINN", birthYear: 1960, hireDate: "1985-03-01");
        var partial = Officer("CRA", "o-02", "PAT", "QUINN", hireDate: "1985-03-01");
        var opcr = Officer("OPCR", "o-03", "Pat", "Quinn", birthYear: 1960, hireDate: "1985-03-01");
        var overrides = IdentityOverrides.Parse("""{ "same": [ { "officers": ["CRA:o-01", "CRA:o-02"] } ] }""");

        var resolution = OfficerIdentityResolver.Resolve([full, partial, opcr], overrides);

        var group = Assert.Single(resolution.Groups);
        Assert.Equal([IdentityRule.NameBirthYearHireDate, IdentityRule.Override], group.Rules);
        Assert.Empty(resolution.Report.Ambiguities);
    }

    [Fact]
    public void A_different_override_keeps_officers_apart_and_can_settle_an_ambiguity()
    {
        var opcr = Officer("OPCR", "o-01", "Jane", "Doe", birthYear: 1980, hireDate: "2005-01-10");
        var first = Officer("CRA", "o-02", "JANE A", "DOE", birthYear: 1980, hireDate: "2005-01-10");
        var second = Officer("CRA", "o-03", "JANE B", "DOE", birthYear: 1980, hireDate: "2005-01-10");
        var sam = Officer("OPCR", "o-04", "Sam", "White", employeeId: "10002");
        var samIau = Officer("IAU", "o-05", "Samuel", "White", employeeId: "10002");
        var overrides = IdentityOverrides.Parse("""
            {
              "different": [
                { "officers": ["OPCR:o-01", "CRA:o-03"], "note": "CRA o-03 is her sister" },
                { "officers": ["OPCR:o-04", "IAU:o-05"] },
                { "officers": ["OPCR:o-01", "IAU:o-05"] }
              ]
            }
            """);

        var resolution = OfficerIdentityResolver.Resolve([opcr, first, second, sam, samIau], overrides);

        Assert.Contains(Joined(opcr.Ref, first.Ref), Groups(resolution));
        Assert.Contains(Joined(sam.Ref), Groups(resolution));
        Assert.Contains(Joined(samIau.Ref), Groups(resolution));
        Assert.Empty(resolution.Report.Ambiguities);
        var decisions = resolution.Report.Decisions;
        Assert.Equal(["$.different[0]", "$.different[1]", "$.different[2]"], decisions.Select(d => d.Location));
        Assert.Equal("kept apart: CRA:o-03 and OPCR:o-01 (matched by nameBirthYearHireDate)", decisions[0].Effect);
        Assert.Equal("kept apart: IAU:o-05 and OPCR:o-04 (matched by employeeId)", decisions[1].Effect);
        Assert.False(decisions[2].Applied);
        Assert.Equal("no rule matched these officers: nothing to keep apart", decisions[2].Effect);
    }

    [Fact]
    public void Overrides_that_match_no_officer_are_reported()
    {
        var a = Officer("OPCR", "o-01", "A", "B");
        var overrides = IdentityOverrides.Parse("""
            {
              "same": [ { "officers": ["OPCR:o-01", "IAU:o-gone"] } ],
              "different": [ { "officers": ["OPCR:o-zz", "IAU:o-01"] } ]
            }
            """);

        var report = OfficerIdentityResolver.Resolve([a], overrides).Report;

        Assert.Equal(
            [new UnmatchedOverride("$.same[0].officers[1]", "IAU:o-gone"), new UnmatchedOverride("$.different[0].officers[0]", "OPCR:o-zz"), new UnmatchedOverride("$.different[0].officers[1]", "IAU:o-01")],
            report.UnmatchedOverrides);
        Assert.False(report.Decisions[0].Applied);
        Assert.Equal("not applied: 1 of its officers are in the records", report.Decisions[0].Effect);
    }

    [Fact]
    public void The_public_id_is_the_hash_of_the_smallest_member()
    {
        var opcr = Officer("OPCR", "o-01", employeeId: "1");
        var iau = Officer("IAU", "o-99", employeeId: "1");

        var group = Assert.Single(OfficerIdentityResolver.Resolve([opcr, iau]).Groups);

        var expected = "off-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("IAU:o-99")))[..16];
        Assert.Equal(expected, group.Id);
        Assert.Matches("^off-[0-9a-f]{16}$", group.Id);
    }

    [Fact]
    public void The_public_id_does_not_change_when_unrelated_officers_change()
    {
        var officers = new[]
        {
            Officer("OPCR", "o-10", "John", "Smith", employeeId: "1", rank: "Sergeant"),
            Officer("IAU", "o-20", "John", "Smith", employeeId: "1"),
            Officer("OPCR", "o-11", "Ann", "Lee", employeeId: "2"),
            Officer("CRA", "o-30", "ANN", "LEE", birthYear: 1970, hireDate: "1990-01-01"),
        };
        var before = OfficerIdentityResolver.Resolve(officers);

        // Unrelated officers come and go, and a member's own attributes change (rank, a new badge).
        var changed = new[]
        {
            officers[0] with { Rank = "Lieutenant", Badges = [new PublishedBadge("555")] },
            officers[1],
            Officer("OPCR", "o-00", "Zed", "Zulu", employeeId: "3"),
            Officer("CRA", "o-01", "ZED", "ZULU"),
        };
        var after = OfficerIdentityResolver.Resolve(changed);

        Assert.Equal(before.IdOf("OPCR", "o-10"), after.IdOf("OPCR", "o-10"));
        Assert.Equal(before.IdOf("IAU", "o-20"), after.IdOf("OPCR", "o-10"));

        // A merge that brings in a smaller reference changes the id (docs/officers.md#the-public-id).
        var merged = OfficerIdentityResolver.Resolve([.. officers, Officer("CRA", "o-05", "JOHN", "SMITH", employeeId: "1")]);
        Assert.NotEqual(before.IdOf("OPCR", "o-10"), merged.IdOf("OPCR", "o-10"));
        Assert.Equal(OfficerIdentityResolver.PublicId(new OfficerSourceRef("CRA", "o-05")), merged.IdOf("OPCR", "o-10"));
    }

    [Fact]
    public async Task The_result_does_not_depend_on_the_input_order()
    {
        var officers = new List<PublishedOfficer>
        {
            Officer("OPCR", "o-01", "Jane", "Doe", birthYear: 1980, hireDate: "2005-01-10"),
            Officer("CRA", "o-02", "JANE A", "DOE", birthYear: 1980, hireDate: "2005-01-10"),
            Officer("CRA", "o-03", "JANE B", "DOE", birthYear: 1980, hireDate: "2005-01-10"),
            Officer("OPCR", "o-04", "Sam", "White", employeeId: "10002", badges: ["77016"]),
            Officer("IAU", "o-05", "Sam", "White", employeeId: "10002", badges: ["77016"]),
            Officer("IAU", "o-06", "Sam", "White", badges: ["77016"]),
            Officer("OPCR", "o-07", "Lee", "Park", employeeId: "1", badges: ["5"]),
            Officer("CRA", "o-08", employeeId: "1"),
            Officer("IAU", "o-09", "Lee", "Park", badges: ["5"]),
            Officer("CRA", "o-10", "LEE", "PARK", badges: ["5"]),
        };
        using var temp = new TempFolder();
        var reports = new List<byte[]>();
        for (var seed = 0; seed < 5; seed++)
        {
            var random = new Random(seed);
            var shuffled = officers.OrderBy(_ => random.Next()).ToList();
            var resolution = OfficerIdentityResolver.Resolve(shuffled);
            var store = new FolderArtefactStore(temp.Sub(seed.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await IdentityReportIo.WriteReportAsync(store, resolution.Report);
            reports.Add(File.ReadAllBytes(Path.Combine(store.Location, IdentityReportIo.ReportPath)));
        }

        Assert.All(reports, r => Assert.Equal(reports[0], r));
        Assert.Contains("\"kind\": \"multipleCandidates\"", Encoding.UTF8.GetString(reports[0]), StringComparison.Ordinal);
    }

    [Fact]
    public void An_officer_given_twice_is_an_error()
    {
        var ex = Assert.Throws<ArgumentException>(() => OfficerIdentityResolver.Resolve([Officer("OPCR", "o-01"), Officer("OPCR", "o-01")]));
        Assert.Contains("OPCR:o-01 is given twice", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Rodríguez", "DeShawn", "RODRIGUEZ", "DESHAWN M", true)]
    [InlineData("O'Brien", "Sean", "OBRIEN", "SEAN", true)]
    [InlineData("O\u2019Brien", "Seán", "O BRIEN", "Sean", true)]
    [InlineData("Smith-Jones", "Mary Ann", "Smith Jones", "Mary", true)]
    [InlineData("De La Cruz", "Jean-Pierre", "DELACRUZ", "Jean", true)]
    [InlineData("Smith Jr.", "John", "Smith", "John", true)]
    [InlineData("Strauß", "Jörg", "STRAUSS", "JORG", true)]
    [InlineData("Øster", "Åsa", "OSTER", "ASA", true)]
    [InlineData("Smith", "J.", "Smith", "John", false)]
    [InlineData("Smith", "John", "Smyth", "John", false)]
    [InlineData("Garcia Lopez", "Ana", "Garcia", "Ana", false)]
    public void Name_keys_ignore_case_accents_punctuation_middle_names_and_suffixes(string last1, string first1, string last2, string first2, bool same)
    {
        var a = OfficerNames.Key(first1, last1);
        var b = OfficerNames.Key(first2, last2);
        Assert.NotNull(a);
        Assert.Equal(same, a == b);
    }

    [Fact]
    public void An_officer_without_a_first_or_last_name_has_no_name_key()
    {
        Assert.Null(OfficerNames.Key(null, "Smith"));
        Assert.Null(OfficerNames.Key("John", " "));
        Assert.Null(OfficerNames.Key("-", "Smith"));
        Assert.Equal("7021", OfficerNames.Identifier(" 007021 "));
        Assert.Equal("AB-12", OfficerNames.Identifier("ab-12"));
    }

    /// <summary>Without overrides, no officer holds two identities of one source.</summary>
    internal static void AssertOneSourceEach(IdentityResolution resolution) =>
        Assert.All(resolution.Groups, g => Assert.Equal(g.Members.Count, g.Members.Select(m => m.Source).Distinct(StringComparer.OrdinalIgnoreCase).Count()));
}
