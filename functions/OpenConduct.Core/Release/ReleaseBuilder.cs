using System.IO.Compression;
using CsvHelper;
using OpenConduct.Core.Disclosure;
using OpenConduct.Core.Import;
using OpenConduct.Core.Storage;

namespace OpenConduct.Core.Release;

/// <summary>
/// What a release holds once built: its public artefacts (in the order written), the change summary and the quality
/// report, and apart from them its internal artefacts (<see cref="Internal"/>), which are never public.
/// </summary>
public sealed record ReleaseContents(IReadOnlyList<ArtefactInfo> Artefacts, ChangeSummary Changes, QualityReport Quality)
{
    /// <summary>
    /// The internal artefacts the build wrote (<see cref="ReleasePaths.InternalFolder"/>: the dashboard facts): private,
    /// never among <see cref="Artefacts"/>; the manifest records them under <c>internal</c> for integrity only.
    /// </summary>
    public IReadOnlyList<ArtefactInfo> Internal { get; init; } = [];
}

/// <summary>
/// The public artefacts of a build, carrying the build's internal artefacts with them, so that
/// <see cref="ReleaseManifest.Create(ReleaseInput, IReadOnlyList{ArtefactInfo}, ReleaseExport?)"/> given
/// <see cref="ReleaseContents.Artefacts"/> records both. Enumerates the public artefacts only.
/// </summary>
public sealed class ReleaseArtefactList(IReadOnlyList<ArtefactInfo> artefacts, IReadOnlyList<ArtefactInfo> internalArtefacts) : IReadOnlyList<ArtefactInfo>
{
    /// <summary>The internal artefacts of the same build.</summary>
    public IReadOnlyList<ArtefactInfo> Internal { get; } = internalArtefacts;

    public int Count => artefacts.Count;

    public ArtefactInfo this[int index] => artefacts[index];

    public IEnumerator<ArtefactInfo> GetEnumerator() => artefacts.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>
/// Builds a release from redacted records: the records as JSON lines, the open datasets (CSV and JSON), the data
/// package, the DCAT-US catalog, the change summary, the quality report and the row-error report (docs/releases.md),
/// and the internal dashboard facts (<see cref="ReleasePaths.DashboardFacts"/>, private, never among the artefacts).
/// Not the manifest nor the <c>latest</c> pointer: the pipeline writes those once every artefact is in place.
/// Deterministic: the same input gives byte-identical artefacts (rows in case-number order, no clock, invariant culture).
/// </summary>
public sealed class ReleaseBuilder
{
    private const int CancellationCheckEvery = 4096;

    private ReleaseBuilder()
    {
    }

