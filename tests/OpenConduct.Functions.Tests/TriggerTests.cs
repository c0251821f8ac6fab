using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using OpenConduct.Core.Officers;
using OpenConduct.Core.Storage;

namespace OpenConduct.Functions.Tests;

/// <summary>
/// The pipeline's functions invoked as the host invokes them, against Azurite, with the binding types the host passes:
/// <see cref="TimerInfo"/>, a <see cref="Azure.Storage.Blobs.BlobClient"/> and the blob path's parameters, the
/// cancellation token. What a trigger's attempt leaves (releases, the run ledger, the officer index in the AI Search
/// fake) is read back from storage; a failed attempt must throw, which is what makes the host deliver the blob again.
/// </summary>
public sealed class TriggerTests
{
    [SkippableFact]
    public async Task The_timer_pass_pulls_a_ready_drop_processes_it_and_indexes_its_officers()
    {
        await using var app = await AppOnAzurite.StartAsync("timer");
        await app.DropAsync("opcr");

        await app.Function<PullExports>().RunAsync(new TimerInfo { IsPastDue = true }, CancellationToken.None);

        var live = await app.Storage.Releases.GetLatestAsync("opcr");
        Assert.NotNull(live);
        Assert.Equal(live, (await app.Storage.Ledger.GetSourceOrNewAsync("opcr")).LastReleaseId);
        Assert.Null(await app.Storage.Releases.GetLatestAsync("iau"));
        await AssertIndexedAsync(app);

        // The next pass: the drop was taken, nothing new; the live release stays.
        await app.Function<PullExports>().RunAsync(new TimerInfo(), CancellationToken.None);
        Assert.Equal(live, await app.Storage.Releases.GetLatestAsync("opcr"));
        Assert.Single(await app.ManifestsAsync("opcr"));
    }

    [SkippableFact]
    public async Task A_drop_is_pulled_by_its_upload_and_published_and_indexed_by_its_raw_manifest()
    {
        await using var app = await AppOnAzurite.StartAsync("raw");
        var marker = await app.DropAsync("opcr");

        await app.Function<ProcessIncomingDrop>().RunAsync(marker, "opcr", CancellationToken.None);

        // The pull stored the raw export; processing is the raw export trigger's, once.
        var (manifest, source, date, runId) = Assert.Single(await app.ManifestsAsync("opcr"));
        Assert.Null(await app.Storage.Releases.GetLatestAsync("opcr"));

        await app.Function<ProcessRawExport>().RunAsync(manifest, source, date, runId, CancellationToken.None);

        var live = await app.Storage.Releases.GetLatestAsync("opcr");
        Assert.NotNull(live);
        var run = await app.Storage.Ledger.GetRunAsync("opcr", runId);
        Assert.Equal(RunOutcome.Published, run?.Outcome);
        Assert.Equal(live, run?.ReleaseId);
        await AssertIndexedAsync(app);

        // Event Grid delivers at least once: the same blob again changes nothing and does not throw.
        var generation = await app.Services.GetRequiredService<IOfficerIndex>().GetGenerationAsync();
        await app.Function<ProcessRawExport>().RunAsync(manifest, source, date, runId, CancellationToken.None);
        Assert.Equal(live, await app.Storage.Releases.GetLatestAsync("opcr"));
        Assert.Equal(generation, await app.Services.GetRequiredService<IOfficerIndex>().GetGenerationAsync());
        Assert.Equal(1, (await app.Storage.Ledger.GetRunAsync("opcr", runId))?.Attempts);
    }

