using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenConduct.Api;
using OpenConduct.Azure;
using OpenConduct.Functions;

// The Functions app: the pipeline's triggers (PullExports, ProcessRawExport, ProcessIncomingDrop) and the public API
// (ApiFunctions), on Azure Storage and Azure AI Search. README.md lists every setting.
var builder = FunctionsApplication.CreateBuilder(args);

// HTTP functions take ASP.NET Core's HttpRequest and return the shared handlers' IResult.
builder.ConfigureFunctionsWebApplication();

// Telemetry straight from the worker to Application Insights: unsampled, and Information and up, because the
// pipeline's run events ("OpenConduct run {Source} {Step} {Outcome}") are what the alerts query.
builder.Services
    .AddApplicationInsightsTelemetryWorkerService(options => options.EnableAdaptiveSampling = false)
    .ConfigureFunctionsApplicationInsights();
builder.Logging.KeepInformationInApplicationInsights();

// The deployed sources file and identity overrides, checked before anything starts (AI Search required).
var settings = FunctionsSettings.Read(builder.Configuration);

builder.Services.AddOpenConductStorage(builder.Configuration);
builder.Services.AddOpenConductSearch(builder.Configuration);
builder.Services.AddOpenConductPipeline(settings.Sources, settings.Overrides, settings.OverridesHash);
builder.Services.AddOpenConductApi(api => api.PrecinctsGeoJson = FunctionsSettings.PrecinctsFile(builder.Configuration));
builder.Services.AddSingleton(new ApiSources([.. settings.Sources.Sources.Select(s => s.Id)]));
builder.Services.AddSingleton<IRefreshRequests, RefreshRequests>();
builder.Services.AddSingleton<ApiDescription>();

builder.Build().Run();
