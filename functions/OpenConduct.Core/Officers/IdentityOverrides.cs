using System.Buffers;
using System.Text;
using System.Text.Json.Serialization;

namespace OpenConduct.Core.Officers;

/// <summary>An identity overrides file that cannot be used, with one message per problem (each naming its JSON location).</summary>
public sealed class IdentityOverridesException(string file, IReadOnlyList<string> errors)
    : Exception($"identity overrides {file} are not valid:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", errors)}")
{
    public string File { get; } = file;

    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>One decision of the overrides file: these officers are the same person, or all different people.</summary>
/// <param name="Officers">The officers, each <c>{source}:{officerRef}</c> (the source is compared ignoring case).</param>
/// <param name="Note">Why (free text, shown in the identity report).</param>
/// <param name="Location">Where the entry is in the file (<c>$.same[0]</c>).</param>
public sealed record IdentityOverride(IReadOnlyList<OfficerSourceRef> Officers, string? Note, string Location);

/// <summary>
/// A city's pinned identity decisions (docs/officers.md#the-overrides-file): <c>same</c> entries merge their officers
/// whatever the rules say (across a rule conflict, and even two officers of one source); <c>different</c> entries keep
/// their officers in different officers whatever the rules say. Loaded strictly: unknown properties, malformed
/// references, an entry naming fewer than two officers or one officer twice, and decisions that contradict each other
/// (a <c>different</c> entry naming two officers that <c>same</c> entries merge) are errors.
/// </summary>
public sealed record IdentityOverrides
{
    /// <summary>No decisions.</summary>
    public static IdentityOverrides Empty { get; } = new();

    public IReadOnlyList<IdentityOverride> Same { get; init; } = [];

    public IReadOnlyList<IdentityOverride> Different { get; init; } = [];

    /// <summary>Loads the overrides file at <paramref name="path"/>.</summary>
    /// <exception cref="IdentityOverridesException">The file is missing or not valid (every problem is listed).</exception>
    public static IdentityOverrides Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!System.IO.File.Exists(path))
        {
            throw new IdentityOverridesException(path, [$"the file does not exist ({Path.GetFullPath(path)})"]);
        }

        using var stream = System.IO.File.OpenRead(path);
        return Load(stream, path);
    }

    /// <summary>Loads overrides from text (tests, tools).</summary>
    public static IdentityOverrides Parse(string json, string name = "identity overrides") =>
        Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), name);

    /// <summary>Loads overrides from <paramref name="json"/>; <paramref name="name"/> names it in messages.</summary>
    public static IdentityOverrides Load(Stream json, string name)
    {
        ArgumentNullException.ThrowIfNull(json);
        var document = StrictJson.Read<OverridesDocument>(json, StrictJson.Options(), "identity overrides", out var error)
                       ?? throw new IdentityOverridesException(name, [error!]);
        var errors = new List<string>();
        var same = Entries("same", document.Same, errors);
        var different = Entries("different", document.Different, errors);
        if (errors.Count == 0)
        {
            Contradictions(same, different, errors);
        }

        return errors.Count > 0 ? throw new IdentityOverridesException(name, errors) : new IdentityOverrides { Same = same, Different = different };
    }

    /// <summary>Parses <c>{source}:{officerRef}</c>: a source of letters, digits, '-', '_' or '.', a colon, and a reference without spaces.</summary>
    public static bool TryParseRef(string? text, out OfficerSourceRef officer)
    {
        officer = null!;
        var value = text?.Trim();
        var colon = value?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (value is null || colon <= 0 || colon == value.Length - 1)
        {
            return false;
        }

        var source = value[..colon];
        var reference = value[(colon + 1)..];
        if (!source.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || reference.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }

        officer = new OfficerSourceRef(source, reference);
        return true;
    }

    private static List<IdentityOverride> Entries(string kind, List<EntryDocument?>? entries, List<string> errors)
    {
        var result = new List<IdentityOverride>();
        if (entries is null)
        {
            return result;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var at = $"$.{kind}[{i}]";
            var entry = entries[i];
            if (entry is null)
            {
                errors.Add($"{at}: an entry is null");
                continue;
            }

            if (entry.Officers is null)
            {
                errors.Add($"{at}.officers: the officers are missing");
                continue;
            }

            var before = errors.Count;
            var officers = new List<OfficerSourceRef>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var k = 0; k < entry.Officers.Count; k++)
            {
                var text = entry.Officers[k];
                if (!TryParseRef(text, out var officer))
                {
                    errors.Add($"{at}.officers[{k}]: '{text}' is not an officer reference {{source}}:{{officerRef}} (e.g. OPCR:o-9ecaf2abcd4a80d7b150)");
                }
                else if (!seen.Add(Canonical(officer)))
                {
                    errors.Add($"{at}.officers[{k}]: '{text}' is listed twice in the entry");
                }
                else
                {
                    officers.Add(officer);
                }
            }

            if (entry.Officers.Count < 2)
            {
                errors.Add($"{at}.officers: an entry names at least two officers ({entry.Officers.Count} given)");
            }

            if (errors.Count == before)
            {
                result.Add(new IdentityOverride(officers, string.IsNullOrWhiteSpace(entry.Note) ? null : entry.Note, at));
            }
        }

        return result;
    }

    /// <summary>
    /// Writes the decisions in the overrides file's format (<c>{"same": [{"officers": [...], "note": ...}], "different": [...]}</c>):
    /// indented, LF line ends, ending with a newline, only the escapes JSON requires; a note only where there is one.
    /// <see cref="Parse"/> reads it back to equal entries (locations aside).
    /// </summary>
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new System.Text.Json.Utf8JsonWriter(buffer, Release.ReleaseJson.Indented))
        {
            w.WriteStartObject();
            foreach (var (kind, entries) in new[] { ("same", Same), ("different", Different) })
            {
                w.WriteStartArray(kind);
                foreach (var entry in entries)
                {
                    w.WriteStartObject();
                    w.WriteStartArray("officers");
                    foreach (var officer in entry.Officers)
                    {
                        w.WriteStringValue(officer.ToString());
                    }

                    w.WriteEndArray();
                    if (entry.Note is not null)
                    {
                        w.WriteString("note", entry.Note);
                    }

                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// A <c>different</c> entry naming two officers that the <c>same</c> entries merge (directly or through other entries)
    /// is an error: one message per such pair, naming the entries (by <see cref="IdentityOverride.Location"/>).
    /// </summary>
    internal static void Contradictions(IReadOnlyList<IdentityOverride> same, IReadOnlyList<IdentityOverride> different, List<string> errors)
    {
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        var via = new Dictionary<string, List<string>>(StringComparer.Ordinal);

        string Find(string x)
        {
            while (parent.TryGetValue(x, out var p) && p != x)
            {
                x = p;
            }

            return x;
        }

        foreach (var entry in same)
        {
            var keys = entry.Officers.Select(Canonical).ToList();
            foreach (var key in keys)
            {
                parent.TryAdd(key, key);
            }

            var root = Find(keys[0]);
            foreach (var key in keys.Skip(1))
            {
                var other = Find(key);
                if (other != root)
                {
                    parent[other] = root;
                    if (via.Remove(other, out var moved))
                    {
                        via.TryAdd(root, []);
                        via[root].AddRange(moved);
                    }
                }
            }

            via.TryAdd(root, []);
            via[root].Add(entry.Location);
        }

        foreach (var entry in different)
        {
            var roots = new Dictionary<string, OfficerSourceRef>(StringComparer.Ordinal);
            foreach (var officer in entry.Officers)
            {
                var key = Canonical(officer);
                if (!parent.ContainsKey(key))
                {
                    continue;
                }

                var root = Find(key);
                if (roots.TryGetValue(root, out var first))
                {
                    var entries = string.Join(", ", via[root].Distinct().Order(StringComparer.Ordinal));
                    errors.Add($"{entry.Location}: {first} and {officer} are declared the same officer by {entries}; an officer cannot be different from itself");
                }
                else
                {
                    roots[root] = officer;
                }
            }
        }
    }

    /// <summary>The comparison form of a reference: the source in upper case (sources are compared ignoring case), a colon, the reference.</summary>
    internal static string Canonical(OfficerSourceRef officer) => officer.Source.ToUpperInvariant() + ":" + officer.OfficerRef;

    private sealed class OverridesDocument
    {
        [JsonPropertyName("$schema")]
        public string? Schema { get; set; }

        public List<EntryDocument?>? Same { get; set; }

        public List<EntryDocument?>? Different { get; set; }
    }

    private sealed class EntryDocument
    {
        public List<string?>? Officers { get; set; }

        public string? Note { get; set; }
    }
}
