using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Sources;
using OpenConduct.Core.Storage;
using OpenConduct.Core.Tests.Sources;

namespace OpenConduct.Azure.Tests;

/// <summary>
/// Pulls through each connector into exports-raw on Azurite, from a local server that answers in the API's real
/// format (the recorded fixtures of the connector tests): stored byte for byte with provenance, conditional GET and
/// same-hash no-ops recorded as runs, and the HTTP export processed into a release.
/// </summary>
public sealed class ConnectorPipelineTests
{
    private const string ETag = "\"iau-2030-01-07\"";
    private static readonly DateTimeOffset LastModified = new(2030, 1, 6, 22, 0, 0, TimeSpan.Zero);

    [SkippableFact]
    public async Task An_http_export_is_pulled_processed_and_then_a_conditional_get_is_a_no_op()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("http");
        var export = await File.ReadAllBytesAsync(Path.Combine(PipelineHarness.SampleFolder("iau"), "IAPro_export.csv"));
        var etag = ETag;
        await using var server = await FixtureServer.StartAsync(async (context, _) =>
        {
            if (context.Request.Headers.IfNoneMatch == etag)
            {
                context.Response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }

            context.Response.Headers.ETag = etag;
            context.Response.Headers.LastModified = LastModified.ToString("R", CultureInfo.InvariantCulture);
            await FixtureServer.WriteAsync(context, export, "text/csv");
        });
        var source = Http(server.Url("exports/IAPro_export.csv"));
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var pull = new PullService(pipeline.Storage.Containers, pipeline.Storage.Ledger, SourceConnectors.Create(http), pipeline.Time);

        var first = await pull.PullAsync(source, "timer");