    /// <param name="input">The redacted records and what the release says about them.</param>
    /// <param name="store">Where the release's artefacts go.</param>
    /// <param name="afterArtefact">Called with an artefact's path after it is written (tests inject faults here).</param>
    /// <param name="progress">Receives a line per artefact.</param>
    /// <param name="cancellationToken">Cancels the build; artefacts already written stay (a re-run replaces them).</param>
    public static async Task<ReleaseContents> BuildAsync(
        ReleaseInput input,
        IArtefactStore store,
        Action<string>? afterArtefact = null,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(store);
        cancellationToken.ThrowIfCancellationRequested();
        var publication = new Publication(input.Policy);
        var cases = input.Records.Cases
            .OrderBy(c => c.Complaint.CaseNumber, StringComparer.Ordinal)
            .ThenBy(c => c.Complaint.Source, StringComparer.Ordinal)
            .ToList();
        var officers = input.Records.Officers
            .OrderBy(o => o.OfficerRef, StringComparer.Ordinal)
            .ThenBy(o => o.Source, StringComparer.Ordinal)
            .ToList();
        var artefacts = new List<ArtefactInfo>();

        void Done(ArtefactInfo info)
        {
            artefacts.Add(info);
            progress?.Report($"{input.Source} {input.ReleaseId}: wrote {info.Path} ({info.Bytes:N0} bytes)");
            afterArtefact?.Invoke(info.Path);
            cancellationToken.ThrowIfCancellationRequested();
        }

        // The change summary reads the previous release before anything is written.
        var changes = await ChangeSummaries.ComputeAsync(input, cases, cancellationToken).ConfigureAwait(false);

        var records = new RecordWriter(publication);
        Done(await WriteLinesAsync(store, ReleasePaths.Cases, cases, records.WriteCase, cancellationToken).ConfigureAwait(false));
        Done(await WriteLinesAsync(store, ReleasePaths.Officers, officers, RecordWriter.WriteOfficer, cancellationToken).ConfigureAwait(false));

        var datasets = new List<(DatasetSchema Schema, ArtefactInfo Csv)>();
        var quality = new List<DatasetQuality>();

        async Task WriteDataset<TRow>(Dataset<TRow> dataset, IEnumerable<TRow> rows)
        {
            var (csv, columns) = await WriteCsvAsync(store, ReleasePaths.DatasetCsv(dataset.Name), dataset.Columns, rows, cancellationToken).ConfigureAwait(false);
            Done(csv);
            datasets.Add((dataset, csv));
            quality.Add(columns);
            Done(await WriteJsonRowsAsync(store, ReleasePaths.DatasetJson(dataset.Name), dataset, rows, cancellationToken).ConfigureAwait(false));
        }

        await WriteDataset(Datasets.ComplaintSet(publication), cases.Select(c => c.Complaint)).ConfigureAwait(false);
        await WriteDataset(Datasets.AllegationSet(publication), cases.SelectMany(c => c.Allegations.Select((a, i) => new AllegationRow(a, i + 1)))).ConfigureAwait(false);
        await WriteDataset(Datasets.OfficerSet(publication), officers).ConfigureAwait(false);
        if (Datasets.ComplainantSet(publication) is { } complainants)
        {
            await WriteDataset(complainants, cases.SelectMany(c => c.Complainants.Select((p, i) => new ComplainantRow(p, i + 1)))).ConfigureAwait(false);
        }

        // Every row error, never capped: compressed when there are many.
        var compress = input.Import.TotalRowErrors > ReleasePaths.RowErrorsCompressedAbove;
        var (rowErrors, _) = await WriteCsvAsync(store, compress ? ReleasePaths.RowErrorsCompressed : ReleasePaths.RowErrors, RowErrorColumns,
            input.Import.AllRowErrors.Select(Published), cancellationToken, compress).ConfigureAwait(false);
        Done(rowErrors);

        Done(await ReleaseJson.WriteDocumentAsync(store, ReleasePaths.Changes, w => ChangeSummaries.Write(w, input, changes), cancellationToken).ConfigureAwait(false));

        var qualityReport = QualityReports.Create(input, publication, quality, rowErrors.Path);
        Done(await ReleaseJson.WriteDocumentAsync(store, ReleasePaths.Quality, w => QualityReports.Write(w, qualityReport, input.Records.Report, input.Import), cancellationToken).ConfigureAwait(false));

        Done(await ReleaseJson.WriteDocumentAsync(store, ReleasePaths.DataPackage, w => OpenData.WriteDataPackage(w, input, datasets, rowErrors), cancellationToken).ConfigureAwait(false));
        Done(await ReleaseJson.WriteDocumentAsync(store, ReleasePaths.Catalog, w => OpenData.WriteCatalog(w, input, datasets.Select(d => d.Schema).ToList()), cancellationToken).ConfigureAwait(false));

        // Internal: the dashboard facts (private microdata for the API's suppressed counts). Not a public artefact, so
        // not in `artefacts` (the manifest's public list) and not reported to afterArtefact.
        var facts = Dashboards.DashboardFactsBuilder.Build(input, cases, officers);
        var factsInfo = await store.WriteAsync(ReleasePaths.DashboardFacts, Dashboards.DashboardFactsIo.ContentType, (stream, ct) => Dashboards.DashboardFactsIo.WriteAsync(stream, facts, ct), cancellationToken).ConfigureAwait(false);
        progress?.Report($"{input.Source} {input.ReleaseId}: wrote {factsInfo.Path} ({factsInfo.Bytes:N0} bytes, internal)");
        cancellationToken.ThrowIfCancellationRequested();
        IReadOnlyList<ArtefactInfo> internalArtefacts = [factsInfo];

        return new ReleaseContents(new ReleaseArtefactList(artefacts, internalArtefacts), changes, qualityReport) { Internal = internalArtefacts };
    }

    private static readonly IReadOnlyList<Column<RowError>> RowErrorColumns = Datasets.RowErrorColumns.Cast<Column<RowError>>().ToList();

    /// <summary>A row error as a release publishes it: where and why, with a JSON record's location left to its line.</summary>
    private static RowError Published(RowError error) =>
        error.Path is null ? error : error with { Reason = error.Reason.Replace(error.Path, "(path)", StringComparison.Ordinal), Path = null };

    /// <summary>CSV: RFC 4180 (comma, CRLF, double quotes where needed), UTF-8 without BOM, a header row, formulas neutralised.</summary>
    internal static readonly CsvWriterOptions CsvOptions = CsvWriterOptions.Default with
    {
        NewLine = "\r\n",
        Quoting = CsvQuoting.WhenNeeded,
        WriteByteOrderMark = false,
        Injection = CsvInjection.None, // CsvFormulaGuard neutralises instead: it leaves plain numbers alone
    };

