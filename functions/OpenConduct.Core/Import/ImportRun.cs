using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using OpenConduct.Core.Import.Sources;
using OpenConduct.Core.Model;

namespace OpenConduct.Core.Import;

/// <summary>
/// The state of one import: the plans of its files, the indexes that joins and merges need (cases, officers), the
/// per-case facts that derivation rules need at the end, the counters and the report.
/// </summary>
internal sealed class ImportRun : IUnmappedCounter
{
    private readonly MappingProfile profile;
    private readonly ImportReport report;
    private readonly IImportSink sink;
    private readonly ImportOptions options;
    private readonly Dictionary<string, CompiledVocabulary> vocabularies;
    private readonly OfficerRegistry officers;

    /// <summary>The officer node of a row's officer cells, for the rows that repeat a known officer (denormalized files).</summary>
    private readonly RowHashSet officersByColumns = new();

    /// <summary>Join key values -> officer node, per officer join target file.</summary>
    private readonly Dictionary<string, Dictionary<string, int>> officerJoins = new(StringComparer.Ordinal);

    private static readonly Dictionary<string, int> EmptyIndex = new(StringComparer.Ordinal);

    /// <summary>Case number -> what is known of the case (its first complaint row, its allegations).</summary>
    private readonly Dictionary<string, int> cases = new(StringComparer.Ordinal);

    /// <summary>The state of each case, by the index <see cref="cases"/> gives (one lookup per row, state changed in place).</summary>
    private readonly List<CaseState> caseStates = [];

    private ref CaseState State(int index) => ref CollectionsMarshal.AsSpan(caseStates)[index];

    /// <summary>The state of a known case, or a null reference.</summary>
    private ref CaseState StateOf(string caseNumber)
    {
        if (cases.TryGetValue(caseNumber, out var index))
        {
            return ref State(index);
        }

        return ref System.Runtime.CompilerServices.Unsafe.NullRef<CaseState>();
    }

    /// <summary>Case number -> its rejected complaint row, to explain why rows joining to it are rejected too.</summary>
    private readonly Dictionary<string, RowError> rejectedComplaints = new(StringComparer.Ordinal);

    /// <summary>Complaints that later rows complete or change, by case number.</summary>
    private readonly Dictionary<string, ComplaintResolution> resolutions = new(StringComparer.Ordinal);

    private readonly RowHashSet complainants = new();
    private readonly Dictionary<(string File, string Column, string Value), UnmappedCounter> unmapped = [];
    private readonly RowValues row;
    private readonly string[] statusRules;
    private readonly IReadOnlyList<string> finalityRules;
    private readonly string complaintRows;

    public ImportRun(MappingProfile profile, ImportReport report, IImportSink sink, ImportOptions options)
    {
        this.profile = profile;
        this.report = report;
        this.sink = sink;
        this.options = options;
        vocabularies = profile.Vocabularies.ToDictionary(v => v.Key, v => new CompiledVocabulary(v.Key, v.Value), StringComparer.Ordinal);
        officers = new OfficerRegistry(profile.OfficerKeys?.Select(k => OfficerRegistry.Parse(k)!.Value).ToArray() ?? OfficerRegistry.DefaultKinds);
        row = new RowValues(this, options.SensitiveTerms);
        statusRules = [.. profile.Rules.Status ?? DerivationRules.DefaultStatus];
        finalityRules = profile.Rules.DisciplineFinal ?? DerivationRules.DefaultDisciplineFinal;
        complaintRows = profile.Rules.ComplaintRows ?? "firstNonEmpty";
        juvenileAge = profile.Rules.JuvenileAge is { } age ? age > 0 ? age : null : DerivationRules.DefaultJuvenileAge;
        finalByFinding = finalityRules.Contains("finalFinding") && finalityRules.TakeWhile(r => r != "finalFinding").All(r => r is "column");
        statusByFindings = statusRules.Contains("findings");
        statusByClosedDate = statusRules.Contains("closedDate");
    }

    private readonly int? juvenileAge;

    private uint[] fieldScratch = [];

    /// <summary>The finality rules let a final finding make discipline final (only columns come before that rule).</summary>
    private readonly bool finalByFinding;

    /// <summary>The status rules decide some statuses only at the end (from the findings).</summary>
    private readonly bool statusByFindings;

    /// <summary>A closed date closes a complaint.</summary>
    private readonly bool statusByClosedDate;

    /// <summary>The index of the current row's case in <see cref="caseStates"/>, or -1.</summary>
    private int currentCase = -1;

    /// <summary>
    /// What the import knows of one case, kept small (it is held for every case until the end): the offset of its
    /// complaint columns' hashes in <see cref="fieldHashes"/>, a hash of all of them, its status as first given, and
    /// the counts the case-level rules need.
    /// </summary>
    private struct CaseState // 32 bytes: the hash first, so that no padding follows an int
    {
        /// <summary>A hash of the complaint cells of the rows read so far: a later row equal to them changes nothing.</summary>
        public ulong ComplaintHash;

        /// <summary>Where the per-column hashes of the complaint's first row start in <see cref="fieldHashes"/> (-1: none).</summary>
        public int Fields;

        /// <summary>
        /// The raw status value (the complaint's status as given), for a status decided at the end: its index in
        /// <see cref="statusValues"/>, -1 for none. An index, not the string, so that the cases hold no references
        /// and the collector never has to look through them.
        /// </summary>
        public int StatusRaw;

        public int Allegations;
        public int FinalFindings;
        public int UnknownFinality;

        /// <summary>The status as given to the sink: 0 none, else the value + 1.</summary>
        public byte Status;

        public CaseFlags Flags;
    }

    [Flags]
    private enum CaseFlags : byte
    {
        None = 0,
        StatusFromRow = 1,
        HasClosedDate = 2,

        /// <summary>A complainant of the case is younger than the juvenile age.</summary>
        Juvenile = 4,

        /// <summary>The complaint as first given to the sink was already marked Juvenile.</summary>
        FlaggedJuvenile = 8,
    }

    /// <summary>The per-column hashes of every case's first complaint row, one arena (no array per case).</summary>
    private readonly List<uint> fieldHashes = [];

    /// <summary>The officer columns' hash of the last row whose officer was known, and that officer's node.</summary>
    private (UInt128 Columns, int Node) lastOfficer = (default, -1);

    /// <summary>The hash of a complainant known to be kept (the last one seen): a row repeating it needs no lookup. The hash includes the case.</summary>
    private UInt128 lastComplainant = UInt128.MaxValue;

    /// <summary>The last row's case: the bytes of its case number cell, the number, and its index in the cases (-1: none).</summary>
    private (byte[] Cell, int Length, string? Number, int Index) lastCase = (new byte[64], -1, null, -1);

    /// <summary>The distinct raw status values of the cases (a status column has a few), by <see cref="CaseState.StatusRaw"/>.</summary>
    private readonly List<string> statusValues = [];
    private readonly Dictionary<string, int> statusIndex = new(StringComparer.Ordinal);

