namespace OpenConduct.Core.Sources;

/// <summary>The kinds of source a connector can pull.</summary>
public enum SourceKind
{
    /// <summary>An HTTP(S) file (CSV, or a ZIP of the export's files).</summary>
    Http,

    /// <summary>A Socrata (SODA 2) dataset, paged with $limit/$offset/$order.</summary>
    Socrata,

    /// <summary>An ArcGIS FeatureServer/MapServer layer, paged with resultOffset/resultRecordCount.</summary>
    Arcgis,

    /// <summary>Files an agency uploads to <c>exports-incoming/{source}/</c>.</summary>
    Drop,
}

/// <summary>One configured source (an entry of the sources file, documented in docs/sources.md).</summary>
public sealed record SourceDefinition
{
    /// <summary>The source id: names its folders, its table rows and its releases.</summary>
    public required string Id { get; init; }

    public required SourceKind Kind { get; init; }

    /// <summary>
    /// http: the file's URL; socrata: the dataset's resource URL (<c>https://host/resource/abcd-1234</c>);
    /// arcgis: the layer URL (<c>https://host/.../FeatureServer/0</c>); drop: not used.
    /// </summary>
    public Uri? Url { get; init; }

    /// <summary>The mapping profile (path relative to the sources file).</summary>
    public required string Profile { get; init; }

    /// <summary>The disclosure policy (path relative to the sources file).</summary>
    public required string Policy { get; init; }

    /// <summary>How often a pull is due, counted from the last successful pull.</summary>
    public TimeSpan Cadence { get; init; } = TimeSpan.FromDays(14);

    /// <summary>The name the pulled file is stored under in the raw export (defaults: the URL's file name; <c>{id}.csv</c> for APIs).</summary>
    public string? FileName { get; init; }

    /// <summary>How long one HTTP request may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The largest export accepted, in bytes (a bigger one fails the pull).</summary>
    public long MaxBytes { get; init; } = 2L << 30;

    /// <summary>How many times a transient failure (5xx, 408, 429, timeout, broken connection) is retried.</summary>
    public int Retries { get; init; } = 3;

    /// <summary>The first retry's delay; each next one doubles it.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>socrata and arcgis: rows per request.</summary>
    public int PageSize { get; init; } = 50_000;

    /// <summary>socrata: the $order column (default <c>:id</c>, stable across pages); arcgis: orderByFields (default the object id field).</summary>
    public string? Order { get; init; }

    /// <summary>arcgis: the where clause (default <c>1=1</c>).</summary>
    public string? Where { get; init; }

    /// <summary>socrata: the name of the setting (environment variable or app setting) that holds the app token.</summary>
    public string? AppTokenSetting { get; init; }

    /// <summary>The limits its ZIP archives must keep (sources file: <c>archive</c>); null: the pipeline's defaults.</summary>
    public Pipeline.ArchiveLimits? Archive { get; init; }

    /// <summary>The sizes its files, records and cells must keep (sources file: <c>limits</c>); null: the pipeline's defaults.</summary>
    public Import.ExportLimits? Limits { get; init; }

    /// <summary>drop: how long the newest file of a drop must be untouched before the drop is pulled (an upload may be in progress).</summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromMinutes(5);
}
