using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OpenConduct.Core.Tests;

/// <summary>
/// Validates an instance against a JSON Schema (draft 2020-12), implementing the keywords the published schemas use
/// (samples/profiles/profile.schema.json, samples/policies/policy.schema.json). A keyword it does not implement
/// throws, so a schema change can never make validation pass silently.
/// </summary>
/// <remarks>
/// Written here because no complete validator restores from the build machines' package feed (JsonSchema.Net
/// needs JsonPointer.Net, which the feed lacks). References are local (<c>#/$defs/...</c>) only.
/// </remarks>
internal sealed class JsonSchemaValidator(JsonElement root)
{
    private static readonly HashSet<string> Annotations =
        new(StringComparer.Ordinal) { "$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default", "format" };

    /// <summary>A validator for the schema in a file.</summary>
    public static JsonSchemaValidator Load(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return new JsonSchemaValidator(document.RootElement.Clone());
    }

    /// <summary>The errors of <paramref name="instance"/> against the schema, as "$.path: problem"; empty when valid.</summary>
    public List<string> Validate(JsonElement instance)
    {
        var errors = new List<string>();
        Check(root, instance, "$", errors);
        return errors;
    }

    /// <summary>The same, for a node (e.g. a document mutated by a test).</summary>
    public List<string> Validate(JsonNode instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        using var document = JsonDocument.Parse(instance.ToJsonString());
        return Validate(document.RootElement);
    }

