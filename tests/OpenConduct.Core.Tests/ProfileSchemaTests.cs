using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenConduct.Core.Import;

namespace OpenConduct.Core.Tests;

/// <summary>
/// Keeps the published profile schema (samples/profiles/profile.schema.json), the profiles, the loader, the
/// canonical field catalog and docs/profiles.md in step.
/// </summary>
public sealed partial class ProfileSchemaTests
{
    private static readonly string ProfilesDirectory = Path.Combine(AppContext.BaseDirectory, "samples", "profiles");
    private static readonly string SchemaPath = Path.Combine(ProfilesDirectory, "profile.schema.json");

    private static readonly Lazy<JsonSchemaValidator> Schema = new(() => new JsonSchemaValidator(LoadSchemaDocument().RootElement.Clone()));

    /// <summary>A small but complete joined profile, independent of the sample files.</summary>
    private const string InlineProfile = """
        {
          "$schema": "profile.schema.json",
          "name": "inline-joined",
          "source": "TEST",
          "shape": "joined",
          "defaults": { "delimiter": ",", "nullTokens": ["NULL", "N/A"], "dateFormats": ["M/d/yyyy"], "culture": "en-US", "trim": true },
          "files": [
            {
              "name": "complaints",
              "path": "complaints.csv",
              "holds": ["complaint", "complainant"],
              "format": { "encoding": "windows-1252", "headerShorterThanRows": true },
              "columns": {
                "Case": "complaint.caseNumber",
                "Closed": { "field": "complaint.closedDate", "dateFormats": ["yyyy-MM-dd"] },
                "Flags": { "field": "complaint.sensitivity", "vocabulary": "flags", "split": "|" },
                "Complainant": { "field": "complainant.fullName", "nameOrder": "last-first" },
                "Phone": { "field": "complainant.phone", "optional": true }
              },
              "constants": { "complaint.precinct": "5" }
            },
            {
              "name": "allegations",
              "path": "IAPro_*.csv",
              "holds": ["allegation"],
              "columns": {
                "Case": "complaint.caseNumber",
                "Badge": "officer.badge",
                "Officer": "officer.fullName",
                "Finding": { "field": "allegation.finalFinding", "vocabulary": "finding" },
                "Final": { "field": "allegation.disciplineFinal", "vocabulary": "final" }
              }
            },
            {
              "name": "officers",
              "path": "officers.csv",
              "holds": ["officer"],
              "format": { "delimiter": "auto" },
              "columns": { "Badge": "officer.badge", "Name": "officer.fullName", "Badges": { "field": "officer.badge", "split": ";" } }
            }
          ],
          "joins": [
            { "file": "allegations", "entity": "complaint", "on": ["complaint.caseNumber"] },
            { "file": "allegations", "entity": "officer", "on": ["officer.badge", "officer.fullName"] }
          ],
          "vocabularies": {
            "flags": { "values": { "DV": "DomesticViolence" } },
            "finding": { "values": { "SU": "Sustained" }, "extract": "^(?<key>[A-Z]+)" },
            "final": { "values": { "FINAL": "true", "OPEN": "false" }, "fallback": "false" }
          },
          "constants": { "complaint.status": "Closed" }
        }
        """;

    [Fact]
    public void SampleProfiles_ValidateAgainstTheSchema()
    {
        var profiles = SampleProfiles();
        if (profiles.Count == 0)
        {
            // No sample profile yet: the schema must still accept a real profile.
            AssertValid(JsonDocument.Parse(InlineProfile).RootElement, "inline profile");
            return;
        }

        foreach (var path in profiles)
        {
            using var document = ParseProfileFile(path);
            AssertValid(document.RootElement, Path.GetFileName(path));
        }
    }

    [Fact]
    public void SampleProfiles_LoadWithTheImportLoader()
    {
        // The schema is the editor's check; the loader is the real one. A sample profile must pass both.
        foreach (var path in SampleProfiles())
        {
            var exception = Record.Exception(() => MappingProfileLoader.LoadFile(path));
            Assert.True(exception is null, $"{Path.GetFileName(path)} does not load: {exception?.Message}");
        }
    }

