using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenConduct.Api.Review;
using OpenConduct.Azure.Tests;
using OpenConduct.Core.Release;
using OpenConduct.Server.Tests;

namespace OpenConduct.Functions.Tests;

/// <summary>
/// The review functions against Azurite, as the platform would call them with its built-in authentication on
/// (<c>WEBSITE_AUTH_ENABLED=True</c>): a release of opcr under a policy that requires narrative review, published by the
/// app's own triggers, with its queue of narratives.
/// </summary>
public sealed class ReviewedRelease : IAsyncLifetime
{
    private readonly TempFolder folder = new();
    private AppOnAzurite? app;

    internal AppOnAzurite App => app ?? throw new InvalidOperationException(Azurite.NotRunning);

    public async Task InitializeAsync()
    {
        if (!Azurite.IsRunning)
        {
            return;
        }

        app = await AppOnAzurite.StartAsync("fxreview", new Dictionary<string, string?>
        {
            ["OPENCONDUCT_SOURCES"] = ReviewedSources.Write(folder.Path),
            [AppServiceReviewerAuthentication.EnabledSetting] = "True",
        });
        await App.Function<ProcessIncomingDrop>().RunAsync(await App.DropAsync("opcr"), "opcr", CancellationToken.None);
        var (manifest, source, date, runId) = Assert.Single(await App.ManifestsAsync("opcr"));
        await App.Function<ProcessRawExport>().RunAsync(manifest, source, date, runId, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        folder.Dispose();
    }
}

/// <summary>
/// The review console's functions invoked as the ASP.NET Core integration invokes them, against Azurite: 401 without a
/// principal (with where to sign in), 403 without the Reviewer role, the queue, an approval only with the CSRF token,
/// publish queued durably and run by the timer, the audit log naming the principal.
/// </summary>
public sealed class ReviewFunctionsTests(ReviewedRelease release) : IClassFixture<ReviewedRelease>
{
    private const string Host = "oc-test.azurewebsites.net";

    /// <summary>Every review API function, with a request that would succeed for a reviewer with the token.</summary>
    private static readonly (string Method, string Path, Func<ReviewFunctions, HttpRequest, Task<IResult>> Invoke)[] ApiRoutes =
    [
        ("GET", "/api/review/api/session", (f, r) => Task.FromResult(f.Session(r))),
        ("DELETE", "/api/review/api/session", (f, r) => f.SignOut(r)),
        ("GET", "/api/review/api/narratives", (f, r) => f.Narratives(r)),
        ("GET", "/api/review/api/narratives/opcr/x", (f, r) => f.Narrative(r, "opcr", "x")),
        ("POST", "/api/review/api/narratives/opcr/x/approval", (f, r) => f.Approval(r, "opcr", "x")),
        ("POST", "/api/review/api/publish/opcr", (f, r) => f.Publish(r, "opcr")),
        ("GET", "/api/review/api/merges", (f, r) => f.Merges(r)),
        ("GET", "/api/review/api/merges/x", (f, r) => f.Merge(r, "x")),
        ("POST", "/api/review/api/merges/x", (f, r) => f.DecideMerge(r, "x")),
        ("GET", "/api/review/api/audit", (f, r) => f.Audit(r)),
    ];

    [SkippableFact]
    public async Task Without_a_principal_every_review_route_is_a_401_saying_where_to_sign_in_never_cached()
    {
        Azurite.SkipUnlessRunning();
        foreach (var (method, path, invoke) in ApiRoutes)
        {
            var (status, headers, body) = await InvokeAsync(method, path, invoke, []);
            Assert.True(status == 401, $"{method} {path}: {status} {body}");
            Assert.Equal("application/problem+json", headers.ContentType.ToString());
            Assert.Equal("no-store", headers.CacheControl.ToString());
            Assert.Equal("/.auth/login/aad?post_login_redirect_uri=%2Fapi%2Freview%2F", JsonDocument.Parse(body).RootElement.GetProperty("signIn").GetString());
            Assert.False(headers.ContainsKey("Set-Cookie"), $"{method} {path} set a cookie without a reviewer");
        }
    }

