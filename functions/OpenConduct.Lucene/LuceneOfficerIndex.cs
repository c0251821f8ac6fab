using System.Collections.Concurrent;
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Store;
using Lucene.Net.Util;
using OpenConduct.Core.Officers;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace OpenConduct.Lucene;

/// <summary>
/// The embedded officer index: Lucene.Net 4.8 in a local folder, one index directory per generation.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> <c>{root}/{generation}</c> holds a generation's index (a single segment); <c>{root}/current</c>
/// is a one-line text file naming the live generation's directory. Re-publishing the live generation builds
/// <c>{root}/{generation}@2</c> (then <c>@3</c>, ...) so that the live directory is never touched; the part before
/// <c>@</c> is the generation. Only one process may publish into a root at a time.</para>
/// <para><b>Publish.</b> The documents are written to a new directory (deleted first if it exists), merged to one
/// segment and committed; the new generation is opened; then <c>current</c> is replaced atomically (a temp file moved
/// over it) and the in-memory generation is swapped. Searches that started on the old generation finish on it (it is
/// reference-counted and closed by the last one); searches that start after the swap see the new one. Every directory
/// other than the live one and the one it replaced is then deleted (only directories marked as generations by a
/// <c>.officer-index</c> file: nothing else in the folder is touched). A crash at any point leaves <c>current</c> naming
/// a complete generation.</para>
/// <para><b>Search.</b> The query is normalised (<see cref="OfficerSearchRules"/>; no word, no search). The candidates,
/// a superset of the matches, come from the generation's name words and badge keys inverted in memory when it is opened
/// (the same terms as the <c>w</c> and <c>b</c> fields; never a query parser): the documents with the badge key, or
/// those where every query word starts a name word, is a nickname of one, or is within its allowed edits of one (those
/// words come from a trie of the generation's name words). Each candidate is then scored by
/// <see cref="OfficerSearchRules.Score"/> on the officer's keys, held in memory per generation (about 1.3 KB per
/// officer), and the matches are ranked and paged. Query text is never interpreted as query syntax.</para>
/// <para><b>Fields.</b> <c>id</c> (term), <c>w</c> (the name words, terms), <c>b</c> (the badge keys, terms), <c>doc</c>
/// (the full <see cref="OfficerDocument"/> as stored JSON, for <see cref="GetAsync"/>) and <c>meta</c> (binary doc
/// values: id, names, badges, rank, unit, complaints, read into memory when a generation is opened).</para>
/// </remarks>
public sealed partial class LuceneOfficerIndex : IOfficerIndex, IDisposable
{
    /// <summary>The pointer file naming the live generation's directory.</summary>
    public const string PointerFileName = "current";

    /// <summary>The file that marks a directory as a generation this class built (only such directories are ever deleted).</summary>
    internal const string MarkerFileName = ".officer-index";

    internal const string IdField = "id";
    internal const string WordField = "w";
    internal const string BadgeField = "b";
    internal const string DocumentField = "doc";
    internal const string MetaField = "meta";
    internal const string MetaStoredField = "meta_s";

    // Binary doc values hold at most 32,766 bytes: a larger meta record (thousands of name variants) is stored instead.
    private const int MaxDocValuesBytes = 32_000;

    private static readonly JsonSerializerOptions Json = new();
    private static readonly HashSet<string> DocumentFieldOnly = [DocumentField];
    private static readonly HashSet<string> MetaStoredFieldOnly = [MetaStoredField];

    private readonly string root;
    private readonly SemaphoreSlim publishing = new(1, 1);
    private Generation? current;
    private string? previousDirectory;
    private bool disposed;

