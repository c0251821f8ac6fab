using System.Globalization;

namespace OpenConduct.Azure.Search;

/// <summary>One document the service refused for good: its key, the last HTTP status, the service's message, and how many times it was sent.</summary>
public sealed record OfficerIndexFailure(string Key, int Status, string? Message, int Attempts);

/// <summary>
/// A publish that could not index every document (after retrying the transient failures): the generation was not
/// made live, and <see cref="Failures"/> names every document that failed and why.
/// </summary>
public sealed class OfficerIndexPublishException : Exception
{
    /// <summary>How many failures the message lists (all are in <see cref="Failures"/>).</summary>
    internal const int Listed = 20;

    public OfficerIndexPublishException()
        : this("publishing the officer index failed", [])
    {
    }

    public OfficerIndexPublishException(string message)
        : this(message, [])
    {
    }

    public OfficerIndexPublishException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failures = [];
    }

    public OfficerIndexPublishException(string message, IReadOnlyList<OfficerIndexFailure> failures)
        : base(message)
    {
        Failures = failures ?? [];
    }

    public IReadOnlyList<OfficerIndexFailure> Failures { get; }

    internal static OfficerIndexPublishException For(string index, string generation, IReadOnlyList<OfficerIndexFailure> failures)
    {
        var listed = string.Join("; ", failures.Take(Listed).Select(f => string.Create(CultureInfo.InvariantCulture, $"{f.Key} ({f.Status} after {f.Attempts} attempt(s): {f.Message ?? "no message"})")));
        var more = failures.Count > Listed ? string.Create(CultureInfo.InvariantCulture, $"; and {failures.Count - Listed} more") : "";
        return new OfficerIndexPublishException(
            string.Create(CultureInfo.InvariantCulture, $"{failures.Count} officer document(s) could not be indexed in '{index}', so generation '{generation}' was not made live: {listed}{more}"),
            failures);
    }
}
