using System.Globalization;
using OpenConduct.Core.Disclosure;
using Xunit.Abstractions;

namespace OpenConduct.Core.Tests.Disclosure;

/// <summary>The narrative scrubber: each kind of personal data, officer protection, and the labelled corpus.</summary>
public sealed class NarrativeScrubberTests(ITestOutputHelper output)
{
    /// <summary>The corpus the figures in docs/disclosure.md come from.</summary>
    public const int CorpusSize = 400;

    public const int CorpusSeed = 3;

    private static readonly NarrativeScrubber Scrubber = new();

    private static string Scrub(string text, string[]? officers = null, string[]? known = null) =>
        Scrubber.Scrub(text, new ScrubContext(officers ?? [], known ?? [])).Text;

    [Theory]
    [InlineData("Call (612) 555-0143 today.", "Call [PHONE] today.")]
    [InlineData("Call 612.555.0143 today.", "Call [PHONE] today.")]
    [InlineData("Call 612-555-0143 today.", "Call [PHONE] today.")]
    [InlineData("Call 6125550143 today.", "Call [PHONE] today.")]
    [InlineData("Call +1 612 555 0143 today.", "Call [PHONE] today.")]
    [InlineData("Call 1-612-555-0143 ext. 12 today.", "Call [PHONE] today.")]
    [InlineData("Call 555-0143 today.", "Call [PHONE] today.")]
    public void Phones_in_every_spelling(string input, string expected) => Assert.Equal(expected, Scrub(input));

    [Theory]
    [InlineData("Write to maria.lopez85@example.com.", "Write to [EMAIL].")]
    [InlineData("E-MAIL: M_LOPEZ@MAIL.EXAMPLE.ORG or call", "E-MAIL: [EMAIL] or call")]
    public void Emails(string input, string expected) => Assert.Equal(expected, Scrub(input));

    [Theory]
    [InlineData("SSN 123-45-6789 on file", "SSN [SSN] on file")]
    [InlineData("ssn 123 45 6789 on file", "ssn [SSN] on file")]
    [InlineData("social security number: 123456789.", "social security number: [SSN].")]
    public void Social_security_numbers(string input, string expected) => Assert.Equal(expected, Scrub(input));

    [Theory]
    [InlineData("Complainant (DOB 3/4/1985) said", "Complainant (DOB [DOB]) said")]
    [InlineData("d.o.b. 1985-03-04, age 38", "d.o.b. [DOB], age 38")]
    [InlineData("date of birth March 4, 1985.", "date of birth [DOB].")]
    [InlineData("She was born in 1985 and", "She was born in [DOB] and")]
    [InlineData("On 3/4/2021 at 2:35 PM the stop began.", "On 3/4/2021 at 2:35 PM the stop began.")]
    public void Dates_of_birth_but_not_other_dates(string input, string expected) => Assert.Equal(expected, Scrub(input));

    [Theory]
    [InlineData("a Civic with MN plate ABC-123 was", "a Civic with MN plate [PLATE] was")]
    [InlineData("license plate 123 ABC.", "license plate [PLATE].")]
    [InlineData("LICENSE PLATE NUMBER XYZ789 REGISTERED", "LICENSE PLATE NUMBER [PLATE] REGISTERED")]
    [InlineData("the plate was not visible", "the plate was not visible")]
    public void Licence_plates(string input, string expected) => Assert.Equal(expected, Scrub(input));