    private int StatusValue(string? raw)
    {
        if (raw is null)
        {
            return -1;
        }

        if (!statusIndex.TryGetValue(raw, out var index))
        {
            statusIndex[raw] = index = statusValues.Count;
            statusValues.Add(raw);
        }

        return index;
    }

    /// <summary>For the complaints whose rows disagreed: which columns were counted as filled and as differing.</summary>
    private readonly Dictionary<string, (long Filled, long Differs)> countedFields = new(StringComparer.Ordinal);

    public List<FilePlan> Plan(IExportFiles files)
    {
        var plans = new List<FilePlan>();
        foreach (var file in profile.Files)
        {
            var actual = FilePlan.Match(file, files.Names, out var error);
            if (error is not null)
            {
                report.Failures.Add($"{files.Location}: {error}");
                continue;
            }

            var format = file.Format.Over(profile.Defaults);
            var encodingName = format.Encoding ?? "utf-8";
            var mappedFields = file.Columns.Values.SelectMany(c => c.Targets).Select(t => t.Field).ToHashSet();
            var constants = profile.Constants.Where(c => !file.Constants.ContainsKey(c.Key)).Concat(file.Constants)
                .Where(c => !mappedFields.Contains(c.Key))
                .Select(c => (CanonicalFields.TryGet(c.Key, out var f) ? f : throw new InvalidOperationException(c.Key), c.Value))
                .ToList();
            var joins = profile.Joins.Where(j => j.File == file.Name).Select(j =>
            {
                var entity = CanonicalFields.ParseEntity(j.Entity)!.Value;
                var target = profile.Files.First(f => f.Name != file.Name && f.Holds.Any(h => CanonicalFields.ParseEntity(h) == entity));
                return new JoinPlan(entity, j.On.Select(p => CanonicalFields.TryGet(p, out var f) ? f : throw new InvalidOperationException(p)).ToArray(), target.Name);
            }).ToList();
            var type = FilePlan.TypeOf(format.Type, actual!);
            var dateFormats = format.DateFormats?.ToArray() ?? FilePlan.DefaultDateFormats;
            var holds = file.Holds.Select(h => CanonicalFields.ParseEntity(h)!.Value).ToHashSet();
            plans.Add(new FilePlan
            {
                Mapping = file,
                ActualName = actual!,
                Type = type,
                Format = format,
                EncodingName = encodingName,
                Encoding = encodingName.ToLowerInvariant() is "utf-8" or "utf8" ? null : MappingProfileLoader.ResolveEncoding(encodingName),
                Culture = format.Culture is null ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(format.Culture),
                DateFormats = type == FileType.Excel ? [.. dateFormats, .. ExcelRowSource.DateFormats.Except(dateFormats)] : dateFormats,
                RowNames = format.HeaderShorterThanRows ?? false,
                NullTokens = [.. (format.NullTokens ?? []).Select(t => Encoding.UTF8.GetBytes(t.Trim()))],
                Holds = holds,
                Constants = constants,
                Joins = joins,
                KeepDuplicates = file.Duplicates == "keep" || (file.Duplicates is null && holds.SetEquals([EntityKind.Complainant])),
            });
        }

        foreach (var plan in plans)
        {
            plan.IsJoinTarget = plans.Any(p => p.Joins.Any(j => j.TargetFile == plan.Name));
            if (plan.Mapping.DisciplineOf is { } target && plans.FirstOrDefault(p => p.Name == target) is { } allegationsFile)
            {
                plan.DisciplineOfficerOn = allegationsFile.JoinTo(EntityKind.Officer)?.On;
                allegationsFile.TakesDiscipline = true;
            }
        }

        // Join targets first (complaints before officers does not matter; both before the files that join to them),
        // then the files that give discipline to allegations, then the others.
        return plans.OrderBy(p => p.IsJoinTarget ? 0 : p.DisciplineOfficerOn is not null ? 1 : 2).ToList();
    }

