using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using OpenConduct.Core.Import;
using OpenConduct.Core.Model;
using OpenConduct.Core.Officers;

namespace OpenConduct.Server.Commands;

/// <summary>
/// <c>identity-eval FOLDER</c>: measures the identity rules on a Chicago complaint-register folder (kept outside the
/// repository), where the same officers appear in several files: <c>accused.csv.gz</c>, <c>witnesses.csv.gz</c> and
/// <c>investigators.csv.gz</c>, each imported as its own source (joined to <c>complaints.csv.gz</c> for the complaint
/// dates) with a profile derived from the committed one. Prints figures only, never a name (docs/officers.md,
/// "Measuring the rules").
/// </summary>
internal static class IdentityEvalCommand
{
    /// <summary>The files measured, each a source: the label, the file, and its officer columns (the accused file's come from the committed profile).</summary>
    private static readonly (string Label, string Source, string File)[] Files =
    [
        ("accused", "CHI-ACCUSED", "accused.csv.gz"),
        ("witnesses", "CHI-WITNESS", "witnesses.csv.gz"),
        ("investigators", "CHI-INVESTIGATOR", "investigators.csv.gz"),
    ];

    public static Command Create()
    {
        var folderArgument = new Argument<DirectoryInfo>("folder")
        {
            Description = "A folder with complaints.csv.gz and at least two of accused.csv.gz, witnesses.csv.gz, investigators.csv.gz (the Chicago complaint register, 2000-2016).",
        };
        var profileOption = new Option<FileInfo>("--profile")
        {
            Description = "The committed Chicago profile, from which each file's profile is derived.",
            DefaultValueFactory = _ => new FileInfo(Path.Combine("samples", "profiles", "real", "chicago-cr-2000-2016.json")),
        };
        var command = new Command("identity-eval", "Measure the identity rules (pairs proposed, precision and recall against a proxy for the truth) on the Chicago roster, where one officer is in several files.")
        {
            folderArgument,
            profileOption,
        };
        command.SetAction(parse => Run(parse.GetValue(folderArgument)!, parse.GetValue(profileOption)!, Console.Out, Console.Error));
        return command;
    }

    public static int Run(DirectoryInfo folder, FileInfo profileFile, TextWriter output, TextWriter progress)
    {
        if (!folder.Exists || !File.Exists(Path.Combine(folder.FullName, "complaints.csv.gz")))
        {
            output.WriteLine($"identity-eval: {folder.FullName} has no complaints.csv.gz");
            return 2;
        }

        if (!profileFile.Exists)
        {
            output.WriteLine($"identity-eval: the profile {profileFile.FullName} does not exist (run from the repository root, or give --profile)");
            return 2;
        }

        var present = Files.Where(f => File.Exists(Path.Combine(folder.FullName, f.File))).ToList();
        if (present.Count < 2)
        {
            output.WriteLine($"identity-eval: {folder.FullName} has fewer than two of {string.Join(", ", Files.Select(f => f.File))}");
            return 2;
        }

        var committed = JsonNode.Parse(File.ReadAllText(profileFile.FullName), documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        var sources = new List<IdentityEvaluation.Source>();
        var files = new DirectoryExportFiles(folder.FullName);
        foreach (var (label, source, file) in present)
        {
            var profile = MappingProfileLoader.Parse(Derive(committed, label, source, file).ToJsonString(), $"identity-eval {label}");
            var records = new CanonicalRecordSet();
            progress.WriteLine($"identity-eval: importing {file} with the complaints");
            var report = new ExportImporter().Import(profile, files, records);
            if (!report.Succeeded)
            {
                output.WriteLine($"identity-eval: {file} did not import: {string.Join("; ", report.Failures)}");
                return 1;
            }

            sources.Add(new IdentityEvaluation.Source(label, records));
        }

        progress.WriteLine("identity-eval: measuring");
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        var measured = IdentityEvaluation.Run(sources);
        progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"identity-eval: measured in {stopwatch.Elapsed.TotalSeconds:0.0} s ({measured.Resolver.Count} resolutions, the slowest {measured.Resolver.Max(r => r.Elapsed.TotalSeconds):0.0} s)"));
        output.Write(measured.ToMarkdown());
        return 0;
    }

    /// <summary>
    /// The committed profile reduced to the complaints file and one file of officers, under its own source name. The
    /// accused file keeps its committed mapping; the witnesses and the investigators are read the same way (one row
    /// per officer and complaint, a constant category, so that each row is an allegation linking the officer to the
    /// complaint's dates).
    /// </summary>
    internal static JsonObject Derive(JsonObject committed, string label, string source, string file)
    {
        var profile = committed.DeepClone().AsObject();
        profile["name"] = "identity-eval-" + label;
        profile["source"] = source;
        var complaints = profile["files"]!.AsArray().Single(f => (string?)f!["name"] == "complaints")!.DeepClone();
        var officers = label switch
        {
            "accused" => profile["files"]!.AsArray().Single(f => (string?)f!["name"] == "accused")!.DeepClone(),
            "witnesses" => JsonNode.Parse($$"""
                {
                  "name": "witnesses", "path": "{{file}}", "holds": ["allegation", "officer"],
                  "format": { "nullTokens": ["-----"] },
                  "constants": { "allegation.category": "Other" },
                  "columns": {
                    "cr_id": "complaint.caseNumber",
                    "full_name": { "field": "officer.fullName", "nameOrder": "last-first" },
                    "birth_year": "officer.birthYear",
                    "appointed_date": "officer.hireDate",
                    "current_star": "officer.badge"
                  }
                }
                """)!,
            _ => JsonNode.Parse($$"""
                {
                  "name": "investigators", "path": "{{file}}", "holds": ["allegation", "officer"],
                  "constants": { "allegation.category": "Other" },
                  "columns": {
                    "cr_id": "complaint.caseNumber",
                    "full_name": { "field": "officer.fullName", "nameOrder": "last-first" },
                    "current_unit": "officer.unit",
                    "current_rank": "officer.rank",
                    "current_star": "officer.badge",
                    "appointed_date": "officer.hireDate"
                  }
                }
                """)!,
        };
        var name = (string)officers["name"]!;
        profile["files"] = new JsonArray(complaints, officers);
        profile["joins"] = new JsonArray(new JsonObject { ["file"] = name, ["entity"] = "complaint", ["on"] = new JsonArray("complaint.caseNumber") });
        return profile;
    }
}

