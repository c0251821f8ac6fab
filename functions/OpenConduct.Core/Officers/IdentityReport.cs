namespace OpenConduct.Core.Officers;

/// <summary>Why two per-source officers are one officer (docs/officers.md#identity-rules), strongest first.</summary>
public enum IdentityRule
{
    /// <summary>Rule 1: the same employee id.</summary>
    EmployeeId,

    /// <summary>Rule 2: a badge number in common and the same name key.</summary>
    BadgeAndName,

    /// <summary>Rule 3: the same name key, birth year and hire (appointment) date.</summary>
    NameBirthYearHireDate,

    /// <summary>
    /// Candidate rule 4: the same name key and hire date. Merges only where the policies of both sources list it in
    /// <c>identity.autoMerge</c>; otherwise its matches are reported as undecided candidates.
    /// </summary>
    NameAndHireDate,

    /// <summary>
    /// Candidate rule 5: the same name key and unit, and complaint years that overlap. Merges only where the policies of
    /// both sources list it in <c>identity.autoMerge</c>; otherwise its matches are reported as undecided candidates.
    /// </summary>
    NameUnitYears,

    /// <summary>A <c>same</c> entry of the overrides file.</summary>
    Override,
}

/// <summary>Why a candidate match was not merged (when several reasons hold, the first listed here is reported).</summary>
public enum AmbiguityKind
{
    /// <summary>A pair the rule matches disagrees on another identifier both publish (employee id, birth year).</summary>
    Conflict,

    /// <summary>An officer's group already holds an officer of the other source (matched by a stronger rule or an override).</summary>
    AlreadyMatched,

    /// <summary>An officer involved was already ambiguous with the other source under a stronger rule.</summary>
    AmbiguousEarlier,

    /// <summary>The rule matches an officer to more than one officer of the other source.</summary>
    MultipleCandidates,

    /// <summary>Merging would put two officers of one (third) source in one officer.</summary>
    SameSource,
}

/// <summary>Two per-source officers joined into one officer, and the rule (or override) that joined them.</summary>
public sealed record IdentityLink(OfficerSourceRef From, OfficerSourceRef To, IdentityRule Rule);

/// <summary>
/// One officer across sources: the per-source identities merged, with the links that merged them, and the stable
/// public id (<c>off-</c> and 16 hex digits of the SHA-256 of the smallest member <c>{source}:{officerRef}</c>, ordinal).
/// </summary>
public sealed record IdentityGroup(string Id, IReadOnlyList<OfficerSourceRef> Members, IReadOnlyList<IdentityLink> Links)
{
    /// <summary>The rules that joined the members, strongest first (empty for an officer known to one source only).</summary>
    public IReadOnlyList<IdentityRule> Rules => [.. Links.Select(l => l.Rule).Distinct().Order()];
}

/// <summary>An officer named in the identity report, with what the rules compare (all of it published).</summary>
/// <param name="Officer"><c>{source}:{officerRef}</c></param>
/// <param name="Id">The public id of the officer it is in after resolution.</param>
/// <param name="Name">The published name ("First Middle Last Suffix").</param>
/// <param name="EmployeeId">As published.</param>
/// <param name="Badges">Every badge number the record lists.</param>
/// <param name="BirthYear">As published (Minnesota drops it).</param>
/// <param name="HireDate">As published.</param>
public sealed record IdentityCandidate(string Officer, string Id, string Name, string? EmployeeId, IReadOnlyList<string> Badges, int? BirthYear, string? HireDate)
{
    /// <summary>The unit as published.</summary>
    public string? Unit { get; init; }

    /// <summary>The published complaints whose allegations name this per-source officer.</summary>
    public int Complaints { get; init; }

    /// <summary>The year of the earliest of those complaints (received, else incident date); null when none has a date.</summary>
    public int? FirstComplaintYear { get; init; }

    /// <summary>The year of the latest of those complaints; null when none has a date.</summary>
    public int? LastComplaintYear { get; init; }
}

/// <summary>Two officers a rule matches; <paramref name="Conflict"/> says what disagrees, when something does.</summary>
/// <remarks>
/// The evidence lists name what the two published records compare as, in this order: <c>name</c> (the name keys),
/// <c>employeeId</c>, <c>badges</c> (agree: a badge in common), <c>birthYear</c>, <c>hireDate</c> (at the coarser
/// precision), <c>unit</c>, <c>complaintYears</c> (agree: the ranges from first to last complaint year overlap).
/// </remarks>
public sealed record IdentityCandidatePair(string First, string Second, string? Conflict)
{
    /// <summary>What both publish and agrees.</summary>
    public IReadOnlyList<string> Agree { get; init; } = [];

    /// <summary>What both publish and differs.</summary>
    public IReadOnlyList<string> Differ { get; init; } = [];

    /// <summary>What one of the two (or neither) publishes: not compared.</summary>
    public IReadOnlyList<string> Unknown { get; init; } = [];
}

/// <summary>What became of a candidate set of a candidate rule.</summary>
public enum CandidateDecision
{
    /// <summary>The policies do not merge by the rule: a reviewer decides (with the overrides file).</summary>
    Undecided,

    /// <summary>The policies of both sources merge by the rule (<c>identity.autoMerge</c>), and it was merged.</summary>
    Merged,
}