    [Theory]
    [InlineData("She lives at 3412 Chicago Ave S Apt 2B, Minneapolis, MN 55407.", "She lives at [ADDRESS].")]
    [InlineData("at 4500 E Lake St #204 yesterday", "at [ADDRESS] yesterday")]
    [InlineData("at 2643 Nicollet Mall.", "at [ADDRESS].")]
    [InlineData("AT 4500 CHICAGO AVE S. PHONE", "AT [ADDRESS]. PHONE")]
    [InlineData("at 5808 W Broadway, Unit 3", "at [ADDRESS]")]
    [InlineData("in the 3400 block of Nicollet Ave on Monday", "in the 3400 block of Nicollet Ave on Monday")]
    [InlineData("near Lake St & Chicago Ave at 1430 hours", "near Lake St & Chicago Ave at 1430 hours")]
    [InlineData("IN THE 3400 BLOCK OF NICOLLET AVE", "IN THE 3400 BLOCK OF NICOLLET AVE")]
    public void Addresses_but_not_hundred_blocks_or_intersections(string input, string expected) => Assert.Equal(expected, Scrub(input));

    [Theory]
    [InlineData("Mr. John Doe stated that the officer lied.", "Mr. [NAME] stated that the officer lied.")]
    [InlineData("Ms. Maria J. Lopez-Ortiz said so.", "Ms. [NAME] said so.")]
    [InlineData("C1 (J.D., 34/B/M) reports that", "C1 ([NAME], 34/B/M) reports that")]
    [InlineData("C1 (JD, 34/B/M) reports that", "C1 ([NAME], 34/B/M) reports that")]
    [InlineData("A witness, Siobhan Fjeld, stated that", "A witness, [NAME], stated that")]
    [InlineData("Witness Ikenna Obi (612.555.0143) corroborated.", "Witness [NAME] ([PHONE]) corroborated.")]
    [InlineData("Thandiwe Mokoena, a neighbor, recorded it.", "[NAME], a neighbor, recorded it.")]
    [InlineData("Hodan Warsame said she was afraid.", "[NAME] said she was afraid.")]
    [InlineData("Fjeld's statement matched. Siobhan Fjeld was interviewed by Ms. Fjeld's lawyer.", "[NAME]'s statement matched. [NAME] was interviewed by Ms. [NAME]'s lawyer.")]
    public void Names_found_by_patterns(string input, string expected) => Assert.Equal(expected, Scrub(input));

    [Theory]
    [InlineData("maria lopez called twice; LOPEZ said the young man ran.", "[NAME] called twice; [NAME] said the young man ran.")]
    [InlineData("Lopez, Maria was the driver.", "[NAME] was the driver.")]
    [InlineData("López's car was towed.", "[NAME]'s car was towed.")]
    public void Known_private_names_in_any_form(string input, string expected) =>
        Assert.Equal(expected, Scrub(input, known: ["Maria Lopez"]));

    [Theory]
    [InlineData("C1, W1 and V2 were present; C1 said the BWC was off.")]
    [InlineData("The complainant, a 34/B/M, was stopped on Lyndale Ave near the 5th Precinct.")]
    [InlineData("Case CCN 21-123456, badge 4512, Squad 330, on 6/7/2021 at 2:35 PM.")]
    [InlineData("Body-worn camera footage was reviewed by Internal Affairs on Monday, June 7.")]
    [InlineData("He was taken to HCMC and booked into Hennepin County Jail.")]
    public void Text_without_personal_data_is_untouched(string input) => Assert.Same(input, Scrubber.Scrub(input, ScrubContext.Empty).Text);

    [Fact]
    public void Officer_names_on_the_record_survive_every_pattern()
    {
        var text = "Officer John Smith stopped Mr. Ahmed Hassan. Sgt. Smith said Smith's squad was nearby. "
            + "Ofc. J. Smith (badge 1234) and Officer SMITH-JONES arrived; Officer Lee Vang (34/A/M) wrote the report. "
            + "A witness, Mark Kroll, stated that John asked for ID. Lee Vang said nothing.";
        var result = Scrub(text, officers: ["SMITH, JOHN Q", "Lee Vang", "Kroll, Mark"]);
        Assert.Equal(
            "Officer John Smith stopped Mr. [NAME]. Sgt. Smith said Smith's squad was nearby. "
            + "Ofc. J. Smith (badge 1234) and Officer SMITH-JONES arrived; Officer Lee Vang (34/A/M) wrote the report. "
            + "A witness, Mark Kroll, stated that John asked for ID. Lee Vang said nothing.",
            result);
    }

