using System.Globalization;
using System.Text;

namespace OpenConduct.Core.Officers;

/// <summary>The kinds of labelled search query the generator makes (docs/search.md, "Measured on a real roster").</summary>
public static class SearchQueryKinds
{
    /// <summary>The display name as published, in display order ("First Middle Last Suffix").</summary>
    public const string Exact = "exact";

    /// <summary>The name as a roster writes it: "LAST SUFFIX, FIRST MIDDLE", upper case.</summary>
    public const string ExactLastFirst = "exact-last-first";

    /// <summary>The display name with two adjacent letters of the surname swapped.</summary>
    public const string SurnameTransposition = "surname-transposition";

    /// <summary>The display name with one letter of the surname deleted.</summary>
    public const string SurnameDeletion = "surname-deletion";

    /// <summary>The display name with the first name replaced by a common nickname (William: Bill).</summary>
    public const string Nickname = "nickname";

    /// <summary>The current badge as published (else the latest one).</summary>
    public const string Badge = "badge";

    /// <summary>That badge, all digits, with leading zeros added (<c>32395</c>: <c>032395</c>), or removed when it has some (<c>0042</c>: <c>42</c>).</summary>
    public const string BadgeLeadingZeros = "badge-leading-zeros";

    /// <summary>Every kind, in the order the reports list them.</summary>
    public static IReadOnlyList<string> All { get; } = [Exact, ExactLastFirst, SurnameTransposition, SurnameDeletion, Nickname, Badge, BadgeLeadingZeros];
}

/// <summary>
/// One labelled query: what is typed, the officer it was made from, and every officer the query is about (the
/// relevant set: officers indistinguishable by that name or badge).
/// </summary>
public sealed record LabelledQuery(string Kind, string Text, string Target, IReadOnlyList<string> Relevant);

/// <summary>The generated queries and how many officers each kind could be made from (before the per-kind cap).</summary>
public sealed record SearchQuerySet(IReadOnlyList<LabelledQuery> Queries, IReadOnlyDictionary<string, int> Eligible);

/// <summary>
/// An officer as the query generator sees it: the published document's id, display name and badges, with the parts
/// of the name (from the source record whose name the display name is, else split from the display name).
/// </summary>
public sealed record RosterOfficer
{
    private static readonly HashSet<string> Suffixes = new(StringComparer.OrdinalIgnoreCase) { "JR", "SR", "II", "III", "IV" };

    public required string Id { get; init; }

    public required string DisplayName { get; init; }

    public string? FirstName { get; init; }

    public string? MiddleName { get; init; }

    public string? LastName { get; init; }

    public string? Suffix { get; init; }

    /// <summary>Every spelling of the name across sources (the display name included).</summary>
    public IReadOnlyList<string> NameVariants { get; init; } = [];

    public string? CurrentBadge { get; init; }

    /// <summary>Every badge, current and historic.</summary>
    public IReadOnlyList<string> Badges { get; init; } = [];

    /// <summary>
    /// The roster of the officer documents: each one's name parts come from the first of its source records whose name
    /// has the same words as the display name, else from the display name itself (<see cref="From(OfficerDocument, PublishedOfficer?)"/>).
    /// </summary>
    public static IReadOnlyList<RosterOfficer> From(IEnumerable<OfficerDocument> documents, IReadOnlyList<PublishedRecords> sources)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(sources);
        var records = new Dictionary<OfficerSourceRef, PublishedOfficer>();
        foreach (var officer in sources.SelectMany(s => s.Officers))
        {
            records.TryAdd(officer.Ref, officer);
        }

        var roster = new List<RosterOfficer>();
        foreach (var document in documents)
        {
            var key = NameKey(document.DisplayName);
            var parts = document.SourceRefs
                .Select(r => records.GetValueOrDefault(r))
                .FirstOrDefault(o => o is not null && string.Equals(NameKey(o.DisplayName), key, StringComparison.Ordinal));
            roster.Add(From(document, parts));
        }

