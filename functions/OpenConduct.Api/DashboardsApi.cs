using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenConduct.Core.Dashboards;

namespace OpenConduct.Api;

/// <summary>
/// <c>/api/dashboards</c>: the ten dashboards of the city's portal, each a table of counts filtered by any
/// combination of dimensions, computed in memory from the live releases' dashboard facts (no search service), every
/// cell and total suppressed under the policy's threshold k. The ETag is the live release ids.
/// </summary>
public static class DashboardsApi
{
    public static RouteGroupBuilder MapDashboardsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/dashboards").WithTags("Dashboards");
        api.MapGet("/", ListAsync).WithName("ListDashboards")
            .WithSummary("The dashboards, with their measures, rows, columns and options, every dimension with its values, and the threshold k.");
        api.MapGet("/{name}", GetAsync).WithName("GetDashboard")
            .WithSummary("One dashboard's table of counts for any combination of filters (?year=2023&precinct=3...), each cell and total suppressed under k with the reason listed.");
        return api;
    }

    public static async Task<Results<Ok<DashboardCatalogResponse>, ProblemHttpResult, StatusCodeHttpResult>> ListAsync(
        HttpContext context, DashboardFactsCache cache, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(cache);
        if (context.Request.Query.Count > 0)
        {
            return Problems.BadRequest($"GET /api/dashboards takes no query parameters; filter one dashboard: /api/dashboards/{{name}}?year=2023.");
        }

        var snapshot = await cache.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var facts = await cache.GetAsync(snapshot, cancellationToken).ConfigureAwait(false);
        if (Caching.NotModified(context, snapshot.Version))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return TypedResults.Ok(DashboardDefinitions.Catalog(facts.Combined));
    }

    public static async Task<Results<Ok<DashboardResponse>, ProblemHttpResult, StatusCodeHttpResult>> GetAsync(
        HttpContext context, DashboardFactsCache cache, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(name);
        var query = context.Request.Query.Select(q => new KeyValuePair<string, string?[]>(q.Key, q.Value.ToArray()));
        if (DashboardDefinitions.Find(name) is null)
        {
            return Problem(DashboardQueries.Parse(DashboardFacts.Empty, name, []).Problem!);
        }

        var snapshot = await cache.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        var facts = await cache.GetAsync(snapshot, cancellationToken).ConfigureAwait(false);
        var (request, problem) = DashboardQueries.Parse(facts.Combined, name, query);
        if (problem is not null)
        {
            return Problem(problem);
        }

        if (Caching.NotModified(context, snapshot.Version))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var response = DashboardQueries.Run(facts.Combined, request!);
        return TypedResults.Ok(facts.Notes.Count == 0 ? response : response with { Notes = [.. response.Notes, .. facts.Notes] });
    }

    /// <summary>A problem+json with the allowed names or values as an extension (<c>allowed</c>).</summary>
    private static ProblemHttpResult Problem(DashboardProblem problem) =>
        TypedResults.Problem(
            detail: problem.Detail,
            statusCode: problem.Status,
            title: problem.Title,
            extensions: new Dictionary<string, object?> { ["allowed"] = problem.Allowed });
}