/// <summary>
/// The measurement of <c>identity-eval</c>: each rule alone (<see cref="OfficerIdentityResolver.Pairs"/>) and the
/// resolver as configured, against a proxy for the truth computed from the unredacted values (docs/officers.md).
/// </summary>
internal static class IdentityEvaluation
{
    /// <summary>One file's records, imported as a source.</summary>
    public sealed record Source(string Label, CanonicalRecordSet Records);

    /// <summary>What a proxy says of two per-source officers.</summary>
    public enum Truth
    {
        Same,
        Different,

        /// <summary>The proxy cannot tell: what it needs is not published by both.</summary>
        Unknown,
    }

    /// <summary>A proxy for the truth, computed from the unredacted officers.</summary>
    public sealed record Proxy(string Name, string Definition, Func<Officer, Officer, Truth> Says);

    /// <summary>The two proxies: each leans on what some rules compare, so each is circular for those (docs/officers.md).</summary>
    public static IReadOnlyList<Proxy> Proxies { get; } =
    [
        new("A", "same name key and appointment date, a star or birth year both files publish agrees, nothing both publish (star, birth year, appointment date) differs", ByAppointment),
        new("B", "same name key and a star in common, the birth years agree where both files publish one (appointment dates not compared)", ByStar),
    ];

    /// <summary>Proxy A: the name key, the appointment date and a second identifier.</summary>
    public static Truth ByAppointment(Officer x, Officer y)
    {
        var (kx, ky) = (OfficerNames.Key(x.FirstName, x.LastName), OfficerNames.Key(y.FirstName, y.LastName));
        if (kx is null || ky is null)
        {
            return Truth.Unknown;
        }

        if (kx != ky)
        {
            return Truth.Different;
        }

        bool? hire = x.HireDate is { } hx && y.HireDate is { } hy ? hx.Value == hy.Value : null;
        var (bx, by) = (Badges(x), Badges(y));
        bool? badge = bx.Count > 0 && by.Count > 0 ? bx.Overlaps(by) : null;
        bool? birth = x.BirthYear is { } yx && y.BirthYear is { } yy ? yx == yy : null;
        if (hire == false || badge == false || birth == false)
        {
            return Truth.Different;
        }

        return hire == true && (badge == true || birth == true) ? Truth.Same : Truth.Unknown;
    }

