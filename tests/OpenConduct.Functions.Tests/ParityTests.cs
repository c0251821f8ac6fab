using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using OpenConduct.Api;
using OpenConduct.Azure.Tests;
using OpenConduct.Core.Release;
using OpenConduct.Server.Tests;
using OpenConduct.Tests.Shared;

namespace OpenConduct.Functions.Tests;

/// <summary>
/// A release published by the Functions app's own triggers on Azurite (drop, pull, process, index in the AI Search
/// fake), and the standalone server (<c>openconduct serve</c>, a process) on the same storage, with its embedded index
/// built from the same live releases: the two hosts serve the same release.
/// </summary>
public sealed class SameRelease : IAsyncLifetime
{
    public const string AdminKey = "parity-admin-key-0123456789-0123456789";

    private readonly TempFolder folder = new();
    private const string PublicUrl = "https://data.city.example/";

    private ApiServer? server;
    private AppOnAzurite? app;

    internal AppOnAzurite App => app ?? throw new InvalidOperationException(Azurite.NotRunning);

    public HttpClient Http { get; } = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>Values of the release that the requests name (an officer, a case, a dataset, a dashboard, an artefact).</summary>
    public Dictionary<string, string> Values { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        if (!Azurite.IsRunning)
        {
            return;
        }

        // Both hosts write absolute links from the same configured public URL (never from the request's Host).
        app = await AppOnAzurite.StartAsync("parity", new Dictionary<string, string?> { ["OPENCONDUCT_PUBLIC_BASE_URL"] = PublicUrl });
        await App.Function<ProcessIncomingDrop>().RunAsync(await App.DropAsync("opcr"), "opcr", CancellationToken.None);
        var (manifest, source, date, runId) = Assert.Single(await App.ManifestsAsync("opcr"));
        await App.Function<ProcessRawExport>().RunAsync(manifest, source, date, runId, CancellationToken.None);

        server = await ApiServer.StartAsync(
            ["serve", "--storage", Azurite.ConnectionString, "--prefix", App.Prefix, "--sources", Path.Combine(AppContext.BaseDirectory, "sources.json"),
             "--index", folder.Sub("index"), "--schedule", "0 0 0 1 1 *", "--watch", "3600", "--rate-limit", "0", "--public-url", PublicUrl],
            new Dictionary<string, string> { ["OPENCONDUCT_PSEUDONYM_KEY"] = Cli.PseudonymKey["OPENCONDUCT_PSEUDONYM_KEY"]!, ["OPENCONDUCT_ADMIN_KEY"] = AdminKey });
        Http.BaseAddress = server.BaseAddress;

        // The server indexes the live releases once it has started.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await Http.GetStringAsync("/api/health")).Contains("\"index\":\"ok\"", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the server did not index the live release within a minute: " + server.Output);
            await Task.Delay(250);
        }

        var release = (await App.Storage.Releases.GetLatestAsync("opcr"))!;
        Values["release"] = release;
        var artefacts = (await ReleaseManifestIo.ReadAsync(App.Storage.Releases.Open("opcr", release)))!.Artefacts;
        Values["artefact"] = artefacts.First(a => a.Path.EndsWith(".csv", StringComparison.Ordinal)).Path;
        Values["officer"] = Regex.Match(await Http.GetStringAsync("/api/officers?q=white"), "\"id\":\"([^\"]+)\"").Groups[1].Value;
        Values["dataset"] = Regex.Match(await Http.GetStringAsync("/api/datasets"), @"/api/datasets/([^""?/]+)").Groups[1].Value;
        Values["dashboard"] = Regex.Match(await Http.GetStringAsync("/api/dashboards"), "\"name\":\"([^\"]+)\"").Groups[1].Value;
        Values["case"] = Regex.Match(await Http.GetStringAsync($"/api/officers/{Values["officer"]}"), "\"caseNumber\":\"([^\"]+)\"").Groups[1].Value;
        Values["generation"] = (await Http.GetAsync("/api/officers?q=white")).Headers.ETag!.Tag;
        Assert.All(Values, v => Assert.False(string.IsNullOrEmpty(v.Value), v.Key));
    }

    public async Task DisposeAsync()
    {
        server?.Dispose();
        Http.Dispose();
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        folder.Dispose();
    }

    /// <summary>The server's log, for failure messages.</summary>
    public string ServerLog => server?.Output ?? "";
}

