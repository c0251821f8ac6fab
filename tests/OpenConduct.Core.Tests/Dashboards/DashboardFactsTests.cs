using System.Security.Cryptography;
using System.Text.Json;
using OpenConduct.Core.Dashboards;
using OpenConduct.Core.Model;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;
using OpenConduct.Core.Tests.Disclosure;
using static OpenConduct.Core.Dashboards.DashboardDimensions;
using static OpenConduct.Core.Tests.Dashboards.DashboardKit;

namespace OpenConduct.Core.Tests.Dashboards;

/// <summary>
/// The dashboard facts: built from redacted records only (demographics from <c>ForCounts</c>), one fact per
/// allegation and one per complaint without allegations, canonical codes only, written deterministically into the
/// release as an internal artefact recorded (for integrity) apart from the manifest's public artefacts.
/// </summary>
public sealed class DashboardFactsTests
{
    private static readonly DateOnly Day = new(2024, 3, 14);

    private static DashboardKit Sample()
    {
        var kit = new DashboardKit().Officer("o1", Race.White, Sex.Male).Officer("o2", Race.Black, Sex.Female);
        kit.Case(Day, precinct: "3", address: "3412 Nicollet Ave S, Apt 2",
            complainants: [new(Race.Hispanic, Sex.Female, 33), new(Race.Black, Sex.Female, 40)],
            allegations: [new("UseOfForce", "o1", Model.Finding.Sustained, DisciplineKind.Suspension), new("Language", "o2")]);
        kit.Case(Day.AddMonths(1), ComplaintStatus.Open, precinct: "1", complainants: [new(Race.Asian, Sex.Male, 20), new(Race.Unknown, null, 21)],
            allegations: [new("UseOfForce", "o1", null)]);
        kit.Case(Day.AddMonths(2), precinct: "2", intake: IntakeDecision.Dismissed);   // no allegations, no complainants
        kit.Case(Day, precinct: "3", address: "3418 Nicollet Ave S", sensitivity: Sensitivity.DomesticViolence,
            allegations: [new("UseOfForce", "o9")]);                                 // officer not in the release
        return kit;
    }

    [Fact]
    public void One_fact_per_allegation_and_one_per_complaint_without_allegations()
    {
        var part = Sample().Facts();
        var facts = DashboardFacts.Combine([part]);

        Assert.Equal(4, part.Complaints);
        Assert.Equal(4, part.Allegations);
        Assert.Equal(5, facts.FactCount);
        Assert.Equal(4, facts.ComplaintCount);
        Assert.Equal(4, facts.AllegationCount);
        Assert.Null(Run(facts, "complaints-over-time").Total);   // 4 complaints: fewer than k = 10, so nothing is published
        var open = DashboardFacts.Combine([Sample().Facts(MinnesotaWithK(1))]);
        Assert.Equal(4, Run(open, "complaints-over-time").Total);
        Assert.Equal(4, Run(open, "allegation-types").Total);
        Assert.Equal(1, Run(open, "intake-decisions", ("intake", "Dismissed")).Total);
        Assert.Equal(0, Run(open, "allegation-types", ("intake", "Dismissed")).Total);
        // The complaint without allegations has Unknown for the allegation dimensions.
        Assert.Equal(1, Run(open, "complaints-over-time", ("category", "Unknown")).Total);
    }

    [Fact]
    public void Complainants_that_differ_count_as_Multiple_unknown_values_are_left_out()
    {
        var open = DashboardFacts.Combine([Sample().Facts(MinnesotaWithK(1))]);

        // Case 1: Hispanic woman of 33 and Black woman of 40 (two allegations); case 2: Asian man of 20 and a
        // complainant of 21 whose race and sex are unknown; case 4: no complainant.
        var race = Run(open, "demographics", ("by", "complainantRace"));
        Assert.Equal(1, Cell(race, Multiple, "UseOfForce"));
        Assert.Equal(1, Cell(race, Multiple, "Language"));
        Assert.Equal(1, Cell(race, "Asian", "UseOfForce"));
        Assert.Equal(1, Cell(race, "Unknown", "UseOfForce"));
        Assert.Equal(0, Cell(race, "Hispanic", "UseOfForce"));
        var sex = Run(open, "demographics", ("by", "complainantSex"));
        Assert.Equal(1, Cell(sex, "Female", "Language"));
        Assert.Equal(1, Cell(sex, "Male", "UseOfForce"));
        var age = Run(open, "demographics", ("by", "complainantAgeBand"));
        Assert.Equal(1, Cell(age, Multiple, "Language"));
        Assert.Equal(1, Cell(age, "18-24", "UseOfForce"));
        Assert.Equal(["18-24", "Unknown", "Multiple"], open.ValuesOf(ComplainantAgeBand));
        Assert.Equal(
            ["under 18", "18-24", "25-34", "35-44", "45-54", "55-64", "65+", "Unknown", "Multiple"],
            Sort(ComplainantAgeBand, ["65+", "Multiple", "18-24", "under 18", "Unknown", "25-34", "35-44", "45-54", "55-64"]));
    }

