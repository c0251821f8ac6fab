namespace OpenConduct.Core.Sources;

/// <summary>The connectors of every pulled kind (a drop is read by the pull service from the incoming container).</summary>
public static class SourceConnectors
{
    /// <summary>
    /// The http, socrata and arcgis connectors over one HttpClient. Give it an infinite <see cref="HttpClient.Timeout"/>:
    /// each connector applies the source's own per-request timeout, which covers reading the body too.
    /// </summary>
    public static IReadOnlyList<ISourceConnector> Create(HttpClient http, Func<TimeSpan, CancellationToken, Task>? delay = null) =>
    [
        new HttpSourceConnector(http, delay),
        new SocrataConnector(http, delay),
        new ArcGisConnector(http, delay),
    ];
}
