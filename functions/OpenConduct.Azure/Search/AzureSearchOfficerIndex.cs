using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Search.Documents;
using Azure.Search.Documents.Indexes;
using Azure.Search.Documents.Indexes.Models;
using Azure.Search.Documents.Models;
using OpenConduct.Core.Officers;

namespace OpenConduct.Azure.Search;

/// <summary>
/// The officer index in Azure AI Search: one index holding every publish ("build") of a generation side by side, and
/// a pointer document naming the live build. A publish uploads the new build (batches of at most 1,000 documents and
/// 16 MB, transient per-document failures retried), waits until all of it is searchable, moves the pointer, waits
/// out the readers' pointer cache and deletes every other build; queries filter on the live build, so they never
/// see a half-built one. Candidates are fetched with exact filters (no query syntax: nothing the public types is
/// parsed) and ranked here by <see cref="OfficerSearchRules"/>, the rules the Lucene index follows. docs/search.md
/// ("Azure AI Search") has the reasons.
/// </summary>
public sealed class AzureSearchOfficerIndex : IOfficerIndex
{
    /// <summary>Candidates fetched per search request (the service's maximum page).</summary>
    internal const int PageSize = 1000;

    /// <summary>The bytes of an indexing request around its actions: <c>{"value":[</c> and <c>]}</c>.</summary>
    internal const int EnvelopeBytes = 12;

    /// <summary>The bytes an upload action adds to its document: <c>"@search.action":"upload",</c> and the comma between actions.</summary>
    internal const int ActionOverheadBytes = 27;

    private static readonly int[] TransientStatuses = [409, 422, 429, 503];

    /// <summary>How documents are measured: System.Text.Json's defaults escape the most, so this is an upper bound of what the SDK sends.</summary>
    private static readonly JsonSerializerOptions MeasureOptions = new();

    private readonly SearchIndexClient indexes;
    private readonly SearchClient documents;
    private readonly AzureSearchOfficerIndexOptions options;
    private readonly object publishGate = new();
    private Task publishing = Task.CompletedTask;
    private CachedPointer? cached;
    private int indexEnsured;

    /// <param name="indexClient">The service (its options carry the transport, retries and credential).</param>
    /// <param name="options">The index name and publishing limits; defaults when null.</param>
    public AzureSearchOfficerIndex(SearchIndexClient indexClient, AzureSearchOfficerIndexOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(indexClient);
        options ??= new AzureSearchOfficerIndexOptions();
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        indexes = indexClient;
        documents = indexClient.GetSearchClient(options.IndexName);
        this.options = options;
    }

    /// <summary>The index on a service, with a token credential (Entra ID: <c>DefaultAzureCredential</c> in Azure; no keys).</summary>
    public static AzureSearchOfficerIndex Create(Uri endpoint, TokenCredential credential, AzureSearchOfficerIndexOptions? options = null, SearchClientOptions? clientOptions = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(credential);
        return new AzureSearchOfficerIndex(new SearchIndexClient(endpoint, credential, clientOptions ?? new SearchClientOptions()), options);
    }

    public string IndexName => documents.IndexName;

    public Uri Endpoint => documents.Endpoint;

    /// <summary>The index definition: the fields of <see cref="OfficerSearchDocument"/> as <see cref="FieldBuilder"/> builds them.</summary>
    public static SearchIndex CreateIndexDefinition(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new SearchIndex(name, new FieldBuilder().Build(typeof(OfficerSearchDocument)));
    }

    /// <summary>Creates the index, or updates its definition (adding fields needs no downtime). Publishing does it first.</summary>
    public async Task EnsureIndexAsync(CancellationToken cancellationToken = default)
    {
        await indexes.CreateOrUpdateIndexAsync(CreateIndexDefinition(IndexName), allowIndexDowntime: false, onlyIfUnchanged: false, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref indexEnsured, 1);
    }

