using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace OpenConduct.Browser.Tests;

/// <summary>
/// The interactive API reference (<c>/api/docs</c>, Scalar over the server's OpenAPI document) in headless Chromium:
/// it renders every group of operations under its Content-Security-Policy (no inline script, this origin only),
/// asks nothing of any other origin, and opens a group's operations from the sidebar.
/// </summary>
[Collection(WidgetsCollection.Name)]
public sealed class ApiReferenceBrowserTests(WidgetSite site, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task The_reference_renders_the_apis_operations_from_this_origin_alone_without_an_error()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        var requested = new List<string>();
        await using var reference = await OpenAsync(requested);
        var page = reference.Page;

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "OpenConduct API", Level = 1 })).ToBeVisibleAsync();
        foreach (var group in new[] { "Officers", "Complaints", "Releases", "Datasets", "Dashboards", "Changes", "Health", "Widgets" })
        {
            await Expect(page.GetByText(group, new() { Exact = true }).First).ToBeVisibleAsync();
        }

        // A group opened from the sidebar shows its operations.
        await page.GetByText("Complaints", new() { Exact = true }).First.ClickAsync();
        await Expect(page.GetByText("/api/complaints/{caseNumber}").First).ToBeVisibleAsync();
        await reference.ScreenshotAsync("api-reference", output);

        Assert.True(reference.Errors.Count == 0, string.Join("\n", reference.Errors) + "\nrequested: " + string.Join(", ", requested));
        var api = site.Api.GetLeftPart(UriPartial.Authority);
        Assert.All(requested, url => Assert.True(url.StartsWith(api, StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal), $"a request to another origin: {url}"));
        Assert.Contains(requested, url => url.EndsWith("/api/openapi.json", StringComparison.Ordinal));
    }

    [SkippableTheory]
    [InlineData(1280, 900, ColorScheme.Light)]
    [InlineData(390, 844, ColorScheme.Light)]
    [InlineData(1280, 900, ColorScheme.Dark)]
    public async Task The_reference_has_no_serious_or_critical_axe_violation_and_no_sideways_scroll_on_a_phone(int width, int height, ColorScheme scheme)
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        Skip.If(Axe.Missing is not null, Axe.Missing);
        // The page's Content-Security-Policy allows this origin's scripts only: axe's script tag needs it bypassed.
        await using var context = await site.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, Locale = "en-US", BypassCSP = true, ColorScheme = scheme });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(site.Api, "/api/docs").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "OpenConduct API", Level = 1 })).ToBeVisibleAsync();
        // The operations drawn, with their examples (highlighted JSON) and the client libraries' tabs.
        await Expect(page.Locator(".client-libraries-text").First).ToBeAttachedAsync();
        await Expect(page.Locator(".hljs-literal").First).ToBeAttachedAsync();

        await Axe.AssertNoSeriousViolationAsync(page, output, $"the API reference at {width} px ({scheme})");
        if (width <= 400)
        {
            await Axe.AssertNoSidewaysScrollAsync(page, $"the API reference at {width} px");
        }
    }

    private async Task<WidgetPage> OpenAsync(List<string> requested)
    {
        var reference = await WidgetPage.OpenAsync(site, new Uri(site.Api, "/api/docs"));
        reference.Page.Request += (_, request) => requested.Add(request.Url);
        await reference.Page.ReloadAsync();
        return reference;
    }
}