    [Fact]
    public void InlineProfile_ValidatesAndLoads()
    {
        AssertValid(JsonDocument.Parse(InlineProfile).RootElement, "inline profile");
        var profile = MappingProfileLoader.Parse(InlineProfile, "inline profile");
        Assert.Equal(3, profile.Files.Count);
    }

    [Theory]
    [InlineData("/files/0/columns/Case", "\"complaint.caseNo\"")]
    [InlineData("/files/0/columns/Closed/field", "\"complaint.closeDate\"")]
    [InlineData("/files/1/columns/Officer", "\"officer.name\"")]
    [InlineData("/joins/1/on/0", "\"officer.badgeNumber\"")]
    [InlineData("/constants/complaint.status", null)]
    [InlineData("/files/0/columns/Case", "\"caseNumber\"")]
    [InlineData("/files/0/columns/Case", "\"Complaint.CaseNumber\"")]
    public void UnknownFieldPath_FailsValidation(string pointer, string? replacement)
    {
        var profile = JsonNode.Parse(InlineProfile)!.AsObject();
        if (replacement is null)
        {
            // Rename a constants key to an unknown field.
            var constants = profile["constants"]!.AsObject();
            constants.Remove("complaint.status");
            constants["complaint.state"] = "Closed";
        }
        else
        {
            Set(profile, pointer, JsonNode.Parse(replacement));
        }

        AssertInvalid(profile, $"unknown field at {pointer}");
    }

    [Theory]
    [InlineData("", "sorce")]
    [InlineData("/defaults", "delimeter")]
    [InlineData("/files/0", "colums")]
    [InlineData("/files/0/format", "encodng")]
    [InlineData("/files/0/columns/Closed", "vocab")]
    [InlineData("/joins/0", "entities")]
    [InlineData("/vocabularies/final", "fallbak")]
    public void UnknownProperty_FailsValidation(string pointer, string property)
    {
        var profile = JsonNode.Parse(InlineProfile)!.AsObject();
        var target = pointer.Length == 0 ? profile : Get(profile, pointer).AsObject();
        target[property] = "x";
        AssertInvalid(profile, $"unknown property '{property}' at '{pointer}'");

        // The loader rejects it too: the schema is not stricter than needed here.
        Assert.ThrowsAny<Exception>(() => MappingProfileLoader.Parse(profile.ToJsonString(), "mutated"));
    }

    [Theory]
    [InlineData("/files/1/columns/Badge", """{ "field": "officer.rank", "nameOrder": "auto" }""", "nameOrder on a field that is not a full name")]
    [InlineData("/files/1/columns/Badge", """{ "field": "officer.rank", "split": ";" }""", "split on a single-value field")]
    [InlineData("/files/1/columns/Badge", """{ "field": "officer.birthYear", "vocabulary": "final" }""", "vocabulary on an integer field")]
    [InlineData("/files/1/columns/Badge", """{ "field": "officer.hireDate", "dateFormats": [] }""", "empty date format list")]
    [InlineData("/files/0/columns/Case", """{ "vocabulary": "finding" }""", "column object without field")]
    [InlineData("/files/0/columns/Phone", """{ "field": "complainant.phone", "optional": "yes" }""", "optional that is not a boolean")]
    [InlineData("/files/0/columns/Complainant", """{ "field": "complainant.fullName", "nameOrder": "surname-first" }""", "unknown name order")]
    [InlineData("/files/0/holds/0", "\"complaints\"", "unknown entity")]
    [InlineData("/joins/0/entity", "\"case\"", "unknown join entity")]
    [InlineData("/shape", "\"flat\"", "unknown shape")]
    [InlineData("/defaults/delimiter", "\";;\"", "two-character delimiter")]
    [InlineData("/defaults/delimiter", "\"\\n\"", "line break as delimiter")]
    [InlineData("/defaults/trim", "\"yes\"", "trim that is not a boolean")]
    [InlineData("/vocabularies/final/values/FINAL", "true", "vocabulary value that is not a string")]
    [InlineData("/constants/complaint.status", "1", "constant that is not a string")]
    public void MalformedProfile_FailsValidation(string pointer, string replacement, string what)
    {
        var profile = JsonNode.Parse(InlineProfile)!.AsObject();
        Set(profile, pointer, JsonNode.Parse(replacement));
        AssertInvalid(profile, what);
    }

