using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using OpenConduct.Api;
using OpenConduct.Api.Review;

namespace OpenConduct.Functions;

/// <summary>
/// The review console and its API (docs/review.md), one function per route of the standalone server's
/// <see cref="ReviewApi.MapReviewApi"/>, under the route prefix: the console at <c>/api/review/</c> (its URLs are
/// relative, so they resolve under it). Each calls the shared handler after what the standalone server's filters do,
/// the same code: the API's security headers, <see cref="ReviewApi.NoStore"/>, and for the API
/// <see cref="ReviewApi.Guard"/> (a reviewer, the CSRF token on changes). Anonymous for the platform: its built-in
/// authentication (Entra ID) signs reviewers in without requiring it for the public API, and
/// <see cref="AppServiceReviewerAuthentication"/> requires the Reviewer app role here. Behind
/// <see cref="ApiRateLimiting"/> like every HTTP function; not in the OpenAPI document (generated from the standalone
/// server's routes, which exclude them).
/// </summary>
public sealed class ReviewFunctions
{
    /// <summary><c>/api/review/</c>: the page; <c>/api/review</c>: the redirect to it (routing ignores a trailing slash).</summary>
    [Function("ReviewConsole")]
    public IResult Console([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "review")] HttpRequest req) =>
        ConsoleAssets.PageOrSlash(Asset(req));

    [Function("ReviewConsoleScript")]
    public IResult Script([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "review/console.js")] HttpRequest req) =>
        ConsoleAssets.Script(Asset(req));

    [Function("ReviewConsoleStyle")]
    public IResult Style([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "review/console.css")] HttpRequest req) =>
        ConsoleAssets.Style(Asset(req));

    /// <summary>The standalone server's key sign-in; here a 404 saying that reviewers sign in with Entra ID.</summary>
    [Function("ReviewSignIn")]
    public async Task<IResult> SignIn([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "review/api/session")] HttpRequest req) =>
        await ReviewApi.SignInAsync(Asset(req), await ReviewApi.ReadJsonAsync<SignInRequest>(req));

    [Function("ReviewSession")]
    public IResult Session([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "review/api/session")] HttpRequest req) =>
        Guard(req) ?? ReviewApi.Session(req.HttpContext);

    [Function("ReviewSignOut")]
    public async Task<IResult> SignOut([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "review/api/session")] HttpRequest req) =>
        Guard(req) ?? await ReviewApi.SignOutAsync(req.HttpContext);

    [Function("ReviewNarratives")]
    public async Task<IResult> Narratives([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "review/api/narratives")] HttpRequest req) =>
        Guard(req) ?? await ReviewApi.ListNarrativesAsync(req.HttpContext);

    [Function("ReviewNarrative")]
    public async Task<IResult> Narrative(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "review/api/narratives/{source}/{caseNumber}")] HttpRequest req, string source, string caseNumber) =>
        Guard(req) ?? await ReviewApi.GetNarrativeAsync(req.HttpContext, source, caseNumber);

    /// <summary>The approval; its body is read only once the reviewer and the CSRF token are checked.</summary>
    [Function("ReviewApproval")]
    public async Task<IResult> Approval(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "review/api/narratives/{source}/{caseNumber}/approval")] HttpRequest req, string source, string caseNumber) =>
        Guard(req) ?? await ReviewApi.ApproveAsync(req.HttpContext, source, caseNumber, await ReviewApi.ReadJsonAsync<ApprovalRequest>(req));

    /// <summary>Publish: queued for <see cref="PublishReviewed"/> (<see cref="ReviewRequests"/>), answered 202.</summary>
    [Function("ReviewPublish")]
    public async Task<IResult> Publish([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "review/api/publish/{source}")] HttpRequest req, string source) =>
        Guard(req) ?? await ReviewApi.PublishAsync(req.HttpContext, source);

    [Function("ReviewMerges")]
    public async Task<IResult> Merges([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "review/api/merges")] HttpRequest req) =>
        Guard(req) ?? await ReviewApi.ListMergesAsync(req.HttpContext);

    [Function("ReviewMerge")]
    public async Task<IResult> Merge([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "review/api/merges/{id}")] HttpRequest req, string id) =>
        Guard(req) ?? await ReviewApi.GetMergeAsync(req.HttpContext, id);

    /// <summary>A merge decision; the officer index step is queued for <see cref="PublishReviewed"/>.</summary>
    [Function("ReviewMergeDecision")]
    public async Task<IResult> DecideMerge([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "review/api/merges/{id}")] HttpRequest req, string id) =>
        Guard(req) ?? await ReviewApi.DecideMergeAsync(req.HttpContext, id, await ReviewApi.ReadJsonAsync<MergeDecisionRequest>(req));

    [Function("ReviewAudit")]
    public async Task<IResult> Audit([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "review/api/audit")] HttpRequest req) =>
        Guard(req) ?? await ReviewApi.AuditAsync(req.HttpContext);

    /// <summary>The request's context, its response carrying the API's security headers and no-store (the standalone server's pipeline and group filter).</summary>
    private static HttpContext Asset(HttpRequest req)
    {
        ApiHosting.AddResponseHeaders(req.HttpContext.Response);
        ReviewApi.NoStore(req.HttpContext.Response);
        return req.HttpContext;
    }

    /// <summary>As <see cref="Asset"/>, then the review API's guard: null when the handler may run.</summary>
    private static IResult? Guard(HttpRequest req) => ReviewApi.Guard(Asset(req));
}
