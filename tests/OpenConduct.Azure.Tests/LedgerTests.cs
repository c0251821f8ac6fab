using OpenConduct.Core.Storage;

namespace OpenConduct.Azure.Tests;

/// <summary>The run ledger on Azure Tables (Azurite).</summary>
public sealed class LedgerTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.FromHours(-6));

    [SkippableFact]
    public async Task Source_state_round_trips_every_field()
    {
        var storage = await Azurite.NewStorageAsync(nameof(Source_state_round_trips_every_field));
        try
        {
            var ledger = storage.Ledger;
            Assert.Null(await ledger.GetSourceAsync("opcr"));

            var state = new SourceState
            {
                Source = "opcr",
                ETag = "W/\"5f3a-18c\"",
                LastModified = Noon.AddDays(-3).AddTicks(1234567),
                LastHash = new string('a', 64),
                CadenceDays = 14,
                LastPull = Noon,
                LastSuccess = Noon.AddMinutes(-1),
                LastError = "HTTP 503 from https://example.org/export.csv",
                LastRunId = "20261122T180000Z-ab12",
                LastReleaseId = "20261122T180000Z-ab12",
            };
            await ledger.SaveSourceAsync(state);
            var read = await ledger.GetSourceAsync("opcr");
            Assert.Equal(state, read);
            Assert.Equal(TimeSpan.Zero, read!.LastPull!.Value.Offset); // stored as UTC, the same instant

            // Saving replaces: cleared fields come back null.
            var cleared = new SourceState { Source = "opcr", LastPull = Noon.AddDays(14) };
            await ledger.SaveSourceAsync(cleared);
            Assert.Equal(cleared, await ledger.GetSourceAsync("opcr"));
            Assert.Null(await ledger.GetSourceAsync("iau"));
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    [SkippableFact]
    public async Task Run_record_round_trips_every_field_and_outcome()
    {
        var storage = await Azurite.NewStorageAsync(nameof(Run_record_round_trips_every_field_and_outcome));
        try
        {
            var ledger = storage.Ledger;
            var run = new RunRecord
            {
                Source = "opcr",
                RunId = "20261122T061500Z-ab12",
                Trigger = "timer",
                Started = Noon.AddTicks(1),
                Finished = Noon.AddMinutes(3),
                Outcome = RunOutcome.Published,
                Attempts = 2,
                RawPrefix = "opcr/20261122T061500Z-ab12/",
                ExportHash = new string('f', 64),
                Bytes = 5_000_000_000,
                Requests = 4,
                RowsRead = 123_456,
                RowsRejected = 7,
                Complaints = 10_000,
                Allegations = 25_000,
                Officers = 900,
                ReleaseId = "20261122T061500Z-ab12",
                Error = "first attempt: timeout",
            };
            await ledger.SaveRunAsync(run);
            Assert.Equal(run, await ledger.GetRunAsync("opcr", run.RunId));
            Assert.Null(await ledger.GetRunAsync("opcr", "20261122T061500Z-ffff"));
            Assert.Null(await ledger.GetRunAsync("iau", run.RunId));

            foreach (var outcome in Enum.GetValues<RunOutcome>())
            {
                var minimal = new RunRecord { Source = "opcr", RunId = "20261123T000000Z-" + (int)outcome, Trigger = "cli", Outcome = outcome };
                await ledger.SaveRunAsync(minimal);
                Assert.Equal(minimal, await ledger.GetRunAsync("opcr", minimal.RunId));
            }

            // A run is saved again as it progresses: the latest save wins.
            var finished = run with { Outcome = RunOutcome.Failed, Error = null, ReleaseId = null, Finished = Noon.AddHours(1) };
            await ledger.SaveRunAsync(finished);
            Assert.Equal(finished, await ledger.GetRunAsync("opcr", run.RunId));
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    [SkippableFact]
    public async Task Runs_are_listed_newest_first_up_to_max()
    {
        var storage = await Azurite.NewStorageAsync(nameof(Runs_are_listed_newest_first_up_to_max));
        try
        {
            var ledger = storage.Ledger;
            Assert.Empty(await ledger.ListRunsAsync("opcr"));

            var ids = Enumerable.Range(0, 12)
                .Select(i => Noon.AddDays(i * 14).UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture) + "-" + i.ToString("x4", System.Globalization.CultureInfo.InvariantCulture))
                .ToList();
            foreach (var i in new[] { 5, 0, 11, 3, 8, 1, 10, 2, 7, 4, 9, 6 })
            {
                await ledger.SaveRunAsync(new RunRecord { Source = "opcr", RunId = ids[i], Trigger = "timer", Started = Noon.AddDays(i * 14), Outcome = RunOutcome.NoOp });
            }

            await ledger.SaveRunAsync(new RunRecord { Source = "opcr2", RunId = "29991231T000000Z-0000", Trigger = "timer" });

            var all = await ledger.ListRunsAsync("opcr");
            Assert.Equal(ids.AsEnumerable().Reverse(), all.Select(r => r.RunId));
            Assert.All(all, r => Assert.Equal("opcr", r.Source));

            var three = await ledger.ListRunsAsync("opcr", max: 3);
            Assert.Equal([ids[11], ids[10], ids[9]], three.Select(r => r.RunId));
            Assert.Equal(Noon.AddDays(11 * 14), three[0].Started);

            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ledger.ListRunsAsync("opcr", max: 0));
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    [SkippableFact]
    public async Task A_long_error_is_cut_to_fit_a_column()
    {
        var storage = await Azurite.NewStorageAsync(nameof(A_long_error_is_cut_to_fit_a_column));
        try
        {
            var error = string.Concat(Enumerable.Repeat("System.IO.InvalidDataException: row 12: bad date\n", 2_000));
            await storage.Ledger.SaveRunAsync(new RunRecord { Source = "opcr", RunId = "r1", Trigger = "timer", Outcome = RunOutcome.Failed, Error = error });
            await storage.Ledger.SaveSourceAsync(new SourceState { Source = "opcr", LastError = error });

            var run = await storage.Ledger.GetRunAsync("opcr", "r1");
            Assert.StartsWith(error[..TablePipelineLedger.MaxText], run!.Error, StringComparison.Ordinal);
            Assert.EndsWith($"... ({error.Length - TablePipelineLedger.MaxText} more characters)", run.Error, StringComparison.Ordinal);
            Assert.Equal(run.Error, (await storage.Ledger.GetSourceAsync("opcr"))!.LastError);
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }
}
