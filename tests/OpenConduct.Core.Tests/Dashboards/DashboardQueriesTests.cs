using OpenConduct.Core.Dashboards;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Model;
using OpenConduct.Core.Tests.Disclosure;
using static OpenConduct.Core.Dashboards.DashboardDimensions;
using static OpenConduct.Core.Tests.Dashboards.DashboardKit;

namespace OpenConduct.Core.Tests.Dashboards;

/// <summary>The OPCR sample's facts under the Minnesota policy (k = 10) and under k = 1 (every count published).</summary>
public sealed class SampleFacts
{
    public SampleFacts()
    {
        var (records, report) = Release.ReleaseTestKit.ImportSample("opcr");
        var input = Release.ReleaseTestKit.Input(records, report) with { Source = "opcr" };
        Allegations = input.Records.Cases.Sum(c => c.Allegations.Count);
        Complaints = input.Records.Cases.Count;
        Minnesota = DashboardFacts.Combine([DashboardFactsBuilder.Build(input)]);
        var open = Release.ReleaseTestKit.Input(records, report, MinnesotaWithK(1)) with { Source = "opcr" };
        Open = DashboardFacts.Combine([DashboardFactsBuilder.Build(open)]);
    }

    public DashboardFacts Minnesota { get; }

    public DashboardFacts Open { get; }

    public int Allegations { get; }

    public int Complaints { get; }
}

