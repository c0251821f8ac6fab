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
    /// officers named on it; the narratives to publish are scrubbed first, in parallel (the scrubber is stateless), and
    /// the cases then redacted in order. Holds the import in memory: the streaming form for large exports comes with
    /// the pipeline that stores releases.
    /// </summary>
    public static RedactedRelease Redact(CanonicalRecordSet records, Redactor redactor)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(redactor);
        var officers = records.Officers.ToDictionary(o => (o.Source, o.Key));
        var allegations = records.Allegations.ToLookup(a => (a.Source, a.CaseNumber));
        var complainants = records.Complainants.ToLookup(c => (c.Source, c.CaseNumber));
        var count = records.Complaints.Count;
        var caseAllegations = new List<Allegation>[count];
        var caseComplainants = new List<Complainant>[count];
        var toScrub = new List<int>();
        for (var i = 0; i < count; i++)
        {
            var complaint = records.Complaints[i];
            var key = (complaint.Source, complaint.CaseNumber);
            caseAllegations[i] = allegations[key].ToList();
            caseComplainants[i] = complainants[key].ToList();
            if (redactor.ScrubsNarrative(complaint, caseAllegations[i]))
            {
                toScrub.Add(i);
            }
        }

        // The narratives first, on every core: scrubbing is most of a redaction's work and each narrative is independent.
        // The cases are then redacted in order, so that the report counts exactly as one pass would.
        var scrubbed = new ScrubResult?[count];
        Parallel.For(0, toScrub.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, n =>
        {
            var i = toScrub[n];
            var complaint = records.Complaints[i];
            scrubbed[i] = redactor.ScrubNarrative(complaint, caseAllegations[i], caseComplainants[i], officerKey => officers.GetValueOrDefault((complaint.Source, officerKey)));
        });

        var cases = new List<RedactedCase>(count);
        for (var i = 0; i < count; i++)
        {
            var complaint = records.Complaints[i];
            cases.Add(redactor.RedactCase(
                complaint,
                caseAllegations[i],
                caseComplainants[i],
                officerKey => officers.GetValueOrDefault((complaint.Source, officerKey)),
                scrubbed[i]));
        }

        var publicOfficers = records.Officers.Select(redactor.RedactOfficer).ToList();
        return new RedactedRelease(cases, publicOfficers, redactor.Report);
    }
}