    public (RowSource Source, FileImportStats Stats)? OpenAndCheckHeader(FilePlan plan, IExportFiles files)
    {
        var stats = new FileImportStats
        {
            Name = plan.Name,
            Path = plan.ActualName,
            Encoding = plan.Type == FileType.Csv ? plan.EncodingName : null,
            Format = FilePlan.TypeName(plan.Type),
            Bytes = files.Length(plan.ActualName),
        };

        var limits = options.Limits;
        if (stats.Bytes > limits.MaxFileBytes)
        {
            throw new Pipeline.InvalidExportException(limits.FileTooLarge(plan.ActualName, stats.Bytes));
        }

        RowSource? source;
        string? error;
        try
        {
            var (stream, counted) = CountingStream.Open(files.Open(plan.ActualName), plan.ActualName, limits);
            source = plan.Type switch
            {
                FileType.Json or FileType.JsonLines => JsonRowSource.Open(stream, counted, plan.ActualName, plan.Format, plan.Type == FileType.JsonLines, limits, out error),
                FileType.Excel => ExcelRowSource.Open(stream, counted, plan.ActualName, plan.Format, limits, options.Archive, out error),
                _ => CsvRowSource.Open(stream, counted, plan.ActualName, plan.Format, plan.Encoding, plan.Culture, limits, out error),
            };
        }
        catch (IOException ex)
        {
            report.Failures.Add($"{plan.ActualName}: cannot be opened: {ex.Message}");
            return null;
        }

        if (source is null)
        {
            report.Failures.Add(error!);
            return null;
        }

        stats.Delimiter = source.Delimiter;
        var columns = new List<ColumnPlan>();
        var missing = new List<string>();
        foreach (var (name, mapping) in plan.Mapping.Columns)
        {
            if (!source.TryGetColumn(name, out var index))
            {
                if (!mapping.Optional)
                {
                    missing.Add(name);
                }

                continue;
            }

            int[]? combine = null;
            if (mapping.Combine is { } others)
            {
                combine = new int[others.Count];
                for (var i = 0; i < others.Count; i++)
                {
                    if (!source.TryGetColumn(others[i], out combine[i]))
                    {
                        missing.Add(others[i]);
                    }
                }
            }

            var pattern = mapping.Pattern is null ? null : new Regex(mapping.Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            var take = mapping.Take switch
            {
                "first" => Take.First,
                "last" => Take.Last,
                "mostSevere" => Take.MostSevere,
                "each" => Take.Each,
                _ => Take.None,
            };
            foreach (var (group, target) in mapping.Groups is null
                         ? [(null, mapping)]
                         : mapping.Groups.SelectMany(g => g.Value.Select(t => ((string?)g.Key, t))))
            {
                CanonicalFields.TryGet(target.Field!, out var field);
                var dateFormats = target.DateFormats is null ? plan.DateFormats : [.. target.DateFormats, .. plan.DateFormats];
                var vocabulary = target.Vocabulary is null ? null : vocabularies[target.Vocabulary];
                columns.Add(new ColumnPlan(group is null ? name : $"{name} ({group})", index, field, target, vocabulary, dateFormats)
                {
                    Column = mapping,
                    Combine = combine,
                    Separator = mapping.Separator ?? " ",
                    Pattern = pattern,
                    Group = group,
                    Take = take,
                }.Complete());
            }
        }

        stats.Columns = source.Columns;
        if (missing.Count > 0)
        {
            report.Failures.Add(source switch
            {
                CsvRowSource csv => csv.Missing(missing, plan.Mapping.Columns.Count),
                JsonRowSource json => json.Missing(missing),
                ExcelRowSource excel => excel.Missing(missing),
                _ => $"{plan.ActualName}: mapped columns {string.Join(", ", missing)} not in the file",
            });
            source.Dispose();
            return null;
        }

        plan.Columns = columns;
        plan.SourceColumns = [.. columns.SelectMany(c => (int[])[c.FieldIndex, .. c.Combine ?? []]).Distinct().Order()];
        plan.HashWholeRow = source is CsvRowSource && plan.SourceColumns.Length == source.Columns.Count
                            && plan.SourceColumns.SequenceEqual(Enumerable.Range(plan.RowNames ? 1 : 0, source.Columns.Count));
        plan.ComplaintColumns = [.. columns.Where(c => c.Field.Entity == EntityKind.Complaint && c.Field != CanonicalFields.CaseNumber)];
        plan.OfficerColumns = [.. columns.Where(c => c.Field.Entity == EntityKind.Officer)];
        plan.ComplainantColumns = [.. columns.Where(c => c.Field.Entity == EntityKind.Complainant)];
        plan.EntityColumns = [.. Enum.GetValues<EntityKind>().Select(e => columns.Where(c => c.Field.Entity == e).ToArray())];
        plan.EachColumn = columns.FirstOrDefault(c => c.Take == Take.Each && c.Field.Entity == EntityKind.Allegation);
        report.Files.Add(stats);
        return (source, stats);
    }

    public void ReadRows(FilePlan plan, RowSource source, FileImportStats stats, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
    {
        var seen = new RowHashSet();
        lastCase = (lastCase.Cell, -1, null, -1); // cells of another file are compared anew
        while (source.Read())
        {
            stats.RowsRead++;
            if (stats.RowsRead == 1024 && source.BytesRead > 0)
            {
                // Size the indexes once from the rows per byte so far, instead of growing them step by step.
                var expected = (long)(1.1 * stats.Bytes / source.BytesRead * stats.RowsRead);
                seen.EnsureCapacity(expected);
                if (plan.Has(EntityKind.Complaint))
                {
                    // A file that also holds allegations repeats its cases: fewer cases than rows.
                    var expectedCases = (int)Math.Min(plan.Has(EntityKind.Allegation) ? expected / 2 : expected, 50_000_000);
                    if (plan.Has(EntityKind.Complainant) && RepeatsComplainants(plan))
                    {
                        complainants.EnsureCapacity(complainants.Count + expectedCases);
                    }

                    cases.EnsureCapacity(expectedCases);
                    caseStates.EnsureCapacity(caseStates.Count + expectedCases);
                    fieldHashes.EnsureCapacity((int)Math.Min(fieldHashes.Count + ((long)expectedCases * plan.ComplaintColumns.Length), Array.MaxLength));
                }
            }

            if (stats.RowsRead % options.ProgressEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new ImportProgress(plan.ActualName, stats.RowsRead, source.BytesRead, stats.Bytes));
            }

            row.Start(plan, source, source.Line);
            if (source.RowProblems.Count > 0)
            {
                stats.RowsRejected++;
                report.CountRejection(row.ErrorOf(source.RowProblems[0]));
                foreach (var problem in source.RowProblems)
                {
                    AddError(row.ErrorOf(problem));
                }

                continue;
            }

            // Exact duplicate rows (the same value in every mapped column) are counted and skipped, except in files
            // of people, where two rows alike are two people.
            if (!plan.KeepDuplicates && !seen.Add(row.RowHash()))
            {
                stats.DuplicateRows++;
                continue;
            }

            switch (ImportRow(plan, source, stats))
            {
                case RowOutcome.Imported:
                    stats.RowsImported++;
                    break;
                case RowOutcome.Merged:
                    stats.RowsMerged++;
                    break;
                default:
                    stats.RowsRejected++;
                    report.CountRejection(row.Errors[0]);
                    foreach (var error in row.Errors)
                    {
                        AddError(error);
                    }

                    break;
            }
        }

        if (source.Failure is { } failure)
        {
            report.Failures.Add(failure);
        }

        stats.QuotingRepaired = source.QuotingRepaired;
        if (source is ExcelRowSource excel)
        {
            stats.BlankRows = excel.BlankRows;
        }

        if (stats.RowsRead >= options.ProgressEvery)
        {
            progress?.Report(new ImportProgress(plan.ActualName, stats.RowsRead, stats.Bytes, stats.Bytes));
        }
    }

    private void AddError(RowError error) => report.AddRowError(error, options.MaxRowErrors);

    private enum RowOutcome
    {
        Imported,
        Merged,
        Rejected,
    }

    /// <summary>Builds every record of the current row; gives them to the sink only when the whole row is valid.</summary>
    private RowOutcome ImportRow(FilePlan plan, RowSource source, FileImportStats stats)
    {
        if (plan.DisciplineOfficerOn is { } disciplineOn)
        {
            return ImportDiscipline(plan, disciplineOn);
        }

        // The case number is looked up by its characters: a case already known reuses its string. Rows of a case
        // usually follow each other: a cell equal to the last row's is that row's case, with no lookup.
        string? caseNumber;
        bool caseKnown;
        int caseIndex;
        if (lastCase.Number is not null && row.IdentifierCellIs(CanonicalFields.CaseNumber, lastCase.Cell.AsSpan(0, lastCase.Length), lastCase.Number))
        {
            (caseNumber, caseIndex) = (lastCase.Number, lastCase.Index);
            caseKnown = caseIndex >= 0;
        }
        else
        {
            caseNumber = row.Identifier(CanonicalFields.CaseNumber, cases, out caseKnown, out caseIndex);
            lastCase.Length = caseNumber is null ? -1 : row.CopyIdentifierCell(CanonicalFields.CaseNumber, ref lastCase.Cell);
            lastCase.Number = lastCase.Length < 0 ? null : caseNumber;
            lastCase.Index = caseKnown ? caseIndex : -1;
        }

        currentCase = caseKnown ? caseIndex : -1;
        var needsCase = plan.Has(EntityKind.Complaint) || plan.Has(EntityKind.Allegation) || plan.Has(EntityKind.Complainant);
        if (needsCase && caseNumber is null)
        {
            row.Error(CanonicalFields.CaseNumber, "the case number is empty");
            return RowOutcome.Rejected;
        }

        Complaint? complaint = null;
        Complaint? later = null;
        List<CanonicalField>? changed = null;
        if (plan.Has(EntityKind.Complaint))
        {
            if (!caseKnown)
            {
                complaint = BuildComplaint(caseNumber!);
            }
            else
            {
                (later, changed) = CompareComplaint(plan, caseNumber!);
            }
        }

        if (plan.JoinTo(EntityKind.Complaint) is { } complaintJoin && !caseKnown)
        {
            row.Error(CanonicalFields.CaseNumber, rejectedComplaints.TryGetValue(caseNumber!, out var rejected)
                ? $"the complaint of this case was rejected ({rejected.File}:{rejected.Line})"
                : $"case number is not in file '{complaintJoin.TargetFile}'");
        }

        // The officer: from the row's own columns, or through a join. An allegation whose officer cannot be identified
        // is kept against an unidentified officer of its complaint.
        var officerNode = -1;
        var newOfficer = false;
        string? unidentified = null;
        OfficerBuilder? officer = null;
        UInt128 officerColumns = default;
        var hasAllegation = plan.Has(EntityKind.Allegation) && source.RecordPresent
                            && (!plan.Has(EntityKind.Complaint) || row.AnyValue(EntityKind.Allegation) || row.AnyValue(EntityKind.Officer));
        if (plan.Has(EntityKind.Officer))
        {
            // A denormalized file repeats the officer's columns on every row: a row whose officer cells are exactly
            // those of an earlier row names the same officer and adds nothing, so it is not built again.
            officerColumns = row.EntityHash(plan.OfficerColumns, null);
            if (officerColumns == lastOfficer.Columns && lastOfficer.Node >= 0)
            {
                officerNode = lastOfficer.Node; // the last row's officer again: no lookup
            }
            else if (officersByColumns.TryGetValue(officerColumns, out var known))
            {
                officerNode = known;
                lastOfficer = (officerColumns, known);
            }
            else if (row.AnyValue(EntityKind.Officer))
            {
                officer = BuildOfficer();
                if (officer is not null && officers.KeysOf(officer).Count == 0)
                {
                    unidentified = "the row names no employee id, badge or last name";
                    officer = null;
                }
            }
            else if (hasAllegation)
            {
                unidentified = "the row has no officer";
            }
        }
        else if (plan.JoinTo(EntityKind.Officer) is { } officerJoin && hasAllegation)
        {
            var index = officerJoins.TryGetValue(officerJoin.TargetFile, out var known) ? known : EmptyIndex;
            bool found;
            string? value;
            if (officerJoin.On is [{ Kind: FieldKind.Identifier, MultiValue: false } single])
            {
                value = row.Identifier(single, index, out found, out officerNode);
            }
            else
            {
                value = JoinValue(officerJoin.On);
                found = value is not null && index.TryGetValue(value, out officerNode);
            }

            if (value is null)
            {
                unidentified = "the officer reference is empty";
                officerNode = -1;
            }
            else if (!found)
            {
                unidentified = $"no officer in file '{officerJoin.TargetFile}' matches the reference";
                officerNode = -1;
            }
        }

        if (plan.Has(EntityKind.Officer) && !plan.Has(EntityKind.Allegation) && officer is null && officerNode < 0)
        {
            row.Error(row.FirstMapped(EntityKind.Officer) ?? CanonicalFields.EmployeeId,
                "the officer cannot be identified: the row needs an employee id, a badge with a name, or a name (see officerKeys)");
        }

        var allegations = this.allegations;
        allegations.Clear();
        string? unidentifiedKey = null;
        if (hasAllegation && caseNumber is not null)
        {
            unidentifiedKey = unidentified is not null ? UnidentifiedKey(caseNumber) : null;
            if (plan.EachColumn is { } each)
            {
                var count = Math.Max(1, row.EachCount(each));
                for (var i = 0; i < count; i++)
                {
                    row.EachIndex = i;
                    foreach (var target in plan.Columns.Where(c => c.Column == each.Column))
                    {
                        row.Reload(target.Field);
                    }

                    allegations.Add(ReadAllegation());
                }

                row.EachIndex = -1;
            }
            else
            {
                allegations.Add(ReadAllegation());
            }
        }

        Complainant? complainant = null;
        UInt128 complainantHash = default;
        if (plan.Has(EntityKind.Complainant) && row.AnyValue(EntityKind.Complainant))
        {
            // A file whose rows repeat a case (a denormalized file, a file of allegations) repeats its complainants on
            // every row: each is kept once per case. A file of complainants alone has a row per person.
            complainantHash = RepeatsComplainants(plan) ? row.EntityHash(plan.ComplainantColumns, caseNumber) : default;
            if (!RepeatsComplainants(plan))
            {
                complainant = BuildComplainant(caseNumber!);
            }
            else if (complainantHash != lastComplainant && !complainants.Contains(complainantHash))
            {
                complainant = BuildComplainant(caseNumber!);
            }
            else
            {
                lastComplainant = complainantHash; // the next row of the case most likely repeats it: no lookup then
            }
        }

        if (row.HasErrors)
        {
            if (plan.Has(EntityKind.Complaint) && plan.IsJoinTarget && caseNumber is not null && !caseKnown)
            {
                rejectedComplaints.TryAdd(caseNumber, row.Errors[0]);
            }

            return RowOutcome.Rejected;
        }

        var created = false;
        if (complaint is not null)
        {
            currentCase = caseStates.Count;
            cases[caseNumber!] = currentCase;
            if (ReferenceEquals(caseNumber, lastCase.Number))
            {
                lastCase.Index = currentCase;
            }
            caseStates.Add(default);
            ref var state = ref State(currentCase);
            state.Fields = FieldHashes(plan, out state.ComplaintHash);
            state.Status = complaint.Status.Value is { } given ? (byte)((int)given + 1) : (byte)0;
            state.StatusRaw = StatusValue(complaint.Status.Raw);
            state.Flags = (complaint.Status.HasValue ? CaseFlags.StatusFromRow : 0)
                          | (complaint.ClosedDate is not null ? CaseFlags.HasClosedDate : 0)
                          | ((complaint.Sensitivity & Sensitivity.Juvenile) != 0 ? CaseFlags.FlaggedJuvenile : 0);
            sink.Add(complaint);
            report.Imported[EntityKind.Complaint]++;
            created = true;
        }
        else if (later is not null && changed is { Count: > 0 })
        {
            Merge(caseNumber!, later, changed);
        }

        if (officer is not null)
        {
            officerNode = officers.Add(officer, plan.ActualName);
            officersByColumns.Set(officerColumns, officerNode);
            lastOfficer = (officerColumns, officerNode);
            newOfficer = true;
            if (plan.IsJoinTarget)
            {
                IndexOfficer(plan, officerNode);
            }
        }

        var discipline = plan.TakesDiscipline && unidentifiedKey is null && allegations.Count > 0 && plan.JoinTo(EntityKind.Officer) is { } disciplineJoin
            ? DisciplineOf(caseNumber!, disciplineJoin.On)
            : null;
        foreach (var values in allegations)
        {
            var allegation = discipline is null || !Sustained(values) ? values : discipline.Use(values);
            var recorded = MakeAllegation(caseNumber!, unidentifiedKey ?? officers.KeyOf(officerNode), allegation);
            sink.Add(recorded);
            report.Imported[EntityKind.Allegation]++;
            CountAllegation(recorded);
            CountCategory(plan, recorded);
            created = true;
        }

        if (unidentified is not null && allegations.Count > 0)
        {
            stats.UnidentifiedOfficer += allegations.Count;
            report.CountNote(plan.ActualName, $"allegation kept against an unidentified officer of its complaint: {unidentified}", allegations.Count, row.Line);
        }

        if (complainant is not null && (!RepeatsComplainants(plan) || complainants.Add(complainantHash)))
        {
            lastComplainant = RepeatsComplainants(plan) ? complainantHash : lastComplainant;
            sink.Add(complainant);
            report.Imported[EntityKind.Complainant]++;
            created = true;
            if (juvenileAge is { } young && complainant.Age < young)
            {
                if (currentCase >= 0)
                {
                    State(currentCase).Flags |= CaseFlags.Juvenile;
                }
            }
        }

        if (created || newOfficer)
        {
            return RowOutcome.Imported;
        }

        report.CountMerge(plan.ActualName, MergeReason(plan, changed));
        return RowOutcome.Merged;
    }

    /// <summary>The discipline of an officer in a case, from a file that gives discipline (<c>disciplineOf</c>): case and officer reference -> values.</summary>
    private readonly Dictionary<string, OfficerDiscipline> disciplines = new(StringComparer.Ordinal);

    private static string DisciplineKey(string caseNumber, string officer) => caseNumber + "\u001e" + officer;

    /// <summary>
    /// A row of a file that gives discipline: one officer in one case. The first row of an officer and case is imported
    /// (it makes the discipline that officer's allegations of the case take); a further row of the same officer and case
    /// (several penalties) is merged into it: the most severe discipline and the most days, every text in the raw value.
    /// </summary>
    private RowOutcome ImportDiscipline(FilePlan plan, CanonicalField[] officerOn)
    {
        var caseNumber = row.Identifier(CanonicalFields.CaseNumber, cases, out var known, out _);
        if (caseNumber is null)
        {
            row.Error(CanonicalFields.CaseNumber, "the case number is empty");
        }
        else if (!known)
        {
            row.Error(CanonicalFields.CaseNumber, "case number is not in the file of complaints");
        }

        var officer = JoinValue(officerOn);
        if (officer is null)
        {
            row.Error(officerOn[0], "the officer reference is empty: the discipline cannot be given to an officer's allegations");
        }

        var values = ReadAllegation();
        if (row.HasErrors)
        {
            return RowOutcome.Rejected;
        }

        var key = DisciplineKey(caseNumber!, officer!);
        if (disciplines.TryGetValue(key, out var earlier))
        {
            earlier.Add(values);
            report.CountMerge(plan.ActualName, "a further penalty of the same officer in the same case (the most severe discipline and the most days are kept, every text in the raw value)");
            return RowOutcome.Merged;
        }

        disciplines[key] = new OfficerDiscipline(values, plan.ActualName, row.Line);
        return RowOutcome.Imported;
    }

    /// <summary>The discipline a file gives to the sustained allegations of this case and officer reference, if any.</summary>
    private OfficerDiscipline? DisciplineOf(string caseNumber, CanonicalField[] on)
    {
        if (disciplines.Count == 0 || JoinValue(on) is not { } officer || !disciplines.TryGetValue(DisciplineKey(caseNumber, officer), out var discipline))
        {
            return null;
        }

        return discipline;
    }

    /// <summary>A discipline file's penalty is for misconduct found: only sustained allegations (final or recommended finding) take it.</summary>
    private static bool Sustained(in AllegationValues allegation) =>
        allegation.FinalFinding.Value == Finding.Sustained || allegation.RecommendedFinding.Value == Finding.Sustained;

    /// <summary>The discipline of one officer in one case, as one or several rows of a penalties file give it.</summary>
    private sealed class OfficerDiscipline(AllegationValues first, string file, long line)
    {
        private AllegationValues values = first;

        public string File { get; } = file;

        public long Line { get; } = line;

        public bool Used { get; set; }

        public void Add(in AllegationValues next) => values = values with
        {
            RecommendedFinding = MoreSevere(CanonicalFields.RecommendedFinding, values.RecommendedFinding, next.RecommendedFinding),
            RecommendedDiscipline = MoreSevere(CanonicalFields.RecommendedDiscipline, values.RecommendedDiscipline, next.RecommendedDiscipline),
            RecommendedDisciplineDays = Max(values.RecommendedDisciplineDays, next.RecommendedDisciplineDays),
            ImposedDiscipline = MoreSevere(CanonicalFields.ImposedDiscipline, values.ImposedDiscipline, next.ImposedDiscipline),
            ImposedDisciplineDays = Max(values.ImposedDisciplineDays, next.ImposedDisciplineDays),
            DisciplineFinal = values.DisciplineFinal is null || next.DisciplineFinal is null ? values.DisciplineFinal ?? next.DisciplineFinal : values.DisciplineFinal.Value && next.DisciplineFinal.Value,
            DisciplineFinalRaw = Texts(values.DisciplineFinalRaw, next.DisciplineFinalRaw),
            DisciplineDate = values.DisciplineDate is { } a && next.DisciplineDate is { } b ? (b.Value > a.Value ? b : a) : values.DisciplineDate ?? next.DisciplineDate,
        };

        /// <summary>The allegation's values with each discipline field it lacks taken from this discipline.</summary>
        public AllegationValues Use(in AllegationValues allegation)
        {
            Used = true;
            return GiveTo(allegation);
        }

        private AllegationValues GiveTo(in AllegationValues allegation) => allegation with
        {
            RecommendedFinding = allegation.RecommendedFinding.Raw is null ? values.RecommendedFinding : allegation.RecommendedFinding,
            RecommendedDiscipline = allegation.RecommendedDiscipline.Raw is null ? values.RecommendedDiscipline : allegation.RecommendedDiscipline,
            RecommendedDisciplineDays = allegation.RecommendedDisciplineDays ?? (allegation.RecommendedDiscipline.Raw is null ? values.RecommendedDisciplineDays : null),
            ImposedDiscipline = allegation.ImposedDiscipline.Raw is null ? values.ImposedDiscipline : allegation.ImposedDiscipline,
            ImposedDisciplineDays = allegation.ImposedDisciplineDays ?? (allegation.ImposedDiscipline.Raw is null ? values.ImposedDisciplineDays : null),
            DisciplineFinal = allegation.DisciplineFinal ?? values.DisciplineFinal,
            DisciplineFinalRaw = allegation.DisciplineFinalRaw ?? values.DisciplineFinalRaw,
            DisciplineDate = allegation.DisciplineDate ?? (allegation.ImposedDiscipline.Raw is null ? values.DisciplineDate : null),
        };

        private static Coded<T> MoreSevere<T>(CanonicalField field, Coded<T> a, Coded<T> b)
            where T : struct, Enum
        {
            if (b.Raw is null)
            {
                return a;
            }

            if (a.Raw is null)
            {
                return b;
            }

            var rankA = a.Value is { } va ? Severity.Rank(field, Convert.ToInt32(va, CultureInfo.InvariantCulture)) : -1;
            var rankB = b.Value is { } vb ? Severity.Rank(field, Convert.ToInt32(vb, CultureInfo.InvariantCulture)) : -1;
            return new Coded<T>(rankB > rankA ? b.Value : a.Value, Texts(a.Raw, b.Raw));
        }

        private static int? Max(int? a, int? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);

        private static string? Texts(string? a, string? b) => a is null ? b : b is null || a == b ? a : a + " / " + b;
    }

    /// <summary>The raw category and subcategory values with the canonical category they gave, for the sensitive-terms check.</summary>
    private void CountCategory(FilePlan plan, Allegation allegation)
    {
        if (!row.LooksSensitive)
        {
            return; // only values with a sensitive term are of interest, and the row's coded cells said whether they have one
        }

        var category = allegation.Category.Value ?? nameof(AllegationCategory.Other);
        if (allegation.Category.Raw is { } raw && row.ColumnOf(CanonicalFields.Category) is { } column)
        {
            CountCategoryValue(plan, column, raw, category);
        }

        if (allegation.Subcategory.Raw is { } sub && row.ColumnOf(CanonicalFields.Subcategory) is { } subColumn)
        {
            CountCategoryValue(plan, subColumn, sub, category);
        }
    }

    /// <summary>
    /// Counts a raw value with its category. A coded column hands out one string per distinct value (and the canonical
    /// category is one of a few strings), so the pair is found by reference before the report's dictionary is asked.
    /// </summary>
    private void CountCategoryValue(FilePlan plan, ColumnPlan column, string raw, string category)
    {
        if (!categoryValues.TryGetValue(column, out var seen))
        {
            categoryValues[column] = seen = new Dictionary<(string, string), CategoryValue?>(ReferencePairComparer.Instance);
        }

        if (seen.TryGetValue((raw, category), out var value))
        {
            if (value is not null)
            {
                value.Count++;
            }

            return;
        }

        if (seen.Count < 50_000)
        {
            seen[(raw, category)] = report.CountCategoryValue(plan.ActualName, column.Name, raw, category, row.Line);
        }
        else
        {
            report.CountCategoryValue(plan.ActualName, column.Name, raw, category, row.Line);
        }
    }

    private readonly Dictionary<ColumnPlan, Dictionary<(string, string), CategoryValue?>> categoryValues = new(ReferenceEqualityComparer.Instance);

    /// <summary>Compares pairs of strings by reference.</summary>
    private sealed class ReferencePairComparer : IEqualityComparer<(string, string)>
    {
        public static readonly ReferencePairComparer Instance = new();

        public bool Equals((string, string) x, (string, string) y) => ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2);

        public int GetHashCode((string, string) pair) =>
            System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(pair.Item1) * 31 + System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(pair.Item2);
    }

