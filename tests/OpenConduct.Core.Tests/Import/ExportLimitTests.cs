using System.IO.Compression;
using System.Text;
using OpenConduct.Core.Import;
using OpenConduct.Core.Pipeline;
using static OpenConduct.Core.Tests.Import.ImportTestKit;

namespace OpenConduct.Core.Tests.Import;

/// <summary>
/// The file, record and cell limits of every input format (CSV, JSON, JSON Lines, .gz, .xlsx), with small limits so that
/// the fixtures stay tiny: a file or cell over a limit fails the import as an invalid export, with the file, line (or
/// row), column and limit in the message and never the cell's value; the same file within the limits imports.
/// </summary>
public sealed class ExportLimitTests : IDisposable
{
    /// <summary>A value no message may carry.</summary>
    private const string Secret = "CANARY-narrative-of-a-complainant";

    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");

    private readonly TempExport export = new();

    public void Dispose() => export.Dispose();

    private static ImportOptions Limits(int cell = 64, long record = 4096, long file = 1 << 20) =>
        new() { Limits = new ExportLimits { MaxCellBytes = cell, MaxRecordBytes = record, MaxFileBytes = file } };

    private static void AssertInvalid(ImportReport report, params string[] parts)
    {
        Assert.False(report.Succeeded);
        Assert.True(report.ExportInvalid, Errors(report));
        var failure = Assert.Single(report.Failures);
        foreach (var part in parts)
        {
            Assert.Contains(part, failure, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("CANARY", failure, StringComparison.Ordinal);
        Assert.All(report.Imported.Values, count => Assert.Equal(0, count));
    }

    // ---------------------------------------------------------------- CSV

    private const string CsvProfile = """
        { "name": "c", "source": "C", "shape": "denormalized", "files": [ { "name": "c", "path": "cases.csv", "holds": ["complaint"],
          "columns": { "case": "complaint.caseNumber", "summary": "complaint.narrative" } } ] }
        """;

    [Fact]
    public void A_csv_cell_over_the_limit_names_file_line_column_and_limit_not_the_value()
    {
        export.Text("cases.csv", $"case,summary\nC-1,short\nC-2,\"{Secret} {new string('x', 80)}\"\nC-3,short\n");

        var (report, _) = ImportExport(CsvProfile, export, Limits(cell: 64));

        AssertInvalid(report, "cases.csv:3:2: column 'summary'", "more than 64 bytes (limits.maxCellBytes)");
    }

    [Fact]
    public void A_csv_row_long_by_many_cells_under_the_limit_imports()
    {
        // The row is longer than the cell limit; no cell is: the fields are looked at, none refused.
        export.Text("cases.csv", $"case,summary\nC-1,{new string('y', 60)}\n");

        var (report, records) = ImportExport(CsvProfile, export, Limits(cell: 64));

        Assert.True(report.Succeeded, Errors(report));
        Assert.Single(records.Complaints);
    }

    [Fact]
    public void A_csv_file_over_the_file_limit_is_refused_before_it_is_read()
    {
        export.Text("cases.csv", "case,summary\nC-1,short\nC-2,short\n");

        var (report, _) = ImportExport(CsvProfile, export, Limits(file: 20));

        AssertInvalid(report, "cases.csv:", "more than the 20 one file may hold (limits.maxFileBytes)");
        Assert.Empty(report.Files);
    }

    [Fact]
    public void A_gzip_file_that_expands_past_the_file_limit_is_refused_while_it_is_read()
    {
        // 1 KB as stored, 200 KB expanded: the limit applies to what the file expands to.
        var csv = new StringBuilder("case,summary\n");
        for (var i = 0; i < 10_000; i++)
        {
            csv.Append("C-").Append(i).Append(",short\n");
        }

        using (var output = File.Create(Path.Combine(export.Directory, "cases.csv.gz")))
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize))
        {
            gzip.Write(Encoding.UTF8.GetBytes(csv.ToString()));
        }

        var profile = CsvProfile.Replace("cases.csv", "cases.csv.gz", StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(export.Directory, "cases.csv.gz")).Length < 100_000);
        Assert.True(ImportExport(profile, export, Limits(file: 1 << 20)).Report.Succeeded);

        var (report, _) = ImportExport(profile, export, Limits(file: 100_000));

