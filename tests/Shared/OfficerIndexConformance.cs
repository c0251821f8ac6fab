using System.Text.Json;
using OpenConduct.Core.Officers;

namespace OpenConduct.Tests.Shared;

/// <summary>
/// The behaviour every <see cref="IOfficerIndex"/> shares (docs/search.md): one suite, run against the embedded Lucene
/// index and against Azure AI Search. A subclass creates an empty index per test (<see cref="CreateIndexAsync"/>), may
/// skip when its service is absent (<see cref="SkipUnlessAvailable"/>), and cleans up in <see cref="CleanupAsync"/>.
/// Depends only on Core, xunit and Xunit.SkippableFact.
/// </summary>
public abstract class OfficerIndexConformance : IAsyncLifetime
{
    /// <summary>The generation the read-only tests publish <see cref="ConformanceData.All"/> as.</summary>
    protected const string FirstGeneration = "gen-1";

    /// <summary>A new, empty index (no generation published), private to the calling test.</summary>
    protected abstract Task<IOfficerIndex> CreateIndexAsync();

    /// <summary>Skips the test (Skip.If...) when what the index needs is absent; called first by every test.</summary>
    protected virtual void SkipUnlessAvailable()
    {
    }

    /// <summary>Deletes what the test created; runs after each test.</summary>
    protected virtual Task CleanupAsync() => Task.CompletedTask;

    /// <summary>
    /// An index serving <see cref="ConformanceData.All"/> as <see cref="FirstGeneration"/>, only searched by the caller.
    /// A slow index (a search service) may override this to share one published index between tests.
    /// </summary>
    protected virtual async Task<IOfficerIndex> PublishedIndexAsync()
    {
        var index = await CreateIndexAsync();
        await index.PublishAsync(FirstGeneration, ConformanceData.All);
        return index;
    }

    Task IAsyncLifetime.InitializeAsync() => Task.CompletedTask;

    Task IAsyncLifetime.DisposeAsync() => CleanupAsync();

    [SkippableFact]
    public async Task An_empty_index_finds_nothing_and_has_no_generation()
    {
        SkipUnlessAvailable();
        var index = await CreateIndexAsync();

        Assert.Null(await index.GetGenerationAsync());
        var result = await index.SearchAsync(new OfficerQuery { Text = "Kowalski" });
        Assert.Empty(result.Hits);
        Assert.Equal(0, result.Total);
        Assert.Null(await index.GetAsync(ConformanceData.Kowalski.Id));
    }

