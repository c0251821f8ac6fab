using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenConduct.Core.Officers;

namespace OpenConduct.Api;

/// <summary><c>/api/complaints/{caseNumber}</c>: the status of a case, and what the policy makes public about it.</summary>
public static class ComplaintsApi
{
    public static IEndpointRouteBuilder MapComplaintsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/complaints/{caseNumber}", GetAsync).WithTags("Complaints").WithName("GetComplaint")
            .WithSummary("Case status lookup: status, source, received date, intake decision and the published allegations.");
        return app;
    }

    public static async Task<Results<Ok<ComplaintResponse>, ProblemHttpResult, StatusCodeHttpResult>> GetAsync(
        HttpContext context, CaseDirectory directory, string caseNumber, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(directory);
        if (caseNumber.Length > 64 || caseNumber.Any(char.IsControl))
        {
            return Problems.BadRequest("A case number has at most 64 characters and no control characters.");
        }

        var snapshot = await directory.SnapshotAsync(cancellationToken).ConfigureAwait(false);
        if (Caching.NotModified(context, snapshot.Version))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }

        var found = await directory.FindAsync(caseNumber, snapshot, cancellationToken).ConfigureAwait(false);
        if (found.Count == 0)
        {
            return Problems.NotFound("complaint", caseNumber);
        }

        return TypedResults.Ok(new ComplaintResponse(caseNumber, [.. found.Select(Case)]));
    }

    private static ComplaintCase Case(PublishedCase c) => new(
        c.Source,
        c.CaseNumber,
        c.Status?.Text,
        c.ReceivedDate,
        c.ClosedDate,
        c.IntakeDecision?.Text,
        [.. c.Allegations.Select(a => new ComplaintAllegation(
            a.Category?.Text,
            a.FinalFinding?.Text,
            a.FindingPending,
            a.DisciplineFinal,
            a.DisciplineFinal == true ? a.ImposedDiscipline?.Text : null,
            a.RecommendedFinding?.Text,
            a.RecommendedDiscipline?.Raw ?? a.RecommendedDiscipline?.Text,
            a.RecommendedDisciplineDays,
            a.DisciplineFinal == true && a.HasRecommendation ? a.ImposedDiscipline?.Raw : null))],
        c.NarrativeStatus)
    {
        DaysToClose = c.DaysToClose(),
        DaysToFinalDiscipline = c.DaysToFinalDiscipline(),
    };
}

/// <summary>Every live case with the number asked for (case numbers are per source).</summary>
public sealed record ComplaintResponse(string CaseNumber, IReadOnlyList<ComplaintCase> Complaints);

/// <remarks><paramref name="NarrativeStatus"/>: <c>pending review</c> while the narrative waits for a reviewer (docs/review.md); omitted otherwise.</remarks>
public sealed record ComplaintCase(string Source, string CaseNumber, string? Status, string? ReceivedDate, string? ClosedDate, string? IntakeDecision, IReadOnlyList<ComplaintAllegation> Allegations, string? NarrativeStatus = null)
{
    /// <summary>Days from received to closed, where both dates are published to the day.</summary>
    public int? DaysToClose { get; init; }

    /// <summary>Days from received to the case's final discipline, where the dates are published to the day (docs/api.md, "Timelines").</summary>
    public int? DaysToFinalDiscipline { get; init; }
}

/// <summary>An allegation as the policy publishes it: the finding only once final, the discipline only once final.</summary>
/// <remarks>
/// The recommendation (<paramref name="RecommendedFinding"/>, <paramref name="RecommendedDiscipline"/> in the source's
/// words, <paramref name="RecommendedDisciplineDays"/>) only where the policy publishes recommendations (New York);
/// omitted otherwise. <paramref name="ImposedDisciplineText"/>: the final discipline in the source's words, beside a
/// published recommendation.
/// </remarks>
public sealed record ComplaintAllegation(
    string? Category,
    string? FinalFinding,
    bool FindingPending,
    bool? DisciplineFinal,
    string? ImposedDiscipline,
    string? RecommendedFinding = null,
    string? RecommendedDiscipline = null,
    int? RecommendedDisciplineDays = null,
    string? ImposedDisciplineText = null);
