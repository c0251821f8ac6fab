using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenConduct.Core.Import;

/// <summary>
/// Brings a profile written for an earlier format up to date and says what it changed. Today one change is needed:
/// allegation categories are a closed canonical set, so a category vocabulary whose values were free text ("Physical
/// force") now names canonical categories: a text that is a canonical name or a known alias becomes that category, any
/// other becomes Other (the source's text stays the raw value of every allegation). Everything else is kept as written.
/// </summary>
public static class ProfileMigration
{
    public static (string Json, IReadOnlyList<string> Changes) Migrate(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })?.AsObject()
                   ?? throw new JsonException("a profile is a JSON object");
        var changes = new List<string>();
        var vocabularies = root["vocabularies"] as JsonObject;
        var categoryVocabularies = new HashSet<string>(StringComparer.Ordinal);
        var otherVocabularies = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mapping in Mappings(root))
        {
            if (mapping["vocabulary"]?.GetValue<string>() is { } vocabulary)
            {
                (mapping["field"]?.GetValue<string>() == CanonicalFields.Category.Path ? categoryVocabularies : otherVocabularies).Add(vocabulary);
            }
        }

        foreach (var name in categoryVocabularies)
        {
            if (vocabularies?[name] is not JsonObject vocabulary)
            {
                continue;
            }

            var target = vocabulary;
            if (otherVocabularies.Contains(name))
            {
                // Shared with another field: the category columns get their own copy, the other fields keep theirs.
                var copy = name + "Category";
                target = (JsonObject)vocabulary.DeepClone();
                vocabularies[copy] = target;
                foreach (var mapping in Mappings(root).Where(m => m["field"]?.GetValue<string>() == CanonicalFields.Category.Path && m["vocabulary"]?.GetValue<string>() == name))
                {
                    mapping["vocabulary"] = copy;
                }

                changes.Add($"$.vocabularies.{name}: shared by allegation.category and other fields; the category columns now use a copy, '{copy}'");
            }

            var at = $"$.vocabularies.{(ReferenceEquals(target, vocabulary) ? name : name + "Category")}";
            if (target["values"] is JsonObject values)
            {
                foreach (var (key, value) in values.ToList())
                {
                    if (value?.GetValueKind() == JsonValueKind.String && !Canonical(value.GetValue<string>(), out var canonical, out var why))
                    {
                        changes.Add($"{at}.values['{key}']: '{value.GetValue<string>()}' -> {canonical} ({why})");
                        values[key] = canonical;
                    }
                }
            }

            if (target["fallback"]?.GetValue<string>() is { } fallback && !Canonical(fallback, out var fallbackCanonical, out var fallbackWhy))
            {
                target["fallback"] = fallbackCanonical;
                changes.Add($"{at}.fallback: '{fallback}' -> {fallbackCanonical} ({fallbackWhy})");
            }
        }

        return (root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), changes);
    }

    /// <summary>True when <paramref name="text"/> already is a canonical category name; otherwise the category it becomes and why.</summary>
    private static bool Canonical(string text, out string canonical, out string why)
    {
        if (CategoryNames.Parse(text) is { } category)
        {
            canonical = category.ToString();
            why = "a canonical name, written as such";
            return string.Equals(text, canonical, StringComparison.Ordinal);
        }

        canonical = nameof(Model.AllegationCategory.Other);
        why = "no canonical category has this name; the source's text stays the raw value";
        return false;
    }

    /// <summary>Every column mapping object of the profile, group targets included.</summary>
    private static IEnumerable<JsonObject> Mappings(JsonObject root)
    {
        foreach (var file in (root["files"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var (_, mapping) in file["columns"] as JsonObject ?? [])
            {
                if (mapping is not JsonObject column)
                {
                    continue;
                }

                yield return column;
                foreach (var (_, group) in column["groups"] as JsonObject ?? [])
                {
                    foreach (var target in group is JsonArray list ? list.OfType<JsonObject>() : group is JsonObject one ? [one] : [])
                    {
                        yield return target;
                    }
                }
            }
        }
    }
}
