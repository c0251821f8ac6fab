using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CsvHelper;

namespace OpenConduct.Core.Sources;

/// <summary>
/// Pulls an ArcGIS FeatureServer/MapServer layer or table (kind <c>arcgis</c>) into one CSV file: first the layer's
/// metadata (<c>{layer}?f=json</c>: its fields, object id field and maxRecordCount), then the query pages
/// (<c>{layer}/query?where=...&amp;outFields=*&amp;orderByFields=...&amp;resultOffset=n&amp;resultRecordCount=size&amp;returnGeometry=false&amp;f=json</c>).
/// </summary>
/// <remarks>
/// <para>The page size is <see cref="SourceDefinition.PageSize"/>, lowered to the layer's maxRecordCount when it has one.
/// Paging rule: the next offset is the previous one plus the number of features the page returned; the page that
/// has no <c>exceededTransferLimit: true</c> and fewer features than the page size is the last. (A page of exactly
/// the page size without the flag costs one more request, which comes back empty.) A page with the flag but no
/// features fails the pull rather than loop.</para>
/// <para>The CSV (RFC 4180, CRLF): the header is the layer's field names in its field order (geometry, blob and
/// raster fields left out); a value of an <c>esriFieldTypeDate</c> field (epoch milliseconds) is written as ISO 8601 UTC
/// <c>yyyy-MM-ddTHH:mm:ssZ</c>; integers as they are, other numbers in the shortest invariant form that reads back the same (<c>1.0E1</c> is <c>10</c>); null as an empty field; strings as they are.</para>
/// <para>ArcGIS reports errors as HTTP 200 with <c>{"error":{"code":...,"message":...,"details":[...]}}</c>: a 5xx code
/// or a message about a timeout is retried like any transient failure; any other code fails the pull with the message.</para>
/// </remarks>
/// <param name="http">The client to send requests with (its own timeout infinite; see <see cref="HttpSourceConnector"/>).</param>
/// <param name="delay">Waits between attempts (tests pass one that does not sleep).</param>
public sealed partial class ArcGisConnector(HttpClient http, Func<TimeSpan, CancellationToken, Task>? delay = null) : ISourceConnector
{
    private static readonly HashSet<string> SkippedTypes = new(StringComparer.Ordinal)
    {
        "esriFieldTypeGeometry", "esriFieldTypeBlob", "esriFieldTypeRaster",
    };

    private readonly Func<TimeSpan, CancellationToken, Task> delay = delay ?? SourceHttp.RealDelay;

    public SourceKind Kind => SourceKind.Arcgis;

    /// <summary>One field of the layer.</summary>
    private sealed record LayerField(string Name, string Type);

    /// <summary>What the pull needs of the layer's metadata.</summary>
    private sealed record LayerInfo(IReadOnlyList<LayerField> Fields, string? ObjectIdField, int? MaxRecordCount);

