using System.Diagnostics;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using CsvHelper;
using OpenConduct.Core.Model;

namespace OpenConduct.Core.Import;

/// <summary>
/// Imports one export through its mapping profile into canonical records, streaming: memory is bounded by the
/// join indexes (officers, case numbers, duplicate-row hashes), not by the size of the files.
/// </summary>
/// <remarks>
/// Order of work: every file is found and its header checked before any row is read, so a wrong profile or a
/// wrong file fails at once and imports nothing. Files that other files join to are read first. A bad row is
/// reported with file, line, column and reason and skipped; the good rows go through. A problem that makes the
/// rest of a file unreadable (undecodable bytes, an unterminated quote) fails the whole import: the sink is told
/// to abandon what it received.
/// </remarks>
public sealed class ExportImporter(ImportOptions? options = null)
{
    private readonly ImportOptions options = options ?? ImportOptions.Default;

    public ImportReport Import(
        MappingProfile profile,
        IExportFiles files,
        IImportSink sink,
        IProgress<ImportProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(sink);
        if (MappingProfileLoader.Validate(profile) is { Count: > 0 } errors)
        {
            throw new ProfileException(profile.Name, errors);
        }

        var stopwatch = Stopwatch.StartNew();
        var report = new ImportReport { Profile = profile.Name, Source = profile.Source };
        var run = new ImportRun(profile, report, sink, options);

        var plans = run.Plan(files);
        var opened = new List<(FilePlan Plan, CsvReader Reader, FileImportStats Stats)>();
        try
        {
            if (report.Succeeded)
            {
                foreach (var plan in plans)
                {
                    if (run.OpenAndCheckHeader(plan, files) is { } reader)
                    {
                        opened.Add((plan, reader.Reader, reader.Stats));
                    }
                }
            }

            if (report.Succeeded)
            {
                foreach (var (plan, reader, stats) in opened)
                {
                    var started = Stopwatch.GetTimestamp();
                    run.ReadRows(plan, reader, stats, progress, cancellationToken);
                    stats.Elapsed = Stopwatch.GetElapsedTime(started);
                    if (!report.Succeeded)
                    {
                        break;
                    }
                }
            }

            if (report.Succeeded)
            {
                run.EmitOfficers();
                run.CollectUnmapped();
            }
            else
            {
                run.CollectUnmapped();
                sink.Abandon();
                foreach (var entity in report.Imported.Keys)
                {
                    report.Imported[entity] = 0;
                }
            }
        }
        finally
        {
            foreach (var (_, reader, _) in opened)
            {
                reader.Dispose();
            }
        }

        report.Elapsed = stopwatch.Elapsed;
        return report;
    }

    /// <summary>The state of one import: indexes, counters and the report.</summary>
    private sealed class ImportRun(MappingProfile profile, ImportReport report, IImportSink sink, ImportOptions options)
    {
        private readonly Dictionary<string, CompiledVocabulary> vocabularies =
            profile.Vocabularies.ToDictionary(v => v.Key, v => new CompiledVocabulary(v.Key, v.Value), StringComparer.Ordinal);

        /// <summary>Officers by key, merged over every row that names them; emitted at the end.</summary>
        private readonly Dictionary<string, OfficerBuilder> officers = new(StringComparer.Ordinal);

        /// <summary>The officers by the hash of a row's officer columns, for the rows that repeat a known officer.</summary>
        private readonly Dictionary<UInt128, OfficerBuilder> officersByColumns = [];

        private static readonly Dictionary<string, string> EmptyIndex = new(StringComparer.Ordinal);

        /// <summary>Join key values -> officer key, per officer join target file.</summary>
        private readonly Dictionary<string, Dictionary<string, string>> officerJoins = new(StringComparer.Ordinal);

        /// <summary>Case number -> line of its first complaint row.</summary>
        private readonly Dictionary<string, long> complaints = new(StringComparer.Ordinal);

        /// <summary>Case number -> line of its rejected complaint row, to explain why rows joining to it are rejected too.</summary>
        private readonly Dictionary<string, RowError> rejectedComplaints = new(StringComparer.Ordinal);