        Assert.Equal(PullOutcome.Pulled, first.Outcome);
        var stored = (await pipeline.Storage.Containers.Raw.GetAsync(first.RawPrefix + "IAPro_export.csv"))!;
        Assert.Equal(export, await pipeline.ReadBytesAsync(pipeline.Storage.Containers.Raw, stored.Path));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(export)), stored.Metadata["sha256"]);
        Assert.Equal(Uri.EscapeDataString(source.Url!.ToString()), stored.Metadata["url"]);
        Assert.Equal(Uri.EscapeDataString(ETag), stored.Metadata["etag"]);
        var state = (await pipeline.Storage.Ledger.GetSourceAsync("iau"))!;
        Assert.Equal(ETag, state.ETag);
        Assert.Equal(LastModified, state.LastModified);
        Assert.Equal(14, state.CadenceDays);

        var processed = await pipeline.Process().ProcessAsync(source, first.RawPrefix!, "blob");
        Assert.Equal(ProcessOutcome.Published, processed.Outcome);
        Assert.Equal(processed.Publish!.ReleaseId, await pipeline.Storage.Releases.GetLatestAsync("iau"));

        // Not due before the cadence has passed; then a conditional GET answered 304.
        pipeline.Time.Set(PipelineHarness.Start.AddDays(13));
        Assert.Equal(PullOutcome.NotDue, (await pull.PullAsync(source, "timer")).Outcome);
        pipeline.Time.Set(PipelineHarness.Start.AddDays(14));
        var second = await pull.PullAsync(source, "timer");
        Assert.Equal(PullOutcome.Unchanged, second.Outcome);
        var conditional = server.Requests[^1];
        Assert.Equal(ETag, conditional.Header("If-None-Match"));
        Assert.Equal(LastModified.ToString("R", CultureInfo.InvariantCulture), conditional.Header("If-Modified-Since"));

        // A new ETag on the same bytes: fetched, found identical by its SHA-256, nothing stored.
        etag = "\"iau-2030-01-21\"";
        pipeline.Time.Set(PipelineHarness.Start.AddDays(28));
        var third = await pull.PullAsync(source, "timer");
        Assert.Equal(PullOutcome.Unchanged, third.Outcome);
        Assert.Contains("same SHA-256", third.Message, StringComparison.Ordinal);
        Assert.Equal(etag, (await pipeline.Storage.Ledger.GetSourceAsync("iau"))!.ETag);

        var runs = await pipeline.Storage.Ledger.ListRunsAsync("iau");
        Assert.Equal([RunOutcome.NoOp, RunOutcome.NoOp, RunOutcome.Published], runs.Select(r => r.Outcome));
        Assert.Single(await pipeline.ListAsync(pipeline.Storage.Containers.Raw, "iau/"), o => o.Path.EndsWith(RawExport.ManifestName, StringComparison.Ordinal));
        Assert.Single(await pipeline.Storage.Releases.ListAsync("iau"));
    }

    [SkippableFact]
    public async Task A_failed_http_pull_is_a_failed_run_and_stores_nothing()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("httpfail");
        await using var server = await FixtureServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return Task.CompletedTask;
        });
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var pull = new PullService(pipeline.Storage.Containers, pipeline.Storage.Ledger, SourceConnectors.Create(http, (_, _) => Task.CompletedTask), pipeline.Time);

        var report = await pull.PullAsync(Http(server.Url("exports/IAPro_export.csv")) with { Retries = 2 }, "timer");

        Assert.Equal(PullOutcome.Failed, report.Outcome);
        Assert.Contains("503", report.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests.Count);
        Assert.Empty(await pipeline.ListAsync(pipeline.Storage.Containers.Raw, "iau/"));
        var run = Assert.Single(await pipeline.Storage.Ledger.ListRunsAsync("iau"));
        Assert.Equal(RunOutcome.Failed, run.Outcome);
        var state = (await pipeline.Storage.Ledger.GetSourceAsync("iau"))!;
        Assert.Null(state.LastSuccess);
        Assert.Contains("503", state.LastError, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_socrata_dataset_is_pulled_page_by_page_and_an_unchanged_one_is_a_no_op()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("socrata");
        await using var server = await FixtureServer.StartAsync((context, _) =>
        {
            var offset = int.Parse(context.Request.Query["$offset"].ToString(), CultureInfo.InvariantCulture);
            return FixtureServer.ServeAsync(context, $"socrata/page-{offset}.csv", "text/csv; charset=UTF-8");
        });
        var source = new SourceDefinition
        {
            Id = "socrata", Kind = SourceKind.Socrata, Url = server.Url("resource/x7k2-9qpm"), PageSize = 3,
            Profile = "unused.json", Policy = "unused.json",
        };
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var pull = new PullService(pipeline.Storage.Containers, pipeline.Storage.Ledger, SourceConnectors.Create(http), pipeline.Time);

        var first = await pull.PullAsync(source, "timer");

        Assert.Equal(PullOutcome.Pulled, first.Outcome);
        Assert.Equal(["0", "3", "6"], server.Requests.Select(r => r.Param("$offset")));
        var csv = System.Text.Encoding.UTF8.GetString(await pipeline.ReadBytesAsync(pipeline.Storage.Containers.Raw, first.RawPrefix + "socrata.csv"));
        Assert.StartsWith("case_number,received_date,", csv, StringComparison.Ordinal);
        Assert.Equal(8, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length); // header + 7 rows

        pipeline.Time.Set(PipelineHarness.Start.AddDays(14));
        var second = await pull.PullAsync(source, "timer");
        Assert.Equal(PullOutcome.Unchanged, second.Outcome);
        Assert.Equal([RunOutcome.NoOp, RunOutcome.Pulled], (await pipeline.Storage.Ledger.ListRunsAsync("socrata")).Select(r => r.Outcome));
    }

    [SkippableFact]
    public async Task An_arcgis_layer_is_pulled_page_by_page_into_one_csv()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("arcgis");
        const string layer = "arcgis/rest/services/OPCR/Police_Conduct_Complaints/FeatureServer/0";
        await using var server = await FixtureServer.StartAsync((context, _) =>
            context.Request.Path.Value!.EndsWith("/query", StringComparison.Ordinal)
                ? FixtureServer.ServeAsync(context, $"arcgis/query-{context.Request.Query["resultOffset"]}.json", "application/json")
                : FixtureServer.ServeAsync(context, "arcgis/layer.json", "application/json"));
        var source = new SourceDefinition
        {
            Id = "arcgis", Kind = SourceKind.Arcgis, Url = server.Url(layer), PageSize = 2,
            Profile = "unused.json", Policy = "unused.json",
        };
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var pull = new PullService(pipeline.Storage.Containers, pipeline.Storage.Ledger, SourceConnectors.Create(http), pipeline.Time);

        var report = await pull.PullAsync(source, "timer");

        Assert.Equal(PullOutcome.Pulled, report.Outcome);
        var csv = System.Text.Encoding.UTF8.GetString(await pipeline.ReadBytesAsync(pipeline.Storage.Containers.Raw, report.RawPrefix + "arcgis.csv"));
        Assert.StartsWith("OBJECTID,CaseNumber,ReceivedDate,", csv, StringComparison.Ordinal);
        Assert.Contains("2019-01-15T14:32:05Z", csv, StringComparison.Ordinal);
        Assert.Equal(["0", "2", "4"], server.Requests.Where(r => r.Path.EndsWith("/query", StringComparison.Ordinal)).Select(r => r.Param("resultOffset")));
        var manifest = await RawExport.ReadManifestAsync(await pipeline.Storage.Containers.Raw.OpenReadAsync(report.RawPrefix + RawExport.ManifestName), "manifest", default);
        Assert.Equal(source.Url!.ToString(), manifest.Url);
        Assert.Equal(report.ExportHash, manifest.ExportHash);
    }

    private static SourceDefinition Http(Uri url) => new()
    {
        Id = "iau",
        Kind = SourceKind.Http,
        Url = url,
        Profile = Path.Combine(AppContext.BaseDirectory, "samples", "profiles", "iau.json"),
        Policy = Path.Combine(AppContext.BaseDirectory, "samples", "policies", "minnesota.json"),
    };
}
