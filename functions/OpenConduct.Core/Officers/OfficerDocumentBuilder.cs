using System.Globalization;

namespace OpenConduct.Core.Officers;

/// <summary>
/// Builds one <see cref="OfficerDocument"/> per resolved officer from the published records of every source
/// (docs/officers.md#the-officer-document). Nothing but published records goes in: the releases'
/// <c>records/*.jsonl.gz</c>, read with <see cref="PublishedRecords"/>.
/// </summary>
public static class OfficerDocumentBuilder
{
    /// <summary>Shown when no record of the officer publishes a name.</summary>
    public const string UnnamedOfficer = "Officer (name not published)";

    private const int CaseBits = 28;
    private const int AllegationBits = 20;

    /// <summary>
    /// The documents, ordered by id (ordinal): one per group of <paramref name="identity"/>, officers with no complaint
    /// included, plus one per officer that allegations name but the identity does not know (its id from its own
    /// reference). The allegations are indexed by officer once, here (one 8-byte entry per allegation); each document is
    /// built when the enumeration reaches it, so the documents are never all in memory at once.
    /// </summary>
    public static IEnumerable<OfficerDocument> Build(IReadOnlyList<PublishedRecords> sources, IdentityResolution identity)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(identity);
        if (sources.Count >= 1 << (63 - CaseBits - AllegationBits))
        {
            throw new ArgumentException("too many sources", nameof(sources));
        }

