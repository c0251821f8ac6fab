using OpenConduct.Core.Officers;

namespace OpenConduct.Core.Tests.Officers;

/// <summary>
/// The labelled-query generator and the measures behind the search-eval command, on a hand-made roster of invented
/// officers: what each kind of query makes, the relevant sets, and the recall and MRR arithmetic.
/// </summary>
public sealed class SearchEvaluationTests
{
    private static readonly RosterOfficer Kowalski = Officer("off-a", "William J Kowalski", "William", "J", "Kowalski", ["4127"]);

    /// <summary>
    /// a: the target of most checks. b: a namesake. h: the same name as a variant. f: "Bill Kowalski", who is not the
    /// nickname query's officer. g: held a's badge before. i: holds b's badge without its leading zeros.
    /// </summary>
    private static readonly RosterOfficer[] Roster =
    [
        Kowalski,
        Officer("off-b", "William J Kowalski", "William", "J", "Kowalski", ["0042"]),
        Officer("off-c", "Mary O'Brien", "Mary", null, "O'Brien", ["A-3310"]),
        Officer("off-d", "Li Wu", "Li", null, "Wu", []),
        Officer("off-f", "Bill Kowalski", "Bill", null, "Kowalski", ["9000"]),
        Officer("off-g", "Quentin Abernathy", "Quentin", null, "Abernathy", ["4127", "5000"], current: "5000"),
        Officer("off-h", "Wm Kowalski", "Wm", null, "Kowalski", ["7001"]) with { NameVariants = ["Wm Kowalski", "WILLIAM J. KOWALSKI"] },
        Officer("off-i", "Odile Fenwick", "Odile", null, "Fenwick", ["42", "43"], current: "43"),
    ];

    [Fact]
    public void Exact_queries_are_the_published_name_in_display_order_and_as_a_roster_writes_it()
    {
        var random = new Random(1);
        Assert.Equal("William J Kowalski", SearchQueryGenerator.Make(SearchQueryKinds.Exact, Kowalski, random));
        Assert.Equal("KOWALSKI, WILLIAM J", SearchQueryGenerator.Make(SearchQueryKinds.ExactLastFirst, Kowalski, random));

        var vanDyke = Officer("off-v", "Ann Marie Van Dyke Jr", "Ann Marie", null, "Van Dyke", [], suffix: "Jr");
        Assert.Equal("VAN DYKE JR, ANN MARIE", SearchQueryGenerator.Make(SearchQueryKinds.ExactLastFirst, vanDyke, random));
        Assert.Null(SearchQueryGenerator.Make(SearchQueryKinds.ExactLastFirst, Officer("off-x", "Quillon", null, null, "Quillon", []), random));
    }

    [Fact]
    public void A_transposition_swaps_two_adjacent_different_letters_of_the_surname_and_changes_nothing_else()
    {
        var vanDyke = Officer("off-v", "Ann Marie Van Dyke Jr", "Ann Marie", null, "Van Dyke", [], suffix: "Jr");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var seed = 0; seed < 200; seed++)
        {
            var text = SearchQueryGenerator.Make(SearchQueryKinds.SurnameTransposition, Kowalski, new Random(seed))!;
            var words = text.Split(' ');
            Assert.Equal(["William", "J"], words[..2]);
            var surname = words[2];
            Assert.NotEqual("Kowalski", surname, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(1, OfficerSearchRules.EditDistance(surname.ToLowerInvariant(), "kowalski", 2));
            Assert.Equal("aikklosw", string.Concat(surname.ToLowerInvariant().Order()));
            Assert.True(char.IsUpper(surname[0]) && surname[1..].All(char.IsLower), surname); // each position keeps its case
            seen.Add(surname);

            // Only runs of 4 letters or more: "Van" is never touched, only "Dyke".
            var other = SearchQueryGenerator.Make(SearchQueryKinds.SurnameTransposition, vanDyke, new Random(seed))!;
            Assert.StartsWith("Ann Marie Van ", other, StringComparison.Ordinal);
            Assert.EndsWith(" Jr", other, StringComparison.Ordinal);
            Assert.NotEqual("Dyke", other.Split(' ')[3]);
        }

        Assert.Equal(7, seen.Count); // every adjacent pair of "Kowalski" differs
        Assert.Null(SearchQueryGenerator.Make(SearchQueryKinds.SurnameTransposition, Roster[3], new Random(1))); // "Wu"
        Assert.Equal("Ann Eleee", SearchQueryGenerator.Make(SearchQueryKinds.SurnameTransposition, Officer("off-y", "Ann Leeee", "Ann", null, "Leeee", []), new Random(1))); // only "Le" differs
    }

