using OpenConduct.Core.Import;
using OpenConduct.Core.Model;
using static OpenConduct.Core.Tests.Import.ImportTestKit;

namespace OpenConduct.Core.Tests.Import;

/// <summary>Several files joined by case number and employee id; badge history; quoted newlines; float integers.</summary>
public sealed class JoinedExportTests : IDisposable
{
    private const string Profile = """
    {
      "name": "test-joined",
      "source": "OPCR",
      "shape": "joined",
      "defaults": { "dateFormats": ["M/d/yyyy"], "nullTokens": ["N/A"] },
      "files": [
        { "name": "complaints", "path": "complaints.csv", "holds": ["complaint"],
          "columns": {
            "Case Number": "complaint.caseNumber",
            "Received": "complaint.receivedDate",
            "Closed": "complaint.closedDate",
            "Decision": { "field": "complaint.intakeDecision", "vocabulary": "decision" },
            "Flags": { "field": "complaint.sensitivity", "split": "|", "vocabulary": "flags" },
            "Summary": "complaint.narrative"
          } },
        { "name": "allegations", "path": "allegations*.csv", "holds": ["allegation"],
          "columns": {
            "Case Number": "complaint.caseNumber",
            "Employee ID": "officer.employeeId",
            "Allegation": { "field": "allegation.category", "vocabulary": "category" },
            "Finding": { "field": "allegation.finalFinding", "vocabulary": "finding" },
            "Discipline": { "field": "allegation.imposedDiscipline", "vocabulary": "discipline" },
            "Days": "allegation.imposedDisciplineDays",
            "Final": "allegation.disciplineFinal"
          } },
        { "name": "officers", "path": "officers.csv", "holds": ["officer"],
          "columns": {
            "Employee ID": "officer.employeeId",
            "Last": "officer.lastName",
            "First": "officer.firstName",
            "Badge": "officer.badge",
            "Issued": "officer.badgeFrom",
            "Birth Year": "officer.birthYear",
            "Race": { "field": "officer.race", "vocabulary": "race" }
          } }
      ],
      "joins": [
        { "file": "allegations", "entity": "complaint", "on": ["complaint.caseNumber"] },
        { "file": "allegations", "entity": "officer", "on": ["officer.employeeId"] }
      ],
      "vocabularies": {
        "decision": { "values": { "Referred to IAU": "Referred" } },
        "flags": { "values": { "DV": "DomesticViolence", "JUV": "Juvenile" } },
        "category": { "values": { "Use of Force": "UseOfForce", "Inappropriate Language": "Language" } },
        "finding": { "values": { "SU": "Sustained", "NS": "NotSustained", "NAF": "NoFinding" } },
        "discipline": { "extract": "^(?<key>\\d+)", "values": { "600": "None", "630": "Suspension" } },
        "race": { "values": { "W": "White", "B": "Black" } }
      }
    }
    """;

    private readonly TempExport export = new();

    public JoinedExportTests()
    {
        export
            .Text("complaints.csv", """
                Case Number,Received,Closed,Decision,Flags,Summary
                C-1,1/5/2020,3/1/2020,Investigation,,"Reporting party alleges Officer Smith used force.
                Second line of the narrative, with a comma."
                C-2,2/7/2021,N/A,Referred to IAU,DV|JUV,Open case
                C-3,2/8/2021,,Coaching,,
                C-4,2/30/2021,,Coaching,,
                """)
            .Text("allegations_2021.csv", """
                Case Number,Employee ID,Allegation,Finding,Discipline,Days,Final
                C-1,10234.0,Use of Force,SU,630 - SUSPENSION,3.0,Y
                C-1,10555,Inappropriate Language,NS,600 - NO ACTION TAKEN,,N
                C-2,10234,Use of Force,,,,
                C-3,10234,Use of Force,SU,630 - SUSPENSION,2.5,Y
                C-9,10234,Use of Force,NS,,,
                C-3,99999,Use of Force,NS,,,
                C-3,10555,Use of Force,XX,,,
                C-3,10555,Use of Force,XX,,,
                C-3,10555,Inappropriate Language,YY,,,
                C-4,10555,Use of Force,NS,,,
                """)
            .Text("officers.csv", """
                Employee ID,Last,First,Badge,Issued,Birth Year,Race
                10234,Smith,John,1201,6/1/2001,1975.0,W
                10234,Smith,John,0877,2/1/2012,1975.0,W
                10555.0,Jones,Ann,1450,7/1/2005,N/A,B
                """);
    }

    public void Dispose() => export.Dispose();

