namespace OpenConduct.Samples;

/// <summary>One officer of the synthetic department.</summary>
internal sealed class RosterOfficer
{
    public required int Index { get; init; }
    public required int EmployeeId { get; init; }
    public required string FirstName { get; init; }
    public required string MiddleInitial { get; init; }
    public required string LastName { get; init; }
    public required bool Female { get; init; }
    public required int Race { get; init; }
    public required int BirthYear { get; init; }
    public required DateOnly Hired { get; init; }
    public required DateOnly? Separated { get; init; }
    public required string Badge { get; init; }
    public required string? SecondBadge { get; init; }
    public required DateOnly? SecondBadgeIssued { get; init; }
    public required int Rank { get; init; }
    public required int Precinct { get; init; }
    public required string? Unit { get; init; }
    public required double Weight { get; init; }

    public string BadgeOn(DateOnly date) => SecondBadge is not null && date >= SecondBadgeIssued ? SecondBadge : Badge;

    public bool ActiveOn(DateOnly date) => date >= Hired && (Separated is null || date <= Separated);

    public string Assignment => Unit ?? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Precinct {Precinct}");
}

/// <summary>
/// The synthetic department's officers. Officer <c>i</c> depends only on the roster seed and <c>i</c>, so a small
/// roster is a prefix of a larger one and the three sources (generated with the same roster seed) share officers:
/// the same employee ids in OPCR and IAU, the same name, birth year and appointment date in CRA.
/// </summary>
internal sealed class Roster
{
    public static readonly DateOnly ExportDate = new(2026, 11, 15);
    private static readonly DateOnly FirstHire = new(1966, 1, 1);
    private static readonly DateOnly LastHire = new(2025, 12, 31);

    private readonly double[] cumulative;

    public Roster(int seed, int size)
    {
        Officers = new RosterOfficer[size];
        cumulative = new double[size];
        var total = 0.0;
        for (var i = 0; i < size; i++)
        {
            Officers[i] = Create(seed, i);
            total += Officers[i].Weight;
            cumulative[i] = total;
        }
    }

    public RosterOfficer[] Officers { get; }

    public static int DefaultSize(int allegations) => Math.Max(50, (allegations + 39) / 40);

    /// <summary>
    /// An officer on duty on <paramref name="date"/>, drawn by weight (a few officers collect many complaints), and
    /// not one of <paramref name="exclude"/>.
    /// </summary>
    public RosterOfficer Draw(Random random, DateOnly date, List<RosterOfficer> exclude)
    {
        var total = cumulative[^1];
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var u = random.NextDouble() * total;
            var index = Array.BinarySearch(cumulative, u);
            index = index < 0 ? ~index : index;
            var officer = Officers[Math.Min(index, Officers.Length - 1)];
            if (officer.ActiveOn(date) && !exclude.Contains(officer))
            {
                return officer;
            }
        }

        // A small roster may have nobody on duty that day: take the first eligible officer from a random start.
        var start = random.Next(Officers.Length);
        for (var k = 0; k < Officers.Length; k++)
        {
            var officer = Officers[(start + k) % Officers.Length];
            if (officer.ActiveOn(date) && !exclude.Contains(officer))
            {
                return officer;
            }
        }

        for (var k = 0; k < Officers.Length; k++)
        {
            var officer = Officers[(start + k) % Officers.Length];
            if (!exclude.Contains(officer))
            {
                return officer;
            }
        }

        return Officers[start];
    }

    private static RosterOfficer Create(int seed, int i)
    {
        var r = Rng.For(seed, i);
        var female = r.Chance(0.16);
        var first = r.Pick(female ? Names.FemaleFirst : Names.MaleFirst);
        var last = r.Pick(Names.Last);
        var middle = r.Chance(0.85) ? ((char)('A' + r.Next(26))).ToString() : "";
        var race = r.Weighted(Names.OfficerRaceWeights);
        var hired = r.Between(FirstHire, LastHire);
        var birthYear = hired.Year - 21 - r.Next(15);
        var career = 3 + r.Next(33);
        var retireBy = new DateOnly(birthYear + 62, 6, 30);
        var separatedOn = hired.AddDays((career * 365) + r.Next(365));
        if (separatedOn > retireBy)
        {
            separatedOn = retireBy;
        }

        DateOnly? separated = separatedOn <= ExportDate ? separatedOn : null;
        var end = separated ?? ExportDate;

        string? secondBadge = null;
        DateOnly? secondIssued = null;
        if (r.Chance(0.18))
        {
            var issued = hired.AddDays(365 * (2 + r.Next(14)) + r.Next(365));
            if (issued < end)
            {
                secondBadge = BadgeNumber((2 * i) + 1);
                secondIssued = issued;
            }
        }

        var years = (end.DayNumber - hired.DayNumber) / 365;
        var rank = years switch
        {
            >= 20 when r.Chance(0.12) => 3,
            >= 14 when r.Chance(0.20) => 2,
            >= 8 when r.Chance(0.35) => 1,
            _ => 0,
        };
        var precinct = 1 + r.Next(5);
        var unit = r.Chance(0.25) ? r.Pick(Names.Units) : null;
        // Skewed propensity, with arithmetic only (no Math.Exp/Log: their last bit may differ across platforms).
        var u = r.NextDouble();
        var weight = 0.2 + (3.3 * u * u * u * u);

        return new RosterOfficer
        {
            Index = i,
            EmployeeId = 10001 + i,
            FirstName = first,
            MiddleInitial = middle,
            LastName = last,
            Female = female,
            Race = race,
            BirthYear = birthYear,
            Hired = hired,
            Separated = separated,
            Badge = BadgeNumber(2 * i),
            SecondBadge = secondBadge,
            SecondBadgeIssued = secondIssued,
            Rank = rank,
            Precinct = precinct,
            Unit = unit,
            Weight = weight,
        };
    }

    /// <summary>Distinct badge numbers per slot: a scrambled permutation of 1000..98999, then six digits beyond.</summary>
    private static string BadgeNumber(int slot) =>
        (slot < 98000 ? 1000 + Scramble(slot, 98000) : 100000 + slot).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A bijection of [0, range) for range &lt;= 2^18: a small Feistel network with cycle walking.</summary>
    private static int Scramble(int value, int range)
    {
        var x = value;
        do
        {
            var left = x >> 9;
            var right = x & 0x1ff;
            for (var round = 0; round < 4; round++)
            {
                var f = ((right * 0x2c1b3c6d) + (round * 0x297a2d39)) >>> 7 & 0x1ff;
                (left, right) = (right, left ^ f);
            }

            x = (left << 9) | right;
        }
        while (x >= range);

        return x;
    }
}
