using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Review;

/// <summary>A reviewer's identity decision: the officers are one person, or all different people.</summary>
public enum IdentityDecisionKind
{
    Same,
    Different,
}

/// <summary>A version of the stored reviewer decisions.</summary>
/// <param name="Overrides">The decisions, each located as <c>review:v000003:$.same[0]</c>; empty for version 0.</param>
/// <param name="Version">1, 2, ...; 0 when no reviewer has decided anything.</param>
/// <param name="Sha256">The SHA-256 of the stored document's bytes (lower-case hex); null for version 0.</param>
public sealed record IdentityReviewVersion(IdentityOverrides Overrides, int Version, string? Sha256);

/// <summary>A decision the store refuses: the message says why (every problem, one per line).</summary>
public class IdentityReviewException : Exception
{
    public IdentityReviewException(string message)
        : base(message)
    {
    }

    public IdentityReviewException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public IdentityReviewException()
    {
    }
}

/// <summary>
/// The decision was made against an older version: another reviewer decided meanwhile. Reload (the queue and the
/// version) and decide again.
/// </summary>
public sealed class StaleIdentityReviewException : IdentityReviewException
{
    public StaleIdentityReviewException(int expectedVersion, int currentVersion, Exception? innerException = null)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"the reviewer decisions are at version {currentVersion}, not {expectedVersion}: another reviewer decided meanwhile; reload and decide again"), innerException!)
    {
        ExpectedVersion = expectedVersion;
        CurrentVersion = currentVersion;
    }

    public StaleIdentityReviewException()
    {
    }

    public StaleIdentityReviewException(string message)
        : base(message)
    {
    }

    public StaleIdentityReviewException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The version the decision was made against.</summary>
    public int ExpectedVersion { get; }

    /// <summary>The version in storage (at least; it may have moved on again).</summary>
    public int CurrentVersion { get; }
}

/// <summary>
/// A decision that cannot be stored: fewer than two officers, an officer that is not <c>{source}:{officerRef}</c>, an
/// officer named twice, a note too long, or a contradiction with the overrides file or the earlier decisions.
/// </summary>
public sealed class InvalidIdentityDecisionException : IdentityReviewException
{
    public InvalidIdentityDecisionException(IReadOnlyList<string> errors)
        : base("the identity decision cannot be stored:" + Environment.NewLine + "  - " + string.Join(Environment.NewLine + "  - ", errors))
    {
        Errors = errors;
    }

    public InvalidIdentityDecisionException()
    {
        Errors = [];
    }

    public InvalidIdentityDecisionException(string message)
        : base(message)
    {
        Errors = [message];
    }

    public InvalidIdentityDecisionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    public IReadOnlyList<string> Errors { get; }
}

/// <summary>
/// Reviewers' identity decisions (docs/officers.md#reviewer-decisions), kept as versioned overrides documents in the
/// review container: <c>identity/overrides/v000001.json</c>, <c>v000002.json</c>, ..., each the complete set of
/// reviewer decisions after one more decision, in exactly the overrides file's format, written once and never
/// changed. The latest is the highest version. A decision is written create-only as the next version, so of two
/// reviewers deciding against the same version one stores it and the other gets a <see cref="StaleIdentityReviewException"/>.
/// <para>
/// A later decision about officers replaces what earlier decisions said about the same pairs rather than
/// contradicting it: an earlier entry of the same kind whose officers are all in the new decision is superseded
/// (dropped); an earlier <c>different</c> entry loses the pairs that a new <c>same</c> decision joins (split into its remaining
/// pairs); an earlier <c>same</c> entry whose officers are all in a new <c>different</c> decision is dropped. A <c>same</c>
/// entry that the new <c>different</c> decision covers only in part is not split (a merge is transitive): the
/// decision is refused as a contradiction, naming that entry. Decisions never replace the overrides file: one the
/// file contradicts is refused.
/// </para>
/// </summary>
public sealed partial class IdentityReviewStore
{
    /// <summary>The folder of the versions in the review container.</summary>
    public const string Prefix = "identity/overrides/";

    /// <summary>The longest note a decision may carry.</summary>
    public const int MaxNoteLength = 500;

    private readonly IBlobContainer container;
    private readonly ILogger logger;