    [Fact]
    public void Officers_not_on_the_record_are_replaced_with_their_rank_kept()
    {
        Assert.Equal(
            "Sgt. [NAME] reported that Officer Smith lied; Lt. [NAME] agreed.",
            Scrub("Sgt. Thompson reported that Officer Smith lied; Lt. Maria Garcia agreed.", officers: ["Dan Smith"]));
    }

    [Fact]
    public void A_full_known_name_wins_over_an_officer_sharing_its_surname()
    {
        var result = Scrub(
            "Complainant Joshua White alleges that Officer White shoved him. Mr. White further stated that Officer Samuel White laughed.",
            officers: ["WHITE, SAMUEL"],
            known: ["Joshua White"]);

        // The civilian's full name goes; every reference that could be the officer stays (documented limit: "Mr. White").
        Assert.Equal(
            "Complainant [NAME] alleges that Officer White shoved him. Mr. White further stated that Officer Samuel White laughed.",
            result);
    }

    [Fact]
    public void A_civilian_sharing_an_officer_surname_is_told_apart_only_by_a_different_given_name()
    {
        // The officer's surname stays wherever it could be the officer: after a rank, after "Mr.", on its own.
        Assert.Equal(
            "Officer Todd Kueng pushed him. [NAME], a neighbor, filmed it. Officer [NAME] Kueng arrived. Mr. Kueng said Kueng lied.",
            Scrub(
                "Officer Todd Kueng pushed him. Eric Kueng, a neighbor, filmed it. Officer Eric Kueng arrived. Mr. Kueng said Kueng lied.",
                officers: ["Todd Kueng", "Kueng"]));
    }

    [Fact]
    public void Lower_case_notes_name_people_after_a_cue()
    {
        Assert.Equal(
            "complainant [NAME] says officer kroll pushed her; complainant [NAME] says the same.",
            Scrub("complainant ikenna obi says officer kroll pushed her; complainant maria lopez says the same.", officers: ["Kroll"]));
    }

    [Fact]
    public void Counts_per_kind_and_no_values()
    {
        var result = Scrubber.Scrub(
            "Mr. Doe (DOB 1/2/1980) of 12 Main St can be reached at 612-555-0100 or doe@example.com; plate ABC-123; SSN 123-45-6789.",
            ScrubContext.Empty);
        Assert.Equal(new PiiCounts(Name: 1, Address: 1, Phone: 1, Email: 1, Ssn: 1, DateOfBirth: 1, LicensePlate: 1), result.Counts);
        Assert.Equal(7, result.Counts.Total);
        Assert.Equal(1, result.Counts[PiiKind.LicensePlate]);
        Assert.Equal(
            "Mr. [NAME] (DOB [DOB]) of [ADDRESS] can be reached at [PHONE] or [EMAIL]; plate [PLATE]; SSN [SSN].",
            result.Text);
    }

    [Fact]
    public void Corpus_is_deterministic_and_large_enough()
    {
        var a = ScrubberCorpus.Generate(CorpusSize, CorpusSeed);
        var b = ScrubberCorpus.Generate(CorpusSize, CorpusSeed);
        Assert.True(a.Count >= 300);
        Assert.Equal(a.Select(n => n.Text), b.Select(n => n.Text));
        Assert.True(a.Select(n => n.Style).Distinct().Count() >= 8);
        foreach (var n in a)
        {
            foreach (var label in n.Pii)
            {
                Assert.Equal(label.Value, n.Text.Substring(label.Start, label.Length));
            }

            foreach (var mention in n.Officers)
            {
                Assert.Equal(mention.Value, n.Text.Substring(mention.Start, mention.Length));
            }
        }
    }

