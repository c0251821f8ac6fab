using System.Net;
using System.Text.Json;

namespace OpenConduct.Server.Tests;

/// <summary>
/// <c>/api/datasets</c>, <c>/api/datasets/{name}.csv|.json</c> and <c>/api/data.json</c> over the three bundled samples'
/// live releases (ingested once for this class).
/// </summary>
public sealed class DatasetsApiTests(SampleReleasesServer server) : IClassFixture<SampleReleasesServer>
{
    private static readonly string[] Entities = ["complaints", "allegations", "officers"];

    private HttpClient Http => server.Http;

    private string Version => string.Join('+', SampleReleasesServer.Sources.Select(s => $"{s}/{server.Live(s)}"));

    [Fact]
    public async Task The_list_has_one_dataset_per_source_and_entity_described_by_its_data_package()
    {
        using var response = await Http.GetAsync("/api/datasets");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"\"{Version}\"", response.Headers.ETag?.Tag);
        Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
        var datasets = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("datasets").EnumerateArray().ToList();
        Assert.Equal(
            SampleReleasesServer.Sources.SelectMany(s => Entities.Select(e => $"{s}-{e}")),
            datasets.Select(d => d.GetProperty("name").GetString()));

        foreach (var dataset in datasets)
        {
            var source = dataset.GetProperty("source").GetString()!;
            var entity = dataset.GetProperty("entity").GetString()!;
            var folder = server.LiveFolder(source);
            var package = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "datapackage.json"))).RootElement;
            var resource = package.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == entity);
            var quality = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "quality.json"))).RootElement;
            var artefacts = server.Artefacts(source);

            Assert.Equal(server.Live(source), dataset.GetProperty("releaseId").GetString());
            Assert.Equal(resource.GetProperty("title").GetString(), dataset.GetProperty("title").GetString());
            Assert.Equal(resource.GetProperty("description").GetString(), dataset.GetProperty("description").GetString());
            Assert.Equal(
                quality.GetProperty("datasets").EnumerateArray().Single(d => d.GetProperty("name").GetString() == entity).GetProperty("rows").GetInt64(),
                dataset.GetProperty("rows").GetInt64());
            Assert.Equal(
                DateTimeOffset.Parse(package.GetProperty("created").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
                dataset.GetProperty("publishedAt").GetDateTimeOffset(),
                TimeSpan.FromSeconds(1));

            foreach (var (format, mediaType) in new[] { ("csv", "text/csv"), ("json", "application/json") })
            {
                var download = dataset.GetProperty(format);
                var artefact = artefacts.Single(a => a.Path == $"datasets/{entity}.{format}");
                Assert.Equal($"/api/datasets/{source}-{entity}.{format}", download.GetProperty("url").GetString());
                Assert.Equal(mediaType, download.GetProperty("mediaType").GetString());
                Assert.Equal(artefact.Bytes, download.GetProperty("bytes").GetInt64());
                Assert.Equal(artefact.Sha256, download.GetProperty("sha256").GetString());
            }

            var fields = dataset.GetProperty("fields").EnumerateArray().ToList();
            var columns = resource.GetProperty("schema").GetProperty("fields").EnumerateArray().ToList();
            Assert.Equal(columns.Select(c => c.GetProperty("name").GetString()), fields.Select(f => f.GetProperty("name").GetString()));
            Assert.Equal(columns.Select(c => c.GetProperty("type").GetString()), fields.Select(f => f.GetProperty("type").GetString()));
            Assert.Equal(columns.Select(c => c.GetProperty("description").GetString()), fields.Select(f => f.GetProperty("description").GetString()));
        }

        var status = datasets[0].GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "status");
        Assert.Equal(["Open", "Closed"], status.GetProperty("enum").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Each_dataset_downloads_as_the_live_releases_csv_and_json_files()
    {
        foreach (var source in SampleReleasesServer.Sources)
        {
            var id = server.Live(source);
            foreach (var entity in Entities)
            {
                foreach (var (format, contentType) in new[] { ("csv", "text/csv; charset=utf-8"), ("json", "application/json") })
                {
                    var name = $"{source}-{entity}";
                    using var response = await Http.GetAsync($"/api/datasets/{name}.{format}");

                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    var file = await File.ReadAllBytesAsync(Path.Combine(server.LiveFolder(source), "datasets", $"{entity}.{format}"));
                    Assert.Equal(file, await response.Content.ReadAsByteArrayAsync());
                    Assert.Equal(file.Length, response.Content.Headers.ContentLength);
                    Assert.Equal(contentType, response.Content.Headers.ContentType?.ToString());
                    Assert.Equal($"attachment; filename=\"{name}-{id}.{format}\"", string.Join(", ", response.Content.Headers.GetValues("Content-Disposition")));
                    Assert.Equal($"\"{id}\"", response.Headers.ETag?.Tag);
                    Assert.Equal("public, max-age=300", response.Headers.CacheControl?.ToString());
                }
            }
        }
    }

    [Fact]
    public async Task The_list_a_download_and_the_catalog_answer_304_to_a_current_etag()
    {
        foreach (var path in new[] { "/api/datasets", "/api/datasets/iau-officers.csv", "/api/datasets/cra-allegations.json", "/api/data.json" })
        {
            using var first = await Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            var etag = first.Headers.ETag!.Tag;

            using var second = await server.GetIfNoneMatchAsync(path, etag);

            Assert.True(second.StatusCode == HttpStatusCode.NotModified, $"{path}: {second.StatusCode}");
            Assert.Empty(await second.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, second.Headers.ETag?.Tag);
        }

        using var download = await Http.GetAsync("/api/datasets/iau-officers.csv");
        Assert.Equal($"\"{server.Live("iau")}\"", download.Headers.ETag?.Tag);
        using var catalog = await Http.GetAsync("/api/data.json");
        Assert.Equal($"\"{Version}\"", catalog.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task The_catalog_merges_every_live_releases_datasets_and_points_their_downloads_at_this_api()
    {
        using var response = await Http.GetAsync("/api/data.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var catalog = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("dcat:Catalog", catalog.GetProperty("@type").GetString());
        Assert.Equal("https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld", catalog.GetProperty("@context").GetString());
        Assert.Equal("https://project-open-data.cio.gov/v1.1/schema", catalog.GetProperty("conformsTo").GetString());
        var datasets = catalog.GetProperty("dataset").EnumerateArray().ToList();

        // Every dataset of every live release's own data.json, in order, unchanged but for the download URLs.
        var originals = SampleReleasesServer.Sources
            .SelectMany(s => JsonDocument.Parse(File.ReadAllText(Path.Combine(server.LiveFolder(s), "data.json"))).RootElement.GetProperty("dataset").EnumerateArray().Select(d => (Source: s, Dataset: d)))
            .ToList();
        Assert.Equal(originals.Count, datasets.Count);
        Assert.Equal(9, datasets.Count);
        for (var i = 0; i < datasets.Count; i++)
        {
            var (source, original) = originals[i];
            Assert.Equal(original.GetProperty("identifier").GetString(), datasets[i].GetProperty("identifier").GetString());
            Assert.Equal(original.GetProperty("title").GetString(), datasets[i].GetProperty("title").GetString());
            Assert.Equal(original.GetProperty("modified").GetString(), datasets[i].GetProperty("modified").GetString());
            Assert.Equal(original.GetProperty("describedBy").GetString(), datasets[i].GetProperty("describedBy").GetString());
            var entity = original.GetProperty("identifier").GetString()!.Split('/')[^1];
            var distributions = datasets[i].GetProperty("distribution").EnumerateArray().ToList();
            Assert.Equal(
                [new Uri(server.Http.BaseAddress!, $"/api/datasets/{source}-{entity}.csv").AbsoluteUri, new Uri(server.Http.BaseAddress!, $"/api/datasets/{source}-{entity}.json").AbsoluteUri],
                distributions.Select(d => d.GetProperty("downloadURL").GetString()));
            Assert.Equal(["text/csv", "application/json"], distributions.Select(d => d.GetProperty("mediaType").GetString()));

            foreach (var distribution in distributions)
            {
                var url = distribution.GetProperty("downloadURL").GetString()!;
                using var download = await Http.GetAsync(url);
                Assert.True(download.StatusCode == HttpStatusCode.OK, $"{url}: {download.StatusCode}");
                var format = url[(url.LastIndexOf('.') + 1)..];
                Assert.Equal(
                    await File.ReadAllBytesAsync(Path.Combine(server.LiveFolder(source), "datasets", $"{entity}.{format}")),
                    await download.Content.ReadAsByteArrayAsync());
            }
        }
    }

    [Fact]
    public async Task The_catalog_never_takes_its_links_from_a_hostile_host_header()
    {
        // The server's public URL defaults to its listening address: another Host is refused, a forwarded host ignored.
        using var hostile = new HttpRequestMessage(HttpMethod.Get, "/api/data.json");
        hostile.Headers.Host = "evil.example";
        using var refused = await Http.SendAsync(hostile);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        using var forwarded = new HttpRequestMessage(HttpMethod.Get, "/api/data.json");
        forwarded.Headers.Add("X-Forwarded-Host", "evil.example");
        forwarded.Headers.Add("X-Forwarded-Proto", "gopher");
        using var response = await Http.SendAsync(forwarded);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("evil.example", body, StringComparison.Ordinal);
        Assert.DoesNotContain("gopher", body, StringComparison.Ordinal);
        Assert.Contains(new Uri(Http.BaseAddress!, "/api/datasets/").AbsoluteUri, body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_dataset_is_a_404_that_lists_the_available_names()
    {
        using var response = await Http.GetAsync("/api/datasets/opcr-complainants.csv");

        await SampleReleasesServer.AssertProblemAsync(response, 404,
            "There is no dataset 'opcr-complainants'. Datasets: opcr-complaints, opcr-allegations, opcr-officers, iau-complaints, iau-allegations, iau-officers, cra-complaints, cra-allegations, cra-officers.");
    }

    [Theory]
    [InlineData("opcr-complaints.xlsx")]
    [InlineData("opcr-complaints")]
    [InlineData("opcr-complaints.csv.gz")]
    [InlineData("nosuch.txt")]
    public async Task Another_extension_is_a_404_that_names_csv_and_json(string file)
    {
        using var response = await Http.GetAsync($"/api/datasets/{file}");

        await SampleReleasesServer.AssertProblemAsync(response, 404,
            $"'{file}' is not a dataset file: a dataset is served as /api/datasets/{{name}}.csv or /api/datasets/{{name}}.json (GET /api/datasets lists the names).");
    }
}
