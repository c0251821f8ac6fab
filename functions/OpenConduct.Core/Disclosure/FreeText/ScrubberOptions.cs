namespace OpenConduct.Core.Disclosure;

/// <summary>Which demographic attributes a policy publishes on records (the others are masked in free text).</summary>
[Flags]
public enum DemographicAttributes
{
    None = 0,
    Age = 1,
    Race = 2,
    Sex = 4,
    All = Age | Race | Sex,
}

/// <summary>Why the residual-risk gate found a scrubbed narrative unsafe (<see cref="ResidualRisk.None"/>: it did not).</summary>
public enum ResidualRisk
{
    None = 0,

    /// <summary>A capitalised word that is no dictionary word, no officer on the record, no known place or organisation.</summary>
    UnknownCapitalisedWord,

    /// <summary>Two or three capital letters that read as a person's initials and are no officer's or known acronym.</summary>
    InitialsLike,

    /// <summary>A run of digits or a letters-and-digits code shaped like a phone, plate or identification number.</summary>
    NumberLike,
}

/// <summary>What the residual-risk gate does with a narrative in which something still looks like a person identifier.</summary>
public enum ResidualRiskAction
{
    /// <summary>The narrative is not published (the default: the safer choice). Counted by reason in the reports.</summary>
    Withhold,

    /// <summary>The suspect words are masked too ([NAME], [INITIALS], [ID]) and the narrative is published.</summary>
    Mask,
}

/// <summary>What the scrubber does beyond the record: which demographics to mask, the residual-risk gate, officers by rank.</summary>
public sealed record ScrubberOptions
{
    /// <summary>The default: every demographic masked, suspect narratives withheld, officers named after a rank kept.</summary>
    public static ScrubberOptions Default { get; } = new();

    /// <summary>Demographic attributes the policy publishes on records: a descriptor is masked unless it carries only these.</summary>
    public DemographicAttributes PublishedDemographics { get; init; } = DemographicAttributes.None;

    /// <summary>What to do with a narrative the residual-risk gate finds unsafe.</summary>
    public ResidualRiskAction ResidualRisk { get; init; } = ResidualRiskAction.Withhold;

    /// <summary>
    /// Whether a name or initials written after a police rank ("Officer XK", "Sgt. Lee", "Officers YT and XK") stay: true
    /// where officers' names are public (Minnesota 13.43: an employee's name is public personnel data), false to keep
    /// only the officers on the record.
    /// </summary>
    public bool KeepOfficersNamedByRank { get; init; } = true;

    /// <summary>The options a policy implies: demographics from its complainant rules, the gate and ranks from its scrubbing section.</summary>
    public static ScrubberOptions For(DisclosurePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var published = DemographicAttributes.None;
        if (DisclosurePolicyLoader.Rule(policy, Import.CanonicalFields.ComplainantAge).Action == FieldAction.Keep)
        {
            published |= DemographicAttributes.Age;
        }

        if (DisclosurePolicyLoader.Rule(policy, Import.CanonicalFields.ComplainantRace).Action == FieldAction.Keep)
        {
            published |= DemographicAttributes.Race;
        }

        if (DisclosurePolicyLoader.Rule(policy, Import.CanonicalFields.ComplainantSex).Action == FieldAction.Keep)
        {
            published |= DemographicAttributes.Sex;
        }

        return new ScrubberOptions
        {
            PublishedDemographics = published,
            ResidualRisk = policy.Scrubbing.ResidualRisk,
            KeepOfficersNamedByRank = policy.Scrubbing.OfficersNamedByRank == OfficerMentions.Keep,
        };
    }
}