    [Fact]
    public void Officer_demographics_come_from_the_counted_values_of_the_named_officer()
    {
        var open = DashboardFacts.Combine([Sample().Facts(MinnesotaWithK(1))]);
        var race = Run(open, "demographics", ("by", "officerRace"));
        Assert.Equal(2, Cell(race, "White", "UseOfForce"));   // o1 twice
        Assert.Equal(1, Cell(race, "Black", "Language"));     // o2
        Assert.Equal(1, Cell(race, "Unknown", "UseOfForce")); // o9 is not in the release

        // The strict policy counts officers' race and sex but no complainant demographics (its default drops them).
        var strict = DashboardFacts.Combine([Sample().Facts(RedactorTests.Strict)]);
        Assert.Equal(["Unknown"], strict.ValuesOf(ComplainantAgeBand));
        Assert.Equal(Domain(ComplainantRace), strict.ValuesOf(ComplainantRace));
        var part = Sample().Facts(RedactorTests.Strict);
        Assert.Equal(["Unknown"], part.ValuesOf(ComplainantRace));
        Assert.Equal(["Unknown"], part.ValuesOf(ComplainantSex));
        Assert.Equal(["Black", "White", "Unknown"], part.ValuesOf(OfficerRace));
    }

    [Fact]
    public void Hundred_blocks_only_where_the_policy_publishes_them_and_never_for_a_sensitive_complaint()
    {
        var minnesota = Sample().Facts();
        Assert.True(minnesota.Header.HundredBlocks);
        Assert.Equal(["3400 block of Nicollet Ave S"], minnesota.Blocks);  // the sensitive complaint's 3418 is not there

        var strict = Sample().Facts(RedactorTests.Strict);
        Assert.False(strict.Header.HundredBlocks);
        Assert.Empty(strict.Blocks);
    }

    [Fact]
    public void The_header_carries_the_policy_and_its_k_and_the_release_date()
    {
        var minnesota = Sample().Facts();
        Assert.Equal(new DashboardFactsHeader("opcr", "r1", "minnesota-13.43", 10, new DateOnly(2026, 11, 2), 4, true), minnesota.Header);
        var strict = Sample().Facts(RedactorTests.Strict, source: "iau");
        Assert.Equal(20, strict.Header.K);

        Assert.Equal(10, DashboardFacts.Combine([minnesota]).K);
        Assert.Equal(20, DashboardFacts.Combine([minnesota, strict]).K);   // combined: the largest k
        Assert.Equal(SmallCellThreshold, DashboardFacts.Empty.K);
        Assert.Equal(["iau", "opcr"], DashboardFacts.Combine([minnesota, strict]).ValuesOf(Source));
    }

    private const int SmallCellThreshold = OpenConduct.Core.Disclosure.SmallCellSuppression.CommonThreshold;

