using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using OpenConduct.Core.Dashboards;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Model;
using OpenConduct.Core.Release;
using OpenConduct.Core.Tests.Disclosure;
using static OpenConduct.Core.Dashboards.DashboardDimensions;
using static OpenConduct.Core.Tests.Dashboards.DashboardKit;

namespace OpenConduct.Core.Tests.Dashboards;

/// <summary>
/// The recommended-vs-final dashboard on the CCRB sample under the New York policy (recommendations public) combined
/// with the OPCR sample under Minnesota (withheld): only New York's allegations count, each cell equal to a plain count
/// of the redacted records, every cell below k suppressed, and facts files of format 1 still read.
/// </summary>
public sealed class RecommendedVsFinalTests
{
    private static readonly DisclosurePolicy NewYork =
        DisclosurePolicyLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "samples", "policies", "new-york.json"));

    private static DisclosurePolicy WithK(DisclosurePolicy policy, int k) => new()
    {
        Name = policy.Name + $", k = {k}",
        Default = policy.Default,
        Fields = policy.Fields,
        Sensitivity = policy.Sensitivity,
        Finality = policy.Finality,
        Aggregation = new AggregationRule { K = k },
        Pseudonymization = policy.Pseudonymization,
    };

    private static ReleaseInput Ccrb(DisclosurePolicy policy)
    {
        var (records, report) = Release.ReleaseTestKit.ImportSample("ccrb");
        return Release.ReleaseTestKit.Input(records, report, policy, source: "ccrb");
    }

    private static ReleaseInput Opcr(DisclosurePolicy policy)
    {
        var (records, report) = Release.ReleaseTestKit.ImportSample("opcr");
        return Release.ReleaseTestKit.Input(records, report, policy, source: "opcr");
    }

    [Fact]
    public void Only_allegations_of_releases_that_publish_recommendations_are_counted_each_cell_as_the_records_say()
    {
        var ccrb = Ccrb(WithK(NewYork, 1));
        var facts = DashboardFacts.Combine([DashboardFactsBuilder.Build(Opcr(MinnesotaWithK(1))), DashboardFactsBuilder.Build(ccrb)]);
        var response = Run(facts, "recommended-vs-final");

        var all = ccrb.Records.Cases.SelectMany(c => c.Allegations).ToList();
        Assert.Equal(320, all.Count);
        var allegations = all.Where(a => a.RecommendedDiscipline.Value is not null).ToList();
        Assert.Equal(68, allegations.Count);   // the substantiated ones: the Board's recommendation in their disposition
        Assert.Equal(allegations.Count, response.Total);
        Assert.DoesNotContain(Unknown, response.Rows.Values);   // an allegation without a recommendation is in no row
        Assert.Equal(["ccrb"], facts.RecommendationSources);
        Assert.Contains(response.Notes, n => n.Contains("publishes recommendations, are counted (ccrb)", StringComparison.Ordinal));

        // Every cell is the number of allegations with that recommendation and that final discipline.
        for (var r = 0; r < response.Rows.Values.Count; r++)
        {
            for (var c = 0; c < response.Columns!.Values.Count; c++)
            {
                var (recommended, final) = (response.Rows.Values[r], response.Columns.Values[c]);
                var expected = allegations.Count(a => Code(a.RecommendedDiscipline.Value) == recommended && Code(a.ImposedDiscipline.Value) == final);
                Assert.True(expected == response.Cells[r][c], $"{recommended} x {final}: {response.Cells[r][c]}, the records say {expected}");
            }
        }

        // The sample's recommendations: Instructions (Coaching), Formalized Training (Training), Command Discipline A/B and Charges (Other).
        var other = response.Rows.Values.ToList().IndexOf("Other");
        var suspension = response.Columns!.Values.ToList().IndexOf("Suspension");
        Assert.True(response.Cells[other][suspension] > 0, "a Command Discipline or Charges recommendation ended in forfeited or suspended days");
        var unknownFinal = response.Columns.Values.ToList().IndexOf(Unknown);
        Assert.True(response.Cells[other][unknownFinal] > 0, "a recommendation whose penalty is pending");

        // Drill-down: the recommendation filters any dashboard; the OPCR source, under Minnesota, has no value of it.
        var filtered = Run(facts, "discipline-outcomes", ("recommendedDiscipline", "Training"));
        Assert.Equal(allegations.Count(a => a.RecommendedDiscipline.Value == DisciplineKind.Training), filtered.Total);
        Assert.Equal(0, Run(facts, "recommended-vs-final", ("source", "opcr")).Total);
        Assert.Equal(0, Run(facts, "discipline-outcomes", ("source", "opcr"), ("recommendedDiscipline", "Other")).Total);
        Assert.Equal(400, Problem(facts, "discipline-outcomes", ("recommendedDiscipline", "Unknown")).Status);
    }

    [Fact]
    public void Under_k_every_cell_and_total_below_it_is_suppressed()
    {
        var facts = DashboardFacts.Combine([DashboardFactsBuilder.Build(Ccrb(NewYork))]);
        var open = Run(DashboardFacts.Combine([DashboardFactsBuilder.Build(Ccrb(WithK(NewYork, 1)))]), "recommended-vs-final");
        var response = Run(facts, "recommended-vs-final");
        Assert.Equal(10, response.K);
        Assert.NotEmpty(response.Suppressed);
        Assert.Contains(response.Suppressed, s => s.Reason == "belowThreshold");
        foreach (var row in response.Cells)
        {
            Assert.All(row, v => Assert.True(v is null || v == 0 || v >= 10, $"a published cell of {v} is below k"));
        }

        Assert.All(response.RowTotals, v => Assert.True(v is null || v == 0 || v >= 10));
        Assert.Equal(open.Total, response.Total);

        // The published cells are the true counts; a row's small counts may be merged, never changed.
        for (var r = 0; r < response.Rows.Values.Count; r++)
        {
            var o = open.Rows.Values.ToList().IndexOf(response.Rows.Values[r]);
            if (o < 0)
            {
                continue;
            }

            for (var c = 0; c < response.Cells[r].Count; c++)
            {
                if (response.Cells[r][c] is { } published)
                {
                    Assert.Equal(open.Cells[o][c], published);
                }
            }
        }
    }

    [Fact]
    public async Task Facts_persist_the_recommendation_and_a_format_1_file_reads_with_none_published()
    {
        var part = DashboardFactsBuilder.Build(Ccrb(NewYork));
        Assert.True(part.Header.Recommendations);
        Assert.Equal(["Coaching", "Training", "Other", NotPublished], part.Dictionaries[RecommendedDiscipline]);
        using var buffer = new MemoryStream();
        await DashboardFactsIo.WriteAsync(buffer, part);
        var bytes = buffer.ToArray();
        var read = DashboardFactsIo.Read(bytes);
        Assert.Equal(part.Dictionaries[RecommendedDiscipline], read.Dictionaries[RecommendedDiscipline]);
        Assert.Equal(part.Columns[RecommendedDiscipline], read.Columns[RecommendedDiscipline]);
        Assert.True(read.Header.Recommendations);

        // Minnesota's facts say NotPublished on every allegation.
        var minnesota = DashboardFactsBuilder.Build(Opcr(RedactorTests.Minnesota));
        Assert.Equal([NotPublished], minnesota.Dictionaries[RecommendedDiscipline]);
        Assert.False(minnesota.Header.Recommendations);

        // The same facts as format 1 wrote them: no recommendedDiscipline in the header, no column of it.
        var content = FormatTwo(Gunzip(bytes), part.Complaints);
        var headerLength = BinaryPrimitives.ReadInt32LittleEndian(content.AsSpan(5));
        var header = JsonNode.Parse(content.AsSpan(9, headerLength))!.AsObject();
        header["version"] = 1;
        header.Remove("recommendations");
        var dimensions = header["dimensions"]!.AsArray();
        dimensions.Remove(dimensions.Single(d => (string?)d!["name"] == "recommendedDiscipline"));
        var newHeader = Encoding.UTF8.GetBytes(header.ToJsonString());
        var body = content.AsSpan(9 + headerLength, content.Length - 9 - headerLength - (2 * part.Header.Allegations)).ToArray();
        var old = new byte[9 + newHeader.Length + body.Length];
        content.AsSpan(0, 4).CopyTo(old);
        old[4] = 1;
        BinaryPrimitives.WriteInt32LittleEndian(old.AsSpan(5), newHeader.Length);
        newHeader.CopyTo(old, 9);
        body.CopyTo(old, 9 + newHeader.Length);

        var formatOne = DashboardFactsIo.Read(Gzip(old));
        Assert.Equal([NotPublished], formatOne.Dictionaries[RecommendedDiscipline]);
        Assert.False(formatOne.Header.Recommendations);
        Assert.All(formatOne.Columns[RecommendedDiscipline], v => Assert.Equal(0, v));
        Assert.Equal(part.Columns[Discipline], formatOne.Columns[Discipline]);
        Assert.Equal(0, Run(DashboardFacts.Combine([formatOne]), "recommended-vs-final").Total);

        // Format 2 without the dimension (its header otherwise whole) is refused: only format 1 may lack it.
        header["version"] = 2;
        header["recommendations"] = true;
        var twoHeader = Encoding.UTF8.GetBytes(header.ToJsonString());
        var two = new byte[9 + twoHeader.Length + body.Length];
        content.AsSpan(0, 4).CopyTo(two);
        two[4] = 2;
        BinaryPrimitives.WriteInt32LittleEndian(two.AsSpan(5), twoHeader.Length);
        twoHeader.CopyTo(two, 9);
        body.CopyTo(two, 9 + twoHeader.Length);
        var refused = Assert.Throws<InvalidDataException>(() => DashboardFactsIo.Read(Gzip(two)));
        Assert.Contains("recommendedDiscipline", refused.Message, StringComparison.Ordinal);
    }

    private static string Code(DisciplineKind? kind) => kind?.ToString() ?? Unknown;
}
