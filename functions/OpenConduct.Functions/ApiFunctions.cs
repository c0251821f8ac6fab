using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using OpenConduct.Api;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Storage;

namespace OpenConduct.Functions;

/// <summary>
/// The public API, one function per endpoint of the standalone server, under <c>/api</c> (host.json routePrefix). Each
/// passes the request's <see cref="HttpContext"/>, the injected services and its route and query values to the shared
/// handler of OpenConduct.Api and returns the handler's result, which the ASP.NET Core integration executes (an
/// <see cref="IResult"/>). The function names are the endpoints' OpenAPI operation ids. CORS is the platform's (the
/// function app's allowed origins, from the same setting as the standalone server's); the per-client rate limit is
/// <see cref="ApiRateLimiting"/>, in front of every function here.
/// </summary>
public sealed class ApiFunctions(
    IOfficerIndex index,
    [FromKeyedServices(ApiReleaseStore.Key)] IReleaseStore releases,
    IReleaseStore store,
    ApiSources sources,
    CaseDirectory cases,
    DashboardFactsCache dashboards,
    IOptions<ApiOptions> apiOptions,
    ApiDescription description)
{
    /// <summary>
    /// The refresh's route, as in the standalone server (not under <c>admin/</c>: the Functions host reserves routes
    /// whose first segment is <c>admin</c>, whatever the route prefix, and such a function fails to register).
    /// </summary>
    public const string RefreshRoute = "pipeline/refresh";

    [Function("SearchOfficers")]
    public async Task<IResult> SearchOfficers([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "officers")] HttpRequest req) =>
        await OfficersApi.SearchAsync(Http(req), index, req.Query["q"], req.Query["badge"], req.Query["page"], req.HttpContext.RequestAborted);

    [Function("GetOfficer")]
    public async Task<IResult> GetOfficer([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "officers/{id}")] HttpRequest req, string id) =>
        await OfficersApi.GetAsync(Http(req), index, id, req.HttpContext.RequestAborted);

    [Function("GetComplaint")]
    public async Task<IResult> GetComplaint([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "complaints/{caseNumber}")] HttpRequest req, string caseNumber) =>
        await ComplaintsApi.GetAsync(Http(req), cases, caseNumber, req.HttpContext.RequestAborted);

    [Function("Health")]
    public async Task<IResult> Health([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequest req) =>
        await HealthApi.HealthAsync(Http(req), index, store, sources, req.HttpContext.RequestAborted);

    [Function("Live")]
    public IResult Live([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health/live")] HttpRequest req)
    {
        ApiHosting.AddResponseHeaders(req.HttpContext.Response);
        return ServiceApi.Live();
    }

    [Function("LatestReleases")]
    public async Task<IResult> LatestReleases([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "releases/latest")] HttpRequest req) =>
        await ReleasesApi.LatestAsync(Http(req), releases, sources, req.HttpContext.RequestAborted);

    [Function("GetReleaseArtefact")]
    public async Task<IResult> GetReleaseArtefact(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "releases/{source}/{releaseId}/{*path}")] HttpRequest req, string source, string releaseId, string? path) =>
        await ReleasesApi.GetArtefactAsync(Http(req), releases, sources, source, releaseId, path, req.HttpContext.RequestAborted);

    [Function("ListDatasets")]
    public async Task<IResult> ListDatasets([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets")] HttpRequest req) =>
        await DatasetsApi.ListAsync(Http(req), releases, sources, req.HttpContext.RequestAborted);

    [Function("DownloadDataset")]
    public async Task<IResult> DownloadDataset([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "datasets/{file}")] HttpRequest req, string file) =>
        await DatasetsApi.DownloadAsync(Http(req), releases, sources, file, req.HttpContext.RequestAborted);

    [Function("Catalog")]
    public async Task<IResult> Catalog([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "data.json")] HttpRequest req) =>
        await DatasetsApi.CatalogAsync(Http(req), releases, sources, apiOptions, req.HttpContext.RequestAborted);

    [Function("Changes")]
    public async Task<IResult> Changes([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "changes")] HttpRequest req) =>
        await ChangesApi.GetAsync(Http(req), releases, sources, req.HttpContext.RequestAborted);

    [Function("ListDashboards")]
    public async Task<IResult> ListDashboards([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboards")] HttpRequest req) =>
        await DashboardsApi.ListAsync(Http(req), dashboards, req.HttpContext.RequestAborted);

    [Function("GetDashboard")]
    public async Task<IResult> GetDashboard([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboards/{name}")] HttpRequest req, string name) =>
        await DashboardsApi.GetAsync(Http(req), dashboards, name, req.HttpContext.RequestAborted);

    /// <summary>
    /// The widgets' script and the precinct boundaries. The route prefix puts them under <c>/api/widgets/</c> (the
    /// standalone server: <c>/widgets/</c>); the script finds the API and the boundaries beside its own URL.
    /// </summary>
    [Function("Widgets")]
    public async Task<IResult> Widgets([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "widgets/{file}")] HttpRequest req, string file) =>
        await WidgetsApi.GetFileAsync(Http(req), apiOptions, file, req.HttpContext.RequestAborted);

    /// <summary>
    /// A pull now (<see cref="RefreshRequests"/>). The function key, in the <c>x-functions-key</c> header, is checked by the
    /// platform before this runs (the shared handler's own key filter belongs to the standalone server's route mapping).
    /// </summary>
    [Function("Refresh")]
    public async Task<IResult> Refresh([HttpTrigger(AuthorizationLevel.Function, "post", Route = RefreshRoute)] HttpRequest req) =>
        await ServiceApi.RefreshAsync(Http(req), req.Query["source"], req.HttpContext.RequestAborted);

    /// <summary>The OpenAPI document, generated from the same endpoint definitions as the standalone server's.</summary>
    [Function("OpenApi")]
    public async Task<IResult> OpenApi([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest req)
    {
        ApiHosting.AddResponseHeaders(req.HttpContext.Response);
        return TypedResults.Text(await description.GetJsonAsync(), "application/json; charset=utf-8");
    }

    /// <summary>The interactive API reference (Scalar) over <c>/api/openapi.json</c>, as in the standalone server.</summary>
    [Function("ApiReference")]
    public IResult ApiReference([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs")] HttpRequest req) =>
        Api.ApiReference.Reference(Http(req));

    /// <summary>The reference page's script, Scalar's bundle.</summary>
    [Function("ApiReferenceScript")]
    public IResult ApiReferenceScript([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs/scalar.js")] HttpRequest req) =>
        Api.ApiReference.ScriptFile(Http(req));

    /// <summary>The request's context, its response carrying the API's security headers (as the standalone server's).</summary>
    private static HttpContext Http(HttpRequest req)
    {
        ApiHosting.AddResponseHeaders(req.HttpContext.Response);
        return req.HttpContext;
    }
}
