using System.CommandLine;
using Cronos;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenConduct.Api;
using OpenConduct.Azure;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Sources;
using OpenConduct.Core.Storage;
using OpenConduct.Server.Hosting;

namespace OpenConduct.Server.Commands;

/// <summary>
/// <c>serve</c> (the default command): the public API on Kestrel (http://127.0.0.1:7071 by default) and the pipeline
/// that keeps it current: the pull schedule, the watch of <c>exports-incoming</c> and <c>exports-raw</c>, processing,
/// the officer index. With <c>--releases folder</c> it only serves that folder's releases.
/// </summary>
internal static class ServeCommand
{
    /// <summary>The timer function's default schedule (six fields, with seconds: every day at 06:00 UTC).</summary>
    public const string DefaultSchedule = "0 0 6 * * *";

    /// <summary>
    /// The public base URL when none is configured: the first of the listening URLs, unless it listens on every address
    /// (<c>0.0.0.0</c>, <c>[::]</c>, <c>*</c>, <c>+</c>), where no one name is the public one (then none: relative links, any host).
    /// </summary>
    internal static Uri? DefaultPublicUrl(string urls)
    {
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null || first.Contains("://*", StringComparison.Ordinal) || first.Contains("://+", StringComparison.Ordinal))
        {
            return null;
        }

