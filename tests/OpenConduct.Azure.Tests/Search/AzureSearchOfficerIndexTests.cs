using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OpenConduct.Azure.Search;
using OpenConduct.Core.Officers;
using OpenConduct.Tests.Shared;

namespace OpenConduct.Azure.Tests.Search;

/// <summary>
/// The Azure AI Search adapter against <see cref="FakeSearchService"/> (no service, no network): what goes over the
/// wire (schema, batches, retries, the swap, filters, authentication) and what comes back.
/// </summary>
public sealed class AzureSearchOfficerIndexTests
{
    private const string IndexPath = "/indexes('officers')";
    private const string UploadPath = IndexPath + "/docs/search.index";
    private const string SearchPath = IndexPath + "/docs/search.post.search";
    private const string PointerPath = IndexPath + "/docs('pointer')";

    [Fact]
    public async Task The_index_schema_is_the_committed_fixture()
    {
        var service = new FakeSearchService();
        var index = service.Adapter();

        await index.EnsureIndexAsync();

        var put = Assert.Single(service.Transport.Requests);
        Assert.Equal(("PUT", IndexPath), (put.Method, put.Path));
        Assert.Contains("allowIndexDowntime=false", put.Uri.Query, StringComparison.Ordinal);
        var expected = JsonNode.Parse(await File.ReadAllTextAsync(FixturePath("officer-index.json")))!.AsObject();
        var actual = Bodies.Json(put);
        Assert.True(
            JsonNode.DeepEquals(Canonical(expected), Canonical(actual)),
            $"the index definition differs from Fixtures/officer-index.json; it is now:\n{Bodies.Pretty(actual)}");

        // What the fixture pins down, said plainly: the key, the filterable keys hidden, nothing searchable.
        var fields = actual["fields"]!.AsArray().Select(f => f!.AsObject()).ToDictionary(f => (string)f["name"]!);
        Assert.Equal("key", Assert.Single(fields.Values, f => (bool)f["key"]!)["name"]!.GetValue<string>());
        Assert.All(fields.Values, f => Assert.False((bool)f["searchable"]!));
        Assert.Equal(["badgeKeys", "build", "key", "nameDeletions", "namePrefixes"], fields.Values.Where(f => (bool)f["filterable"]!).Select(f => (string)f["name"]!).Order(StringComparer.Ordinal));
        Assert.Equal(["badgeKeys", "nameDeletions", "namePrefixes"], fields.Values.Where(f => !(bool)f["retrievable"]!).Select(f => (string)f["name"]!).Order(StringComparer.Ordinal));
        Assert.Equal("Collection(Edm.String)", (string)fields["nameDeletions"]["type"]!);
        Assert.Equal("Edm.Int32", (string)fields["complaints"]["type"]!);
    }

    [Fact]
    public async Task Every_request_carries_an_Entra_bearer_token_and_never_a_key()
    {
        var service = new FakeSearchService();
        var index = service.Adapter();
        await index.PublishAsync("r1", [Officer(1, "Ann Lee")]);
        await index.SearchAsync(new OfficerQuery { Text = "ann" });
        await index.GetAsync(Id(1));

        Assert.NotEmpty(service.Transport.Requests);
        Assert.All(service.Transport.Requests, r =>
        {
            Assert.Equal("Bearer " + FakeTokenCredential.Token, r.Headers["Authorization"]);
            Assert.DoesNotContain(r.Headers.Keys, h => h.Equals("api-key", StringComparison.OrdinalIgnoreCase));
            Assert.Equal(Uri.UriSchemeHttps, r.Uri.Scheme);
        });
        Assert.Equal(["https://search.azure.com/.default"], service.Credential.Scopes);
    }

    [Fact]
    public async Task Uploads_go_in_requests_of_at_most_1000_documents()
    {
        var service = new FakeSearchService();
        var index = service.Adapter();

        await index.PublishAsync("r1", Enumerable.Range(0, 2_500).Select(i => Officer(i, "Officer Number" + i.ToString(CultureInfo.InvariantCulture))));

        var uploads = OfficerUploads(service);
        Assert.Equal([1000, 1000, 500], uploads.Select(u => Bodies.Actions(u).Count));
        Assert.Equal(2_500, uploads.SelectMany(Bodies.Actions).Select(a => a.Key).Distinct().Count());
        Assert.Equal(2_501, service.Documents().Count); // and the pointer
    }

