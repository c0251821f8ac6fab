using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using OpenConduct.Core.Import;
using OpenConduct.Core.Model;

namespace OpenConduct.Core.Disclosure;

/// <summary>
/// Applies a disclosure policy: the one place where canonical records become public ones. Field rules first (keep,
/// drop, generalize, scrub, pseudonymize, aggregate only), then the record rules, which always win: a sensitive
/// complaint has no location and no narrative; a finding is public only once its case is closed, discipline only
/// once final, recommendations never. Every decision is counted in <see cref="Report"/>, so one redactor serves one
/// redaction run on one thread at a time (not thread-safe).
/// </summary>
public sealed partial class Redactor
{
    private static readonly int[] DefaultBands = [18, 25, 35, 45, 55, 65];

    private static readonly (PiiKind Kind, string Rule)[] ScrubRules =
        [.. Enum.GetValues<PiiKind>().Select(kind => (kind, $"scrub: {kind} replaced in narratives"))];

    private static readonly string[] WithheldRules =
        [.. Enum.GetValues<ResidualRisk>().Select(risk => $"scrub: narrative withheld, residual risk {risk}")];

    private readonly DisclosurePolicy policy;
    private readonly byte[] key;
    private readonly NarrativeScrubber scrubber;
    private readonly FieldRule[] rules;
    private readonly HashSet<string> sensitiveCategories;
    private readonly Sensitivity sensitiveFlags;

    /// <param name="policy">A validated policy (see <see cref="DisclosurePolicyLoader"/>).</param>
    /// <param name="settings">Looks up configuration settings by name: the pseudonymization key comes from here.</param>
    /// <param name="scrubber">The narrative scrubber; a default one when null.</param>
    /// <exception cref="PolicyException">The policy is invalid or its key setting is missing or too short.</exception>
    public Redactor(DisclosurePolicy policy, Func<string, string?> settings, NarrativeScrubber? scrubber = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(settings);
        var errors = DisclosurePolicyLoader.Validate(policy);
        var setting = policy.Pseudonymization?.KeySetting;
        var secret = setting is null ? null : settings(setting);
        if (setting is not null && string.IsNullOrEmpty(secret))
        {
            errors.Add($"the pseudonymization key setting '{setting}' is not set; set it (environment variable or app setting, from Key Vault in Azure) to a secret of at least 32 characters");
        }
        else if (secret is not null && secret.StartsWith("@Microsoft.KeyVault(", StringComparison.OrdinalIgnoreCase))
        {
            // App Service passes an unresolved Key Vault reference through as its own text: never use that as the key.
            errors.Add($"the pseudonymization key setting '{setting}' is a Key Vault reference that did not resolve; create the secret in Key Vault and give the app's identity the Key Vault Secrets User role (docs/deploy.md)");
        }
        else if (secret is { Length: < 32 })
        {
            errors.Add($"the pseudonymization key in '{setting}' has {secret.Length} characters; use at least 32 (e.g. openssl rand -base64 48)");
        }

        if (errors.Count > 0)
        {
            throw new PolicyException(policy.Name, errors);
        }

        this.policy = policy;
        key = Encoding.UTF8.GetBytes(secret!);
        this.scrubber = scrubber ?? new NarrativeScrubber(ScrubberOptions.For(policy));
        rules = CanonicalFields.List.Select(f => DisclosurePolicyLoader.Rule(policy, f)).ToArray();
        sensitiveCategories = policy.Sensitivity.Categories.Select(c => CategoryNames.Parse(c)?.ToString() ?? c).ToHashSet(StringComparer.OrdinalIgnoreCase);
        sensitiveFlags = policy.Sensitivity.Flags.Aggregate(Sensitivity.None, (all, flag) => all | Enum.Parse<Sensitivity>(flag));
        Report = new RedactionReport(policy.Name, rules.Select(ActionName).ToArray());
    }