        private readonly RowHashSet complainants = new();
        private readonly Dictionary<(string File, string Column, string Value), UnmappedCounter> unmapped = [];
        private readonly RowValues row = new();

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
                var constants = profile.Constants.Where(c => !file.Constants.ContainsKey(c.Key)).Concat(file.Constants)
                    .Where(c => !file.Columns.Values.Any(m => m.Field == c.Key))
                    .Select(c => (CanonicalFields.TryGet(c.Key, out var f) ? f : throw new InvalidOperationException(c.Key), c.Value))
                    .ToList();
                var joins = profile.Joins.Where(j => j.File == file.Name).Select(j =>
                {
                    var entity = CanonicalFields.ParseEntity(j.Entity)!.Value;
                    var target = profile.Files.First(f => f.Name != file.Name && f.Holds.Any(h => CanonicalFields.ParseEntity(h) == entity));
                    return new JoinPlan(entity, j.On.Select(p => CanonicalFields.TryGet(p, out var f) ? f : throw new InvalidOperationException(p)).ToArray(), target.Name);
                }).ToList();
                plans.Add(new FilePlan
                {
                    Mapping = file,
                    ActualName = actual!,
                    Format = format,
                    EncodingName = encodingName,
                    Encoding = encodingName.ToLowerInvariant() is "utf-8" or "utf8" ? null : MappingProfileLoader.ResolveEncoding(encodingName),
                    Culture = format.Culture is null ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(format.Culture),
                    DateFormats = format.DateFormats?.ToArray() ?? FilePlan.DefaultDateFormats,
                    RowNames = format.HeaderShorterThanRows ?? false,
                    NullTokens = [.. (format.NullTokens ?? []).Select(t => Encoding.UTF8.GetBytes(t.Trim()))],
                    Holds = file.Holds.Select(h => CanonicalFields.ParseEntity(h)!.Value).ToHashSet(),
                    Constants = constants,
                    Joins = joins,
                });
            }

            foreach (var plan in plans)
            {
                plan.IsJoinTarget = plans.Any(p => p.Joins.Any(j => j.TargetFile == plan.Name));
            }

