using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OpenConduct.Azure.Tests;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>
/// The default command on Azurite: the server runs the pipeline. Exports dropped into <c>exports-incoming</c> (by
/// <c>openconduct drop</c>, as an agency would) are pulled, processed and indexed while the API serves; a refresh is
/// asked for through the admin endpoint, which takes the configured key and nothing else.
/// </summary>
public sealed class ServePipelineTests
{
    private const string AdminKey = "serve-test-admin-key-0123456789-0123456789";

    [SkippableFact]
    public async Task Dropped_exports_are_pulled_processed_indexed_and_served_and_a_refresh_needs_the_key()
    {
        var storage = await Azurite.NewStorageAsync("serve");
        using var folder = new TempFolder();
        try
        {
            var prefix = storage.Options.Prefix!;
            var environment = new Dictionary<string, string> { ["OPENCONDUCT_ADMIN_KEY"] = AdminKey, ["OPENCONDUCT_PSEUDONYM_KEY"] = PseudonymKey["OPENCONDUCT_PSEUDONYM_KEY"]! };
            using var server = await ApiServer.StartAsync(["--prefix", prefix, "--storage", Azurite.ConnectionString, "--index", Path.Combine(folder.Path, "index"), "--watch", "1"], environment);
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            await server.WaitForLogAsync("pipeline: 4 source(s)", TimeSpan.FromSeconds(30));

            Drop("opcr", prefix);
            await WaitForAsync(http, h => h.GetProperty("releases").GetProperty("opcr").ValueKind == JsonValueKind.String && h.GetProperty("indexGeneration").ValueKind == JsonValueKind.String);
            var opcrOnly = await WaitForOfficersAsync(http);
            Assert.True(opcrOnly.Total > 0, "no officer found after the first release");

            // The second identical request comes from the output cache (Age), with the same generation as its ETag.
            using (var again = await http.GetAsync("/api/officers?q=a"))
            {
                Assert.Equal(opcrOnly.ETag, again.Headers.ETag?.Tag);
                Assert.NotNull(again.Headers.Age);
            }

            Drop("iau", prefix);
            var health = await WaitForAsync(http, h => h.GetProperty("releases").GetProperty("iau").ValueKind == JsonValueKind.String
                && h.GetProperty("sources").GetProperty("iau").TryGetProperty("lastSuccess", out _)
                && h.GetProperty("indexGeneration").GetString() != opcrOnly.ETag.Trim('"'));
            Assert.Equal("degraded", health.GetProperty("status").GetString()); // cra has no release
            Assert.Equal(JsonValueKind.Null, health.GetProperty("releases").GetProperty("cra").ValueKind);
            Assert.Contains("OpenConduct run opcr pull Pulled", server.Output, StringComparison.Ordinal);
            Assert.Contains("OpenConduct run iau process Published", server.Output, StringComparison.Ordinal);
            Assert.Contains("OpenConduct run _officers index Published", server.Output, StringComparison.Ordinal);

            // The API serves what the pipeline published: the officers of both sources, from the index the server built,
            // and the same search as before is not answered from the cache of the previous generation.
            var both = await WaitForOfficersAsync(http, notETag: opcrOnly.ETag);
            Assert.NotEqual(opcrOnly.ETag, both.ETag);
            Assert.True(both.Complaints > opcrOnly.Complaints, $"{both.Complaints} complaints in the page after iau, {opcrOnly.Complaints} before");

            // The admin endpoint: never without the key.
            using (var anonymous = await http.PostAsync("/api/pipeline/refresh?source=opcr", null))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
                Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
            }

            Assert.Equal(HttpStatusCode.Unauthorized, (await Post(http, "/api/pipeline/refresh?source=opcr", AdminKey + "x")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await Post(http, "/api/pipeline/refresh?source=nope", AdminKey)).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await Post(http, "/api/pipeline/refresh", AdminKey)).StatusCode);
            var accepted = await Post(http, "/api/pipeline/refresh?source=opcr", AdminKey);
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            var body = await accepted.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("queued", body.GetProperty("status").GetString());

            // Nothing new in opcr's drop folder: the forced pull says so in the log.
            await server.WaitForLogAsync("OpenConduct run opcr pull NotReady", TimeSpan.FromSeconds(30));
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    private static async Task<HttpResponseMessage> Post(HttpClient http, string path, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("x-functions-key", key);
        return await http.SendAsync(request);
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient http, Func<JsonElement, bool> ready)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var health = await http.GetFromJsonAsync<JsonElement>("/api/health");
            if (ready(health))
            {
                return health;
            }

            Assert.True(DateTime.UtcNow < deadline, "the releases did not go live: " + health);
            await Task.Delay(500);
        }
    }

    private static void Drop(string source, string prefix)
    {
        var (exit, text) = Run("drop", "--source", source, "--prefix", prefix, "--storage", Azurite.ConnectionString, $"samples/exports/{source}");
        Assert.True(exit == 0, text);
        Assert.Contains("with the completion marker", text, StringComparison.Ordinal);
    }

    /// <summary>
    /// Searches "a" until an officer matches under a generation other than <paramref name="notETag"/> (30 s at most):
    /// the total, the ETag and the complaints of the page's officers.
    /// </summary>
    private static async Task<(long Total, string ETag, long Complaints)> WaitForOfficersAsync(HttpClient http, string? notETag = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await http.GetAsync("/api/officers?q=a");
            var page = await response.Content.ReadFromJsonAsync<JsonElement>();
            var etag = response.Headers.ETag?.Tag ?? "";
            var total = page.GetProperty("total").GetInt64();
            if ((total > 0 && etag != notETag) || DateTime.UtcNow > deadline)
            {
                return (total, etag, page.GetProperty("officers").EnumerateArray().Sum(o => (long)o.GetProperty("complaints").GetInt32()));
            }

            await Task.Delay(500);
        }
    }
}