    public RedactionReport Report { get; }

    /// <summary>
    /// The reviewers' approvals that apply to this run when the policy requires review
    /// (<see cref="ScrubbingRule.Review"/>): a narrative is published only as approved. None by default, so every
    /// narrative is then pending.
    /// </summary>
    public Review.NarrativeApprovals Approvals { get; set; } = Review.NarrativeApprovals.Empty;

    /// <summary>The narratives this run left waiting for a reviewer (original text: private, for the review queue only).</summary>
    public List<Review.PendingNarrative> Pending { get; } = [];

    private bool ReviewRequired => policy.Scrubbing.Review == NarrativeReview.Required;

    public DisclosurePolicy Policy => policy;

    /// <summary>
    /// Redacts one case. <paramref name="officers"/> gives the officers of the case's allegations by key: their
    /// names stay in the narrative, everyone else's are scrubbed.
    /// </summary>
    public RedactedCase RedactCase(Complaint complaint, IReadOnlyList<Allegation> allegations, IReadOnlyList<Complainant> complainants, Func<string, Officer?> officers) =>
        RedactCase(complaint, allegations, complainants, officers, null);

    /// <summary>As <see cref="RedactCase(Complaint, IReadOnlyList{Allegation}, IReadOnlyList{Complainant}, Func{string, Officer?})"/>, with the narrative already scrubbed (<see cref="ScrubNarrative"/>) when <paramref name="scrubbed"/> is given.</summary>
    internal RedactedCase RedactCase(Complaint complaint, IReadOnlyList<Allegation> allegations, IReadOnlyList<Complainant> complainants, Func<string, Officer?> officers, ScrubResult? scrubbed)
    {
        ArgumentNullException.ThrowIfNull(complaint);
        ArgumentNullException.ThrowIfNull(allegations);
        ArgumentNullException.ThrowIfNull(complainants);
        ArgumentNullException.ThrowIfNull(officers);
        var sensitive = IsSensitive(complaint, allegations);
        var closed = complaint.Status.Value == ComplaintStatus.Closed;
        var caseNumber = Text(CanonicalFields.CaseNumber, complaint.Source, complaint.CaseNumber)!;

        string? location = null, narrative = null;
        var pendingReview = false;
        if (sensitive)
        {
            // Which rules covered the case, for the quality report: each flag and each category counted once per case.
            Report.Rule("sensitivity: complaint withheld location and narrative");
            foreach (var flag in Enum.GetValues<Sensitivity>().Where(f => f != Sensitivity.None && (complaint.Sensitivity & sensitiveFlags & f) != 0))
            {
                Report.Rule($"sensitivity covered: flag {flag}");
            }

            foreach (var category in allegations.Select(a => a.Category.Value).OfType<string>().Where(sensitiveCategories.Contains).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                Report.Rule($"sensitivity covered: category {category}");
            }
        }
        else
        {
            location = Location(complaint);
            if (NarrativePublic(allegations, closed))
            {
                narrative = Narrative(complaint, allegations, complainants, officers, scrubbed, caseNumber, out pendingReview);
            }
            else if (complaint.Narrative is not null && Rule(CanonicalFields.Narrative).Action is FieldAction.Keep or FieldAction.Scrub)
            {
                Report.Rule(policy.Finality.Narratives == NarrativeDisclosure.Closed
                    ? "finality: narrative withheld, case open"
                    : "finality: narrative withheld, no final discipline");
            }
        }

        var redacted = new RedactedComplaint
        {
            Source = complaint.Source,
            CaseNumber = caseNumber,
            ReceivedDate = Date(CanonicalFields.ReceivedDate, complaint.ReceivedDate),
            IncidentDate = Date(CanonicalFields.IncidentDate, complaint.IncidentDate),
            ClosedDate = Date(CanonicalFields.ClosedDate, complaint.ClosedDate),
            Status = Code(CanonicalFields.Status, complaint.Status),
            IntakeDecision = Code(CanonicalFields.IntakeDecision, complaint.IntakeDecision),
            Precinct = Text(CanonicalFields.Precinct, complaint.Source, complaint.Precinct),
            Location = location,
            Narrative = narrative,
            NarrativePendingReview = pendingReview,
            Sensitive = sensitive,
        };
        Report.Complaints++;

        var publicAllegations = allegations.Select(a => RedactAllegation(a, caseNumber, closed)).ToList();
        var publicComplainants = complainants.Select(c => RedactComplainant(c, caseNumber, complaint.ReceivedDate ?? complaint.IncidentDate)).ToList();
        return new RedactedCase(redacted, publicAllegations, publicComplainants);
    }

