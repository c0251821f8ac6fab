using System.Diagnostics;
using OpenConduct.Core.Import.Sources;

namespace OpenConduct.Core.Import;

/// <summary>
/// Imports one export through its mapping profile into canonical records, streaming: memory is bounded by the
/// join indexes (officers, case numbers, duplicate-row hashes), not by the size of the files.
/// </summary>
/// <remarks>
/// Order of work: every file is found and its header checked before any row is read, so a wrong profile or a
/// wrong file fails at once and imports nothing. Files that other files join to are read first. A bad row is
/// reported with file, line, column and reason and skipped; the good rows go through; every row read is accounted
/// for (imported, merged into a record already read, duplicate, or rejected with its reason). A problem that makes
/// the rest of a file unreadable (undecodable bytes, an unterminated quote, JSON that does not parse) fails the whole
/// import: the sink is told to abandon what it received. Once every row is read, what only the whole export decides
/// (officers seen to be one, complaints completed by later rows, status and finality by rule) is given to the sink.
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
        var opened = new List<(FilePlan Plan, RowSource Source, FileImportStats Stats)>();
        try
        {
            try
            {
                if (report.Succeeded)
                {
                    foreach (var plan in plans)
                    {
                        if (run.OpenAndCheckHeader(plan, files) is { } source)
                        {
                            opened.Add((plan, source.Source, source.Stats));
                        }
                    }
                }

                if (report.Succeeded)
                {
                    foreach (var (plan, source, stats) in opened)
                    {
                        var started = Stopwatch.GetTimestamp();
                        run.ReadRows(plan, source, stats, progress, cancellationToken);
                        stats.Elapsed = Stopwatch.GetElapsedTime(started);
                        if (!report.Succeeded)
                        {
                            break;
                        }
                    }
                }
            }
            catch (Pipeline.InvalidExportException ex)
            {
                // A file, record or cell over a limit (ExportLimits): the export is refused whole, with where and which limit.
                report.Failures.Add(ex.Message);
                report.ExportInvalid = true;
            }

            if (report.Succeeded)
            {
                run.Finish();
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
            foreach (var (_, source, _) in opened)
            {
                source.Dispose();
            }
        }

        report.Elapsed = stopwatch.Elapsed;
        return report;
    }
}
