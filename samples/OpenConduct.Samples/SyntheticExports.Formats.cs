using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace OpenConduct.Samples;

/// <summary>
/// The exports in formats other than CSV (issue 13): an oversight office's scraped case summaries (one JSON document
/// keyed by case number), a case-management system's complaint events (JSON Lines) and a professional standards
/// bureau's spreadsheet (the same register as .xlsx and as .xls). Deterministic like the CSV exports: the same options
/// give the same bytes.
/// </summary>
public static partial class SyntheticExports
{
    public const int CommittedOpaAllegations = 300;
    public const int CommittedEventsAllegations = 300;
    public const int CommittedWorkbookAllegations = 300;

    public const string OpaFile = "case_summaries.json";
    public const string OpaFlatFile = "case_summaries_flat.json";
    public const string EventsFile = "complaint_events.jsonl";
    public const string WorkbookFile = "conduct_export.xlsx";
    public const string WorkbookXlsFile = "conduct_export.xls";

    /// <summary>The top-level key of the case summaries that is not a case: the summaries the scraper could not parse.</summary>
    public const string OpaJunkKey = "unparsed_summaries";

    /// <summary>The sheet of the workbook that holds the register (the first sheet is notes), and its header row.</summary>
    public const string WorkbookSheet = "Complaints";
    public const int WorkbookHeaderRow = 3;

    private const int OpaSalt = 4;
    private const int EventsSalt = 5;
    private const int WorkbookSalt = 6;

    private static readonly JsonWriterOptions IndentedJson = new()
    {
        Indented = true,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // UTF-8 as written, not \u escapes ("Peña")
    };

    private static readonly JsonWriterOptions CompactJson = IndentedJson with { Indented = false };