    public RedactedOfficer RedactOfficer(Officer officer)
    {
        ArgumentNullException.ThrowIfNull(officer);
        Report.Officers++;
        var badges = Rule(CanonicalFields.Badge).Action switch
        {
            FieldAction.Keep => officer.Badges.Select(b => BadgeDates(b)).ToList(),
            FieldAction.Pseudonymize => officer.Badges.Select(b => BadgeDates(b with { Number = Pseudonym(CanonicalFields.Badge, officer.Source, b.Number) })).ToList(),
            _ => [],
        };
        if (officer.Badges.Count > 0)
        {
            Report.Field(CanonicalFields.Badge);
        }

        return new RedactedOfficer
        {
            Source = officer.Source,
            OfficerRef = OfficerRef(officer.Source, officer.Key),
            EmployeeId = Text(CanonicalFields.EmployeeId, officer.Source, officer.EmployeeId),
            FirstName = Text(CanonicalFields.OfficerFirstName, officer.Source, officer.FirstName),
            MiddleName = Text(CanonicalFields.OfficerMiddleName, officer.Source, officer.MiddleName),
            LastName = Text(CanonicalFields.OfficerLastName, officer.Source, officer.LastName),
            Suffix = Text(CanonicalFields.OfficerSuffix, officer.Source, officer.Suffix),
            Badges = badges,
            Rank = Text(CanonicalFields.Rank, officer.Source, officer.Rank),
            Unit = Text(CanonicalFields.Unit, officer.Source, officer.Unit),
            Race = Code(CanonicalFields.OfficerRace, officer.Race),
            Sex = Code(CanonicalFields.OfficerSex, officer.Sex),
            BirthYear = Year(CanonicalFields.BirthYear, officer.BirthYear),
            HireDate = Date(CanonicalFields.HireDate, officer.HireDate),
            ForCounts = new Demographics(
                ForCounts(CanonicalFields.OfficerRace, officer.Race),
                ForCounts(CanonicalFields.OfficerSex, officer.Sex),
                null),
        };
    }

    /// <summary>A badge with its dates as the badgeFrom and badgeTo rules publish them (a date of day precision or none).</summary>
    private BadgeNumber BadgeDates(BadgeNumber badge) =>
        badge with { From = BadgeDate(CanonicalFields.BadgeFrom, badge.From), To = BadgeDate(CanonicalFields.BadgeTo, badge.To) };

    private DateOnly? BadgeDate(CanonicalField field, DateOnly? date) => Date(field, date) is { } published
        ? published.Precision == DatePrecision.Day ? published.Value : null
        : null;

    /// <summary>The officer's public reference: a keyed pseudonym of its key within the source.</summary>
    public string OfficerRef(string source, string officerKey)
    {
        if (!officerRefs.TryGetValue((source, officerKey), out var reference))
        {
            officerRefs[(source, officerKey)] = reference = "o-" + Hmac($"officer\u001f{source}\u001f{officerKey}");
        }

        return reference;
    }

    private readonly Dictionary<(string Source, string Key), string> officerRefs = [];