    [Theory]
    [InlineData("name")]
    [InlineData("source")]
    [InlineData("shape")]
    [InlineData("files")]
    public void MissingRequiredProperty_FailsValidation(string property)
    {
        var profile = JsonNode.Parse(InlineProfile)!.AsObject();
        profile.Remove(property);
        AssertInvalid(profile, $"missing '{property}'");
    }

    [Fact]
    public void DenormalizedProfileWithTwoFiles_FailsValidation()
    {
        var profile = JsonNode.Parse(InlineProfile)!.AsObject();
        profile["shape"] = "denormalized";
        profile["joins"] = new JsonArray();
        var files = profile["files"]!.AsArray();
        files.RemoveAt(2);
        AssertInvalid(profile, "denormalized with two files");

        files.RemoveAt(1);
        AssertValid(JsonDocument.Parse(profile.ToJsonString()).RootElement, "denormalized with one file");
    }

    [Fact]
    public void SchemaFieldEnum_EqualsTheCanonicalFieldCatalog()
    {
        using var document = LoadSchemaDocument();
        var defs = document.RootElement.GetProperty("$defs");

        Assert.Equal(CanonicalFields.List.Select(f => f.Path), EnumOf(defs, "fieldPath"));
        Assert.Equal(Paths(f => f.Kind == FieldKind.Date), EnumOf(defs, "dateFieldPath"));
        Assert.Equal(Paths(f => f.Kind is FieldKind.Coded or FieldKind.CodedText or FieldKind.Boolean), EnumOf(defs, "vocabularyFieldPath"));
        Assert.Equal(Paths(f => f.MultiValue), EnumOf(defs, "multiValueFieldPath"));
        Assert.Equal(Paths(f => f.Kind == FieldKind.FullName), EnumOf(defs, "fullNameFieldPath"));
        Assert.Equal(Paths(f => f.Kind == FieldKind.Integer), EnumOf(defs, "integerFieldPath"));
        Assert.Equal(Enum.GetNames<EntityKind>().Select(n => n.ToLowerInvariant()), EnumOf(defs, "entity"));
        Assert.Equal(
            Enum.GetNames<ExportShape>().Select(JsonNamingPolicy.CamelCase.ConvertName),
            document.RootElement.GetProperty("properties").GetProperty("shape").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!));

