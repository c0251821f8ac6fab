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
    public PartialDate? HireDate { get; set; }
    public Provenance Provenance { get; init; }

    public IReadOnlyList<BadgeNumber> Badges => badges;

    /// <summary>
    /// The officer's key within a source: employee id; else badge and name; else name, birth year and hire date.
    /// Null when the row has none of these.
    /// </summary>
    public static string? KeyOf(string? employeeId, string? badge, string? first, string? last, int? birthYear, PartialDate? hireDate)
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

        return $"name:{name}|{birthYear?.ToString(CultureInfo.InvariantCulture)}|{hireDate?.ToString()}";
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
    public void Merge(OfficerBuilder other) => Merge(other, out _);

    /// <summary>As <see cref="Merge(OfficerBuilder)"/>; <paramref name="badgeChanged"/> tells whether the other row brought a badge this one did not have.</summary>
    public void Merge(OfficerBuilder other, out bool badgeChanged)
    {
        badgeChanged = false;
        foreach (var badge in other.badges)
        {
            badgeChanged |= badges.Count > 0 && badges.FindIndex(b => b.Number == badge.Number) < 0;
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
        var text = raw.AsSpan().Trim();
        var comma = text.IndexOf(',');
        if (order == "last-first" || (order is null or "auto" && comma > 0))
        {
            ReadOnlySpan<char> last = text, rest = default;
            var split = comma > 0 ? comma : text.IndexOf(' ');
            if (split > 0)
            {
                last = text[..split].Trim();
                rest = text[(split + 1)..].Trim();
            }

            var (first, middle, suffix) = SplitGiven(rest);
            return (first, middle, last.IsEmpty ? null : last.ToString(), suffix);
        }

        // First [Middle...] Last [Suffix]
        var end = text.Length;
        string? sfx = null;
        var lastSpace = text.LastIndexOf(' ');
        if (lastSpace > 0 && Suffixes.Contains(text[(lastSpace + 1)..].ToString()) && text[..lastSpace].Trim().Contains(' '))
        {
            sfx = text[(lastSpace + 1)..].ToString();
            end = lastSpace;
        }

        var body = text[..end].TrimEnd().TrimEnd(',');
        var firstSpace = body.IndexOf(' ');
        if (firstSpace < 0)
        {
            return body.IsEmpty ? default : (null, null, body.ToString(), sfx);
        }

        var lastStart = body.LastIndexOf(' ');
        var middlePart = body[firstSpace..lastStart].Trim();
        return (body[..firstSpace].ToString(), middlePart.IsEmpty ? null : middlePart.ToString(), body[(lastStart + 1)..].ToString(), sfx);
    }

    /// <summary>"First Middle Suffix" after the comma of "Last, First Middle Suffix".</summary>
    private static (string? First, string? Middle, string? Suffix) SplitGiven(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty)
        {
            return default;
        }

        string? suffix = null;
        var lastSpace = rest.LastIndexOf(' ');
        if (lastSpace > 0 && Suffixes.Contains(rest[(lastSpace + 1)..].ToString()))
        {
            suffix = rest[(lastSpace + 1)..].ToString();
            rest = rest[..lastSpace].TrimEnd();
        }

        var space = rest.IndexOf(' ');
        if (space < 0)
        {
            return (rest.ToString(), null, suffix);
        }

        var middle = rest[(space + 1)..].Trim();
        return (rest[..space].ToString(), middle.IsEmpty ? null : string.Join(' ', middle.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries)), suffix);
    }
}