    [SkippableFact]
    public async Task Publishing_sets_the_generation()
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        Assert.Equal(FirstGeneration, await index.GetGenerationAsync());
    }

    [SkippableTheory]
    [InlineData("Chr")]
    [InlineData("chris")]
    [InlineData("Kow")]
    [InlineData("kowa")]
    [InlineData("chris kow")]
    [InlineData("kow chr")]
    [InlineData("C Kowalski")]
    public async Task Type_ahead_finds_partial_first_and_last_names(string text)
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        var hit = Assert.Single((await index.SearchAsync(new OfficerQuery { Text = text })).Hits, h => h.Id == ConformanceData.Kowalski.Id);
        Assert.Equal(OfficerMatch.Prefix, hit.Match);
    }

    [SkippableTheory]
    [InlineData("Kowalsky", "off-00000000000000c1")]   // 1 substitution (8 letters: 2 edits allowed)
    [InlineData("Kowlaski", "off-00000000000000c1")]   // 1 transposition
    [InlineData("Kovalsky", "off-00000000000000c1")]   // 2 substitutions
    [InlineData("Kowalskii", "off-00000000000000c1")]  // 1 insertion
    [InlineData("Christoper Kowalsky", "off-00000000000000c1")]
    [InlineData("Hlom", "off-00000000000000c2")]       // 4 letters: 1 transposition
    [InlineData("Ingrid Hilm", "off-00000000000000c2")] // 4 letters: 1 substitution
    [InlineData("Ann Lea", "off-00000000000000b1")]    // 3 letters: 1 substitution
    public async Task Typos_within_the_allowed_edits_are_tolerated(string text, string id)
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        var hit = Assert.Single((await index.SearchAsync(new OfficerQuery { Text = text, Take = 50 })).Hits, h => h.Id == id);
        Assert.Equal(OfficerMatch.Fuzzy, hit.Match);
    }

    [SkippableTheory]
    [InlineData("Kavalsky", "off-00000000000000c1")]   // 3 substitutions
    [InlineData("Kowlaksy", "off-00000000000000c1")]   // 3 edits (2 transpositions and a substitution)
    [InlineData("Halb", "off-00000000000000c2")]       // 4 letters: 2 substitutions
    [InlineData("Ingrid Hx", "off-00000000000000c2")]  // 2 letters: prefix only
    [InlineData("John R Smithers", "off-00000000000000c7")] // 1 letter: prefix only
    public async Task Typos_beyond_the_allowed_edits_are_not_matched(string text, string id)
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        Assert.DoesNotContain((await index.SearchAsync(new OfficerQuery { Text = text, Take = 50 })).Hits, h => h.Id == id);
    }

    [SkippableTheory]
    [InlineData("1957")]     // historic
    [InlineData("A-3310")]   // current
    [InlineData("a3310")]
    [InlineData("A 3310")]
    [InlineData(" #A-3310 ")]
    public async Task Badges_current_and_historic_match_as_badges(string text)
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        var result = await index.SearchAsync(new OfficerQuery { Text = text });
        var hit = Assert.Single(result.Hits);
        Assert.Equal(1, result.Total);
        var xiong = ConformanceData.Xiong;
        Assert.Equal(new OfficerHit(xiong.Id, xiong.DisplayName, "A-3310", hit.Badges, xiong.Rank, xiong.Unit, 3, OfficerMatch.Badge)
        {
            Sources = hit.Sources, EmployeeIds = hit.EmployeeIds, FirstComplaintYear = 2000, LastComplaintYear = 2002,
        }, hit);
        Assert.Equal(["OPCR"], hit.Sources);
        Assert.Empty(hit.EmployeeIds);
        Assert.Equal(new[] { "1957", "A-3310" }, hit.Badges);
    }

    [SkippableTheory]
    [InlineData("771")]      // published as 00771
    [InlineData("0771")]
    [InlineData("000771")]
    public async Task Badges_match_with_or_without_leading_zeros(string text)
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        var hit = Assert.Single((await index.SearchAsync(new OfficerQuery { Text = text })).Hits);
        Assert.Equal((ConformanceData.Tanaka.Id, OfficerMatch.Badge), (hit.Id, hit.Match));
    }

    [SkippableFact]
    public async Task Within_a_tier_the_closest_name_ranks_first_whatever_the_complaints()
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        var jonson = await index.SearchAsync(new OfficerQuery { Text = "jonson" });
        Assert.Equal(
            new[] { (ConformanceData.JasonJohnson.Id, OfficerMatch.Fuzzy), (ConformanceData.JasonCarlson.Id, OfficerMatch.Fuzzy) },
            jonson.Hits.Select(h => (h.Id, h.Match)));

        var berg = await index.SearchAsync(new OfficerQuery { Text = "berg" });
        Assert.Equal(
            new[] { (ConformanceData.FuzzyTier.Id, OfficerMatch.Prefix), (ConformanceData.Bergstrom.Id, OfficerMatch.Prefix) },
            berg.Hits.Select(h => (h.Id, h.Match)));
    }

    [SkippableTheory]
    [InlineData("Bill Tanaka", OfficerMatch.Prefix)]   // a nickname of the first name
    [InlineData("TANAKA, BILL", OfficerMatch.Prefix)]  // in either order
    [InlineData("Billy Tanaka", OfficerMatch.Prefix)]
    [InlineData("William Tanaka", OfficerMatch.ExactName)]
    [InlineData("W Tanaka", OfficerMatch.Prefix)]      // an initial
    public async Task Nicknames_name_orders_and_initials_find_the_officer(string text, OfficerMatch match)
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        var hit = Assert.Single((await index.SearchAsync(new OfficerQuery { Text = text })).Hits);
        Assert.Equal((ConformanceData.Tanaka.Id, match), (hit.Id, hit.Match));
    }

    [SkippableTheory]
    [InlineData("delacruz", OfficerMatch.Prefix)]
    [InlineData("de la cruz", OfficerMatch.Prefix)]
    [InlineData("Cruz Marta", OfficerMatch.Prefix)]
    [InlineData("Marta De La Cruz", OfficerMatch.ExactName)]
    [InlineData("DE LA CRUZ, MARTA", OfficerMatch.ExactName)]
    [InlineData("Marta Delacrus", OfficerMatch.Fuzzy)]
    [InlineData("bergstromlind", OfficerMatch.Prefix)] // a hyphenated surname as one word
    [InlineData("lind tove", OfficerMatch.Prefix)]
    public async Task Compound_and_hyphenated_surnames_are_found_whole_or_in_parts(string text, OfficerMatch match)
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        var hits = (await index.SearchAsync(new OfficerQuery { Text = text })).Hits;
        var expected = text.Contains("berg", StringComparison.Ordinal) || text.Contains("tove", StringComparison.Ordinal) ? ConformanceData.Bergstrom : ConformanceData.DeLaCruz;
        Assert.Equal((expected.Id, match), (hits[0].Id, hits[0].Match));
    }

    [SkippableTheory]
    [InlineData("name not published")]
    [InlineData("published")]
    [InlineData("Officer")]
    [InlineData("not")]
    public async Task An_officer_whose_name_is_not_published_is_never_found_by_the_label(string text)
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        Assert.DoesNotContain((await index.SearchAsync(new OfficerQuery { Text = text, Take = 50 })).Hits, h => h.Id == ConformanceData.Unnamed.Id);
    }

    [SkippableTheory]
    [InlineData("HX-20417")]
    [InlineData("hx20417")]
    public async Task An_officer_whose_name_is_not_published_is_found_by_the_published_identifier(string text)
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        var hit = Assert.Single((await index.SearchAsync(new OfficerQuery { Text = text })).Hits);
        Assert.Equal((ConformanceData.Unnamed.Id, OfficerMatch.Badge), (hit.Id, hit.Match));
        Assert.False(hit.NamePublished);
        Assert.Equal("Officer (name not published)", hit.DisplayName);
        Assert.Equal(["HX-20417"], hit.EmployeeIds);
        Assert.Equal(["IAU"], hit.Sources);
        Assert.Equal((2000, 2001), (hit.FirstComplaintYear, hit.LastComplaintYear));
    }

    [SkippableFact]
    public async Task A_hit_carries_what_tells_people_of_one_name_apart()
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        var hit = Assert.Single((await index.SearchAsync(new OfficerQuery { Text = "0712" })).Hits);
        var kowalski = ConformanceData.Kowalski;
        Assert.Equal(kowalski.Id, hit.Id);
        Assert.Equal(["CRA", "IAU", "OPCR"], hit.Sources);
        Assert.Equal((kowalski.Rank, kowalski.Unit, "0712"), (hit.Rank, hit.Unit, hit.CurrentBadge));
        Assert.Equal((kowalski.FirstComplaintYear, kowalski.LastComplaintYear), (hit.FirstComplaintYear, hit.LastComplaintYear));
        Assert.True(hit.NamePublished);
    }

    [SkippableFact]
    public async Task A_badge_beats_an_exact_name_beats_a_prefix_beats_a_fuzzy_match_whatever_the_complaints()
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        var result = await index.SearchAsync(new OfficerQuery { Text = "4127" });

        Assert.Equal(ConformanceData.TierOrder.Select(o => o.Id), result.Hits.Select(h => h.Id));
        Assert.Equal(new[] { OfficerMatch.Badge, OfficerMatch.ExactName, OfficerMatch.Prefix, OfficerMatch.Fuzzy }, result.Hits.Select(h => h.Match));
        Assert.Equal(4, result.Total);
    }

    [SkippableFact]
    public async Task Within_a_tier_more_complaints_rank_first_then_display_name_then_id()
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        var result = await index.SearchAsync(new OfficerQuery { Text = "Ann Lee" });

        Assert.Equal(ConformanceData.AnnLeeOrder.Select(e => (e.Officer.Id, e.Match)), result.Hits.Select(h => (h.Id, h.Match)));
        Assert.Equal(ConformanceData.AnnLeeOrder.Select(e => e.Officer.Summary.Complaints), result.Hits.Select(h => h.Complaints));
        Assert.Equal(6, result.Total);
    }

    [SkippableTheory]
    [InlineData("Christopher M. Kowalski")]
    [InlineData("Christopher M Kowalski")]
    [InlineData("KOWALSKI, CHRISTOPHER")]
    [InlineData("Kowalski Christopher M")]  // any order
    [InlineData("Christopher Kowalski")]    // the middle initial may be left out
    [InlineData("Chris Kowalski")]          // a name variant
    public async Task Full_names_in_any_order_and_variants_match_exactly(string text)
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        var result = await index.SearchAsync(new OfficerQuery { Text = text });

        Assert.Equal(ConformanceData.Kowalski.Id, result.Hits[0].Id);
        Assert.Equal(OfficerMatch.ExactName, result.Hits[0].Match);
    }

    [SkippableTheory]
    [InlineData("jose", "off-00000000000000c3", OfficerMatch.Prefix)]
    [InlineData("JOSÉ", "off-00000000000000c3", OfficerMatch.Prefix)]
    [InlineData("martinez", "off-00000000000000c3", OfficerMatch.Prefix)]
    [InlineData("jose martinez garcia", "off-00000000000000c3", OfficerMatch.ExactName)]
    [InlineData("García, José Martínez", "off-00000000000000c3", OfficerMatch.ExactName)]
    [InlineData("Soren Odegard", "off-00000000000000c4", OfficerMatch.ExactName)]
    [InlineData("SØREN", "off-00000000000000c4", OfficerMatch.Prefix)]
    [InlineData("obrien", "off-00000000000000c5", OfficerMatch.Prefix)]
    [InlineData("O'Brien Siobhan", "off-00000000000000c5", OfficerMatch.ExactName)]
    [InlineData("john smithers", "off-00000000000000c7", OfficerMatch.ExactName)]
    [InlineData("J Smithers", "off-00000000000000c7", OfficerMatch.Prefix)]
    public async Task Case_accents_and_punctuation_are_ignored(string text, string id, OfficerMatch match)
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        var hit = Assert.Single((await index.SearchAsync(new OfficerQuery { Text = text })).Hits, h => h.Id == id);
        Assert.Equal(match, hit.Match);
    }

    [SkippableFact]
    public async Task Pages_are_cut_from_the_ranking_and_take_is_capped_at_50()
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();
        async Task<OfficerSearchResult> Page(int skip, int take) => await index.SearchAsync(new OfficerQuery { Text = "quennell", Skip = skip, Take = take });
        static int[] Complaints(OfficerSearchResult r) => [.. r.Hits.Select(h => h.Complaints)];

        var first = await Page(0, 10);
        Assert.Equal(60, first.Total);
        Assert.Equal(Enumerable.Range(50, 10).Reverse(), Complaints(first));

        var capped = await Page(0, 1_000);
        Assert.Equal(OfficerQuery.MaxTake, capped.Hits.Count);
        Assert.Equal(60, capped.Total);
        Assert.Equal(Enumerable.Range(10, 50).Reverse(), Complaints(capped));

        var last = await Page(50, 50);
        Assert.Equal(Enumerable.Range(0, 10).Reverse(), Complaints(last));
        Assert.Equal(60, last.Total);

        Assert.Equal(new[] { 1, 0 }, Complaints(await Page(58, 5)));
        var beyond = await Page(1_000, 10);
        Assert.Empty(beyond.Hits);
        Assert.Equal(60, beyond.Total);

        Assert.Equal(new[] { 59 }, Complaints(await Page(0, 0)));        // take below 1 counts as 1
        Assert.Equal(new[] { 59, 58 }, Complaints(await Page(-5, 2)));   // skip below 0 counts as 0
        Assert.Equal(new[] { 59 }, Complaints(await Page(0, -3)));
        Assert.Equal(Complaints(first), Complaints(await index.SearchAsync(new OfficerQuery { Text = "quennell" })));  // default take is 10
    }

    [SkippableFact]
    public async Task Get_returns_the_whole_document_or_null()
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        var expected = ConformanceData.Kowalski;
        var actual = await index.GetAsync(expected.Id);

        Assert.NotNull(actual);
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
        Assert.Equal(expected.NameVariants, actual.NameVariants);
        Assert.Equal(expected.Badges, actual.Badges);
        Assert.Equal(expected.SourceRefs, actual.SourceRefs);
        Assert.Equal(expected.Summary, actual.Summary);
        Assert.Equal(expected.Complaints.Count, actual.Complaints.Count);
        var none = Array.Empty<AllegationHistoryEntry>();
        for (var i = 0; i < expected.Complaints.Count; i++)
        {
            Assert.Equal(expected.Complaints[i] with { Allegations = none }, actual.Complaints[i] with { Allegations = none });
            Assert.Equal(expected.Complaints[i].Allegations, actual.Complaints[i].Allegations);
        }

        foreach (var officer in ConformanceData.All)
        {
            Assert.Equal(JsonSerializer.Serialize(officer), JsonSerializer.Serialize(await index.GetAsync(officer.Id)));
        }

        Assert.Null(await index.GetAsync("off-ffffffffffffffff"));
        Assert.Null(await index.GetAsync(""));
        Assert.Null(await index.GetAsync("off-00000000000000C1"));   // ids are case-sensitive
        Assert.Null(await index.GetAsync("*"));
        Assert.Null(await index.GetAsync("' or Id ne '"));
    }

    [SkippableFact]
    public async Task Hostile_input_never_throws_and_matches_nothing()
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        foreach (var text in ConformanceData.HostileInputs)
        {
            var result = await index.SearchAsync(new OfficerQuery { Text = text, Take = 50 });
            Assert.True(result.Total == 0 && result.Hits.Count == 0, $"'{Printable(text)}' found {result.Total}: {string.Join(", ", result.Hits.Select(h => h.DisplayName))}");
        }

        foreach (var text in ConformanceData.HostileAroundKowalski)
        {
            var result = await index.SearchAsync(new OfficerQuery { Text = text, Take = 50 });
            Assert.Equal(new[] { ConformanceData.Kowalski.Id }, result.Hits.Select(h => h.Id));
        }

        var nullText = await index.SearchAsync(new OfficerQuery { Text = null! });
        Assert.Equal(0, nullText.Total);
    }

    [SkippableFact]
    public async Task Only_the_first_ten_words_count()
    {
        SkipUnlessAvailable();
        var index = await PublishedIndexAsync();

        // Ten words that all start Kowalski's names, then one that matches nothing: ignored.
        var text = string.Join(' ', Enumerable.Repeat("kow", 10)) + " zzzzzz";
        var hit = Assert.Single((await index.SearchAsync(new OfficerQuery { Text = text })).Hits);
        Assert.Equal(ConformanceData.Kowalski.Id, hit.Id);
        Assert.Empty((await index.SearchAsync(new OfficerQuery { Text = "zzzzzz " + string.Join(' ', Enumerable.Repeat("kow", 10)) })).Hits);
    }

    [SkippableFact]
    public async Task A_second_generation_replaces_the_first()
    {
        SkipUnlessAvailable();
        var index = await CreateIndexAsync();
        await index.PublishAsync("gen-1", ConformanceData.All);
        Assert.Single((await index.SearchAsync(new OfficerQuery { Text = "kowalski" })).Hits);

        await index.PublishAsync("gen-2", ConformanceData.SecondGeneration);

        Assert.Equal("gen-2", await index.GetGenerationAsync());
        var gone = await index.SearchAsync(new OfficerQuery { Text = "kowalski" });
        Assert.Empty(gone.Hits);
        Assert.Equal(0, gone.Total);
        Assert.Null(await index.GetAsync(ConformanceData.Kowalski.Id));
        Assert.Equal("off-00000000000000d1", Assert.Single((await index.SearchAsync(new OfficerQuery { Text = "quist" })).Hits).Id);
        var renamed = Assert.Single((await index.SearchAsync(new OfficerQuery { Text = "dahl" })).Hits);
        Assert.Equal(("off-00000000000000c2", "Ingrid Holm-Dahl"), (renamed.Id, renamed.DisplayName));
        Assert.Equal("Ingrid Holm-Dahl", (await index.GetAsync("off-00000000000000c2"))?.DisplayName);
        Assert.Equal(2, (await index.SearchAsync(new OfficerQuery { Text = "q" })).Total + (await index.SearchAsync(new OfficerQuery { Text = "i" })).Total);

        // Re-publishing a generation replaces it too.
        await index.PublishAsync("gen-2", [ConformanceData.Holm]);
        Assert.Equal("gen-2", await index.GetGenerationAsync());
        Assert.Empty((await index.SearchAsync(new OfficerQuery { Text = "quist" })).Hits);
        Assert.Equal("Ingrid Holm", Assert.Single((await index.SearchAsync(new OfficerQuery { Text = "holm" })).Hits).DisplayName);
    }

    private static string Printable(string text) =>
        text.Length > 40 ? Printable(text[..40]) + $"... ({text.Length} chars)" : string.Concat(text.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}