        return roster;
    }

    /// <summary>
    /// The officer of a document, with the name parts of <paramref name="parts"/> when its name has the display name's
    /// words; otherwise the display name is split: its first word is the first name, its last word (before a
    /// generational suffix: Jr, Sr, II, III, IV) the last name, and the words between the middle name.
    /// </summary>
    public static RosterOfficer From(OfficerDocument document, PublishedOfficer? parts = null)
    {
        ArgumentNullException.ThrowIfNull(document);
        var officer = new RosterOfficer
        {
            Id = document.Id,
            DisplayName = document.DisplayName,
            NameVariants = document.NameVariants,
            CurrentBadge = document.CurrentBadge,
            Badges = document.Badges,
        };
        if (parts is not null && string.Equals(NameKey(parts.DisplayName), NameKey(document.DisplayName), StringComparison.Ordinal))
        {
            return officer with { FirstName = parts.FirstName, MiddleName = parts.MiddleName, LastName = parts.LastName, Suffix = parts.Suffix };
        }

        var words = document.DisplayName.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return officer;
        }

        if (words.Length == 1)
        {
            return officer with { LastName = words[0] };
        }

        var end = words.Length;
        string? suffix = null;
        if (words.Length > 2 && Suffixes.Contains(words[^1].TrimEnd('.')))
        {
            suffix = words[^1];
            end--;
        }

        return officer with
        {
            FirstName = words[0],
            MiddleName = end > 2 ? string.Join(' ', words[1..(end - 1)]) : null,
            LastName = words[end - 1],
            Suffix = suffix,
        };
    }

    /// <summary>What makes two names indistinguishable: the search's normalised words, sorted, joined by a space.</summary>
    public static string NameKey(string? name) => string.Join(' ', OfficerSearchRules.Words(name).Order(StringComparer.Ordinal));

    /// <summary>
    /// What makes two badges the same number: the search's badge key, without leading zeros when it is all digits
    /// (<c>#0042</c>, <c>42</c> and <c>0042</c> are one badge); null for a badge with no letter or digit.
    /// </summary>
    public static string? BadgeIdentity(string? badge)
    {
        var key = OfficerSearchRules.BadgeKey(badge);
        if (key is null || !key.All(char.IsAsciiDigit))
        {
            return key;
        }

        var trimmed = key.TrimStart('0');
        return trimmed.Length == 0 ? "0" : trimmed;
    }
}

/// <summary>
/// Makes labelled search queries from a roster, by rule, for every kind of <see cref="SearchQueryKinds"/>: nothing in
/// it knows a city. Each kind's eligible officers are shuffled with a seeded generator and the first
/// <c>perKind</c> taken, so the same roster and seed give the same queries.
/// </summary>
/// <remarks>
/// <para>Name queries keep every word of the published name and change one thing, so that the officers a query is
/// about are exactly those with the same name: the <b>relevant set</b> of a name query is every officer with a name
/// (the display name or a name variant, as the search matches them) whose <see cref="RosterOfficer.NameKey(string?)"/>
/// is that of the target's display name. The relevant set of a badge query is every officer holding a badge with the
/// target's <see cref="RosterOfficer.BadgeIdentity(string?)"/>.</para>
/// <para>Typos are made in a run of 4 or more letters of the surname (a typo in a shorter word leaves too little to
/// recognise): a transposition swaps two adjacent letters that differ; a deletion removes one letter.</para>
/// </remarks>
public static class SearchQueryGenerator
{
    /// <summary>The default cap of queries per kind.</summary>
    public const int DefaultPerKind = 2000;

    /// <summary>The shortest run of letters a typo is made in.</summary>
    public const int MinTypoRun = 4;

