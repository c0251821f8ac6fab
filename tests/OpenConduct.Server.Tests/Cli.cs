using System.Diagnostics;

namespace OpenConduct.Server.Tests;

/// <summary>Runs the built openconduct.dll as a process from the repository root, as the README runs it.</summary>
internal static class Cli
{
    public static readonly string Repo = FindRepo();

    public static (int Exit, string Output) Run(params string[] arguments) => RunWith([], arguments);

    public static (int Exit, string Output) RunWith(Dictionary<string, string?> environment, params string[] arguments)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "openconduct.dll");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = Repo, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("openconduct did not finish within 2 minutes");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
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

/// <summary>A temporary folder, deleted with what it holds.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "oc-cli-" + Guid.NewGuid().ToString("N"));

    public TempFolder() => Directory.CreateDirectory(Path);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
