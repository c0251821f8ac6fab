using System.Diagnostics;
using System.Globalization;
using System.Text;
using OpenConduct.Core.Disclosure;
using OpenConduct.Samples;

namespace OpenConduct.Core.Tests.Disclosure;

/// <summary>The synthetic narrative corpus (samples/OpenConduct.Samples/NarrativeCorpus.cs) as a labelled set, and the scrubber's speed on it.</summary>
public static class ScrubberCorpus
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The corpus in the labelled-set format that <see cref="ScrubberEvaluation"/> measures (the same as the scrub-eval command's).</summary>
    public static IReadOnlyList<LabelledNarrative> Labelled(int count, int seed) =>
        [.. NarrativeCorpus.Generate(count, seed).Select(n => new LabelledNarrative(
            n.Id.ToString(Inv), n.Text, n.OfficerNames, n.KnownPrivateNames,
            [.. n.Labels.Select(l => new PrivateLabel(l.Value, l.Kind, Start: l.Start))],
            [.. n.Officers.Select(o => o.Value)]))];

    /// <summary>What <see cref="Speed"/> measured.</summary>
    public sealed record SpeedFigures(int Narratives, int AverageLength, int Passes, double MicrosecondsPerNarrative, double MicrosecondsPer500Chars, long BytesAllocatedPerNarrative)
    {
        public override string ToString() => string.Create(
            Inv,
            $"{Narratives} narratives, {AverageLength} characters on average, {Passes} passes: {MicrosecondsPerNarrative:0.00} µs per narrative, {MicrosecondsPer500Chars:0.00} µs per 500 characters, {BytesAllocatedPerNarrative} bytes allocated per narrative");
    }

    /// <summary>
    /// Mean time per narrative over <paramref name="passes"/> passes of the corpus, after a warm-up long enough for
    /// tiered compilation to have optimised the hot methods (a Debug build measures unoptimised code).
    /// </summary>
    public static SpeedFigures Speed(int narratives, int seed, int passes) =>
        Speed(NarrativeCorpus.Generate(narratives, seed).Select(n => (n.Text, new ScrubContext(n.OfficerNames, n.KnownPrivateNames))).ToList(), passes);

    /// <summary>As <see cref="Speed(int, int, int)"/>, on any narratives with their contexts.</summary>
    public static SpeedFigures Speed(IReadOnlyList<(string Text, ScrubContext Context)> corpus, int passes)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        var scrubber = new NarrativeScrubber();
        var chars = corpus.Sum(n => n.Text.Length);
        var sink = 0;

        // Warm up until tiered compilation has settled: at least three seconds (the generated regular expressions and
        // the library code they call go through tiering, which a test host's background work slows down), and the last
        // three passes within 10% of the fastest pass so far (at most ten seconds).
        var warmUp = Stopwatch.StartNew();
        var passTimes = new List<double>();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(10))
        {
            var pass = Stopwatch.StartNew();
            foreach (var (text, context) in corpus)
            {
                sink += scrubber.Scrub(text, context).Counts.Total;
            }

            passTimes.Add(pass.Elapsed.TotalMicroseconds);
            var fastest = passTimes.Min();
            if (warmUp.Elapsed > TimeSpan.FromSeconds(3) && passTimes.Count >= 5 && passTimes.TakeLast(3).All(t => t <= fastest * 1.1))
            {
                break;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        for (var p = 0; p < passes; p++)
        {
            foreach (var (text, context) in corpus)
            {
                sink += scrubber.Scrub(text, context).Counts.Total;
            }
        }

        watch.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        GC.KeepAlive(sink);
        var calls = passes * (double)corpus.Count;
        return new SpeedFigures(
            corpus.Count,
            chars / corpus.Count,
            passes,
            watch.Elapsed.TotalMicroseconds / calls,
            watch.Elapsed.TotalMicroseconds / (passes * (double)chars) * 500,
            (long)(allocated / calls));
    }
}