    private static async Task<(ArtefactInfo Info, DatasetQuality Quality)> WriteCsvAsync<TRow>(
        IArtefactStore store, string path, IReadOnlyList<Column<TRow>> columns, IEnumerable<TRow> rows, CancellationToken cancellationToken, bool gzip = false)
    {
        var nulls = new long[columns.Count];
        long count = 0;
        var info = await store.WriteAsync(path, gzip ? "application/gzip" : "text/csv", async (target, ct) =>
        {
            Array.Clear(nulls);
            count = 0;
            await using var compressed = gzip ? new System.IO.Compression.GZipStream(target, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true) : null;
            var stream = (Stream?)compressed ?? target;
            await using var csv = CsvWriter.Create(stream, CsvOptions, leaveOpen: true);
            csv.WriteHeader(columns.Select(c => c.Name).ToArray());
            foreach (var row in rows)
            {
                if (++count % CancellationCheckEvery == 0)
                {
                    ct.ThrowIfCancellationRequested();
                }

                for (var i = 0; i < columns.Count; i++)
                {
                    var cell = columns[i].Value(row);
                    switch (cell.Kind)
                    {
                        case CellKind.Null:
                            nulls[i]++;
                            csv.WriteField((string?)null);
                            break;
                        case CellKind.Number:
                            csv.WriteField(cell.Number, default);
                            break;
                        default:
                            csv.WriteField(CsvFormulaGuard.Neutralise(cell.ToCsvText()!));
                            break;
                    }
                }

                await csv.EndRecordAsync(ct).ConfigureAwait(false);
            }

            await csv.FlushAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        var name = Path.GetFileNameWithoutExtension(path.EndsWith(".gz", StringComparison.Ordinal) ? path[..^3] : path);
        return (info, new DatasetQuality(name, count, columns.Select((c, i) => QualityReports.Column(c.Name, count, nulls[i])).ToList()));
    }

    /// <summary>A JSON array of row objects: one object per line, the dataset's columns as properties, empty cells omitted.</summary>
    private static Task<ArtefactInfo> WriteJsonRowsAsync<TRow>(IArtefactStore store, string path, Dataset<TRow> dataset, IEnumerable<TRow> rows, CancellationToken cancellationToken) =>
        store.WriteAsync(path, ReleaseJson.ContentType, async (stream, ct) =>
        {
            using var json = new JsonRowStream(stream);
            var columns = dataset.Columns;
            var names = columns.Select(c => System.Text.Json.JsonEncodedText.Encode(c.Name)).ToArray();
            json.Raw("["u8);
            var first = true;
            long count = 0;
            foreach (var row in rows)
            {
                if (++count % CancellationCheckEvery == 0)
                {
                    ct.ThrowIfCancellationRequested();
                }

                json.Raw(first ? "\n"u8 : ",\n"u8);
                first = false;
                var w = json.Begin();
                w.WriteStartObject();
                for (var i = 0; i < columns.Count; i++)
                {
                    var cell = columns[i].Value(row);
                    switch (cell.Kind)
                    {
                        case CellKind.Text:
                            w.WriteString(names[i], cell.Text);
                            break;
                        case CellKind.Number:
                            w.WriteNumber(names[i], cell.Number);
                            break;
                        case CellKind.Boolean:
                            w.WriteBoolean(names[i], cell.Number != 0);
                            break;
                    }
                }

                w.WriteEndObject();
                await json.EndAsync(ct).ConfigureAwait(false);
            }

            json.Raw("\n]\n"u8);
            await json.FlushAsync(ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>JSON lines, gzip: one value per line, LF after each; the gzip header carries no file name and no time.</summary>
    private static Task<ArtefactInfo> WriteLinesAsync<T>(IArtefactStore store, string path, IEnumerable<T> items, Action<System.Text.Json.Utf8JsonWriter, T> write, CancellationToken cancellationToken) =>
        store.WriteAsync(path, "application/gzip", async (stream, ct) =>
        {
            var gzip = new GZipStream(stream, CompressionLevel.Fastest, leaveOpen: true);
            await using (gzip.ConfigureAwait(false))
            {
                using var json = new JsonRowStream(gzip);
                long count = 0;
                foreach (var item in items)
                {
                    if (++count % CancellationCheckEvery == 0)
                    {
                        ct.ThrowIfCancellationRequested();
                    }

                    write(json.Begin(), item);
                    await json.EndAsync(ct).ConfigureAwait(false);
                    json.Raw("\n"u8);
                }

                await json.FlushAsync(ct).ConfigureAwait(false);
            }
        }, cancellationToken);
}
