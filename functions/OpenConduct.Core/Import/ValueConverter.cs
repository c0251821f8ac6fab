using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenConduct.Core.Import;

/// <summary>Converts raw cell text to canonical values. Every method is pure and allocation-light.</summary>
internal static class ValueConverter
{
    private static readonly FrozenDictionary<Type, FrozenDictionary<string, int>> EnumNames =
        CanonicalFields.List.Where(f => f.CodeType is not null).Select(f => f.CodeType!).Distinct()
            .ToFrozenDictionary(t => t, t => Enum.GetValues(t).Cast<object>()
                .ToFrozenDictionary(v => Normalize(v.ToString()!), v => Convert.ToInt32(v, CultureInfo.InvariantCulture)));

    private static readonly FrozenSet<string> TrueTokens = new[] { "y", "yes", "true", "t", "1", "final" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    private static readonly FrozenSet<string> FalseTokens = new[] { "n", "no", "false", "f", "0", "not final" }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Lower case without spaces, hyphens and underscores: "Not Sustained" and "not_sustained" both give "notsustained".</summary>
    public static string Normalize(string value)
    {
        Span<char> buffer = value.Length <= 128 ? stackalloc char[value.Length] : new char[value.Length];
        var n = 0;
        foreach (var c in value)
        {
            if (c is not (' ' or '-' or '_' or '\t'))
            {
                buffer[n++] = char.ToLowerInvariant(c);
            }
        }

        return new string(buffer[..n]);
    }

    /// <summary>The enum value whose name matches <paramref name="value"/> (see <see cref="Normalize"/>).</summary>
    public static bool TryParseCanonical(Type enumType, string value, out int result) =>
        EnumNames[enumType].TryGetValue(Normalize(value), out result);

    public static bool IsCanonical(CanonicalField field, string value) => field.Kind switch
    {
        FieldKind.CodedText when field.CodeType == typeof(Model.AllegationCategory) => CategoryNames.Parse(value) is not null,
        FieldKind.Coded => TryParseCanonical(field.CodeType!, value, out _),
        FieldKind.Boolean => value is "true" or "false",
        FieldKind.CodedText => !string.IsNullOrWhiteSpace(value),
        _ => true,
    };

    public static string Describe(CanonicalField field) => field.Kind switch
    {
        FieldKind.CodedText when field.CodeType is { } categories => $"{categories.Name} value ({string.Join(", ", Enum.GetNames(categories))}, or a common alias such as Excessive force; `openconduct migrate-profile` rewrites a profile written for free-text categories)",
        FieldKind.Coded => $"{field.CodeType!.Name} value ({string.Join(", ", Enum.GetNames(field.CodeType!))})",
        FieldKind.Boolean => "boolean (true or false)",
        _ => "non-empty value",
    };

    /// <summary>An identifier: trimmed, and an integer written as a float (<c>10234.0</c>) read as the integer.</summary>
    public static string Identifier(string raw)
    {
        var id = Identifier(raw.AsSpan());
        return id.Length == raw.Length ? raw : id.ToString();
    }

    /// <summary>The characters of an identifier, as <see cref="Identifier(string)"/> reads them.</summary>
    public static ReadOnlySpan<char> Identifier(ReadOnlySpan<char> raw)
    {
        var dot = raw.IndexOf('.');
        if (dot > 0 && dot < raw.Length - 1)
        {
            for (var i = 0; i < dot; i++)
            {
                if (!char.IsAsciiDigit(raw[i]))
                {
                    return raw;
                }
            }

            for (var i = dot + 1; i < raw.Length; i++)
            {
                if (raw[i] != '0')
                {
                    return raw;
                }
            }

            return raw[..dot];
        }

        return raw;
    }

    /// <summary>
    /// An integer; one written as a float (<c>1949.0</c>) is read as the integer. A fraction (<c>48.767</c>) is
    /// rounded (halves away from zero) or truncated as <paramref name="fractions"/> says (<c>round</c>,
    /// <c>truncate</c>); otherwise it is not a whole number.
    /// </summary>
    public static bool TryInteger(ReadOnlySpan<byte> utf8, IFormatProvider culture, out int value, string? fractions = null)
    {
        if (int.TryParse(utf8, NumberStyles.Integer, culture, out value))
        {
            return true;
        }

        if (decimal.TryParse(utf8, NumberStyles.Float, culture, out var number))
        {
            number = fractions switch
            {
                "round" => decimal.Round(number, MidpointRounding.AwayFromZero),
                "truncate" => decimal.Truncate(number),
                _ => number,
            };
            if (number == decimal.Truncate(number) && number is >= int.MinValue and <= int.MaxValue)
            {
                value = (int)number;
                return true;
            }
        }

        return false;
    }

    public static bool TryInteger(string raw, IFormatProvider culture, out int value, string? fractions = null) =>
        TryInteger(System.Text.Encoding.UTF8.GetBytes(raw), culture, out value, fractions);

    /// <summary>Parses a date in the first of <paramref name="formats"/> that fits, as DateTime.TryParseExact would.</summary>
    public static bool TryDate(ReadOnlySpan<char> raw, string[] formats, IFormatProvider culture, out DateOnly value)
    {
        var parsed = TryDate(raw, formats, culture, out Model.PartialDate date);
        value = date.Value;
        return parsed;
    }

    /// <summary>
    /// Parses a date in the first of <paramref name="formats"/> that fits, with the precision the format has: a format
    /// without a day (<c>yyyy-MM</c>, <c>MMM yyyy</c>) gives a month, one with only a year (<c>yyyy</c>) a year.
    /// </summary>
    public static bool TryDate(ReadOnlySpan<char> raw, string[] formats, IFormatProvider culture, out Model.PartialDate value)
    {
        var text = raw.Trim();
        foreach (var format in formats)
        {
            if (DatePattern.For(format) is { } pattern)
            {
                if (pattern.TryParse(text, out var date))
                {
                    value = new Model.PartialDate(date, pattern.Precision);
                    return true;
                }
            }
            else if (DateTime.TryParseExact(text, format, culture, DateTimeStyles.AllowWhiteSpaces, out var dateTime))
            {
                value = Model.PartialDate.Of(DateOnly.FromDateTime(dateTime), PrecisionOf(format));
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>The precision of a .NET date format: a day when it has d (not only the day's name), else a month when it has M, else a year.</summary>
    private static Model.DatePrecision PrecisionOf(string format)
    {
        var withoutNames = format.Replace("dddd", "", StringComparison.Ordinal).Replace("ddd", "", StringComparison.Ordinal);
        return withoutNames.Contains('d', StringComparison.Ordinal) ? Model.DatePrecision.Day
            : format.Contains('M', StringComparison.Ordinal) ? Model.DatePrecision.Month
            : Model.DatePrecision.Year;
    }

    public static bool? Boolean(string raw) =>
        TrueTokens.Contains(raw) ? true : FalseTokens.Contains(raw) ? false : null;
}

/// <summary>A vocabulary ready for lookups: case-insensitive keys, the optional key extraction, the fallback.</summary>
internal sealed class CompiledVocabulary(string name, VocabularyMapping mapping)
{
    private readonly FrozenDictionary<string, string?> values =
        mapping.Values.ToFrozenDictionary(p => p.Key.Trim(), p => p.Value, StringComparer.OrdinalIgnoreCase);

    private readonly Regex? extract = mapping.Extract is null
        ? null
        : new Regex(mapping.Extract, RegexOptions.CultureInvariant | RegexOptions.Compiled, TimeSpan.FromSeconds(1));

    public string Name { get; } = name;

    public string? Fallback { get; } = mapping.Fallback;

    /// <summary>
    /// Whether the vocabulary lists a raw source value, and its canonical value (null when the vocabulary maps it to
    /// "no value").
    /// </summary>
    public bool TryLookup(string raw, out string? canonical)
    {
        if (values.TryGetValue(raw, out canonical))
        {
            return true;
        }

        if (extract?.Match(raw) is { Success: true } match && values.TryGetValue(match.Groups["key"].Value.Trim(), out canonical))
        {
            return true;
        }

        canonical = null;
        return false;
    }
}
