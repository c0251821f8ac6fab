using OpenConduct.Core.Dashboards;
using OpenConduct.Core.Model;
using static OpenConduct.Core.Tests.Dashboards.DashboardKit;

namespace OpenConduct.Core.Tests.Dashboards;

/// <summary>
/// The timelines dashboard (issue 17, item 3): complaints with a duration by year and source, with the median and the
/// 90th percentile of their days for every published count and for no other; days to the final discipline from the
/// discipline dates; facts files of the format before it still read.
/// </summary>
public sealed class TimelinesTests(SampleFacts sample) : IClassFixture<SampleFacts>
{
    [Fact]
    public void The_median_and_90th_percentile_of_a_year_are_its_closed_complaints_days()
    {
        var kit = new DashboardKit().Officer("o1", Race.White, Sex.Male);
        for (var i = 0; i < 12; i++)
        {
            kit.Case(new DateOnly(2023, 3, 1), daysToClose: 10 * (i + 1), allegations: [new("UseOfForce")]);
        }

        kit.Case(new DateOnly(2023, 3, 1), status: ComplaintStatus.Open, allegations: [new("UseOfForce")]);   // open: no duration
        var table = Run(DashboardFacts.Combine([kit.Facts()]), DashboardDefinitions.Timelines);

        Assert.Equal(["2023"], table.Rows.Values);
        Assert.Equal(["opcr"], table.Columns!.Values);
        Assert.Equal(12, table.Total);
        var durations = table.Durations!;
        Assert.Equal("closed", durations.To);
        Assert.Equal(60, durations.Median[0][0]);   // 10..120: the lower median is the 6th
        Assert.Equal(110, durations.P90[0][0]);     // nearest rank: the 11th of 12
        Assert.Equal(60, durations.RowMedian[0]);
        Assert.Equal(110, durations.RowP90[0]);
        Assert.Equal(60, durations.TotalMedian);
        Assert.Equal(110, durations.TotalP90);
    }

    [Fact]
    public void A_year_under_k_is_grouped_with_the_next_and_no_figure_of_fewer_than_k_complaints_is_published()
    {
        var kit = new DashboardKit().Officer("o1", Race.White, Sex.Male);
        for (var i = 0; i < 12; i++)
        {
            kit.Case(new DateOnly(2023, 3, 1), daysToClose: 10 * (i + 1), allegations: [new("UseOfForce")]);
        }

        foreach (var days in new[] { 200, 300, 400 })
        {
            kit.Case(new DateOnly(2024, 3, 1), daysToClose: days, allegations: [new("UseOfForce")]);
        }

        var facts = DashboardFacts.Combine([kit.Facts()]);
        var table = Run(facts, DashboardDefinitions.Timelines);
        Assert.Equal("2-year", table.Grouping!["time"]);
        var row = Assert.Single(table.Rows.Values);
        Assert.Contains("2023", row, StringComparison.Ordinal);
        Assert.Equal(15, table.RowTotals[0]);
        Assert.Equal(80, table.Durations!.RowMedian[0]);    // the 8th of 10, 20, ..., 120, 200, 300, 400
        Assert.Equal(300, table.Durations.RowP90[0]);       // the 14th of 15

        // Drilled down to 2024 alone: 3 complaints, nothing published, no day figure either.
        var few = Run(facts, DashboardDefinitions.Timelines, ("year", "2024"));
        Assert.Null(few.Total);
        Assert.Null(few.Durations);
        Assert.Contains(few.Notes, n => n.StartsWith("Fewer than 10", StringComparison.Ordinal));
    }

    [Fact]
    public void Days_to_final_discipline_run_to_the_latest_decision_and_skip_cases_whose_discipline_is_not_final()
    {
        var kit = new DashboardKit().Officer("o1", Race.White, Sex.Male).Officer("o2", Race.Black, Sex.Female);
        kit.Case(new DateOnly(2022, 1, 10), allegations:
        [
            new("UseOfForce", Finding: Finding.Sustained, Discipline: DisciplineKind.Suspension, DecidedAfter: 150),
            new("Language", "o2", Finding.Sustained, DisciplineKind.Coaching, DecidedAfter: 210),
        ]);
        kit.Case(new DateOnly(2022, 2, 1), allegations: [new("UseOfForce", Finding: Finding.Sustained, Discipline: DisciplineKind.Termination, DecidedAfter: 400)]);
        kit.Case(new DateOnly(2022, 2, 1), allegations:
        [
            new("UseOfForce", Finding: Finding.Sustained, Discipline: DisciplineKind.Suspension, DecidedAfter: 90),
            new("Language", "o2", Finding.Sustained, DisciplineKind.Suspension, Final: false, DecidedAfter: 60),   // on appeal
        ]);
        kit.Case(new DateOnly(2022, 2, 1), allegations: [new("UseOfForce", Finding: Finding.Sustained, Discipline: DisciplineKind.Suspension)]);   // no date

        var table = Run(DashboardFacts.Combine([kit.Facts(MinnesotaWithK(1))]), DashboardDefinitions.Timelines, ("to", "discipline"));
        Assert.Equal(2, table.Total);
        Assert.Equal("discipline", table.Durations!.To);
        Assert.Equal(210, table.Durations.TotalMedian);   // the latest decision of the first case; the lower of 210 and 400
        Assert.Equal(400, table.Durations.TotalP90);
        Assert.Contains(table.Notes, n => n.Contains("not yet final is not counted", StringComparison.Ordinal));
    }

