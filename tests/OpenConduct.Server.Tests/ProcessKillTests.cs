using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using OpenConduct.Azure.Tests;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Release;
using OpenConduct.Core.Storage;
using static OpenConduct.Server.Tests.Cli;

namespace OpenConduct.Server.Tests;

/// <summary>
/// Fault injection with a real process: <c>openconduct ingest</c> on Azurite is killed (SIGKILL, no clean-up of any
/// kind) while it uploads a release's artefacts, held there by the OPENCONDUCT_FAULT_HANG_AFTER hook. The previous
/// release stays live and nothing of the half-written one can be served (it has no manifest); the next instance to
/// start (<c>serve</c>, which finishes what a crashed run left) waits out the dead process's lease and publishes it whole.
/// </summary>
public sealed class ProcessKillTests
{
    private const string HangAt = PipelineSteps.ArtefactPrefix + "records/cases.jsonl.gz";

    [SkippableFact]
    public async Task A_process_killed_while_uploading_artefacts_leaves_the_live_release_and_the_next_instance_publishes()
    {
        var storage = await Azurite.NewStorageAsync("kill");
        using var folder = new TempFolder();
        try
        {
            var prefix = storage.Options.Prefix!;
            var environment = new Dictionary<string, string?>(PseudonymKey) { ["OPENCONDUCT_LEASE_SECONDS"] = "15" };
            string[] common = ["--prefix", prefix, "--storage", Azurite.ConnectionString, "--index", Path.Combine(folder.Path, "index")];
            var first = RunWith(environment, ["ingest", "--source", "opcr", "--drop", "samples/exports/opcr", .. common]);
            Assert.True(first.Exit == 0, first.Output);
            var live = await storage.Releases.GetLatestAsync("opcr");
            Assert.NotNull(live);

            // The next export (the sample with one row repeated), its ingest killed after the first artefact is uploaded.
            var changed = Directory.CreateDirectory(Path.Combine(folder.Path, "changed")).FullName;
            foreach (var file in Directory.GetFiles(Path.Combine(Repo, "samples", "exports", "opcr")))
            {
                File.Copy(file, Path.Combine(changed, Path.GetFileName(file)));
            }

            var complaints = Path.Combine(changed, "complaints.csv");
            File.AppendAllText(complaints, File.ReadLines(complaints).Last() + "\r\n");
            using (var child = Start(new(environment) { [HangAfterStep.Setting] = HangAt }, ["ingest", "--source", "opcr", "--drop", changed, .. common]))
            {
                _ = child.StandardOutput.ReadToEndAsync();
                var hung = await WaitForLineAsync(child.StandardError, "fault: hanging after " + HangAt, TimeSpan.FromMinutes(2));
                Assert.True(hung, "ingest never reached " + HangAt);
                child.Kill(); // SIGKILL: no finally block, no lease release, no clean-up
                await child.WaitForExitAsync();
                Assert.NotEqual(0, child.ExitCode);
            }

            // The previous release is live and whole; the new one is half-written and has no manifest (never served).
            Assert.Equal(live, await storage.Releases.GetLatestAsync("opcr"));
            var partial = Assert.Single(await storage.Releases.ListAsync("opcr"), id => id != live);
            var partialStore = storage.Releases.Open("opcr", partial);
            Assert.Null(await ReleaseManifestIo.ReadAsync(partialStore));
            await using (var written = await partialStore.OpenReadAsync("records/cases.jsonl.gz"))
            {
                Assert.True(written is not null, "the killed run had not uploaded the artefact it hung after");
            }

            var interrupted = Assert.Single(await storage.Ledger.ListRunsAsync("opcr"), r => r.Outcome == RunOutcome.Running);

            // The next instance: serve finishes the run the dead process left, once its lease has lapsed.
            using var server = await ApiServer.StartAsync([.. common, "--watch", "600"], environment.ToDictionary(e => e.Key, e => e.Value!));
            using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            using (var before = await http.GetAsync($"/api/releases/opcr/{partial}/records/cases.jsonl.gz"))
            {
                // Not complete yet (the lease still holds) or complete by now: never a half release.
                Assert.True(before.StatusCode == System.Net.HttpStatusCode.NotFound || await ReleaseManifestIo.ReadAsync(partialStore) is not null, $"{before.StatusCode}");
            }

            await server.WaitForLogAsync("OpenConduct run opcr process Published", TimeSpan.FromMinutes(2));
            Assert.Equal(partial, await storage.Releases.GetLatestAsync("opcr"));
            var manifest = await ReleaseManifestIo.ReadAsync(partialStore);
            Assert.NotNull(manifest);
            Assert.Equal(live, manifest.PreviousReleaseId);
            foreach (var artefact in manifest.Artefacts)
            {
                await using var stream = await partialStore.OpenReadAsync(artefact.Path);
                Assert.True(stream is not null, $"{artefact.Path} is listed but missing");
                Assert.Equal(artefact.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(stream)));
            }

            var run = (await storage.Ledger.GetRunAsync("opcr", interrupted.RunId))!;
            Assert.Equal((RunOutcome.Published, partial, 2), (run.Outcome, run.ReleaseId, run.Attempts));
            var latest = await http.GetFromJsonAsync<JsonElement>("/api/releases/latest");
            Assert.Contains(partial, latest.GetRawText(), StringComparison.Ordinal);
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    private static async Task<bool> WaitForLineAsync(StreamReader reader, string text, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await reader.ReadLineAsync(cancel.Token) is { } line)
            {
                if (line.Contains(text, StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        return false;
    }
}
