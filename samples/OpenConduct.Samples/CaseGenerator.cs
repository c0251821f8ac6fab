namespace OpenConduct.Samples;

internal enum SourceKind
{
    Opcr,
    Iau,
    Cra,

    /// <summary>An oversight office's closed case summaries (JSON): every case closed.</summary>
    Opa,

    /// <summary>A case-management system's complaint events (JSON Lines).</summary>
    Events,

    /// <summary>A professional standards bureau's spreadsheet (.xlsx and .xls).</summary>
    Workbook,
}

/// <summary>A civilian: a complainant (or, in narratives, a witness).</summary>
internal sealed class GenPerson
{
    public required string FirstName { get; init; }
    public required string LastName { get; init; }

    /// <summary>M, F or X.</summary>
    public required char Sex { get; init; }

    /// <summary>Index into the race lists, or -1 when unknown.</summary>
    public required int Race { get; init; }

    public required int? Age { get; init; }
    public required DateOnly? BirthDate { get; init; }
    public required string? Address { get; init; }
    public required string? Phone { get; init; }
    public required string? Email { get; init; }

    public string Initials => $"{FirstName[0]}.{LastName[0]}.";

    public bool Juvenile => Age is < 18;
}

internal sealed class GenAllegation
{
    public required int Id { get; init; }
    public required RosterOfficer Officer { get; init; }
    public required Cat Category { get; init; }
    public required int Detail { get; init; }
    public Fnd? Recommended { get; set; }
    public Fnd? Final { get; set; }
    public Disc? RecommendedDiscipline { get; set; }
    public Disc? ImposedDiscipline { get; set; }
    public int SuspensionDays { get; set; }
    public bool? DisciplineFinal { get; set; }

    /// <summary>When the imposed discipline was decided: after the case closed (grievance and arbitration take months).</summary>
    public DateOnly? DisciplineDate { get; set; }

    /// <summary>CRA writes a NoFinding either as NO AFF or as WITHDRAWN.</summary>
    public bool Withdrawn { get; set; }
}

/// <summary>One generated complaint with its allegations and complainants, in canonical terms.</summary>
internal sealed class GenCase
{
    public required int Year { get; init; }
    public required int Sequence { get; init; }
    public required DateOnly Received { get; init; }
    public required DateOnly? Incident { get; init; }
    public required DateOnly? Closed { get; init; }
    public bool Open => Closed is null;
    public required Intake? Intake { get; init; }

    /// <summary>IAU incident type: 0 citizen complaint, 1 internal, 2 OPCR referral, 3 use-of-force review.</summary>
    public required int Kind { get; init; }

    public required int Precinct { get; init; }
    public required string? Location { get; init; }
    public required List<GenAllegation> Allegations { get; init; }
    public required List<GenPerson> Complainants { get; init; }
    public bool DomesticViolence { get; set; }
    public bool SexualAssault { get; set; }
    public bool Juvenile { get; set; }
    public string Narrative { get; set; } = "";
}

/// <summary>
/// Generates complaints one at a time, in order of received date, until the requested number of allegations is
/// reached. Nothing but the current complaint is held in memory.
/// </summary>
internal sealed class CaseGenerator
{
    private static readonly double[] AllegationCountWeights = [0.22, 0.30, 0.24, 0.24];
    private static readonly double[] OfficerCountWeights = [0.65, 0.25, 0.10];
    private static readonly double[] ComplainantCountWeights = [0.04, 0.84, 0.12];
    private static readonly double[] PrecinctWeights = [0.16, 0.16, 0.28, 0.22, 0.18];
    private static readonly double[] ClosedIntakeWeights = [0.15, 0.09, 0.08, 0.62, 0.06];
    private static readonly double[] IauKindWeights = [0.70, 0.15, 0.10, 0.05];

    private static readonly double[] OpcrInvestigationFindings = [0.17, 0.36, 0.20, 0.17, 0.10];
    private static readonly double[] IauFindings = [0.11, 0.36, 0.20, 0.18, 0.15];
    private static readonly double[] CraFindings = [0.09, 0.34, 0.15, 0.14, 0.28];