/// <summary>The narratives of the committed IAU and OPCR sample exports with the officers and complainants of each case.</summary>
internal static class SampleNarratives
{
    private static string Exports => Path.Combine(AppContext.BaseDirectory, "samples", "exports");

    public static IEnumerable<(string Id, List<string> Officers, List<string> Complainants, string Narrative)> Iau()
    {
        var rows = Csv(Path.Combine(Exports, "iau", "IAPro_export.csv"), ',');
        foreach (var group in rows.GroupBy(r => r["incident_no"], StringComparer.Ordinal))
        {
            var narrative = group.First()["summary"];
            if (narrative is "" or "NULL")
            {
                continue;
            }

            var officers = group.Select(r => $"{r["officer_first"]} {r["officer_last"]}").Distinct(StringComparer.Ordinal).ToList();
            var complainants = group.Select(r => r["citizen_name"]).Where(n => n is not ("" or "NULL")).Distinct(StringComparer.Ordinal).ToList();
            yield return (group.Key, officers, complainants, narrative);
        }
    }

    public static IEnumerable<(string Id, List<string> Officers, List<string> Complainants, string Narrative)> Opcr()
    {
        var folder = Path.Combine(Exports, "opcr");
        var officers = Csv(Path.Combine(folder, "officers.csv"), ',')
            .GroupBy(r => r["Employee ID"], StringComparer.Ordinal) // the export repeats some rows
            .ToDictionary(g => g.Key, g => $"{g.First()["Last Name"]}, {g.First()["First Name"]} {g.First()["Middle Initial"]}".Trim(), StringComparer.Ordinal);
        var byCase = Csv(Path.Combine(folder, "allegations.csv"), ',').ToLookup(r => r["Case Number"], r => r["Employee ID"], StringComparer.Ordinal);
        var complainants = Csv(Path.Combine(folder, "complainants.csv"), ',').ToLookup(r => r["Case Number"], r => r["Complainant Name"], StringComparer.Ordinal);
        foreach (var complaint in Csv(Path.Combine(folder, "complaints.csv"), ','))
        {
            var id = complaint["Case Number"];
            var narrative = complaint["Summary"];
            if (narrative is "" or "NULL" or "N/A")
            {
                continue;
            }

            var names = byCase[id].Select(e => officers.GetValueOrDefault(e)).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            yield return (id, names, complainants[id].Where(n => n is not ("" or "N/A")).ToList(), narrative);
        }
    }

    /// <summary>The folded name parts (lower case, no accents, curly apostrophes straightened) of a list of names.</summary>
    public static IEnumerable<string> Parts(IEnumerable<string> names) =>
        names.SelectMany(n => Fold(n).Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)).Where(p => p.Length > 1);

    /// <summary>Whole-word occurrences of a folded part in a text, compared folded.</summary>
    public static int WordCount(string text, string foldedPart) =>
        System.Text.RegularExpressions.Regex.Count(Fold(text), $@"(?<![\w'-]){System.Text.RegularExpressions.Regex.Escape(foldedPart)}(?![\w-]|'\w)");

    private static string Fold(string value)
    {
        var d = value.Replace('’', '\'').Normalize(NormalizationForm.FormD);
        var b = new StringBuilder(d.Length);
        foreach (var c in d)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                b.Append(char.ToLowerInvariant(c));
            }
        }

        return b.ToString();
    }

    /// <summary>A small RFC 4180 reader: quoted fields, doubled quotes, newlines inside quotes, a UTF-8 BOM.</summary>
    private static List<Dictionary<string, string>> Csv(string path, char delimiter)
    {
        var records = TestCsv.Parse(File.ReadAllText(path, Encoding.UTF8), delimiter).Select(r => r.ToList()).ToList();
        var header = records[0];
        return records.Skip(1).Where(r => r.Count == header.Count)
            .Select(r => header.Select((h, k) => (h, r[k])).ToDictionary(x => x.h, x => x.Item2, StringComparer.Ordinal))
            .ToList();
    }
}
