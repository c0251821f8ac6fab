using System.Globalization;

namespace OpenConduct.Core.Model;

/// <summary>How precise a date is: an export may know only the month or the year, and a policy may publish less.</summary>
public enum DatePrecision
{
    Day,
    Month,
    Year,
}

/// <summary>
/// A date as precise as the export wrote it: a day, a month (its first day, with <see cref="DatePrecision.Month"/>) or
/// a year (1 January, with <see cref="DatePrecision.Year"/>). Written <c>2019-03-04</c>, <c>2019-03</c> or <c>2019</c>,
/// never padded into a day it does not know.
/// </summary>
public readonly record struct PartialDate(DateOnly Value, DatePrecision Precision = DatePrecision.Day) : IComparable<PartialDate>
{
    public int Year => Value.Year;

    public static implicit operator PartialDate(DateOnly date) => new(date);

    /// <summary>A date truncated to <paramref name="precision"/> (a month is its first day, a year its 1 January).</summary>
    public static PartialDate Of(DateOnly date, DatePrecision precision) => precision switch
    {
        DatePrecision.Year => new(new DateOnly(date.Year, 1, 1), precision),
        DatePrecision.Month => new(new DateOnly(date.Year, date.Month, 1), precision),
        _ => new(date),
    };

    /// <summary>The coarser of two precisions.</summary>
    public static DatePrecision Coarser(DatePrecision a, DatePrecision b) => (DatePrecision)Math.Max((int)a, (int)b);

    public int CompareTo(PartialDate other) => Value.CompareTo(other.Value);

    public override string ToString() => Precision switch
    {
        DatePrecision.Year => Value.Year.ToString("0000", CultureInfo.InvariantCulture),
        DatePrecision.Month => Value.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        _ => Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };

    public static bool operator <(PartialDate left, PartialDate right) => left.CompareTo(right) < 0;

    public static bool operator >(PartialDate left, PartialDate right) => left.CompareTo(right) > 0;

    public static bool operator <=(PartialDate left, PartialDate right) => left.CompareTo(right) <= 0;

    public static bool operator >=(PartialDate left, PartialDate right) => left.CompareTo(right) >= 0;
}
