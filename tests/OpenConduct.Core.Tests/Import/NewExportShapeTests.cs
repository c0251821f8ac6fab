using OpenConduct.Core.Import;
using OpenConduct.Core.Model;

namespace OpenConduct.Core.Tests.Import;

/// <summary>
/// A profile written from docs/profiles.md alone, for files that no other test or sample uses
/// (TestData/newshape: tab-separated, yyyyMMdd dates, officers known by badge and name only), imports without
/// any code change.
/// </summary>
public sealed class NewExportShapeTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "newshape");

    [Fact]
    public void A_new_format_imports_through_its_profile_alone()
    {
        var profile = MappingProfileLoader.LoadFile(Path.Combine(Folder, "profile.json"));
        var records = new CanonicalRecordSet();
        var report = new ExportImporter().Import(profile, new DirectoryExportFiles(Folder), records);

        Assert.True(report.Succeeded, string.Join("\n", report.Failures));
        Assert.Equal(["cases_2019.tsv", "accused_2019.tsv"], report.Files.Select(f => f.Path));
        Assert.Equal('\t', report.Files[0].Delimiter);
        Assert.Equal((4L, 3L, 1L), (report.Files[0].RowsRead, report.Files[0].RowsImported, report.Files[0].RowsRejected));
        Assert.Equal((6L, 5L, 1L), (report.Files[1].RowsRead, report.Files[1].RowsImported, report.Files[1].RowsRejected));
        Assert.Equal(
            ["cases_2019.tsv:5:2: column 'COMPLAINT_DATE': not a date in the expected format yyyyMMdd",
             "accused_2019.tsv:7:1: column 'LOG_NO': case number is not in file 'cases'"],
            report.RowErrors.Select(e => e.ToString()));

        Assert.Equal(3, records.Complaints.Count);
        Assert.Equal(5, records.Allegations.Count);
        Assert.Equal(3, records.Officers.Count);
        Assert.All(records.Complaints, c => Assert.Equal("LAKEVIEW-OPS", c.Source));

        var domestic = records.Complaints.Single(c => c.CaseNumber == "1087002");
        Assert.Equal(Sensitivity.DomesticViolence | Sensitivity.Juvenile, domestic.Sensitivity);
        Assert.Equal(ComplaintStatus.Open, domestic.Status.Value);
        Assert.Equal(Sensitivity.None, records.Complaints.Single(c => c.CaseNumber == "1087001").Sensitivity);
        Assert.Equal("0123", records.Complaints.Single(c => c.CaseNumber == "1087001").Precinct);

        var whitfield = records.Officers.Single(o => o.LastName == "Whitfield");
        Assert.Equal(("Dana", "K.", "badge:4410|WHITFIELD|DANA"), (whitfield.FirstName, whitfield.MiddleName, whitfield.Key));
        Assert.Equal(Sex.Female, whitfield.Sex.Value);
        var ortiz = records.Officers.Single(o => o.LastName == "Ortiz");
        Assert.Equal(("Ray", "Jr."), (ortiz.FirstName, ortiz.Suffix));

        var suspension = records.Allegations.Single(a => a.OfficerKey == whitfield.Key && a.CaseNumber == "1087001");
        Assert.Equal(new Coded<DisciplineKind>(DisciplineKind.Suspension, "7 Day Suspension"), suspension.ImposedDiscipline);
        Assert.Equal(7, suspension.ImposedDisciplineDays);
        Assert.Equal(new CodedText("UseOfForce", "EXCESSIVE FORCE"), suspension.Category);

        // A category the vocabulary does not list but that is a common alias of a canonical category takes it
        // (before the vocabulary's fallback): categories are a closed set.
        Assert.Empty(report.Unmapped);
        Assert.Equal(new CodedText("CriminalConduct", "CRIMINAL MISCONDUCT"), records.Allegations.Single(a => a.CaseNumber == "1087003" && a.OfficerKey.Contains("LEE", StringComparison.Ordinal)).Category);
    }
}
