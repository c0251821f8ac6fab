using System.Globalization;
using OpenConduct.Core.Model;

namespace OpenConduct.Core.Import;

/// <summary>An officer being assembled from every row of one source that names them (badge history, repeated rows).</summary>
internal sealed class OfficerBuilder
{
    private readonly List<BadgeNumber> badges = [];

    public string Key { get; set; } = "";
    public string? EmployeeId { get; init; }
    public string? FirstName { get; set; }
    public string? MiddleName { get; set; }
    public string? LastName { get; set; }
    public string? Suffix { get; set; }
    public string? Rank { get; set; }
    public string? Unit { get; set; }
    public Coded<Race> Race { get; set; }
    public Coded<Sex> Sex { get; set; }
    public int? BirthYear { get; set; }
    public DateOnly? HireDate { get; set; }
    public Provenance Provenance { get; init; }

    public IReadOnlyList<BadgeNumber> Badges => badges;

    /// <summary>
    /// The officer's key within a source: employee id; else badge and name; else name, birth year and hire date.
    /// Null when the row has none of these.
    /// </summary>
    public static string? KeyOf(string? employeeId, string? badge, string? first, string? last, int? birthYear, DateOnly? hireDate)
    {
        if (!string.IsNullOrEmpty(employeeId))
        {
            return "id:" + employeeId;
        }

        if (string.IsNullOrEmpty(last))
        {
            return null;
        }

        var name = $"{Fold(last)}|{Fold(first)}";
        if (!string.IsNullOrEmpty(badge))
        {
            return $"badge:{badge}|{name}";
        }

        return $"name:{name}|{birthYear?.ToString(CultureInfo.InvariantCulture)}|{hireDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
    }

    private static string Fold(string? name) =>
        name is null ? "" : string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToUpperInvariant();

    public void AddBadge(BadgeNumber badge)
    {
        var i = badges.FindIndex(b => b.Number == badge.Number);
        if (i < 0)
        {
            badges.Add(badge);
        }
        else
        {
            badges[i] = new BadgeNumber(badge.Number, badges[i].From ?? badge.From, badges[i].To ?? badge.To);
        }
    }

    /// <summary>Adds what another row knows: new badges, and any field still unknown here.</summary>
    public void Merge(OfficerBuilder other)
    {
        foreach (var badge in other.badges)
        {
            AddBadge(badge);
        }

        FirstName ??= other.FirstName;
        MiddleName ??= other.MiddleName;
        LastName ??= other.LastName;
        Suffix ??= other.Suffix;
        Rank ??= other.Rank;
        Unit ??= other.Unit;
        Race = Race.HasValue ? Race : other.Race;
        Sex = Sex.HasValue ? Sex : other.Sex;
        BirthYear ??= other.BirthYear;
        HireDate ??= other.HireDate;
    }

    public Officer Build(string source) => new()
    {
        Source = source,
        Key = Key,
        EmployeeId = EmployeeId,
        FirstName = FirstName,
        MiddleName = MiddleName,
        LastName = LastName,
        Suffix = Suffix,
        Badges = badges.OrderBy(b => b.From ?? DateOnly.MinValue).ToList(),
        Rank = Rank,
        Unit = Unit,
        Race = Race,
        Sex = Sex,
        BirthYear = BirthYear,
        HireDate = HireDate,
        Provenance = Provenance,
    };
}

/// <summary>Splits a person's full name into parts.</summary>
internal static class PersonName
{
    private static readonly HashSet<string> Suffixes = new(StringComparer.OrdinalIgnoreCase) { "Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV" };

    /// <summary>
    /// "Last, First Middle" (a comma, or <c>last-first</c>) or "First Middle Last Suffix" (<c>first-last</c>).
    /// </summary>
    public static (string? First, string? Middle, string? Last, string? Suffix) Parse(string raw, string? order)
    {
        var text = raw.Trim();
        var comma = text.IndexOf(',', StringComparison.Ordinal);
        if (order == "last-first" || (order is null or "auto" && comma > 0))
        {
            string last, rest;
            if (comma > 0)
            {
                last = text[..comma].Trim();
                rest = text[(comma + 1)..].Trim();
            }
            else
            {
                var space = text.IndexOf(' ', StringComparison.Ordinal);
                last = space > 0 ? text[..space] : text;
                rest = space > 0 ? text[(space + 1)..].Trim() : "";
            }

            var parts = rest.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            var suffix = parts.Count > 1 && Suffixes.Contains(parts[^1]) ? parts[^1] : null;
            if (suffix is not null)
            {
                parts.RemoveAt(parts.Count - 1);
            }

            return (parts.Count > 0 ? parts[0] : null, parts.Count > 1 ? string.Join(' ', parts.Skip(1)) : null, last.Length > 0 ? last : null, suffix);
        }

        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        string? sfx = null;
        if (words.Count > 2 && Suffixes.Contains(words[^1].TrimEnd(',')))
        {
            sfx = words[^1];
            words.RemoveAt(words.Count - 1);
        }

        return words.Count switch
        {
            0 => default,
            1 => (null, null, words[0], sfx),
            2 => (words[0], null, words[1], sfx),
            _ => (words[0], string.Join(' ', words.Skip(1).Take(words.Count - 2)), words[^1], sfx),
        };
    }
}