/// <summary>
/// Every HTTP function answers a request as the standalone server answers it for the same release: the same status,
/// headers (but the transport's: Date, Server, Content-Length, Transfer-Encoding; and the output cache's Age) and body (problem details' traceId
/// aside). The function is invoked as the ASP.NET Core integration invokes it; the server is asked over HTTP.
/// </summary>
public sealed partial class ParityTests(SameRelease release) : IClassFixture<SameRelease>
{
    // The transport's, and Age: how old the standalone server's output cache's copy of an officer response is (the
    // Functions app has no output cache: Azure AI Search answers every search).
    private static readonly HashSet<string> Transport = new(StringComparer.OrdinalIgnoreCase) { "Date", "Server", "Content-Length", "Transfer-Encoding", "Age" };

    /// <summary>name: (server path, function path, the function, request headers); {key} is a value of the release.</summary>
    private static readonly Dictionary<string, (string Server, string Function, Func<ApiFunctions, HttpRequest, Dictionary<string, string>, Task<IResult>> Invoke, string[] Headers)> Cases = new()
    {
        ["live"] = ("/api/health/live", null!, (f, r, _) => Task.FromResult(f.Live(r)), []),
        ["health"] = ("/api/health", null!, (f, r, _) => f.Health(r), []),
        ["search"] = ("/api/officers?q=white", null!, (f, r, _) => f.SearchOfficers(r), []),
        ["search by badge"] = ("/api/officers?badge=1", null!, (f, r, _) => f.SearchOfficers(r), []),
        ["search, a typo, page 1"] = ("/api/officers?q=whte&page=1", null!, (f, r, _) => f.SearchOfficers(r), []),
        ["search, not modified"] = ("/api/officers?q=white", null!, (f, r, _) => f.SearchOfficers(r), ["If-None-Match: {generation}"]),
        ["search, both q and badge"] = ("/api/officers?q=a&badge=1", null!, (f, r, _) => f.SearchOfficers(r), []),
        ["search, unknown parameter"] = ("/api/officers?name=white", null!, (f, r, _) => f.SearchOfficers(r), []),
        ["officer"] = ("/api/officers/{officer}", null!, (f, r, v) => f.GetOfficer(r, v["officer"]), []),
        ["officer, not modified"] = ("/api/officers/{officer}", null!, (f, r, v) => f.GetOfficer(r, v["officer"]), ["If-None-Match: {generation}"]),
        ["no such officer"] = ("/api/officers/off-0000", null!, (f, r, _) => f.GetOfficer(r, "off-0000"), []),
        ["complaint"] = ("/api/complaints/{case}", null!, (f, r, v) => f.GetComplaint(r, v["case"]), []),
        ["no such complaint"] = ("/api/complaints/NOPE-1", null!, (f, r, _) => f.GetComplaint(r, "NOPE-1"), []),
        ["latest releases"] = ("/api/releases/latest", null!, (f, r, _) => f.LatestReleases(r), []),
        ["artefact"] = ("/api/releases/opcr/{release}/{artefact}", null!, (f, r, v) => f.GetReleaseArtefact(r, "opcr", v["release"], v["artefact"]), []),
        ["release manifest"] = ("/api/releases/opcr/{release}/manifest.json", null!, (f, r, v) => f.GetReleaseArtefact(r, "opcr", v["release"], "manifest.json"), []),
        ["private artefact"] = ("/api/releases/opcr/{release}/_internal/dashboard-facts.json", null!, (f, r, v) => f.GetReleaseArtefact(r, "opcr", v["release"], "_internal/dashboard-facts.json"), []),
        ["no such release"] = ("/api/releases/opcr/r-none/manifest.json", null!, (f, r, _) => f.GetReleaseArtefact(r, "opcr", "r-none", "manifest.json"), []),
        ["datasets"] = ("/api/datasets", null!, (f, r, _) => f.ListDatasets(r), []),
        ["dataset"] = ("/api/datasets/{dataset}", null!, (f, r, v) => f.DownloadDataset(r, v["dataset"]), []),
        ["no such dataset"] = ("/api/datasets/nope.csv", null!, (f, r, _) => f.DownloadDataset(r, "nope.csv"), []),
        ["catalog"] = ("/api/data.json", null!, (f, r, _) => f.Catalog(r), []),
        ["changes"] = ("/api/changes", null!, (f, r, _) => f.Changes(r), []),
        ["changes of a source"] = ("/api/changes?source=opcr", null!, (f, r, _) => f.Changes(r), []),
        ["dashboards"] = ("/api/dashboards", null!, (f, r, _) => f.ListDashboards(r), []),
        ["dashboard"] = ("/api/dashboards/{dashboard}", null!, (f, r, v) => f.GetDashboard(r, v["dashboard"]), []),
        ["no such dashboard"] = ("/api/dashboards/nope", null!, (f, r, _) => f.GetDashboard(r, "nope"), []),
        ["widgets script"] = ("/widgets/openconduct.js", "/api/widgets/openconduct.js", (f, r, _) => f.Widgets(r, "openconduct.js"), []),
        ["widgets script, versioned"] = ("/widgets/" + WidgetsApi.Script.FileName, "/api/widgets/" + WidgetsApi.Script.FileName, (f, r, _) => f.Widgets(r, WidgetsApi.Script.FileName), []),
        ["precinct boundaries"] = ("/widgets/precincts.geojson", "/api/widgets/precincts.geojson", (f, r, _) => f.Widgets(r, "precincts.geojson"), []),
        ["openapi"] = ("/api/openapi.json", null!, (f, r, _) => f.OpenApi(r), []),
        ["api reference"] = ("/api/docs", null!, (f, r, _) => Task.FromResult(f.ApiReference(r)), []),
        ["api reference script"] = ("/api/docs/scalar.js", null!, (f, r, _) => Task.FromResult(f.ApiReferenceScript(r)), ["Accept-Encoding: gzip, deflate, br"]),
        ["review console"] = ("/review/", "/api/review/", (_, r, _) => Task.FromResult(new ReviewFunctions().Console(r)), []),
        ["review console script"] = ("/review/console.js", "/api/review/console.js", (_, r, _) => Task.FromResult(new ReviewFunctions().Script(r)), []),
        ["review console style"] = ("/review/console.css", "/api/review/console.css", (_, r, _) => Task.FromResult(new ReviewFunctions().Style(r)), []),
        ["refresh, no source"] = ("POST /api/pipeline/refresh", null!, (f, r, _) => f.Refresh(r), ["x-functions-key: " + SameRelease.AdminKey]),
        ["refresh, unknown parameter"] = ("POST /api/pipeline/refresh?source=opcr&force=1", null!, (f, r, _) => f.Refresh(r), ["x-functions-key: " + SameRelease.AdminKey]),
        ["refresh, no such source"] = ("POST /api/pipeline/refresh?source=nope", null!, (f, r, _) => f.Refresh(r), ["x-functions-key: " + SameRelease.AdminKey]),
    };

