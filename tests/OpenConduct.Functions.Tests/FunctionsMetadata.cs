using System.Text.Json;
using System.Text.Json.Nodes;

namespace OpenConduct.Functions.Tests;

/// <summary>
/// What the Functions SDK generated for the host from the app's build output (copied into <c>functions-app/</c> by the
/// test project): <c>functions.metadata</c> (every function, its trigger and bindings) and the <c>host.json</c> deployed beside it.
/// </summary>
internal static class FunctionsMetadata
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "functions-app");

    private static readonly Lazy<IReadOnlyList<FunctionEntry>> Entries = new(Load);

    public static IReadOnlyList<FunctionEntry> Functions => Entries.Value;

    public static JsonNode HostJson => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "host.json")))!;

    /// <summary>host.json's <c>extensions.http.routePrefix</c> (the host's default: <c>api</c>).</summary>
    public static string RoutePrefix => HostJson["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() ?? "api";

    public static FunctionEntry Get(string name) => Functions.Single(f => f.Name == name);

    private static List<FunctionEntry> Load()
    {
        var file = Path.Combine(Folder, "functions.metadata");
        Assert.True(File.Exists(file), $"{file} is missing: the test project copies it from the app's build output");
        var entries = new List<FunctionEntry>();
        foreach (var function in JsonNode.Parse(File.ReadAllText(file))!.AsArray())
        {
            var bindings = function!["bindings"]!.AsArray().Select(b => b!.AsObject()).ToList();
            entries.Add(new FunctionEntry(function["name"]!.GetValue<string>(), function["entryPoint"]!.GetValue<string>(), bindings));
        }

        return entries;
    }
}

/// <summary>One function of <c>functions.metadata</c>.</summary>
internal sealed record FunctionEntry(string Name, string EntryPoint, IReadOnlyList<JsonObject> Bindings)
{
    /// <summary>The trigger binding (the one whose type ends in Trigger).</summary>
    public JsonObject Trigger => Bindings.Single(b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal));

    public string TriggerType => Trigger["type"]!.GetValue<string>();

    public string? Setting(string name) => Trigger[name] is JsonValue value && value.GetValueKind() is JsonValueKind.String ? value.GetValue<string>() : Trigger[name]?.ToJsonString();

    public IReadOnlyList<string> Methods => [.. Trigger["methods"]?.AsArray().Select(m => m!.GetValue<string>().ToUpperInvariant()) ?? []];

    /// <summary>The public path of an HTTP function: the route prefix, then its route.</summary>
    public string Path => "/" + FunctionsMetadata.RoutePrefix + "/" + Trigger["route"]!.GetValue<string>();
}
