using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Routing;
using OpenConduct.Core.Officers;

namespace OpenConduct.Api;

/// <summary>
/// <c>/api/officers</c>: the public officer search and officer histories, from the officer index (embedded Lucene or
/// Azure AI Search). Every response carries the index generation as its ETag.
/// </summary>
public static class OfficersApi
{
    /// <summary>The longest search text accepted.</summary>
    public const int MaxQueryLength = 200;

    /// <summary>Officers per page.</summary>
    public const int PageSize = 20;

    private static readonly HashSet<string> SearchParameters = new(StringComparer.OrdinalIgnoreCase) { "q", "badge", "page" };

    public static RouteGroupBuilder MapOfficersApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/officers").WithTags("Officers").CacheOutput(ApiHosting.OfficersCachePolicy);
        api.MapGet("/", SearchAsync).WithName("SearchOfficers").WithSummary("Search officers by name (type-ahead, typos tolerated) or badge number.");
        api.MapGet("/{id}", GetAsync).WithName("GetOfficer").WithSummary("One officer's profile and complaint history.");
        return api;
    }

    public static async Task<Results<OfficerSearchOk, ProblemHttpResult, StatusCodeHttpResult>> SearchAsync(
        HttpContext context, IOfficerIndex index, string? q, string? badge, string? page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(index);
        foreach (var parameter in context.Request.Query)
        {
            if (!SearchParameters.Contains(parameter.Key))
            {
                return Problems.BadRequest($"Unknown query parameter '{parameter.Key}'. Use q (a name), badge (a badge number) and page.");
            }
        }

        var text = badge ?? q;
        if (badge is not null && q is not null)
        {
            return Problems.BadRequest("Give either q (a name) or badge (a badge number), not both.");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return Problems.BadRequest("Give q (a name, whole or partial) or badge (a badge number).");
        }

        if (text.Length > MaxQueryLength)
        {
            return Problems.BadRequest($"The search text is {text.Length} characters long; at most {MaxQueryLength} are accepted.");
        }

        var pageNumber = 1;
        if (page is not null && (!int.TryParse(page, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out pageNumber) || pageNumber is < 1 or > 1000))
        {
            return Problems.BadRequest("page must be a whole number from 1 to 1000.");
        }

        var generation = await index.GetGenerationAsync(cancellationToken).ConfigureAwait(false);
        if (Caching.NotModified(context, generation))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var result = await index.SearchAsync(new OfficerQuery { Text = text, Skip = (pageNumber - 1) * PageSize, Take = PageSize }, cancellationToken).ConfigureAwait(false);
        var officers = new OfficerSummaryResponse[result.Hits.Count];
        for (var i = 0; i < officers.Length; i++)
        {
            var h = result.Hits[i];
            officers[i] = new OfficerSummaryResponse(h.Id, h.DisplayName, h.CurrentBadge, h.Badges, h.Rank, h.Unit, h.Complaints, MatchName(h.Match))
            {
                NamePublished = h.NamePublished,
                EmployeeIds = h.EmployeeIds,
                Sources = h.Sources,
                FirstComplaintYear = h.FirstComplaintYear,
                LastComplaintYear = h.LastComplaintYear,
            };
        }

        return new OfficerSearchOk(new OfficerSearchResponse(pageNumber, PageSize, result.Total, officers));
    }

    /// <summary>The tier's name as the response writes it (<c>Enum.ToString</c>, without formatting it per hit).</summary>
    private static string MatchName(OfficerMatch match) => match switch
    {
        OfficerMatch.Badge => nameof(OfficerMatch.Badge),
        OfficerMatch.ExactName => nameof(OfficerMatch.ExactName),
        OfficerMatch.Prefix => nameof(OfficerMatch.Prefix),
        OfficerMatch.Fuzzy => nameof(OfficerMatch.Fuzzy),
        _ => match.ToString(),
    };

    public static async Task<Results<Ok<OfficerDocument>, ProblemHttpResult, StatusCodeHttpResult>> GetAsync(
        HttpContext context, IOfficerIndex index, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(index);
        if (id.Length > 64)
        {
            return Problems.NotFound("officer", id[..64] + "...");
        }

        var generation = await index.GetGenerationAsync(cancellationToken).ConfigureAwait(false);
        if (Caching.NotModified(context, generation))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        return await index.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } officer
            ? TypedResults.Ok(officer)
            : Problems.NotFound("officer", id);
    }
}

/// <summary>A page of officers. The search text is not echoed back (it is the public's, and may be a name).</summary>
public sealed record OfficerSearchResponse(int Page, int PageSize, long Total, IReadOnlyList<OfficerSummaryResponse> Officers);

/// <summary>
/// One officer in a result page; <c>Match</c> says why it matched (Badge, ExactName, Prefix, Fuzzy). Beside the name,
/// what tells two people of one name apart without private data: the sources, the years of the first and last
/// complaint, the last rank and unit, the badges and the published employee ids. <c>NamePublished</c> is false when
/// no source publishes the name (the display name is then "Officer (name not published)").
/// </summary>
public sealed record OfficerSummaryResponse(string Id, string DisplayName, string? CurrentBadge, IReadOnlyList<string> Badges, string? Rank, string? Unit, int Complaints, string Match)
{
    public bool NamePublished { get; init; } = true;

    public IReadOnlyList<string> EmployeeIds { get; init; } = [];

    public IReadOnlyList<string> Sources { get; init; } = [];

    public int? FirstComplaintYear { get; init; }

    public int? LastComplaintYear { get; init; }
}
