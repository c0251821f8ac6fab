using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace OpenConduct.Core.Import;

/// <summary>A profile that cannot be used, with one precise message per problem.</summary>
public sealed class ProfileException(string profile, IReadOnlyList<string> errors)
    : Exception($"profile {profile} is not valid:{Environment.NewLine}  - {string.Join(Environment.NewLine + "  - ", errors)}")
{
    public string Profile { get; } = profile;

    public IReadOnlyList<string> Errors { get; } = errors;
}

/// <summary>Reads mapping profiles from JSON and checks them against the canonical field catalog.</summary>
public static class MappingProfileLoader
{
    private static readonly JsonSerializerOptions Options =
        StrictJson.Options(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));

    public static MappingProfile LoadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Load(stream, path);
    }

    public static MappingProfile Load(Stream json, string name)
    {
        var profile = StrictJson.Read<MappingProfile>(json, Options, "profile", out var error)
                      ?? throw new ProfileException(name, [error!]);

        var errors = Validate(profile);
        return errors.Count > 0 ? throw new ProfileException(name, errors) : profile;
    }

    public static MappingProfile Parse(string json, string name = "profile") =>
        Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), name);

    public static string Serialize(MappingProfile profile) => JsonSerializer.Serialize(profile, Options);

    /// <summary>Every problem of a profile that can be found without its files, as messages naming the JSON path.</summary>
    public static List<string> Validate(MappingProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(profile.Source))
        {
            errors.Add("$.source: the source name is empty");
        }

        CheckFormat("$.defaults", profile.Defaults, errors);
        foreach (var (name, vocabulary) in profile.Vocabularies)
        {
            CheckVocabulary($"$.vocabularies.{name}", vocabulary, errors);
        }

        CheckConstants("$.constants", profile.Constants, null, errors);
        CheckRules(profile, errors);

        if (profile.Files.Count == 0)
        {
            errors.Add("$.files: a profile needs at least one file");
        }

        var fileNames = new HashSet<string>(StringComparer.Ordinal);
        var holders = new Dictionary<EntityKind, List<string>>();
        for (var i = 0; i < profile.Files.Count; i++)
        {
            var file = profile.Files[i];
            var at = $"$.files[{i}]";
            if (!fileNames.Add(file.Name))
            {
                errors.Add($"{at}.name: file name '{file.Name}' is used twice");
            }

            var holds = new HashSet<EntityKind>();
            foreach (var entity in file.Holds)
            {
                if (CanonicalFields.ParseEntity(entity) is { } kind)
                {
                    holds.Add(kind);
                    (holders.TryGetValue(kind, out var list) ? list : holders[kind] = []).Add(file.Name);
                }
                else
                {
                    errors.Add($"{at}.holds: unknown entity '{entity}' (entities: complaint, allegation, officer, complainant)");
                }
            }

            CheckFormat($"{at}.format", file.Format, errors);
            var mappedFields = new Dictionary<CanonicalField, string>();
            var eachColumns = new List<string>();
            foreach (var (column, mapping) in file.Columns)
            {
                var cat = $"{at}.columns['{column}']";
                var ownFields = new HashSet<CanonicalField>();
                CheckColumnShape(cat, mapping, file, errors);
                if (mapping.Take == "each")
                {
                    eachColumns.Add(column);
                }

                foreach (var (target, tat) in Targets(cat, mapping))
                {
                    if (target.Field is null || !CanonicalFields.TryGet(target.Field, out var field))
                    {
                        var hint = target.Field is not null && CanonicalFields.Closest(target.Field) is { } close ? $"; did you mean '{close}'?" : "";
                        errors.Add(target.Field is null ? $"{tat}: a group mapping needs \"field\"" : $"{tat}: unknown canonical field '{target.Field}'{hint}");
                        continue;
                    }

                    // Two groups of one pattern may fill the same field: they are alternatives, and the first that matched gives it.
                    if (mappedFields.TryGetValue(field, out var other) && !field.MultiValue && !(other == column && mapping.Groups is not null && ownFields.Contains(field)))
                    {
                        errors.Add($"{tat}: field '{field.Path}' is already mapped from column '{other}'");
                    }

                    mappedFields.TryAdd(field, column);
                    ownFields.Add(field);
                    CheckColumn(tat, target, mapping, field, profile, errors);
                    if (file.DisciplineOf is not null)
                    {
                        if (!DisciplineFields.Contains(field) && field != CanonicalFields.CaseNumber && !IsReference(profile, file.DisciplineOf, field))
                        {
                            errors.Add($"{tat}: a file that gives discipline (disciplineOf) maps only the case number, the officer reference of '{file.DisciplineOf}' and discipline fields ({string.Join(", ", DisciplineFields.Select(f => f.Path))}); not '{field.Path}'");
                        }
                    }
                    else if (!holds.Contains(field.Entity) && !IsReference(profile, file.Name, field))
                    {
                        errors.Add($"{tat}: '{field.Path}' belongs to the {field.Entity.ToString().ToLowerInvariant()} entity, which file '{file.Name}' does not hold; " +
                                   $"add \"{field.Entity.ToString().ToLowerInvariant()}\" to holds, or declare a join from '{file.Name}' on it");
                    }

                    if (mapping.Take == "each" && field.Entity != EntityKind.Allegation)
                    {
                        errors.Add($"{tat}.take: \"each\" makes one allegation per value, so it is only for allegation fields; '{field.Path}' is a field of the {field.Entity.ToString().ToLowerInvariant()}");
                    }
                }
            }

            if (eachColumns.Count > 1)
            {
                errors.Add($"{at}.columns: only one column of a file may take \"each\" (here: {string.Join(", ", eachColumns.Select(c => $"'{c}'"))}): one allegation per value of one column");
            }

            CheckConstants($"{at}.constants", file.Constants, file, errors);
            if (file.DisciplineOf is { } of)
            {
                CheckDisciplineOf(at, file, of, profile, mappedFields, errors);
            }
            else if (file.Holds.Count == 0)
            {
                errors.Add($"{at}.holds: a file holds at least one entity (complaint, allegation, officer, complainant), unless it gives discipline to a file of allegations (disciplineOf)");
            }

            if (holds.Contains(EntityKind.Allegation) && !holds.Contains(EntityKind.Officer)
                && !profile.Joins.Any(j => j.File == file.Name && CanonicalFields.ParseEntity(j.Entity) == EntityKind.Officer))
            {
                errors.Add($"{at}: file '{file.Name}' holds allegations but neither holds the officer entity nor joins to it; every allegation names one officer");
            }

            if ((holds.Contains(EntityKind.Allegation) || holds.Contains(EntityKind.Complainant) || holds.Contains(EntityKind.Complaint))
                && !mappedFields.ContainsKey(CanonicalFields.CaseNumber))
            {
                errors.Add($"{at}.columns: file '{file.Name}' holds {string.Join(", ", file.Holds)} but maps no column to 'complaint.caseNumber'");
            }
        }

        foreach (var (entity, files) in holders)
        {
            if (files.Count > 1 && profile.Shape == ExportShape.Joined && entity is EntityKind.Complaint or EntityKind.Officer
                && profile.Joins.Any(j => CanonicalFields.ParseEntity(j.Entity) == entity))
            {
                errors.Add($"$.files: entity '{entity.ToString().ToLowerInvariant()}' is a join target but is held by several files ({string.Join(", ", files)})");
            }
        }

        if (!holders.ContainsKey(EntityKind.Complaint))
        {
            errors.Add("$.files: no file holds the complaint entity");
        }

        if (profile.Shape == ExportShape.Denormalized && profile.Files.Count != 1)
        {
            errors.Add($"$.shape: a denormalized export has exactly one file; this profile lists {profile.Files.Count} (use \"joined\")");
        }

        for (var i = 0; i < profile.Joins.Count; i++)
        {
            CheckJoin($"$.joins[{i}]", profile.Joins[i], profile, holders, errors);
        }

        return errors;
    }

    private static readonly string[] StatusRules = ["column", "closedDate", "findings"];
    private static readonly string[] FinalityRules = ["column", "closedCase", "finalFinding"];
    private static readonly string[] ComplaintRowRules = ["firstNonEmpty", "first", "last"];

    private static void CheckRules(MappingProfile profile, List<string> errors)
    {
        foreach (var (rule, i) in (profile.Rules.Status ?? []).Select((r, i) => (r, i)))
        {
            if (!StatusRules.Contains(rule))
            {
                errors.Add($"$.rules.status[{i}]: '{rule}' is not a status rule ({string.Join(", ", StatusRules)})");
            }
        }

        foreach (var (rule, i) in (profile.Rules.DisciplineFinal ?? []).Select((r, i) => (r, i)))
        {
            if (!FinalityRules.Contains(rule))
            {
                errors.Add($"$.rules.disciplineFinal[{i}]: '{rule}' is not a finality rule ({string.Join(", ", FinalityRules)})");
            }
        }

        if (profile.Rules.ComplaintRows is { } rows && !ComplaintRowRules.Contains(rows))
        {
            errors.Add($"$.rules.complaintRows: '{rows}' is not {string.Join(", ", ComplaintRowRules)}");
        }

        if (profile.Rules.JuvenileAge is < 0 or > 25)
        {
            errors.Add($"$.rules.juvenileAge: {profile.Rules.JuvenileAge} is not an age from 0 (off) to 25");
        }

        var keys = profile.OfficerKeys ?? [];
        foreach (var (key, i) in keys.Select((k, i) => (k, i)))
        {
            if (OfficerRegistry.Parse(key) is null)
            {
                errors.Add($"$.officerKeys[{i}]: '{key}' is not an officer key ({string.Join(", ", Enum.GetValues<OfficerKeyKind>().Select(OfficerRegistry.Name))})");
            }
        }

        if (profile.OfficerKeys is { Count: 0 })
        {
            errors.Add("$.officerKeys: list at least one key (e.g. \"employeeId\")");
        }

        for (var i = 0; i < profile.Files.Count; i++)
        {
            if (profile.Files[i].Duplicates is { } duplicates && duplicates is not ("skip" or "keep"))
            {
                errors.Add($"$.files[{i}].duplicates: '{duplicates}' is not skip or keep");
            }
        }
    }

    /// <summary>The allegation fields a file that gives discipline (<c>disciplineOf</c>) may map.</summary>
    internal static readonly CanonicalField[] DisciplineFields =
    [
        CanonicalFields.RecommendedFinding, CanonicalFields.RecommendedDiscipline, CanonicalFields.RecommendedDisciplineDays,
        CanonicalFields.ImposedDiscipline, CanonicalFields.ImposedDisciplineDays, CanonicalFields.DisciplineFinal, CanonicalFields.DisciplineDate,
    ];

    private static void CheckDisciplineOf(string at, FileMapping file, string of, MappingProfile profile, Dictionary<CanonicalField, string> mappedFields, List<string> errors)
    {
        if (file.Holds.Count > 0)
        {
            errors.Add($"{at}.holds: a file that gives discipline to '{of}' (disciplineOf) holds no entity; its rows give their discipline to that file's allegations");
        }

        var target = profile.Files.FirstOrDefault(f => f.Name == of);
        if (target is null || target == file || !target.Holds.Any(h => CanonicalFields.ParseEntity(h) == EntityKind.Allegation))
        {
            errors.Add($"{at}.disciplineOf: no other file named '{of}' holds allegations (files: {string.Join(", ", profile.Files.Select(f => f.Name))})");
            return;
        }

        if (profile.Joins.FirstOrDefault(j => j.File == of && CanonicalFields.ParseEntity(j.Entity) == EntityKind.Officer) is not { } officerJoin)
        {
            errors.Add($"{at}.disciplineOf: file '{of}' names its officers without a join; a file of discipline is matched to allegations by the case number and the officer join of the allegations file");
            return;
        }

        if (!mappedFields.ContainsKey(CanonicalFields.CaseNumber))
        {
            errors.Add($"{at}.columns: file '{file.Name}' gives discipline but maps no column to 'complaint.caseNumber'");
        }

        foreach (var path in officerJoin.On.Where(p => CanonicalFields.TryGet(p, out var f) && !mappedFields.ContainsKey(f)))
        {
            errors.Add($"{at}.columns: file '{file.Name}' gives discipline to '{of}' but maps no column to '{path}' (the officer join of '{of}')");
        }

        if (!DisciplineFields.Any(mappedFields.ContainsKey))
        {
            errors.Add($"{at}.columns: file '{file.Name}' gives discipline but maps no discipline field ({string.Join(", ", DisciplineFields.Select(f => f.Path))})");
        }
    }

    internal static bool IsReference(MappingProfile profile, string fileName, CanonicalField field) =>
        profile.Joins.Any(j => j.File == fileName && CanonicalFields.ParseEntity(j.Entity) == field.Entity && j.On.Contains(field.Path));

    private static void CheckJoin(string at, JoinMapping join, MappingProfile profile, Dictionary<EntityKind, List<string>> holders, List<string> errors)
    {
        var file = profile.Files.FirstOrDefault(f => f.Name == join.File);
        if (file is null)
        {
            errors.Add($"{at}.file: no file is named '{join.File}' (files: {string.Join(", ", profile.Files.Select(f => f.Name))})");
            return;
        }

        if (CanonicalFields.ParseEntity(join.Entity) is not { } entity)
        {
            errors.Add($"{at}.entity: unknown entity '{join.Entity}'");
            return;
        }

        if (!holders.TryGetValue(entity, out var targets) || targets.All(t => t == join.File))
        {
            errors.Add($"{at}: no other file holds the {join.Entity} entity that '{join.File}' joins to");
            return;
        }

        if (join.On.Count == 0)
        {
            errors.Add($"{at}.on: a join needs at least one field");
        }

        var target = profile.Files.First(f => f.Name == targets.First(t => t != join.File));
        foreach (var path in join.On)
        {
            if (!CanonicalFields.TryGet(path, out var field))
            {
                errors.Add($"{at}.on: unknown canonical field '{path}'");
                continue;
            }

            if (field.Entity != entity)
            {
                errors.Add($"{at}.on: '{path}' is not a field of the {join.Entity} entity");
            }

            if (!file.Columns.Values.SelectMany(c => c.Targets).Any(c => c.Field == path))
            {
                errors.Add($"{at}.on: file '{file.Name}' maps no column to '{path}'");
            }

            if (!target.Columns.Values.SelectMany(c => c.Targets).Any(c => c.Field == path))
            {
                errors.Add($"{at}.on: file '{target.Name}' (which holds {join.Entity}) maps no column to '{path}'");
            }
        }
    }

    /// <summary>The field mappings of a column (itself, or each mapping of each group), with their JSON paths.</summary>
    private static IEnumerable<(ColumnMapping Target, string At)> Targets(string at, ColumnMapping mapping)
    {
        if (mapping.Groups is null)
        {
            yield return (mapping, at);
            yield break;
        }

        foreach (var (group, targets) in mapping.Groups)
        {
            for (var i = 0; i < targets.Count; i++)
            {
                yield return (targets[i], targets.Count == 1 ? $"{at}.groups.{group}" : $"{at}.groups.{group}[{i}]");
            }
        }
    }

    /// <summary>The options that concern the column's cell rather than the fields it fills: combine, pattern and groups, split and take.</summary>
    private static void CheckColumnShape(string at, ColumnMapping mapping, FileMapping file, List<string> errors)
    {
        if (mapping.Field is not null && mapping.Groups is not null)
        {
            errors.Add($"{at}: a column has either \"field\" or \"pattern\" with \"groups\", not both");
        }

        if (mapping.Groups is not null && mapping.Pattern is null)
        {
            errors.Add($"{at}.groups: \"groups\" need a \"pattern\" whose named groups they name");
        }

        if (mapping.Pattern is { } pattern)
        {
            try
            {
                var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                var names = regex.GetGroupNames().Where(n => !int.TryParse(n, out _)).ToHashSet(StringComparer.Ordinal);
                if (mapping.Groups is null)
                {
                    errors.Add($"{at}.pattern: a pattern needs \"groups\": group name -> the field(s) it fills");
                }

                foreach (var group in mapping.Groups?.Keys ?? [])
                {
                    if (!names.Contains(group))
                    {
                        errors.Add($"{at}.groups.{group}: the pattern has no group named '{group}' (its groups: {(names.Count == 0 ? "none" : string.Join(", ", names))}); write (?<{group}>...)");
                    }
                }
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{at}.pattern: not a valid regular expression: {ex.Message}");
            }
        }

        foreach (var other in mapping.Combine ?? [])
        {
            if (string.IsNullOrWhiteSpace(other))
            {
                errors.Add($"{at}.combine: an empty column name");
            }
        }

        if (mapping.Separator is not null && mapping.Combine is null)
        {
            errors.Add($"{at}.separator: a separator goes with \"combine\"");
        }

        if (mapping.Split is { Length: 0 })
        {
            errors.Add($"{at}.split: the separator is empty");
        }

        if (mapping.Take is { } take && take is not ("first" or "last" or "mostSevere" or "each"))
        {
            errors.Add($"{at}.take: '{take}' is not first, last, mostSevere or each");
        }

        _ = file;
    }

    private static void CheckColumn(string at, ColumnMapping mapping, ColumnMapping column, CanonicalField field, MappingProfile profile, List<string> errors)
    {
        if (mapping.Vocabulary is { } vocabulary)
        {
            if (!profile.Vocabularies.TryGetValue(vocabulary, out var vocab))
            {
                var known = profile.Vocabularies.Keys.ToList();
                var hint = Suggest.Closest(vocabulary, known) is { } close ? $"; did you mean '{close}'?" : "";
                errors.Add($"{at}.vocabulary: unknown vocabulary '{vocabulary}' (vocabularies: {(known.Count == 0 ? "none" : string.Join(", ", known))}){hint}");
            }
            else if (field.Kind is not (FieldKind.Coded or FieldKind.CodedText or FieldKind.Boolean))
            {
                errors.Add($"{at}.vocabulary: field '{field.Path}' is {field.Kind.ToString().ToLowerInvariant()}, which takes no vocabulary");
            }
            else
            {
                foreach (var (source, canonical) in vocab.Values.Append(new(vocab.Fallback ?? "", vocab.Fallback ?? "")))
                {
                    if (canonical is null || (canonical.Length == 0 && vocab.Fallback is null))
                    {
                        continue;
                    }

                    if (!ValueConverter.IsCanonical(field, canonical))
                    {
                        errors.Add($"{at}: vocabulary '{vocabulary}' maps '{source}' to '{canonical}', which is not a {ValueConverter.Describe(field)}");
                    }
                }
            }
        }

        if (mapping.Value is { } value)
        {
            if (field.Kind is not (FieldKind.Coded or FieldKind.CodedText or FieldKind.Boolean))
            {
                errors.Add($"{at}.value: field '{field.Path}' is {field.Kind.ToString().ToLowerInvariant()}; \"value\" gives a canonical value to coded, text-coded and yes/no fields");
            }
            else if (!ValueConverter.IsCanonical(field, value))
            {
                errors.Add($"{at}.value: '{value}' is not a {ValueConverter.Describe(field)}");
            }
        }

        // split and take belong to the column; they are checked against each field it fills.
        if (column.Split is not null && field.MultiValue && column.Take is not null)
        {
            errors.Add($"{at}.take: field '{field.Path}' takes every value of a split cell; \"take\" is for fields that hold one value");
        }

        if (column.Take is not null && column.Split is null)
        {
            errors.Add($"{at}.take: \"take\" chooses among the values of a split cell; add \"split\" (a JSON array is split by itself)");
        }
        else if (column.Split is not null && !field.MultiValue && column.Take is null)
        {
            errors.Add($"{at}.split: field '{field.Path}' holds one value; say which value of the split cell it takes with \"take\": first, last, mostSevere or each");
        }

        if (column.Take == "mostSevere" && !Severity.Ranks(field))
        {
            errors.Add($"{at}.take: \"mostSevere\" ranks findings, discipline and numbers (days); '{field.Path}' is {field.Kind.ToString().ToLowerInvariant()}: use first or last");
        }

        if (mapping.NameOrder is { } order && (field.Kind != FieldKind.FullName || order is not ("auto" or "last-first" or "first-last")))
        {
            errors.Add(field.Kind != FieldKind.FullName
                ? $"{at}.nameOrder: only full-name fields take a name order"
                : $"{at}.nameOrder: '{order}' is not auto, last-first or first-last");
        }

        if (mapping.DateFormats is not null && field.Kind != FieldKind.Date && field != CanonicalFields.BirthYear)
        {
            errors.Add($"{at}.dateFormats: field '{field.Path}' is not a date (a birth year takes dateFormats to read the year of a date)");
        }

        if (mapping.Fractions is { } fractions && (field.Kind != FieldKind.Integer || fractions is not ("round" or "truncate")))
        {
            errors.Add(field.Kind != FieldKind.Integer
                ? $"{at}.fractions: only whole-number fields take \"fractions\""
                : $"{at}.fractions: '{fractions}' is not round or truncate");
        }

        CheckDateFormats($"{at}.dateFormats", mapping.DateFormats, errors);
    }

    private static void CheckConstants(string at, IReadOnlyDictionary<string, string> constants, FileMapping? file, List<string> errors)
    {
        foreach (var (path, value) in constants)
        {
            if (!CanonicalFields.TryGet(path, out var field))
            {
                var hint = CanonicalFields.Closest(path) is { } close ? $"; did you mean '{close}'?" : "";
                errors.Add($"{at}: unknown canonical field '{path}'{hint}");
            }
            else if (field.Kind == FieldKind.Coded && !ValueConverter.IsCanonical(field, value))
            {
                errors.Add($"{at}['{path}']: '{value}' is not a {ValueConverter.Describe(field)}");
            }
            else if (file is not null && file.Columns.Values.SelectMany(c => c.Targets).Any(c => c.Field == path))
            {
                errors.Add($"{at}['{path}']: the field is also mapped from a column of file '{file.Name}'");
            }
        }
    }

    private static void CheckVocabulary(string at, VocabularyMapping vocabulary, List<string> errors)
    {
        if (vocabulary.Extract is { } extract)
        {
            try
            {
                var regex = new Regex(extract, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                if (!regex.GetGroupNames().Contains("key"))
                {
                    errors.Add($"{at}.extract: the expression has no group named 'key', e.g. ^(?<key>\\d+)");
                }
            }
            catch (ArgumentException ex)
            {
                errors.Add($"{at}.extract: not a valid regular expression: {ex.Message}");
            }
        }

        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var key in vocabulary.Values.Keys)
        {
            if (!seen.TryAdd(key.Trim(), key))
            {
                errors.Add($"{at}.values: '{key}' and '{seen[key.Trim()]}' are the same source value (lookup ignores case and spaces)");
            }
        }
    }

    private static void CheckFormat(string at, FileFormat format, List<string> errors)
    {
        if (format.Type is { } type && !FilePlan.TypeNames.Contains(type.ToLowerInvariant()))
        {
            errors.Add($"{at}.type: '{type}' is not a file format (csv, json, jsonl, excel)");
        }

        if (format.Records is { } records && Sources.JsonPath.Parse(records, out var pathError) is null)
        {
            errors.Add($"{at}.records: {pathError}");
        }

        if (format.HeaderRow is < 1)
        {
            errors.Add($"{at}.headerRow: rows count from 1");
        }

        if (format.Delimiter is { } delimiter && delimiter != "auto" && (delimiter.Length != 1 || delimiter[0] > 127 || delimiter[0] is '"' or '\r' or '\n'))
        {
            errors.Add($"{at}.delimiter: '{delimiter}' is not one ASCII character (or \"auto\")");
        }

        if (format.Encoding is { } encoding && ResolveEncoding(encoding) is null)
        {
            errors.Add($"{at}.encoding: unknown encoding '{encoding}' (e.g. utf-8, windows-1252, iso-8859-1, utf-16)");
        }

        if (format.Culture is { } culture)
        {
            try
            {
                _ = CultureInfo.GetCultureInfo(culture);
            }
            catch (CultureNotFoundException)
            {
                errors.Add($"{at}.culture: unknown culture '{culture}'");
            }
        }

        CheckDateFormats($"{at}.dateFormats", format.DateFormats, errors);
    }

    private static void CheckDateFormats(string at, IReadOnlyList<string>? formats, List<string> errors)
    {
        foreach (var format in formats ?? [])
        {
            try
            {
                _ = new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Unspecified).ToString(format, CultureInfo.InvariantCulture);
            }
            catch (FormatException)
            {
                errors.Add($"{at}: '{format}' is not a valid date format");
            }
        }
    }

    internal static Encoding? ResolveEncoding(string name)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        try
        {
            return name.ToLowerInvariant() switch
            {
                "utf-8" or "utf8" => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true),
                _ => Encoding.GetEncoding(name),
            };
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