    /// <summary>
    /// The properties a schema declares without a "description", as JSON pointers. Conditions (allOf/if/then/else,
    /// dependentSchemas) restate properties declared, and described, elsewhere, and are not searched.
    /// </summary>
    public static List<string> PropertiesWithoutDescription(JsonElement schema)
    {
        var missing = new List<string>();
        Walk(schema, "#");
        return missing;

        void Walk(JsonElement node, string at)
        {
            if (node.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            if (node.TryGetProperty("properties", out var properties))
            {
                foreach (var property in properties.EnumerateObject())
                {
                    if (!property.Value.TryGetProperty("description", out _))
                    {
                        missing.Add($"{at}/properties/{property.Name}");
                    }
                }
            }

            foreach (var child in node.EnumerateObject().Where(c => c.Name is not ("allOf" or "if" or "then" or "else" or "dependentSchemas")))
            {
                switch (child.Value.ValueKind)
                {
                    case JsonValueKind.Object:
                        Walk(child.Value, $"{at}/{child.Name}");
                        break;
                    case JsonValueKind.Array:
                        var i = 0;
                        foreach (var item in child.Value.EnumerateArray())
                        {
                            Walk(item, $"{at}/{child.Name}/{i++}");
                        }

                        break;
                }
            }
        }
    }

    private void Check(JsonElement schema, JsonElement instance, string at, List<string> errors)
    {
        if (schema.ValueKind == JsonValueKind.True)
        {
            return;
        }

        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{at}: not allowed");
            return;
        }

        foreach (var keyword in schema.EnumerateObject())
        {
            var value = keyword.Value;
            switch (keyword.Name)
            {
                case var name when Annotations.Contains(name):
                    break;
                case "$ref":
                    Check(Resolve(value.GetString()!), instance, at, errors);
                    break;
                case "type":
                    var types = value.ValueKind == JsonValueKind.Array ? value.EnumerateArray().Select(t => t.GetString()!).ToList() : [value.GetString()!];
                    if (!types.Any(t => IsType(instance, t)))
                    {
                        errors.Add($"{at}: expected {string.Join(" or ", types)}, found {instance.ValueKind}");
                    }

                    break;
                case "enum":
                    if (!value.EnumerateArray().Any(v => JsonElement.DeepEquals(v, instance)))
                    {
                        errors.Add($"{at}: {instance.GetRawText()} is not one of the allowed values");
                    }

                    break;
                case "const":
                    if (!JsonElement.DeepEquals(value, instance))
                    {
                        errors.Add($"{at}: expected {value.GetRawText()}");
                    }

                    break;
                case "minLength" or "maxLength" or "pattern" when instance.ValueKind != JsonValueKind.String:
                case "minimum" or "maximum" when instance.ValueKind != JsonValueKind.Number:
                case "properties" or "additionalProperties" or "required" or "propertyNames" or "minProperties" or "dependentSchemas"
                    when instance.ValueKind != JsonValueKind.Object:
                case "items" or "minItems" or "maxItems" or "uniqueItems" when instance.ValueKind != JsonValueKind.Array:
                    break;
                case "minimum":
                    if (instance.GetDecimal() < value.GetDecimal())
                    {
                        errors.Add($"{at}: {instance.GetRawText()} is less than {value.GetRawText()}");
                    }

                    break;
                case "maximum":
                    if (instance.GetDecimal() > value.GetDecimal())
                    {
                        errors.Add($"{at}: {instance.GetRawText()} is more than {value.GetRawText()}");
                    }

                    break;
                case "minLength":
                    if (instance.GetString()!.EnumerateRunes().Count() < value.GetInt32())
                    {
                        errors.Add($"{at}: shorter than {value.GetInt32()}");
                    }

                    break;
                case "maxLength":
                    if (instance.GetString()!.EnumerateRunes().Count() > value.GetInt32())
                    {
                        errors.Add($"{at}: longer than {value.GetInt32()}");
                    }

                    break;
                case "pattern":
                    if (!Regex.IsMatch(instance.GetString()!, value.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1)))
                    {
                        errors.Add($"{at}: does not match {value.GetString()}");
                    }

                    break;
                case "required":
                    foreach (var name in value.EnumerateArray().Select(n => n.GetString()!).Where(n => !instance.TryGetProperty(n, out _)))
                    {
                        errors.Add($"{at}: '{name}' is required");
                    }

                    break;
                case "properties":
                    foreach (var property in instance.EnumerateObject())
                    {
                        if (value.TryGetProperty(property.Name, out var propertySchema))
                        {
                            Check(propertySchema, property.Value, $"{at}.{property.Name}", errors);
                        }
                    }

                    break;
                case "additionalProperties":
                    var declared = schema.TryGetProperty("properties", out var known) ? known : default;
                    foreach (var property in instance.EnumerateObject())
                    {
                        if (declared.ValueKind != JsonValueKind.Object || !declared.TryGetProperty(property.Name, out _))
                        {
                            if (value.ValueKind == JsonValueKind.False)
                            {
                                errors.Add($"{at}: unknown property '{property.Name}'");
                            }
                            else
                            {
                                Check(value, property.Value, $"{at}['{property.Name}']", errors);
                            }
                        }
                    }

                    break;
                case "propertyNames":
                    foreach (var property in instance.EnumerateObject())
                    {
                        using var name = JsonDocument.Parse(JsonSerializer.Serialize(property.Name));
                        Check(value, name.RootElement, $"{at}['{property.Name}'] (name)", errors);
                    }

                    break;
                case "minProperties":
                    if (instance.EnumerateObject().Count() < value.GetInt32())
                    {
                        errors.Add($"{at}: fewer than {value.GetInt32()} properties");
                    }

                    break;
                case "dependentSchemas":
                    foreach (var dependent in value.EnumerateObject().Where(d => instance.TryGetProperty(d.Name, out _)))
                    {
                        Check(dependent.Value, instance, at, errors);
                    }

                    break;
                case "items":
                    var index = 0;
                    foreach (var item in instance.EnumerateArray())
                    {
                        Check(value, item, $"{at}[{index++}]", errors);
                    }

                    break;
                case "minItems":
                    if (instance.GetArrayLength() < value.GetInt32())
                    {
                        errors.Add($"{at}: fewer than {value.GetInt32()} items");
                    }

                    break;
                case "maxItems":
                    if (instance.GetArrayLength() > value.GetInt32())
                    {
                        errors.Add($"{at}: more than {value.GetInt32()} items");
                    }

                    break;
                case "uniqueItems":
                    var items = instance.EnumerateArray().ToList();
                    if (value.GetBoolean() && items.Where((item, i) => items.Take(i).Any(earlier => JsonElement.DeepEquals(earlier, item))).Any())
                    {
                        errors.Add($"{at}: items are not unique");
                    }

                    break;
                case "allOf":
                    foreach (var sub in value.EnumerateArray())
                    {
                        Check(sub, instance, at, errors);
                    }

                    break;
                case "anyOf":
                    var failures = new List<string>();
                    if (!value.EnumerateArray().Any(sub => Passes(sub, instance, at, failures)))
                    {
                        errors.Add($"{at}: matches none of the alternatives ({string.Join("; ", failures)})");
                    }

                    break;
                case "if":
                    var branch = Passes(value, instance, at, []) ? "then" : "else";
                    if (schema.TryGetProperty(branch, out var conditional))
                    {
                        Check(conditional, instance, at, errors);
                    }

                    break;
                case "then" or "else":
                    break;
                default:
                    throw new NotSupportedException($"the test's schema validator does not implement the keyword '{keyword.Name}'; implement it in JsonSchemaValidator");
            }
        }
    }

    private bool Passes(JsonElement schema, JsonElement instance, string at, List<string> failures)
    {
        var errors = new List<string>();
        Check(schema, instance, at, errors);
        failures.AddRange(errors);
        return errors.Count == 0;
    }

    private JsonElement Resolve(string reference)
    {
        if (!reference.StartsWith("#/", StringComparison.Ordinal))
        {
            throw new NotSupportedException($"only local references are implemented, not '{reference}'");
        }

        var node = root;
        foreach (var token in reference[2..].Split('/'))
        {
            node = node.GetProperty(token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }

        return node;
    }

    private static bool IsType(JsonElement instance, string type) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => instance.ValueKind == JsonValueKind.Null,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && instance.TryGetDecimal(out var d) && d == decimal.Truncate(d),
        _ => throw new NotSupportedException($"unknown type '{type}'"),
    };
}