    [Fact]
    public async Task Large_documents_are_split_by_the_16_MB_request_limit()
    {
        var service = new FakeSearchService();
        var index = service.Adapter();

        // About 5 MB each once serialized (the unit is in the unit field and again in the document's JSON): 3 a request.
        var big = new string('x', 2_500_000);
        await index.PublishAsync("r1", Enumerable.Range(0, 9).Select(i => Officer(i, "Big Officer") with { Unit = big }));

        var uploads = OfficerUploads(service);
        Assert.Equal([3, 3, 3], uploads.Select(u => Bodies.Actions(u).Count));
        Assert.All(uploads, u => Assert.InRange(u.BodyBytes, 14_000_000, AzureSearchOfficerIndexOptions.ServiceMaxBatchBytes));
    }

    [Fact]
    public async Task The_measured_size_of_a_batch_is_the_size_sent()
    {
        var service = new FakeSearchService();
        var index = service.Adapter(o => o.MaxBatchBytes = 50_000);
        var officers = Enumerable.Range(0, 40).Select(i => Officer(i, "Søren Ødegård-" + i.ToString(CultureInfo.InvariantCulture), complaints: i % 7) with { Unit = new string('é', 900 + (i * 37)) }).ToList();

        await index.PublishAsync("r1", officers);

        var uploads = OfficerUploads(service);
        Assert.True(uploads.Count > 1, "the test documents should need several requests");
        Assert.All(uploads, u => Assert.True(u.BodyBytes <= 50_000, $"a request of {u.BodyBytes} bytes"));

        // The adapter's measure (action overhead included) adds up to the body sent, less the last separator.
        var measured = officers.Select(o => AzureSearchOfficerIndex.MeasureBytes(OfficerSearchDocument.From("r1/b1", o))).ToList();
        var first = Bodies.Actions(uploads[0]).Count;
        Assert.Equal(AzureSearchOfficerIndex.EnvelopeBytes + measured.Take(first).Sum() - 1, uploads[0].BodyBytes);

        // Greedy packing: adding the next document to any request would have gone over the limit.
        var taken = 0;
        foreach (var upload in uploads.SkipLast(1))
        {
            var count = Bodies.Actions(upload).Count;
            Assert.True(AzureSearchOfficerIndex.EnvelopeBytes + measured.Skip(taken).Take(count + 1).Sum() > 50_000);
            taken += count;
        }
    }

