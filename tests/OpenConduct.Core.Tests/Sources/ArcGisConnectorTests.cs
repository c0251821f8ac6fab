using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OpenConduct.Core.Sources;

namespace OpenConduct.Core.Tests.Sources;

public sealed class ArcGisConnectorTests
{
    private const string Layer = "arcgis/rest/services/OPCR/Police_Conduct_Complaints/FeatureServer/0";

    /// <summary>
    /// The recorded pages as one CSV: the layer's fields in its order (the geometry field left out), dates (epoch
    /// milliseconds, before 1970 too) as ISO 8601 UTC to the second, numbers invariant (0.5, 12.25, 1.0E1 as 10), null as
    /// an empty field, strings as they are (quoted where RFC 4180 needs it, UTF-8).
    /// </summary>
    private const string Expected =
        "OBJECTID,CaseNumber,ReceivedDate,Precinct,OfficerName,BadgeNumber,AppointedDate,Allegation,Finding,SuspensionDays,Summary\r\n" +
        "1,OPCR-2019-0101,2019-01-07T00:00:00Z,3,\"SMITH, JOHN A\",4127,1998-06-30T12:00:00Z,Use of Force,Sustained,3,\"Complainant states the officer pushed him against the squad car, causing a bruise.\"\r\n" +
        "2,OPCR-2019-0107,2019-01-15T14:32:05Z,1,\"JOHNSON, MARIA\",3981,1965-04-12T00:00:00Z,Language,Not Sustained,,\"Officer allegedly said \"\"get out of here\"\" during a traffic stop.\"\r\n" +
        "3,OPCR-2019-0112,2019-02-02T09:00:00Z,5,\"NGUYEN, THANH\",4410,,Procedure,,0.5,\"Two contacts:\nfirst at 14:10,\nsecond at 14:25.\"\r\n" +
        "4,OPCR-2019-0130,2019-03-11T23:59:59Z,2,\"O'BRIEN, KATE\",3877,1998-06-30T12:00:00Z,Discourtesy,Exonerated,12.25,\r\n" +
        "5,OPCR-2019-0151,,,\"GARCÍA, LUIS\",5120,2019-01-07T00:00:00Z,Search and Seizure,Sustained,10,Vehicle searched without consent.\r\n";

    private static SourceDefinition Source(Uri url) => new()
    {
        Id = "opcr-gis",
        Kind = SourceKind.Arcgis,
        Url = url,
        Profile = "profile.json",
        Policy = "policy.json",
        PageSize = 2,
        Retries = 2,
        RetryDelay = TimeSpan.FromSeconds(1),
    };

    /// <summary>Serves the recorded layer metadata and query pages (by resultOffset), as an ArcGIS server does.</summary>
    private static Task Serve(HttpContext context, Func<string, string>? layerEdit = null)
    {
        var path = context.Request.Path.Value;
        if (path == "/" + Layer && context.Request.Query["f"] == "json")
        {
            var layer = File.ReadAllText(FixtureServer.Fixture("arcgis/layer.json"));
            return FixtureServer.WriteAsync(context, Encoding.UTF8.GetBytes(layerEdit?.Invoke(layer) ?? layer), "application/json; charset=utf-8");
        }

        if (path == "/" + Layer + "/query")
        {
            return FixtureServer.ServeAsync(context, $"arcgis/query-{context.Request.Query["resultOffset"]}.json", "application/json; charset=utf-8");
        }

        return FixtureServer.WriteAsync(context, "{\"error\":{\"code\":404,\"message\":\"Service not found\",\"details\":[]}}"u8.ToArray(), "application/json");
    }