        static IEnumerable<string> Paths(Func<CanonicalField, bool> predicate) => CanonicalFields.List.Where(predicate).Select(f => f.Path);
    }

    [Fact]
    public void Schema_DescribesEveryProperty()
    {
        using var document = LoadSchemaDocument();
        var missing = JsonSchemaValidator.PropertiesWithoutDescription(document.RootElement);
        Assert.True(missing.Count == 0, "properties without a description: " + string.Join(", ", missing));
    }

    [Fact]
    public void DocsExampleProfiles_ValidateAndLoad()
    {
        var profiles = DocsProfiles();
        Assert.True(profiles.Count >= 2, "docs/profiles.md should hold the joined and the denormalized example profiles");
        foreach (var (name, json) in profiles)
        {
            AssertValid(JsonDocument.Parse(json).RootElement, $"docs example profile '{name}'");
            var exception = Record.Exception(() => MappingProfileLoader.Parse(json, name));
            Assert.True(exception is null, $"docs example profile '{name}' does not load: {exception?.Message}");
        }
    }

    [Theory]
    [InlineData("opcr", 3, 5, 3, 0L)]
    [InlineData("cra", 2, 4, 2, 1L)]
    [InlineData("opa", 3, 4, 2, 0L)]
    [InlineData("accused", 2, 3, 2, 0L)]
    [InlineData("penalties", 2, 4, 2, 0L)]
    public void DocsWorkedExamples_ImportWithTheCountsTheyState(string example, long complaints, long allegations, long officers, long duplicates)
    {
        var profile = MappingProfileLoader.Parse(DocsProfiles()[example], example);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (path, text) in DocsBlocks("example-file").Where(b => b.Key.StartsWith(example + "/", StringComparison.Ordinal)))
        {
            var name = path[(example.Length + 1)..];
            var mapping = profile.Files.First(f => Regex.IsMatch(name, "^" + Regex.Escape(f.Path).Replace("\\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.IgnoreCase));
            var encoding = (mapping.Format.Encoding ?? profile.Defaults.Encoding) is { } e && !e.StartsWith("utf", StringComparison.OrdinalIgnoreCase)
                ? CodePages(e)
                : new UTF8Encoding(false);
            files[name] = encoding.GetBytes(text);
        }

        var sink = new CountingSink();
        var report = new ExportImporter().Import(profile, new MemoryExportFiles(example, files), sink);

        Assert.True(report.Succeeded, string.Join(Environment.NewLine, report.Failures));
        Assert.Empty(report.RowErrors);
        Assert.Equal(complaints, sink.Complaints);
        Assert.Equal(allegations, sink.Allegations);
        Assert.Equal(officers, sink.Officers);
        Assert.Equal(duplicates, report.Files.Sum(f => f.DuplicateRows));
        Assert.Equal(0, report.RowsRejected);
    }

    private static Encoding CodePages(string name)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(name);
    }

    private static void AssertValid(JsonElement profile, string what)
    {
        var errors = Schema.Value.Validate(profile);
        Assert.True(errors.Count == 0, $"{what} does not validate against profile.schema.json:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors));
    }

    private static void AssertInvalid(JsonObject profile, string what)
    {
        using var document = JsonDocument.Parse(profile.ToJsonString());
        Assert.True(Schema.Value.Validate(document.RootElement).Count > 0, $"profile.schema.json accepts a profile with {what}");
    }

    private static List<string> SampleProfiles() =>
        Directory.Exists(ProfilesDirectory)
            ? Directory.EnumerateFiles(ProfilesDirectory, "*.json", SearchOption.AllDirectories)
                .Where(p => !string.Equals(Path.GetFileName(p), "profile.schema.json", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];

    private static JsonDocument ParseProfileFile(string path) =>
        // The loader allows comments and trailing commas; so does this check.
        JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });

    private static JsonDocument LoadSchemaDocument()
    {
        Assert.True(File.Exists(SchemaPath), $"the schema is not in the test output: {SchemaPath} (it is copied from samples/profiles/)");
        return JsonDocument.Parse(File.ReadAllText(SchemaPath));
    }

    private static IEnumerable<string> EnumOf(JsonElement defs, string name) =>
        defs.GetProperty(name).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!);

    private static JsonNode Get(JsonNode root, string pointer) => JsonPointer.Get(root, pointer);

    private static void Set(JsonNode root, string pointer, JsonNode? value) => JsonPointer.Set(root, pointer, value);

    // ---- docs/profiles.md ------------------------------------------------------------------------------------------

    private static Dictionary<string, string> DocsProfiles() => DocsBlocks("example-profile");

    private static Dictionary<string, string> DocsBlocks(string kind) => DocsFile.Blocks("profiles.md", kind);

    private static string DocsPath() => DocsFile.PathOf("profiles.md");

    /// <summary>An export held in memory, for the documentation's examples.</summary>
    private sealed class MemoryExportFiles(string location, Dictionary<string, byte[]> files) : IExportFiles
    {
        public string Location => location;

        public IReadOnlyList<string> Names { get; } = files.Keys.Order(StringComparer.Ordinal).ToList();

        public long Length(string name) => files[name].Length;

        public Stream Open(string name) => new MemoryStream(files[name], writable: false);
    }
}
