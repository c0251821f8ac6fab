using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Sources;

/// <summary>A sources file that cannot be used, with one message per problem (each naming its JSON location).</summary>
public sealed class SourcesException(string file, IReadOnlyList<string> errors)
    : Exception($"sources file {file} is not valid:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", errors)}")
{
    public string File { get; } = file;

    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>A loaded sources file: the configured sources (profile and policy paths made absolute) and the publisher.</summary>
public sealed record SourcesConfig(IReadOnlyList<SourceDefinition> Sources, PublisherOptions Publisher)
{
    /// <summary>The source with id <paramref name="id"/> (ids are unique ignoring case), or null.</summary>
    public SourceDefinition? Find(string id) =>
        Sources.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal))
        ?? Sources.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>The source with id <paramref name="id"/>; throws <see cref="KeyNotFoundException"/> naming the configured ids.</summary>
    public SourceDefinition Get(string id) =>
        Find(id) ?? throw new KeyNotFoundException($"no source '{id}' is configured (sources: {string.Join(", ", Sources.Select(s => s.Id))})");
}

/// <summary>
/// Reads the sources file (docs/sources.md): <c>{ "publisher": {...}, "sources": [ {...} ] }</c>, strictly (unknown
/// properties are errors; comments and trailing commas are allowed). Every problem is collected, with its JSON
/// location, into one <see cref="SourcesException"/>.
/// </summary>
public static class SourcesFile
{
    /// <summary>The most rows a page may ask for (Socrata's and most ArcGIS servers' limit is 50,000).</summary>
    public const int MaxPageSize = 50_000;

    /// <summary>The most retries a source may configure.</summary>
    public const int MaxRetries = 10;

    private static readonly JsonSerializerOptions Options = StrictJson.Options();

    private static readonly Dictionary<string, SourceKind> Kinds = new(StringComparer.Ordinal)
    {
        ["http"] = SourceKind.Http,
        ["socrata"] = SourceKind.Socrata,
        ["arcgis"] = SourceKind.Arcgis,
        ["drop"] = SourceKind.Drop,
    };

