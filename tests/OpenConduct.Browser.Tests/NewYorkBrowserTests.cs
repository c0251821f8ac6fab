using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using OpenConduct.Server.Tests;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Browser.Tests;

/// <summary>
/// Recommended versus final in Chromium: the OPCR sample under Minnesota and the CCRB-shaped sample under New York,
/// served on their own; a CCRB officer's history shows, per sustained allegation, "Recommended: ... · Final: ...",
/// an OPCR officer's shows no recommendation, and the recommended-vs-final dashboard renders as a table and a chart
/// with the API's counts.
/// </summary>
[Collection(WidgetsCollection.Name)]
public sealed class NewYorkBrowserTests(WidgetSite site, NewYorkSite newYork, ITestOutputHelper output) : IClassFixture<NewYorkSite>
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    [SkippableFact]
    public async Task The_history_shows_recommended_beside_final_under_new_york_and_the_dashboard_renders()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        using var http = new HttpClient { BaseAddress = newYork.Api };
        await using var widgets = await WidgetPage.OpenAsync(site, new Uri(newYork.Pages.BaseAddress, "new-york.html"));
        var page = widgets.Page;

        // A CCRB officer with a decided penalty of forfeited days: its text, as the penalties table writes it.
        var documents = OfficerDocuments(newYork.Releases);
        var (officer, allegation) = documents
            .Where(o => o.GetProperty("sourceRefs").EnumerateArray().Any(r => r.GetProperty("source").GetString() == "CCRB"))
            .SelectMany(o => o.GetProperty("complaints").EnumerateArray().SelectMany(c => c.GetProperty("allegations").EnumerateArray()).Select(a => (Officer: o, Allegation: a)))
            .First(x => x.Allegation.TryGetProperty("imposedDisciplineText", out var t) && t.GetString()!.StartsWith("Forfeit vacation ", StringComparison.Ordinal));
        var recommended = allegation.GetProperty("recommendedDisciplineText").GetString()!;
        var final = allegation.GetProperty("imposedDisciplineText").GetString()!;
        var history = page.Locator("oc-officer-history");
        await page.EvaluateAsync("id => document.getElementById('history').setAttribute('officer-id', id)", officer.GetProperty("id").GetString());
        await Expect(history.Locator("caption")).ToContainTextAsync("Complaint history of " + officer.GetProperty("displayName").GetString());
        var line = history.Locator(".rec", new() { HasText = $"Recommended: {recommended} · Final: {final}" });
        await Expect(line.First).ToBeVisibleAsync();

        // Every allegation with a recommendation says it, labelled, beside the final discipline or "pending".
        var api0 = await http.GetFromJsonAsync<JsonElement>("/api/officers/" + officer.GetProperty("id").GetString());
        var withRecommendation = api0.GetProperty("complaints").EnumerateArray().SelectMany(c => c.GetProperty("allegations").EnumerateArray()).Count(a => a.TryGetProperty("recommendedDiscipline", out _));
        await Expect(history.Locator(".rec")).ToHaveCountAsync(withRecommendation);
        await widgets.ScreenshotAsync("history-recommended-vs-final", output);

        // A recommendation whose penalty is pending.
        var pending = documents
            .Where(o => o.GetProperty("sourceRefs").EnumerateArray().Any(r => r.GetProperty("source").GetString() == "CCRB"))
            .First(o => o.GetProperty("complaints").EnumerateArray().SelectMany(c => c.GetProperty("allegations").EnumerateArray())
                .Any(a => a.TryGetProperty("recommendedDisciplineText", out _) && !a.TryGetProperty("imposedDiscipline", out _)));
        await page.EvaluateAsync("id => document.getElementById('history').setAttribute('officer-id', id)", pending.GetProperty("id").GetString());
        await Expect(history.Locator("caption")).ToContainTextAsync("Complaint history of " + pending.GetProperty("displayName").GetString());
        await Expect(history.Locator(".rec", new() { HasText = "Final: pending" }).First).ToBeVisibleAsync();

        // Under Minnesota: no recommendation line at all.
        var opcr = documents.First(o => o.GetProperty("sourceRefs").EnumerateArray().All(r => r.GetProperty("source").GetString() == "OPCR")
            && o.GetProperty("summary").GetProperty("sustained").GetInt32() > 0);
        await page.EvaluateAsync("id => document.getElementById('history').setAttribute('officer-id', id)", opcr.GetProperty("id").GetString());
        await Expect(history.Locator("caption")).ToContainTextAsync("Complaint history of " + opcr.GetProperty("displayName").GetString());
        await Expect(history.Locator("tbody tr").First).ToBeVisibleAsync();
        await Expect(history.Locator(".rec")).ToHaveCountAsync(0);

        // The dashboard: as a table, every published count of the API in its cell; as a chart, a bar per row.
        var dashboard = await http.GetFromJsonAsync<JsonElement>("/api/dashboards/recommended-vs-final");
        var table = page.Locator("oc-dashboard#recommended");
        await Expect(table.Locator("caption")).ToContainTextAsync("Recommended and final discipline");
        var rows = dashboard.GetProperty("rows").GetProperty("values").GetArrayLength();
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(rows);
        await Expect(table.Locator("thead")).ToContainTextAsync("Suspension");
        for (var r = 0; r < rows; r++)
        {
            var total = dashboard.GetProperty("rowTotals")[r];
            if (total.ValueKind == JsonValueKind.Number)
            {
                await Expect(table.Locator("tbody tr").Nth(r).Locator("td.tot")).ToHaveTextAsync(total.GetInt64().ToString("N0", English));
            }
        }

        // The rows are the recommended discipline, labelled as the widget labels discipline.
        var labels = new Dictionary<string, string> { ["None"] = "None", ["Coaching"] = "Coaching", ["Training"] = "Training", ["Other"] = "Other", ["Unknown"] = "Unknown" };
        var values = dashboard.GetProperty("rows").GetProperty("values").EnumerateArray().Select(v => v.GetString()!).ToList();
        Assert.Contains("Other", values);   // Command Discipline A or B, Charges
        for (var r = 0; r < rows; r++)
        {
            if (labels.TryGetValue(values[r], out var label))
            {
                await Expect(table.Locator("tbody th").Nth(r)).ToContainTextAsync(label);
            }
        }

        await Expect(table.Locator("tfoot")).ToContainTextAsync(dashboard.GetProperty("total").GetInt64().ToString("N0", English));
        var chart = page.Locator("oc-dashboard#recommended-chart");
        await Expect(chart.Locator("svg g[data-drill]")).ToHaveCountAsync(rows);
        await widgets.ScreenshotAsync("dashboard-recommended-vs-final", output);
        Assert.Empty(widgets.Errors);
    }

    [SkippableFact]
    public async Task A_history_with_recommendations_and_the_dashboard_have_no_serious_or_critical_axe_violation()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        Skip.If(Axe.Missing is not null, Axe.Missing);
        await using var context = await site.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, Locale = "en-US", BypassCSP = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(newYork.Pages.BaseAddress, "new-york.html").ToString());
        var officer = OfficerDocuments(newYork.Releases).First(o => o.GetProperty("complaints").EnumerateArray()
            .SelectMany(c => c.GetProperty("allegations").EnumerateArray()).Any(a => a.TryGetProperty("imposedDisciplineText", out _)));
        await page.EvaluateAsync("id => document.getElementById('history').setAttribute('officer-id', id)", officer.GetProperty("id").GetString());
        await Expect(page.Locator("oc-officer-history .rec").First).ToBeVisibleAsync();
        await Expect(page.Locator("oc-dashboard#recommended tbody tr").First).ToBeVisibleAsync();
        await Expect(page.Locator("oc-dashboard#recommended-chart g[data-drill]").First).ToBeAttachedAsync();

        await Axe.AssertNoSeriousViolationAsync(page, output, "New York history and recommended-vs-final");
    }
}

