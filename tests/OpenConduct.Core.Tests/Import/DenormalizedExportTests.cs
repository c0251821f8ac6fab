using System.Text;
using OpenConduct.Core.Model;
using static OpenConduct.Core.Tests.Import.ImportTestKit;

namespace OpenConduct.Core.Tests.Import;

/// <summary>One file, one row per officer x allegation: BOM, NULL tokens, semicolons, Windows-1252, R row names.</summary>
public sealed class DenormalizedExportTests : IDisposable
{
    private readonly TempExport export = new();

    public void Dispose() => export.Dispose();

    private const string IauProfile = """
    {
      "name": "test-iau", "source": "IAU", "shape": "denormalized",
      "defaults": { "nullTokens": ["NULL"], "dateFormats": ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"] },
      "files": [ { "name": "iapro", "path": "IAPro_*.csv", "holds": ["complaint", "allegation", "officer", "complainant"],
        "columns": {
          "incident_no": "complaint.caseNumber", "received_dt": "complaint.receivedDate", "completed_dt": "complaint.closedDate",
          "status": { "field": "complaint.status", "vocabulary": "status" },
          "emp_no": "officer.employeeId", "officer_last": "officer.lastName", "officer_first": "officer.firstName",
          "badge_no": "officer.badge", "allegation": "allegation.category",
          "finding": { "field": "allegation.finalFinding", "vocabulary": "finding" },
          "action_taken": { "field": "allegation.imposedDiscipline", "vocabulary": "action" },
          "days_suspended": "allegation.imposedDisciplineDays",
          "citizen_name": "complainant.fullName", "citizen_age": "complainant.age"
        } } ],
      "vocabularies": {
        "status": { "values": { "Active": "Open", "Completed": "Closed" } },
        "finding": { "values": { "Administratively Closed": "NoFinding" } },
        "action": { "extract": "^(?<key>\\d+)", "values": { "600": "None", "610": "OralReprimand", "630": "Suspension" }, "fallback": "Other" }
      }
    }
    """;

