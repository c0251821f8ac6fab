using System.Text;
using Microsoft.AspNetCore.Http;
using OpenConduct.Core.Sources;

namespace OpenConduct.Core.Tests.Sources;

public sealed class SocrataConnectorTests
{
    private const string Resource = "resource/x7k2-9qpm";

    /// <summary>
    /// The three recorded pages joined: the first page's header, then every row, re-written as RFC 4180 (CRLF between
    /// records, quotes only around values with a comma, quote or line break; the line breaks inside a value kept).
    /// </summary>
    private const string Expected =
        "case_number,received_date,precinct,officer_name,badge_number,allegation,finding,summary\r\n" +
        "OPCR-2019-0101,2019-01-07T00:00:00.000,3,\"SMITH, JOHN A\",4127,Use of Force,Sustained,\"Complainant states the officer pushed him against the squad car, causing a bruise.\"\r\n" +
        "OPCR-2019-0107,2019-01-15T00:00:00.000,1,\"JOHNSON, MARIA\",3981,Language,Not Sustained,\"Officer allegedly said \"\"get out of here\"\" during a traffic stop.\"\r\n" +
        "OPCR-2019-0112,2019-02-02T00:00:00.000,5,\"LEE, DAVID\",5012,Procedure,Pending,\r\n" +
        "OPCR-2019-0112,2019-02-02T00:00:00.000,5,\"NGUYEN, THANH\",4410,Procedure,Pending,\"Two contacts:\nfirst at 14:10,\nsecond at 14:25.\"\r\n" +
        "OPCR-2019-0130,2019-03-11T00:00:00.000,2,\"O'BRIEN, KATE\",3877,Discourtesy,Exonerated,Caller reported a rude tone; body-worn camera reviewed.\r\n" +
        "OPCR-2019-0144,2019-03-29T00:00:00.000,4,\"GARCIA, LUIS\",5120,Use of Force,Unfounded,\"Taser deployed, 1 cycle; complainant treated on scene.\"\r\n" +
        "OPCR-2019-0151,2019-04-05T00:00:00.000,3,\"SMITH, JOHN A\",4127,Search and Seizure,Sustained,Vehicle searched without consent.\r\n";

    private static SourceDefinition Source(Uri url) => new()
    {
        Id = "opcr-open-data",
        Kind = SourceKind.Socrata,
        Url = url,
        Profile = "profile.json",
        Policy = "policy.json",
        PageSize = 3,
        Retries = 2,
        RetryDelay = TimeSpan.FromSeconds(1),
    };

    /// <summary>Serves the recorded page for <c>$offset</c> as Socrata does (text/csv, every value quoted).</summary>
    private static Task ServePage(HttpContext context, string? renamedAt = null)
    {
        if (context.Request.Path != "/" + Resource + ".csv")
        {
            return FixtureServer.WriteAsync(context, "{\"error\":true,\"message\":\"Not found\"}"u8.ToArray(), "application/json", 404);
        }

        var offset = context.Request.Query["$offset"].ToString();
        var page = offset == renamedAt ? $"socrata/page-{offset}-renamed-column.csv" : $"socrata/page-{offset}.csv";
        context.Response.Headers["X-SODA2-Fields"] = "[\"case_number\",\"received_date\",\"precinct\",\"officer_name\",\"badge_number\",\"allegation\",\"finding\",\"summary\"]";
        return FixtureServer.ServeAsync(context, page, "text/csv; charset=UTF-8");
    }