    private RedactedAllegation RedactAllegation(Allegation allegation, string caseNumber, bool closed)
    {
        Report.Allegations++;
        if (allegation.OfficerUnidentified)
        {
            Report.Rule("officer: allegation against an officer the export does not identify (counted, in no officer's history)");
        }

        var finality = policy.Finality;
        var finding = Code(CanonicalFields.FinalFinding, allegation.FinalFinding);
        var findingPending = false;
        if (finality.FindingsWhenClosed && !closed)
        {
            findingPending = true;
            if (finding.Raw is not null)
            {
                Report.Rule("finality: final finding withheld, case open");
            }

            finding = default;
        }

        var imposed = Code(CanonicalFields.ImposedDiscipline, allegation.ImposedDiscipline);
        var imposedDays = Kept(CanonicalFields.ImposedDisciplineDays, allegation.ImposedDisciplineDays);
        var disciplineDate = Date(CanonicalFields.DisciplineDate, allegation.DisciplineDate);
        if (finality.DisciplineWhenFinal && allegation.DisciplineFinal != true && (imposed.Raw is not null || imposedDays is not null || disciplineDate is not null))
        {
            Report.Rule("finality: imposed discipline withheld, not final");
            (imposed, imposedDays, disciplineDate) = (default, null, null);
        }

        // The date says that discipline was decided: published only with the discipline itself (never when the policy's
        // field rule, or the finality rule above, withholds it).
        if (imposed.Raw is null && imposed.Value is null)
        {
            disciplineDate = null;
        }

        var recommendedFinding = Code(CanonicalFields.RecommendedFinding, allegation.RecommendedFinding);
        var recommendedDiscipline = Code(CanonicalFields.RecommendedDiscipline, allegation.RecommendedDiscipline);
        var recommendedDays = Kept(CanonicalFields.RecommendedDisciplineDays, allegation.RecommendedDisciplineDays);
        if (finality.HideRecommendations && (recommendedFinding.Raw ?? recommendedDiscipline.Raw) is not null)
        {
            Report.Rule("finality: recommendation withheld");
            (recommendedFinding, recommendedDiscipline, recommendedDays) = (default, default, null);
        }

        return new RedactedAllegation
        {
            Source = allegation.Source,
            CaseNumber = caseNumber,
            OfficerRef = allegation.OfficerUnidentified ? "" : OfficerRef(allegation.Source, allegation.OfficerKey),
            OfficerUnidentified = allegation.OfficerUnidentified,
            AllegationId = Text(CanonicalFields.AllegationId, allegation.Source, allegation.AllegationId),
            Category = CodeText(CanonicalFields.Category, allegation.Category),
            Subcategory = CodeText(CanonicalFields.Subcategory, allegation.Subcategory),
            RecommendedFinding = recommendedFinding,
            FinalFinding = finding,
            FindingPending = findingPending,
            RecommendedDiscipline = recommendedDiscipline,
            RecommendedDisciplineDays = recommendedDays,
            ImposedDiscipline = imposed,
            ImposedDisciplineDays = imposedDays,
            DisciplineFinal = Kept(CanonicalFields.DisciplineFinal, allegation.DisciplineFinal),
            DisciplineDate = disciplineDate,
        };
    }

