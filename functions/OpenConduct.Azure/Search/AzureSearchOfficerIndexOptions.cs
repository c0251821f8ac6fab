using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace OpenConduct.Azure.Search;

/// <summary>
/// The Azure AI Search officer index (configuration section <c>Search</c>): where it is and how it publishes. Without
/// an <see cref="Endpoint"/> no search service is used (the embedded Lucene index is). The limits default to the
/// service's: at most 1,000 documents and 16 MB per indexing request.
/// </summary>
public sealed class AzureSearchOfficerIndexOptions
{
    public const string SectionName = "Search";

    /// <summary>The service limit on documents per indexing request.</summary>
    public const int ServiceMaxBatchDocuments = 1000;

    /// <summary>The service limit on an indexing request's size: 16 MB, counted as 16,000,000 bytes to stay on the safe side of either reading.</summary>
    public const long ServiceMaxBatchBytes = 16_000_000;

    /// <summary><c>https://{service}.search.windows.net</c>; authenticated with a token credential (Entra ID), never a key.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>The index: 2-128 lower-case letters, digits and single dashes, starting and ending with a letter or digit.</summary>
    public string IndexName { get; set; } = "officers";

    /// <summary>Documents per indexing request, 1 to 1,000.</summary>
    public int MaxBatchDocuments { get; set; } = ServiceMaxBatchDocuments;

    /// <summary>Bytes per indexing request (the serialized JSON body), at most 16,000,000.</summary>
    public long MaxBatchBytes { get; set; } = ServiceMaxBatchBytes;

    /// <summary>How many times a document is sent while the service answers it with a transient status (409, 422, 503), 1 to 20.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the second attempt; it doubles before every further one.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a reader trusts the pointer it read (queries read it at most this often). A publish waits this long
    /// after moving the pointer before it deletes the previous build, so no reader queries deleted documents.
    /// </summary>
    public TimeSpan PointerCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a publish waits for every uploaded document to become searchable before it gives up without moving the pointer.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a publish counts the uploaded documents while waiting for them to become searchable.</summary>
    public TimeSpan VisibilityPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How waits are made (tests replace it to record them instead).</summary>
    public Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = Task.Delay;

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The suffix that makes each publish's build unique (<c>{generation}/{suffix}</c>); 12 random hex digits.</summary>
    public Func<string> NewBuildSuffix { get; set; } = () => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    /// <summary>What is wrong with these options (empty when they are valid); the endpoint is not required here.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"Search:Endpoint '{endpoint}' must be an absolute https URI (https://{{service}}.search.windows.net)");
        }

        if (!IsIndexName(IndexName))
        {
            errors.Add($"Search:IndexName '{IndexName}' must be 2-128 lower-case letters, digits and single dashes, starting and ending with a letter or digit");
        }

        if (MaxBatchDocuments is < 1 or > ServiceMaxBatchDocuments)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Search:MaxBatchDocuments is {MaxBatchDocuments}: 1 to {ServiceMaxBatchDocuments}"));
        }

        if (MaxBatchBytes is < 1024 or > ServiceMaxBatchBytes)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Search:MaxBatchBytes is {MaxBatchBytes}: 1024 to {ServiceMaxBatchBytes}"));
        }

        if (MaxAttempts is < 1 or > 20)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Search:MaxAttempts is {MaxAttempts}: 1 to 20"));
        }

        foreach (var (key, value) in new[] { ("FirstRetryDelay", FirstRetryDelay), ("PointerCacheDuration", PointerCacheDuration), ("VisibilityTimeout", VisibilityTimeout), ("VisibilityPollInterval", VisibilityPollInterval) })
        {
            if (value < TimeSpan.Zero)
            {
                errors.Add($"Search:{key} must not be negative");
            }
        }

        if (Delay is null || TimeProvider is null || NewBuildSuffix is null)
        {
            errors.Add("Search: Delay, TimeProvider and NewBuildSuffix must be set");
        }

        return errors;
    }

    internal static bool IsIndexName(string? name) =>
        name is { Length: >= 2 and <= 128 }
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && name[0] != '-' && name[^1] != '-'
        && !name.Contains("--", StringComparison.Ordinal);
}

/// <summary>Checks <see cref="AzureSearchOfficerIndexOptions"/> at start-up (<c>ValidateOnStart</c>).</summary>
internal sealed class AzureSearchOfficerIndexOptionsValidator : IValidateOptions<AzureSearchOfficerIndexOptions>
{
    public ValidateOptionsResult Validate(string? name, AzureSearchOfficerIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
