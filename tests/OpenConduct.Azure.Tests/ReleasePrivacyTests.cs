using System.IO.Compression;
using System.Text;
using OpenConduct.Core.Pipeline;
using OpenConduct.Samples;

namespace OpenConduct.Azure.Tests;

/// <summary>
/// The privacy canary over a whole published release on Azurite: the three exports generated with a unique canary in
/// every private field and every narrative go through drop -> pull -> process, and every blob of the releases
/// container (records decompressed, datasets, data package, catalog, changes, quality, row errors, manifests, latest
/// pointers), every progress line and every ledger row is searched for the canaries.
/// </summary>
public sealed class ReleasePrivacyTests
{
    [SkippableFact]
    public async Task No_canary_reaches_any_blob_of_a_published_release()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("canary");
        var root = Path.Combine(Path.GetTempPath(), "openconduct-canary-exports-" + Guid.NewGuid().ToString("N"));
        try
        {
            var exports = SyntheticExports.WriteAll(root, new SyntheticExportOptions { Seed = 7, RosterSeed = 1991, Allegations = 400, Canaries = true });
            var canaries = exports.SelectMany(e => e.Canaries).Distinct(StringComparer.Ordinal).ToList();
            var log = new Log();
            await pipeline.PublishDropsAsync(root, log, log);

            // Public: every blob of the releases container; also what the pipeline logs and records in its ledger.
            var runs = new List<string>();
            foreach (var source in PipelineHarness.SampleSources)
            {
                runs.AddRange((await pipeline.Storage.Ledger.ListRunsAsync(source)).Select(r => r.ToString()));
                runs.Add((await pipeline.Storage.Ledger.GetSourceAsync(source))!.ToString());
            }

            Assert.True(log.Lines.Count > 30, $"only {log.Lines.Count} progress lines");
            var published = await ReadReleasesContainerAsync(pipeline) + string.Join('\n', log.Lines) + string.Join('\n', runs);

            Assert.True(canaries.Count > 500, $"only {canaries.Count} canaries were seeded");
            var leaked = canaries.Where(c => published.Contains(c, StringComparison.OrdinalIgnoreCase)).Take(10).ToList();
            Assert.True(leaked.Count == 0, "canaries in the published release: " + string.Join(", ", leaked));

            // The search reads real content: public values are there (case numbers of each source, officers' names).
            Assert.Contains("\"caseNumber\"", published, StringComparison.Ordinal);
            Assert.Contains("case_number", published, StringComparison.Ordinal);
            Assert.Contains("dcat:Dataset", published, StringComparison.Ordinal);
            Assert.Contains("/internal/dashboard-facts.bin.gz\n", published, StringComparison.Ordinal);            // the internal dashboard facts were read too,
            Assert.Contains("\"name\":\"complainantRace\",\"level\":\"complaint\"", published, StringComparison.Ordinal); // decompressed (their header)
            Assert.True(published.Length > 500_000, $"only {published.Length} characters were published");
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>Collects progress lines as they are reported (on the reporting thread).</summary>
    private sealed class Log : IProgress<string>, IProgress<Core.Import.ImportProgress>
    {
        public List<string> Lines { get; } = [];

        public void Report(string value)
        {
            lock (Lines)
            {
                Lines.Add(value);
            }
        }

        public void Report(Core.Import.ImportProgress value) => Report(value.ToString());
    }

    private static async Task<string> ReadReleasesContainerAsync(PipelineHarness pipeline)
    {
        var container = pipeline.Storage.BlobService.GetBlobContainerClient(pipeline.Storage.Options.ContainerName(pipeline.Storage.Options.ReleasesContainer));
        var text = new StringBuilder();
        var blobs = 0;
        await foreach (var blob in container.GetBlobsAsync(global::Azure.Storage.Blobs.Models.BlobTraits.None, global::Azure.Storage.Blobs.Models.BlobStates.None, null, default))
        {
            await using var stream = await container.GetBlobClient(blob.Name).OpenReadAsync();
            await using var content = blob.Name.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
            using var reader = new StreamReader(content, Encoding.UTF8);
            text.Append(blob.Name).Append('\n').Append(await reader.ReadToEndAsync()).Append('\n');
            blobs++;
        }

        Assert.True(blobs >= 3 * 10, $"only {blobs} blobs in the releases container");
        return text.ToString();
    }
}