/// <summary>
/// The dashboards answered from facts: every dashboard and option, drill-down on every dimension, suppression of
/// every cell and total under k (with complementary suppression, and nothing at all below k matching), the request
/// checks and their messages.
/// </summary>
public sealed class DashboardQueriesTests(SampleFacts sample) : IClassFixture<SampleFacts>
{
    public static TheoryData<string, string?, string, string?, string> Shapes => new()
    {
        { "allegations-map", null, "precinct", null, "allegations" },
        { "demographics", null, "complainantRace", "category", "allegations" },
        { "demographics", "by=officerSex", "officerSex", "category", "allegations" },
        { "demographics", "by=complainantAgeBand", "complainantAgeBand", "category", "allegations" },
        { "intake-decisions", null, "year", "intake", "complaints" },
        { "intake-decisions", "interval=month", "month", "intake", "complaints" },
        { "discipline-outcomes", null, "finding", "discipline", "allegations" },
        { "complaints-over-time", null, "year", "source", "complaints" },
        { "complaints-over-time", "interval=month", "month", "source", "complaints" },
        { "allegations-over-time", null, "year", "category", "allegations" },
        { "allegations-over-time", "interval=month", "month", "category", "allegations" },
        { "allegation-types", null, "category", "finding", "allegations" },
        { "timeliness", null, "days", "state", "complaints" },
        { "timelines", null, "year", "source", "complaints" },
        { "timelines", "to=discipline", "year", "source", "complaints" },
        { "recommended-vs-final", null, "recommendedDiscipline", "discipline", "allegations" },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Every_dashboard_answers_with_its_rows_columns_and_measure(string name, string? option, string rows, string? columns, string measure)
    {
        var query = option is null ? [] : new[] { (option.Split('=')[0], option.Split('=')[1]) };
        var open = Run(sample.Open, name, query);
        var minnesota = Run(sample.Minnesota, name, query);

        foreach (var response in new[] { open, minnesota })
        {
            Assert.Equal(name, response.Name);
            Assert.Equal(measure, response.Measure);
            Assert.Equal(rows, response.Rows.Dimension);
            Assert.Equal(columns, response.Columns?.Dimension);
            Assert.Equal(response.Rows.Values.Count, response.Cells.Count);
            Assert.Equal(response.Rows.Values.Count, response.RowTotals.Count);
            Assert.All(response.Cells, row => Assert.Equal(response.Columns?.Values.Count ?? 1, row.Count));
            Assert.Equal(columns is null, response.ColumnTotals is null);
            Assert.NotEmpty(response.Notes);
            Assert.Empty(response.Filters);
        }

        Assert.Equal(1, open.K);
        Assert.Equal(10, minnesota.K);
        Assert.Empty(open.Suppressed);
        if (name == "recommended-vs-final")
        {
            Assert.Equal(0, open.Total);   // Minnesota withholds recommendations: nothing of the sample is counted
        }
        else if (name is not ("timeliness" or "timelines"))
        {
            Assert.Equal(measure == "allegations" ? sample.Allegations : sample.Complaints, open.Total);
        }

        Verify(minnesota, open);
    }

    [Fact]
    public void A_series_has_one_value_per_row_and_its_row_totals_repeat_them()
    {
        var map = Run(sample.Open, "allegations-map");
        Assert.Null(map.Columns);
        Assert.Null(map.ColumnTotals);
        Assert.Equal(map.Cells.Select(c => c[0]), map.RowTotals);
        Assert.Equal(["1", "2", "3", "4", "5"], map.Rows.Values);   // the precinct ids the records carry
        Assert.NotNull(map.Points);
    }

    [Fact]
    public void Drill_down_on_every_value_of_every_dimension_partitions_the_allegations()
    {
        var all = Run(sample.Open, "allegation-types").Total!.Value;
        for (var d = 0; d < Count; d++)
        {
            long sum = 0;
            foreach (var value in sample.Open.ValuesOf(d))
            {
                var response = Run(sample.Open, "allegation-types", (All[d].Name, value));
                Assert.Equal(value, response.Filters[All[d].Name]);
                Assert.True(response.Total <= all);
                sum += response.Total!.Value;
            }

            // Minnesota withholds recommendations: no allegation has a value of recommendedDiscipline.
            var expected = d == RecommendedDiscipline ? 0 : all;
            Assert.True(expected == sum, $"{All[d].Name}: the values add up to {sum} allegations of {expected}");
        }
    }

    [Fact]
    public void The_counts_equal_a_plain_scan_of_the_facts_for_random_filters()
    {
        // The queries start from the most selective filter's postings, or scan when it matches most facts; a plain
        // scan of every fact must give the same table, for allegations and for distinct complaints.
        var facts = sample.Open;
        var random = new Random(20261123);
        for (var q = 0; q < 400; q++)
        {
            var query = new List<(string, string)>();
            foreach (var d in Enumerable.Range(0, Count).OrderBy(_ => random.Next()).Take(1 + random.Next(3)))
            {
                var values = facts.ValuesOf(d).Where(v => v != Unknown || random.Next(4) == 0).ToList();
                var value = values[random.Next(values.Count)];
                query.Add((All[d].Name, d == Month && value != Unknown && random.Next(2) == 0 ? $"{facts.ValuesOf(Year)[random.Next(facts.ValuesOf(Year).Count - 1)]}-{value}" : value));
            }

            foreach (var (name, rows, columns, complaints) in new[] { ("allegation-types", Category, DashboardDimensions.Finding, false), ("complaints-over-time", Year, Source, true), ("intake-decisions", Year, Intake, true) })
            {
                var response = Run(facts, name, [.. query]);
                var (request, _) = DashboardQueries.Parse(facts, name, query.Select(x => new KeyValuePair<string, string?[]>(x.Item1, [x.Item2])));
                var expected = new Dictionary<(string, string), long>();
                var counted = new HashSet<int>();
                for (var i = 0; i < facts.FactCount; i++)
                {
                    if ((!complaints && facts.IsAllegation[i] == 0) || !request!.Compiled.All(f => f.Codes[i] == f.Code) || (complaints && !counted.Add(facts.ComplaintOf[i])))
                    {
                        continue;
                    }

                    var key = (facts.ValuesOf(rows)[facts.Columns[rows][i]], facts.ValuesOf(columns)[facts.Columns[columns][i]]);
                    expected[key] = expected.GetValueOrDefault(key) + 1;
                }

                var where = $"{name}?{string.Join('&', query.Select(x => $"{x.Item1}={x.Item2}"))}";
                Assert.True(expected.Values.Sum() == response.Total, $"{where}: {response.Total} instead of {expected.Values.Sum()}");
                for (var r = 0; r < response.Rows.Values.Count; r++)
                {
                    for (var c = 0; c < response.Columns!.Values.Count; c++)
                    {
                        Assert.Equal(expected.GetValueOrDefault((response.Rows.Values[r], response.Columns.Values[c])), response.Cells[r][c]);
                    }
                }
            }
        }
    }

    [Fact]
    public void Complaints_are_counted_once_however_many_of_their_allegations_match()
    {
        var complaints = Run(sample.Open, "complaints-over-time").Total!.Value;
        for (var d = 0; d < Count; d++)
        {
            var sum = sample.Open.ValuesOf(d).Sum(v => Run(sample.Open, "complaints-over-time", (All[d].Name, v)).Total!.Value);
            if (All[d].Level == DimensionLevel.Complaint)
            {
                Assert.True(sum == complaints, $"{All[d].Name}: {sum} of {complaints}");
            }
            else if (d == RecommendedDiscipline)
            {
                Assert.True(sum == 0, $"{All[d].Name}: {sum} complaints, where Minnesota publishes no recommendation");
            }
            else
            {
                Assert.True(sum >= complaints, $"{All[d].Name}: {sum} of {complaints}");
            }
        }

        var kit = new DashboardKit().Officer("o1", Race.White, Sex.Male);
        kit.Case(new DateOnly(2024, 5, 1), allegations: [new("UseOfForce"), new("UseOfForce"), new("UseOfForce"), new("Language")]);
        kit.Case(new DateOnly(2024, 6, 1), allegations: [new("Language")]);
        var facts = DashboardFacts.Combine([kit.Facts(MinnesotaWithK(1))]);
        Assert.Equal(1, Run(facts, "complaints-over-time", ("category", "UseOfForce")).Total);
        Assert.Equal(2, Run(facts, "complaints-over-time", ("category", "Language")).Total);
        Assert.Equal(3, Run(facts, "allegation-types", ("category", "UseOfForce")).Total);
        Assert.Equal(2, Run(facts, "intake-decisions").Total);
    }

    [Fact]
    public void Filters_combine_and_month_takes_a_month_of_the_year_or_of_one_year()
    {
        var year = sample.Open.ValuesOf(Year).First(y => y != Unknown);
        var both = Run(sample.Open, "complaints-over-time", ("year", year), ("month", "03"), ("interval", "month"));
        var one = Run(sample.Open, "complaints-over-time", ("month", $"{year}-03"), ("interval", "month"));
        Assert.Equal(both.Total, one.Total);
        Assert.Equal(both.Cells, one.Cells);
        Assert.Equal(new Dictionary<string, string> { ["year"] = year, ["month"] = "03" }, both.Filters);
        Assert.Equal($"{year}-03", one.Filters["month"]);
        Assert.Equal(new Dictionary<string, string> { ["interval"] = "month" }, one.Options);

        var precinct = Run(sample.Open, "allegation-types", ("precinct", "3"));
        var narrower = Run(sample.Open, "allegation-types", ("precinct", "3"), ("status", "Closed"), ("officerSex", "Male"));
        Assert.True(narrower.Total <= precinct.Total);
        Assert.Equal(3, narrower.Filters.Count);
    }

    [Fact]
    public void Time_rows_run_from_the_first_to_the_last_row_with_a_count()
    {
        var year = sample.Open.ValuesOf(Year).First(y => y != Unknown);
        var byYear = Run(sample.Open, "complaints-over-time", ("year", year));
        Assert.Equal([year], byYear.Rows.Values);
        var byMonth = Run(sample.Open, "intake-decisions", ("year", year), ("interval", "month"));
        Assert.All(byMonth.Rows.Values, m => Assert.StartsWith(year + "-", m, StringComparison.Ordinal));
        Assert.NotEqual(0, byMonth.RowTotals[0]);
        Assert.NotEqual(0, byMonth.RowTotals[^1]);
    }

    [Fact]
    public void Small_cells_are_hidden_with_complementary_suppression_and_the_rest_are_the_true_counts()
    {
        // allegation-types, k = 10: UseOfForce 20 / 30 / 3 (Sustained / NotSustained / Exonerated), Language 12 / 15 / 0,
        // Procedure 11 / 14 / 12: the 3 is below k, and others must go with it so that no total gives it away.
        var kit = new DashboardKit().Officer("o1", Race.White, Sex.Male);
        void Add(string category, Model.Finding finding, int count)
        {
            for (var i = 0; i < count; i++)
            {
                kit.Case(new DateOnly(2023, 1 + (i % 12), 1), allegations: [new(category, Finding: finding)]);
            }
        }

        Add("UseOfForce", Model.Finding.Sustained, 20);
        Add("UseOfForce", Model.Finding.NotSustained, 30);
        Add("UseOfForce", Model.Finding.Exonerated, 3);
        Add("Language", Model.Finding.Sustained, 12);
        Add("Language", Model.Finding.NotSustained, 15);
        Add("Procedure", Model.Finding.Sustained, 11);
        Add("Procedure", Model.Finding.NotSustained, 14);
        Add("Procedure", Model.Finding.Exonerated, 12);
        var minnesota = DashboardFacts.Combine([kit.Facts()]);
        var open = DashboardFacts.Combine([kit.Facts(MinnesotaWithK(1))]);

        var table = Run(minnesota, "allegation-types");
        var truth = Run(open, "allegation-types");
        Assert.Null(Cell(table, "UseOfForce", "Exonerated"));
        var exonerated = table.Columns!.Values.ToList().IndexOf("Exonerated");
        var useOfForce = table.Rows.Values.ToList().IndexOf("UseOfForce");
        Assert.Contains(new DashboardSuppressedCell(useOfForce, exonerated, "belowThreshold"), table.Suppressed);
        Assert.Contains(table.Suppressed, s => s.Reason == "complementary");
        Assert.Equal(0, Cell(table, "Language", "Exonerated"));   // zero identifies no one
        Assert.Equal(30, Cell(table, "UseOfForce", "NotSustained"));
        Assert.Equal(117, table.Total);
        Verify(table, truth);
    }

    [Fact]
    public void Fewer_than_k_matching_publishes_nothing_not_even_the_zeros()
    {
        var kit = new DashboardKit().Officer("o1", Race.White, Sex.Male);
        for (var i = 0; i < 30; i++)
        {
            kit.Case(new DateOnly(2023, 1, 1), precinct: i < 4 ? "9" : "1", allegations: [new("UseOfForce")]);
        }

        var facts = DashboardFacts.Combine([kit.Facts()]);
        var few = Run(facts, "allegation-types", ("precinct", "9"));   // 4 allegations, all UseOfForce / NotSustained
        Assert.All(few.Cells.SelectMany(c => c), Assert.Null);
        Assert.All(few.RowTotals, Assert.Null);
        Assert.All(few.ColumnTotals!, Assert.Null);
        Assert.Null(few.Total);
        Assert.Equal((few.Rows.Values.Count + 1) * (few.Columns!.Values.Count + 1), few.Suppressed.Count);
        Assert.All(few.Suppressed, s => Assert.Equal("belowThreshold", s.Reason));
        Assert.Contains(few.Notes, n => n.StartsWith("Fewer than 10 allegations match", StringComparison.Ordinal));

        // Time rows are not trimmed to the few: they would tell when those complaints came.
        var overTime = Run(facts, "complaints-over-time", ("precinct", "9"), ("interval", "month"));
        Assert.Equal((facts.ValuesOf(Year).Count(y => y != Unknown) * 12) + 1, overTime.Rows.Values.Count);   // every month, and Unknown
        Assert.All(overTime.Cells.SelectMany(c => c), Assert.Null);
        Assert.Equal(["2023-01"], Run(facts, "complaints-over-time", ("interval", "month")).Rows.Values);

        var none = Run(facts, "allegation-types", ("precinct", "9"), ("finding", "Sustained"));   // nothing matches: zeros
        Assert.Equal(0, none.Total);
        Assert.Empty(none.Suppressed);
    }

    [Fact]
    public void The_threshold_is_the_policys_and_the_largest_when_sources_are_combined()
    {
        var kit = new DashboardKit().Officer("o1", Race.White, Sex.Male);
        for (var i = 0; i < 15; i++)
        {
            kit.Case(new DateOnly(2023, 1, 1), allegations: [new("UseOfForce")]);
        }

        var minnesota = DashboardFacts.Combine([kit.Facts()]);
        Assert.Equal(15, Run(minnesota, "allegation-types").Total);
        var strict = DashboardFacts.Combine([kit.Facts(RedactorTests.Strict)]);
        Assert.Equal(20, Run(strict, "allegation-types").K);
        Assert.Null(Run(strict, "allegation-types").Total);      // 15 < 20

        var other = new DashboardKit { Source = "IAU" }.Officer("o1", Race.White, Sex.Male);
        other.Case(new DateOnly(2023, 1, 1), allegations: [new("UseOfForce")]);
        var combined = DashboardFacts.Combine([kit.Facts(), other.Facts(RedactorTests.Strict, source: "iau")]);
        var table = Run(combined, "complaints-over-time");
        Assert.Equal(20, table.K);
        Assert.Equal(["iau", "opcr"], table.Columns!.Values);
        Assert.Contains(table.Notes, n => n.Contains("largest threshold", StringComparison.Ordinal));
    }

    [Fact]
    public void The_map_shows_hundred_blocks_with_at_least_k_allegations_and_no_sensitive_location()
    {
        var kit = new DashboardKit().Officer("o1", Race.White, Sex.Male);
        for (var i = 0; i < 12; i++)
        {
            kit.Case(new DateOnly(2023, 1, 1), precinct: "3", address: $"34{i:00} Nicollet Ave S", allegations: [new("UseOfForce")]);
        }

        for (var i = 0; i < 3; i++)
        {
            kit.Case(new DateOnly(2023, 1, 1), precinct: "3", address: $"12{i:00} Lake St", allegations: [new("UseOfForce")]);
        }

        for (var i = 0; i < 10; i++)
        {
            kit.Case(new DateOnly(2023, 1, 1), precinct: "3", address: "900 Hennepin Ave", sensitivity: Sensitivity.Juvenile, allegations: [new("UseOfForce")]);
        }

        var map = Run(DashboardFacts.Combine([kit.Facts()]), "allegations-map");
        var point = Assert.Single(map.Points!);
        Assert.Equal(new DashboardPoint("3400 block of Nicollet Ave S", "3", 12), point);
        Assert.Equal(25, Cell(map, "3"));
        Assert.Empty(Run(DashboardFacts.Combine([kit.Facts()]), "allegations-map", ("year", "2023"), ("finding", "Sustained")).Points!);

        var strict = Run(DashboardFacts.Combine([kit.Facts(RedactorTests.Strict)]), "allegations-map");
        Assert.Empty(strict.Points!);
        Assert.Contains(strict.Notes, n => n.Contains("no hundred-block locations", StringComparison.Ordinal));
    }

    [Fact]
    public void Time_rows_say_the_last_month_of_the_data_when_the_last_year_is_not_whole()
    {
        var kit = new DashboardKit().Officer("o1", Race.White, Sex.Male);
        for (var i = 0; i < 12; i++)
        {
            kit.Case(new DateOnly(2015, 1 + i, 5), allegations: [new("UseOfForce")]);
            kit.Case(new DateOnly(2016, 1 + (i % 10), 5), allegations: [new("UseOfForce")]);   // 2016 ends in October
        }

        var facts = DashboardFacts.Combine([kit.Facts()]);
        Assert.Equal("2016-10", facts.LastMonth);
        Assert.Equal("2016-10", Run(facts, "complaints-over-time").DataThrough);
        Assert.Equal("2016-10", Run(facts, "allegations-over-time", ("interval", "month")).DataThrough);
        Assert.Equal("2016-10", Run(facts, "complaints-over-time", ("precinct", "1")).DataThrough);   // the data's end, not the filter's
        Assert.Null(Run(facts, "allegation-types").DataThrough);

        kit.Case(new DateOnly(2016, 12, 1), allegations: [new("UseOfForce")]);
        Assert.Null(Run(DashboardFacts.Combine([kit.Facts()]), "complaints-over-time").DataThrough);   // a whole last year
    }

    [Fact]
    public void Timeliness_gives_the_median_only_when_at_least_k_closed_complaints_match()
    {
        var kit = new DashboardKit().Officer("o1", Race.White, Sex.Male);
        for (var i = 0; i < 12; i++)
        {
            kit.Case(new DateOnly(2023, 1, 1), precinct: i < 3 ? "2" : "1", daysToClose: 10 * (i + 1), allegations: [new("UseOfForce")]);
        }

        var facts = DashboardFacts.Combine([kit.Facts()]);
        Assert.Equal(60, Run(facts, "timeliness").MedianDaysToClose);   // 10..120: the lower median is the 6th, 60
        Assert.Null(Run(facts, "timeliness", ("precinct", "2")).MedianDaysToClose);
        Assert.Equal(3, Run(DashboardFacts.Combine([kit.Facts(MinnesotaWithK(1))]), "timeliness", ("days", "0-30")).Total);
    }

    [Fact]
    public void Unknown_dashboards_parameters_values_and_options_are_refused_with_what_is_allowed()
    {
        var facts = sample.Minnesota;
        var missing = Problem(facts, "allegation-kinds");
        Assert.Equal(404, missing.Status);
        Assert.Equal(DashboardDefinitions.All.Select(d => d.Name), missing.Allowed);
        Assert.Equal(
            ["allegations-map", "demographics", "intake-decisions", "discipline-outcomes", "complaints-over-time", "allegations-over-time", "allegation-types", "timeliness", "timelines", "recommended-vs-final"],
            missing.Allowed);

        var parameter = Problem(facts, "allegation-types", ("colour", "red"));
        Assert.Equal(400, parameter.Status);
        Assert.Contains("'colour'", parameter.Detail, StringComparison.Ordinal);
        Assert.Equal([.. All.Select(d => d.Name), "days"], parameter.Allowed);
        Assert.Contains("interval", Problem(facts, "complaints-over-time", ("colour", "red")).Allowed);

        var value = Problem(facts, "allegation-types", ("precinct", "99"));
        Assert.Equal(400, value.Status);
        Assert.Equal(facts.ValuesOf(Precinct), value.Allowed);
        Assert.DoesNotContain("99", value.Detail, StringComparison.Ordinal);   // the value asked for is not echoed
        Assert.Equal(facts.ValuesOf(Month), Problem(facts, "allegation-types", ("month", "13")).Allowed);
        Assert.Equal(400, Problem(facts, "allegation-types", ("month", "1850-01")).Status);
        Assert.Equal(400, Problem(facts, "allegation-types", ("year", "")).Status);
        Assert.Equal(DashboardFacts.DayBands, Problem(facts, "timeliness", ("days", "1-2")).Allowed);

        var option = Problem(facts, "demographics", ("by", "officerAge"));
        Assert.Equal(["complainantRace", "complainantSex", "complainantAgeBand", "officerRace", "officerSex"], option.Allowed);
        Assert.Equal(["year", "month"], Problem(facts, "intake-decisions", ("interval", "week")).Allowed);
        Assert.Equal(400, Problem(facts, "allegation-types", ("by", "officerSex")).Status);   // an option of another dashboard

        var (_, twice) = DashboardQueries.Parse(facts, "allegation-types", [new("year", ["2020", "2021"])]);
        Assert.Equal(400, twice!.Status);

        // Names and values ignore case; the response echoes the canonical spelling.
        var relaxed = Run(facts, "Allegation-Types", ("Category", "useofforce"), ("STATUS", "closed"));
        Assert.Equal(new Dictionary<string, string> { ["category"] = "UseOfForce", ["status"] = "Closed" }, relaxed.Filters);
    }

    [Fact]
    public void The_catalog_lists_every_dimension_with_its_values_and_every_dashboard()
    {
        var catalog = DashboardDefinitions.Catalog(sample.Minnesota);
        Assert.Equal(10, catalog.K);
        Assert.Equal(
            ["year", "month", "precinct", "source", "category", "finding", "discipline", "intake", "status", "complainantRace", "complainantSex", "complainantAgeBand", "officerRace", "officerSex", "recommendedDiscipline"],
            catalog.Dimensions.Select(d => d.Name));
        Assert.Equal(["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "Unknown"], catalog.Dimensions[Month].Values);
        Assert.Equal(["opcr"], catalog.Dimensions[Source].Values);
        Assert.All(catalog.Dimensions, d => Assert.NotEmpty(d.Values));
        var map = catalog.Dashboards[0];
        Assert.Equal(("allegations-map", "allegations", "precinct", (string?)null), (map.Name, map.Measure, map.Rows, map.Columns));
        Assert.Null(map.Options);
        var demographics = catalog.Dashboards.Single(d => d.Name == "demographics");
        Assert.Equal("complainantRace", demographics.Rows);
        Assert.Equal("complainantRace", demographics.Defaults!["by"]);
        Assert.Equal(["year", "month"], catalog.Dashboards.Single(d => d.Name == "complaints-over-time").Options!["interval"]);
        Assert.Equal("opcr", Assert.Single(catalog.Releases).Source);
    }

    /// <summary>
    /// A suppressed table against the true counts of the same request (k = 1): every published value is the true one,
    /// every hidden one is null and listed, no published count is below k, and no line with a published total hides
    /// exactly one cell or cells summing to less than k (subtraction would give it back).
    /// </summary>
    private static void Verify(DashboardResponse table, DashboardResponse ungrouped)
    {
        var truth = Regroup(ungrouped, table);
        var k = table.K;
        Assert.Equal(truth.Rows.Dimension, table.Rows.Dimension);
        Assert.Equal(truth.Rows.Values, table.Rows.Values);
        var width = table.Cells.Count == 0 ? 0 : table.Cells[0].Count;
        var listed = table.Suppressed.Select(s => (s.Row, s.Column)).ToHashSet();
        Assert.Equal(table.Suppressed.Count, listed.Count);
        void Check(long? published, long actual, int? row, int? column)
        {
            if (published is { } value)
            {
                Assert.Equal(actual, value);
                Assert.True(value == 0 || value >= k, $"published {value} below k = {k} at ({row}, {column})");
                Assert.DoesNotContain((row, column), listed);
            }
            else
            {
                Assert.Contains((row, column), listed);
            }
        }

        for (var r = 0; r < table.Cells.Count; r++)
        {
            for (var c = 0; c < width; c++)
            {
                Check(table.Cells[r][c], truth.Cells[r][c]!.Value, r, c);
            }

            Check(table.RowTotals[r], truth.RowTotals[r]!.Value, r, null);
        }

        if (table.ColumnTotals is { } columnTotals)
        {
            for (var c = 0; c < width; c++)
            {
                Check(columnTotals[c], truth.ColumnTotals![c]!.Value, null, c);
            }
        }

        Check(table.Total, truth.Total!.Value, null, null);

        // Lines: a published total with hidden members needs two or more, summing to at least k.
        var lines = Enumerable.Range(0, table.Cells.Count).Select(r => (Total: table.RowTotals[r], Members: Enumerable.Range(0, width).Select(c => (table.Cells[r][c], truth.Cells[r][c]!.Value)).ToList()));
        if (table.ColumnTotals is { } totals)
        {
            lines = lines.Concat(Enumerable.Range(0, width).Select(c => (Total: totals[c], Members: Enumerable.Range(0, table.Cells.Count).Select(r => (table.Cells[r][c], truth.Cells[r][c]!.Value)).ToList())));
        }

        foreach (var (total, members) in lines)
        {
            var hidden = members.Where(m => m.Item1 is null && m.Value > 0).ToList();
            if (total is not null && width > 1 && hidden.Count > 0)
            {
                Assert.True(hidden.Count >= 2 && hidden.Sum(h => h.Value) >= k, "a line with a published total hides too little");
            }
        }
    }
}