    // referenceDate: the complaint's received date, else its incident date: the day a birth date gives an age band on.
    private RedactedComplainant RedactComplainant(Complainant complainant, string caseNumber, PartialDate? referenceDate)
    {
        Report.Complainants++;
        var age = Age(complainant.Age, forCounts: false);
        var birthDate = Date(CanonicalFields.ComplainantBirthDate, complainant.BirthDate);
        var birthRule = Rule(CanonicalFields.ComplainantBirthDate);
        if (age is null && birthRule is { Action: FieldAction.Generalize, To: Generalization.AgeBand })
        {
            age = BirthDateBand(complainant.BirthDate, referenceDate, birthRule, countWithheld: true);
        }

        var ageForCounts = Age(complainant.Age, forCounts: true);
        if (ageForCounts is null && birthRule is { Action: FieldAction.AggregateOnly, To: Generalization.AgeBand })
        {
            ageForCounts = BirthDateBand(complainant.BirthDate, referenceDate, birthRule, countWithheld: false);
        }

        return new RedactedComplainant
        {
            Source = complainant.Source,
            CaseNumber = caseNumber,
            FirstName = Text(CanonicalFields.ComplainantFirstName, complainant.Source, complainant.FirstName),
            LastName = Text(CanonicalFields.ComplainantLastName, complainant.Source, complainant.LastName),
            Address = Address(CanonicalFields.ComplainantAddress, complainant.Address, null),
            BirthDate = birthDate,
            Phone = Text(CanonicalFields.ComplainantPhone, complainant.Source, complainant.Phone),
            Race = Code(CanonicalFields.ComplainantRace, complainant.Race),
            Sex = Code(CanonicalFields.ComplainantSex, complainant.Sex),
            Age = age,
            ForCounts = new Demographics(
                ForCounts(CanonicalFields.ComplainantRace, complainant.Race),
                ForCounts(CanonicalFields.ComplainantSex, complainant.Sex),
                ageForCounts),
        };
    }

    private string? Location(Complaint complaint) => Address(CanonicalFields.Location, complaint.Location, complaint.Precinct);

    private bool IsSensitive(Complaint complaint, IReadOnlyList<Allegation> allegations) =>
        (complaint.Sensitivity & sensitiveFlags) != 0
        || allegations.Any(a => a.Category.Value is { } category && sensitiveCategories.Contains(category));

    private bool NarrativePublic(IReadOnlyList<Allegation> allegations, bool closed) => policy.Finality.Narratives switch
    {
        NarrativeDisclosure.Always => true,
        NarrativeDisclosure.Closed => closed,
        _ => closed && allegations.Any(a => a.DisciplineFinal == true && a.ImposedDiscipline.Value is { } kind && kind != DisciplineKind.None),
    };

    /// <summary>Whether <see cref="RedactCase(Complaint, IReadOnlyList{Allegation}, IReadOnlyList{Complainant}, Func{string, Officer?})"/> will scrub this case's narrative: not sensitive, public under the finality rule, and scrubbed by the field rule.</summary>
    internal bool ScrubsNarrative(Complaint complaint, IReadOnlyList<Allegation> allegations) =>
        complaint.Narrative is not null && Rule(CanonicalFields.Narrative).Action == FieldAction.Scrub
        && !IsSensitive(complaint, allegations) && NarrativePublic(allegations, complaint.Status.Value == ComplaintStatus.Closed);

    /// <summary>
    /// Scrubs a case's narrative with the officers of its allegations and its complainants as the context. Thread-safe
    /// (it counts nothing): <see cref="RedactionPipeline"/> scrubs the narratives of an import on every core, then
    /// redacts the cases in order with the results.
    /// </summary>
    internal ScrubResult ScrubNarrative(Complaint complaint, IReadOnlyList<Allegation> allegations, IReadOnlyList<Complainant> complainants, Func<string, Officer?> officers)
    {
        var officerNames = new List<string>(4);
        for (var i = 0; i < allegations.Count; i++)
        {
            var key = allegations[i].OfficerKey;
            var seen = false;
            for (var j = 0; j < i && !seen; j++)
            {
                seen = string.Equals(allegations[j].OfficerKey, key, StringComparison.Ordinal);
            }

            if (!seen && officers(key) is { } officer)
            {
                officerNames.Add(officer.DisplayName);
                if (officer.LastName is { } last)
                {
                    officerNames.Add(last);
                }
            }
        }

        var privateNames = new List<string>(complainants.Count * 2);
        foreach (var c in complainants)
        {
            var full = c.FirstName is null ? c.LastName : c.LastName is null ? c.FirstName : c.FirstName + " " + c.LastName;
            if (!string.IsNullOrEmpty(full))
            {
                privateNames.Add(full);
            }

            if (!string.IsNullOrEmpty(c.LastName))
            {
                privateNames.Add(c.LastName);
            }
        }

        var text = complaint.Narrative ?? string.Empty;
        var context = new ScrubContext(officerNames, privateNames);
        if (!ReviewRequired)
        {
            return scrubber.Scrub(text, context);
        }

        // A reviewer decides: what the scrubber would mask and what it still suspects, nothing withheld by the gate.
        var analysis = scrubber.Review(text, context);
        var counts = new int[PiiCounts.KindCount];
        foreach (var mask in analysis.Masks)
        {
            counts[(int)mask.Kind]++;
        }

        return new ScrubResult(NarrativeScrubber.Render(text, analysis.Masks), PiiCounts.From(counts), ResidualRisk.None, analysis);
    }