    [Fact]
    public void Days_to_close_and_open_age_on_the_release_date()
    {
        var kit = new DashboardKit().Officer("o1", Race.White, Sex.Male);
        kit.Case(new DateOnly(2026, 10, 1), ComplaintStatus.Open, allegations: [new("UseOfForce")]);      // 32 days on 2026-11-02
        kit.Case(new DateOnly(2024, 1, 1), daysToClose: 400, allegations: [new("UseOfForce")]);
        kit.Case(new DateOnly(2024, 1, 1), daysToClose: 10, allegations: [new("UseOfForce")]);
        var part = kit.Facts();
        Assert.Equal([400, 10, -1], part.ClosedDays);   // in case-number order: OPCR-2024-0002, OPCR-2024-0003, OPCR-2026-0001
        Assert.Equal([-1, -1, 32], part.OpenDays);

        var open = DashboardFacts.Combine([kit.Facts(MinnesotaWithK(1))]);
        var timeliness = Run(open, "timeliness");
        Assert.Equal(1, Cell(timeliness, "31-90", "open"));
        Assert.Equal(1, Cell(timeliness, "366+", "closed"));
        Assert.Equal(1, Cell(timeliness, "0-30", "closed"));
        Assert.Equal(10, timeliness.MedianDaysToClose);   // the lower median of 10 and 400

        // Dates published only to the month (strict policy): no day counts at all.
        var strict = kit.Facts(RedactorTests.Strict);
        Assert.All(strict.ClosedDays.Concat(strict.OpenDays), d => Assert.Equal(-1, d));
    }

    [Fact]
    public void The_file_round_trips_and_is_byte_for_byte_deterministic()
    {
        var part = Sample().Facts();
        var bytes = Bytes(part);
        var read = DashboardFactsIo.Read(bytes);

        Assert.Equal(part.Header, read.Header);
        for (var d = 0; d < Count; d++)
        {
            Assert.Equal(part.ValuesOf(d), read.ValuesOf(d));
            Assert.Equal(part.Columns[d], read.Columns[d]);
        }

        Assert.Equal(part.AllegationCounts, read.AllegationCounts);
        Assert.Equal(part.ClosedDays, read.ClosedDays);
        Assert.Equal(part.OpenDays, read.OpenDays);
        Assert.Equal(part.Blocks, read.Blocks);
        Assert.Equal(part.BlockOf, read.BlockOf);
        Assert.Equal(bytes, Bytes(read));
        Assert.Equal(bytes, Bytes(Sample().Facts()));   // built again from the same records: the same bytes
    }

    [Fact]
    public void The_facts_hold_canonical_codes_only_never_raw_or_private_values()
    {
        var kit = Sample();
        var input = kit.Input();
        var text = Text(Bytes(DashboardFactsBuilder.Build(input)));

        Assert.DoesNotContain("RAW-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("3412", text, StringComparison.Ordinal);         // the address itself, only its hundred block
        Assert.DoesNotContain("3418", text, StringComparison.Ordinal);         // the sensitive complaint's location, not even generalized
        Assert.DoesNotContain("OPCR-2024", text, StringComparison.Ordinal);    // no case number: facts are not records
        Assert.All(input.Records.Officers, o => Assert.DoesNotContain(o.OfficerRef, text, StringComparison.Ordinal)); // no officer reference
        Assert.Contains("3400 block of Nicollet Ave S", text, StringComparison.Ordinal);
        Assert.Contains("\"Asian\"", text, StringComparison.Ordinal);           // codes, in the header's dictionaries
        var strings = kit.Facts().Strings().ToList();
        Assert.All(strings, s => Assert.DoesNotContain("RAW-", s, StringComparison.Ordinal));
    }

    [Fact]
    public void A_truncated_or_foreign_file_is_refused()
    {
        var bytes = Bytes(Sample().Facts());
        var content = Gunzip(bytes);
        Assert.Throws<InvalidDataException>(() => DashboardFactsIo.Read(Gzip(content[..^3])));
        Assert.Throws<InvalidDataException>(() => DashboardFactsIo.Read(Gzip([.. content, 0])));
        Assert.Throws<InvalidDataException>(() => DashboardFactsIo.Read(Gzip("OCDX"u8.ToArray())));
        var future = (byte[])content.Clone();
        future[4] = 4;
        Assert.Throws<InvalidDataException>(() => DashboardFactsIo.Read(Gzip(future)));
    }

    [Fact]
    public async Task The_release_writes_the_facts_as_an_internal_artefact_recorded_apart_from_the_public_ones()
    {
        using var temp = new TempFolder();
        var input = Sample().Input();
        var store = new FolderArtefactStore(temp.Sub("r1"));
        var contents = await ReleaseBuilder.BuildAsync(input, store);

        var facts = Assert.Single(contents.Internal);
        Assert.Equal(ReleasePaths.DashboardFacts, facts.Path);
        Assert.StartsWith(ReleasePaths.InternalFolder + "/", facts.Path, StringComparison.Ordinal);
        Assert.DoesNotContain(contents.Artefacts, a => a.Path.StartsWith(ReleasePaths.InternalFolder + "/", StringComparison.Ordinal));
        var bytes = await File.ReadAllBytesAsync(Path.Combine(temp.Sub("r1"), "internal", "dashboard-facts.bin.gz"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), facts.Sha256);
        Assert.Equal(bytes.LongLength, facts.Bytes);

        // The manifest, as the pipeline makes it from the build's artefacts: the facts under "internal" only.
        var manifest = ReleaseManifest.Create(input, contents.Artefacts);
        Assert.DoesNotContain(manifest.Artefacts, a => a.Path == ReleasePaths.DashboardFacts);
        Assert.Equal([facts], manifest.Internal);
        Assert.Equal(manifest.Internal, ReleaseManifest.Create(input, contents).Internal);
        await ReleaseManifestIo.WriteAsync(store, manifest);
        var read = (await ReleaseManifestIo.ReadAsync(store))!;
        Assert.Equal(manifest.Artefacts, read.Artefacts);
        Assert.Equal(manifest.Internal, read.Internal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(temp.Sub("r1"), "manifest.json")));
        Assert.DoesNotContain(json.RootElement.GetProperty("artefacts").EnumerateArray(), a => a.GetProperty("path").GetString()!.StartsWith("internal/", StringComparison.Ordinal));
        Assert.Equal(ReleasePaths.DashboardFacts, json.RootElement.GetProperty("internal")[0].GetProperty("path").GetString());

        // Read back as the API does: checked against the manifest.
        var loaded = await DashboardFactsIo.ReadVerifiedAsync(store, read);
        Assert.Equal(input.Records.Cases.Sum(c => c.Allegations.Count), loaded!.Allegations);

        // A manifest of a plain list (no build attached) records none, and then the facts are not read at all.
        Assert.Null(ReleaseManifest.Create(input, [.. contents.Artefacts]).Internal);
        Assert.Null(await DashboardFactsIo.ReadVerifiedAsync(store, read with { Internal = null }));
    }

