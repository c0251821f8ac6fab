using System.Globalization;
using System.Text;

namespace OpenConduct.Samples;

/// <summary>
/// A synthetic export shaped like the four tables the New York City Civilian Complaint Review Board (CCRB) publishes on
/// NYC Open Data (complaints, allegations, police officers, penalties), plus the complainants file an agency's own
/// export would add (the public tables have none): the names, addresses and phones there are what the New York policy
/// must never publish. Column names follow the CCRB's tables; every value is synthetic.
/// </summary>
public static partial class SyntheticExports
{
    public const int CommittedCcrbAllegations = 320;

    public const string CcrbComplaintsFile = "complaints.csv";
    public const string CcrbAllegationsFile = "allegations.csv";
    public const string CcrbOfficersFile = "officers.csv";
    public const string CcrbPenaltiesFile = "penalties.csv";
    public const string CcrbComplainantsFile = "complainants.csv";

    private const int CcrbSalt = 7;

    /// <summary>The CCRB's roster seed: another city, so none of its officers is one of the Minnesota samples'.</summary>
    public const int CcrbRosterSeed = 2000;

    private static readonly int[] CcrbPrecincts = [14, 40, 44, 75, 114];
    private static readonly string[] CcrbBoroughs = ["Manhattan", "Bronx", "Bronx", "Brooklyn", "Queens"];

    private static readonly string[] FadoTypes = ["Force", "Abuse of Authority", "Discourtesy", "Offensive Language"];
    private static readonly double[] FadoWeights = [0.30, 0.46, 0.17, 0.07];

    private static readonly string[][] FadoAllegations =
    [
        ["Physical force", "Gun Pointed", "Pepper spray", "Nightstick as club (incl asp & baton)", "Restricted Breathing"],
        ["Frisk", "Search (of person)", "Stop", "Refusal to provide name/shield number", "Threat of arrest", "Premises entered and/or searched", "Vehicle search"],
        ["Word", "Action", "Gesture"],
        ["Race", "Ethnicity", "Gender", "Sexual orientation"],
    ];

    /// <summary>The Board's dispositions that are not substantiated, with their weights.</summary>
    private static readonly string[] CcrbOtherDispositions =
        ["Unsubstantiated", "Unable to Determine", "Exonerated", "Within NYPD Guidelines", "Unfounded", "Complainant Uncooperative", "Complaint Withdrawn", "Officer(s) Unidentified"];

    private static readonly double[] CcrbOtherWeights = [0.20, 0.16, 0.12, 0.12, 0.14, 0.14, 0.07, 0.05];

    /// <summary>The Board's discipline recommendations, from the least to the most severe.</summary>
    private static readonly string[] BoardRecommendations = ["Instructions", "Formalized Training", "Command Discipline A", "Command Discipline B", "Charges"];

    private static readonly double[] BoardWeights = [0.14, 0.20, 0.22, 0.24, 0.20];

    /// <summary>
    /// The Police Commissioner's final penalties as the penalties table writes them; <c>{n}</c> is a number of days. The
    /// first index is the recommendation (as above) it is most likely to follow.
    /// </summary>
    private static readonly string[][] NypdPenalties =
    [
        ["Instructions", "No penalty", "Formalized Training"],
        ["Formalized Training", "Instructions", "No penalty"],
        ["Command Discipline A", "Warned & admonished/Reprimanded", "Forfeit vacation {n} day(s)", "No penalty", "Instructions"],
        ["Forfeit vacation {n} day(s)", "Command Discipline B", "Warned & admonished/Reprimanded", "No penalty", "Formalized Training"],
        ["Forfeit vacation {n} day(s)", "Suspended {n} day(s)", "No penalty", "Terminated", "Warned & admonished/Reprimanded"],
    ];

    /// <summary>
    /// The CCRB-shaped export: complaints.csv, allegations.csv, officers.csv (by Tax ID), penalties.csv (one row per
    /// officer and substantiated complaint: the Board's recommendation and the NYPD's final penalty) and
    /// complainants.csv, joined by Complaint Id and Tax ID. UTF-8, commas, LF, MM/dd/yyyy dates. Quirks: penalties
    /// written as text with a count of days ("Forfeit vacation 5 day(s)"), a blank penalty while the Police
    /// Commissioner has not decided, a second penalty row for some officer and complaint (a combined penalty written
    /// on two rows), Tax IDs written as floats ("912345.0") in the penalties table, open complaints with no
    /// disposition, allegations against an officer the CCRB could not identify (no Tax ID).
    /// </summary>
    public static SyntheticExportResult WriteCcrb(string directory, SyntheticExportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Allegations);
        Directory.CreateDirectory(directory);
        var roster = new Roster(options.RosterSeed == CommittedRosterSeed ? CcrbRosterSeed : options.RosterSeed, options.Officers ?? Roster.DefaultSize(options.Allegations));
        var random = Rng.For(options.Seed, CcrbSalt);
        var quirks = Rng.For(options.Seed, CcrbSalt + 100);
        var canaries = options.Canaries ? new CanarySeeder(CcrbSalt) : null;
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        const string lf = "\n";