    /// <summary>
    /// Common English nicknames, by the normalised first name, used only to make queries (the search's own
    /// nickname handling, if any, is separate and not consulted).
    /// </summary>
    public static IReadOnlyDictionary<string, string> Nicknames { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["william"] = "Bill", ["robert"] = "Bob", ["richard"] = "Dick", ["james"] = "Jim", ["john"] = "Jack",
        ["joseph"] = "Joe", ["thomas"] = "Tom", ["michael"] = "Mike", ["christopher"] = "Chris", ["daniel"] = "Dan",
        ["anthony"] = "Tony", ["edward"] = "Ed", ["charles"] = "Chuck", ["kenneth"] = "Ken", ["timothy"] = "Tim",
        ["steven"] = "Steve", ["stephen"] = "Steve", ["matthew"] = "Matt", ["patrick"] = "Pat", ["gregory"] = "Greg",
        ["jeffrey"] = "Jeff", ["raymond"] = "Ray", ["ronald"] = "Ron", ["donald"] = "Don", ["gerald"] = "Jerry",
        ["lawrence"] = "Larry", ["nicholas"] = "Nick", ["samuel"] = "Sam", ["andrew"] = "Andy", ["benjamin"] = "Ben",
        ["jonathan"] = "Jon", ["douglas"] = "Doug", ["frederick"] = "Fred", ["alexander"] = "Alex", ["katherine"] = "Kathy",
        ["catherine"] = "Cathy", ["elizabeth"] = "Liz", ["margaret"] = "Peggy", ["jennifer"] = "Jenny", ["patricia"] = "Pat",
        ["deborah"] = "Debbie", ["susan"] = "Sue", ["rebecca"] = "Becky", ["kimberly"] = "Kim", ["victoria"] = "Vicky",
    };

    private delegate string? QueryMaker(RosterOfficer officer, Random random);

    /// <summary>
    /// Generates up to <paramref name="perKind"/> queries of each kind from <paramref name="roster"/>, with their
    /// relevant sets over the whole roster.
    /// </summary>
    public static SearchQuerySet Generate(IReadOnlyList<RosterOfficer> roster, int seed, int perKind = DefaultPerKind)
    {
        ArgumentNullException.ThrowIfNull(roster);
        ArgumentOutOfRangeException.ThrowIfNegative(perKind);
        // By id, so that the queries and their relevant sets (ids in order) do not depend on the roster's order.
        var ordered = roster.OrderBy(o => o.Id, StringComparer.Ordinal).ToArray();
        var byName = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var byBadge = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var officer in ordered)
        {
            foreach (var name in officer.NameVariants.Prepend(officer.DisplayName).Select(RosterOfficer.NameKey).Distinct(StringComparer.Ordinal))
            {
                Add(byName, name, officer.Id);
            }

            foreach (var badge in new[] { officer.CurrentBadge }.Concat(officer.Badges).Select(RosterOfficer.BadgeIdentity).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                Add(byBadge, badge, officer.Id);
            }
        }

