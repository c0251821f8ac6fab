using Microsoft.Playwright;
using OpenConduct.Server.Tests;
using Xunit.Abstractions;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Browser.Tests;

/// <summary>The tests that share one <see cref="WidgetSite"/> (run one after another: they share a browser and two cores).</summary>
[CollectionDefinition(Name)]
public sealed class WidgetsCollection : ICollectionFixture<WidgetSite>
{
    public const string Name = "widgets";
}

/// <summary>
/// Everything the widget tests run against: the three samples ingested into a release folder and an officer index,
/// the standalone server on them (CORS for the site's origin only, no rate limit), the site on a second origin, and
/// headless Chromium (Debian's, at <see cref="ChromiumPath"/>) driven by Playwright. Without Chromium the browser
/// tests skip (<see cref="Missing"/>); the server and the site start regardless, for the tests that need no browser.
/// </summary>
public sealed class WidgetSite : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private ApiServer? api;
    private StaticSite? site;
    private IPlaywright? playwright;
    private IBrowser? browser;

    /// <summary>The Chromium the tests drive: OPENCONDUCT_CHROMIUM, else Debian's package.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("OPENCONDUCT_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Why the browser tests cannot run (null when they can).</summary>
    public static string? Missing => File.Exists(ChromiumPath)
        ? null
        : $"Chromium is missing at {ChromiumPath}: install Debian's package (apt-get install chromium; scripts/test.sh does it when run as root) or set OPENCONDUCT_CHROMIUM";

    public Uri Api => api!.BaseAddress;

    public StaticSite Site => site!;

    public IBrowser Browser => browser ?? throw new InvalidOperationException(Missing ?? "the browser did not start");

    public string Releases => Path.Combine(folder.Path, "releases");

    public async Task InitializeAsync()
    {
        // opcr last: an ingest of a folder indexes the officers of the source it published, and the samples' richest
        // histories (badges, ranks, units) are OPCR's. The dashboards read every source's live release.
        Ingest(Path.Combine(Repo, "samples", "exports"), Releases, Path.Combine(folder.Path, "index"));
        var port = StaticSite.FreePort();
        api = await ApiServer.StartAsync(Releases, Path.Combine(folder.Path, "index"), "--rate-limit", "0", "--cors-origin", $"http://127.0.0.1:{port}");
        site = await StaticSite.StartAsync(port, Path.Combine(Repo, "samples", "widgets"), api.BaseAddress, TestPages.All);
        if (Missing is null)
        {
            // The test script runs every test project at once on two cores: give the page time rather than flake.
            Assertions.SetDefaultExpectTimeout(15_000);
            playwright = await Playwright.CreateAsync();
            browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true });
        }
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (site is not null)
        {
            await site.DisposeAsync();
        }

        api?.Dispose();
        folder.Dispose();
    }

    /// <summary>Publishes the three exports of <paramref name="exports"/> (opcr, iau, cra) into a release folder and an index.</summary>
    public static void Ingest(string exports, string releases, string index)
    {
        foreach (var source in new[] { "cra", "iau", "opcr" })
        {
            var (exit, text) = RunWith(PseudonymKey, "ingest", "--profile", $"samples/profiles/{source}.json", "--policy", "samples/policies/minnesota.json", Path.Combine(exports, source), "--out", releases, "--index", index);
            Assert.True(exit == 0, text);
        }
    }
}

/// <summary>A page of the browser under test: what it logged as errors, and the helpers the tests share.</summary>
internal sealed class WidgetPage : IAsyncDisposable
{
    private readonly IBrowserContext context;

    private WidgetPage(IBrowserContext context, IPage page)
    {
        this.context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Errors.Add($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => Errors.Add($"page error: {error}");
        page.RequestFailed += (_, request) => Errors.Add($"request failed: {request.Url} {request.Failure}");
    }

    public IPage Page { get; }

    /// <summary>Console errors, uncaught exceptions and failed requests, in order.</summary>
    public List<string> Errors { get; } = [];

    public static Task<WidgetPage> OpenAsync(WidgetSite site, string path, bool reducedMotion = false) =>
        OpenAsync(site, new Uri(site.Site.BaseAddress, path), reducedMotion);

    /// <summary>Any page: of the site, or of the API itself (its reference page).</summary>
    public static async Task<WidgetPage> OpenAsync(WidgetSite site, Uri url, bool reducedMotion = false)
    {
        var context = await site.Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 1280, Height = 900 },
            ReducedMotion = reducedMotion ? ReducedMotion.Reduce : ReducedMotion.NoPreference,
            Locale = "en-US",
        });
        var page = new WidgetPage(context, await context.NewPageAsync());
        await page.Page.GotoAsync(url.ToString());
        return page;
    }

    /// <summary>Saves a full-page PNG as artifacts/screenshots/{name}.png and names it in the test's output.</summary>
    public async Task<string> ScreenshotAsync(string name, ITestOutputHelper output)
    {
        var path = Path.Combine(Repo, "artifacts", "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        return path;
    }

    /// <summary>The element that has the keyboard focus, through shadow roots, with what shows that it has it.</summary>
    public Task<FocusInfo> FocusedAsync() => Page.EvaluateAsync<FocusInfo>(
        """
        () => {
          let a = document.activeElement;
          while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
          const host = a.getRootNode().host;
          const style = getComputedStyle(a);
          const hit = a.querySelector && a.querySelector(':scope > .hit');
          return {
            tag: a.tagName.toLowerCase(),
            host: host ? host.tagName.toLowerCase() + (host.id ? '#' + host.id : '') : '',
            role: a.getAttribute('role') || '',
            className: a.getAttribute('class') || '',
            precinct: (a.dataset && a.dataset.p) || '',
            text: (a.getAttribute('aria-label') || a.textContent || '').trim().slice(0, 80),
            outline: style.outlineStyle === 'none' ? '' : style.outlineStyle + ' ' + style.outlineWidth,
            stroke: a.tagName.toLowerCase() === 'path' ? style.strokeWidth : hit ? getComputedStyle(hit).strokeWidth : '',
          };
        }
        """);

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}

/// <summary>The focused element as <see cref="WidgetPage.FocusedAsync"/> describes it.</summary>
internal sealed class FocusInfo
{
    public string Tag { get; set; } = "";

    public string Host { get; set; } = "";

    public string Role { get; set; } = "";

    public string ClassName { get; set; } = "";

    public string Precinct { get; set; } = "";

    public string Text { get; set; } = "";

    public string Outline { get; set; } = "";

    public string Stroke { get; set; } = "";

    /// <summary>Whether the focus is visible: an outline of 2 px or more, or (SVG) a focus stroke of 3 px or more.</summary>
    public bool Visible => Width(Outline.Split(' ')[^1]) >= 2 || Width(Stroke) >= 3;

    public override string ToString() => $"{Host} <{Tag} role={Role} class={ClassName}> '{Text}' outline={Outline} stroke={Stroke}";

    private static double Width(string css) =>
        double.TryParse(css.Replace("px", "", StringComparison.Ordinal), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var width) ? width : 0;
}