    [Fact]
    public void An_allegation_filter_counts_a_complaint_once_when_one_of_its_allegations_matches_and_demographic_filters_get_no_day_figures()
    {
        var kit = new DashboardKit().Officer("o1", Race.White, Sex.Male).Officer("o2", Race.Black, Sex.Female);
        for (var i = 0; i < 12; i++)
        {
            // Language and use of force in the first 12 (10..120 days), use of force only in the next 12 (200..310 days).
            kit.Case(new DateOnly(2023, 3, 1), daysToClose: 10 * (i + 1), allegations: [new("Language"), new("UseOfForce", "o2")]);
            kit.Case(new DateOnly(2023, 3, 1), daysToClose: 200 + (10 * i), allegations: [new("UseOfForce")]);
        }

        var facts = DashboardFacts.Combine([kit.Facts(MinnesotaWithK(5))]);
        var language = Run(facts, DashboardDefinitions.Timelines, ("category", "Language"));
        Assert.Equal(12, language.Total);
        Assert.Equal((60, 110), (language.Durations!.TotalMedian, language.Durations.TotalP90));
        var force = Run(facts, DashboardDefinitions.Timelines, ("category", "UseOfForce"));
        Assert.Equal(24, force.Total);
        Assert.Equal((120, 290), (force.Durations!.TotalMedian, force.Durations.TotalP90));   // the 12th and 22nd of 10..120, 200..310

        // Officer sex is only counted: the counts stay, the day figures (one case's own days each) do not.
        var female = Run(facts, DashboardDefinitions.Timelines, ("officerSex", "Female"));
        Assert.Equal(12, female.Total);
        Assert.Null(female.Durations);
        Assert.Contains(female.Notes, n => n.StartsWith("No median or percentile of days", StringComparison.Ordinal));
        Assert.Null(Run(facts, "timeliness", ("officerSex", "Female")).MedianDaysToClose);
        Assert.NotNull(Run(facts, "timeliness", ("category", "Language")).MedianDaysToClose);
    }

    [Fact]
    public void Discipline_whose_finality_is_not_given_is_not_final_discipline()
    {
        var received = new DateOnly(2022, 1, 1);
        Assert.Equal(100, CaseDurations.DaysToFinalDiscipline(received, [(received.AddDays(100), true), (null, null)]));
        Assert.Null(CaseDurations.DaysToFinalDiscipline(received, [(received.AddDays(100), null)]));
        Assert.Null(CaseDurations.DaysToFinalDiscipline(received, [(received.AddDays(100), true), (received.AddDays(50), false)]));
        Assert.Null(CaseDurations.DaysToFinalDiscipline(received, [(received.AddDays(-3), true)]));   // decided before received: a wrong date
        Assert.Null(CaseDurations.DaysToFinalDiscipline(null, [(received, true)]));
    }

    [Theory]
    [InlineData("closed")]
    [InlineData("discipline")]
    public void On_the_sample_every_day_figure_belongs_to_a_published_count_of_at_least_k(string to)
    {
        foreach (var facts in new[] { sample.Minnesota, sample.Open })
        {
            foreach (var year in facts.ValuesOf(DashboardDimensions.Year).Prepend(null))
            {
                var query = year is null ? [("to", to)] : new[] { ("to", to), ("year", year) };
                var table = Run(facts, DashboardDefinitions.Timelines, query);
                if (table.Durations is not { } durations)
                {
                    Assert.True(table.Total is null or 0, $"{to} {year}: a published total of {table.Total} without durations");
                    continue;
                }

                for (var r = 0; r < table.Rows.Values.Count; r++)
                {
                    Published(table.Cells[r].Concat([table.RowTotals[r]]), durations.Median[r].Concat([durations.RowMedian[r]]), table.K);
                    Published(table.Cells[r].Concat([table.RowTotals[r]]), durations.P90[r].Concat([durations.RowP90[r]]), table.K);
                }

                Published([table.Total], [durations.TotalMedian], table.K);
                Assert.True(durations.TotalMedian is null || durations.TotalMedian <= durations.TotalP90);
            }
        }

        static void Published(IEnumerable<long?> counts, IEnumerable<long?> days, int k)
        {
            foreach (var (count, figure) in counts.Zip(days))
            {
                Assert.Equal(count is > 0, figure is not null);
                Assert.True(figure is null || count >= k, $"a day figure for a count of {count} under k = {k}");
            }
        }
    }

    [Fact]
    public void The_sample_has_days_to_final_discipline_and_the_facts_carry_them_through_their_file()
    {
        var all = Run(sample.Open, DashboardDefinitions.Timelines, ("to", "discipline"));
        Assert.True(all.Total > 10, $"the OPCR sample has {all.Total} complaints with a final discipline date");
        Assert.NotNull(all.Durations!.TotalMedian);

        var part = new DashboardKit().Officer("o1", Race.White, Sex.Male);
        part.Case(new DateOnly(2022, 1, 10), allegations: [new("UseOfForce", Finding: Finding.Sustained, Discipline: DisciplineKind.Suspension, DecidedAfter: 150)]);
        var facts = part.Facts(MinnesotaWithK(1));
        var read = DashboardFactsIo.Read(Bytes(facts));
        Assert.Equal(150, Run(DashboardFacts.Combine([read]), DashboardDefinitions.Timelines, ("to", "discipline")).Durations!.TotalMedian);

        // The file of the format before (2): the same without the days to final discipline, still read, with none.
        var old = DashboardFactsIo.Read(Gzip(FormatTwo(Gunzip(Bytes(facts)), facts.Complaints)));
        var answer = Run(DashboardFacts.Combine([old]), DashboardDefinitions.Timelines, ("to", "discipline"));
        Assert.Equal(0, answer.Total ?? 0);
        Assert.Equal(100, Run(DashboardFacts.Combine([old]), DashboardDefinitions.Timelines).Durations!.TotalMedian);   // the days to close are kept
    }
}
