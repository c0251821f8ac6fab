using System.CommandLine;
using System.Globalization;
using OpenConduct.Samples;

namespace OpenConduct.Server.Commands;

/// <summary><c>generate</c>: writes deterministic synthetic exports (the committed samples, or large ones for benchmarks).</summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var samples = new Option<DirectoryInfo?>("--samples") { Description = "Rewrite the committed samples (opcr, iau, cra, opa-json, events-jsonl, workbook, workbook-xls, ccrb) under this folder, e.g. samples/exports." };
        var source = new Option<string>("--source")
        {
            Description = "opcr, iau, cra, all (the three CSV exports), an export in another format: opa-json, events-jsonl, workbook (.xlsx), workbook-xls, or ccrb (shaped like New York City's CCRB tables).",
            DefaultValueFactory = _ => "all",
        };
        source.AcceptOnlyFromAmong("opcr", "iau", "cra", "all", "opa-json", "events-jsonl", "workbook", "workbook-xls", "ccrb");
        var allegations = new Option<int>("--allegations") { Description = "How many allegations to generate per source.", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same bytes.", DefaultValueFactory = _ => 20261122 };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Output folder (one subfolder per source with --source all)." };
        var command = new Command("generate", "Write synthetic exports in the formats of the bundled samples.") { samples, source, allegations, seed, output };
        command.SetAction(parse =>
        {
            if (parse.GetValue(samples) is { } samplesDir)
            {
                Print(SyntheticExports.WriteCommittedSamples(samplesDir.FullName));
                return 0;
            }

            if (parse.GetValue(output) is not { } outDir)
            {
                Console.Error.WriteLine("generate: give --samples <folder> or --out <folder>");
                return 2;
            }

            var options = new SyntheticExportOptions { Seed = parse.GetValue(seed), Allegations = parse.GetValue(allegations) };
            var results = parse.GetValue(source) switch
            {
                "opcr" => [SyntheticExports.WriteOpcr(outDir.FullName, options)],
                "iau" => [SyntheticExports.WriteIau(outDir.FullName, options)],
                "cra" => [SyntheticExports.WriteCra(outDir.FullName, options)],
                "opa-json" => [SyntheticExports.WriteOpaJson(outDir.FullName, options)],
                "events-jsonl" => [SyntheticExports.WriteEventsJsonl(outDir.FullName, options)],
                "workbook" => [SyntheticExports.WriteWorkbook(outDir.FullName, options)],
                "workbook-xls" => [SyntheticExports.WriteWorkbook(outDir.FullName, options, xls: true)],
                "ccrb" => [SyntheticExports.WriteCcrb(outDir.FullName, options)],
                _ => SyntheticExports.WriteAll(outDir.FullName, options),
            };
            Print(results);
            return 0;
        });
        return command;
    }

    private static void Print(IEnumerable<SyntheticExportResult> results)
    {
        foreach (var result in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{result.Source}: {result.Complaints:N0} complaints, {result.Allegations:N0} allegations, {result.Officers:N0} officers -> {result.Directory}"));
            foreach (var file in result.Files)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {file.Path} ({file.Rows:N0} rows, {file.DuplicateRows} duplicates)"));
            }
        }
    }
}
