using System.Globalization;
using System.Text.Json.Nodes;

namespace OpenConduct.Core.Tests;

/// <summary>JSON Pointer (RFC 6901, without escapes) over a mutable document: the schema tests mutate one value at a time.</summary>
internal static class JsonPointer
{
    public static JsonNode Get(JsonNode root, string pointer)
    {
        var node = root;
        foreach (var token in pointer.Split('/').Skip(1))
        {
            node = node is JsonArray array ? array[int.Parse(token, CultureInfo.InvariantCulture)]! : node[token]!;
        }

        return node;
    }

    public static void Set(JsonNode root, string pointer, JsonNode? value)
    {
        var cut = pointer.LastIndexOf('/');
        var parent = cut == 0 ? root : Get(root, pointer[..cut]);
        var token = pointer[(cut + 1)..];
        if (parent is JsonArray array)
        {
            array[int.Parse(token, CultureInfo.InvariantCulture)] = value;
        }
        else
        {
            parent[token] = value;
        }
    }
}