    private readonly List<AllegationValues> allegations = new(4);

    private static string UnidentifiedKey(string caseNumber) => Officer.UnidentifiedKeyPrefix + caseNumber;

    private static bool RepeatsComplainants(FilePlan plan) => plan.Has(EntityKind.Complaint) || plan.Has(EntityKind.Allegation);

    private string MergeReason(FilePlan plan, List<CanonicalField>? changed) =>
        plan.Has(EntityKind.Complaint) && !plan.Has(EntityKind.Allegation) && !plan.Has(EntityKind.Officer)
            ? changed is { Count: > 0 } ? $"repeats a complaint with other values (merged: {complaintRows})" : "repeats a complaint already read"
            : plan.Has(EntityKind.Officer) && !plan.Has(EntityKind.Allegation)
                ? "repeats an officer already read (adds nothing new, or a badge)"
                : "adds nothing new to records already read (a complaint row without allegation, a repeated complainant)";

    /// <summary>Counts an allegation for the case-level rules (status from findings, finality with the case).</summary>
    private void CountAllegation(Allegation allegation)
    {
        if (currentCase < 0)
        {
            return;
        }

        ref var state = ref State(currentCase);
        state.Allegations++;
        if (allegation.FinalFinding.Value is { } finding && finding != Finding.Pending)
        {
            state.FinalFindings++;
        }

        if (allegation.DisciplineFinal is null && (allegation.ImposedDiscipline.Raw is not null || allegation.ImposedDisciplineDays is not null))
        {
            state.UnknownFinality++;
        }
    }

