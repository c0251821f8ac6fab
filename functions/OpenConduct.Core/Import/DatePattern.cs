using System.Collections.Concurrent;

namespace OpenConduct.Core.Import;

/// <summary>
/// A numeric date format (<c>yyyy-MM-dd</c>, <c>M/d/yyyy</c>, <c>dd.MM.yyyy HH:mm:ss</c>, <c>yyyyMMdd</c>...) parsed
/// without the culture machinery of <see cref="DateTime.TryParseExact(string, string[], IFormatProvider, System.Globalization.DateTimeStyles, out DateTime)"/>,
/// which asks ICU to compare every separator and costs most of an import whose dates are all distinct
/// (timestamps). Formats with names (<c>MMM</c>, <c>tt</c>...) are not compiled and stay with .NET's parser.
/// </summary>
internal sealed class DatePattern
{
    private static readonly ConcurrentDictionary<string, DatePattern?> Compiled = new(StringComparer.Ordinal);

    private readonly Token[] tokens;

    private DatePattern(Token[] tokens)
    {
        this.tokens = tokens;
        Precision = tokens.Any(t => t.Kind == Kind.Day) ? Model.DatePrecision.Day
            : tokens.Any(t => t.Kind == Kind.Month) ? Model.DatePrecision.Month
            : Model.DatePrecision.Year;
    }

    /// <summary>What the format knows: a day, a month (<c>yyyy-MM</c>) or a year (<c>yyyy</c>).</summary>
    public Model.DatePrecision Precision { get; }

    private enum Kind
    {
        Literal,
        Year4,
        Year2,
        Month,
        Day,
        Hour,
        Minute,
        Second,
        Fraction,
    }

    /// <summary>A literal character, or a number of <c>MinDigits</c> to <c>MaxDigits</c> digits (M, d, H take 1 or 2; MM, dd, HH exactly 2).</summary>
    private readonly record struct Token(Kind Kind, char Literal, int MinDigits, int MaxDigits);

    /// <summary>The compiled pattern of <paramref name="format"/>, or null when it needs .NET's parser.</summary>
    public static DatePattern? For(string format) => Compiled.GetOrAdd(format, Compile);

    private static DatePattern? Compile(string format)
    {
        var tokens = new List<Token>();
        for (var i = 0; i < format.Length;)
        {
            var c = format[i];
            var run = 1;
            while (i + run < format.Length && format[i + run] == c)
            {
                run++;
            }

            Token? token = (c, run) switch
            {
                ('y', 4) => new Token(Kind.Year4, default, 4, 4),
                ('y', 2) => new Token(Kind.Year2, default, 2, 2),
                ('M', 1 or 2) => new Token(Kind.Month, default, run, 2),
                ('d', 1 or 2) => new Token(Kind.Day, default, run, 2),
                ('H', 1 or 2) => new Token(Kind.Hour, default, run, 2),
                ('m', 1 or 2) => new Token(Kind.Minute, default, run, 2),
                ('s', 1 or 2) => new Token(Kind.Second, default, run, 2),
                ('f', <= 7) => new Token(Kind.Fraction, default, run, run),
                ('T', _) => new Token(Kind.Literal, c, 1, 1),
                _ when char.IsAsciiLetter(c) || c is '\\' or '\'' or '"' or '%' => null,
                _ => new Token(Kind.Literal, c, 1, 1),
            };
            if (token is null)
            {
                return null;
            }

            if (token.Value.Kind == Kind.Literal)
            {
                for (var k = 0; k < run; k++)
                {
                    tokens.Add(token.Value);
                }
            }
            else
            {
                tokens.Add(token.Value);
            }

            i += run;
        }

        var hasDay = tokens.Any(t => t.Kind == Kind.Day);
        var hasMonth = tokens.Any(t => t.Kind == Kind.Month);
        return tokens.Any(t => t.Kind is Kind.Year4 or Kind.Year2) && (hasMonth || !hasDay)
            ? new DatePattern([.. tokens])
            : null;
    }

    /// <summary>Parses the date part of <paramref name="text"/>; the time fields are checked and dropped.</summary>
    public bool TryParse(ReadOnlySpan<char> text, out DateOnly date)
    {
        date = default;
        int year = 0, month = Precision == Model.DatePrecision.Year ? 1 : 0, day = Precision == Model.DatePrecision.Day ? 0 : 1, position = 0;
        foreach (var token in tokens)
        {
            // Whitespace between the parts is allowed, and a space of the format may be missing, as
            // DateTimeStyles.AllowWhiteSpaces allows.
            while (position < text.Length && char.IsWhiteSpace(text[position]) && token.Literal != text[position])
            {
                position++;
            }

            if (token.Kind == Kind.Literal && char.IsWhiteSpace(token.Literal))
            {
                while (position < text.Length && char.IsWhiteSpace(text[position]))
                {
                    position++;
                }

                continue;
            }

            if (token.Kind == Kind.Literal)
            {
                if (position >= text.Length || text[position] != token.Literal)
                {
                    return false;
                }

                position++;
                continue;
            }

            var start = position;
            var value = 0;
            while (position < text.Length && position - start < token.MaxDigits && char.IsAsciiDigit(text[position]))
            {
                value = (value * 10) + (text[position] - '0');
                position++;
            }

            if (position - start < token.MinDigits)
            {
                return false;
            }

            switch (token.Kind)
            {
                case Kind.Year4: year = value; break;
                case Kind.Year2: year = value + (value <= 49 ? 2000 : 1900); break; // .NET's Gregorian TwoDigitYearMax, 2049
                case Kind.Month: month = value; break;
                case Kind.Day: day = value; break;
                case Kind.Hour when value > 23: return false;
                case Kind.Minute or Kind.Second when value > 59: return false;
                default: break;
            }
        }

        if (position != text.Length || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return false;
        }

        date = new DateOnly(year, month, day);
        return true;
    }
}
