using System.Globalization;
using Microsoft.Extensions.Options;

namespace OpenConduct.Azure;

/// <summary>
/// The names of the pipeline's containers and tables (configuration section <c>Storage</c>). The storage account
/// itself is configured in <c>Storage:Blobs</c> and <c>Storage:Tables</c> (see
/// <see cref="ServiceCollectionExtensions.AddOpenConductStorage"/>).
/// </summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>
    /// Optional prefix of every name: containers become <c>{prefix}-exports-raw</c>, tables <c>{prefix}Sources</c>.
    /// Lower-case letters and digits, starting with a letter (the one alphabet both kinds of name accept). Tests use
    /// it to isolate each test in one shared account.
    /// </summary>
    public string? Prefix { get; set; }

    public string IncomingContainer { get; set; } = "exports-incoming";

    public string RawContainer { get; set; } = "exports-raw";

    public string QuarantineContainer { get; set; } = "exports-quarantine";

    public string ReleasesContainer { get; set; } = "releases";

    /// <summary>
    /// The review's private container (docs/review.md): narratives waiting for a reviewer (their original text, which
    /// only reviewers see), the reviewers' decisions and the identity decisions, each versioned. Never served.
    /// </summary>
    public string ReviewContainer { get; set; } = "review";

    public string SourcesTable { get; set; } = "Sources";

    public string RunsTable { get; set; } = "Runs";

    /// <summary>The review's audit log: who did what and when, with hashes, never the private text.</summary>
    public string ReviewAuditTable { get; set; } = "ReviewAudit";

    /// <summary>The reviewers' narrative approvals (ranges and hashes, never the text), one row per case.</summary>
    public string ReviewApprovalsTable { get; set; } = "ReviewApprovals";

    /// <summary>The duration of blob leases, 15 to 60 seconds (Azure's range); a lease is renewed every third of it.</summary>
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>A container's name with the prefix: <c>{prefix}-{name}</c>.</summary>
    public string ContainerName(string name) => string.IsNullOrEmpty(Prefix) ? name : Prefix + "-" + name;

    /// <summary>A table's name with the prefix: <c>{prefix}{name}</c>.</summary>
    public string TableName(string name) => string.IsNullOrEmpty(Prefix) ? name : Prefix + name;

    /// <summary>The prefixed names of the containers: incoming, raw, quarantine, releases, review.</summary>
    public IReadOnlyList<string> ContainerNames =>
        [ContainerName(IncomingContainer), ContainerName(RawContainer), ContainerName(QuarantineContainer), ContainerName(ReleasesContainer), ContainerName(ReviewContainer)];

    /// <summary>The prefixed names of the tables: sources, runs, review audit, review approvals.</summary>
    public IReadOnlyList<string> TableNames => [TableName(SourcesTable), TableName(RunsTable), TableName(ReviewAuditTable), TableName(ReviewApprovalsTable)];

    /// <summary>What is wrong with these options (empty when they are valid).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!string.IsNullOrEmpty(Prefix) && !(char.IsAsciiLetterLower(Prefix[0]) && Prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))))
        {
            errors.Add($"Storage:Prefix '{Prefix}' must be lower-case letters and digits, starting with a letter");
        }

        foreach (var (key, name) in new[] { ("IncomingContainer", IncomingContainer), ("RawContainer", RawContainer), ("QuarantineContainer", QuarantineContainer), ("ReleasesContainer", ReleasesContainer), ("ReviewContainer", ReviewContainer) })
        {
            if (!IsContainerName(ContainerName(name ?? "")))
            {
                errors.Add($"Storage:{key} gives the container name '{ContainerName(name ?? "")}': a container name is 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit");
            }
        }

        foreach (var (key, name) in new[] { ("SourcesTable", SourcesTable), ("RunsTable", RunsTable), ("ReviewAuditTable", ReviewAuditTable), ("ReviewApprovalsTable", ReviewApprovalsTable) })
        {
            if (!IsTableName(TableName(name ?? "")))
            {
                errors.Add($"Storage:{key} gives the table name '{TableName(name ?? "")}': a table name is 3-63 letters and digits, starting with a letter, and not 'tables'");
            }
        }

        if (ContainerNames.Distinct(StringComparer.Ordinal).Count() != ContainerNames.Count)
        {
            errors.Add("Storage: the five containers need five different names");
        }

        if (TableNames.Distinct(StringComparer.OrdinalIgnoreCase).Count() != TableNames.Count)
        {
            errors.Add("Storage: the four tables need different names (table names are case-insensitive)");
        }

        if (LeaseSeconds is < 15 or > 60)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"Storage:LeaseSeconds is {LeaseSeconds}: a blob lease lasts 15 to 60 seconds"));
        }

        return errors;
    }

    internal static bool IsContainerName(string name) =>
        name.Length is >= 3 and <= 63
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
        && name[0] != '-' && name[^1] != '-'
        && !name.Contains("--", StringComparison.Ordinal);

    internal static bool IsTableName(string name) =>
        name.Length is >= 3 and <= 63
        && char.IsAsciiLetter(name[0])
        && name.All(char.IsAsciiLetterOrDigit)
        && !name.Equals("tables", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Checks <see cref="StorageOptions"/> at start-up (<c>ValidateOnStart</c>).</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