    private string? Narrative(Complaint complaint, IReadOnlyList<Allegation> allegations, IReadOnlyList<Complainant> complainants, Func<string, Officer?> officers, ScrubResult? scrubbed, string caseNumber, out bool pendingReview)
    {
        pendingReview = false;
        if (complaint.Narrative is not { } text)
        {
            return null;
        }

        var rule = Rule(CanonicalFields.Narrative);
        Report.Field(CanonicalFields.Narrative);
        switch (rule.Action)
        {
            case FieldAction.Keep:
                return text;
            case FieldAction.Scrub:
                var result = scrubbed ?? ScrubNarrative(complaint, allegations, complainants, officers);
                if (result.Review is { } analysis)
                {
                    return Reviewed(complaint, text, caseNumber, analysis, out pendingReview);
                }

                if (result.Withheld != ResidualRisk.None)
                {
                    // Counted by reason, never with the text (docs/disclosure.md, the residual-risk gate).
                    Report.Rule(WithheldRules[(int)result.Withheld]);
                    return null;
                }

                foreach (var (kind, scrubRule) in ScrubRules)
                {
                    Report.Rule(scrubRule, result.Counts[kind]);
                }

                return result.Text;
            default:
                return null;
        }
    }

    /// <summary>
    /// A narrative under review: published as the reviewer approved it when an approval holds for this very text and
    /// these automatic masks; otherwise withheld as pending and added to <see cref="Pending"/> for the queue.
    /// </summary>
    private string? Reviewed(Complaint complaint, string text, string caseNumber, NarrativeAnalysis analysis, out bool pendingReview)
    {
        var originalSha = Review.NarrativeReviewRules.Sha256(text);
        var automaticSha = Review.NarrativeReviewRules.MasksSha256(analysis.Masks);
        var approval = Approvals.Find(caseNumber);
        if (Review.NarrativeReviewRules.Approves(approval, originalSha, automaticSha))
        {
            pendingReview = false;
            Report.Rule("review: narrative published as a reviewer approved it");
            return NarrativeScrubber.Render(text, Review.NarrativeReviewRules.FinalMasks(analysis.Masks, approval!.Added, approval.Removed));
        }

        pendingReview = true;
        Report.Rule(approval is null ? "review: narrative pending review" : "review: narrative pending review, changed since approved");
        Pending.Add(new Review.PendingNarrative
        {
            Source = complaint.Source,
            CaseNumber = caseNumber,
            Received = complaint.ReceivedDate?.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Original = text,
            Masks = analysis.Masks,
            Flags = analysis.Flags,
            OriginalSha256 = originalSha,
            AutomaticSha256 = automaticSha,
            ChangedSinceApproval = approval is not null,
        });
        return null;
    }

