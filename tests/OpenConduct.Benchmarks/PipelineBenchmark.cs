using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using OpenConduct.Azure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Release;
using OpenConduct.Core.Sources;
using static System.FormattableString;

internal sealed record PipelineBenchmarkOptions
{
    public required string RepoRoot { get; init; }

    /// <summary>Where the synthetic exports are generated once and reused (<c>{DataRoot}/iau-{N}</c>).</summary>
    public required string DataRoot { get; init; }

    public int Allegations { get; init; } = 1_000_000;

    /// <summary>Full refreshes, each on fresh storage (a new prefix); the summary keeps the best of them.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>Conditional-GET no-ops per run (best and median printed).</summary>
    public int NoOpRepeat { get; init; } = 5;

    /// <summary>Forces a full collection at the steps of processing to print the memory the records really hold (adds their time to the figures).</summary>
    public bool Live { get; init; }
}

/// <summary>
/// The pipeline end to end on Azurite, with baselines measured in the same process: the IAU export served by a local
/// Kestrel server as an HTTP source (strong ETag, Last-Modified, 304 on If-None-Match, the file streamed), pulled into
/// <c>exports-raw</c> and processed into a release (a full refresh), then refreshed again with nothing new: a
/// conditional GET answered 304, and a new ETag on the same bytes (downloaded, hashed, found identical).
/// Baselines: File.Copy, SHA-256 of the file, a plain HTTP GET to a file, one plain blob upload and download.
/// Every run has its own storage prefix (containers and tables deleted at the end).
/// </summary>
internal static class PipelineBenchmark
{
    private const string PseudonymKey = "openconduct-bench-pseudonym-key-0123456789";
    private const int HashNoOpRepeat = 3;
    private const string ExportName = "IAPro_export.csv";

    public static async Task<int> RunAsync(PipelineBenchmarkOptions options)
    {
        var connection = Environment.GetEnvironmentVariable("OPENCONDUCT_AZURITE") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";
        var (blobEndpoint, tableEndpoint) = Endpoints(connection);
        if (!await AnswersAsync(blobEndpoint) || !await AnswersAsync(tableEndpoint))
        {
            Console.Error.WriteLine(Invariant(
                $"bench --pipeline: Azurite is not reachable (blobs {blobEndpoint}, tables {tableEndpoint}). Start it with scripts/azurite.sh start, or set OPENCONDUCT_AZURITE to the connection string of a running instance."));
            return 2;
        }

        var exportPath = Path.Combine(BenchExports.Ensure(options.DataRoot, "iau", options.Allegations), ExportName);
        var bytes = new FileInfo(exportPath).Length;
        using var cancel = new CancellationTokenSource();
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true; // let the run stop and delete its storage
            cancel.Cancel();
        }

        Console.CancelKeyPress += OnCancel;
        try
        {
            Console.WriteLine(Invariant(
                $"OpenConduct pipeline benchmark: IAU export, {options.Allegations:N0} allegations, {ExportName} {bytes / 1e6:0.0} MB, {options.Repeat} full refresh(es), .NET {Environment.Version}, {Environment.ProcessorCount} cores"));
            Console.WriteLine(Invariant($"storage: {blobEndpoint} (blobs), {tableEndpoint} (tables); export served from {exportPath}"));

            await using var server = await ExportServer.StartAsync(exportPath);
            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var source = new SourceDefinition
            {
                Id = "iau",
                Kind = SourceKind.Http,
                Url = server.Url,
                Profile = Path.Combine(options.RepoRoot, "samples", "profiles", "iau.json"),
                Policy = Path.Combine(options.RepoRoot, "samples", "policies", "minnesota.json"),
            };
            Console.WriteLine(Invariant($"source: {source.Url} (Kestrel on 127.0.0.1, in this process)"));

            var runs = new List<RunFigures>();
            for (var run = 1; run <= options.Repeat; run++)
            {
                var figures = await RunOnceAsync(run, connection, server, source, http, exportPath, bytes, options, cancel.Token);
                if (figures is null)
                {
                    return 1;
                }

                runs.Add(figures);
            }

            PrintSummary(runs, bytes, options);
            return 0;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            Console.Error.WriteLine("bench --pipeline: cancelled");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
    }

