namespace OpenConduct.Api;

/// <summary>How the public API behaves towards its clients (configuration section <c>Api</c>).</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>
    /// The setting both hosts read the allowed origins from, comma-separated: the standalone server's environment
    /// (default of <c>--cors-origin</c>), the Functions app's app setting (infra: parameter <c>corsAllowedOrigins</c>,
    /// which also sets the platform's CORS list from the same value).
    /// </summary>
    public const string CorsOriginsSetting = "OPENCONDUCT_CORS_ORIGINS";

    /// <summary>The setting both hosts read the rate limit from (requests per minute per client; infra: <c>apiRateLimitPerMinute</c>).</summary>
    public const string RateLimitSetting = "OPENCONDUCT_RATE_LIMIT";

    /// <summary>The origins of a <see cref="CorsOriginsSetting"/> value.</summary>
    public static IReadOnlyList<string> ParseOrigins(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>The limit of a <see cref="RateLimitSetting"/> value: the default when unset, -1 (invalid, refused at start) when not a number.</summary>
    public static int ParseRateLimit(string? value) =>
        string.IsNullOrWhiteSpace(value) ? new ApiOptions().RateLimitPerMinute
        : int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var limit) ? limit : -1;

    /// <summary>The origins (e.g. <c>https://www.example.gov</c>) whose pages may call the API from a browser; none by default.</summary>
    public IList<string> CorsOrigins { get; init; } = [];

    /// <summary>
    /// How long the server keeps an officer search or history response in its output cache (per query string and
    /// index generation); 0 turns the cache off.
    /// </summary>
    public int OfficersCacheSeconds { get; set; } = 600;

    /// <summary>Requests per minute that one client address may make; 0 turns rate limiting off.</summary>
    public int RateLimitPerMinute { get; set; } = 300;

    /// <summary>
    /// The key that <c>POST /api/pipeline/refresh</c> requires in the <c>x-functions-key</c> header (the standalone
    /// server; in Azure the function key does this). Without one, the admin endpoints refuse every request.
    /// </summary>
    public string? AdminKey { get; set; }

    /// <summary>
    /// The GeoJSON file of the precinct boundaries that the <c>&lt;oc-map&gt;</c> widget draws, served at
    /// <c>/widgets/precincts.geojson</c> (each feature's <c>properties.precinct</c> names its precinct); none by default.
    /// </summary>
    public string? PrecinctsGeoJson { get; set; }

    /// <summary>The problems with these options (empty when valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var origin in CorsOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || uri.AbsolutePath != "/" || origin.EndsWith('/'))
            {
                problems.Add($"CORS origin '{origin}' is not an origin: give scheme and host (and port), e.g. https://www.example.gov, without a path or a trailing slash");
            }
        }

        if (OfficersCacheSeconds is < 0 or > 86400)
        {
            problems.Add("the officers' output cache is kept 0 (off) to 86400 seconds");
        }

        if (RateLimitPerMinute < 0)
        {
            problems.Add("the rate limit is requests per minute per client: 0 (off) or more");
        }

        if (!string.IsNullOrEmpty(PrecinctsGeoJson) && !File.Exists(PrecinctsGeoJson))
        {
            problems.Add($"the precinct boundaries file '{PrecinctsGeoJson}' does not exist");
        }

        if (AdminKey is { Length: < 32 })
        {
            problems.Add("the admin key must have at least 32 characters");
        }

        return problems;
    }
}