    private readonly Random random;
    private readonly Roster roster;
    private readonly SourceKind kind;
    private readonly int total;
    private readonly DateOnly start;
    private readonly DateOnly end;
    private readonly DateOnly closeBy;
    private readonly List<RosterOfficer> involved = new(3);
    private int emitted;
    private DateOnly previous;
    private int year;
    private int sequence;

    public CaseGenerator(SourceKind kind, Random random, Roster roster, int allegations, CanarySeeder? canaries = null)
    {
        Canaries = canaries;
        this.kind = kind;
        this.random = random;
        this.roster = roster;
        total = allegations;
        (start, end, closeBy) = kind == SourceKind.Cra
            ? (new DateOnly(1991, 1, 2), new DateOnly(2012, 12, 14), new DateOnly(2012, 12, 31))
            : (new DateOnly(2010, 1, 4), Roster.ExportDate.AddDays(-5), Roster.ExportDate.AddDays(-1));
        previous = start;
    }

    /// <summary>The canary seeder, or null when the private values are the ordinary synthetic ones.</summary>
    public CanarySeeder? Canaries { get; }

    public int Complaints { get; private set; }

    public int Allegations => emitted;

    public GenCase? Next()
    {
        var remaining = total - emitted;
        if (remaining <= 0)
        {
            return null;
        }

        var r = random;
        var count = Math.Min(1 + r.Weighted(AllegationCountWeights), remaining);

        var span = end.DayNumber - start.DayNumber;
        var progress = (emitted + (count / 2.0)) / total;
        var received = start.AddDays(Math.Clamp((int)(progress * span) + r.Next(-3, 4), 0, span));
        if (received < previous)
        {
            received = previous;
        }

        previous = received;
        if (received.Year != year)
        {
            year = received.Year;
            sequence = 0;
        }

        sequence++;

        DateOnly? incident = r.Chance(0.03) ? null : received.AddDays(-(r.Chance(0.85) ? r.Next(0, 30) : r.Next(30, 365)));
        var open = kind is not (SourceKind.Cra or SourceKind.Opa) && r.Chance(received.DayNumber >= Roster.ExportDate.DayNumber - 600 ? 0.85 : 0.02);
        DateOnly? closed = null;
        if (!open)
        {
            // A long-tailed duration (median about 100 days), with arithmetic only so that every platform agrees.
            var u = r.NextDouble();
            var c = received.AddDays(7 + (int)Math.Min(1400, 100 * u / (1.0 - u)));
            if (c <= closeBy)
            {
                closed = c;
            }
            else if (kind == SourceKind.Cra)
            {
                // The authority was abolished at the end of 2012: whatever was pending was closed then.
                closed = closeBy < received ? received : closeBy;
            }
            else if (kind == SourceKind.Opa)
            {
                // Only closed cases are summarised: a recent case is one closed quickly (expedited).
                var quick = received.AddDays(30);
                closed = quick < closeBy ? quick : closeBy < received ? received : closeBy;
            }
            else
            {
                open = true;
            }
        }

        Intake? intake = null;
        if (kind == SourceKind.Opcr)
        {
            intake = open ? (r.Chance(0.5) ? null : Intake.Investigation) : (Intake)r.Weighted(ClosedIntakeWeights);
        }

        var caseKind = kind == SourceKind.Iau ? r.Weighted(IauKindWeights) : 0;
        var precinct = 1 + r.Weighted(PrecinctWeights);
        var location = Location(r, precinct);

        var complainants = new List<GenPerson>(2);
        var complainantCount = caseKind == 1 ? 0 : r.Weighted(ComplainantCountWeights);
        for (var i = 0; i < complainantCount; i++)
        {
            var person = Person(r, received, precinct);
            complainants.Add(Canaries is null ? person : Seed(person, Canaries));
        }

        var onDuty = incident ?? received;
        involved.Clear();
        var officers = Math.Min(1 + r.Weighted(OfficerCountWeights), count);
        for (var i = 0; i < officers; i++)
        {
            involved.Add(roster.Draw(r, onDuty, involved));
        }

        var allegations = new List<GenAllegation>(count);
        for (var i = 0; i < count; i++)
        {
            var officer = i < involved.Count ? involved[i] : involved[r.Next(involved.Count)];
            var category = (Cat)r.Weighted(Vocab.CategoryWeights);
            // One officer is accused of a category once per case: in exports without allegation ids (IAU, CRA) two such
            // allegations could otherwise be identical rows, indistinguishable from the deliberate duplicates.
            while (allegations.Exists(a => a.Officer == officer && a.Category == category))
            {
                category = (Cat)r.Weighted(Vocab.CategoryWeights);
            }

            var allegation = new GenAllegation
            {
                Id = emitted + i + 1,
                Officer = officer,
                Category = category,
                Detail = r.Next(Vocab.Details[(int)category].Length),
            };
            Decide(r, allegation, open, intake);
            if (allegation.ImposedDiscipline is not null && closed is { } decided)
            {
                // From the allegation's id, not the random stream, so that the other values stay as they were.
                var after = (int)((uint)allegation.Id * 2654435761u % 1000);
                var date = decided.AddDays(after < 600 ? after / 20 : 30 + ((after - 600) * 300 / 400));
                allegation.DisciplineDate = date > closeBy && closeBy >= decided ? closeBy : date;
            }

            allegations.Add(allegation);
        }

        emitted += count;
        Complaints++;

        var generated = new GenCase
        {
            Year = year,
            Sequence = sequence,
            Received = received,
            Incident = incident,
            Closed = closed,
            Intake = intake,
            Kind = caseKind,
            Precinct = precinct,
            Location = location,
            Allegations = allegations,
            Complainants = complainants,
            DomesticViolence = allegations.Exists(a => a.Category == Cat.DomesticViolence) || r.Chance(0.01),
            SexualAssault = allegations.Exists(a => a.Category == Cat.SexualMisconduct),
            Juvenile = complainants.Exists(p => p.Juvenile),
        };
        generated.Narrative = Narratives.Build(r, kind, generated, Canaries);
        return generated;
    }

