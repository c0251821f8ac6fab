using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using OpenConduct.Azure.Tests;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>
/// The review console on the standalone server, over HTTP, with the pipeline on Azurite and a policy that requires
/// review: every review route refuses a request without a session, with a wrong key or without the CSRF token; the
/// cookie's flags; nothing pending is public until approved and published; the audit log holds no narrative text.
/// </summary>
public sealed class ReviewConsoleTests
{
    private const string AdminKey = "review-test-admin-key-0123456789-0123456789";

    [SkippableFact]
    public async Task A_reviewer_signs_in_approves_a_narrative_with_an_added_mask_publishes_it_and_signs_out()
    {
        var storage = await Azurite.NewStorageAsync("review");
        using var folder = new TempFolder();
        try
        {
            using var server = await ReviewedSources.StartServerAsync(folder.Path, storage, AdminKey, withCra: false, "--cors-origin", "https://city.example");
            var cookies = new CookieContainer();
            using var handler = new HttpClientHandler { CookieContainer = cookies, UseCookies = true };
            using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            ReviewedSources.Drop(storage, "opcr");
            var firstRelease = await WaitForReleaseAsync(http, null);

            // No session: every review route is a 401 problem, never cached.
            foreach (var path in new[] { "/review/api/session", "/review/api/narratives", "/review/api/narratives/opcr/x", "/review/api/audit" })
            {
                using var anonymous = await http.GetAsync(path);
                Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
                Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
                Assert.Equal("no-store", anonymous.Headers.CacheControl?.ToString());
            }

            // Every route that reads or changes anything, whatever its method: 401 without a session.
            foreach (var (method, path) in new[]
            {
                (HttpMethod.Post, "/review/api/publish/opcr"), (HttpMethod.Post, "/review/api/narratives/opcr/x/approval"),
                (HttpMethod.Delete, "/review/api/session"), (HttpMethod.Get, "/review/api/merges"), (HttpMethod.Get, "/review/api/merges/idr-0"),
                (HttpMethod.Post, "/review/api/merges/idr-0"),
            })
            {
                using var request = new HttpRequestMessage(method, path) { Content = method == HttpMethod.Get ? null : JsonContent.Create(new { }) };
                using var refused = await http.SendAsync(request);
                Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {refused.StatusCode}");
            }

            // A wrong key, a missing name.
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsJsonAsync("/review/api/session", new { name = "Records Officer", key = AdminKey + "x" })).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/review/api/session", new { name = "", key = AdminKey })).StatusCode);
            Assert.Empty(cookies.GetCookies(new Uri(server.BaseAddress, "/review/")));
            Assert.Contains("admin key rejected", server.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(AdminKey, server.Output, StringComparison.Ordinal);

            // Sign in: the cookie is HttpOnly, SameSite=Strict, scoped to /review (Secure only over TLS: this is loopback HTTP).
            using var signIn = await http.PostAsJsonAsync("/review/api/session", new { name = "Records Officer", key = AdminKey });
            Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
            var setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
            Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("path=/review", setCookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("max-age=", setCookie, StringComparison.OrdinalIgnoreCase);
            var session = await signIn.Content.ReadFromJsonAsync<JsonElement>();
            var csrf = session.GetProperty("csrfToken").GetString()!;
            Assert.Equal(["opcr"], session.GetProperty("sources").EnumerateArray().Select(s => s.GetString()));

            // The queue: the live release's narratives waiting for review.
            var queue = await http.GetFromJsonAsync<JsonElement>("/review/api/narratives");
            Assert.True(queue.GetArrayLength() > 0, "nothing waits for review under a policy that requires it");
            // The narrative to approve with an added mask is one the test can change in a later export (written verbatim in the CSV).
            var complaintsCsv = File.ReadAllText(Path.Combine(Repo, "samples", "exports", "opcr", "complaints.csv"));
            JsonElement item = default;
            foreach (var candidate in queue.EnumerateArray())
            {
                item = await http.GetFromJsonAsync<JsonElement>($"/review/api/narratives/opcr/{Uri.EscapeDataString(candidate.GetProperty("caseNumber").GetString()!)}");
                if (complaintsCsv.Split(item.GetProperty("original").GetString()!).Length == 2)
                {
                    break;
                }
            }

            var caseNumber = item.GetProperty("caseNumber").GetString()!;
            var original = item.GetProperty("original").GetString()!;
            Assert.Equal(2, complaintsCsv.Split(original).Length);
            var secretWord = LongestUnmaskedWord(item);

            // Before approval: the public complaint has no narrative and says it is pending review; the original is in no public answer.
            var complaint = await PublicComplaintAsync(http, caseNumber);
            Assert.False(complaint.TryGetProperty("narrative", out var none) && none.ValueKind == JsonValueKind.String);
            Assert.Equal("pending review", complaint.GetProperty("narrative_status").GetString());
            var caseStatus = await http.GetFromJsonAsync<JsonElement>($"/api/complaints/{Uri.EscapeDataString(caseNumber)}");
            Assert.Equal("pending review", caseStatus.GetProperty("complaints")[0].GetProperty("narrativeStatus").GetString());
            foreach (var path in new[] { "/api/datasets/opcr-complaints.json", "/api/datasets/opcr-complaints.csv", $"/api/complaints/{Uri.EscapeDataString(caseNumber)}", "/api/changes" })
            {
                Assert.DoesNotContain(original, await http.GetStringAsync(path), StringComparison.Ordinal);
            }

            // The privacy canary over every public surface while narratives wait: no pending original, and no private name
            // the scrubber masked in one, in any release artefact, dataset, officer history or search answer.
            await AssertNothingPendingIsPublicAsync(http, queue);

            // Review answers are not for other origins: no CORS header even for the city's allowed origin; not in the public OpenAPI document.
            using (var request = new HttpRequestMessage(HttpMethod.Get, "/review/api/narratives"))
            {
                request.Headers.Add("Origin", "https://city.example");
                using var response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
            }

            var openApi = await http.GetFromJsonAsync<JsonElement>("/api/openapi.json");
            Assert.DoesNotContain(openApi.GetProperty("paths").EnumerateObject(), p => p.Name.StartsWith("/review", StringComparison.Ordinal));
            Assert.DoesNotContain("/review/api", openApi.ToString(), StringComparison.Ordinal);

            // A change without the CSRF token is refused; with it, the approval (masking one more word) is saved.
            var start = original.IndexOf(secretWord, StringComparison.Ordinal);
            var approval = new
            {
                originalSha256 = item.GetProperty("originalSha256").GetString(),
                automaticSha256 = item.GetProperty("automaticSha256").GetString(),
                added = new[] { new { start, length = secretWord.Length, kind = "name" } },
                removed = Array.Empty<object>(),
            };
            var approvalPath = $"/review/api/narratives/opcr/{Uri.EscapeDataString(caseNumber)}/approval";
            Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsJsonAsync(approvalPath, approval)).StatusCode);
            using (var wrongToken = new HttpRequestMessage(HttpMethod.Post, approvalPath) { Content = JsonContent.Create(approval) })
            {
                wrongToken.Headers.Add("X-CSRF-Token", csrf + "x");
                Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(wrongToken)).StatusCode);
            }

            using var approve = new HttpRequestMessage(HttpMethod.Post, approvalPath) { Content = JsonContent.Create(approval) };
            approve.Headers.Add("X-CSRF-Token", csrf);
            using var approved = await http.SendAsync(approve);
            Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
            var published = (await approved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("published").GetString()!;
            Assert.DoesNotContain(secretWord, published, StringComparison.Ordinal);
            Assert.DoesNotContain((await http.GetFromJsonAsync<JsonElement>("/review/api/narratives")).EnumerateArray(), e => e.GetProperty("caseNumber").GetString() == caseNumber);

            // A second narrative approved as the scrubber left it.
            var otherCase = queue.EnumerateArray().Select(e => e.GetProperty("caseNumber").GetString()!).First(c => c != caseNumber);
            var other = await http.GetFromJsonAsync<JsonElement>($"/review/api/narratives/opcr/{Uri.EscapeDataString(otherCase)}");
            using (var approveOther = new HttpRequestMessage(HttpMethod.Post, $"/review/api/narratives/opcr/{Uri.EscapeDataString(otherCase)}/approval")
            {
                Content = JsonContent.Create(new { originalSha256 = other.GetProperty("originalSha256").GetString(), automaticSha256 = other.GetProperty("automaticSha256").GetString() }),
            })
            {
                approveOther.Headers.Add("X-CSRF-Token", csrf);
                Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(approveOther)).StatusCode);
            }

            // Publish: a new release of the same export goes live with the approved narrative, exactly as approved.
            using (var publish = new HttpRequestMessage(HttpMethod.Post, "/review/api/publish/opcr"))
            {
                publish.Headers.Add("X-CSRF-Token", csrf);
                Assert.Equal(HttpStatusCode.Accepted, (await http.SendAsync(publish)).StatusCode);
            }

            await WaitForReleaseAsync(http, firstRelease);
            complaint = await PublicComplaintAsync(http, caseNumber);
            Assert.Equal(published, complaint.GetProperty("narrative").GetString());
            var approvedStatus = await http.GetFromJsonAsync<JsonElement>($"/api/complaints/{Uri.EscapeDataString(caseNumber)}");
            Assert.False(approvedStatus.GetProperty("complaints")[0].TryGetProperty("narrativeStatus", out _));
            Assert.False(complaint.TryGetProperty("narrative_status", out var status) && status.ValueKind == JsonValueKind.String);

            Assert.Equal(other.GetProperty("scrubbed").GetString(), (await PublicComplaintAsync(http, otherCase)).GetProperty("narrative").GetString());

            // The next export changes the first narrative and not the second: the first returns to the queue (changed since
            // approved) and is withdrawn from the public data; the second stays published as approved.
            var secondRelease = (await http.GetFromJsonAsync<JsonElement>("/api/health")).GetProperty("releases").GetProperty("opcr").GetString();
            var changed = Path.Combine(folder.Path, "opcr-changed");
            Directory.CreateDirectory(changed);
            foreach (var file in Directory.GetFiles(Path.Combine(Repo, "samples", "exports", "opcr")))
            {
                File.Copy(file, Path.Combine(changed, Path.GetFileName(file)));
            }

            File.WriteAllText(Path.Combine(changed, "complaints.csv"), complaintsCsv.Replace(original, original + " The complainant later withdrew a second statement.", StringComparison.Ordinal));
            ReviewedSources.Drop(storage, "opcr", changed);
            await WaitForReleaseAsync(http, secondRelease);
            complaint = await PublicComplaintAsync(http, caseNumber);
            Assert.Equal("pending review", complaint.GetProperty("narrative_status").GetString());
            Assert.False(complaint.TryGetProperty("narrative", out var withdrawn) && withdrawn.ValueKind == JsonValueKind.String);
            Assert.Equal(other.GetProperty("scrubbed").GetString(), (await PublicComplaintAsync(http, otherCase)).GetProperty("narrative").GetString());
            var again = (await http.GetFromJsonAsync<JsonElement>("/review/api/narratives")).EnumerateArray().Single(e => e.GetProperty("caseNumber").GetString() == caseNumber);
            Assert.True(again.GetProperty("changedSinceApproval").GetBoolean());
            Assert.DoesNotContain((await http.GetFromJsonAsync<JsonElement>("/review/api/narratives")).EnumerateArray(), e => e.GetProperty("caseNumber").GetString() == otherCase);

            // The audit log: who did what, with hashes; no narrative text.
            var audit = await http.GetStringAsync("/review/api/audit");
            Assert.Contains("approve-narrative", audit, StringComparison.Ordinal);
            Assert.Contains("Records Officer", audit, StringComparison.Ordinal);
            Assert.Contains("publish", audit, StringComparison.Ordinal);
            Assert.DoesNotContain(secretWord, audit, StringComparison.Ordinal);
            Assert.DoesNotContain(original[..Math.Min(40, original.Length)], audit, StringComparison.Ordinal);

            // Sign out: the session is gone server-side (the old cookie, replayed, is refused).
            var cookie = cookies.GetCookies(new Uri(server.BaseAddress, "/review/"))["oc_review"]!.Value;
            using (var signOut = new HttpRequestMessage(HttpMethod.Delete, "/review/api/session"))
            {
                signOut.Headers.Add("X-CSRF-Token", csrf);
                Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(signOut)).StatusCode);
            }

            using var replay = new HttpRequestMessage(HttpMethod.Get, "/review/api/narratives");
            replay.Headers.Add("Cookie", "oc_review=" + cookie);
            using var bare = new HttpClient { BaseAddress = server.BaseAddress };
            Assert.Equal(HttpStatusCode.Unauthorized, (await bare.SendAsync(replay)).StatusCode);
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    [SkippableFact]
    public async Task A_reviewer_confirms_that_two_officers_are_one_person_and_the_search_shows_one()
    {
        var storage = await Azurite.NewStorageAsync("merge");
        using var folder = new TempFolder();
        try
        {
            using var server = await ReviewedSources.StartServerAsync(folder.Path, storage, AdminKey, withCra: true, "--officers-cache", "0");
            var cookies = new CookieContainer();
            using var handler = new HttpClientHandler { CookieContainer = cookies, UseCookies = true };
            using var http = new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            ReviewedSources.Drop(storage, "opcr");
            ReviewedSources.Drop(storage, "cra");

            var generation = await WaitForGenerationAsync(http, h => h.GetProperty("releases").GetProperty("cra").ValueKind == JsonValueKind.String, null);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/review/api/merges")).StatusCode);
            var session = await (await http.PostAsJsonAsync("/review/api/session", new { name = "Records Officer", key = AdminKey })).Content.ReadFromJsonAsync<JsonElement>();
            var csrf = session.GetProperty("csrfToken").GetString()!;

            // The former CRA's officers never merge automatically under the Minnesota policy: "Samuel E White" waits beside
            // "SAMUEL E WHITE" once the generation of both sources is live (the first may hold opcr alone).
            var queue = await http.GetFromJsonAsync<JsonElement>("/review/api/merges");
            for (var until = DateTime.UtcNow.AddSeconds(90); queue.GetProperty("items").GetArrayLength() == 0; queue = await http.GetFromJsonAsync<JsonElement>("/review/api/merges"))
            {
                Assert.True(DateTime.UtcNow < until, "no officer identity waits for review: " + queue);
                await Task.Delay(500);
            }

            generation = (await http.GetFromJsonAsync<JsonElement>("/api/health")).GetProperty("indexGeneration").GetString()!;
            var version = queue.GetProperty("reviewVersion").GetInt32();
            var white = queue.GetProperty("items").EnumerateArray().Single(i =>
                i.GetProperty("officers").EnumerateArray().Count(o => o.GetProperty("name").GetString()!.Equals("Samuel E White", StringComparison.OrdinalIgnoreCase)) == 2);
            var id = white.GetProperty("id").GetString()!;
            var complaints = white.GetProperty("officers").EnumerateArray().Sum(o => o.GetProperty("complaints").GetInt32());
            Assert.Equal(2, (await SearchAsync(http, "samuel white")).Count(o => o.GetProperty("displayName").GetString()!.Equals("Samuel E White", StringComparison.OrdinalIgnoreCase)));

            // Without the CSRF token: refused. With it: stored as the next version, then a stale version is refused.
            var decision = new { decision = "same", reviewVersion = version, note = "personnel file checked" };
            Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsJsonAsync($"/review/api/merges/{id}", decision)).StatusCode);
            using (var post = new HttpRequestMessage(HttpMethod.Post, $"/review/api/merges/{id}") { Content = JsonContent.Create(decision) })
            {
                post.Headers.Add("X-CSRF-Token", csrf);
                using var saved = await http.SendAsync(post);
                Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
                Assert.Equal(version + 1, (await saved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
            }

            if ((await http.GetFromJsonAsync<JsonElement>("/review/api/merges")).GetProperty("items").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } other)
            {
                using var stale = new HttpRequestMessage(HttpMethod.Post, $"/review/api/merges/{other.GetProperty("id").GetString()}")
                {
                    Content = JsonContent.Create(new { decision = "different", reviewVersion = version, note = (string?)null }),
                };
                stale.Headers.Add("X-CSRF-Token", csrf);
                Assert.Equal(HttpStatusCode.Conflict, (await http.SendAsync(stale)).StatusCode);
            }

            // The officer index step runs: the search shows one Samuel E White with both histories' complaints.
            var deadline = DateTime.UtcNow.AddSeconds(90);
            List<JsonElement> merged;
            while ((merged = [.. (await SearchAsync(http, "samuel white")).Where(o => o.GetProperty("displayName").GetString()!.Equals("Samuel E White", StringComparison.OrdinalIgnoreCase))]).Count != 1)
            {
                Assert.True(DateTime.UtcNow < deadline, $"the search still shows {merged.Count} officers named Samuel E White: " + server.Output[^Math.Min(2000, server.Output.Length)..]);
                await Task.Delay(500);
            }

            Assert.NotEqual(generation, (await http.GetFromJsonAsync<JsonElement>("/api/health")).GetProperty("indexGeneration").GetString());
            Assert.Equal(complaints, merged[0].GetProperty("complaints").GetInt32());
            Assert.DoesNotContain((await http.GetFromJsonAsync<JsonElement>("/review/api/merges")).GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
            var audit = await http.GetStringAsync("/review/api/audit");
            Assert.Contains("merge-same", audit, StringComparison.Ordinal);
            Assert.Contains("personnel file checked", audit, StringComparison.Ordinal);
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    /// <summary>Every pending narrative's original, and every name the scrubber masked in one (4+ letters), absent from every public answer.</summary>
    private static async Task AssertNothingPendingIsPublicAsync(HttpClient http, JsonElement queue)
    {
        var secrets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in queue.EnumerateArray())
        {
            var item = await http.GetFromJsonAsync<JsonElement>($"/review/api/narratives/opcr/{Uri.EscapeDataString(entry.GetProperty("caseNumber").GetString()!)}");
            secrets.Add(item.GetProperty("original").GetString()!);
        }

        // The complainants' names (both orders), addresses and phone numbers, as the export gives them.
        foreach (var line in File.ReadLines(Path.Combine(Repo, "samples", "exports", "opcr", "complainants.csv")).Skip(1))
        {
            var cells = System.Text.RegularExpressions.Regex.Matches(line, "\"([^\"]*)\"|([^,]*)").Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).Where((_, i) => i % 2 == 0).ToList();
            if (cells.Count > 4 && cells[1].Split(", ") is [var last, var first])
            {
                secrets.UnionWith(new[] { $"{first} {last}", $"{last}, {first}", cells[2], cells[4] }.Where(v => v.Length >= 8));
            }
        }

        Assert.True(secrets.Count > queue.GetArrayLength() + 100, "too few complainant values to look for: the canary would prove nothing");
        var published = new StringBuilder();
        var live = (await http.GetFromJsonAsync<JsonElement>("/api/health")).GetProperty("releases").GetProperty("opcr").GetString();
        var manifest = await http.GetFromJsonAsync<JsonElement>($"/api/releases/opcr/{live}/manifest.json");
        foreach (var path in manifest.GetProperty("artefacts").EnumerateArray().Select(a => a.GetProperty("path").GetString()!))
        {
            await using var stream = await http.GetStreamAsync($"/api/releases/opcr/{live}/{path}");
            await using var body = path.EndsWith(".gz", StringComparison.Ordinal) ? new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress) : stream;
            published.Append(await new StreamReader(body).ReadToEndAsync()).Append('\n');
        }

        foreach (var path in new[] { "/api/datasets", "/api/data.json", "/api/changes", "/api/releases/latest", "/api/dashboards", "/api/officers?q=a", "/api/officers?q=e" })
        {
            published.Append(await http.GetStringAsync(path)).Append('\n');
        }

        foreach (var id in (await http.GetFromJsonAsync<JsonElement>("/api/officers?q=a")).GetProperty("officers").EnumerateArray().Select(o => o.GetProperty("id").GetString()!))
        {
            published.Append(await http.GetStringAsync($"/api/officers/{id}")).Append('\n');
        }

        var text = published.ToString();
        Assert.True(text.Length > 10_000, "the public answers read are too few for the canary to mean anything");
        foreach (var secret in secrets)
        {
            Assert.False(text.Contains(secret, StringComparison.Ordinal), $"a pending narrative's text or a complainant's data ({secret.Length} characters) is public");
        }
    }

    private static async Task<List<JsonElement>> SearchAsync(HttpClient http, string query) =>
        [.. (await http.GetFromJsonAsync<JsonElement>("/api/officers?q=" + Uri.EscapeDataString(query))).GetProperty("officers").EnumerateArray()];

    /// <summary>Waits until health shows an index generation other than <paramref name="notGeneration"/> and <paramref name="ready"/> holds.</summary>
    private static async Task<string> WaitForGenerationAsync(HttpClient http, Func<JsonElement, bool> ready, string? notGeneration)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var health = await http.GetFromJsonAsync<JsonElement>("/api/health");
            if (health.GetProperty("indexGeneration") is { ValueKind: JsonValueKind.String } g && g.GetString() != notGeneration && ready(health))
            {
                return g.GetString()!;
            }

            Assert.True(DateTime.UtcNow < deadline, "the officer index did not move: " + health);
            await Task.Delay(500);
        }
    }

    /// <summary>The longest word of the original that no mask or flag covers (what a reviewer adds a mask over).</summary>
    private static string LongestUnmaskedWord(JsonElement item)
    {
        var original = item.GetProperty("original").GetString()!;
        var covered = item.GetProperty("masks").EnumerateArray().Concat(item.GetProperty("flags").EnumerateArray())
            .Select(m => (Start: m.GetProperty("start").GetInt32(), End: m.GetProperty("start").GetInt32() + m.GetProperty("length").GetInt32())).ToList();
        return System.Text.RegularExpressions.Regex.Matches(original, "[A-Za-z]{4,}")
            .Where(m => !covered.Any(c => c.Start < m.Index + m.Length && m.Index < c.End) && original.Split(m.Value).Length == 2)
            .OrderByDescending(m => m.Length).First().Value;
    }

    private static async Task<JsonElement> PublicComplaintAsync(HttpClient http, string caseNumber)
    {
        var rows = await http.GetFromJsonAsync<JsonElement>("/api/datasets/opcr-complaints.json");
        var list = rows.ValueKind == JsonValueKind.Array ? rows : rows.EnumerateObject().First(p => p.Value.ValueKind == JsonValueKind.Array).Value;
        return list.EnumerateArray().Single(r => r.GetProperty("case_number").GetString() == caseNumber);
    }

    private static async Task<string> WaitForReleaseAsync(HttpClient http, string? notRelease)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var health = await http.GetFromJsonAsync<JsonElement>("/api/health");
            if (health.GetProperty("releases").GetProperty("opcr") is { ValueKind: JsonValueKind.String } live && live.GetString() != notRelease)
            {
                return live.GetString()!;
            }

            Assert.True(DateTime.UtcNow < deadline, "the release did not go live: " + health);
            await Task.Delay(500);
        }
    }
}
