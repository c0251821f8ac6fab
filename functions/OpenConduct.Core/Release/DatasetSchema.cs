using System.Globalization;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Model;

namespace OpenConduct.Core.Release;

/// <summary>The type of a dataset column, as the data package declares it (Frictionless Table Schema types).</summary>
internal enum ColumnType
{
    String,
    Integer,
    Boolean,

    /// <summary>A day: <c>2024-03-14</c>.</summary>
    Date,

    /// <summary>A month: <c>2024-03</c> (a date the policy generalizes to the month).</summary>
    YearMonth,

    /// <summary>A year: <c>2024</c> (a date the policy generalizes to the year).</summary>
    Year,
}

internal enum CellKind
{
    Null,
    Text,
    Number,
    Boolean,
}

/// <summary>One cell of a dataset row: nothing, text, a whole number or a flag (no boxing, one per column and row).</summary>
internal readonly record struct Cell(CellKind Kind, string? Text, long Number)
{
    public static Cell Null => default;

    public bool IsNull => Kind == CellKind.Null;

    public static Cell Of(string? text) => text is null ? default : new(CellKind.Text, text, 0);

    public static Cell Of(long? number) => number is { } n ? new(CellKind.Number, null, n) : default;

    public static Cell Of(bool? flag) => flag is { } f ? new(CellKind.Boolean, null, f ? 1 : 0) : default;

    public static Cell Of(PublicDate? date) => date is { } d ? Of(d.ToString()) : default;

    public static Cell Of(DateOnly? date) => date is { } d ? Of(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : default;

    public static Cell Code<T>(Coded<T> coded)
        where T : struct, Enum => coded.Value is { } value ? Of(value.ToString()) : default;

    /// <summary>The cell as CSV text (before formula neutralisation), or null for an empty cell.</summary>
    public string? ToCsvText() => Kind switch
    {
        CellKind.Text => Text,
        CellKind.Number => Number.ToString(CultureInfo.InvariantCulture),
        CellKind.Boolean => Number != 0 ? "true" : "false",
        _ => null,
    };
}

/// <summary>A column of an open dataset: its name (snake_case), type, title and description for the public.</summary>
internal abstract record ColumnInfo(string Name, ColumnType Type, string Title, string Description, IReadOnlyList<string>? Enum);

internal sealed record Column<TRow>(string Name, ColumnType Type, string Title, string Description, Func<TRow, Cell> Value, IReadOnlyList<string>? Enum = null)
    : ColumnInfo(Name, Type, Title, Description, Enum);

/// <summary>A foreign key of the data package: <c>Field</c> of this dataset refers to <c>ReferencedField</c> of <c>Resource</c>.</summary>
internal sealed record ForeignKey(string Field, string Resource, string ReferencedField);

/// <summary>What the data package and the catalog say about an open dataset.</summary>
internal abstract class DatasetSchema
{
    public required string Name { get; init; }
    public required string Title { get; init; }
    public required string Description { get; init; }
    public required IReadOnlyList<string> PrimaryKey { get; init; }
    public IReadOnlyList<ForeignKey> ForeignKeys { get; init; } = [];

    public abstract IReadOnlyList<ColumnInfo> ColumnInfos { get; }
}

internal sealed class Dataset<TRow> : DatasetSchema
{
    public required IReadOnlyList<Column<TRow>> Columns { get; init; }

    public override IReadOnlyList<ColumnInfo> ColumnInfos => Columns;
}

/// <summary>An allegation with its 1-based position in its case.</summary>
internal readonly record struct AllegationRow(RedactedAllegation Allegation, int Index);

/// <summary>A complainant with its 1-based position in its case.</summary>
internal readonly record struct ComplainantRow(RedactedComplainant Complainant, int Index);

/// <summary>
/// What a policy can publish, field by field: a field whose rule withholds it (drop, aggregateOnly), or that a record
/// rule always withholds (recommendations under <c>hideRecommendations</c>, the sensitivity flags, generalizations that
/// publish nothing), has no column and no place in the records.
/// </summary>
internal sealed class Publication(DisclosurePolicy policy)
{
    public DisclosurePolicy Policy { get; } = policy;

    public FieldRule Rule(CanonicalField field) => DisclosurePolicyLoader.Rule(Policy, field);

    /// <summary>Whether some record can carry a value of <paramref name="field"/> under the policy.</summary>
    public bool Publishes(CanonicalField field)
    {
        if (field == CanonicalFields.Sensitivity || field.Kind == FieldKind.FullName)
        {
            return false;
        }

        if (Policy.Finality.HideRecommendations
            && (field == CanonicalFields.RecommendedFinding || field == CanonicalFields.RecommendedDiscipline || field == CanonicalFields.RecommendedDisciplineDays))
        {
            return false;
        }

        if ((field == CanonicalFields.BadgeFrom || field == CanonicalFields.BadgeTo) && !Publishes(CanonicalFields.Badge))
        {
            return false;
        }

        var rule = Rule(field);
        return rule.Action switch
        {
            FieldAction.Drop or FieldAction.AggregateOnly => false,
            FieldAction.Generalize => rule.To switch
            {
                // Badge dates are published only to the day; a complainant has no precinct; a birth date given as an
                // age band is published as the age.
                _ when field == CanonicalFields.BadgeFrom || field == CanonicalFields.BadgeTo => false,
                Generalization.Precinct => field == CanonicalFields.Location && Rule(CanonicalFields.Precinct).Action == FieldAction.Keep,
                Generalization.AgeBand => field == CanonicalFields.ComplainantAge,
                _ => true,
            },
            _ => true,
        };
    }

    /// <summary>When the policy publishes a narrative, for the column's description ("published only for closed cases").</summary>
    public string NarrativeNote => Policy.Finality.Narratives switch
    {
        NarrativeDisclosure.Always => "published whenever the source has one",
        NarrativeDisclosure.Closed => "published only for closed cases",
        _ => "published only for closed cases with at least one final disciplinary action",
    };

    /// <summary>Which complaints never publish a location or a narrative, for the columns' descriptions.</summary>
    public string SensitivityNote
    {
        get
        {
            var flags = Policy.Sensitivity.Flags;
            var categories = Policy.Sensitivity.Categories;
            return " Never published for a sensitive complaint: one marked " + string.Join(", ", flags)
                   + (categories.Count == 0 ? "" : ", or with an allegation in the category " + string.Join(", ", categories)) + ".";
        }
    }

    /// <summary>The complainant's age column: the age itself, its band, or the band of the birth date.</summary>
    public bool PublishesAge => Publishes(CanonicalFields.ComplainantAge)
                                || Rule(CanonicalFields.ComplainantBirthDate) is { Action: FieldAction.Generalize, To: Generalization.AgeBand };

    /// <summary>
    /// Whether "finding pending" is published: it explains an empty final finding, so it needs the final finding, and it
    /// tells whether the case is open, so it needs the status.
    /// </summary>
    public bool PublishesFindingPending => Policy.Finality.FindingsWhenClosed && Publishes(CanonicalFields.FinalFinding) && Publishes(CanonicalFields.Status);

    /// <summary>Whether any complainant field is published (then the complainants dataset and the records' complainants exist).</summary>
    public bool PublishesComplainants =>
        CanonicalFields.List.Where(f => f.Entity == EntityKind.Complainant).Any(Publishes) || PublishesAge;

    /// <summary>Whether the raw value of a coded field is published (with its canonical value).</summary>
    public bool PublishesRaw(CanonicalField field) => field.Kind is FieldKind.Coded or FieldKind.CodedText && Publishes(field);

    public ColumnType DateType(CanonicalField field) => Rule(field) switch
    {
        { Action: FieldAction.Generalize, To: Generalization.Month } => ColumnType.YearMonth,
        { Action: FieldAction.Generalize, To: Generalization.Year } => ColumnType.Year,
        _ => ColumnType.Date,
    };

    /// <summary>What the rule does to the published value, for the column's description ("" when it is published as is).</summary>
    public string Note(CanonicalField field)
    {
        var rule = Rule(field);
        return rule.Action switch
        {
            FieldAction.Pseudonymize => " Published as a keyed pseudonym (\"p-\" and 20 hexadecimal digits): the same value has the same pseudonym in every release, and the pseudonym cannot be turned back into the value without the publisher's secret key.",
            FieldAction.Scrub => " The names, addresses, phone numbers, e-mail addresses, dates of birth, social security and licence plate numbers of private persons are replaced by placeholders such as [NAME] and [ADDRESS].",
            FieldAction.Generalize => rule.To switch
            {
                Generalization.Month => " Published to the month (YYYY-MM).",
                Generalization.Year => " Published to the year (YYYY).",
                Generalization.HundredBlock => " Generalized to the hundred block of the street (\"3400 block of Nicollet Ave S\"); a place without a house number is not published.",
                Generalization.Precinct => " Generalized to the precinct (\"Precinct 3\").",
                Generalization.Decade => " Published as the first year of the decade (1975 is published as 1970).",
                Generalization.AgeBand => " Published as an age band (\"25-34\").",
                _ => "",
            },
            _ => "",
        };
    }
}

/// <summary>The open datasets: their columns, in a fixed order, filtered by what the policy publishes.</summary>
internal static class Datasets
{
    public const string Complaints = "complaints";
    public const string Allegations = "allegations";
    public const string Officers = "officers";
    public const string Complainants = "complainants";

    private const string RawNote = " Empty when the source left it blank.";

    public static Dataset<RedactedComplaint> ComplaintSet(Publication p)
    {
        var columns = new List<Column<RedactedComplaint>>
        {
            Source<RedactedComplaint>(c => c.Source, "complaint"),
            new("case_number", ColumnType.String, "Case number",
                "The case number the source gives the complaint; joins the complaint to its allegations." + p.Note(CanonicalFields.CaseNumber),
                c => Cell.Of(c.CaseNumber)),
        };
        AddDate(columns, p, CanonicalFields.ReceivedDate, "received_date", "Date received", "The date the complaint was received.", c => c.ReceivedDate);
        AddDate(columns, p, CanonicalFields.IncidentDate, "incident_date", "Incident date", "The date of the incident complained of.", c => c.IncidentDate);
        AddDate(columns, p, CanonicalFields.ClosedDate, "closed_date", "Date closed", "The date the case was closed; empty while it is open.", c => c.ClosedDate);
        AddCoded(columns, p, CanonicalFields.Status, "status", "Status", "Whether the case is open or closed.", c => c.Status);
        AddCoded(columns, p, CanonicalFields.IntakeDecision, "intake_decision", "Intake decision",
            "How the complaint was handled at intake: dismissed, resolved by coaching or mediation, investigated, referred to another agency, or pending.",
            c => c.IntakeDecision);
        AddText(columns, p, CanonicalFields.Precinct, "precinct", "Precinct", "The police precinct where the incident took place.", c => c.Precinct);
        AddText(columns, p, CanonicalFields.Location, "location", "Location",
            "Where the incident took place." + p.SensitivityNote, c => c.Location);
        AddText(columns, p, CanonicalFields.Narrative, "narrative", "Narrative",
            "A summary of the complaint, " + p.NarrativeNote + "." + p.SensitivityNote, c => c.Narrative);
        if (p.Publishes(CanonicalFields.Narrative) && p.Policy.Scrubbing.Review == NarrativeReview.Required)
        {
            columns.Add(new("narrative_status", ColumnType.String, "Narrative status",
                $"'{NarrativeStatus.PendingReview}' while the complaint's narrative waits for a reviewer's approval (the policy requires one before a narrative is published); empty otherwise.",
                c => Cell.Of(c.NarrativePendingReview ? NarrativeStatus.PendingReview : null)));
        }

        return new Dataset<RedactedComplaint>
        {
            Name = Complaints,
            Title = "Complaints",
            Description = "One row per complaint (case): when it was received and closed, its status and intake decision, and where the incident took place, as the disclosure policy publishes them.",
            Columns = columns,
            PrimaryKey = ["case_number"],
        };
    }

    public static Dataset<AllegationRow> AllegationSet(Publication p)
    {
        var columns = new List<Column<AllegationRow>>
        {
            Source<AllegationRow>(r => r.Allegation.Source, "allegation"),
            new("case_number", ColumnType.String, "Case number", "The complaint the allegation belongs to (complaints.case_number)." + p.Note(CanonicalFields.CaseNumber),
                r => Cell.Of(r.Allegation.CaseNumber)),
            new("allegation_index", ColumnType.Integer, "Allegation number",
                "The position of the allegation within its complaint (1, 2, ...), in the source's order; with the case number it identifies the allegation in this release.",
                r => Cell.Of(r.Index)),
        };
        AddText(columns, p, CanonicalFields.AllegationId, "allegation_id", "Allegation id", "The source's own id of the allegation, when it has one.", r => r.Allegation.AllegationId);
        columns.Add(new("officer_ref", ColumnType.String, "Officer reference",
            "The officer the allegation names (officers.officer_ref): \"o-\" and 20 hexadecimal digits, a keyed pseudonym of the officer's identity within the source, the same in every release. Empty when the export does not identify the officer: the allegation counts, but in no officer's history.",
            r => Cell.Of(r.Allegation.OfficerUnidentified ? null : r.Allegation.OfficerRef)));
        AddCodedText(columns, p, CanonicalFields.Category, "category", "Category", "The kind of misconduct alleged (for example UseOfForce, Language, Procedure).", r => r.Allegation.Category);
        AddCodedText(columns, p, CanonicalFields.Subcategory, "subcategory", "Subcategory", "A finer description of the allegation, where the source gives one.", r => r.Allegation.Subcategory);
        AddCoded(columns, p, CanonicalFields.RecommendedFinding, "recommended_finding", "Recommended finding", "The finding the investigator recommended.", r => r.Allegation.RecommendedFinding);
        AddCoded(columns, p, CanonicalFields.FinalFinding, "final_finding", "Final finding",
            "The final finding: Sustained (the misconduct occurred), NotSustained (not enough evidence either way), Exonerated (it occurred but was lawful and within policy), Unfounded (it did not occur), NoFinding (closed without a finding) or Pending."
            + (p.Policy.Finality.FindingsWhenClosed ? " Published once the case is closed." : ""),
            r => r.Allegation.FinalFinding);
        if (p.PublishesFindingPending)
        {
            columns.Add(new("finding_pending", ColumnType.Boolean, "Finding pending",
                "true while the case is open: the final finding is not public yet.", r => Cell.Of(r.Allegation.FindingPending)));
        }

        AddCoded(columns, p, CanonicalFields.RecommendedDiscipline, "recommended_discipline", "Recommended discipline", "The discipline recommended.", r => r.Allegation.RecommendedDiscipline);
        AddInteger(columns, p, CanonicalFields.RecommendedDisciplineDays, "recommended_discipline_days", "Recommended suspension days", "The days of suspension recommended.", r => r.Allegation.RecommendedDisciplineDays);
        AddCoded(columns, p, CanonicalFields.ImposedDiscipline, "imposed_discipline", "Imposed discipline",
            "The discipline imposed (None, Coaching, Training, OralReprimand, WrittenReprimand, Suspension, Demotion, Termination, ResignedBeforeFinal, Other)."
            + (p.Policy.Finality.DisciplineWhenFinal ? " Published once final, when grievance and arbitration are exhausted." : ""),
            r => r.Allegation.ImposedDiscipline);
        AddInteger(columns, p, CanonicalFields.ImposedDisciplineDays, "imposed_discipline_days", "Suspension days", "The days of suspension imposed, for a suspension.", r => r.Allegation.ImposedDisciplineDays);
        if (p.Publishes(CanonicalFields.DisciplineFinal))
        {
            columns.Add(new("discipline_final", ColumnType.Boolean, "Discipline final",
                "Whether the imposed discipline is final (true) or may still change on grievance or arbitration (false); empty when the source does not say.",
                r => Cell.Of(r.Allegation.DisciplineFinal)));
        }

        AddDate(columns, p, CanonicalFields.DisciplineDate, "discipline_date", "Discipline date",
            "The date the imposed discipline was decided, published with the discipline.", r => r.Allegation.DisciplineDate);

        return new Dataset<AllegationRow>
        {
            Name = Allegations,
            Title = "Allegations",
            Description = "One row per allegation: the complaint it belongs to, the officer it names, its category, and its final finding and discipline once they are public.",
            Columns = columns,
            PrimaryKey = ["case_number", "allegation_index"],
            ForeignKeys = [new("case_number", Complaints, "case_number"), new("officer_ref", Officers, "officer_ref")],
        };
    }

    public static Dataset<RedactedOfficer> OfficerSet(Publication p)
    {
        var columns = new List<Column<RedactedOfficer>>
        {
            Source<RedactedOfficer>(o => o.Source, "officer"),
            new("officer_ref", ColumnType.String, "Officer reference",
                "A stable reference to the officer: \"o-\" and 20 hexadecimal digits, a keyed pseudonym of the officer's identity within the source. The same officer has the same reference in every release; allegations.officer_ref refers to it.",
                o => Cell.Of(o.OfficerRef)),
        };
        AddText(columns, p, CanonicalFields.EmployeeId, "employee_id", "Employee id", "The officer's employee number.", o => o.EmployeeId);
        AddText(columns, p, CanonicalFields.OfficerFirstName, "first_name", "First name", "The officer's first name.", o => o.FirstName);
        AddText(columns, p, CanonicalFields.OfficerMiddleName, "middle_name", "Middle name", "The officer's middle name or initial.", o => o.MiddleName);
        AddText(columns, p, CanonicalFields.OfficerLastName, "last_name", "Last name", "The officer's last name.", o => o.LastName);
        AddText(columns, p, CanonicalFields.OfficerSuffix, "suffix", "Suffix", "The suffix of the officer's name (Jr., III).", o => o.Suffix);
        if (p.Publishes(CanonicalFields.Badge))
        {
            var note = p.Note(CanonicalFields.Badge);
            columns.Add(new("badge", ColumnType.String, "Badge number",
                "The officer's current badge number: the most recently issued badge without an end date, else the most recently issued." + note,
                o => Cell.Of(CurrentBadge(o)?.Number)));
            if (p.Publishes(CanonicalFields.BadgeFrom))
            {
                columns.Add(new("badge_from", ColumnType.Date, "Badge issued", "The date the current badge was issued.", o => Cell.Of(CurrentBadge(o)?.From)));
            }

            if (p.Publishes(CanonicalFields.BadgeTo))
            {
                columns.Add(new("badge_to", ColumnType.Date, "Badge ended", "The date the current badge stopped being used; empty while it is in use.", o => Cell.Of(CurrentBadge(o)?.To)));
            }

            columns.Add(new("badges", ColumnType.String, "All badge numbers",
                "Every badge number the officer has held, oldest first, separated by semicolons (\"1201;4456\")." + note,
                o => Cell.Of(o.Badges.Count == 0 ? null : string.Join(';', o.Badges.Select(b => b.Number)))));
        }

        AddText(columns, p, CanonicalFields.Rank, "rank", "Rank", "The officer's rank or job title.", o => o.Rank);
        AddText(columns, p, CanonicalFields.Unit, "unit", "Unit", "The officer's assignment (precinct or unit).", o => o.Unit);
        AddCoded(columns, p, CanonicalFields.OfficerRace, "race", "Race", "The officer's race.", o => o.Race);
        AddCoded(columns, p, CanonicalFields.OfficerSex, "sex", "Sex", "The officer's sex.", o => o.Sex);
        AddInteger(columns, p, CanonicalFields.BirthYear, "birth_year", "Birth year", "The officer's year of birth.", o => o.BirthYear);
        AddDate(columns, p, CanonicalFields.HireDate, "hire_date", "Hire date", "The date the officer was hired.", o => o.HireDate);
        return new Dataset<RedactedOfficer>
        {
            Name = Officers,
            Title = "Officers",
            Description = "One row per officer named on an allegation or listed in the source's roster: name, badge, rank and assignment, as the disclosure policy publishes them.",
            Columns = columns,
            PrimaryKey = ["officer_ref"],
        };
    }

    /// <summary>The complainants dataset, or null when the policy publishes no complainant field.</summary>
    public static Dataset<ComplainantRow>? ComplainantSet(Publication p)
    {
        if (!p.PublishesComplainants)
        {
            return null;
        }

        var columns = new List<Column<ComplainantRow>>
        {
            Source<ComplainantRow>(r => r.Complainant.Source, "complainant"),
            new("case_number", ColumnType.String, "Case number", "The complaint (complaints.case_number)." + p.Note(CanonicalFields.CaseNumber), r => Cell.Of(r.Complainant.CaseNumber)),
            new("complainant_index", ColumnType.Integer, "Complainant number", "The position of the complainant within the complaint (1, 2, ...), in the source's order.", r => Cell.Of(r.Index)),
        };
        AddText(columns, p, CanonicalFields.ComplainantFirstName, "first_name", "First name", "The complainant's first name.", r => r.Complainant.FirstName);
        AddText(columns, p, CanonicalFields.ComplainantLastName, "last_name", "Last name", "The complainant's last name.", r => r.Complainant.LastName);
        AddText(columns, p, CanonicalFields.ComplainantAddress, "address", "Address", "The complainant's address.", r => r.Complainant.Address);
        AddDate(columns, p, CanonicalFields.ComplainantBirthDate, "birth_date", "Date of birth", "The complainant's date of birth.", r => r.Complainant.BirthDate);
        AddText(columns, p, CanonicalFields.ComplainantPhone, "phone", "Phone", "The complainant's phone number.", r => r.Complainant.Phone);
        AddCoded(columns, p, CanonicalFields.ComplainantRace, "race", "Race", "The complainant's race.", r => r.Complainant.Race);
        AddCoded(columns, p, CanonicalFields.ComplainantSex, "sex", "Sex", "The complainant's sex.", r => r.Complainant.Sex);
        if (p.PublishesAge)
        {
            var note = p.Publishes(CanonicalFields.ComplainantAge) ? p.Note(CanonicalFields.ComplainantAge) : " Published as an age band (\"25-34\"), computed from the date of birth on the date the complaint was received.";
            columns.Add(new("age", ColumnType.String, "Age", "The complainant's age when the complaint was made." + note, r => Cell.Of(r.Complainant.Age)));
        }

        return new Dataset<ComplainantRow>
        {
            Name = Complainants,
            Title = "Complainants",
            Description = "One row per complainant on a complaint, with only the fields the disclosure policy publishes.",
            Columns = columns,
            PrimaryKey = ["case_number", "complainant_index"],
            ForeignKeys = [new("case_number", Complaints, "case_number")],
        };
    }

    /// <summary>The current badge: the most recently issued (badges are ordered by issue date) without an end date, else the most recent.</summary>
    public static BadgeNumber? CurrentBadge(RedactedOfficer officer)
    {
        var badges = officer.Badges;
        for (var i = badges.Count - 1; i >= 0; i--)
        {
            if (badges[i].To is null)
            {
                return badges[i];
            }
        }

        return badges.Count > 0 ? badges[^1] : null;
    }

    /// <summary>The columns of row-errors.csv (a plain table, described in the data package like the datasets).</summary>
    public static IReadOnlyList<ColumnInfo> RowErrorColumns { get; } =
    [
        new Column<RowError>("file", ColumnType.String, "File", "The export file the row is in.", e => Cell.Of(e.File)),
        new Column<RowError>("line", ColumnType.Integer, "Line", "The line the row starts on (1-based, the header is line 1).", e => Cell.Of(e.Line)),
        new Column<RowError>("column", ColumnType.Integer, "Column", "The 1-based position of the column at fault; empty when the whole row is at fault.", e => Cell.Of(e.Column)),
        new Column<RowError>("column_name", ColumnType.String, "Column name", "The header of the column at fault.", e => Cell.Of(e.ColumnName)),
        new Column<RowError>("reason", ColumnType.String, "Reason", "Why the row was not imported. Never the cell's value, which may be personal data.", e => Cell.Of(e.Reason)),
    ];

    private static Column<TRow> Source<TRow>(Func<TRow, string> source, string entity) =>
        new("source", ColumnType.String, "Source",
            $"The records source of the {entity} (for example the civilian review office or the police department's Internal Affairs Unit); one release holds one source's records.",
            r => Cell.Of(source(r)));

    private static void AddText<TRow>(List<Column<TRow>> columns, Publication p, CanonicalField field, string name, string title, string description, Func<TRow, string?> value)
    {
        if (p.Publishes(field))
        {
            columns.Add(new(name, ColumnType.String, title, description + p.Note(field), r => Cell.Of(value(r))));
        }
    }

    private static void AddInteger<TRow>(List<Column<TRow>> columns, Publication p, CanonicalField field, string name, string title, string description, Func<TRow, int?> value)
    {
        if (p.Publishes(field))
        {
            columns.Add(new(name, ColumnType.Integer, title, description + p.Note(field), r => Cell.Of(value(r))));
        }
    }

    private static void AddDate<TRow>(List<Column<TRow>> columns, Publication p, CanonicalField field, string name, string title, string description, Func<TRow, PublicDate?> value)
    {
        if (p.Publishes(field))
        {
            columns.Add(new(name, p.DateType(field), title, description + p.Note(field), r => Cell.Of(value(r))));
        }
    }

    private static void AddCoded<TRow, T>(List<Column<TRow>> columns, Publication p, CanonicalField field, string name, string title, string description, Func<TRow, Coded<T>> value)
        where T : struct, Enum
    {
        if (!p.Publishes(field))
        {
            return;
        }

        columns.Add(new(name, ColumnType.String, title, description + " One of the codes listed; the source's own text is in " + name + "_raw.",
            r => Cell.Code(value(r)), Enum.GetNames<T>()));
        columns.Add(new(name + "_raw", ColumnType.String, title + " (as in the source)",
            $"The source's own text for {name}, before it was mapped to a code.{RawNote}", r => Cell.Of(value(r).Raw)));
    }

    private static void AddCodedText<TRow>(List<Column<TRow>> columns, Publication p, CanonicalField field, string name, string title, string description, Func<TRow, CodedText> value)
    {
        if (!p.Publishes(field))
        {
            return;
        }

        columns.Add(new(name, ColumnType.String, title, description + " The source's own text is in " + name + "_raw.", r => Cell.Of(value(r).Value)));
        columns.Add(new(name + "_raw", ColumnType.String, title + " (as in the source)",
            $"The source's own text for {name}, before it was mapped to a category.{RawNote}", r => Cell.Of(value(r).Raw)));
    }
}