        using var officers = new CsvSink(Path.Combine(directory, CcrbOfficersFile), encoding, ',', lf);
        using var complaints = new CsvSink(Path.Combine(directory, CcrbComplaintsFile), encoding, ',', lf);
        using var allegations = new CsvSink(Path.Combine(directory, CcrbAllegationsFile), encoding, ',', lf);
        using var penalties = new CsvSink(Path.Combine(directory, CcrbPenaltiesFile), encoding, ',', lf);
        using var complainants = new CsvSink(Path.Combine(directory, CcrbComplainantsFile), encoding, ',', lf);

        officers.Header(["As Of Date", "Tax ID", "Officer First Name", "Officer Last Name", "Shield No", "Current Rank", "Current Command", "Officer Race", "Officer Gender", "Active Per Last Reported Status"]);
        foreach (var o in roster.Officers)
        {
            officers.Field(AsOf)
                .Field(TaxId(o))
                .Field(o.FirstName)
                .Field(o.LastName)
                .Field(o.Badge)
                .Field(CcrbRanks[o.Rank])
                .Field(string.Create(Inv, $"{CcrbPrecincts[o.Precinct % CcrbPrecincts.Length]:D3} PCT"))
                .Field(Names.RaceWords[o.Race])
                .Field(o.Female ? "Female" : "Male")
                .Field(o.Separated is null ? "Yes" : "No")
                .EndRow();
        }

        complaints.Header(["As Of Date", "Complaint Id", "Incident Date", "CCRB Received Date", "Close Date", "Borough Of Incident Occurrence", "Precinct Of Incident Occurrence", "Reason For Police Contact"]);
        allegations.Header(["As Of Date", "Complaint Id", "Allegation Record Identity", "Tax ID", "FADO Type", "Allegation", "CCRB Allegation Disposition"]);
        penalties.Header(["As Of Date", "Complaint Id", "Tax ID", "Board Discipline Recommendation", "Non-APU NYPD Penalty Report Date", "APU Case", "APU Trial Commissioner Recommended Penalty", "APU Plea Agreed Penalty", "APU Closing Date", "NYPD Officer Penalty"]);
        complainants.Header(["Complaint Id", "Complainant Name", "Complainant Address", "Complainant Phone", "Complainant Date Of Birth", "Complainant Gender", "Complainant Race", "Complainant Age"]);