    /// <summary>Proxy B: the name key and the star.</summary>
    public static Truth ByStar(Officer x, Officer y)
    {
        var (kx, ky) = (OfficerNames.Key(x.FirstName, x.LastName), OfficerNames.Key(y.FirstName, y.LastName));
        if (kx is null || ky is null)
        {
            return Truth.Unknown;
        }

        var (bx, by) = (Badges(x), Badges(y));
        if (kx != ky || (x.BirthYear is { } yx && y.BirthYear is { } yy && yx != yy) || (bx.Count > 0 && by.Count > 0 && !bx.Overlaps(by)))
        {
            return Truth.Different;
        }

        return bx.Count > 0 && by.Count > 0 ? Truth.Same : Truth.Unknown;
    }

    private static HashSet<string> Badges(Officer officer) =>
        [.. officer.Badges.Select(b => OfficerNames.Identifier(b.Number)).OfType<string>()];

    /// <summary>Measures every rule alone, and the resolver with and without birth years, with and without the candidate rules merging.</summary>
    public static Report Run(IReadOnlyList<Source> sources)
    {
        var byRef = new Dictionary<(string Source, string Ref), Officer>();
        foreach (var officer in sources.SelectMany(s => s.Records.Officers))
        {
            byRef[(officer.Source, officer.Key)] = officer;
        }

        var labelOf = sources.ToDictionary(s => s.Records.Officers.FirstOrDefault()?.Source ?? s.Label, s => s.Label, StringComparer.Ordinal);
        var order = sources.Select(s => s.Label).ToList();
        string PairLabel(string a, string b)
        {
            var (la, lb) = (labelOf[a], labelOf[b]);
            return order.IndexOf(la) <= order.IndexOf(lb) ? $"{la} - {lb}" : $"{lb} - {la}";
        }

        // Each proxy's positives: pairs of officers of two sources with the same name key that it calls the same person.
        var positives = Proxies.ToDictionary(p => p.Name, _ => new Dictionary<string, long>(StringComparer.Ordinal));
        var unknownPairs = Proxies.ToDictionary(p => p.Name, _ => new Dictionary<string, long>(StringComparer.Ordinal));
        foreach (var block in byRef.Values.Where(o => OfficerNames.Key(o.FirstName, o.LastName) is not null).GroupBy(o => OfficerNames.Key(o.FirstName, o.LastName)!))
        {
            var officers = block.ToList();
            for (var i = 0; i < officers.Count; i++)
            {
                for (var j = i + 1; j < officers.Count; j++)
                {
                    if (officers[i].Source == officers[j].Source)
                    {
                        continue;
                    }

                    var label = PairLabel(officers[i].Source, officers[j].Source);
                    foreach (var proxy in Proxies)
                    {
                        var counts = proxy.Says(officers[i], officers[j]) switch { Truth.Same => positives[proxy.Name], Truth.Unknown => unknownPairs[proxy.Name], _ => null };
                        if (counts is not null)
                        {
                            counts[label] = counts.GetValueOrDefault(label) + 1;
                        }
                    }
                }
            }
        }

        var pairLabels = new List<string>();
        for (var a = 0; a < order.Count; a++)
        {
            for (var b = a + 1; b < order.Count; b++)
            {
                pairLabels.Add($"{order[a]} - {order[b]}");
            }
        }

        Row Measure(Proxy proxy, string what, string pairLabel, IEnumerable<(OfficerSourceRef First, OfficerSourceRef Second)> pairs)
        {
            long proposed = 0, same = 0, different = 0;
            foreach (var (first, second) in pairs)
            {
                if (pairLabels.Contains(pairLabel) && PairLabel(first.Source, second.Source) != pairLabel)
                {
                    continue;
                }

                proposed++;
                switch (proxy.Says(byRef[(first.Source, first.OfficerRef)], byRef[(second.Source, second.OfficerRef)]))
                {
                    case Truth.Same: same++; break;
                    case Truth.Different: different++; break;
                }
            }

            var positive = !pairLabels.Contains(pairLabel) ? positives[proxy.Name].Values.Sum() : positives[proxy.Name].GetValueOrDefault(pairLabel);
            return new Row(proxy.Name, what, pairLabel, proposed, same, different, positive);
        }

        IEnumerable<Row> Each(string what, List<(OfficerSourceRef, OfficerSourceRef)> pairs) =>
            Proxies.SelectMany(p => pairLabels.Select(l => Measure(p, what, l, pairs)).Append(Measure(p, what, "all", pairs)));

        var report = new Report
        {
            Officers = sources.ToDictionary(s => s.Label, s => s.Records.Officers.Count),
            Positives = Proxies.ToDictionary(p => p.Name, p => pairLabels.ToDictionary(l => l, l => positives[p.Name].GetValueOrDefault(l))),
            Undetermined = Proxies.ToDictionary(p => p.Name, p => pairLabels.ToDictionary(l => l, l => unknownPairs[p.Name].GetValueOrDefault(l))),
        };

        var withBirthYears = Published(sources, birthYears: true);
        var cases = Cases(sources);
        foreach (var rule in Enum.GetValues<IdentityRule>().Where(r => r != IdentityRule.Override))
        {
            report.Rules.AddRange(Each(OfficerIdentityResolver.Name(rule), [.. OfficerIdentityResolver.Pairs(rule, withBirthYears, cases)]));
        }

        var noBirthYears = Published(sources, birthYears: false);
        var all = new IdentityOptions { AutoMerge = [.. IdentityOptions.CandidateRules] };
        foreach (var (name, officers, options) in new[]
        {
            ("birth years published, candidates undecided", withBirthYears, IdentityOptions.Default),
            ("birth years published, candidate rules merging", withBirthYears, all),
            ("no birth years (Minnesota), candidates undecided", noBirthYears, IdentityOptions.Default),
            ("no birth years (Minnesota), candidate rules merging", noBirthYears, all),
        })
        {
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            var resolution = OfficerIdentityResolver.Resolve(officers, options: options, cases: cases);
            var elapsed = stopwatch.Elapsed;
            var merged = resolution.Groups
                .Where(g => g.Members.Count > 1)
                .SelectMany(g => g.Members.SelectMany((m, i) => g.Members.Skip(i + 1).Select(n => (m, n))))
                .ToList();
            var undecided = resolution.Report.Candidates
                .Where(c => c.Decision == CandidateDecision.Undecided)
                .SelectMany(c => c.Pairs)
                .Select(p => (Ref(p.First), Ref(p.Second)))
                .ToList();
            var either = merged.Concat(undecided).Distinct().ToList();
            report.Resolver.Add(new Resolved(
                name,
                [.. Proxies.SelectMany(p => new[] { Measure(p, name, "merged", merged), Measure(p, name, "undecided candidates", undecided), Measure(p, name, "merged or undecided", either) })],
                resolution.Report.Counts)
            {
                Elapsed = elapsed,
            });
        }

        return report;
    }

