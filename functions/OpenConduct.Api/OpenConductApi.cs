using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace OpenConduct.Api;

/// <summary>The whole public API, under <c>/api</c>: one call for each host.</summary>
public static class OpenConductApi
{
    public static IEndpointRouteBuilder MapOpenConductApi(this IEndpointRouteBuilder app)
    {
        app.MapOfficersApi();
        app.MapServiceApi();
        app.MapHealthApi();
        app.MapComplaintsApi();
        app.MapReleasesApi();
        app.MapDatasetsApi();
        app.MapChangesApi();
        app.MapDashboardsApi();
        app.MapWidgetsApi();
        app.MapApiReference();
        return app;
    }
}
