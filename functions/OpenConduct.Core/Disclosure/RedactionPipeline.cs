using OpenConduct.Core.Import;
using OpenConduct.Core.Model;

namespace OpenConduct.Core.Disclosure;

/// <summary>The public half of one import: every case and every officer, redacted, with the redaction report.</summary>
public sealed record RedactedRelease(IReadOnlyList<RedactedCase> Cases, IReadOnlyList<RedactedOfficer> Officers, RedactionReport Report);

/// <summary>Redacts the records of an import, case by case.</summary>
public static class RedactionPipeline
{
    /// <summary>
    /// Groups the records of an import by case and redacts each case with its allegations, complainants and the
    /// officers named on it. Holds the import in memory: the streaming form for large exports comes with the
    /// pipeline that stores releases.
    /// </summary>
    public static RedactedRelease Redact(CanonicalRecordSet records, Redactor redactor)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(redactor);
        var officers = records.Officers.ToDictionary(o => (o.Source, o.Key));
        var allegations = records.Allegations.ToLookup(a => (a.Source, a.CaseNumber));
        var complainants = records.Complainants.ToLookup(c => (c.Source, c.CaseNumber));
        var cases = new List<RedactedCase>(records.Complaints.Count);
        foreach (var complaint in records.Complaints)
        {
            var key = (complaint.Source, complaint.CaseNumber);
            cases.Add(redactor.RedactCase(
                complaint,
                allegations[key].ToList(),
                complainants[key].ToList(),
                officerKey => officers.GetValueOrDefault((complaint.Source, officerKey))));
        }

        var publicOfficers = records.Officers.Select(redactor.RedactOfficer).ToList();
        return new RedactedRelease(cases, publicOfficers, redactor.Report);
    }
}
