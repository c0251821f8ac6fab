using System.Text.Json;
using OpenConduct.Core.Import;
using OpenConduct.Core.Release;
using OpenConduct.Core.Sources;

namespace OpenConduct.Core.Tests.Sources;

public sealed class SourcesFileTests
{
    /// <summary>The samples folder copied to the test output (profiles, policies, sources.json).</summary>
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");

    private static string At(params string[] parts) => Path.GetFullPath(Path.Combine([Samples, .. parts]));

    private static SourcesException Invalid(string json) =>
        Assert.Throws<SourcesException>(() => SourcesFile.Parse(json, Samples, "sources.json"));

    /// <summary>A file with one source whose properties are <paramref name="properties"/> (JSON members).</summary>
    private static string OneSource(string properties) =>
        $$"""{ "sources": [ { {{properties}}, "profile": "profiles/opcr.json", "policy": "policies/minnesota.json" } ] }""";

    [Fact]
    public void The_samples_sources_file_loads_the_four_sample_drops()
    {
        var config = SourcesFile.Load(Path.Combine(Samples, "sources.json"));

        Assert.Equal(["opcr", "iau", "cra", "ccrb"], config.Sources.Select(s => s.Id));
        Assert.All(config.Sources, source =>
        {
            Assert.Equal(SourceKind.Drop, source.Kind);
            Assert.Null(source.Url);
            Assert.Equal(At("profiles", source.Id + ".json"), source.Profile);
            Assert.Equal(At("policies", source.Id == "ccrb" ? "new-york.json" : "minnesota.json"), source.Policy);
            Assert.Equal(TimeSpan.FromMinutes(5), source.SettleTime);
            Assert.NotNull(MappingProfileLoader.LoadFile(source.Profile));
        });
        Assert.Equal("Example City, Department of Civil Rights", config.Publisher.Name);
        Assert.Equal("opendata@example.org", config.Publisher.ContactEmail);
        Assert.Equal(new Uri("http://localhost:7071/api/releases/"), config.Publisher.BaseUrl);
        Assert.Equal(["police", "complaints", "misconduct", "civilian oversight"], config.Publisher.Keywords);
    }

    [Fact]
    public void Every_property_is_read_into_the_source_definition()
    {
        var config = SourcesFile.Parse("""
            {
              // comments and trailing commas are allowed
              "publisher": { "name": "City of Example", "contactName": "Data desk", "contactEmail": "data@example.gov",
                             "license": "https://creativecommons.org/publicdomain/zero/1.0/", "baseUrl": "https://example.gov/open/", "keywords": ["police"] },
              "sources": [
                { "id": "web", "kind": "http", "url": "https://data.example.gov/exports/complaints.csv", "profile": "profiles/opcr.json",
                  "policy": "policies/strict-example.json", "cadenceDays": 0.5, "fileName": "complaints.csv", "timeoutSeconds": 90,
                  "maxBytes": 1048576, "retries": 5, "retryDelaySeconds": 0.25 },
                { "id": "soda", "kind": "socrata", "url": "https://data.example.gov/resource/x7k2-9qpm.json", "profile": "profiles/iau.json",
                  "policy": "policies/minnesota.json", "pageSize": 1000, "order": "case_number", "appTokenSetting": "SOCRATA_APP_TOKEN" },
                { "id": "gis", "kind": "arcgis", "url": "https://gis.example.gov/arcgis/rest/services/OPCR/FeatureServer/3/", "profile": "profiles/cra.json",
                  "policy": "policies/minnesota.json", "pageSize": 2000, "order": "CaseNumber", "where": "Precinct = 3" },
                { "id": "dropped", "kind": "drop", "profile": "profiles/opcr.json", "policy": "policies/minnesota.json", "settleMinutes": 0 },
              ],
            }
            """, Samples);

        Assert.Equal("City of Example", config.Publisher.Name);
        Assert.Equal("Data desk", config.Publisher.ContactName);
        Assert.Equal("https://creativecommons.org/publicdomain/zero/1.0/", config.Publisher.License);
        Assert.Equal(new Uri("https://example.gov/open/"), config.Publisher.BaseUrl);

        var web = config.Get("web");
        Assert.Equal(SourceKind.Http, web.Kind);
        Assert.Equal(new Uri("https://data.example.gov/exports/complaints.csv"), web.Url);
        Assert.Equal(At("profiles", "opcr.json"), web.Profile);
        Assert.Equal(At("policies", "strict-example.json"), web.Policy);
        Assert.Equal(TimeSpan.FromHours(12), web.Cadence);
        Assert.Equal("complaints.csv", web.FileName);
        Assert.Equal(TimeSpan.FromSeconds(90), web.Timeout);
        Assert.Equal(1048576, web.MaxBytes);
        Assert.Equal(5, web.Retries);
        Assert.Equal(TimeSpan.FromMilliseconds(250), web.RetryDelay);

        var soda = config.Get("soda");
        Assert.Equal(SourceKind.Socrata, soda.Kind);
        Assert.Equal(1000, soda.PageSize);
        Assert.Equal("case_number", soda.Order);
        Assert.Equal("SOCRATA_APP_TOKEN", soda.AppTokenSetting);

        var gis = config.Get("gis");
        Assert.Equal(SourceKind.Arcgis, gis.Kind);
        Assert.Equal(2000, gis.PageSize);
        Assert.Equal("CaseNumber", gis.Order);
        Assert.Equal("Precinct = 3", gis.Where);

        var dropped = config.Get("dropped");
        Assert.Equal(SourceKind.Drop, dropped.Kind);
        Assert.Equal(TimeSpan.Zero, dropped.SettleTime);
    }

