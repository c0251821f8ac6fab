using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using OpenConduct.Core.Officers;
using OpenConduct.Tests.Shared;

namespace OpenConduct.Lucene.Tests;

/// <summary>What only the embedded index has: generations on disk, the swap, reopening, cleanup; and its candidates against the rules.</summary>
public sealed class LuceneIndexTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public async Task Searches_during_publishes_always_see_one_complete_generation()
    {
        using var index = new LuceneOfficerIndex(folder.Path);
        await index.PublishAsync("g0", Generation(0));
        using var publishing = new CancellationTokenSource();
        var seen = new ConcurrentDictionary<int, int>();
        var failures = new ConcurrentQueue<string>();
        long searches = 0;

        var searchers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (!publishing.IsCancellationRequested)
            {
                var result = await index.SearchAsync(new OfficerQuery { Text = "alpha", Take = 50 });
                var generations = result.Hits.Select(h => GenerationOf(h.Id)).Distinct().ToList();
                if (generations.Count != 1 || result.Total != Size(generations[0]) || result.Hits.Count != 50)
                {
                    failures.Enqueue($"total {result.Total}, {result.Hits.Count} hits from generations {string.Join(",", generations)}");
                }
                else
                {
                    seen.AddOrUpdate(generations[0], 1, (_, n) => n + 1);
                }

                // The document of a hit: from the same generation, or (after a swap) absent, never half-built.
                var document = await index.GetAsync(result.Hits[0].Id);
                if (document is not null && document.Id != result.Hits[0].Id)
                {
                    failures.Enqueue($"asked {result.Hits[0].Id}, got {document.Id}");
                }

                Interlocked.Increment(ref searches);
            }
        })).ToList();

        for (var k = 1; k <= 8; k++)
        {
            await index.PublishAsync(string.Create(CultureInfo.InvariantCulture, $"g{k}"), Generation(k));
            await Task.Delay(20);
        }

        await publishing.CancelAsync();
        await Task.WhenAll(searchers);

        Assert.Empty(failures);
        Assert.True(searches > 100, $"only {searches} searches ran");
        Assert.True(seen.Count >= 3, $"searches saw generations {string.Join(",", seen.Keys)} only");
        Assert.Equal("g8", await index.GetGenerationAsync());
        Assert.Equal(Size(8), (await index.SearchAsync(new OfficerQuery { Text = "alpha" })).Total);
    }

    [Fact]
    public async Task A_new_instance_on_the_same_folder_serves_the_current_generation()
    {
        using (var index = new LuceneOfficerIndex(folder.Path))
        {
            await index.PublishAsync("gen-7", ConformanceData.All);
        }

        using var reopened = new LuceneOfficerIndex(folder.Path);

        Assert.Equal("gen-7", await reopened.GetGenerationAsync());
        Assert.Equal(ConformanceData.All.Count, reopened.Count);
        Assert.Equal(ConformanceData.TierOrder.Select(o => o.Id), (await reopened.SearchAsync(new OfficerQuery { Text = "4127" })).Hits.Select(h => h.Id));
        Assert.Equal(JsonSerializer.Serialize(ConformanceData.Kowalski), JsonSerializer.Serialize(await reopened.GetAsync(ConformanceData.Kowalski.Id)));
    }

    [Fact]
    public async Task Only_the_current_and_the_previous_generation_stay_on_disk()
    {
        using (var index = new LuceneOfficerIndex(folder.Path))
        {
            await index.PublishAsync("g1", Generation(1));
            Assert.Equal(new[] { "g1" }, Directories());
            await index.PublishAsync("g2", Generation(2));
            Assert.Equal(new[] { "g1", "g2" }, Directories());
            await index.PublishAsync("g3", Generation(3));
            Assert.Equal(new[] { "g2", "g3" }, Directories());
            Assert.Equal("g3", File.ReadAllText(Path.Combine(folder.Path, "current")).Trim());
        }

        // After a restart the previous generation is the one the new instance opened.
        // A crash while building g9 left its directory; a folder someone else put there has no marker and stays.
        System.IO.Directory.CreateDirectory(Path.Combine(folder.Path, "g9"));
        File.WriteAllText(Path.Combine(folder.Path, "g9", LuceneOfficerIndex.MarkerFileName), "g9\n");
        System.IO.Directory.CreateDirectory(Path.Combine(folder.Path, "notes"));
        using var reopened = new LuceneOfficerIndex(folder.Path);
        Assert.Equal("g3", await reopened.GetGenerationAsync());
        await reopened.PublishAsync("g4", Generation(4));
        Assert.Equal(new[] { "g3", "g4", "notes" }, Directories());
        Assert.Empty(System.IO.Directory.GetFiles(folder.Path, "*.tmp"));
    }

    [Fact]
    public async Task Re_publishing_the_live_generation_builds_beside_it()
    {
        using var index = new LuceneOfficerIndex(folder.Path);
        await index.PublishAsync("g1", Generation(1));
        await index.PublishAsync("g1", Generation(2));

        Assert.Equal("g1", await index.GetGenerationAsync());
        Assert.Equal("g1@2", index.CurrentDirectory);
        Assert.Equal(Size(2), (await index.SearchAsync(new OfficerQuery { Text = "alpha" })).Total);

        await index.PublishAsync("g1", Generation(3));
        Assert.Equal("g1@3", index.CurrentDirectory);
        Assert.Equal(new[] { "g1@2", "g1@3" }, Directories());

        using var reopened = new LuceneOfficerIndex(folder.Path);
        Assert.Equal("g1", await reopened.GetGenerationAsync());
        Assert.Equal(Size(3), (await reopened.SearchAsync(new OfficerQuery { Text = "alpha" })).Total);
    }

    [Fact]
    public async Task A_failed_or_cancelled_publish_leaves_the_live_generation_serving()
    {
        using var index = new LuceneOfficerIndex(folder.Path);
        await index.PublishAsync("g1", Generation(1));

        static IEnumerable<OfficerDocument> Failing()
        {
            foreach (var document in Generation(2).Take(10))
            {
                yield return document;
            }

            throw new InvalidDataException("the release is broken");
        }

        await Assert.ThrowsAsync<InvalidDataException>(() => index.PublishAsync("g2", Failing()));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => index.PublishAsync("g3", Generation(3), cancellationToken: cancelled.Token));

        Assert.Equal("g1", await index.GetGenerationAsync());
        Assert.Equal(Size(1), (await index.SearchAsync(new OfficerQuery { Text = "alpha" })).Total);
        Assert.Equal(new[] { "g1" }, Directories());
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("..")]
    [InlineData(".hidden")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("current")]
    [InlineData("CURRENT")]
    [InlineData("g1@2")]
    [InlineData("gén")]
    public async Task Generation_names_are_checked(string generation)
    {
        using var index = new LuceneOfficerIndex(folder.Path);

        await Assert.ThrowsAsync<ArgumentException>(() => index.PublishAsync(generation, []));
        Assert.False(LuceneOfficerIndex.IsValidGeneration(generation));
        Assert.Empty(Directories());
    }

    [Fact]
    public void A_pointer_to_a_missing_generation_fails_loudly()
    {
        File.WriteAllText(Path.Combine(folder.Path, "current"), "g5\n");

        var e = Assert.Throws<InvalidDataException>(() => new LuceneOfficerIndex(folder.Path));
        Assert.Contains("g5", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeated_ids_keep_the_last_document()
    {
        using var index = new LuceneOfficerIndex(folder.Path);
        var first = ConformanceData.Officer("off-0000000000000001", "Erik Dahl", 1, ["1"]);

        await index.PublishAsync("g1", [first, first with { DisplayName = "Erika Dahl", NameVariants = ["Erika Dahl"] }]);

        Assert.Equal(1, index.Count);
        Assert.Equal("Erika Dahl", Assert.Single((await index.SearchAsync(new OfficerQuery { Text = "dahl" })).Hits).DisplayName);
    }

    /// <summary>
    /// The candidates Lucene finds must include every officer the rules match: against a brute-force evaluation of the
    /// rules over every officer, on names built from a small alphabet (so that one-letter prefixes expand to thousands
    /// of terms and typos have hundreds of neighbours), the totals and the first pages are the same.
    /// </summary>
    [Fact]
    public async Task Results_equal_the_rules_applied_to_every_officer()
    {
        var random = new Random(20261123);
        string Word(int min, int max) => new([.. Enumerable.Range(0, random.Next(min, max + 1)).Select(_ => "abdeilmnorst"[random.Next(12)])]);
        var officers = Enumerable.Range(0, 4_000).Select(i => ConformanceData.Officer(
            string.Create(CultureInfo.InvariantCulture, $"off-{i:x16}"),
            $"{Word(1, 7)} {(random.Next(4) == 0 ? Word(1, 1) + " " : "")}{Word(2, 9)}",
            complaints: random.Next(5),
            badges: [string.Create(CultureInfo.InvariantCulture, $"{random.Next(100, 999)}"), Word(2, 3) + random.Next(10).ToString(CultureInfo.InvariantCulture)],
            variants: random.Next(5) == 0 ? [Word(3, 8) + " " + Word(3, 8)] : null)).ToList();
        using var index = new LuceneOfficerIndex(folder.Path);
        await index.PublishAsync("g1", officers);
        var keys = officers.Select(o => (Officer: o, Keys: OfficerKeys.From(o))).ToList();

        var queries = new List<string> { "a", "s", "m", "ab", "123", "500", "" };
        for (var i = 0; i < 300; i++)
        {
            var o = officers[random.Next(officers.Count)];
            var words = OfficerSearchRules.Words(o.DisplayName);
            var word = words[random.Next(words.Count)];
            queries.Add(random.Next(6) switch
            {
                0 => word[..random.Next(1, word.Length + 1)],
                1 => Typo(random, word, 1),
                2 => Typo(random, word, 2),
                3 => Typo(random, word, 3),
                4 => string.Join(' ', words.Select(w => w[..random.Next(1, w.Length + 1)])),
                _ => random.Next(2) == 0 ? o.Badges[random.Next(o.Badges.Count)] : string.Join(" ", words.Reverse()),
            });
        }

        foreach (var text in queries)
        {
            var query = QueryKeys.From(text);
            var expected = keys
                .Select(k => (k.Officer, Score: OfficerSearchRules.Score(query, k.Keys)))
                .Where(x => x.Score is not null)
                .Select(x => (x.Officer, Match: (OfficerMatch?)x.Score!.Value.Tier, x.Score!.Value.Distance))
                .OrderBy(x => x.Match).ThenBy(x => x.Distance).ThenByDescending(x => x.Officer.Summary.Complaints)
                .ThenBy(x => x.Officer.DisplayName, StringComparer.Ordinal).ThenBy(x => x.Officer.Id, StringComparer.Ordinal)
                .ToList();

            var actual = await index.SearchAsync(new OfficerQuery { Text = text, Take = 50 });

            Assert.True(expected.Count == actual.Total, $"'{text}': expected {expected.Count}, found {actual.Total}");
            Assert.Equal(expected.Take(50).Select(x => (x.Officer.Id, x.Match!.Value)), actual.Hits.Select(h => (h.Id, h.Match)));
            if (expected.Count > 50)
            {
                var last = await index.SearchAsync(new OfficerQuery { Text = text, Skip = expected.Count - 3, Take = 50 });
                Assert.Equal(expected.TakeLast(3).Select(x => x.Officer.Id), last.Hits.Select(h => h.Id));
            }
        }
    }

    /// <summary>
    /// One-word queries are scored per distinct name word (the least cost of an officer's words), not per officer: on
    /// given names in nickname groups (where a nickname may also start the name: <c>al</c> and <c>albert</c>), compound
    /// and one-word names, initials and badges that look like names, every one-word query (whole words, nicknames, their
    /// beginnings, typos, badge keys) gives the same total, order, tiers and page as the rules applied to every officer.
    /// </summary>
    [Fact]
    public async Task One_word_queries_equal_the_rules_applied_to_every_officer()
    {
        var random = new Random(20261207);
        string[] given = ["albert", "al", "bert", "william", "bill", "will", "willy", "robert", "bob", "rob", "john", "jon", "jack", "patrick", "pat", "lawrence", "larry", "alberta", "alan", "albright"];
        string[] family = ["albert", "bertram", "willis", "johnson", "jonson", "jackson", "patterson", "larson", "smith", "smyth", "van dyke", "de la cruz", "o'brien", "pat"];
        var officers = Enumerable.Range(0, 3_000).Select(i =>
        {
            var name = random.Next(20) switch
            {
                0 => family[random.Next(family.Length)],
                1 => given[random.Next(given.Length)] + " " + (char)('a' + random.Next(26)),
                _ => $"{given[random.Next(given.Length)]} {(random.Next(3) == 0 ? (char)('a' + random.Next(26)) + " " : "")}{family[random.Next(family.Length)]}",
            };
            return ConformanceData.Officer(
                string.Create(CultureInfo.InvariantCulture, $"off-{i:x16}"),
                name,
                complaints: random.Next(4),
                badges: [random.Next(10) == 0 ? given[random.Next(given.Length)] : string.Create(CultureInfo.InvariantCulture, $"0{random.Next(100, 999)}")],
                variants: random.Next(6) == 0 ? [family[random.Next(family.Length)] + ", " + given[random.Next(given.Length)]] : null);
        }).ToList();
        using var index = new LuceneOfficerIndex(folder.Path);
        await index.PublishAsync("g1", officers);
        var keys = officers.Select(o => (Officer: o, Keys: OfficerKeys.From(o))).ToList();

        var queries = new List<string> { "o", "van", "vandyke", "delacruz", "obrien", "123", "0123" };
        foreach (var word in given.Concat(family.SelectMany(f => OfficerSearchRules.Words(f))).Distinct())
        {
            queries.Add(word);
            queries.Add(word[..Math.Max(1, word.Length - 1)]);
            queries.Add(word[..Math.Min(3, word.Length)]);
            queries.Add(Typo(random, word, 1));
            queries.Add(Typo(random, word, 2));
        }

        foreach (var text in queries)
        {
            var query = QueryKeys.From(text);
            var expected = keys
                .Select(k => (k.Officer, Score: OfficerSearchRules.Score(query, k.Keys)))
                .Where(x => x.Score is not null)
                .OrderBy(x => x.Score!.Value.Tier).ThenBy(x => x.Score!.Value.Distance).ThenByDescending(x => x.Officer.Summary.Complaints)
                .ThenBy(x => x.Officer.DisplayName, StringComparer.Ordinal).ThenBy(x => x.Officer.Id, StringComparer.Ordinal)
                .ToList();

            // Every page, so that the whole order is compared (exact words fill the first pages of common names).
            var actual = new List<OfficerHit>();
            long total;
            do
            {
                var page = await index.SearchAsync(new OfficerQuery { Text = text, Skip = actual.Count, Take = OfficerQuery.MaxTake });
                total = page.Total;
                actual.AddRange(page.Hits);
                Assert.True(page.Hits.Count > 0 || actual.Count == total, $"'{text}': an empty page before the end");
            }
            while (actual.Count < total);

            Assert.True(expected.Count == total, $"'{text}': expected {expected.Count}, found {total}");
            Assert.Equal(expected.Select(x => (x.Officer.Id, x.Score!.Value.Tier)), actual.Select(h => (h.Id, h.Match)));
        }
    }

    [Fact]
    public async Task A_one_letter_prefix_over_thousands_of_terms_finds_every_officer()
    {
        using var index = new LuceneOfficerIndex(folder.Path);
        var officers = Enumerable.Range(0, 3_000).Select(i => ConformanceData.Officer(
            string.Create(CultureInfo.InvariantCulture, $"off-{i:x16}"),
            string.Create(CultureInfo.InvariantCulture, $"Sam S{i:x4}son"),
            complaints: i % 7,
            badges: [i.ToString(CultureInfo.InvariantCulture)]));
        await index.PublishAsync("g1", officers);

        Assert.Equal(3_000, (await index.SearchAsync(new OfficerQuery { Text = "s" })).Total);
        Assert.Equal(3_000, (await index.SearchAsync(new OfficerQuery { Text = "s s" })).Total);
        Assert.Equal(3_000, (await index.SearchAsync(new OfficerQuery { Text = "sam" })).Total);
        Assert.True((await index.SearchAsync(new OfficerQuery { Text = "s00aason" })).Total > 100);   // hundreds of terms within 2 edits
    }

    private static string Typo(Random random, string word, int edits)
    {
        for (var e = 0; e < edits; e++)
        {
            var i = random.Next(word.Length + 1);
            word = random.Next(4) switch
            {
                0 => word.Insert(i, "x"),
                1 when word.Length > 1 && i < word.Length => word.Remove(i, 1),
                2 when i + 1 < word.Length => string.Concat(word.AsSpan(0, i), word.AsSpan(i + 1, 1), word.AsSpan(i, 1), word.AsSpan(i + 2)),
                _ when i < word.Length => string.Concat(word.AsSpan(0, i), "z", word.AsSpan(i + 1)),
                _ => word + "q",
            };
        }

        return word;
    }

    [Fact]
    public void The_name_word_trie_finds_exactly_the_words_within_the_allowed_edits()
    {
        // A small alphabet, so that many words are within one or two edits of each other; lengths 1 to 12, so that the
        // length bounds and the band around the diagonal are crossed in every direction; a few non-BMP code points.
        var random = new Random(20261207);
        string Word(int length) => string.Concat(Enumerable.Range(0, length).Select(_ => random.Next(12) switch
        {
            0 => "\U0001D400",
            1 => "é",
            var n => ((char)('a' + (n % 5))).ToString(),
        }));
        var words = Enumerable.Range(0, 3_000).Select(_ => Word(random.Next(1, 13))).Distinct(StringComparer.Ordinal).ToList();
        var trie = NameWordTrie.Build(words);
        var found = new List<int>();
        for (var i = 0; i < 400; i++)
        {
            var query = i % 3 == 0 ? words[random.Next(words.Count)] : Word(random.Next(1, 13));
            foreach (var edits in new[] { 1, 2 })
            {
                found.Clear();
                trie.Within(query, edits, found);
                var expected = words.Where(w => OfficerSearchRules.EditDistance(query, w, edits) <= edits).Order(StringComparer.Ordinal).ToList();
                Assert.Equal(expected, found.Select(f => words[f]).Order(StringComparer.Ordinal).ToList());
            }
        }
    }

    /// <summary>Generation k: 100 + 7k officers all named Alpha, with ids that carry k.</summary>
    private static List<OfficerDocument> Generation(int k) =>
    [
        .. Enumerable.Range(0, Size(k)).Select(i => ConformanceData.Officer(
            string.Create(CultureInfo.InvariantCulture, $"off-{k:x8}{i:x8}"),
            string.Create(CultureInfo.InvariantCulture, $"Alpha Member{i}"),
            complaints: i % 13,
            badges: [string.Create(CultureInfo.InvariantCulture, $"{k}-{i}")])),
    ];

    private static int Size(int k) => 100 + (7 * k);

    private static int GenerationOf(string id) => int.Parse(id.AsSpan(4, 8), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private string[] Directories() =>
        [.. System.IO.Directory.GetDirectories(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal)!];
}
