using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Search.Documents.Indexes;
using OpenConduct.Core.Officers;

namespace OpenConduct.Azure.Search;

/// <summary>
/// One document of the officer index, annotated for <see cref="FieldBuilder"/> (the index schema is
/// <c>new FieldBuilder().Build(typeof(OfficerSearchDocument))</c>). Two kinds share the schema:
/// <list type="bullet">
/// <item><description>an officer of one build (one publish of a generation): <see cref="Key"/> is
/// <c>{build}_{officer id}</c> made key-safe, <see cref="Build"/> is the build, <see cref="Document"/> the whole
/// <see cref="OfficerDocument"/> as JSON;</description></item>
/// <item><description>the pointer (key <see cref="SearchKeys.Pointer"/>, no build): <see cref="Document"/> holds
/// <see cref="LivePointer"/> as JSON, the generation and build that queries read.</description></item>
/// </list>
/// No field is searchable and no analyzer is involved: candidates are found by exact filters over keys computed here
/// from <see cref="OfficerSearchRules"/> (<see cref="NamePrefixes"/>, <see cref="NameDeletions"/>,
/// <see cref="BadgeKeys"/>), the one place the rules live; docs/search.md ("Azure AI Search") says why.
/// </summary>
public sealed class OfficerSearchDocument
{
    /// <summary>Words longer than this many code points get no deletion keys: a query word (at most
    /// <see cref="OfficerSearchRules.MaxWordLength"/>) is never within 2 edits of them.</summary>
    internal const int MaxDeletedWordLength = OfficerSearchRules.MaxWordLength + 2;

    [SimpleField(IsKey = true, IsFilterable = true, IsSortable = true)]
    [JsonPropertyName("key")]
    public string Key { get; set; } = "";

    /// <summary>The build the officer belongs to; null on the pointer.</summary>
    [SimpleField(IsFilterable = true)]
    [JsonPropertyName("build")]
    public string? Build { get; set; }

    [SimpleField]
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [SimpleField]
    [JsonPropertyName("displayName")]
    public string? DisplayName { get; set; }

    [SimpleField]
    [JsonPropertyName("nameVariants")]
    public IList<string> NameVariants { get; set; } = [];

    [SimpleField]
    [JsonPropertyName("currentBadge")]
    public string? CurrentBadge { get; set; }

    [SimpleField]
    [JsonPropertyName("badges")]
    public IList<string> Badges { get; set; } = [];

    [SimpleField]
    [JsonPropertyName("rank")]
    public string? Rank { get; set; }

    [SimpleField]
    [JsonPropertyName("unit")]
    public string? Unit { get; set; }

    /// <summary><see cref="OfficerSummary.Complaints"/>, the second ranking key.</summary>
    [SimpleField]
    [JsonPropertyName("complaints")]
    public int Complaints { get; set; }

    /// <summary><see cref="OfficerDocument.NamePublished"/>: false when the display name is a label, not a name to search.</summary>
    [SimpleField]
    [JsonPropertyName("namePublished")]
    public bool NamePublished { get; set; } = true;

    /// <summary><see cref="OfficerDocument.EmployeeIds"/>.</summary>
    [SimpleField]
    [JsonPropertyName("employeeIds")]
    public IList<string> EmployeeIds { get; set; } = [];

    /// <summary>The sources whose records name the officer (<see cref="OfficerHit.Sources"/>).</summary>
    [SimpleField]
    [JsonPropertyName("sources")]
    public IList<string> Sources { get; set; } = [];

    [SimpleField]
    [JsonPropertyName("firstComplaintYear")]
    public int? FirstComplaintYear { get; set; }

    [SimpleField]
    [JsonPropertyName("lastComplaintYear")]
    public int? LastComplaintYear { get; set; }

    /// <summary>The badge keys (<see cref="OfficerKeys.BadgeKeys"/>): the badge tier's filter.</summary>
    [SimpleField(IsFilterable = true, IsHidden = true)]
    [JsonPropertyName("badgeKeys")]
    public IList<string> BadgeKeys { get; set; } = [];

    /// <summary>Every prefix (1 to 100 code points) of every name word (<see cref="OfficerKeys.Words"/>): the prefix filter.</summary>
    [SimpleField(IsFilterable = true, IsHidden = true)]
    [JsonPropertyName("namePrefixes")]
    public IList<string> NamePrefixes { get; set; } = [];

    /// <summary>
    /// The deletion neighbourhood of every name word: the word with up to 2 code points deleted (up to 1 for words of
    /// 2-3 code points; none for 1). A query word within k edits of a name word shares one of these with the query
    /// word's own deletions (up to k): the fuzzy filter, exact where a fuzzy query (<c>~</c>) stops at 50 expansions.
    /// </summary>
    [SimpleField(IsFilterable = true, IsHidden = true)]
    [JsonPropertyName("nameDeletions")]
    public IList<string> NameDeletions { get; set; } = [];

