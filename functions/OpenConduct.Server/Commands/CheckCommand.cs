using System.CommandLine;
using System.Globalization;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;

namespace OpenConduct.Server.Commands;

/// <summary>
/// <c>check --profile profile.json export-folder</c>: imports an export without publishing anything and prints what
/// happened. Exits non-zero only when the export cannot be imported at all.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var profileOption = new Option<FileInfo>("--profile", "-p")
        {
            Description = "The mapping profile (JSON) of the export's format.",
            Required = true,
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
            errorsOption,
        };
        command.SetAction(parse => Run(
            parse.GetValue(profileOption)!, parse.GetValue(folderArgument)!, parse.GetValue(errorsOption), Console.Out, Console.Error, parse.GetValue(policyOption)));
        return command;
    }

    public static int Run(FileInfo profileFile, DirectoryInfo folder, int maxErrors, TextWriter output, TextWriter progressOutput, FileInfo? policyFile = null)
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
        var report = new ExportImporter().Import(profile, files, (IImportSink?)records ?? new CountingSink(), progress);
        Print(report, folder.FullName, maxErrors, output);
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

    internal static void Print(ImportReport report, string location, int maxErrors, TextWriter output)
    {
        var ic = CultureInfo.InvariantCulture;
        output.WriteLine($"check: profile '{report.Profile}' (source {report.Source}) on {location}");
        output.WriteLine();
        output.WriteLine(string.Create(ic, $"{"file",-36} {"read",10} {"imported",10} {"rejected",10} {"duplicate",10}  encoding      delim  {"seconds",8}"));
        foreach (var file in report.Files)
        {
            output.WriteLine(string.Create(ic,
                $"{file.Path,-36} {file.RowsRead,10:N0} {file.RowsImported,10:N0} {file.RowsRejected,10:N0} {file.DuplicateRows,10:N0}  {file.Encoding,-12}  {(file.Delimiter == '\t' ? "\\t" : file.Delimiter.ToString()),-5}  {file.Elapsed.TotalSeconds,8:0.000}"));
        }

        foreach (var file in report.Files.Where(f => f.QuotingRepaired > 0))
        {
            output.WriteLine(string.Create(ic, $"  {file.Path}: {file.QuotingRepaired:N0} rows with broken quoting read as repaired (a stray or misplaced quote)"));
        }

        output.WriteLine();
        output.WriteLine("records imported:");
        foreach (var (entity, count) in report.Imported)
        {
            output.WriteLine(string.Create(ic, $"  {entity.ToString().ToLowerInvariant() + "s",-14} {count,10:N0}"));
        }

        if (report.TotalRowErrors > 0)
        {
            output.WriteLine();
            output.WriteLine(string.Create(ic, $"row errors: {report.TotalRowErrors:N0} (first {Math.Min(maxErrors, report.RowErrors.Count)} shown)"));
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

        output.WriteLine();
        if (report.Succeeded)
        {
            output.WriteLine(string.Create(ic,
                $"result: imported {report.RowsRead - report.RowsRejected - report.Files.Sum(f => f.DuplicateRows):N0} of {report.RowsRead:N0} rows ({report.RowsRejected:N0} rejected, {report.Files.Sum(f => f.DuplicateRows):N0} duplicates) in {report.Elapsed.TotalSeconds:0.00} s"));
        }
        else
        {
            output.WriteLine("result: the export cannot be imported; nothing was imported:");
            foreach (var failure in report.Failures)
            {
                output.WriteLine($"  {failure}");
            }
        }
    }
}
