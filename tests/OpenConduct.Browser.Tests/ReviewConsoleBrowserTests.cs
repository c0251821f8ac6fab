using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using OpenConduct.Azure;
using OpenConduct.Azure.Tests;
using OpenConduct.Server.Tests;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Browser.Tests;

/// <summary>
/// The review console in headless Chromium, against the standalone server running the pipeline on Azurite under a
/// policy that requires narrative review (opcr) beside the former CRA (whose officers never merge automatically):
/// everything done with the keyboard alone (sign in, open a narrative, mask a suspect word, approve, confirm a merge,
/// keep two officers apart, sign out), and the console in Spanish.
/// </summary>
public sealed class ReviewConsoleBrowserTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string AdminKey = "review-browser-admin-key-0123456789-0123456789";
    private readonly TempFolder folder = new();
    private OpenConductStorage? storage;
    private ApiServer? server;
    private IPlaywright? playwright;
    private IBrowser? browser;

    public async Task InitializeAsync()
    {
        if (WidgetSite.Missing is not null || !Azurite.IsRunning)
        {
            return;
        }

        storage = await Azurite.NewStorageAsync("reviewui");
        server = await ReviewedSources.StartServerAsync(folder.Path, storage, AdminKey, withCra: true, "--officers-cache", "0", "--rate-limit", "0");
        ReviewedSources.Drop(storage, "opcr");
        ReviewedSources.Drop(storage, "cra");

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var health = await http.GetFromJsonAsync<JsonElement>("/api/health");
            var releases = health.GetProperty("releases");
            if (releases.GetProperty("opcr").ValueKind == JsonValueKind.String && releases.GetProperty("cra").ValueKind == JsonValueKind.String
                && health.GetProperty("indexGeneration").ValueKind == JsonValueKind.String && await HasMergesAsync(http))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the releases did not go live: " + health);
            await Task.Delay(500);
        }

        Assertions.SetDefaultExpectTimeout(15_000);
        playwright = await Playwright.CreateAsync();
        browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = WidgetSite.ChromiumPath, Headless = true });
    }

    /// <summary>Whether the identity review queue already lists the generation with both sources (a sign-in just to look).</summary>
    private static async Task<bool> HasMergesAsync(HttpClient http)
    {
        using var handler = new HttpClientHandler { CookieContainer = new System.Net.CookieContainer() };
        using var client = new HttpClient(handler) { BaseAddress = http.BaseAddress };
        using var signIn = await client.PostAsJsonAsync("/review/api/session", new { name = "setup", key = AdminKey });
        return signIn.IsSuccessStatusCode
            && (await client.GetFromJsonAsync<JsonElement>("/review/api/merges")).GetProperty("items").GetArrayLength() > 0;
    }

    public async Task DisposeAsync()
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        server?.Dispose();
        if (storage is not null)
        {
            await Azurite.DeleteAsync(storage);
        }

        folder.Dispose();
    }

    private async Task<(IBrowserContext Context, IPage Page, List<string> Errors)> OpenAsync(string locale = "en-US")
    {
        var context = await browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, Locale = locale });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            // The console's own 401 before sign-in is expected; anything else is a defect.
            if (message.Type == "error" && !message.Text.Contains("401", StringComparison.Ordinal))
            {
                errors.Add($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => errors.Add($"page error: {error}");
        await page.GotoAsync(new Uri(server!.BaseAddress, "/review").ToString());
        return (context, page, errors);
    }

    /// <summary>Presses Tab until <paramref name="target"/> has the focus (at most 60 times): the keyboard's way there.</summary>
    private static async Task TabToAsync(IPage page, ILocator target, bool backwards = false)
    {
        for (var i = 0; i < 60; i++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }

            await page.Keyboard.PressAsync(backwards ? "Shift+Tab" : "Tab");
        }

        Assert.Fail($"Tab never reached {target}");
    }

    private static async Task SignInAsync(IPage page)
    {
        await Expect(page.GetByLabel("Your name")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Records Officer");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(AdminKey);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Narratives waiting for review" })).ToBeFocusedAsync();
    }

    [SkippableFact]
    public async Task A_records_officer_reviews_with_the_keyboard_alone_from_sign_in_to_sign_out()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        Skip.IfNot(Azurite.IsRunning, Azurite.NotRunning);
        var (context, page, errors) = await OpenAsync();
        await using var _ = context;

        // The page redirects /review to /review/ and starts at the sign-in form.
        Assert.EndsWith("/review/", page.Url, StringComparison.Ordinal);
        await SignInAsync(page);
        await Expect(page.GetByText("Signed in as Records Officer")).ToBeVisibleAsync();

        // A narrative with a suspect word, opened with the keyboard.
        var first = page.Locator("#items button").First;
        await TabToAsync(page, first);
        var caseLabel = await first.TextContentAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#item-h")).ToBeFocusedAsync();
        await Expect(page.Locator("#original mark.mask").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Screenshot("review-narrative"), FullPage = true });

        var before = await page.Locator("#scrubbed").InnerTextAsync();
        var flag = page.Locator("#flags input[type=checkbox]").First;
        if (await flag.CountAsync() > 0)
        {
            await TabToAsync(page, flag);
            await page.Keyboard.PressAsync("Space");
            await Expect(page.Locator("#scrubbed mark.added")).ToHaveCountAsync(1);
        }
        else
        {
            // No suspect word here: mask a word by typing it.
            var word = (await page.Locator("#original").InnerTextAsync()).Split(' ').First(w => w.Length > 5 && w.All(char.IsLetter));
            await TabToAsync(page, page.GetByLabel("Words to mask"));
            await page.Keyboard.TypeAsync(word);
            await page.Keyboard.PressAsync("Tab"); // the kind
            await page.Keyboard.PressAsync("Tab"); // Add
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#scrubbed mark.added").First).ToBeVisibleAsync();
        }

        Assert.NotEqual(before, await page.Locator("#scrubbed").InnerTextAsync());
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Approve for publication" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#status")).ToContainTextAsync("Approved");
        await Expect(page.Locator("#queue-h")).ToBeFocusedAsync();
        await Expect(page.Locator("#items button", new() { HasText = caseLabel! })).ToHaveCountAsync(0);

        // An officer identity: two officers that may be one person, decided "same" with the keyboard.
        await TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Skip to the officers that may be one person" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#merges-h")).ToBeFocusedAsync();
        var merge = page.Locator("#merges button", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("Samuel E White", System.Text.RegularExpressions.RegexOptions.IgnoreCase) }).First;
        await TabToAsync(page, merge);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#merge-h")).ToBeFocusedAsync();
        await Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("Complaints");
        await page.ScreenshotAsync(new() { Path = Screenshot("review-merge"), FullPage = true });
        await TabToAsync(page, page.GetByLabel("The same person: merge them"));
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, page.GetByLabel("Note (optional"));
        await page.Keyboard.TypeAsync("personnel file 2019-044");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Save the decision" }));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#status")).ToContainTextAsync("Decided");
        await Expect(page.Locator("#queue-h")).ToBeFocusedAsync();

        // Another candidate set, if the queue has one, kept apart.
        if (await page.Locator("#merges button").CountAsync() > 0)
        {
            await TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Skip to the officers that may be one person" }));
            await page.Keyboard.PressAsync("Enter");
            await TabToAsync(page, page.Locator("#merges button").First);
            await page.Keyboard.PressAsync("Enter");
            // A radio group is one Tab stop: the arrow key moves to (and selects) the second choice.
            await TabToAsync(page, page.GetByLabel("The same person: merge them"));
            await page.Keyboard.PressAsync("ArrowDown");
            await Expect(page.GetByLabel("Different people: keep them apart")).ToBeCheckedAsync();
            await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Save the decision" }));
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("#status")).ToContainTextAsync("Decided");
            await Expect(page.Locator("#queue-h")).ToBeFocusedAsync();
        }

        // Every control the keyboard reached showed its focus.
        var outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
        Assert.NotEqual("none", outline);

        // Sign out: back at the form; the session is gone (a reload asks to sign in again).
        // The queue has its focus after a decision; Sign out is in the header, just before it.
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }), backwards: true);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#status")).ToContainTextAsync("Signed out");
        await page.ReloadAsync();
        await Expect(page.GetByLabel("Your name")).ToBeFocusedAsync();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task The_console_speaks_spanish_to_a_spanish_browser_and_switches_language_with_the_menu()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        Skip.IfNot(Azurite.IsRunning, Azurite.NotRunning);
        var (context, page, errors) = await OpenAsync("es-ES");
        await using var _ = context;

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Revisión antes de publicar", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Clave de administración")).ToBeVisibleAsync();
        Assert.Equal("es", await page.EvaluateAsync<string>("() => document.documentElement.lang"));
        await page.GetByLabel("Su nombre").FillAsync("Oficial de registros");
        await page.GetByLabel("Clave de administración").FillAsync(AdminKey);
        await page.GetByLabel("Clave de administración").PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Narrativas pendientes de revisión" })).ToBeVisibleAsync();
        await Expect(page.GetByText("Sesión iniciada como Oficial de registros")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Screenshot("review-queue-es"), FullPage = true });

        await page.GetByLabel("Idioma").SelectOptionAsync("en");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Narratives waiting for review" })).ToBeVisibleAsync();
        Assert.Equal("en", await page.EvaluateAsync<string>("() => document.documentElement.lang"));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task The_console_has_no_serious_or_critical_axe_violation_and_no_sideways_scroll_on_a_desktop_and_a_phone_in_both_languages()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        Skip.IfNot(Azurite.IsRunning, Azurite.NotRunning);
        Skip.If(Axe.Missing is not null, Axe.Missing);
        foreach (var locale in new[] { "en-US", "es-ES" })
        {
            foreach (var (width, height) in new[] { (1280, 900), (390, 844) })
            {
                // The console's pages under its Content-Security-Policy: axe's script tag needs it bypassed.
                await using var context = await browser!.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, Locale = locale, BypassCSP = true });
                var page = await context.NewPageAsync();
                await page.GotoAsync(new Uri(server!.BaseAddress, "/review/").ToString());
                await Expect(page.Locator("#name")).ToBeFocusedAsync();
                async Task CheckAsync(string view)
                {
                    var what = $"the review console's {view} ({locale}, {width} px)";
                    await Axe.AssertNoSeriousViolationAsync(page, output, what);
                    if (width <= 400)
                    {
                        await Axe.AssertNoSidewaysScrollAsync(page, what);
                    }
                }

                await CheckAsync("sign-in page");
                await page.Locator("#name").FillAsync("Records Officer");
                await page.Locator("#key").FillAsync(AdminKey);
                await page.Locator("#key").PressAsync("Enter");
                await Expect(page.Locator("#queue-h")).ToBeVisibleAsync();
                await Expect(page.Locator("#items button").First).ToBeVisibleAsync();
                await Expect(page.Locator("#merges button").First).ToBeVisibleAsync();
                await CheckAsync("queue of narratives and identities");

                // A narrative opened (the original, the text as published, the masks), then an identity's evidence.
                await page.Locator("#items button").First.ClickAsync();
                await Expect(page.Locator("#item-h")).ToBeFocusedAsync();
                await Expect(page.Locator("#original mark.mask").First).ToBeVisibleAsync();
                await CheckAsync("narrative");
                await page.Locator("#back").ClickAsync();
                await Expect(page.Locator("#queue-h")).ToBeVisibleAsync();
                await page.Locator("#merges button").First.ClickAsync();
                await Expect(page.Locator("#merge-h")).ToBeFocusedAsync();
                await Expect(page.Locator("#evidence tbody tr").First).ToBeVisibleAsync();
                await CheckAsync("identity decision");
            }
        }
    }

    private string Screenshot(string name)
    {
        var path = Path.Combine(Repo, "artifacts", "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        output.WriteLine($"screenshot: {path}");
        return path;
    }
}
