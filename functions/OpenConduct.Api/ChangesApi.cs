using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;

namespace OpenConduct.Api;

/// <summary>
/// <c>/api/changes?since=</c>: the change feed. Each source's releases are walked from its live release back through
/// <c>previousReleaseId</c>, and each release after <c>since</c> is listed, newest first, with its change summary
/// (<c>changes.json</c>: counts and lists).
/// </summary>
public static class ChangesApi
{
    /// <summary>The most releases listed per source; the response says when a source has more.</summary>
    public const int MaxReleasesPerSource = 100;

    private const string SinceHelp = "since takes a release id (yyyyMMdd-, then 12 lower-case hex digits, e.g. 20300107-0123456789ab) or a date (yyyy-MM-dd, UTC), and lists the releases published after it; without since, the latest release of each source.";

    public static IEndpointRouteBuilder MapChangesApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/changes", GetAsync).WithTags("Changes").WithName("Changes")
            .WithSummary("What changed, release by release, newest first: since a release id or a date (yyyy-MM-dd), or the latest release of each source.");
        return app;
    }

    public static async Task<Results<Ok<ChangeFeedResponse>, ProblemHttpResult, StatusCodeHttpResult>> GetAsync(
        HttpContext context, [FromKeyedServices(ApiReleaseStore.Key)] IReleaseStore releases, ApiSources sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(releases);
        ArgumentNullException.ThrowIfNull(sources);
        var query = context.Request.Query;
        if (query.Keys.FirstOrDefault(k => !k.Equals("since", StringComparison.OrdinalIgnoreCase)) is { } unknown)
        {
            return Problems.BadRequest($"Unknown query parameter '{ReleaseFiles.Shorten(unknown)}'. The only parameter is since: {SinceHelp}");
        }

        Since? since = null;
        if (query.TryGetValue("since", out var values))
        {
            if (values.Count != 1 || Since.Parse(values[0]) is not { } parsed)
            {
                return Problems.BadRequest(values.Count == 1
                    ? $"since='{ReleaseFiles.Shorten(values[0] ?? "")}' is neither a release id nor a date: {SinceHelp}"
                    : $"Give since once: {SinceHelp}");
            }

            since = parsed;
        }

        // A release id: which source's, and when it was published (the other sources' releases after that are listed).
        if (since is { ReleaseId: { } sinceId })
        {
            foreach (var source in sources.Ids)
            {
                if (await ReleaseFiles.ManifestAsync(releases, source, sinceId, cancellationToken).ConfigureAwait(false) is { } manifest)
                {
                    since = since with { Source = source, PublishedAt = manifest.PublishedAt };
                    break;
                }
            }

            if (since.Source is null)
            {
                return Problems.NotFound("release", sinceId);
            }
        }

        var live = await releases.GetLiveAsync(sources.Ids, cancellationToken).ConfigureAwait(false);
        if (Caching.NotModified(context, ReleaseFiles.Version(live) + (since is null ? "" : "+since=" + since.Text)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var listed = new List<ReleaseChanges>();
        var notes = new List<string>();
        var truncated = false;
        foreach (var release in live)
        {
            truncated |= await WalkAsync(releases, release, since, listed, notes, cancellationToken).ConfigureAwait(false);
        }

        // Newest first; a stable sort keeps each source's chain order between releases published at the same time.
        var ordered = listed.OrderByDescending(r => r.PublishedAt).ToList();
        return TypedResults.Ok(new ChangeFeedResponse(since?.Text, truncated, notes.Count == 0 ? null : notes, ordered));
    }

    /// <summary>Lists the source's releases after <paramref name="since"/>, newest first; true when it stopped at the limit.</summary>
    private static async Task<bool> WalkAsync(IReleaseStore releases, LiveRelease live, Since? since, List<ReleaseChanges> listed, List<string> notes, CancellationToken cancellationToken)
    {
        var source = live.Source;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        for (var id = live.ReleaseId; id is not null && seen.Add(id);)
        {
            if (since?.ReleaseId == id && since.Source == source)
            {
                return false;
            }

            if (await ReleaseFiles.ManifestAsync(releases, source, id, cancellationToken).ConfigureAwait(false) is not { } manifest)
            {
                notes.Add($"{source}: release {id} has no manifest; the releases before it are not listed.");
                return false;
            }

            if (since is not null && !since.Includes(source, manifest.PublishedAt))
            {
                return false;
            }

            if (count == MaxReleasesPerSource)
            {
                notes.Add($"{source}: only the latest {MaxReleasesPerSource} releases are listed; the earlier ones can be read one by one from /api/releases/{source}/{id}/changes.json, following previousReleaseId.");
                return true;
            }

            listed.Add(new ReleaseChanges(source, id, manifest.PublishedAt, manifest.PreviousReleaseId, await ChangesOfAsync(releases, source, id, cancellationToken).ConfigureAwait(false)));
            count++;

            // Without since, the latest release of each source only.
            if (since is null)
            {
                return false;
            }

            id = manifest.PreviousReleaseId;
        }

        return false;
    }

    /// <summary>A release's changes.json, or null when it has none; kept in memory once read (a release never changes).</summary>
    private static Task<ChangeSummaryResponse?> ChangesOfAsync(IReleaseStore releases, string source, string releaseId, CancellationToken cancellationToken) =>
        ReleaseFiles.CachedAsync(releases, $"changes:{source}/{releaseId}", () => ReadChangesAsync(releases, source, releaseId, cancellationToken));

    private static async Task<ChangeSummaryResponse?> ReadChangesAsync(IReleaseStore releases, string source, string releaseId, CancellationToken cancellationToken)
    {
        var stream = await releases.Open(source, releaseId).OpenReadAsync(ReleasePaths.Changes, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        await using (stream.ConfigureAwait(false))
        {
            try
            {
                return await JsonSerializer.DeserializeAsync<ChangeSummaryResponse>(stream, ReleaseFiles.Json, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// What <c>since</c> names: a release (then <see cref="Source"/> and <see cref="PublishedAt"/> once found) or a
    /// date. A release is listed when published after it: after the release on its own source's chain, after its time
    /// on the other sources; after the end of the day (UTC) for a date.
    /// </summary>
    private sealed record Since(string Text, string? ReleaseId, DateOnly? Date)
    {
        public string? Source { get; init; }

        public DateTimeOffset PublishedAt { get; init; }

        /// <summary>A release id (<c>yyyyMMdd-</c> and 12 lower-case hex digits) or a date (<c>yyyy-MM-dd</c>), or null.</summary>
        public static Since? Parse(string? text)
        {
            if (text is null)
            {
                return null;
            }

            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return new Since(text, null, date);
            }

            var isReleaseId = text.Length == 21 && text[8] == '-'
                && DateOnly.TryParseExact(text[..8], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                && text[9..].All(char.IsAsciiHexDigitLower);
            return isReleaseId ? new Since(text, text, null) : null;
        }

        public bool Includes(string source, DateTimeOffset publishedAt) =>
            Date is { } date
                ? DateOnly.FromDateTime(publishedAt.UtcDateTime) > date
                : source == Source ? publishedAt >= PublishedAt : publishedAt > PublishedAt;
    }
}

/// <summary>
/// The change feed: the releases after <c>since</c> (or the latest of each source), newest first. <c>truncated</c> is
/// true when a source had more than the releases listed; <c>notes</c> then says which, and how to ask for the rest.
/// </summary>
public sealed record ChangeFeedResponse(string? Since, bool Truncated, IReadOnlyList<string>? Notes, IReadOnlyList<ReleaseChanges> Releases);

/// <summary>One release of the feed and its change summary against the release before it.</summary>
public sealed record ReleaseChanges(string Source, string ReleaseId, DateTimeOffset PublishedAt, string? PreviousReleaseId, ChangeSummaryResponse? Changes);

/// <summary>
/// A release's <c>changes.json</c> (docs/releases.md): complete counts, and lists of at most <c>maxListed</c> entries
/// (case numbers of new and removed complaints, status changes, findings and discipline made final and public).
/// </summary>
public sealed record ChangeSummaryResponse(
    string? Note,
    int MaxListed,
    ChangeCounts Counts,
    IReadOnlyList<string> NewComplaints,
    IReadOnlyList<StatusChange> StatusChanges,
    IReadOnlyList<FindingChange> FindingsFinal,
    IReadOnlyList<DisciplineChange> DisciplineFinal,
    IReadOnlyList<string> Removed);

/// <summary>The complete counts of a change summary.</summary>
public sealed record ChangeCounts(int NewComplaints, int StatusChanges, int FindingsFinal, int DisciplineFinal, int Removed);
