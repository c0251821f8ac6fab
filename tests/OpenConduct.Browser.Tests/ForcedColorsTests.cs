using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace OpenConduct.Browser.Tests;

/// <summary>
/// The sample page in forced-colours (high-contrast) mode, light and dark, read from the computed styles: every bar
/// segment outlined in CanvasText and filled as its legend swatch; the part of a total not shown in Canvas with a dashed
/// outline (its swatch too), unlike any shown part; axes and texts in CanvasText; the map's regions outlined, their
/// legend matching, their labels at a contrast of 4.5 or more on their fill; buttons bordered; the focus of a bar and
/// of a region in Highlight; and the same over every dashboard the API lists, with each of its options.
/// </summary>
[Collection(WidgetsCollection.Name)]
public sealed class ForcedColorsTests(WidgetSite site, ITestOutputHelper output)
{
    /// <summary>The checks, in the page: a list of what is wrong (empty when all is well).</summary>
    private const string Check = """
        () => {
          const probe = (name) => { const d = document.createElement('div'); d.style.forcedColorAdjust = 'none'; d.style.color = name; document.body.append(d); const c = getComputedStyle(d).color; d.remove(); return c; };
          const canvas = probe('Canvas'), text = probe('CanvasText');
          // rgb(0-255) or color(srgb 0-1 ...), as 0-1.
          const rgb = (css) => { const n = (css.match(/[\d.]+/g) || []).map(Number); return css.startsWith('color(') ? n.slice(0, 3) : n.slice(0, 3).map((x) => x / 255); };
          const lum = (css) => { const [r, g, b] = rgb(css).map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4)); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          const contrast = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
          const same = (a, b) => a !== 'none' && b !== 'none' && rgb(a).every((x, i) => Math.abs(x - rgb(b)[i]) < 0.01);
          // Each kind of problem once, with its first example and how often it occurs.
          const seen = new Map();
          const problems = [];
          const say = (what, el, s) => { if (!seen.has(what)) { seen.set(what, 0); problems.push([what, `<${el.tagName.toLowerCase()} class="${el.getAttribute('class')}"> ${s}`]); } seen.set(what, seen.get(what) + 1); };
          for (const host of document.querySelectorAll('oc-dashboard')) {
            const root = host.shadowRoot;
            const id = host.id || host.getAttribute('name') + (host.getAttribute('filters') ? '?' + host.getAttribute('filters') : '');
            const fills = {};
            const segments = root.querySelectorAll('svg rect:not(.hit)');
            if (!segments.length && host.state?.data?.total === 0) continue;   // nothing to draw (recommended-vs-final under Minnesota)
            if (!segments.length) problems.push(`${id}: no bar`);
            for (const r of segments) {
              const s = getComputedStyle(r), c = r.getAttribute('class');
              if (/^s\d$/.test(c)) {
                fills[c] = s.fill;
                if (!same(s.stroke, text) || parseFloat(s.strokeWidth) < 1) say(`${id} a shown segment is not outlined in CanvasText`, r, `stroke ${s.stroke} ${s.strokeWidth}`);
                if (s.strokeDasharray !== 'none') say(`${id} a shown segment has a dashed outline`, r, s.strokeDasharray);
                if (same(s.fill, canvas)) say(`${id} a shown segment is filled as the Canvas`, r, s.fill);
              } else if (c === 'rest') {
                if (!same(s.fill, canvas)) say(`${id} the part not shown is not Canvas`, r, s.fill);
                if (s.strokeDasharray === 'none' || !same(s.stroke, text)) say(`${id} the part not shown has no dashed CanvasText outline`, r, `${s.stroke} ${s.strokeDasharray}`);
              }
            }
            for (const sw of root.querySelectorAll('.legend .sw')) {
              const s = getComputedStyle(sw), c = [...sw.classList].find((x) => x !== 'sw');
              if (c === 'rest') {
                if (s.borderTopStyle !== 'dashed' || !same(s.borderTopColor, text) || !same(s.backgroundColor, canvas)) say(`${id} the legend of the part not shown is not a dashed CanvasText box on Canvas`, sw, `${s.borderTopStyle} ${s.borderTopColor} on ${s.backgroundColor}`);
              } else {
                if (fills[c] && !same(s.backgroundColor, fills[c])) say(`${id} a legend swatch differs from its series`, sw, `${s.backgroundColor}, the bars ${fills[c]}`);
                // Outlined in CanvasText, or (a line's swatch) drawn in a colour that stands out from the Canvas.
                const outlined = same(s.borderTopColor, text) && s.borderTopStyle === 'solid';
                if (!outlined && contrast(s.backgroundColor, canvas) < 3) say(`${id} a legend swatch is neither outlined in CanvasText nor visible on the Canvas`, sw, `${s.borderTopStyle} ${s.borderTopColor}, ${s.backgroundColor}`);
              }
            }
            for (const t of root.querySelectorAll('svg text')) {
              const s = getComputedStyle(t);
              if (!same(s.fill, text)) say(`${id} a chart's text is not CanvasText`, t, s.fill);
            }
            for (const a of root.querySelectorAll('.axis')) {
              if (!same(getComputedStyle(a).stroke, text)) say(`${id} an axis is not CanvasText`, a, getComputedStyle(a).stroke);
            }
            for (const b of root.querySelectorAll('.btn')) {
              const s = getComputedStyle(b);
              if (s.borderTopStyle === 'none' || contrast(s.borderTopColor, canvas) < 3) say(`${id} a button has no visible border`, b, `${s.borderTopStyle} ${s.borderTopColor}`);
            }
          }
          const map = document.querySelector('oc-map').shadowRoot;
          const regionFills = {};
          const regions = map.querySelectorAll('path.region');
          if (!regions.length) problems.push('the map: no region');
          for (const r of regions) {
            const s = getComputedStyle(r);
            const q = [...r.classList].find((x) => /^q/.test(x));
            regionFills[q] = s.fill;
            if (!same(s.stroke, text) || parseFloat(s.strokeWidth) < 1) say('a region is not outlined in CanvasText', r, `${s.stroke} ${s.strokeWidth}`);
            const label = map.querySelector(`text[data-lp="${CSS.escape(r.dataset.p)}"]`);
            if (label && contrast(getComputedStyle(label).fill, s.fill) < 4.5) say(`the label of precinct ${r.dataset.p} is not legible on its region`, label, `${getComputedStyle(label).fill} on ${s.fill}: ${contrast(getComputedStyle(label).fill, s.fill).toFixed(2)}`);
          }
          for (const sw of map.querySelectorAll('.legend .sw')) {
            const s = getComputedStyle(sw), c = [...sw.classList].find((x) => x !== 'sw');
            if (regionFills[c] && !same(s.backgroundColor, regionFills[c])) say('a map legend swatch differs from its regions', sw, `${s.backgroundColor}, the regions ${regionFills[c]}`);
          }
          return problems.map((p) => typeof p === 'string' ? p : `${p[0]} (${seen.get(p[0])} times; e.g. ${p[1]})`);
        }
        """;

