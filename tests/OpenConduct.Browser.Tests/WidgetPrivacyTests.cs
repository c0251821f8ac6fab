using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenConduct.Samples;
using OpenConduct.Server.Tests;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Browser.Tests;

/// <summary>
/// The privacy canary over what the widgets show: the three exports generated with a unique canary in every private
/// field and narrative (and the CCRB-shaped export, its complainants canaries, under the New York policy) are ingested and served, and every officer's history, searches (for names and for the canaries
/// themselves), every dashboard with every option, in chart and table, for the whole city and each precinct, and the
/// map are rendered in Chromium; no canary may appear in the rendered text, labels included.
/// </summary>
[Collection(WidgetsCollection.Name)]
public sealed class WidgetPrivacyTests(WidgetSite site, ITestOutputHelper output)
{
    [SkippableFact]
    public async Task No_canary_reaches_the_text_of_any_widget()
    {
        Skip.If(WidgetSite.Missing is not null, WidgetSite.Missing);
        using var folder = new TempFolder();
        var seeded = new SyntheticExportOptions { Seed = 5, RosterSeed = 1991, Allegations = 300, Canaries = true };
        var exports = SyntheticExports.WriteAll(folder.Sub("exports"), seeded);

        // The CCRB-shaped export under New York: recommendations on the histories, complainants' names never.
        var ccrb = SyntheticExports.WriteCcrb(Path.Combine(folder.Sub("exports"), "ccrb"), seeded);
        var canaries = exports.Append(ccrb).SelectMany(e => e.Canaries).Distinct(StringComparer.Ordinal).ToList();
        Assert.True(canaries.Count > 300, $"only {canaries.Count} canaries were seeded");
        Assert.NotEmpty(ccrb.Canaries);
        var (exit, ingested) = RunWith(PseudonymKey, "ingest", "--profile", "samples/profiles/ccrb.json", "--policy", "samples/policies/new-york.json", Path.Combine(folder.Sub("exports"), "ccrb"), "--out", folder.Sub("releases"), "--index", folder.Sub("index"));
        Assert.True(exit == 0, ingested);
        WidgetSite.Ingest(folder.Sub("exports"), folder.Sub("releases"), folder.Sub("index"));
        var port = StaticSite.FreePort();
        using var api = await ApiServer.StartAsync(folder.Sub("releases"), folder.Sub("index"), "--rate-limit", "0", "--cors-origin", $"http://127.0.0.1:{port}");
        await using var pages = await StaticSite.StartAsync(port, Path.Combine(Repo, "samples", "widgets"), api.BaseAddress, TestPages.All);
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        var catalog = await http.GetFromJsonAsync<JsonElement>("/api/dashboards");

        var context = await site.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, Locale = "en-US" });
        await using var _ = context;
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Type == "error")
            {
                errors.Add(m.Text);
            }
        };
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(new Uri(pages.BaseAddress, "everything.html").ToString());
        var rendered = new StringBuilder();
        async Task Collect(string? selector = null) => rendered.Append(selector is null
            ? await page.EvaluateAsync<string>(CollectScript)
            : await page.Locator(selector).First.EvaluateAsync<string>("e => e.shadowRoot.textContent + '\\n' + [...e.shadowRoot.querySelectorAll('[aria-label],[title]')].map(x => (x.getAttribute('aria-label') || '') + ' ' + (x.getAttribute('title') || '')).join('\\n')")).Append('\n');

        // Every dashboard, with each of its options, for the whole city and then for each precinct, as chart and table.
        var dashboards = TestPages.DashboardVariants(catalog);
        await TestPages.AddDashboardsAsync(page, dashboards);
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('oc-dashboard')].every(d => d.shadowRoot.querySelector('section'))");
        await Expect(page.Locator("oc-map path[data-p]").First).ToBeVisibleAsync();
        await Collect();
        await page.EvaluateAsync("() => document.querySelectorAll('oc-dashboard, oc-map').forEach(d => d.setAttribute('view', 'table'))");
        await Collect();
        var precincts = catalog.GetProperty("dimensions").EnumerateArray().Single(d => d.GetProperty("name").GetString() == "precinct").GetProperty("values").EnumerateArray().Select(v => v.GetString()!).ToList();
        Assert.NotEmpty(precincts);
        foreach (var precinct in precincts)
        {
            await page.EvaluateAsync("p => document.querySelectorAll('oc-dashboard').forEach(d => d.setFilter('precinct', p))", precinct);
            await page.WaitForFunctionAsync(
                "p => [...document.querySelectorAll('oc-dashboard')].every(d => [...d.shadowRoot.querySelectorAll('.chips li')].some(li => li.textContent.includes(': ' + p)) && d.shadowRoot.querySelector('caption').textContent.includes(': ' + p))",
                precinct);
            await Collect();
            await page.EvaluateAsync("() => document.querySelectorAll('oc-dashboard').forEach(d => d.setAttribute('view', 'chart'))");
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('oc-dashboard')].every(d => d.shadowRoot.querySelector('svg, .err, #v p'))");
            await Collect();
            await page.EvaluateAsync("() => document.querySelectorAll('oc-dashboard').forEach(d => d.setAttribute('view', 'table'))");
        }

        // Every officer's whole history.
        var officers = OfficerDocuments(folder.Sub("releases")).Select(o => o.GetProperty("id").GetString()!).ToList();
        Assert.True(officers.Count > 20, $"only {officers.Count} officers");
        foreach (var id in officers)
        {
            await page.EvaluateAsync("id => document.getElementById('history').setAttribute('officer-id', id)", id);
            await page.WaitForFunctionAsync("() => document.getElementById('history').shadowRoot.querySelector('section, .err')");
            await Collect("oc-officer-history");
        }

        // Searches: names, partial names, and the canaries themselves.
        var queries = new[] { "an", "son", "ma", "er", "li" }.Concat(canaries.Take(40)).ToList();
        foreach (var query in queries)
        {
            var input = page.Locator("oc-officer-search input");
            await input.FillAsync(query);
            await page.WaitForFunctionAsync(
                "q => { const s = document.querySelector('oc-officer-search').shadowRoot; return s.querySelector('input').value === q && s.querySelector('[role=listbox]').getAttribute('aria-busy') === 'false' && /found|No officer|could not/.test(s.querySelector('.status').textContent); }",
                query);
            await Collect("oc-officer-search");
        }

        // The box holds what the test typed last (a canary): empty it before the last look at the whole page.
        await page.Locator("oc-officer-search input").FillAsync("");
        await Collect();
        var text = rendered.ToString();
        output.WriteLine($"{text.Length:N0} characters of rendered widget text searched for {canaries.Count:N0} canaries ({officers.Count} officers, {dashboards.Count} dashboards x {precincts.Count + 1} filters, {queries.Count} searches)");
        Assert.Contains("Complaint history of", text, StringComparison.Ordinal);
        Assert.Contains("Recommended: ", text, StringComparison.Ordinal);   // a CCRB officer's history was rendered
        Assert.Contains("Recommended and final discipline", text, StringComparison.Ordinal);
        Assert.Contains("Allegation types and findings", text, StringComparison.Ordinal);
        Assert.Contains("officers found", text, StringComparison.Ordinal);
        var leaked = canaries.Where(c => text.Contains(c, StringComparison.OrdinalIgnoreCase)).Take(10).ToList();
        Assert.True(leaked.Count == 0, "canaries in the widgets' text: " + string.Join(", ", leaked));
        Assert.True(errors.Count == 0, "console: " + string.Join("\n", errors));
    }

    /// <summary>The page's text and every shadow root's, with labels, titles, placeholders and values.</summary>
    private const string CollectScript = """
        () => {
          const out = [document.body.innerText];
          const walk = (root) => {
            for (const el of root.querySelectorAll('*')) {
              for (const name of ['aria-label', 'title', 'placeholder', 'alt']) {
                const v = el.getAttribute(name);
                if (v) out.push(v);
              }
              if (typeof el.value === 'string' && el.value) out.push(el.value);
              if (el.shadowRoot) { out.push(el.shadowRoot.textContent); walk(el.shadowRoot); }
            }
          };
          walk(document);
          return out.join('\n');
        }
        """;
}