        var index = new Index(sources, identity);
        return index.Documents();
    }

    /// <summary>Compares (source, officer reference): the source ignoring case, the reference ordinal.</summary>
    private sealed class RefComparer : IEqualityComparer<(string Source, string Ref)>
    {
        public static readonly RefComparer Instance = new();

        public bool Equals((string Source, string Ref) x, (string Source, string Ref) y) =>
            string.Equals(x.Ref, y.Ref, StringComparison.Ordinal) && string.Equals(x.Source, y.Source, StringComparison.OrdinalIgnoreCase);

        public int GetHashCode((string Source, string Ref) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Source), StringComparer.Ordinal.GetHashCode(obj.Ref));
    }

    private sealed class Index
    {
        private readonly IReadOnlyList<PublishedRecords> sources;
        private readonly List<(string Id, OfficerSourceRef[] Members)> groups = [];
        private readonly Dictionary<(string, string), int> groupOf = new(RefComparer.Instance);
        private readonly Dictionary<(string, string), PublishedOfficer> officers = new(RefComparer.Instance);
        private readonly Dictionary<(string, string), string> lastReceived = new(RefComparer.Instance);
        private readonly int[] start;
        private readonly long[] entries;

        public Index(IReadOnlyList<PublishedRecords> sources, IdentityResolution identity)
        {
            this.sources = sources;
            foreach (var group in identity.Groups)
            {
                foreach (var member in group.Members)
                {
                    groupOf[(member.Source, member.OfficerRef)] = groups.Count;
                }

                groups.Add((group.Id, [.. group.Members]));
            }

            foreach (var officer in sources.SelectMany(s => s.Officers))
            {
                officers.TryAdd((officer.Source, officer.OfficerRef), officer);
                if (!groupOf.ContainsKey((officer.Source, officer.OfficerRef)))
                {
                    AddAlone(officer.Source, officer.OfficerRef);
                }
            }

            // Pass 1: the officer of every allegation, counted per group; the latest complaint per officer record.
            var owner = new List<int>();
            var counts = new List<int>();
            for (var s = 0; s < sources.Count; s++)
            {
                var cases = sources[s].Cases;
                for (var c = 0; c < cases.Count; c++)
                {
                    var @case = cases[c];
                    foreach (var a in @case.Allegations)
                    {
                        if (a.OfficerUnidentified)
                        {
                            // Counted in datasets and dashboards, never part of a person's history.
                            owner.Add(-1);
                            continue;
                        }

                        var key = (@case.Source, a.OfficerRef);
                        if (!groupOf.TryGetValue(key, out var g))
                        {
                            g = AddAlone(@case.Source, a.OfficerRef);
                        }

                        owner.Add(g);
                        if (@case.ReceivedDate is { } received
                            && (!lastReceived.TryGetValue(key, out var last) || string.CompareOrdinal(received, last) > 0))
                        {
                            lastReceived[key] = received;
                        }
                    }
                }
            }

            counts.AddRange(new int[groups.Count]);
            foreach (var g in owner)
            {
                if (g >= 0)
                {
                    counts[g]++;
                }
            }

            start = new int[groups.Count + 1];
            for (var g = 0; g < groups.Count; g++)
            {
                start[g + 1] = start[g] + counts[g];
            }

            // Pass 2: (source, case, allegation) packed in one long per allegation, grouped by officer, in file order.
            entries = new long[owner.Count(g => g >= 0)];
            var next = start[..^1];
            var n = 0;
            for (var s = 0; s < sources.Count; s++)
            {
                var cases = sources[s].Cases;
                for (var c = 0; c < cases.Count; c++)
                {
                    var allegations = cases[c].Allegations;
                    if (allegations.Count >= 1 << AllegationBits || c >= 1 << CaseBits)
                    {
                        throw new ArgumentException("a release has too many cases or a case too many allegations to index", nameof(sources));
                    }

                    for (var k = 0; k < allegations.Count; k++)
                    {
                        var g = owner[n++];
                        if (g >= 0)
                        {
                            entries[next[g]++] = ((long)s << (CaseBits + AllegationBits)) | ((long)c << AllegationBits) | (long)k;
                        }
                    }
                }
            }
        }

        private int AddAlone(string source, string officerRef)
        {
            var member = new OfficerSourceRef(source, officerRef);
            groups.Add((OfficerIdentityResolver.PublicId(member), [member]));
            groupOf[(source, officerRef)] = groups.Count - 1;
            return groups.Count - 1;
        }

        public IEnumerable<OfficerDocument> Documents()
        {
            var order = Enumerable.Range(0, groups.Count).OrderBy(g => groups[g].Id, StringComparer.Ordinal).ToList();
            foreach (var g in order)
            {
                yield return Document(g);
            }
        }

        private OfficerDocument Document(int g)
        {
            var (id, members) = groups[g];

            // The complaints: consecutive entries of one (source, case) are one complaint (entries are in file order).
            var complaints = new List<ComplaintHistoryEntry>();
            var summary = (Allegations: 0, Sustained: 0, Discipline: 0);
            for (var e = start[g]; e < start[g + 1];)
            {
                var (s, c) = Unpack(entries[e]);
                var @case = sources[s].Cases[c];
                var allegations = new List<AllegationHistoryEntry>();
                for (; e < start[g + 1] && Unpack(entries[e]) == (s, c); e++)
                {
                    var entry = Allegation(@case, @case.Allegations[(int)(entries[e] & ((1L << AllegationBits) - 1))]);
                    allegations.Add(entry);
                    summary.Allegations++;
                    summary.Sustained += entry.FinalFinding == "Sustained" ? 1 : 0;
                    summary.Discipline += entry.DisciplineFinal == true && entry.ImposedDiscipline is { } d && d != "None" ? 1 : 0;
                }

                complaints.Add(new ComplaintHistoryEntry
                {
                    Source = @case.Source,
                    CaseNumber = @case.CaseNumber,
                    ReceivedDate = @case.ReceivedDate,
                    Status = @case.Status?.Value,
                    IntakeDecision = @case.IntakeDecision?.Value,
                    DaysToClose = @case.DaysToClose(),
                    DaysToFinalDiscipline = @case.DaysToFinalDiscipline(),
                    NarrativeStatus = @case.NarrativeStatus,
                    Allegations = allegations,
                });
            }

            complaints.Sort(static (x, y) =>
            {
                // Newest received first (a complaint without a received date last), then case number, then source.
                var byDate = (x.ReceivedDate, y.ReceivedDate) switch
                {
                    (null, null) => 0,
                    (null, _) => 1,
                    (_, null) => -1,
                    var (a, b) => string.CompareOrdinal(b, a),
                };
                return byDate != 0 ? byDate
                    : string.CompareOrdinal(x.CaseNumber, y.CaseNumber) is var byCase and not 0 ? byCase
                    : string.CompareOrdinal(x.Source, y.Source);
            });

            // The records, the most recent first: the display name, rank and unit come from the first that has them.
            var records = members
                .Select(m => officers.GetValueOrDefault((m.Source, m.OfficerRef)))
                .OfType<PublishedOfficer>()
                .Select(o => (Officer: o, Name: o.DisplayName, LastSeen: LastSeen(o)))
                .OrderBy(r => r.Name.Length == 0)
                .ThenByDescending(r => r.LastSeen, StringComparer.Ordinal)
                .ThenByDescending(r => r.Officer.HireDate ?? "", StringComparer.Ordinal)
                .ThenBy(r => r.Officer.Ref.ToString(), StringComparer.Ordinal)
                .ToList();
            var names = records.Select(r => r.Name).Where(n => n.Length > 0).ToList();
            var display = names.Count > 0 ? names[0] : UnnamedOfficer;
            var (badges, current) = Badges(members, records.Select(r => r.Officer));

            var years = complaints.Select(c => Year(c.ReceivedDate)).OfType<int>().ToList();
            return new OfficerDocument
            {
                Id = id,
                DisplayName = display,
                NamePublished = names.Count > 0,
                EmployeeIds = [.. records.Select(r => r.Officer.EmployeeId?.Trim()).OfType<string>().Where(e => e.Length > 0).Distinct(StringComparer.Ordinal)],
                FirstComplaintYear = years.Count > 0 ? years.Min() : null,
                LastComplaintYear = years.Count > 0 ? years.Max() : null,
                NameVariants = [display, .. names.Distinct(StringComparer.Ordinal).Where(n => n != display).Order(StringComparer.Ordinal)],
                CurrentBadge = current,
                Badges = badges.Select(b => b.Number).ToList(),
                Rank = records.Select(r => r.Officer.Rank).FirstOrDefault(r => r is not null),
                Unit = records.Select(r => r.Officer.Unit).FirstOrDefault(u => u is not null),
                Status = badges.Count == 0 ? null : badges.Any(b => b.To is null) ? "current" : "former",
                SourceRefs = members,
                Complaints = complaints,
                Summary = new OfficerSummary(complaints.Count, summary.Allegations, summary.Sustained, summary.Discipline),
            };
        }

        /// <summary>The year of a published date (<c>yyyy</c>, <c>yyyy-MM</c> or <c>yyyy-MM-dd</c>), or null.</summary>
        private static int? Year(string? date) =>
            date is { Length: >= 4 } && int.TryParse(date.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) ? year : null;

        private static (int Source, int Case) Unpack(long entry) =>
            ((int)(entry >> (CaseBits + AllegationBits)), (int)((entry >> AllegationBits) & ((1L << CaseBits) - 1)));

        /// <summary>
        /// One allegation as the history shows it. A finding is final only when published and not <c>Pending</c>; it is
        /// pending when the record says so, when its code is <c>Pending</c>, or when none is published while the case is
        /// open. The imposed discipline is shown unless the record marks it as not final.
        /// </summary>
        private static AllegationHistoryEntry Allegation(PublishedCase @case, PublishedAllegation a)
        {
            var finding = a.FinalFinding?.Value;
            var pending = a.FindingPending || finding == "Pending" || (finding is null && @case.Status?.Value == "Open");
            var showDiscipline = a.DisciplineFinal != false;

            return new AllegationHistoryEntry
            {
                Category = a.Category?.Text,
                Subcategory = a.Subcategory?.Text,
                FinalFinding = pending ? null : finding,
                FindingPending = pending,
                DisciplineFinal = a.DisciplineFinal,
                ImposedDiscipline = showDiscipline ? a.ImposedDiscipline?.Value : null,
                ImposedDisciplineDays = showDiscipline ? a.ImposedDisciplineDays : null,
                RecommendedFinding = a.RecommendedFinding?.Text,
                RecommendedDiscipline = a.RecommendedDiscipline?.Text,
                RecommendedDisciplineText = a.RecommendedDiscipline?.Raw,
                RecommendedDisciplineDays = a.RecommendedDisciplineDays,
                ImposedDisciplineText = a.HasRecommendation && showDiscipline && a.ImposedDiscipline?.Value is not null ? a.ImposedDiscipline.Raw : null,
            };
        }

        /// <summary>The latest date an officer record mentions: a complaint received, a badge issued or ended, the hire date (ISO text, "" when none).</summary>
        private string LastSeen(PublishedOfficer o)
        {
            var latest = o.HireDate ?? "";
            if (lastReceived.TryGetValue((o.Source, o.OfficerRef), out var received) && string.CompareOrdinal(received, latest) > 0)
            {
                latest = received;
            }

            foreach (var b in o.Badges)
            {
                foreach (var d in (ReadOnlySpan<DateOnly?>)[b.From, b.To])
                {
                    if (d is { } day && day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) is var text && string.CompareOrdinal(text, latest) > 0)
                    {
                        latest = text;
                    }
                }
            }

            return latest;
        }

        /// <summary>
        /// Every badge number of the officer's records, distinct (compared as identifiers), oldest first: badges with an
        /// issue date by that date, then the undated ones in the records' order. A badge's issue date is the earliest
        /// any record publishes, its end the latest; the current badge is the last one without an end.
        /// </summary>
        private static (List<PublishedBadge> Badges, string? Current) Badges(OfficerSourceRef[] members, IEnumerable<PublishedOfficer> recent)
        {
            var merged = new Dictionary<string, (PublishedBadge Badge, int Order)>(StringComparer.Ordinal);
            var order = 0;
            var byRef = recent.ToDictionary(o => o.Ref.ToString(), StringComparer.Ordinal);
            foreach (var member in members)
            {
                if (!byRef.TryGetValue(member.ToString(), out var officer))
                {
                    continue;
                }

                foreach (var badge in officer.Badges)
                {
                    var key = OfficerNames.Identifier(badge.Number);
                    if (key is null)
                    {
                        continue;
                    }

                    if (merged.TryGetValue(key, out var known))
                    {
                        var b = known.Badge;
                        merged[key] = (b with { From = Min(b.From, badge.From), To = Max(b.To, badge.To) }, known.Order);
                    }
                    else
                    {
                        merged[key] = (badge with { Number = badge.Number.Trim() }, order++);
                    }
                }
            }

            var badges = merged.Values
                .OrderBy(b => b.Badge.From is null)
                .ThenBy(b => b.Badge.From)
                .ThenBy(b => b.Order)
                .Select(b => b.Badge)
                .ToList();
            return (badges, badges.LastOrDefault(b => b.To is null)?.Number);

            static DateOnly? Min(DateOnly? x, DateOnly? y) => x is null ? y : y is null ? x : x < y ? x : y;
            static DateOnly? Max(DateOnly? x, DateOnly? y) => x is null ? y : y is null ? x : x > y ? x : y;
        }
    }
}
