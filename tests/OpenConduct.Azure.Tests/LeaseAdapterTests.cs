using System.Diagnostics;
using Azure.Storage.Blobs;

namespace OpenConduct.Azure.Tests;

// The two slow lease tests (about 20 s each, Azure's shortest lease being 15 s) are in two classes so that xUnit
// runs them in parallel with each other and with the rest.

/// <summary>A held lease is renewed: it outlives its duration.</summary>
public sealed class LeaseRenewalAdapterTests
{
    [SkippableFact]
    public async Task A_held_lease_is_renewed_past_its_duration()
    {
        var storage = await Azurite.NewStorageAsync(nameof(A_held_lease_is_renewed_past_its_duration), o => o.LeaseSeconds = 15);
        try
        {
            var raw = storage.Containers.Raw;
            var other = new BlobContainerStore(new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient(raw.Name), TimeSpan.FromSeconds(15));
            var lease = await raw.TryAcquireLeaseAsync("locks/opcr");
            Assert.NotNull(lease);

            await Task.Delay(TimeSpan.FromSeconds(20));

            Assert.Null(await other.TryAcquireLeaseAsync("locks/opcr"));
            Assert.True(((BlobLease)lease).Renewals >= 3, $"renewed {((BlobLease)lease).Renewals} times in 20 s (every 5 s expected)");
            Assert.True(((BlobLease)lease).Renewing);

            await lease.DisposeAsync();
            var next = await other.TryAcquireLeaseAsync("locks/opcr");
            Assert.NotNull(next);
            await next.DisposeAsync();
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }
}

/// <summary>A holder that dies (stops renewing without releasing) loses its lease after the lease duration.</summary>
public sealed class LeaseExpiryAdapterTests
{
    [SkippableFact]
    public async Task A_dead_holders_lease_lapses_after_its_duration()
    {
        var storage = await Azurite.NewStorageAsync(nameof(A_dead_holders_lease_lapses_after_its_duration), o => o.LeaseSeconds = 15);
        try
        {
            var raw = storage.Containers.Raw;
            var lease = (BlobLease?)await raw.TryAcquireLeaseAsync("locks/opcr");
            Assert.NotNull(lease);
            var clock = Stopwatch.StartNew();
            await lease.AbandonAsync();

            IAsyncDisposable? next = null;
            while (next is null && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                next = await raw.TryAcquireLeaseAsync("locks/opcr");
                if (next is null)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(500));
                }
            }

            Assert.NotNull(next);
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(13), TimeSpan.FromSeconds(20));

            // Disposing the dead holder's handle does not release the new holder's lease.
            await lease.DisposeAsync();
            Assert.Null(await raw.TryAcquireLeaseAsync("locks/opcr"));
            await next.DisposeAsync();
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }
}