    public static TheoryData<string> Names => [.. Cases.Keys];

    [SkippableTheory]
    [MemberData(nameof(Names))]
    public async Task The_function_answers_as_the_standalone_server(string name)
    {
        Azurite.SkipUnlessRunning();
        var (serverPath, functionPath, invoke, headerTemplates) = Cases[name];
        var method = serverPath.StartsWith("POST ", StringComparison.Ordinal) ? "POST" : "GET";
        serverPath = Fill(serverPath.Replace("POST ", "", StringComparison.Ordinal));
        var headers = headerTemplates.Select(h => h.Split(": ", 2)).Select(h => new KeyValuePair<string, string>(h[0], Fill(h[1]))).ToList();

        using var request = new HttpRequestMessage(new HttpMethod(method), serverPath);
        foreach (var (header, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        using var expected = await release.Http.SendAsync(request);
        var expectedBody = await expected.Content.ReadAsByteArrayAsync();
        var expectedHeaders = expected.Headers.Concat(expected.Content.Headers)
            .Where(h => !Transport.Contains(h.Key))
            .ToDictionary(h => h.Key, h => string.Join(", ", h.Value), StringComparer.OrdinalIgnoreCase);

        var (status, actualHeaders, actualBody) = await HttpInvocation.InvokeBytesAsync(
            release.App.Services, release.Http.BaseAddress!.Authority, method, functionPath ?? serverPath, r => invoke(release.App.Function<ApiFunctions>(), r, release.Values), headers);

        Assert.True((int)expected.StatusCode == status, $"{name}: the server answered {(int)expected.StatusCode}, the function {status}: {Encoding.UTF8.GetString(actualBody)}");
        Assert.Equal(
            expectedHeaders.Select(h => $"{h.Key.ToLowerInvariant()}: {h.Value}").Order(StringComparer.Ordinal),
            actualHeaders.Where(h => !Transport.Contains(h.Key)).Select(h => $"{h.Key.ToLowerInvariant()}: {string.Join(", ", h.Value.ToArray())}").Order(StringComparer.Ordinal));
        if (expected.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true)
        {
            Assert.Equal(WithoutTraceId(Encoding.UTF8.GetString(expectedBody)), WithoutTraceId(Encoding.UTF8.GetString(actualBody)));
        }
        else
        {
            Assert.True(expectedBody.AsSpan().SequenceEqual(actualBody), $"{name}: bodies differ ({expectedBody.Length} and {actualBody.Length} bytes)");
        }
    }

    /// <summary>
    /// Every HTTP function but the review API's, whose answers depend on each host's sign-in (the standalone server's key
    /// sessions, Entra ID in Azure): <see cref="ReviewFunctionsTests"/> invoke those.
    /// </summary>
    [Fact]
    public void Every_HTTP_function_is_compared()
    {
        Assert.Equal(
            FunctionsMetadata.Functions.Where(f => f.TriggerType == "httpTrigger" && !f.Trigger["route"]!.GetValue<string>().StartsWith("review/api/", StringComparison.Ordinal))
                .Select(f => f.Name).Order(StringComparer.Ordinal),
            Cases.Keys.Select(FunctionCalled).Distinct().Order(StringComparer.Ordinal));
    }

    /// <summary>The function a case calls, by the function name its path maps to in functions.metadata.</summary>
    private static string FunctionCalled(string name)
    {
        var (server, function, _, _) = Cases[name];
        var path = (function ?? server.Replace("POST ", "", StringComparison.Ordinal)).Split('?')[0].TrimEnd('/');
        var route = path["/api/".Length..];
        var match = FunctionsMetadata.Functions.Where(f => f.TriggerType == "httpTrigger")
            .Select(f => (f.Name, Pattern: new Regex("^" + Regex.Replace(Regex.Escape(f.Trigger["route"]!.GetValue<string>()), @"\\\{(?:\\\*)?(\w+)}", m => m.Value.Contains("\\*", StringComparison.Ordinal) ? ".+" : "[^/]+") + "$")))
            .Where(f => f.Pattern.IsMatch(route))
            .OrderBy(f => f.Pattern.ToString().Contains("[^/]+", StringComparison.Ordinal) || f.Pattern.ToString().Contains(".+", StringComparison.Ordinal) ? 1 : 0)
            .First();
        return match.Name;
    }

    private string Fill(string template) => Placeholder().Replace(template, m => release.Values[m.Groups[1].Value]);

    private static string WithoutTraceId(string json) => TraceId().Replace(json, "\"traceId\":\"…\"");

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex("\"traceId\":\"[^\"]*\"")]
    private static partial Regex TraceId();
}