    [Fact]
    public void A_deletion_removes_one_letter_of_the_surname()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var seed = 0; seed < 200; seed++)
        {
            var text = SearchQueryGenerator.Make(SearchQueryKinds.SurnameDeletion, Kowalski, new Random(seed))!;
            var surname = text["William J ".Length..];
            Assert.Equal(7, surname.Length);
            Assert.Contains(Enumerable.Range(0, 8), i => string.Equals("Kowalski".Remove(i, 1), surname, StringComparison.OrdinalIgnoreCase));
            Assert.True(char.IsUpper(surname[0]), surname);
            seen.Add(surname.ToLowerInvariant());
        }

        Assert.Equal(8, seen.Count);
        Assert.Null(SearchQueryGenerator.Make(SearchQueryKinds.SurnameDeletion, Roster[3], new Random(1)));
        var obrien = SearchQueryGenerator.Make(SearchQueryKinds.SurnameDeletion, Roster[2], new Random(1))!;
        Assert.StartsWith("Mary O'", obrien, StringComparison.Ordinal); // only "Brien" is a run of 4 letters
        Assert.Equal("Mary O'".Length + 4, obrien.Length);
    }

    [Fact]
    public void A_nickname_replaces_the_first_name_when_the_map_has_it()
    {
        var random = new Random(1);
        Assert.Equal("Bill J Kowalski", SearchQueryGenerator.Make(SearchQueryKinds.Nickname, Kowalski, random));
        Assert.Equal("BILL J Kowalski", SearchQueryGenerator.Make(SearchQueryKinds.Nickname, Kowalski with { FirstName = "WILLIAM" }, random)); // the case of the word replaced
        Assert.Equal("Kathy Ann Zell", SearchQueryGenerator.Make(SearchQueryKinds.Nickname, Officer("off-k", "Katherine Ann Zell", "Katherine Ann", null, "Zell", []), random));
        Assert.Null(SearchQueryGenerator.Make(SearchQueryKinds.Nickname, Roster[2], random)); // Mary
        Assert.Null(SearchQueryGenerator.Make(SearchQueryKinds.Nickname, Roster[4], random)); // already Bill
    }

    [Theory]
    [InlineData("4127", "4127", "004127")]
    [InlineData("32395", "32395", "032395")]
    [InlineData("123456", "123456", "0123456")]
    [InlineData("0042", "0042", "42")]
    [InlineData("#0042", "#0042", "42")]
    [InlineData("A-3310", "A-3310", null)]
    [InlineData("0000", "0000", null)]
    public void Badge_queries_are_the_badge_as_published_and_with_or_without_leading_zeros(string badge, string asPublished, string? zeros)
    {
        var officer = Officer("off-z", "Ann Zell", "Ann", null, "Zell", [badge]);
        Assert.Equal(asPublished, SearchQueryGenerator.Make(SearchQueryKinds.Badge, officer, new Random(1)));
        Assert.Equal(zeros, SearchQueryGenerator.Make(SearchQueryKinds.BadgeLeadingZeros, officer, new Random(1)));
    }

    [Fact]
    public void The_badge_used_is_the_current_one_else_the_latest_and_an_officer_without_one_gets_no_badge_query()
    {
        Assert.Equal("5000", SearchQueryGenerator.Badge(Roster[5]));
        Assert.Equal("43", SearchQueryGenerator.Badge(Roster[7] with { CurrentBadge = null }));
        Assert.Null(SearchQueryGenerator.Make(SearchQueryKinds.Badge, Roster[3], new Random(1)));
    }

    [Fact]
    public void Relevant_sets_are_every_officer_with_the_same_name_or_the_same_badge()
    {
        var set = SearchQueryGenerator.Generate(Roster, seed: 5, perKind: 100);

        LabelledQuery Query(string kind, string target) => set.Queries.Single(q => q.Kind == kind && q.Target == target);

        // Name kinds: a, its namesake b, and h whose variant is the same name (punctuation and case aside); not f (Bill).
        foreach (var kind in new[] { SearchQueryKinds.Exact, SearchQueryKinds.ExactLastFirst, SearchQueryKinds.SurnameTransposition, SearchQueryKinds.SurnameDeletion, SearchQueryKinds.Nickname })
        {
            Assert.Equal(["off-a", "off-b", "off-h"], Query(kind, "off-a").Relevant.Order(StringComparer.Ordinal));
        }

        Assert.Equal(["off-c"], Query(SearchQueryKinds.Exact, "off-c").Relevant);

        // Badges: a's 4127 was g's before; b's 0042 is i's 42.
        Assert.Equal(["off-a", "off-g"], Query(SearchQueryKinds.Badge, "off-a").Relevant.Order(StringComparer.Ordinal));
        Assert.Equal(["off-a", "off-g"], Query(SearchQueryKinds.BadgeLeadingZeros, "off-a").Relevant.Order(StringComparer.Ordinal));
        Assert.Equal(["off-b", "off-i"], Query(SearchQueryKinds.Badge, "off-b").Relevant.Order(StringComparer.Ordinal));
        Assert.Equal("42", Query(SearchQueryKinds.BadgeLeadingZeros, "off-b").Text);
        Assert.Equal(["off-g"], Query(SearchQueryKinds.Badge, "off-g").Relevant); // g's current badge, 5000, is g's alone

        Assert.Equal(Roster.Length, set.Eligible[SearchQueryKinds.Exact]);
        Assert.Equal(Roster.Length - 1, set.Eligible[SearchQueryKinds.SurnameDeletion]); // not Wu
        Assert.Equal(2, set.Eligible[SearchQueryKinds.Nickname]); // the two Williams
        Assert.Equal(Roster.Length - 1, set.Eligible[SearchQueryKinds.Badge]); // not Wu
        Assert.Equal(Roster.Length - 2, set.Eligible[SearchQueryKinds.BadgeLeadingZeros]); // nor A-3310
    }

    [Fact]
    public void Sampling_is_seeded_capped_per_kind_and_independent_of_the_roster_order()
    {
        var a = SearchQueryGenerator.Generate(Roster, seed: 9, perKind: 3);
        var b = SearchQueryGenerator.Generate([.. Roster.Reverse()], seed: 9, perKind: 3);

        Assert.Equal(a.Queries, b.Queries, QueryComparer.Instance);
        Assert.All(a.Queries.GroupBy(q => q.Kind), g => Assert.True(g.Count() <= 3));
        Assert.Equal(3, a.Queries.Count(q => q.Kind == SearchQueryKinds.Exact));
        Assert.Equal(2, a.Queries.Count(q => q.Kind == SearchQueryKinds.Nickname)); // the two Williams only
        Assert.Empty(SearchQueryGenerator.Generate(Roster, seed: 9, perKind: 0).Queries);
        var seeds = Enumerable.Range(0, 20).Select(s => string.Join(",", SearchQueryGenerator.Generate(Roster, s, 3).Queries.Where(q => q.Kind == SearchQueryKinds.Exact).Select(q => q.Target)));
        Assert.True(seeds.Distinct().Count() > 1, "the seed chooses the sample");
    }

    [Fact]
    public void Name_parts_come_from_the_source_record_with_the_display_names_words_else_from_the_display_name()
    {
        var document = new OfficerDocument
        {
            Id = "off-v",
            DisplayName = "Ann Marie Van Dyke Jr",
            NameVariants = ["Ann Marie Van Dyke Jr", "Ann Vandyke"],
            SourceRefs = [new("IAU", "o-1"), new("OPCR", "o-2")],
        };
        var records = new PublishedRecords(
            [
                new PublishedOfficer { Source = "IAU", OfficerRef = "o-1", FirstName = "Ann", LastName = "Vandyke" },
                new PublishedOfficer { Source = "OPCR", OfficerRef = "o-2", FirstName = "Ann Marie", LastName = "Van Dyke", Suffix = "Jr" },
            ],
            []);

        var fromParts = Assert.Single(RosterOfficer.From([document], [records]));
        Assert.Equal(("Ann Marie", null, "Van Dyke", "Jr"), (fromParts.FirstName, fromParts.MiddleName, fromParts.LastName, fromParts.Suffix));

        var split = RosterOfficer.From(document);
        Assert.Equal(("Ann", "Marie Van", "Dyke", "Jr"), (split.FirstName, split.MiddleName, split.LastName, split.Suffix));
        Assert.Equal(("Ann", null, "Zell", null), Parts(RosterOfficer.From(document with { DisplayName = "Ann Zell" })));
        Assert.Equal((null, null, "Zephyrine", null), Parts(RosterOfficer.From(document with { DisplayName = "Zephyrine" })));

        static (string?, string?, string?, string?) Parts(RosterOfficer o) => (o.FirstName, o.MiddleName, o.LastName, o.Suffix);
    }

    [Fact]
    public void The_rank_of_the_first_relevant_hit_and_the_figures_of_a_hand_made_ranking()
    {
        Assert.Equal(2, SearchEvaluation.FirstRelevantRank(["x", "y", "z"], ["z", "y"]));
        Assert.Equal(1, SearchEvaluation.FirstRelevantRank(["y"], ["y"]));
        Assert.Null(SearchEvaluation.FirstRelevantRank(["x", "y"], ["q"]));
        Assert.Null(SearchEvaluation.FirstRelevantRank([], ["q"]));

        var figures = SearchEvaluation.KindFigures.From("k", [1, 3, null, 2, 10, 11]);

        Assert.Equal(6, figures.Queries);
        Assert.Equal(1.0 / 6, figures.RecallAt1, 12);
        Assert.Equal(4.0 / 6, figures.RecallAt10, 12); // 11 is beyond the depth read: a miss
        Assert.Equal((1 + (1.0 / 3) + (1.0 / 2) + (1.0 / 10)) / 6, figures.Mrr, 12);
        Assert.Equal(["0.999", "1.000", "0.950", "0.333", "0.000"], new[] { 1999.0 / 2000, 1.0, 19.0 / 20, 1.0 / 3, 0.0 }.Select(SearchEvaluation.Down));
        Assert.Equal((0, 0.0, 0.0), (SearchEvaluation.KindFigures.From("none", []).Queries, SearchEvaluation.KindFigures.From("none", []).RecallAt1, SearchEvaluation.KindFigures.From("none", []).Mrr));
    }

    [Fact]
    public async Task A_run_scores_each_query_by_its_index_ranking_and_prints_the_table_and_the_targets()
    {
        var index = new RankingIndex(new Dictionary<string, string[]>
        {
            ["Ann Zell"] = ["off-1", "off-2"],
            ["Bo Yu"] = ["off-9", "off-3"],
            ["Zell, Ann"] = ["off-2"],
            ["0042"] = ["off-4"],
        });
        LabelledQuery[] queries =
        [
            new(SearchQueryKinds.Exact, "Ann Zell", "off-1", ["off-1"]),
            new(SearchQueryKinds.Exact, "Bo Yu", "off-3", ["off-3"]),
            new(SearchQueryKinds.ExactLastFirst, "Zell, Ann", "off-1", ["off-1", "off-2"]),
            new(SearchQueryKinds.Badge, "0042", "off-4", ["off-4"]),
            new(SearchQueryKinds.SurnameDeletion, "Ann Zel", "off-1", ["off-1"]),
            new("custom", "Ann Zell", "off-2", ["off-2"]),
        ];

        var report = await SearchEvaluation.RunAsync("hand-made", index, queries, officers: 5, maxMisses: 1);

        Assert.Equal((2, 1, 2, 0.75), (report[SearchQueryKinds.Exact].Queries, report[SearchQueryKinds.Exact].AtOne, report[SearchQueryKinds.Exact].AtTen, report[SearchQueryKinds.Exact].Mrr));
        Assert.Equal(1.0, report[SearchQueryKinds.ExactLastFirst].RecallAt1); // a namesake first is relevant
        Assert.Equal(1, report[SearchQueryKinds.ExactLastFirst].SeveralRelevant);
        Assert.Equal(0.0, report[SearchQueryKinds.SurnameDeletion].RecallAt10);
        Assert.Equal(0.5, report["custom"].Mrr);
        Assert.Equal(SearchQueryKinds.All.Append("custom"), report.Kinds.Select(k => k.Kind));
        Assert.Equal(3, report.Misses.Count); // one per kind at most: exact, surname-deletion, custom
        Assert.Contains(report.Misses, m => m.Contains("\"Bo Yu\" for off-3: rank 2 of 2 matches", StringComparison.Ordinal));

        var markdown = report.ToMarkdown();
        Assert.StartsWith("hand-made: 6 queries over 5 officers.\n\n| Kind | Queries | Recall@1 | Recall@10 | MRR | Target | Met |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| exact | 2 | 0.500 | 1.000 | 0.750 | recall@1 ≥ 0.99 | **no** |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| exact-last-first | 1 | 1.000 | 1.000 | 1.000 | recall@1 ≥ 0.99 | yes |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| surname-transposition | 0 | - | - | - | recall@1 ≥ 0.85, recall@10 ≥ 0.99 | **no** |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| nickname | 0 | - | - | - | - | - |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| badge | 1 | 1.000 | 1.000 | 1.000 | recall@1 ≥ 0.99 | yes |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("| custom | 1 | 0.000 | 1.000 | 0.500 | - | - |\n", markdown, StringComparison.Ordinal);
        Assert.Contains("Targets met: 2 of 8.", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("Ann", markdown, StringComparison.Ordinal); // figures only
    }

    [Fact]
    public void A_query_set_file_round_trips_and_a_bad_line_is_named()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "queries.jsonl");
        var queries = SearchQueryGenerator.Generate(Roster, seed: 3, perKind: 2).Queries;

        LabelledQueryFile.Write(path, queries);

        Assert.Equal(queries, LabelledQueryFile.Read(path), QueryComparer.Instance);
        Assert.StartsWith("{\"kind\":\"exact\",\"text\":", File.ReadLines(path).First(), StringComparison.Ordinal);

        File.AppendAllText(path, "\n{\"kind\":\"exact\",\"text\":\"x\",\"target\":\"off-a\"}\n");
        var error = Assert.Throws<InvalidDataException>(() => LabelledQueryFile.Read(path));
        Assert.Contains(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"line {queries.Count + 2}"), error.Message, StringComparison.Ordinal);
    }

    private static RosterOfficer Officer(string id, string display, string? first, string? middle, string? last, string[] badges, string? current = null, string? suffix = null) => new()
    {
        Id = id,
        DisplayName = display,
        NameVariants = [display],
        FirstName = first,
        MiddleName = middle,
        LastName = last,
        Suffix = suffix,
        Badges = badges,
        CurrentBadge = current ?? badges.LastOrDefault(),
    };

    private sealed class QueryComparer : IEqualityComparer<LabelledQuery>
    {
        public static readonly QueryComparer Instance = new();

        public bool Equals(LabelledQuery? x, LabelledQuery? y) =>
            x is not null && y is not null && (x.Kind, x.Text, x.Target) == (y.Kind, y.Text, y.Target) && x.Relevant.SequenceEqual(y.Relevant);

        public int GetHashCode(LabelledQuery obj) => HashCode.Combine(obj.Kind, obj.Text, obj.Target);
    }

    /// <summary>An index that answers each text with a fixed ranking (ids), so that every figure is known in advance.</summary>
    private sealed class RankingIndex(Dictionary<string, string[]> rankings) : IOfficerIndex
    {
        public Task PublishAsync(string generation, IEnumerable<OfficerDocument> documents, IProgress<string>? progress = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<string?> GetGenerationAsync(CancellationToken cancellationToken = default) => Task.FromResult<string?>("g");

        public Task<OfficerSearchResult> SearchAsync(OfficerQuery query, CancellationToken cancellationToken = default)
        {
            var ids = rankings.GetValueOrDefault(query.Text) ?? [];
            var hits = ids.Take(query.Take).Select(id => new OfficerHit(id, "Officer " + id, null, [], null, null, 1, OfficerMatch.Prefix)).ToList();
            return Task.FromResult(new OfficerSearchResult(hits, ids.Length));
        }

        public Task<OfficerDocument?> GetAsync(string id, CancellationToken cancellationToken = default) => Task.FromResult<OfficerDocument?>(null);
    }
}
