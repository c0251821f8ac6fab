using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Browser.Tests;

/// <summary>
/// axe-core (pinned in package.json, run inside the page) over the sample civil-rights page with every widget, on a
/// desktop and on a 390-pixel phone: no serious or critical violation; and on the phone no horizontal scroll.
/// </summary>
[Collection(WidgetsCollection.Name)]
public sealed class AccessibilityTests(WidgetSite site, ITestOutputHelper output)
{
    private static readonly string AxeScript = Path.Combine(Repo, "node_modules", "axe-core", "axe.min.js");

    private static string? AxeMissing => File.Exists(AxeScript) ? null : $"axe-core is missing at {AxeScript}: run npm ci (scripts/test.sh does)";

    [SkippableTheory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task The_page_with_every_widget_has_no_serious_or_critical_axe_violation(int width, int height)
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        Skip.If(AxeMissing is not null, AxeMissing);
        await using var context = await site.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, Locale = "en-US", BypassCSP = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(site.Site.BaseAddress, "embed.html").ToString());
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Expect(page.Locator("oc-map path.region").First).ToBeAttachedAsync();
        await Expect(page.Locator("oc-dashboard g[data-drill]").First).ToBeAttachedAsync();

        await page.AddScriptTagAsync(new() { Path = AxeScript });
        var result = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + JSON.stringify((n.any[0] || {}).data)) }))");
        foreach (var v in result.EnumerateArray())
        {
            output.WriteLine($"{v.GetProperty("impact").GetString()} {v.GetProperty("id").GetString()}: {v.GetProperty("help").GetString()} at {v.GetProperty("nodes")}");
        }

        var serious = result.EnumerateArray().Where(v => v.GetProperty("impact").GetString() is "serious" or "critical").Select(v => v.ToString()).ToList();
        Assert.True(serious.Count == 0, string.Join("\n", serious));
        if (width <= 400)
        {
            var scroll = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            var client = await page.EvaluateAsync<int>("() => document.documentElement.clientWidth");
            var wide = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')");
            Assert.True(scroll <= client, $"the page scrolls sideways at {width} px: {scroll} px wide for {client} ({wide})");
        }
    }
}