        return Uri.TryCreate(first, UriKind.Absolute, out var uri) && uri.Host is not ("0.0.0.0" or "[::]" or "::") ? new Uri(uri.GetLeftPart(UriPartial.Authority) + "/") : null;
    }

    /// <summary>The listening URLs with every port 0 replaced by a free loopback port (as the OS would choose it).</summary>
    internal static string WithFreePorts(string urls) => string.Join(';', urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(url =>
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Port != 0)
        {
            return url;
        }

        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new UriBuilder(uri) { Port = port }.Uri.GetLeftPart(UriPartial.Authority);
    }));

    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Where to listen (default: OPENCONDUCT_URLS, else http://127.0.0.1:7071).", DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OPENCONDUCT_URLS") ?? "http://127.0.0.1:7071" };
        var releasesOption = new Option<DirectoryInfo?>("--releases") { Description = "Serve the releases of this folder (as written by ingest --out) and run no pipeline." };
        var index = HostSettings.IndexOption("Azure AI Search instead when OPENCONDUCT_SEARCH_ENDPOINT is set.");
        var sourcesOption = HostSettings.SourcesOption("The sources file: the sources pulled, processed and served.");
        var storage = HostSettings.StorageOption("The storage connection string");
        var prefix = HostSettings.PrefixOption();
        var overrides = new Option<FileInfo?>("--overrides") { Description = "The identity overrides file (docs/officers.md); default: identity-overrides.json beside the sources file, if there is one." };
        var scheduleOption = new Option<string>("--schedule")
        {
            Description = $"When due sources are pulled: the timer function's cron, six fields with seconds, UTC (default: PULL_SCHEDULE, else \"{DefaultSchedule}\").",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PULL_SCHEDULE") ?? DefaultSchedule,
        };
        var watch = new Option<int>("--watch") { Description = "Seconds between looks at exports-incoming (agency drops) and exports-raw (exports to process).", DefaultValueFactory = _ => 15 };
        var rateLimit = new Option<int>("--rate-limit")
        {
            Description = "Requests per minute per client address on the API (default: OPENCONDUCT_RATE_LIMIT, else 300); 0 turns it off.",
            DefaultValueFactory = _ => ApiOptions.ParseRateLimit(Environment.GetEnvironmentVariable(ApiOptions.RateLimitSetting)),
        };
        var officersCache = new Option<int>("--officers-cache")
        {
            Description = "Seconds an officer search or history response stays in the output cache (per query and index generation); 0 turns it off.",
            DefaultValueFactory = _ => new ApiOptions().OfficersCacheSeconds,
        };
        var cors = new Option<string[]>("--cors-origin")
        {
            Description = "An origin whose pages may call the API (repeat for several; default: OPENCONDUCT_CORS_ORIGINS, comma-separated).",
            DefaultValueFactory = _ => [.. ApiOptions.ParseOrigins(Environment.GetEnvironmentVariable(ApiOptions.CorsOriginsSetting))],
            AllowMultipleArgumentsPerToken = false,
        };
        var publicUrl = new Option<string?>("--public-url")
        {
            Description = "The URL the public reaches the API at (scheme, host, port, path before /api), for absolute links such as the catalog's downloads; requests naming another host are refused (default: OPENCONDUCT_PUBLIC_BASE_URL, else the first --urls entry unless it listens on every address).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable(ApiOptions.PublicBaseUrlSetting),
        };
        var precincts = new Option<FileInfo?>("--precincts")
        {
            Description = "The precinct boundaries (GeoJSON, properties.precinct) that the map widget draws, served at /widgets/precincts.geojson (default: samples/widgets/precincts.geojson when it exists).",
            DefaultValueFactory = _ => File.Exists(Path.Combine("samples", "widgets", "precincts.geojson")) ? new FileInfo(Path.Combine("samples", "widgets", "precincts.geojson")) : null,
        };
        var command = new Command("serve", "Serve the public API and run the pipeline that keeps it current (the default command).")
        {
            urls, releasesOption, index, sourcesOption, storage, prefix, overrides, scheduleOption, watch, rateLimit, officersCache, cors, publicUrl, precincts,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = Console.Out;
            SourcesConfig config;
            CronExpression pulls;
            try
            {
                config = SourcesFile.Load(parse.GetValue(sourcesOption)!.FullName);
                pulls = CronExpression.Parse(parse.GetValue(scheduleOption)!, CronFormat.IncludeSeconds);
            }
            catch (Exception ex) when (ex is SourcesException or IOException)
            {
                output.WriteLine(ex.Message);
                return 2;
            }
            catch (CronFormatException ex)
            {
                output.WriteLine($"serve: the schedule '{parse.GetValue(scheduleOption)}' is not a six-field cron expression (second minute hour day month weekday): {ex.Message}");
                return 2;
            }

            if (parse.GetValue(watch) is < 1 or > 3600)
            {
                output.WriteLine("serve: --watch is seconds from 1 to 3600");
                return 2;
            }

            var builder = WebApplication.CreateSlimBuilder();
            // Port 0 ("any free port") is chosen here, so that the default public URL names the port the server listens on.
            var listen = WithFreePorts(parse.GetValue(urls)!);
            builder.WebHost.UseUrls(listen);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                // Above the API's own limits, which answer 414 and 431 as problems with the security headers.
                kestrel.Limits.MaxRequestLineSize = ApiHosting.KestrelRequestLineBytes;
                kestrel.Limits.MaxRequestHeadersTotalSize = ApiHosting.KestrelHeaderBytes;
            });
            builder.Logging.ClearProviders().AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
            builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning);
            builder.Services.AddOpenConductApi(o =>
            {
                o.RateLimitPerMinute = parse.GetValue(rateLimit);
                o.OfficersCacheSeconds = parse.GetValue(officersCache);
                foreach (var origin in parse.GetValue(cors) ?? [])
                {
                    o.CorsOrigins.Add(origin);
                }

                o.AdminKey = Environment.GetEnvironmentVariable("OPENCONDUCT_ADMIN_KEY") is { Length: > 0 } key ? key : null;
                o.PrecinctsGeoJson = parse.GetValue(precincts)?.FullName;
                o.PublicBaseUrl = ApiOptions.ParsePublicBaseUrl(parse.GetValue(publicUrl)) ?? DefaultPublicUrl(listen);
            });
            builder.Services.AddSingleton(new ApiSources([.. config.Sources.Select(s => s.Id)]));
            builder.Services.AddSingleton(_ => HostSettings.OpenIndex(parse.GetValue(index)!));
            if (parse.GetValue(releasesOption) is { } folder)
            {
                builder.Services.AddSingleton<IReleaseStore>(new FolderReleaseStore(folder.FullName));
            }
            else
            {
                var storageOptions = HostSettings.StorageOptions(parse.GetValue(prefix));
                if (storageOptions.Validate() is { Count: > 0 } invalid)
                {
                    output.WriteLine("serve: " + string.Join("; ", invalid));
                    return 2;
                }

                if (await HostSettings.ConnectStorageAsync(parse.GetValue(storage)!, storageOptions, "serve", output, cancellationToken).ConfigureAwait(false) is not { } connected)
                {
                    return 2;
                }

                var overridesFile = parse.GetValue(overrides) ?? new FileInfo(Path.Combine(parse.GetValue(sourcesOption)!.DirectoryName ?? ".", "identity-overrides.json"));
                (IdentityOverrides Overrides, string? Hash) loaded;
                try
                {
                    loaded = OfficerIndexStep.LoadOverrides(overridesFile.Exists ? overridesFile.FullName : null);
                }
                catch (IdentityOverridesException ex)
                {
                    output.WriteLine(ex.Message);
                    return 2;
                }

                AddPipeline(builder.Services, connected, config, new PipelineSchedule(pulls, TimeSpan.FromSeconds(parse.GetValue(watch)), config.Sources), loaded);
            }

            var app = builder.Build();
            app.UseOpenConductApi();
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OptionsValidationException ex)
            {
                output.WriteLine("serve: " + string.Join("; ", ex.Failures));
                return 2;
            }

            output.WriteLine($"serving the API on {string.Join(", ", app.Urls)} (try /api/health, /api/officers?q=smith, /api/openapi.json)");
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    /// <summary>The pipeline on the storage account: the services the Functions app's triggers use, run by <see cref="PipelineWorker"/>.</summary>
    private static void AddPipeline(IServiceCollection services, OpenConductStorage storage, SourcesConfig config, PipelineSchedule schedule, (IdentityOverrides Overrides, string? Hash) overrides)
    {
        services.AddSingleton(storage);
        services.AddSingleton(storage.Containers);
        services.AddSingleton(storage.Releases);
        services.AddSingleton(storage.Ledger);
        services.AddSingleton(TimeProvider.System);
        services.AddOpenConductPipeline(config, overrides.Overrides, overrides.Hash);
        services.AddSingleton(schedule);
        services.AddSingleton<PipelineWorker>();
        services.AddSingleton<IRefreshRequests>(sp => sp.GetRequiredService<PipelineWorker>());
        services.AddSingleton<Api.Review.IReviewPublisher>(sp => sp.GetRequiredService<PipelineWorker>());
        services.AddSingleton(sp => new Api.Review.ReviewBackend(storage.NarrativeReview, storage.ReviewAudit, storage.Releases, [.. config.Sources.Select(s => s.Id)])
        {
            Identities = sp.GetRequiredService<Core.Review.IdentityReviewQueue>(),
            IdentityStore = sp.GetRequiredService<Core.Review.IdentityReviewStore>(),
        });
        services.AddHostedService(sp => sp.GetRequiredService<PipelineWorker>());
    }
}
