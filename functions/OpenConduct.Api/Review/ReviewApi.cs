using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenConduct.Core.Review;

namespace OpenConduct.Api.Review;

/// <summary>A sign-in to the standalone server's review console: the reviewer's name (for the audit log) and the admin key.</summary>
public sealed record SignInRequest(string? Name, string? Key);

/// <summary>Where the console goes to finish signing out, when the host's identity provider signs reviewers in.</summary>
public sealed record SignOutResponse(string SignOut);

/// <summary>The signed-in reviewer, and the CSRF token every change must carry (<see cref="ReviewSessions.CsrfHeader"/>).</summary>
public sealed record SessionResponse(string Reviewer, string? CsrfToken, DateTimeOffset? ExpiresAt, string CsrfHeader, IReadOnlyList<string> Sources);

/// <summary>A reviewer's decision on an officer candidate set: <c>same</c> or <c>different</c>, against the reviewer overrides' version the queue showed.</summary>
public sealed record MergeDecisionRequest(string? Decision, int ReviewVersion, string? Note);

/// <summary>The decision stored as this version of the reviewer overrides.</summary>
public sealed record MergeDecisionResponse(string Id, string Decision, int Version, string Message);

/// <summary>
/// The review console and its API under <c>/review</c> (docs/review.md): never anonymous, never cached, never in the
/// public OpenAPI document, never allowed by CORS, rate limited like the public API. Reviewers see original narratives
/// here, so every answer is <c>Cache-Control: no-store</c> and the request log keeps route templates only.
/// </summary>
public static class ReviewApi
{
    public const string Prefix = "/review";

