using System.Globalization;

namespace OpenConduct.Core.Model;

/// <summary>
/// How long a case took, from published dates only: one rule for the timelines dashboard, the case status and the
/// officer histories (docs/api.md, "Timelines").
/// </summary>
/// <remarks>
/// Days to close: a closed case whose received and closed dates are both published to the day (and not in the wrong
/// order). Days to final discipline: from the received day to the latest published day on which the discipline of one
/// of its allegations was decided, counting only discipline marked as final, when no allegation's discipline is marked
/// as not final (the case has not reached its final discipline yet) and at least one such day is published. A
/// discipline whose finality the records do not give is not counted: it may still change.
/// </remarks>
public static class CaseDurations
{
    /// <summary>Days from received to closed, or null.</summary>
    public static int? DaysToClose(DateOnly? received, DateOnly? closed, bool isClosed) =>
        isClosed && received is { } r && closed is { } c && c >= r ? c.DayNumber - r.DayNumber : null;

    /// <summary>Days from received to the final discipline, or null (see the remarks of <see cref="CaseDurations"/>).</summary>
    /// <param name="received">The received day (null when not published to the day).</param>
    /// <param name="discipline">Per allegation: its discipline day (null when none is published to the day) and whether it is final.</param>
    public static int? DaysToFinalDiscipline(DateOnly? received, IEnumerable<(DateOnly? Day, bool? Final)> discipline)
    {
        ArgumentNullException.ThrowIfNull(discipline);
        if (received is not { } r)
        {
            return null;
        }

        DateOnly? latest = null;
        foreach (var (day, final) in discipline)
        {
            if (final == false)
            {
                return null;
            }

            if (final == true && day is { } d && (latest is null || d > latest))
            {
                latest = d;
            }
        }

        return latest is { } l && l >= r ? l.DayNumber - r.DayNumber : null;
    }

    /// <summary>A published date that is a day (<c>yyyy-MM-dd</c>), else null (a month or a year is no day).</summary>
    public static DateOnly? Day(string? published) =>
        published is { Length: 10 } && DateOnly.TryParseExact(published, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}
