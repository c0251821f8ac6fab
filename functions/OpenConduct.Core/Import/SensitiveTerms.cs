using OpenConduct.Core.Disclosure;

namespace OpenConduct.Core.Import;

/// <summary>A raw value that looks sensitive but gave a category the policy does not treat as sensitive.</summary>
public sealed record SensitiveTermWarning(string File, string Column, string Value, string Term, string Category, long Count, long FirstLine)
{
    public override string ToString() =>
        FormattableString.Invariant($"'{Value}' x{Count} in {File} column '{Column}' (first on line {FirstLine}) contains '{Term}' but its allegations are {Category}, which the policy does not treat as sensitive: map it to a sensitive category (DomesticViolence, SexualMisconduct, SexualAssault) or flag the complaint");
}

/// <summary>
/// The victim-safety check of a profile: source categories and subcategories whose text contains a sensitive term of
/// the policy (domestic, sexual, juvenile, child...) but whose allegations took a category the policy does not treat as
/// sensitive. The policy's rules would not see them, so check names them. The import notes only the values that have a
/// term (<see cref="ImportOptions.SensitiveTerms"/>): import with the same terms as the rule given here.
/// </summary>
public static class SensitiveTerms
{
    public static IReadOnlyList<SensitiveTermWarning> Find(ImportReport report, SensitivityRule sensitivity)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(sensitivity);
        var sensitive = sensitivity.Categories.Select(c => CategoryNames.Parse(c)?.ToString() ?? c).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var warnings = new List<SensitiveTermWarning>();
        foreach (var value in report.CategoryValues)
        {
            if (sensitive.Contains(value.Category))
            {
                continue;
            }

            var term = sensitivity.Terms.FirstOrDefault(t => value.Raw.Contains(t, StringComparison.OrdinalIgnoreCase));
            if (term is not null)
            {
                warnings.Add(new SensitiveTermWarning(value.File, value.Column, value.Raw, term, value.Category, value.Count, value.FirstLine));
            }
        }

        return [.. warnings.OrderByDescending(w => w.Count).ThenBy(w => w.Value, StringComparer.Ordinal)];
    }
}
