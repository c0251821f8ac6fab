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

    /// <summary>The setting both hosts read <see cref="PublicBaseUrl"/> from (infra: the function app's default host name unless set).</summary>
    public const string PublicBaseUrlSetting = "OPENCONDUCT_PUBLIC_BASE_URL";

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

    /// <summary>
    /// The URL the public reaches the API at: scheme, host, port and any path before <c>/api</c> (e.g.
    /// <c>https://data.example.gov/</c>). Absolute links the API writes (the DCAT catalog's download URLs) are built from
    /// it, never from the request's <c>Host</c> or <c>X-Forwarded-Host</c> header, so a hostile header cannot poison a
    /// cached answer; the standalone server also refuses (400) a request whose <c>Host</c> names another host than this
    /// one's or the loopback's (ASP.NET Core's host filtering). Unset, links are written without scheme and host
    /// (<c>/api/datasets/...</c>) and any host is accepted. Default: the standalone server's first <c>--urls</c> entry
    /// unless it listens on every address; in Azure, <c>https://{WEBSITE_HOSTNAME}/</c>.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }

    /// <summary><see cref="PublicBaseUrl"/> with a trailing slash, or "/" when unset: what a link's path is appended to.</summary>
    public string LinkBase => PublicBaseUrl is null ? "/" : PublicBaseUrl.AbsoluteUri.EndsWith('/') ? PublicBaseUrl.AbsoluteUri : PublicBaseUrl.AbsoluteUri + "/";

    /// <summary>A <see cref="PublicBaseUrlSetting"/> value as a URL: null when unset or blank; an invalid one is kept for <see cref="Validate"/> to name.</summary>
    public static Uri? ParsePublicBaseUrl(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) ? uri : new Uri("invalid:" + Uri.EscapeDataString(value.Trim()));

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

        if (PublicBaseUrl is { } url && (url.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || !string.IsNullOrEmpty(url.UserInfo)))
        {
            problems.Add($"the public base URL '{url.OriginalString}' must be an absolute http(s) URL without user, query or fragment, e.g. https://data.example.gov/");
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