    /// <summary>
    /// Adds the hashes of the complaint columns' cells of the current row to the arena; their offset. The hash of all of
    /// them together (<paramref name="combined"/>) is what a later row is compared by first.
    /// </summary>
    private int FieldHashes(FilePlan plan, out ulong combined)
    {
        combined = 0;
        if (plan.ComplaintColumns.Length == 0)
        {
            return -1;
        }

        combined = ComplaintHash(plan);
        var offset = fieldHashes.Count;
        foreach (var column in plan.ComplaintColumns)
        {
            fieldHashes.Add(row.CellHash(column));
        }

        return offset;
    }

    /// <summary>One hash of the complaint columns' cells together: one call, however many columns.</summary>
    private ulong ComplaintHash(FilePlan plan) => (ulong)row.EntityHash(plan.ComplaintColumns, null);

    /// <summary>
    /// A later row of a known complaint: the fields it fills (the first rows had no value) or changes (another value),
    /// with the complaint built from this row when there are any. Counted by field in the report.
    /// </summary>
    private (Complaint? Later, List<CanonicalField>? Changed) CompareComplaint(FilePlan plan, string caseNumber)
    {
        ref var state = ref currentCase >= 0 ? ref State(currentCase) : ref StateOf(caseNumber);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref state) || state.Fields < 0 || plan.ComplaintColumns.Length == 0)
        {
            return default;
        }

        // Most later rows repeat the complaint exactly: the hash of their cells together says so. Only a row that
        // differs has its cells hashed one by one, to find which.
        var combined = ComplaintHash(plan);
        if (combined == state.ComplaintHash)
        {
            return default;
        }

        var hashes = fieldScratch.Length >= plan.ComplaintColumns.Length ? fieldScratch : fieldScratch = new uint[plan.ComplaintColumns.Length];
        for (var i = 0; i < plan.ComplaintColumns.Length; i++)
        {
            hashes[i] = row.CellHash(plan.ComplaintColumns[i]);
        }

        List<CanonicalField>? changed = null;
        ref var counted = ref CollectionsMarshal.GetValueRefOrAddDefault(countedFields, caseNumber, out _);
        for (var i = 0; i < plan.ComplaintColumns.Length; i++)
        {
            var hash = hashes[i];
            var first = fieldHashes[state.Fields + i];
            if (hash == first || hash == 0)
            {
                continue;
            }

            var field = plan.ComplaintColumns[i].Field;
            var filled = first == 0;
            var bit = i < 64 ? 1L << i : 0;
            if (bit != 0 && ((filled ? counted.Filled : counted.Differs) & bit) == 0)
            {
                report.CountComplaintField(field.Path, filled, first: counted.Filled == 0 && counted.Differs == 0);
                counted = filled ? (counted.Filled | bit, counted.Differs) : (counted.Filled, counted.Differs | bit);
            }

            var take = field == CanonicalFields.Sensitivity || complaintRows switch
            {
                "first" => false,
                "last" => true,
                _ => filled,
            };
            if (take)
            {
                fieldHashes[state.Fields + i] = hash;
                (changed ??= []).Add(field);
            }
        }

        // A later row equal to this one brings nothing more.
        state.ComplaintHash = combined;

        return changed is null ? default : (BuildComplaint(caseNumber), changed);
    }

    private void Merge(string caseNumber, Complaint later, List<CanonicalField> changed)
    {
        if (!resolutions.TryGetValue(caseNumber, out var resolution))
        {
            resolutions[caseNumber] = resolution = new ComplaintResolution();
        }

        ref var state = ref StateOf(caseNumber);
        foreach (var field in changed)
        {
            resolution.Fill(field, later);
            if (field == CanonicalFields.ClosedDate && later.ClosedDate is not null)
            {
                state.Flags |= CaseFlags.HasClosedDate;
            }

            if (field == CanonicalFields.Status && later.Status.Value is { } status)
            {
                state.Status = (byte)((int)status + 1);
                state.StatusRaw = StatusValue(later.Status.Raw);
                state.Flags |= CaseFlags.StatusFromRow;
            }
        }
    }

    private Complaint BuildComplaint(string caseNumber)
    {
        var closed = row.Date(CanonicalFields.ClosedDate);
        var status = row.IsMapped(CanonicalFields.Status) ? row.Coded<ComplaintStatus>(CanonicalFields.Status) : default;
        if (!status.HasValue)
        {
            // The row-level rule; "findings" decides at the end, once the allegations are read.
            if (statusByClosedDate && closed is not null)
            {
                status = new Coded<ComplaintStatus>(ComplaintStatus.Closed, status.Raw);
            }
        }

        var (sensitivity, sensitivityRaw) = row.Flags(CanonicalFields.Sensitivity);
        return new Complaint
        {
            Source = profile.Source,
            CaseNumber = caseNumber,
            ReceivedDate = row.Date(CanonicalFields.ReceivedDate),
            IncidentDate = row.Date(CanonicalFields.IncidentDate),
            ClosedDate = closed,
            Status = status.HasValue || statusByFindings ? status : new Coded<ComplaintStatus>(ComplaintStatus.Open, status.Raw),
            IntakeDecision = row.Coded<IntakeDecision>(CanonicalFields.IntakeDecision),
            Precinct = row.Identifier(CanonicalFields.Precinct),
            Location = row.Text(CanonicalFields.Location),
            Sensitivity = sensitivity,
            SensitivityRaw = sensitivityRaw,
            Narrative = row.Text(CanonicalFields.Narrative),
            Provenance = row.Provenance,
        };
    }

    /// <summary>An allegation's values, read from the row before its officer's key is known (no record made yet).</summary>
    private readonly record struct AllegationValues(
        string? AllegationId,
        CodedText Category,
        CodedText Subcategory,
        Coded<Finding> RecommendedFinding,
        Coded<Finding> FinalFinding,
        Coded<DisciplineKind> RecommendedDiscipline,
        int? RecommendedDisciplineDays,
        Coded<DisciplineKind> ImposedDiscipline,
        int? ImposedDisciplineDays,
        bool? DisciplineFinal,
        string? DisciplineFinalRaw,
        PartialDate? DisciplineDate);

    private AllegationValues ReadAllegation()
    {
        var finding = row.Coded<Finding>(CanonicalFields.FinalFinding);
        var final = row.Boolean(CanonicalFields.DisciplineFinal);
        if (final is null && finalByFinding && finding.Value is { } f && f != Finding.Pending)
        {
            final = true;
        }

        return new AllegationValues(
            row.Identifier(CanonicalFields.AllegationId),
            row.CodedText(CanonicalFields.Category),
            row.CodedText(CanonicalFields.Subcategory),
            row.Coded<Finding>(CanonicalFields.RecommendedFinding),
            finding,
            row.Coded<DisciplineKind>(CanonicalFields.RecommendedDiscipline),
            row.Integer(CanonicalFields.RecommendedDisciplineDays),
            row.Coded<DisciplineKind>(CanonicalFields.ImposedDiscipline),
            row.Integer(CanonicalFields.ImposedDisciplineDays),
            final,
            row.BooleanRaw(CanonicalFields.DisciplineFinal),
            row.Date(CanonicalFields.DisciplineDate));
    }

    private Allegation MakeAllegation(string caseNumber, string officerKey, in AllegationValues v) => new()
    {
        Source = profile.Source,
        CaseNumber = caseNumber,
        AllegationId = v.AllegationId,
        OfficerKey = officerKey,
        Category = v.Category,
        Subcategory = v.Subcategory,
        RecommendedFinding = v.RecommendedFinding,
        FinalFinding = v.FinalFinding,
        RecommendedDiscipline = v.RecommendedDiscipline,
        RecommendedDisciplineDays = v.RecommendedDisciplineDays,
        ImposedDiscipline = v.ImposedDiscipline,
        ImposedDisciplineDays = v.ImposedDisciplineDays,
        DisciplineFinal = v.DisciplineFinal,
        DisciplineFinalRaw = v.DisciplineFinalRaw,
        DisciplineDate = v.DisciplineDate,
        Provenance = row.Provenance,
    };

    private Complainant BuildComplainant(string caseNumber)
    {
        var (first, middle, last, _) = row.Name(CanonicalFields.ComplainantFullName);
        return new Complainant
        {
            Source = profile.Source,
            CaseNumber = caseNumber,
            FirstName = row.Text(CanonicalFields.ComplainantFirstName) ?? Join(first, middle),
            LastName = row.Text(CanonicalFields.ComplainantLastName) ?? last,
            Address = row.Text(CanonicalFields.ComplainantAddress),
            BirthDate = row.Date(CanonicalFields.ComplainantBirthDate),
            Phone = row.Text(CanonicalFields.ComplainantPhone),
            Race = row.Coded<Race>(CanonicalFields.ComplainantRace),
            Sex = row.Coded<Sex>(CanonicalFields.ComplainantSex),
            Age = row.Integer(CanonicalFields.ComplainantAge),
            Provenance = row.Provenance,
        };
    }

    private static string? Join(string? first, string? middle) => middle is null ? first : $"{first} {middle}";

    private OfficerBuilder? BuildOfficer()
    {
        var (first, middle, last, suffix) = row.Name(CanonicalFields.OfficerFullName);
        var officer = new OfficerBuilder
        {
            EmployeeId = row.Identifier(CanonicalFields.EmployeeId),
            FirstName = row.Text(CanonicalFields.OfficerFirstName) ?? first,
            MiddleName = row.Text(CanonicalFields.OfficerMiddleName) ?? middle,
            LastName = row.Text(CanonicalFields.OfficerLastName) ?? last,
            Suffix = row.Text(CanonicalFields.OfficerSuffix) ?? suffix,
            Rank = row.Text(CanonicalFields.Rank),
            Unit = row.Text(CanonicalFields.Unit),
            Race = row.Coded<Race>(CanonicalFields.OfficerRace),
            Sex = row.Coded<Sex>(CanonicalFields.OfficerSex),
            BirthYear = row.Integer(CanonicalFields.BirthYear),
            HireDate = row.Date(CanonicalFields.HireDate),
            Provenance = row.Provenance,
        };
        var badges = row.Values(CanonicalFields.Badge);
        // A badge's dates are days (an officer held badge 1186 from 15 February); a month or a year alone is not kept.
        var from = row.Date(CanonicalFields.BadgeFrom) is { Precision: DatePrecision.Day } f ? f.Value : (DateOnly?)null;
        var to = row.Date(CanonicalFields.BadgeTo) is { Precision: DatePrecision.Day } t ? t.Value : (DateOnly?)null;
        foreach (var badge in badges)
        {
            officer.AddBadge(new BadgeNumber(ValueConverter.Identifier(badge), badges.Count == 1 ? from : null, badges.Count == 1 ? to : null));
        }

        return officer;
    }

    /// <summary>Makes the row's officer findable by the join values other files reference it with.</summary>
    private void IndexOfficer(FilePlan plan, int node)
    {
        foreach (var join in profile.Joins.Where(j => CanonicalFields.ParseEntity(j.Entity) == EntityKind.Officer))
        {
            var on = join.On.Select(p => CanonicalFields.TryGet(p, out var f) ? f : null!).ToArray();
            if (JoinValue(on) is { } value)
            {
                if (!officerJoins.TryGetValue(plan.Name, out var index))
                {
                    officerJoins[plan.Name] = index = new(StringComparer.Ordinal);
                }

                index.TryAdd(value, node);
            }
        }
    }

    private string? JoinValue(CanonicalField[] on)
    {
        if (on.Length == 1)
        {
            return Normalized(on[0]);
        }

        var parts = new string?[on.Length];
        for (var i = 0; i < on.Length; i++)
        {
            parts[i] = Normalized(on[i]);
        }

        return parts.All(p => p is null) ? null : string.Join('\u001f', parts);
    }

    private string? Normalized(CanonicalField field) => field.Kind switch
    {
        FieldKind.Identifier => field.MultiValue ? row.Values(field).Select(ValueConverter.Identifier).FirstOrDefault() : row.Identifier(field),
        FieldKind.Integer => row.Integer(field)?.ToString(CultureInfo.InvariantCulture),
        FieldKind.Date => row.Date(field)?.ToString(),
        _ => row.Text(field)?.ToUpperInvariant(),
    };

    /// <summary>
    /// Once every row is read: the officers with their final keys, the case-level rules (status from findings,
    /// finality with the case), and what the sink must change in the records it already has.
    /// </summary>
    public void Finish()
    {
        var (merged, aliases) = officers.Finish(profile.Source);
        foreach (var officer in merged)
        {
            sink.Add(officer);
            report.Imported[EntityKind.Officer]++;
        }

        report.OfficerDecisions.AddRange(officers.Decisions);
        foreach (var unused in disciplines.Values.Where(d => !d.Used).GroupBy(d => d.File))
        {
            report.CountNote(unused.Key, "discipline of an officer in a case where the officer has no sustained allegation (given to no allegation)", unused.Count(), unused.Min(d => d.Line));
        }

        var decidedBy = new long[statusRules.Length + 1]; // by the rule's place in statusRules; the last: no rule
        long juveniles = 0;
        foreach (var (caseNumber, index) in cases)
        {
            ref var state = ref State(index);
            var (status, rule) = DecideStatus(state);
            decidedBy[rule < 0 ? statusRules.Length : rule]++;
            ComplaintResolution? resolution = null;
            if (state.Status != (int)status + 1)
            {
                resolution = Resolution(caseNumber);
                resolution.Status = new Coded<ComplaintStatus>(status, state.StatusRaw < 0 ? null : statusValues[state.StatusRaw]);
            }

            if ((state.Flags & (CaseFlags.Juvenile | CaseFlags.FlaggedJuvenile)) == CaseFlags.Juvenile)
            {
                resolution ??= Resolution(caseNumber);
                resolution.AddSensitivity = Sensitivity.Juvenile;
                juveniles++;
            }

            if (state.UnknownFinality > 0 && Finality(status) is { } final)
            {
                resolution ??= Resolution(caseNumber);
                resolution.DisciplineFinalWhenUnknown = final;
                report.CountFinality(final ? "final with its closed case (rule closedCase)" : "not final: its case is open (rule closedCase)", state.UnknownFinality);
            }
        }

        for (var i = 0; i < decidedBy.Length; i++)
        {
            if (decidedBy[i] > 0)
            {
                report.CountStatus(i < statusRules.Length ? statusRules[i] : "none (open)", decidedBy[i]);
            }
        }

        if (juveniles > 0)
        {
            report.CountSensitivity($"Juvenile: a complainant younger than {juvenileAge} (rules.juvenileAge)", juveniles);
        }

        sink.Complete(new ImportResolution(resolutions, aliases));
        CollectUnmapped();
    }

    private ComplaintResolution Resolution(string caseNumber)
    {
        if (!resolutions.TryGetValue(caseNumber, out var resolution))
        {
            resolutions[caseNumber] = resolution = new ComplaintResolution();
        }

        return resolution;
    }

    /// <summary>The complaint's status by the profile's rules, and the rule that decided it.</summary>
    private (ComplaintStatus Status, int Rule) DecideStatus(in CaseState state)
    {
        for (var i = 0; i < statusRules.Length; i++)
        {
            switch (statusRules[i])
            {
                case "column" when (state.Flags & CaseFlags.StatusFromRow) != 0 && state.StatusRaw >= 0:
                    return (state.Status == 0 ? ComplaintStatus.Open : (ComplaintStatus)(state.Status - 1), i);
                case "closedDate" when (state.Flags & CaseFlags.HasClosedDate) != 0:
                    return (ComplaintStatus.Closed, i);
                case "findings" when state.Allegations > 0 && state.FinalFindings == state.Allegations:
                    return (ComplaintStatus.Closed, i);
                default:
                    break;
            }
        }

        return (ComplaintStatus.Open, -1);
    }

    /// <summary>What the closedCase rule says of discipline whose finality no earlier rule decided.</summary>
    private bool? Finality(ComplaintStatus status)
    {
        foreach (var rule in finalityRules)
        {
            if (rule == "closedCase")
            {
                return status == ComplaintStatus.Closed;
            }
        }

        return null;
    }

    public void CollectUnmapped()
    {
        foreach (var ((file, column, value), counter) in unmapped.OrderByDescending(u => u.Value.Count))
        {
            report.Unmapped.Add(new UnmappedValue(file, column, counter.Field.Path, counter.Vocabulary, value, counter.Count, counter.FirstLine, counter.MappedTo));
        }

        unmapped.Clear();
    }

    public void CountUnmapped(string file, ColumnPlan column, string value, long line, string? mappedTo, bool patternMiss = false)
    {
        if (!unmapped.TryGetValue((file, column.Name, value), out var counter))
        {
            unmapped[(file, column.Name, value)] = counter = new UnmappedCounter(column.Field, patternMiss ? "(pattern)" : column.Vocabulary?.Name, line, mappedTo);
        }

        counter.Count++;
    }

    private sealed class UnmappedCounter(CanonicalField field, string? vocabulary, long firstLine, string? mappedTo)
    {
        public CanonicalField Field { get; } = field;
        public string? Vocabulary { get; } = vocabulary;
        public long FirstLine { get; } = firstLine;
        public string? MappedTo { get; } = mappedTo;
        public long Count { get; set; }
    }
}