    [Fact]
    public async Task Pull_reads_the_layer_then_pages_the_query_into_one_CSV()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) => Serve(context));

        var result = await new ArcGisConnector(kit.Http, kit.Delay).PullAsync(Source(server.Url(Layer + "/")), new PullConditions(null, null), kit.Staging, kit.Reporter);

        var file = Assert.Single(result.Files);
        Assert.Equal("opcr-gis.csv", file.Name);
        Assert.Equal(Expected, await File.ReadAllTextAsync(file.LocalPath));
        Assert.Equal(Encoding.UTF8.GetByteCount(Expected), file.Bytes);
        Assert.False(result.NotModified);
        Assert.Equal(server.Url(Layer).ToString(), result.Url);
        Assert.Equal(4, result.Requests);
        var requests = server.Requests;
        Assert.Equal("/" + Layer, requests[0].Path);
        Assert.Equal("json", requests[0].Param("f"));
        Assert.Equal(["0", "2", "4"], requests.Skip(1).Select(r => r.Param("resultOffset")));
        Assert.All(requests.Skip(1), r =>
        {
            Assert.Equal("/" + Layer + "/query", r.Path);
            Assert.Equal("1=1", r.Param("where"));
            Assert.Equal("*", r.Param("outFields"));
            Assert.Equal("OBJECTID", r.Param("orderByFields"));
            Assert.Equal("2", r.Param("resultRecordCount"));
            Assert.Equal("false", r.Param("returnGeometry"));
            Assert.Equal("json", r.Param("f"));
        });
        Assert.Contains(kit.Progress, p => p == "opcr-gis: 11 fields, pages of 2 features ordered by OBJECTID");
    }

    [Fact]
    public async Task The_page_size_is_lowered_to_the_layers_maxRecordCount_and_where_and_order_are_passed_on()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) =>
            Serve(context, layer => layer.Replace("\"maxRecordCount\": 2000", "\"maxRecordCount\": 2", StringComparison.Ordinal)));
        var source = Source(server.Url(Layer)) with { PageSize = 50_000, Where = "Precinct IN (1, 3) AND Finding = 'Sustained'", Order = "CaseNumber, OBJECTID" };

        await new ArcGisConnector(kit.Http, kit.Delay).PullAsync(source, new PullConditions(null, null), kit.Staging);

        Assert.All(server.Requests.Skip(1), r =>
        {
            Assert.Equal("2", r.Param("resultRecordCount"));
            Assert.Equal("Precinct IN (1, 3) AND Finding = 'Sustained'", r.Param("where"));
            Assert.Equal("CaseNumber, OBJECTID", r.Param("orderByFields"));
        });
    }

    [Fact]
    public async Task A_full_page_without_exceededTransferLimit_costs_one_more_request_and_the_empty_page_ends_the_pull()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) =>
        {
            if (context.Request.Path.Value!.EndsWith("/query", StringComparison.Ordinal))
            {
                var body = context.Request.Query["resultOffset"] == "0"
                    ? """{"features":[{"attributes":{"OBJECTID":1,"CaseNumber":"A-1"}},{"attributes":{"OBJECTID":2,"CaseNumber":"A-2"}}]}"""
                    : """{"features":[]}""";
                return FixtureServer.WriteAsync(context, Encoding.UTF8.GetBytes(body), "application/json");
            }

            return FixtureServer.WriteAsync(context, """{"type":"Table","objectIdField":"OBJECTID","fields":[{"name":"OBJECTID","type":"esriFieldTypeOID"},{"name":"CaseNumber","type":"esriFieldTypeString"}]}"""u8.ToArray(), "application/json");
        });

        var result = await new ArcGisConnector(kit.Http, kit.Delay).PullAsync(Source(server.Url(Layer)), new PullConditions(null, null), kit.Staging);

        Assert.Equal("OBJECTID,CaseNumber\r\n1,A-1\r\n2,A-2\r\n", await File.ReadAllTextAsync(Assert.Single(result.Files).LocalPath));
        Assert.Equal(["0", "2"], server.Requests.Skip(1).Select(r => r.Param("resultOffset")));
    }

    [Fact]
    public async Task A_page_that_says_exceededTransferLimit_but_has_no_features_fails_instead_of_looping()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) =>
            context.Request.Path.Value!.EndsWith("/query", StringComparison.Ordinal)
                ? FixtureServer.WriteAsync(context, """{"features":[],"exceededTransferLimit":true}"""u8.ToArray(), "application/json")
                : Serve(context));

        var error = await Assert.ThrowsAsync<PullException>(() =>
            new ArcGisConnector(kit.Http, kit.Delay).PullAsync(Source(server.Url(Layer)), new PullConditions(null, null), kit.Staging));

        Assert.Contains("the page has no features but says exceededTransferLimit", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task An_error_in_a_200_response_fails_with_its_message_and_details_without_retrying()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) =>
            context.Request.Path.Value!.EndsWith("/query", StringComparison.Ordinal)
                ? FixtureServer.ServeAsync(context, "arcgis/error-invalid-where.json", "application/json; charset=utf-8")
                : Serve(context));
        var source = Source(server.Url(Layer)) with { Where = "Precint = 3" };

        var error = await Assert.ThrowsAsync<PullException>(() => new ArcGisConnector(kit.Http, kit.Delay).PullAsync(source, new PullConditions(null, null), kit.Staging));

        var query = server.Requests[1];
        Assert.StartsWith($"opcr-gis: GET {server.Url(Layer)}/query?where=Precint%20%3D%203&outFields=*&orderByFields=OBJECTID&resultOffset=0&resultRecordCount=2&returnGeometry=false&f=json failed: ", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(
            "failed: ArcGIS error: Unable to complete operation. (code 400; Unable to perform query operation.; 'where' parameter is invalid) (after 1 attempt)",
            error.Message, StringComparison.Ordinal);
        Assert.Equal("Precint = 3", query.Param("where"));
        Assert.Equal(2, server.Requests.Count);
        Assert.Empty(kit.Waits);
        Assert.False(Directory.Exists(kit.Staging) && Directory.EnumerateFiles(kit.Staging).Any());
    }

    [Fact]
    public async Task A_5xx_error_in_a_200_response_is_retried()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, n) => n == 3
            ? FixtureServer.ServeAsync(context, "arcgis/error-query-failed.json", "application/json; charset=utf-8")
            : Serve(context));

        var result = await new ArcGisConnector(kit.Http, kit.Delay).PullAsync(Source(server.Url(Layer)), new PullConditions(null, null), kit.Staging, kit.Reporter);

        Assert.Equal(Expected, await File.ReadAllTextAsync(Assert.Single(result.Files).LocalPath));
        Assert.Equal(5, result.Requests);
        Assert.Equal(["0", "2", "2", "4"], server.Requests.Skip(1).Select(r => r.Param("resultOffset")));
        Assert.Equal([TimeSpan.FromSeconds(1)], kit.Waits);
        Assert.Contains(kit.Progress, p => p.Contains("ArcGIS error: Error performing query operation (code 500); retrying", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_error_in_the_layer_metadata_fails_the_pull()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) =>
            FixtureServer.WriteAsync(context, """{"error":{"code":499,"message":"Token Required","details":[]}}"""u8.ToArray(), "text/plain; charset=utf-8"));

        var error = await Assert.ThrowsAsync<PullException>(() =>
            new ArcGisConnector(kit.Http, kit.Delay).PullAsync(Source(server.Url(Layer)), new PullConditions(null, null), kit.Staging));

        Assert.Equal($"opcr-gis: GET {server.Url(Layer)}?f=json failed: ArcGIS error: Token Required (code 499) (after 1 attempt)", error.Message);
    }

    [Fact]
    public async Task A_group_layer_is_not_a_source()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) =>
            Serve(context, layer => layer.Replace("\"type\": \"Feature Layer\"", "\"type\": \"Group Layer\"", StringComparison.Ordinal)));

        var error = await Assert.ThrowsAsync<PullException>(() =>
            new ArcGisConnector(kit.Http, kit.Delay).PullAsync(Source(server.Url(Layer)), new PullConditions(null, null), kit.Staging));

        Assert.Contains("failed: the URL is a 'Group Layer', not a feature layer or table (after 1 attempt)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1546819200000", "esriFieldTypeDate", "2019-01-07T00:00:00Z")]
    [InlineData("1547562725789", "esriFieldTypeDate", "2019-01-15T14:32:05Z")]
    [InlineData("-149040000000", "esriFieldTypeDate", "1965-04-12T00:00:00Z")]
    [InlineData("1.5468192E12", "esriFieldTypeDate", "2019-01-07T00:00:00Z")]
    [InlineData("null", "esriFieldTypeDate", "")]
    [InlineData("\"2019-01-07\"", "esriFieldTypeDateOnly", "2019-01-07")]
    [InlineData("4127", "esriFieldTypeInteger", "4127")]
    [InlineData("12.25", "esriFieldTypeDouble", "12.25")]
    [InlineData("1.0E-5", "esriFieldTypeDouble", "1E-05")]
    [InlineData("\"O'BRIEN, KATE\"", "esriFieldTypeString", "O'BRIEN, KATE")]
    public void Attribute_values_become_CSV_text(string json, string type, string expected)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Equal(expected, ArcGisConnector.Text(document.RootElement, type));
    }

    [Theory]
    [InlineData("https://services.arcgis.com/abc/arcgis/rest/services/OPCR/FeatureServer/0", "https://services.arcgis.com/abc/arcgis/rest/services/OPCR/FeatureServer/0")]
    [InlineData("https://gis.example.gov/arcgis/rest/services/Police/Complaints/MapServer/12/", "https://gis.example.gov/arcgis/rest/services/Police/Complaints/MapServer/12")]
    [InlineData("https://gis.example.gov/arcgis/rest/services/Police/Complaints/MapServer", null)]
    [InlineData("https://gis.example.gov/arcgis/rest/services/Police/Complaints/FeatureServer/0/query", null)]
    public void The_layer_URL_ends_with_a_layer_number(string url, string? expected)
    {
        Assert.Equal(expected, ArcGisConnector.LayerUrl(new Uri(url))?.ToString());
    }
}
