using System.Diagnostics;
using System.Globalization;
using OpenConduct.Core.Dashboards;
using OpenConduct.Core.Import;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;
using static System.FormattableString;

/// <summary>
/// <c>bench --dashboards</c> (docs/performance.md, "Dashboards"): the dashboard facts of a generated release and the
/// drill-down queries the API answers from them, in process. (1) The release: a generated OPCR export (cached under
/// the data folder, as in the other modes) published by <see cref="ReleasePublisher"/> into a temp
/// <see cref="FolderReleaseStore"/>, which writes the facts; (2) load: the facts read back as the API reads them
/// (<see cref="DashboardFactsIo.ReadVerifiedAsync"/>: read, SHA-256 check, decompress, decode) and combined
/// (<see cref="DashboardFacts.Combine"/>); (3) queries: every dashboard with random options and 1 to 3 random filters
/// (values drawn from the facts' own values), each timed as the API runs it (<see cref="DashboardQueries.Parse"/> and
/// <see cref="DashboardQueries.Run"/>: filter, count, suppress), against a baseline in the same process on the same
/// request: a plain scan counting the matching facts (<see cref="DashboardQueries.CountMatching"/>), no grouping, no
/// suppression. Prints p50, p95, p99 and max per dashboard and overall, and whether p99 is under 10 ms.
/// <c>--keep DIR</c> publishes into DIR and keeps it, and a later run given the same DIR reuses that release.
/// </summary>
internal static class DashboardsBenchmark
{
    private const string PseudonymKey = "openconduct-bench-pseudonym-key-0123456789";
    private const double TargetP99Ms = 10;

    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = args.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => p.i);
        string Arg(string name, string fallback) => arguments.TryGetValue(name, out var i) && i + 1 < args.Length ? args[i + 1] : fallback;
        int Int(string name, int fallback) => int.Parse(Arg(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var allegations = Int("--allegations", 1_000_000);
        var queries = Int("--queries", 1_000);
        var seed = Int("--seed", 20261123);
        var dataRoot = Arg("--data", Path.Combine(Path.GetTempPath(), "openconduct-bench"));
        var repoRoot = FindRepoRoot();

        var exportDir = BenchExports.Ensure(dataRoot, "opcr", allegations);
        var exportFiles = await BenchExports.FilesAsync(exportDir);

        Console.WriteLine(Invariant(
            $"OpenConduct dashboards benchmark: OPCR export, {allegations:N0} allegations, {exportFiles.Sum(f => f.Bytes) / 1e6:0.0} MB, {queries:N0} queries per dashboard, seed {seed}, .NET {Environment.Version}, {Environment.ProcessorCount} cores"));

        // --keep DIR: publish into DIR and keep it; a later run with the same DIR reuses the release if it is live there.
        var keep = arguments.ContainsKey("--keep") ? Path.GetFullPath(Arg("--keep", "")) : null;
        var folder = keep ?? Path.Combine(dataRoot, "dashboards-release-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // (1) The release, facts included.
            var store = new FolderReleaseStore(Path.Combine(folder, "releases"));
            var config = SourceConfiguration.Load(
                "opcr", Path.Combine(repoRoot, "samples", "profiles", "opcr.json"), Path.Combine(repoRoot, "samples", "policies", "minnesota.json"));
            var publisher = new ReleasePublisher(store, new PublisherOptions(), name => name == "OPENCONDUCT_PSEUDONYM_KEY" ? PseudonymKey : null);
            var started = Stopwatch.StartNew();
            var published = await publisher.PublishAsync(
                config, new DirectoryExportFiles(exportDir), RawExport.Hash(exportFiles), new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero), exportFiles);
            if (published.Outcome is not (PublishOutcome.Published or PublishOutcome.AlreadyPublished) || published.Manifest is not { } manifest)
            {
                Console.Error.WriteLine($"bench --dashboards: the publish ended {published.Outcome}");
                return 1;
            }

            var factsInfo = manifest.Internal?.SingleOrDefault(a => a.Path == ReleasePaths.DashboardFacts)
                ?? throw new InvalidOperationException("the manifest records no dashboard facts");
            Console.WriteLine();
            Console.WriteLine(Invariant($"(1) release {published.ReleaseId} {(published.Outcome == PublishOutcome.AlreadyPublished ? "reused from --keep" : "published")} in {started.Elapsed.TotalSeconds:0.0} s: {manifest.Counts.Complaints:N0} complaints, {manifest.Counts.Allegations:N0} allegations; {ReleasePaths.DashboardFacts} {factsInfo.Bytes / 1e6:0.00} MB"));

            // (2) Load, as the API does: read + verify + decode, then combine. Best and worst of 5.
            var release = store.Open("opcr", published.ReleaseId);
            var loads = new List<(double Read, double Combine)>();
            DashboardFacts facts = DashboardFacts.Empty;
            long factsBytes = 0;
            for (var run = 0; run < 5; run++)
            {
                facts = DashboardFacts.Empty;
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                var before = GC.GetTotalMemory(true);
                var clock = Stopwatch.StartNew();
                var part = await DashboardFactsIo.ReadVerifiedAsync(release, manifest) ?? throw new InvalidOperationException("no facts");
                var read = clock.Elapsed.TotalMilliseconds;
                clock.Restart();
                facts = DashboardFacts.Combine([part]);
                var combine = clock.Elapsed.TotalMilliseconds;
                part = null;
                GC.KeepAlive(part);
                factsBytes = GC.GetTotalMemory(true) - before;
                loads.Add((read, combine));
            }

            Console.WriteLine(Invariant(
                $"(2) load: read + SHA-256 + decode {loads.Min(l => l.Read):0} ms (max {loads.Max(l => l.Read):0}), combine {loads.Min(l => l.Combine):0} ms (max {loads.Max(l => l.Combine):0}); {facts.FactCount:N0} facts, {facts.ComplaintCount:N0} complaints, {facts.PointCount:N0} hundred-block points; {factsBytes / 1e6:0} MB held"));

            // (3) Queries.
            var random = new Random(seed);
            var workload = DashboardDefinitions.All.SelectMany(d => Enumerable.Range(0, queries).Select(_ => (Dashboard: d, Query: RandomQuery(random, facts, d)))).ToList();
            Shuffle(random, workload);
            foreach (var (dashboard, query) in workload.Take(500))
            {
                Answer(facts, dashboard, query); // warm-up
            }

            var timings = new Dictionary<string, List<(double Query, double Baseline, int Filters)>>(StringComparer.Ordinal);
            var slowest = new List<(double Ms, string Request, long? Total)>();
            long checksum = 0;
            foreach (var (dashboard, query) in workload)
            {
                var clock = Stopwatch.StartNew();
                var response = Answer(facts, dashboard, query);
                var elapsed = clock.Elapsed.TotalMilliseconds;
                var (request, _) = DashboardQueries.Parse(facts, dashboard.Name, query);
                clock.Restart();
                checksum += DashboardQueries.CountMatching(facts, request!);
                var baseline = clock.Elapsed.TotalMilliseconds;
                checksum += response.Total ?? 0;
                if (!timings.TryGetValue(dashboard.Name, out var list))
                {
                    timings[dashboard.Name] = list = [];
                }

                list.Add((elapsed, baseline, query.Count(q => q.Key is not (DashboardDefinitions.By or DashboardDefinitions.Interval or DashboardDefinitions.To))));
                slowest.Add((elapsed, dashboard.Name + "?" + string.Join('&', query.Select(q => $"{q.Key}={q.Value[0]}")), response.Total));
                if (slowest.Count > 50)
                {
                    slowest = [.. slowest.OrderByDescending(x => x.Ms).Take(5)];
                }
            }

            Console.WriteLine();
            Console.WriteLine(Invariant($"(3) {workload.Count:N0} drill-downs (1 to 3 random filters each, random options), after {Math.Min(500, workload.Count)} warm-up queries; times in ms"));
            Console.WriteLine($"{"dashboard",-22} {"p50",7} {"p95",7} {"p99",7} {"max",7} | {"scan p50",8} {"scan p99",8} | {"p50 ratio",9}");
            foreach (var (name, list) in timings.Append(new("all", [.. timings.Values.SelectMany(v => v)])))
            {
                var q = list.Select(t => t.Query).Order().ToArray();
                var b = list.Select(t => t.Baseline).Order().ToArray();
                Console.WriteLine(Invariant(
                    $"{name,-22} {P(q, 50),7:0.000} {P(q, 95),7:0.000} {P(q, 99),7:0.000} {q[^1],7:0.000} | {P(b, 50),8:0.000} {P(b, 99),8:0.000} | {P(q, 50) / P(b, 50),8:0.00}x"));
            }

            var all = timings.Values.SelectMany(v => v).Select(t => t.Query).Order().ToArray();
            foreach (var filters in new[] { 1, 2, 3 })
            {
                var subset = timings.Values.SelectMany(v => v).Where(t => t.Filters == filters).Select(t => t.Query).Order().ToArray();
                Console.WriteLine(Invariant($"  {filters} filter(s): {subset.Length:N0} queries, p50 {P(subset, 50):0.000}, p99 {P(subset, 99):0.000}"));
            }

            Console.WriteLine("  slowest: " + string.Join("; ", slowest.OrderByDescending(x => x.Ms).Take(5).Select(x => Invariant($"{x.Request} {x.Ms:0.0} ms (total {x.Total?.ToString("N0", CultureInfo.InvariantCulture) ?? "suppressed"})"))));
            var pass = P(all, 99) < TargetP99Ms;
            Console.WriteLine();
            Console.WriteLine(Invariant($"p99 over every drill-down: {P(all, 99):0.000} ms; target < {TargetP99Ms} ms: {(pass ? "PASS" : "FAIL")} (checksum {checksum})"));
            Console.WriteLine("query = DashboardQueries.Parse + Run (filters, distinct complaints where counted, SmallCellSuppression of every cell and total, notes, points);");
            Console.WriteLine("scan = DashboardQueries.CountMatching on the same request: a plain scan counting the facts that match the filters.");
            return pass ? 0 : 1;
        }
        finally
        {
            try
            {
                if (keep is null)
                {
                    Directory.Delete(folder, recursive: true);
                }
            }
            catch (IOException)
            {
            }
        }
    }

    private static DashboardResponse Answer(DashboardFacts facts, DashboardDefinition dashboard, List<KeyValuePair<string, string?[]>> query)
    {
        var (request, problem) = DashboardQueries.Parse(facts, dashboard.Name, query);
        return problem is null
            ? DashboardQueries.Run(facts, request!)
            : throw new InvalidOperationException($"{dashboard.Name}: {problem.Detail}");
    }

    /// <summary>1 to 3 distinct dimensions with one of their values each (month sometimes as YYYY-MM), and random options.</summary>
    private static List<KeyValuePair<string, string?[]>> RandomQuery(Random random, DashboardFacts facts, DashboardDefinition dashboard)
    {
        var query = new List<KeyValuePair<string, string?[]>>();
        foreach (var (option, values) in dashboard.Options ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            query.Add(new(option, [values[random.Next(values.Count)]]));
        }

        var dimensions = Enumerable.Range(0, DashboardDimensions.Count).OrderBy(_ => random.Next()).Take(1 + random.Next(3)).ToList();
        foreach (var d in dimensions)
        {
            var values = facts.ValuesOf(d);
            var value = values[random.Next(values.Count)];
            if (d == DashboardDimensions.Month && value != DashboardDimensions.Unknown && random.Next(2) == 0)
            {
                var years = facts.ValuesOf(DashboardDimensions.Year).Where(y => y != DashboardDimensions.Unknown).ToList();
                value = $"{years[random.Next(years.Count)]}-{value}";
            }

            query.Add(new(DashboardDimensions.All[d].Name, [value]));
        }

        return query;
    }

    private static void Shuffle<T>(Random random, List<T> list)
    {
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
    }

    private static double P(double[] sorted, double percentile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1)];

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("run the benchmark from inside the repository");
    }
}
