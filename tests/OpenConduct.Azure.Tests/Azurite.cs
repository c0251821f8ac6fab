using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using OpenConduct.Azure;

namespace OpenConduct.Azure.Tests;

/// <summary>
/// The Azurite instance the integration tests run against (scripts/test.sh starts one: scripts/azurite.sh start).
/// Every test gets its own storage: containers and tables under a unique prefix, deleted by <see cref="DeleteAsync"/>.
/// </summary>
public static class Azurite
{
    public const string NotRunning = "Azurite is not running on 127.0.0.1:10000/10002 (scripts/test.sh starts it: scripts/azurite.sh start)";

    private static readonly Lazy<bool> Reachable = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The connection string: <c>OPENCONDUCT_AZURITE</c>, else <c>UseDevelopmentStorage=true</c>.</summary>
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("OPENCONDUCT_AZURITE") is { Length: > 0 } value ? value : "UseDevelopmentStorage=true";

    /// <summary>Whether the blob and table endpoints accept a TCP connection (probed once).</summary>
    public static bool IsRunning => Reachable.Value;

    /// <summary>Skips the calling [SkippableFact] when Azurite does not answer.</summary>
    public static void SkipUnlessRunning() => Skip.IfNot(IsRunning, NotRunning);

    /// <summary>A unique prefix: "t", up to 16 letters and digits of the test's name, 8 hex digits.</summary>
    public static string NewPrefix(string? testName = null)
    {
        var name = new string((testName ?? "").Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).Take(16).ToArray());
        return "t" + name + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    }

    /// <summary>Storage with its own prefix, its containers and tables created (skips the test when Azurite is not running).</summary>
    public static async Task<OpenConductStorage> NewStorageAsync(string? testName = null, Action<StorageOptions>? configure = null)
    {
        SkipUnlessRunning();
        var options = new StorageOptions { Prefix = NewPrefix(testName) };
        configure?.Invoke(options);
        var storage = OpenConductStorage.Create(ConnectionString, options);
        await storage.EnsureCreatedAsync();
        return storage;
    }

    /// <summary>Deletes the storage's (prefixed) containers and tables.</summary>
    public static async Task DeleteAsync(OpenConductStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        foreach (var name in storage.Options.ContainerNames)
        {
            await storage.BlobService.GetBlobContainerClient(name).DeleteIfExistsAsync();
        }

        foreach (var name in storage.Options.TableNames)
        {
            await storage.TableService.DeleteTableAsync(name);
        }
    }

    public static MemoryStream Text(string text) => new(Encoding.UTF8.GetBytes(text));

    public static async Task<string> ReadAllAsync(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await using (stream)
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return await reader.ReadToEndAsync();
        }
    }

    private static bool Probe()
    {
        var (blob, table) = Endpoints(ConnectionString);
        return Answers(blob) && Answers(table);
    }

    private static bool Answers(Uri endpoint)
    {
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            client.ConnectAsync(endpoint.Host, endpoint.Port, timeout.Token).AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The blob and table endpoints of the connection string (development storage: 127.0.0.1:10000 and :10002).</summary>
    private static (Uri Blob, Uri Table) Endpoints(string connectionString)
    {
        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        var blob = parts.TryGetValue("BlobEndpoint", out var b) ? new Uri(b) : new Uri("http://127.0.0.1:10000");
        var table = parts.TryGetValue("TableEndpoint", out var t) ? new Uri(t) : new Uri("http://127.0.0.1:10002");
        return (blob, table);
    }
}
