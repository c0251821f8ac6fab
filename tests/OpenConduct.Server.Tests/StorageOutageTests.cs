using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using OpenConduct.Azure.Tests;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>
/// Storage unreachable under a running server (issue 19): the server reaches Azurite through loopback proxies that the
/// test cuts and restores. During the outage what was read before is served stale within seconds (with the
/// OpenConduct-Stale-Since header), what was never read is a fast 503 with Retry-After, health says so within seconds;
/// once storage is back, answers are fresh again.
/// </summary>
public sealed class StorageOutageTests
{
    private const string DevAccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [SkippableFact]
    public async Task An_outage_is_served_stale_or_refused_fast_and_recovers()
    {
        Skip.IfNot(Azurite.ConnectionString == "UseDevelopmentStorage=true", "this test proxies Azurite's default endpoints (OPENCONDUCT_AZURITE is set)");
        var storage = await Azurite.NewStorageAsync("outage");
        await using var blobs = CuttableProxy.Start(10000);
        await using var tables = CuttableProxy.Start(10002);
        var proxied = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DevAccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobs.Port}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tables.Port}/devstoreaccount1;";
        using var folder = new TempFolder();
        try
        {
            var prefix = storage.Options.Prefix!;
            var environment = new Dictionary<string, string> { ["OPENCONDUCT_PSEUDONYM_KEY"] = PseudonymKey["OPENCONDUCT_PSEUDONYM_KEY"]! };
            using var server = await ApiServer.StartAsync(["--prefix", prefix, "--storage", proxied, "--index", Path.Combine(folder.Path, "index"), "--watch", "1", "--rate-limit", "0"], environment);
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            await server.WaitForLogAsync("pipeline: 4 source(s)", TimeSpan.FromSeconds(30));
            var (exit, text) = Run("drop", "--source", "opcr", "--prefix", prefix, "--storage", Azurite.ConnectionString, "samples/exports/opcr");
            Assert.True(exit == 0, text);
            await WaitAsync(async () => (await http.GetStringAsync("/api/releases/latest")).Contains("\"opcr\"", StringComparison.Ordinal), TimeSpan.FromSeconds(90));

            // Read once while storage answers: the live pointers and the small artefacts are now in memory.
            var dashboard = JsonDocument.Parse(await http.GetStringAsync("/api/dashboards")).RootElement.GetProperty("dashboards")[0].GetProperty("name").GetString();
            string[] served = ["/api/releases/latest", "/api/datasets", "/api/data.json", "/api/changes", "/api/dashboards", $"/api/dashboards/{dashboard}"];
            foreach (var path in served)
            {
                using var fresh = await http.GetAsync(path);
                Assert.True(fresh.StatusCode == HttpStatusCode.OK, $"{path}: {fresh.StatusCode}");
                Assert.False(fresh.Headers.Contains("OpenConduct-Stale-Since"), path);
            }

            blobs.Cut();
            tables.Cut();

            foreach (var path in served)
            {
                var clock = Stopwatch.StartNew();
                using var stale = await http.GetAsync(path);
                Assert.True(stale.StatusCode == HttpStatusCode.OK, $"{path} during the outage: {stale.StatusCode} {await stale.Content.ReadAsStringAsync()}");
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"{path} took {clock.Elapsed} during the outage");
                Assert.True(stale.Headers.TryGetValues("OpenConduct-Stale-Since", out var since), $"{path}: no stale header");
                Assert.True(DateTimeOffset.TryParse(since!.Single(), System.Globalization.CultureInfo.InvariantCulture, out _));
                Assert.Equal("nosniff", stale.Headers.GetValues("X-Content-Type-Options").Single());
            }

            // Never read before: a fast 503 with Retry-After, as a problem with the security headers.
            var watch = Stopwatch.StartNew();
            using var refused = await http.GetAsync("/api/datasets/opcr-allegations.csv");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"the 503 took {watch.Elapsed}");
            Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", refused.Headers.GetValues("X-Content-Type-Options").Single());

            watch.Restart();
            using var health = await http.GetAsync("/api/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"health took {watch.Elapsed}");
            Assert.Equal("unreachable", JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("storage").GetString());

            blobs.Restore();
            tables.Restore();
            await WaitAsync(async () =>
            {
                using var back = await http.GetAsync("/api/releases/latest");
                return back.StatusCode == HttpStatusCode.OK && !back.Headers.Contains("OpenConduct-Stale-Since");
            }, TimeSpan.FromSeconds(30));
            using var download = await http.GetAsync("/api/datasets/opcr-allegations.csv");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {timeout}");
            await Task.Delay(500);
        }
    }
}
