using System.Globalization;
using OpenConduct.Core.Import;

namespace OpenConduct.Core.Tests.Import;

/// <summary>The fast numeric date parser agrees with DateTime.TryParseExact on every format it compiles.</summary>
public sealed class DatePatternTests
{
    public static TheoryData<string> Formats => new()
    {
        "yyyy-MM-dd", "M/d/yyyy", "MM/dd/yyyy", "dd.MM.yyyy", "yyyyMMdd", "yyyy-MM-dd HH:mm:ss", "MM/dd/yy", "d-M-yyyy H:mm", "yyyy-MM-ddTHH:mm:ss.fff",
    };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Agrees_with_DateTime_TryParseExact(string format)
    {
        var pattern = DatePattern.For(format);
        Assert.NotNull(pattern);
        var random = new Random(format.Length);
        var inputs = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            var date = new DateTime(1950, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).AddMinutes(random.Next(0, 80 * 365 * 24 * 60)).AddMilliseconds(random.Next(1000));
            var text = date.ToString(format, CultureInfo.InvariantCulture);
            inputs.Add(text);
            inputs.Add(Mutate(text, random));
        }

        inputs.AddRange(["", "2021-02-29", "2020-02-29", "2021-13-01", "2021-00-10", "2/30/2021", "31.04.2020", "20210230", "1/1/21", "12/31/1999 ", "x", "2021-01-01T", "99/99/99"]);
        foreach (var input in inputs)
        {
            var expected = DateTime.TryParseExact(input.Trim(), format, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var parsed);
            var actual = pattern.TryParse(input.AsSpan().Trim(), out var date);
            Assert.True(expected == actual, $"'{input}' with '{format}': TryParseExact says {expected}, DatePattern says {actual}");
            if (expected)
            {
                Assert.Equal(DateOnly.FromDateTime(parsed), date);
            }
        }
    }

    [Theory]
    [InlineData("MMM d, yyyy")]
    [InlineData("dd-MMM-yy")]
    [InlineData("M/d/yyyy h:mm tt")]
    [InlineData("HH:mm")]
    public void Formats_with_names_or_without_a_date_are_left_to_dotnet(string format) => Assert.Null(DatePattern.For(format));

    [Fact]
    public void Named_month_formats_still_parse_through_the_fallback()
    {
        Assert.True(ValueConverter.TryDate("Mar 5, 2021", ["yyyy-MM-dd", "MMM d, yyyy"], CultureInfo.InvariantCulture, out DateOnly date));
        Assert.Equal(new DateOnly(2021, 3, 5), date);
    }

    private static string Mutate(string text, Random random)
    {
        var chars = text.ToCharArray();
        var i = random.Next(chars.Length);
        chars[i] = random.Next(4) switch
        {
            0 => (char)('0' + random.Next(10)),
            1 => ' ',
            2 => '/',
            _ => 'x',
        };
        return random.Next(5) == 0 ? new string(chars) + "0" : new string(chars);
    }
}