    [Fact]
    public void Imports_good_rows_joins_files_and_rejects_bad_rows_with_positions()
    {
        var (report, records) = ImportExport(Profile, export);

        Assert.True(report.Succeeded, Errors(report));
        Assert.Equal(3, records.Complaints.Count);
        Assert.Equal(4, records.Allegations.Count);
        Assert.Equal(2, records.Officers.Count);

        var allegations = report.Files.Single(f => f.Name == "allegations");
        Assert.Equal("allegations_2021.csv", allegations.Path);
        Assert.Equal(10, allegations.RowsRead);
        Assert.Equal(4, allegations.RowsImported);
        Assert.Equal(5, allegations.RowsRejected);
        Assert.Equal(1, allegations.DuplicateRows);
        Assert.True(allegations.Reconciles);

        // An officer reference that matches no officer does not lose the allegation: it is kept against an
        // unidentified officer of its complaint, and noted.
        Assert.Equal(1, allegations.UnidentifiedOfficer);
        var unidentified = Assert.Single(records.Allegations, a => a.OfficerUnidentified);
        Assert.Equal("C-3", unidentified.CaseNumber);
        Assert.Contains(report.Notes, n => n is { File: "allegations_2021.csv", Count: 1 } && n.FirstLines[0] == 7 && n.Reason.Contains("matches the reference", StringComparison.Ordinal));

        // line numbers count the header; column numbers are 1-based positions in the file.
        Assert.Contains(report.RowErrors, e => e is { File: "allegations_2021.csv", Line: 5, Column: 6, ColumnName: "Days" } && e.Reason.Contains("whole number", StringComparison.Ordinal));
        Assert.Contains(report.RowErrors, e => e is { Line: 6, Column: 1, ColumnName: "Case Number" } && e.Reason.Contains("not in file 'complaints'", StringComparison.Ordinal));
        Assert.Contains(report.RowErrors, e => e is { Line: 8, Column: 4, ColumnName: "Finding" } && e.Reason.Contains("vocabulary 'finding'", StringComparison.Ordinal));
        // a complaint row rejected for a bad date, and the allegation that joins to it, which says why
        Assert.Contains(report.RowErrors, e => e is { File: "complaints.csv", Line: 6, Column: 2, ColumnName: "Received" });
        Assert.Contains(report.RowErrors, e => e is { File: "allegations_2021.csv", Line: 11 } && e.Reason == "the complaint of this case was rejected (complaints.csv:6)");
        Assert.Equal(6, report.TotalRowErrors);
        Assert.Equal(report.TotalRowErrors, report.AllRowErrors.Count());

        var xx = Assert.Single(report.Unmapped, u => u.Value == "XX");
        Assert.Equal(1, xx.Count); // the second XX row is an exact duplicate: counted as a duplicate, not twice
        Assert.Equal("allegation.finalFinding", xx.Field);
        Assert.Single(report.Unmapped, u => u.Value == "YY");
    }

    [Fact]
    public void Keeps_raw_values_beside_canonical_values()
    {
        var (_, records) = ImportExport(Profile, export);
        var first = records.Allegations.First(a => a.CaseNumber == "C-1" && a.OfficerKey == "id:10234");

        Assert.Equal(new Coded<Finding>(Finding.Sustained, "SU"), first.FinalFinding);
        Assert.Equal(new Coded<DisciplineKind>(DisciplineKind.Suspension, "630 - SUSPENSION"), first.ImposedDiscipline);
        Assert.Equal(3, first.ImposedDisciplineDays);
        Assert.True(first.DisciplineFinal);
        Assert.Equal("Y", first.DisciplineFinalRaw);
        Assert.Equal(new CodedText("UseOfForce", "Use of Force"), first.Category);
        Assert.Equal(new Provenance("allegations_2021.csv", 2), first.Provenance);
    }

    [Fact]
    public void Open_cases_have_blank_findings_and_derived_status()
    {
        var (_, records) = ImportExport(Profile, export);
        var open = records.Complaints.Single(c => c.CaseNumber == "C-2");
        Assert.Equal(ComplaintStatus.Open, open.Status.Value);
        Assert.Null(open.ClosedDate);
        Assert.Equal(Sensitivity.DomesticViolence | Sensitivity.Juvenile, open.Sensitivity);
        Assert.Equal(["DV", "JUV"], open.SensitivityRaw);
        Assert.Equal(new Coded<IntakeDecision>(IntakeDecision.Referred, "Referred to IAU"), open.IntakeDecision);

        var openAllegation = records.Allegations.Single(a => a.CaseNumber == "C-2");
        Assert.False(openAllegation.FinalFinding.HasValue);
        Assert.Null(openAllegation.FinalFinding.Raw);

        var closed = records.Complaints.Single(c => c.CaseNumber == "C-1");
        Assert.Equal(ComplaintStatus.Closed, closed.Status.Value);
        Assert.Equal(new DateOnly(2020, 3, 1), closed.ClosedDate);
        // canonical name without a vocabulary entry
        Assert.Equal(IntakeDecision.Investigation, closed.IntakeDecision.Value);
    }

    [Fact]
    public void Quoted_newlines_stay_in_the_narrative_and_line_numbers_stay_right()
    {
        var (_, records) = ImportExport(Profile, export);
        var c1 = records.Complaints.Single(c => c.CaseNumber == "C-1");
        Assert.Contains("\n", c1.Narrative, StringComparison.Ordinal);
        Assert.EndsWith("with a comma.", c1.Narrative, StringComparison.Ordinal);
        Assert.Equal(2, c1.Provenance.Line);
        Assert.Equal(4, records.Complaints.Single(c => c.CaseNumber == "C-2").Provenance.Line);
    }

    [Fact]
    public void Officer_badge_history_merges_and_float_ids_join()
    {
        var (_, records) = ImportExport(Profile, export);
        var smith = records.Officers.Single(o => o.Key == "id:10234");
        Assert.Equal([new BadgeNumber("1201", new DateOnly(2001, 6, 1)), new BadgeNumber("0877", new DateOnly(2012, 2, 1))], smith.Badges);
        Assert.Equal(1975, smith.BirthYear);
        Assert.Equal(new Coded<Race>(Race.White, "W"), smith.Race);

        var jones = records.Officers.Single(o => o.EmployeeId == "10555");
        Assert.Null(jones.BirthYear); // N/A token
        Assert.Contains(records.Allegations, a => a.OfficerKey == jones.Key);
    }
}