    private static async Task<RunFigures?> RunOnceAsync(
        int run, string connection, ExportServer server, SourceDefinition source, HttpClient http, string exportPath, long bytes, PipelineBenchmarkOptions options, CancellationToken cancellationToken)
    {
        var prefix = "bench" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var storage = OpenConductStorage.Create(connection, new StorageOptions { Prefix = prefix });
        var scratch = Path.Combine(Path.GetTempPath(), "openconduct-bench-" + prefix);
        Directory.CreateDirectory(scratch);
        Console.WriteLine();
        Console.WriteLine(Invariant($"run {run} of {options.Repeat}: storage prefix '{prefix}'"));
        try
        {
            await storage.EnsureCreatedAsync(cancellationToken);
            server.NewVersion();
            var figures = new RunFigures();

            // (4) Baselines: the same bytes moved by the plainest code, in this process, just before the pipeline;
            // each twice (the first warms up the JIT and the connections), the faster kept.
            Console.WriteLine("  baselines (each twice, the faster kept)");
            var copy = Path.Combine(scratch, "copy.csv");
            figures.Copy = await BaselineAsync("File.Copy to a temp file", () =>
            {
                File.Copy(exportPath, copy, overwrite: true);
                return Task.CompletedTask;
            }, () => File.Delete(copy));
            figures.Sha256 = await BaselineAsync("SHA-256 of the file", async () =>
            {
                await using var stream = new FileStream(exportPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                _ = await SHA256.HashDataAsync(stream, cancellationToken);
            });
            var got = Path.Combine(scratch, "get.csv");
            figures.HttpGet = await BaselineAsync("HTTP GET to a file (HttpClient, Kestrel)", async () =>
            {
                using var response = await http.GetAsync(server.Url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                await using var file = new FileStream(got, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await body.CopyToAsync(file, cancellationToken);
            }, () => File.Delete(got));
            var blob = storage.BlobService.GetBlobContainerClient(storage.Options.ContainerName(storage.Options.RawContainer)).GetBlobClient("_baseline/" + ExportName);
            figures.Upload = await BaselineAsync("blob upload (BlobClient.UploadAsync)", async () =>
            {
                await using var stream = new FileStream(exportPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
                await blob.UploadAsync(stream, overwrite: true, cancellationToken);
            });
            var downloaded = Path.Combine(scratch, "download.csv");
            figures.Download = await BaselineAsync("blob download (BlobClient.DownloadToAsync)", () => blob.DownloadToAsync(downloaded, cancellationToken), () => File.Delete(downloaded));
            await blob.DeleteIfExistsAsync(cancellationToken: cancellationToken);

            // (1) Full refresh: pull (download to staging + SHA-256, upload to exports-raw), then process.
            var pull = new PullService(storage.Containers, storage.Ledger, SourceConnectors.Create(http));
            Console.WriteLine("  (1) full refresh: pull");
            var pullProgress = new TimedProgress(echo: true);
            PullReport? pulled = null;
            figures.Pull = await MeasureAsync("pull", async () => pulled = await pull.PullAsync(source, "bench", force: true, pullProgress, cancellationToken), pullProgress);
            if (pulled!.Outcome != PullOutcome.Pulled)
            {
                Console.Error.WriteLine(Invariant($"bench --pipeline: the pull ended {pulled.Outcome}: {pulled.Message}"));
                return null;
            }

            figures.PullSteps = pullProgress.Steps(figures.Pull.Seconds,
                ("ledger read", null, Mark(": pulling ")),
                ("HTTP download + SHA-256 to staging", Mark(": GET "), Mark(": received ")),
                ("upload to exports-raw", Mark(": received "), Mark(": stored ")),
                ("raw manifest + ledger + staging cleanup", Mark(": stored "), null));

            Console.WriteLine("  (1) full refresh: process");
            var live = new LiveMemory(options.Live);
            var processProgress = new TimedProgress(echo: true, live.At);
            var process = new ProcessService(storage.Containers, storage.Releases, storage.Ledger, new PublisherOptions(),
                name => name == "OPENCONDUCT_PSEUDONYM_KEY" ? PseudonymKey : null);
            ProcessReport? processed = null;
            figures.Process = await MeasureAsync("process", async () =>
                processed = await process.ProcessAsync(source, pulled.RawPrefix!, "bench", processProgress, processProgress, cancellationToken), processProgress);
            if (processed!.Outcome != ProcessOutcome.Published)
            {
                Console.Error.WriteLine(Invariant($"bench --pipeline: processing ended {processed.Outcome}: {processed.Error}"));
                return null;
            }

            figures.ProcessSteps = processProgress.Steps(figures.Process.Seconds,
                ("download from raw + SHA-256 check (+ lease)", null, Mark(": read ")),
                ("profile, policy, latest pointer", Mark(": read "), Mark(": importing ")),
                ("import", Mark(": importing "), Mark(": redacting ")),
                ("redaction", Mark(": redacting "), Mark(": building release ")),
                ("build: write + upload the artefacts", Mark(": building release "), Mark(": wrote ", last: true)),
                ("release manifest + latest", Mark(": wrote ", last: true), Mark(" is live ")),
                ("ledger", Mark(" is live "), null));
            figures.Live = live;
            var publish = processed.Publish!;
            figures.Artefacts = publish.Contents?.Artefacts.Count ?? 0;
            figures.ArtefactBytes = publish.Contents?.Artefacts.Sum(a => a.Bytes) ?? 0;
            figures.Counts = publish.Manifest?.Counts;
            figures.RowsRead = publish.Import?.RowsRead ?? 0;
            Console.WriteLine(Invariant(
                $"    release {publish.ReleaseId}: {figures.RowsRead:N0} rows read, {figures.Counts?.Complaints:N0} complaints, {figures.Counts?.Allegations:N0} allegations, {figures.Counts?.Officers:N0} officers; {figures.Artefacts} artefacts, {figures.ArtefactBytes / 1e6:0.0} MB"));
            live.Print();

            // (2) No-op by conditional GET: the server answers 304 to the ETag the first pull recorded.
            Console.WriteLine(Invariant($"  (2) no-op refresh, conditional GET ({options.NoOpRepeat} times)"));
            for (var i = 0; i < options.NoOpRepeat; i++)
            {
                PullReport? report = null;
                var phase = await MeasureAsync("pull (304)", async () => report = await pull.PullAsync(source, "bench", force: true, cancellationToken: cancellationToken));
                if (report!.Outcome != PullOutcome.Unchanged || !report.Message!.Contains("conditional GET", StringComparison.Ordinal))
                {
                    Console.Error.WriteLine(Invariant($"bench --pipeline: expected a conditional-GET no-op, got {report.Outcome}: {report.Message}"));
                    return null;
                }

                figures.NotModified.Add(phase);
            }

            // (3) No-op by hash: a new ETag on the same bytes; downloaded and hashed, then found identical.
            Console.WriteLine(Invariant($"  (3) no-op refresh, new ETag on the same bytes ({HashNoOpRepeat} times)"));
            for (var i = 0; i < HashNoOpRepeat; i++)
            {
                server.NewVersion();
                PullReport? report = null;
                var progress = new TimedProgress(echo: false);
                var phase = await MeasureAsync("pull (same SHA-256)", async () => report = await pull.PullAsync(source, "bench", force: true, progress, cancellationToken), progress);
                if (report!.Outcome != PullOutcome.Unchanged || !report.Message!.Contains("same SHA-256", StringComparison.Ordinal))
                {
                    Console.Error.WriteLine(Invariant($"bench --pipeline: expected a same-hash no-op, got {report.Outcome}: {report.Message}"));
                    return null;
                }

                figures.SameHash.Add(phase);
            }

            Console.WriteLine(Invariant($"    server so far: {server.Full} full responses (200), {server.NotModified} not-modified (304)"));
            return figures;
        }
        finally
        {
            await DeleteAsync(storage);
            if (Directory.Exists(scratch))
            {
                Directory.Delete(scratch, recursive: true);
            }
        }
    }

    private static void PrintSummary(List<RunFigures> runs, long bytes, PipelineBenchmarkOptions options)
    {
        static Phase Best(IEnumerable<Phase> phases) => phases.MinBy(p => p.Seconds)!;
        var mb = bytes / 1e6;
        var copy = Best(runs.Select(r => r.Copy));
        var sha = Best(runs.Select(r => r.Sha256));
        var get = Best(runs.Select(r => r.HttpGet));
        var upload = Best(runs.Select(r => r.Upload));
        var download = Best(runs.Select(r => r.Download));
        var pull = Best(runs.Select(r => r.Pull));
        var process = Best(runs.Select(r => r.Process));
        var full = runs.MinBy(r => r.Pull.Seconds + r.Process.Seconds)!;
        var notModified = runs.SelectMany(r => r.NotModified).Select(p => p.Seconds).Order().ToList();
        var sameHash = runs.SelectMany(r => r.SameHash).Select(p => p.Seconds).Order().ToList();
        var peak = runs.Max(r => r.Process.ProcessPeakWorkingSet);

        Console.WriteLine();
        Console.WriteLine(Invariant($"Summary: {options.Allegations:N0} allegations, {mb:0.0} MB, best of {runs.Count} run(s)"));
        Console.WriteLine(Invariant($"  {"",-48} {"seconds",9} {"MB/s",7} {"alloc MB",9} {"heap MB",8} {"WS MB",7} {"GC pause",9}"));
        void Row(string label, Phase p) => Console.WriteLine(Invariant(
            $"  {label,-48} {p.Seconds,9:0.000} {mb / p.Seconds,7:0} {p.Allocated / 1e6,9:0} {p.MaxHeap / 1e6,8:0} {p.MaxWorkingSet / 1e6,7:0} {p.GcPause,8:0.000}s"));
        Row("baseline: File.Copy to a temp file", copy);
        Row("baseline: SHA-256 of the file", sha);
        Row("baseline: HTTP GET to a file", get);
        Row("baseline: blob upload (BlobClient.UploadAsync)", upload);
        Row("baseline: blob download (DownloadToAsync)", download);
        Row("(1) pull: download + SHA-256 + upload to raw", pull);
        foreach (var (label, seconds) in runs.MinBy(r => r.Pull.Seconds)!.PullSteps)
        {
            Console.WriteLine(Invariant($"      {label,-44} {seconds,9:0.000}"));
        }

        Row("(1) process: raw -> import -> redact -> release", process);
        foreach (var (label, seconds) in runs.MinBy(r => r.Process.Seconds)!.ProcessSteps)
        {
            Console.WriteLine(Invariant($"      {label,-44} {seconds,9:0.000}"));
        }

        Console.WriteLine(Invariant($"  {"(1) full refresh: pull + process",-48} {full.Pull.Seconds + full.Process.Seconds,9:0.000}"));
        Console.WriteLine(Invariant($"      peak working set of the process (PeakWorkingSet64 after processing): {peak / 1e6:0} MB"));
        Console.WriteLine(Invariant($"      GC total allocated: pull {pull.Allocated / 1e6:0} MB, process {process.Allocated / 1e6:0} MB"));
        Console.WriteLine(Invariant(
            $"  {"(2) no-op, conditional GET (304)",-48} best {notModified[0],7:0.000} s, median {Median(notModified),7:0.000} s ({notModified.Count} pulls){(Median(notModified) < 1 ? "" : "  ABOVE the 1 s target")}"));
        Console.WriteLine(Invariant(
            $"  {"(3) no-op, new ETag, same SHA-256",-48} best {sameHash[0],7:0.000} s, median {Median(sameHash),7:0.000} s ({sameHash.Count} pulls), {mb / sameHash[0]:0} MB/s"));

        Console.WriteLine();
        Console.WriteLine("Ratios (best against best):");
        void Ratio(string label, double seconds, double baseline) => Console.WriteLine(Invariant($"  {label,-62} {seconds / baseline,6:0.00}x"));
        var pullDownload = StepOf(runs.MinBy(r => r.Pull.Seconds)!.PullSteps, "HTTP download");
        var pullUpload = StepOf(runs.MinBy(r => r.Pull.Seconds)!.PullSteps, "upload to exports-raw");
        var processDownload = StepOf(runs.MinBy(r => r.Process.Seconds)!.ProcessSteps, "download from raw");
        Ratio("pull / plain blob upload", pull.Seconds, upload.Seconds);
        Ratio("pull / (plain HTTP GET + plain blob upload)", pull.Seconds, get.Seconds + upload.Seconds);
        if (pullDownload is { } d)
        {
            Ratio("pull's download + SHA-256 step / plain HTTP GET", d, get.Seconds);
        }

        if (pullUpload is { } u)
        {
            Ratio("pull's upload step / plain blob upload", u, upload.Seconds);
        }

        if (processDownload is { } pd)
        {
            Ratio("process's download + SHA-256 check step / plain blob download", pd, download.Seconds);
        }

        Ratio("process / plain blob upload", process.Seconds, upload.Seconds);
        Ratio("full refresh / plain blob upload", full.Pull.Seconds + full.Process.Seconds, upload.Seconds);
        Ratio("full refresh / File.Copy", full.Pull.Seconds + full.Process.Seconds, copy.Seconds);
        Ratio("no-op by hash / plain HTTP GET", sameHash[0], get.Seconds);
        Ratio("no-op by hash / SHA-256 of the file", sameHash[0], sha.Seconds);

        Console.WriteLine();
        Console.WriteLine("alloc MB = GC.GetTotalAllocatedBytes during the step (every thread: the Kestrel server and the sampler too);");
        Console.WriteLine("heap MB / WS MB = the largest managed heap (GC.GetTotalMemory) / working set seen during the step, sampled every 20 ms;");
        Console.WriteLine("GC pause = GC.GetTotalPauseDuration during the step. The server runs in this process and shares its 2 cores with the client.");
        if (options.Live)
        {
            Console.WriteLine("--live: processing forced full collections at its steps; its times include them.");
        }
    }

    private static double? StepOf(IReadOnlyList<(string Label, double Seconds)> steps, string startsWith) =>
        steps.Where(s => s.Label.StartsWith(startsWith, StringComparison.Ordinal)).Select(s => (double?)s.Seconds).FirstOrDefault();

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static ProgressMark Mark(string contains, bool last = false) => new(contains, last);

    private static async Task<Phase> BaselineAsync(string name, Func<Task> action, Action? after = null)
    {
        var phases = new List<Phase>();
        for (var pass = 0; pass < 2; pass++)
        {
            phases.Add(await MeasureAsync(name, action));
            after?.Invoke();
        }

        return phases.MinBy(p => p.Seconds)!;
    }

    /// <summary>Times one step after a full collection; memory sampled on a dedicated thread while it runs.</summary>
    private static async Task<Phase> MeasureAsync(string name, Func<Task> action, TimedProgress? progress = null)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var sampler = MemorySampler.Start();
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var pauses = GC.GetTotalPauseDuration();
        var gen2 = GC.CollectionCount(2);
        progress?.Restart();
        var stopwatch = Stopwatch.StartNew();
        await action();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        var phase = new Phase(
            name,
            seconds,
            GC.GetTotalAllocatedBytes(precise: true) - allocated,
            (GC.GetTotalPauseDuration() - pauses).TotalSeconds,
            GC.CollectionCount(2) - gen2,
            sampler.Stop(out var heap),
            heap,
            PeakWorkingSet());
        Console.WriteLine(Invariant(
            $"    {name,-44} {seconds,9:0.000} s  alloc {phase.Allocated / 1e6,7:0} MB  heap max {phase.MaxHeap / 1e6,6:0} MB  WS max {phase.MaxWorkingSet / 1e6,6:0} MB  GC pause {phase.GcPause:0.000} s ({phase.Gen2} gen2)  process peak WS {phase.ProcessPeakWorkingSet / 1e6:0} MB"));
        return phase;
    }

    private static long PeakWorkingSet()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.PeakWorkingSet64;
    }

    private static async Task DeleteAsync(OpenConductStorage storage)
    {
        try
        {
            foreach (var name in storage.Options.ContainerNames)
            {
                await storage.BlobService.GetBlobContainerClient(name).DeleteIfExistsAsync();
            }

            foreach (var name in storage.Options.TableNames)
            {
                await storage.TableService.DeleteTableAsync(name);
            }

            Console.WriteLine(Invariant($"  deleted the containers and tables of prefix '{storage.Options.Prefix}'"));
        }
        catch (Exception e) when (e is global::Azure.RequestFailedException or HttpRequestException)
        {
            Console.Error.WriteLine(Invariant($"  could not delete the storage of prefix '{storage.Options.Prefix}': {e.Message}"));
        }
    }

    private static async Task<bool> AnswersAsync(Uri endpoint)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The blob and table endpoints of a connection string (development storage: 127.0.0.1:10000 and :10002).</summary>
    private static (Uri Blob, Uri Table) Endpoints(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        Uri Of(string key, string service, int developmentPort) =>
            parts.TryGetValue(key, out var endpoint) ? new Uri(endpoint)
            : parts.TryGetValue("AccountName", out var account) && !parts.ContainsKey("UseDevelopmentStorage")
                ? new Uri($"https://{account}.{service}.{parts.GetValueOrDefault("EndpointSuffix", "core.windows.net")}")
                : new Uri(Invariant($"http://127.0.0.1:{developmentPort}"));
        return (Of("BlobEndpoint", "blob", 10000), Of("TableEndpoint", "table", 10002));
    }
}

internal sealed record Phase(string Name, double Seconds, long Allocated, double GcPause, int Gen2, long MaxWorkingSet, long MaxHeap, long ProcessPeakWorkingSet);

internal sealed class RunFigures
{
    public Phase Copy { get; set; } = null!;
    public Phase Sha256 { get; set; } = null!;
    public Phase HttpGet { get; set; } = null!;
    public Phase Upload { get; set; } = null!;
    public Phase Download { get; set; } = null!;
    public Phase Pull { get; set; } = null!;
    public Phase Process { get; set; } = null!;
    public IReadOnlyList<(string Label, double Seconds)> PullSteps { get; set; } = [];
    public IReadOnlyList<(string Label, double Seconds)> ProcessSteps { get; set; } = [];
    public List<Phase> NotModified { get; } = [];
    public List<Phase> SameHash { get; } = [];
    public LiveMemory? Live { get; set; }
    public int Artefacts { get; set; }
    public long ArtefactBytes { get; set; }
    public long RowsRead { get; set; }
    public ReleaseCounts? Counts { get; set; }
}

/// <summary>A progress message to find: the first (or last) one containing the text.</summary>
internal sealed record ProgressMark(string Contains, bool Last);

/// <summary>
/// Timestamps the pipeline's progress messages (and the import's) from the start of the measured step, prints them,
/// and derives the duration of the steps between two messages. Reports synchronously, on the reporting thread.
/// </summary>
internal sealed class TimedProgress(bool echo, Action<string>? hook = null) : IProgress<string>, IProgress<ImportProgress>
{
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly List<(double Seconds, string Message)> lines = [];

    public void Restart()
    {
        lock (lines)
        {
            lines.Clear();
            clock.Restart();
        }
    }

    public void Report(string value)
    {
        var seconds = clock.Elapsed.TotalSeconds;
        lock (lines)
        {
            lines.Add((seconds, value));
        }

        hook?.Invoke(value);

        // The connector's "N bytes received" every 16 MB are kept (for the steps) but not printed.
        if (echo && !value.EndsWith(" bytes received", StringComparison.Ordinal))
        {
            Console.WriteLine(Invariant($"      {seconds,8:0.000} s  {value}"));
        }
    }

    public void Report(ImportProgress value)
    {
        if (echo)
        {
            Console.WriteLine(Invariant($"      {clock.Elapsed.TotalSeconds,8:0.000} s  import: {value.Rows:N0} rows, {value.Bytes / 1e6:0} of {value.TotalBytes / 1e6:0} MB"));
        }
    }

    /// <summary>The duration of each step from its start message (null: the start) to its end message (null: <paramref name="total"/>); steps whose messages were not seen are left out.</summary>
    public IReadOnlyList<(string Label, double Seconds)> Steps(double total, params (string Label, ProgressMark? From, ProgressMark? To)[] steps)
    {
        List<(double Seconds, string Message)> seen;
        lock (lines)
        {
            seen = [.. lines];
        }

        double? At(ProgressMark? mark, double fallback)
        {
            if (mark is null)
            {
                return fallback;
            }

            var matches = seen.Where(l => l.Message.Contains(mark.Contains, StringComparison.Ordinal)).Select(l => (double?)l.Seconds);
            return mark.Last ? matches.LastOrDefault() : matches.FirstOrDefault();
        }

        var result = new List<(string, double)>();
        foreach (var (label, from, to) in steps)
        {
            if (At(from, 0) is { } start && At(to, total) is { } end)
            {
                result.Add((label, end - start));
                Console.WriteLine(Invariant($"      step {label,-44} {end - start,8:0.000} s"));
            }
        }

        return result;
    }
}

/// <summary>
/// --live: forces a full collection when processing starts the redaction (the canonical records are all in memory),
/// the build (the redacted records; the canonical ones abandoned) and the release goes live, and keeps the live heap.
/// </summary>
internal sealed class LiveMemory(bool enabled)
{
    private readonly List<(string Moment, long Bytes)> readings = [];
    private double seconds;

    public void At(string message)
    {
        if (!enabled)
        {
            return;
        }

        var moment = message.Contains(": redacting ", StringComparison.Ordinal) ? "after the import (canonical records)"
            : message.Contains(": building release ", StringComparison.Ordinal) ? "after the redaction (redacted records)"
            : message.Contains(" is live ", StringComparison.Ordinal) ? "after the build (release written)"
            : null;
        if (moment is not null)
        {
            var started = Stopwatch.GetTimestamp();
            readings.Add((moment, GC.GetTotalMemory(forceFullCollection: true)));
            seconds += Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
    }

    public void Print()
    {
        foreach (var (moment, bytes) in readings)
        {
            Console.WriteLine(Invariant($"    live heap {moment,-40} {bytes / 1e6,8:0} MB"));
        }

        if (readings.Count > 0)
        {
            Console.WriteLine(Invariant($"    (the forced collections took {seconds:0.000} s, included in the process time)"));
        }
    }
}

/// <summary>Samples the working set and the managed heap every 20 ms on a dedicated thread.</summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Thread thread;
    private volatile bool stopped;
    private long maxWorkingSet;
    private long maxHeap;

    private MemorySampler()
    {
        thread = new Thread(Sample) { IsBackground = true, Name = "memory sampler" };
    }

    public static MemorySampler Start()
    {
        var sampler = new MemorySampler();
        sampler.thread.Start();
        return sampler;
    }

    public long Stop(out long heap)
    {
        stopped = true;
        thread.Join();
        heap = maxHeap;
        return maxWorkingSet;
    }

    public void Dispose()
    {
        if (!stopped)
        {
            stopped = true;
            thread.Join();
        }
    }

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        do
        {
            process.Refresh();
            maxWorkingSet = Math.Max(maxWorkingSet, process.WorkingSet64);
            maxHeap = Math.Max(maxHeap, GC.GetTotalMemory(forceFullCollection: false));
            Thread.Sleep(20);
        }
        while (!stopped);

        process.Refresh();
        maxWorkingSet = Math.Max(maxWorkingSet, process.WorkingSet64);
        maxHeap = Math.Max(maxHeap, GC.GetTotalMemory(forceFullCollection: false));
    }
}

/// <summary>
/// The export as an HTTP source: Kestrel on 127.0.0.1 (an ephemeral port) serving one file, streamed from disk, with
/// a strong ETag and Last-Modified; If-None-Match with the current ETag (or, without it, If-Modified-Since not older
/// than the file) is answered 304. <see cref="NewVersion"/> changes the ETag and nothing else.
/// </summary>
internal sealed class ExportServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string path;
    private readonly long length;
    private readonly DateTimeOffset lastModified;
    private readonly string stamp;
    private string etag = "";
    private int version;
    private int full;
    private int notModified;

