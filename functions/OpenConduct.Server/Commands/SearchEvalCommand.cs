using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Release;
using OpenConduct.Core.Sources;
using OpenConduct.Core.Storage;
using OpenConduct.Lucene;

namespace OpenConduct.Server.Commands;

/// <summary>
/// <c>search-eval [export-folder --profile p]</c>: measures the officer search on labelled queries made by rule from a
/// roster (docs/search.md, "Measured on a real roster"). The export is published as the pipeline publishes it (import,
/// redaction, release) into a temporary folder; its officers are resolved and their documents built from the published
/// records (<see cref="OfficerIdentityResolver"/>, <see cref="OfficerDocumentBuilder"/>) and indexed in an embedded
/// Lucene index; queries of every kind of <see cref="SearchQueryKinds"/> are generated from those documents (or read
/// from a file) and run through <see cref="IOfficerIndex.SearchAsync"/>. Prints recall@1, recall@10 and MRR per kind
/// as a markdown table, with the targets. Without a folder (or with <c>--synthetic</c>) it measures the bundled
/// synthetic samples.
/// </summary>
internal static class SearchEvalCommand
{
    /// <summary>
    /// The pseudonymization key of the temporary release. Not a secret: the release is deleted when the command ends
    /// and nothing of it is published. A fixed key keeps officer ids, and so a saved query set, stable between runs.
    /// </summary>
    private const string EvaluationKey = "search-eval: a temporary release, deleted after the run; not a secret";

    /// <summary>What one run measures.</summary>
    internal sealed record Settings(
        DirectoryInfo? Folder,
        FileInfo? Profile,
        FileInfo Policy,
        bool Synthetic,
        DirectoryInfo Samples,
        FileInfo? Queries,
        FileInfo? WriteQueries,
        int Seed,
        int PerKind,
        int Misses,
        FileInfo? Overrides);

    /// <summary>One roster to measure: the exports that make it, each with its configuration.</summary>
    private sealed record EvaluationSet(string Name, IReadOnlyList<(SourceConfiguration Configuration, string Folder)> Exports, FileInfo? Overrides, bool UsesQueryFiles);