    public async Task<PullResult> PullAsync(SourceDefinition source, PullConditions conditions, string stagingFolder, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var layer = (source.Url is null ? null : LayerUrl(source.Url))
            ?? throw new PullException($"{source.Id}: '{source.Url}' is not an ArcGIS layer URL (https://host/.../FeatureServer/0 or .../MapServer/0)");
        var name = SourceHttp.SafeFileName(source.FileName, source.Id + ".csv");
        var requests = new SourceHttp(http, delay, source, progress);
        try
        {
            var metadataUrl = new Uri(layer + "?f=json");
            var info = await requests.GetAsync(metadataUrl, null, async (response, ct) =>
            {
                using var json = await requests.ReadJsonAsync(response, ct).ConfigureAwait(false);
                return ReadLayer(json.RootElement);
            }, cancellationToken).ConfigureAwait(false);

            var order = string.IsNullOrWhiteSpace(source.Order) ? info.ObjectIdField : source.Order;
            if (order is null)
            {
                throw new PullException($"{source.Id}: GET {metadataUrl.AbsoluteUri}: the layer has no objectIdField to order the pages by; set \"order\" in the sources file");
            }

            var size = info.MaxRecordCount is { } max && max > 0 ? Math.Min(source.PageSize, max) : source.PageSize;
            var where = string.IsNullOrWhiteSpace(source.Where) ? "1=1" : source.Where;
            var fields = info.Fields.Where(f => !SkippedTypes.Contains(f.Type)).ToList();
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{source.Id}: {fields.Count} fields, pages of {size} features ordered by {order}"));

            var file = await Staging.WriteAsync(stagingFolder, name, async (output, ct) =>
            {
                var writer = CsvWriter.Create(output, CsvWriterOptions.Default, leaveOpen: true);
                await using (writer.ConfigureAwait(false))
                {
                    foreach (var field in fields)
                    {
                        writer.WriteField(field.Name);
                    }

                    await writer.EndRecordAsync(ct).ConfigureAwait(false);
                    long offset = 0;
                    while (true)
                    {
                        var url = new Uri(string.Create(CultureInfo.InvariantCulture,
                            $"{layer}/query?where={Uri.EscapeDataString(where)}&outFields=*&orderByFields={Uri.EscapeDataString(order)}&resultOffset={offset}&resultRecordCount={size}&returnGeometry=false&f=json"));
                        using var json = await requests.GetAsync(url, null, async (response, c) =>
                        {
                            var document = await requests.ReadJsonAsync(response, c).ConfigureAwait(false);
                            try
                            {
                                ThrowIfError(document.RootElement);
                                if (!document.RootElement.TryGetProperty("features", out var list) || list.ValueKind != JsonValueKind.Array)
                                {
                                    throw new FetchFailure("the response has no features array", transient: false);
                                }

                                return document;
                            }
                            catch
                            {
                                document.Dispose();
                                throw;
                            }
                        }, ct).ConfigureAwait(false);

                        var features = json.RootElement.GetProperty("features");
                        var count = features.GetArrayLength();
                        var exceeded = json.RootElement.TryGetProperty("exceededTransferLimit", out var flag) && flag.ValueKind == JsonValueKind.True;
                        foreach (var feature in features.EnumerateArray())
                        {
                            WriteFeature(writer, fields, feature);
                            await writer.EndRecordAsync(ct).ConfigureAwait(false);
                        }

                        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"{source.Id}: offset {offset}: {count} features{(exceeded ? " (exceededTransferLimit)" : "")}"));
                        offset += count;
                        if (!exceeded && count < size)
                        {
                            break;
                        }

                        if (count == 0)
                        {
                            throw new PullException($"{source.Id}: GET {url.AbsoluteUri}: the page has no features but says exceededTransferLimit; the layer does not page (check that it supports pagination)");
                        }
                    }

                    await writer.FlushAsync(ct).ConfigureAwait(false);
                }
            }, cancellationToken).ConfigureAwait(false);

