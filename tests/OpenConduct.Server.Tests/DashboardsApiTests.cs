using System.Net;
using System.Text.Json;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>The three bundled samples ingested into one release folder and served (no rate limit), for the dashboard tests.</summary>
public sealed class DashboardsServer : ServedReleases
{
    /// <summary>The ETag of responses built from the live releases.</summary>
    public string Version => "\"" + string.Join('+', Sources.Select(s => $"{s}/{Latest(Path.Combine(Releases, s))}")) + "\"";

    protected override Task PrepareAsync()
    {
        IngestSamples(Sources);
        return Task.CompletedTask;
    }
}

/// <summary>
/// <c>/api/dashboards</c> and <c>/api/dashboards/{name}</c> over HTTP on the running server: the catalog, every
/// dashboard, a drill-down on every dimension, errors listing what is allowed, ETag and 304, suppressed cells, and the
/// internal facts never served.
/// </summary>
public sealed class DashboardsApiTests(DashboardsServer server) : IClassFixture<DashboardsServer>
{
    private static readonly string[] Names = ["allegations-map", "demographics", "intake-decisions", "discipline-outcomes", "complaints-over-time", "allegations-over-time", "allegation-types", "timeliness", "timelines", "recommended-vs-final"];

    private static readonly string[] Dimensions =
        ["year", "month", "precinct", "source", "category", "finding", "discipline", "intake", "status", "complainantRace", "complainantSex", "complainantAgeBand", "officerRace", "officerSex", "recommendedDiscipline"];

    private HttpClient Http => server.Http;