    [Fact]
    public async Task A_document_over_the_request_limit_is_reported_and_not_sent()
    {
        var service = new FakeSearchService();
        var index = service.Adapter(o => o.MaxBatchBytes = 4_096);
        var progress = new Progress();

        var error = await Assert.ThrowsAsync<OfficerIndexPublishException>(() =>
            index.PublishAsync("r1", [Officer(1, "Ann Lee"), Officer(2, "Bob Roe") with { Unit = new string('u', 5_000) }], progress));

        var failure = Assert.Single(error.Failures);
        Assert.Equal((SearchKeys.Officer("r1/b1", Id(2)), 413, 0), (failure.Key, failure.Status, failure.Attempts));
        Assert.Contains(failure.Key, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(OfficerUploads(service).SelectMany(Bodies.Actions), a => a.Key == failure.Key);
        Assert.DoesNotContain(service.Transport.Requests, IsPointerUpload);
        Assert.Contains(progress.Lines, l => l.Contains(Id(2), StringComparison.Ordinal));
        Assert.Null(await index.GetGenerationAsync());
    }

    [Fact]
    public async Task A_document_failed_in_a_207_is_retried_alone_then_succeeds()
    {
        var service = new FakeSearchService();
        var delays = new List<TimeSpan>();
        var index = service.Adapter(delays: delays);
        var flaky = SearchKeys.Officer("r1/b1", Id(2));
        service.Fault = (_, key, _, attempt) => key == flaky && attempt == 1 ? (503, "Service unavailable; retry later.") : null;
        var progress = new Progress();

        await index.PublishAsync("r1", [Officer(1, "Ann Lee"), Officer(2, "Bob Roe"), Officer(3, "Cy Doe")], progress);

        var uploads = OfficerUploads(service);
        Assert.Equal(3, Bodies.Actions(uploads[0]).Count);
        Assert.Equal([("upload", flaky)], Bodies.Actions(uploads[1]));
        Assert.Equal(2, uploads.Count);
        Assert.Equal([TimeSpan.FromSeconds(1)], delays);
        Assert.Contains(progress.Lines, l => l.Contains(flaky, StringComparison.Ordinal) && l.Contains("503", StringComparison.Ordinal));
        Assert.Equal("r1", await index.GetGenerationAsync());
        Assert.Equal("Bob Roe", (await index.GetAsync(Id(2)))?.DisplayName);
    }

    [Fact]
    public async Task A_document_failing_every_attempt_fails_the_publish_naming_its_key()
    {
        var service = new FakeSearchService();
        var delays = new List<TimeSpan>();
        var index = service.Adapter(o => o.MaxAttempts = 3, delays);
        var stuck = SearchKeys.Officer("r1/b1", Id(2));
        service.Fault = (_, key, _, _) => key == stuck ? (409, "Version conflict.") : null;
        var progress = new Progress();

        var error = await Assert.ThrowsAsync<OfficerIndexPublishException>(() =>
            index.PublishAsync("r1", [Officer(1, "Ann Lee"), Officer(2, "Bob Roe"), Officer(3, "Cy Doe")], progress));

        Assert.Equal([new OfficerIndexFailure(stuck, 409, "Version conflict.", 3)], error.Failures);
        Assert.Contains(stuck, error.Message, StringComparison.Ordinal);
        Assert.Contains("Version conflict.", error.Message, StringComparison.Ordinal);
        Assert.Equal([3, 1, 1], OfficerUploads(service).Select(u => Bodies.Actions(u).Count));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], delays);  // exponential
        Assert.DoesNotContain(service.Transport.Requests, IsPointerUpload);       // not made live
        Assert.Null(await index.GetGenerationAsync());
        Assert.Contains(progress.Lines, l => l.Contains(stuck, StringComparison.Ordinal) && l.Contains("for good", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_document_the_service_rejects_is_not_retried()
    {
        var service = new FakeSearchService();
        var delays = new List<TimeSpan>();
        var index = service.Adapter(delays: delays);
        var bad = SearchKeys.Officer("r1/b1", Id(1));
        service.Fault = (_, key, _, _) => key == bad ? (400, "The document is malformed.") : null;

        var error = await Assert.ThrowsAsync<OfficerIndexPublishException>(() => index.PublishAsync("r1", [Officer(1, "Ann Lee"), Officer(2, "Bob Roe")]));

        Assert.Equal([new OfficerIndexFailure(bad, 400, "The document is malformed.", 1)], error.Failures);
        Assert.Single(OfficerUploads(service));
        Assert.Empty(delays);
    }

    [Fact]
    public async Task A_publish_uploads_the_new_build_then_moves_the_pointer_then_deletes_the_old_build()
    {
        var service = new FakeSearchService();
        var waits = new List<(TimeSpan Delay, int After)>();
        var index = service.Adapter(o => o.Delay = (delay, _) =>
        {
            waits.Add((delay, service.Transport.Requests.Count));
            return Task.CompletedTask;
        });
        await index.PublishAsync("r1", [Officer(1, "Ann Lee"), Officer(2, "Bob Roe"), Officer(3, "Cy Doe")]);
        var firstBuild = service.Documents().Keys.Where(k => k != "pointer").Order(StringComparer.Ordinal).ToList();
        service.Transport.Clear();
        waits.Clear();

        await index.PublishAsync("r2", [Officer(2, "Bob Roe"), Officer(4, "Di Poe")]);

        var timeline = service.Transport.Requests.Select(Describe).ToList();
        foreach (var (delay, after) in Enumerable.Reverse(waits))
        {
            timeline.Insert(after, string.Create(CultureInfo.InvariantCulture, $"wait {delay.TotalSeconds}s"));
        }

        Assert.Equal(
        [
            "GET /indexes('officers')/docs('pointer') $select=document",                             // the build being replaced
            "POST /indexes('officers')/docs/search.index upload r2=2Fb2_off-0000000000000002, upload r2=2Fb2_off-0000000000000004",
            "POST /indexes('officers')/docs/search.post.search count build eq 'r2/b2'",              // all searchable?
            "POST /indexes('officers')/docs/search.index upload pointer",                            // the swap
            "wait 5s",                                                                               // readers' pointer cache
            "POST /indexes('officers')/docs/search.post.search keys build ne null and build ne 'r2/b2'",
            "POST /indexes('officers')/docs/search.index " + string.Join(", ", firstBuild.Select(k => "delete " + k)),
        ],
        timeline);
        Assert.Equal(
            ["pointer", "r2=2Fb2_off-0000000000000002", "r2=2Fb2_off-0000000000000004"],
            service.Documents().Keys.Order(StringComparer.Ordinal));
        var pointer = JsonNode.Parse((string)service.Documents()["pointer"]["document"]!)!;
        Assert.Equal(("r2", "r2/b2"), ((string)pointer["generation"]!, (string)pointer["build"]!));
        Assert.Null(service.Documents()["pointer"]["build"]);
    }

    [Fact]
    public async Task Republishing_the_live_generation_swaps_builds_too()
    {
        var service = new FakeSearchService();
        var index = service.Adapter();
        await index.PublishAsync("r1", [Officer(1, "Ann Lee"), Officer(2, "Bob Roe")]);

        await index.PublishAsync("r1", [Officer(2, "Bob Roe")]);

        Assert.Equal(["pointer", "r1=2Fb2_off-0000000000000002"], service.Documents().Keys.Order(StringComparer.Ordinal));
        Assert.Equal("r1", await index.GetGenerationAsync());
        Assert.Null(await index.GetAsync(Id(1)));
    }

    [Fact]
    public async Task Leftovers_of_a_failed_publish_are_deleted_by_the_next()
    {
        var service = new FakeSearchService();
        var index = service.Adapter(o => o.MaxAttempts = 1);
        service.Fault = (_, key, _, _) => key.EndsWith(Id(2), StringComparison.Ordinal) ? (422, "Index busy.") : null;
        await Assert.ThrowsAsync<OfficerIndexPublishException>(() => index.PublishAsync("r1", [Officer(1, "Ann Lee"), Officer(2, "Bob Roe")]));
        Assert.Contains("r1=2Fb1_off-0000000000000001", service.Documents().Keys);
        service.Fault = null;

        await index.PublishAsync("r2", [Officer(3, "Cy Doe")]);

        Assert.Equal(["pointer", "r2=2Fb2_off-0000000000000003"], service.Documents().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_index_lost_at_the_swap_leaves_the_previous_generation_answering_and_the_next_publish_completes()
    {
        var service = new FakeSearchService();
        var index = service.Adapter(o => o.MaxAttempts = 2);
        await index.PublishAsync("r1", [Officer(1, "Ann Lee")]);

        // Every upload of the new build goes through; the pointer's move (the swap) finds the service unavailable.
        service.Fault = (_, key, _, _) => key == "pointer" ? (503, "Service unavailable.") : null;
        await Assert.ThrowsAsync<OfficerIndexPublishException>(() => index.PublishAsync("r2", [Officer(2, "Bob Roe")]));

        Assert.Equal("r1", await index.GetGenerationAsync());
        Assert.Equal(Id(1), Assert.Single((await index.SearchAsync(new OfficerQuery { Text = "Ann Lee" })).Hits).Id);
        Assert.Empty((await index.SearchAsync(new OfficerQuery { Text = "Bob Roe" })).Hits);

        service.Fault = null;
        await index.PublishAsync("r2", [Officer(2, "Bob Roe")]);

        Assert.Equal("r2", await index.GetGenerationAsync());
        Assert.Equal(Id(2), Assert.Single((await index.SearchAsync(new OfficerQuery { Text = "Bob Roe" })).Hits).Id);
        Assert.Empty((await index.SearchAsync(new OfficerQuery { Text = "Ann Lee" })).Hits);
    }

    [Fact]
    public async Task Publishes_on_one_instance_take_turns()
    {
        var service = new FakeSearchService();
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var index = service.Adapter(o => o.Delay = async (delay, _) =>
        {
            held.TrySetResult();
            await holding.Task;   // the first publish stops in its wait before deleting the old build
        });
        await index.PublishAsync("r0", [Officer(9, "Old Officer")]);   // something to replace, so the publishes wait
        held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var first = index.PublishAsync("r1", [Officer(1, "Ann Lee")]);
        await held.Task;
        var requests = service.Transport.Requests.Count;
        var second = index.PublishAsync("r2", [Officer(2, "Bob Roe")]);
        using var cancelled = new CancellationTokenSource();
        var third = index.PublishAsync("r3", [Officer(3, "Cy Doe")], cancellationToken: cancelled.Token);
        await cancelled.CancelAsync();
        await Task.Delay(50);
        Assert.Equal(requests, service.Transport.Requests.Count);   // the second waits its turn

        holding.SetResult();
        await first;
        await second;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => third);
        Assert.Equal("r2", await index.GetGenerationAsync());
        Assert.Equal(["pointer", "r2=2Fb3_off-0000000000000002"], service.Documents().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Publishing_waits_until_every_document_is_searchable()
    {
        var service = new FakeSearchService();
        var delays = new List<TimeSpan>();
        var index = service.Adapter(delays: delays);
        var counts = 0;
        service.VisibleCount = n => ++counts < 3 ? n - 1 : n;

        await index.PublishAsync("r1", [Officer(1, "Ann Lee"), Officer(2, "Bob Roe")]);

        Assert.Equal(3, counts);
        Assert.Equal([TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(500)], delays);
        Assert.Equal("r1", await index.GetGenerationAsync());
    }

    [Fact]
    public async Task A_build_that_never_becomes_searchable_is_not_made_live()
    {
        var service = new FakeSearchService();
        var clock = new ManualTimeProvider();
        var index = service.Adapter(o =>
        {
            o.TimeProvider = clock;
            o.VisibilityTimeout = TimeSpan.FromSeconds(10);
            o.Delay = (delay, _) =>
            {
                clock.Advance(delay);
                return Task.CompletedTask;
            };
        });
        service.VisibleCount = n => n - 1;

        var error = await Assert.ThrowsAsync<OfficerIndexPublishException>(() => index.PublishAsync("r1", [Officer(1, "Ann Lee"), Officer(2, "Bob Roe")]));

        Assert.Contains("1 of the 2", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(service.Transport.Requests, IsPointerUpload);
        Assert.Null(await index.GetGenerationAsync());
    }

    [Fact]
    public async Task Queries_filter_on_the_live_build_with_values_quoted_by_SearchFilter()
    {
        var service = new FakeSearchService();
        var index = service.Adapter();
        await index.PublishAsync("O'Brien's \"release\"", [Officer(1, "Kai Smith")]);
        service.Transport.Clear();

        var result = await index.SearchAsync(new OfficerQuery { Text = "Kai Smith" });

        Assert.Equal(OfficerMatch.ExactName, Assert.Single(result.Hits).Match);
        var search = Bodies.Json(Assert.Single(service.Transport.Requests, r => r.Path == SearchPath));
        Assert.Equal(
            "build eq 'O''Brien''s \"release\"/b1' and (badgeKeys/any(b: b eq 'kaismith') or ("
            + "(namePrefixes/any(p: p eq 'kai') or nameDeletions/any(d: search.in(d, 'ai ka kai ki', ' ')))"
            + " and (namePrefixes/any(p: p eq 'smith') or nameDeletions/any(d: search.in(d, 'mith sith smih smit smith smth', ' ')))))",
            (string)search["filter"]!);
        Assert.Equal("*", (string)search["search"]!);
        Assert.Equal("key asc", (string)search["orderby"]!);
        Assert.Equal(1000, (int)search["top"]!);
        Assert.Equal("key,id,displayName,nameVariants,currentBadge,badges,rank,unit,complaints,namePublished,employeeIds,sources,firstComplaintYear,lastComplaintYear", (string)search["select"]!);
        Assert.Null(search["queryType"]);

        // The key of a quoted generation and id is key-safe.
        Assert.Equal("O=27Brien=27s=20=22release=22=2Fb1_off-0000000000000001", Assert.Single(service.Documents().Keys, k => k != "pointer"));
    }

    [Fact]
    public async Task Short_words_need_a_prefix_and_words_longer_than_any_name_need_no_fuzzy_keys()
    {
        var service = new FakeSearchService();
        var index = service.Adapter();
        await index.PublishAsync("r1", [Officer(1, "Al Li")]);  // longest name word: "alli" (4)
        service.Transport.Clear();

        await index.SearchAsync(new OfficerQuery { Text = "al" });  // a nickname: its names are whole name words
        await index.SearchAsync(new OfficerQuery { Text = "abcdefg" });  // 7 > 4 + 2: only the badge can match

        var filters = service.Transport.Requests.Where(r => r.Path == SearchPath).Select(r => (string)Bodies.Json(r)["filter"]!).ToList();
        Assert.Equal(
        [
            "build eq 'r1/b1' and (badgeKeys/any(b: b eq 'al') or (("
            + "namePrefixes/any(p: p eq 'al') or namePrefixes/any(p: search.in(p, 'albert alex alexander alfie alfred bert fred', ' ')))))",
            "build eq 'r1/b1' and badgeKeys/any(b: b eq 'abcdefg')",
        ],
        filters);
    }

    [Fact]
    public async Task Hostile_query_text_reaches_the_service_only_as_quoted_normalised_words()
    {
        var service = new FakeSearchService();
        var index = service.Adapter();
        await index.PublishAsync("r1", ConformanceData.All);
        string[] extra =
        [
            "kowalski' or build ne 'x", "*) or (true", "search.ismatch('*')", "build eq 'r1/b1'", "\\' or 1 eq 1 --",
            "name:kow~2^9 AND /.*/", "ｋｏｗａｌｓｋｉ", "kow\u0000alski", "Kowalski\" or \"", string.Join(' ', Enumerable.Repeat("k'o", 40)),
        ];

        foreach (var text in ConformanceData.HostileInputs.Concat(ConformanceData.HostileAroundKowalski).Concat(extra))
        {
            service.Transport.Clear();
            await index.SearchAsync(new OfficerQuery { Text = text, Take = 50 });
            foreach (var request in service.Transport.Requests.Where(r => r.Path == SearchPath))
            {
                var body = Bodies.Json(request);
                Assert.Equal(["filter", "orderby", "search", "select", "top"], body.Select(p => p.Key).Order(StringComparer.Ordinal));
                Assert.Equal("*", (string)body["search"]!);
                var filter = (string)body["filter"]!;
                Assert.Matches(AllowedShape, FilterParser.Shape(filter));
                var literals = FilterParser.Literals(filter);
                Assert.Equal("r1/b1", literals[0]);
                Assert.All(QueryWords(filter).SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)), w =>
                    Assert.True(w.EnumerateRunes().All(Rune.IsLetterOrDigit), $"'{w}' from '{text}' is not a normalised word"));
                var keys = QueryKeys.From(text);
                Assert.Equal(keys.BadgeKey, Unquote(Regex.Match(filter, @"badgeKeys/any\(b: b eq '((?:[^']|'')*)'\)")));
                var prefixes = Regex.Matches(filter, @"namePrefixes/any\(p: p eq '((?:[^']|'')*)'\)").Select(Unquote).ToList();
                Assert.True(prefixes.Count == 0 || prefixes.SequenceEqual(keys.Words.Distinct(StringComparer.Ordinal)), $"the words of '{text}' are not the filter's: {filter}");
            }
        }
    }

    [Fact]
    public async Task Candidates_are_fetched_a_page_of_1000_at_a_time_after_the_last_key()
    {
        var service = new FakeSearchService();
        var index = service.Adapter();
        await index.PublishAsync("r1", Enumerable.Range(0, 1_500).Select(i => Officer(i, "Pat Quinn", complaints: i % 50)));
        service.Transport.Clear();

        var result = await index.SearchAsync(new OfficerQuery { Text = "quinn", Skip = 10, Take = 5 });

        Assert.Equal(1_500, result.Total);
        Assert.Equal(5, result.Hits.Count);
        Assert.All(result.Hits, h => Assert.Equal((49, OfficerMatch.Prefix), (h.Complaints, h.Match)));
        var searches = service.Transport.Requests.Where(r => r.Path == SearchPath).Select(r => (string)Bodies.Json(r)["filter"]!).ToList();
        Assert.Equal(2, searches.Count);
        var lastOfFirstPage = service.Documents().Keys.Where(k => k != "pointer").Order(StringComparer.Ordinal).ElementAt(999);
        Assert.Equal(searches[0] + " and key gt '" + lastOfFirstPage + "'", searches[1]);
    }

    [Fact]
    public async Task Readers_read_the_pointer_at_most_once_per_cache_duration()
    {
        var service = new FakeSearchService();
        await service.Adapter().PublishAsync("r1", [Officer(1, "Ann Lee")]);
        var clock = new ManualTimeProvider();
        var reader = service.Adapter(o => o.TimeProvider = clock);
        service.Transport.Clear();

        await reader.SearchAsync(new OfficerQuery { Text = "ann" });
        await reader.SearchAsync(new OfficerQuery { Text = "lee" });
        Assert.Equal("r1", await reader.GetGenerationAsync());
        Assert.Single(service.Transport.Requests, r => r.Path == PointerPath);

        clock.Advance(TimeSpan.FromSeconds(5));
        await reader.SearchAsync(new OfficerQuery { Text = "ann" });
        Assert.Equal(2, service.Transport.Requests.Count(r => r.Path == PointerPath));
    }

    [Fact]
    public async Task Get_looks_up_the_officer_in_the_live_build()
    {
        var service = new FakeSearchService();
        var index = service.Adapter();
        Assert.Null(await index.GetAsync(Id(1)));
        Assert.DoesNotContain(service.Transport.Requests, r => r.Path.StartsWith(IndexPath + "/docs('r", StringComparison.Ordinal));   // no live build: no lookup

        var officer = Officer(1, "Ann Lee", complaints: 2);
        await index.PublishAsync("r1", [officer]);
        service.Transport.Clear();

        var found = await index.GetAsync(Id(1));
        Assert.Equal(JsonSerializer.Serialize(officer), JsonSerializer.Serialize(found));
        var lookup = Assert.Single(service.Transport.Requests);
        Assert.Equal(("GET", IndexPath + "/docs('r1=2Fb1_off-0000000000000001')"), (lookup.Method, lookup.Path));
        Assert.Contains("$select=document", Uri.UnescapeDataString(lookup.Uri.Query), StringComparison.Ordinal);

        Assert.Null(await index.GetAsync("off-' or key ne '"));
        Assert.EndsWith("_off-=27=20or=20key=20ne=20=27')", service.Transport.Requests[^1].Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_repeated_officer_id_keeps_the_last_document_as_Lucene_does()
    {
        var service = new FakeSearchService();
        var index = service.Adapter();

        await index.PublishAsync("r1", [Officer(1, "Ann Lee"), Officer(2, "Bob Roe"), Officer(1, "Ann Lea")]);

        Assert.Equal("Ann Lea", (await index.GetAsync(Id(1)))?.DisplayName);
        Assert.Equal(
            [["r1=2Fb1_off-0000000000000001", "r1=2Fb1_off-0000000000000002"], ["r1=2Fb1_off-0000000000000001"]],
            OfficerUploads(service).Select(u => Bodies.Actions(u).Select(a => a.Key).ToArray()));
        Assert.Equal(1, (await index.SearchAsync(new OfficerQuery { Text = "ann" })).Total);
        await Assert.ThrowsAsync<ArgumentException>(() => index.PublishAsync("r2", [Officer(3, "Cy Doe") with { Id = "" }]));
    }

    [Fact]
    public void Invalid_options_are_refused()
    {
        var client = new FakeSearchService().IndexClient();
        Assert.Throws<ArgumentException>(() => new AzureSearchOfficerIndex(client, new AzureSearchOfficerIndexOptions { MaxBatchDocuments = 1001 }));
        Assert.Throws<ArgumentException>(() => new AzureSearchOfficerIndex(client, new AzureSearchOfficerIndexOptions { MaxBatchBytes = 16_777_216 }));
        Assert.Throws<ArgumentException>(() => new AzureSearchOfficerIndex(client, new AzureSearchOfficerIndexOptions { IndexName = "Officers" }));
        Assert.Throws<ArgumentException>(() => new AzureSearchOfficerIndex(client, new AzureSearchOfficerIndexOptions { MaxAttempts = 0 }));
        Assert.Throws<ArgumentException>(() => new AzureSearchOfficerIndex(client, new AzureSearchOfficerIndexOptions { Endpoint = new Uri("http://x.search.windows.net") }));
    }

    /// <summary>The shapes a candidate filter may take: the build, the badge key, per word a prefix (and deletion keys); paging after a key.</summary>
    private static readonly Regex AllowedShape = new(
        @"^build eq L and (badgeKeys/any \( b : b eq L \)|\( badgeKeys/any \( b : b eq L \) or \( (?<w>namePrefixes/any \( p : p eq L \)|\( namePrefixes/any \( p : p eq L \) or nameDeletions/any \( d : search.in \( d , L , L \) \) \))( and (\k<w>|namePrefixes/any \( p : p eq L \)|\( namePrefixes/any \( p : p eq L \) or nameDeletions/any \( d : search.in \( d , L , L \) \) \)))* \) \))( and key gt L)?$",
        RegexOptions.CultureInvariant);

    /// <summary>The literals of a candidate filter that come from the query: all but the build, the search.in delimiter and the paging key.</summary>
    private static List<string> QueryWords(string filter)
    {
        var literals = FilterParser.Literals(filter).ToList();
        if (filter.Contains(" and key gt '", StringComparison.Ordinal))
        {
            literals.RemoveAt(literals.Count - 1);
        }

        return [.. literals.Skip(1).Where(l => l != " ")];
    }

    private static string Unquote(Match match) => match.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal);

    private static bool IsPointerUpload(RecordedRequest r) =>
        r.Path == UploadPath && Bodies.Actions(r).Any(a => a.Key == SearchKeys.Pointer);

    private static List<RecordedRequest> OfficerUploads(FakeSearchService service) =>
        [.. service.Transport.Requests.Where(r => r.Path == UploadPath && Bodies.Actions(r).All(a => a.Action == "upload" && a.Key != SearchKeys.Pointer))];

    private static string Describe(RecordedRequest r)
    {
        if (r.Method == "GET")
        {
            return $"GET {r.Path} {Uri.UnescapeDataString(r.Uri.Query.TrimStart('?')).Split('&').Single(p => p.StartsWith('$'))}";
        }

        if (r.Path == UploadPath)
        {
            return $"POST {r.Path} {string.Join(", ", Bodies.Actions(r).Select(a => a.Action + " " + a.Key))}";
        }

        var body = Bodies.Json(r);
        var kind = body["count"] is not null ? "count" : (string?)body["select"] == "key" ? "keys" : "candidates";
        return $"POST {r.Path} {kind} {(string?)body["filter"]}";
    }

    private static JsonNode Canonical(JsonObject definition)
    {
        var copy = (JsonObject)definition.DeepClone();
        copy.Remove("@odata.etag");
        var fields = copy["fields"]!.AsArray().Select(f => f!.DeepClone()).OrderBy(f => (string)f["name"]!, StringComparer.Ordinal).ToList();
        copy["fields"] = new JsonArray([.. fields]);
        return copy;
    }

    private static string FixturePath(string name, [CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "Fixtures", name);

    internal static string Id(int n) => string.Create(CultureInfo.InvariantCulture, $"off-{n:x16}");

    internal static OfficerDocument Officer(int n, string name, int complaints = 0) =>
        ConformanceData.Officer(Id(n), name, complaints, [string.Create(CultureInfo.InvariantCulture, $"B{n}")]);

    private sealed class Progress : IProgress<string>
    {
        public List<string> Lines { get; } = [];

        public void Report(string value) => Lines.Add(value);
    }
}
