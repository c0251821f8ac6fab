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
    /// officers named on it; while this thread redacts the cases in order, helper threads scrub the narratives to
    /// publish ahead of it (the scrubber is stateless). Holds the import in memory: the streaming form for large exports comes with
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
        var scrubs = new bool[count];
        for (var i = 0; i < count; i++)
        {
            var complaint = records.Complaints[i];
            var key = (complaint.Source, complaint.CaseNumber);
            caseAllegations[i] = allegations[key].ToList();
            caseComplainants[i] = complainants[key].ToList();
            if (redactor.ScrubsNarrative(complaint, caseAllegations[i]))
            {
                toScrub.Add(i);
                scrubs[i] = true;
            }
        }

        // Scrubbing is most of a redaction's work and each narrative is independent: helper threads scrub the narratives
        // ahead, in order, while this thread redacts the cases in order (so that the report counts exactly as one pass
        // would), scrubbing itself any narrative no helper has claimed yet. A narrative is claimed once (its state goes
        // from pending to claimed with a compare-and-swap), so each is scrubbed exactly once.
        var scrubbed = new ScrubResult?[count];
        var state = new int[count]; // 0 pending, 1 claimed, 2 done, 3 failed (this thread then scrubs it, and throws)
        ScrubResult Scrub(int i)
        {
            var complaint = records.Complaints[i];
            return redactor.ScrubNarrative(complaint, caseAllegations[i], caseComplainants[i], officerKey => officers.GetValueOrDefault((complaint.Source, officerKey)));
        }

        using var stop = new CancellationTokenSource();
        var helpers = Enumerable.Range(0, toScrub.Count < 64 ? 0 : Math.Max(1, Environment.ProcessorCount - 1)).Select(_ => Task.Run(() =>
        {
            foreach (var i in toScrub)
            {
                if (stop.IsCancellationRequested)
                {
                    return;
                }

                if (Interlocked.CompareExchange(ref state[i], 1, 0) == 0)
                {
                    try
                    {
                        scrubbed[i] = Scrub(i);
                        Volatile.Write(ref state[i], 2);
                    }
                    catch (Exception)
                    {
                        Volatile.Write(ref state[i], 3);
                        return;
                    }
                }
            }
        })).ToArray();

        var cases = new List<RedactedCase>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var complaint = records.Complaints[i];
                ScrubResult? result = null;
                if (scrubs[i])
                {
                    if (Interlocked.CompareExchange(ref state[i], 1, 0) == 0)
                    {
                        result = Scrub(i);
                    }
                    else
                    {
                        var wait = new SpinWait();
                        int now;
                        while ((now = Volatile.Read(ref state[i])) == 1)
                        {
                            wait.SpinOnce();
                        }

                        result = now == 2 ? scrubbed[i] : Scrub(i);
                    }
                }

                cases.Add(redactor.RedactCase(
                    complaint,
                    caseAllegations[i],
                    caseComplainants[i],
                    officerKey => officers.GetValueOrDefault((complaint.Source, officerKey)),
                    result));
            }
        }
        finally
        {
            stop.Cancel();
            Task.WaitAll(helpers);
        }

        var publicOfficers = records.Officers.Select(redactor.RedactOfficer).ToList();
        return new RedactedRelease(cases, publicOfficers, redactor.Report);
    }
}