    /// <summary>The <see cref="OfficerDocument"/> as JSON (what <see cref="IOfficerIndex.GetAsync"/> returns); the pointer's JSON on the pointer.</summary>
    [SimpleField]
    [JsonPropertyName("document")]
    public string? Document { get; set; }

    /// <summary>How the <see cref="Document"/> field is written and read: web defaults (camelCase).</summary>
    internal static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>The fields a search returns for ranking (everything but the filter keys and the document).</summary>
    internal static IReadOnlyList<string> HitFields { get; } =
        ["key", "id", "displayName", "nameVariants", "currentBadge", "badges", "rank", "unit", "complaints", "namePublished", "employeeIds", "sources", "firstComplaintYear", "lastComplaintYear"];

    /// <summary>The search document of one officer in one build, with its filter keys.</summary>
    internal static OfficerSearchDocument From(string build, OfficerDocument officer)
    {
        ArgumentNullException.ThrowIfNull(officer);
        var keys = OfficerKeys.From(officer);
        var prefixes = new SortedSet<string>(StringComparer.Ordinal);
        var deletions = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var word in keys.Words)
        {
            var runes = word.EnumerateRunes().Select(r => r.ToString()).ToArray();
            for (var n = 1; n <= Math.Min(runes.Length, OfficerSearchRules.MaxWordLength); n++)
            {
                prefixes.Add(string.Concat(runes.AsSpan(0, n)));
            }

            var edits = runes.Length switch
            {
                <= 1 => 0,
                <= 3 => 1,
                <= MaxDeletedWordLength => 2,
                _ => 0,
            };
            if (edits > 0)
            {
                deletions.UnionWith(Deletions(runes, edits));
            }
        }

        return new OfficerSearchDocument
        {
            Key = SearchKeys.Officer(build, officer.Id),
            Build = build,
            Id = officer.Id,
            DisplayName = officer.DisplayName,
            NameVariants = [.. officer.NameVariants ?? []],
            CurrentBadge = officer.CurrentBadge,
            Badges = [.. officer.Badges ?? []],
            Rank = officer.Rank,
            Unit = officer.Unit,
            Complaints = officer.Summary?.Complaints ?? 0,
            NamePublished = officer.NamePublished,
            EmployeeIds = [.. officer.EmployeeIds ?? []],
            Sources = [.. OfficerHit.SourcesOf(officer.SourceRefs)],
            FirstComplaintYear = officer.FirstComplaintYear,
            LastComplaintYear = officer.LastComplaintYear,
            BadgeKeys = [.. keys.BadgeKeys],
            NamePrefixes = [.. prefixes],
            NameDeletions = [.. deletions],
            Document = JsonSerializer.Serialize(officer, JsonOptions),
        };
    }

    /// <summary>The pointer document.</summary>
    internal static OfficerSearchDocument From(LivePointer pointer) => new()
    {
        Key = SearchKeys.Pointer,
        Document = JsonSerializer.Serialize(pointer, JsonOptions),
    };

    /// <summary>
    /// The word (as code points) with 0 to <paramref name="edits"/> code points deleted, without the empty string,
    /// distinct and in ordinal order.
    /// </summary>
    internal static SortedSet<string> Deletions(string[] runes, int edits)
    {
        var result = new SortedSet<string>(StringComparer.Ordinal);
        var current = new List<string[]> { runes };
        result.Add(string.Concat(runes));
        for (var e = 0; e < edits; e++)
        {
            var next = new List<string[]>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var word in current)
            {
                for (var i = 0; i < word.Length; i++)
                {
                    string[] shorter = [.. word[..i], .. word[(i + 1)..]];
                    var text = string.Concat(shorter);
                    if (shorter.Length > 0 && seen.Add(text))
                    {
                        next.Add(shorter);
                        result.Add(text);
                    }
                }
            }

            current = next;
        }

        result.RemoveWhere(string.IsNullOrEmpty);
        return result;
    }

    /// <summary>The officer's search keys, as <see cref="OfficerKeys.From(OfficerDocument)"/> makes them from the document.</summary>
    internal OfficerKeys Keys() => OfficerKeys.Of(NamePublished, DisplayName, NameVariants, CurrentBadge, Badges, EmployeeIds);

    internal OfficerHit ToHit(OfficerMatch match) =>
        new(Id ?? "", DisplayName ?? "", CurrentBadge, [.. Badges ?? []], Rank, Unit, Complaints, match)
        {
            NamePublished = NamePublished,
            EmployeeIds = [.. EmployeeIds ?? []],
            Sources = [.. Sources ?? []],
            FirstComplaintYear = FirstComplaintYear,
            LastComplaintYear = LastComplaintYear,
        };
}

/// <summary>
/// What the pointer document says: the live <paramref name="Generation"/>, the <paramref name="Build"/> (one publish
/// of it) whose documents queries filter on, and the longest name word of that build in code points (a query word
/// longer by more than 2 matches no name, so it needs no fuzzy keys).
/// </summary>
internal sealed record LivePointer(string Generation, string Build, int LongestWord);
