using System.Collections.Frozen;
using OpenConduct.Core.Model;

namespace OpenConduct.Core.Import;

/// <summary>
/// Turns a category written by a profile or an export into a canonical <see cref="AllegationCategory"/>: its name
/// (ignoring case, spaces, hyphens and underscores), or one of a short list of common aliases ("Excessive force",
/// "Discourtesy", "Domestic abuse"...). Whole values only: "Domestic dispute at a bar" is not an alias; it becomes
/// Other, and <c>check</c> warns about it because it contains a sensitive term.
/// </summary>
public static class CategoryNames
{
    private static readonly FrozenDictionary<string, AllegationCategory> Aliases = new Dictionary<string, AllegationCategory>
    {
        ["force"] = AllegationCategory.UseOfForce,
        ["excessiveforce"] = AllegationCategory.UseOfForce,
        ["unnecessaryforce"] = AllegationCategory.UseOfForce,
        ["physicalabuse"] = AllegationCategory.UseOfForce,
        ["profanity"] = AllegationCategory.Language,
        ["offensivelanguage"] = AllegationCategory.Language,
        ["inappropriatelanguage"] = AllegationCategory.Language,
        ["abusivelanguage"] = AllegationCategory.Language,
        ["verbalabuse"] = AllegationCategory.Language,
        ["discourtesy"] = AllegationCategory.Courtesy,
        ["rudeness"] = AllegationCategory.Courtesy,
        ["demeanor"] = AllegationCategory.Courtesy,
        ["bias"] = AllegationCategory.Discrimination,
        ["biasedpolicing"] = AllegationCategory.Discrimination,
        ["biasbasedpolicing"] = AllegationCategory.Discrimination,
        ["biasbasedprofiling"] = AllegationCategory.Discrimination,
        ["racialprofiling"] = AllegationCategory.Discrimination,
        ["intimidation"] = AllegationCategory.Harassment,
        ["search"] = AllegationCategory.SearchSeizure,
        ["searchandseizure"] = AllegationCategory.SearchSeizure,
        ["illegalsearch"] = AllegationCategory.SearchSeizure,
        ["impropersearch"] = AllegationCategory.SearchSeizure,
        ["illegalarrest"] = AllegationCategory.SearchSeizure,
        ["falsearrest"] = AllegationCategory.SearchSeizure,
        ["improperstop"] = AllegationCategory.SearchSeizure,
        ["policyviolation"] = AllegationCategory.Procedure,
        ["policyprocedureviolation"] = AllegationCategory.Procedure,
        ["departmentalviolation"] = AllegationCategory.Procedure,
        ["departmentalviolations"] = AllegationCategory.Procedure,
        ["lackofservice"] = AllegationCategory.NeglectOfDuty,
        ["failuretoprovideservice"] = AllegationCategory.NeglectOfDuty,
        ["untruthfulness"] = AllegationCategory.Truthfulness,
        ["dishonesty"] = AllegationCategory.Truthfulness,
        ["falsification"] = AllegationCategory.Truthfulness,
        ["corruption"] = AllegationCategory.Integrity,
        ["bribery"] = AllegationCategory.Integrity,
        ["theft"] = AllegationCategory.Integrity,
        ["conductunbecoming"] = AllegationCategory.Conduct,
        ["conductunbecominganofficer"] = AllegationCategory.Conduct,
        ["unprofessionalconduct"] = AllegationCategory.Conduct,
        ["criminalallegation"] = AllegationCategory.CriminalConduct,
        ["criminalmisconduct"] = AllegationCategory.CriminalConduct,
        ["driving"] = AllegationCategory.VehicleOperation,
        ["domestic"] = AllegationCategory.DomesticViolence,
        ["domesticabuse"] = AllegationCategory.DomesticViolence,
        ["domesticviolence"] = AllegationCategory.DomesticViolence,
        ["sexualharassment"] = AllegationCategory.SexualMisconduct,
        ["sexualassault"] = AllegationCategory.SexualAssault,
        ["rape"] = AllegationCategory.SexualAssault,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, AllegationCategory> Names =
        Enum.GetValues<AllegationCategory>().ToFrozenDictionary(c => ValueConverter.Normalize(c.ToString()), c => c, StringComparer.Ordinal);

    /// <summary>The canonical category <paramref name="text"/> names (by name or alias), or null.</summary>
    public static AllegationCategory? Parse(string text)
    {
        var key = ValueConverter.Normalize(text.Replace('/', ' ').Replace('&', ' ').Replace(".", "", StringComparison.Ordinal));
        return Names.TryGetValue(key, out var category) || Aliases.TryGetValue(key, out category) ? category : null;
    }

    /// <summary>The aliases, for the documentation and its test.</summary>
    public static IEnumerable<(string Alias, AllegationCategory Category)> AliasList => Aliases.Select(a => (a.Key, a.Value));
}