        AssertInvalid(report, "cases.csv.gz: expands past the 100,000 bytes one file may hold (limits.maxFileBytes)");
    }

    // ---------------------------------------------------------------- JSON and JSON Lines

    private const string JsonProfile = """
        { "name": "j", "source": "J", "shape": "denormalized", "files": [ { "name": "j", "path": "cases.json", "holds": ["complaint"],
          "format": { "records": "$[*]" },
          "columns": { "id": "complaint.caseNumber", "summary": "complaint.narrative" } } ] }
        """;

    [Fact]
    public void A_json_value_over_the_cell_limit_names_file_line_column_and_limit()
    {
        export.Text("cases.json", $$"""
            [
              { "id": "J-1", "summary": "short" },
              { "id": "J-2",
                "summary": "{{Secret}} {{new string('x', 80)}}" }
            ]
            """);

        var (report, _) = ImportExport(JsonProfile, export, Limits(cell: 64));

        AssertInvalid(report, "cases.json:3: column 'summary'", "more than 64 bytes (limits.maxCellBytes)");
    }

    [Fact]
    public void A_json_record_over_the_record_limit_is_refused_without_being_buffered_whole()
    {
        // An unmapped member makes the record long: the reader stops at the record limit, whatever the cells.
        export.Text("cases.json", $$"""
            [
              { "id": "J-1", "summary": "short" },
              { "id": "J-2", "summary": "short", "notes": "{{Secret}} {{new string('x', 9000)}}" }
            ]
            """);

        Assert.True(ImportExport(JsonProfile, export, Limits(record: 16_384)).Report.Succeeded);

        var (report, _) = ImportExport(JsonProfile, export, Limits(record: 4096));

        AssertInvalid(report, "cases.json:3: a record of more than 4,096 bytes (limits.maxRecordBytes)");
    }

    private const string JsonLinesProfile = """
        { "name": "l", "source": "L", "shape": "denormalized", "files": [ { "name": "l", "path": "cases.jsonl", "holds": ["complaint"],
          "columns": { "$.id": "complaint.caseNumber", "$.summary": "complaint.narrative" } } ] }
        """;

    [Fact]
    public void A_json_lines_line_over_the_record_limit_and_a_value_over_the_cell_limit_are_refused()
    {
        export.Text("cases.jsonl", $$"""
            {"id": "L-1", "summary": "short"}
            {"id": "L-2", "summary": "short", "notes": "{{Secret}} {{new string('x', 9000)}}"}
            """);

        var (line, _) = ImportExport(JsonLinesProfile, export, Limits(record: 4096));
        AssertInvalid(line, "cases.jsonl:2: a line of more than 4,096 bytes (limits.maxRecordBytes)");

        export.Text("cases.jsonl", $$"""
            {"id": "L-1", "summary": "short"}
            {"id": "L-2", "summary": "{{Secret}} {{new string('x', 80)}}"}
            """);

        var (cell, _) = ImportExport(JsonLinesProfile, export, Limits(cell: 64));
        AssertInvalid(cell, "cases.jsonl:2: column '$.summary'", "more than 64 bytes (limits.maxCellBytes)");
    }

    // ---------------------------------------------------------------- Workbooks (.xlsx is a ZIP archive)

    private static readonly string WorkbookProfile = File.ReadAllText(Path.Combine(Samples, "profiles", "workbook.json"));

    private string CopyWorkbook()
    {
        var path = Path.Combine(export.Directory, "conduct_export.xlsx");
        File.Copy(Path.Combine(Samples, "exports", "workbook", "conduct_export.xlsx"), path, overwrite: true);
        return path;
    }

    [Fact]
    public void A_workbook_cell_over_the_limit_names_the_sheet_row_and_column()
    {
        CopyWorkbook();
        Assert.True(ImportExport(WorkbookProfile, export).Report.Succeeded);

        var (report, _) = ImportExport(WorkbookProfile, export, Limits(cell: 12, record: 1 << 20));

        var failure = Assert.Single(report.Failures);
        Assert.True(report.ExportInvalid, failure);
        Assert.Matches(@"^conduct_export\.xlsx:\d+:\d+: column '[^']+': a cell of more than 12 bytes \(limits\.maxCellBytes\)", failure);
    }

    [Fact]
    public void A_zip_bombed_workbook_is_refused_before_the_reader_expands_it()
    {
        // The sample workbook with one more part: 32 MiB of zeros in a few kilobytes.
        var path = CopyWorkbook();
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        using (var bomb = zip.CreateEntry("xl/media/padding.bin", CompressionLevel.SmallestSize).Open())
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 32; i++)
            {
                bomb.Write(zeros);
            }
        }

        var (report, _) = ImportExport(WorkbookProfile, export);

        AssertInvalid(report, "conduct_export.xlsx (a workbook): the entry 'xl/media/padding.bin' expands", "(a compression bomb?)");
    }

    [Fact]
    public void A_workbook_part_past_the_file_limit_is_refused()
    {
        // The sample workbook deflated: smaller as stored than its largest part expands to.
        var path = CopyWorkbook();
        var parts = new List<(string Name, byte[] Bytes)>();
        using (var stored = ZipFile.OpenRead(path))
        {
            foreach (var entry in stored.Entries)
            {
                using var input = entry.Open();
                using var copy = new MemoryStream();
                input.CopyTo(copy);
                parts.Add((entry.FullName, copy.ToArray()));
            }
        }

        File.Delete(path);
        using (var deflated = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            foreach (var (name, bytes) in parts)
            {
                using var output = deflated.CreateEntry(name, CompressionLevel.SmallestSize).Open();
                output.Write(bytes);
            }
        }

        var largest = parts.Max(p => p.Bytes.Length);
        Assert.True(new FileInfo(path).Length < largest - 1, "the deflated workbook is not smaller than its largest part");
        Assert.True(ImportExport(WorkbookProfile, export).Report.Succeeded);

        var (report, _) = ImportExport(WorkbookProfile, export, Limits(cell: 1 << 16, record: 1 << 20, file: largest - 1));

        AssertInvalid(report, "conduct_export.xlsx (a workbook): the entry", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"more than the {largest - 1:N0} one file may"));
    }
}