    private static OfficerSourceRef Ref(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return new OfficerSourceRef(text[..colon], text[(colon + 1)..]);
    }

    /// <summary>The officers as a policy that publishes every identifier would (the reference is the import's key, kept in memory only).</summary>
    private static List<PublishedOfficer> Published(IReadOnlyList<Source> sources, bool birthYears) =>
        [.. sources.SelectMany(s => s.Records.Officers).Select(o => new PublishedOfficer
        {
            Source = o.Source,
            OfficerRef = o.Key,
            EmployeeId = o.EmployeeId,
            FirstName = o.FirstName,
            MiddleName = o.MiddleName,
            LastName = o.LastName,
            Suffix = o.Suffix,
            Badges = [.. o.Badges.Select(b => new PublishedBadge(b.Number, b.From, b.To))],
            Rank = o.Rank,
            Unit = o.Unit,
            BirthYear = birthYears ? o.BirthYear : null,
            HireDate = o.HireDate?.ToString(),
        })];

    /// <summary>The complaints with the allegations naming each officer (for the complaint years).</summary>
    private static List<PublishedCase> Cases(IReadOnlyList<Source> sources)
    {
        var cases = new List<PublishedCase>();
        foreach (var source in sources)
        {
            var allegations = source.Records.Allegations.Where(a => !a.OfficerUnidentified).ToLookup(a => a.CaseNumber, StringComparer.Ordinal);
            foreach (var complaint in source.Records.Complaints)
            {
                cases.Add(new PublishedCase
                {
                    Source = complaint.Source,
                    CaseNumber = complaint.CaseNumber,
                    ReceivedDate = complaint.ReceivedDate?.ToString(),
                    IncidentDate = complaint.IncidentDate?.ToString(),
                    Allegations = [.. allegations[complaint.CaseNumber].Select(a => new PublishedAllegation { OfficerRef = a.OfficerKey })],
                });
            }
        }

        return cases;
    }