    [Fact]
    public void Omitted_properties_take_the_documented_defaults()
    {
        var source = Assert.Single(SourcesFile.Parse(OneSource("""
            "id": "web", "kind": "http", "url": "https://data.example.gov/complaints.csv"
            """), Samples).Sources);

        Assert.Equal(TimeSpan.FromDays(14), source.Cadence);
        Assert.Null(source.FileName);
        Assert.Equal(TimeSpan.FromSeconds(300), source.Timeout);
        Assert.Equal(2147483648, source.MaxBytes);
        Assert.Equal(3, source.Retries);
        Assert.Equal(TimeSpan.FromSeconds(2), source.RetryDelay);
        Assert.Equal(50_000, source.PageSize);
        Assert.Null(source.Order);
        Assert.Null(source.Where);
        Assert.Null(source.AppTokenSetting);
        Assert.Equal(TimeSpan.FromMinutes(5), source.SettleTime);
        Assert.Null(source.Archive);
        Assert.Null(source.Limits);
    }

    [Fact]
    public void Limits_override_the_defaults_one_by_one_for_every_kind()
    {
        var source = Assert.Single(SourcesFile.Parse(OneSource("""
            "id": "d", "kind": "drop", "limits": { "maxCellBytes": 4096 }
            """), Samples).Sources);
        var web = Assert.Single(SourcesFile.Parse(OneSource("""
            "id": "web", "kind": "http", "url": "https://d.example.gov/c.csv", "limits": { "maxFileBytes": 1000000, "maxRecordBytes": 2097152 }
            """), Samples).Sources);

        Assert.Equal(new ExportLimits { MaxCellBytes = 4096 }, source.Limits);
        Assert.Equal(new ExportLimits { MaxFileBytes = 1_000_000, MaxRecordBytes = 2_097_152 }, web.Limits);
        Assert.Equal((2L << 30, 64L << 20, 1 << 20), (ExportLimits.Default.MaxFileBytes, ExportLimits.Default.MaxRecordBytes, ExportLimits.Default.MaxCellBytes));
    }

    [Fact]
    public void The_docs_examples_of_every_kind_load()
    {
        var examples = DocsFile.Blocks("sources.md", "sources-example");

        Assert.Equal(["arcgis", "drop", "http", "socrata"], examples.Keys.Order(StringComparer.Ordinal));
        foreach (var (kind, json) in examples)
        {
            var source = Assert.Single(SourcesFile.Parse(json, Samples, $"docs/sources.md ({kind})").Sources);
            Assert.Equal(kind, source.Kind.ToString().ToLowerInvariant());
        }
    }