    [Fact]
    public void Bom_null_tokens_duplicates_and_code_vocabularies()
    {
        var csv = """
            incident_no,received_dt,completed_dt,status,emp_no,officer_last,officer_first,badge_no,allegation,finding,action_taken,days_suspended,citizen_name,citizen_age
            IA2021-001,2021-01-04 09:30:00,2021-05-01 00:00:00,Completed,501,Doe,Jane,1100,Procedure,Sustained,630 - SUSPENSION,5.0,"Lopez, Maria",34
            IA2021-001,2021-01-04 09:30:00,2021-05-01 00:00:00,Completed,502,Roe,Rick,1200,Courtesy,Not Sustained,600 - NO ACTION TAKEN,NULL,"Lopez, Maria",34
            IA2021-001,2021-01-04 09:30:00,2021-05-01 00:00:00,Completed,502,Roe,Rick,1200,Courtesy,Not Sustained,600 - NO ACTION TAKEN,NULL,"Lopez, Maria",34
            IA2021-002,2021-02-04,NULL,Active,501,Doe,Jane,1100,Use of Force,NULL,NULL,NULL,NULL,NULL
            IA2021-003,2021-03-04,2021-04-04,Completed,503,Poe,Pat,1300,Procedure,Administratively Closed,699 - MISC,NULL,"Kim, Lee",NULL
            """;
        export.Bytes("IAPro_export_2026-11.csv", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ReplaceLineEndings("\r\n"))]);

        var (report, records) = ImportExport(IauProfile, export);

        Assert.True(report.Succeeded, Errors(report));
        Assert.Equal(0, report.TotalRowErrors);
        var file = Assert.Single(report.Files);
        Assert.Equal("incident_no", file.Columns[0]); // the BOM is not part of the first column name
        Assert.Equal((5, 4, 1), (file.RowsRead, file.RowsImported, file.DuplicateRows));
        Assert.Equal(3, records.Complaints.Count); // one complaint per case, whatever the number of rows
        Assert.Equal(4, records.Allegations.Count);
        Assert.Equal(3, records.Officers.Count);
        Assert.Equal(2, records.Complainants.Count); // repeated on every row of the case, kept once

        var open = records.Complaints.Single(c => c.CaseNumber == "IA2021-002");
        Assert.Equal(new Coded<ComplaintStatus>(ComplaintStatus.Open, "Active"), open.Status);
        Assert.Null(open.ClosedDate);
        Assert.Equal(new DateOnly(2021, 1, 4), records.Complaints.Single(c => c.CaseNumber == "IA2021-001").ReceivedDate);

        var suspended = records.Allegations.Single(a => a.OfficerKey == "id:501" && a.CaseNumber == "IA2021-001");
        Assert.Equal(DisciplineKind.Suspension, suspended.ImposedDiscipline.Value);
        Assert.Equal(5, suspended.ImposedDisciplineDays);
        Assert.Equal(Finding.NotSustained, records.Allegations.Single(a => a.OfficerKey == "id:502").FinalFinding.Value); // canonical name, no entry needed
        var misc = records.Allegations.Single(a => a.CaseNumber == "IA2021-003");
        Assert.Equal(new Coded<Finding>(Finding.NoFinding, "Administratively Closed"), misc.FinalFinding);
        Assert.Equal(new Coded<DisciplineKind>(DisciplineKind.Other, "699 - MISC"), misc.ImposedDiscipline);
        var fallback = Assert.Single(report.Unmapped);
        Assert.Equal(("699 - MISC", 1L, "Other"), (fallback.Value, fallback.Count, fallback.MappedTo));

        var lopez = records.Complainants.Single(c => c.LastName == "Lopez");
        Assert.Equal(("Maria", 34), (lopez.FirstName, lopez.Age));
    }

    private const string CraProfile = """
    {
      "name": "test-cra", "source": "CRA", "shape": "denormalized",
      "defaults": { "delimiter": ";", "encoding": "windows-1252", "headerShorterThanRows": true, "nullTokens": ["N/A"], "dateFormats": ["dd.MM.yyyy"] },
      "files": [ { "name": "cra", "path": "cra.csv", "holds": ["complaint", "allegation", "officer"],
        "columns": {
          "CaseNo": "complaint.caseNumber", "DateFiled": "complaint.receivedDate",
          "Officer": { "field": "officer.fullName", "nameOrder": "last-first" },
          "OfficerDOBYear": "officer.birthYear", "ApptDate": "officer.hireDate",
          "Disposition": { "field": "allegation.finalFinding", "vocabulary": "disposition" },
          "Narrative": "complaint.narrative"
        } } ],
      "vocabularies": { "disposition": { "values": { "SUST": "Sustained", "NOT SUST": "NotSustained", "NO AFF": "NoFinding" } } }
    }
    """;

    [Fact]
    public void Semicolons_windows_1252_and_a_header_one_column_shorter_than_the_rows()
    {
        var csv = """"
            "CaseNo";"DateFiled";"Officer";"OfficerDOBYear";"ApptDate";"Disposition";"Narrative"
            "1";"CRA-1991-01";"03.04.1991";"NUÑEZ, JOSÉ A";"1960";"01.02.1985";"SUST";"Complainant’s car was searched"
            "2";"CRA-1991-02";"05.06.1991";"NUÑEZ, JOSÉ A";"1960";"01.02.1985";"NO AFF";"N/A"
            "3";"CRA-1992-01";"07.08.1992";"NUÑEZ, JOSÉ A";"1971";"01.02.1995";"NOT SUST";"Renée said ""no"""
            "4";"CRA-1992-02";"31.02.1992";"SMITH, BOB";"1971";"01.02.1995";"SUST";"bad date"
            """";
        export.Text("cra.csv", csv, CodePagesEncoding());

        var (report, records) = ImportExport(CraProfile, export);

        Assert.True(report.Succeeded, Errors(report));
        Assert.Equal(';', report.Files[0].Delimiter);
        Assert.Equal(3, records.Allegations.Count);
        var error = Assert.Single(report.RowErrors);
        Assert.Equal(("cra.csv", 5L, 3, "DateFiled"), (error.File, error.Line, error.Column!.Value, error.ColumnName!));
        Assert.Contains("dd.MM.yyyy", error.Reason, StringComparison.Ordinal);

        // Officers without a stable id: the same name, birth year and appointment date is one officer.
        Assert.Equal(2, records.Officers.Count);
        var nunez = records.Officers.First(o => o.BirthYear == 1960);
        Assert.Equal(("JOSÉ", "A", "NUÑEZ"), (nunez.FirstName, nunez.MiddleName, nunez.LastName));
        Assert.Equal("name:NUÑEZ|JOSÉ|1960|1985-02-01", nunez.Key);
        Assert.Equal(2, records.Allegations.Count(a => a.OfficerKey == nunez.Key));

        Assert.Equal("Complainant’s car was searched", records.Complaints[0].Narrative);
        Assert.Equal("Renée said \"no\"", records.Complaints.Single(c => c.CaseNumber == "CRA-1992-01").Narrative);
        Assert.Null(records.Complaints.Single(c => c.CaseNumber == "CRA-1991-02").Narrative);
    }

    [Fact]
    public void A_row_repeated_under_another_row_name_is_a_duplicate_and_one_cell_apart_is_not()
    {
        // Every column is mapped, so the duplicate check reads the whole row after its row name (unique to each row).
        export.Text("cra.csv", """
            "CaseNo";"DateFiled";"Officer";"OfficerDOBYear";"ApptDate";"Disposition";"Narrative"
            "1";"CRA-1";"03.04.1991";"A, B";"1960";"01.02.1985";"SUST";"x"
            "2";"CRA-1";"03.04.1991";"A, B";"1960";"01.02.1985";"SUST";"x"
            "3";"CRA-1";"03.04.1991";"A, B";"1960";"01.02.1985";"NOT SUST";"x"
            "4";"CRA-1";"03.04.1991";"A, B";"1960";"01.02.1985";"NOT SUST";"x"
            """, CodePagesEncoding());

        var (report, records) = ImportExport(CraProfile, export);

        Assert.True(report.Succeeded, Errors(report));
        var file = Assert.Single(report.Files);
        Assert.Equal((4, 2, 2), (file.RowsRead, file.RowsImported + file.RowsMerged, file.DuplicateRows));
        Assert.Equal([Finding.Sustained, Finding.NotSustained], records.Allegations.Select(a => a.FinalFinding.Value!.Value));
    }

    [Fact]
    public void Rows_with_a_row_name_but_no_profile_setting_fail_with_a_hint()
    {
        export.Text("cra.csv", "\"CaseNo\";\"DateFiled\";\"Officer\";\"OfficerDOBYear\";\"ApptDate\";\"Disposition\";\"Narrative\"\n\"1\";\"CRA-1\";\"03.04.1991\";\"A, B\";\"1960\";\"01.02.1985\";\"SUST\";\"x\"\n", CodePagesEncoding());
        var (report, records) = ImportExport(CraProfile.Replace("\"headerShorterThanRows\": true", "\"headerShorterThanRows\": false", StringComparison.Ordinal), export);

        Assert.False(report.Succeeded);
        Assert.Contains("headerShorterThanRows", Assert.Single(report.Failures), StringComparison.Ordinal);
        Assert.Empty(records.Complaints);
    }

    private static Encoding CodePagesEncoding()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252);
    }
}
