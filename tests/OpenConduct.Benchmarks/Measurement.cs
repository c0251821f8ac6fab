using System.Diagnostics;
using System.Globalization;

/// <summary>One timed run of a benchmark's action, with the largest managed heap seen while it ran.</summary>
internal static class Measurement
{
    /// <summary>
    /// Runs <paramref name="action"/> after a full collection, sampling <see cref="GC.GetTotalMemory(bool)"/> every 5 ms;
    /// returns its time, the count it returned and the peak heap. With BENCH_GC set, prints the collector's pauses too.
    /// </summary>
    public static (double Seconds, long Count, long Heap) Measure(Func<long> action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long peak = 0;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(() =>
        {
            while (!done.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(false));
                Thread.Sleep(5);
            }
        });
        var pauses = GC.GetTotalPauseDuration();
        var stopwatch = Stopwatch.StartNew();
        var count = action();
        var seconds = stopwatch.Elapsed.TotalSeconds;
        if (Environment.GetEnvironmentVariable("BENCH_GC") is not null)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {seconds:0.000}s, GC pauses {(GC.GetTotalPauseDuration() - pauses).TotalSeconds:0.000}s"));
        }

        done.Cancel();
        sampler.Wait();
        return (seconds, count, peak);
    }
}
