using System.Globalization;

namespace OpenConduct.Core.Disclosure;

/// <summary>The kinds of personal data the <see cref="NarrativeScrubber"/> replaces with a typed placeholder.</summary>
public enum PiiKind
{
    /// <summary>A private person's name: complainant, witness, victim, relative, bystander.</summary>
    Name,

    /// <summary>A private person's initials: "QZ", "R.M.", "J. C." (officers' initials on the record stay).</summary>
    Initials,

    /// <summary>An age/race/sex descriptor: "40/W/F", "(21/B/M)", "B/M/30", "a 34-year-old Black male".</summary>
    Demographic,

    /// <summary>A street address (house number + street), with its unit, city, state and ZIP when written with it.</summary>
    Address,

    /// <summary>A telephone number.</summary>
    Phone,

    /// <summary>An e-mail address.</summary>
    Email,

    /// <summary>A social security number.</summary>
    Ssn,

    /// <summary>A date of birth (a date or a year written next to "DOB", "born", "date of birth").</summary>
    DateOfBirth,

    /// <summary>A vehicle licence plate, after a keyword ("plate", "tag") or a state code ("PA JKL1234").</summary>
    LicensePlate,

    /// <summary>A case-person label standing for a civilian: C1, W2, V1.</summary>
    CaseLabel,

    /// <summary>Another personal identifier: a driver's licence, inmate, account or ID number.</summary>
    OtherId,
}

/// <summary>
/// What the scrubber knows about one record. <paramref name="OfficerNames"/>: the officers on the record, in any of
/// the forms exports use ("John Smith", "Smith, John", "SMITH, JOHN Q", "John Q. Smith", "Smith", or initials alone,
/// "XK" or "X.K.", as some cities publish them); their names are never replaced. In "First Last" the first word is
/// the given name and every later word a surname; in "Last, First" the words before the comma are the surname; a
/// one-word entry is a surname (or, in capitals of one to three letters, initials) and is protected wherever it occurs.
/// <paramref name="KnownPrivateNames"/>: the complainants, witnesses and victims the export names ("Maria Lopez",
/// "Lopez, Maria", "LOPEZ"); each of their words is replaced wherever it occurs, in any order and case, with or
/// without accents, curly apostrophes or a middle initial (a word that is also a common English word, such as
/// "young", only in lower case next to another part of the name).
/// </summary>
public sealed record ScrubContext(IReadOnlyList<string> OfficerNames, IReadOnlyList<string> KnownPrivateNames)
{
    /// <summary>No officers, no known private names: only the recognisers run.</summary>
    public static ScrubContext Empty { get; } = new([], []);
}

/// <summary>A range of a narrative replaced by its kind's placeholder: by the scrubber, or added by a reviewer.</summary>
public readonly record struct TextMask(int Start, int Length, [property: System.Text.Json.Serialization.JsonConverter(typeof(NamesOnlyEnumConverter<PiiKind>))] PiiKind Kind);

/// <summary>A word of a scrubbed narrative that the residual-risk gate still finds suspect, and why.</summary>
public readonly record struct TextFlag(int Start, int Length, [property: System.Text.Json.Serialization.JsonConverter(typeof(NamesOnlyEnumConverter<ResidualRisk>))] ResidualRisk Risk);

/// <summary>What the scrubber would mask in a narrative and what it still finds suspect (<see cref="NarrativeScrubber.Review"/>).</summary>
public sealed record NarrativeAnalysis(IReadOnlyList<TextMask> Masks, IReadOnlyList<TextFlag> Flags);

/// <summary>
/// The scrubbed text and how many placeholders of each kind were written (counts only, never values).
/// <see cref="Withheld"/>: the residual-risk gate withheld the narrative (its <see cref="Text"/> is then null), and why.
/// <see cref="Review"/>: when the policy requires a reviewer, the masks and suspect words the reviewer sees.
/// </summary>
public readonly record struct ScrubResult(string? Text, PiiCounts Counts, ResidualRisk Withheld = ResidualRisk.None, NarrativeAnalysis? Review = null);

/// <summary>Placeholders written per <see cref="PiiKind"/>. Immutable; add two with <c>+</c> to aggregate.</summary>
public readonly struct PiiCounts : IEquatable<PiiCounts>
{
    private readonly int[]? counts;

    private PiiCounts(int[] counts) => this.counts = counts;

    /// <summary>Counts from (kind, count) pairs; kinds not given count zero.</summary>
    public static PiiCounts Of(params (PiiKind Kind, int Count)[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var counts = new int[KindCount];
        foreach (var (kind, count) in values)
        {
            counts[(int)kind] += count;
        }

        return new PiiCounts(counts);
    }

    internal const int KindCount = (int)PiiKind.OtherId + 1;

    /// <summary>The count for one kind.</summary>
    public int this[PiiKind kind] => (uint)kind < KindCount
        ? counts?[(int)kind] ?? 0
        : throw new ArgumentOutOfRangeException(nameof(kind), kind, null);

    /// <summary>All placeholders written.</summary>
    public int Total => counts?.Sum() ?? 0;

    public static PiiCounts operator +(PiiCounts left, PiiCounts right) => left.Add(right);

    public static bool operator ==(PiiCounts left, PiiCounts right) => left.Equals(right);

    public static bool operator !=(PiiCounts left, PiiCounts right) => !left.Equals(right);

    /// <summary>The sum of two counts.</summary>
    public PiiCounts Add(PiiCounts other)
    {
        if (other.counts is null)
        {
            return this;
        }

        if (counts is null)
        {
            return other;
        }

        var sum = new int[KindCount];
        for (var k = 0; k < KindCount; k++)
        {
            sum[k] = counts[k] + other.counts[k];
        }

        return new PiiCounts(sum);
    }

    internal static PiiCounts From(int[] counts) => new(counts);

    public bool Equals(PiiCounts other)
    {
        for (var k = 0; k < KindCount; k++)
        {
            if (this[(PiiKind)k] != other[(PiiKind)k])
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => obj is PiiCounts other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        for (var k = 0; k < KindCount; k++)
        {
            hash.Add(this[(PiiKind)k]);
        }

        return hash.ToHashCode();
    }

    public override string ToString()
    {
        var self = this;
        return string.Join(' ', Enum.GetValues<PiiKind>().Select(k => string.Create(CultureInfo.InvariantCulture, $"{k}={self[k]}")));
    }
}

/// <summary>One replaced range of the input (start and length in the input text).</summary>
internal readonly record struct PiiSpan(int Start, int Length, PiiKind Kind)
{
    public int End => Start + Length;
}
