using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using OpenConduct.Core.Import;

// Import throughput against a raw CsvHelper parse of the same files, in the same process, alternating the two so
// that neither gets a warmer cache; the best of R runs of each (after a warm-up run) is reported. Prints rows/s, MB/s, the ratio import/raw, and the peak managed heap during
// each run (sampled every 5 ms) to show that the import's memory is bounded by its join indexes.
//
// usage: bench [--allegations N] [--source opcr|iau|cra|all] [--repeat R] [--data DIR] [--detail] [--redaction [--all-narratives]]
//        bench --pipeline [--allegations N] [--repeat R] [--noop-repeat N] [--data DIR] [--live]   (PipelineBenchmark.cs)
//        bench --dashboards [--allegations N] [--queries Q] [--seed S] [--data DIR] [--keep DIR]   (DashboardsBenchmark.cs)
//        bench --search-cpu [--allegations N] [--data DIR] [--index DIR] [--queries FILE] [--rounds R] [--only index|handler|json]   (SearchCpuBenchmark.cs)
//        bench --json [--allegations N] [--repeat R] [--shape nested|flat|both] [--detail] [--data DIR]   (JsonBenchmark.cs)
var arguments = args.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => p.i);
string Arg(string name, string fallback) => arguments.TryGetValue(name, out var i) && i + 1 < args.Length ? args[i + 1] : fallback;
var allegations = int.Parse(Arg("--allegations", "1000000"), CultureInfo.InvariantCulture);
var sources = Arg("--source", "all") is "all" ? new[] { "opcr", "iau", "cra" } : [Arg("--source", "all")];
var dataRoot = Arg("--data", Path.Combine(Path.GetTempPath(), "openconduct-bench"));
var repoRoot = FindRepoRoot();

if (arguments.ContainsKey("--pipeline"))
{
    // The whole pipeline on Azurite: one IAU export (one file) served over HTTP, pulled, processed, then refreshed.
    return await PipelineBenchmark.RunAsync(new PipelineBenchmarkOptions
    {
        RepoRoot = repoRoot,
        DataRoot = dataRoot,
        Allegations = allegations,
        Repeat = int.Parse(Arg("--repeat", "1"), CultureInfo.InvariantCulture),
        NoOpRepeat = int.Parse(Arg("--noop-repeat", "5"), CultureInfo.InvariantCulture),
        Live = arguments.ContainsKey("--live"),
    });
}

if (arguments.ContainsKey("--index")) { return await IndexBenchmark.RunAsync(args); }   // the officer index (IndexBenchmark.cs)
if (arguments.ContainsKey("--search-cpu")) { return await SearchCpuBenchmark.RunAsync(args); }   // one uncached search's CPU without HTTP (SearchCpuBenchmark.cs)
if (arguments.ContainsKey("--dashboards")) { return await DashboardsBenchmark.RunAsync(args); }   // dashboard facts and drill-downs (DashboardsBenchmark.cs)
if (arguments.ContainsKey("--json")) { return JsonBenchmark.Run(args, repoRoot, dataRoot, allegations); }   // JSON import against a raw System.Text.Json read (JsonBenchmark.cs)

var repeat = int.Parse(Arg("--repeat", "3"), CultureInfo.InvariantCulture);

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"OpenConduct import benchmark: {allegations:N0} allegations per source, {repeat} runs each, .NET {Environment.Version}, {Environment.ProcessorCount} cores"));
Console.WriteLine();
Console.WriteLine($"{"source",-6} {"rows",11} {"MB",8} | {"raw parse",10} {"rows/s",12} {"heap MB",8} | {"import",10} {"rows/s",12} {"heap MB",8} | {"ratio",6}");

foreach (var source in sources)
{
    var dir = BenchExports.Ensure(dataRoot, source, allegations);
    var profile = MappingProfileLoader.LoadFile(Path.Combine(repoRoot, "samples", "profiles", source + ".json"));
    var files = new DirectoryExportFiles(dir);
    var bytes = profile.Files.Sum(f => files.Length(FilePlanName(f, files)));

    var raw = new List<(double Seconds, long Rows, long Heap)>();
    var import = new List<(double Seconds, long Rows, long Heap)>();
    for (var run = 0; run < repeat + 1; run++)
    {
        var r = Measurement.Measure(() => RawParse(profile, files));
        var i = Measurement.Measure(() =>
        {
            var report = new ExportImporter().Import(profile, files, new CountingSink());
            if (!report.Succeeded)
            {
                throw new InvalidOperationException(string.Join("; ", report.Failures));
            }

            return report.RowsRead;
        });
        if (run > 0)
        {
            raw.Add(r);
            import.Add(i);
        }
    }

    if (arguments.ContainsKey("--detail"))
    {
        foreach (var (label, lines, validate) in new[] { ("raw + line numbers + null tokens", true, false), ("  + UTF-8 check + row hash", true, true) })
        {
            var runs = Enumerable.Range(0, repeat).Select(_ => Measurement.Measure(() => RawParseWith(profile, files, lines, validate))).ToList();
            var best = runs.MinBy(x => x.Seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {label,-36} {best.Seconds,9:0.000}s"));
        }
    }

    // Live memory: a separate, untimed import that forces a full collection at every progress report, so the
    // figure is what the import really holds (its indexes), not garbage waiting for the next collection.
    long live = 0;
    var liveImport = new ExportImporter(new ImportOptions { ProgressEvery = 50_000 });
    var before = GC.GetTotalMemory(true);
    liveImport.Import(profile, files, new CountingSink(), new SyncProgress(_ => live = Math.Max(live, GC.GetTotalMemory(true) - before)));

    // Best of the runs: on a shared machine noise only ever adds time, so the fastest run is the steadiest figure.
    var rawBest = raw.MinBy(x => x.Seconds);
    var importBest = import.MinBy(x => x.Seconds);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{source,-6} {importBest.Rows,11:N0} {bytes / 1e6,8:0.0} | {rawBest.Seconds,9:0.000}s {rawBest.Rows / rawBest.Seconds,12:N0} {raw.Max(x => x.Heap) / 1e6,8:0} | " +
        $"{importBest.Seconds,9:0.000}s {importBest.Rows / importBest.Seconds,12:N0} {import.Max(x => x.Heap) / 1e6,8:0} | {importBest.Seconds / rawBest.Seconds,5:0.00}x | live {live / 1e6:0} MB"));
}