    [Fact]
    public async Task The_catalog_lists_every_dashboard_and_every_dimension_with_its_values()
    {
        using var response = await Http.GetAsync("/api/dashboards");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(server.Version, response.Headers.ETag?.Tag);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
        var root = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(10, root.GetProperty("k").GetInt32());
        Assert.Equal(Dimensions, root.GetProperty("dimensions").EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        Assert.All(root.GetProperty("dimensions").EnumerateArray(), d =>
        {
            Assert.False(string.IsNullOrEmpty(d.GetProperty("title").GetString()));
            Assert.NotEqual(0, d.GetProperty("values").GetArrayLength());
        });
        var dimension = (string name) => root.GetProperty("dimensions").EnumerateArray().Single(d => d.GetProperty("name").GetString() == name).GetProperty("values").EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.Equal(["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "Unknown"], dimension("month"));
        Assert.Equal(["cra", "iau", "opcr"], dimension("source"));
        Assert.Equal(["1", "2", "3", "4", "5"], dimension("precinct"));

        var dashboards = root.GetProperty("dashboards").EnumerateArray().ToList();
        Assert.Equal(Names, dashboards.Select(d => d.GetProperty("name").GetString()));
        foreach (var d in dashboards)
        {
            foreach (var property in new[] { "title", "description", "measure", "rows" })
            {
                Assert.False(string.IsNullOrEmpty(d.GetProperty(property).GetString()), $"{d.GetProperty("name")}: {property}");
            }

            Assert.True(d.TryGetProperty("columns", out _));
            Assert.True(d.TryGetProperty("options", out _));
        }

        var map = dashboards[0];
        Assert.Equal(("allegations", "precinct", JsonValueKind.Null, JsonValueKind.Null),
            (map.GetProperty("measure").GetString(), map.GetProperty("rows").GetString(), map.GetProperty("columns").ValueKind, map.GetProperty("options").ValueKind));
        Assert.Equal(["complainantRace", "complainantSex", "complainantAgeBand", "officerRace", "officerSex"],
            dashboards[1].GetProperty("options").GetProperty("by").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["year", "month"], dashboards[2].GetProperty("options").GetProperty("interval").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["year", "month"], dashboards[4].GetProperty("options").GetProperty("interval").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["year", "month"], dashboards[5].GetProperty("options").GetProperty("interval").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["closed", "discipline"], dashboards[8].GetProperty("options").GetProperty("to").EnumerateArray().Select(v => v.GetString()));
    }

    public static TheoryData<string> Requests =>
    [
        "allegations-map", "demographics", "demographics?by=complainantSex", "demographics?by=complainantAgeBand", "demographics?by=officerRace",
        "demographics?by=officerSex", "intake-decisions", "intake-decisions?interval=month", "discipline-outcomes", "complaints-over-time",
        "complaints-over-time?interval=month", "allegations-over-time", "allegations-over-time?interval=month", "allegation-types", "timeliness", "timelines", "timelines?to=discipline", "recommended-vs-final",
    ];

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Every_dashboard_answers_with_a_table_of_suppressed_counts(string request)
    {
        using var response = await Http.GetAsync("/api/dashboards/" + request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(server.Version, response.Headers.ETag?.Tag);
        var d = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var name = request.Split('?')[0];

        Assert.Equal(name, d.GetProperty("name").GetString());
        Assert.Contains(d.GetProperty("measure").GetString(), new[] { "allegations", "complaints" });
        Assert.Equal(10, d.GetProperty("k").GetInt32());
        Assert.Equal(JsonValueKind.Object, d.GetProperty("filters").ValueKind);
        var rows = d.GetProperty("rows").GetProperty("values").GetArrayLength();
        var series = d.GetProperty("columns").ValueKind == JsonValueKind.Null;
        var width = series ? 1 : d.GetProperty("columns").GetProperty("values").GetArrayLength();
        Assert.Equal(rows, d.GetProperty("cells").GetArrayLength());
        Assert.All(d.GetProperty("cells").EnumerateArray(), row => Assert.Equal(width, row.GetArrayLength()));
        Assert.Equal(rows, d.GetProperty("rowTotals").GetArrayLength());
        Assert.Equal(series, d.GetProperty("columnTotals").ValueKind == JsonValueKind.Null);
        Assert.True(d.TryGetProperty("total", out _));
        Assert.Equal(JsonValueKind.Array, d.GetProperty("suppressed").ValueKind);
        Assert.NotEqual(0, d.GetProperty("notes").GetArrayLength());
        if (request.Contains('='))
        {
            var (option, value) = (request.Split('?')[1].Split('=')[0], request.Split('=')[1]);
            Assert.Equal(value, d.GetProperty("options").GetProperty(option).GetString());
        }

        // Time rows say their grouping; a table with columns gives, per row, the part of its total not shown.
        var time = d.GetProperty("rows").GetProperty("dimension").GetString() is "year" or "month";
        Assert.Equal(time, d.TryGetProperty("grouping", out var grouping) && grouping.ValueKind == JsonValueKind.Object && grouping.TryGetProperty("time", out _));
        if (!series)
        {
            var parts = d.GetProperty("suppressedParts");
            Assert.Equal(rows, parts.GetArrayLength());
            for (var r = 0; r < rows; r++)
            {
                var total = d.GetProperty("rowTotals")[r];
                var shown = d.GetProperty("cells")[r].EnumerateArray().Sum(v => v.ValueKind == JsonValueKind.Number ? v.GetInt64() : 0);
                Assert.Equal(total.ValueKind == JsonValueKind.Null ? (long?)null : total.GetInt64() - shown, parts[r].ValueKind == JsonValueKind.Null ? (long?)null : parts[r].GetInt64());
            }
        }

        switch (name)
        {
            case "allegations-map":
                Assert.Equal("precinct", d.GetProperty("rows").GetProperty("dimension").GetString());
                Assert.Equal(JsonValueKind.Array, d.GetProperty("points").ValueKind);
                break;
            case "timeliness":
                Assert.Equal(["0-30", "31-90", "91-180", "181-365", "366+"], d.GetProperty("rows").GetProperty("values").EnumerateArray().Select(v => v.GetString()));
                Assert.Equal(["closed", "open"], d.GetProperty("columns").GetProperty("values").EnumerateArray().Select(v => v.GetString()));
                Assert.True(d.GetProperty("medianDaysToClose").GetInt64() > 0);
                break;
            case "timelines":
                // A median and a 90th percentile exactly where a count of at least k is published.
                var durations = d.GetProperty("durations");
                Assert.Equal(request.Contains("discipline", StringComparison.Ordinal) ? "discipline" : "closed", durations.GetProperty("to").GetString());
                for (var r = 0; r < rows; r++)
                {
                    for (var c = 0; c <= width; c++)
                    {
                        var count = c < width ? d.GetProperty("cells")[r][c] : d.GetProperty("rowTotals")[r];
                        var median = c < width ? durations.GetProperty("median")[r][c] : durations.GetProperty("rowMedian")[r];
                        var p90 = c < width ? durations.GetProperty("p90")[r][c] : durations.GetProperty("rowP90")[r];
                        var published = count.ValueKind == JsonValueKind.Number && count.GetInt64() >= 10;
                        Assert.Equal(published, median.ValueKind == JsonValueKind.Number);
                        Assert.Equal(published, p90.ValueKind == JsonValueKind.Number);
                        Assert.True(!published || median.GetInt64() <= p90.GetInt64());
                    }
                }

                Assert.Equal(JsonValueKind.Number, durations.GetProperty("totalMedian").ValueKind);
                break;
        }

        // Every null is listed with a reason, and every listed position is null.
        var hidden = d.GetProperty("suppressed").EnumerateArray().Select(s => (Row: Index(s.GetProperty("row")), Column: Index(s.GetProperty("column")), Reason: s.GetProperty("reason").GetString())).ToList();
        Assert.All(hidden, h => Assert.Contains(h.Reason, new[] { "belowThreshold", "complementary" }));
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < width; c++)
            {
                var value = d.GetProperty("cells")[r][c];
                Assert.Equal(value.ValueKind == JsonValueKind.Null, hidden.Any(h => h.Row == r && h.Column == c));
                Assert.True(value.ValueKind == JsonValueKind.Null || value.GetInt64() is 0 or >= 10, $"cell ({r}, {c}) = {value}");
            }
        }

        Assert.Equal(d.GetProperty("total").ValueKind == JsonValueKind.Null, hidden.Any(h => h.Row is null && h.Column is null));
    }

    [Fact]
    public async Task Small_counts_are_null_and_listed_with_their_reason()
    {
        var d = await server.JsonAsync("/api/dashboards/allegation-types");
        var suppressed = d.GetProperty("suppressed").EnumerateArray().ToList();
        Assert.Contains(suppressed, s => s.GetProperty("reason").GetString() == "belowThreshold");
        Assert.Contains(suppressed, s => s.GetProperty("reason").GetString() == "complementary");
        var first = suppressed.First(s => s.GetProperty("row").ValueKind == JsonValueKind.Number && s.GetProperty("column").ValueKind == JsonValueKind.Number);
        Assert.Equal(JsonValueKind.Null, d.GetProperty("cells")[first.GetProperty("row").GetInt32()][first.GetProperty("column").GetInt32()].ValueKind);
        Assert.Contains(d.GetProperty("notes").EnumerateArray(), n => n.GetString()!.StartsWith("Counts from 1 to 9 are not published", StringComparison.Ordinal));
        Assert.Equal(940, d.GetProperty("total").GetInt64());   // the three samples' allegations
    }

    [Fact]
    public async Task A_drill_down_on_every_dimension_echoes_its_filter_and_counts_no_more_than_the_whole()
    {
        var catalog = await server.JsonAsync("/api/dashboards");
        var whole = await server.JsonAsync("/api/dashboards/allegation-types");
        foreach (var dimension in catalog.GetProperty("dimensions").EnumerateArray())
        {
            var name = dimension.GetProperty("name").GetString()!;
            // A value that the records have: the first whose drill-down matches something.
            var values = dimension.GetProperty("values").EnumerateArray().Select(v => v.GetString()!).ToList();
            JsonElement? drilled = null;
            foreach (var value in values)
            {
                var d = await server.JsonAsync($"/api/dashboards/allegation-types?{name}={Uri.EscapeDataString(value)}");
                Assert.Equal(value, d.GetProperty("filters").GetProperty(name).GetString());
                Assert.Single(d.GetProperty("filters").EnumerateObject());
                if (d.GetProperty("total").ValueKind == JsonValueKind.Null || d.GetProperty("total").GetInt64() > 0)
                {
                    drilled = d;
                    break;
                }
            }

            if (name == "recommendedDiscipline")
            {
                // The three samples are released under Minnesota, which withholds recommendations: none has a value of it.
                Assert.True(drilled is null, "a recommendation is counted from a release whose policy withholds recommendations");
                continue;
            }

            Assert.True(drilled is not null, $"no value of {name} matches anything");
            AssertNoLarger(drilled.Value, whole, name);
        }

        // Several filters at once, and a drill-down of each other dashboard.
        var three = await server.JsonAsync("/api/dashboards/allegation-types?status=Closed&precinct=3&officerSex=Male");
        Assert.Equal(["precinct", "status", "officerSex"], three.GetProperty("filters").EnumerateObject().Select(p => p.Name));   // in the dimensions' order
        AssertNoLarger(three, whole, "three filters");
        foreach (var name in Names)
        {
            var all = await server.JsonAsync($"/api/dashboards/{name}");
            var some = await server.JsonAsync($"/api/dashboards/{name}?precinct=3");
            AssertNoLarger(some, all, name);
        }
    }

    [Fact]
    public async Task Unknown_dashboards_dimensions_values_and_options_are_problems_listing_what_is_allowed()
    {
        async Task<JsonElement> Problem(string path, HttpStatusCode status)
        {
            using var response = await Http.GetAsync(path);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }

        var dashboard = await Problem("/api/dashboards/allegations-by-moon", HttpStatusCode.NotFound);
        Assert.Equal(Names, dashboard.GetProperty("allowed").EnumerateArray().Select(v => v.GetString()));
        Assert.Contains("allegation-types", dashboard.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var parameter = await Problem("/api/dashboards/allegation-types?colour=red", HttpStatusCode.BadRequest);
        Assert.Equal([.. Dimensions, "days"], parameter.GetProperty("allowed").EnumerateArray().Select(v => v.GetString()));
        Assert.Contains("'colour'", parameter.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var value = await Problem("/api/dashboards/allegation-types?precinct=99", HttpStatusCode.BadRequest);
        Assert.Equal(["1", "2", "3", "4", "5"], value.GetProperty("allowed").EnumerateArray().Select(v => v.GetString()));
        Assert.Contains("1, 2, 3, 4, 5", value.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var option = await Problem("/api/dashboards/demographics?by=shoeSize", HttpStatusCode.BadRequest);
        Assert.Equal(["complainantRace", "complainantSex", "complainantAgeBand", "officerRace", "officerSex"], option.GetProperty("allowed").EnumerateArray().Select(v => v.GetString()));
        var interval = await Problem("/api/dashboards/complaints-over-time?interval=week", HttpStatusCode.BadRequest);
        Assert.Equal(["year", "month"], interval.GetProperty("allowed").EnumerateArray().Select(v => v.GetString()));
        await Problem("/api/dashboards/timeliness?interval=month", HttpStatusCode.BadRequest);     // an option of other dashboards
        await Problem("/api/dashboards/allegation-types?year=2020&year=2021", HttpStatusCode.BadRequest);
        await Problem("/api/dashboards?year=2020", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_etag_is_the_live_release_ids_and_a_matching_request_gets_304()
    {
        foreach (var path in new[] { "/api/dashboards", "/api/dashboards/timeliness", "/api/dashboards/demographics?by=officerRace&year=2020" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.TryAddWithoutValidation("If-None-Match", server.Version);
            using var response = await Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotModified, response.StatusCode);
            Assert.Equal(server.Version, response.Headers.ETag?.Tag);
        }

        using var stale = new HttpRequestMessage(HttpMethod.Get, "/api/dashboards/timeliness");
        stale.Headers.TryAddWithoutValidation("If-None-Match", "\"opcr/20000101-000000000000\"");
        using var fresh = await Http.SendAsync(stale);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task The_facts_are_in_each_release_but_never_served_nor_listed()
    {
        foreach (var source in DashboardsServer.Sources)
        {
            var live = Latest(Path.Combine(server.Releases, source));
            Assert.True(File.Exists(Path.Combine(server.Releases, source, live, "internal", "dashboard-facts.bin.gz")));
            var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(server.Releases, source, live, "manifest.json"))).RootElement;
            Assert.DoesNotContain(manifest.GetProperty("artefacts").EnumerateArray(), a => a.GetProperty("path").GetString()!.StartsWith("internal/", StringComparison.Ordinal));
            Assert.Equal("internal/dashboard-facts.bin.gz", manifest.GetProperty("internal")[0].GetProperty("path").GetString());

            foreach (var path in new[] { "internal/dashboard-facts.bin.gz", "internal", "internal/", "internal/../manifest.json/../internal/dashboard-facts.bin.gz" })
            {
                using var response = await Http.GetAsync($"/api/releases/{source}/{live}/{path}");
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
                Assert.NotEqual("application/gzip", response.Content.Headers.ContentType?.MediaType);
            }
        }

        var datasets = await Http.GetStringAsync("/api/datasets");
        var catalog = await Http.GetStringAsync("/api/data.json");
        Assert.DoesNotContain("dashboard-facts", datasets + catalog, StringComparison.Ordinal);
    }

    private static int? Index(JsonElement value) => value.ValueKind == JsonValueKind.Null ? null : value.GetInt32();

    /// <summary>
    /// A drill-down's published counts are no larger than the same positions of the whole (where both are published). A
    /// drill-down may group its rows more coarsely than the whole (fewer complaints: 5-year bins where the whole has
    /// years; "grouping" says so): its rows that the whole does not have, and merged rows that hold other groups, are not compared.
    /// </summary>
    private static void AssertNoLarger(JsonElement part, JsonElement whole, string what)
    {
        static long? Number(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetInt64() : null;
        if (Number(part.GetProperty("total")) is { } partTotal && Number(whole.GetProperty("total")) is { } wholeTotal)
        {
            Assert.True(partTotal <= wholeTotal, $"{what}: {partTotal} > {wholeTotal}");
        }

        var wholeRows = whole.GetProperty("rows").GetProperty("values").EnumerateArray().Select(v => v.GetString()).ToList();
        var partRows = part.GetProperty("rows").GetProperty("values").EnumerateArray().Select(v => v.GetString()).ToList();
        for (var r = 0; r < partRows.Count; r++)
        {
            var wr = wholeRows.IndexOf(partRows[r]);
            var merged = part.TryGetProperty("merged", out var m) && m.ValueKind == JsonValueKind.Object && m.TryGetProperty(partRows[r]!, out var members) ? members.ToString() : null;
            var wholeMerged = whole.TryGetProperty("merged", out var wm) && wm.ValueKind == JsonValueKind.Object && wm.TryGetProperty(partRows[r]!, out var wholeMembers) ? wholeMembers.ToString() : null;
            if (wr < 0 || merged != wholeMerged)
            {
                // Grouped differently (a bin, or a merged row holding other groups): says so in "grouping".
                Assert.Equal(JsonValueKind.Object, part.GetProperty("grouping").ValueKind);
                continue;
            }

            for (var c = 0; c < part.GetProperty("cells")[r].GetArrayLength(); c++)
            {
                if (Number(part.GetProperty("cells")[r][c]) is { } p && Number(whole.GetProperty("cells")[wr][c]) is { } w)
                {
                    Assert.True(p <= w, $"{what}: cell ({partRows[r]}, {c}) {p} > {w}");
                }
            }
        }
    }
}
