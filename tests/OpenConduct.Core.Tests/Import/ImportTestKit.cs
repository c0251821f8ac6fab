using OpenConduct.Core.Import;

namespace OpenConduct.Core.Tests.Import;

internal static class ImportTestKit
{
    public static (ImportReport Report, CanonicalRecordSet Records) ImportExport(string profileJson, TempExport export, ImportOptions? options = null)
    {
        var profile = MappingProfileLoader.Parse(profileJson);
        var records = new CanonicalRecordSet();
        var report = new ExportImporter(options).Import(profile, new DirectoryExportFiles(export.Directory), records);
        return (report, records);
    }

    public static string Errors(ImportReport report) =>
        string.Join(Environment.NewLine, report.Failures.Concat(report.RowErrors.Select(e => e.ToString())));
}