    /// <summary>
    /// An oversight office's closed case summaries, scraped into one JSON document: an object keyed by case number
    /// (<c>2019OPA-0012</c>), each case with its issue date (the closed date, <c>August 14, 2019</c>), the policy codes
    /// it cites and, when the summary named them, an object of officers keyed by badge number, each with first, middle
    /// and last name, title and an array of allegations (title and finding, "Not Sustained (...)" in several variants).
    /// Quirks: about one case in fourteen names no officer (no <c>officers</c>, or an empty object); an officer may be
    /// accused twice under the same title with the same finding (told apart only by their position in the array);
    /// <c>badge_num</c> is a number while the keys are strings; halfway through, a top-level key that is not a case
    /// (<see cref="OpaJunkKey"/>: a list of strings). Streamed: one case at a time.
    /// </summary>
    /// <param name="flat">
    /// The same summaries as a JSON array of flat records instead (<see cref="OpaFlatFile"/>, for benchmarks): one
    /// object per allegation with its case's and officer's values and an <c>allegation_id</c> (badge and position), one
    /// per case without officers, and no junk key.
    /// </param>
    public static SyntheticExportResult WriteOpaJson(string directory, SyntheticExportOptions options, bool flat = false)
    {
        var (roster, generator, quirks) = Prepare(directory, options, SourceKind.Opa, OpaSalt);
        var path = Path.Combine(directory, flat ? OpaFlatFile : OpaFile);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        using var json = new Utf8JsonWriter(file, IndentedJson);
        var sequences = new Dictionary<int, int>();
        var accused = new List<(RosterOfficer Officer, string Badge, List<(string Title, string Finding)> Allegations)>(3);
        long rows = 0;
        var complaints = 0;
        var allegations = 0;
        var junk = false;

        if (flat)
        {
            json.WriteStartArray();
        }
        else
        {
            json.WriteStartObject();
        }

        while (generator.Next() is { } c)
        {
            var number = OpaCaseNumber(sequences, c.Received.Year);
            var issued = c.Closed!.Value.ToString("MMMM d, yyyy", Inv);
            string[] policies = [.. c.Allegations.Select(a => FormatVocab.OpaPolicy[(int)a.Category]).Distinct()];
            accused.Clear();
            foreach (var officer in c.Allegations.Select(a => a.Officer).Distinct())
            {
                var entries = new List<(string Title, string Finding)>();
                foreach (var a in c.Allegations.Where(a => a.Officer == officer))
                {
                    // The same title twice for one officer: two counts of one policy, distinct only by position.
                    entries.Add(entries.Count > 0 && quirks.Chance(0.25)
                        ? entries[0]
                        : (FormatVocab.OpaTitle[(int)a.Category], FormatVocab.OpaFinding(a.Final!.Value, quirks)));
                }

                accused.Add((officer, officer.BadgeOn(c.Incident ?? c.Received), entries));
            }

            if (flat)
            {
                foreach (var (officer, badge, entries) in accused)
                {
                    for (var i = 0; i < entries.Count; i++)
                    {
                        json.WriteStartObject();
                        WriteOpaCase(json, number, issued, policies);
                        WriteOpaOfficer(json, officer, badge);
                        json.WriteString("allegation_id", string.Create(Inv, $"{badge}-{i}"));
                        json.WriteString("allegation", entries[i].Title);
                        json.WriteString("finding", entries[i].Finding);
                        json.WriteEndObject();
                    }
                }
            }
            else
            {
                json.WritePropertyName(number);
                json.WriteStartObject();
                json.WriteString("issued_date", issued);
                WritePolicies(json, policies);
                json.WriteStartObject("officers");
                foreach (var (officer, badge, entries) in accused)
                {
                    json.WriteStartObject(badge);
                    WriteOpaOfficer(json, officer, badge);
                    json.WriteStartArray("allegations");
                    foreach (var (title, finding) in entries)
                    {
                        json.WriteStartObject();
                        json.WriteString("allegation", title);
                        json.WriteString("finding", finding);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            var count = accused.Sum(o => o.Allegations.Count);
            rows += count;
            allegations += count;
            complaints++;

            if (quirks.Chance(0.07))
            {
                // A summary that names no officer: a case with its date and policy codes only.
                var other = OpaCaseNumber(sequences, c.Received.Year);
                string[] policy = [quirks.Pick(FormatVocab.OpaPolicy)];
                var empty = quirks.Chance(0.5);
                if (flat)
                {
                    json.WriteStartObject();
                    WriteOpaCase(json, other, issued, policy);
                }
                else
                {
                    json.WriteStartObject(other);
                    json.WriteString("issued_date", issued);
                    WritePolicies(json, policy);
                    if (empty)
                    {
                        json.WriteStartObject("officers");
                        json.WriteEndObject();
                    }
                }

                json.WriteEndObject();
                complaints++;
                rows++;
            }

            if (!flat && !junk && generator.Allegations >= options.Allegations / 2)
            {
                WriteOpaJunk(json, sequences);
                junk = true;
                rows++;
            }

            if (json.BytesPending > 1 << 16)
            {
                json.Flush();
            }
        }

        if (flat)
        {
            json.WriteEndArray();
        }
        else
        {
            if (!junk)
            {
                WriteOpaJunk(json, sequences);
                rows++;
            }

            json.WriteEndObject();
        }

        json.Flush();
        file.Write("\n"u8);
        return new SyntheticExportResult("OPA", Path.GetFullPath(directory), [new GeneratedFile(path, rows, 0)], complaints, allegations, roster.Officers.Length, []);
    }

    private static void WriteOpaCase(Utf8JsonWriter json, string number, string issued, string[] policies)
    {
        json.WriteString("case_number", number);
        json.WriteString("issued_date", issued);
        WritePolicies(json, policies);
    }

    private static void WritePolicies(Utf8JsonWriter json, string[] policies)
    {
        json.WriteStartArray("policy_codes");
        foreach (var code in policies)
        {
            json.WriteStringValue(code);
        }

        json.WriteEndArray();
    }

    private static void WriteOpaOfficer(Utf8JsonWriter json, RosterOfficer officer, string badge)
    {
        json.WriteNumber("badge_num", int.Parse(badge, Inv));
        json.WriteString("first_name", officer.FirstName);
        json.WriteString("middle_name", officer.MiddleInitial);
        json.WriteString("last_name", officer.LastName);
        json.WriteString("title", FormatVocab.OpaTitles[officer.Rank]);
    }

    private static string OpaCaseNumber(Dictionary<int, int> sequences, int year)
    {
        var next = sequences.GetValueOrDefault(year) + 1;
        sequences[year] = next;
        return string.Create(Inv, $"{year}OPA-{next:D4}");
    }

    private static void WriteOpaJunk(Utf8JsonWriter json, Dictionary<int, int> sequences)
    {
        json.WriteStartArray(OpaJunkKey);
        var year = sequences.Count == 0 ? 2016 : sequences.Keys.Min();
        foreach (var n in (int[])[7, 19, 23])
        {
            json.WriteStringValue(string.Create(Inv, $"{year}OPA-{900 + n:D4}.pdf: no allegations table found"));
        }

        json.WriteEndArray();
    }

    /// <summary>
    /// A case-management system's complaint events, one complaint per line (JSON Lines): case id, the month it was
    /// received (<c>"2021-03"</c>: the system keeps no day), the district as a number, a domestic-violence flag
    /// (<c>Y</c>/<c>N</c>, sometimes lower case), the narrative, and an array of allegations (sequence number, type,
    /// finding, action and days), each with an officer object (employee id, names, an array of the badges the officer
    /// has held) or null when the officer is not identified. No closed date: a complaint is closed when every allegation
    /// has a finding; open complaints carry interim findings ("Pending") or none. Halfway through, one line is cut off
    /// (invalid JSON).
    /// </summary>
    public static SyntheticExportResult WriteEventsJsonl(string directory, SyntheticExportOptions options)
    {
        var (roster, generator, quirks) = Prepare(directory, options, SourceKind.Events, EventsSalt);
        var path = Path.Combine(directory, EventsFile);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16);
        var line = new ArrayBufferWriter<byte>(4096);
        long rows = 0;
        var complaints = 0;
        var allegations = 0;
        var cut = false;
        while (generator.Next() is { } c)
        {
            line.ResetWrittenCount();
            using (var json = new Utf8JsonWriter(line, CompactJson))
            {
                json.WriteStartObject();
                json.WriteString("complaint_id", string.Create(Inv, $"EV-{c.Year}-{c.Sequence:D4}"));
                json.WriteString("received", c.Received.ToString("yyyy-MM", Inv));
                json.WriteNumber("district", c.Precinct);
                var flag = c.DomesticViolence ? "Y" : "N";
                json.WriteString("dv_flag", quirks.Chance(0.05) ? flag.ToLowerInvariant() : flag);
                json.WriteString("summary", c.Narrative);
                json.WriteStartArray("allegations");
                for (var i = 0; i < c.Allegations.Count; i++)
                {
                    var a = c.Allegations[i];
                    json.WriteStartObject();
                    json.WriteNumber("seq", i + 1);
                    json.WriteString("type", FormatVocab.EventsCategory[(int)a.Category]);
                    if (a.Final is { } final)
                    {
                        json.WriteString("finding", FormatVocab.EventsFinding[(int)final]);
                    }
                    else if (i < c.Allegations.Count - 1 && quirks.Chance(0.3))
                    {
                        // An open complaint may have decided some allegations already; never the last, so it stays open.
                        json.WriteString("finding", FormatVocab.EventsFinding[quirks.Next(4)]);
                    }
                    else if (quirks.Chance(0.4))
                    {
                        json.WriteString("finding", "Pending");
                    }
                    else
                    {
                        json.WriteNull("finding");
                    }

                    if (a.ImposedDiscipline is { } action)
                    {
                        json.WriteString("action", FormatVocab.Penalty[(int)action]);
                        if (a.SuspensionDays > 0)
                        {
                            json.WriteNumber("days", a.SuspensionDays);
                        }
                    }

                    if (quirks.Chance(0.06))
                    {
                        json.WriteNull("officer");
                    }
                    else
                    {
                        var o = a.Officer;
                        json.WriteStartObject("officer");
                        json.WriteString("emp_id", o.EmployeeId.ToString(Inv));
                        json.WriteString("first", o.FirstName);
                        json.WriteString("last", o.LastName);
                        json.WriteStartArray("badges");
                        json.WriteStringValue(o.Badge);
                        if (o.SecondBadge is not null)
                        {
                            json.WriteStringValue(o.SecondBadge);
                        }

                        json.WriteEndArray();
                        json.WriteEndObject();
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            var bytes = line.WrittenSpan;
            if (!cut && generator.Allegations >= options.Allegations / 2)
            {
                // A line cut off where a write was interrupted: not JSON; the import rejects it and reads on.
                bytes = bytes[..(bytes.Length * 2 / 3)];
                cut = true;
                rows++;
            }
            else
            {
                rows += Math.Max(1, c.Allegations.Count);
                allegations += c.Allegations.Count;
                complaints++;
            }

            file.Write(bytes);
            file.Write("\n"u8);
        }

        return new SyntheticExportResult("EVT", Path.GetFullPath(directory), [new GeneratedFile(path, rows, 0)], complaints, allegations, roster.Officers.Length, []);
    }

    /// <summary>
    /// A professional standards bureau's complaint register as a workbook: a first sheet of notes, then the register on
    /// sheet <see cref="WorkbookSheet"/> with a title, a note, and the header on row <see cref="WorkbookHeaderRow"/>,
    /// denormalized (a row per officer x allegation). Date cells (received, closed, appointed); case numbers, stars, birth
    /// years and address numbers as number cells; the address number and the street in two columns; a category cell
    /// "03C-SEARCH OF PREMISES" (code and text); a recommended discipline that is either a code (600: no action) or the
    /// days of a suspension (10); the penalties imposed in one cell ("Suspension 5 days / Written reprimand", in either
    /// order); complainant ages with fractions (34.7); one exact duplicate row and one empty row. <paramref name="xls"/>:
    /// the same register as an Excel 97-2003 workbook (.xls, BIFF8) instead of .xlsx.
    /// </summary>
    public static SyntheticExportResult WriteWorkbook(string directory, SyntheticExportOptions options, bool xls = false)
    {
        var (roster, generator, quirks) = Prepare(directory, options, SourceKind.Workbook, WorkbookSalt);
        var duplicates = new Duplicates(options.DuplicateRate ?? 0.004, options.Allegations);
        var notes = new Sheet("Notes");
        foreach (var text in (string?[])
                 [
                     "Professional Standards Bureau \u2013 complaint register export",
                     null,
                     "One row per officer and allegation; the complaint's columns repeat on every row of the complaint.",
                     "Category: the register's code and description, e.g. 03C-SEARCH OF PREMISES.",
                     "Rec Discipline: a discipline code (100 written reprimand, 300 termination, 400 demotion, 500 training, 600 no action, 700 coaching, 800 resigned, 900 oral reprimand), or the days of a recommended suspension.",
                     "Penalty: every penalty imposed, separated by \" / \".",
                     "Complainant Age: in years, as the records system computes it (with a fraction of a year).",
                     "Exported 2026-11-15 by the PSB records unit.",
                 ])
        {
            notes.Rows.Add(text is null ? null : [SheetCell.Of(text)]);
        }

        var register = new Sheet(WorkbookSheet);
        register.Rows.Add([SheetCell.Of("Complaint register, officers and allegations")]);
        register.Rows.Add([SheetCell.Of("Rows are grouped by complaint; do not sort.")]);
        string[] header =
        [
            "CR No", "Received", "Closed", "District", "St No", "Street Name", "Officer", "Star", "Birth Yr", "Appointed",
            "Category", "Finding", "Rec Discipline", "Penalty", "Complainant Age", "Complainant Sex",
        ];
        register.Rows.Add([.. header.Select(h => SheetCell.Of(h))]);

        long rows = 0;
        var duplicateRows = 0;
        var number = 1_080_000;
        var blank = false;
        while (generator.Next() is { } c)
        {
            number++;
            var (houseNumber, street) = SplitAddress(c.Location);
            var p = c.Complainants.Count > 0 ? c.Complainants[0] : null;
            double? age = p?.Age is { } years ? years + (quirks.Next(10) / 10.0) : null;
            foreach (var a in c.Allegations)
            {
                var o = a.Officer;
                var name = $"{o.LastName}, {o.FirstName}{(o.MiddleInitial.Length > 0 ? " " + o.MiddleInitial : "")}".ToUpperInvariant();
                int? recommended = a.ImposedDiscipline is { } imposed
                    ? imposed == Disc.Suspension ? a.SuspensionDays : FormatVocab.WorkbookDisciplineCode[(int)imposed]
                    : !c.Open && quirks.Chance(0.5) ? 600 : null;
                SheetCell[] row =
                [
                    SheetCell.Of(number),
                    SheetCell.Of(c.Received),
                    SheetCell.Of(c.Closed),
                    SheetCell.Of(c.Precinct),
                    SheetCell.Of(houseNumber),
                    SheetCell.Of(street),
                    SheetCell.Of(name),
                    SheetCell.Of(int.Parse(o.BadgeOn(c.Incident ?? c.Received), Inv)),
                    SheetCell.Of(o.BirthYear),
                    SheetCell.Of(o.Hired),
                    SheetCell.Of(FormatVocab.WorkbookCategory(a.Category, a.Detail)),
                    SheetCell.Of(a.Final is { } f ? FormatVocab.WorkbookFinding[(int)f] : null),
                    SheetCell.Of(recommended),
                    SheetCell.Of(Penalties(a, quirks)),
                    SheetCell.Of(age),
                    SheetCell.Of(p is null ? null : p.Sex.ToString()),
                ];
                register.Rows.Add(row);
                rows++;
                if (duplicates.Next(quirks))
                {
                    register.Rows.Add(row);
                    rows++;
                    duplicateRows++;
                }
            }

            if (!blank && generator.Allegations >= options.Allegations * 3 / 4)
            {
                register.Rows.Add(null); // a formatted row left empty
                blank = true;
            }
        }

        var path = Path.Combine(directory, xls ? WorkbookXlsFile : WorkbookFile);
        if (xls)
        {
            XlsWriter.Write(path, [notes, register]);
        }
        else
        {
            XlsxWriter.Write(path, [notes, register]);
        }

        return new SyntheticExportResult("PSB", Path.GetFullPath(directory), [new GeneratedFile(path, rows, duplicateRows)], generator.Complaints, generator.Allegations, roster.Officers.Length, []);
    }

    /// <summary>"3412 Chicago Ave" -> (3412, "Chicago Ave"); an intersection or a place has no number.</summary>
    private static (int? Number, string? Street) SplitAddress(string? location)
    {
        if (location is null)
        {
            return (null, null);
        }

        var match = Regex.Match(location, "^([0-9]+) (.+)$");
        return match.Success ? (int.Parse(match.Groups[1].Value, Inv), match.Groups[2].Value) : (null, location);
    }

    /// <summary>
    /// The penalties of an allegation in one cell: the discipline imposed, sometimes with a lesser one beside it, in
    /// either order ("Written reprimand / Suspension 5 days").
    /// </summary>
    private static string? Penalties(GenAllegation a, Random quirks)
    {
        if (a.ImposedDiscipline is not { } imposed)
        {
            return null;
        }

        var main = imposed == Disc.Suspension
            ? string.Create(Inv, $"Suspension {a.SuspensionDays} {(a.SuspensionDays == 1 ? "day" : "days")}")
            : FormatVocab.Penalty[(int)imposed];
        Disc[] lesser = [.. ((Disc[])[Disc.Coaching, Disc.Training, Disc.OralReprimand, Disc.WrittenReprimand])
            .Where(d => FormatVocab.SeverityRank[(int)d] < FormatVocab.SeverityRank[(int)imposed])];
        if (lesser.Length == 0 || !quirks.Chance(0.4))
        {
            return main;
        }

        var other = FormatVocab.Penalty[(int)quirks.Pick(lesser)];
        return quirks.Chance(0.5) ? $"{main} / {other}" : $"{other} / {main}";
    }
}
