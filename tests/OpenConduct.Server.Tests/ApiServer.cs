using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>
/// <c>openconduct serve</c> running as a process on a free loopback port: over a release folder and an index, or with
/// any other arguments and environment (e.g. the pipeline on Azurite). Everything it writes is kept in <see cref="Output"/>.
/// </summary>
internal sealed class ApiServer : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();

    private ApiServer(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>What the server wrote to standard output and error so far (its log).</summary>
    public string Output => string.Join('\n', output);

    public static Task<ApiServer> StartAsync(string releases, string index, params string[] more) =>
        StartAsync(["serve", "--releases", releases, "--index", index, .. more]);

    /// <summary>Starts <c>openconduct</c> with these arguments and <c>--urls</c> on a free port, and waits until it answers.</summary>
    public static async Task<ApiServer> StartAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "openconduct.dll") }.Concat(arguments).Concat(["--urls", $"http://127.0.0.1:{port}"]))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start)!;
        var server = new ApiServer(process, baseAddress);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/api/health/live")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await Task.Delay(200);
                server.Dispose();
                throw new InvalidOperationException("the server did not start: " + server.Output);
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Waits until the server's log has a line containing <paramref name="text"/>.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!output.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no log line with '{text}' within {timeout}: " + Output);
            }

            await Task.Delay(200);
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }

        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
