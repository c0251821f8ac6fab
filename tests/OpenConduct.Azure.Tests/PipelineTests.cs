using System.IO.Compression;
using System.Security.Cryptography;
using OpenConduct.Core.Import;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Release;
using OpenConduct.Core.Sources;
using OpenConduct.Core.Storage;

namespace OpenConduct.Azure.Tests;

/// <summary>
/// The pipeline on Azurite: an agency drop pulled into exports-raw and processed into a release; no-op on an
/// unchanged export; single-flight processing; quarantine; and a crash injected after every step, then a re-run.
/// </summary>
public sealed class PipelineTests
{
    [SkippableFact]
    public async Task A_drop_is_pulled_byte_for_byte_and_processed_into_a_live_release()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("drop");
        await pipeline.DropAsync(PipelineHarness.SampleFolder("opcr"));

        var pulled = await pipeline.Pull.PullAsync(pipeline.Opcr, "test");

        Assert.Equal(PullOutcome.Pulled, pulled.Outcome);
        var raw = await pipeline.ListAsync(pipeline.Storage.Containers.Raw, "opcr/");
        var names = Directory.GetFiles(PipelineHarness.SampleFolder("opcr")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names.Select(n => pulled.RawPrefix + n).Append(pulled.RawPrefix + RawExport.ManifestName).Order(StringComparer.Ordinal), raw.Select(o => o.Path));
        Assert.Matches(@"^opcr/\d{4}-\d{2}-\d{2}/\d{8}T\d{6}Z-[0-9a-f]{4}/$", pulled.RawPrefix);
        foreach (var name in names)
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(PipelineHarness.SampleFolder("opcr"), name!));
            var stored = raw.Single(o => o.Path == pulled.RawPrefix + name);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Metadata["sha256"]);
            Assert.Equal("opcr", stored.Metadata["source"]);
            Assert.True(DateTimeOffset.TryParse(stored.Metadata["pulledAt"], System.Globalization.CultureInfo.InvariantCulture, out _));
            Assert.Equal(bytes, await pipeline.ReadBytesAsync(pipeline.Storage.Containers.Raw, stored.Path));
        }

        Assert.Empty(await pipeline.ListAsync(pipeline.Storage.Containers.Incoming, "opcr/"));
        Assert.Equal(RunOutcome.Pulled, (await pipeline.Storage.Ledger.GetRunAsync("opcr", pulled.RunId!))!.Outcome);

        var processed = await pipeline.Process().ProcessAsync(pipeline.Opcr, pulled.RawPrefix!, "test");

        Assert.Equal(ProcessOutcome.Published, processed.Outcome);
        var releaseId = processed.Publish!.ReleaseId;
        Assert.Equal(releaseId, await pipeline.Storage.Releases.GetLatestAsync("opcr"));
        var manifest = (await ReleaseManifestIo.ReadAsync(pipeline.Storage.Releases.Open("opcr", releaseId)))!;
        Assert.Contains(manifest.Artefacts, a => a.Path == ReleasePaths.DataPackage);
        Assert.Contains(manifest.Artefacts, a => a.Path == ReleasePaths.DatasetCsv("complaints"));
        await pipeline.AssertReleaseMatchesManifestAsync("opcr", releaseId);
        var run = (await pipeline.Storage.Ledger.GetRunAsync("opcr", pulled.RunId!))!;
        Assert.Equal(RunOutcome.Published, run.Outcome);
        Assert.Equal(releaseId, run.ReleaseId);
        Assert.Equal(1, run.Attempts);
        Assert.Equal(manifest.Counts.Complaints, run.Complaints);
        Assert.True(run.Complaints > 100);
        var state = (await pipeline.Storage.Ledger.GetSourceAsync("opcr"))!;
        Assert.Equal(releaseId, state.LastReleaseId);
        Assert.Equal(pulled.ExportHash, state.LastHash);
        Assert.Null(state.LastError);
    }

    [SkippableFact]
    public async Task An_unchanged_drop_is_a_recorded_no_op_that_processes_nothing()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("noop");
        var first = await pipeline.PublishSampleAsync();

        pipeline.Time.Set(PipelineHarness.Start.AddDays(14));
        await pipeline.DropAsync(PipelineHarness.SampleFolder("opcr"));
        var again = await pipeline.Pull.PullAsync(pipeline.Opcr, "test");

        Assert.Equal(PullOutcome.Unchanged, again.Outcome);
        Assert.Contains("same SHA-256", again.Message, StringComparison.Ordinal);
        Assert.Empty(await pipeline.ListAsync(pipeline.Storage.Containers.Incoming, "opcr/"));
        Assert.Single(await pipeline.ListAsync(pipeline.Storage.Containers.Raw, "opcr/"), o => o.Path.EndsWith(RawExport.ManifestName, StringComparison.Ordinal));
        Assert.Equal([first], await pipeline.Storage.Releases.ListAsync("opcr"));
        var runs = await pipeline.Storage.Ledger.ListRunsAsync("opcr");
        Assert.Equal([RunOutcome.NoOp, RunOutcome.Published], runs.Select(r => r.Outcome));
    }

    [SkippableFact]
    public async Task An_incomplete_drop_is_not_pulled_until_every_file_is_there()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("incomplete");
        await pipeline.DropAsync(PipelineHarness.SampleFolder("opcr"), except: "officers.csv");

        var pull = await pipeline.Pull.PullAsync(pipeline.Opcr, "test");

        Assert.Equal(PullOutcome.NotReady, pull.Outcome);
        Assert.Contains("officers", pull.Message, StringComparison.Ordinal);
        Assert.Empty(await pipeline.ListAsync(pipeline.Storage.Containers.Raw, "opcr/"));
        Assert.Equal(3, (await pipeline.ListAsync(pipeline.Storage.Containers.Incoming, "opcr/")).Count);
        Assert.Empty(await pipeline.Storage.Ledger.ListRunsAsync("opcr"));

        // A drop still being uploaded (newer than the settle time) waits too. (The harness's clock is in 2030; the
        // blobs carry Azurite's real time.)
        await pipeline.DropAsync(PipelineHarness.SampleFolder("opcr"));
        pipeline.Time.Set(DateTimeOffset.UtcNow);
        var settling = await pipeline.Pull.PullAsync(pipeline.Opcr with { SettleTime = TimeSpan.FromHours(1) }, "test");
        Assert.Equal(PullOutcome.NotReady, settling.Outcome);
        Assert.Contains("untouched", settling.Message, StringComparison.Ordinal);

        // The uploader's completion marker: pulled at once, and the marker goes with the drop.
        await pipeline.Storage.Containers.Incoming.UploadAsync("opcr/" + PullService.CompleteMarker, new MemoryStream());
        var marked = await pipeline.Pull.PullAsync(pipeline.Opcr with { SettleTime = TimeSpan.FromHours(1) }, "test");
        Assert.Equal(PullOutcome.Pulled, marked.Outcome);
        Assert.DoesNotContain(await pipeline.ListAsync(pipeline.Storage.Containers.Raw, marked.RawPrefix!), o => o.Path.EndsWith(PullService.CompleteMarker, StringComparison.Ordinal));
        Assert.Empty(await pipeline.ListAsync(pipeline.Storage.Containers.Incoming, "opcr/"));
    }

    [SkippableFact]
    public async Task A_live_release_built_without_dashboard_facts_is_rebuilt_from_its_raw_export()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("upgrade");
        var current = await pipeline.PublishSampleAsync();
        var releases = pipeline.Storage.Releases;
        var runner = new PipelineRunner(pipeline.Pull, pipeline.Process(), releases, pipeline.Storage.Ledger, null, ["opcr"], Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Null(await runner.UpgradeAsync(pipeline.Opcr, "test"));

        // What an earlier version left: a live release whose manifest lists no dashboard facts, published by the run.
        const string Old = "20300107-0000000000aa";
        var manifest = (await ReleaseManifestIo.ReadAsync(releases.Open("opcr", current)))!;
        await ReleaseManifestIo.WriteAsync(releases.Open("opcr", Old), manifest with { ReleaseId = Old, Internal = null });
        await releases.SetLatestAsync("opcr", Old);
        var run = (await pipeline.Storage.Ledger.ListRunsAsync("opcr")).Single(r => r.Outcome == RunOutcome.Published);
        await pipeline.Storage.Ledger.SaveRunAsync(run with { ReleaseId = Old });

        var upgraded = await runner.UpgradeAsync(pipeline.Opcr, "test");

        Assert.NotNull(upgraded);
        Assert.Equal(ProcessOutcome.Published, Assert.Single(upgraded.Processed).Outcome);
        Assert.Equal(current, await releases.GetLatestAsync("opcr"));
        var live = (await ReleaseManifestIo.ReadAsync(releases.Open("opcr", current)))!;
        Assert.Contains(live.Internal!, a => a.Path == ReleasePaths.DashboardFacts);
        Assert.Equal(current, (await pipeline.Storage.Ledger.GetRunAsync("opcr", run.RunId))!.ReleaseId);
        Assert.Null(await runner.UpgradeAsync(pipeline.Opcr, "test"));
    }

    [SkippableFact]
    public async Task Processing_a_source_is_single_flight()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("lease");
        await pipeline.DropAsync(PipelineHarness.SampleFolder("opcr"));
        var pulled = await pipeline.Pull.PullAsync(pipeline.Opcr, "test");

        await using (var held = await pipeline.Storage.Containers.Raw.TryAcquireLeaseAsync(ProcessService.LockPath("opcr")))
        {
            Assert.NotNull(held);
            var busy = await pipeline.Process(options: new ProcessOptions { LeaseWait = TimeSpan.Zero }).ProcessAsync(pipeline.Opcr, pulled.RawPrefix!, "test");
            Assert.Equal(ProcessOutcome.Busy, busy.Outcome);
            Assert.Null(await pipeline.Storage.Releases.GetLatestAsync("opcr"));
        }

        // Two instances triggered by the same export: one publishes, the other finds the run done.
        var both = await Task.WhenAll(
            pipeline.Process().ProcessAsync(pipeline.Opcr, pulled.RawPrefix!, "a"),
            pipeline.Process().ProcessAsync(pipeline.Opcr, pulled.RawPrefix!, "b"));
        Assert.Equal([ProcessOutcome.Published, ProcessOutcome.AlreadyDone], both.Select(r => r.Outcome).Order());
        Assert.Single(await pipeline.Storage.Releases.ListAsync("opcr"));
    }

    [SkippableFact]
    public async Task After_the_last_failed_attempt_the_export_moves_to_quarantine_and_the_live_release_stays()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("quarantine");
        var live = await pipeline.PublishSampleAsync();
        var pulled = await pipeline.PullChangedAsync();
        var faults = new FaultAt(PipelineSteps.Redacted, times: int.MaxValue);
        var process = pipeline.Process(faults, new ProcessOptions { MaxAttempts = 3 });

        var outcomes = new List<ProcessOutcome>();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var report = await process.ProcessAsync(pipeline.Opcr, pulled.RawPrefix!, "test");
            outcomes.Add(report.Outcome);
            Assert.Equal(attempt + 1, report.Attempts);
            Assert.Equal(live, await pipeline.Storage.Releases.GetLatestAsync("opcr"));
        }

        Assert.Equal([ProcessOutcome.Failed, ProcessOutcome.Failed, ProcessOutcome.Quarantined], outcomes);
        Assert.Empty(await pipeline.ListAsync(pipeline.Storage.Containers.Raw, pulled.RawPrefix!));
        var quarantined = await pipeline.ListAsync(pipeline.Storage.Containers.Quarantine, pulled.RawPrefix!);
        Assert.Contains(quarantined, o => o.Path.EndsWith(RawExport.ManifestName, StringComparison.Ordinal));
        Assert.Contains(quarantined, o => o.Path.EndsWith("complaints.csv", StringComparison.Ordinal));
        var error = System.Text.Encoding.UTF8.GetString(await pipeline.ReadBytesAsync(pipeline.Storage.Containers.Quarantine, pulled.RawPrefix + QuarantineReport.FileName));
        Assert.Contains("injected failure after redacted", error, StringComparison.Ordinal);
        Assert.Contains("\"attempts\": 3", error, StringComparison.Ordinal);
        var run = (await pipeline.Storage.Ledger.GetRunAsync("opcr", pulled.RunId!))!;
        Assert.Equal(RunOutcome.Quarantined, run.Outcome);
        Assert.Equal(3, run.Attempts);
        Assert.Contains("quarantined", (await pipeline.Storage.Ledger.GetSourceAsync("opcr"))!.LastError, StringComparison.Ordinal);
        Assert.Equal(ProcessOutcome.AlreadyDone, (await process.ProcessAsync(pipeline.Opcr, pulled.RawPrefix!, "test")).Outcome);
        Assert.Equal([live], await pipeline.Storage.Releases.ListAsync("opcr"));
    }

    [SkippableFact]
    public async Task An_export_that_cannot_be_imported_is_quarantined_at_once_with_the_reasons()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("badexport");
        var live = await pipeline.PublishSampleAsync();
        var folder = pipeline.CopyOfSample("opcr");
        await File.WriteAllTextAsync(Path.Combine(folder, "complaints.csv"), "not,the,right,columns\n1,2,3,4\n");
        await pipeline.DropAsync(folder);
        var pulled = await pipeline.Pull.PullAsync(pipeline.Opcr, "test");

        var report = await pipeline.Process().ProcessAsync(pipeline.Opcr, pulled.RawPrefix!, "test");

        Assert.Equal(ProcessOutcome.Quarantined, report.Outcome);
        Assert.Equal(1, report.Attempts);
        Assert.Contains("complaints.csv", report.Error, StringComparison.Ordinal);
        var error = System.Text.Encoding.UTF8.GetString(await pipeline.ReadBytesAsync(pipeline.Storage.Containers.Quarantine, pulled.RawPrefix + QuarantineReport.FileName));
        Assert.Contains("complaints.csv", error, StringComparison.Ordinal);
        Assert.Equal(live, await pipeline.Storage.Releases.GetLatestAsync("opcr"));
    }

    [SkippableTheory]
    [InlineData("bomb")]
    [InlineData("backslash")]
    public async Task A_hostile_archive_is_quarantined_at_once_and_the_live_release_stays(string kind)
    {
        await using var pipeline = await PipelineHarness.CreateAsync("zip" + kind);
        var live = await pipeline.PublishSampleAsync();
        var folder = pipeline.CopyOfSample("opcr");
        var zip = Path.Combine(folder, "export.zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
        {
            if (kind == "bomb")
            {
                // 64 MiB of zeros in a ~64 KB entry: refused at 16 MiB, nowhere near written out in full.
                using var entry = archive.CreateEntry("extra.csv", System.IO.Compression.CompressionLevel.SmallestSize).Open();
                var zeros = new byte[1 << 20];
                for (var i = 0; i < 64; i++)
                {
                    entry.Write(zeros);
                }
            }
            else
            {
                using var entry = archive.CreateEntry("exports\\extra.csv").Open();
                entry.Write("a,b\n"u8);
            }
        }

        await pipeline.DropAsync(folder);
        var pulled = await pipeline.Pull.PullAsync(pipeline.Opcr, "test");
        Assert.True(pulled.RawPrefix is not null, $"the drop was not pulled: {pulled}");

        var report = await pipeline.Process().ProcessAsync(pipeline.Opcr, pulled.RawPrefix!, "test");

        Assert.Equal(ProcessOutcome.Quarantined, report.Outcome);
        Assert.Equal(1, report.Attempts);
        Assert.Contains(kind == "bomb" ? "compression bomb" : "is not a file name", report.Error, StringComparison.Ordinal);
        var error = System.Text.Encoding.UTF8.GetString(await pipeline.ReadBytesAsync(pipeline.Storage.Containers.Quarantine, pulled.RawPrefix + QuarantineReport.FileName));
        Assert.Contains("export.zip", error, StringComparison.Ordinal);
        Assert.Equal(live, await pipeline.Storage.Releases.GetLatestAsync("opcr"));
    }

    [SkippableFact]
    public async Task A_drop_with_a_file_over_the_size_limit_is_quarantined_by_the_pull_without_being_copied()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("bigdrop");
        var live = await pipeline.PublishSampleAsync();
        var largest = new DirectoryInfo(PipelineHarness.SampleFolder("opcr")).GetFiles().Max(f => f.Length);
        var source = pipeline.Opcr with { Limits = new ExportLimits { MaxFileBytes = largest - 1 } };
        await pipeline.DropAsync(pipeline.ChangedExport());

        var pulled = await pipeline.Pull.PullAsync(source, "test");

        Assert.Equal(PullOutcome.Quarantined, pulled.Outcome);
        Assert.Contains("limits.maxFileBytes", pulled.Message, StringComparison.Ordinal);
        Assert.Empty(await pipeline.ListAsync(pipeline.Storage.Containers.Incoming, "opcr/"));
        Assert.DoesNotContain(await pipeline.ListAsync(pipeline.Storage.Containers.Raw, "opcr/"), o => o.Path.Contains(pulled.RunId!, StringComparison.Ordinal));
        var prefix = RawExport.Prefix("opcr", PipelineHarness.Start.AddHours(1), pulled.RunId!);
        var quarantined = await pipeline.ListAsync(pipeline.Storage.Containers.Quarantine, prefix);
        Assert.Contains(quarantined, o => o.Path == prefix + "complaints.csv");
        var error = System.Text.Encoding.UTF8.GetString(await pipeline.ReadBytesAsync(pipeline.Storage.Containers.Quarantine, prefix + QuarantineReport.FileName));
        Assert.Contains("one file may hold (limits.maxFileBytes)", error, StringComparison.Ordinal);
        var run = (await pipeline.Storage.Ledger.GetRunAsync("opcr", pulled.RunId!))!;
        Assert.Equal((RunOutcome.Quarantined, 1), (run.Outcome, run.Attempts));
        Assert.Equal(live, await pipeline.Storage.Releases.GetLatestAsync("opcr"));
        Assert.Equal([live], await pipeline.Storage.Releases.ListAsync("opcr"));
    }

    [SkippableFact]
    public async Task An_export_with_a_cell_over_the_limit_is_quarantined_at_the_first_attempt()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("bigcell");
        var live = await pipeline.PublishSampleAsync();
        var source = pipeline.Opcr with { Limits = new ExportLimits { MaxCellBytes = 16 } };
        var pulled = await pipeline.PullChangedAsync();

        var report = await pipeline.Process().ProcessAsync(source, pulled.RawPrefix!, "test");

        Assert.Equal(ProcessOutcome.Quarantined, report.Outcome);
        Assert.Equal(1, report.Attempts);
        Assert.StartsWith("the export is invalid: ", report.Error, StringComparison.Ordinal);
        Assert.Contains("a cell of more than 16 bytes (limits.maxCellBytes)", report.Error, StringComparison.Ordinal);
        Assert.Matches(@"\.csv:\d+:\d+: column '", report.Error);
        var error = System.Text.Encoding.UTF8.GetString(await pipeline.ReadBytesAsync(pipeline.Storage.Containers.Quarantine, pulled.RawPrefix + QuarantineReport.FileName));
        Assert.Contains("limits.maxCellBytes", error, StringComparison.Ordinal);
        Assert.Equal(live, await pipeline.Storage.Releases.GetLatestAsync("opcr"));
        Assert.Equal([live], await pipeline.Storage.Releases.ListAsync("opcr"));
    }

    [SkippableFact]
    public async Task An_older_export_processed_late_never_moves_latest_back()
    {
        await using var pipeline = await PipelineHarness.CreateAsync("order");
        await pipeline.DropAsync(PipelineHarness.SampleFolder("opcr"));
        var older = await pipeline.Pull.PullAsync(pipeline.Opcr, "test");
        var newer = await pipeline.PullChangedAsync();
        var live = (await pipeline.Process().ProcessAsync(pipeline.Opcr, newer.RawPrefix!, "test")).Publish!.ReleaseId;

        var late = await pipeline.Process().ProcessAsync(pipeline.Opcr, older.RawPrefix!, "retry");

        Assert.Equal(ProcessOutcome.Superseded, late.Outcome);
        Assert.Equal(live, await pipeline.Storage.Releases.GetLatestAsync("opcr"));
        Assert.Equal([live], await pipeline.Storage.Releases.ListAsync("opcr"));
        var run = (await pipeline.Storage.Ledger.GetRunAsync("opcr", older.RunId!))!;
        Assert.Equal(RunOutcome.NoOp, run.Outcome);
        Assert.Contains("superseded", run.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// Clock skew between instances: one instance pulls an export with its clock ahead of (or behind) the instance that
    /// pulls the next export a few minutes later. Whichever is processed first, the later export ends live, the earlier
    /// one never replaces it (latest never moves back in time) and no export is lost. Without ordering pulls by the
    /// source's previous pull, a clock ahead stamped the earlier export later than the next one: the next export was
    /// "superseded" (lost), or the earlier one replaced it.
    /// </summary>
    [SkippableTheory]
    [InlineData(10, true)]
    [InlineData(10, false)]
    [InlineData(1440, true)]
    [InlineData(1440, false)]
    [InlineData(-10, true)]
    [InlineData(-1440, false)]
    public async Task Instances_with_skewed_clocks_never_move_latest_back_nor_lose_an_export(int skewMinutes, bool newerProcessedFirst)
    {
        await using var pipeline = await PipelineHarness.CreateAsync("skew");
        var first = new ManualTime(PipelineHarness.Start.AddMinutes(skewMinutes));
        var second = new ManualTime(PipelineHarness.Start.AddMinutes(5));

        // Instance one pulls the sample with its skewed clock; five minutes later instance two pulls the next export.
        await pipeline.DropAsync(PipelineHarness.SampleFolder("opcr"));
        var older = await pipeline.PullWith(null, first).PullAsync(pipeline.Opcr, "test");
        await pipeline.DropAsync(pipeline.ChangedExport());
        var newer = await pipeline.PullWith(null, second).PullAsync(pipeline.Opcr, "test");
        Assert.Equal((PullOutcome.Pulled, PullOutcome.Pulled), (older.Outcome, newer.Outcome));

        var latest = new List<string?>();
        foreach (var (pulled, clock) in newerProcessedFirst ? new[] { (newer, second), (older, first) } : [(older, first), (newer, second)])
        {
            var report = await pipeline.Process(time: clock).ProcessAsync(pipeline.Opcr, pulled.RawPrefix!, "test");
            Assert.True(report.Outcome is ProcessOutcome.Published or ProcessOutcome.Superseded, $"{report.Outcome} {report.Error}");
            latest.Add(await pipeline.Storage.Releases.GetLatestAsync("opcr"));
        }

        var live = latest[^1]!;
        var manifest = (await ReleaseManifestIo.ReadAsync(pipeline.Storage.Releases.Open("opcr", live)))!;
        Assert.Equal(newer.ExportHash, manifest.Export?.Hash);
        if (newerProcessedFirst)
        {
            Assert.Equal(latest[0], latest[1]); // the older export came late: superseded, latest unchanged
            Assert.Equal(RunOutcome.NoOp, (await pipeline.Storage.Ledger.GetRunAsync("opcr", older.RunId!))!.Outcome);
        }
        else
        {
            Assert.NotEqual(latest[0], latest[1]);
            Assert.Equal(latest[0], manifest.PreviousReleaseId);
        }

        var runs = await pipeline.Storage.Ledger.ListRunsAsync("opcr");
        var olderRun = runs.Single(r => r.RunId == older.RunId);
        var newerRun = runs.Single(r => r.RunId == newer.RunId);
        Assert.True(newerRun.Started > olderRun.Started, $"the later pull is stamped {newerRun.Started:O}, the earlier {olderRun.Started:O}");
    }

    /// <summary>
    /// Fault injection with a real storage outage, not a thrown exception: the harness reaches Azurite through loopback
    /// proxies, and at the step the proxies are cut (open connections reset, new ones refused), so the next storage
    /// calls fail as they would when storage goes away mid-release. The previous release stays live and whole, nothing
    /// of the new one is public, and once storage is back the next attempt publishes it.
    /// </summary>
    [SkippableTheory]
    [InlineData(PipelineSteps.Imported)]
    [InlineData(PipelineSteps.ArtefactPrefix + "records/cases.jsonl.gz")]
    [InlineData(PipelineSteps.Manifest)]
    public async Task Storage_lost_mid_release_leaves_the_live_release_and_the_next_attempt_publishes(string step)
    {
        Skip.IfNot(Azurite.ConnectionString == "UseDevelopmentStorage=true", "this test proxies Azurite's default endpoints (OPENCONDUCT_AZURITE is set)");
        await using var blobs = CuttableProxy.Start(10000);
        await using var tables = CuttableProxy.Start(10002);
        var proxied = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"BlobEndpoint=http://127.0.0.1:{blobs.Port}/devstoreaccount1;TableEndpoint=http://127.0.0.1:{tables.Port}/devstoreaccount1;";
        await using var pipeline = await PipelineHarness.CreateAsync("outage", proxied);
        var live = await pipeline.PublishSampleAsync();
        var pulled = await pipeline.PullChangedAsync();
        var outage = new OutageAt(step, () =>
        {
            blobs.Cut();
            tables.Cut();
        });

        // The attempt fails: it reports so, or, when storage is too far gone to record even that, it throws and the
        // host's retry (the blob trigger's, the server's next pass) runs it again.
        ProcessReport? failed = null;
        try
        {
            failed = await pipeline.Process(outage).ProcessAsync(pipeline.Opcr, pulled.RawPrefix!, "test");
        }
        catch (Exception ex) when (ex is global::Azure.RequestFailedException or AggregateException or IOException or HttpRequestException or System.Net.Sockets.SocketException)
        {
        }

        Assert.True(outage.Fired, $"the pipeline never reached step '{step}'");
        Assert.NotEqual(ProcessOutcome.Published, failed?.Outcome);
        blobs.Restore();
        tables.Restore();
        Assert.Equal(live, await pipeline.Storage.Releases.GetLatestAsync("opcr"));
        await pipeline.AssertReleaseMatchesManifestAsync("opcr", live);
        var others = (await pipeline.Storage.Releases.ListAsync("opcr")).Where(id => id != live).ToList();
        foreach (var id in others)
        {
            // A release folder written in part has no manifest, so readers never serve it; one with a manifest is whole.
            if (await ReleaseManifestIo.ReadAsync(pipeline.Storage.Releases.Open("opcr", id)) is not null)
            {
                await pipeline.AssertReleaseMatchesManifestAsync("opcr", id);
            }
        }

        var rerun = await pipeline.Process().ProcessAsync(pipeline.Opcr, pulled.RawPrefix!, "test");

        Assert.Equal(ProcessOutcome.Published, rerun.Outcome);
        var next = await pipeline.Storage.Releases.GetLatestAsync("opcr");
        Assert.NotEqual(live, next);
        await pipeline.AssertReleaseMatchesManifestAsync("opcr", next!);
    }

    /// <summary>Every step of processing, and every artefact of a release.</summary>
    public static TheoryData<string> ProcessSteps()
    {
        var steps = new TheoryData<string> { PipelineSteps.Imported, PipelineSteps.Redacted };
        foreach (var artefact in PipelineHarness.ArtefactPaths())
        {
            steps.Add(PipelineSteps.ArtefactPrefix + artefact);
        }

        steps.Add(PipelineSteps.Manifest);
        steps.Add(PipelineSteps.Latest);
        steps.Add(PipelineSteps.ProcessRecorded);
        return steps;
    }

    [SkippableTheory]
    [MemberData(nameof(ProcessSteps))]
    public async Task A_crash_after_any_processing_step_leaves_the_live_release_and_a_rerun_finishes_it(string step)
    {
        await using var pipeline = await PipelineHarness.CreateAsync("crash");
        var live = await pipeline.PublishSampleAsync();
        var pulled = await pipeline.PullChangedAsync();
        var faults = new FaultAt(step);

        var crashed = await pipeline.Process(faults).ProcessAsync(pipeline.Opcr, pulled.RawPrefix!, "test");

        Assert.True(faults.Fired, $"the pipeline never reached step '{step}'");
        Assert.Equal(ProcessOutcome.Failed, crashed.Outcome);
        var latestAfterCrash = await pipeline.Storage.Releases.GetLatestAsync("opcr");
        if (step is PipelineSteps.Latest or PipelineSteps.ProcessRecorded)
        {
            Assert.NotEqual(live, latestAfterCrash);
        }
        else
        {
            Assert.Equal(live, latestAfterCrash);
            await pipeline.AssertReleaseMatchesManifestAsync("opcr", live);
        }

        var rerun = await pipeline.Process().ProcessAsync(pipeline.Opcr, pulled.RawPrefix!, "test");

        Assert.Equal(ProcessOutcome.Published, rerun.Outcome);
        Assert.Equal(2, rerun.Attempts);
        var ids = await pipeline.Storage.Releases.ListAsync("opcr");
        Assert.Equal(2, ids.Count);
        var next = ids.Single(id => id != live);
        Assert.Equal(next, await pipeline.Storage.Releases.GetLatestAsync("opcr"));
        await pipeline.AssertReleaseMatchesManifestAsync("opcr", next);

        // The same content as an uninterrupted run of the same two exports.
        var reference = await PipelineHarness.ReferenceArtefactsAsync();
        var manifest = (await ReleaseManifestIo.ReadAsync(pipeline.Storage.Releases.Open("opcr", next)))!;
        Assert.Equal(reference, manifest.Artefacts.Select(a => (a.Path, a.Sha256)).ToList());
        Assert.Equal(live, manifest.PreviousReleaseId);
        var run = (await pipeline.Storage.Ledger.GetRunAsync("opcr", pulled.RunId!))!;
        Assert.Equal(RunOutcome.Published, run.Outcome);
        Assert.Equal(next, run.ReleaseId);
    }

    public static TheoryData<string> PullSteps() => new()
    {
        PipelineSteps.Fetched, PipelineSteps.RawFiles, PipelineSteps.RawManifest, PipelineSteps.IncomingRemoved, PipelineSteps.PullRecorded,
    };

    [SkippableTheory]
    [MemberData(nameof(PullSteps))]
    public async Task A_crash_after_any_pull_step_is_finished_by_the_next_pull_and_processing(string step)
    {
        await using var pipeline = await PipelineHarness.CreateAsync("pullcrash");
        var live = await pipeline.PublishSampleAsync();
        await pipeline.DropAsync(pipeline.ChangedExport());
        var faults = new FaultAt(step);

        await Assert.ThrowsAsync<InjectedFault>(() => pipeline.PullWith(faults).PullAsync(pipeline.Opcr, "test"));
        Assert.Equal(live, await pipeline.Storage.Releases.GetLatestAsync("opcr"));

        // The next pull, then processing of every complete raw export (what the blob trigger does).
        await pipeline.Pull.PullAsync(pipeline.Opcr, "test");
        foreach (var manifest in (await pipeline.ListAsync(pipeline.Storage.Containers.Raw, "opcr/")).Where(o => o.Path.EndsWith(RawExport.ManifestName, StringComparison.Ordinal)))
        {
            var report = await pipeline.Process().ProcessAsync(pipeline.Opcr, manifest.Path[..^RawExport.ManifestName.Length], "test");
            Assert.True(report.Outcome is ProcessOutcome.Published or ProcessOutcome.AlreadyDone, $"{manifest.Path}: {report.Outcome} {report.Error}");
        }

        var ids = await pipeline.Storage.Releases.ListAsync("opcr");
        Assert.Equal(2, ids.Count);
        var next = ids.Single(id => id != live);
        Assert.Equal(next, await pipeline.Storage.Releases.GetLatestAsync("opcr"));
        var reference = await PipelineHarness.ReferenceArtefactsAsync();
        var published = (await ReleaseManifestIo.ReadAsync(pipeline.Storage.Releases.Open("opcr", next)))!;
        Assert.Equal(reference, published.Artefacts.Select(a => (a.Path, a.Sha256)).ToList());
    }

    private sealed class InjectedFault(string step) : Exception($"injected failure after {step}");

    /// <summary>Throws after the named step, the first <paramref name="times"/> times it is reached.</summary>
    /// <summary>Runs <paramref name="outage"/> once, after the step: the calls that follow meet it.</summary>
    private sealed class OutageAt(string step, Action outage) : IPipelineFaults
    {
        public bool Fired { get; private set; }

        public void After(string step1)
        {
            if (step1 == step && !Fired)
            {
                Fired = true;
                outage();
            }
        }
    }

    private sealed class FaultAt(string step, int times = 1) : IPipelineFaults
    {
        private int remaining = times;

        public bool Fired { get; private set; }

        public void After(string step1)
        {
            if (step1 == step && Interlocked.Decrement(ref remaining) >= 0)
            {
                Fired = true;
                throw new InjectedFault(step1);
            }
        }
    }
}
