using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace OpenConduct.Browser.Tests;

/// <summary>
/// axe-core (<see cref="Axe"/>) over the sample civil-rights page with every widget, on a desktop and on a 390-pixel
/// phone, and in forced-colours (high-contrast) mode: no serious or critical violation; and on the phone no horizontal
/// scroll.
/// </summary>
[Collection(WidgetsCollection.Name)]
public sealed class AccessibilityTests(WidgetSite site, ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData(1280, 900, false)]
    [InlineData(390, 844, false)]
    [InlineData(1280, 900, true)]
    public async Task The_page_with_every_widget_has_no_serious_or_critical_axe_violation(int width, int height, bool forcedColors)
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        Skip.If(Axe.Missing is not null, Axe.Missing);
        await using var context = await site.Browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = width, Height = height },
            Locale = "en-US",
            BypassCSP = true,
            ForcedColors = forcedColors ? ForcedColors.Active : ForcedColors.None,
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(site.Site.BaseAddress, "embed.html").ToString());
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Expect(page.Locator("oc-map path.region").First).ToBeAttachedAsync();
        await Expect(page.Locator("oc-dashboard g[data-drill]").First).ToBeAttachedAsync();

        await Axe.AssertNoSeriousViolationAsync(page, output, $"the sample page at {width} px{(forcedColors ? " in forced colours" : "")}");
        if (width <= 400)
        {
            await Axe.AssertNoSidewaysScrollAsync(page, $"the sample page at {width} px");
        }
    }
}
