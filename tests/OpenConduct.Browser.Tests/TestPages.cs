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
    };
}
