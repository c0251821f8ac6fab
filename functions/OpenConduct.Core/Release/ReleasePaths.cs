namespace OpenConduct.Core.Release;

/// <summary>The paths of a release's artefacts, relative to the release (docs/releases.md describes each).</summary>
public static class ReleasePaths
{
    /// <summary>One JSON line per case (complaint, allegations, complainants), gzip.</summary>
    public const string Cases = "records/cases.jsonl.gz";

    /// <summary>One JSON line per officer, gzip.</summary>
    public const string Officers = "records/officers.jsonl.gz";

    /// <summary>The Frictionless Data Package describing the CSV datasets.</summary>
    public const string DataPackage = "datapackage.json";

    /// <summary>The DCAT-US 1.1 catalog of the datasets.</summary>
    public const string Catalog = "data.json";

    /// <summary>What changed since the previous release.</summary>
    public const string Changes = "changes.json";

    /// <summary>The data-quality report.</summary>
    public const string Quality = "quality.json";

    /// <summary>Where and why rows of the export were not imported (never their values): every row error.</summary>
    public const string RowErrors = "row-errors.csv";

    /// <summary>The row errors, gzip, instead of <see cref="RowErrors"/> when there are more than <see cref="RowErrorsCompressedAbove"/>.</summary>
    public const string RowErrorsCompressed = "row-errors.csv.gz";

    /// <summary>How many row errors a release lists uncompressed.</summary>
    public const long RowErrorsCompressedAbove = 100_000;

    /// <summary>The release manifest, written by the pipeline after every other artefact.</summary>
    public const string Manifest = "manifest.json";

    /// <summary>
    /// The folder of a release's internal artefacts: private files for the service's own use, never listed among the
    /// manifest's artefacts, so never served nor in the open-data listings (the manifest records them under
    /// <c>internal</c>, for integrity only).
    /// </summary>
    public const string InternalFolder = "internal";

    /// <summary>
    /// The dashboard facts (private microdata: one fact per allegation with its demographics held for counts), read by
    /// the API, which publishes only suppressed counts from them. See <see cref="Dashboards.DashboardFactsIo"/>.
    /// </summary>
    public const string DashboardFacts = InternalFolder + "/dashboard-facts.bin.gz";

    /// <summary>The folder of the open datasets.</summary>
    public const string DatasetsFolder = "datasets";

    /// <summary><c>datasets/{name}.csv</c></summary>
    public static string DatasetCsv(string name) => $"{DatasetsFolder}/{name}.csv";

    /// <summary><c>datasets/{name}.json</c></summary>
    public static string DatasetJson(string name) => $"{DatasetsFolder}/{name}.json";
}
