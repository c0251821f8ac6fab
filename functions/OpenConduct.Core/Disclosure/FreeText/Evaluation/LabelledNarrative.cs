using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenConduct.Core.Disclosure;

/// <summary>
/// A narrative with its private spans labelled, for measuring the scrubber: the format of a city's labelled set
/// (docs/disclosure.md, "Measuring the scrubber"), one JSON object a line in two files per part:
/// <c>part-NN.jsonl</c> (<c>{"id", "text", "officersOnRecord"}</c>) and <c>labels-NN.jsonl</c>
/// (<c>{"id", "private": [{"text", "kind", "occurrences"?}], "officers": [...]}</c>).
/// </summary>
public sealed record LabelledNarrative(
    string Id,
    string Text,
    IReadOnlyList<string> OfficersOnRecord,
    IReadOnlyList<string> KnownPrivateNames,
    IReadOnlyList<PrivateLabel> Private,
    IReadOnlyList<string> Officers);

/// <summary>
/// One private string and its kind (name, initials, demographic, address, phone, email, dob, plate, caselabel,
/// otherid). Every occurrence at word boundaries counts, or only those listed in <see cref="Occurrences"/> (0-based);
/// <see cref="Start"/> pins one exact occurrence (the synthetic corpus knows where it wrote each).
/// </summary>
public sealed record PrivateLabel(string Text, string Kind, IReadOnlyList<int>? Occurrences = null, int? Start = null);

/// <summary>Reads a labelled set's folder.</summary>
public static class LabelledNarratives
{
    /// <summary>The kinds of the label format, in report order.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
        ["name", "initials", "demographic", "address", "phone", "email", "dob", "plate", "caselabel", "otherid"];

    /// <summary>The parts of a folder that have both their inputs and their labels: "00", "01"...</summary>
    public static IReadOnlyList<string> Parts(string folder) =>
        [.. Directory.EnumerateFiles(folder, "part-*.jsonl")
            .Select(f => Path.GetFileNameWithoutExtension(f)["part-".Length..])
            .Where(p => File.Exists(Path.Combine(folder, $"labels-{p}.jsonl")))
            .Order(StringComparer.Ordinal)];

    /// <summary>One part: the inputs joined with their labels by id (a narrative without labels is an error).</summary>
    public static IReadOnlyList<LabelledNarrative> ReadPart(string folder, string part)
    {
        var inputs = File.ReadLines(Path.Combine(folder, $"part-{part}.jsonl"))
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<InputLine>(l, Json)!)
            .ToList();
        var labels = File.ReadLines(Path.Combine(folder, $"labels-{part}.jsonl"))
            .Where(l => l.Length > 0)
            .Select(l => JsonSerializer.Deserialize<LabelLine>(l, Json)!)
            .ToDictionary(l => l.Id, StringComparer.Ordinal);
        return [.. inputs.Select(i => labels.TryGetValue(i.Id, out var l)
            ? new LabelledNarrative(i.Id, i.Text, i.OfficersOnRecord ?? [], [], [.. (l.Private ?? []).Select(p => new PrivateLabel(p.Text, p.Kind, p.Occurrences))], l.Officers ?? [])
            : throw new InvalidDataException($"labels-{part}.jsonl has no line for id '{i.Id}'"))];
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private sealed record InputLine(string Id, string Text, [property: JsonPropertyName("officersOnRecord")] List<string>? OfficersOnRecord);

    private sealed record LabelLine(string Id, List<LabelItem>? Private, List<string>? Officers);

    private sealed record LabelItem(string Text, string Kind, List<int>? Occurrences);
}
