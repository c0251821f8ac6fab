using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace OpenConduct.Browser.Tests;

/// <summary>The tests' own pages on the site, beside samples/widgets/embed.html (the API address is replaced as there).</summary>
internal static class TestPages
{
    private const string Head = """
        <!doctype html>
        <html lang="{lang}">
        <head>
          <meta charset="utf-8">
          <link rel="icon" href="data:,">
          <title>OpenConduct widgets test page</title>
          <script type="module" src="http://127.0.0.1:7071/widgets/openconduct.js"></script>
        </head>
        """;

    /// <summary>Every widget in Spanish: the page's language is es.</summary>
    public const string Spanish = """
        <body>
          <oc-officer-search for="history"></oc-officer-search>
          <oc-officer-history id="history"></oc-officer-history>
          <oc-map for="types"></oc-map>
          <oc-dashboard id="types" name="allegation-types"></oc-dashboard>
        </body>
        </html>
        """;

    /// <summary>An English page with one Spanish widget (its own lang attribute wins).</summary>
    public const string Mixed = """
        <body>
          <oc-officer-search id="en"></oc-officer-search>
          <oc-officer-search id="es" lang="es"></oc-officer-search>
        </body>
        </html>
        """;

    /// <summary>Search, history and map; the tests add a dashboard for every dashboard the API lists.</summary>
    public const string Everything = """
        <body>
          <oc-officer-search for="history"></oc-officer-search>
          <oc-officer-history id="history" limit="1000"></oc-officer-history>
          <oc-map id="map"></oc-map>
          <div id="dashboards"></div>
        </body>
        </html>
        """;

    /// <summary>An officer's history and the recommended-vs-final dashboard (the New York test sets the officer).</summary>
    public const string NewYork = """
        <body>
          <oc-officer-history id="history" limit="1000"></oc-officer-history>
          <oc-dashboard id="recommended" name="recommended-vs-final" view="table"></oc-dashboard>
          <oc-dashboard id="recommended-chart" name="recommended-vs-final"></oc-dashboard>
        </body>
        </html>
        """;

    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["new-york.html"] = Head.Replace("{lang}", "en", StringComparison.Ordinal) + NewYork,
        ["es.html"] = Head.Replace("{lang}", "es", StringComparison.Ordinal) + Spanish,
        ["mixed.html"] = Head.Replace("{lang}", "en", StringComparison.Ordinal) + Mixed,
        ["everything.html"] = Head.Replace("{lang}", "en", StringComparison.Ordinal) + Everything,
        ["extra-precinct.geojson"] = ExtraPrecinct(),
    };

    /// <summary>The sample precincts and one more, "99", east of the others, that no record names (drawn as "no data").</summary>
    private static string ExtraPrecinct()
    {
        var geojson = JsonNode.Parse(File.ReadAllText(Path.Combine(OpenConduct.Server.Tests.Cli.Repo, "samples", "widgets", "precincts.geojson")))!;
        var features = geojson["features"]!.AsArray();
        var extra = features[0]!.DeepClone();
        extra["properties"]!["precinct"] = "99";
        Shift(extra["geometry"]!["coordinates"]!, 0.2);
        features.Add(extra);
        return geojson.ToJsonString();

        static void Shift(JsonNode node, double east)
        {
            var array = node.AsArray();
            if (array.Count == 2 && array[0] is JsonValue)
            {
                array[0] = array[0]!.GetValue<double>() + east;
                return;
            }

            foreach (var child in array)
            {
                Shift(child!, east);
            }
        }
    }

    /// <summary>Every dashboard of a catalog (<c>GET /api/dashboards</c>) with each value of each of its options, as (name, filters).</summary>
    public static List<(string Name, string Filters)> DashboardVariants(JsonElement catalog)
    {
        var dashboards = new List<(string Name, string Filters)>();
        foreach (var dashboard in catalog.GetProperty("dashboards").EnumerateArray())
        {
            var name = dashboard.GetProperty("name").GetString()!;
            var variants = dashboard.TryGetProperty("options", out var options) && options.ValueKind == JsonValueKind.Object
                ? options.EnumerateObject().SelectMany(o => o.Value.EnumerateArray().Select(v => $"{o.Name}={v.GetString()}")).ToList()
                : [""];
            dashboards.AddRange(variants.Select(v => (name, v)));
        }

        return dashboards;
    }

    /// <summary>Appends an <c>oc-dashboard</c> per (name, filters) to the element with the id given (everything.html's <c>dashboards</c>).</summary>
    public static Task AddDashboardsAsync(IPage page, IEnumerable<(string Name, string Filters)> dashboards, string into = "dashboards") =>
        page.EvaluateAsync(
            """
            ([list, into]) => list.forEach(([name, filters]) => {
              const d = document.createElement('oc-dashboard');
              d.setAttribute('name', name);
              if (filters) d.setAttribute('filters', filters);
              document.getElementById(into).append(d);
            })
            """,
            new object[] { dashboards.Select(d => new[] { d.Name, d.Filters }).ToArray(), into });
}
