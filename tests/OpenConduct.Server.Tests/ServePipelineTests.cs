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
            await server.WaitForLogAsync("pipeline: 3 source(s)", TimeSpan.FromSeconds(30));

            foreach (var source in new[] { "opcr", "iau" })
            {
                var (exit, text) = Run("drop", "--source", source, "--prefix", prefix, "--storage", Azurite.ConnectionString, $"samples/exports/{source}");
                Assert.True(exit == 0, text);
                Assert.Contains("with the completion marker", text, StringComparison.Ordinal);
            }

            var health = await WaitForAsync(http, h => h.GetProperty("releases").GetProperty("opcr").ValueKind == JsonValueKind.String
                && h.GetProperty("releases").GetProperty("iau").ValueKind == JsonValueKind.String
                && h.GetProperty("sources").GetProperty("iau").TryGetProperty("lastSuccess", out _));
            Assert.Equal("degraded", health.GetProperty("status").GetString()); // cra has no release
            Assert.Equal(JsonValueKind.Null, health.GetProperty("releases").GetProperty("cra").ValueKind);
            await server.WaitForLogAsync("OpenConduct run _officers index Published", TimeSpan.FromSeconds(30));
            Assert.Contains("OpenConduct run opcr pull Pulled", server.Output, StringComparison.Ordinal);
            Assert.Contains("OpenConduct run iau process Published", server.Output, StringComparison.Ordinal);

            // The API serves what the pipeline published: officers of both sources, from the index the server built.
            var officers = await WaitForOfficersAsync(http);
            Assert.True(officers.GetProperty("total").GetInt64() > 0);

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

    private static async Task<JsonElement> WaitForOfficersAsync(HttpClient http)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var page = await http.GetFromJsonAsync<JsonElement>("/api/officers?q=a");
            if (page.GetProperty("total").GetInt64() > 0 || DateTime.UtcNow > deadline)
            {
                return page;
            }

            await Task.Delay(500);
        }
    }
}