    /// <summary>One rule (or resolver outcome) on one pair of files: pairs proposed, and what the proxy says of them.</summary>
    public sealed record Row(string Proxy, string What, string Files, long Proposed, long Same, long Different, long Positives)
    {
        public long Unknown => Proposed - Same - Different;

        /// <summary>Same / (same + different): the pairs the proxy cannot decide are left out.</summary>
        public double? Precision => Same + Different == 0 ? null : (double)Same / (Same + Different);

        /// <summary>Same / the proxy's positives.</summary>
        public double? Recall => Positives == 0 ? null : (double)Same / Positives;
    }

    /// <summary>The resolver in one configuration.</summary>
    public sealed record Resolved(string Name, IReadOnlyList<Row> Rows, IdentityCounts Counts)
    {
        /// <summary>How long the resolution took (reported on standard error, not in the figures).</summary>
        public TimeSpan Elapsed { get; init; }
    }

    public sealed class Report
    {
        public required Dictionary<string, int> Officers { get; init; }
        public required Dictionary<string, Dictionary<string, long>> Positives { get; init; }
        public required Dictionary<string, Dictionary<string, long>> Undetermined { get; init; }
        public List<Row> Rules { get; } = [];
        public List<Resolved> Resolver { get; } = [];

        public string ToMarkdown()
        {
            var w = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
            w.WriteLine("Per-source officers: " + string.Join(", ", Officers.Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key} {o.Value:N0}"))));
            foreach (var proxy in Proxies)
            {
                w.WriteLine($"Proxy {proxy.Name}: {proxy.Definition}. Positives (pairs): "
                    + string.Join(", ", Positives[proxy.Name].Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:N0}")))
                    + "; same name key, undetermined: " + string.Join(", ", Undetermined[proxy.Name].Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Value:N0}"))));
            }

            w.WriteLine();
            w.WriteLine("Each rule alone (birth years published):");
            w.WriteLine();
            w.WriteLine("| Proxy | Rule | Files | Pairs proposed | Same | Different | Undetermined | Precision | Recall |");
            w.WriteLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var row in Rules.OrderBy(r => r.Proxy, StringComparer.Ordinal))
            {
                w.WriteLine(Line(row));
            }

            w.WriteLine();
            w.WriteLine("The resolver, all files together:");
            w.WriteLine();
            w.WriteLine("| Proxy | Configuration | Pairs | Pairs proposed | Same | Different | Undetermined | Precision | Recall |");
            w.WriteLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var row in Resolver.SelectMany(r => r.Rows).OrderBy(r => r.Proxy, StringComparer.Ordinal))
            {
                w.WriteLine(Line(row));
            }

            w.WriteLine();
            foreach (var resolved in Resolver)
            {
                var c = resolved.Counts;
                w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{resolved.Name}: {c.Groups:N0} officers, {c.MergedGroups:N0} merged; links {string.Join(", ", c.LinksByRule.Where(l => l.Value > 0).Select(l => $"{OfficerIdentityResolver.Name(l.Key)} {l.Value:N0}"))}; {c.Ambiguities:N0} ambiguities, {c.Candidates:N0} candidate sets ({c.Undecided:N0} undecided); not candidates: {string.Join(", ", c.NotCandidates.Select(n => $"{OfficerIdentityResolver.Name(n.Key)} {n.Value:N0}"))}"));
            }

            return w.ToString();
        }

        private static string Line(Row row) => string.Create(CultureInfo.InvariantCulture,
            $"| {row.Proxy} | {row.What} | {row.Files} | {row.Proposed:N0} | {row.Same:N0} | {row.Different:N0} | {row.Unknown:N0} | {Ratio(row.Precision)} | {Ratio(row.Recall)} |");
        private static string Ratio(double? value) => value is { } v ? v.ToString("0.000", CultureInfo.InvariantCulture) : "-";
    }
}
