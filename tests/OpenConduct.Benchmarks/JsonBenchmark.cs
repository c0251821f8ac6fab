using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenConduct.Core.Import;
using OpenConduct.Samples;

/// <summary>
/// JSON import throughput and memory against a raw System.Text.Json read of the same file, in the same process,
/// alternating the two (best of R runs after a warm-up run, as the CSV import benchmark does). Two shapes of one
/// export, generated once (streaming) under the data folder:
/// <list type="bullet">
/// <item><c>nested</c>: the opa-json shape (samples/exports/opa-json, samples/profiles/opa-json.json), one document
/// keyed by case number, officers keyed by badge, allegations in arrays: records path
/// <c>$.*.officers.*.allegations[*]</c>, what scraped case summaries look like;</item>
/// <item><c>flat</c>: the same allegations as a JSON array of flat records (<c>$[*]</c>), what open-data portals
/// publish: the per-record cost without the nesting.</item>
/// </list>
/// Baseline: <see cref="Utf8JsonReader"/> over the file stream (64 KB refills), reading every token and materialising
/// nothing. Import: <see cref="ExportImporter"/> with the profile into a counting sink. Live memory: a separate untimed
/// import that forces a full collection at every progress report (every 50,000 rows).
/// </summary>
internal static class JsonBenchmark
{
    public static int Run(string[] args, string repoRoot, string dataRoot, int allegations)
    {
        var arguments = args.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => p.i);
        string Arg(string name, string fallback) => arguments.TryGetValue(name, out var i) && i + 1 < args.Length ? args[i + 1] : fallback;
        var repeat = int.Parse(Arg("--repeat", "3"), CultureInfo.InvariantCulture);
        var shapes = Arg("--shape", "both") switch
        {
            "nested" => new[] { "nested" },
            "flat" => ["flat"],
            _ => ["nested", "flat"],
        };

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"OpenConduct JSON import benchmark: {allegations:N0} allegations, {repeat} runs each, .NET {Environment.Version}, {Environment.ProcessorCount} cores"));
        Console.WriteLine();
        Console.WriteLine($"{"shape",-7} {"rows",11} {"MB",8} | {"raw read",10} {"tokens",12} {"MB/s",7} {"heap MB",8} | {"import",10} {"rows/s",10} {"MB/s",7} {"heap MB",8} | {"ratio",6} | live");

        foreach (var shape in shapes)
        {
            var nested = shape == "nested";
            var dir = BenchExports.Ensure(dataRoot, nested ? "opa-json" : "opa-flat", allegations);
            var path = Path.Combine(dir, nested ? SyntheticExports.OpaFile : SyntheticExports.OpaFlatFile);
            var profile = nested
                ? MappingProfileLoader.LoadFile(Path.Combine(repoRoot, "samples", "profiles", "opa-json.json"))
                : FlatProfile(repoRoot);
            var files = new DirectoryExportFiles(dir);
            var megabytes = new FileInfo(path).Length / 1e6;

            var raw = new List<(double Seconds, long Count, long Heap)>();
            var import = new List<(double Seconds, long Count, long Heap)>();
            for (var run = 0; run < repeat + 1; run++)
            {
                var r = Measurement.Measure(() => RawRead(path));
                var i = Measurement.Measure(() =>
                {
                    var report = new ExportImporter().Import(profile, files, new CountingSink());
                    return report.Succeeded ? report.RowsRead : throw new InvalidOperationException(string.Join("; ", report.Failures));
                });
                if (run > 0)
                {
                    raw.Add(r);
                    import.Add(i);
                }
            }

            long live = 0;
            var before = GC.GetTotalMemory(true);
            new ExportImporter(new ImportOptions { ProgressEvery = 50_000 })
                .Import(profile, files, new CountingSink(), new SyncProgress(_ => live = Math.Max(live, GC.GetTotalMemory(true) - before)));

            var rawBest = raw.MinBy(x => x.Seconds);
            var importBest = import.MinBy(x => x.Seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{shape,-7} {importBest.Count,11:N0} {megabytes,8:0.0} | {rawBest.Seconds,9:0.000}s {rawBest.Count,12:N0} {megabytes / rawBest.Seconds,7:0} {raw.Max(x => x.Heap) / 1e6,8:0} | " +
                $"{importBest.Seconds,9:0.000}s {importBest.Count / importBest.Seconds,10:N0} {megabytes / importBest.Seconds,7:0} {import.Max(x => x.Heap) / 1e6,8:0} | {importBest.Seconds / rawBest.Seconds,5:0.00}x | {live / 1e6:0} MB"));

            if (arguments.ContainsKey("--detail"))
            {
                // Where the time goes: strings for the values (what the CSV baseline pays), the DOM the row source builds
                // per top-level value, then the row source and the least an import does (one complaint column).
                var minimal = CaseNumberOnly(profile);
                foreach (var (label, action) in new (string, Func<long>)[]
                         {
                             ("raw + a string per name and string value", () => RawRead(path, strings: true)),
                             ("raw + a JsonDocument per top-level value", () => RawDocuments(path)),
                             ("import of the case number only", () => new ExportImporter().Import(minimal, files, new CountingSink()).RowsRead),
                         })
                {
                    var best = Enumerable.Range(0, repeat).Select(_ => Measurement.Measure(action)).MinBy(x => x.Seconds);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label,-44} {best.Seconds,9:0.000}s  {best.Seconds / rawBest.Seconds,6:0.00}x raw"));
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine("raw read = Utf8JsonReader over the file stream (64 KB buffer), every token read, nothing materialised;");
        Console.WriteLine("import = the full import (records path, wildcards, conversions, vocabularies, duplicate detection, officers) into a counting sink;");
        Console.WriteLine("rows = rows the import reads (allegations, cases without officers, the rejected junk key of the nested shape);");
        Console.WriteLine("live = the most memory the import holds (after a full GC at each progress report); heap MB = the largest managed heap seen during the runs.");
        return 0;
    }

    /// <summary>The opa-json profile for the flat array: the same fields and vocabularies, a column per member of a record.</summary>
    private static MappingProfile FlatProfile(string repoRoot)
    {
        var profile = JsonNode.Parse(File.ReadAllText(Path.Combine(repoRoot, "samples", "profiles", "opa-json.json")))!;
        profile["name"] = "opa-case-summaries-flat";
        var file = profile["files"]![0]!;
        file["path"] = SyntheticExports.OpaFlatFile;
        file["format"]!["records"] = "$[*]";
        file["columns"] = JsonNode.Parse("""
            {
              "case_number": "complaint.caseNumber",
              "issued_date": "complaint.closedDate",
              "badge_num": "officer.badge",
              "first_name": "officer.firstName",
              "middle_name": "officer.middleName",
              "last_name": "officer.lastName",
              "title": "officer.rank",
              "allegation_id": "allegation.id",
              "allegation": { "field": "allegation.category", "vocabulary": "category" },
              "finding": { "field": "allegation.finalFinding", "vocabulary": "finding" }
            }
            """);
        return MappingProfileLoader.Parse(profile.ToJsonString(), "opa-json (flat)");
    }

    /// <summary>The profile reduced to the complaint's case number: a file that holds complaints only.</summary>
    private static MappingProfile CaseNumberOnly(MappingProfile profile)
    {
        var file = profile.Files[0];
        var column = file.Columns.Single(c => c.Value.Field == "complaint.caseNumber");
        return new MappingProfile
        {
            Name = profile.Name + " (case number only)",
            Source = profile.Source,
            Shape = profile.Shape,
            Files = [new FileMapping { Name = file.Name, Path = file.Path, Holds = ["complaint"], Format = file.Format, Columns = new Dictionary<string, ColumnMapping> { [column.Key] = column.Value } }],
        };
    }

    /// <summary>
    /// The raw read, and a <see cref="JsonDocument"/> parsed for each value of the top-level container (a case of the
    /// nested shape, a record of the flat one), as the import's row source parses them.
    /// </summary>
    private static long RawDocuments(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        var state = new JsonReaderState();
        var filled = 0;
        long documents = 0;
        var final = false;
        while (!final)
        {
            var n = stream.Read(buffer, filled, buffer.Length - filled);
            final = n == 0;
            filled += n;
            var reader = new Utf8JsonReader(buffer.AsSpan(0, filled), final, state);
            while (true)
            {
                var checkpoint = reader;
                if (!reader.Read())
                {
                    break;
                }

                if (reader.CurrentDepth == 1 && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    var probe = reader;
                    if (!probe.TrySkip())
                    {
                        reader = checkpoint; // the value goes on in the next refill
                        break;
                    }

                    using var document = JsonDocument.ParseValue(ref reader);
                    documents++;
                }
            }

            var consumed = (int)reader.BytesConsumed;
            state = reader.CurrentState;
            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }

        return documents;
    }

    /// <summary>Every token of the file through <see cref="Utf8JsonReader"/>, the reader's state carried across 64 KB refills.</summary>
    /// <remarks>With <paramref name="strings"/>, also a string for every property name and string value, as the CSV
    /// benchmark's baseline (CsvHelper) makes one per field: the ratio to compare with the CSV import's.</remarks>
    private static long RawRead(string path, bool strings = false)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var buffer = new byte[1 << 16];
        var state = new JsonReaderState();
        var filled = 0;
        long tokens = 0;
        long length = 0;
        var final = false;
        while (!final)
        {
            var n = stream.Read(buffer, filled, buffer.Length - filled);
            final = n == 0;
            filled += n;
            var reader = new Utf8JsonReader(buffer.AsSpan(0, filled), final, state);
            while (reader.Read())
            {
                tokens++;
                length += strings && reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName
                    ? reader.GetString()!.Length
                    : reader.ValueSpan.Length;
            }

            var consumed = (int)reader.BytesConsumed;
            state = reader.CurrentState;
            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2); // one token larger than the buffer
            }
        }

        GC.KeepAlive(length);
        return tokens;
    }
}
