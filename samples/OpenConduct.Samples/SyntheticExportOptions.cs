namespace OpenConduct.Samples;

/// <summary>What to generate. The same options always produce byte-identical files.</summary>
public sealed record SyntheticExportOptions
{
    /// <summary>Seed of the cases (each source mixes in its own salt, so one seed gives three different exports).</summary>
    public int Seed { get; init; } = 20261122;

    /// <summary>Exact number of distinct allegations (officer x allegation rows) to write.</summary>
    public int Allegations { get; init; } = 300;

    /// <summary>
    /// Seed of the department's officer roster. Keep it equal across sources: OPCR and IAU then share employee ids, and
    /// CRA shares names, birth years and appointment dates, so one officer's history spans the three sources.
    /// </summary>
    public int RosterSeed { get; init; } = 1991;

    /// <summary>Size of the officer pool; null means one officer per 40 allegations, at least 50.</summary>
    public int? Officers { get; init; }

    /// <summary>
    /// Probability that an allegation row is written twice (an exact duplicate row); null means the source's default
    /// (OPCR 0.002, IAU 0.008, CRA none). Unless it is 0, at least one duplicate is written.
    /// </summary>
    public double? DuplicateRate { get; init; }

    /// <summary>
    /// Seeds every private value with a unique canary token (off by default, so the committed samples stay as they
    /// are): complainant names ("Kanarybcdefg"), addresses ("5123 Kanaryvalebcdefg Ave"), phones ("(612) 2xx-xxxx"),
    /// e-mails ("kanary&lt;n&gt;@example.org") and dates of birth, the witnesses narratives name, and one canary witness
    /// (name, phone, address, e-mail) in every narrative. Officers keep their roster names, which are public. The
    /// tokens written are listed in <see cref="SyntheticExportResult.Canaries"/>.
    /// </summary>
    public bool Canaries { get; init; }
}

/// <summary>One file written by the generator.</summary>
/// <param name="Path">Full path of the file.</param>
/// <param name="Rows">Data rows (header excluded, duplicate rows included). A row may span several lines.</param>
/// <param name="DuplicateRows">Rows that repeat the row before them exactly.</param>
public sealed record GeneratedFile(string Path, long Rows, int DuplicateRows);

/// <summary>What one export holds.</summary>
/// <param name="Canaries">
/// Every canary token written when <see cref="SyntheticExportOptions.Canaries"/> is on (names, addresses and their
/// street words, phones as written and digits only, e-mails, dates of birth); empty otherwise.
/// </param>
public sealed record SyntheticExportResult(string Source, string Directory, IReadOnlyList<GeneratedFile> Files, int Complaints, int Allegations, int Officers, IReadOnlyList<string> Canaries);