    /// <summary>Loads <paramref name="path"/>; profile and policy paths are resolved relative to its folder.</summary>
    public static SourcesConfig Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!System.IO.File.Exists(full))
        {
            throw new SourcesException(path, [$"the file does not exist ({full})"]);
        }

        using var stream = System.IO.File.OpenRead(full);
        return Load(stream, path, Path.GetDirectoryName(full)!);
    }

    /// <summary>Loads a sources file from <paramref name="json"/>; <paramref name="folder"/> is what relative paths are relative to.</summary>
    public static SourcesConfig Load(Stream json, string name, string folder)
    {
        var document = StrictJson.Read<SourcesDocument>(json, Options, "sources", out var error)
                       ?? throw new SourcesException(name, [error!]);
        var errors = new List<string>();
        var publisher = CheckPublisher(document.Publisher ?? new PublisherOptions(), errors);
        var sources = new List<SourceDefinition>();
        if (document.Sources is not { Count: > 0 })
        {
            errors.Add("$.sources: the file lists no sources");
        }
        else
        {
            var ids = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < document.Sources.Count; i++)
            {
                if (Check($"$.sources[{i}]", document.Sources[i], Path.GetFullPath(folder), ids, i, errors) is { } source)
                {
                    sources.Add(source);
                }
            }
        }

        return errors.Count > 0 ? throw new SourcesException(name, errors) : new SourcesConfig(sources, publisher);
    }

    /// <summary>Loads a sources file from text (tests, tools).</summary>
    public static SourcesConfig Parse(string json, string folder, string name = "sources") =>
        Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), name, folder);

    private static PublisherOptions CheckPublisher(PublisherOptions publisher, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(publisher.Name))
        {
            errors.Add("$.publisher.name: the publisher's name is empty");
        }

        if (string.IsNullOrWhiteSpace(publisher.ContactEmail) || !publisher.ContactEmail.Contains('@', StringComparison.Ordinal))
        {
            errors.Add($"$.publisher.contactEmail: '{publisher.ContactEmail}' is not an email address");
        }

        if (!IsWebUrl(publisher.BaseUrl))
        {
            errors.Add($"$.publisher.baseUrl: '{publisher.BaseUrl}' is not an absolute http(s) URL");
        }

        if (!Uri.TryCreate(publisher.License, UriKind.Absolute, out var license) || !IsWebUrl(license))
        {
            errors.Add($"$.publisher.license: '{publisher.License}' is not an absolute http(s) URL (the license's address)");
        }

        if (publisher.Keywords is null || publisher.Keywords.Any(string.IsNullOrWhiteSpace))
        {
            errors.Add("$.publisher.keywords: a keyword is empty");
        }

        return publisher;
    }

    private static SourceDefinition? Check(string at, SourceEntry? entry, string folder, Dictionary<string, int> ids, int index, List<string> errors)
    {
        if (entry is null)
        {
            errors.Add($"{at}: a source is null");
            return null;
        }

        var before = errors.Count;
        var id = entry.Id?.Trim();
        if (string.IsNullOrEmpty(id))
        {
            errors.Add($"{at}.id: the id is missing");
        }
        else if (!IsSegment(id))
        {
            errors.Add($"{at}.id: '{id}' is not a valid id (letters, digits, '-', '_' and '.', not starting with '.')");
        }
        else if (!ids.TryAdd(id, index))
        {
            errors.Add($"{at}.id: '{id}' is already the id of $.sources[{ids[id]}] (ids are compared ignoring case)");
        }

        SourceKind? kind = null;
        if (string.IsNullOrEmpty(entry.Kind))
        {
            errors.Add($"{at}.kind: the kind is missing (http, socrata, arcgis or drop)");
        }
        else if (Kinds.TryGetValue(entry.Kind, out var known))
        {
            kind = known;
        }
        else
        {
            errors.Add($"{at}.kind: unknown kind '{entry.Kind}' (http, socrata, arcgis or drop)");
        }

        var url = CheckUrl(at, entry.Url, kind, errors);
        var profile = CheckFile($"{at}.profile", entry.Profile, "profile", folder, errors);
        var policy = CheckFile($"{at}.policy", entry.Policy, "policy", folder, errors);

        if (entry.CadenceDays is { } cadence && !(cadence > 0 && cadence <= 3650))
        {
            errors.Add(Invariant($"{at}.cadenceDays: {cadence} is not a number of days above 0 (at most 3650)"));
        }

        if (entry.TimeoutSeconds is { } timeout && !(timeout > 0 && timeout <= 86_400))
        {
            errors.Add(Invariant($"{at}.timeoutSeconds: {timeout} is not a number of seconds above 0 (at most 86400)"));
        }

        if (entry.MaxBytes is <= 0)
        {
            errors.Add(Invariant($"{at}.maxBytes: {entry.MaxBytes} is not a number of bytes above 0"));
        }

        if (entry.Retries is < 0 or > MaxRetries)
        {
            errors.Add(Invariant($"{at}.retries: {entry.Retries} is not between 0 and {MaxRetries}"));
        }

        if (entry.RetryDelaySeconds is { } delay && !(delay >= 0 && delay <= 3600))
        {
            errors.Add(Invariant($"{at}.retryDelaySeconds: {delay} is not a number of seconds between 0 and 3600"));
        }

        if (entry.PageSize is < 1 or > MaxPageSize)
        {
            errors.Add(Invariant($"{at}.pageSize: {entry.PageSize} is not between 1 and {MaxPageSize}"));
        }

        if (entry.SettleMinutes is { } settle && !(settle >= 0 && settle <= 1440))
        {
            errors.Add(Invariant($"{at}.settleMinutes: {settle} is not a number of minutes between 0 and 1440"));
        }

        if (entry.FileName is { } fileName && !IsSegment(fileName))
        {
            errors.Add($"{at}.fileName: '{fileName}' is not a valid file name (letters, digits, '-', '_' and '.', not starting with '.')");
        }

        if (entry.AppTokenSetting is { } setting && string.IsNullOrWhiteSpace(setting))
        {
            errors.Add($"{at}.appTokenSetting: the setting name is empty");
        }

        Pipeline.ArchiveLimits? archive = null;
        if (entry.Archive is { } limits)
        {
            archive = new Pipeline.ArchiveLimits
            {
                MaxExpandedBytes = limits.MaxExpandedBytes ?? Pipeline.ArchiveLimits.Default.MaxExpandedBytes,
                MaxEntryBytes = limits.MaxEntryBytes ?? Pipeline.ArchiveLimits.Default.MaxEntryBytes,
                MaxEntries = limits.MaxEntries ?? Pipeline.ArchiveLimits.Default.MaxEntries,
                MaxRatio = limits.MaxRatio ?? Pipeline.ArchiveLimits.Default.MaxRatio,
            };
            errors.AddRange(archive.Validate($"{at}.archive"));
        }

        Import.ExportLimits? exportLimits = null;
        if (entry.Limits is { } sizes)
        {
            exportLimits = new Import.ExportLimits
            {
                MaxFileBytes = sizes.MaxFileBytes ?? Import.ExportLimits.Default.MaxFileBytes,
                MaxRecordBytes = sizes.MaxRecordBytes ?? Import.ExportLimits.Default.MaxRecordBytes,
                MaxCellBytes = sizes.MaxCellBytes ?? Import.ExportLimits.Default.MaxCellBytes,
            };
            errors.AddRange(exportLimits.Validate($"{at}.limits"));
        }

        if (kind is { } k)
        {
            CheckApplies(at, entry, k, errors);
        }

        if (errors.Count > before)
        {
            return null;
        }

        var defaults = new SourceDefinition { Id = id!, Kind = kind!.Value, Profile = profile!, Policy = policy! };
        return defaults with
        {
            Url = url,
            Cadence = entry.CadenceDays is { } days ? TimeSpan.FromDays(days) : defaults.Cadence,
            FileName = entry.FileName,
            Timeout = entry.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : defaults.Timeout,
            MaxBytes = entry.MaxBytes ?? defaults.MaxBytes,
            Retries = entry.Retries ?? defaults.Retries,
            RetryDelay = entry.RetryDelaySeconds is { } wait ? TimeSpan.FromSeconds(wait) : defaults.RetryDelay,
            PageSize = entry.PageSize ?? defaults.PageSize,
            Order = entry.Order,
            Where = entry.Where,
            AppTokenSetting = entry.AppTokenSetting,
            SettleTime = entry.SettleMinutes is { } minutes ? TimeSpan.FromMinutes(minutes) : defaults.SettleTime,
            Archive = archive,
            Limits = exportLimits,
        };
    }

    /// <summary>The properties that only some kinds take: given to another kind, they are an error rather than ignored.</summary>
    private static void CheckApplies(string at, SourceEntry entry, SourceKind kind, List<string> errors)
    {
        var remote = kind is SourceKind.Http or SourceKind.Socrata or SourceKind.Arcgis;
        var api = kind is SourceKind.Socrata or SourceKind.Arcgis;
        var name = Article(kind);
        void Only(string property, bool given, bool applies, string which)
        {
            if (given && !applies)
            {
                errors.Add($"{at}.{property}: does not apply to {name} source (only {which})");
            }
        }

        Only("cadenceDays", entry.CadenceDays is not null, remote, "http, socrata and arcgis; a drop is pulled when it is complete");
        Only("fileName", entry.FileName is not null, remote, "http, socrata and arcgis; a drop keeps its files' names");
        Only("timeoutSeconds", entry.TimeoutSeconds is not null, remote, "http, socrata and arcgis");
        Only("maxBytes", entry.MaxBytes is not null, remote, "http, socrata and arcgis");
        Only("retries", entry.Retries is not null, remote, "http, socrata and arcgis");
        Only("retryDelaySeconds", entry.RetryDelaySeconds is not null, remote, "http, socrata and arcgis");
        Only("pageSize", entry.PageSize is not null, api, "socrata and arcgis");
        Only("order", entry.Order is not null, api, "socrata and arcgis");
        Only("where", entry.Where is not null, kind == SourceKind.Arcgis, "arcgis");
        Only("appTokenSetting", entry.AppTokenSetting is not null, kind == SourceKind.Socrata, "socrata");
        Only("settleMinutes", entry.SettleMinutes is not null, kind == SourceKind.Drop, "drop");
    }

    /// <summary>"an http", "a socrata", "an arcgis", "a drop".</summary>
    private static string Article(SourceKind kind) => kind switch
    {
        SourceKind.Http => "an http",
        SourceKind.Arcgis => "an arcgis",
        _ => "a " + kind.ToString().ToLowerInvariant(),
    };

    private static Uri? CheckUrl(string at, string? text, SourceKind? kind, List<string> errors)
    {
        if (kind == SourceKind.Drop)
        {
            if (text is not null)
            {
                errors.Add($"{at}.url: a drop source takes no url (its files are uploaded to exports-incoming/{{id}}/)");
            }

            return null;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            if (kind is not null)
            {
                errors.Add($"{at}.url: {Article(kind.Value)} source needs a url");
            }

            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || !IsWebUrl(url))
        {
            errors.Add($"{at}.url: '{text}' is not an absolute http(s) URL");
            return null;
        }

        if (url.UserInfo.Length > 0)
        {
            errors.Add($"{at}.url: the URL carries credentials; keys and passwords do not belong in the sources file (socrata: use appTokenSetting)");
            return null;
        }

        switch (kind)
        {
            case SourceKind.Socrata when SocrataConnector.ResourceUrl(url) is null:
                errors.Add($"{at}.url: '{text}' is not a Socrata resource URL (https://host/resource/abcd-1234, optionally with .csv or .json)");
                return null;
            case SourceKind.Socrata or SourceKind.Arcgis when url.Query.Length > 0:
                errors.Add($"{at}.url: '{text}' has a query; the connector builds the query itself (use order, where and pageSize)");
                return null;
            case SourceKind.Arcgis when ArcGisConnector.LayerUrl(url) is null:
                errors.Add($"{at}.url: '{text}' is not an ArcGIS layer URL (https://host/.../FeatureServer/0 or .../MapServer/0)");
                return null;
            default:
                return url;
        }
    }

    private static string? CheckFile(string at, string? path, string what, string folder, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            errors.Add($"{at}: the {what} is missing (a path relative to the sources file)");
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(folder, path));
        if (!System.IO.File.Exists(full))
        {
            errors.Add($"{at}: {what} file '{path}' not found ({full})");
            return null;
        }

        return full;
    }

    private static bool IsWebUrl(Uri? url) => url is { IsAbsoluteUri: true } && url.Scheme is "http" or "https";

    private static bool IsSegment(string value)
    {
        try
        {
            StorePaths.Segment(value);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The file as written: everything optional, so that every missing or wrong value becomes a message.</summary>
    internal sealed record SourcesDocument
    {
        [JsonPropertyName("$schema")]
        public string? Schema { get; init; }

        public PublisherOptions? Publisher { get; init; }

        public List<SourceEntry?>? Sources { get; init; }
    }

    /// <summary>One entry of <c>sources</c>, as written.</summary>
    internal sealed record SourceEntry
    {
        public string? Id { get; init; }
        public string? Kind { get; init; }
        public string? Url { get; init; }
        public string? Profile { get; init; }
        public string? Policy { get; init; }
        public double? CadenceDays { get; init; }
        public string? FileName { get; init; }
        public double? TimeoutSeconds { get; init; }
        public long? MaxBytes { get; init; }
        public int? Retries { get; init; }
        public double? RetryDelaySeconds { get; init; }
        public int? PageSize { get; init; }
        public string? Order { get; init; }
        public string? Where { get; init; }
        public string? AppTokenSetting { get; init; }
        public double? SettleMinutes { get; init; }
        public ArchiveEntry? Archive { get; init; }
        public LimitsEntry? Limits { get; init; }
    }

    /// <summary>A source's <c>limits</c> (file, record and cell sizes), as written.</summary>
    internal sealed record LimitsEntry
    {
        public long? MaxFileBytes { get; init; }
        public long? MaxRecordBytes { get; init; }
        public int? MaxCellBytes { get; init; }
    }

    /// <summary>A source's <c>archive</c> limits, as written.</summary>
    internal sealed record ArchiveEntry
    {
        public long? MaxExpandedBytes { get; init; }
        public long? MaxEntryBytes { get; init; }
        public int? MaxEntries { get; init; }
        public double? MaxRatio { get; init; }
    }
}