        string[] reasons = ["PD suspected C/V of violation/crime - street", "Moving violation", "Report-dispute", "Aided case", "C/V telephoned PCT", "Other"];
        var first = new DateOnly(2016, 1, 4);
        var last = Roster.ExportDate.AddDays(-20);
        var written = 0;
        var complaintCount = 0;
        var sequence = 0;
        var involved = new List<RosterOfficer>(3);
        while (written < options.Allegations)
        {
            complaintCount++;
            var received = first.AddDays((int)((long)(last.DayNumber - first.DayNumber) * written / Math.Max(1, options.Allegations)) + random.Next(3));
            var incident = received.AddDays(-random.Next(1, 30));
            var open = received > Roster.ExportDate.AddDays(-240) && random.Chance(0.6);
            DateOnly? closed = open ? null : received.AddDays(90 + random.Next(300));
            if (closed > Roster.ExportDate.AddDays(-2))
            {
                closed = Roster.ExportDate.AddDays(-2 - random.Next(10));
            }

            var id = string.Create(Inv, $"{received.Year}{++sequence:D5}");
            var place = random.Next(CcrbPrecincts.Length);
            complaints.Field(AsOf)
                .Field(id)
                .Field(Date(incident))
                .Field(Date(received))
                .Field(closed is { } c ? Date(c) : null)
                .Field(CcrbBoroughs[place])
                .Field(CcrbPrecincts[place])
                .Field(random.Pick(reasons))
                .EndRow();

            // Officers of the complaint, and their allegations.
            involved.Clear();
            var officerCount = Math.Min(1 + random.Weighted([0.6, 0.3, 0.1]), options.Allegations - written);
            var substantiated = new Dictionary<RosterOfficer, int>(); // officer -> the most severe recommendation
            for (var k = 0; k < officerCount && written < options.Allegations; k++)
            {
                var officer = roster.Draw(random, received, involved);
                involved.Add(officer);
                var count = Math.Min(1 + random.Weighted([0.5, 0.3, 0.2]), options.Allegations - written);
                var unidentified = !open && random.Chance(0.03);
                for (var n = 0; n < count; n++)
                {
                    var fado = random.Weighted(FadoWeights);
                    string? disposition = null;
                    if (!open)
                    {
                        if (unidentified)
                        {
                            disposition = "Officer(s) Unidentified";
                        }
                        else if (random.Chance(0.24))
                        {
                            var recommendation = random.Weighted(BoardWeights);
                            disposition = $"Substantiated ({BoardRecommendations[recommendation]})";
                            substantiated[officer] = Math.Max(recommendation, substantiated.GetValueOrDefault(officer, -1));
                        }
                        else
                        {
                            disposition = CcrbOtherDispositions[random.Weighted(CcrbOtherWeights)];
                            if (disposition == "Officer(s) Unidentified")
                            {
                                disposition = "Unsubstantiated";
                            }
                        }
                    }

                    allegations.Field(AsOf)
                        .Field(id)
                        .Field(string.Create(Inv, $"{id}-{++written:D4}"))
                        .Field(unidentified ? null : TaxId(officer))
                        .Field(FadoTypes[fado])
                        .Field(random.Pick(FadoAllegations[fado]))
                        .Field(disposition)
                        .EndRow(duplicate: quirks.Chance(0.004));
                }
            }

            // One penalty row per officer with a substantiated allegation: the Board's most severe recommendation and
            // the NYPD's final penalty, blank while pending (recently closed complaints, most of them).
            foreach (var (officer, recommendation) in substantiated)
            {
                var pending = closed > Roster.ExportDate.AddDays(-200) ? random.Chance(0.7) : random.Chance(0.06);
                var charges = BoardRecommendations[recommendation] == "Charges";
                var penalty = pending ? null : Penalty(random, recommendation);
                DateOnly? reported = pending ? null : closed!.Value.AddDays(60 + random.Next(200));
                var taxId = TaxId(officer);
                penalties.Field(AsOf)
                    .Field(id)
                    .Field(quirks.Chance(0.3) ? taxId + ".0" : taxId)
                    .Field(BoardRecommendations[recommendation])
                    .Field(!charges && reported is { } r ? Date(r) : null)
                    .Field(charges ? "Yes" : "No")
                    .Field(charges && penalty is not null && random.Chance(0.5) ? penalty : null)
                    .Field(charges && penalty is not null && random.Chance(0.4) ? penalty : null)
                    .Field(charges && reported is { } a ? Date(a) : null)
                    .Field(penalty)
                    .EndRow();
                if (penalty is not null && recommendation >= 3 && random.Chance(0.15))
                {
                    // A combined penalty written on two rows of the same officer and complaint.
                    penalties.Field(AsOf)
                        .Field(id)
                        .Field(taxId)
                        .Field(BoardRecommendations[recommendation])
                        .Field(!charges && reported is { } r2 ? Date(r2) : null)
                        .Field(charges ? "Yes" : "No")
                        .Field(null)
                        .Field(null)
                        .Field(charges && reported is { } a2 ? Date(a2) : null)
                        .Field("Instructions")
                        .EndRow();
                }
            }

            var people = 1 + random.Weighted([0.8, 0.2]);
            for (var p = 0; p < people; p++)
            {
                var female = random.Chance(0.45);
                var firstName = canaries?.Name() ?? random.Pick(female ? Names.FemaleFirst : Names.MaleFirst);
                var lastName = canaries?.Name() ?? random.Pick(Names.Last);
                var age = 18 + random.Next(60);
                var birth = received.AddYears(-age).AddDays(-1 - random.Next(364));
                var house = 10 + random.Next(2400);
                var address = canaries?.Address() ?? string.Create(Inv, $"{house} {random.Pick(NycStreets)}");
                var phone = canaries?.Phone() ?? string.Create(Inv, $"(718) {200 + random.Next(800)}-{random.Next(10000):D4}");
                complainants.Field(id)
                    .Field($"{firstName} {lastName}")
                    .Field(address + ", " + CcrbBoroughs[place] + ", NY")
                    .Field(phone)
                    .Field(canaries is not null ? Date(canaries.BirthDate()) : Date(birth))
                    .Field(female ? "Female" : "Male")
                    .Field(random.Chance(0.05) ? "Refused" : Names.RaceWords[random.Weighted(Names.CivilianRaceWeights)])
                    .Field(age)
                    .EndRow();
            }
        }

        return new SyntheticExportResult("CCRB", Path.GetFullPath(directory),
            [.. new[] { complaints, allegations, officers, penalties, complainants }.Select(s => new GeneratedFile(s.Path, s.Rows, s.DuplicateRows))],
            complaintCount, written, roster.Officers.Length, canaries?.Tokens.ToArray() ?? []);

        static string Date(DateOnly date) => date.ToString("MM/dd/yyyy", Inv);
    }

    private const string AsOf = "11/15/2026";

    private static readonly string[] CcrbRanks = ["Police Officer", "Sergeant", "Lieutenant", "Captain"];

    private static readonly string[] NycStreets = ["Amsterdam Ave", "Grand Concourse", "Fulton St", "Jamaica Ave", "Atlantic Ave", "Broadway", "Pitkin Ave", "Fordham Rd"];

    /// <summary>A six-digit Tax ID (the NYPD's employee number) for a roster officer.</summary>
    private static string TaxId(RosterOfficer o) => (900000 + o.Index * 37 % 100000).ToString(Inv);

    private static string Penalty(Random random, int recommendation)
    {
        var choices = NypdPenalties[recommendation];
        var text = random.Chance(0.55) ? choices[0] : random.Pick(choices);
        var days = recommendation >= 4 ? random.Pick(new[] { 10, 15, 20, 30 }) : random.Pick(new[] { 1, 2, 3, 5, 10 });
        return text.Replace("{n}", days.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
