using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Browser.Tests;

/// <summary>
/// axe-core (pinned in package.json, installed by npm ci) run inside a page, and the phone's sideways-scroll check: the
/// accessibility checks every browser test of a page shares. Pages under a Content-Security-Policy need a context with
/// <c>BypassCSP</c> for axe's script tag.
/// </summary>
internal static class Axe
{
    private static readonly string Script = Path.Combine(Repo, "node_modules", "axe-core", "axe.min.js");

    /// <summary>Why axe cannot run (null when it can).</summary>
    public static string? Missing => File.Exists(Script) ? null : $"axe-core is missing at {Script}: run npm ci (scripts/test.sh does)";

    /// <summary>
    /// Runs axe over the whole page (the shadow roots of the widgets included), writes every violation to
    /// <paramref name="output"/> and fails on any serious or critical one, naming <paramref name="what"/>.
    /// </summary>
    public static async Task AssertNoSeriousViolationAsync(IPage page, ITestOutputHelper output, string what)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof axe !== 'undefined'"))
        {
            await page.AddScriptTagAsync(new() { Path = Script });
        }

        var result = await page.EvaluateAsync<JsonElement>(
            "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + JSON.stringify((n.any[0] || n.all[0] || n.none[0] || {}).data)) }))");
        foreach (var v in result.EnumerateArray())
        {
            output.WriteLine($"{what}: {v.GetProperty("impact").GetString()} {v.GetProperty("id").GetString()}: {v.GetProperty("help").GetString()} at {v.GetProperty("nodes")}");
        }

        var serious = result.EnumerateArray().Where(v => v.GetProperty("impact").GetString() is "serious" or "critical").Select(v => v.ToString()).ToList();
        output.WriteLine($"{what}: axe-core found {result.GetArrayLength()} kind(s) of violation, {serious.Count} serious or critical");
        Assert.True(serious.Count == 0, $"{what}:\n" + string.Join("\n", serious));
    }

    /// <summary>Fails if the page is wider than its viewport (it would scroll sideways), naming the widest elements.</summary>
    public static async Task AssertNoSidewaysScrollAsync(IPage page, string what)
    {
        var scroll = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        var client = await page.EvaluateAsync<int>("() => document.documentElement.clientWidth");
        var wide = await page.EvaluateAsync<string>("() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ')");
        Assert.True(scroll <= client, $"{what} scrolls sideways: {scroll} px wide for {client} ({wide})");
    }
}
