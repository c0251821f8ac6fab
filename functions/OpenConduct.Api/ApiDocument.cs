using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.OpenApi;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Storage;

namespace OpenConduct.Api;

/// <summary>
/// The API described without serving it: a web application with every route mapped as the standalone server maps them
/// (<see cref="ApiHosting.UseOpenConductApi"/>), built and never started. The Functions app serves its OpenAPI document
/// from it (the document the standalone server generates at <c>/api/openapi.json</c>, from the same definitions), and
/// the tests read the standalone server's route table from it.
/// </summary>
public static class ApiDocument
{
    /// <summary>The application; the handlers' services are registered only so that their parameters are read as services (never resolved).</summary>
    public static WebApplication BuildDescribingApp()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddOpenConductApi();
        builder.Services.AddSingleton<IOfficerIndex>(_ => throw new NotSupportedException());
        builder.Services.AddSingleton<IReleaseStore>(_ => throw new NotSupportedException());
        builder.Services.AddSingleton<ApiSources>(_ => throw new NotSupportedException());
        var app = builder.Build();
        app.UseOpenConductApi();

        // Routing is what hands the application's endpoints to the endpoint data source the document is built from.
        app.UseRouting();
        app.UseEndpoints(_ => { });
        return app;
    }

    /// <summary>The OpenAPI document as JSON (OpenAPI 3.1, as the standalone server serves it), through <see cref="IOpenApiDocumentProvider"/>.</summary>
    public static async Task<string> GenerateJsonAsync()
    {
        await using var app = BuildDescribingApp();
        var document = await app.Services.GetRequiredKeyedService<IOpenApiDocumentProvider>("v1").GetOpenApiDocumentAsync().ConfigureAwait(false);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        document.SerializeAsV31(new OpenApiJsonWriter(text));
        return text.ToString();
    }
}