/// <summary>
/// Officers a candidate rule (<see cref="IdentityRule.NameAndHireDate"/>, <see cref="IdentityRule.NameUnitYears"/>)
/// matches, with the evidence: two officers (as resolved) that may be one person.
/// </summary>
/// <param name="Rule">The candidate rule.</param>
/// <param name="Decision">Undecided, or merged by the policy's <c>identity.autoMerge</c>.</param>
/// <param name="Sources">The sources of the officers, ordinal.</param>
/// <param name="Reason">In words.</param>
/// <param name="Officers">Every per-source officer of the set, by <c>{source}:{officerRef}</c>.</param>
/// <param name="Pairs">The pairs the rule matched, with their evidence.</param>
public sealed record IdentityCandidateSet(IdentityRule Rule, CandidateDecision Decision, IReadOnlyList<string> Sources, string Reason, IReadOnlyList<IdentityCandidate> Officers, IReadOnlyList<IdentityCandidatePair> Pairs)
{
    /// <summary>
    /// Why the set could not be merged even where the policies enable the rule (<see cref="AmbiguityKind.MultipleCandidates"/>:
    /// an officer matches several of the other source; <see cref="AmbiguityKind.SameSource"/>: the merge would put two
    /// officers of one source together); null for a set of two officers that nothing opposes.
    /// </summary>
    public AmbiguityKind? Kind { get; init; }
}

/// <summary>Candidates that a rule matches but that were not merged: the city decides with the overrides file.</summary>
public sealed record IdentityAmbiguity(IdentityRule Rule, AmbiguityKind Kind, string Reason, IReadOnlyList<IdentityCandidate> Officers, IReadOnlyList<IdentityCandidatePair> Pairs);

/// <summary>An entry of the overrides file and what it did.</summary>
/// <param name="Kind"><c>same</c> or <c>different</c>.</param>
/// <param name="Location">The entry in the file (<c>$.same[0]</c>).</param>
/// <param name="Officers">The officers it names, as written.</param>
/// <param name="Note">The entry's note.</param>
/// <param name="Applied">Whether it changed the outcome: a <c>same</c> entry merged at least two officers present in the records; a <c>different</c> entry kept apart officers a rule matched.</param>
/// <param name="Effect">What it did, in words.</param>
public sealed record IdentityDecision(string Kind, string Location, IReadOnlyList<string> Officers, string? Note, bool Applied, string Effect);

/// <summary>An officer named by the overrides file that no published record has (removed, or mistyped).</summary>
public sealed record UnmatchedOverride(string Location, string Officer);

/// <summary>How many officers, groups, links and ambiguities the resolution has.</summary>
/// <param name="Officers">Per-source officers resolved.</param>
/// <param name="OfficersBySource">Per-source officers, by source (ordinal).</param>
/// <param name="Groups">Officers after resolution (one document each).</param>
/// <param name="MergedGroups">Officers with more than one per-source identity.</param>
/// <param name="LinksByRule">Links per rule, every rule listed.</param>
/// <param name="Ambiguities">Entries of <see cref="IdentityReport.Ambiguities"/>.</param>
public sealed record IdentityCounts(int Officers, IReadOnlyDictionary<string, int> OfficersBySource, int Groups, int MergedGroups, IReadOnlyDictionary<IdentityRule, int> LinksByRule, int Ambiguities)
{
    /// <summary>Entries of <see cref="IdentityReport.Candidates"/>.</summary>
    public int Candidates { get; init; }

    /// <summary>Entries of <see cref="IdentityReport.Candidates"/> left undecided.</summary>
    public int Undecided { get; init; }

    /// <summary>
    /// Per candidate rule, the pairs it matched that are no candidates and are not reported: the published identifiers
    /// contradict them (different employee ids or birth years), or a stronger rule already matched an officer of the
    /// pair with the other source or left it ambiguous.
    /// </summary>
    public IReadOnlyDictionary<IdentityRule, int> NotCandidates { get; init; } = new Dictionary<IdentityRule, int>();
}

/// <summary>
/// The identity report (<c>identity.json</c>): counts, the candidate matches that were not merged and why, the
/// candidate rules' matches with their evidence, the overrides applied and the overrides that matched nothing. Deterministic; holds only published values.
/// </summary>
public sealed record IdentityReport
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    public required IdentityCounts Counts { get; init; }

    /// <summary>The officers with more than one per-source identity, with the links that merged them, by id.</summary>
    public IReadOnlyList<IdentityGroup> Merged { get; init; } = [];

    /// <summary>Ordered by rule (strongest first), then by the first officer.</summary>
    public IReadOnlyList<IdentityAmbiguity> Ambiguities { get; init; } = [];

    /// <summary>
    /// The candidate sets of the candidate rules: undecided (for a reviewer; with a <see cref="IdentityCandidateSet.Kind"/>
    /// when several officers compete) or merged by the policy. Ordered by rule, then by the first officer. Matches that
    /// published identifiers contradict or that a stronger rule settled are not listed (<see cref="IdentityCounts.NotCandidates"/>).
    /// </summary>
    public IReadOnlyList<IdentityCandidateSet> Candidates { get; init; } = [];

    /// <summary>Every entry of the overrides file, <c>same</c> then <c>different</c>, in the file's order.</summary>
    public IReadOnlyList<IdentityDecision> Decisions { get; init; } = [];

    /// <summary>In the file's order.</summary>
    public IReadOnlyList<UnmatchedOverride> UnmatchedOverrides { get; init; } = [];
}
