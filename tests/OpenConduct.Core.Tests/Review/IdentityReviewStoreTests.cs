using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Review;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Tests.Review;

/// <summary>The reviewers' stored identity decisions, on an in-memory container: versions, validation, replacement, the file first.</summary>
public sealed class IdentityReviewStoreTests
{
    private const string A = "OPCR:o-aaaaaaaaaaaaaaaaaaaa";
    private const string B = "CRA:o-bbbbbbbbbbbbbbbbbbbb";
    private const string C = "IAU:o-cccccccccccccccccccc";
    private const string D = "CRA:o-dddddddddddddddddddd";

    [Fact]
    public async Task A_decision_is_the_next_version_in_the_overrides_file_format()
    {
        var container = new MemoryContainer();
        var store = new IdentityReviewStore(container);
        Assert.Equal((0, (string?)null), ((await store.LoadAsync()).Version, (await store.LoadAsync()).Sha256));

        var first = await store.DecideAsync(IdentityDecisionKind.Same, [A, B], "personnel file 2019-044", expectedVersion: 0);
        var second = await store.DecideAsync(IdentityDecisionKind.Different, [C, D], null, expectedVersion: 1);

        Assert.Equal([IdentityReviewStore.PathOf(1), IdentityReviewStore.PathOf(2)], container.Paths);
        Assert.Equal("identity/overrides/v000002.json", IdentityReviewStore.PathOf(2));
        Assert.Equal((1, 2), (first.Version, second.Version));
        var loaded = await store.LoadAsync();
        Assert.Equal(2, loaded.Version);
        Assert.Equal(second.Sha256, loaded.Sha256);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(container.Bytes(IdentityReviewStore.PathOf(2)))), loaded.Sha256);

        // Version 2 holds both decisions, in exactly the overrides file's format, which the file's loader reads.
        var text = Encoding.UTF8.GetString(container.Bytes(IdentityReviewStore.PathOf(2)));
        var file = IdentityOverrides.Parse(text);
        Assert.Equal([A, B], file.Same.Single().Officers.Select(o => o.ToString()));
        Assert.Equal("personnel file 2019-044", file.Same.Single().Note);
        Assert.Equal([C, D], file.Different.Single().Officers.Select(o => o.ToString()));
        Assert.Null(file.Different.Single().Note);
        using var json = JsonDocument.Parse(text);
        Assert.Equal(["same", "different"], json.RootElement.EnumerateObject().Select(p => p.Name));

        // Loaded entries say which version they come from (the identity report lists them by it).
        Assert.Equal("review:v000002:$.same[0]", loaded.Overrides.Same.Single().Location);
        Assert.Equal("review:v000002:$.different[0]", loaded.Overrides.Different.Single().Location);

        // Version 1 is unchanged.
        Assert.Single(IdentityOverrides.Parse(Encoding.UTF8.GetString(container.Bytes(IdentityReviewStore.PathOf(1)))).Same);
        Assert.Empty(IdentityOverrides.Parse(Encoding.UTF8.GetString(container.Bytes(IdentityReviewStore.PathOf(1)))).Different);
    }

    [Fact]
    public async Task A_decision_against_an_older_version_is_refused_as_stale()
    {
        var store = new IdentityReviewStore(new MemoryContainer());
        await store.DecideAsync(IdentityDecisionKind.Same, [A, B], null, 0);

        var stale = await Assert.ThrowsAsync<StaleIdentityReviewException>(() => store.DecideAsync(IdentityDecisionKind.Different, [C, D], null, 0));

        Assert.Equal((0, 1), (stale.ExpectedVersion, stale.CurrentVersion));
        Assert.Contains("another reviewer decided meanwhile", stale.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await store.LoadAsync()).Version);
    }

    [Fact]
    public async Task A_version_written_meanwhile_makes_the_create_only_write_fail_as_stale()
    {
        // The listing does not show version 1 yet (another reviewer's write lands between the read and the write).
        var container = new MemoryContainer();
        await new IdentityReviewStore(container).DecideAsync(IdentityDecisionKind.Same, [A, B], null, 0);
        container.Hidden.Add(IdentityReviewStore.PathOf(1));

        var stale = await Assert.ThrowsAsync<StaleIdentityReviewException>(() => new IdentityReviewStore(container).DecideAsync(IdentityDecisionKind.Different, [A, B], null, 0));

        Assert.IsType<InvalidOperationException>(stale.InnerException);
        Assert.Equal(1, stale.CurrentVersion);
        Assert.Single(IdentityOverrides.Parse(Encoding.UTF8.GetString(container.Bytes(IdentityReviewStore.PathOf(1)))).Same);
    }

    [Theory]
    [InlineData(new[] { A }, "at least two officers (1 given)")]
    [InlineData(new[] { A, "OPCR o-1" }, "'OPCR o-1' is not an officer reference")]
    [InlineData(new[] { A, "o-1234" }, "'o-1234' is not an officer reference")]
    [InlineData(new[] { A, "opcr:o-aaaaaaaaaaaaaaaaaaaa" }, "is named twice")]
    public async Task A_malformed_decision_is_refused_and_nothing_is_written(string[] officers, string message)
    {
        var container = new MemoryContainer();
        var error = await Assert.ThrowsAsync<InvalidIdentityDecisionException>(() => new IdentityReviewStore(container).DecideAsync(IdentityDecisionKind.Same, officers, null, 0));

        Assert.Contains(error.Errors, e => e.Contains(message, StringComparison.Ordinal));
        Assert.Empty(container.Paths);
    }

    [Fact]
    public async Task A_note_on_several_lines_or_too_long_is_refused()
    {
        var store = new IdentityReviewStore(new MemoryContainer());
        await Assert.ThrowsAsync<InvalidIdentityDecisionException>(() => store.DecideAsync(IdentityDecisionKind.Same, [A, B], "line one\nline two", 0));
        var error = await Assert.ThrowsAsync<InvalidIdentityDecisionException>(() => store.DecideAsync(IdentityDecisionKind.Same, [A, B], new string('x', IdentityReviewStore.MaxNoteLength + 1), 0));
        Assert.Contains("at most 500", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_decision_the_overrides_file_contradicts_is_refused()
    {
        var file = IdentityOverrides.Parse($$"""{ "same": [{ "officers": ["{{A}}", "{{B}}"] }], "different": [{ "officers": ["{{C}}", "{{D}}"], "note": "brothers" }] }""");
        var container = new MemoryContainer();
        var store = new IdentityReviewStore(container, file);

        var different = await Assert.ThrowsAsync<InvalidIdentityDecisionException>(() => store.DecideAsync(IdentityDecisionKind.Different, [A, B], null, 0));
        var same = await Assert.ThrowsAsync<InvalidIdentityDecisionException>(() => store.DecideAsync(IdentityDecisionKind.Same, [D, C], null, 0));

        Assert.Contains("overrides file", different.Message, StringComparison.Ordinal);
        Assert.Contains($"{A} and {B} are declared the same officer by $.same[0]", different.Message, StringComparison.Ordinal);
        Assert.Contains($"$.different[0]: {C} and {D} are declared the same officer", same.Message, StringComparison.Ordinal);
        Assert.Empty(container.Paths);

        // Through the file's merge: A = B by the file, so "B different from A's other self" is also refused.
        await store.DecideAsync(IdentityDecisionKind.Same, [B, C], null, 0);
        await Assert.ThrowsAsync<InvalidIdentityDecisionException>(() => store.DecideAsync(IdentityDecisionKind.Different, [A, C], null, 1));
    }

    [Fact]
    public async Task A_later_decision_about_the_same_officers_replaces_the_earlier_one()
    {
        var store = new IdentityReviewStore(new MemoryContainer());
        await store.DecideAsync(IdentityDecisionKind.Same, [A, B], "first look", 0);

        var changed = await store.DecideAsync(IdentityDecisionKind.Different, [B, A], "personnel file: two people", 1);

        Assert.Empty(changed.Overrides.Same);
        Assert.Equal([B, A], changed.Overrides.Different.Single().Officers.Select(o => o.ToString()));
        Assert.Equal("personnel file: two people", changed.Overrides.Different.Single().Note);

        // And back: "same" replaces the "different" (the same decision again only updates the note).
        var back = await store.DecideAsync(IdentityDecisionKind.Same, [A, B], null, 2);
        var again = await store.DecideAsync(IdentityDecisionKind.Same, [A, B], "confirmed", 3);
        Assert.Empty(back.Overrides.Different);
        Assert.Equal("confirmed", again.Overrides.Same.Single().Note);
        Assert.Empty(again.Overrides.Different);
    }

    [Fact]
    public async Task A_same_decision_splits_an_earlier_different_entry_into_the_pairs_it_does_not_join()
    {
        var store = new IdentityReviewStore(new MemoryContainer());
        await store.DecideAsync(IdentityDecisionKind.Different, [A, B, C], "three people", 0);

        var result = await store.DecideAsync(IdentityDecisionKind.Same, [A, B], null, 1);

        Assert.Equal([$"{A} {C}", $"{B} {C}"], result.Overrides.Different.Select(e => string.Join(' ', e.Officers)));
        Assert.All(result.Overrides.Different, e => Assert.Equal("three people", e.Note));
        Assert.Equal([A, B], result.Overrides.Same.Single().Officers.Select(o => o.ToString()));
    }

    [Fact]
    public async Task A_different_decision_covering_part_of_an_earlier_same_entry_is_a_contradiction()
    {
        var store = new IdentityReviewStore(new MemoryContainer());
        await store.DecideAsync(IdentityDecisionKind.Same, [A, B, C], null, 0);

        var error = await Assert.ThrowsAsync<InvalidIdentityDecisionException>(() => store.DecideAsync(IdentityDecisionKind.Different, [A, B], null, 1));

        Assert.Contains($"{A} and {B} are declared the same officer by $.same[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains("names all of that decision's officers", error.Message, StringComparison.Ordinal);

        // Naming all of its officers re-decides every pair.
        var apart = await store.DecideAsync(IdentityDecisionKind.Different, [A, B, C], null, 1);
        Assert.Empty(apart.Overrides.Same);
    }

    [Fact]
    public void The_file_comes_first_and_a_stored_decision_it_now_contradicts_is_reported_not_applied()
    {
        var file = IdentityOverrides.Parse($$"""{ "same": [{ "officers": ["{{A}}", "{{B}}"] }], "different": [{ "officers": ["{{C}}", "{{D}}"] }] }""");
        var reviewed = new IdentityOverrides
        {
            Same = [Entry("review:v000004:$.same[0]", D, C), Entry("review:v000004:$.same[1]", A, C)],
            Different = [Entry("review:v000004:$.different[0]", B, A)],
        };

        var combined = ReviewedIdentityOverrides.Combine(file, reviewed);

        Assert.Equal(["$.same[0]", "review:v000004:$.same[1]"], combined.Overrides.Same.Select(e => e.Location));
        Assert.Equal(["$.different[0]"], combined.Overrides.Different.Select(e => e.Location));
        Assert.Equal(["review:v000004:$.different[0]", "review:v000004:$.same[0]"], combined.NotApplied.Select(d => d.Location));
        Assert.All(combined.NotApplied, d =>
        {
            Assert.False(d.Applied);
            Assert.StartsWith("not applied: it contradicts the overrides file", d.Effect, StringComparison.Ordinal);
        });

        // What is left is consistent: the file's loader accepts it.
        IdentityOverrides.Parse(Encoding.UTF8.GetString(combined.Overrides.ToJson()));
        Assert.Same(file, ReviewedIdentityOverrides.Combine(file, IdentityOverrides.Empty).Overrides);
    }

    [Fact]
    public async Task A_stored_version_that_is_not_valid_stops_the_load()
    {
        var container = new MemoryContainer();
        await container.UploadAsync(IdentityReviewStore.PathOf(1), new MemoryStream(Encoding.UTF8.GetBytes($$"""{ "same": [{ "officers": ["{{A}}"] }] }""")));

        var error = await Assert.ThrowsAsync<IdentityOverridesException>(() => new IdentityReviewStore(container).LoadAsync());

        Assert.Contains("identity/overrides/v000001.json", error.Message, StringComparison.Ordinal);
    }

    private static IdentityOverride Entry(string location, params string[] officers) =>
        new([.. officers.Select(o => IdentityOverrides.TryParseRef(o, out var r) ? r : throw new ArgumentException(o))], null, location);
}

/// <summary>An in-memory <see cref="IBlobContainer"/>: create-only uploads refused when the object exists, and paths a listing can be told to hide.</summary>
internal sealed class MemoryContainer : IBlobContainer
{
    private readonly SortedDictionary<string, byte[]> objects = new(StringComparer.Ordinal);

    public string Name => "review";

    /// <summary>Paths the listing leaves out (a write that lands after a reader listed).</summary>
    public HashSet<string> Hidden { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Paths => [.. objects.Keys];

    public byte[] Bytes(string path) => objects[path];

    public Task<StoredObject?> GetAsync(string path, CancellationToken cancellationToken = default) =>
        Task.FromResult(objects.TryGetValue(path, out var bytes) ? Stored(path, bytes) : null);

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new MemoryStream(objects.TryGetValue(path, out var bytes) ? bytes : throw new FileNotFoundException(path)));

    public async Task<StoredObject> UploadAsync(string path, Stream content, IReadOnlyDictionary<string, string>? metadata = null, bool overwrite = true, CancellationToken cancellationToken = default)
    {
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy, cancellationToken);
        lock (objects)
        {
            if (!overwrite && objects.ContainsKey(path))
            {
                throw new InvalidOperationException($"blob '{path}' already exists");
            }

            objects[path] = copy.ToArray();
            return Stored(path, objects[path])!;
        }
    }

    public async IAsyncEnumerable<StoredObject> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var (path, bytes) in objects.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal) && !Hidden.Contains(o.Key)).ToList())
        {
            yield return Stored(path, bytes)!;
        }
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken = default)
    {
        objects.Remove(path);
        return Task.CompletedTask;
    }

    public Task<IAsyncDisposable?> TryAcquireLeaseAsync(string path, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    private static StoredObject? Stored(string path, byte[] bytes) =>
        new(path, bytes.Length, null, DateTimeOffset.UnixEpoch, new Dictionary<string, string>());
}
