using System.Diagnostics;
using System.Globalization;
using OpenConduct.Core.Import;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;
using OpenConduct.Lucene;
using static System.FormattableString;

/// <summary>
/// <c>bench --index --from-release</c> (docs/performance.md, "From a generated 1,000,000-allegation release"): the
/// officer index built by the real pipeline code from a generated OPCR export instead of from synthetic documents.
/// (1) the release publish (<see cref="ReleasePublisher"/>: import, redaction, build) into a temp
/// <see cref="FolderReleaseStore"/>; (2) <see cref="OfficerIndexStep"/> over that release with a
/// <see cref="LuceneOfficerIndex"/> in a temp folder, split into its steps by the times of its progress messages;
/// (3) the query latencies of <see cref="IndexBenchmark.MeasureQueriesAsync"/> with query texts drawn from the
/// documents the step wrote (<c>_officers/{generation}/officers.jsonl.gz</c>, read back). Prints the peak working set.
/// </summary>
internal static class IndexFromReleaseBenchmark
{
    private const string PseudonymKey = "openconduct-bench-pseudonym-key-0123456789";
    private const string IndexPublishStarts = "bench: index publish starts";

    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = args.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => p.i);
        string Arg(string name, string fallback) => arguments.TryGetValue(name, out var i) && i + 1 < args.Length ? args[i + 1] : fallback;
        int Int(string name, int fallback) => int.Parse(Arg(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var allegations = Int("--allegations", 1_000_000);
        var queries = Int("--queries", 2_000);
        var dataRoot = Arg("--data", Path.Combine(Path.GetTempPath(), "openconduct-bench"));
        var repoRoot = FindRepoRoot();

        var exportDir = BenchExports.Ensure(dataRoot, "opcr", allegations);
        var exportFiles = await BenchExports.FilesAsync(exportDir);

        var exportHash = RawExport.Hash(exportFiles);
        Console.WriteLine(Invariant(
            $"OpenConduct officer index benchmark from a release: OPCR export, {allegations:N0} allegations, {exportFiles.Count} files, {exportFiles.Sum(f => f.Bytes) / 1e6:0.0} MB, .NET {Environment.Version}, {Environment.ProcessorCount} cores"));
        Console.WriteLine(Invariant($"export: {exportDir}"));

        var folder = Path.Combine(dataRoot, "index-release-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var store = new FolderReleaseStore(Path.Combine(folder, "releases"));
            var config = SourceConfiguration.Load(
                "opcr", Path.Combine(repoRoot, "samples", "profiles", "opcr.json"), Path.Combine(repoRoot, "samples", "policies", "minnesota.json"));

            // (1) The release: import, redaction, build (artefacts, manifest, latest pointer).
            Console.WriteLine();
            Console.WriteLine("(1) release publish (ReleasePublisher.PublishAsync: import, redact, build)");
            var publisher = new ReleasePublisher(store, new PublisherOptions(), name => name == "OPENCONDUCT_PSEUDONYM_KEY" ? PseudonymKey : null);
            var publishProgress = new TimedProgress(echo: false);
            GC.Collect();
            publishProgress.Restart();
            var started = Stopwatch.StartNew();
            using var publishHeap = new HeapSampler();
            var published = await publisher.PublishAsync(
                config, new DirectoryExportFiles(exportDir), exportHash, new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero), exportFiles, publishProgress);
            var publishSeconds = started.Elapsed.TotalSeconds;
            var publishPeakHeap = publishHeap.Stop();
            if (published.Outcome != PublishOutcome.Published)
            {
                Console.Error.WriteLine($"bench --index --from-release: the publish ended {published.Outcome}: {string.Join("; ", published.Import?.Failures ?? [])}");
                return 1;
            }

            Console.WriteLine(Invariant(
                $"    release {published.ReleaseId}: {published.Import?.RowsRead:N0} rows read, {published.Contents?.Artefacts.Count} artefacts, {publishSeconds:0.000} s"));
            publishProgress.Steps(publishSeconds,
                ("import", Mark(": importing "), Mark(": redacting ")),
                ("redaction", Mark(": redacting "), Mark(": building release ")),
                ("build (artefacts, manifest, latest)", Mark(": building release "), null));
            var afterPublish = PeakWorkingSet();
            Console.WriteLine(Invariant($"    peak managed heap during the publish {publishPeakHeap / 1e6:0} MB; peak working set so far {afterPublish / 1e6:0} MB"));

            // (2) The officer index step: read the live release, resolve, build documents, write them, publish the index.
            Console.WriteLine();
            Console.WriteLine("(2) officer index step (OfficerIndexStep.RunAsync([\"opcr\"]) with a LuceneOfficerIndex)");
            var indexFolder = Path.Combine(folder, "index");
            var stepProgress = new TimedProgress(echo: true);
            OfficerIndexReport report;
            double stepSeconds;
            long stepPeakHeap;
            using (var index = new LuceneOfficerIndex(indexFolder))
            {
                var step = new OfficerIndexStep(store, new MarkedIndex(index, stepProgress));
                GC.Collect();
                stepProgress.Restart();
                started.Restart();
                using var stepHeap = new HeapSampler();
                report = await step.RunAsync(["opcr"], stepProgress);
                stepSeconds = started.Elapsed.TotalSeconds;
                stepPeakHeap = stepHeap.Stop();
            }

            Console.WriteLine(Invariant($"    {report.Officers:N0} officers, generation {report.Generation}, {stepSeconds:0.000} s"));
            stepProgress.Steps(stepSeconds,
                ("read release + resolve + build documents", Mark("officers: reading "), Mark(" per-source records")),
                ("write identity.json + officers.jsonl.gz", Mark(" per-source records"), Mark(IndexPublishStarts)),
                ("index publish (Lucene build, merge, commit, open, swap)", Mark(IndexPublishStarts), Mark("officer index: generation ")),
                ("officers pointer", Mark("officer index: generation "), null));
            var pointer = File.ReadAllText(Path.Combine(indexFolder, LuceneOfficerIndex.PointerFileName)).Trim();
            var indexBytes = new DirectoryInfo(Path.Combine(indexFolder, pointer)).EnumerateFiles().Sum(f => f.Length);
            var afterStep = PeakWorkingSet();
            Console.WriteLine(Invariant($"    index {indexBytes / 1e6:0.0} MB on disk; peak managed heap during the step {stepPeakHeap / 1e6:0} MB; peak working set so far {afterStep / 1e6:0} MB"));

            // (3) Queries drawn from the documents the step wrote, read back from the release store.
            var documents = await IdentityReportIo.ReadDocumentsAsync(store.Open(OfficerIndexStep.Folder, report.Generation))
                ?? throw new InvalidOperationException($"no officers.jsonl.gz under {OfficerIndexStep.Folder}/{report.Generation}");
            var opened = Stopwatch.StartNew();
            using var live = new LuceneOfficerIndex(indexFolder);
            var openSeconds = opened.Elapsed.TotalSeconds;
            var people = documents.Select(d => Words(d.DisplayName)).Where(w => w.Length >= 2).Select(w => (First: w[0], Last: w[^1])).ToList();
            var badged = documents.Where(d => d.Badges.Count > 0).ToList();
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"(3) queries: {documents.Count:N0} officers read back ({people.Count:N0} with a first and last name, {badged.Count:N0} with a badge, {documents.Count(d => d.NameVariants.Count > 1):N0} with a name variant), " +
                $"{documents.Sum(d => d.Summary.Complaints):N0} complaints, {documents.Sum(d => d.Summary.Allegations):N0} allegations; open from disk {openSeconds * 1000:0} ms"));
            Console.WriteLine("    e.g. " + string.Join(", ", documents.Take(3).Select(d => "'" + d.DisplayName + "' (" + string.Join("/", d.Badges) + ")")));
            var kinds = new List<(string Name, Func<Random, string> Make)>();
            if (people.Count > 0)
            {
                kinds.Add(("type-ahead", r =>
                {
                    var (first, last) = people[r.Next(people.Count)];
                    var word = r.Next(2) == 0 ? first : last;
                    return word[..Math.Min(word.Length, 1 + r.Next(5))];
                }));
                kinds.Add(("fuzzy", r =>
                {
                    var (first, last) = people[r.Next(people.Count)];
                    var typed = Mistype(r, last, last.Length >= 6 ? 1 + r.Next(2) : 1);
                    return r.Next(4) == 0 && first.Length >= 3 ? $"{Mistype(r, first, 1)} {typed}" : $"{first} {typed}";
                }));
            }

            if (badged.Count > 0)
            {
                kinds.Add(("badge", r =>
                {
                    var d = badged[r.Next(badged.Count)];
                    return d.Badges[r.Next(d.Badges.Count)];
                }));
            }

            kinds.Add(("exact name", r => documents[r.Next(documents.Count)].DisplayName));
            var mismatches = await IndexBenchmark.MeasureQueriesAsync(live, documents, [.. kinds], queries);

            Console.WriteLine();
            Console.WriteLine(Invariant(
                $"peak working set: {afterPublish / 1e6:0} MB after the publish, {afterStep / 1e6:0} MB after the index step, {PeakWorkingSet() / 1e6:0} MB at the end (the process's, VmHWM)"));
            return mismatches == 0 ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static ProgressMark Mark(string contains) => new(contains, false);

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }

    /// <summary>The words of a display name, without the punctuation around them ("O'Brien" kept, "M." and "SMITH," trimmed).</summary>
    private static string[] Words(string name) =>
        [.. name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(w => w.Trim('.', ',')).Where(w => w.Length > 1)];

    private static string Mistype(Random r, string word, int edits)
    {
        for (var e = 0; e < edits; e++)
        {
            var i = r.Next(word.Length);
            word = r.Next(4) switch
            {
                0 => word.Insert(i, ((char)('a' + r.Next(26))).ToString()),
                1 when word.Length > 3 => word.Remove(i, 1),
                2 when i + 1 < word.Length => string.Concat(word.AsSpan(0, i), word.AsSpan(i + 1, 1), word.AsSpan(i, 1), word.AsSpan(i + 2)),
                _ => string.Concat(word.AsSpan(0, i), ((char)('a' + r.Next(26))).ToString(), word.AsSpan(i + 1)),
            };
        }

        return word;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("run the benchmark from inside the repository");
    }

    /// <summary>The largest managed heap (<see cref="GC.GetTotalMemory"/>, garbage included) seen every 5 ms until stopped.</summary>
    private sealed class HeapSampler : IDisposable
    {
        private readonly CancellationTokenSource done = new();
        private readonly Task sampler;
        private long peak;

        public HeapSampler()
        {
            sampler = Task.Run(() =>
            {
                while (!done.IsCancellationRequested)
                {
                    Interlocked.Exchange(ref peak, Math.Max(Interlocked.Read(ref peak), GC.GetTotalMemory(false)));
                    Thread.Sleep(5);
                }
            });
        }

        public long Stop()
        {
            done.Cancel();
            sampler.Wait();
            return Interlocked.Read(ref peak);
        }

        public void Dispose()
        {
            if (!done.IsCancellationRequested)
            {
                Stop();
            }

            done.Dispose();
        }
    }

    /// <summary>The index, reporting the moment the step hands it the documents (to split the step's time).</summary>
    private sealed class MarkedIndex(IOfficerIndex inner, IProgress<string> marks) : IOfficerIndex
    {
        public Task PublishAsync(string generation, IEnumerable<OfficerDocument> documents, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
        {
            marks.Report(IndexPublishStarts);
            return inner.PublishAsync(generation, documents, progress, cancellationToken);
        }

        public Task<string?> GetGenerationAsync(CancellationToken cancellationToken = default) => inner.GetGenerationAsync(cancellationToken);

        public Task<OfficerSearchResult> SearchAsync(OfficerQuery query, CancellationToken cancellationToken = default) => inner.SearchAsync(query, cancellationToken);

        public Task<OfficerDocument?> GetAsync(string id, CancellationToken cancellationToken = default) => inner.GetAsync(id, cancellationToken);
    }
}
