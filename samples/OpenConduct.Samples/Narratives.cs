using System.Globalization;
using System.Text;

namespace OpenConduct.Samples;

/// <summary>
/// Case narratives of two to five sentences in the styles real exports use ("The reporting party alleges that
/// Officer SMITH ...", "Mr. John Doe stated ...", "C1 (J.D., 34/B/M) reports ..."), naming civilians, witnesses,
/// addresses, phone numbers, e-mail addresses and the officers, as the real ones do.
/// </summary>
internal static class Narratives
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Build(Random r, SourceKind kind, GenCase c, CanarySeeder? canaries = null)
    {
        var sentences = new List<string>(6);
        var complainant = c.Complainants.Count > 0 ? c.Complainants[0] : null;
        var target = 2 + r.Next(4);

        sentences.Add(Opening(r, kind, c, complainant));
        for (var i = 1; i < c.Allegations.Count && sentences.Count < target; i++)
        {
            sentences.Add(FollowUp(r, kind, c.Allegations[i], complainant));
        }

        var extras = new List<string>(5);
        if (r.Chance(0.7))
        {
            extras.Add(LocationSentence(r, c));
        }

        if (r.Chance(0.45))
        {
            extras.Add(WitnessSentence(r, canaries));
        }

        if (complainant is not null && (complainant.Phone is not null || complainant.Email is not null) && r.Chance(0.4))
        {
            extras.Add(ContactSentence(r, kind, complainant, canaries is not null));
        }

        if (c.Complainants.Count > 1 && r.Chance(0.6))
        {
            extras.Add(SecondComplainant(r, kind, c.Complainants[1]));
        }

        if (!c.Open && r.Chance(0.6))
        {
            extras.Add(Closing(r, kind, c));
        }

        foreach (var extra in extras)
        {
            if (sentences.Count >= target)
            {
                break;
            }

            sentences.Add(extra);
        }

        if (sentences.Count < 2)
        {
            sentences.Add(LocationSentence(r, c));
        }

        if (canaries is not null)
        {
            sentences.Add(CanarySentence(r, canaries));
        }

        var breakChance = kind switch
        {
            SourceKind.Opcr => 0.35,
            SourceKind.Iau => 0.15,
            _ => 0.10,
        };
        var lineBreakAt = sentences.Count > 1 && r.Chance(breakChance) ? 1 + r.Next(sentences.Count - 1) : -1;
        var paragraph = r.Chance(0.5) ? "\n\n" : "\n";
        var text = new StringBuilder(512);
        for (var i = 0; i < sentences.Count; i++)
        {
            if (i > 0)
            {
                text.Append(i == lineBreakAt ? paragraph : " ");
            }

            text.Append(sentences[i]);
        }

        return text.ToString();
    }

    private static string Opening(Random r, SourceKind kind, GenCase c, GenPerson? p)
    {
        var a = c.Allegations[0];
        var phrase = Phrase(a, p);
        if (kind == SourceKind.Iau && c.Kind == 1)
        {
            return $"{Names.RankTitle[1]} {r.Pick(Names.Last)} reported that {Title(a.Officer)} {a.Officer.FirstName} {a.Officer.LastName} {phrase}.";
        }

        if (p is null)
        {
            return $"An anonymous caller reported that {Title(a.Officer)} {a.Officer.LastName} {phrase}.";
        }

        var style = kind switch
        {
            SourceKind.Opcr => r.Weighted([0.35, 0.15, 0.35, 0.15]),
            SourceKind.Iau => r.Weighted([0.15, 0.45, 0.10, 0.30]),
            _ => r.Weighted([0.0, 0.40, 0.60, 0.0]),
        };
        return style switch
        {
            0 => $"The reporting party alleges that {Title(a.Officer)} {a.Officer.LastName.ToUpperInvariant()} {phrase}.",
            1 => $"{Honorific(p)} {p.FirstName} {p.LastName} stated that {Title(a.Officer)} {a.Officer.FirstName} {a.Officer.LastName} {phrase}.",
            2 => kind == SourceKind.Cra
                ? $"Complainant {Triple(p)} states that {Title(a.Officer)} {a.Officer.LastName} {phrase}."
                : $"C1 {Triple(p)} reports that {Title(a.Officer)} {a.Officer.LastName} {phrase}.",
            _ => $"Complainant {p.FirstName} {p.LastName} alleges that on {(c.Incident ?? c.Received).ToString("M/d/yyyy", Inv)} " +
                 $"{Title(a.Officer)} {a.Officer.LastName} (badge {a.Officer.BadgeOn(c.Incident ?? c.Received)}) {phrase}.",
        };
    }

    private static string FollowUp(Random r, SourceKind kind, GenAllegation a, GenPerson? p)
    {
        var phrase = Phrase(a, p);
        if (p is null)
        {
            return $"The caller also reported that {Title(a.Officer)} {a.Officer.LastName} {phrase}.";
        }

        return r.Next(3) switch
        {
            0 when kind != SourceKind.Cra => $"C1 further alleges that {Title(a.Officer)} {a.Officer.LastName} {phrase}.",
            1 => $"{Honorific(p)} {p.LastName} further stated that {Title(a.Officer)} {a.Officer.LastName} {phrase}.",
            _ => $"The complainant also states that {Title(a.Officer)} {a.Officer.FirstName} {a.Officer.LastName} {phrase}.",
        };
    }

    private static string LocationSentence(Random r, GenCase c)
    {
        if (c.Location is null)
        {
            return $"The incident took place in the {CaseGenerator.Ordinal(c.Precinct)} Precinct.";
        }

        var place = c.Location.EndsWith(" station", StringComparison.Ordinal) ? "the " + c.Location : c.Location;
        var hour = 1 + r.Next(12);
        var minute = r.Next(12) * 5;
        var time = string.Create(Inv, $"{hour}:{minute:D2} {(r.Chance(0.5) ? "AM" : "PM")}");
        return r.Next(3) switch
        {
            0 => $"The incident occurred at {place}.",
            1 => $"This happened outside {place} around {time}.",
            _ => $"The stop took place near {place} at about {time}.",
        };
    }

    private static string WitnessSentence(Random r, CanarySeeder? canaries)
    {
        var first = r.Pick(Names.WitnessFirst);
        var last = r.Pick(Names.WitnessLast);
        if (canaries is not null)
        {
            (first, last) = (canaries.Name(), canaries.Name());
        }

        return r.Next(3) switch
        {
            0 => $"A witness, {first} {last}, stated that the officer never explained the reason for the stop.",
            1 => $"Witness {first} {last} ({(canaries is null ? CaseGenerator.Phone(r, r.Next(5)) : canaries.Phone())}) corroborated the account.",
            _ => $"{first} {last}, a neighbor, recorded part of the incident on a phone.",
        };
    }

    /// <summary>A canary witness with a canary phone, address and e-mail (only with <see cref="SyntheticExportOptions.Canaries"/>).</summary>
    private static string CanarySentence(Random r, CanarySeeder canaries)
    {
        var (first, last) = (canaries.Name(), canaries.Name());
        return r.Next(3) switch
        {
            0 => $"Witness {first} {last} ({canaries.Phone()}) lives at {canaries.Address()} and wrote to {canaries.Email()}.",
            1 => $"A witness, {first} {last}, can be reached at {canaries.Phone()} or {canaries.Email()}.",
            _ => $"{first} {last}, a neighbor at {canaries.Address()}, called {canaries.Phone()} and wrote to {canaries.Email()}.",
        };
    }

    private static string ContactSentence(Random r, SourceKind kind, GenPerson p, bool canaries)
    {
        var phone = p.Phone is null ? null : CaseGenerator.Phone(r, 1 + r.Next(4));
        if (canaries)
        {
            // The complainant's own canary phone, so that the narrative repeats a token the export lists.
            phone = p.Phone;
        }

        var who = kind == SourceKind.Opcr && r.Chance(0.5) ? "C1" : $"{Honorific(p)} {p.LastName}";
        return (phone, p.Email) switch
        {
            (not null, not null) when kind != SourceKind.Cra => $"{who} can be reached at {phone} or {p.Email}.",
            (not null, _) => $"{who} can be reached at {phone}.",
            (null, not null) when kind != SourceKind.Cra => $"{who} asked to be contacted by e-mail at {p.Email}.",
            _ => $"{who} asked not to be contacted by phone.",
        };
    }

    private static string SecondComplainant(Random r, SourceKind kind, GenPerson p) =>
        kind == SourceKind.Opcr && r.Chance(0.6)
            ? $"C2 {Triple(p)} was present and supports the account."
            : $"{Honorific(p)} {p.FirstName} {p.LastName} was with the complainant and gave a similar statement.";

    private static string Closing(Random r, SourceKind kind, GenCase c)
    {
        var a = c.Allegations[0];
        var officer = $"{Title(a.Officer)} {a.Officer.LastName}";
        if (kind == SourceKind.Opcr)
        {
            return c.Intake switch
            {
                Intake.Dismissed => "The complaint was dismissed at intake because the conduct described does not violate policy.",
                Intake.Coaching => "The matter was sent to the officer's supervisor for coaching.",
                Intake.Mediation => $"Both parties agreed to mediation, which was held on {c.Closed!.Value.ToString("M/d/yyyy", Inv)}.",
                Intake.Referred => $"The case was referred to IAU on {c.Closed!.Value.ToString("M/d/yyyy", Inv)}.",
                _ when a.Final == Fnd.NoFinding => "The complainant did not return a signed affidavit.",
                _ => $"Body-worn camera footage was reviewed and {officer} was interviewed.",
            };
        }

        if (a.Final == Fnd.NoFinding)
        {
            return kind == SourceKind.Cra && a.Withdrawn
                ? "The complainant withdrew the complaint."
                : "The complainant did not return a signed affidavit.";
        }

        return r.Next(3) switch
        {
            0 => $"{officer} was interviewed and denied the allegation.",
            1 => kind == SourceKind.Cra ? "Squad video was not available." : "Squad and body-worn camera video were reviewed.",
            _ => "The investigator canvassed the area for witnesses.",
        };
    }

    private static string Phrase(GenAllegation a, GenPerson? p)
    {
        var (o, pos, s) = p?.Sex switch
        {
            'M' => ("him", "his", "he"),
            'F' => ("her", "her", "she"),
            _ => ("them", "their", "they"),
        };
        return Vocab.Phrases[(int)a.Category][a.Detail]
            .Replace("{o}", o, StringComparison.Ordinal)
            .Replace("{p}", pos, StringComparison.Ordinal)
            .Replace("{s}", s, StringComparison.Ordinal);
    }

    private static string Title(RosterOfficer officer) => Names.RankTitle[officer.Rank];

    private static string Honorific(GenPerson p) => p.Sex switch
    {
        'M' => "Mr.",
        'F' => "Ms.",
        _ => "Mx.",
    };

    /// <summary>"(J.D., 34/B/M)": initials, age, race and sex as intake notes abbreviate them.</summary>
    private static string Triple(GenPerson p)
    {
        var age = p.Age?.ToString(Inv) ?? "UNK";
        var race = p.Race < 0 ? "U" : Names.RaceLetters[p.Race];
        return $"({p.Initials}, {age}/{race}/{p.Sex})";
    }
}
