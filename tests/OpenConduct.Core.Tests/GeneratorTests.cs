using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using OpenConduct.Core.Import;
using OpenConduct.Samples;

namespace OpenConduct.Core.Tests;

/// <summary>
/// The synthetic export generator: deterministic, the committed samples are exactly what it produces, each export
/// has the quirks of its real counterpart, it scales, and the sample profiles map every code it writes.
/// </summary>
public sealed class GeneratorTests : IDisposable
{
    private static readonly Encoding Utf8Strict = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    private readonly string temp = Path.Combine(Path.GetTempPath(), "oc-gen-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Path.GetRandomFileName());

    public void Dispose()
    {
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    [Fact]
    public void Same_seed_and_size_give_identical_bytes()
    {
        var options = new SyntheticExportOptions { Seed = 7, Allegations = 1500 };
        SyntheticExports.WriteAll(Path.Combine(temp, "a"), options);
        SyntheticExports.WriteAll(Path.Combine(temp, "b"), options);

        var files = RelativeFiles(Path.Combine(temp, "a"));
        Assert.Equal(6, files.Count);
        Assert.Equal(files, RelativeFiles(Path.Combine(temp, "b")));
        foreach (var file in files)
        {
            Assert.True(
                File.ReadAllBytes(Path.Combine(temp, "a", file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(temp, "b", file))),
                $"{file} differs between two runs with the same options");
        }
    }

    [Fact]
    public void Different_seed_gives_different_files()
    {
        SyntheticExports.WriteAll(Path.Combine(temp, "a"), new SyntheticExportOptions { Seed = 7, Allegations = 600 });
        SyntheticExports.WriteAll(Path.Combine(temp, "b"), new SyntheticExportOptions { Seed = 8, Allegations = 600 });
        SyntheticExports.WriteAll(Path.Combine(temp, "c"), new SyntheticExportOptions { Seed = 7, RosterSeed = 2, Allegations = 600 });

        foreach (var file in RelativeFiles(Path.Combine(temp, "a")))
        {
            var a = File.ReadAllBytes(Path.Combine(temp, "a", file));
            Assert.False(a.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(temp, "b", file))), $"{file} is the same with another seed");
            Assert.False(a.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(temp, "c", file))), $"{file} is the same with another roster seed");
        }
    }

    [Fact]
    public void Exports_in_other_formats_give_identical_bytes_for_the_same_seed()
    {
        var options = new SyntheticExportOptions { Seed = 7, Allegations = 1500 };
        WriteOtherFormats(Path.Combine(temp, "a"), options);
        WriteOtherFormats(Path.Combine(temp, "b"), options);
        WriteOtherFormats(Path.Combine(temp, "c"), options with { Seed = 8 });

        var files = RelativeFiles(Path.Combine(temp, "a"));
        Assert.Equal(["events-jsonl/complaint_events.jsonl", "opa-json/case_summaries.json", "workbook-xls/conduct_export.xls", "workbook/conduct_export.xlsx"], files);
        foreach (var file in files)
        {
            var a = File.ReadAllBytes(Path.Combine(temp, "a", file));
            Assert.True(a.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(temp, "b", file))), $"{file} differs between two runs with the same options");
            Assert.False(a.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(temp, "c", file))), $"{file} is the same with another seed");
        }
    }

    [Fact]
    public void Flat_case_summaries_hold_the_nested_ones_allegations_record_by_record()
    {
        // The flat array (for the JSON benchmark) is the nested document's content: a record per allegation with its
        // case and officer, a record per case without officers, and no junk key.
        var options = new SyntheticExportOptions { Seed = 9, Allegations = 2000 };
        var nested = SyntheticExports.WriteOpaJson(Path.Combine(temp, "nested"), options);
        var flat = SyntheticExports.WriteOpaJson(Path.Combine(temp, "flat"), options, flat: true);
        Assert.Equal((nested.Complaints, nested.Allegations, nested.Files[0].Rows - 1), (flat.Complaints, flat.Allegations, flat.Files[0].Rows));

        var expected = new List<string>();
        foreach (var (number, summary) in System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(nested.Files[0].Path))!.AsObject())
        {
            if (number == SyntheticExports.OpaJunkKey)
            {
                continue;
            }

            var officers = summary!["officers"]?.AsObject() ?? [];
            if (officers.Count == 0)
            {
                expected.Add($"{number}|{summary["issued_date"]}");
            }

            foreach (var (badge, officer) in officers)
            {
                var allegations = officer!["allegations"]!.AsArray();
                for (var i = 0; i < allegations.Count; i++)
                {
                    expected.Add($"{number}|{summary["issued_date"]}|{badge}|{officer["last_name"]}|{badge}-{i}|{allegations[i]!["allegation"]}|{allegations[i]!["finding"]}");
                }
            }
        }

        var records = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(flat.Files[0].Path))!.AsArray().Select(r => r!["badge_num"] is null
            ? $"{r["case_number"]}|{r["issued_date"]}"
            : $"{r["case_number"]}|{r["issued_date"]}|{r["badge_num"]}|{r["last_name"]}|{r["allegation_id"]}|{r["allegation"]}|{r["finding"]}");
        Assert.Equal(expected, records);
    }

    [Fact]
    public void Workbook_as_xls_and_as_xlsx_holds_the_same_cells_when_the_string_table_spans_records()
    {
        // 20,000 allegations: the names of 500 officers and the other texts outgrow one BIFF record (8,224 bytes), so the
        // .xls string table goes on in CONTINUE records, which the reader must follow.
        var options = new SyntheticExportOptions { Seed = 3, Allegations = 20_000 };
        var xlsx = SyntheticExports.WriteWorkbook(Path.Combine(temp, "xlsx"), options).Files[0];
        var xls = SyntheticExports.WriteWorkbook(Path.Combine(temp, "xls"), options, xls: true).Files[0];
        Assert.Equal(xlsx.Rows, xls.Rows);
        Assert.True(GlobalsRecords(xls.Path).Count(t => t == 0x003C) >= 1, "the shared string table of the .xls continues in a CONTINUE record");

        var a = WorkbookCells(xlsx.Path);
        var b = WorkbookCells(xls.Path);
        Assert.Equal(["Notes", "Complaints"], a.Keys);
        Assert.Equal(a.Keys, b.Keys);
        foreach (var sheet in a.Keys)
        {
            Assert.Equal(a[sheet], b[sheet]);
        }

        // The register: header on row 3, then one row per allegation (and its duplicates) and one empty row.
        var register = a["Complaints"];
        Assert.StartsWith("CR No|Received|Closed|District|St No|", register[2], StringComparison.Ordinal);
        Assert.Equal(xlsx.Rows + 1, register.Count - 3);
        Assert.Single(register.Skip(3), r => r.Trim('|').Length == 0);
        Assert.All(register.Skip(3).Where(r => r.Length > 20), r => Assert.Matches(@"^108\d{4}\|date:20\d\d-\d\d-\d\d\|(date:20\d\d-\d\d-\d\d)?\|\d\|", r));
        Assert.Contains(register, r => r.Contains("|03C-SEARCH OF PREMISES|", StringComparison.Ordinal));
        Assert.Contains(register, r => Regex.IsMatch(r, @"\|(Suspension \d+ days? / [A-Z][a-z ]+|[A-Z][a-z ]+ / Suspension \d+ days?)\|"));
        Assert.Contains(register, r => Regex.IsMatch(r, @"\|\d\d\.\d\|[MFX]$"));
    }

    [Fact]
    public void Committed_samples_are_what_the_generator_produces()
    {
        var committed = CommittedExports();
        var results = SyntheticExports.WriteCommittedSamples(temp);
        Assert.Equal(new[] { "OPCR", "IAU", "CRA", "OPA", "EVT", "PSB", "PSB", "CCRB" }, results.Select(r => r.Source));

        var generated = RelativeFiles(temp);
        Assert.Equal(15, generated.Count);
        Assert.Equal(RelativeFiles(committed), generated);
        foreach (var source in new[] { "opcr", "iau", "cra", "opa-json", "events-jsonl", "workbook", "workbook-xls", "ccrb" })
        {
            Assert.Equal(
                generated.Where(f => f.StartsWith(source + "/", StringComparison.Ordinal)),
                RelativeFiles(Path.Combine(committed, source)).Select(f => source + "/" + f));
        }

        foreach (var file in generated)
        {
            var expected = File.ReadAllBytes(Path.Combine(temp, file));
            var actual = File.ReadAllBytes(Path.Combine(committed, file));
            Assert.True(expected.AsSpan().SequenceEqual(actual),
                $"samples/exports/{file} is not what the generator writes now; regenerate with SyntheticExports.WriteCommittedSamples (CLI: generate)");
            Assert.True(actual.Length < 1_000_000, $"samples/exports/{file} is {actual.Length} bytes; keep committed samples under 1 MB");
        }
    }

    [Fact]
    public void Opcr_has_its_quirks()
    {
        var dir = Path.Combine(CommittedExports(), "opcr");
        foreach (var name in new[] { "complaints.csv", "allegations.csv", "officers.csv", "complainants.csv" })
        {
            var bytes = File.ReadAllBytes(Path.Combine(dir, name));
            Assert.False(bytes.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]), $"{name} has a BOM");

            // Records end with CRLF; line breaks inside quoted narratives are bare LF.
            var text = Utf8Strict.GetString(bytes);
            var records = Table.Read(Path.Combine(dir, name), Utf8Strict, ',').Rows.Count + 1;
            Assert.Equal(records, Regex.Count(text, "\r\n"));
            Assert.Equal(text.Count(c => c == '\r'), Regex.Count(text, "\r\n"));
        }

        var complaints = Table.Read(Path.Combine(dir, "complaints.csv"), Utf8Strict, ',');
        var allegations = Table.Read(Path.Combine(dir, "allegations.csv"), Utf8Strict, ',');
        var officers = Table.Read(Path.Combine(dir, "officers.csv"), Utf8Strict, ',');
        var complainants = Table.Read(Path.Combine(dir, "complainants.csv"), Utf8Strict, ',');

        // Quoted line breaks inside narratives: more physical lines than records.
        Assert.Contains(complaints.Column("Summary"), s => s.Contains('\n', StringComparison.Ordinal));
        Assert.True(complaints.PhysicalLines > complaints.Rows.Count + 1);
        Assert.Contains(complaints.Column("Summary"), s => s.Contains("\"", StringComparison.Ordinal));

        // Case numbers, dates, status, intake decisions, flags.
        Assert.All(complaints.Column("Case Number"), c => Assert.Matches(@"^OPCR-20\d\d-\d{4,}$", c));
        Assert.All(complaints.Column("Date Received"), d => Assert.True(DateOnly.TryParseExact(d, "M/d/yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out _), d));
        Assert.Contains(complaints.Column("Intake Decision"), v => v == "Referred to IAU");
        Assert.Contains(complaints.Column("Flags"), v => v.Length > 0);
        var open = complaints.Rows.Where(r => complaints.Get(r, "Case Status") == "Open").ToList();
        Assert.NotEmpty(open);
        Assert.All(open, r => Assert.Equal("", complaints.Get(r, "Date Closed")));
        Assert.Contains(open, r => complaints.Get(r, "Intake Decision") == "");
        var openCases = open.Select(r => complaints.Get(r, "Case Number")).ToHashSet();
        var openAllegations = allegations.Rows.Where(r => openCases.Contains(allegations.Get(r, "Case Number"))).ToList();
        Assert.NotEmpty(openAllegations);
        Assert.All(openAllegations, r => Assert.Equal("", allegations.Get(r, "Final Finding")));

        // Sensitive categories carry the flag.
        var flags = complaints.Rows.ToDictionary(r => complaints.Get(r, "Case Number"), r => complaints.Get(r, "Flags").Split('|'));
        foreach (var row in allegations.Rows)
        {
            var category = allegations.Get(row, "Allegation");
            if (category.Equals("Domestic Abuse", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Contains("DV", flags[allegations.Get(row, "Case Number")]);
            }
            else if (category.Equals("Sexual Misconduct", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Contains("SA", flags[allegations.Get(row, "Case Number")]);
            }
        }

        // Exact duplicate rows (1 or 2), finding codes, floats for integers.
        Assert.InRange(DuplicateRows(allegations), 1, 2);
        Assert.Contains(allegations.Column("Final Finding"), v => v == "NAF");
        Assert.Contains(allegations.Column("Final Finding"), v => v == "SU");
        Assert.Contains(allegations.Column("Suspension Days"), v => Regex.IsMatch(v, @"^\d+\.0$"));
        Assert.All(allegations.Column("Suspension Days"), v => Assert.Matches(@"^(\d+\.0)?$", v));
        Assert.All(officers.Column("Birth Year"), v => Assert.Matches(@"^(\d{4}\.0)?$", v));
        Assert.Contains(officers.Column("Employee ID"), v => v.EndsWith(".0", StringComparison.Ordinal));
        Assert.Contains(officers.Column("Employee ID"), v => !v.Contains('.', StringComparison.Ordinal));

        // Officers with two badges: the same employee on two rows with different badges and issue dates.
        var twoBadges = officers.Rows.GroupBy(r => officers.Get(r, "Employee ID").Replace(".0", "", StringComparison.Ordinal))
            .Where(g => g.Count() == 2).ToList();
        Assert.NotEmpty(twoBadges);
        Assert.All(twoBadges, g =>
        {
            Assert.NotEqual(officers.Get(g.First(), "Badge"), officers.Get(g.Last(), "Badge"));
            Assert.NotEqual(officers.Get(g.First(), "Badge Issued"), officers.Get(g.Last(), "Badge Issued"));
        });

        // Every allegation joins to a complaint and an officer.
        var cases = complaints.Column("Case Number").ToHashSet();
        var employees = officers.Column("Employee ID").Select(v => v.Replace(".0", "", StringComparison.Ordinal)).ToHashSet();
        Assert.All(allegations.Rows, r => Assert.Contains(allegations.Get(r, "Case Number"), cases));
        Assert.All(allegations.Rows, r => Assert.Contains(allegations.Get(r, "Employee ID"), employees));
        Assert.All(complainants.Rows, r => Assert.Contains(complainants.Get(r, "Case Number"), cases));
        Assert.Contains(complainants.Column("Phone"), v => v == "N/A");
        Assert.All(complainants.Column("Complainant Name"), v => Assert.Contains(", ", v, StringComparison.Ordinal));
    }

    [Fact]
    public void Iau_has_its_quirks()
    {
        var path = Path.Combine(CommittedExports(), "iau", SyntheticExports.IauFile);
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.AsSpan().StartsWith((byte[])[0xEF, 0xBB, 0xBF]), "the IAU export starts with a UTF-8 BOM");

        var table = Table.Read(path, Utf8Strict, ',');
        Assert.Equal("incident_no", table.Header[0]);
        Assert.Equal(27, table.Header.Length);
        Assert.All(table.Rows, r => Assert.Equal(27, r.Length));
        Assert.Contains(table.Column("completed_dt"), v => v == "NULL");
        Assert.Contains(table.Column("finding"), v => v == "NULL");
        Assert.Contains(table.Column("citizen_name"), v => v == "NULL");
        Assert.Contains(table.Column("action_taken"), v => Regex.IsMatch(v, @"^6\d0 - [A-Z ]+$"));
        Assert.Contains(table.Column("days_suspended"), v => Regex.IsMatch(v, @"^\d+\.0$"));
        Assert.Contains(table.Column("finding"), v => v == "Administratively Closed");
        Assert.All(table.Column("incident_no"), v => Assert.Matches(@"^IA20\d\d-\d{5,}$", v));
        Assert.All(table.Column("received_dt"), v => Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", v));
        Assert.All(table.Column("completed_dt"), v => Assert.Matches(@"^(\d{4}-\d\d-\d\d|NULL)$", v));
        Assert.All(table.Rows.Where(r => table.Get(r, "status") == "Active"), r => Assert.Equal("NULL", table.Get(r, "finding")));
        Assert.InRange(DuplicateRows(table), 1, 10);

        // Denormalized: the complaint's columns repeat on every row of the case.
        var multi = table.Rows.GroupBy(r => table.Get(r, "incident_no")).First(g => g.Count() > 1);
        Assert.Single(multi.Select(r => table.Get(r, "summary")).Distinct());
        Assert.Single(multi.Select(r => table.Get(r, "received_dt")).Distinct());
    }

    [Fact]
    public void Cra_has_its_quirks()
    {
        var path = Path.Combine(CommittedExports(), "cra", SyntheticExports.CraFile);
        var bytes = File.ReadAllBytes(path);
        Assert.Contains((byte)0x3B, bytes);
        Assert.Throws<DecoderFallbackException>(() => Utf8Strict.GetString(bytes));
        Assert.Contains(bytes, b => b is 0xE9 or 0xF1 or 0xFC or 0xC9 or 0xD1 or 0xDC); // é ñ ü (any case)
        Assert.Contains(bytes, b => b is 0x93 or 0x94 or 0x92); // “ ” ’

        var table = Table.Read(path, Windows1252, ';', rowNames: true);
        Assert.Equal(15, table.Header.Length);
        Assert.All(table.RawRows, r => Assert.Equal(16, r.Length));
        Assert.Equal(Enumerable.Range(1, table.Rows.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)), table.RawRows.Select(r => r[0]));
        var text = Windows1252.GetString(bytes);
        Assert.StartsWith("\"CaseNo\";\"DateFiled\";", text, StringComparison.Ordinal);
        Assert.Contains("\r\n\"1\";\"CRA-91-", text, StringComparison.Ordinal);
        Assert.Contains(";N/A;", text, StringComparison.Ordinal);

        Assert.All(table.Column("DateFiled"), v => Assert.Matches(@"^\d\d\.\d\d\.(199\d|200\d|201[012])$", v));
        Assert.All(table.Column("DateClosed"), v => Assert.Matches(@"^\d\d\.\d\d\.\d{4}$", v));
        Assert.All(table.Column("Officer"), v => Assert.Matches(@"^[^,a-z]+, [^,a-z]+$", v));
        Assert.Contains(table.Column("Disposition"), v => v == "WITHDRAWN");
        Assert.Contains(table.Column("Disposition"), v => v == "NO AFF");
        Assert.Contains(table.Column("Narrative"), v => v.Contains('\u201C', StringComparison.Ordinal) || v.Contains('\u2019', StringComparison.Ordinal));
    }

    [Fact]
    public void Sources_share_officers()
    {
        var opcr = Table.Read(Path.Combine(CommittedExports(), "opcr", "officers.csv"), Utf8Strict, ',');
        var iau = Table.Read(Path.Combine(CommittedExports(), "iau", SyntheticExports.IauFile), Utf8Strict, ',');
        var cra = Table.Read(Path.Combine(CommittedExports(), "cra", SyntheticExports.CraFile), Windows1252, ';', rowNames: true);

        var employees = opcr.Column("Employee ID").Select(v => v.Replace(".0", "", StringComparison.Ordinal)).ToHashSet();
        Assert.All(iau.Column("emp_no"), v => Assert.Contains(v, employees));

        var byName = opcr.Rows.Select(r => $"{opcr.Get(r, "Last Name")}, {opcr.Get(r, "First Name")}".ToUpperInvariant()).ToHashSet();
        var craNames = cra.Column("Officer").Select(v => Regex.Replace(v, " [A-Z]$", "")).ToHashSet();
        Assert.True(craNames.Count(byName.Contains) >= 10, "CRA officers are the OPCR roster's officers, identified by name");
    }

    [Fact]
    public void Scales_with_exact_row_counts()
    {
        const int allegations = 20_000;
        var options = new SyntheticExportOptions { Seed = 99, Allegations = allegations };
        var results = SyntheticExports.WriteAll(temp, options);

        var opcr = results[0];
        Assert.Equal(allegations, opcr.Allegations);
        Assert.Equal(500, opcr.Officers);
        var dir = Path.Combine(temp, "opcr");
        var complaints = Table.Read(Path.Combine(dir, "complaints.csv"), Utf8Strict, ',');
        var allegationRows = Table.Read(Path.Combine(dir, "allegations.csv"), Utf8Strict, ',');
        var officers = Table.Read(Path.Combine(dir, "officers.csv"), Utf8Strict, ',');
        Assert.Equal(opcr.Complaints, complaints.Rows.Count);
        Assert.Equal(allegations + DuplicateRows(allegationRows), allegationRows.Rows.Count);
        Assert.Equal(allegations, allegationRows.Column("Allegation ID").Distinct().Count());
        Assert.Equal(opcr.Files.Single(f => f.Path.EndsWith("allegations.csv", StringComparison.Ordinal)).Rows, allegationRows.Rows.Count);
        Assert.Equal(500, officers.Column("Employee ID").Select(v => v.Replace(".0", "", StringComparison.Ordinal)).Distinct().Count());
        Assert.InRange(allegations / (double)complaints.Rows.Count, 2.3, 2.7);

        // Distributions: ~10% open, ~8-12% sustained, few sensitive cases, skewed officers.
        var openShare = complaints.Column("Case Status").Count(s => s == "Open") / (double)complaints.Rows.Count;
        Assert.InRange(openShare, 0.06, 0.14);
        var sustained = allegationRows.Column("Final Finding").Count(f => f == "SU") / (double)allegationRows.Rows.Count;
        Assert.InRange(sustained, 0.07, 0.13);
        var perOfficer = allegationRows.Column("Employee ID").GroupBy(e => e).Select(g => g.Count()).OrderDescending().ToList();
        Assert.True(perOfficer[0] > 4 * perOfficer[perOfficer.Count / 2], "a few officers have many more complaints than the median officer");
        var years = complaints.Column("Date Received").Select(d => int.Parse(d[^4..], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(2010, years.Min());
        Assert.Equal(2026, years.Max());

        var iau = Table.Read(Path.Combine(temp, "iau", SyntheticExports.IauFile), Utf8Strict, ',');
        Assert.Equal(allegations + DuplicateRows(iau), iau.Rows.Count);
        Assert.Equal(results[1].Files[0].Rows, iau.Rows.Count);

        var cra = Table.Read(Path.Combine(temp, "cra", SyntheticExports.CraFile), Windows1252, ';', rowNames: true);
        Assert.Equal(allegations, cra.Rows.Count);
        Assert.All(cra.Column("DateFiled"), v => Assert.InRange(int.Parse(v[^4..], CultureInfo.InvariantCulture), 1991, 2012));
    }

    [Theory]
    [InlineData("opcr")]
    [InlineData("iau")]
    [InlineData("cra")]
    public void Profile_maps_every_column_and_code_the_generator_writes(string source)
    {
        var profilePath = Path.Combine(RepoFolder("samples", "profiles"), source + ".json");
        var profile = MappingProfileLoader.LoadFile(profilePath);
        Assert.Equal(source.ToUpperInvariant(), profile.Source);

        // A larger export than the committed one, so that rare codes occur.
        var dir = Path.Combine(temp, source);
        var options = new SyntheticExportOptions { Seed = 5, Allegations = 6000 };
        _ = source switch
        {
            "opcr" => SyntheticExports.WriteOpcr(dir, options),
            "iau" => SyntheticExports.WriteIau(dir, options),
            _ => SyntheticExports.WriteCra(dir, options),
        };

        var names = Directory.GetFiles(dir).Select(f => Path.GetFileName(f)).ToList();
        Assert.Equal(profile.Files.Count, names.Count);
        foreach (var file in profile.Files)
        {
            var format = new FileFormat
            {
                Delimiter = file.Format.Delimiter ?? profile.Defaults.Delimiter ?? ",",
                Encoding = file.Format.Encoding ?? profile.Defaults.Encoding,
                NullTokens = file.Format.NullTokens ?? profile.Defaults.NullTokens,
                DateFormats = file.Format.DateFormats ?? profile.Defaults.DateFormats,
                HeaderShorterThanRows = file.Format.HeaderShorterThanRows ?? profile.Defaults.HeaderShorterThanRows,
            };
            var actual = Assert.Single(names, n => Regex.IsMatch(n, "^" + Regex.Escape(file.Path).Replace("\\*", ".*", StringComparison.Ordinal) + "$"));
            var encoding = format.Encoding == "windows-1252" ? Windows1252 : Utf8Strict;
            var table = Table.Read(Path.Combine(dir, actual), encoding, format.Delimiter![0], format.HeaderShorterThanRows ?? false);
            var nulls = (format.NullTokens ?? []).ToHashSet(StringComparer.Ordinal);

            var unmapped = table.Header.Where(h => !file.Columns.ContainsKey(h)).ToList();
            string[] expectedUnmapped = source == "iau" ? ["incident_type"] : [];
            Assert.Equal(expectedUnmapped, unmapped);
            foreach (var (column, mapping) in file.Columns)
            {
                Assert.Contains(column, table.Header);
                var values = table.Column(column).Select(v => v.Trim()).Where(v => v.Length > 0 && !nulls.Contains(v)).Distinct().ToList();
                Assert.True(values.Count > 0 || column is "Suspension Days", $"{file.Name}.{column} has no values");
                if (mapping.Vocabulary is { } name)
                {
                    var vocabulary = profile.Vocabularies[name];
                    var keys = vocabulary.Values.Keys.Select(k => k.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
                    foreach (var value in values.SelectMany(v => mapping.Split is { } split ? v.Split(split) : [v]))
                    {
                        var key = vocabulary.Extract is { } extract && Regex.Match(value, extract) is { Success: true } m ? m.Groups["key"].Value : value;
                        Assert.True(keys.Contains(value) || keys.Contains(key), $"{source}: {file.Name}.{column} writes '{value}', which vocabulary '{name}' does not map");
                    }
                }

                if (mapping.Field is not null && CanonicalFields.TryGet(mapping.Field, out var field) && field.Kind == FieldKind.Date)
                {
                    var formats = (mapping.DateFormats ?? format.DateFormats ?? ["yyyy-MM-dd"]).ToArray();
                    Assert.All(values, v => Assert.True(
                        DateTime.TryParseExact(v, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
                        $"{source}: {file.Name}.{column} value '{v}' matches none of {string.Join(", ", formats)}"));
                }
            }
        }
    }

    private static void WriteOtherFormats(string root, SyntheticExportOptions options)
    {
        SyntheticExports.WriteOpaJson(Path.Combine(root, "opa-json"), options);
        SyntheticExports.WriteEventsJsonl(Path.Combine(root, "events-jsonl"), options);
        SyntheticExports.WriteWorkbook(Path.Combine(root, "workbook"), options);
        SyntheticExports.WriteWorkbook(Path.Combine(root, "workbook-xls"), options, xls: true);
    }

    /// <summary>Every sheet of a workbook as read by ExcelDataReader: its rows, each cell as text (dates marked).</summary>
    private static Dictionary<string, List<string>> WorkbookCells(string path)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        using var stream = File.OpenRead(path);
        using var reader = ExcelDataReader.ExcelReaderFactory.CreateReader(stream);
        var sheets = new Dictionary<string, List<string>>();
        do
        {
            var rows = sheets[reader.Name] = [];
            while (reader.Read())
            {
                rows.Add(string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.GetValue(i) switch
                {
                    null => "",
                    DateTime d => "date:" + d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    double n => n.ToString("R", CultureInfo.InvariantCulture),
                    var v => Convert.ToString(v, CultureInfo.InvariantCulture),
                })));
            }
        }
        while (reader.NextResult());

        return sheets;
    }

    /// <summary>
    /// The record types of an .xls file's workbook globals, up to their EOF. The generator writes the Workbook stream
    /// from the compound file's first sector (file offset 512), so the records are read from there.
    /// </summary>
    private static List<int> GlobalsRecords(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var types = new List<int>();
        for (var offset = 512; offset + 4 <= bytes.Length;)
        {
            var type = BitConverter.ToUInt16(bytes, offset);
            types.Add(type);
            offset += 4 + BitConverter.ToUInt16(bytes, offset + 2);
            if (type == 0x000A)
            {
                break;
            }
        }

        Assert.Equal(0x0809, types[0]); // BOF
        return types;
    }

    private static int DuplicateRows(Table table)
    {
        var count = 0;
        for (var i = 1; i < table.Rows.Count; i++)
        {
            if (table.Rows[i].AsSpan().SequenceEqual(table.Rows[i - 1]))
            {
                count++;
            }
        }

        return count;
    }

    private static List<string> RelativeFiles(string root) =>
        [.. Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)];

    private static string CommittedExports() => RepoFolder("samples", "exports");

    /// <summary>A folder of the repository (found from the test's directory upwards), or the copy next to the test.</summary>
    private static string RepoFolder(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
            {
                return Path.Combine([dir.FullName, .. parts]);
            }
        }

        return Path.Combine([AppContext.BaseDirectory, .. parts]);
    }

    /// <summary>A small RFC 4180 reader, independent of the import engine.</summary>
    private sealed class Table
    {
        public required string[] Header { get; init; }
        public required List<string[]> Rows { get; init; }

        /// <summary>Rows as written, including a leading row name when the file has them.</summary>
        public required List<string[]> RawRows { get; init; }

        public required int PhysicalLines { get; init; }

        public static Table Read(string path, Encoding encoding, char delimiter, bool rowNames = false)
        {
            var text = encoding.GetString(File.ReadAllBytes(path));
            if (text.Length > 0 && text[0] == '\uFEFF')
            {
                text = text[1..];
            }

            var records = TestCsv.Parse(text, delimiter);
            var raw = records.Skip(1).ToList();
            return new Table
            {
                Header = records[0],
                RawRows = raw,
                Rows = rowNames ? [.. raw.Select(r => r[1..])] : raw,
                PhysicalLines = text.Count(c => c == '\n'),
            };
        }

        public IEnumerable<string> Column(string name)
        {
            var index = Array.IndexOf(Header, name);
            Assert.True(index >= 0, $"no column '{name}'");
            return Rows.Select(r => r[index]);
        }

        public string Get(string[] row, string name) => row[Array.IndexOf(Header, name)];
    }
}
