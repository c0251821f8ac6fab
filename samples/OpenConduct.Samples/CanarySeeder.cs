using System.Globalization;

namespace OpenConduct.Samples;

/// <summary>
/// Unique canary tokens for <see cref="SyntheticExportOptions.Canaries"/>: words made of "Kanary" and a counter
/// written in letters (a..j), phones (612) 2xx-xxxx and e-mails kanary&lt;n&gt;@example.org derived from the counter.
/// Each source starts its counter at its own salt x 100000, so the three exports never share a token, and every
/// counter has six digits, so no token is a prefix of another. Every token written is recorded in <see cref="Tokens"/>.
/// </summary>
internal sealed class CanarySeeder(int salt)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private int counter = salt * 100_000;

    public List<string> Tokens { get; } = [];

    /// <summary>A capitalised unique word usable as a first or last name.</summary>
    public string Name() => Record("Kanary" + Letters(++counter));

    /// <summary>A unique street address: a house number and a unique street word.</summary>
    public string Address()
    {
        var n = ++counter;
        var street = "Kanaryvale" + Letters(n);
        Tokens.Add(street);
        return Record(string.Create(Inv, $"{100 + (n % 9000)} {street} Ave"));
    }

    /// <summary>A unique phone number, (612) 2xx-xxxx; recorded as written and as digits only.</summary>
    public string Phone()
    {
        var n = ++counter;
        var phone = string.Create(Inv, $"(612) {200 + (n / 10_000 % 800):000}-{n % 10_000:0000}");
        Tokens.Add(new string([.. phone.Where(char.IsAsciiDigit)]));
        return Record(phone);
    }

    public string Email() => Record(string.Create(Inv, $"kanary{++counter}@example.org"));

    /// <summary>A unique date of birth (one day per counter value, from 1930); recorded as M/d/yyyy and yyyy-MM-dd.</summary>
    public DateOnly BirthDate()
    {
        var date = new DateOnly(1930, 1, 1).AddDays(++counter % 20_000);
        Tokens.Add(date.ToString("yyyy-MM-dd", Inv));
        Record(date.ToString("M/d/yyyy", Inv));
        return date;
    }

    private string Record(string token)
    {
        Tokens.Add(token);
        return token;
    }

    /// <summary>A number written in letters (a..j), so canaries stay words.</summary>
    private static string Letters(int n) => new([.. n.ToString(Inv).Select(d => (char)('a' + (d - '0')))]);
}
