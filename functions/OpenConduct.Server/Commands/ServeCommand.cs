using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenConduct.Api;
using OpenConduct.Azure;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Sources;
using OpenConduct.Core.Storage;

namespace OpenConduct.Server.Commands;

/// <summary>
/// <c>serve</c>: the public API on Kestrel (http://127.0.0.1:7071 by default) over the releases and the officer index
/// that <c>ingest</c> builds. The schedule, the incoming-drop watcher and the widgets arrive with the rest of the API issue.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen.", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OPENCONDUCT_URLS") ?? "http://127.0.0.1:7071" };
        var releasesOption = new Option<DirectoryInfo?>("--releases") { Description = "Serve the releases of this folder (as written by ingest --out) instead of the releases container." };
        var index = HostSettings.IndexOption("Azure AI Search instead when OPENCONDUCT_SEARCH_ENDPOINT is set.");
        var sourcesOption = HostSettings.SourcesOption("The sources file: the sources whose releases are served.");
        var storage = HostSettings.StorageOption("The storage connection string, without --releases");
        var command = new Command("serve", "Serve the public API over the live releases and the officer index.") { urls, releasesOption, index, sourcesOption, storage };
        command.SetAction(async (parse, cancellationToken) =>
        {
            SourcesConfig config;
            try
            {
                config = SourcesFile.Load(parse.GetValue(sourcesOption)!.FullName);
            }
            catch (Exception ex) when (ex is SourcesException or IOException)
            {
                Console.WriteLine(ex.Message);
                return 2;
            }

            IReleaseStore releases = parse.GetValue(releasesOption) is { } folder
                ? new FolderReleaseStore(folder.FullName)
                : OpenConductStorage.Create(parse.GetValue(storage)!, new StorageOptions()).Releases;
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls(parse.GetValue(urls)!);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddProblemDetails();
            builder.Services.AddSingleton(releases);
            builder.Services.AddSingleton(new ApiSources([.. config.Sources.Select(s => s.Id)]));
            builder.Services.AddSingleton<CaseDirectory>();
            builder.Services.AddSingleton(_ => HostSettings.OpenIndex(parse.GetValue(index)!));
            builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull);
            var app = builder.Build();
            app.UseExceptionHandler();
            app.UseStatusCodePages();
            app.Use(async (context, next) =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'self'";
                await next(context).ConfigureAwait(false);
            });
            app.MapOpenConductApi();
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"serving the API on {string.Join(", ", app.Urls)} (try /api/health, /api/officers?q=smith)");
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