    [Fact]
    public async Task Facts_that_do_not_match_their_manifest_are_refused()
    {
        using var temp = new TempFolder();
        var input = Sample().Input();
        var store = new FolderArtefactStore(temp.Sub("r1"));
        var contents = await ReleaseBuilder.BuildAsync(input, store);
        var manifest = ReleaseManifest.Create(input, contents);
        var path = Path.Combine(temp.Sub("r1"), "internal", "dashboard-facts.bin.gz");
        var bytes = await File.ReadAllBytesAsync(path);

        bytes[^5] ^= 0xFF;
        await File.WriteAllBytesAsync(path, bytes);
        await Assert.ThrowsAsync<InvalidDataException>(() => DashboardFactsIo.ReadVerifiedAsync(store, manifest));

        File.Delete(path);
        await Assert.ThrowsAsync<InvalidDataException>(() => DashboardFactsIo.ReadVerifiedAsync(store, manifest));
    }

    [Fact]
    public async Task The_sample_release_facts_are_deterministic_and_count_every_record()
    {
        using var temp = new TempFolder();
        var (records, report) = Release.ReleaseTestKit.ImportSample("opcr");
        var input = Release.ReleaseTestKit.Input(records, report);
        var first = await Release.ReleaseTestKit.BuildAsync(input, temp.Sub("a"));
        var second = await Release.ReleaseTestKit.BuildAsync(input, temp.Sub("b"));

        Assert.Equal(first.Internal, second.Internal);
        var a = await File.ReadAllBytesAsync(Path.Combine(temp.Sub("a"), ReleasePaths.DashboardFacts));
        Assert.Equal(a, await File.ReadAllBytesAsync(Path.Combine(temp.Sub("b"), ReleasePaths.DashboardFacts)));
        var part = DashboardFactsIo.Read(a);
        Assert.Equal(input.Records.Cases.Count, part.Complaints);
        Assert.Equal(input.Records.Cases.Sum(c => c.Allegations.Count), part.Allegations);
        Assert.Equal(10, part.Header.K);
    }
}