    private string? Address(CanonicalField field, string? value, string? precinct)
    {
        if (value is null)
        {
            return null;
        }

        var rule = Rule(field);
        Report.Field(field);
        return rule.Action switch
        {
            FieldAction.Keep => value,
            FieldAction.Generalize when rule.To == Generalization.Precinct =>
                precinct is null || Rule(CanonicalFields.Precinct).Action != FieldAction.Keep ? null : $"Precinct {precinct}",
            FieldAction.Generalize => HundredBlock(value),
            _ => null,
        };
    }

    /// <summary>"3412 Nicollet Ave S, Apt 2" -> "3400 block of Nicollet Ave S"; null when the value has no house number.</summary>
    internal static string? HundredBlock(string address)
    {
        var match = HouseNumber().Match(address);
        if (!match.Success || !long.TryParse(match.Groups["number"].ValueSpan, out var number))
        {
            return null;
        }

        var street = match.Groups["street"].Value.Trim().TrimEnd(',', '.');
        if (street.StartsWith("block of ", StringComparison.OrdinalIgnoreCase))
        {
            street = street[9..].TrimStart(); // already a hundred block: keep it, no more precise than before
        }

        return street.Length == 0 ? null : FormattableString.Invariant($"{number / 100 * 100} block of {street}");
    }