    /// <summary>
    /// Publishes are serialised within this instance (one waits for the one before it); publishes from several
    /// processes to one index must be serialised by the caller, since each deletes every build but its own.
    /// </summary>
    public async Task PublishAsync(string generation, IEnumerable<OfficerDocument> documents, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(generation);
        ArgumentNullException.ThrowIfNull(documents);
        var turn = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task before;
        lock (publishGate)
        {
            before = publishing;
            publishing = turn.Task;
        }

        var started = false;
        try
        {
            await before.WaitAsync(cancellationToken).ConfigureAwait(false);
            started = true;
            await PublishCoreAsync(generation, documents, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (started)
            {
                turn.SetResult();
            }
            else
            {
                // Cancelled while waiting: the next publish still waits for the one before this.
                _ = before.ContinueWith(_ => turn.SetResult(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private async Task PublishCoreAsync(string generation, IEnumerable<OfficerDocument> documents, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref indexEnsured) == 0)
        {
            await EnsureIndexAsync(cancellationToken).ConfigureAwait(false);
        }

        var previous = await ReadPointerAsync(cancellationToken).ConfigureAwait(false);
        var build = generation + "/" + options.NewBuildSuffix();
        progress?.Report($"search index '{IndexName}': uploading generation '{generation}' as build '{build}'");

        // 1. Upload the build, in batches within both service limits.
        var failures = new List<OfficerIndexFailure>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var batch = new List<OfficerSearchDocument>();
        var batchKeys = new HashSet<string>(StringComparer.Ordinal);
        long batchBytes = EnvelopeBytes;
        var uploaded = 0;
        var longestWord = 0;
        foreach (var officer in documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (officer is null)
            {
                throw new ArgumentException("the officer documents contain null", nameof(documents));
            }

            if (string.IsNullOrEmpty(officer.Id))
            {
                throw new ArgumentException("an officer document has no id", nameof(documents));
            }

            // A repeated id keeps the last document (as the Lucene index does): it goes in a later request than the
            // earlier one, which it then overwrites.
            ids.Add(officer.Id);
            var document = OfficerSearchDocument.From(build, officer);
            if (batchKeys.Contains(document.Key))
            {
                uploaded += await UploadAsync(batch, failures, progress, cancellationToken).ConfigureAwait(false);
                batch = [];
                batchKeys.Clear();
                batchBytes = EnvelopeBytes;
            }

            longestWord = Math.Max(longestWord, document.NamePrefixes.Select(OfficerSearchRules.CodePointCount).DefaultIfEmpty(0).Max());
            var bytes = MeasureBytes(document);
            if (EnvelopeBytes + bytes > options.MaxBatchBytes)
            {
                var failure = new OfficerIndexFailure(document.Key, 413, string.Create(CultureInfo.InvariantCulture, $"the document is {bytes} bytes serialized, over the {options.MaxBatchBytes}-byte request limit"), 0);
                failures.Add(failure);
                progress?.Report($"search index '{IndexName}': officer {officer.Id} not sent: {failure.Message}");
                continue;
            }

            if (batch.Count == options.MaxBatchDocuments || batchBytes + bytes > options.MaxBatchBytes)
            {
                uploaded += await UploadAsync(batch, failures, progress, cancellationToken).ConfigureAwait(false);
                progress?.Report(string.Create(CultureInfo.InvariantCulture, $"search index '{IndexName}': {uploaded} officers uploaded"));
                batch = [];
                batchKeys.Clear();
                batchBytes = EnvelopeBytes;
            }

            batch.Add(document);
            batchKeys.Add(document.Key);
            batchBytes += bytes;
        }

        if (batch.Count > 0)
        {
            uploaded += await UploadAsync(batch, failures, progress, cancellationToken).ConfigureAwait(false);
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"search index '{IndexName}': {uploaded} officers uploaded"));
        }

        if (failures.Count > 0)
        {
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"search index '{IndexName}': {failures.Count} officer document(s) failed; generation '{generation}' is not made live"));
            throw OfficerIndexPublishException.For(IndexName, generation, failures);
        }

        // 2. Wait until every document of the build is searchable (indexing is near real time, not immediate).
        await WaitUntilSearchableAsync(build, ids.Count, progress, cancellationToken).ConfigureAwait(false);

        // 3. Move the pointer.
        var pointer = new LivePointer(generation, build, longestWord);
        var pointerFailures = await IndexWithRetriesAsync(
            [OfficerSearchDocument.From(pointer)],
            d => d.Key,
            (items, ct) => this.documents.IndexDocumentsAsync(IndexDocumentsBatch.Upload(items), new IndexDocumentsOptions { ThrowOnAnyError = false }, ct),
            progress,
            cancellationToken).ConfigureAwait(false);
        if (pointerFailures.Count > 0)
        {
            throw OfficerIndexPublishException.For(IndexName, generation, pointerFailures);
        }

        Volatile.Write(ref cached, new CachedPointer(pointer, options.TimeProvider.GetUtcNow() + options.PointerCacheDuration));
        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"search index '{IndexName}': generation '{generation}' is live ({ids.Count} officers)"));

        // 4. Delete every other build: the previous one once no reader can still hold the old pointer, and any
        //    leftovers of failed publishes.
        if (previous is not null)
        {
            await options.Delay(options.PointerCacheDuration, cancellationToken).ConfigureAwait(false);
        }

        await DeleteOtherBuildsAsync(build, progress, cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> GetGenerationAsync(CancellationToken cancellationToken = default) =>
        (await LivePointerAsync(cancellationToken).ConfigureAwait(false))?.Generation;

    public async Task<OfficerSearchResult> SearchAsync(OfficerQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var skip = OfficerSearchRules.ClampSkip(query.Skip);
        var take = OfficerSearchRules.ClampTake(query.Take);
        var keys = QueryKeys.From(query.Text);
        if (keys.Words.Count == 0)
        {
            return new OfficerSearchResult([], 0);
        }

        var pointer = await LivePointerAsync(cancellationToken).ConfigureAwait(false);
        if (pointer is null)
        {
            return new OfficerSearchResult([], 0);
        }

        var matches = new List<(OfficerSearchDocument Officer, OfficerScore Score)>();
        await foreach (var candidate in CandidatesAsync(CandidateFilter(pointer, keys), cancellationToken).ConfigureAwait(false))
        {
            if (OfficerSearchRules.Score(keys, candidate.Keys()) is { } score)
            {
                matches.Add((candidate, score));
            }
        }

        matches.Sort((a, b) => OfficerSearchRules.Compare(
            a.Score, a.Officer.Complaints, a.Officer.DisplayName ?? "", a.Officer.Id ?? "",
            b.Score, b.Officer.Complaints, b.Officer.DisplayName ?? "", b.Officer.Id ?? ""));
        return new OfficerSearchResult([.. matches.Skip(skip).Take(take).Select(m => m.Officer.ToHit(m.Score.Tier))], matches.Count);
    }

    public async Task<OfficerDocument?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var pointer = await LivePointerAsync(cancellationToken).ConfigureAwait(false);
        if (pointer is null || id.Length == 0)
        {
            return null;
        }

        var key = SearchKeys.Escape(pointer.Build) + "_" + SearchKeys.Escape(id);
        if (key.Length > SearchKeys.MaxLength)
        {
            return null;
        }

        try
        {
            var options = new GetDocumentOptions();
            options.SelectedFields.Add("document");
            Response<OfficerSearchDocument> response = await documents.GetDocumentAsync<OfficerSearchDocument>(key, options, cancellationToken).ConfigureAwait(false);
            return response.Value.Document is { } json ? JsonSerializer.Deserialize<OfficerDocument>(json, OfficerSearchDocument.JsonOptions) : null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    /// <summary>
    /// The filter that finds every officer who may match (a superset: the rules decide), in the live build: the badge
    /// key, or for every query word a name-word prefix equal to it or (words of 3 code points or more) a shared
    /// deletion key. Every value goes through <see cref="SearchFilter.Create(FormattableString, IFormatProvider)"/>.
    /// </summary>
    internal static string CandidateFilter(LivePointer pointer, QueryKeys keys)
    {
        var candidates = Filter($"badgeKeys/any(b: b eq {keys.BadgeKey})");
        var words = new List<string>();
        var namesMayMatch = true;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < keys.Words.Count; i++)
        {
            var word = keys.Words[i];
            if (!seen.Add(word))
            {
                continue;
            }

            var runes = word.EnumerateRunes().Select(r => r.ToString()).ToArray();
            var nicknames = keys.Nicknames[i];
            if (runes.Length > pointer.LongestWord + 2 && nicknames.Count == 0)
            {
                // Longer than every name word by more than 2: neither a prefix nor within 2 edits of one.
                namesMayMatch = false;
                break;
            }

            var prefix = Filter($"namePrefixes/any(p: p eq {word})");
            if (nicknames.Count > 0)
            {
                // A nickname is a whole name word, so one of its "prefixes" (every name word is its own prefix).
                var names = string.Join(' ', nicknames);
                prefix = "(" + prefix + " or " + Filter($"namePrefixes/any(p: search.in(p, {names}, ' '))") + ")";
            }
            var edits = OfficerSearchRules.AllowedEdits(word);
            if (edits == 0)
            {
                words.Add(prefix);
                continue;
            }

            var deletions = string.Join(' ', OfficerSearchDocument.Deletions(runes, edits));
            words.Add("(" + prefix + " or " + Filter($"nameDeletions/any(d: search.in(d, {deletions}, ' '))") + ")");
        }

        if (namesMayMatch && words.Count > 0)
        {
            candidates = "(" + candidates + " or (" + string.Join(" and ", words) + "))";
        }

        return Filter($"build eq {pointer.Build}") + " and " + candidates;
    }

    /// <summary>An OData filter from an interpolated string: every value quoted and escaped by <see cref="SearchFilter"/>.</summary>
    internal static string Filter(FormattableString expression) => SearchFilter.Create(expression, CultureInfo.InvariantCulture);

    /// <summary>The serialized size of an upload action holding the document (an upper bound of what the SDK sends).</summary>
    internal static long MeasureBytes(OfficerSearchDocument document) =>
        JsonSerializer.SerializeToUtf8Bytes(document, MeasureOptions).Length + ActionOverheadBytes;

    private async Task<int> UploadAsync(List<OfficerSearchDocument> batch, List<OfficerIndexFailure> failures, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var failed = await IndexWithRetriesAsync(
            batch,
            d => d.Key,
            (items, ct) => documents.IndexDocumentsAsync(IndexDocumentsBatch.Upload(items), new IndexDocumentsOptions { ThrowOnAnyError = false }, ct),
            progress,
            cancellationToken).ConfigureAwait(false);
        failures.AddRange(failed);
        return batch.Count - failed.Count;
    }

    /// <summary>
    /// Sends the items; the ones the service answers with a transient status (409, 422, 429, 503) or does not answer
    /// are sent again, alone, after <see cref="AzureSearchOfficerIndexOptions.FirstRetryDelay"/> doubling each time,
    /// up to <see cref="AzureSearchOfficerIndexOptions.MaxAttempts"/> attempts. Returns the failures that remain.
    /// </summary>
    private async Task<IReadOnlyList<OfficerIndexFailure>> IndexWithRetriesAsync<T>(
        IReadOnlyList<T> items,
        Func<T, string> keyOf,
        Func<IReadOnlyList<T>, CancellationToken, Task<Response<IndexDocumentsResult>>> send,
        IProgress<string>? progress,
        CancellationToken cancellationToken)
    {
        var failures = new List<OfficerIndexFailure>();
        var pending = items;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            Response<IndexDocumentsResult> response = await send(pending, cancellationToken).ConfigureAwait(false);
            var sent = new Dictionary<string, T>(StringComparer.Ordinal);
            foreach (var item in pending)
            {
                sent[keyOf(item)] = item;
            }

            var retry = new List<T>();
            var last = attempt >= options.MaxAttempts;
            foreach (var result in response.Value.Results)
            {
                if (!sent.Remove(result.Key, out var item) || result.Succeeded)
                {
                    continue;
                }

                if (!last && TransientStatuses.Contains(result.Status))
                {
                    retry.Add(item);
                    progress?.Report(string.Create(CultureInfo.InvariantCulture, $"search index '{IndexName}': document {result.Key} failed ({result.Status}: {result.ErrorMessage}); it is sent again"));
                }
                else
                {
                    failures.Add(new OfficerIndexFailure(result.Key, result.Status, result.ErrorMessage, attempt));
                    progress?.Report(string.Create(CultureInfo.InvariantCulture, $"search index '{IndexName}': document {result.Key} failed for good after {attempt} attempt(s) ({result.Status}: {result.ErrorMessage})"));
                }
            }

            // Documents the service did not answer for: transient as far as we can tell.
            foreach (var (key, item) in sent)
            {
                if (last)
                {
                    failures.Add(new OfficerIndexFailure(key, 0, "the service returned no result for the document", attempt));
                }
                else
                {
                    retry.Add(item);
                }
            }

            if (retry.Count == 0)
            {
                break;
            }

            var delay = options.FirstRetryDelay * Math.Pow(2, attempt - 1);
            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"search index '{IndexName}': retrying {retry.Count} document(s) in {delay.TotalSeconds:0.###} s (attempt {attempt + 1} of {options.MaxAttempts})"));
            await options.Delay(delay, cancellationToken).ConfigureAwait(false);
            pending = retry;
        }

        return failures;
    }

    private async Task WaitUntilSearchableAsync(string build, int expected, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (expected == 0)
        {
            return;
        }

        var deadline = options.TimeProvider.GetUtcNow() + options.VisibilityTimeout;
        var filter = Filter($"build eq {build}");
        while (true)
        {
            var search = new SearchOptions { Filter = filter, Size = 0, IncludeTotalCount = true };
            Response<SearchResults<OfficerSearchDocument>> response = await documents.SearchAsync<OfficerSearchDocument>("*", search, cancellationToken).ConfigureAwait(false);
            var count = response.Value.TotalCount ?? 0;
            if (count >= expected)
            {
                return;
            }

            if (options.TimeProvider.GetUtcNow() >= deadline)
            {
                throw new OfficerIndexPublishException(string.Create(CultureInfo.InvariantCulture,
                    $"only {count} of the {expected} documents of build '{build}' became searchable in '{IndexName}' within {options.VisibilityTimeout}; the generation was not made live"));
            }

            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"search index '{IndexName}': {count} of {expected} documents searchable, waiting"));
            await options.Delay(options.VisibilityPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeleteOtherBuildsAsync(string live, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var filter = Filter($"build ne null and build ne {live}");
        var deleted = 0;
        var failed = 0;
        try
        {
            var page = new List<string>();
            await foreach (var document in PagesAsync(filter, ["key"], cancellationToken).ConfigureAwait(false))
            {
                page.Add(document.Key);
                if (page.Count == PageSize)
                {
                    (deleted, failed) = Add((deleted, failed), page.Count, await DeleteAsync(page, progress, cancellationToken).ConfigureAwait(false));
                    page = [];
                }
            }

            if (page.Count > 0)
            {
                (deleted, failed) = Add((deleted, failed), page.Count, await DeleteAsync(page, progress, cancellationToken).ConfigureAwait(false));
            }
        }
        catch (RequestFailedException e)
        {
            // The new build is live already; what is left is hidden from queries and the next publish deletes it.
            progress?.Report($"search index '{IndexName}': deleting the previous builds stopped ({e.Status}: {e.Message}); the next publish deletes the rest");
        }

        progress?.Report(string.Create(CultureInfo.InvariantCulture, $"search index '{IndexName}': {deleted} documents of previous builds deleted")
            + (failed > 0 ? string.Create(CultureInfo.InvariantCulture, $", {failed} could not be (hidden from queries; the next publish deletes them)") : ""));

        static (int Deleted, int Failed) Add((int Deleted, int Failed) totals, int sent, int failures) =>
            (totals.Deleted + sent - failures, totals.Failed + failures);
    }

    private async Task<int> DeleteAsync(List<string> keys, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var failures = await IndexWithRetriesAsync(
            keys,
            k => k,
            (items, ct) => documents.DeleteDocumentsAsync("key", items, new IndexDocumentsOptions { ThrowOnAnyError = false }, ct),
            progress,
            cancellationToken).ConfigureAwait(false);
        return failures.Count;
    }

    /// <summary>The candidates: every document the filter selects, in key order, with the fields ranking needs.</summary>
    private IAsyncEnumerable<OfficerSearchDocument> CandidatesAsync(string filter, CancellationToken cancellationToken) =>
        PagesAsync(filter, OfficerSearchDocument.HitFields, cancellationToken);

    /// <summary>
    /// Every document the filter selects, in key order, a page of <see cref="PageSize"/> at a time; each page after
    /// the first starts after the last key seen (no skip limit, and stable while documents are deleted).
    /// </summary>
    private async IAsyncEnumerable<OfficerSearchDocument> PagesAsync(string filter, IReadOnlyList<string> fields, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        while (true)
        {
            var search = new SearchOptions
            {
                Filter = after is null ? filter : filter + " and " + Filter($"key gt {after}"),
                Size = PageSize,
                OrderBy = { "key asc" },
            };
            foreach (var field in fields)
            {
                search.Select.Add(field);
            }

            Response<SearchResults<OfficerSearchDocument>> response = await documents.SearchAsync<OfficerSearchDocument>("*", search, cancellationToken).ConfigureAwait(false);
            var count = 0;
            await foreach (var result in response.Value.GetResultsAsync().ConfigureAwait(false))
            {
                count++;
                after = result.Document.Key;
                yield return result.Document;
            }

            if (count < PageSize)
            {
                yield break;
            }
        }
    }

    /// <summary>The live pointer as a reader sees it: read at most once per <see cref="AzureSearchOfficerIndexOptions.PointerCacheDuration"/>.</summary>
    private async Task<LivePointer?> LivePointerAsync(CancellationToken cancellationToken)
    {
        var now = options.TimeProvider.GetUtcNow();
        if (Volatile.Read(ref cached) is { } hit && hit.Expires > now)
        {
            return hit.Pointer;
        }

        var pointer = await ReadPointerAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref cached, new CachedPointer(pointer, now + options.PointerCacheDuration));
        return pointer;
    }

    private async Task<LivePointer?> ReadPointerAsync(CancellationToken cancellationToken)
    {
        try
        {
            var get = new GetDocumentOptions();
            get.SelectedFields.Add("document");
            Response<OfficerSearchDocument> response = await documents.GetDocumentAsync<OfficerSearchDocument>(SearchKeys.Pointer, get, cancellationToken).ConfigureAwait(false);
            return response.Value.Document is { } json
                ? JsonSerializer.Deserialize<LivePointer>(json, OfficerSearchDocument.JsonOptions)
                : throw new InvalidDataException($"the pointer document of search index '{IndexName}' has no content");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No pointer yet, or no index yet: nothing is live.
            return null;
        }
    }

    private sealed record CachedPointer(LivePointer? Pointer, DateTimeOffset Expires);
}
