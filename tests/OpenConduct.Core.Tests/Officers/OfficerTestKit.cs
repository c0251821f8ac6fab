using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Model;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;
using OpenConduct.Core.Tests.Disclosure;
using OpenConduct.Core.Tests.Release;

namespace OpenConduct.Core.Tests.Officers;

/// <summary>Publishes the committed samples into a release store and makes hand-made officers and cases.</summary>
internal static class OfficerTestKit
{
    public static readonly string[] SampleSources = ["opcr", "iau", "cra"];

    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");

    /// <summary>The Minnesota policy, except that birth years are published (so that rule 3 can apply).</summary>
    public static DisclosurePolicy MinnesotaWithBirthYear { get; } = WithField(RedactorTests.Minnesota, "minnesota, birth year kept", "officer.birthYear", new FieldRule { Action = FieldAction.Keep });

    public static DisclosurePolicy WithField(DisclosurePolicy policy, string name, string field, FieldRule rule) => new()
    {
        Name = name,
        Default = policy.Default,
        Fields = new Dictionary<string, FieldRule>(policy.Fields) { [field] = rule },
        Sensitivity = policy.Sensitivity,
        Finality = policy.Finality,
        Aggregation = policy.Aggregation,
        Pseudonymization = policy.Pseudonymization,
    };

    /// <summary>
    /// Publishes the committed samples of <paramref name="sources"/> (default all three) with the release publisher
    /// (import, redact, build, manifest, latest) into <paramref name="root"/>, under <paramref name="policy"/>
    /// (default Minnesota).
    /// </summary>
    public static async Task<FolderReleaseStore> PublishSamplesAsync(string root, DisclosurePolicy? policy = null, IEnumerable<string>? sources = null, DateTimeOffset? pulledAt = null)
    {
        policy ??= RedactorTests.Minnesota;
        var store = new FolderReleaseStore(root);
        var publisher = new ReleasePublisher(store, new PublisherOptions { Name = "City of Example, Civil Rights" }, name => name == "OPENCONDUCT_PSEUDONYM_KEY" ? RedactorTests.Key : null);
        foreach (var source in sources ?? SampleSources)
        {
            var profile = MappingProfileLoader.LoadFile(Path.Combine(Samples, "profiles", source + ".json"));
            var configuration = new SourceConfiguration(source, profile, policy, "profile-" + source, "policy-" + policy.Name);
            var report = await publisher.PublishAsync(
                configuration,
                new DirectoryExportFiles(Path.Combine(Samples, "exports", source)),
                "sample-export-" + source,
                pulledAt ?? ReleaseTestKit.PublishedAt,
                []);
            Assert.Equal(PublishOutcome.Published, report.Outcome);
        }

        return store;
    }

    /// <summary>The committed samples imported (unredacted): the ground truth the tests compute expectations from.</summary>
    public static CanonicalRecordSet ImportSamples()
    {
        var records = new CanonicalRecordSet();
        foreach (var source in SampleSources)
        {
            var profile = MappingProfileLoader.LoadFile(Path.Combine(Samples, "profiles", source + ".json"));
            var report = new ExportImporter().Import(profile, new DirectoryExportFiles(Path.Combine(Samples, "exports", source)), records);
            Assert.True(report.Succeeded, string.Join("\n", report.Failures));
        }

        return records;
    }

    /// <summary>The published reference of a canonical officer (the redactor's keyed pseudonym, with the tests' key).</summary>
    public static OfficerSourceRef RefOf(OpenConduct.Core.Model.Officer officer) =>
        new(officer.Source, RedactorTests.NewRedactor(RedactorTests.Minnesota).OfficerRef(officer.Source, officer.Key));

    public static PublishedOfficer Officer(
        string source, string officerRef, string? first = null, string? last = null, string? employeeId = null, string[]? badges = null,
        int? birthYear = null, string? hireDate = null, string? middle = null, string? suffix = null, string? rank = null, string? unit = null) => new()
    {
        Source = source,
        OfficerRef = officerRef,
        FirstName = first,
        MiddleName = middle,
        LastName = last,
        Suffix = suffix,
        EmployeeId = employeeId,
        Badges = [.. (badges ?? []).Select(b => new PublishedBadge(b))],
        BirthYear = birthYear,
        HireDate = hireDate,
        Rank = rank,
        Unit = unit,
    };

    public static PublishedCode Code(string value) => new(value, value);

    public static PublishedAllegation Allegation(
        string officerRef, string category = "UseOfForce", string? finding = null, bool pending = false, string? discipline = null, int? days = null, bool? final = null) => new()
    {
        OfficerRef = officerRef,
        Category = Code(category),
        FinalFinding = finding is null ? null : Code(finding),
        FindingPending = pending,
        ImposedDiscipline = discipline is null ? null : Code(discipline),
        ImposedDisciplineDays = days,
        DisciplineFinal = final,
    };

    public static PublishedCase Case(string source, string caseNumber, string? received, string status, params PublishedAllegation[] allegations) => new()
    {
        Source = source,
        CaseNumber = caseNumber,
        ReceivedDate = received,
        Status = Code(status),
        IntakeDecision = Code("Investigation"),
        Allegations = allegations,
    };

    /// <summary>The groups as sets of <c>{source}:{ref}</c> texts, for comparisons.</summary>
    public static HashSet<string> Groups(IdentityResolution resolution) =>
        [.. resolution.Groups.Select(g => string.Join(" ", g.Members.Select(m => m.ToString()).Order(StringComparer.Ordinal)))];

    public static string Joined(params OfficerSourceRef[] members) => string.Join(" ", members.Select(m => m.ToString()).Order(StringComparer.Ordinal));
}
