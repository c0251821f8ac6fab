using System.CommandLine;
using System.Globalization;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Model;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Sources;

namespace OpenConduct.Server.Commands;

/// <summary>
/// <c>check --profile profile.json export-folder</c>: imports an export without publishing anything and prints what
/// happened. Exits non-zero only when the export cannot be imported at all. <c>check --source id export-folder</c> checks
/// it as the pipeline would import that source: with its profile, its policy and its export limits from the sources file.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var profileOption = new Option<FileInfo?>("--profile", "-p")
        {
            Description = "The mapping profile (JSON) of the export's format (default with --source: the source's).",
        };
        var sourceOption = new Option<string?>("--source", "-s")
        {
            Description = "A source of the sources file: check the export with its profile, its policy and its export limits (limits, archive), as the pipeline imports it.",
        };
        var sourcesOption = new Option<FileInfo>("--sources")
        {
            Description = "The sources file, with --source.",
            DefaultValueFactory = _ => new FileInfo("samples/sources.json"),
        };
        var folderArgument = new Argument<DirectoryInfo>("export-folder") { Description = "The folder holding the export's files." };
        var policyOption = new Option<FileInfo?>("--policy")
        {
            Description = "A disclosure policy (JSON): also redact the import and print the redaction report. The pseudonymization key is read from the setting the policy names (an environment variable).",
        };
        var errorsOption = new Option<int>("--errors")
        {
            Description = "How many row errors to print.",
            DefaultValueFactory = _ => 20,
        };
        var command = new Command("check", "Import an export with its profile without publishing; print counts, the first row errors and unmapped values.")
        {
            profileOption,
            folderArgument,
            policyOption,
            sourceOption,
            sourcesOption,
            errorsOption,
        };
        command.SetAction(parse =>
        {
            var (profile, policy, limits, archive) = (parse.GetValue(profileOption), parse.GetValue(policyOption), ExportLimits.Default, ArchiveLimits.Default);
            if (parse.GetValue(sourceOption) is { } id)
            {
                SourcesConfig config;
                try
                {
                    config = SourcesFile.Load(parse.GetValue(sourcesOption)!.FullName);
                }
                catch (SourcesException ex)
                {
                    Console.Out.WriteLine(ex.Message);
                    return 2;
                }

                if (config.Sources.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal)) is not { } source)
                {
                    Console.Out.WriteLine($"check: no source '{id}' in {parse.GetValue(sourcesOption)!.FullName} (it has {string.Join(", ", config.Sources.Select(s => s.Id))})");
                    return 2;
                }

                (profile, policy, limits, archive) = (profile ?? new FileInfo(source.Profile), policy ?? new FileInfo(source.Policy), source.Limits ?? limits, source.Archive ?? archive);
            }

            if (profile is null)
            {
                Console.Out.WriteLine("check: give --profile, or --source to use a source's profile, policy and limits");
                return 2;
            }

            return Run(profile, parse.GetValue(folderArgument)!, parse.GetValue(errorsOption), Console.Out, Console.Error, policy, limits, archive);
        });
        return command;
    }

    public static int Run(
        FileInfo profileFile,
        DirectoryInfo folder,
        int maxErrors,
        TextWriter output,
        TextWriter progressOutput,
        FileInfo? policyFile = null,
        ExportLimits? limits = null,
        ArchiveLimits? archive = null)
    {
        MappingProfile profile;
        try
        {
            profile = MappingProfileLoader.LoadFile(profileFile.FullName);
        }
        catch (ProfileException ex)
        {
            output.WriteLine(ex.Message);
            return 2;
        }
        catch (IOException ex)
        {
            output.WriteLine($"cannot read profile {profileFile.FullName}: {ex.Message}");
            return 2;
        }

        IExportFiles files;
        try
        {
            files = new DirectoryExportFiles(folder.FullName);
        }
        catch (DirectoryNotFoundException ex)
        {
            output.WriteLine(ex.Message);
            return 2;
        }

        // The policy and its key are checked at start-up, before any record is read.
        Redactor? redactor = null;
        if (policyFile is not null)
        {
            try
            {
                redactor = new Redactor(DisclosurePolicyLoader.LoadFile(policyFile.FullName), Environment.GetEnvironmentVariable);
            }
            catch (Exception ex) when (ex is PolicyException or IOException)
            {
                output.WriteLine(ex.Message);
                return 2;
            }
        }

        var progress = new ProgressWriter(progressOutput);
        var records = redactor is null ? null : new CanonicalRecordSet();
        // The import notes the category values that have one of the policy's sensitive terms, for the warnings.
        var sensitivity = redactor?.Policy.Sensitivity ?? new SensitivityRule();
        var report = new ExportImporter(new ImportOptions { SensitiveTerms = sensitivity.Terms, Limits = limits ?? ExportLimits.Default, Archive = archive ?? ArchiveLimits.Default })
            .Import(profile, files, (IImportSink?)records ?? new CountingSink(), progress);
        Print(report, folder.FullName, maxErrors, output, sensitivity);
        if (redactor is not null && records is not null && report.Succeeded)
        {
            var release = RedactionPipeline.Redact(records, redactor);
            output.WriteLine();
            foreach (var line in release.Report.Lines())
            {
                output.WriteLine(line);
            }
        }

        return report.Succeeded ? 0 : 1;
    }

    /// <summary>Writes progress on the importing thread, so that it comes out before the summary.</summary>
    private sealed class ProgressWriter(TextWriter output) : IProgress<ImportProgress>
    {
        public void Report(ImportProgress value) => output.WriteLine(value);
    }

    internal static void Print(ImportReport report, string location, int maxErrors, TextWriter output, SensitivityRule? sensitivity = null)
    {
        var ic = CultureInfo.InvariantCulture;
        output.WriteLine($"check: profile '{report.Profile}' (source {report.Source}) on {location}");
        output.WriteLine();
        output.WriteLine(string.Create(ic, $"{"file",-34} {"format",-10} {"read",9} {"imported",9} {"merged",8} {"duplicate",9} {"rejected",9} {"seconds",8}"));
        foreach (var file in report.Files)
        {
            var format = file.Format == "csv" ? $"csv {(file.Delimiter == '\t' ? "\\t" : file.Delimiter.ToString())}" : file.Format;
            output.WriteLine(string.Create(ic,
                $"{file.Path,-34} {format,-10} {file.RowsRead,9:N0} {file.RowsImported,9:N0} {file.RowsMerged,8:N0} {file.DuplicateRows,9:N0} {file.RowsRejected,9:N0} {file.Elapsed.TotalSeconds,8:0.000}"));
        }

        var unreconciled = report.Files.Where(f => !f.Reconciles).ToList();
        output.WriteLine(unreconciled.Count == 0
            ? "  every row read is accounted for: read = imported + merged + duplicate + rejected"
            : $"  WARNING: rows not accounted for in {string.Join(", ", unreconciled.Select(f => f.Path))}");
        foreach (var file in report.Files.Where(f => f.QuotingRepaired > 0))
        {
            output.WriteLine(string.Create(ic, $"  {file.Path}: {file.QuotingRepaired:N0} rows with broken quoting read as repaired (a stray or misplaced quote)"));
        }

        foreach (var file in report.Files.Where(f => f.BlankRows > 0))
        {
            output.WriteLine(string.Create(ic, $"  {file.Path}: {file.BlankRows:N0} blank rows skipped (no value in any cell)"));
        }

        output.WriteLine();
        output.WriteLine("records imported:");
        foreach (var (entity, count) in report.Imported)
        {
            var unidentified = entity == EntityKind.Allegation ? report.Files.Sum(f => f.UnidentifiedOfficer) : 0;
            output.WriteLine(string.Create(ic, $"  {entity.ToString().ToLowerInvariant() + "s",-14} {count,10:N0}{(unidentified > 0 ? $"  ({unidentified:N0} against an unidentified officer of their complaint)" : "")}"));
        }

        Section(output, "rows rejected, by reason (the first error of each row)", report.Rejections.OrderByDescending(r => r.Count));
        Section(output, "rows merged into records already read", report.Merges.OrderByDescending(r => r.Count));
        Section(output, "rows imported with a note", report.Notes.OrderByDescending(r => r.Count));

        if (report.ComplaintsWithDisagreeingRows > 0)
        {
            output.WriteLine();
            output.WriteLine(string.Create(ic, $"complaints whose rows disagree: {report.ComplaintsWithDisagreeingRows:N0} (resolved by rules.complaintRows, docs/profiles.md)"));
            foreach (var (field, (filled, differs)) in report.ComplaintFields)
            {
                output.WriteLine(string.Create(ic, $"  {field,-28} {filled,8:N0} filled by a later row   {differs,8:N0} with another value"));
            }
        }

        if (report.StatusRules.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("complaint status, by the rule that decided it:");
            foreach (var (rule, count) in report.StatusRules)
            {
                output.WriteLine(string.Create(ic, $"  {rule,-28} {count,10:N0}"));
            }
        }

        if (report.SensitivityRules.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("complaints made sensitive by a rule of the import:");
            foreach (var (rule, count) in report.SensitivityRules)
            {
                output.WriteLine(string.Create(ic, $"  {count,10:N0}  {rule}"));
            }
        }

        if (report.FinalityRules.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("discipline finality decided with the case:");
            foreach (var (rule, count) in report.FinalityRules)
            {
                output.WriteLine(string.Create(ic, $"  {count,10:N0}  {rule}"));
            }
        }

        if (report.OfficerDecisions.Count > 0)
        {
            output.WriteLine();
            output.WriteLine(string.Create(ic,
                $"officer identity within the source: {report.OfficerDecisions.Count(d => d.Kind == "merge"):N0} merges, {report.OfficerDecisions.Count(d => d.Kind == "split"):N0} splits (first {Math.Min(maxErrors, report.OfficerDecisions.Count)} shown)"));
            foreach (var decision in report.OfficerDecisions.Take(maxErrors))
            {
                output.WriteLine($"  {decision}");
            }
        }

        if (report.TotalRowErrors > 0)
        {
            output.WriteLine();
            output.WriteLine(string.Create(ic, $"row errors: {report.TotalRowErrors:N0} (first {Math.Min(maxErrors, report.RowErrors.Count)} shown; --errors N for more; a release lists every one)"));
            foreach (var error in report.RowErrors.Take(maxErrors))
            {
                output.WriteLine($"  {error}");
            }
        }

        if (report.Unmapped.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"unmapped vocabulary values: {report.Unmapped.Count}");
            foreach (var value in report.Unmapped)
            {
                output.WriteLine($"  {value}");
            }
        }

        var warnings = SensitiveTerms.Find(report, sensitivity ?? new SensitivityRule());
        if (warnings.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"WARNING: {warnings.Count} source values look sensitive but map to a category the policy does not treat as sensitive (victim safety would not apply):");
            foreach (var warning in warnings)
            {
                output.WriteLine($"  {warning}");
            }
        }

        output.WriteLine();
        if (report.Succeeded)
        {
            var files = report.Files;
            output.WriteLine(string.Create(ic,
                $"result: {files.Sum(f => f.RowsRead):N0} rows read: {files.Sum(f => f.RowsImported):N0} imported, {files.Sum(f => f.RowsMerged):N0} merged, {files.Sum(f => f.DuplicateRows):N0} duplicates, {files.Sum(f => f.RowsRejected):N0} rejected, in {report.Elapsed.TotalSeconds:0.00} s"));
        }
        else
        {
            output.WriteLine(report.ExportInvalid
                ? "result: the export is invalid (over a limit of docs/pipeline.md, the defaults here); nothing was imported, the pipeline would quarantine it at once:"
                : "result: the export cannot be imported; nothing was imported:");
            foreach (var failure in report.Failures)
            {
                output.WriteLine($"  {failure}");
            }
        }
    }

    private static void Section(TextWriter output, string title, IEnumerable<ReasonCount> reasons)
    {
        var list = reasons.ToList();
        if (list.Count == 0)
        {
            return;
        }

        output.WriteLine();
        output.WriteLine($"{title}:");
        foreach (var reason in list)
        {
            output.WriteLine(reason.ToString());
        }
    }
}