        var queries = new List<LabelledQuery>();
        var eligible = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < SearchQueryKinds.All.Count; k++)
        {
            var kind = SearchQueryKinds.All[k];
            var make = Maker(kind);
            var isBadge = kind is SearchQueryKinds.Badge or SearchQueryKinds.BadgeLeadingZeros;

            // Eligibility does not depend on the random choices: a probe with a fixed generator decides it.
            var candidates = ordered.Where(o => make(o, new Random(0)) is not null).ToArray();
            eligible[kind] = candidates.Length;
            var random = new Random(Mix(seed, k));
            random.Shuffle(candidates);
            foreach (var officer in candidates.Take(perKind))
            {
                var text = make(officer, random)!;
                var relevant = (isBadge ? byBadge.GetValueOrDefault(RosterOfficer.BadgeIdentity(Badge(officer)) ?? "") : byName.GetValueOrDefault(RosterOfficer.NameKey(officer.DisplayName)))
                               ?? [officer.Id];
                queries.Add(new LabelledQuery(kind, text, officer.Id, relevant));
            }
        }

        return new SearchQuerySet(queries, eligible);
    }

    /// <summary>The query of one kind for one officer, or null when the officer's name or badge does not allow that kind.</summary>
    public static string? Make(string kind, RosterOfficer officer, Random random)
    {
        ArgumentNullException.ThrowIfNull(officer);
        ArgumentNullException.ThrowIfNull(random);
        return Maker(kind)(officer, random);
    }

    /// <summary>The badge the badge queries use: the current badge, else the latest listed; null without one.</summary>
    public static string? Badge(RosterOfficer officer)
    {
        ArgumentNullException.ThrowIfNull(officer);
        return new[] { officer.CurrentBadge }.Concat(officer.Badges.Reverse()).FirstOrDefault(b => OfficerSearchRules.BadgeKey(b) is not null);
    }

    private static QueryMaker Maker(string kind) => kind switch
    {
        SearchQueryKinds.Exact => (o, _) => OfficerSearchRules.Words(o.DisplayName).Count > 0 ? o.DisplayName : null,
        SearchQueryKinds.ExactLastFirst => (o, _) => LastFirst(o),
        SearchQueryKinds.SurnameTransposition => (o, r) => WithSurname(o, Transpose(o.LastName, r)),
        SearchQueryKinds.SurnameDeletion => (o, r) => WithSurname(o, Delete(o.LastName, r)),
        SearchQueryKinds.Nickname => (o, _) => WithNickname(o),
        SearchQueryKinds.Badge => (o, _) => Badge(o),
        SearchQueryKinds.BadgeLeadingZeros => (o, _) => LeadingZeros(Badge(o)),
        _ => throw new ArgumentException($"unknown query kind '{kind}'", nameof(kind)),
    };

    private static string? LastFirst(RosterOfficer o)
    {
        if (OfficerSearchRules.Words(o.LastName).Count == 0 || OfficerSearchRules.Words(o.FirstName).Count == 0)
        {
            return null;
        }

        return (OfficerNames.Display(null, null, o.LastName, o.Suffix) + ", " + OfficerNames.Display(o.FirstName, o.MiddleName, null, null)).ToUpperInvariant();
    }

    private static string? WithSurname(RosterOfficer o, string? surname) =>
        surname is null ? null : OfficerNames.Display(o.FirstName, o.MiddleName, surname, o.Suffix);

    private static string? WithNickname(RosterOfficer o)
    {
        if (o.FirstName is null || OfficerSearchRules.Words(o.LastName).Count == 0)
        {
            return null;
        }

        var words = o.FirstName.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var normalised = words.Length == 0 ? [] : OfficerSearchRules.Words(words[0]);
        if (normalised.Count != 1 || !Nicknames.TryGetValue(normalised[0], out var nickname))
        {
            return null;
        }

        words[0] = words[0].Any(char.IsLower) ? nickname : nickname.ToUpperInvariant();
        return OfficerNames.Display(string.Join(' ', words), o.MiddleName, o.LastName, o.Suffix);
    }

    /// <summary>The surname with two adjacent, different letters of a run of at least <see cref="MinTypoRun"/> letters swapped (each position keeps its case).</summary>
    private static string? Transpose(string? surname, Random random)
    {
        if (surname is null)
        {
            return null;
        }

        var positions = new List<int>();
        foreach (var (start, length) in LetterRuns(surname))
        {
            for (var i = start; i < start + length - 1; i++)
            {
                if (char.ToLowerInvariant(surname[i]) != char.ToLowerInvariant(surname[i + 1]))
                {
                    positions.Add(i);
                }
            }
        }

        if (positions.Count == 0)
        {
            return null;
        }

        var p = positions[random.Next(positions.Count)];
        var chars = surname.ToCharArray();
        var (a, b) = (chars[p], chars[p + 1]);
        chars[p] = char.IsUpper(a) ? char.ToUpperInvariant(b) : char.ToLowerInvariant(b);
        chars[p + 1] = char.IsUpper(b) ? char.ToUpperInvariant(a) : char.ToLowerInvariant(a);
        return new string(chars);
    }

    /// <summary>The surname with one letter of a run of at least <see cref="MinTypoRun"/> letters deleted (a deleted capital passes its case on).</summary>
    private static string? Delete(string? surname, Random random)
    {
        if (surname is null)
        {
            return null;
        }

        var positions = LetterRuns(surname).SelectMany(r => Enumerable.Range(r.Start, r.Length)).ToList();
        if (positions.Count == 0)
        {
            return null;
        }

        var p = positions[random.Next(positions.Count)];
        var result = new StringBuilder(surname).Remove(p, 1);
        if (char.IsUpper(surname[p]) && p < result.Length && char.IsLetter(result[p]))
        {
            result[p] = char.ToUpperInvariant(result[p]);
        }

        return result.ToString();
    }

    /// <summary>Maximal runs of letters (BMP letters, <see cref="char.IsLetter(char)"/>) of at least <see cref="MinTypoRun"/>.</summary>
    private static IEnumerable<(int Start, int Length)> LetterRuns(string s)
    {
        var start = -1;
        for (var i = 0; i <= s.Length; i++)
        {
            var letter = i < s.Length && char.IsLetter(s[i]);
            if (letter && start < 0)
            {
                start = i;
            }
            else if (!letter && start >= 0)
            {
                if (i - start >= MinTypoRun)
                {
                    yield return (start, i - start);
                }

                start = -1;
            }
        }
    }

    /// <summary>An all-digit badge with leading zeros removed when it has some, else added up to 6 digits (at least one).</summary>
    private static string? LeadingZeros(string? badge)
    {
        // The badge's words as written (the search's key drops leading zeros: the query must keep or add them).
        var words = OfficerSearchRules.Words(badge);
        var key = words.Count == 0 ? null : string.Concat(words);
        if (key is null || !key.All(char.IsAsciiDigit) || key.All(c => c == '0'))
        {
            return null;
        }

        return key[0] == '0' ? key.TrimStart('0') : key.PadLeft(Math.Max(6, key.Length + 1), '0');
    }

    private static void Add(Dictionary<string, List<string>> index, string key, string id)
    {
        if (key.Length == 0)
        {
            return;
        }

        if (!index.TryGetValue(key, out var ids))
        {
            index[key] = ids = [];
        }

        ids.Add(id);
    }

    /// <summary>A well-mixed non-negative seed from two values.</summary>
    private static int Mix(int a, int b) => Seeds.For(a, b);
}