    public static Command Create()
    {
        var folderArgument = new Argument<DirectoryInfo?>("export-folder")
        {
            Description = "An export folder to measure on (with --profile). Without it: the synthetic samples.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var profileOption = new Option<FileInfo?>("--profile", "-p") { Description = "The mapping profile of the export folder's format." };
        var policyOption = new Option<FileInfo>("--policy")
        {
            Description = "The disclosure policy the export folder is published under: officer documents are built from published records only (the samples use the policies sources.json names).",
            DefaultValueFactory = _ => new FileInfo(Path.Combine("samples", "policies", "minnesota.json")),
        };
        var syntheticOption = new Option<bool>("--synthetic") { Description = "Also measure the synthetic samples (the default without an export folder)." };
        var samplesOption = new Option<DirectoryInfo>("--samples")
        {
            Description = "The samples folder: sources.json and the exports it names under exports/{source}.",
            DefaultValueFactory = _ => new DirectoryInfo("samples"),
        };
        var queriesOption = new Option<FileInfo?>("--queries") { Description = "Run this labelled query set (JSON Lines, as --write-queries writes it) instead of generating one: on the export folder, else on the samples." };
        var writeQueriesOption = new Option<FileInfo?>("--write-queries")
        {
            Description = "Write the labelled query set (of the export folder, else of the samples) to this file (JSON Lines). Made from a real roster, it names real people: keep it outside the repository (e.g. under the git-ignored artifacts/ or /tmp), never commit it.",
        };
        var seedOption = new Option<int>("--seed") { Description = "The seed of the query sampling.", DefaultValueFactory = _ => 1 };
        var perKindOption = new Option<int>("--per-kind")
        {
            Description = "At most this many queries of each kind, sampled from the officers the kind can be made from.",
            DefaultValueFactory = _ => SearchQueryGenerator.DefaultPerKind,
        };
        var missesOption = new Option<int>("--misses")
        {
            Description = "Print up to N queries of each kind that did not rank a relevant officer first, to standard error. They quote names: for a developer's screen only, never for a commit or a report.",
            DefaultValueFactory = _ => 0,
        };
        var overridesOption = new Option<FileInfo?>("--overrides") { Description = "Identity overrides (docs/officers.md); default: none for an export folder, samples/identity-overrides.json for the samples." };
        var command = new Command("search-eval", "Measure the officer search on labelled queries made by rule from a roster: recall@1, recall@10 and MRR per query kind.")
        {
            folderArgument, profileOption, policyOption, syntheticOption, samplesOption, queriesOption, writeQueriesOption, seedOption, perKindOption, missesOption, overridesOption,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new Settings(
                parse.GetValue(folderArgument), parse.GetValue(profileOption), parse.GetValue(policyOption)!, parse.GetValue(syntheticOption), parse.GetValue(samplesOption)!,
                parse.GetValue(queriesOption), parse.GetValue(writeQueriesOption), parse.GetValue(seedOption), parse.GetValue(perKindOption), parse.GetValue(missesOption),
                parse.GetValue(overridesOption)),
            Console.Out,
            Console.Error,
            cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(Settings settings, TextWriter output, TextWriter errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.PerKind < 0 || settings.Misses < 0)
        {
            output.WriteLine("search-eval: --per-kind and --misses are counts (0 or more)");
            return 2;
        }

        if (settings.Queries is { Exists: false } missing)
        {
            output.WriteLine($"search-eval: no such query file: {missing.FullName}");
            return 2;
        }

        var sets = new List<EvaluationSet>();
        try
        {
            if (settings.Folder is null || settings.Synthetic)
            {
                sets.Add(SyntheticSet(settings.Samples, settings.Overrides, usesQueryFiles: settings.Folder is null));
            }

            if (settings.Folder is { } folder)
            {
                if (!folder.Exists)
                {
                    output.WriteLine($"search-eval: no such folder: {folder.FullName}");
                    return 2;
                }

                if (settings.Profile is not { } profile)
                {
                    output.WriteLine("search-eval: an export folder needs its --profile");
                    return 2;
                }

                var configuration = SourceConfiguration.Load(profile.FullName, settings.Policy.FullName);
                sets.Add(new EvaluationSet(folder.Name, [(configuration, folder.FullName)], settings.Overrides, UsesQueryFiles: true));
            }
        }
        catch (Exception ex) when (ex is ProfileException or PolicyException or SourcesException or IOException)
        {
            output.WriteLine(ex.Message);
            return 2;
        }

        var progress = new Progress(errors);
        foreach (var set in sets)
        {
            var exit = await MeasureAsync(set, settings, output, errors, progress, cancellationToken).ConfigureAwait(false);
            if (exit != 0)
            {
                return exit;
            }
        }

        return 0;
    }

    /// <summary>
    /// The sources of the samples' sources.json under the first source's policy (one city's: Example City's three under
    /// Minnesota, not the CCRB sample of another city and policy), each with its profile, policy and export folder.
    /// </summary>
    private static EvaluationSet SyntheticSet(DirectoryInfo samples, FileInfo? overrides, bool usesQueryFiles)
    {
        var sources = SourcesFile.Load(Path.Combine(samples.FullName, "sources.json"));
        var policy = sources.Sources.Count > 0 ? sources.Sources[0].Policy : null;
        var exports = sources.Sources
            .Where(s => s.Policy == policy)
            .Select(s => (SourceConfiguration.Load(s), Path.Combine(samples.FullName, "exports", s.Id)))
            .ToList();
        var defaultOverrides = new FileInfo(Path.Combine(samples.FullName, "identity-overrides.json"));
        return new EvaluationSet("synthetic samples", exports, overrides ?? (defaultOverrides.Exists ? defaultOverrides : null), usesQueryFiles);
    }

    private static async Task<int> MeasureAsync(EvaluationSet set, Settings settings, TextWriter output, TextWriter errors, Progress progress, CancellationToken cancellationToken)
    {
        var ic = CultureInfo.InvariantCulture;
        (IdentityOverrides Overrides, string? Hash) overrides;
        try
        {
            overrides = OfficerIndexStep.LoadOverrides(set.Overrides?.FullName);
        }
        catch (IdentityOverridesException ex)
        {
            output.WriteLine(ex.Message);
            return 2;
        }

        var work = Directory.CreateTempSubdirectory("openconduct-search-eval-");
        try
        {
            var stopwatch = Stopwatch.StartNew();
            var releases = new FolderReleaseStore(Path.Combine(work.FullName, "releases"));
            var publisher = new ReleasePublisher(releases, new PublisherOptions(), _ => EvaluationKey);
            foreach (var (configuration, folder) in set.Exports)
            {
                var files = new DirectoryExportFiles(folder);
                var pulledAt = new DateTimeOffset(files.Names.Max(n => File.GetLastWriteTimeUtc(Path.Combine(folder, n))), TimeSpan.Zero);
                var report = await publisher.PublishAsync(configuration, files, "search-eval-" + configuration.SourceId, pulledAt, [], progress, progress, cancellationToken).ConfigureAwait(false);
                if (report.Outcome == PublishOutcome.ImportFailed)
                {
                    output.WriteLine($"search-eval: {folder} cannot be imported with profile '{configuration.Profile.Name}':");
                    foreach (var failure in report.Import?.Failures ?? [])
                    {
                        output.WriteLine("  " + failure);
                    }

                    return 1;
                }
            }

            // As the pipeline's officer step does: the published records of every source, resolved, one document per officer.
            var sources = set.Exports.Select(e => e.Configuration.SourceId).Distinct(StringComparer.Ordinal).ToList();
            var records = await PublishedRecords.ReadLatestAsync(releases, sources, cancellationToken).ConfigureAwait(false);
            var resolution = OfficerIdentityResolver.Resolve(records, overrides.Overrides);
            var documents = OfficerDocumentBuilder.Build(records, resolution).ToList();
            using var index = new LuceneOfficerIndex(Path.Combine(work.FullName, "index"));
            await index.PublishAsync("search-eval", documents, progress, cancellationToken).ConfigureAwait(false);
            var built = stopwatch.Elapsed;

            IReadOnlyList<LabelledQuery> queries;
            IReadOnlyDictionary<string, int>? eligible = null;
            string origin;
            if (set.UsesQueryFiles && settings.Queries is { } file)
            {
                queries = LabelledQueryFile.Read(file.FullName);
                var ids = documents.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
                var stale = queries.Count(q => !ids.Contains(q.Target));
                if (stale > 0)
                {
                    output.WriteLine(string.Create(ic, $"search-eval: {stale:N0} of {queries.Count:N0} queries name an officer this roster does not have (another export, profile, policy or overrides?); they are left out"));
                    if (stale == queries.Count)
                    {
                        return 1;
                    }

                    queries = [.. queries.Where(q => ids.Contains(q.Target))];
                }

                origin = $"queries read from {file.Name}";
            }
            else
            {
                var generated = SearchQueryGenerator.Generate(RosterOfficer.From(documents, records), settings.Seed, settings.PerKind);
                queries = generated.Queries;
                eligible = generated.Eligible;
                origin = string.Create(ic, $"queries generated by rule (seed {settings.Seed}, at most {settings.PerKind:N0} per kind)");
            }

            if (set.UsesQueryFiles && settings.WriteQueries is { } target)
            {
                LabelledQueryFile.Write(target.FullName, queries);
                errors.WriteLine(string.Create(ic, $"search-eval: {queries.Count:N0} labelled queries written to {target.FullName}; they name real people when the roster is real: keep the file outside the repository"));
            }

            stopwatch.Restart();
            var evaluation = await SearchEvaluation.RunAsync(set.Name, index, queries, documents.Count, eligible, settings.Misses, cancellationToken).ConfigureAwait(false);
            output.WriteLine();
            output.WriteLine(string.Create(ic,
                $"search-eval: {set.Name}: {documents.Count:N0} officers from {string.Join(", ", sources)} under policy '{set.Exports[0].Configuration.Policy.Name}', indexed in {built.TotalSeconds:0.0} s; {origin}; {queries.Count:N0} queries in {stopwatch.Elapsed.TotalSeconds:0.0} s, {SearchEvaluation.Depth} hits each"));
            output.WriteLine();
            output.Write(evaluation.ToMarkdown());
            foreach (var miss in evaluation.Misses)
            {
                errors.WriteLine(miss);
            }

            return 0;
        }
        catch (Exception ex) when (ex is InvalidDataException or PolicyException)
        {
            output.WriteLine(ex.Message);
            return 2;
        }
        finally
        {
            try
            {
                work.Delete(recursive: true);
            }
            catch (IOException ex)
            {
                errors.WriteLine($"search-eval: could not delete {work.FullName}: {ex.Message}");
            }
        }
    }

    /// <summary>Progress on standard error: pipeline steps as they happen, import progress per 100,000 rows.</summary>
    private sealed class Progress(TextWriter output) : IProgress<string>, IProgress<ImportProgress>
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();

        public void Report(string value) => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{clock.Elapsed.TotalSeconds,6:0.0}s] {value}"));

        public void Report(ImportProgress value) => Report(value.ToString());
    }
}
