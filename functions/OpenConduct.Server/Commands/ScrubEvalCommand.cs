using System.CommandLine;
using System.Globalization;
using OpenConduct.Core.Disclosure;

namespace OpenConduct.Server.Commands;

/// <summary>
/// <c>scrub-eval [labelled-folder]</c>: measures the narrative scrubber on the synthetic labelled corpus and, given a
/// folder of labelled real narratives (part-NN.jsonl + labels-NN.jsonl, kept outside the repository), on each of its
/// parts. Prints figures only (docs/disclosure.md, "Measuring the scrubber").
/// </summary>
internal static class ScrubEvalCommand
{
    public static Command Create()
    {
        var folderArgument = new Argument<DirectoryInfo?>("labelled-folder")
        {
            Description = "A folder of labelled narratives (part-NN.jsonl and labels-NN.jsonl). Without it: the synthetic corpus only.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var policyOption = new Option<FileInfo?>("--policy")
        {
            Description = "The disclosure policy whose scrubbing options to apply (default: samples/policies/minnesota.json's, i.e. the defaults).",
        };
        var countOption = new Option<int>("--synthetic")
        {
            Description = "How many synthetic narratives to generate (0: none).",
            DefaultValueFactory = _ => 600,
        };
        var seedOption = new Option<int>("--seed") { Description = "The synthetic corpus's seed.", DefaultValueFactory = _ => 3 };
        var missesOption = new Option<int>("--misses")
        {
            Description = "Print up to N misses, masked officers and over-scrubbed words with an excerpt, to standard error. They quote the narratives: for a developer's screen only, never for a commit or a report.",
            DefaultValueFactory = _ => 0,
        };
        var command = new Command("scrub-eval", "Measure the narrative scrubber: recall per kind, officers masked, over-scrubbing, narratives withheld.")
        {
            folderArgument,
            policyOption,
            countOption,
            seedOption,
            missesOption,
        };
        command.SetAction(parse => Run(
            parse.GetValue(folderArgument), parse.GetValue(policyOption), parse.GetValue(countOption), parse.GetValue(seedOption),
            parse.GetValue(missesOption), Console.Out, Console.Error));
        return command;
    }

    public static int Run(DirectoryInfo? folder, FileInfo? policyFile, int synthetic, int seed, int misses, TextWriter output, TextWriter errors)
    {
        ScrubberOptions options;
        try
        {
            options = policyFile is null ? ScrubberOptions.Default : ScrubberOptions.For(DisclosurePolicyLoader.LoadFile(policyFile.FullName));
        }
        catch (Exception ex) when (ex is PolicyException or IOException)
        {
            output.WriteLine(ex.Message);
            return 2;
        }

        var scrubber = new NarrativeScrubber(options);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scrub-eval: residual risk {options.ResidualRisk}, officers named by rank {(options.KeepOfficersNamedByRank ? "kept" : "masked")}, demographics published: {options.PublishedDemographics}"));
        var sets = new List<(string Name, IReadOnlyList<LabelledNarrative> Narratives)>();
        if (synthetic > 0)
        {
            sets.Add((string.Create(CultureInfo.InvariantCulture, $"synthetic (seed {seed})"), SyntheticLabelledSet.Generate(synthetic, seed)));
        }

        if (folder is not null)
        {
            if (!folder.Exists)
            {
                output.WriteLine($"no such folder: {folder.FullName}");
                return 2;
            }

            var parts = LabelledNarratives.Parts(folder.FullName);
            if (parts.Count == 0)
            {
                output.WriteLine($"{folder.FullName} has no part-NN.jsonl with its labels-NN.jsonl");
                return 2;
            }

            foreach (var part in parts)
            {
                sets.Add(($"{folder.Name} part {part}", LabelledNarratives.ReadPart(folder.FullName, part)));
            }

            if (parts.Count > 1)
            {
                sets.Add(($"{folder.Name} all parts", [.. parts.SelectMany(p => LabelledNarratives.ReadPart(folder.FullName, p))]));
            }
        }

        foreach (var (name, narratives) in sets)
        {
            var report = ScrubberEvaluation.Run(name, narratives, scrubber, misses);
            output.WriteLine();
            output.Write(report.ToMarkdown());
            foreach (var miss in report.Misses)
            {
                errors.WriteLine(miss);
            }
        }

        return 0;
    }
}