    [Fact]
    public void Every_publisher_and_source_property_is_documented()
    {
        var docs = File.ReadAllText(DocsFile.PathOf("sources.md"));
        var properties = typeof(PublisherOptions).GetProperties().Select(p => p.Name)
            .Concat(typeof(SourcesFile.SourceEntry).GetProperties().Select(p => p.Name))
            .Select(JsonNamingPolicy.CamelCase.ConvertName);

        Assert.All(properties, name => Assert.Contains($"| `{name}` |", docs, StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_file_reports_every_problem_at_once_as_the_docs_show()
    {
        var bad = DocsFile.Blocks("sources.md", "sources-bad")["example"];
        var output = DocsFile.Blocks("sources.md", "sources-bad-output")["example"];

        var error = Invalid(bad);

        var expected = output.Replace("{folder}", Samples, StringComparison.Ordinal).TrimEnd('\n').ReplaceLineEndings(Environment.NewLine);
        Assert.Equal(expected, error.Message);
        Assert.Equal(13, error.Errors.Count);
        Assert.Equal("sources.json", error.File);
    }

    [Theory]
    [InlineData("\"id\": \"web\", \"kind\": \"http\"", "$.sources[0].url: an http source needs a url")]
    [InlineData("\"id\": \"web\", \"kind\": \"http\", \"url\": \"ftp://data.example.gov/c.csv\"", "$.sources[0].url: 'ftp://data.example.gov/c.csv' is not an absolute http(s) URL")]
    [InlineData("\"id\": \"web\", \"kind\": \"http\", \"url\": \"https://user:secret@data.example.gov/c.csv\"", "$.sources[0].url: the URL carries credentials; keys and passwords do not belong in the sources file (socrata: use appTokenSetting)")]
    [InlineData("\"id\": \"gis\", \"kind\": \"arcgis\", \"url\": \"https://gis.example.gov/arcgis/rest/services/OPCR/FeatureServer\"", "$.sources[0].url: 'https://gis.example.gov/arcgis/rest/services/OPCR/FeatureServer' is not an ArcGIS layer URL (https://host/.../FeatureServer/0 or .../MapServer/0)")]
    [InlineData("\"id\": \"gis\", \"kind\": \"arcgis\", \"url\": \"https://gis.example.gov/arcgis/rest/services/OPCR/FeatureServer/0?token=abc\"", "$.sources[0].url: 'https://gis.example.gov/arcgis/rest/services/OPCR/FeatureServer/0?token=abc' has a query; the connector builds the query itself (use order, where and pageSize)")]
    [InlineData("\"id\": \"soda\", \"kind\": \"socrata\", \"url\": \"https://data.example.gov/resource/x7k2-9qpm.csv?$limit=10\"", "$.sources[0].url: 'https://data.example.gov/resource/x7k2-9qpm.csv?$limit=10' has a query; the connector builds the query itself (use order, where and pageSize)")]
    [InlineData("\"id\": \"soda\", \"kind\": \"socrata\", \"url\": \"https://data.example.gov/resource/x7k2-9qpm\", \"where\": \"a = 1\"", "$.sources[0].where: does not apply to a socrata source (only arcgis)")]
    [InlineData("\"id\": \"gis\", \"kind\": \"arcgis\", \"url\": \"https://gis.example.gov/x/MapServer/0\", \"appTokenSetting\": \"T\"", "$.sources[0].appTokenSetting: does not apply to an arcgis source (only socrata)")]
    [InlineData("\"id\": \"d\", \"kind\": \"drop\", \"cadenceDays\": 14", "$.sources[0].cadenceDays: does not apply to a drop source (only http, socrata and arcgis; a drop is pulled when it is complete)")]
    [InlineData("\"id\": \"web\", \"kind\": \"http\", \"url\": \"https://d.example.gov/c.csv\", \"settleMinutes\": 5", "$.sources[0].settleMinutes: does not apply to an http source (only drop)")]
    [InlineData("\"id\": \"web\", \"kind\": \"http\", \"url\": \"https://d.example.gov/c.csv\", \"retries\": 11", "$.sources[0].retries: 11 is not between 0 and 10")]
    [InlineData("\"id\": \"web\", \"kind\": \"http\", \"url\": \"https://d.example.gov/c.csv\", \"timeoutSeconds\": 0", "$.sources[0].timeoutSeconds: 0 is not a number of seconds above 0 (at most 86400)")]
    [InlineData("\"id\": \"web\", \"kind\": \"http\", \"url\": \"https://d.example.gov/c.csv\", \"maxBytes\": -1", "$.sources[0].maxBytes: -1 is not a number of bytes above 0")]
    [InlineData("\"id\": \"web\", \"kind\": \"http\", \"url\": \"https://d.example.gov/c.csv\", \"retryDelaySeconds\": 3601", "$.sources[0].retryDelaySeconds: 3601 is not a number of seconds between 0 and 3600")]
    [InlineData("\"id\": \"gis\", \"kind\": \"arcgis\", \"url\": \"https://gis.example.gov/x/MapServer/0\", \"pageSize\": 50001", "$.sources[0].pageSize: 50001 is not between 1 and 50000")]
    [InlineData("\"id\": \"web\", \"kind\": \"http\", \"url\": \"https://d.example.gov/c.csv\", \"fileName\": \"../c.csv\"", "$.sources[0].fileName: '../c.csv' is not a valid file name (letters, digits, '-', '_' and '.', not starting with '.')")]
    [InlineData("\"id\": \"d\", \"kind\": \"drop\", \"limits\": { \"maxCellBytes\": 0 }", "$.sources[0].limits.maxCellBytes: 0 is not a number of bytes above 0")]
    [InlineData("\"id\": \"d\", \"kind\": \"drop\", \"limits\": { \"maxCellBytes\": 4096, \"maxRecordBytes\": 1024 }", "$.sources[0].limits.maxCellBytes: 4096 is more than maxRecordBytes (1024); a cell is part of a record")]
    [InlineData("\"id\": \"d\", \"kind\": \"drop\", \"limits\": { \"maxFileBytes\": -1 }", "$.sources[0].limits.maxFileBytes: -1 is not a number of bytes above 0")]
    [InlineData("\"id\": \"d\", \"kind\": \"drop\", \"limits\": { \"maxRecordBytes\": 4294967296 }", "$.sources[0].limits.maxRecordBytes: 4294967296 is not a number of bytes between 1 and 2147483647")]
    [InlineData("\"id\": \".hidden\", \"kind\": \"drop\"", "$.sources[0].id: '.hidden' is not a valid id (letters, digits, '-', '_' and '.', not starting with '.')")]
    [InlineData("\"kind\": \"drop\"", "$.sources[0].id: the id is missing")]
    [InlineData("\"id\": \"d\", \"kind\": \"Drop\"", "$.sources[0].kind: unknown kind 'Drop' (http, socrata, arcgis or drop)")]
    [InlineData("\"id\": \"d\"", "$.sources[0].kind: the kind is missing (http, socrata, arcgis or drop)")]
    public void Each_problem_has_one_precise_message(string properties, string message)
    {
        Assert.Equal([message], Invalid(OneSource(properties)).Errors);
    }

    [Fact]
    public void An_empty_file_and_a_null_source_are_reported()
    {
        Assert.Equal(["$.sources: the file lists no sources"], Invalid("{}").Errors);
        Assert.Equal(["$.sources: the file lists no sources"], Invalid("""{ "sources": [] }""").Errors);
        Assert.Equal(["$.sources[0]: a source is null"], Invalid("""{ "sources": [ null ] }""").Errors);
        Assert.Equal(
            ["$.publisher.contactEmail: 'nobody' is not an email address", "$.publisher.license: 'PDDL' is not an absolute http(s) URL (the license's address)"],
            Invalid("""{ "publisher": { "contactEmail": "nobody", "license": "PDDL" }, "sources": [ { "id": "d", "kind": "drop", "profile": "profiles/opcr.json", "policy": "policies/minnesota.json" } ] }""").Errors);
    }

    [Fact]
    public void An_unknown_property_is_an_error_naming_its_location()
    {
        var error = Invalid("""
            { "sources": [
                { "id": "d", "kind": "drop", "profile": "profiles/opcr.json", "policy": "policies/minnesota.json", "pagesize": 10 } ] }
            """);

        var message = Assert.Single(error.Errors);
        Assert.StartsWith("The JSON property 'pagesize' could not be mapped to any .NET member contained in type", message, StringComparison.Ordinal);
        Assert.EndsWith("at $.sources[0].pagesize (line 2, column 115)", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_JSON_is_one_error_with_its_line()
    {
        var message = Assert.Single(Invalid("{ \"sources\": [ { \"id\": \"d\", } \n ").Errors);

        Assert.Contains("(line 2", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_reported()
    {
        var error = Assert.Throws<SourcesException>(() => SourcesFile.Load(Path.Combine(Samples, "no-such-sources.json")));

        Assert.Equal([$"the file does not exist ({Path.Combine(Samples, "no-such-sources.json")})"], error.Errors);
    }

    [Fact]
    public void Sources_are_found_by_id_ignoring_case()
    {
        var config = SourcesFile.Load(Path.Combine(Samples, "sources.json"));

        Assert.Equal("iau", config.Find("IAU")?.Id);
        Assert.Null(config.Find("opcr-web"));
        var error = Assert.Throws<KeyNotFoundException>(() => config.Get("opcr-web"));
        Assert.Equal("no source 'opcr-web' is configured (sources: opcr, iau, cra, ccrb)", error.Message);
    }
}
