using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Model;

namespace OpenConduct.Core.Tests.Disclosure;

/// <summary>The record rules and field actions of the Minnesota policy on a hand-made case.</summary>
public sealed class RedactorTests
{
    internal const string Key = "test-key-0123456789-0123456789-0123456789";

    internal static DisclosurePolicy Minnesota { get; } =
        DisclosurePolicyLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "samples", "policies", "minnesota.json"));

    internal static DisclosurePolicy Strict { get; } =
        DisclosurePolicyLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "samples", "policies", "strict-example.json"));

    internal static Redactor NewRedactor(DisclosurePolicy policy) =>
        new(policy, name => name == "OPENCONDUCT_PSEUDONYM_KEY" ? Key : null);

    private static readonly Officer Smith = new()
    {
        Source = "OPCR", Key = "id:10234", EmployeeId = "10234", FirstName = "John", LastName = "Smith",
        Badges = [new BadgeNumber("1201", new DateOnly(2001, 6, 1))], Rank = "Sergeant", Unit = "3rd Precinct",
        Race = new Coded<Race>(Race.White, "W"), Sex = new Coded<Sex>(Sex.Male, "M"), BirthYear = 1975, HireDate = new DateOnly(2000, 3, 1),
    };

    internal static Complaint Complaint(ComplaintStatus status, Sensitivity sensitivity = Sensitivity.None) => new()
    {
        Source = "OPCR", CaseNumber = "OPCR-2021-0042", ReceivedDate = new DateOnly(2021, 3, 14), IncidentDate = new DateOnly(2021, 3, 12),
        ClosedDate = status == ComplaintStatus.Closed ? new DateOnly(2021, 9, 30) : null, Status = new Coded<ComplaintStatus>(status, null),
        IntakeDecision = new Coded<IntakeDecision>(IntakeDecision.Investigation, "Investigation"), Precinct = "3",
        Location = "3412 Nicollet Ave S, Apt 2", Sensitivity = sensitivity,
        Narrative = "Ms. Maria Lopez (DOB 4/5/1988) alleges Officer Smith pushed her at 3412 Nicollet Ave S. Call her at 612-555-0143.",
    };

    internal static Allegation Allegation(string category = "UseOfForce", bool final = true) => new()
    {
        Source = "OPCR", CaseNumber = "OPCR-2021-0042", OfficerKey = "id:10234", Category = new CodedText(category, "Use of Force"),
        RecommendedFinding = new Coded<Finding>(Finding.Sustained, "SU"), FinalFinding = new Coded<Finding>(Finding.Sustained, "SU"),
        RecommendedDiscipline = new Coded<DisciplineKind>(DisciplineKind.Termination, "Termination"),
        ImposedDiscipline = new Coded<DisciplineKind>(DisciplineKind.Suspension, "Suspension"), ImposedDisciplineDays = 5, DisciplineFinal = final,
    };

    private static readonly Complainant Lopez = new()
    {
        Source = "OPCR", CaseNumber = "OPCR-2021-0042", FirstName = "Maria", LastName = "Lopez", Address = "3412 Nicollet Ave S",
        Phone = "612-555-0143", BirthDate = new DateOnly(1988, 4, 5), Race = new Coded<Race>(Race.Hispanic, "H"), Sex = new Coded<Sex>(Sex.Female, "F"), Age = 33,
    };

    internal static RedactedCase Redact(Redactor redactor, Complaint complaint, params Allegation[] allegations) =>
        redactor.RedactCase(complaint, allegations, [Lopez], key => key == Smith.Key ? Smith : null);

    [Fact]
    public void Minnesota_publishes_the_status_and_final_disposition_and_withholds_civilians()
    {
        var redactor = NewRedactor(Minnesota);
        var result = Redact(redactor, Complaint(ComplaintStatus.Closed), Allegation());

        var complaint = result.Complaint;
        Assert.Equal("OPCR-2021-0042", complaint.CaseNumber);
        Assert.Equal(new PublicDate(new DateOnly(2021, 3, 14), DatePrecision.Day), complaint.ReceivedDate);
        Assert.Equal("3400 block of Nicollet Ave S", complaint.Location);
        Assert.False(complaint.Sensitive);
        Assert.NotNull(complaint.Narrative);
        Assert.Contains("Officer Smith", complaint.Narrative, StringComparison.Ordinal);
        foreach (var secret in new[] { "Maria", "Lopez", "612-555-0143", "4/5/1988", "3412" })
        {
            Assert.DoesNotContain(secret, complaint.Narrative, StringComparison.Ordinal);
        }

        var allegation = Assert.Single(result.Allegations);
        Assert.Equal(Finding.Sustained, allegation.FinalFinding.Value);
        Assert.Equal((DisciplineKind.Suspension, 5), (allegation.ImposedDiscipline.Value!.Value, allegation.ImposedDisciplineDays!.Value));
        Assert.Null(allegation.RecommendedFinding.Raw); // non-final dispositions are private
        Assert.Null(allegation.RecommendedDiscipline.Raw);
        Assert.StartsWith("o-", allegation.OfficerRef, StringComparison.Ordinal);

        var complainant = Assert.Single(result.Complainants);
        Assert.Equal((null, null, null, null, null), (complainant.FirstName, complainant.LastName, complainant.Address, complainant.Phone, complainant.Age));
        Assert.Null(complainant.Race.Raw);
        Assert.Equal(new Demographics(Race.Hispanic, Sex.Female, "25-34"), complainant.ForCounts);

        var officer = redactor.RedactOfficer(Smith);
        Assert.Equal(("10234", "John", "Smith", "Sergeant"), (officer.EmployeeId, officer.FirstName, officer.LastName, officer.Rank));
        Assert.Equal(allegation.OfficerRef, officer.OfficerRef);
        Assert.Null(officer.BirthYear);
        Assert.Null(officer.Race.Raw);
        Assert.Equal(new Demographics(Race.White, Sex.Male, null), officer.ForCounts);
    }

    [Fact]
    public void An_open_case_shows_its_status_but_no_finding_no_narrative_and_non_final_discipline_stays_private()
    {
        var result = Redact(NewRedactor(Minnesota), Complaint(ComplaintStatus.Open), Allegation(final: false));
        Assert.Null(result.Complaint.Narrative); // investigative data until a final disciplinary action (13.43 subd. 2(a)(5))
        var allegation = Assert.Single(result.Allegations);
        Assert.Equal(ComplaintStatus.Open, result.Complaint.Status.Value);
        Assert.Null(allegation.FinalFinding.Raw);
        Assert.True(allegation.FindingPending);
        Assert.Null(allegation.ImposedDiscipline.Raw);
        Assert.Null(allegation.ImposedDisciplineDays);
    }

    [Fact]
    public void The_discipline_date_is_published_only_with_the_discipline_itself()
    {
        var decided = new DateOnly(2022, 2, 1);
        var final = Allegation() with { DisciplineDate = decided };
        var published = Assert.Single(Redact(NewRedactor(Minnesota), Complaint(ComplaintStatus.Closed), final).Allegations);
        Assert.Equal(new PublicDate(decided, DatePrecision.Day), published.DisciplineDate);

        // Not final (on appeal): the discipline and its date are withheld together.
        var appeal = Assert.Single(Redact(NewRedactor(Minnesota), Complaint(ComplaintStatus.Closed), Allegation(final: false) with { DisciplineDate = decided }).Allegations);
        Assert.Null(appeal.ImposedDiscipline.Raw);
        Assert.Null(appeal.DisciplineDate);

        // A policy that drops the discipline but keeps the date publishes neither: the date would say discipline was imposed.
        var fields = Minnesota.Fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        fields["allegation.imposedDiscipline"] = new FieldRule { Action = FieldAction.Drop };
        fields["allegation.imposedDisciplineDays"] = new FieldRule { Action = FieldAction.Drop };
        var dropping = new DisclosurePolicy
        {
            Name = "drops discipline", Default = Minnesota.Default, Fields = fields, Sensitivity = Minnesota.Sensitivity,
            Finality = Minnesota.Finality, Aggregation = Minnesota.Aggregation, Pseudonymization = Minnesota.Pseudonymization,
        };
        var dropped = Assert.Single(Redact(NewRedactor(dropping), Complaint(ComplaintStatus.Closed), final).Allegations);
        Assert.Null(dropped.ImposedDiscipline.Raw);
        Assert.Null(dropped.DisciplineDate);
    }

    [Theory]
    [InlineData(Sensitivity.DomesticViolence, "UseOfForce")]
    [InlineData(Sensitivity.Juvenile, "UseOfForce")]
    [InlineData(Sensitivity.None, "SexualMisconduct")]
    public void Sensitive_cases_never_expose_a_location_or_a_narrative(Sensitivity flag, string category)
    {
        var redactor = NewRedactor(Minnesota);
        var result = Redact(redactor, Complaint(ComplaintStatus.Closed, flag), Allegation(category));
        Assert.True(result.Complaint.Sensitive);
        Assert.Null(result.Complaint.Location);
        Assert.Null(result.Complaint.Narrative);
        Assert.Equal(1, redactor.Report.Rules["sensitivity: complaint withheld location and narrative"]);
    }

    [Fact]
    public void The_strict_policy_pseudonymizes_generalizes_and_drops()
    {
        var redactor = NewRedactor(Strict);
        var result = Redact(redactor, Complaint(ComplaintStatus.Closed), Allegation());
        Assert.Matches("^p-[0-9a-f]{20}$", result.Complaint.CaseNumber);
        Assert.Equal(new PublicDate(new DateOnly(2021, 3, 1), DatePrecision.Month), result.Complaint.ReceivedDate);
        Assert.Equal("2021-03", result.Complaint.ReceivedDate!.Value.ToString());
        Assert.Equal("Precinct 3", result.Complaint.Location);
        Assert.Null(result.Complaint.Narrative);
        Assert.Equal(result.Complaint.CaseNumber, result.Allegations[0].CaseNumber);

        var officer = redactor.RedactOfficer(Smith);
        Assert.Matches("^p-[0-9a-f]{20}$", officer.EmployeeId);
        Assert.Matches("^p-[0-9a-f]{20}$", officer.Badges[0].Number);
        Assert.Equal(new PublicDate(new DateOnly(2000, 1, 1), DatePrecision.Year), officer.HireDate);
        Assert.Null(result.Complainants[0].ForCounts.AgeBand);
    }

    [Fact]
    public void Pseudonyms_are_stable_for_one_key_and_change_with_the_key()
    {
        var one = NewRedactor(Strict).RedactOfficer(Smith);
        var again = NewRedactor(Strict).RedactOfficer(Smith);
        var other = new Redactor(Strict, _ => "another-key-0123456789-0123456789-012345").RedactOfficer(Smith);
        Assert.Equal(one.EmployeeId, again.EmployeeId);
        Assert.Equal(one.OfficerRef, again.OfficerRef);
        Assert.NotEqual(one.EmployeeId, other.EmployeeId);
        Assert.NotEqual(one.OfficerRef, other.OfficerRef);
    }

    [Fact]
    public void A_missing_short_or_unresolved_key_is_an_error_at_start_up()
    {
        var missing = Assert.Throws<PolicyException>(() => new Redactor(Minnesota, _ => null));
        Assert.Contains("'OPENCONDUCT_PSEUDONYM_KEY' is not set", Assert.Single(missing.Errors), StringComparison.Ordinal);
        var shortKey = Assert.Throws<PolicyException>(() => new Redactor(Minnesota, _ => "short"));
        Assert.Contains("use at least 32", Assert.Single(shortKey.Errors), StringComparison.Ordinal);
        var unresolved = Assert.Throws<PolicyException>(() => new Redactor(Minnesota, _ => "@Microsoft.KeyVault(SecretUri=https://kv-abc.vault.azure.net/secrets/pseudonym-key)"));
        Assert.Contains("Key Vault reference that did not resolve", Assert.Single(unresolved.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_counts_per_field_and_rule_and_never_holds_values()
    {
        var redactor = NewRedactor(Minnesota);
        Redact(redactor, Complaint(ComplaintStatus.Open), Allegation(final: false));
        var report = redactor.Report;
        Assert.Equal(1, report.Fields[("complainant.lastName", "drop")]);
        Assert.Equal(1, report.Fields[("complaint.location", "generalize:hundredBlock")]);
        Assert.Equal(1, report.Rules["finality: final finding withheld, case open"]);
        Assert.Equal(1, report.Rules["finality: narrative withheld, no final discipline"]);
        Redact(redactor, Complaint(ComplaintStatus.Closed), Allegation());
        Assert.True(report.Rules["scrub: Phone replaced in narratives"] >= 1);
        var text = string.Join("\n", report.Lines());
        foreach (var secret in new[] { "Lopez", "Maria", "555", "Nicollet", "OPCR-2021-0042" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("3412 Nicollet Ave S, Apt 2", "3400 block of Nicollet Ave S")]
    [InlineData("17 W Lake St", "0 block of W Lake St")]
    [InlineData("2900-2910 Chicago Ave", "2900 block of Chicago Ave")]
    [InlineData("1500 E 38th St #3", "1500 block of E 38th St")]
    [InlineData("Lake St & Chicago Ave", null)]
    [InlineData("3400 block of Nicollet Ave", "3400 block of Nicollet Ave")]
    public void Hundred_blocks(string address, string? expected) => Assert.Equal(expected, Redactor.HundredBlock(address));

    [Theory]
    [InlineData(17, "under 18")]
    [InlineData(18, "18-24")]
    [InlineData(34, "25-34")]
    [InlineData(65, "65+")]
    public void Age_bands(int age, string band) => Assert.Equal(band, Redactor.AgeBand(age, [18, 25, 35, 45, 55, 65]));

    private static DisclosurePolicy BirthDatePolicy(string rule) => DisclosurePolicyLoader.Parse($$"""
        {
          "name": "birth-date-bands",
          "default": "keep",
          "fields": { "complainant.age": "drop", "complainant.birthDate": {{rule}} },
          "pseudonymization": { "keySetting": "OPENCONDUCT_PSEUDONYM_KEY" }
        }
        """);

    private static RedactedComplainant RedactLopez(Redactor redactor, Complaint complaint) =>
        redactor.RedactCase(complaint, [Allegation()], [Lopez], key => key == Smith.Key ? Smith : null).Complainants[0];

    [Fact]
    public void A_birth_date_generalized_to_an_age_band_publishes_the_band_on_the_received_date()
    {
        var redactor = NewRedactor(BirthDatePolicy("""{ "action": "generalize", "to": "ageBand" }"""));

        var complainant = RedactLopez(redactor, Complaint(ComplaintStatus.Closed));

        Assert.Equal("25-34", complainant.Age); // 32 on 2021-03-14
        Assert.Null(complainant.BirthDate);
        Assert.Equal(1, redactor.Report.Fields[("complainant.birthDate", "generalize:ageBand")]);
    }

    [Fact]
    public void A_birth_date_generalized_to_an_age_band_without_a_reference_date_publishes_nothing()
    {
        var redactor = NewRedactor(BirthDatePolicy("""{ "action": "generalize", "to": "ageBand" }"""));

        var complainant = RedactLopez(redactor, Complaint(ComplaintStatus.Closed) with { ReceivedDate = null, IncidentDate = null });

        Assert.Null(complainant.Age);
        Assert.Null(complainant.BirthDate);
        Assert.Equal(1, redactor.Report.Rules["generalize: birth date without a reference date withheld"]);
    }

    [Fact]
    public void A_birth_date_counted_by_age_band_is_counted_and_not_published()
    {
        var redactor = NewRedactor(BirthDatePolicy("""{ "action": "aggregateOnly", "to": "ageBand", "bands": [18, 30, 50] }"""));

        var complainant = RedactLopez(redactor, Complaint(ComplaintStatus.Closed) with { ReceivedDate = null });

        Assert.Equal("30-49", complainant.ForCounts.AgeBand); // 32 on the incident date, 2021-03-12
        Assert.Null(complainant.Age);
        Assert.Null(complainant.BirthDate);
    }

    [Theory]
    [InlineData("withhold")]
    [InlineData("mask")]
    public void The_residual_risk_gate_withholds_or_masks_as_the_policy_says_and_counts_by_reason(string action)
    {
        var policy = DisclosurePolicyLoader.Parse(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "samples", "policies", "minnesota.json"))
                .Replace("\"residualRisk\": \"withhold\"", $"\"residualRisk\": \"{action}\"", StringComparison.Ordinal),
            "minnesota, " + action);
        var redactor = NewRedactor(policy);
        var complaint = Complaint(ComplaintStatus.Closed) with { Narrative = "Officer Smith said that Zorblat drove off; the complainant, QZ, 40/W/F, saw it." };

        var narrative = Redact(redactor, complaint, Allegation()).Complaint.Narrative;

        var withheld = "scrub: narrative withheld, residual risk UnknownCapitalisedWord";
        if (action == "withhold")
        {
            Assert.Null(narrative);
            Assert.Equal(1, redactor.Report.Rules[withheld]);
            Assert.DoesNotContain(redactor.Report.Lines(), l => l.Contains("Zorblat", StringComparison.Ordinal));
        }
        else
        {
            Assert.Equal("Officer Smith said that [NAME] drove off; the complainant, [INITIALS], [DEMOGRAPHIC], saw it.", narrative);
            Assert.False(redactor.Report.Rules.ContainsKey(withheld));
            Assert.Equal(1, redactor.Report.Rules["scrub: Demographic replaced in narratives"]);
        }
    }

    [Fact]
    public void The_pipeline_scrubbing_ahead_on_helper_threads_gives_what_one_pass_gives()
    {
        var (records, _, _) = PrivacyCanaryTests.SeededImport();
        var everyNarrative = new DisclosurePolicy
        {
            Name = Minnesota.Name, Default = Minnesota.Default, Fields = Minnesota.Fields, Sensitivity = Minnesota.Sensitivity,
            Finality = Minnesota.Finality with { Narratives = NarrativeDisclosure.Always }, Aggregation = Minnesota.Aggregation,
            Scrubbing = Minnesota.Scrubbing, Pseudonymization = Minnesota.Pseudonymization,
        };

        var pipeline = RedactionPipeline.Redact(records, NewRedactor(everyNarrative));

        var sequential = NewRedactor(everyNarrative);
        var officers = records.Officers.ToDictionary(o => (o.Source, o.Key));
        var narratives = records.Complaints.Select(c => sequential.RedactCase(
            c,
            [.. records.Allegations.Where(a => a.Source == c.Source && a.CaseNumber == c.CaseNumber)],
            [.. records.Complainants.Where(p => p.Source == c.Source && p.CaseNumber == c.CaseNumber)],
            key => officers.GetValueOrDefault((c.Source, key))).Complaint.Narrative).ToList();

        Assert.True(pipeline.Cases.Count(c => c.Complaint.Narrative is not null) > 500);
        Assert.Equal(narratives, pipeline.Cases.Select(c => c.Complaint.Narrative));
        Assert.Equal(sequential.Report.Rules.OrderBy(r => r.Key, StringComparer.Ordinal), pipeline.Report.Rules.OrderBy(r => r.Key, StringComparer.Ordinal));
    }
}