if (arguments.ContainsKey("--redaction"))
{
    // Redaction against import, same records: the import into memory, then the Minnesota policy over them.
    Console.WriteLine();
    Console.WriteLine($"{"source",-6} {"allegations",12} | {"import",9} | {"redaction",9} {"narratives",11} | {"redaction/import",16}");
    var policy = OpenConduct.Core.Disclosure.DisclosurePolicyLoader.LoadFile(Path.Combine(repoRoot, "samples", "policies", "minnesota.json"));
    if (arguments.ContainsKey("--all-narratives"))
    {
        // The worst case for the scrubber: every non-sensitive narrative published, whatever the case's finality.
        policy = new OpenConduct.Core.Disclosure.DisclosurePolicy
        {
            Name = policy.Name + " (all narratives)",
            Default = policy.Default,
            Fields = policy.Fields,
            Sensitivity = policy.Sensitivity,
            Finality = policy.Finality with { Narratives = OpenConduct.Core.Disclosure.NarrativeDisclosure.Always },
            Aggregation = policy.Aggregation,
            Pseudonymization = policy.Pseudonymization,
        };
    }

    foreach (var source in sources)
    {
        var dir = Path.Combine(dataRoot, $"{source}-{allegations}");
        var profile = MappingProfileLoader.LoadFile(Path.Combine(repoRoot, "samples", "profiles", source + ".json"));
        var files = new DirectoryExportFiles(dir);
        var best = (Import: double.MaxValue, Redaction: double.MaxValue);
        long narratives = 0, count = 0;
        for (var run = 0; run < repeat + 1; run++)
        {
            var records = new CanonicalRecordSet();
            GC.Collect();
            var started = Stopwatch.StartNew();
            new ExportImporter().Import(profile, files, records);
            var import = started.Elapsed.TotalSeconds;
            var redactor = new OpenConduct.Core.Disclosure.Redactor(policy, _ => "benchmark-key-0123456789-0123456789-01234");
            started.Restart();
            var release = OpenConduct.Core.Disclosure.RedactionPipeline.Redact(records, redactor);
            var redaction = started.Elapsed.TotalSeconds;
            narratives = release.Cases.Count(c => c.Complaint.Narrative is not null);
            count = records.Allegations.Count;
            if (run > 0)
            {
                best = (Math.Min(best.Import, import), Math.Min(best.Redaction, redaction));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{source,-6} {count,12:N0} | {best.Import,8:0.000}s | {best.Redaction,8:0.000}s {narratives,11:N0} | {best.Redaction / best.Import,15:0.00}x"));
    }
}

Console.WriteLine();
Console.WriteLine("raw parse = CsvHelper reading every field of every row as a string, with the profile's encoding and delimiter;");
Console.WriteLine("import = the full import (profile, conversions, vocabularies, joins, duplicate detection) into a counting sink;");
Console.WriteLine("live = the most memory the import holds (after a full GC at each progress report): its join indexes;");
Console.WriteLine("heap MB = the largest managed heap seen during the runs (GC.GetTotalMemory sampled every 5 ms).");
return 0;

static long RawParse(MappingProfile profile, IExportFiles files) => RawParseWith(profile, files, lines: false, validate: false);

static long RawParseWith(MappingProfile profile, IExportFiles files, bool lines, bool validate)
{
    long rows = 0;
    foreach (var file in profile.Files)
    {
        var format = file.Format with { };
        var delimiter = format.Delimiter ?? profile.Defaults.Delimiter ?? ",";
        var encoding = format.Encoding ?? profile.Defaults.Encoding ?? "utf-8";
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var options = new CsvReaderOptions
        {
            Separator = delimiter[0],
            Encoding = encoding == "utf-8" ? null : System.Text.Encoding.GetEncoding(encoding),
            TrimWhitespace = true,
            TrackLineNumbers = lines,
            NullValues = lines ? ["", "NULL", "N/A"] : null,
        };
        using var reader = CsvReader.Create(files.Open(FilePlanName(file, files)), options, leaveOpen: false);
        long chars = 0;
        while (reader.Read())
        {
            rows++;
            if (validate)
            {
                chars += System.Text.Unicode.Utf8.IsValid(reader.RawRecord) ? 1 : 0;
                chars += (long)System.IO.Hashing.XxHash128.HashToUInt128(reader.RawRecord);
            }

            for (var i = 0; i < reader.FieldCount; i++)
            {
                chars += (lines ? reader.GetStringOrNull(i)?.Length : reader.GetString(i).Length) ?? 0;
            }
        }

        GC.KeepAlive(chars);
    }

    return rows;
}

static string FilePlanName(FileMapping file, IExportFiles files) =>
    file.FindIn(files.Names, out var error) ?? throw new InvalidOperationException(error);

static string FindRepoRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? throw new InvalidOperationException("run the benchmark from inside the repository");
}

/// <summary>Reports progress on the importing thread (Progress&lt;T&gt; would post to the thread pool).</summary>
internal sealed class SyncProgress(Action<ImportProgress> report) : IProgress<ImportProgress>
{
    public void Report(ImportProgress value) => report(value);
}
