using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenConduct.Api;
using OpenConduct.Core.Officers;
using OpenConduct.Lucene;

/// <summary>
/// The CPU of one uncached search without HTTP (docs/performance.md, "HTTP API"): the HTTP benchmark's officer index
/// (<c>scripts/bench.sh --http</c> builds it under <c>$TMPDIR/openconduct-bench/http-opcr-{N}/index</c>) and its query list
/// (<c>scripts/load.sh --prepare</c>), each query answered on one thread, R passes after a warm-up pass, two ways:
/// <c>index</c>, <see cref="LuceneOfficerIndex.SearchAsync"/> alone; <c>handler</c>, the API's handler
/// (<see cref="OfficersApi.SearchAsync"/>: the query-string checks, the search, the summaries) and its result written
/// as the hosts write it (their JSON options, into a memory stream), on a fresh <see cref="DefaultHttpContext"/>.
/// Prints the mean, p50 and p99 per query by kind (wall clock of the thread), the process's CPU per query over a pass, and
/// the bytes allocated per query. The kinds are told apart by the text: digits only (badges), one word of 1-2 and 3-5
/// letters (prefixes as typed), and the rest (whole and misspelt names).
/// </summary>
/// <remarks>usage: bench --search-cpu [--allegations N] [--data DIR] [--index DIR] [--queries FILE] [--rounds R] [--only index|handler|json]</remarks>
internal static class SearchCpuBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var arguments = args.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => p.i);
        string Arg(string name, string fallback) => arguments.TryGetValue(name, out var i) && i + 1 < args.Length ? args[i + 1] : fallback;
        var allegations = Arg("--allegations", "1000000");
        var dataRoot = Arg("--data", Path.Combine(Path.GetTempPath(), "openconduct-bench"));
        var indexFolder = Arg("--index", Path.Combine(dataRoot, $"http-opcr-{allegations}", "index"));
        var queriesFile = Arg("--queries", Path.Combine(dataRoot, $"http-opcr-{allegations}", "queries.txt"));
        var rounds = int.Parse(Arg("--rounds", "5"), CultureInfo.InvariantCulture);
        var only = Arg("--only", "");
        if (!Directory.Exists(indexFolder) || !File.Exists(queriesFile))
        {
            Console.Error.WriteLine($"search-cpu: needs the index folder {indexFolder} and the query list {queriesFile} " +
                "(scripts/bench.sh --http builds the index; scripts/load.sh --release-folder .../releases --prepare DIR writes DIR/queries.txt)");
            return 2;
        }

        var queries = File.ReadAllLines(queriesFile).Where(q => q.Length > 0).ToArray();
        var opened = Stopwatch.StartNew();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var index = new LuceneOfficerIndex(indexFolder);
        var openSeconds = opened.Elapsed.TotalSeconds;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"search-cpu: {index.Count:N0} officers ({indexFolder}), {queries.Length:N0} queries, {rounds} passes, .NET {Environment.Version}, {Environment.ProcessorCount} cores, load average {LoadAverage()}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"open: {openSeconds * 1000:0} ms; managed heap held by the open index: {(heapAfter - heapBefore) / 1e6:0.0} MB"));

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddLogging()
            .AddOpenConductApi()
            .AddSingleton<IOfficerIndex>(index)
            .BuildServiceProvider();
        var body = new MemoryStream();
        long responseBytes = 0;

        async Task Index(string q) => await index.SearchAsync(new OfficerQuery { Text = q, Take = OfficersApi.PageSize });

        async Task Handler(string q)
        {
            var context = new DefaultHttpContext { RequestServices = services };
            context.Request.QueryString = QueryString.Create("q", q);
            body.SetLength(0);
            context.Response.Body = body;
            var result = await OfficersApi.SearchAsync(context, index, q, null, null, CancellationToken.None);
            await result.Result.ExecuteAsync(context);
            if (context.Response.StatusCode != StatusCodes.Status200OK)
            {
                throw new InvalidOperationException($"status {context.Response.StatusCode} for a query");
            }

            responseBytes += body.Length;
        }

        // The JSON alone: the answers of the queries' first pages, written as the hosts write them, each 20 times.
        if (only.Length == 0 || only == "json")
        {
            var json = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            var typeInfo = json.GetTypeInfo(typeof(OfficerSearchResponse));
            var answers = new List<OfficerSearchResponse>();
            foreach (var q in queries.Take(1000))
            {
                var result = await OfficersApi.SearchAsync(new DefaultHttpContext { RequestServices = services }, index, q, null, null, CancellationToken.None);
                if (result.Result is IValueHttpResult { Value: OfficerSearchResponse answer })
                {
                    answers.Add(answer);
                }
            }

            using var buffer = new MemoryStream();
            var writerOptions = new System.Text.Json.JsonWriterOptions { Encoder = json.Encoder, SkipValidation = true };
            foreach (var (how, write) in new (string, Action<OfficerSearchResponse>)[]
            {
                ("serializer (TypedResults.Ok)", answer => System.Text.Json.JsonSerializer.Serialize(buffer, answer, typeInfo)),
                ("OfficerSearchOk.Write", answer =>
                {
                    using var writer = new System.Text.Json.Utf8JsonWriter(buffer, writerOptions);
                    OfficerSearchOk.Write(writer, answer);
                }),
            })
            {
                double best = double.MaxValue;
                for (var round = 0; round < 5; round++)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    for (var repeat = 0; repeat < 20; repeat++)
                    {
                        foreach (var answer in answers)
                        {
                            buffer.SetLength(0);
                            write(answer);
                        }
                    }

                    best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalMicroseconds / (20.0 * answers.Count));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"json, {how}: {best:0.00} µs per answer (best of 5 passes over {answers.Count:N0} answers, {answers.Average(a => a.Officers.Count):0.0} officers each)"));
            }
        }

        foreach (var (name, action) in new (string, Func<string, Task>)[] { ("index", Index), ("handler", Handler) })
        {
            if (only.Length > 0 && only != name)
            {
                continue;
            }

            // Warm-up pass (tiered compilation, and whatever a generation remembers from earlier queries), then R passes.
            foreach (var q in queries)
            {
                await action(q);
            }

            responseBytes = 0;
            var times = queries.Select(q => (Query: q, Times: new List<double>(rounds))).ToArray();
            var cpu = new List<double>();
            long allocated = 0;
            for (var round = 0; round < rounds; round++)
            {
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var bytes0 = GC.GetAllocatedBytesForCurrentThread();
                foreach (var (q, list) in times)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    await action(q);
                    list.Add(Stopwatch.GetElapsedTime(t0).TotalMicroseconds);
                }

                allocated += GC.GetAllocatedBytesForCurrentThread() - bytes0;
                cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMicroseconds / queries.Length);
            }

            Console.WriteLine();
            var response = name == "handler" ? string.Create(CultureInfo.InvariantCulture, $"; response {responseBytes / (double)(rounds * queries.Length):0} bytes on average") : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: process CPU per query {cpu.Min():0.0}-{cpu.Max():0.0} µs over the passes; allocated {allocated / (double)(rounds * queries.Length) / 1024:0.00} KB per query{response}"));
            Console.WriteLine($"{"kind",-22} {"queries",8} {"mean µs",9} {"p50 µs",8} {"p99 µs",8} {"share",7}");
            var total = times.Sum(t => t.Times.Sum());
            foreach (var group in times.GroupBy(t => Kind(t.Query)).OrderBy(g => g.Key, StringComparer.Ordinal).Prepend(times.GroupBy(_ => "all").Single()))
            {
                var all = group.SelectMany(g => g.Times).Order().ToArray();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{group.Key,-22} {group.Count(),8:N0} {all.Average(),9:0.0} {all[all.Length / 2],8:0.0} {all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))],8:0.0} {all.Sum() / total,7:P0}"));
            }
        }

        return 0;
    }

    private static string Kind(string q)
    {
        if (q.All(char.IsAsciiDigit))
        {
            return "badge";
        }

        var words = OfficerSearchRules.Words(q);
        if (words.Count == 1 && !q.Contains(' ', StringComparison.Ordinal))
        {
            var length = OfficerSearchRules.CodePointCount(words[0]);
            return length <= 2 ? "prefix 1-2" : length <= 5 ? "prefix 3-5" : "one word 6+";
        }

        return "names (whole, misspelt)";
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