    [GeneratedRegex(@"^\s*(?<number>\d{1,6})[A-Za-z]?(?:\s*[-–]\s*\d+)?\s+(?<street>[^,#]+?)(?:\s*(?:,|#|\b(?:apt|apartment|unit|ste|suite|fl|floor|lot|rm|room)\b).*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HouseNumber();

    private FieldRule Rule(CanonicalField field) => rules[field.Id];

    private static string ActionName(FieldRule rule) => rule.To is { } to
        ? $"{Camel(rule.Action.ToString())}:{Camel(to.ToString())}"
        : Camel(rule.Action.ToString());

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private string? Text(CanonicalField field, string source, string? value)
    {
        if (value is null)
        {
            return null;
        }

        var rule = Rule(field);
        Report.Field(field);
        return rule.Action switch
        {
            FieldAction.Keep => value,
            FieldAction.Pseudonymize => Pseudonym(field, source, value),
            _ => null,
        };
    }

    private string Pseudonym(CanonicalField field, string source, string value) => "p-" + Hmac($"{field.Path}\u001f{source}\u001f{value}");

    /// <summary>HMAC-SHA256 under the policy's key, the first 80 bits in lower-case hex: stable, irreversible without the key.</summary>
    private string Hmac(string value)
    {
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(value), hash);
        return Convert.ToHexStringLower(hash[..10]);
    }

    /// <summary>A date as the rule publishes it, never more precise than the export wrote it (a year stays a year).</summary>
    private PublicDate? Date(CanonicalField field, PartialDate? value)
    {
        if (value is not { } date)
        {
            return null;
        }

        var rule = Rule(field);
        Report.Field(field);
        DatePrecision? precision = rule.Action switch
        {
            FieldAction.Keep => DatePrecision.Day,
            FieldAction.Generalize when rule.To == Generalization.Month => DatePrecision.Month,
            FieldAction.Generalize when rule.To == Generalization.Year => DatePrecision.Year,
            _ => null,
        };
        if (precision is not { } published)
        {
            return null;
        }

        var truncated = PartialDate.Of(date.Value, PartialDate.Coarser(published, date.Precision));
        return new PublicDate(truncated.Value, truncated.Precision);
    }

    private Coded<T> Code<T>(CanonicalField field, Coded<T> value)
        where T : struct, Enum
    {
        if (value.Raw is null && value.Value is null)
        {
            return default;
        }

        var rule = Rule(field);
        Report.Field(field);
        return rule.Action == FieldAction.Keep ? value : default;
    }

    private CodedText CodeText(CanonicalField field, CodedText value)
    {
        if (value.Raw is null && value.Value is null)
        {
            return default;
        }

        var rule = Rule(field);
        Report.Field(field);
        return rule.Action == FieldAction.Keep ? value : default;
    }

    private T? ForCounts<T>(CanonicalField field, Coded<T> value)
        where T : struct, Enum => Rule(field).Action is FieldAction.Keep or FieldAction.AggregateOnly ? value.Value : null;

    /// <summary>A value that is either published as it is or not at all.</summary>
    private T? Kept<T>(CanonicalField field, T? value)
        where T : struct
    {
        if (value is null)
        {
            return null;
        }

        Report.Field(field);
        return Rule(field).Action == FieldAction.Keep ? value : null;
    }

    private int? Year(CanonicalField field, int? value)
    {
        if (value is not { } year)
        {
            return null;
        }

        var rule = Rule(field);
        Report.Field(field);
        return rule.Action switch
        {
            FieldAction.Keep => year,
            FieldAction.Generalize when rule.To == Generalization.Decade => year / 10 * 10,
            _ => null,
        };
    }

    /// <summary>The complainant's age as the policy publishes it on the record, or as it may be counted.</summary>
    private string? Age(int? age, bool forCounts)
    {
        if (age is not { } years)
        {
            return null;
        }

        var rule = Rule(CanonicalFields.ComplainantAge);
        if (!forCounts)
        {
            Report.Field(CanonicalFields.ComplainantAge);
        }

        return (rule.Action, forCounts) switch
        {
            (FieldAction.Keep, _) => years.ToString(System.Globalization.CultureInfo.InvariantCulture),
            (FieldAction.Generalize, _) or (FieldAction.AggregateOnly, true) when rule.To == Generalization.AgeBand => AgeBand(years, rule.Bands ?? DefaultBands),
            _ => null,
        };
    }

    /// <summary>
    /// The band of the complainant's age on the reference date, from the birth date; null without a birth date, or
    /// without a reference date (counted as a rule when <paramref name="countWithheld"/>), or for a birth date after it.
    /// </summary>
    private string? BirthDateBand(PartialDate? birthDate, PartialDate? referenceDate, FieldRule rule, bool countWithheld)
    {
        if (birthDate is not { } born)
        {
            return null;
        }

        if (referenceDate is not { } on)
        {
            if (countWithheld)
            {
                Report.Rule("generalize: birth date without a reference date withheld");
            }

            return null;
        }

        // A date known only to the month or the year leaves the age uncertain: the band is published only when every
        // age the dates allow falls in it.
        var youngest = Age(Last(born), First(on));
        var oldest = Age(First(born), Last(on));
        if (youngest < 0 && oldest < 0)
        {
            return null;
        }

        var bands = rule.Bands ?? DefaultBands;
        var band = AgeBand(Math.Max(0, youngest), bands);
        if (band != AgeBand(Math.Max(0, oldest), bands))
        {
            if (countWithheld)
            {
                Report.Rule("generalize: age band withheld, the birth or reference date is too imprecise");
            }

            return null;
        }

        return band;

        static int Age(DateOnly born, DateOnly on) => on.Year - born.Year - (on < born.AddYears(on.Year - born.Year) ? 1 : 0);
        static DateOnly First(PartialDate d) => d.Value;
        static DateOnly Last(PartialDate d) => d.Precision switch
        {
            DatePrecision.Year => new DateOnly(d.Value.Year, 12, 31),
            DatePrecision.Month => d.Value.AddMonths(1).AddDays(-1),
            _ => d.Value,
        };
    }

    /// <summary>The band an age falls in: "25-34", "65+", "under 18".</summary>
    internal static string AgeBand(int age, IReadOnlyList<int> bounds)
    {
        if (age < bounds[0])
        {
            return FormattableString.Invariant($"under {bounds[0]}");
        }

        for (var i = 0; i < bounds.Count - 1; i++)
        {
            if (age < bounds[i + 1])
            {
                return FormattableString.Invariant($"{bounds[i]}-{bounds[i + 1] - 1}");
            }
        }

        return FormattableString.Invariant($"{bounds[^1]}+");
    }
}
