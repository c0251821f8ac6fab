using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;

namespace OpenConduct.Server.Tests;

/// <summary>Runs the built openconduct.dll as a process from the repository root, as the README runs it.</summary>
internal static class Cli
{
    public static readonly string Repo = FindRepo();

    /// <summary>The environment of a run that redacts: the policy's pseudonymization key.</summary>
    public static readonly Dictionary<string, string?> PseudonymKey = new() { ["OPENCONDUCT_PSEUDONYM_KEY"] = "cli-test-key-0123456789-0123456789-0123" };

    /// <summary>The lines of a gzipped JSON-lines artefact.</summary>
    public static List<JsonElement> ReadJsonLines(string gzipPath)
    {
        using var gzip = new GZipStream(File.OpenRead(gzipPath), CompressionMode.Decompress);
        return [.. new StreamReader(gzip).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)];
    }

    /// <summary>The id a <c>latest.json</c> pointer in the folder names.</summary>
    public static string Latest(string folder) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "latest.json"))).RootElement.GetProperty("release").GetString()!;

    /// <summary>The live officer documents of a release folder that ingest wrote.</summary>
    public static List<JsonElement> OfficerDocuments(string releases)
    {
        var officers = Path.Combine(releases, "_officers");
        return ReadJsonLines(Path.Combine(officers, Latest(officers), "officers.jsonl.gz"));
    }

    public static (int Exit, string Output) Run(params string[] arguments) => RunWith([], arguments);

    public static (int Exit, string Output) RunWith(Dictionary<string, string?> environment, params string[] arguments)
    {
        using var process = Start(environment, arguments);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("openconduct did not finish within 2 minutes");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Starts <c>openconduct</c> with these arguments and environment, its output and error redirected; the caller reads and waits.</summary>
    public static Process Start(Dictionary<string, string?> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "openconduct.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    private static string FindRepo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("the tests run from inside the repository");
    }
}