    private void Decide(Random r, GenAllegation a, bool open, Intake? intake)
    {
        if (open)
        {
            if (kind == SourceKind.Opcr && intake == Intake.Investigation && r.Chance(0.3))
            {
                a.Recommended = (Fnd)r.Weighted(OpcrInvestigationFindings);
                if (a.Recommended == Fnd.Sustained)
                {
                    a.RecommendedDiscipline = (Disc)r.Weighted(Vocab.DisciplineWeights);
                }
            }

            return;
        }

        switch (kind)
        {
            case SourceKind.Opcr when intake == Intake.Investigation:
                a.Final = (Fnd)r.Weighted(OpcrInvestigationFindings);
                a.Recommended = r.Chance(0.9) ? a.Final : (Fnd)r.Weighted(OpcrInvestigationFindings);
                break;
            case SourceKind.Opcr:
                a.Final = Fnd.NoFinding;
                a.Recommended = Fnd.NoFinding;
                break;
            case SourceKind.Iau or SourceKind.Opa or SourceKind.Events or SourceKind.Workbook:
                a.Final = (Fnd)r.Weighted(IauFindings);
                break;
            default:
                a.Final = (Fnd)r.Weighted(CraFindings);
                a.Withdrawn = a.Final == Fnd.NoFinding && r.Chance(0.3);
                return;
        }

        if (a.Final == Fnd.Sustained)
        {
            var imposed = (Disc)r.Weighted(Vocab.DisciplineWeights);
            a.ImposedDiscipline = imposed;
            a.SuspensionDays = imposed == Disc.Suspension ? Vocab.SuspensionDays[r.Weighted(Vocab.SuspensionWeights)] : 0;
            a.DisciplineFinal = r.Chance(0.85);
        }

        if (a.Recommended == Fnd.Sustained)
        {
            a.RecommendedDiscipline = a.ImposedDiscipline is { } same && r.Chance(0.75) ? same : (Disc)r.Weighted(Vocab.DisciplineWeights);
        }
    }

