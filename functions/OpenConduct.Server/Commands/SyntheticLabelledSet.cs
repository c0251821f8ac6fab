using OpenConduct.Core.Disclosure;
using OpenConduct.Samples;

namespace OpenConduct.Server.Commands;

/// <summary>The synthetic narrative corpus (samples/OpenConduct.Samples) as a labelled set.</summary>
internal static class SyntheticLabelledSet
{
    public static IReadOnlyList<LabelledNarrative> Generate(int count, int seed) =>
        [.. NarrativeCorpus.Generate(count, seed).Select(n => new LabelledNarrative(
            n.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            n.Text,
            n.OfficerNames,
            n.KnownPrivateNames,
            [.. n.Labels.Select(l => new PrivateLabel(l.Value, l.Kind, Start: l.Start))],
            [.. n.Officers.Select(o => o.Value)]))];
}