/// <summary>
/// A labelled query set as a file: JSON Lines, one <c>{"kind", "text", "target", "relevant"}</c> per query. A set made
/// from a real roster names real people: it stays outside the repository.
/// </summary>
public static class LabelledQueryFile
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web);

    public static void Write(string path, IEnumerable<LabelledQuery> queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        foreach (var query in queries)
        {
            writer.Write(System.Text.Json.JsonSerializer.Serialize(query, Json));
            writer.Write('\n');
        }
    }

    /// <exception cref="InvalidDataException">A line is not a labelled query (the message names the line).</exception>
    public static IReadOnlyList<LabelledQuery> Read(string path)
    {
        var queries = new List<LabelledQuery>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            LabelledQuery? query;
            try
            {
                query = System.Text.Json.JsonSerializer.Deserialize<LabelledQuery>(line, Json);
            }
            catch (System.Text.Json.JsonException ex)
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}, line {number}: {ex.Message}"), ex);
            }

            if (query is null || string.IsNullOrEmpty(query.Kind) || query.Text is null || string.IsNullOrEmpty(query.Target) || query.Relevant is not { Count: > 0 })
            {
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{path}, line {number}: a labelled query needs a kind, a text, a target and a non-empty relevant list"));
            }

            queries.Add(query);
        }

        return queries;
    }
}
