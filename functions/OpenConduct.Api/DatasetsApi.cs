using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;

namespace OpenConduct.Api;

/// <summary>
/// The open datasets of the live releases: <c>/api/datasets</c> (with their data dictionary),
/// <c>/api/datasets/{name}.csv|.json</c> (the live release's file, named <c>{source}-{entity}</c>) and
/// <c>/api/data.json</c> (one DCAT-US 1.1 catalog of every live release, its download URLs pointing at this API).
/// </summary>
public static class DatasetsApi
{
    public static IEndpointRouteBuilder MapDatasetsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api").WithTags("Datasets");
        api.MapGet("/datasets", ListAsync).WithName("ListDatasets")
            .WithSummary("The open datasets of the live releases (one per source and entity), with their download URLs, sizes, SHA-256 and columns.");
        api.MapGet("/datasets/{file}", DownloadAsync).WithName("DownloadDataset")
            .WithSummary("A dataset of the live release as CSV or JSON: /api/datasets/{source}-{entity}.csv or .json.");
        api.MapGet("/data.json", CatalogAsync).WithName("Catalog")
            .WithSummary("The DCAT-US 1.1 catalog of every live release, its download URLs pointing at /api/datasets.");
        return app;
    }

    public static async Task<Results<Ok<DatasetListResponse>, StatusCodeHttpResult>> ListAsync(
        HttpContext context, [FromKeyedServices(ApiReleaseStore.Key)] IReleaseStore releases, ApiSources sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(sources);
        var live = await releases.GetLiveAsync(sources.Ids, cancellationToken).ConfigureAwait(false);
        if (Caching.NotModified(context, ReleaseFiles.Version(live)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var prefix = context.Request.PathBase + "/api/datasets/";
        var list = new List<DatasetResponse>();
        foreach (var release in live)
        {
            foreach (var d in await DatasetsOfAsync(releases, release, cancellationToken).ConfigureAwait(false))
            {
                list.Add(new DatasetResponse(
                    d.Name, d.Source, d.Entity, d.Title, d.Description, d.ReleaseId, d.PublishedAt, d.Rows,
                    new DatasetDownload(prefix + d.Name + ".csv", "text/csv", d.Csv.Bytes, d.Csv.Sha256),
                    d.Json is { } json ? new DatasetDownload(prefix + d.Name + ".json", "application/json", json.Bytes, json.Sha256) : null,
                    d.Fields));
            }
        }

        return TypedResults.Ok(new DatasetListResponse(list));
    }

    public static async Task<Results<FileStreamHttpResult, ProblemHttpResult, StatusCodeHttpResult>> DownloadAsync(
        HttpContext context, [FromKeyedServices(ApiReleaseStore.Key)] IReleaseStore releases, ApiSources sources, string file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(sources);
        var dot = file.LastIndexOf('.');
        var extension = dot < 0 ? "" : file[(dot + 1)..].ToLowerInvariant();
        if (extension is not ("csv" or "json"))
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not found",
                $"'{ReleaseFiles.Shorten(file)}' is not a dataset file: a dataset is served as /api/datasets/{{name}}.csv or /api/datasets/{{name}}.json (GET /api/datasets lists the names).");
        }

        var live = await releases.GetLiveAsync(sources.Ids, cancellationToken).ConfigureAwait(false);
        var all = new List<PublishedDataset>();
        foreach (var release in live)
        {
            all.AddRange(await DatasetsOfAsync(releases, release, cancellationToken).ConfigureAwait(false));
        }

        var wanted = file[..dot];
        if (all.FirstOrDefault(d => string.Equals(d.Name, wanted, StringComparison.OrdinalIgnoreCase)) is not { } dataset)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not found",
                $"There is no dataset '{ReleaseFiles.Shorten(wanted)}'. Datasets: {(all.Count == 0 ? "none yet" : string.Join(", ", all.Select(d => d.Name)))}.");
        }

        if ((extension == "csv" ? dataset.Csv : dataset.Json) is not { } artefact)
        {
            return Problems.Status(StatusCodes.Status404NotFound, "Not found", $"The dataset '{dataset.Name}' has no .{extension} file in release {dataset.ReleaseId}.");
        }

        if (Caching.NotModified(context, dataset.ReleaseId))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        context.Response.Headers.ContentDisposition = $"attachment; filename=\"{dataset.Name}-{dataset.ReleaseId}.{extension}\"";
        return await ReleaseFiles.StreamAsync(context, releases.Open(dataset.Source, dataset.ReleaseId), artefact, cancellationToken).ConfigureAwait(false) is { } stream
            ? stream
            : Problems.Status(StatusCodes.Status404NotFound, "Not found", $"The dataset '{dataset.Name}' is not available.");
    }

    public static async Task<Results<Ok<JsonObject>, StatusCodeHttpResult>> CatalogAsync(
        HttpContext context, [FromKeyedServices(ApiReleaseStore.Key)] IReleaseStore releases, ApiSources sources, IOptions<ApiOptions> options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(options);
        var live = await releases.GetLiveAsync(sources.Ids, cancellationToken).ConfigureAwait(false);
        if (Caching.NotModified(context, ReleaseFiles.Version(live)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        // From configuration only: the request's Host (or a forwarded host) would let anyone put their own host into a
        // publicly cached catalog.
        var downloads = options.Value.LinkBase + "api/datasets/";
        var merged = new JsonArray();
        foreach (var release in live)
        {
            var names = (await DatasetsOfAsync(releases, release, cancellationToken).ConfigureAwait(false)).Select(d => d.Entity).ToHashSet(StringComparer.Ordinal);
            var bytes = await ReleaseFiles.CachedAsync(releases, $"catalog:{release}", () => ReleaseFiles.ReadBytesAsync(releases.Open(release.Source, release.ReleaseId), ReleasePaths.Catalog, cancellationToken)).ConfigureAwait(false);
            foreach (var dataset in CatalogDatasets(bytes))
            {
                if (dataset?["distribution"] is JsonArray distributions)
                {
                    foreach (var distribution in distributions.OfType<JsonObject>())
                    {
                        if (distribution["downloadURL"]?.GetValueKind() == JsonValueKind.String
                            && DownloadFile(distribution["downloadURL"]!.GetValue<string>()) is { } download
                            && names.Contains(download.Entity))
                        {
                            distribution["downloadURL"] = $"{downloads}{release.Source}-{download.Entity}.{download.Extension}";
                        }
                    }
                }

                merged.Add(dataset);
            }
        }

        return TypedResults.Ok(new JsonObject
        {
            ["@context"] = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
            ["@type"] = "dcat:Catalog",
            ["conformsTo"] = "https://project-open-data.cio.gov/v1.1/schema",
            ["describedBy"] = "https://project-open-data.cio.gov/v1.1/schema/catalog.json",
            ["dataset"] = merged,
        });
    }

    /// <summary>The entity and extension a release's download URL names (<c>.../datasets/complaints.csv</c>), or null.</summary>
    private static (string Entity, string Extension)? DownloadFile(string url)
    {
        var path = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.AbsolutePath : url;
        var slash = path.LastIndexOf('/');
        var folder = slash < 0 ? "" : path[..slash];
        var fileName = path[(slash + 1)..];
        var dot = fileName.LastIndexOf('.');
        if (!folder.EndsWith("/" + ReleasePaths.DatasetsFolder, StringComparison.Ordinal) || dot <= 0)
        {
            return null;
        }

        return (fileName[..dot], fileName[(dot + 1)..]);
    }

    /// <summary>The <c>dataset</c> entries of a release's data.json, parsed afresh (each request changes its own copy), detached from their array.</summary>
    private static List<JsonNode?> CatalogDatasets(byte[]? bytes)
    {
        try
        {
            if (bytes is not null && JsonNode.Parse(bytes) is JsonObject catalog && catalog["dataset"] is JsonArray datasets)
            {
                var list = datasets.ToList();
                datasets.Clear();
                return list;
            }
        }
        catch (JsonException)
        {
        }

        return [];
    }

    /// <summary>The open datasets of one release: its manifest's <c>datasets/*.csv</c>, described by its datapackage.json and quality.json.</summary>
    private static async Task<IReadOnlyList<PublishedDataset>> DatasetsOfAsync(IReleaseStore releases, LiveRelease release, CancellationToken cancellationToken) =>
        await ReleaseFiles.CachedAsync(releases, $"datasets:{release}", () => ReadDatasetsAsync(releases, release, cancellationToken)).ConfigureAwait(false) ?? [];

    private static async Task<IReadOnlyList<PublishedDataset>?> ReadDatasetsAsync(IReleaseStore releases, LiveRelease release, CancellationToken cancellationToken)
    {
        if (await ReleaseFiles.ManifestAsync(releases, release.Source, release.ReleaseId, cancellationToken).ConfigureAwait(false) is not { } manifest)
        {
            return null;
        }

        var store = releases.Open(release.Source, release.ReleaseId);
        var resources = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        using (var package = await ReleaseFiles.ReadJsonAsync(store, ReleasePaths.DataPackage, cancellationToken).ConfigureAwait(false))
        {
            if (package?.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("resources", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var resource in list.EnumerateArray())
                {
                    if (Text(resource, "name") is { } name)
                    {
                        resources[name] = resource.Clone();
                    }
                }
            }
        }

        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var quality = await ReleaseFiles.ReadJsonAsync(store, ReleasePaths.Quality, cancellationToken).ConfigureAwait(false))
        {
            if (quality?.RootElement is { ValueKind: JsonValueKind.Object } root && root.TryGetProperty("datasets", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var dataset in list.EnumerateArray())
                {
                    if (Text(dataset, "name") is { } name && dataset.TryGetProperty("rows", out var count) && count.TryGetInt64(out var n))
                    {
                        rows[name] = n;
                    }
                }
            }
        }

        var datasets = new List<PublishedDataset>();
        foreach (var csv in manifest.Artefacts.Where(a => a.Path.StartsWith(ReleasePaths.DatasetsFolder + "/", StringComparison.Ordinal) && a.Path.EndsWith(".csv", StringComparison.Ordinal)))
        {
            var entity = csv.Path[(ReleasePaths.DatasetsFolder.Length + 1)..^".csv".Length];
            var json = manifest.Artefacts.FirstOrDefault(a => a.Path == ReleasePaths.DatasetJson(entity));
            var resource = resources.GetValueOrDefault(entity);
            datasets.Add(new PublishedDataset(
                $"{release.Source}-{entity}",
                release.Source,
                entity,
                release.ReleaseId,
                manifest.PublishedAt,
                Text(resource, "title"),
                Text(resource, "description"),
                rows.TryGetValue(entity, out var n) ? n : null,
                csv,
                json,
                Fields(resource)));
        }

        return datasets;
    }

    private static List<DatasetField> Fields(JsonElement resource)
    {
        var fields = new List<DatasetField>();
        if (resource.ValueKind == JsonValueKind.Object && resource.TryGetProperty("schema", out var schema) && schema.ValueKind == JsonValueKind.Object
            && schema.TryGetProperty("fields", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var field in list.EnumerateArray())
            {
                if (Text(field, "name") is not { } name)
                {
                    continue;
                }

                List<string>? values = null;
                if (field.TryGetProperty("constraints", out var constraints) && constraints.ValueKind == JsonValueKind.Object
                    && constraints.TryGetProperty("enum", out var codes) && codes.ValueKind == JsonValueKind.Array)
                {
                    values = [.. codes.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()!)];
                }

                fields.Add(new DatasetField(name, Text(field, "type") ?? "string", Text(field, "title"), Text(field, "description"), values));
            }
        }

        return fields;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A dataset of one release, as read from its manifest, data package and quality report.</summary>
    private sealed record PublishedDataset(
        string Name, string Source, string Entity, string ReleaseId, DateTimeOffset PublishedAt, string? Title, string? Description, long? Rows,
        ArtefactInfo Csv, ArtefactInfo? Json, IReadOnlyList<DatasetField> Fields);
}

/// <summary>The open datasets of the live releases.</summary>
public sealed record DatasetListResponse(IReadOnlyList<DatasetResponse> Datasets);

/// <summary>
/// One open dataset: <c>{source}-{entity}</c> of the source's live release, its title and description from the data
/// package, its rows (from the quality report), its two downloads and its columns.
/// </summary>
public sealed record DatasetResponse(
    string Name,
    string Source,
    string Entity,
    string? Title,
    string? Description,
    string ReleaseId,
    DateTimeOffset PublishedAt,
    long? Rows,
    DatasetDownload Csv,
    DatasetDownload? Json,
    IReadOnlyList<DatasetField> Fields);

/// <summary>A download of a dataset: its URL on this API, media type, size in bytes and SHA-256 (lower-case hex).</summary>
public sealed record DatasetDownload(string Url, string MediaType, long Bytes, string Sha256);

/// <summary>A column, from the data package: name, Frictionless type, title, description and the codes of a coded column.</summary>
public sealed record DatasetField(string Name, string Type, string? Title, string? Description, IReadOnlyList<string>? Enum);