    private static string? Location(Random r, int precinct)
    {
        var u = r.NextDouble();
        var streets = Names.Streets[precinct - 1];
        return u switch
        {
            < 0.65 => Address(r, precinct),
            < 0.85 => $"{r.Pick(streets)} & {r.Pick(streets)}",
            < 0.92 => null,
            _ => Ordinal(precinct) + " Precinct station",
        };
    }

    public static string Address(Random r, int precinct) =>
        (100 + r.Next(5900)).ToString(System.Globalization.CultureInfo.InvariantCulture) + " " + r.Pick(Names.Streets[precinct - 1]);

    public static string Ordinal(int n) => n switch
    {
        1 => "1st",
        2 => "2nd",
        3 => "3rd",
        _ => n.ToString(System.Globalization.CultureInfo.InvariantCulture) + "th",
    };

    private static GenPerson Person(Random r, DateOnly received, int precinct)
    {
        var sexDraw = r.NextDouble();
        var sex = sexDraw < 0.55 ? 'M' : sexDraw < 0.98 ? 'F' : 'X';
        var first = r.Pick(sex == 'F' || (sex == 'X' && r.Chance(0.5)) ? Names.FemaleFirst : Names.MaleFirst);
        var last = r.Pick(Names.Last);
        var race = r.Chance(0.04) ? -1 : r.Weighted(Names.CivilianRaceWeights);
        int? age = r.Chance(0.05) ? 14 + r.Next(4) : 18 + r.Next(63);
        DateOnly? birth = received.AddYears(-age.Value).AddDays(-1 - r.Next(364));
        if (r.Chance(0.05))
        {
            birth = null;
            if (r.Chance(0.5))
            {
                age = null;
            }
        }

        var homePrecinct = r.Chance(0.6) ? precinct : 1 + r.Next(5);
        string? address = r.Chance(0.06)
            ? null
            : Address(r, homePrecinct) + (r.Chance(0.25) ? " Apt " + (1 + r.Next(30)).ToString(System.Globalization.CultureInfo.InvariantCulture) + (char)('A' + r.Next(4)) : "")
              + ", Minneapolis, MN " + Names.Zips[homePrecinct - 1];
        var phone = r.Chance(0.08) ? null : Phone(r, 0);
        var email = r.Chance(0.5)
            ? Names.Ascii(first) + "." + Names.Ascii(last) + (r.Chance(0.5) ? (10 + r.Next(90)).ToString(System.Globalization.CultureInfo.InvariantCulture) : "") + "@" + r.Pick(Names.EmailDomains)
            : null;
        return new GenPerson
        {
            FirstName = first,
            LastName = last,
            Sex = sex,
            Race = race,
            Age = age,
            BirthDate = birth,
            Address = address,
            Phone = phone,
            Email = email,
        };
    }

    /// <summary>The person with a canary in every private value the generator drew (a missing value stays missing).</summary>
    private static GenPerson Seed(GenPerson p, CanarySeeder canaries) => new()
    {
        FirstName = canaries.Name(),
        LastName = canaries.Name(),
        Sex = p.Sex,
        Race = p.Race,
        Age = p.Age,
        BirthDate = p.BirthDate is null ? null : canaries.BirthDate(),
        Address = p.Address is null ? null : canaries.Address() + p.Address[p.Address.IndexOf(", Minneapolis", StringComparison.Ordinal)..],
        Phone = p.Phone is null ? null : canaries.Phone(),
        Email = p.Email is null ? null : canaries.Email(),
    };

    /// <summary>A fictional phone number (555-0100..0199) in one of several spellings; style 0 is the dashed one.</summary>
    public static string Phone(Random r, int style)
    {
        var area = r.Pick(Names.AreaCodes);
        var line = "01" + r.Next(100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
        return style switch
        {
            1 => $"({area}) 555 {line}",
            2 => $"({area}) 555-{line}",
            3 => $"{area}.555.{line}",
            4 => $"{area}555{line}",
            _ => $"{area}-555-{line}",
        };
    }
}