/// <summary>
/// The OPCR sample under Minnesota and the CCRB sample under New York in a release folder and an index of their own,
/// the server on them (CORS for the site's origin) and the site with the test pages, for <see cref="NewYorkBrowserTests"/>.
/// </summary>
public sealed class NewYorkSite : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private ApiServer? api;
    private StaticSite? pages;

    public string Releases => folder.Sub("releases");

    public Uri Api => api!.BaseAddress;

    public StaticSite Pages => pages!;

    public async Task InitializeAsync()
    {
        foreach (var (source, policy) in new[] { ("opcr", "minnesota"), ("ccrb", "new-york") })
        {
            var (exit, text) = RunWith(PseudonymKey, "ingest", "--profile", $"samples/profiles/{source}.json", "--policy", $"samples/policies/{policy}.json", $"samples/exports/{source}", "--out", Releases, "--index", folder.Sub("index"));
            Assert.True(exit == 0, text);
        }

        var port = StaticSite.FreePort();
        api = await ApiServer.StartAsync(Releases, folder.Sub("index"), "--rate-limit", "0", "--cors-origin", $"http://127.0.0.1:{port}");
        pages = await StaticSite.StartAsync(port, Path.Combine(Repo, "samples", "widgets"), api.BaseAddress, TestPages.All);
    }

    public async Task DisposeAsync()
    {
        if (pages is not null)
        {
            await pages.DisposeAsync();
        }

        api?.Dispose();
        folder.Dispose();
    }
}