    /// <param name="container">The private review container.</param>
    /// <param name="fileOverrides">The city's overrides file, which decisions must not contradict (<see cref="IdentityOverrides.Empty"/> when there is none).</param>
    /// <param name="logger">Where stored decisions are logged (officer references, the version; never the note).</param>
    public IdentityReviewStore(IBlobContainer container, IdentityOverrides? fileOverrides = null, ILogger<IdentityReviewStore>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        this.container = container;
        FileOverrides = fileOverrides ?? IdentityOverrides.Empty;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The city's overrides file, which comes first.</summary>
    public IdentityOverrides FileOverrides { get; }

    /// <summary>The path of a version: <c>identity/overrides/v000001.json</c>.</summary>
    public static string PathOf(int version) =>
        version > 0 ? Prefix + "v" + version.ToString("D6", CultureInfo.InvariantCulture) + ".json" : throw new ArgumentOutOfRangeException(nameof(version), version, "versions start at 1");

    /// <summary>The location prefix of a version's entries in the identity report: <c>review:v000003:</c>.</summary>
    public static string LocationOf(int version) => "review:v" + version.ToString("D6", CultureInfo.InvariantCulture) + ":";

    /// <summary>The latest stored decisions (version 0, empty, when there are none).</summary>
    /// <exception cref="IdentityOverridesException">The latest version is not a valid overrides document (edited by hand?).</exception>
    public async Task<IdentityReviewVersion> LoadAsync(CancellationToken cancellationToken = default)
    {
        var version = await LatestVersionAsync(cancellationToken).ConfigureAwait(false);
        if (version == 0)
        {
            return new IdentityReviewVersion(IdentityOverrides.Empty, 0, null);
        }

        var path = PathOf(version);
        byte[] bytes;
        var stream = await container.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            bytes = copy.ToArray();
        }

        var overrides = IdentityOverrides.Load(new MemoryStream(bytes), $"{container.Name}/{path}");
        return new IdentityReviewVersion(Located(overrides, version), version, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>The entries with their locations prefixed by the version's (<see cref="LocationOf"/>).</summary>
    private static IdentityOverrides Located(IdentityOverrides overrides, int version)
    {
        var location = LocationOf(version);
        return new IdentityOverrides
        {
            Same = [.. overrides.Same.Select(e => e with { Location = location + e.Location })],
            Different = [.. overrides.Different.Select(e => e with { Location = location + e.Location })],
        };
    }

    /// <summary>
    /// Stores a decision as the next version: the officers (<c>{source}:{officerRef}</c>, at least two) are one person
    /// (<see cref="IdentityDecisionKind.Same"/>) or all different people. Returns the new version. The officer index
    /// step applies it on its next run (<c>PipelineRunner.IndexAsync</c>).
    /// </summary>
    /// <param name="kind">Same person, or different people.</param>
    /// <param name="officers">The officers, as the identity report and the queue write them (<c>OPCR:o-...</c>).</param>
    /// <param name="note">Why (one line, at most <see cref="MaxNoteLength"/> characters; it is copied into the identity report, so no private data).</param>
    /// <param name="expectedVersion">The version the reviewer saw (<see cref="IdentityReviewVersion.Version"/>, 0 for none).</param>
    /// <param name="cancellationToken">Cancels the reads and the write.</param>
    /// <exception cref="StaleIdentityReviewException">The decisions are no longer at <paramref name="expectedVersion"/>.</exception>
    /// <exception cref="InvalidIdentityDecisionException">The decision is malformed or contradicts the overrides file or earlier decisions.</exception>
    public async Task<IdentityReviewVersion> DecideAsync(IdentityDecisionKind kind, IReadOnlyList<string> officers, string? note, int expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(officers);
        var parsed = Validate(officers, ref note);
        var current = await LoadAsync(cancellationToken).ConfigureAwait(false);
        if (current.Version != expectedVersion)
        {
            throw new StaleIdentityReviewException(expectedVersion, current.Version);
        }

        var next = Apply(current.Overrides, kind, parsed, note);
        var bytes = next.ToJson();
        var errors = new List<string>();
        IdentityOverrides checkedNext;
        try
        {
            checkedNext = IdentityOverrides.Load(new MemoryStream(bytes), "the reviewer decisions");
        }
        catch (IdentityOverridesException ex)
        {
            throw new InvalidIdentityDecisionException([.. ex.Errors.Select(e => "it contradicts an earlier reviewer decision: " + e),
                "a 'different' decision replaces an earlier 'same' decision only when it names all of that decision's officers"]);
        }

        // The file comes first: a decision it contradicts is refused (as is one that would make an earlier decision contradict it).
        var version = current.Version + 1;
        checkedNext = Located(checkedNext, version);
        var before = ReviewedIdentityOverrides.Combine(FileOverrides, current.Overrides).NotApplied.Select(Key).ToHashSet(StringComparer.Ordinal);
        errors.AddRange(ReviewedIdentityOverrides.Combine(FileOverrides, checkedNext).NotApplied.Where(d => !before.Contains(Key(d))).Select(d => d.Effect.Replace("not applied: it", "it", StringComparison.Ordinal)));
        if (errors.Count > 0)
        {
            throw new InvalidIdentityDecisionException(errors);
        }

        try
        {
            await container.UploadAsync(PathOf(version), new MemoryStream(bytes), new Dictionary<string, string> { ["kind"] = Name(kind) }, overwrite: false, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            Log.Conflict(logger, Name(kind), string.Join(' ', parsed), expectedVersion, version);
            throw new StaleIdentityReviewException(expectedVersion, version, ex);
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Log.Decided(logger, Name(kind), string.Join(' ', parsed), version, sha);
        return new IdentityReviewVersion(checkedNext, version, sha);
    }

    /// <summary><c>same</c> or <c>different</c>, as the overrides file writes it.</summary>
    public static string Name(IdentityDecisionKind kind) => kind == IdentityDecisionKind.Same ? "same" : "different";

    /// <summary>
    /// The decisions after one more: earlier statements about the new decision's pairs replaced (see the class
    /// remarks), the new entry last in its list. Pure: the caller checks the result for contradictions.
    /// </summary>
    internal static IdentityOverrides Apply(IdentityOverrides current, IdentityDecisionKind kind, IReadOnlyList<OfficerSourceRef> officers, string? note)
    {
        var set = officers.Select(IdentityOverrides.Canonical).ToHashSet(StringComparer.Ordinal);
        bool Covered(IdentityOverride e) => e.Officers.All(o => set.Contains(IdentityOverrides.Canonical(o)));
        var entry = new IdentityOverride(officers, note, "");

        var same = new List<IdentityOverride>();
        var different = new List<IdentityOverride>();
        foreach (var e in current.Same)
        {
            // Superseded by a new "same" that covers it, or re-decided pair by pair by a new "different" that covers it.
            if (!Covered(e))
            {
                same.Add(e);
            }
        }

        foreach (var e in current.Different)
        {
            if (Covered(e))
            {
                continue;
            }

            var inside = e.Officers.Count(o => set.Contains(IdentityOverrides.Canonical(o)));
            if (kind == IdentityDecisionKind.Same && inside >= 2)
            {
                // "Different" holds pair by pair: keep the pairs the new "same" does not join.
                for (var i = 0; i < e.Officers.Count; i++)
                {
                    for (var j = i + 1; j < e.Officers.Count; j++)
                    {
                        if (!(set.Contains(IdentityOverrides.Canonical(e.Officers[i])) && set.Contains(IdentityOverrides.Canonical(e.Officers[j]))))
                        {
                            different.Add(e with { Officers = [e.Officers[i], e.Officers[j]] });
                        }
                    }
                }
            }
            else
            {
                different.Add(e);
            }
        }

        (kind == IdentityDecisionKind.Same ? same : different).Add(entry);
        return new IdentityOverrides { Same = same, Different = different };
    }

    /// <summary>The officers parsed, the note trimmed (null when blank); every problem at once.</summary>
    private static List<OfficerSourceRef> Validate(IReadOnlyList<string> officers, ref string? note)
    {
        var errors = new List<string>();
        var parsed = new List<OfficerSourceRef>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var text in officers)
        {
            if (!IdentityOverrides.TryParseRef(text, out var officer))
            {
                errors.Add($"'{text}' is not an officer reference {{source}}:{{officerRef}} (e.g. OPCR:o-9ecaf2abcd4a80d7b150)");
            }
            else if (!seen.Add(IdentityOverrides.Canonical(officer)))
            {
                errors.Add($"'{text}' is named twice");
            }
            else
            {
                parsed.Add(officer);
            }
        }

        if (officers.Count < 2)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"a decision names at least two officers ({officers.Count} given)"));
        }

        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (note?.Length > MaxNoteLength)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"the note has {note.Length} characters; at most {MaxNoteLength}"));
        }

        if (note?.Any(char.IsControl) == true)
        {
            errors.Add("the note holds control characters (line breaks, tabs): write it on one line");
        }

        return errors.Count > 0 ? throw new InvalidIdentityDecisionException(errors) : parsed;
    }

    private static string Key(IdentityDecision decision) =>
        decision.Kind + " " + string.Join(' ', decision.Officers.Select(o => IdentityOverrides.TryParseRef(o, out var r) ? IdentityOverrides.Canonical(r) : o).Order(StringComparer.Ordinal));

    private async Task<int> LatestVersionAsync(CancellationToken cancellationToken)
    {
        var latest = 0;
        await foreach (var item in container.ListAsync(Prefix, cancellationToken).ConfigureAwait(false))
        {
            var name = item.Path[Prefix.Length..];
            if (name.Length > 6 && name[0] == 'v' && name.EndsWith(".json", StringComparison.Ordinal)
                && int.TryParse(name.AsSpan(1, name.Length - 6), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                latest = Math.Max(latest, version);
            }
        }

        return latest;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 101, EventName = "IdentityDecisionStored", Level = LogLevel.Information, Message = "Identity review: '{Kind}' decision on {Officers} stored as version {Version} (SHA-256 {Sha256})")]
        public static partial void Decided(ILogger logger, string kind, string officers, int version, string sha256);

        [LoggerMessage(EventId = 102, EventName = "IdentityDecisionConflict", Level = LogLevel.Warning, Message = "Identity review: '{Kind}' decision on {Officers} against version {ExpectedVersion} refused: version {Version} was written meanwhile")]
        public static partial void Conflict(ILogger logger, string kind, string officers, int expectedVersion, int version);
    }
}