    public static RouteGroupBuilder MapReviewApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var review = app.MapGroup(Prefix).ExcludeFromDescription().AddEndpointFilter(NoStoreAsync);
        review.MapGet("", ConsoleAssets.PageOrSlash);
        review.MapGet("/console.js", ConsoleAssets.Script);
        review.MapGet("/console.css", ConsoleAssets.Style);
        review.MapPost("/api/session", SignInAsync);
        review.MapGet("/api/session", Session).AddEndpointFilter(RequireReviewerAsync);
        review.MapDelete("/api/session", (Delegate)SignOutAsync).AddEndpointFilter(RequireReviewerAsync);
        review.MapGet("/api/narratives", (Delegate)ListNarrativesAsync).AddEndpointFilter(RequireReviewerAsync);
        review.MapGet("/api/narratives/{source}/{caseNumber}", GetNarrativeAsync).AddEndpointFilter(RequireReviewerAsync);
        review.MapPost("/api/narratives/{source}/{caseNumber}/approval", ApproveAsync).AddEndpointFilter(RequireReviewerAsync);
        review.MapPost("/api/publish/{source}", PublishAsync).AddEndpointFilter(RequireReviewerAsync);
        review.MapGet("/api/audit", (Delegate)AuditAsync).AddEndpointFilter(RequireReviewerAsync);
        review.MapGet("/api/merges", (Delegate)ListMergesAsync).AddEndpointFilter(RequireReviewerAsync);
        review.MapGet("/api/merges/{id}", GetMergeAsync).AddEndpointFilter(RequireReviewerAsync);
        review.MapPost("/api/merges/{id}", DecideMergeAsync).AddEndpointFilter(RequireReviewerAsync);
        return review;
    }

    private const string ReviewerItem = "openconduct.reviewer";

    /// <summary>The reviewer the filter authenticated for this request.</summary>
    public static Reviewer CurrentReviewer(HttpContext context) =>
        context?.Items[ReviewerItem] as Reviewer ?? throw new InvalidOperationException("the review route has no reviewer: RequireReviewerAsync did not run");

    /// <summary>What every review answer carries, in both hosts: never stored by a browser or a proxy.</summary>
    public static void NoStore(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }

    /// <summary>
    /// The review API's guard, in both hosts (the standalone server's endpoint filter, each review function of the
    /// Functions app): null when the request may go on, its reviewer then in <see cref="CurrentReviewer"/>; otherwise the
    /// answer to give instead. In order: 403 for a request another site's page made (the browser's
    /// <c>Sec-Fetch-Site</c>: <c>cross-site</c> or <c>same-site</c>); the authenticator's refusal without a reviewer
    /// (<see cref="IReviewerAuthentication.Refuse"/>: 401 without a sign-in; in Azure also 403 without the Reviewer
    /// role, or with the platform's authentication off); 403 for a change (anything but GET) without the reviewer's CSRF token.
    /// </summary>
    public static IResult? Guard(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site")
        {
            return Problems.Status(StatusCodes.Status403Forbidden, "Cross-site request", "The review API answers the review console's own pages only.");
        }

        var auth = context.RequestServices.GetRequiredService<IReviewerAuthentication>();
        if (auth.Authenticate(context) is not { } reviewer)
        {
            var refusal = auth.Refuse(context);
            var links = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (refusal.SignIn is { } signIn)
            {
                links["signIn"] = signIn;
            }

            if (refusal.SignOut is { } signOut)
            {
                links["signOut"] = signOut;
            }

            return TypedResults.Problem(detail: refusal.Detail, statusCode: refusal.Status, title: refusal.Title, extensions: links);
        }

        if (!HttpMethods.IsGet(context.Request.Method) && !auth.CsrfValid(context, reviewer))
        {
            return Problems.Status(StatusCodes.Status403Forbidden, "Missing CSRF token", $"A change needs the session's token in the {ReviewSessions.CsrfHeader} header (the console sends it).");
        }

        context.Items[ReviewerItem] = reviewer;
        return null;
    }

    /// <summary>
    /// A review request's JSON body, as the standalone server's parameter binding reads it (the API's JSON options), or
    /// null when there is none or it is not JSON of that shape (the handlers answer 400 then).
    /// </summary>
    public static async Task<T?> ReadJsonAsync<T>(HttpRequest request)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength == 0 || !request.HasJsonContentType())
        {
            return null;
        }

        var options = request.HttpContext.RequestServices.GetService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()?.Value.SerializerOptions
                      ?? new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        try
        {
            return await request.ReadFromJsonAsync<T>(options, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static async ValueTask<object?> NoStoreAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        NoStore(invocation.HttpContext.Response);
        return await next(invocation).ConfigureAwait(false);
    }

    private static async ValueTask<object?> RequireReviewerAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next) =>
        Guard(invocation.HttpContext) ?? await next(invocation).ConfigureAwait(false);

    public static async Task<IResult> SignInAsync(HttpContext context, SignInRequest? request)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.RequestServices.GetRequiredService<IReviewerAuthentication>() is not ReviewSessions sessions)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not here", "This host signs reviewers in with its identity provider (in Azure: Entra ID, /.auth/login/aad), not with a key.");
        }

        var options = context.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value;
        if (options.AdminKey is not { } key)
        {
            return Problems.Status(StatusCodes.Status403Forbidden, "Forbidden", "The review console is turned off: the server has no admin key (OPENCONDUCT_ADMIN_KEY).");
        }

        var attempts = context.RequestServices.GetRequiredService<AdminKeyAttempts>();
        using var lease = attempts.Attempt(context, out var refused);
        if (refused is not null)
        {
            return refused;
        }

        var name = request?.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100 || name.Any(char.IsControl))
        {
            return Problems.BadRequest("Give your name (1 to 100 characters): the audit log records who did what.");
        }

        if (!attempts.Matches(context, request?.Key ?? "", key))
        {
            if (context.RequestServices.GetService<ReviewBackend>() is { } audited)
            {
                await audited.Audit.WriteAsync(new ReviewAuditEntry(Now(context), name, ReviewActions.SignInRefused, "session", null, null, "wrong key"), context.RequestAborted).ConfigureAwait(false);
            }

            return Problems.Status(StatusCodes.Status401Unauthorized, "Unauthorized", "The key is not the admin key (OPENCONDUCT_ADMIN_KEY).");
        }

        var reviewer = sessions.SignIn(context, name);
        if (context.RequestServices.GetService<ReviewBackend>() is { } backend)
        {
            await backend.Audit.WriteAsync(new ReviewAuditEntry(Now(context), name, ReviewActions.SignIn, "session", null, null), context.RequestAborted).ConfigureAwait(false);
        }

        return TypedResults.Ok(Describe(context, reviewer));
    }

    public static IResult Session(HttpContext context) => TypedResults.Ok(Describe(context, CurrentReviewer(context)));

    public static async Task<IResult> SignOutAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reviewer = CurrentReviewer(context);
        var next = context.RequestServices.GetRequiredService<IReviewerAuthentication>().EndSession(context);
        if (context.RequestServices.GetService<ReviewBackend>() is { } backend)
        {
            await backend.Audit.WriteAsync(new ReviewAuditEntry(Now(context), reviewer.Name, ReviewActions.SignOut, "session", null, null), context.RequestAborted).ConfigureAwait(false);
        }

        // Where the host's identity provider ends the sign-in (Azure: /.auth/logout), for the console to go to.
        return next is null ? TypedResults.NoContent() : TypedResults.Ok(new SignOutResponse(next));
    }

    public static async Task<IResult> ListNarrativesAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Backend(context) is { } backend
            ? TypedResults.Ok(await NarrativeReviews.ListAsync(backend, context.RequestAborted).ConfigureAwait(false))
            : NoStorage();
    }

    public static async Task<IResult> GetNarrativeAsync(HttpContext context, string source, string caseNumber)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Backend(context) is not { } backend)
        {
            return NoStorage();
        }

        return await NarrativeReviews.GetAsync(backend, source, caseNumber, context.RequestAborted).ConfigureAwait(false) is { } item
            ? TypedResults.Ok(item)
            : Problems.NotFound("narrative waiting for review of case", $"{source}/{caseNumber}");
    }

    public static async Task<IResult> ApproveAsync(HttpContext context, string source, string caseNumber, ApprovalRequest? request)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Backend(context) is not { } backend)
        {
            return NoStorage();
        }

        if (request is null || string.IsNullOrEmpty(request.OriginalSha256) || string.IsNullOrEmpty(request.AutomaticSha256))
        {
            return Problems.BadRequest("Send the approval as JSON: originalSha256 and automaticSha256 (as the item gave them), added (masks) and removed (automatic masks taken out, each with a reason).");
        }

        var time = context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System;
        var (saved, errors) = await NarrativeReviews.ApproveAsync(backend, CurrentReviewer(context), source, caseNumber, request, time, context.RequestAborted).ConfigureAwait(false);
        return saved is not null
            ? TypedResults.Ok(saved)
            : Problems.Status(StatusCodes.Status409Conflict, "Not approved", string.Join("; ", errors));
    }

    public static async Task<IResult> PublishAsync(HttpContext context, string source)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Backend(context) is not { } backend || context.RequestServices.GetService<IReviewPublisher>() is not { } publisher)
        {
            return NoStorage();
        }

        if (!await publisher.RepublishAsync(source, context.RequestAborted).ConfigureAwait(false))
        {
            return Problems.NotFound("source", source);
        }

        await backend.Audit.WriteAsync(new ReviewAuditEntry(Now(context), CurrentReviewer(context).Name, ReviewActions.Publish, source, null, null), context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Accepted((string?)null, new { source, status = "queued", message = "A new release of the source's live export is being built with the approvals; it goes live in a few minutes (/api/health shows the run)." });
    }

    public static async Task<IResult> AuditAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Backend(context) is { } backend
            ? TypedResults.Ok(await backend.Audit.ReadAsync(100, context.RequestAborted).ConfigureAwait(false))
            : NoStorage();
    }

    public static async Task<IResult> ListMergesAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Backend(context)?.Identities is { } identities
            ? TypedResults.Ok(await identities.ListAsync(context.RequestAborted).ConfigureAwait(false))
            : NoStorage();
    }

    public static async Task<IResult> GetMergeAsync(HttpContext context, string id)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Backend(context)?.Identities is not { } identities)
        {
            return NoStorage();
        }

        return await identities.GetAsync(id, context.RequestAborted).ConfigureAwait(false) is { } item
            ? TypedResults.Ok(item)
            : Problems.NotFound("undecided officer candidate set", id);
    }

    /// <summary>
    /// A reviewer's decision on a candidate set: <c>same</c> (one person) or <c>different</c>, stored as the next version of
    /// the reviewer overrides (the overrides file's format), audited with the versions' hashes; then the officer index step.
    /// </summary>
    public static async Task<IResult> DecideMergeAsync(HttpContext context, string id, MergeDecisionRequest? request)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Backend(context) is not { Identities: { } identities, IdentityStore: { } store } backend)
        {
            return NoStorage();
        }

        if (request is null || request.Decision is not ("same" or "different"))
        {
            return Problems.BadRequest("Send the decision as JSON: decision (same or different), reviewVersion (as the queue gave it) and an optional note.");
        }

        if (await identities.GetAsync(id, context.RequestAborted).ConfigureAwait(false) is not { } item)
        {
            return Problems.NotFound("undecided officer candidate set", id);
        }

        var before = await store.LoadAsync(context.RequestAborted).ConfigureAwait(false);
        IdentityReviewVersion after;
        try
        {
            var kind = request.Decision == "same" ? IdentityDecisionKind.Same : IdentityDecisionKind.Different;
            after = await store.DecideAsync(kind, [.. item.Officers.Select(o => o.Officer)], request.Note, request.ReviewVersion, context.RequestAborted).ConfigureAwait(false);
        }
        catch (StaleIdentityReviewException ex)
        {
            return Problems.Status(StatusCodes.Status409Conflict, "Decided meanwhile", ex.Message + " Reload the queue and decide again.");
        }
        catch (InvalidIdentityDecisionException ex)
        {
            return Problems.Status(StatusCodes.Status422UnprocessableEntity, "Not a valid decision", string.Join("; ", ex.Errors));
        }

        var reviewer = CurrentReviewer(context);
        await backend.Audit.WriteAsync(new ReviewAuditEntry(
            Now(context), reviewer.Name, request.Decision == "same" ? ReviewActions.MergeSame : ReviewActions.MergeDifferent, id, before.Sha256, after.Sha256,
            FormattableString.Invariant($"version {after.Version}: {string.Join(", ", item.Officers.Select(o => o.Officer))}{(string.IsNullOrWhiteSpace(request.Note) ? "" : "; note: " + request.Note)}")), context.RequestAborted).ConfigureAwait(false);
        if (context.RequestServices.GetService<IReviewPublisher>() is { } publisher)
        {
            await publisher.ReindexAsync(context.RequestAborted).ConfigureAwait(false);
        }

        return TypedResults.Ok(new MergeDecisionResponse(id, request.Decision, after.Version,
            "Decided. The officer index is being rebuilt with it; the search shows the change within minutes."));
    }

    private static SessionResponse Describe(HttpContext context, Reviewer reviewer) =>
        new(reviewer.Name, reviewer.CsrfToken, reviewer.ExpiresAt, ReviewSessions.CsrfHeader, Backend(context)?.Sources ?? []);

    private static ReviewBackend? Backend(HttpContext context) => context.RequestServices.GetService<ReviewBackend>();

    private static DateTimeOffset Now(HttpContext context) => (context.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();

    private static IResult NoStorage() =>
        Problems.Status(StatusCodes.Status409Conflict, "No review storage", "This server serves a release folder and runs no pipeline: there is nothing to review here.");
}
