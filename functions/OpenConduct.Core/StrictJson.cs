using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenConduct.Core;

/// <summary>
/// How configuration files (mapping profiles, disclosure policies) are read: camelCase, unknown properties are an
/// error rather than ignored, comments and trailing commas allowed; malformed JSON becomes one message that names
/// the JSON path, line and column.
/// </summary>
internal static class StrictJson
{
    public static JsonSerializerOptions Options(params JsonConverter[] converters)
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };
        foreach (var converter in converters)
        {
            options.Converters.Add(converter);
        }

        return options;
    }

    /// <summary>The document, or null with the reason in <paramref name="error"/> (malformed JSON, or a JSON <c>null</c>).</summary>
    public static T? Read<T>(Stream json, JsonSerializerOptions options, string what, out string? error)
        where T : class
    {
        try
        {
            var value = JsonSerializer.Deserialize<T>(json, options);
            error = value is null ? $"the file holds no {what} (null)" : null;
            return value;
        }
        catch (JsonException ex)
        {
            var cut = ex.Message.IndexOf(" Path:", StringComparison.Ordinal);
            var message = cut > 0 ? ex.Message[..cut] : ex.Message;
            var where = ex.Path is null ? "" : $" at {ex.Path}";
            var line = ex.LineNumber is null ? "" : $" (line {ex.LineNumber + 1}, column {ex.BytePositionInLine + 1})";
            error = $"{message}{where}{line}";
            return null;
        }
    }
}
