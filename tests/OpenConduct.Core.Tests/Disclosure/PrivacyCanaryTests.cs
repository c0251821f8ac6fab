using System.Globalization;
using System.Text.Json;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Model;

namespace OpenConduct.Core.Tests.Disclosure;

/// <summary>
/// Privacy canaries: every private field and every narrative of the three sample exports is seeded with a unique
/// token; the import is redacted under the Minnesota policy and every public output is searched for the tokens.
/// Public outputs today: the redacted release (cases, officers) and the redaction report. Later issues add their
/// surfaces (index, API, datasets, widgets) to <see cref="PublicOutputs"/>.
/// </summary>
public sealed class PrivacyCanaryTests
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");

    [Fact]
    public void No_canary_reaches_a_public_output_and_public_fields_keep_their_values()
    {
        var (records, canaries) = SeededImport();
        var release = RedactionPipeline.Redact(records, RedactorTests.NewRedactor(RedactorTests.Minnesota));
        var published = PublicOutputs(release);

        Assert.True(canaries.Count > 1000, $"only {canaries.Count} canaries were seeded");
        var leaked = canaries.Where(c => published.Contains(c, StringComparison.OrdinalIgnoreCase)).Take(10).ToList();
        Assert.True(leaked.Count == 0, "canaries in public output: " + string.Join(", ", leaked));

        // ...while every public field still carries its value.
        Assert.All(records.Officers.Where(o => o.LastName is not null), o => Assert.Contains(o.LastName!, published, StringComparison.Ordinal));
        Assert.All(records.Complaints, c => Assert.Contains(JsonSerializer.Serialize(c.CaseNumber, Json), published, StringComparison.Ordinal));
        var closedSustained = release.Cases.Where(c => c.Complaint.Status.Value == ComplaintStatus.Closed).SelectMany(c => c.Allegations).Count(a => a.FinalFinding.Value == Finding.Sustained);
        Assert.True(closedSustained > 0, "no final finding was published");
        Assert.Equal(records.Complaints.Count, release.Cases.Count);
        Assert.Equal(records.Allegations.Count, release.Cases.Sum(c => c.Allegations.Count));
        // Narratives of closed cases with final discipline are published, scrubbed.
        var narratives = release.Cases.Count(c => c.Complaint.Narrative is not null);
        Assert.True(narratives > 10, $"only {narratives} narratives were published");
        Assert.All(release.Cases.Where(c => c.Complaint.Narrative is not null), c => Assert.False(c.Complaint.Sensitive));
    }

    /// <summary>Everything the redacted release publishes, as one text to search.</summary>
    internal static string PublicOutputs(RedactedRelease release) =>
        string.Join('\n',
            JsonSerializer.Serialize(release.Cases, Json),
            JsonSerializer.Serialize(release.Officers, Json),
            string.Join('\n', release.Report.Lines()));

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The three samples imported, with a unique canary in every private field and every narrative.</summary>
    internal static (CanonicalRecordSet Records, List<string> Canaries) SeededImport()
    {
        var records = new CanonicalRecordSet();
        foreach (var source in new[] { "opcr", "iau", "cra" })
        {
            var profile = MappingProfileLoader.LoadFile(Path.Combine(Samples, "profiles", source + ".json"));
            var report = new ExportImporter().Import(profile, new DirectoryExportFiles(Path.Combine(Samples, "exports", source)), records);
            Assert.True(report.Succeeded, string.Join("\n", report.Failures));
        }

        var canaries = new List<string>();
        var seeded = new CanonicalRecordSet();
        var n = 0;
        var byCase = records.Complainants.ToLookup(c => (c.Source, c.CaseNumber));
        foreach (var complaint in records.Complaints)
        {
            var people = new List<string>();
            foreach (var complainant in byCase[(complaint.Source, complaint.CaseNumber)])
            {
                n++;
                var (first, last, phone, address, email) = Canary(n);
                canaries.AddRange([first, last, phone, address, email, Digits(phone)]);
                people.Add($"{first} {last}");
                seeded.Add(complainant with
                {
                    FirstName = first,
                    LastName = last,
                    Phone = phone,
                    Address = address,
                    BirthDate = new DateOnly(1950, 1, 1).AddDays(n),
                });
            }

            n++;
            var (wFirst, wLast, wPhone, wAddress, wEmail) = Canary(n);
            canaries.AddRange([wAddress, wPhone, wEmail, Digits(wPhone)]);
            var location = string.Create(CultureInfo.InvariantCulture, $"{4000 + n} Chicago Ave");
            canaries.Add(location);
            var mention = people.Count > 0 ? $" Complainant {people[0]} says so too." : "";
            seeded.Add(complaint with
            {
                Location = location,
                Narrative = complaint.Narrative is null
                    ? null
                    : $"{complaint.Narrative} A neighbour at {wAddress} called {wPhone} and wrote to {wEmail}.{mention}",
            });
        }

        foreach (var allegation in records.Allegations)
        {
            seeded.Add(allegation);
        }

        foreach (var officer in records.Officers)
        {
            seeded.Add(officer);
        }

        return (seeded, canaries);
    }

    private static (string First, string Last, string Phone, string Address, string Email) Canary(int n)
    {
        var ic = CultureInfo.InvariantCulture;
        return (
            string.Create(ic, $"Kanary{Letters(n)}"),
            string.Create(ic, $"Zyxcanary{Letters(n)}"),
            string.Create(ic, $"(612) {200 + (n / 10000):000}-{n % 10000:0000}"),
            string.Create(ic, $"{5000 + n} Kanaryvale{Letters(n)} Ave"),
            string.Create(ic, $"kanary{n}@example.org"));
    }

    /// <summary>A number written in letters (a..j), so canaries stay words.</summary>
    private static string Letters(int n) => new(n.ToString(CultureInfo.InvariantCulture).Select(d => (char)('a' + (d - '0'))).ToArray());

    private static string Digits(string phone) => new(phone.Where(char.IsAsciiDigit).ToArray());
}