    [Fact]
    public async Task Pull_pages_through_the_dataset_and_joins_the_pages_into_one_CSV()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) => ServePage(context));
        var url = server.Url(Resource + ".json");

        var result = await new SocrataConnector(kit.Http, kit.Delay).PullAsync(Source(url), new PullConditions("\"old\"", null), kit.Staging, kit.Reporter);

        var file = Assert.Single(result.Files);
        Assert.Equal("opcr-open-data.csv", file.Name);
        Assert.Equal(Expected, await File.ReadAllTextAsync(file.LocalPath));
        Assert.Equal(Encoding.UTF8.GetByteCount(Expected), file.Bytes);
        Assert.False(result.NotModified);
        Assert.Null(result.ETag);
        Assert.Equal(server.Url(Resource).ToString(), result.Url);
        Assert.Equal(3, result.Requests);
        Assert.Equal(["0", "3", "6"], server.Requests.Select(r => r.Param("$offset")));
        Assert.All(server.Requests, r =>
        {
            Assert.Equal("/" + Resource + ".csv", r.Path);
            Assert.Equal("3", r.Param("$limit"));
            Assert.Equal(":id", r.Param("$order"));
            Assert.Null(r.Header("X-App-Token"));
        });
        Assert.Equal([file.LocalPath], Directory.GetFiles(kit.Staging));
        Assert.Contains(kit.Progress, p => p == "opcr-open-data: page at offset 6: 1 rows (7 in all)");
    }

    [Fact]
    public async Task A_full_last_page_costs_one_more_request_that_comes_back_empty()
    {
        using var kit = new PullKit();
        var header = "\"case_number\",\"finding\"\n"u8.ToArray();
        await using var server = await FixtureServer.StartAsync((context, _) =>
            FixtureServer.WriteAsync(context, context.Request.Query["$offset"] == "0" ? [.. header, .. "\"A-1\",\"Sustained\"\n\"A-2\",\"\"\n"u8.ToArray()] : header, "text/csv"));

        var result = await new SocrataConnector(kit.Http, kit.Delay).PullAsync(Source(server.Url(Resource)) with { PageSize = 2, Order = "case_number" }, new PullConditions(null, null), kit.Staging);

        Assert.Equal("case_number,finding\r\nA-1,Sustained\r\nA-2,\r\n", await File.ReadAllTextAsync(Assert.Single(result.Files).LocalPath));
        Assert.Equal(["0", "2"], server.Requests.Select(r => r.Param("$offset")));
        Assert.All(server.Requests, r => Assert.Equal("case_number", r.Param("$order")));
    }

    [Fact]
    public async Task The_app_token_from_the_named_setting_is_sent_with_every_page()
    {
        using var kit = new PullKit();
        var setting = "OC_TEST_SOCRATA_TOKEN_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        Environment.SetEnvironmentVariable(setting, "a1b2c3d4e5f6g7h8i9j0");
        try
        {
            await using var server = await FixtureServer.StartAsync((context, _) =>
                context.Request.Headers["X-App-Token"] == "a1b2c3d4e5f6g7h8i9j0"
                    ? ServePage(context)
                    : FixtureServer.ServeAsync(context, "socrata/error-invalid-token.json", "application/json", 403));

            var result = await new SocrataConnector(kit.Http, kit.Delay).PullAsync(
                Source(server.Url(Resource)) with { AppTokenSetting = setting }, new PullConditions(null, null), kit.Staging);

            Assert.Equal(Expected, await File.ReadAllTextAsync(Assert.Single(result.Files).LocalPath));
            Assert.Equal(3, server.Requests.Count);
            Assert.All(server.Requests, r => Assert.Equal("a1b2c3d4e5f6g7h8i9j0", r.Header("X-App-Token")));
        }
        finally
        {
            Environment.SetEnvironmentVariable(setting, null);
        }
    }

    [Fact]
    public async Task A_missing_app_token_setting_fails_naming_the_setting_before_any_request()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) => ServePage(context));

        var error = await Assert.ThrowsAsync<PullException>(() => new SocrataConnector(kit.Http, kit.Delay).PullAsync(
            Source(server.Url(Resource)) with { AppTokenSetting = "OC_TEST_SOCRATA_TOKEN_NEVER_SET" }, new PullConditions(null, null), kit.Staging));

        Assert.Equal("opcr-open-data: the app token setting 'OC_TEST_SOCRATA_TOKEN_NEVER_SET' (appTokenSetting) is not set", error.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_rejected_app_token_fails_with_Socratas_message()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) =>
            FixtureServer.ServeAsync(context, "socrata/error-invalid-token.json", "application/json", 403));
        var source = Source(server.Url(Resource));

        var error = await Assert.ThrowsAsync<PullException>(() => new SocrataConnector(kit.Http, kit.Delay).PullAsync(source, new PullConditions(null, null), kit.Staging));

        Assert.Equal($"opcr-open-data: GET {server.Url(Resource)}.csv?$limit=3&$offset=0&$order=%3Aid failed: HTTP 403 Forbidden: Invalid app_token specified (after 1 attempt)", error.Message);
    }

    [Fact]
    public async Task A_page_whose_header_differs_from_the_first_fails_the_pull()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) => ServePage(context, renamedAt: "3"));

        var error = await Assert.ThrowsAsync<PullException>(() =>
            new SocrataConnector(kit.Http, kit.Delay).PullAsync(Source(server.Url(Resource)), new PullConditions(null, null), kit.Staging));

        Assert.Equal(
            $"opcr-open-data: GET {server.Url(Resource)}.csv?$limit=3&$offset=3&$order=%3Aid: the page's header differs from the first page's " +
            "(column 4 is 'officer' where the first page has 'officer_name'); the dataset changed during the pull, or the order is not stable",
            error.Message);
        Assert.Equal(2, server.Requests.Count);
        Assert.False(Directory.Exists(kit.Staging) && Directory.EnumerateFiles(kit.Staging).Any());
    }

    [Fact]
    public async Task A_Socrata_JSON_error_fails_at_once_with_its_message_and_code()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) =>
            FixtureServer.ServeAsync(context, "socrata/error-no-such-column.json", "application/json; charset=utf-8", 400));

        var error = await Assert.ThrowsAsync<PullException>(() => new SocrataConnector(kit.Http, kit.Delay).PullAsync(
            Source(server.Url(Resource)) with { Order = "officer_nam" }, new PullConditions(null, null), kit.Staging));

        Assert.Equal(
            $"opcr-open-data: GET {server.Url(Resource)}.csv?$limit=3&$offset=0&$order=officer_nam failed: HTTP 400 Bad Request: " +
            "No such column: officer_nam; position: Map(row -> 1, column -> 8, line -> \"SELECT `officer_nam`\\n       ^\") (query.soql.no-such-column) (after 1 attempt)",
            error.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_failed_page_is_retried_without_repeating_rows()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, n) => n == 2
            ? FixtureServer.WriteAsync(context, "{\"code\":\"internal_error\",\"error\":true,\"message\":\"Internal error\"}"u8.ToArray(), "application/json", 503)
            : n == 4 ? FixtureServer.TruncateAsync(context, FixtureServer.FixtureBytes("socrata/page-6.csv"), "text/csv")
            : ServePage(context));

        var result = await new SocrataConnector(kit.Http, kit.Delay).PullAsync(Source(server.Url(Resource)), new PullConditions(null, null), kit.Staging, kit.Reporter);

        Assert.Equal(Expected, await File.ReadAllTextAsync(Assert.Single(result.Files).LocalPath));
        Assert.Equal(5, result.Requests);
        Assert.Equal(["0", "3", "3", "6", "6"], server.Requests.Select(r => r.Param("$offset")));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)], kit.Waits);
        Assert.Contains(kit.Progress, p => p.Contains("HTTP 503 Service Unavailable: Internal error (internal_error); retrying", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_size_cap_counts_every_page()
    {
        using var kit = new PullKit();
        await using var server = await FixtureServer.StartAsync((context, _) => ServePage(context));
        var first = FixtureServer.FixtureBytes("socrata/page-0.csv").Length;

        var error = await Assert.ThrowsAsync<PullException>(() => new SocrataConnector(kit.Http, kit.Delay).PullAsync(
            Source(server.Url(Resource)) with { MaxBytes = first + 10 }, new PullConditions(null, null), kit.Staging));

        Assert.Contains($"failed: the export exceeds the size cap of {first + 10} bytes (maxBytes): the response declares", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory]
    [InlineData("https://data.example.gov/resource/x7k2-9qpm", "https://data.example.gov/resource/x7k2-9qpm")]
    [InlineData("https://data.example.gov/resource/x7k2-9qpm.csv", "https://data.example.gov/resource/x7k2-9qpm")]
    [InlineData("https://data.example.gov/resource/x7k2-9qpm.json?$limit=5", "https://data.example.gov/resource/x7k2-9qpm")]
    [InlineData("http://localhost:8080/resource/ABCD-1234.JSON", "http://localhost:8080/resource/ABCD-1234")]
    [InlineData("https://data.example.gov/api/views/x7k2-9qpm/rows.csv", null)]
    [InlineData("https://data.example.gov/resource/complaints", null)]
    [InlineData("ftp://data.example.gov/resource/x7k2-9qpm", null)]
    public void The_resource_URL_accepts_a_csv_or_json_suffix(string url, string? expected)
    {
        Assert.Equal(expected, SocrataConnector.ResourceUrl(new Uri(url))?.ToString());
    }
}