    private ExportServer(string path)
    {
        this.path = path;
        var info = new FileInfo(path);
        length = info.Length;
        var written = new DateTimeOffset(info.LastWriteTimeUtc);
        lastModified = written.AddTicks(-(written.Ticks % TimeSpan.TicksPerSecond)); // HTTP dates have whole seconds
        stamp = Invariant($"{length:x}-{lastModified.ToUnixTimeSeconds():x}");
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.Urls.Add("http://127.0.0.1:0");
        app.Run(HandleAsync);
    }

    /// <summary><c>http://127.0.0.1:{port}/exports/IAPro_export.csv</c></summary>
    public Uri Url { get; private set; } = null!;

    public string ETag => Volatile.Read(ref etag);

    public int Full => Volatile.Read(ref full);

    public int NotModified => Volatile.Read(ref notModified);

    public static async Task<ExportServer> StartAsync(string path)
    {
        var server = new ExportServer(path);
        server.NewVersion();
        await server.app.StartAsync();
        var address = server.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Url = new Uri(new Uri(address.TrimEnd('/') + "/"), "exports/" + Path.GetFileName(path));
        return server;
    }

    /// <summary>A new strong ETag for the same bytes.</summary>
    public void NewVersion() => Volatile.Write(ref etag, Invariant($"\"{stamp}-v{Interlocked.Increment(ref version)}\""));

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsGet(request.Method) || request.Path.Value != Url.AbsolutePath)
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var current = ETag;
        response.Headers.ETag = current;
        response.Headers.LastModified = lastModified.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        var ifNoneMatch = request.Headers.IfNoneMatch;
        var unchanged = !StringValues.IsNullOrEmpty(ifNoneMatch)
            ? Matches(ifNoneMatch, current)
            : request.GetTypedHeaders().IfModifiedSince is { } since && since >= lastModified;
        if (unchanged)
        {
            Interlocked.Increment(ref notModified);
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        Interlocked.Increment(ref full);
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/csv";
        response.ContentLength = length;
        await response.SendFileAsync(path, 0, length, context.RequestAborted);
    }

    /// <summary>If-None-Match uses the weak comparison: W/"x" matches "x"; "*" matches any.</summary>
    private static bool Matches(StringValues ifNoneMatch, string etag) =>
        ifNoneMatch.SelectMany(v => (v ?? "").Split(',')).Select(t => t.Trim())
            .Any(t => t == "*" || t == etag || t == "W/" + etag);
}
