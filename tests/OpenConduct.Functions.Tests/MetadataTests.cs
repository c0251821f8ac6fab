using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenConduct.Api;
using OpenConduct.Api.Review;
using OpenConduct.Core.Pipeline;
using OpenConduct.Server.Tests;

namespace OpenConduct.Functions.Tests;

/// <summary>
/// The generated <c>functions.metadata</c>, which is what the Functions host reads (with worker indexing, what the worker
/// reports is the same, see <see cref="WorkerHostTests"/>): the HTTP functions against the standalone server's route
/// table (read from the same definitions, <see cref="ApiDocument.BuildDescribingApp"/>), and every trigger's settings
/// against what the infrastructure and host.json expect.
/// </summary>
public sealed partial class MetadataTests
{
    /// <summary>
    /// The standalone server's routes outside <c>/api</c>: its <c>/widgets/</c> files, which the Functions app serves from
    /// one function under the route prefix (every route of a function app is under it).
    /// </summary>
    private static readonly Dictionary<string, string> Relocated = new(StringComparer.Ordinal)
    {
        ["GET /widgets/openconduct.js"] = "Widgets",
        ["GET /widgets/openconduct.{version}.js"] = "Widgets",
        ["GET /widgets/precincts.geojson"] = "Widgets",
    };

    [Fact]
    public async Task Every_route_of_the_standalone_server_is_one_function_with_the_same_route_method_and_name()
    {
        var routes = await ServerRoutesAsync();
        var http = FunctionsMetadata.Functions.Where(f => f.TriggerType == "httpTrigger").ToList();
        var matched = new HashSet<string>(StringComparer.Ordinal);
        Assert.NotEmpty(routes);
        foreach (var (method, template, name) in routes)
        {
            if (Relocated.TryGetValue($"{method} {template}", out var relocated))
            {
                var widgets = FunctionsMetadata.Get(relocated);
                Assert.Equal("/api/widgets/{file}", widgets.Path);
                Assert.Equal([method], widgets.Methods);
                matched.Add(relocated);
                continue;
            }

            // The review console (/review on the standalone server) is under the route prefix too: /api/review.
            var path = template == ReviewApi.Prefix || template.StartsWith(ReviewApi.Prefix + "/", StringComparison.Ordinal) ? "/" + FunctionsMetadata.RoutePrefix + template : template;
            var functions = http.Where(f => Normalize(f.Path) == Normalize(path) && f.Methods.Contains(method)).ToList();
            Assert.True(functions.Count == 1, $"{method} {template}: {functions.Count} functions ({string.Join(", ", functions.Select(f => f.Name))}) instead of one");
            Assert.Equal(method == "GET" ? ["GET"] : [method], functions[0].Methods);
            if (name is not null)
            {
                Assert.Equal(name, functions[0].Name);
            }

            matched.Add(functions[0].Name);
        }

        // Nothing else is public: every HTTP function serves a route of the standalone server.
        Assert.Equal(http.Select(f => f.Name).Order(StringComparer.Ordinal), matched.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_HTTP_function_is_anonymous_but_the_refresh_which_takes_a_function_key()
    {
        foreach (var function in FunctionsMetadata.Functions.Where(f => f.TriggerType == "httpTrigger"))
        {
            Assert.True(function.Setting("authLevel") == (function.Name == "Refresh" ? "Function" : "Anonymous"), $"{function.Name}: authLevel {function.Setting("authLevel")}");
        }

        Assert.Equal("/api/" + ApiFunctions.RefreshRoute, FunctionsMetadata.Get("Refresh").Path);
        Assert.Equal(["POST"], FunctionsMetadata.Get("Refresh").Methods);
    }

    [Fact]
    public void The_review_console_is_under_the_route_prefix_one_function_per_route_and_method()
    {
        var review = FunctionsMetadata.Functions.Where(f => f.TriggerType == "httpTrigger" && f.Path.StartsWith("/api" + ReviewApi.Prefix, StringComparison.Ordinal))
            .ToDictionary(f => f.Name, f => $"{string.Join(",", f.Methods)} {f.Path}");
        Assert.Equal(new Dictionary<string, string>
        {
            ["ReviewConsole"] = "GET /api/review",
            ["ReviewConsoleScript"] = "GET /api/review/console.js",
            ["ReviewConsoleStyle"] = "GET /api/review/console.css",
            ["ReviewSignIn"] = "POST /api/review/api/session",
            ["ReviewSession"] = "GET /api/review/api/session",
            ["ReviewSignOut"] = "DELETE /api/review/api/session",
            ["ReviewNarratives"] = "GET /api/review/api/narratives",
            ["ReviewNarrative"] = "GET /api/review/api/narratives/{source}/{caseNumber}",
            ["ReviewApproval"] = "POST /api/review/api/narratives/{source}/{caseNumber}/approval",
            ["ReviewPublish"] = "POST /api/review/api/publish/{source}",
            ["ReviewMerges"] = "GET /api/review/api/merges",
            ["ReviewMerge"] = "GET /api/review/api/merges/{id}",
            ["ReviewMergeDecision"] = "POST /api/review/api/merges/{id}",
            ["ReviewAudit"] = "GET /api/review/api/audit",
        }.OrderBy(p => p.Key, StringComparer.Ordinal), review.OrderBy(p => p.Key, StringComparer.Ordinal));

        // Anonymous for the platform (the Functions host checks no key): the built-in authentication signs reviewers in,
        // and the functions require the Reviewer role themselves.
        Assert.All(review.Keys, name => Assert.Equal("Anonymous", FunctionsMetadata.Get(name).Setting("authLevel")));
    }

    [Fact]
    public void The_pipeline_has_two_timers_and_two_Event_Grid_blob_triggers_and_nothing_else()
    {
        Assert.Equal(
            ["ProcessIncomingDrop:blobTrigger", "ProcessRawExport:blobTrigger", "PublishReviewed:timerTrigger", "PullExports:timerTrigger"],
            FunctionsMetadata.Functions.Where(f => f.TriggerType != "httpTrigger").Select(f => $"{f.Name}:{f.TriggerType}").Order(StringComparer.Ordinal));

        var timer = FunctionsMetadata.Get("PullExports");
        Assert.Equal("%PULL_SCHEDULE%", timer.Setting("schedule"));
        Assert.Equal("false", timer.Setting("runOnStartup"));
        Assert.Equal("OpenConduct.Functions.PullExports.RunAsync", timer.EntryPoint);

        // The reviewers' publish requests: on a schedule of its own, never on start-up.
        var review = FunctionsMetadata.Get("PublishReviewed");
        Assert.Equal("%REVIEW_SCHEDULE%", review.Setting("schedule"));
        Assert.Equal("false", review.Setting("runOnStartup"));

        var raw = FunctionsMetadata.Get("ProcessRawExport");
        Assert.Equal($"{FunctionsSettings.RawContainer}/{{source}}/{{date}}/{{runId}}/{RawExport.ManifestName}", raw.Setting("path"));
        var incoming = FunctionsMetadata.Get("ProcessIncomingDrop");
        Assert.Equal($"{FunctionsSettings.IncomingContainer}/{{source}}/{{name}}", incoming.Setting("path"));
        foreach (var blob in new[] { raw, incoming })
        {
            // Event Grid, not polling (the Flex Consumption plan has no polling blob trigger), on the host's storage
            // connection, whose identity-based settings infra/ writes (AzureWebJobsStorage__...).
            Assert.Equal("EventGrid", blob.Setting("source"));
            Assert.Equal("AzureWebJobsStorage", blob.Setting("connection"));
        }
    }

    [Fact]
    public void The_Event_Grid_subscriptions_deliver_to_these_functions_and_exports_raw_only_its_manifests()
    {
        var main = File.ReadAllText(Path.Combine(Cli.Repo, "infra", "main.bicep"));
        var subscriptions = BlobSubscription().Matches(main).ToDictionary(m => m.Groups["function"].Value, m => (Container: m.Groups["container"].Value, EndsWith: m.Groups["ends"].Value));
        Assert.Equal(["ProcessIncomingDrop", "ProcessRawExport"], subscriptions.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("raw", "/" + RawExport.ManifestName), subscriptions["ProcessRawExport"]);

        // Every file of a drop may be the one that completes it (the _complete marker, or the last one when it settles).
        Assert.Equal(("incoming", ""), subscriptions["ProcessIncomingDrop"]);
        Assert.Contains("containers.raw", main, StringComparison.Ordinal);
        Assert.Matches(@"raw: 'exports-raw'", main);
        Assert.Matches(@"incoming: 'exports-incoming'", main);
        Assert.Contains("subjectEndsWith: s.subjectEndsWith", File.ReadAllText(Path.Combine(Cli.Repo, "infra", "modules", "eventgrid-subscriptions.bicep")), StringComparison.Ordinal);
    }

    [Fact]
    public void Host_json_puts_the_routes_under_api_and_retries_a_blob_as_often_as_the_pipeline_attempts_it()
    {
        var host = FunctionsMetadata.HostJson;
        Assert.Equal("api", FunctionsMetadata.RoutePrefix);
        Assert.Equal(new ProcessOptions().MaxAttempts, host["extensions"]!["blobs"]!["poisonBlobThreshold"]!.GetValue<int>());
        Assert.Equal("None", host["logging"]!["logLevel"]!["Host.Results"]!.GetValue<string>());
    }

    /// <summary>The standalone server's routes (method, template, endpoint name): what <c>UseOpenConductApi</c> maps, as <c>serve</c> does.</summary>
    internal static async Task<List<(string Method, string Template, string? Name)>> ServerRoutesAsync()
    {
        await using var app = ApiDocument.BuildDescribingApp();
        return [.. ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, e.RoutePattern.RawText ?? "", e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName)))
            .Distinct()];
    }

    /// <summary>A route template without a trailing slash, catch-all parameters written one way.</summary>
    private static string Normalize(string template) => template.Replace("{**", "{*", StringComparison.Ordinal).TrimEnd('/');

    [GeneratedRegex(@"name: '[^']+'\s+container: containers\.(?<container>\w+)\s+functionName: '(?<function>\w+)'\s+(?://[^\n]*\s+)*subjectEndsWith: '(?<ends>[^']*)'")]
    private static partial Regex BlobSubscription();
}