    [SkippableFact]
    public async Task A_failed_attempt_throws_for_the_hosts_retry_and_the_next_delivery_publishes()
    {
        await using var app = await AppOnAzurite.StartAsync("failed");
        await app.Function<ProcessIncomingDrop>().RunAsync(await app.DropAsync("opcr"), "opcr", CancellationToken.None);
        var (manifest, source, date, runId) = Assert.Single(await app.ManifestsAsync("opcr"));

        // A data file of the raw export is unreadable for now (here: moved away), as storage can be.
        var file = $"{source}/{date}/{runId}/complaints.csv";
        var away = app.Blob("exports-raw", file + ".away");
        await away.StartCopyFromUriAsync(app.Blob("exports-raw", file).Uri);
        await app.Blob("exports-raw", file).DeleteAsync();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => app.Function<ProcessRawExport>().RunAsync(manifest, source, date, runId, CancellationToken.None));
        Assert.Contains("Failed", failure.Message, StringComparison.Ordinal);
        var run = await app.Storage.Ledger.GetRunAsync("opcr", runId);
        Assert.Equal(RunOutcome.Failed, run?.Outcome);
        Assert.Equal(1, run?.Attempts);
        Assert.Null(await app.Storage.Releases.GetLatestAsync("opcr"));

        // The host's next delivery, the file back: the second attempt publishes.
        await app.Blob("exports-raw", file).StartCopyFromUriAsync(away.Uri);
        await app.Function<ProcessRawExport>().RunAsync(manifest, source, date, runId, CancellationToken.None);
        Assert.NotNull(await app.Storage.Releases.GetLatestAsync("opcr"));
        Assert.Equal(2, (await app.Storage.Ledger.GetRunAsync("opcr", runId))?.Attempts);
    }

    [SkippableFact]
    public async Task An_upload_for_an_unknown_source_or_of_an_unfinished_drop_pulls_nothing_and_does_not_throw()
    {
        await using var app = await AppOnAzurite.StartAsync("notready");
        await app.Storage.Containers.Incoming.UploadAsync("elsewhere/file.csv", new MemoryStream([1, 2, 3]));
        await app.Function<ProcessIncomingDrop>().RunAsync(app.Blob("exports-incoming", "elsewhere/file.csv"), "elsewhere", CancellationToken.None);

        // One file of the drop, no completion marker, younger than the source's settleMinutes: not ready yet.
        await app.Storage.Containers.Incoming.UploadAsync("opcr/complaints.csv", File.OpenRead(Path.Combine(AppContext.BaseDirectory, "samples", "exports", "opcr", "complaints.csv")));
        await app.Function<ProcessIncomingDrop>().RunAsync(app.Blob("exports-incoming", "opcr/complaints.csv"), "opcr", CancellationToken.None);

        Assert.Empty(await app.ManifestsAsync("opcr"));
        Assert.Empty(await app.ManifestsAsync("elsewhere"));
    }

    [SkippableFact]
    public async Task The_refresh_function_pulls_the_source_now_and_answers_with_the_outcome()
    {
        await using var app = await AppOnAzurite.StartAsync("refresh");
        await app.DropAsync("opcr");
        var (status, _, body) = await HttpInvocation.InvokeAsync(app.Services, "127.0.0.1", "POST", "/api/pipeline/refresh?source=opcr", request => app.Function<ApiFunctions>().Refresh(request));

        Assert.Equal(StatusCodes.Status202Accepted, status);
        Assert.Contains("\"status\":\"Pulled\"", body, StringComparison.Ordinal);
        Assert.Single(await app.ManifestsAsync("opcr"));
        var (missing, _, _) = await HttpInvocation.InvokeAsync(app.Services, "127.0.0.1", "POST", "/api/pipeline/refresh?source=nope", request => app.Function<ApiFunctions>().Refresh(request));
        Assert.Equal((int)HttpStatusCode.NotFound, missing);
    }

    private static async Task AssertIndexedAsync(AppOnAzurite app)
    {
        var index = app.Services.GetRequiredService<IOfficerIndex>();
        Assert.NotNull(await index.GetGenerationAsync());
        var found = await index.SearchAsync(new OfficerQuery { Text = "white" });
        Assert.NotEmpty(found.Hits);
    }
}
