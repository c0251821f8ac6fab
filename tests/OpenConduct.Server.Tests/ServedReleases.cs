using System.Net;
using System.Text.Json;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>
/// A class fixture: a release folder that the subclass fills (<see cref="PrepareAsync"/>), then <c>serve</c> running
/// over it (no rate limit), with an <see cref="Http"/> client on it; everything removed at the end.
/// </summary>
public abstract class ServedReleases : IAsyncLifetime
{
    /// <summary>The bundled samples' sources.</summary>
    public static readonly string[] Sources = ["opcr", "iau", "cra"];

    private readonly TempFolder folder = new();
    private ApiServer? server;

    public string Releases => folder.Sub("releases");

    public string Index => folder.Sub("index");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The running server (its log among other things).</summary>
    internal ApiServer Server => server ?? throw new InvalidOperationException("the server has not started");

    public async Task InitializeAsync()
    {
        await PrepareAsync();
        server = await ApiServer.StartAsync(Releases, Index, "--rate-limit", "0");
        Http.BaseAddress = server.BaseAddress;
    }

    public Task DisposeAsync()
    {
        server?.Dispose();
        Http.Dispose();
        folder.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A folder of the fixture's own.</summary>
    public string Sub(string name) => folder.Sub(name);

    /// <summary>GETs a path that must answer 200, and parses its JSON.</summary>
    public async Task<JsonElement> JsonAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Fills <see cref="Releases"/> (and the index) before the server starts.</summary>
    protected abstract Task PrepareAsync();

    /// <summary>Ingests the bundled samples of these sources into the release folder and the index.</summary>
    protected void IngestSamples(IEnumerable<string> sources)
    {
        foreach (var source in sources)
        {
            IngestSample(source, "minnesota");
        }
    }

    /// <summary>Ingests one bundled sample under one of the shipped policies (samples/policies/{policy}.json).</summary>
    protected void IngestSample(string source, string policy)
    {
        var (exit, text) = RunWith(PseudonymKey, "ingest", "--profile", $"samples/profiles/{source}.json", "--policy", $"samples/policies/{policy}.json", $"samples/exports/{source}", "--out", Releases, "--index", Index);
        Assert.True(exit == 0, text);
    }
}
