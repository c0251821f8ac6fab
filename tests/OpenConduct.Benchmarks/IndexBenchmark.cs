using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using OpenConduct.Core.Officers;
using OpenConduct.Lucene;
using OpenConduct.Samples;

/// <summary>
/// The embedded officer index (docs/performance.md, "Officer index (Lucene): build and query latency"): N synthetic
/// officer documents with realistic names (the sample generator's lists) and complaint histories summing to the
/// allegation count, published to a <see cref="LuceneOfficerIndex"/> in a temp folder; then type-ahead, fuzzy, badge
/// and exact-name queries, each kind timed one query at a time, against two baselines in the same process: a linear
/// scan of the normalised names (prefix test only, no ranking) and the search rules applied to every officer in memory
/// (<see cref="OfficerSearchRules.Score"/>, ranked), whose totals every index answer must equal.
/// </summary>
/// <remarks>
/// usage: bench --index [--allegations N] [--officers N] [--queries Q] [--repeat R] [--data DIR]
///        bench --index --from-release [--allegations N] [--queries Q] [--data DIR]   (IndexFromReleaseBenchmark.cs)
/// </remarks>
internal static class IndexBenchmark
{
    private static readonly string[] Categories = ["Use of Force", "Language", "Procedure", "Harassment", "Discrimination", "Inappropriate Conduct", "Failure to Provide Service", "Retaliation"];
    private static readonly string[] Findings = ["Sustained", "NotSustained", "Exonerated", "Unfounded", "NoFinding"];
    private static readonly string[] Sources = ["OPCR", "IAU", "CRA"];
    private static readonly string[] Units = ["Precinct 1", "Precinct 2", "Precinct 3", "Precinct 4", "Precinct 5", "SWAT", "Traffic", "Gang Unit", "Homicide"];
    private static readonly string[] Ranks = ["Police Officer", "Sergeant", "Lieutenant", "Commander"];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("--from-release"))
        {
            return await IndexFromReleaseBenchmark.RunAsync(args);
        }

        var arguments = args.Select((a, i) => (a, i)).ToDictionary(p => p.a, p => p.i);
        string Arg(string name, string fallback) => arguments.TryGetValue(name, out var i) && i + 1 < args.Length ? args[i + 1] : fallback;
        int Int(string name, int fallback) => int.Parse(Arg(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        var allegations = Int("--allegations", 1_000_000);
        // A 1,000,000-allegation release names about 14,425 officers (69 allegations each on average).
        var officerCount = Int("--officers", Math.Max(50, (int)Math.Round(allegations * 14_425.0 / 1_000_000)));
        var queries = Int("--queries", 2_000);
        var repeat = Int("--repeat", 1);
        var dataRoot = Arg("--data", Path.Combine(Path.GetTempPath(), "openconduct-bench"));

        var names = NameLists.Load();
        var corpus = new Corpus(officerCount, allegations, names);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"OpenConduct officer index benchmark: {officerCount:N0} officers, {corpus.TotalAllegations:N0} allegations, {corpus.TotalComplaints:N0} complaints, {queries:N0} queries per kind, .NET {Environment.Version}, {Environment.ProcessorCount} cores"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"names: {names.Source}; {corpus.DistinctNameWords:N0} distinct name words, {corpus.Documents.Count(d => d.Badges.Count > 1):N0} officers with a historic badge, {corpus.Documents.Count(d => d.NameVariants.Count > 1):N0} with a name variant; " +
            $"{corpus.Documents.Sum(d => (long)System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(d).Length) / 1e6:0} MB of JSON documents"));

        var folder = Path.Combine(dataRoot, "index-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // Build: the whole publish (serialise, index, merge to one segment, commit, open, swap), best of R after a warm-up.
            var builds = new List<double>();
            LuceneOfficerIndex? index = null;
            for (var run = 0; run <= repeat; run++)
            {
                index?.Dispose();
                index = new LuceneOfficerIndex(folder);
                GC.Collect();
                var started = Stopwatch.StartNew();
                await index.PublishAsync(string.Create(CultureInfo.InvariantCulture, $"bench{run}"), corpus.Documents);
                if (run > 0 || repeat == 0)
                {
                    builds.Add(started.Elapsed.TotalSeconds);
                }
            }

            index!.Dispose();
            var bytes = new DirectoryInfo(Path.Combine(folder, File.ReadAllText(Path.Combine(folder, LuceneOfficerIndex.PointerFileName)).Trim()))
                .EnumerateFiles().Sum(f => f.Length);
            var opened = Stopwatch.StartNew();
            using var live = new LuceneOfficerIndex(folder);
            var openSeconds = opened.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"build (PublishAsync): {builds.Min():0.000} s best of {builds.Count} ({officerCount / builds.Min():N0} officers/s); index {bytes / 1e6:0.0} MB on disk; open from disk {openSeconds * 1000:0} ms"));
            Console.WriteLine();

            var kinds = new (string Name, Func<Random, string> Make)[]
            {
                ("type-ahead", r => corpus.TypeAhead(r)),
                ("fuzzy", r => corpus.Typo(r)),
                ("badge", r => corpus.Badge(r)),
                ("exact name", r => corpus.ExactName(r)),
            };
            var mismatches = await MeasureQueriesAsync(live, corpus.Documents, kinds, queries);
            return mismatches == 0 ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// Times each kind of query, <paramref name="queries"/> of each, one at a time against the index and the two
    /// in-process baselines (the rules over every officer, the prefix scan), and checks every index answer against
    /// the rules; prints a table and returns the number of answers that differ.
    /// </summary>
    internal static async Task<int> MeasureQueriesAsync(LuceneOfficerIndex live, IReadOnlyList<OfficerDocument> documents, (string Name, Func<Random, string> Make)[] kinds, int queries)
    {
        // Baselines' data: every officer's normalised names (for the scan) and search keys (for the rules).
        var scanWords = documents.Select(d => OfficerKeys.From(d.DisplayName, d.NameVariants, null, null).Words.ToArray()).ToArray();
        var keys = documents.Select(OfficerKeys.From).ToArray();
        var random = new Random(4242);
        Console.WriteLine($"{"query kind",-11} {"n",6} | {"index p50",10} {"p99",9} {"max",9} {"avg total",10} {"max",6} | {"rules p50",10} {"p99",9} | {"scan p50",9} {"p99",9} | {"p50 rules/index",15} {"scan/index",10}");
        var mismatches = 0;
        foreach (var (name, make) in kinds)
        {
            var texts = Enumerable.Range(0, queries).Select(_ => make(random)).ToList();

            // Warm-up (JIT, tiered recompilation): every query once through each path, untimed, then a pause for the
            // background recompilation. Then each path in its own pass, after a full collection, one query at a time.
            var answers = new OfficerSearchResult[texts.Count];
            var expected = new (long Total, List<string> Top)[texts.Count];
            for (var i = 0; i < texts.Count; i++)
            {
                answers[i] = await live.SearchAsync(new OfficerQuery { Text = texts[i] });
                expected[i] = RulesSearch(keys, documents, texts[i]);
                ScanPrefix(scanWords, texts[i]);
            }

            await Task.Delay(500);
            var indexTimes = await TimeAsync(texts, async text => await live.SearchAsync(new OfficerQuery { Text = text }));
            var rulesTimes = await TimeAsync(texts, text => Task.FromResult(RulesSearch(keys, documents, text)));
            var scanTimes = await TimeAsync(texts, text => Task.FromResult(ScanPrefix(scanWords, text)));
            var totals = answers.Sum(a => a.Total);
            for (var i = 0; i < texts.Count; i++)
            {
                if (expected[i].Total != answers[i].Total || !expected[i].Top.SequenceEqual(answers[i].Hits.Select(h => h.Id)))
                {
                    if (mismatches++ < 5)
                    {
                        Console.Error.WriteLine($"  MISMATCH '{texts[i]}': index {answers[i].Total}, rules {expected[i].Total}");
                    }
                }
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-11} {texts.Count,6:N0} | {Percentile(indexTimes, 50),7:0.000} ms {Percentile(indexTimes, 99),6:0.000} ms {indexTimes.Max(),6:0.000} ms {totals / (double)texts.Count,10:N1} {answers.Max(a => a.Total),6:N0} | " +
                $"{Percentile(rulesTimes, 50),7:0.000} ms {Percentile(rulesTimes, 99),6:0.000} ms | {Percentile(scanTimes, 50),6:0.000} ms {Percentile(scanTimes, 99),6:0.000} ms | " +
                $"{Percentile(rulesTimes, 50) / Percentile(indexTimes, 50),14:0.0}x {Percentile(scanTimes, 50) / Percentile(indexTimes, 50),9:0.0}x"));
        }

        Console.WriteLine();
        Console.WriteLine(mismatches == 0
            ? "every index answer (total and first page) equals the rules applied to every officer"
            : $"{mismatches} index answers differ from the rules applied to every officer");
        Console.WriteLine("index = LuceneOfficerIndex.SearchAsync (normalise, candidates from the in-memory postings, tiers, rank, first page of 10);");
        Console.WriteLine("rules = OfficerSearchRules.Score over every officer's keys in memory, then the same ranking (no index);");
        Console.WriteLine("scan = a linear scan of every officer's normalised name words for the query words as prefixes (count only, no ranking).");
        return mismatches;
    }

    private static async Task<double[]> TimeAsync<T>(List<string> texts, Func<string, Task<T>> run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var times = new double[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await run(texts[i]);
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return times;
    }

    private static (long Total, List<string> Top) RulesSearch(OfficerKeys[] keys, IReadOnlyList<OfficerDocument> documents, string text)
    {
        var query = QueryKeys.From(text);
        var matches = new List<(OfficerScore Match, int Index)>();
        if (query.Words.Count > 0)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (OfficerSearchRules.Score(query, keys[i]) is { } match)
                {
                    matches.Add((match, i));
                }
            }
        }

        matches.Sort((a, b) =>
        {
            var x = documents[a.Index];
            var y = documents[b.Index];
            return OfficerSearchRules.Compare(a.Match, x.Summary.Complaints, x.DisplayName, x.Id, b.Match, y.Summary.Complaints, y.DisplayName, y.Id);
        });
        return (matches.Count, matches.Take(10).Select(m => documents[m.Index].Id).ToList());
    }

    private static int ScanPrefix(string[][] names, string text)
    {
        var words = OfficerSearchRules.Words(text, OfficerSearchRules.MaxQueryWords);
        if (words.Count == 0)
        {
            return 0;
        }

        var count = 0;
        foreach (var officer in names)
        {
            var all = true;
            foreach (var q in words)
            {
                var any = false;
                foreach (var w in officer)
                {
                    if (w.StartsWith(q, StringComparison.Ordinal))
                    {
                        any = true;
                        break;
                    }
                }

                if (!any)
                {
                    all = false;
                    break;
                }
            }

            count += all ? 1 : 0;
        }

        return count;
    }

    private static double Percentile(double[] values, int p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100.0 * sorted.Length) - 1)];
    }

    /// <summary>The sample generator's name lists (internal to OpenConduct.Samples, read by reflection), or a small fallback.</summary>
    private sealed record NameLists(string[] MaleFirst, string[] FemaleFirst, string[] Last, string Source)
    {
        public static NameLists Load()
        {
            var names = typeof(SyntheticExports).Assembly.GetType("OpenConduct.Samples.Names");
            string[]? List(string field) => names?.GetField(field, BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as string[];
            if (List("MaleFirst") is { } male && List("FemaleFirst") is { } female && List("Last") is { } last)
            {
                return new(male, female, last, string.Create(CultureInfo.InvariantCulture, $"OpenConduct.Samples ({male.Length} male and {female.Length} female first names, {last.Length} last names)"));
            }

            return new(
                ["James", "John", "Robert", "Michael", "José", "Mohamed", "Tou", "Björn", "Darnell", "Nguyen"],
                ["Mary", "Patricia", "María", "Hodan", "Pa Houa", "Zoë", "Keisha", "Inés"],
                ["Smith", "Johnson", "Nguyen", "Vang", "García", "Müller", "O'Brien", "St. Pierre", "Van Dyke", "Lindquist"],
                "built-in fallback lists (OpenConduct.Samples.Names not found)");
        }
    }

    /// <summary>The synthetic officers, generated deterministically, and the query makers over them.</summary>
    private sealed class Corpus
    {
        private readonly NameLists names;
        private readonly List<(string First, string? Middle, string Last)> people = [];

        public Corpus(int officers, int allegations, NameLists names)
        {
            this.names = names;

            // A few officers collect many complaints: Pareto-like weights, scaled so that the allegations sum to the total.
            var weightRandom = new Random(1066);
            var weights = Enumerable.Range(0, officers).Select(_ => Math.Pow(1 - weightRandom.NextDouble(), -1 / 1.6)).ToArray();
            var sum = weights.Sum();
            var counts = weights.Select(w => Math.Max(1, (int)Math.Round(allegations * w / sum))).ToArray();

            var documents = new List<OfficerDocument>(officers);
            for (var i = 0; i < officers; i++)
            {
                documents.Add(Create(i, counts[i]));
            }

            Documents = documents;
            TotalAllegations = counts.Sum();
            TotalComplaints = documents.Sum(d => d.Summary.Complaints);
            DistinctNameWords = documents.SelectMany(d => OfficerKeys.From(d).Words).Distinct(StringComparer.Ordinal).Count();
        }

        public IReadOnlyList<OfficerDocument> Documents { get; }

        public long TotalAllegations { get; }

        public long TotalComplaints { get; }

        public int DistinctNameWords { get; }

        /// <summary>1 to 5 letters of a first or last name, as typed.</summary>
        public string TypeAhead(Random r)
        {
            var (first, _, last) = people[r.Next(people.Count)];
            var word = r.Next(2) == 0 ? first : last;
            return word[..Math.Min(word.Length, 1 + r.Next(5))];
        }

        /// <summary>"First Last" with 1 or 2 typos in the last name (1 in a name of 3-5 letters), sometimes in the first name too.</summary>
        public string Typo(Random r)
        {
            var (first, _, last) = people[r.Next(people.Count)];
            var edits = last.Length >= 6 ? 1 + r.Next(2) : 1;
            var typed = Mistype(r, last, edits);
            return r.Next(4) == 0 && first.Length >= 3 ? $"{Mistype(r, first, 1)} {typed}" : $"{first} {typed}";
        }

        public string Badge(Random r)
        {
            var d = Documents[r.Next(Documents.Count)];
            return d.Badges[r.Next(d.Badges.Count)];
        }

        public string ExactName(Random r) => Documents[r.Next(Documents.Count)].DisplayName;

        /// <summary>SplitMix64's finaliser over two values: deterministic across processes (unlike HashCode).</summary>
        private static ulong Mix(int a, int b) => OpenConduct.Core.Seeds.Mix(a, b);

        private static string Mistype(Random r, string word, int edits)
        {
            for (var e = 0; e < edits; e++)
            {
                var i = r.Next(word.Length);
                word = r.Next(4) switch
                {
                    0 => word.Insert(i, ((char)('a' + r.Next(26))).ToString()),
                    1 when word.Length > 3 => word.Remove(i, 1),
                    2 when i + 1 < word.Length => string.Concat(word.AsSpan(0, i), word.AsSpan(i + 1, 1), word.AsSpan(i, 1), word.AsSpan(i + 2)),
                    _ => string.Concat(word.AsSpan(0, i), ((char)('a' + r.Next(26))).ToString(), word.AsSpan(i + 1)),
                };
            }

            return word;
        }

        private OfficerDocument Create(int i, int allegations)
        {
            var r = new Random((int)(Mix(7919, i) & 0x7fffffff));
            var female = r.NextDouble() < 0.16;
            var first = female ? names.FemaleFirst[r.Next(names.FemaleFirst.Length)] : names.MaleFirst[r.Next(names.MaleFirst.Length)];
            var last = names.Last[r.Next(names.Last.Length)];
            var middle = r.NextDouble() < 0.85 ? ((char)('A' + r.Next(26))).ToString() : null;
            people.Add((first, middle, last));
            var display = middle is null ? $"{first} {last}" : $"{first} {middle}. {last}";
            List<string> variants = [display];
            if (r.NextDouble() < 0.2)
            {
                variants.Add($"{last.ToUpperInvariant()}, {first.ToUpperInvariant()}");
            }

            if (middle is not null && r.NextDouble() < 0.1)
            {
                variants.Add($"{first} {last}");
            }

            var badge = (1000 + (i * 7 % 89_000)).ToString("00000", CultureInfo.InvariantCulture);
            List<string> badges = r.NextDouble() < 0.18 ? [(100_000 + i).ToString(CultureInfo.InvariantCulture), badge] : [badge];
            var complaints = new List<ComplaintHistoryEntry>();
            var left = allegations;
            var sustained = 0;
            var disciplined = 0;
            while (left > 0)
            {
                var n = Math.Min(left, 1 + (r.NextDouble() < 0.35 ? r.Next(3) : 0));
                left -= n;
                var year = 1998 + r.Next(28);
                var open = year >= 2025 && r.NextDouble() < 0.5;
                var entries = new List<AllegationHistoryEntry>(n);
                for (var k = 0; k < n; k++)
                {
                    var finding = open ? null : Findings[r.Next(Findings.Length)];
                    var discipline = finding == "Sustained" && r.NextDouble() < 0.6;
                    sustained += finding == "Sustained" ? 1 : 0;
                    disciplined += discipline ? 1 : 0;
                    entries.Add(new AllegationHistoryEntry
                    {
                        Category = Categories[r.Next(Categories.Length)],
                        FinalFinding = finding,
                        FindingPending = open,
                        DisciplineFinal = discipline ? true : null,
                        ImposedDiscipline = discipline ? (r.Next(3) == 0 ? "Suspension" : "WrittenReprimand") : null,
                        ImposedDisciplineDays = discipline && r.Next(3) == 0 ? 1 + r.Next(20) : null,
                    });
                }

                var source = Sources[r.Next(Sources.Length)];
                complaints.Add(new ComplaintHistoryEntry
                {
                    Source = source,
                    CaseNumber = string.Create(CultureInfo.InvariantCulture, $"{source}-{year}-{r.Next(100_000):00000}"),
                    ReceivedDate = string.Create(CultureInfo.InvariantCulture, $"{year}-{1 + r.Next(12):00}-{1 + r.Next(28):00}"),
                    Status = open ? "Open" : "Closed",
                    IntakeDecision = "Investigation",
                    Allegations = entries,
                });
            }

            complaints.Sort((a, b) => string.CompareOrdinal(b.ReceivedDate, a.ReceivedDate));
            return new OfficerDocument
            {
                Id = string.Create(CultureInfo.InvariantCulture, $"off-{Mix(31, i):x16}"),
                DisplayName = display,
                NameVariants = variants,
                CurrentBadge = badges[^1],
                Badges = badges,
                Rank = Ranks[r.Next(4) == 0 ? 1 + r.Next(3) : 0],
                Unit = Units[r.Next(Units.Length)],
                Status = r.NextDouble() < 0.7 ? "current" : "former",
                SourceRefs = [new("OPCR", string.Create(CultureInfo.InvariantCulture, $"E{10_000 + i}"))],
                Complaints = complaints,
                Summary = new(complaints.Count, allegations, sustained, disciplined),
            };
        }
    }
}
