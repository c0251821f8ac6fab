using System.Text.Json;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Release;

/// <summary>The data package (Frictionless, <c>datapackage.json</c>) and the catalog (DCAT-US 1.1, <c>data.json</c>).</summary>
internal static class OpenData
{
    public const string DcatContext = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld";
    public const string DcatSchema = "https://project-open-data.cio.gov/v1.1/schema";
    public const string DcatCatalogSchema = "https://project-open-data.cio.gov/v1.1/schema/catalog.json";

    /// <summary>The catalog's update frequency: a release every two weeks (ISO 8601 repeating interval).</summary>
    public const string AccrualPeriodicity = "R/P14D";

    public static void WriteDataPackage(Utf8JsonWriter w, ReleaseInput input, IReadOnlyList<(DatasetSchema Schema, ArtefactInfo Csv)> datasets, ArtefactInfo rowErrors)
    {
        var publisher = input.Publisher;
        w.WriteStartObject();
        w.WriteString("profile", "tabular-data-package");
        w.WriteString("name", PackageName(input.Source));
        w.WriteString("title", $"{publisher.Name}: police conduct records ({input.Source})");
        w.WriteString("description", Description(input));
        w.WriteString("version", input.ReleaseId);
        w.WriteString("created", ReleaseJson.Timestamp(input.PublishedAt));
        Strings(w, "keywords", publisher.Keywords);
        w.WriteStartArray("contributors");
        w.WriteStartObject();
        w.WriteString("title", publisher.Name);
        w.WriteString("email", publisher.ContactEmail);
        w.WriteString("role", "publisher");
        w.WriteEndObject();
        w.WriteEndArray();
        var (licenseName, licenseTitle) = License(publisher);
        w.WriteStartArray("licenses");
        w.WriteStartObject();
        if (licenseName is not null)
        {
            w.WriteString("name", licenseName);
        }

        w.WriteString("path", publisher.License);
        if (licenseTitle is not null)
        {
            w.WriteString("title", licenseTitle);
        }

        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartArray("resources");
        foreach (var (schema, csv) in datasets)
        {
            Resource(w, schema.Name, schema.Title, schema.Description, csv, schema.ColumnInfos, schema.PrimaryKey, schema.ForeignKeys);
        }

        Resource(w, "row-errors", "Row errors",
            "Rows of the source's export that were not imported: where they are and why, never their values. Every row error (gzip-compressed when there are more than 100,000); quality.json counts them by reason.",
            rowErrors, Datasets.RowErrorColumns, [], []);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Resource(Utf8JsonWriter w, string name, string title, string description, ArtefactInfo csv, IReadOnlyList<ColumnInfo> columns, IReadOnlyList<string> primaryKey, IReadOnlyList<ForeignKey> foreignKeys)
    {
        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("path", csv.Path);
        w.WriteString("profile", "tabular-data-resource");
        w.WriteString("title", title);
        w.WriteString("description", description);
        w.WriteString("format", "csv");
        w.WriteString("mediatype", "text/csv");
        if (csv.Path.EndsWith(".gz", StringComparison.Ordinal))
        {
            w.WriteString("compression", "gz");
        }

        w.WriteString("encoding", "utf-8");
        w.WriteNumber("bytes", csv.Bytes);
        w.WriteString("hash", "sha256:" + csv.Sha256);
        w.WriteStartObject("dialect");
        w.WriteString("delimiter", ",");
        w.WriteString("lineTerminator", "\r\n");
        w.WriteString("quoteChar", "\"");
        w.WriteBoolean("doubleQuote", true);
        w.WriteBoolean("header", true);
        w.WriteEndObject();
        w.WriteStartObject("schema");
        w.WriteStartArray("fields");
        foreach (var column in columns)
        {
            w.WriteStartObject();
            w.WriteString("name", column.Name);
            w.WriteString("type", TypeName(column.Type));
            w.WriteString("title", column.Title);
            w.WriteString("description", column.Description);
            if (column.Type == ColumnType.Boolean)
            {
                Strings(w, "trueValues", ["true"]);
                Strings(w, "falseValues", ["false"]);
            }

            if (column.Enum is { } values)
            {
                w.WriteStartObject("constraints");
                Strings(w, "enum", values);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        Strings(w, "missingValues", [""]);
        if (primaryKey.Count > 0)
        {
            Strings(w, "primaryKey", primaryKey);
        }

        if (foreignKeys.Count > 0)
        {
            w.WriteStartArray("foreignKeys");
            foreach (var key in foreignKeys)
            {
                w.WriteStartObject();
                w.WriteString("fields", key.Field);
                w.WriteStartObject("reference");
                w.WriteString("resource", key.Resource);
                w.WriteString("fields", key.ReferencedField);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteCatalog(Utf8JsonWriter w, ReleaseInput input, IReadOnlyList<DatasetSchema> datasets)
    {
        var publisher = input.Publisher;
        var releaseUrl = ReleaseUrl(input);
        var modified = ReleaseJson.Timestamp(input.PublishedAt);
        w.WriteStartObject();
        w.WriteString("@context", DcatContext);
        w.WriteString("@type", "dcat:Catalog");
        w.WriteString("conformsTo", DcatSchema);
        w.WriteString("describedBy", DcatCatalogSchema);
        w.WriteStartArray("dataset");
        foreach (var dataset in datasets)
        {
            w.WriteStartObject();
            w.WriteString("@type", "dcat:Dataset");
            w.WriteString("title", $"{dataset.Title}: police conduct records ({input.Source})");
            w.WriteString("description", $"{dataset.Description} {Description(input)}");
            Strings(w, "keyword", publisher.Keywords.Append(dataset.Name).Distinct(StringComparer.Ordinal).ToList());
            w.WriteString("modified", modified);
            w.WriteStartObject("publisher");
            w.WriteString("@type", "org:Organization");
            w.WriteString("name", publisher.Name);
            w.WriteEndObject();
            w.WriteStartObject("contactPoint");
            w.WriteString("@type", "vcard:Contact");
            w.WriteString("fn", publisher.ContactName);
            w.WriteString("hasEmail", "mailto:" + publisher.ContactEmail);
            w.WriteEndObject();
            w.WriteString("identifier", BaseUrl(publisher) + Segment(input.Source) + "/" + dataset.Name);
            w.WriteString("accessLevel", "public");
            w.WriteString("license", publisher.License);
            w.WriteString("accrualPeriodicity", AccrualPeriodicity);
            w.WriteString("describedBy", releaseUrl + ReleasePaths.DataPackage);
            w.WriteString("describedByType", ReleaseJson.ContentType);
            w.WriteStartArray("distribution");
            Distribution(w, $"{dataset.Title} (CSV)", releaseUrl + ReleasePaths.DatasetCsv(dataset.Name), "text/csv", "CSV", releaseUrl + ReleasePaths.DataPackage);
            Distribution(w, $"{dataset.Title} (JSON)", releaseUrl + ReleasePaths.DatasetJson(dataset.Name), ReleaseJson.ContentType, "JSON", releaseUrl + ReleasePaths.DataPackage);
            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void Distribution(Utf8JsonWriter w, string title, string url, string mediaType, string format, string describedBy)
    {
        w.WriteStartObject();
        w.WriteString("@type", "dcat:Distribution");
        w.WriteString("title", title);
        w.WriteString("downloadURL", url);
        w.WriteString("mediaType", mediaType);
        w.WriteString("format", format);
        w.WriteString("describedBy", describedBy);
        w.WriteString("describedByType", ReleaseJson.ContentType);
        w.WriteEndObject();
    }

    private static readonly PublisherOptions Defaults = new();

    /// <summary>Common open-data licenses by URL (scheme, "www." and a trailing '/' ignored): identifier and title.</summary>
    private static readonly Dictionary<string, (string Name, string Title)> KnownLicenses = new(StringComparer.OrdinalIgnoreCase)
    {
        ["opendatacommons.org/licenses/pddl/1-0"] = ("ODC-PDDL-1.0", "Open Data Commons Public Domain Dedication and License v1.0"),
        ["opendatacommons.org/licenses/pddl/1.0"] = ("ODC-PDDL-1.0", "Open Data Commons Public Domain Dedication and License v1.0"),
        ["opendatacommons.org/licenses/by/1-0"] = ("ODC-By-1.0", "Open Data Commons Attribution License v1.0"),
        ["opendatacommons.org/licenses/by/1.0"] = ("ODC-By-1.0", "Open Data Commons Attribution License v1.0"),
        ["opendatacommons.org/licenses/odbl/1-0"] = ("ODbL-1.0", "Open Data Commons Open Database License v1.0"),
        ["opendatacommons.org/licenses/odbl/1.0"] = ("ODbL-1.0", "Open Data Commons Open Database License v1.0"),
        ["creativecommons.org/publicdomain/zero/1.0"] = ("CC0-1.0", "Creative Commons CCZero 1.0"),
        ["creativecommons.org/licenses/by/4.0"] = ("CC-BY-4.0", "Creative Commons Attribution 4.0"),
        ["creativecommons.org/licenses/by-sa/4.0"] = ("CC-BY-SA-4.0", "Creative Commons Attribution Share-Alike 4.0"),
    };

    /// <summary>
    /// The license's identifier and title: the publisher's, unless it changed the license URL and kept the default
    /// identifier and title (which name the default license): then those of a known license at that URL, or none.
    /// </summary>
    internal static (string? Name, string? Title) License(PublisherOptions publisher)
    {
        if (publisher.License == Defaults.License || publisher.LicenseName != Defaults.LicenseName || publisher.LicenseTitle != Defaults.LicenseTitle)
        {
            return (publisher.LicenseName, publisher.LicenseTitle);
        }

        var key = publisher.License.Trim();
        key = key[(key.IndexOf("://", StringComparison.Ordinal) is var scheme and >= 0 ? scheme + 3 : 0)..].TrimEnd('/');
        key = key.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? key[4..] : key;
        return KnownLicenses.TryGetValue(key, out var known) ? known : (null, null);
    }

    /// <summary>The package name: lower case, letters, digits, '-', '_' and '.' only.</summary>
    public static string PackageName(string source) =>
        "openconduct-" + new string([.. source.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-')]);

    /// <summary>The base URL, ending with '/'.</summary>
    public static string BaseUrl(PublisherOptions publisher)
    {
        var url = publisher.BaseUrl.AbsoluteUri;
        return url.EndsWith('/') ? url : url + "/";
    }

    /// <summary><c>{BaseUrl}{source}/{releaseId}/</c></summary>
    public static string ReleaseUrl(ReleaseInput input) => BaseUrl(input.Publisher) + Segment(input.Source) + "/" + Segment(input.ReleaseId) + "/";

    private static string Segment(string value) => Uri.EscapeDataString(value);

    private static string Description(ReleaseInput input)
    {
        var policy = input.Policy;
        var authority = policy.Authority is null ? "" : $" ({policy.Authority})";
        return $"Police conduct records of the source {input.Source}, published by {input.Publisher.Name} under the disclosure policy '{policy.Name}'{authority}: " +
               "what the policy keeps private is not published. Release " + input.ReleaseId + ".";
    }

    private static string TypeName(ColumnType type) => type switch
    {
        ColumnType.Integer => "integer",
        ColumnType.Boolean => "boolean",
        ColumnType.Date => "date",
        ColumnType.YearMonth => "yearmonth",
        ColumnType.Year => "year",
        _ => "string",
    };

    private static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }

        w.WriteEndArray();
    }
}
