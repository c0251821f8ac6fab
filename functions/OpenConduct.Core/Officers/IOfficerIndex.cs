namespace OpenConduct.Core.Officers;

/// <summary>A search for officers: a name (whole or partial, typos tolerated) or a badge number.</summary>
public sealed record OfficerQuery
{
    public const int MaxTake = 50;

    /// <summary>What the public typed. Any text is accepted: it is never parsed as query syntax.</summary>
    public required string Text { get; init; }

    public int Skip { get; init; }

    /// <summary>The page size, capped at <see cref="MaxTake"/>.</summary>
    public int Take { get; init; } = 10;
}

/// <summary>Why an officer matched, best first: the ranking tiers shared by every index.</summary>
public enum OfficerMatch
{
    /// <summary>The text is one of the officer's badge numbers (current or historic).</summary>
    Badge,

    /// <summary>The text is the officer's full name (or a name variant), ignoring case and accents.</summary>
    ExactName,

    /// <summary>Every word of the text starts a word of the officer's name (type-ahead).</summary>
    Prefix,

    /// <summary>Every word of the text is within 1 edit (words of 3-5 letters) or 2 edits (longer) of a name word.</summary>
    Fuzzy,
}

/// <summary>
/// One officer in a result page, with what tells two people of one name apart without private data: the sources,
/// the years of the first and last complaint, the last rank and unit, the badges and the published employee ids.
/// </summary>
public sealed record OfficerHit(string Id, string DisplayName, string? CurrentBadge, IReadOnlyList<string> Badges, string? Rank, string? Unit, int Complaints, OfficerMatch Match)
{
    /// <summary>The sources whose records name the officer (e.g. <c>OPCR</c>, <c>IAU</c>), ordinal order.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    public int? FirstComplaintYear { get; init; }

    public int? LastComplaintYear { get; init; }

    /// <summary>False when no source publishes the name: <see cref="DisplayName"/> is the label "Officer (name not published)".</summary>
    public bool NamePublished { get; init; } = true;

    /// <summary>Published employee ids.</summary>
    public IReadOnlyList<string> EmployeeIds { get; init; } = [];

    /// <summary>The distinct sources of the refs, ordinal order.</summary>
    public static IReadOnlyList<string> SourcesOf(IEnumerable<OfficerSourceRef>? refs) =>
        [.. (refs ?? []).Select(r => r.Source).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}

/// <summary>A page of hits, ranked by match tier, then closeness, then by number of complaints (descending), then by display name and id.</summary>
public sealed record OfficerSearchResult(IReadOnlyList<OfficerHit> Hits, long Total);

/// <summary>
/// The officer index port: the embedded Lucene.Net index (OpenConduct.Lucene) or Azure AI Search (OpenConduct.Azure).
/// Both behave the same (one conformance test suite runs against both).
/// </summary>
public interface IOfficerIndex
{
    /// <summary>
    /// Builds generation <paramref name="generation"/> from the documents and swaps it in: queries see the previous
    /// generation until the new one is complete, then only the new one. Re-publishing a generation replaces it.
    /// </summary>
    Task PublishAsync(string generation, IEnumerable<OfficerDocument> documents, IProgress<string>? progress = null, CancellationToken cancellationToken = default);

    /// <summary>The live generation, or null before the first publish.</summary>
    Task<string?> GetGenerationAsync(CancellationToken cancellationToken = default);

    Task<OfficerSearchResult> SearchAsync(OfficerQuery query, CancellationToken cancellationToken = default);

    /// <summary>One officer's document, or null.</summary>
    Task<OfficerDocument?> GetAsync(string id, CancellationToken cancellationToken = default);
}