            return new PullResult { Files = [file], Url = layer.ToString(), Requests = requests.Requests };
        }
        catch (Exception ex) when (ex is PullException or OperationCanceledException)
        {
            var partial = Path.Combine(stagingFolder, name);
            if (File.Exists(partial))
            {
                File.Delete(partial);
            }

            throw;
        }
    }

    private static LayerInfo ReadLayer(JsonElement root)
    {
        ThrowIfError(root);
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FetchFailure("the layer metadata is not a JSON object", transient: false);
        }

        var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type is not null and not ("Feature Layer" or "Table"))
        {
            throw new FetchFailure($"the URL is a '{type}', not a feature layer or table", transient: false);
        }

        if (root.TryGetProperty("advancedQueryCapabilities", out var advanced) && advanced.ValueKind == JsonValueKind.Object
            && advanced.TryGetProperty("supportsPagination", out var paging) && paging.ValueKind == JsonValueKind.False)
        {
            throw new FetchFailure("the layer does not support pagination (advancedQueryCapabilities.supportsPagination is false)", transient: false);
        }

        if (!root.TryGetProperty("fields", out var list) || list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
        {
            throw new FetchFailure("the layer metadata lists no fields", transient: false);
        }

        var fields = new List<LayerField>();
        foreach (var field in list.EnumerateArray())
        {
            if (field.ValueKind != JsonValueKind.Object || !field.TryGetProperty("name", out var n) || n.GetString() is not { Length: > 0 } fieldName)
            {
                throw new FetchFailure("a field of the layer metadata has no name", transient: false);
            }

            fields.Add(new LayerField(fieldName, field.TryGetProperty("type", out var ft) && ft.ValueKind == JsonValueKind.String ? ft.GetString() ?? "" : ""));
        }

        var objectId = root.TryGetProperty("objectIdField", out var oid) && oid.ValueKind == JsonValueKind.String && oid.GetString() is { Length: > 0 } declared
            ? declared
            : fields.FirstOrDefault(f => f.Type == "esriFieldTypeOID")?.Name;
        int? maxRecordCount = root.TryGetProperty("maxRecordCount", out var m) && m.TryGetInt32(out var max) ? max : null;
        return new LayerInfo(fields, objectId, maxRecordCount);
    }

    /// <summary>Throws the failure of an ArcGIS error body (HTTP 200 with <c>{"error":{...}}</c>).</summary>
    private static void ThrowIfError(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
            && SourceHttp.DescribeJsonError(root) is { } described)
        {
            var transient = described.Code is >= 500 or 408 or 429 || TimeoutWords().IsMatch(described.Message);
            throw new FetchFailure($"ArcGIS error: {described.Message}", transient);
        }
    }

    private static void WriteFeature(CsvWriter writer, List<LayerField> fields, JsonElement feature)
    {
        if (!feature.TryGetProperty("attributes", out var attributes) || attributes.ValueKind != JsonValueKind.Object)
        {
            attributes = default;
        }

        foreach (var field in fields)
        {
            writer.WriteField(attributes.ValueKind == JsonValueKind.Object && Attribute(attributes, field.Name) is { } value ? Text(value, field.Type) : "");
        }
    }

    private static JsonElement? Attribute(JsonElement attributes, string name)
    {
        if (attributes.TryGetProperty(name, out var exact))
        {
            return exact;
        }

        foreach (var property in attributes.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    /// <summary>The CSV text of an attribute value.</summary>
    internal static string Text(JsonElement value, string fieldType) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        JsonValueKind.Number when fieldType == "esriFieldTypeDate" => EpochMilliseconds(value),
        JsonValueKind.Number => value.TryGetInt64(out var whole)
            ? whole.ToString(CultureInfo.InvariantCulture)
            : value.GetDouble().ToString(CultureInfo.InvariantCulture),
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => value.GetRawText(),
    };

    /// <summary>Epoch milliseconds as ISO 8601 UTC to the second (<c>yyyy-MM-ddTHH:mm:ssZ</c>); out of range: the number as it is.</summary>
    private static string EpochMilliseconds(JsonElement value)
    {
        var milliseconds = value.TryGetInt64(out var whole) ? whole : (long)Math.Round(value.GetDouble());
        return milliseconds < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? value.GetRawText()
            : DateTimeOffset.FromUnixTimeMilliseconds(milliseconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>The layer URL (<c>.../FeatureServer/0</c>, <c>.../MapServer/0</c>) without query or trailing slash; null when it is not one.</summary>
    public static Uri? LayerUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https"))
        {
            return null;
        }

        var layer = url.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return LayerPath().IsMatch(layer) ? new Uri(layer) : null;
    }

    [GeneratedRegex(@"/(FeatureServer|MapServer)/\d+$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LayerPath();

    [GeneratedRegex(@"time(d)?[ -]?out", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TimeoutWords();
}