            // Join targets first (complaints before officers does not matter; both before the files that join to them).
            return plans.OrderBy(p => p.IsJoinTarget ? 0 : 1).ToList();
        }

        public (CsvReader Reader, FileImportStats Stats)? OpenAndCheckHeader(FilePlan plan, IExportFiles files)
        {
            var stats = new FileImportStats
            {
                Name = plan.Name,
                Path = plan.ActualName,
                Encoding = plan.EncodingName,
                Bytes = files.Length(plan.ActualName),
            };
            var delimiter = plan.Format.Delimiter ?? ",";
            var nullTokens = new List<string> { "" };
            nullTokens.AddRange(plan.Format.NullTokens ?? []);
            var readerOptions = new CsvReaderOptions
            {
                Separator = delimiter == "auto" ? null : delimiter[0],
                HasHeader = true,
                TrimWhitespace = plan.Format.Trim ?? true,
                NullValues = nullTokens,
                Encoding = plan.Encoding,
                TrackLineNumbers = true,
                PoolStrings = false,
                IncludeValuesInExceptions = false,
                DetectSeparatorHint = false,
                MaxRecordSize = 64 << 20,
                OnMalformedRecord = stats.OnMalformed,
                FormatProvider = plan.Culture,
            };

            CsvReader reader;
            try
            {
                reader = CsvReader.Create(files.Open(plan.ActualName), readerOptions, leaveOpen: false);
            }
            catch (IOException ex)
            {
                report.Failures.Add($"{plan.ActualName}: cannot be opened: {ex.Message}");
                return null;
            }

            IReadOnlyList<string> header;
            try
            {
                header = reader.Headers;
            }
            catch (CsvFormatException ex)
            {
                reader.Dispose();
                report.Failures.Add($"{plan.ActualName}: the header cannot be read: {ex.Message}");
                return null;
            }

            stats.Delimiter = reader.Separator;
            stats.Columns = header;
            if (header.Any(h => h.Contains('\uFFFD', StringComparison.Ordinal)))
            {
                report.Failures.Add($"{plan.ActualName}:1: the header has bytes that are not valid {plan.EncodingName}; set format.encoding in the profile (e.g. windows-1252)");
            }

            var failuresBefore = report.Failures.Count;
            var columns = new List<ColumnPlan>();
            var missing = new List<string>();
            foreach (var (name, mapping) in plan.Mapping.Columns)
            {
                CanonicalFields.TryGet(mapping.Field, out var field);
                if (!reader.TryGetFieldIndex(name, out var index))
                {
                    if (!mapping.Optional)
                    {
                        missing.Add(name);
                    }

                    continue;
                }

                var dateFormats = mapping.DateFormats is null ? plan.DateFormats : [.. mapping.DateFormats, .. plan.DateFormats];
                var vocabulary = mapping.Vocabulary is null ? null : vocabularies[mapping.Vocabulary];
                columns.Add(new ColumnPlan(name, index + (plan.RowNames ? 1 : 0), field, mapping, vocabulary, dateFormats));
            }

            if (missing.Count > 0)
            {
                if (header.Count == 1 && plan.Mapping.Columns.Count > 1)
                {
                    var other = ",;\t|".FirstOrDefault(c => c != stats.Delimiter && header[0].Contains(c, StringComparison.Ordinal));
                    report.Failures.Add(other == default
                        ? $"{plan.ActualName}:1: the header reads as one column with delimiter '{Show(stats.Delimiter)}'; check format.delimiter"
                        : $"{plan.ActualName}:1: the header reads as one column with delimiter '{Show(stats.Delimiter)}'; the file looks delimited by '{Show(other)}': set format.delimiter to \"{Show(other)}\"");
                }
                else
                {
                    report.Failures.Add($"{plan.ActualName}:1: mapped column{(missing.Count > 1 ? "s" : "")} {string.Join(", ", missing.Select(m => $"'{m}'"))} not in the file; " +
                                        $"the file has {header.Count} columns: {string.Join(", ", header.Select(h => $"'{h}'"))}");
                }
            }

            plan.Columns = columns;
            if (report.Failures.Count > failuresBefore)
            {
                reader.Dispose();
                return null;
            }

            report.Files.Add(stats);
            return (reader, stats);
        }

        private static string Show(char c) => c == '\t' ? "\\t" : c.ToString();

        public void ReadRows(FilePlan plan, CsvReader reader, FileImportStats stats, IProgress<ImportProgress>? progress, CancellationToken cancellationToken)
        {
            var seen = new RowHashSet();
            row.Run = this;
            var validateUtf8 = plan.Encoding is null;
            var expectedFields = reader.Headers.Count + (plan.RowNames ? 1 : 0);
            var checkedShape = false;
            try
            {
                while (reader.Read())
                {
                    stats.RowsRead++;
                    if (stats.RowsRead == 1024 && reader.ByteOffset > 0)
                    {
                        // Size the indexes once from the rows per byte so far, instead of growing them step by step.
                        var expected = (long)(1.1 * stats.Bytes / reader.ByteOffset * stats.RowsRead);
                        seen.EnsureCapacity(expected);
                        if (plan.Has(EntityKind.Complaint))
                        {
                            complaints.EnsureCapacity((int)Math.Min(expected, 50_000_000));
                        }
                    }

                    if (stats.RowsRead % options.ProgressEvery == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        progress?.Report(new ImportProgress(plan.ActualName, stats.RowsRead, reader.ByteOffset, stats.Bytes));
                    }

                    var line = reader.LineNumber;
                    if (validateUtf8 && !Utf8.IsValid(reader.RawRecord))
                    {
                        report.Failures.Add($"{plan.ActualName}:{line}: bytes that are not valid UTF-8; the file is probably in another encoding: set format.encoding in the profile (e.g. windows-1252)");
                        return;
                    }

                    if (!checkedShape)
                    {
                        checkedShape = true;
                        if (!CheckShape(plan, reader.FieldCount, expectedFields, line))
                        {
                            return;
                        }
                    }

                    if (reader.FieldCount != expectedFields && !OnlyEmptyExtraFields(reader, expectedFields))
                    {
                        Reject(stats, new RowError(plan.ActualName, line, null, null,
                            $"the row has {reader.FieldCount} fields where {expectedFields} are expected: a line break or a delimiter in an unquoted value splits or merges rows"));
                        continue;
                    }

                    // Exact duplicate rows (ignoring an R row name) are counted and skipped.
                    var record = reader.RawRecord;
                    if (plan.RowNames && reader.FieldCount > 1)
                    {
                        record = record[Math.Min(record.Length, reader.GetRawSpan(0).Length + 1)..];
                    }

                    if (!seen.Add(XxHash128.HashToUInt128(record)))
                    {
                        stats.DuplicateRows++;
                        continue;
                    }

                    row.Start(plan, reader, line);
                    if (ImportRow(plan))
                    {
                        stats.RowsImported++;
                    }
                    else
                    {
                        stats.RowsRejected++;
                        foreach (var error in row.Errors)
                        {
                            AddError(error);
                        }
                    }
                }
            }
            catch (CsvFormatException ex)
            {
                report.Failures.Add($"{plan.ActualName}:{(ex.LineNumber > 0 ? ex.LineNumber : reader.LineNumber)}: the file cannot be read past this point: {ex.Message}");
            }

            // A quote that is never closed swallows the rest of the file into one value: nothing after it can be trusted.
            if (stats.UnterminatedQuoteLine is { } openLine)
            {
                report.Failures.Add($"{plan.ActualName}:{openLine}: a quoted value opened on this line is never closed, so the rest of the file reads as one value; fix the quoting of the export");
            }

            if (stats.RowsRead >= options.ProgressEvery)
            {
                progress?.Report(new ImportProgress(plan.ActualName, stats.RowsRead, stats.Bytes, stats.Bytes));
            }
        }

        /// <summary>A row longer than expected only by empty fields (a trailing delimiter) is fine.</summary>
        private static bool OnlyEmptyExtraFields(CsvReader reader, int expected)
        {
            if (reader.FieldCount < expected)
            {
                return false;
            }

            for (var i = expected; i < reader.FieldCount; i++)
            {
                if (!reader.IsEmpty(i))
                {
                    return false;
                }
            }

            return true;
        }

        private bool CheckShape(FilePlan plan, int fieldCount, int expected, long line)
        {
            if (plan.RowNames && fieldCount == expected - 1)
            {
                report.Failures.Add($"{plan.ActualName}:{line}: the profile says the header is one column shorter than the rows (format.headerShorterThanRows), but the first row has as many fields as the header ({fieldCount})");
                return false;
            }

            if (!plan.RowNames && fieldCount == expected + 1)
            {
                report.Failures.Add($"{plan.ActualName}:{line}: the first row has one field more than the header ({fieldCount} against {expected}): rows start with a row name (as R writes them); set format.headerShorterThanRows to true");
                return false;
            }

            return true;
        }

        private void Reject(FileImportStats stats, RowError error)
        {
            stats.RowsRejected++;
            AddError(error);
        }

        private void AddError(RowError error)
        {
            report.TotalRowErrors++;
            if (report.RowErrors.Count < options.MaxRowErrors)
            {
                report.RowErrors.Add(error);
            }
        }

        /// <summary>Builds every record of the current row; emits them only when the whole row is valid.</summary>
        private bool ImportRow(FilePlan plan)
        {
            // The case number is looked up by its characters: a case already known reuses its string.
            var caseNumber = row.Identifier(CanonicalFields.CaseNumber, complaints, out var caseKnown, out var firstLine);
            var needsCase = plan.Has(EntityKind.Complaint) || plan.Has(EntityKind.Allegation) || plan.Has(EntityKind.Complainant);
            if (needsCase && caseNumber is null)
            {
                row.Error(CanonicalFields.CaseNumber, "the case number is empty");
                return false;
            }

            Complaint? complaint = null;
            if (plan.Has(EntityKind.Complaint))
            {
                if (caseKnown)
                {
                    if (profile.Shape == ExportShape.Joined)
                    {
                        row.Error(CanonicalFields.CaseNumber, $"case number appears again (first on line {firstLine}) with different values");
                    }
                }
                else
                {
                    complaint = BuildComplaint(caseNumber!);
                }
            }

            if (plan.JoinTo(EntityKind.Complaint) is { } complaintJoin && !caseKnown)
            {
                row.Error(CanonicalFields.CaseNumber, rejectedComplaints.TryGetValue(caseNumber!, out var rejected)
                    ? $"the complaint of this case was rejected ({rejected.File}:{rejected.Line})"
                    : $"case number is not in file '{complaintJoin.TargetFile}'");
            }

            OfficerBuilder? officer = null;
            string? officerKey = null;
            UInt128 officerColumns = default;
            if (plan.Has(EntityKind.Officer))
            {
                // A denormalized file repeats the officer's columns on every row: a row whose officer columns are
                // exactly those of an earlier row names the same officer and adds nothing, so it is not built again.
                officerColumns = row.Hash(EntityKind.Officer, plan.Name);
                if (officersByColumns.TryGetValue(officerColumns, out var known))
                {
                    officerKey = known.Key;
                }
                else
                {
                    officer = BuildOfficer();
                    officerKey = officer?.Key;
                }
            }
            else if (plan.JoinTo(EntityKind.Officer) is { } officerJoin)
            {
                var index = officerJoins.TryGetValue(officerJoin.TargetFile, out var known) ? known : EmptyIndex;
                bool found;
                string? value;
                if (officerJoin.On is [{ Kind: FieldKind.Identifier, MultiValue: false } single])
                {
                    value = row.Identifier(single, index, out found, out officerKey);
                }
                else
                {
                    value = JoinValue(officerJoin.On);
                    found = value is not null && index.TryGetValue(value, out officerKey);
                }

                if (value is null)
                {
                    row.Error(officerJoin.On[0], "the officer reference is empty");
                }
                else if (!found)
                {
                    row.Error(officerJoin.On[0], $"no officer in file '{officerJoin.TargetFile}' matches this reference");
                }
            }

            Allegation? allegation = null;
            if (plan.Has(EntityKind.Allegation) && officerKey is not null)
            {
                allegation = BuildAllegation(caseNumber!, officerKey);
            }

            Complainant? complainant = null;
            UInt128 complainantHash = default;
            if (plan.Has(EntityKind.Complainant) && row.AnyValue(EntityKind.Complainant))
            {
                // A denormalized file repeats the case's complainants on every row: each is kept once per case.
                complainantHash = profile.Shape == ExportShape.Denormalized ? row.Hash(EntityKind.Complainant, caseNumber!) : default;
                if (profile.Shape == ExportShape.Joined || !complainants.Contains(complainantHash))
                {
                    complainant = BuildComplainant(caseNumber!);
                }
            }

            if (row.HasErrors)
            {
                if (plan.Has(EntityKind.Complaint) && plan.IsJoinTarget && caseNumber is not null)
                {
                    rejectedComplaints.TryAdd(caseNumber, row.Errors[0]);
                }

                return false;
            }

            if (complaint is not null)
            {
                complaints[caseNumber!] = row.Line;
                sink.Add(complaint);
                report.Imported[EntityKind.Complaint]++;
            }

            if (officer is not null)
            {
                officersByColumns[officerColumns] = MergeOfficer(plan, officer);
            }

            if (allegation is not null)
            {
                sink.Add(allegation);
                report.Imported[EntityKind.Allegation]++;
            }

            if (complainant is not null && (profile.Shape == ExportShape.Joined || complainants.Add(complainantHash)))
            {
                sink.Add(complainant);
                report.Imported[EntityKind.Complainant]++;
            }

            return true;
        }

        private Complaint BuildComplaint(string caseNumber)
        {
            var closed = row.Date(CanonicalFields.ClosedDate);
            var status = row.Coded<ComplaintStatus>(CanonicalFields.Status);
            if (!row.IsMapped(CanonicalFields.Status))
            {
                status = new Coded<ComplaintStatus>(closed is null ? ComplaintStatus.Open : ComplaintStatus.Closed, null);
            }

            var (sensitivity, sensitivityRaw) = row.Flags(CanonicalFields.Sensitivity);
            return new Complaint
            {
                Source = profile.Source,
                CaseNumber = caseNumber,
                ReceivedDate = row.Date(CanonicalFields.ReceivedDate),
                IncidentDate = row.Date(CanonicalFields.IncidentDate),
                ClosedDate = closed,
                Status = status,
                IntakeDecision = row.Coded<IntakeDecision>(CanonicalFields.IntakeDecision),
                Precinct = row.Identifier(CanonicalFields.Precinct),
                Location = row.Text(CanonicalFields.Location),
                Sensitivity = sensitivity,
                SensitivityRaw = sensitivityRaw,
                Narrative = row.Text(CanonicalFields.Narrative),
                Provenance = row.Provenance,
            };
        }

        private Allegation BuildAllegation(string caseNumber, string officerKey)
        {
            return new Allegation
            {
                Source = profile.Source,
                CaseNumber = caseNumber,
                AllegationId = row.Identifier(CanonicalFields.AllegationId),
                OfficerKey = officerKey,
                Category = row.CodedText(CanonicalFields.Category),
                Subcategory = row.CodedText(CanonicalFields.Subcategory),
                RecommendedFinding = row.Coded<Finding>(CanonicalFields.RecommendedFinding),
                FinalFinding = row.Coded<Finding>(CanonicalFields.FinalFinding),
                RecommendedDiscipline = row.Coded<DisciplineKind>(CanonicalFields.RecommendedDiscipline),
                RecommendedDisciplineDays = row.Integer(CanonicalFields.RecommendedDisciplineDays),
                ImposedDiscipline = row.Coded<DisciplineKind>(CanonicalFields.ImposedDiscipline),
                ImposedDisciplineDays = row.Integer(CanonicalFields.ImposedDisciplineDays),
                DisciplineFinal = row.Boolean(CanonicalFields.DisciplineFinal),
                DisciplineFinalRaw = row.BooleanRaw(CanonicalFields.DisciplineFinal),
                Provenance = row.Provenance,
            };
        }

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
            var from = row.Date(CanonicalFields.BadgeFrom);
            var to = row.Date(CanonicalFields.BadgeTo);
            foreach (var badge in badges)
            {
                officer.AddBadge(new BadgeNumber(ValueConverter.Identifier(badge), badges.Count == 1 ? from : null, badges.Count == 1 ? to : null));
            }

            officer.Key = OfficerBuilder.KeyOf(officer.EmployeeId, officer.Badges.FirstOrDefault().Number, officer.FirstName, officer.LastName, officer.BirthYear, officer.HireDate)!;
            if (officer.Key is null)
            {
                row.Error(row.FirstMapped(EntityKind.Officer) ?? CanonicalFields.EmployeeId,
                    "the officer cannot be identified: the row needs an employee id, a badge and a name, or a name with birth year and hire date");
                return null;
            }

            return officer;
        }

        /// <summary>Adds the row's officer to the one already known under its key (or makes it known); returns the known one.</summary>
        private OfficerBuilder MergeOfficer(FilePlan plan, OfficerBuilder officer)
        {
            if (officers.TryGetValue(officer.Key, out var known))
            {
                known.Merge(officer);
            }
            else
            {
                officers.Add(officer.Key, known = officer);
            }

            if (plan.IsJoinTarget)
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

                        index.TryAdd(value, officer.Key);
                    }
                }
            }

            return known;
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
            FieldKind.Date => row.Date(field)?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            _ => row.Text(field)?.ToUpperInvariant(),
        };

        public void EmitOfficers()
        {
            foreach (var officer in officers.Values)
            {
                sink.Add(officer.Build(profile.Source));
                report.Imported[EntityKind.Officer]++;
            }
        }

        public void CollectUnmapped()
        {
            foreach (var ((file, column, value), counter) in unmapped.OrderByDescending(u => u.Value.Count))
            {
                report.Unmapped.Add(new UnmappedValue(file, column, counter.Field.Path, counter.Vocabulary, value, counter.Count, counter.FirstLine, counter.MappedTo));
            }
        }

        internal void CountUnmapped(string file, ColumnPlan column, string value, long line, string? mappedTo)
        {
            if (!unmapped.TryGetValue((file, column.Name, value), out var counter))
            {
                unmapped[(file, column.Name, value)] = counter = new UnmappedCounter(column.Field, column.Vocabulary?.Name, line, mappedTo);
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

        /// <summary>
        /// The mapped values of the current row, by canonical field, with typed accessors that record errors. Cells
        /// are read from the reader only when a record needs them: the complaint columns of a denormalized row whose
        /// case was already imported (narratives among them) are never turned into strings.
        /// </summary>
        private sealed class RowValues
        {
            private readonly string?[] values = new string?[CanonicalFields.Count];
            private readonly bool[] loaded = new bool[CanonicalFields.Count];
            private readonly ColumnPlan?[] columns = new ColumnPlan?[CanonicalFields.Count];
            private readonly List<ColumnPlan>?[] moreColumns = new List<ColumnPlan>?[CanonicalFields.Count];
            private readonly string?[] constants = new string?[CanonicalFields.Count];
            private readonly bool[] mapped = new bool[CanonicalFields.Count];
            private FilePlan plan = null!;
            private CsvReader reader = null!;

            public List<RowError> Errors { get; } = [];

            public bool HasErrors => Errors.Count > 0;

            public long Line { get; private set; }

            public Provenance Provenance => new(plan.ActualName, Line);

            public ImportRun Run { get; set; } = null!;

            public void Start(FilePlan filePlan, CsvReader csv, long line)
            {
                if (!ReferenceEquals(plan, filePlan))
                {
                    plan = filePlan;
                    Array.Clear(mapped);
                    Array.Clear(columns);
                    Array.Clear(moreColumns);
                    Array.Clear(constants);
                    foreach (var column in filePlan.Columns)
                    {
                        var id = column.Field.Id;
                        if (columns[id] is null)
                        {
                            columns[id] = column;
                        }
                        else
                        {
                            (moreColumns[id] ??= []).Add(column);
                        }

                        mapped[id] = true;
                    }

                    foreach (var (field, value) in filePlan.Constants)
                    {
                        constants[field.Id] = value;
                        mapped[field.Id] = true;
                    }
                }

                reader = csv;
                Array.Clear(loaded);
                Errors.Clear();
                Line = line;
            }

            public bool IsMapped(CanonicalField field) => mapped[field.Id];

            /// <summary>Whether any field of <paramref name="entity"/> has a value in this row.</summary>
            public bool AnyValue(EntityKind entity)
            {
                foreach (var column in plan.Columns)
                {
                    if (column.Field.Entity == entity && Raw(column.Field) is not null)
                    {
                        return true;
                    }
                }

                return false;
            }

            public CanonicalField? FirstMapped(EntityKind entity) =>
                plan.Columns.FirstOrDefault(c => c.Field.Entity == entity)?.Field;

            /// <summary>The raw text of a field (trimmed; null for an empty cell or a null token), read on first use.</summary>
            private string? Raw(CanonicalField field)
            {
                var id = field.Id;
                if (!loaded[id])
                {
                    values[id] = columns[id] is { } column ? Text(column) : constants[id];
                    loaded[id] = true;
                }

                return values[id];
            }

            public void Error(CanonicalField field, string reason)
            {
                var column = columns[field.Id];
                Errors.Add(column is null
                    ? new RowError(plan.ActualName, Line, null, null, $"{field.Path}: {reason}")
                    : new RowError(plan.ActualName, Line, column.FieldIndex + 1, column.Name, reason));
            }

            public string? Text(CanonicalField field) => Raw(field);

            public string? Identifier(CanonicalField field) =>
                Raw(field) is { } raw ? ValueConverter.Identifier(raw) : null;

            /// <summary>A 128-bit hash of a prefix and the raw cells of an entity's columns in this row (no strings made).</summary>
            public UInt128 Hash(EntityKind entity, string prefix)
            {
                hasher.Reset();
                hasher.Append(MemoryMarshal.AsBytes(prefix.AsSpan()));
                foreach (var column in plan.Columns)
                {
                    if (column.Field.Entity == entity)
                    {
                        var bytes = Cell(column, out var isNull);
                        hasher.Append(isNull ? [0x00, 0x1F] : [0x01]);
                        hasher.Append(bytes);
                        hasher.Append([0x1F]);
                    }
                }

                return hasher.GetCurrentHashAsUInt128();
            }

            private readonly XxHash128 hasher = new();

            /// <summary>
            /// An identifier cell looked up in <paramref name="index"/> by its characters. When the index has it, the
            /// index's own string is returned (no new string); otherwise a new one.
            /// </summary>
            public string? Identifier<TValue>(CanonicalField field, Dictionary<string, TValue> index, out bool found, out TValue? value)
            {
                value = default;
                found = false;
                var column = columns[field.Id];
                if (column is null || loaded[field.Id])
                {
                    var text = Identifier(field);
                    found = text is not null && index.TryGetValue(text, out value);
                    return text;
                }

                var bytes = Cell(column, out var isNull);
                if (isNull)
                {
                    return null;
                }

                string raw;
                Span<char> chars = stackalloc char[Math.Min(bytes.Length, 128)];
                if (bytes.Length <= 128)
                {
                    var id = ValueConverter.Identifier(chars[..Encoding.UTF8.GetChars(bytes, chars)]);
                    if (index.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(id, out var key, out value))
                    {
                        found = true;
                        raw = key;
                    }
                    else
                    {
                        raw = new string(id);
                    }
                }
                else
                {
                    raw = ValueConverter.Identifier(Encoding.UTF8.GetString(bytes));
                    found = index.TryGetValue(raw, out value);
                }

                values[field.Id] = raw; // already an identifier: Identifier(field) gives it back unchanged
                loaded[field.Id] = true;
                return raw;
            }

            /// <summary>Every value of a multi-value field: split cells and several columns.</summary>
            public List<string> Values(CanonicalField field)
            {
                var result = new List<string>();
                Add(columns[field.Id], Raw(field));
                foreach (var column in moreColumns[field.Id] ?? [])
                {
                    Add(column, Text(column));
                }

                return result;

                void Add(ColumnPlan? column, string? cell)
                {
                    if (cell is null)
                    {
                        return;
                    }

                    if (column?.Mapping.Split is { } split)
                    {
                        result.AddRange(cell.Split(split, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                    }
                    else
                    {
                        result.Add(cell);
                    }
                }
            }

            /// <summary>
            /// The cell of a column-mapped field as UTF-8 bytes, without making a string (null tokens and empty cells
            /// give <paramref name="isNull"/>). Valid until the next row.
            /// </summary>
            private ReadOnlySpan<byte> Cell(ColumnPlan column, out bool isNull)
            {
                var cell = reader.GetSpan(column.FieldIndex).Trim((byte)' ');
                isNull = cell.IsEmpty;
                foreach (var token in plan.NullTokens)
                {
                    isNull |= cell.SequenceEqual(token);
                }

                return isNull ? default : cell;
            }

            /// <summary>The cell as a string; null for an empty cell or a null token.</summary>
            private string? Text(ColumnPlan column)
            {
                var cell = Cell(column, out var isNull);
                return isNull ? null : Encoding.UTF8.GetString(cell);
            }

            public DateOnly? Date(CanonicalField field)
            {
                var column = columns[field.Id];
                var formats = column?.DateFormats ?? plan.DateFormats;
                bool parsed;
                DateOnly date;
                if (column is not null)
                {
                    var bytes = Cell(column, out var isNull);
                    if (isNull)
                    {
                        return null;
                    }

                    Span<char> chars = stackalloc char[Math.Min(bytes.Length, 128)];
                    parsed = bytes.Length <= 128
                        ? ValueConverter.TryDate(chars[..Encoding.UTF8.GetChars(bytes, chars)], formats, plan.Culture, out date)
                        : ValueConverter.TryDate(Encoding.UTF8.GetString(bytes), formats, plan.Culture, out date);
                }
                else if (Raw(field) is { } raw)
                {
                    parsed = ValueConverter.TryDate(raw, formats, plan.Culture, out date);
                }
                else
                {
                    return null;
                }

                if (parsed)
                {
                    return date;
                }

                Error(field, $"not a date in the expected format{(formats.Length > 1 ? "s" : "")} {string.Join(" or ", formats)}");
                return null;
            }

            public int? Integer(CanonicalField field)
            {
                int value;
                bool parsed;
                if (columns[field.Id] is { } column)
                {
                    var bytes = Cell(column, out var isNull);
                    if (isNull)
                    {
                        return null;
                    }

                    parsed = ValueConverter.TryInteger(bytes, plan.Culture, out value);
                }
                else if (Raw(field) is { } raw)
                {
                    parsed = ValueConverter.TryInteger(raw, plan.Culture, out value);
                }
                else
                {
                    return null;
                }

                if (parsed)
                {
                    return value;
                }

                Error(field, "not a whole number");
                return null;
            }

            public bool? Boolean(CanonicalField field)
            {
                var (raw, outcome) = Code(field);
                if (raw is null || outcome is null)
                {
                    return null;
                }

                if (ValueConverter.Boolean(outcome.Value.Canonical!) is { } flag)
                {
                    return flag;
                }

                Error(field, "not a yes/no value (Y/N, Yes/No, True/False, 1/0); map it with a vocabulary");
                return null;
            }

            /// <summary>The raw text of a Boolean field, beside its value.</summary>
            public string? BooleanRaw(CanonicalField field) => Code(field, count: false).Raw;

            public Coded<T> Coded<T>(CanonicalField field)
                where T : struct, Enum
            {
                var (raw, outcome) = Code(field);
                if (outcome is not { } known)
                {
                    return new Coded<T>(null, raw);
                }

                var value = known.EnumValue;
                return new Coded<T>(Unsafe.As<int, T>(ref value), raw);
            }

            public CodedText CodedText(CanonicalField field)
            {
                var (raw, outcome) = Code(field);
                return raw is null ? default : new CodedText(outcome?.Canonical, raw);
            }

            /// <summary>
            /// The raw text and the conversion of a coded cell. A value seen before in the column is found in the
            /// column's cache by the cell's bytes, and its cached string is the raw value: no new string per row.
            /// </summary>
            private (string? Raw, CodeOutcome? Outcome) Code(CanonicalField field, bool count = true)
            {
                var column = columns[field.Id];
                if (column is null)
                {
                    return Raw(field) is { } constant ? (constant, count ? Resolve(field, constant) : null) : default;
                }

                var bytes = Cell(column, out var isNull);
                if (isNull)
                {
                    return default;
                }

                if (column.Cells.TryGet(bytes, out var raw, out var outcome))
                {
                    return (raw, count ? Handle(field, column, raw, outcome) : outcome);
                }

                raw = Encoding.UTF8.GetString(bytes);
                outcome = Convert(field, column.Vocabulary, raw);
                column.Cells.Add(bytes, raw, outcome);
                return (raw, count ? Handle(field, column, raw, outcome) : outcome);
            }

            public (Sensitivity Flags, IReadOnlyList<string> Raw) Flags(CanonicalField field)
            {
                var parts = Values(field);
                if (parts.Count == 0)
                {
                    return (Sensitivity.None, []);
                }

                var flags = Sensitivity.None;
                foreach (var part in parts)
                {
                    if (Resolve(field, part) is { } outcome)
                    {
                        flags |= (Sensitivity)outcome.EnumValue;
                    }
                }

                return (flags, parts);
            }

            /// <summary>
            /// What a raw value converts to through the column's vocabulary; null, with the row error recorded,
            /// when it does not convert. Outcomes are cached per column; unmapped values are counted every time.
            /// </summary>
            /// <summary>The conversion of one raw value (a part of a split cell, a constant), cached per column.</summary>
            private CodeOutcome? Resolve(CanonicalField field, string raw)
            {
                var column = columns[field.Id];
                if (column is null || !column.Codes.TryGetValue(raw, out var outcome))
                {
                    outcome = Convert(field, column?.Vocabulary, raw);
                    if (column is not null && column.Codes.Count < ColumnPlan.CacheLimit)
                    {
                        column.Codes[raw] = outcome;
                    }
                }

                return Handle(field, column, raw, outcome);
            }

            /// <summary>
            /// The outcome when the value converts; null, with the row error recorded, when it does not. Unmapped
            /// values are counted every time they occur.
            /// </summary>
            private CodeOutcome? Handle(CanonicalField field, ColumnPlan? column, string raw, CodeOutcome outcome)
            {
                switch (outcome.Status)
                {
                    case CodeStatus.Mapped:
                        return outcome;
                    case CodeStatus.Fallback:
                        Run.CountUnmapped(plan.ActualName, column!, raw, Line, outcome.Canonical);
                        return outcome;
                    case CodeStatus.Unlisted:
                        if (column is not null)
                        {
                            Run.CountUnmapped(plan.ActualName, column, raw, Line, null);
                        }

                        Error(field, $"value is not in vocabulary '{column?.Vocabulary?.Name}'");
                        return null;
                    default:
                        if (column is not null)
                        {
                            Run.CountUnmapped(plan.ActualName, column, raw, Line, null);
                        }

                        Error(field, $"value is not a {ValueConverter.Describe(field)}; map it with a vocabulary");
                        return null;
                }
            }

            private static CodeOutcome Convert(CanonicalField field, CompiledVocabulary? vocabulary, string raw)
            {
                var status = CodeStatus.Mapped;
                var canonical = vocabulary?.Lookup(raw);
                if (canonical is null)
                {
                    if (vocabulary is null || (field.CodeType is { } type && ValueConverter.TryParseCanonical(type, raw, out _)))
                    {
                        canonical = raw;
                    }
                    else if (vocabulary.Fallback is { } fallback)
                    {
                        (canonical, status) = (fallback, CodeStatus.Fallback);
                    }
                    else
                    {
                        return new CodeOutcome(CodeStatus.Unlisted, null, 0);
                    }
                }

                if (field.CodeType is null)
                {
                    return new CodeOutcome(status, canonical, 0);
                }

                return ValueConverter.TryParseCanonical(field.CodeType, canonical, out var value)
                    ? new CodeOutcome(status, canonical, value)
                    : new CodeOutcome(CodeStatus.NotCanonical, null, 0);
            }

            public (string? First, string? Middle, string? Last, string? Suffix) Name(CanonicalField field) =>
                Raw(field) is { } raw ? PersonName.Parse(raw, columns[field.Id]?.Mapping.NameOrder) : default;
        }
    }
}
