using OpenConduct.Core.Officers;
using OpenConduct.Core.Storage;

namespace OpenConduct.Api;

/// <summary>
/// The cases of every source's live release, by case number, for the case-status lookup. Loaded from the published
/// records (never anything else) on first use, and again whenever a source's live release changes.
/// </summary>
public sealed class CaseDirectory(IReleaseStore releases, ApiSources sources)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private string? loadedFor;
    private Dictionary<string, List<PublishedCase>> cases = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The version of the data: the live release ids, joined (the ETag of case responses).</summary>
    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var source in sources.Ids)
        {
            ids.Add(await releases.GetLatestAsync(source, cancellationToken).ConfigureAwait(false) ?? "-");
        }

        return string.Join('+', ids);
    }

    /// <summary>Every live case with this case number (one per source at most), ignoring case.</summary>
    public async Task<IReadOnlyList<PublishedCase>> FindAsync(string caseNumber, string version, CancellationToken cancellationToken)
    {
        if (loadedFor != version)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (loadedFor != version)
                {
                    var records = await PublishedRecords.ReadLatestAsync(releases, sources.Ids, cancellationToken).ConfigureAwait(false);
                    var byNumber = new Dictionary<string, List<PublishedCase>>(StringComparer.OrdinalIgnoreCase);
                    foreach (var @case in records.SelectMany(r => r.Cases))
                    {
                        if (!byNumber.TryGetValue(@case.CaseNumber, out var list))
                        {
                            byNumber[@case.CaseNumber] = list = [];
                        }

                        list.Add(@case);
                    }

                    cases = byNumber;
                    loadedFor = version;
                }
            }
            finally
            {
                gate.Release();
            }
        }

        return cases.GetValueOrDefault(caseNumber) ?? [];
    }
}