    [SkippableFact]
    public async Task A_principal_without_the_Reviewer_role_or_from_another_provider_is_a_403_with_a_way_to_change_accounts()
    {
        Azurite.SkipUnlessRunning();
        foreach (var principal in new[] { Principals.Header("aad"), Principals.Header("aad", "reviewer", "Reader"), Principals.Header("github", "Reviewer") })
        {
            foreach (var (method, path, invoke) in ApiRoutes)
            {
                var (status, headers, body) = await InvokeAsync(method, path, invoke, [new("X-MS-CLIENT-PRINCIPAL", principal)]);
                Assert.True(status == 403, $"{method} {path}: {status} {body}");
                Assert.Equal("Not a reviewer", JsonDocument.Parse(body).RootElement.GetProperty("title").GetString());
                Assert.Equal("/.auth/logout?post_logout_redirect_uri=%2Fapi%2Freview%2F", JsonDocument.Parse(body).RootElement.GetProperty("signOut").GetString());
                Assert.Equal("no-store", headers.CacheControl.ToString());
            }
        }
    }

    [SkippableFact]
    public async Task A_request_another_sites_page_makes_is_refused_even_for_a_reviewer()
    {
        Azurite.SkipUnlessRunning();
        foreach (var site in new[] { "cross-site", "same-site" })
        {
            var (status, _, body) = await InvokeAsync("GET", "/api/review/api/narratives", (f, r) => f.Narratives(r), [new("X-MS-CLIENT-PRINCIPAL", Principals.Reviewer), new("Sec-Fetch-Site", site)]);
            Assert.True(status == 403, $"{site}: {status} {body}");
        }
    }