    /// <summary>Opens (or creates) the index folder and the live generation named by its <c>current</c> file, if any.</summary>
    /// <exception cref="InvalidDataException"><c>current</c> names a directory that is not a readable index.</exception>
    public LuceneOfficerIndex(string rootPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootPath);
        root = Path.GetFullPath(rootPath);
        System.IO.Directory.CreateDirectory(root);
        var pointer = Path.Combine(root, PointerFileName);
        if (File.Exists(pointer))
        {
            var name = File.ReadAllText(pointer).Trim();
            if (!DirectoryName().IsMatch(name) || !System.IO.Directory.Exists(Path.Combine(root, name)))
            {
                throw new InvalidDataException($"The officer index pointer {pointer} names '{name}', which is not a generation directory of {root}.");
            }

            try
            {
                current = Generation.Open(root, name);
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or JsonException or CorruptIndexException or IndexFormatTooOldException or IndexFormatTooNewException)
            {
                throw new InvalidDataException($"The officer index generation {Path.Combine(root, name)} cannot be opened: {e.Message}", e);
            }
        }
    }

    /// <summary>The folder holding the generations.</summary>
    public string RootPath => root;

    /// <summary>The live generation's directory name (the generation, or <c>{generation}@{n}</c> after a re-publish), or null.</summary>
    public string? CurrentDirectory => Volatile.Read(ref current)?.DirectoryName;

    /// <summary>The number of officers in the live generation.</summary>
    public int Count => Volatile.Read(ref current)?.Count ?? 0;

    /// <summary>Whether <paramref name="generation"/> can name a generation: 1 to 100 of <c>A-Z a-z 0-9 . _ -</c>, starting with a letter or digit, not <c>current</c>.</summary>
    public static bool IsValidGeneration(string? generation) =>
        generation is not null && GenerationName().IsMatch(generation) && !string.Equals(generation, PointerFileName, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public async Task PublishAsync(string generation, IEnumerable<OfficerDocument> documents, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        if (!IsValidGeneration(generation))
        {
            throw new ArgumentException($"'{generation}' is not a valid generation: 1 to 100 of A-Z a-z 0-9 . _ -, starting with a letter or digit, not '{PointerFileName}'.", nameof(generation));
        }

        ArgumentNullException.ThrowIfNull(documents);
        ObjectDisposedException.ThrowIf(disposed, this);
        await publishing.WaitAsync(cancellationToken).ConfigureAwait(false);
        string? building = null;
        Generation? opened = null;
        var pointerMoved = false;
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            building = ChooseDirectory(generation);
            var path = Path.Combine(root, building);
            if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Delete(path, recursive: true);
            }

            System.IO.Directory.CreateDirectory(path);
            File.WriteAllText(Path.Combine(path, MarkerFileName), generation + "\n");
            var count = Build(path, documents, progress, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            opened = Generation.Open(root, building);

            // The swap: first the pointer on disk (written and flushed to a temp file, then renamed over it: atomic),
            // then the in-memory generation. From the rename on, the new directory is the live one on disk.
            var temp = Path.Combine(root, "." + PointerFileName + "." + Guid.NewGuid().ToString("N") + ".tmp");
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(System.Text.Encoding.UTF8.GetBytes(building + "\n"));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, Path.Combine(root, PointerFileName), overwrite: true);
            pointerMoved = true;
            var old = Interlocked.Exchange(ref current, opened);
            opened = null;
            previousDirectory = old?.DirectoryName;
            old?.Release();
            if (disposed)
            {
                // Disposed while publishing: nothing may stay open.
                Interlocked.Exchange(ref current, null)?.Release();
            }

            progress?.Report(string.Create(CultureInfo.InvariantCulture, $"officer index: generation {generation} is live ({count:N0} officers, {building})"));
            DeleteOldGenerations(building, previousDirectory, progress);
        }
        catch
        {
            opened?.Release();
            if (building is not null && !pointerMoved)
            {
                TryDelete(Path.Combine(root, building));
            }

            throw;
        }
        finally
        {
            publishing.Release();
        }
    }

    /// <inheritdoc />
    public Task<string?> GetGenerationAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Volatile.Read(ref current)?.Name);

    /// <inheritdoc />
    public Task<OfficerSearchResult> SearchAsync(OfficerQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        cancellationToken.ThrowIfCancellationRequested();
        var keys = QueryKeys.From(query.Text);
        if (keys.Words.Count == 0)
        {
            return Task.FromResult(new OfficerSearchResult([], 0));
        }

        var generation = Acquire();
        if (generation is null)
        {
            return Task.FromResult(new OfficerSearchResult([], 0));
        }

        try
        {
            return Task.FromResult(generation.Search(keys, OfficerSearchRules.ClampSkip(query.Skip), OfficerSearchRules.ClampTake(query.Take)));
        }
        finally
        {
            generation.Release();
        }
    }

    /// <inheritdoc />
    public Task<OfficerDocument?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        var generation = Acquire();
        if (generation is null)
        {
            return Task.FromResult<OfficerDocument?>(null);
        }

        try
        {
            return Task.FromResult(generation.Get(id));
        }
        finally
        {
            generation.Release();
        }
    }

    /// <summary>Closes the live generation (once the searches running on it finish).</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        Interlocked.Exchange(ref current, null)?.Release();
        publishing.Dispose();
    }

    private static int Build(string path, IEnumerable<OfficerDocument> documents, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        using var directory = FSDirectory.Open(path);
        using var analyzer = new KeywordAnalyzer();
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer)
        {
            OpenMode = OpenMode.CREATE,
            RAMBufferSizeMB = 64,
        };
        using var writer = new IndexWriter(directory, config);
        var count = 0;
        foreach (var document in documents)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ArgumentNullException.ThrowIfNull(document, nameof(documents));
            if (string.IsNullOrEmpty(document.Id))
            {
                throw new ArgumentException("An officer document has no id.", nameof(documents));
            }

            // Update, not add: a repeated id keeps the last document, as an upload by key would.
            writer.UpdateDocument(new Term(IdField, document.Id), ToLucene(document));
            if (++count % 5_000 == 0)
            {
                progress?.Report(string.Create(CultureInfo.InvariantCulture, $"officer index: {count:N0} officers written"));
            }
        }

        writer.ForceMerge(1);
        writer.Commit();
        return count;
    }

    private static Document ToLucene(OfficerDocument document)
    {
        var keys = OfficerKeys.From(document);
        var lucene = new Document { new StringField(IdField, document.Id, Field.Store.NO) };
        foreach (var word in keys.Words)
        {
            lucene.Add(new StringField(WordField, word, Field.Store.NO));
        }

        foreach (var badge in keys.BadgeKeys)
        {
            lucene.Add(new StringField(BadgeField, badge, Field.Store.NO));
        }

        lucene.Add(new StoredField(DocumentField, JsonSerializer.Serialize(document, Json)));
        var meta = JsonSerializer.SerializeToUtf8Bytes(OfficerMeta.From(document), Json);
        if (meta.Length <= MaxDocValuesBytes)
        {
            lucene.Add(new BinaryDocValuesField(MetaField, new BytesRef(meta)));
        }
        else
        {
            lucene.Add(new BinaryDocValuesField(MetaField, new BytesRef()));
            lucene.Add(new StoredField(MetaStoredField, meta));
        }

        return lucene;
    }

    private Generation? Acquire()
    {
        while (true)
        {
            var generation = Volatile.Read(ref current);
            if (generation is null || generation.TryAcquire())
            {
                return generation;
            }

            // Swapped out and closed between the read and the acquire: read the new one.
        }
    }

    private string ChooseDirectory(string generation)
    {
        // The live directory is never rebuilt in place, nor the one it replaced (searches may still be finishing on it).
        var live = CurrentDirectory;
        for (var n = 1; ; n++)
        {
            var name = n == 1 ? generation : string.Create(CultureInfo.InvariantCulture, $"{generation}@{n}");
            if (!string.Equals(name, live, StringComparison.OrdinalIgnoreCase) && !string.Equals(name, previousDirectory, StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }
        }
    }

    private void DeleteOldGenerations(string live, string? previous, IProgress<string>? progress)
    {
        foreach (var path in System.IO.Directory.EnumerateDirectories(root))
        {
            var name = Path.GetFileName(path);
            if (DirectoryName().IsMatch(name) && name != live && name != previous && File.Exists(Path.Combine(path, MarkerFileName)))
            {
                if (TryDelete(path))
                {
                    progress?.Report($"officer index: deleted old generation directory {name}");
                }
            }
        }

        foreach (var temp in System.IO.Directory.EnumerateFiles(root, "." + PointerFileName + ".*.tmp"))
        {
            TryDelete(temp);
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Delete(path, recursive: true);
            }
            else
            {
                File.Delete(path);
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still open somewhere (Windows): the next publish tries again.
            return false;
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$", RegexOptions.CultureInvariant)]
    private static partial Regex GenerationName();

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}(@[0-9]{1,9})?$", RegexOptions.CultureInvariant)]
    private static partial Regex DirectoryName();

    /// <summary>What a result hit needs, kept in memory per generation (binary doc values <c>meta</c>, JSON).</summary>
    internal sealed record OfficerMeta(string Id, string DisplayName, IReadOnlyList<string> NameVariants, string? CurrentBadge, IReadOnlyList<string> Badges, string? Rank, string? Unit, int Complaints)
    {
        public bool NamePublished { get; init; } = true;

        public IReadOnlyList<string> EmployeeIds { get; init; } = [];

        public IReadOnlyList<string> Sources { get; init; } = [];

        public int? FirstComplaintYear { get; init; }

        public int? LastComplaintYear { get; init; }

        public static OfficerMeta From(OfficerDocument d) =>
            new(d.Id, d.DisplayName, d.NameVariants, d.CurrentBadge, d.Badges, d.Rank, d.Unit, d.Summary?.Complaints ?? 0)
            {
                NamePublished = d.NamePublished,
                EmployeeIds = d.EmployeeIds,
                Sources = OfficerHit.SourcesOf(d.SourceRefs),
                FirstComplaintYear = d.FirstComplaintYear,
                LastComplaintYear = d.LastComplaintYear,
            };

        public OfficerKeys Keys() => OfficerKeys.Of(NamePublished, DisplayName, NameVariants, CurrentBadge, Badges, EmployeeIds);

        public OfficerHit ToHit(OfficerMatch match) => new(Id, DisplayName, CurrentBadge, Badges, Rank, Unit, Complaints, match)
        {
            NamePublished = NamePublished,
            EmployeeIds = EmployeeIds ?? [],
            Sources = Sources ?? [],
            FirstComplaintYear = FirstComplaintYear,
            LastComplaintYear = LastComplaintYear,
        };
    }

    /// <summary>
    /// One open generation: its reader (for <see cref="Get"/>) and, in memory, the keys and hit fields of every officer,
    /// the distinct name words with their documents, the badge keys with theirs, and the trie of name words;
    /// reference-counted, closed by the last release.
    /// </summary>
    private sealed class Generation
    {
        // A one-word query of at most this many code points (type-ahead's first letters: the most candidates, the same
        // few queries asked again and again) keeps its whole ranking for the life of the generation, once computed.
        private const int RememberedMaxCodePoints = 2;

        // The most query words whose similar name words a generation keeps (each a few dozen indexes).
        private const int RememberedWords = 20_000;

        // A one-word query's cost of an exact name and of a badge match (above every word cost: the tiers that beat them).
        private const int ExactNameCost = int.MaxValue - 1;
        private const int BadgeCost = int.MaxValue;

        [ThreadStatic]
        private static Scratch? scratch;

        private readonly LuceneDirectory directory;
        private readonly DirectoryReader reader;
        private readonly Entry?[] entries;
        private readonly OfficerKeys?[] officerKeys;
        private readonly int[] orders;
        private readonly int[] byOrder;
        private readonly Dictionary<string, int> byId;
        private readonly string[] words;
        private readonly int[] wordLengths;
        private readonly string?[] wordSoundex;
        private readonly int[][] postings;
        private readonly byte[][] covered;
        private readonly int[] suffixCover;
        private readonly Dictionary<string, int[]> oneWordNames;
        private readonly Dictionary<string, int> wordIndex;
        private readonly Dictionary<string, int[]> badgePostings;
        private readonly NameWordTrie trie;
        private readonly ConcurrentDictionary<string, long[]> shortRankings = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, SimilarWords> similarWords = new(StringComparer.Ordinal);
        private int references = 1;

        private Generation(string name, string directoryName, LuceneDirectory directory, DirectoryReader reader)
        {
            Name = name;
            DirectoryName = directoryName;
            this.directory = directory;
            this.reader = reader;
            entries = new Entry?[reader.MaxDoc];
            byId = new Dictionary<string, int>(reader.NumDocs, StringComparer.Ordinal);
            var scratchBytes = new BytesRef();
            foreach (var leaf in reader.Leaves)
            {
                var atomic = leaf.AtomicReader;
                var live = atomic.LiveDocs;
                var values = atomic.GetBinaryDocValues(MetaField);
                for (var doc = 0; doc < atomic.MaxDoc; doc++)
                {
                    if (live is not null && !live.Get(doc))
                    {
                        continue;
                    }

                    byte[] bytes;
                    values?.Get(doc, scratchBytes);
                    if (values is not null && scratchBytes.Length > 0)
                    {
                        bytes = new byte[scratchBytes.Length];
                        Array.Copy(scratchBytes.Bytes, scratchBytes.Offset, bytes, 0, scratchBytes.Length);
                    }
                    else
                    {
                        bytes = atomic.Document(doc, MetaStoredFieldOnly).GetBinaryValue(MetaStoredField)?.Bytes
                            ?? throw new InvalidDataException($"Officer index document {leaf.DocBase + doc} in {directoryName} has no meta record.");
                    }

                    var meta = JsonSerializer.Deserialize<OfficerMeta>(bytes, Json)
                        ?? throw new InvalidDataException($"Officer index document {leaf.DocBase + doc} in {directoryName} has an empty meta record.");
                    var id = leaf.DocBase + doc;
                    entries[id] = new Entry(meta, meta.Keys());
                    byId[meta.Id] = id;
                }
            }

            // The name words and badge keys of every officer with their documents (ascending): the same terms as the
            // w and b fields, from the same keys the rules check, inverted in memory so that a search reads no postings.
            var byWord = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var byBadge = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            var byOneWordName = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var doc = 0; doc < entries.Length; doc++)
            {
                if (entries[doc] is not { } entry)
                {
                    continue;
                }

                AddPosting(byWord, entry.Keys.Words, doc);
                AddPosting(byBadge, entry.Keys.BadgeKeys, doc);
                foreach (var sortedName in entry.Keys.SortedNames)
                {
                    if (sortedName.Count == 1)
                    {
                        AddPosting(byOneWordName, sortedName, doc);
                    }
                }
            }

            words = [.. byWord.Keys];
            Array.Sort(words, StringComparer.Ordinal);
            suffixCover = SuffixCovers(words, byWord);
            postings = new int[words.Length][];
            covered = new byte[words.Length][];
            wordLengths = new int[words.Length];
            wordSoundex = new string?[words.Length];
            wordIndex = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
            for (var i = 0; i < words.Length; i++)
            {
                (postings[i], covered[i]) = Covered(words[i], byWord[words[i]], entries);
                wordLengths[i] = OfficerSearchRules.CodePointCount(words[i]);
                wordSoundex[i] = NameSimilarity.Soundex(words[i]);
                wordIndex[words[i]] = i;
            }

            // The officers with a name of one word (or one word besides initials): a one-word query equal to it is an exact name.
            oneWordNames = new Dictionary<string, int[]>(byOneWordName.Count, StringComparer.Ordinal);
            foreach (var (oneWord, docs) in byOneWordName)
            {
                oneWordNames[oneWord] = [.. docs];
            }

            badgePostings = new Dictionary<string, int[]>(byBadge.Count, StringComparer.Ordinal);
            foreach (var (badge, docs) in byBadge)
            {
                badgePostings[badge] = [.. docs];
            }

            trie = NameWordTrie.Build(words);

            // The rank of every officer among equally close matches, computed once: complaints descending, display name, id.
            byOrder = [.. byId.Values];
            Array.Sort(byOrder, (a, b) =>
            {
                var x = entries[a]!.Meta;
                var y = entries[b]!.Meta;
                return OfficerSearchRules.Compare(default, x.Complaints, x.DisplayName, x.Id, default, y.Complaints, y.DisplayName, y.Id);
            });
            for (var i = 0; i < byOrder.Length; i++)
            {
                entries[byOrder[i]]!.Order = i;
            }

            // What scoring a candidate reads, by document, without going through its entry.
            officerKeys = new OfficerKeys?[entries.Length];
            orders = new int[entries.Length];
            for (var doc = 0; doc < entries.Length; doc++)
            {
                officerKeys[doc] = entries[doc]?.Keys;
                orders[doc] = entries[doc]?.Order ?? 0;
            }
        }

        public string Name { get; }

        public string DirectoryName { get; }

        public int Count => byOrder.Length;

        public static Generation Open(string root, string directoryName)
        {
            var name = directoryName.Split('@')[0];
            var directory = FSDirectory.Open(Path.Combine(root, directoryName));
            DirectoryReader? reader = null;
            try
            {
                reader = DirectoryReader.Open(directory);
                return new Generation(name, directoryName, directory, reader);
            }
            catch
            {
                reader?.Dispose();
                directory.Dispose();
                throw;
            }
        }

        public bool TryAcquire()
        {
            while (true)
            {
                var n = Volatile.Read(ref references);
                if (n <= 0)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref references, n + 1, n) == n)
                {
                    return true;
                }
            }
        }

        public void Release()
        {
            if (Interlocked.Decrement(ref references) == 0)
            {
                reader.Dispose();
                directory.Dispose();
            }
        }

        public OfficerSearchResult Search(QueryKeys keys, int skip, int take)
        {
            // Sort key: the tier in the top byte, the closeness in the next three, the officer's precomputed rank among
            // equally close matches in the low four (OfficerSearchRules.Compare, without comparing strings).
            var word = keys.Words[0];
            if (keys.Words.Count == 1 && OfficerSearchRules.CodePointCount(word) <= RememberedMaxCodePoints && StartsSomeWord(word))
            {
                // Bounded by the generation: only the one- and two-letter beginnings of its own name words are kept.
                var all = shortRankings.GetOrAdd(word, static (_, state) => state.Generation.RankAll(state.Keys), (Generation: this, Keys: keys));
                return Page(all, all.Length, skip, take);
            }

            var s = Scratch.For(entries.Length);
            var count = Rank(keys, s);
            var end = (int)Math.Min((long)skip + take, count);
            if (skip < count)
            {
                SortFirst(s.Ranked.AsSpan(0, count), end);
            }

            return Page(s.Ranked, count, skip, take);
        }

        public OfficerDocument? Get(string id)
        {
            if (!byId.TryGetValue(id, out var doc))
            {
                return null;
            }

            var json = reader.Document(doc, DocumentFieldOnly).Get(DocumentField, CultureInfo.InvariantCulture);
            return json is null ? null : JsonSerializer.Deserialize<OfficerDocument>(json, Json);
        }

        /// <summary>
        /// A name word's documents, ordered by how much of the word another, shorter word of the same officer covers: for
        /// each document, the length (in chars, at most 255) of its longest other name word that starts the word (0 when
        /// none: <c>paulo</c> and <c>paulosmith</c> of Paul O Smith are covered by <c>paul</c> to 4 and by <c>paulo</c> to 5).
        /// A document whose word is covered to at least a prefix's length also has the covering word, which starts with the
        /// prefix too: the prefix's range of words reaches the document without this entry, so a scan of the range stops
        /// at the first entry covered that far.
        /// </summary>
        private static (int[] Docs, byte[] Covered) Covered(string word, List<int> docs, Entry?[] entries)
        {
            var pairs = new (byte Covered, int Doc)[docs.Count];
            for (var k = 0; k < docs.Count; k++)
            {
                var longest = 0;
                foreach (var other in entries[docs[k]]!.Keys.Words)
                {
                    if (other.Length < word.Length && other.Length > longest && word.StartsWith(other, StringComparison.Ordinal))
                    {
                        longest = other.Length;
                    }
                }

                pairs[k] = ((byte)Math.Min(longest, 255), docs[k]);
            }

            Array.Sort(pairs);
            var sorted = new int[pairs.Length];
            var lengths = new byte[pairs.Length];
            for (var k = 0; k < pairs.Length; k++)
            {
                (lengths[k], sorted[k]) = pairs[k];
            }

            return (sorted, lengths);
        }

        /// <summary>
        /// For each name word, the longest name word that ends it and that every officer with the word also has (-1 when
        /// none): <c>omalley</c> of Ann O Malley ends with <c>malley</c>, which she has. A query word that reaches both
        /// (<c>malley</c> by its prefix, <c>omalley</c> within its edits) reaches those officers through the shorter one.
        /// </summary>
        private static int[] SuffixCovers(string[] sortedWords, Dictionary<string, List<int>> byWord)
        {
            var index = new Dictionary<string, int>(sortedWords.Length, StringComparer.Ordinal);
            for (var i = 0; i < sortedWords.Length; i++)
            {
                index[sortedWords[i]] = i;
            }

            var lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
            var covers = new int[sortedWords.Length];
            for (var i = 0; i < sortedWords.Length; i++)
            {
                covers[i] = -1;
                var word = sortedWords[i];
                for (var start = 1; start < word.Length; start++)
                {
                    if (lookup.TryGetValue(word.AsSpan(start), out var suffix) && IsSubset(byWord[word], byWord[sortedWords[suffix]]))
                    {
                        covers[i] = suffix;
                        break;
                    }
                }
            }

            return covers;
        }

        /// <summary>Whether every document of <paramref name="docs"/> is in <paramref name="of"/> (both ascending).</summary>
        private static bool IsSubset(List<int> docs, List<int> of)
        {
            var j = 0;
            foreach (var doc in docs)
            {
                while (j < of.Count && of[j] < doc)
                {
                    j++;
                }

                if (j == of.Count || of[j] != doc)
                {
                    return false;
                }
            }

            return true;
        }

        private static void AddPosting(Dictionary<string, List<int>> index, IReadOnlyList<string> terms, int doc)
        {
            for (var i = 0; i < terms.Count; i++)
            {
                if (!index.TryGetValue(terms[i], out var docs))
                {
                    index[terms[i]] = docs = [];
                }

                if (docs.Count == 0 || docs[^1] != doc)
                {
                    docs.Add(doc);
                }
            }
        }

        /// <summary>
        /// Puts the <paramref name="k"/> smallest keys, sorted, at the start of <paramref name="keys"/> (the rest in no
        /// order): a full sort when the page reaches far into the matches, else a bounded max-heap of the k best.
        /// </summary>
        private static void SortFirst(Span<long> keys, int k)
        {
            if (k <= 0)
            {
                return;
            }

            if ((long)k * 4 >= keys.Length)
            {
                keys.Sort();
                return;
            }

            var heap = keys[..k];
            for (var i = (k / 2) - 1; i >= 0; i--)
            {
                SiftDown(heap, i);
            }

            for (var i = k; i < keys.Length; i++)
            {
                if (keys[i] < heap[0])
                {
                    (keys[i], heap[0]) = (heap[0], keys[i]);
                    SiftDown(heap, 0);
                }
            }

            heap.Sort();
        }

        private static void SiftDown(Span<long> heap, int i)
        {
            while (true)
            {
                var largest = i;
                var left = (2 * i) + 1;
                var right = left + 1;
                if (left < heap.Length && heap[left] > heap[largest])
                {
                    largest = left;
                }

                if (right < heap.Length && heap[right] > heap[largest])
                {
                    largest = right;
                }

                if (largest == i)
                {
                    return;
                }

                (heap[i], heap[largest]) = (heap[largest], heap[i]);
                i = largest;
            }
        }

        private OfficerSearchResult Page(long[] ranked, int count, int skip, int take)
        {
            var end = (int)Math.Min((long)skip + take, count);
            var hits = new List<OfficerHit>(Math.Max(0, end - skip));
            for (var i = skip; i < end; i++)
            {
                var entry = entries[byOrder[(int)(ranked[i] & 0xffffffff)]]!;
                hits.Add(entry.Meta.ToHit((OfficerMatch)(ranked[i] >> 56)));
            }

            return new OfficerSearchResult(hits, count);
        }

        /// <summary>Every match of the query, ranked (a copy: kept per generation).</summary>
        private long[] RankAll(QueryKeys keys)
        {
            var s = Scratch.For(entries.Length);
            var count = Rank(keys, s);
            var all = s.Ranked.AsSpan(0, count).ToArray();
            Array.Sort(all);
            return all;
        }

        /// <summary>Scores every candidate with the rules; the sort keys of the matches go to <c>s.Ranked</c>, unsorted. Returns how many.</summary>
        private int Rank(QueryKeys keys, Scratch s)
        {
            if (keys.Words.Count == 1)
            {
                return RankOneWord(keys, s);
            }

            var matches = Candidates(keys, s);
            var count = 0;
            for (var block = 0; block < matches.Length; block++)
            {
                var bits = matches[block];
                while (bits != 0)
                {
                    var doc = (block << 6) + BitOperations.TrailingZeroCount(bits);
                    bits &= bits - 1;
                    if (officerKeys[doc] is { } officer && OfficerSearchRules.Score(keys, officer) is { } score)
                    {
                        if (count == s.Ranked.Length)
                        {
                            Array.Resize(ref s.Ranked, count * 2);
                        }

                        s.Ranked[count++] = ((long)score.Tier << 56) | ((long)Math.Min(score.Distance, 0xFFFFFF) << 32) | (uint)orders[doc];
                    }
                }
            }

            return count;
        }

        /// <summary>
        /// A one-word query, scored per distinct name word instead of per officer (the same answers as
        /// <see cref="OfficerSearchRules.Score"/>, which a test checks): every name word the query word starts, or is a
        /// nickname of, or is within its allowed edits of (the same words the candidates come from) gets its
        /// <see cref="OfficerSearchRules.NameWordCost"/> once, and every officer with that word the least cost of its
        /// words; then the badge key's officers are badge matches and the officers named by the word alone exact names.
        /// The costs live in an array of the thread, reset after use through the list of the officers it touched.
        /// </summary>
        private int RankOneWord(QueryKeys keys, Scratch s)
        {
            var word = keys.Words[0];
            var cost = s.Cost;
            var touched = s.Touched;
            var n = 0;
            // Without nicknames a covering word (shorter, starting with the query word) costs no more than the word it
            // covers, so the covered entries can be skipped; a nickname can cost less than a shorter word (rob: robert).
            var skipCovered = keys.Nicknames[0].Count == 0 ? word.Length : int.MaxValue;
            for (var w = LowerBound(word); w < words.Length && words[w].StartsWith(word, StringComparison.Ordinal); w++)
            {
                n = Visit(w, OfficerSearchRules.NameWordCost(keys, 0, words[w], wordLengths[w], wordSoundex[w]), cost, touched, n, skipCovered);
            }

            var similar = Similar(word, OfficerSearchRules.AllowedEdits(word), keys.Nicknames[0], s).All;
            for (var k = 0; k < similar.Length; k++)
            {
                var w = similar[k];
                n = Visit(w, OfficerSearchRules.NameWordCost(keys, 0, words[w], wordLengths[w], wordSoundex[w]), cost, touched, n, int.MaxValue);
            }

            // Tiers above the word costs: exact name (a name that is this word, besides initials), then badge (the best).
            if (oneWordNames.TryGetValue(word, out var named))
            {
                n = Override(named, ExactNameCost, cost, touched, n);
            }

            if (badgePostings.TryGetValue(keys.BadgeKey, out var badgeDocs))
            {
                n = Override(badgeDocs, BadgeCost, cost, touched, n);
            }

            if (s.Ranked.Length < n)
            {
                s.Ranked = new long[Math.Max(n, s.Ranked.Length * 2)];
            }

            var ranked = s.Ranked;
            for (var i = 0; i < n; i++)
            {
                var doc = touched[i];
                var c = cost[doc];
                cost[doc] = -1;
                var (tier, distance) = c switch
                {
                    BadgeCost => (OfficerMatch.Badge, 0),
                    ExactNameCost => (OfficerMatch.ExactName, 0),
                    < OfficerSearchRules.FuzzyCost => (OfficerMatch.Prefix, c),
                    _ => (OfficerMatch.Fuzzy, c),
                };
                ranked[i] = ((long)tier << 56) | ((long)Math.Min(distance, 0xFFFFFF) << 32) | (uint)orders[doc];
            }

            return n;
        }

        /// <summary>Gives the documents of word <paramref name="w"/> the cost <paramref name="c"/> if less than theirs, up to the first entry covered to <paramref name="skipCovered"/> chars.</summary>
        private int Visit(int w, int c, int[] cost, int[] touched, int n, int skipCovered)
        {
            if (c < 0)
            {
                return n;
            }

            var docs = postings[w];
            var lengths = covered[w];
            for (var k = 0; k < docs.Length && lengths[k] < skipCovered; k++)
            {
                var doc = docs[k];
                var previous = cost[doc];
                if (previous < 0)
                {
                    cost[doc] = c;
                    touched[n++] = doc;
                }
                else if (c < previous)
                {
                    cost[doc] = c;
                }
            }

            return n;
        }

        private static int Override(int[] docs, int c, int[] cost, int[] touched, int n)
        {
            for (var k = 0; k < docs.Length; k++)
            {
                var doc = docs[k];
                if (cost[doc] < 0)
                {
                    touched[n++] = doc;
                }

                cost[doc] = c;
            }

            return n;
        }

        /// <summary>
        /// The documents that may match (a superset of the matches), as a bit set over the documents: those with the
        /// badge key, or where every query word starts a name word, is a nickname of one, or is within its allowed edits
        /// of one (those words from the trie). Each word's documents are the union of its name words' postings, in a bit
        /// set of the calling thread reused from search to search; the words' sets are intersected.
        /// </summary>
        private Span<ulong> Candidates(QueryKeys keys, Scratch s)
        {
            var blocks = (entries.Length + 63) >> 6;
            var matches = s.Matches.AsSpan(0, blocks);
            var bits = s.Bits.AsSpan(0, blocks);
            var queryWords = keys.Words;

            // Words of 1 or 2 code points are left to the rules when a longer word is there: "a" in "John A Smith" would
            // expand to every name word starting with a, and the longer words already narrow the candidates.
            var anyLong = false;
            for (var i = 0; i < queryWords.Count; i++)
            {
                anyLong |= OfficerSearchRules.AllowedEdits(queryWords[i]) > 0;
            }

            var first = true;
            for (var i = 0; i < queryWords.Count; i++)
            {
                var word = queryWords[i];
                var edits = OfficerSearchRules.AllowedEdits(word);
                if ((anyLong && edits == 0) || Repeated(queryWords, i))
                {
                    continue;
                }

                var target = first ? matches : bits;
                target.Clear();
                for (var w = LowerBound(word); w < words.Length && words[w].StartsWith(word, StringComparison.Ordinal); w++)
                {
                    // The entries covered by a shorter word that starts with the query word come through that word.
                    var docs = postings[w];
                    var lengths = covered[w];
                    for (var k = 0; k < docs.Length && lengths[k] < word.Length; k++)
                    {
                        target[docs[k] >> 6] |= 1UL << docs[k];
                    }
                }

                var similar = Similar(word, edits, keys.Nicknames[i], s).Reaching;
                for (var k = 0; k < similar.Length; k++)
                {
                    Or(target, postings[similar[k]]);
                }

                if (!first)
                {
                    for (var b = 0; b < matches.Length; b++)
                    {
                        matches[b] &= bits[b];
                    }
                }

                first = false;
            }

            if (first)
            {
                matches.Clear();
            }

            if (badgePostings.TryGetValue(keys.BadgeKey, out var badgeDocs))
            {
                Or(matches, badgeDocs);
            }

            return matches;
        }

        /// <summary>
        /// The name words (indexes) within the allowed edits of <paramref name="word"/> and its nicknames that are name
        /// words, leaving out those it starts (the prefix range has them); and of those, the ones that reach officers the
        /// others do not (leaving out a word whose suffix cover is among them or in the prefix range: the candidates need
        /// no more; the scores need them all). Kept per generation for the next search with the word: type-ahead sends the
        /// same first words with every letter typed after them, and names repeat.
        /// </summary>
        private SimilarWords Similar(string word, int edits, IReadOnlyList<string> nicknames, Scratch s)
        {
            if (edits == 0 && nicknames.Count == 0)
            {
                return SimilarWords.None;
            }

            if (similarWords.TryGetValue(word, out var remembered))
            {
                return remembered;
            }

            s.Found.Clear();
            if (edits > 0)
            {
                trie.Within(word, edits, s.Found);
            }

            for (var k = 0; k < nicknames.Count; k++)
            {
                if (wordIndex.TryGetValue(nicknames[k], out var w))
                {
                    s.Found.Add(w);
                }
            }

            var similar = new List<int>(s.Found.Count);
            for (var k = 0; k < s.Found.Count; k++)
            {
                if (!words[s.Found[k]].StartsWith(word, StringComparison.Ordinal))
                {
                    similar.Add(s.Found[k]);
                }
            }

            var reaching = new List<int>(similar.Count);
            foreach (var w in similar)
            {
                // Covers are strictly shorter, so following them ends at a word that is kept.
                var cover = suffixCover[w];
                if (cover < 0 || !(words[cover].StartsWith(word, StringComparison.Ordinal) || similar.Contains(cover)))
                {
                    reaching.Add(w);
                }
            }

            var found = new SimilarWords([.. similar], [.. reaching]);
            if (similarWords.Count >= RememberedWords)
            {
                // Bounded: a flood of distinct words (misspellings, nonsense) starts the memory over.
                similarWords.Clear();
            }

            similarWords.TryAdd(word, found);
            return found;
        }

        /// <summary>A query word's similar name words: all of them, and those that reach officers the others and its prefix range do not.</summary>
        private sealed record SimilarWords(int[] All, int[] Reaching)
        {
            public static readonly SimilarWords None = new([], []);
        }

        private static bool Repeated(IReadOnlyList<string> queryWords, int i)
        {
            for (var j = 0; j < i; j++)
            {
                if (string.Equals(queryWords[j], queryWords[i], StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        private static void Or(Span<ulong> set, int[] docs)
        {
            for (var k = 0; k < docs.Length; k++)
            {
                set[docs[k] >> 6] |= 1UL << docs[k];
            }
        }

        /// <summary>Whether some name word of the generation starts with <paramref name="prefix"/>.</summary>
        private bool StartsSomeWord(string prefix)
        {
            var w = LowerBound(prefix);
            return w < words.Length && words[w].StartsWith(prefix, StringComparison.Ordinal);
        }

        /// <summary>The index of the first name word not before <paramref name="prefix"/> in ordinal order (the words starting with it follow, together).</summary>
        private int LowerBound(string prefix)
        {
            int low = 0, high = words.Length;
            while (low < high)
            {
                var middle = (int)((uint)(low + high) >> 1);
                if (string.CompareOrdinal(words[middle], prefix) < 0)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle;
                }
            }

            return low;
        }

        /// <summary>The buffers of one thread's searches, reused (a search runs on one thread without awaiting).</summary>
        private sealed class Scratch
        {
            public ulong[] Matches = [];
            public ulong[] Bits = [];
            public long[] Ranked = new long[1024];
            public readonly List<int> Found = [];

            // Per document, a one-word query's least word cost so far (-1: not reached; every entry is -1 between
            // searches), and the documents reached, in order.
            public int[] Cost = [];
            public int[] Touched = [];

            public static Scratch For(int documents)
            {
                var s = scratch ??= new Scratch();
                var blocks = (documents + 63) >> 6;
                if (s.Matches.Length < blocks)
                {
                    s.Matches = new ulong[blocks];
                    s.Bits = new ulong[blocks];
                }

                if (s.Cost.Length < documents)
                {
                    s.Cost = new int[documents];
                    Array.Fill(s.Cost, -1);
                    s.Touched = new int[documents];
                }

                return s;
            }
        }
    }

    private sealed class Entry(OfficerMeta meta, OfficerKeys keys)
    {
        public OfficerMeta Meta { get; } = meta;

        public OfficerKeys Keys { get; } = keys;

        public int Order { get; set; }
    }
}