    [Fact]
    public void Scrubber_corpus_precision_and_recall()
    {
        var report = ScrubberEvaluation.Run(CorpusSize, CorpusSeed);
        output.WriteLine(report.ToMarkdown());
        output.WriteLine("Misses:");
        foreach (var miss in report.Misses)
        {
            output.WriteLine("  " + miss);
        }

        output.WriteLine("False positives:");
        foreach (var fp in report.FalsePositiveSamples)
        {
            output.WriteLine("  " + fp);
        }

        Assert.Empty(report.TextMismatches);
        Assert.True(report.VerbatimFailures.Count == 0, string.Join("\n", report.VerbatimFailures));
        Assert.Equal(0, report.OfficerMentionsRemoved);
        foreach (var kind in new[] { PiiKind.Phone, PiiKind.Email, PiiKind.Ssn, PiiKind.Address })
        {
            Assert.True(report[kind].Recall >= 0.99, $"{kind} recall {report[kind].Recall.ToString("0.000", CultureInfo.InvariantCulture)} < 0.99");
        }

        Assert.True(report[PiiKind.Name].Recall >= 0.95, $"Name recall {report[PiiKind.Name].Recall.ToString("0.000", CultureInfo.InvariantCulture)} < 0.95");
    }

    /// <summary>
    /// The committed sample exports come from a different generator (samples/OpenConduct.Samples) than the corpus: in
    /// every narrative, no part of a complainant's name is left (unless an officer on the record shares it) and every
    /// part of an officer's name occurs as often as before (unless a complainant shares it); both with the
    /// complainants given to the scrubber and without them (the pattern recognisers alone).
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Sample_export_narratives_lose_complainant_names_and_keep_officer_names(bool complainantsKnown)
    {
        var cases = SampleNarratives.Iau().Concat(SampleNarratives.Opcr()).ToList();
        Assert.True(cases.Count > 200, $"only {cases.Count} sample narratives were read");
        var leaks = new List<string>();
        var removed = new List<string>();
        var counts = default(PiiCounts);
        foreach (var (id, officers, complainants, narrative) in cases)
        {
            var result = Scrubber.Scrub(narrative, new ScrubContext(officers, complainantsKnown ? complainants : []));
            counts += result.Counts;
            var officerParts = SampleNarratives.Parts(officers).ToHashSet(StringComparer.Ordinal);
            var complainantParts = SampleNarratives.Parts(complainants).ToHashSet(StringComparer.Ordinal);
            foreach (var part in complainantParts.Where(p => p.Length >= 3 && !officerParts.Contains(p)))
            {
                if (SampleNarratives.WordCount(result.Text, part) > 0)
                {
                    leaks.Add($"{id}: '{part}' left in: {result.Text}");
                }
            }

            foreach (var part in officerParts.Where(p => p.Length >= 2 && !complainantParts.Contains(p)))
            {
                if (SampleNarratives.WordCount(result.Text, part) != SampleNarratives.WordCount(narrative, part))
                {
                    removed.Add($"{id}: officer '{part}' removed from: {narrative} -> {result.Text}");
                }
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cases.Count} sample narratives: {counts}"));
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
        Assert.True(removed.Count == 0, string.Join("\n", removed));
    }

    [Fact]
    public void Scrubber_speed_is_printed()
    {
        // Prints only: timing depends on the machine and its load. Run with -c Release for meaningful figures.
        output.WriteLine("Labelled corpus: " + ScrubberEvaluation.Speed(CorpusSize, CorpusSeed, passes: 10));
        var samples = SampleNarratives.Iau().Concat(SampleNarratives.Opcr())
            .Select(c => (c.Narrative, new ScrubContext(c.Officers, c.Complainants)))
            .ToList();
        output.WriteLine("Sample exports (IAU, OPCR): " + ScrubberEvaluation.Speed(samples, passes: 10));
    }
}