    [SkippableFact]
    public async Task A_reviewer_approves_a_narrative_only_with_the_CSRF_token_publishes_it_through_the_timer_and_the_audit_names_them()
    {
        Azurite.SkipUnlessRunning();
        var principal = new KeyValuePair<string, string>("X-MS-CLIENT-PRINCIPAL", Principals.Reviewer);

        // The session: the reviewer's name, and the CSRF token, set in a __Host- cookie (Secure, HttpOnly, SameSite=Strict, path /).
        var (status, headers, body) = await InvokeAsync("GET", "/api/review/api/session", (f, r) => Task.FromResult(f.Session(r)), [principal]);
        Assert.True(status == 200, body);
        var session = JsonDocument.Parse(body).RootElement;
        Assert.Equal(Principals.ReviewerName, session.GetProperty("reviewer").GetString());
        Assert.Equal(["opcr"], session.GetProperty("sources").EnumerateArray().Select(s => s.GetString()));
        var csrf = session.GetProperty("csrfToken").GetString()!;
        var setCookie = headers.SetCookie.ToString();
        Assert.StartsWith($"{AppServiceReviewerAuthentication.CsrfCookie}={csrf};", setCookie, StringComparison.Ordinal);
        foreach (var flag in new[] { "secure", "httponly", "samesite=strict", "path=/" })
        {
            Assert.Contains(flag, setCookie, StringComparison.OrdinalIgnoreCase);
        }

        var cookie = new KeyValuePair<string, string>("Cookie", $"{AppServiceReviewerAuthentication.CsrfCookie}={csrf}");

        // With the cookie, the session keeps its token (no new cookie): every instance checks it alike, without state.
        (_, headers, body) = await InvokeAsync("GET", "/api/review/api/session", (f, r) => Task.FromResult(f.Session(r)), [principal, cookie]);
        Assert.Equal(csrf, JsonDocument.Parse(body).RootElement.GetProperty("csrfToken").GetString());
        Assert.False(headers.ContainsKey("Set-Cookie"));

        // The queue and one narrative.
        (status, _, body) = await InvokeAsync("GET", "/api/review/api/narratives", (f, r) => f.Narratives(r), [principal]);
        Assert.True(status == 200, body);
        var caseNumber = JsonDocument.Parse(body).RootElement.EnumerateArray().First().GetProperty("caseNumber").GetString()!;
        (status, _, body) = await InvokeAsync("GET", $"/api/review/api/narratives/opcr/{caseNumber}", (f, r) => f.Narrative(r, "opcr", caseNumber), [principal]);
        Assert.True(status == 200, body);
        var item = JsonDocument.Parse(body).RootElement;
        var original = item.GetProperty("original").GetString()!;
        var approval = JsonSerializer.Serialize(new
        {
            originalSha256 = item.GetProperty("originalSha256").GetString(),
            automaticSha256 = item.GetProperty("automaticSha256").GetString(),
            added = Array.Empty<object>(),
            removed = Array.Empty<object>(),
        });
        var approvalPath = $"/api/review/api/narratives/opcr/{caseNumber}/approval";
        Task<IResult> Approve(ReviewFunctions f, HttpRequest r) => f.Approval(r, "opcr", caseNumber);

        // Refused: no token; a wrong token; the token without its cookie; the cookie without the token.
        foreach (var attempt in new KeyValuePair<string, string>[][]
        {
            [principal, cookie],
            [principal, cookie, new(ReviewSessions.CsrfHeader, csrf[..^1] + (csrf[^1] == 'A' ? 'B' : 'A'))],
            [principal, new(ReviewSessions.CsrfHeader, csrf)],
            [principal, new(ReviewSessions.CsrfHeader, "")],
        })
        {
            (status, _, body) = await InvokeAsync("POST", approvalPath, Approve, attempt, approval);
            Assert.True(status == 403, $"{string.Join(", ", attempt.Select(h => h.Key))}: {status} {body}");
            Assert.Equal("Missing CSRF token", JsonDocument.Parse(body).RootElement.GetProperty("title").GetString());
        }

        // With the token: approved, and out of the queue.
        KeyValuePair<string, string>[] change = [principal, cookie, new(ReviewSessions.CsrfHeader, csrf)];
        (status, _, body) = await InvokeAsync("POST", approvalPath, Approve, change, approval);
        Assert.True(status == 200, body);
        (_, _, body) = await InvokeAsync("GET", "/api/review/api/narratives", (f, r) => f.Narratives(r), [principal]);
        Assert.DoesNotContain($"\"caseNumber\":\"{caseNumber}\"", body, StringComparison.Ordinal);

        // Publish: queued durably (a marker in the review container) and answered at once; the timer publishes it.
        var live = await release.App.Storage.Releases.GetLatestAsync("opcr");
        (status, _, body) = await InvokeAsync("POST", "/api/review/api/publish/opcr", (f, r) => f.Publish(r, "opcr"), change);
        Assert.True(status == 202, body);
        Assert.NotNull(await release.App.Storage.Review.GetAsync(ReviewRequests.RepublishPrefix + "opcr"));
        await release.App.Function<PublishReviewed>().RunAsync(new TimerInfo(), CancellationToken.None);
        Assert.Null(await release.App.Storage.Review.GetAsync(ReviewRequests.RepublishPrefix + "opcr"));
        var republished = await release.App.Storage.Releases.GetLatestAsync("opcr");
        Assert.NotEqual(live, republished);
        Assert.NotNull(await ReleaseManifestIo.ReadAsync(release.App.Storage.Releases.Open("opcr", republished!)));

        // The officer merges' queue answers; a decision queues the officer index step the same way (a marker the timer runs).
        (status, _, body) = await InvokeAsync("GET", "/api/review/api/merges", (f, r) => f.Merges(r), [principal]);
        Assert.True(status == 200, body);
        await release.App.Services.GetRequiredService<IReviewPublisher>().ReindexAsync(CancellationToken.None);
        Assert.NotNull(await release.App.Storage.Review.GetAsync(ReviewRequests.ReindexMarker));
        await release.App.Function<PublishReviewed>().RunAsync(new TimerInfo(), CancellationToken.None);
        Assert.Null(await release.App.Storage.Review.GetAsync(ReviewRequests.ReindexMarker));

        // The audit log names the principal (its name, not its object id) for each action; no narrative text.
        (status, _, body) = await InvokeAsync("GET", "/api/review/api/audit", (f, r) => f.Audit(r), [principal]);
        Assert.True(status == 200, body);
        var entries = JsonDocument.Parse(body).RootElement.EnumerateArray().ToList();
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "approve-narrative" && e.GetProperty("reviewer").GetString() == Principals.ReviewerName && e.GetProperty("target").GetString() == $"opcr/{caseNumber}");
        Assert.Contains(entries, e => e.GetProperty("action").GetString() == "publish" && e.GetProperty("reviewer").GetString() == Principals.ReviewerName);
        Assert.DoesNotContain(Principals.ObjectId, body, StringComparison.Ordinal);
        Assert.DoesNotContain(original[..Math.Min(40, original.Length)], body, StringComparison.Ordinal);

        // Sign-out: the CSRF cookie expires, and the console is sent to the platform's sign-out.
        (status, headers, body) = await InvokeAsync("DELETE", "/api/review/api/session", (f, r) => f.SignOut(r), change);
        Assert.True(status == 200, body);
        Assert.Equal("/.auth/logout?post_logout_redirect_uri=%2Fapi%2Freview%2F", JsonDocument.Parse(body).RootElement.GetProperty("signOut").GetString());
        Assert.Matches(new Regex($"^{Regex.Escape(AppServiceReviewerAuthentication.CsrfCookie)}=;.*expires=Thu, 01 Jan 1970", RegexOptions.IgnoreCase), headers.SetCookie.ToString());
    }

