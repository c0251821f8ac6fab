using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Browser.Tests;

/// <summary>
/// The widgets in headless Chromium, as the public uses them on the sample civil-rights page (samples/widgets/embed.html)
/// served from another origin than the API's: officer search to history, a precinct drilling down a chart, the keyboard
/// alone, the page loading clean with CORS, and Spanish.
/// </summary>
[Collection(WidgetsCollection.Name)]
public sealed class WidgetBrowserTests(WidgetSite site, ITestOutputHelper output)
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    [SkippableFact]
    public async Task Typing_part_of_a_name_and_choosing_a_result_with_the_keyboard_shows_the_officers_history()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        await using var widgets = await WidgetPage.OpenAsync(site, "embed.html");
        var page = widgets.Page;
        var input = page.Locator("oc-officer-search input");
        await Expect(input).ToHaveAttributeAsync("role", "combobox");
        await SearchAsync(page, "whi");

        var options = page.Locator("oc-officer-search [role=option]");
        await Expect(options.First).ToBeVisibleAsync();
        await Expect(input).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.Locator("oc-officer-search .status")).ToContainTextAsync(new Regex("\\d+ officers? found"));
        var expected = await Json(site.Api, "/api/officers?q=whi");
        var first = expected.GetProperty("officers")[0];
        await Expect(options.First).ToContainTextAsync(first.GetProperty("displayName").GetString()!);

        // What tells two people of one name apart: the sources and the years of the first and last complaint.
        var sources = string.Join(", ", first.GetProperty("sources").EnumerateArray().Select(x => x.GetString()));
        Assert.NotEqual("", sources);
        await Expect(options.First.Locator(".meta")).ToContainTextAsync("Source: " + sources);
        var firstYear = first.GetProperty("firstComplaintYear").GetInt32();
        var lastYear = first.GetProperty("lastComplaintYear").GetInt32();
        await Expect(options.First.Locator(".meta")).ToContainTextAsync(firstYear == lastYear
            ? $"Complaints {firstYear}" : $"Complaints {firstYear}–{lastYear}");

        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(input).ToHaveAttributeAsync("aria-activedescendant", "o0");
        await Expect(options.First).ToHaveAttributeAsync("aria-selected", "true");
        await widgets.ScreenshotAsync("search-results", output);
        await page.Keyboard.PressAsync("Enter");

        await Expect(input).ToHaveAttributeAsync("aria-expanded", "false");
        await Expect(input).ToHaveValueAsync(first.GetProperty("displayName").GetString()!);
        var officer = await Json(site.Api, "/api/officers/" + first.GetProperty("id").GetString());
        var history = page.Locator("oc-officer-history");
        await Expect(history).ToHaveAttributeAsync("officer-id", first.GetProperty("id").GetString()!);
        await Expect(history.Locator("caption")).ToContainTextAsync("Complaint history of " + officer.GetProperty("displayName").GetString());
        var complaints = officer.GetProperty("complaints");
        Assert.True(complaints.GetArrayLength() > 0);
        await Expect(history.Locator("tbody tr").First.Locator("th")).ToHaveTextAsync(complaints[0].GetProperty("caseNumber").GetString()!);
        var limit = int.Parse(await history.GetAttributeAsync("limit") ?? "25", CultureInfo.InvariantCulture);
        await Expect(history.Locator("tbody tr")).ToHaveCountAsync(Math.Min(limit, complaints.GetArrayLength()));
        if (complaints.GetArrayLength() > limit)
        {
            await history.Locator("button.more").ClickAsync();
            await Expect(history.Locator("tbody tr")).ToHaveCountAsync(complaints.GetArrayLength());
        }

        await Expect(history.Locator("ul.sum li").First).ToContainTextAsync(officer.GetProperty("summary").GetProperty("complaints").GetInt32().ToString("N0", English));
        await Expect(history.Locator("[role=status]")).ToContainTextAsync("Complaint history of");
        await Expect(history.Locator("dl.facts")).ToContainTextAsync("Sources");
        await Expect(history.Locator("dl.facts")).ToContainTextAsync(sources.Split(", ")[0]);
        await widgets.ScreenshotAsync("officer-history", output);

        // Escape closes the list; a second Escape clears the box.
        await input.FocusAsync();
        await input.FillAsync("");
        await SearchAsync(page, "whi");
        await Expect(input).ToHaveAttributeAsync("aria-expanded", "true");
        await page.Keyboard.PressAsync("Escape");
        await Expect(input).ToHaveAttributeAsync("aria-expanded", "false");
        await page.Keyboard.PressAsync("Escape");
        await Expect(input).ToHaveValueAsync("");
        Assert.Empty(widgets.Errors);
    }

    [SkippableFact]
    public async Task Clicking_a_precinct_on_the_map_filters_the_linked_chart_to_that_precinct()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        await using var widgets = await WidgetPage.OpenAsync(site, "embed.html");
        var page = widgets.Page;
        var map = page.Locator("oc-map");
        var chart = page.Locator("oc-dashboard#types");
        await Expect(map.Locator("path[data-p]")).ToHaveCountAsync(5);
        await Expect(chart.Locator("svg g[data-drill]").First).ToBeVisibleAsync();
        await Expect(chart.Locator(".chips")).ToHaveCountAsync(0);
        var before = await chart.Locator("svg g[data-drill]").EvaluateAllAsync<string[]>("bars => bars.map(b => b.getAttribute('aria-label'))");

        var all = await Json(site.Api, "/api/dashboards/allegation-types");
        var third = await Json(site.Api, "/api/dashboards/allegation-types?precinct=3");
        Assert.NotEqual(all.GetProperty("rowTotals").ToString(), third.GetProperty("rowTotals").ToString());

        await map.Locator("path[data-p='3']").ClickAsync();
        await Expect(map.Locator("path[data-p='3']")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(chart).ToHaveAttributeAsync("filters", "precinct=3");
        await Expect(chart.Locator(".chips li")).ToHaveTextAsync(new Regex("^Precinct: 3"));
        await Expect(map.Locator("[role=status]")).ToContainTextAsync("Precinct 3 selected");
        await Expect(chart.Locator("svg g[data-drill]").First).ToBeVisibleAsync();
        var after = await chart.Locator("svg g[data-drill]").EvaluateAllAsync<string[]>("bars => bars.map(b => b.getAttribute('aria-label'))");
        Assert.NotEqual(before, after);
        await widgets.ScreenshotAsync("map-drilldown", output);

        // The chart's table shows the filtered numbers, the API's, suppressed cells as "<k", never 0.
        await chart.Locator("button.toggle").ClickAsync();
        var rows = chart.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(third.GetProperty("rows").GetProperty("values").GetArrayLength());
        var totals = third.GetProperty("rowTotals").EnumerateArray().ToList();
        for (var i = 0; i < totals.Count; i++)
        {
            var text = await rows.Nth(i).Locator("td.tot").InnerTextAsync();
            if (totals[i].ValueKind == JsonValueKind.Null)
            {
                Assert.StartsWith("<" + third.GetProperty("k").GetInt32(), text, StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(totals[i].GetInt32().ToString("N0", English), text.Trim());
            }
        }

        var cells = third.GetProperty("cells").EnumerateArray().SelectMany(r => r.EnumerateArray()).ToList();
        if (cells.Any(c => c.ValueKind == JsonValueKind.Null))
        {
            await Expect(chart.Locator("tbody abbr").First).ToHaveTextAsync("<" + third.GetProperty("k").GetInt32());
        }

        await widgets.ScreenshotAsync("map-drilldown-table", output);

        // The same precinct again clears the filter; so does the chip's remove button.
        await map.Locator("path[data-p='3']").ClickAsync();
        await Expect(chart).ToHaveAttributeAsync("filters", "");
        await map.Locator("path[data-p='5']").ClickAsync();
        await Expect(chart).ToHaveAttributeAsync("filters", "precinct=5");
        await chart.Locator(".chips button").ClickAsync();
        await Expect(chart).ToHaveAttributeAsync("filters", "");
        await Expect(map.Locator("path[data-p='5']")).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Empty(widgets.Errors);
    }

    [SkippableFact]
    public async Task Charts_draw_the_apis_bins_and_the_part_of_each_total_not_shown_with_a_table_equivalent()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        await using var widgets = await WidgetPage.OpenAsync(site, "embed.html");
        var page = widgets.Page;

        // Over time: the sample has fewer than k complaints in most single years, so the API groups the years; every
        // bar is one of its bins, with its total, and none is a filter (a bin is not one year).
        var time = page.Locator("oc-dashboard#time");
        var overTime = await Json(site.Api, "/api/dashboards/complaints-over-time?interval=year");
        var bins = overTime.GetProperty("rows").GetProperty("values").EnumerateArray().Select(v => v.GetString()!).ToList();
        Assert.NotEqual("year", overTime.GetProperty("grouping").GetProperty("time").GetString());
        var bars = time.Locator("svg g[role=img]");
        await Expect(bars).ToHaveCountAsync(bins.Count);
        await Expect(time.Locator("svg g[data-drill]")).ToHaveCountAsync(0);
        var labels = await bars.EvaluateAllAsync<string[]>("bars => bars.map(b => b.getAttribute('aria-label'))");
        for (var i = 0; i < bins.Count; i++)
        {
            var total = overTime.GetProperty("rowTotals")[i];
            Assert.Equal(JsonValueKind.Number, total.ValueKind);   // every period with complaints shows its total
            Assert.StartsWith(bins[i].Replace('-', '\u2013') + ": " + total.GetInt32().ToString("N0", English) + " complaint", labels[i], StringComparison.Ordinal);
        }

        await Expect(time.Locator("p.grouped").First).ToContainTextAsync("periods");
        var through = DateTime.ParseExact(overTime.GetProperty("dataThrough").GetString()!, "yyyy-MM", CultureInfo.InvariantCulture);   // 2026, the samples' year
        await Expect(time.Locator("p.grouped").Nth(1)).ToHaveTextAsync($"The data runs to {through.ToString("MMM yyyy", English)}: the last period is not a whole year.");
        await widgets.ScreenshotAsync("time-bins", output);

        // Categories by finding: a row whose cells are partly hidden draws its total, the hidden part as one hatched
        // segment of the same bar ("part of this total not shown"), never a grey series.
        var types = page.Locator("oc-dashboard#types");
        var table = await Json(site.Api, "/api/dashboards/allegation-types");
        var parts = table.GetProperty("suppressedParts").EnumerateArray().Select(p => p.ValueKind == JsonValueKind.Number ? p.GetInt64() : 0).ToList();
        Assert.Contains(parts, p => p > 0);

        // A hidden cell that the published figures bound ("at least N": the one cell hidden to protect cells below k, in a
        // row with a published total) is drawn as N; the hatched part is the rest of the part not shown.
        var bounds = Enumerable.Range(0, parts.Count).Select(i => Enumerable.Range(0, table.GetProperty("columns").GetProperty("values").GetArrayLength()).Select(j => LowerBound(table, i, j)).ToList()).ToList();
        var rests = parts.Select((p, i) => p - bounds[i].Sum(b => b ?? 0)).ToList();
        await Expect(types.Locator("svg g[data-drill]")).ToHaveCountAsync(parts.Count);
        await Expect(types.Locator("svg rect.rest")).ToHaveCountAsync(rests.Count(p => p > 0));
        await Expect(types.Locator("ul.legend")).ToContainTextAsync("Part of this total not shown");
        var first = rests.FindIndex(p => p > 0);
        await Expect(types.Locator("svg g[data-drill]").Nth(first)).ToHaveAttributeAsync("aria-label", new Regex($"{rests[first].ToString("N0", English)} of it not shown"));
        var boundedRow = bounds.FindIndex(b => b.Any(x => x is not null));
        Assert.True(boundedRow >= 0, "no row of the sample's allegation types has a bounded hidden cell");
        var bound = bounds[boundedRow].First(x => x is not null)!.Value;
        await Expect(types.Locator("svg g[data-drill]").Nth(boundedRow)).ToHaveAttributeAsync("aria-label", new Regex($"at least {bound.ToString("N0", English)}"));
        await widgets.ScreenshotAsync("part-not-shown", output);

        // The table says the same: the total, and the part of it not shown, per row.
        await types.Locator("button.toggle").ClickAsync();
        await Expect(types.Locator("thead th").Last).ToHaveTextAsync("Part not shown");
        var cells = types.Locator("tbody td.part");
        await Expect(cells).ToHaveCountAsync(parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            var total = table.GetProperty("rowTotals")[i];
            await Expect(cells.Nth(i)).ToHaveTextAsync(total.ValueKind == JsonValueKind.Null ? "" : parts[i].ToString("N0", English));
        }

        // A hidden cell says what is known of it: "<10" below k, "≥ N" where the published figures bound it, "hidden" else.
        var boundedColumn = bounds[boundedRow].FindIndex(x => x is not null);
        await Expect(types.Locator("tbody tr").Nth(boundedRow).Locator("td").Nth(boundedColumn)).ToHaveTextAsync($"≥\u00a0{bound.ToString("N0", English)}");
        foreach (var s in table.GetProperty("suppressed").EnumerateArray().Where(s => s.GetProperty("row").ValueKind == JsonValueKind.Number && s.GetProperty("column").ValueKind == JsonValueKind.Number))
        {
            var (row, column) = (s.GetProperty("row").GetInt32(), s.GetProperty("column").GetInt32());
            var text = await types.Locator("tbody tr").Nth(row).Locator("td").Nth(column).InnerTextAsync();
            var expected = LowerBound(table, row, column) is { } b ? $"≥\u00a0{b.ToString("N0", English)}" : s.GetProperty("reason").GetString() == "belowThreshold" ? "<10 (suppressed)" : "hidden";
            Assert.Equal(expected, text.Replace("\n", " ", StringComparison.Ordinal).Trim());
        }

        Assert.Empty(widgets.Errors);
    }

    /// <summary>
    /// What the published figures say of a hidden cell (an independent reckoning of the widget's): in a row with a
    /// published total whose other hidden cells are all below k, the complementary one is at least the total minus the
    /// published cells minus k - 1 for each other; null unless at least k.
    /// </summary>
    private static long? LowerBound(JsonElement table, int i, int j)
    {
        var k = table.GetProperty("k").GetInt64();
        var cells = table.GetProperty("cells")[i];
        var total = table.GetProperty("rowTotals")[i];
        var hidden = table.GetProperty("suppressed").EnumerateArray()
            .Where(s => s.GetProperty("row").ValueKind == JsonValueKind.Number && s.GetProperty("row").GetInt32() == i && s.GetProperty("column").ValueKind == JsonValueKind.Number)
            .Select(s => (Column: s.GetProperty("column").GetInt32(), Reason: s.GetProperty("reason").GetString()))
            .ToList();
        if (cells[j].ValueKind != JsonValueKind.Null || total.ValueKind != JsonValueKind.Number
            || !hidden.Contains((j, "complementary")) || hidden.Any(h => h.Column != j && h.Reason != "belowThreshold"))
        {
            return null;
        }

        var bound = total.GetInt64() - cells.EnumerateArray().Sum(v => v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0) - ((k - 1) * (hidden.Count - 1));
        return bound >= k ? bound : null;
    }

    [SkippableFact]
    public async Task Everything_works_from_the_keyboard_alone_with_a_visible_focus()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        await using var widgets = await WidgetPage.OpenAsync(site, "embed.html", reducedMotion: true);
        var page = widgets.Page;
        await Expect(page.Locator("oc-map path[data-p]")).ToHaveCountAsync(5);
        await Expect(page.Locator("oc-dashboard#types svg g[data-drill]").First).ToBeVisibleAsync();

        // Tab to the search box: through the skip link and the language switch only.
        var focus = await TabUntilAsync(widgets, f => f.Host == "oc-officer-search" && f.Role == "combobox", 6);
        Assert.True(focus.Visible, $"the search box's focus is not visible: {focus}");
        await page.Keyboard.TypeAsync("whi", new() { Delay = 60 });
        await Expect(page.Locator("oc-officer-search [role=listbox]")).ToHaveAttributeAsync("aria-busy", "false");
        await Expect(page.Locator("oc-officer-search [role=option]").First).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        var active = page.Locator("oc-officer-search [role=option][aria-selected=true]");
        await Expect(active).ToHaveCountAsync(1);
        Assert.NotEqual("none", await active.EvaluateAsync<string>("o => getComputedStyle(o).outlineStyle"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("oc-officer-history caption")).ToBeVisibleAsync();
        await widgets.ScreenshotAsync("keyboard-search", output);

        // On through the history to the map's precincts: each one is a button; Enter drills the linked chart down.
        focus = await TabUntilAsync(widgets, f => f.Host == "oc-map#map" && f.Tag == "path", 12);
        Assert.True(focus.Visible, $"the precinct's focus is not visible: {focus}");
        Assert.Equal("button", focus.Role);
        Assert.Matches("^Precinct \\d: ", focus.Text);
        await page.Keyboard.PressAsync("Tab");
        var second = await widgets.FocusedAsync();
        Assert.Equal("path", second.Tag);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("oc-dashboard#types")).ToHaveAttributeAsync("filters", "precinct=" + second.Precinct);
        Assert.Equal(second.Precinct, (await widgets.FocusedAsync()).Precinct);
        await widgets.ScreenshotAsync("keyboard-precinct", output);

        // On to the chart's table toggle: Enter shows the table, the focus stays on the toggle.
        focus = await TabUntilAsync(widgets, f => f.Host == "oc-dashboard#types" && f.ClassName.Contains("toggle", StringComparison.Ordinal), 12);
        Assert.True(focus.Visible, $"the toggle's focus is not visible: {focus}");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("oc-dashboard#types table")).ToBeVisibleAsync();
        focus = await widgets.FocusedAsync();
        Assert.Contains("toggle", focus.ClassName, StringComparison.Ordinal);
        Assert.Equal("Show as a chart", focus.Text);

        // A row of the table drills down further (a second filter), from the keyboard.
        await page.Keyboard.PressAsync("Tab");
        focus = await widgets.FocusedAsync();
        Assert.Equal("button", focus.Tag);
        Assert.True(focus.Visible, $"the row button's focus is not visible: {focus}");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("oc-dashboard#types .chips li")).ToHaveCountAsync(2);
        await widgets.ScreenshotAsync("keyboard-table", output);

        // The chart's bars are one tab stop; the arrow keys move between them (the categories' chart: the sample's time
        // chart has bins of years, which are not filters, so its bars are not buttons).
        await page.Locator("oc-dashboard#types").EvaluateAsync("d => { d.setAttribute('filters', ''); d.setAttribute('view', 'chart'); }");
        await Expect(page.Locator("oc-dashboard#types svg g[data-drill]").First).ToBeVisibleAsync();
        focus = await TabUntilAsync(widgets, f => f.Host == "oc-dashboard#types" && f.Tag == "g", 30);
        Assert.True(focus.Visible, $"the bar's focus is not visible: {focus}");
        var firstBar = focus.Text;
        await page.Keyboard.PressAsync("ArrowRight");
        Assert.NotEqual(firstBar, (await widgets.FocusedAsync()).Text);
        Assert.Empty(widgets.Errors);
    }

    [SkippableFact]
    public async Task The_embed_page_on_another_origin_loads_every_widget_with_cors_and_no_console_error()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        var context = await site.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, Locale = "en-US" });
        await using var _ = context;
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type is "error" or "warning")
            {
                errors.Add(m.Text);
            }
        };
        page.PageError += (_, e) => errors.Add(e);
        var apiResponses = new List<IResponse>();
        page.Response += (_, r) =>
        {
            if (r.Url.StartsWith(site.Api.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal))
            {
                apiResponses.Add(r);
            }
        };

        await page.GotoAsync(new Uri(site.Site.BaseAddress, "embed.html").ToString());
        Assert.NotEqual(site.Api.GetLeftPart(UriPartial.Authority), site.Site.Origin);
        await Expect(page.Locator("oc-officer-search input")).ToBeVisibleAsync();
        await Expect(page.Locator("oc-officer-history")).ToContainTextAsync("Choose an officer");
        await Expect(page.Locator("oc-map path[data-p]")).ToHaveCountAsync(5);
        await Expect(page.Locator("oc-dashboard#types svg g[data-drill]").First).ToBeVisibleAsync();
        await Expect(page.Locator("oc-dashboard#time svg g[aria-label]").First).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        // The stable name redirected to the versioned, immutable script; every API answer allowed this origin.
        Assert.Contains(apiResponses, r => Regex.IsMatch(r.Url, "/widgets/openconduct\\.[0-9a-f]{8}\\.js$") && r.Status == 200
            && r.Headers.GetValueOrDefault("cache-control") == "public, max-age=31536000, immutable");
        Assert.Contains(apiResponses, r => r.Url.EndsWith("/widgets/precincts.geojson", StringComparison.Ordinal));
        Assert.Contains(apiResponses, r => r.Url.Contains("/api/dashboards/", StringComparison.Ordinal));
        Assert.All(apiResponses, r => Assert.Equal(site.Site.Origin, r.Headers.GetValueOrDefault("access-control-allow-origin")));
        Assert.All(apiResponses, r => Assert.True(r.Status is 200 or 302 or 304, $"{r.Status} for {r.Url}"));
        Assert.True(errors.Count == 0, "console: " + string.Join("\n", errors));

        await SearchAsync(page, "whi");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("oc-officer-history caption")).ToBeVisibleAsync();
        await page.Locator("oc-map path[data-p='3']").ClickAsync();
        await Expect(page.Locator("oc-dashboard#types .chips li")).ToHaveCountAsync(1);
        await page.Mouse.MoveAsync(0, 0);
        await page.EvaluateAsync("() => document.activeElement && document.activeElement.blur()");
        var path = Path.Combine(Repo, "artifacts", "screenshots", "embed.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        if (Environment.GetEnvironmentVariable("OPENCONDUCT_UPDATE_SCREENSHOTS") == "1")
        {
            // The README's picture: docs/images/embed.png, refreshed on demand.
            File.Copy(path, Path.Combine(Repo, "docs", "images", "embed.png"), overwrite: true);
        }

        Assert.True(errors.Count == 0, "console: " + string.Join("\n", errors));
    }

    [SkippableFact]
    public async Task Timelines_draw_each_periods_median_and_90th_percentile_and_histories_say_how_long_each_case_took()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        await using var widgets = await WidgetPage.OpenAsync(site, "embed.html");
        var page = widgets.Page;

        // One bar per period the API gives: the median as the bar, the 90th percentile as a whisker, both in its name.
        var timelines = page.Locator("oc-dashboard#timelines");
        var api = await Json(site.Api, "/api/dashboards/timelines?to=closed");
        var rows = api.GetProperty("rows").GetProperty("values").GetArrayLength();
        var durations = api.GetProperty("durations");
        var bars = timelines.Locator("svg g[role=img]");
        await Expect(bars).ToHaveCountAsync(rows);
        await Expect(timelines.Locator("p.meta")).ToHaveTextAsync("Days from received to closed");
        var labels = await bars.EvaluateAllAsync<string[]>("bars => bars.map(b => b.getAttribute('aria-label'))");
        var drawn = 0;
        for (var i = 0; i < rows; i++)
        {
            var median = durations.GetProperty("rowMedian")[i];
            if (median.ValueKind == JsonValueKind.Number)
            {
                drawn++;
                Assert.Contains($"median {median.GetInt64().ToString("N0", English)} days, 90th percentile {durations.GetProperty("rowP90")[i].GetInt64().ToString("N0", English)} days", labels[i], StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains("fewer than 10 complaints: not shown", labels[i], StringComparison.Ordinal);
            }
        }

        Assert.True(drawn > 0, "the sample has no period with a published median");
        await Expect(timelines.Locator("svg line.p90")).ToHaveCountAsync(2 * drawn);
        await widgets.ScreenshotAsync("timelines", output);

        // The table: per source and for all, the complaints, the median and the 90th percentile.
        await timelines.Locator("button.toggle").ClickAsync();
        await Expect(timelines.Locator("thead tr").Nth(1).Locator("th").Nth(2)).ToHaveTextAsync("Median days");
        await Expect(timelines.Locator("tbody tr")).ToHaveCountAsync(rows);
        await Expect(timelines.Locator("tbody tr").First.Locator("td").Last).ToHaveTextAsync(
            durations.GetProperty("rowP90")[0].ValueKind == JsonValueKind.Number ? durations.GetProperty("rowP90")[0].GetInt64().ToString("N0", English) : "");

        // To the final discipline: the option is part of the filters attribute, not a filter chip.
        await timelines.EvaluateAsync("d => d.setAttribute('filters', 'to=discipline')");
        await Expect(timelines.Locator("caption")).ToContainTextAsync("Days from received to final discipline");
        await Expect(timelines.Locator(".chips li")).ToHaveCountAsync(0);

        // A history: each case's days, as the API gives them.
        var officer = await Json(site.Api, "/api/officers/" + (await Json(site.Api, "/api/officers?q=whi")).GetProperty("officers")[0].GetProperty("id").GetString());
        var history = page.Locator("oc-officer-history");
        await history.EvaluateAsync("(h, id) => h.setAttribute('officer-id', id)", officer.GetProperty("id").GetString());
        await Expect(history.Locator("thead th").Nth(5)).ToHaveTextAsync("Time taken");
        var complaints = officer.GetProperty("complaints").EnumerateArray().Take(10).ToList();
        var timed = complaints.FindIndex(c => c.TryGetProperty("daysToClose", out var d) && d.ValueKind == JsonValueKind.Number);
        Assert.True(timed >= 0, "no case of the officer's first ten has days to close");
        var days = complaints[timed].GetProperty("daysToClose").GetInt32();
        await Expect(history.Locator("tbody tr").Nth(timed).Locator("td").Nth(4)).ToContainTextAsync($"closed after {days.ToString("N0", English)} day");
        Assert.Empty(widgets.Errors);
    }

    [SkippableFact]
    public async Task Beyond_eight_series_the_chart_keeps_the_seven_largest_and_one_segment_of_the_others_and_an_all_unknown_column_is_said()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        await using var widgets = await WidgetPage.OpenAsync(site, "embed.html");
        var page = widgets.Page;
        await page.Locator("main").EvaluateAsync("m => m.insertAdjacentHTML('beforeend', '<div id=\"more\"></div>')");
        await TestPages.AddDashboardsAsync(page, [("demographics", "by=officerSex"), ("intake-decisions", "source=cra"), ("recommended-vs-final", "")], "more");
        // Officer sex against the categories: more categories than colours. The legend names 7 and "the N other values".
        var api = await Json(site.Api, "/api/dashboards/demographics?by=officerSex");
        var totals = api.GetProperty("columnTotals").EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetInt64() : -1).ToList();
        var shown = totals.Count(t => t != 0);
        Assert.True(shown > 8, $"the sample has {shown} categories with allegations: too few to need grouping");
        var many = page.Locator("#more oc-dashboard").First;
        await Expect(many.Locator("ul.legend li:has(.sw:not(.rest))")).ToHaveCountAsync(8);
        await Expect(many.Locator("ul.legend li:has(.sw.s7)")).ToContainTextAsync($"The {shown - 7} other values: ");
        var colours = await many.Locator("svg rect[class^=s]").EvaluateAllAsync<string[]>("rs => [...new Set(rs.map(r => r.getAttribute('class')))]");
        Assert.All(colours, c => Assert.Matches("^s[0-7]$", c));
        await many.Locator("button.toggle").ClickAsync();
        var parts = api.GetProperty("suppressedParts").EnumerateArray().Any(p => p.ValueKind == JsonValueKind.Number && p.GetInt64() > 0);
        await Expect(many.Locator("thead th.n")).ToHaveCountAsync(shown + 1 + (parts ? 1 : 0));   // the table keeps every category

        // The former CRA records no intake decision: every count is Unknown, and the chart says so.
        var unknown = page.Locator("#more oc-dashboard").Nth(1);
        await Expect(unknown.Locator("p.grouped").Last).ToHaveTextAsync("No record here gives the intake decision: every count is “Unknown”. The source does not record it.");
        await many.Locator("button.toggle").ClickAsync();
        await Expect(many.Locator("p.grouped:has-text('every count is')")).ToHaveCountAsync(0);

        // Nothing counted at all (recommendations under Minnesota) is not "every count is Unknown".
        var empty = page.Locator("#more oc-dashboard").Nth(2);
        await Expect(empty.Locator("section")).ToBeAttachedAsync();
        Assert.Equal(0, (await Json(site.Api, "/api/dashboards/recommended-vs-final")).GetProperty("total").GetInt64());
        await Expect(empty.Locator("p.grouped:has-text('every count is')")).ToHaveCountAsync(0);
        Assert.Empty(widgets.Errors);
    }

    [SkippableFact]
    public async Task Spanish_pages_and_elements_show_the_spanish_strings()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        await using (var widgets = await WidgetPage.OpenAsync(site, "es.html"))
        {
            var page = widgets.Page;
            await Expect(page.Locator("oc-officer-search label")).ToHaveTextAsync("Buscar agentes por nombre o número de placa");
            await Expect(page.Locator("oc-officer-history")).ToContainTextAsync("Elija un agente para ver su historial de quejas.");
            await Expect(page.Locator("oc-map h2")).ToHaveTextAsync("Acusaciones por distrito");
            await Expect(page.Locator("oc-dashboard button.toggle")).ToHaveTextAsync("Ver como tabla");
            await SearchAsync(page, "whi");
            await Expect(page.Locator("oc-officer-search .status")).ToContainTextAsync(new Regex("Se encontr(ó|aron) \\d+ agentes?"));
            await page.Keyboard.PressAsync("ArrowDown");
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.Locator("oc-officer-history caption")).ToContainTextAsync("Historial de quejas de");
            await Expect(page.Locator("oc-officer-history thead th").First).ToHaveTextAsync("Número de caso");
            await page.Locator("oc-map path[data-p='2']").ClickAsync();
            await Expect(page.Locator("oc-dashboard .chips li")).ToHaveTextAsync(new Regex("^Distrito: 2"));
            await widgets.ScreenshotAsync("spanish", output);
            Assert.Empty(widgets.Errors);
        }

        // An element's own lang wins over the page's; the page's language switch re-renders every widget.
        await using (var widgets = await WidgetPage.OpenAsync(site, "mixed.html"))
        {
            await Expect(widgets.Page.Locator("oc-officer-search#en label")).ToHaveTextAsync("Search officers by name or badge number");
            await Expect(widgets.Page.Locator("oc-officer-search#es label")).ToHaveTextAsync("Buscar agentes por nombre o número de placa");
        }

        await using (var widgets = await WidgetPage.OpenAsync(site, "embed.html"))
        {
            var page = widgets.Page;
            await Expect(page.Locator("oc-dashboard#types svg g[data-drill]").First).ToBeVisibleAsync();
            await page.Locator("[data-set-lang=es]").ClickAsync();
            await Expect(page.Locator("oc-officer-search label")).ToHaveTextAsync("Buscar agentes por nombre o número de placa");
            await Expect(page.Locator("oc-dashboard#types h3")).ToHaveTextAsync("Tipos de acusación y resoluciones");
            await Expect(page.Locator("oc-map h3")).ToHaveTextAsync("Acusaciones por distrito");
            await widgets.ScreenshotAsync("embed-es", output);
            await page.Locator("[data-set-lang=en]").ClickAsync();
            await Expect(page.Locator("oc-officer-search label")).ToHaveTextAsync("Search officers by name or badge number");
            Assert.Empty(widgets.Errors);
        }
    }

    /// <summary>Types into the officer search as a person would, and waits until the answer for the whole text is shown.</summary>
    private static async Task SearchAsync(IPage page, string text, string scope = "oc-officer-search")
    {
        await page.Locator(scope + " input").PressSequentiallyAsync(text, new() { Delay = 60 });
        await Expect(page.Locator(scope + " [role=listbox]")).ToHaveAttributeAsync("aria-busy", "false");
        await Expect(page.Locator(scope + " [role=option]").First).ToBeVisibleAsync();
    }

    /// <summary>Presses Tab until the focused element matches, at most <paramref name="most"/> times; every focus on the way must be visible.</summary>
    private async Task<FocusInfo> TabUntilAsync(WidgetPage widgets, Func<FocusInfo, bool> match, int most)
    {
        var seen = new List<FocusInfo>();
        for (var i = 0; i < most; i++)
        {
            await widgets.Page.Keyboard.PressAsync("Tab");
            var focus = await widgets.FocusedAsync();
            seen.Add(focus);
            if (focus.Host.Length > 0)
            {
                Assert.True(focus.Visible, $"no visible focus on {focus}");
            }

            if (match(focus))
            {
                return focus;
            }
        }

        output.WriteLine(string.Join("\n", seen));
        Assert.Fail($"not reached in {most} presses of Tab: " + string.Join(" -> ", seen));
        return seen[^1];
    }

    private static async Task<JsonElement> Json(Uri api, string path)
    {
        using var http = new HttpClient { BaseAddress = api };
        return await http.GetFromJsonAsync<JsonElement>(path);
    }
}