    [SkippableTheory]
    [InlineData(ColorScheme.Light)]
    [InlineData(ColorScheme.Dark)]
    public async Task Charts_and_the_map_stay_readable_in_forced_colours(ColorScheme scheme)
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        await using var context = await NewContextAsync(scheme);
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(site.Site.BaseAddress, "embed.html").ToString());
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Expect(page.Locator("oc-map path.region").First).ToBeAttachedAsync();
        await Expect(page.Locator("#types g[data-drill]").First).ToBeAttachedAsync();
        await Expect(page.Locator("#time rect.rest").First).ToBeAttachedAsync();
        Assert.True(await page.EvaluateAsync<bool>("() => matchMedia('(forced-colors: active)').matches"), "forced colours are not emulated");

        var problems = await page.EvaluateAsync<string[]>(Check);
        Assert.True(problems.Length == 0, string.Join("\n", problems));

        // The focus of a bar and of a region, in Highlight (a keyboard's focus: Tab into the chart, then into the map).
        var highlight = await page.EvaluateAsync<string>("() => { const d = document.createElement('div'); d.style.forcedColorAdjust = 'none'; d.style.color = 'Highlight'; document.body.append(d); const c = getComputedStyle(d).color; d.remove(); return c; }");
        foreach (var (target, ring) in new[] { ("#types g.b[tabindex='0']", ":scope > .hit"), ("oc-map path.region", ":scope") })
        {
            await page.Locator(target).First.FocusAsync();
            var focus = await page.EvaluateAsync<JsonElement>(
                """
                (ring) => {
                  let a = document.activeElement;
                  while (a && a.shadowRoot && a.shadowRoot.activeElement) a = a.shadowRoot.activeElement;
                  const s = getComputedStyle(a.querySelector(ring) || a);
                  return { visible: a.matches(':focus-visible'), stroke: s.stroke, width: parseFloat(s.strokeWidth) };
                }
                """, ring);
            output.WriteLine($"{scheme} {target}: {focus}");
            Assert.True(focus.GetProperty("visible").GetBoolean(), $"{target}: no visible focus");
            Assert.Equal(highlight, focus.GetProperty("stroke").GetString());
            Assert.True(focus.GetProperty("width").GetDouble() >= 3, $"{target}: a focus stroke of {focus.GetProperty("width")}");
        }

        await page.Locator("#where").EvaluateAsync("e => e.closest('section').scrollIntoView()");
        await page.ScreenshotAsync(new() { Path = Screenshot($"forced-colors-{scheme.ToString().ToLowerInvariant()}"), FullPage = true });
    }

    [SkippableFact]
    public async Task Every_dashboard_with_each_of_its_options_stays_readable_in_dark_forced_colours()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        using var http = new HttpClient { BaseAddress = site.Api };
        var catalog = await http.GetFromJsonAsync<JsonElement>("/api/dashboards");
        var dashboards = TestPages.DashboardVariants(catalog);

        await using var context = await NewContextAsync(ColorScheme.Dark);
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(site.Site.BaseAddress, "everything.html").ToString());
        await TestPages.AddDashboardsAsync(page, dashboards);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('oc-dashboard')].every(d => d.shadowRoot.querySelector('section svg'))");
        await Expect(page.Locator("oc-map path.region").First).ToBeAttachedAsync();
        output.WriteLine($"{dashboards.Count} dashboards: {string.Join(", ", dashboards.Select(d => d.Filters.Length > 0 ? $"{d.Name}?{d.Filters}" : d.Name))}");

        var problems = await page.EvaluateAsync<string[]>(Check);
        Assert.True(problems.Length == 0, string.Join("\n", problems));
    }

    [SkippableFact]
    public async Task Switching_high_contrast_on_while_the_page_is_open_draws_the_map_labels_again()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        await using var context = await site.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, Locale = "en-US", ColorScheme = ColorScheme.Light });
        var page = await context.NewPageAsync();
        await page.GotoAsync(new Uri(site.Site.BaseAddress, "embed.html").ToString());

        // A precinct no record names is drawn in the page's background (white here, black once dark high contrast is on),
        // its label chosen for that fill.
        await page.Locator("oc-map").EvaluateAsync("(m, url) => m.setAttribute('geojson', url)", new Uri(site.Site.BaseAddress, "extra-precinct.geojson").ToString());
        await Expect(page.Locator("oc-map path.region.qn").First).ToBeAttachedAsync();
        Assert.False(await page.EvaluateAsync<bool>("() => matchMedia('(forced-colors: active)').matches"));

        await page.EmulateMediaAsync(new() { ForcedColors = ForcedColors.Active, ColorScheme = ColorScheme.Dark });
        Assert.True(await page.EvaluateAsync<bool>("() => matchMedia('(forced-colors: active)').matches"), "forced colours are not emulated");
        await Expect(page.Locator("oc-map path.region.qn").First).ToBeAttachedAsync();

        // The media query's change event comes after the emulation returns: wait (5 s at most) for the redraw it causes.
        try
        {
            await page.WaitForFunctionAsync($"() => ({Check})().length === 0", null, new() { Timeout = 5000 });
        }
        catch (TimeoutException)
        {
            // Reported below, with what is wrong.
        }

        var problems = await page.EvaluateAsync<string[]>(Check);
        Assert.True(problems.Length == 0, string.Join("\n", problems));
    }

    private Task<IBrowserContext> NewContextAsync(ColorScheme scheme) => site.Browser.NewContextAsync(new()
    {
        ViewportSize = new() { Width = 1280, Height = 900 },
        Locale = "en-US",
        ForcedColors = ForcedColors.Active,
        ColorScheme = scheme,
        ReducedMotion = ReducedMotion.Reduce,
    });

    private string Screenshot(string name)
    {
        var path = Path.Combine(OpenConduct.Server.Tests.Cli.Repo, "artifacts", "screenshots", name + ".png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        output.WriteLine($"screenshot: {path}");
        return path;
    }
}