    private Task<(int Status, IHeaderDictionary Headers, string Body)> InvokeAsync(
        string method, string path, Func<ReviewFunctions, HttpRequest, Task<IResult>> invoke, KeyValuePair<string, string>[] headers, string? json = null) =>
        HttpInvocation.InvokeAsync(release.App.Services, Host, method, path, r => invoke(release.App.Function<ReviewFunctions>(), r), headers, json);
}

/// <summary>The review functions where no storage is reached: the platform's authentication off, the console's own assets, the OpenAPI document.</summary>
public sealed class ReviewFunctionsWithoutStorageTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("False")]
    [InlineData("")]
    public async Task Without_the_platforms_authentication_even_a_reviewers_principal_is_refused(string? enabled)
    {
        var settings = WorkerHost.Settings();
        settings[AppServiceReviewerAuthentication.EnabledSetting] = enabled;
        using var host = WorkerHost.CreateBuilder(settings).AddOpenConductFunctions().Build();

        // A client can send the header itself when the platform does not strip it: it must count for nothing.
        foreach (var (method, invoke) in new (string, Func<ReviewFunctions, HttpRequest, Task<IResult>>)[]
        {
            ("GET", (f, r) => Task.FromResult(f.Session(r))),
            ("GET", (f, r) => f.Narratives(r)),
            ("POST", (f, r) => f.Publish(r, "opcr")),
        })
        {
            var (status, _, body) = await HttpInvocation.InvokeAsync(
                host.Services, "localhost", method, "/api/review/api/x", r => invoke(ActivatorUtilities.CreateInstance<ReviewFunctions>(host.Services), r),
                [new("X-MS-CLIENT-PRINCIPAL", Principals.Reviewer), new(ReviewSessions.CsrfHeader, "t"), new("Cookie", AppServiceReviewerAuthentication.CsrfCookie + "=t")]);
            Assert.True(status == 403, $"{method}: {status} {body}");
            Assert.Contains("WEBSITE_AUTH_ENABLED", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_console_is_served_under_the_route_prefix_and_its_key_sign_in_is_not()
    {
        using var host = WorkerHost.CreateBuilder(WorkerHost.Settings()).AddOpenConductFunctions().Build();
        var functions = new ReviewFunctions();

        // /api/review redirects to /api/review/, so that the page's relative URLs resolve under it.
        var (status, headers, _) = await HttpInvocation.InvokeAsync(host.Services, "localhost", "GET", "/api/review", r => Task.FromResult(functions.Console(r)));
        Assert.Equal(302, status);
        Assert.Equal("/api/review/", headers.Location.ToString());
        (status, headers, var page) = await HttpInvocation.InvokeAsync(host.Services, "localhost", "GET", "/api/review/", r => Task.FromResult(functions.Console(r)));
        Assert.Equal(200, status);
        Assert.Contains("src=\"console.js\"", page, StringComparison.Ordinal);
        Assert.Equal(ConsoleAssets.ContentSecurityPolicy, headers.ContentSecurityPolicy.ToString());
        Assert.Equal("no-store", headers.CacheControl.ToString());

        // The standalone server's key sign-in does not exist here: reviewers sign in with Entra ID.
        (status, _, var body) = await HttpInvocation.InvokeAsync(host.Services, "localhost", "POST", "/api/review/api/session", functions.SignIn, [], """{"name":"x","key":"y"}""");
        Assert.Equal(404, status);
        Assert.Contains("/.auth/login/aad", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_review_route_is_in_the_public_OpenAPI_document()
    {
        using var host = WorkerHost.CreateBuilder(WorkerHost.Settings()).AddOpenConductFunctions().Build();
        var document = await host.Services.GetRequiredService<ApiDescription>().GetJsonAsync();
        Assert.Contains("/api/officers", document, StringComparison.Ordinal);

        // No path of the review (descriptions may name docs/review.md, which is prose, not a route).
        var paths = System.Text.Json.JsonDocument.Parse(document).RootElement.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/officers", paths);
        Assert.DoesNotContain(paths, p => p.Contains("/review", StringComparison.Ordinal));
        Assert.DoesNotContain("/review/api", document, StringComparison.Ordinal);
    }
}
