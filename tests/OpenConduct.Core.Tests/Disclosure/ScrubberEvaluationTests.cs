using OpenConduct.Core.Disclosure;

namespace OpenConduct.Core.Tests.Disclosure;

/// <summary>
/// The evaluation behind the scrub-eval command, on a hand-made labelled folder in the format of a city's labelled set
/// (part-NN.jsonl + labels-NN.jsonl, invented people): every figure is known in advance.
/// </summary>
public sealed class ScrubberEvaluationTests
{
    private const string Part =
        """
        {"id": "A-1", "text": "The complainant, QX, 40/W/F, states that Officer XK pushed her. QX called 215-555-0199.", "officersOnRecord": ["XK"]}
        {"id": "A-2", "text": "The complainant, VX, 57/B/F, says that Detective VX lied. Mrs. VX left.", "officersOnRecord": []}
        {"id": "A-3", "text": "A 34-year-old Black male ran from the store.", "officersOnRecord": []}
        {"id": "A-4", "text": "Her cousin zed met Quillivant at the store.", "officersOnRecord": []}
        """;

    private const string Labels =
        """
        {"id": "A-1", "private": [{"text": "QX", "kind": "initials"}, {"text": "40/W/F", "kind": "demographic"}, {"text": "215-555-0199", "kind": "phone"}], "officers": ["XK"]}
        {"id": "A-2", "private": [{"text": "VX", "kind": "initials", "occurrences": [0, 2]}, {"text": "57/B/F", "kind": "demographic"}], "officers": ["VX"]}
        {"id": "A-3", "private": [], "officers": []}
        {"id": "A-4", "private": [{"text": "zed", "kind": "name"}, {"text": "Quillivant", "kind": "name"}], "officers": []}
        """;

    [Fact]
    public void A_labelled_folder_is_read_and_measured_exactly()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "part-00.jsonl"), Part);
        File.WriteAllText(Path.Combine(folder.Path, "labels-00.jsonl"), Labels);
        File.WriteAllText(Path.Combine(folder.Path, "part-01.jsonl"), Part); // no labels yet: not a part to measure

        Assert.Equal(["00"], LabelledNarratives.Parts(folder.Path));
        var narratives = LabelledNarratives.ReadPart(folder.Path, "00");
        Assert.Equal(4, narratives.Count);

        var report = ScrubberEvaluation.Run("hand-made", narratives, new NarrativeScrubber());

        Assert.Equal((4, 4, 4), (report["initials"].Labelled, report["initials"].Masked, report["initials"].CaughtOrWithheld));
        Assert.Equal((2, 2), (report["demographic"].Labelled, report["demographic"].Masked));
        Assert.Equal((1, 1), (report["phone"].Labelled, report["phone"].Masked));

        // The lower-case "zed" after a cue and an unknown capitalised word with no cue are missed by the recognizers; the
        // residual-risk gate withholds the narrative, so on a public surface both are caught.
        Assert.Equal((2, 0, 2), (report["name"].Labelled, report["name"].Masked, report["name"].CaughtOrWithheld));
        Assert.Equal(1, report.WithheldCount);
        Assert.Equal(1, report.Withheld[ResidualRisk.UnknownCapitalisedWord]);

        // Officers: XK once; VX three times, two of them the complainant's (labelled), so one mention; none masked.
        Assert.Equal((2, 0), (report.OfficerMentions, report.OfficerMentionsMasked));
        Assert.Equal((1, 0), (report.OnRecordMentions, report.OnRecordMentionsMasked)); // XK is on the record, VX is not

        // Over-scrubbing: "year", "old", "Black" and "male" of a descriptor nobody labelled.
        Assert.Equal(4, report.DictionaryWordsOverScrubbed);
        Assert.Equal(4.0 / 6.0, report.NamesAndInitialsRecall, 3);
        Assert.Contains("| initials | 4 | 4 | 1.000 | 4 | 1.000 |", report.ToMarkdown(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_is_caught_only_when_every_character_is_masked()
    {
        var narratives = new[]
        {
            new LabelledNarrative("B-1", "He lives at 3412 Chicago Ave S, Apt 2B.", [], [], [new PrivateLabel("3412 Chicago Ave S, Apt 2B", "address")], []),
            new LabelledNarrative("B-2", "The complainant, QZ, 40/W/F, states.", [], [], [new PrivateLabel("The complainant, QZ", "initials")], []),
        };

        var report = ScrubberEvaluation.Run("coverage", narratives, new NarrativeScrubber());

        Assert.Equal(1, report["address"].Masked);
        Assert.Equal(0, report["initials"].Masked); // "The complainant" stays: the label is not wholly masked
    }

    [Fact]
    public void A_missing_label_line_is_an_error_not_a_silent_pass()
    {
        using var folder = new TempFolder();
        File.WriteAllText(Path.Combine(folder.Path, "part-00.jsonl"), Part);
        File.WriteAllText(Path.Combine(folder.Path, "labels-00.jsonl"), Labels.Split('\n')[0]);

        var error = Assert.Throws<InvalidDataException>(() => LabelledNarratives.ReadPart(folder.Path, "00"));
        Assert.Contains("A-2", error.Message, StringComparison.Ordinal);
    }
}
