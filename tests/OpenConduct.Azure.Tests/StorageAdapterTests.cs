using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using OpenConduct.Core.Storage;

namespace OpenConduct.Azure.Tests;

/// <summary>The blob adapters against Azurite: containers, leases, artefacts, releases.</summary>
public sealed class StorageAdapterTests
{
    [SkippableFact]
    public async Task Upload_get_list_in_path_order_read_and_delete()
    {
        var storage = await Azurite.NewStorageAsync(nameof(Upload_get_list_in_path_order_read_and_delete));
        try
        {
            var raw = storage.Containers.Raw;
            Assert.Equal(storage.Options.Prefix + "-exports-raw", raw.Name);
            var metadata = new Dictionary<string, string> { ["source"] = "opcr", ["pulledAt"] = "2026-11-22T06:15:00.0000000+00:00", ["sha256"] = "ab12" };
            foreach (var path in new[] { "opcr/b/2.csv", "opcr/a/2.csv", "opcr/a/10.csv", "opcr/a/1.csv", "other/x.csv" })
            {
                await raw.UploadAsync(path, Azurite.Text("content of " + path), metadata);
            }

            var uploaded = await raw.UploadAsync("opcr/c.txt", Azurite.Text("héllo"));
            Assert.Equal(6, uploaded.Size);
            Assert.NotNull(uploaded.ETag);
            Assert.Empty(uploaded.Metadata);
            Assert.StartsWith("\"", uploaded.ETag, StringComparison.Ordinal); // one form everywhere: quoted, as in HTTP
            Assert.Equal(uploaded.ETag, (await raw.GetAsync("opcr/c.txt"))!.ETag);

            var got = await raw.GetAsync("opcr/a/1.csv");
            Assert.NotNull(got);
            Assert.Equal("opcr/a/1.csv", got.Path);
            Assert.Equal("content of opcr/a/1.csv".Length, got.Size);
            Assert.Equal("2026-11-22T06:15:00.0000000+00:00", got.Metadata["pulledAt"]);
            Assert.Equal("2026-11-22T06:15:00.0000000+00:00", got.Metadata["PULLEDAT"]);
            Assert.Equal("opcr", got.Metadata["source"]);
            Assert.True(got.LastModified > DateTimeOffset.UtcNow.AddMinutes(-5));
            Assert.Null(await raw.GetAsync("opcr/a/missing.csv"));

            var listed = new List<StoredObject>();
            await foreach (var item in raw.ListAsync("opcr/"))
            {
                listed.Add(item);
            }

            Assert.Equal(["opcr/a/1.csv", "opcr/a/10.csv", "opcr/a/2.csv", "opcr/b/2.csv", "opcr/c.txt"], listed.Select(o => o.Path));
            Assert.Equal("ab12", listed[0].Metadata["sha256"]);
            Assert.Equal(got.ETag, listed[0].ETag);
            Assert.Equal(got.Size, listed[0].Size);

            var everything = new List<string>();
            await foreach (var item in raw.ListAsync(""))
            {
                everything.Add(item.Path);
            }

            Assert.Equal(6, everything.Count);
            Assert.Equal(everything.Order(StringComparer.Ordinal), everything);

            Assert.Equal("content of opcr/b/2.csv", await Azurite.ReadAllAsync(await raw.OpenReadAsync("opcr/b/2.csv")));
            await Assert.ThrowsAsync<FileNotFoundException>(() => raw.OpenReadAsync("opcr/nothing"));

            await raw.DeleteAsync("opcr/b/2.csv");
            await raw.DeleteAsync("opcr/b/2.csv"); // deleting what is not there is fine
            Assert.Null(await raw.GetAsync("opcr/b/2.csv"));

            // The containers are distinct.
            Assert.Null(await storage.Containers.Incoming.GetAsync("opcr/a/1.csv"));
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    [SkippableFact]
    public async Task Upload_from_a_stream_that_cannot_seek_reports_its_size()
    {
        var storage = await Azurite.NewStorageAsync(nameof(Upload_from_a_stream_that_cannot_seek_reports_its_size));
        try
        {
            var bytes = RandomNumberGenerator.GetBytes(300_000);
            await using var stream = new ForwardOnlyStream(new MemoryStream(bytes));
            var stored = await storage.Containers.Incoming.UploadAsync("drop/big.bin", stream);
            Assert.Equal(bytes.Length, stored.Size);
            Assert.Equal(bytes.Length, (await storage.Containers.Incoming.GetAsync("drop/big.bin"))!.Size);
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    [SkippableFact]
    public async Task Upload_without_overwrite_fails_on_an_existing_blob_and_leaves_it()
    {
        var storage = await Azurite.NewStorageAsync(nameof(Upload_without_overwrite_fails_on_an_existing_blob_and_leaves_it));
        try
        {
            var raw = storage.Containers.Raw;
            await raw.UploadAsync("opcr/run1/export.csv", Azurite.Text("first"), overwrite: false);
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => raw.UploadAsync("opcr/run1/export.csv", Azurite.Text("second"), overwrite: false));
            Assert.Contains("opcr/run1/export.csv", error.Message, StringComparison.Ordinal);
            Assert.Equal("first", await Azurite.ReadAllAsync(await raw.OpenReadAsync("opcr/run1/export.csv")));

            await raw.UploadAsync("opcr/run1/export.csv", Azurite.Text("third"), overwrite: true);
            Assert.Equal("third", await Azurite.ReadAllAsync(await raw.OpenReadAsync("opcr/run1/export.csv")));
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    [SkippableFact]
    public async Task Metadata_names_must_be_identifiers_and_values_ascii()
    {
        var storage = await Azurite.NewStorageAsync(nameof(Metadata_names_must_be_identifiers_and_values_ascii));
        try
        {
            var raw = storage.Containers.Raw;
            var hyphen = await Assert.ThrowsAsync<ArgumentException>(() => raw.UploadAsync("x.csv", Azurite.Text("x"), new Dictionary<string, string> { ["pulled-at"] = "now" }));
            Assert.Contains("pulled-at", hyphen.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<ArgumentException>(() => raw.UploadAsync("x.csv", Azurite.Text("x"), new Dictionary<string, string> { ["name"] = "Ólafsson" }));
            Assert.Null(await raw.GetAsync("x.csv"));
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    [SkippableFact]
    public async Task A_lease_is_exclusive_until_disposed()
    {
        var storage = await Azurite.NewStorageAsync(nameof(A_lease_is_exclusive_until_disposed));
        try
        {
            var raw = storage.Containers.Raw;

            // Another process: its own store over the same container.
            var other = new BlobContainerStore(new BlobServiceClient(Azurite.ConnectionString).GetBlobContainerClient(raw.Name));

            var lease = await raw.TryAcquireLeaseAsync("locks/opcr");
            Assert.NotNull(lease);
            var created = await raw.GetAsync("locks/opcr");
            Assert.NotNull(created);
            Assert.Equal(0, created.Size);

            Assert.Null(await other.TryAcquireLeaseAsync("locks/opcr"));
            Assert.Null(await raw.TryAcquireLeaseAsync("locks/opcr"));

            // Another path is another lock.
            await using (var second = await other.TryAcquireLeaseAsync("locks/iau"))
            {
                Assert.NotNull(second);
            }

            await lease.DisposeAsync();
            await lease.DisposeAsync(); // twice is harmless

            var next = await other.TryAcquireLeaseAsync("locks/opcr");
            Assert.NotNull(next);
            await next.DisposeAsync();
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    [SkippableFact]
    public async Task Artefacts_are_written_whole_with_their_hash_and_content_type()
    {
        var storage = await Azurite.NewStorageAsync(nameof(Artefacts_are_written_whole_with_their_hash_and_content_type));
        try
        {
            var release = storage.Releases.Open("opcr", "20261122T061500Z-ab12");
            Assert.Equal(storage.Options.Prefix + "-releases/opcr/20261122T061500Z-ab12", release.Location);
            var content = RandomNumberGenerator.GetBytes(1_000_000);
            var info = await release.WriteAsync("datasets/complaints.csv", "text/csv; charset=utf-8", async (stream, ct) =>
            {
                for (var offset = 0; offset < content.Length; offset += 65_000)
                {
                    await stream.WriteAsync(content.AsMemory(offset, Math.Min(65_000, content.Length - offset)), ct);
                }
            });

            Assert.Equal("datasets/complaints.csv", info.Path);
            Assert.Equal(content.Length, info.Bytes);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), info.Sha256);
            Assert.Equal("text/csv; charset=utf-8", info.ContentType);

            await using (var read = await release.OpenReadAsync("datasets/complaints.csv"))
            {
                Assert.NotNull(read);
                using var copy = new MemoryStream();
                await read.CopyToAsync(copy);
                Assert.Equal(content, copy.ToArray());
            }

            var blob = storage.BlobService.GetBlobContainerClient(storage.Options.ContainerName("releases")).GetBlobClient("opcr/20261122T061500Z-ab12/datasets/complaints.csv");
            var properties = (await blob.GetPropertiesAsync()).Value;
            Assert.Equal("text/csv; charset=utf-8", properties.ContentType);
            Assert.Equal(info.Sha256, properties.Metadata["sha256"]);

            // Writing again replaces (a re-run after a crash).
            var again = await release.WriteAsync("datasets/complaints.csv", "text/csv", (stream, ct) => stream.WriteAsync("a,b\n"u8.ToArray(), ct).AsTask());
            Assert.Equal(4, again.Bytes);
            Assert.Equal("a,b\n", await Azurite.ReadAllAsync((await release.OpenReadAsync("datasets/complaints.csv"))!));

            Assert.Null(await release.OpenReadAsync("datasets/missing.csv"));
            Assert.Null(await storage.Releases.Open("opcr", "never").OpenReadAsync("manifest.json"));
            await Assert.ThrowsAsync<ArgumentException>(() => release.WriteAsync("../escape.json", "application/json", (_, _) => Task.CompletedTask));
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    [SkippableFact]
    public async Task A_writer_that_throws_leaves_nothing_at_the_path()
    {
        var storage = await Azurite.NewStorageAsync(nameof(A_writer_that_throws_leaves_nothing_at_the_path));
        try
        {
            var release = storage.Releases.Open("opcr", "r1");
            var error = await Assert.ThrowsAsync<InvalidDataException>(() => release.WriteAsync("officers.json", "application/json", async (stream, ct) =>
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes("{\"officers\": ["), ct);
                throw new InvalidDataException("the builder failed half-way");
            }));

            Assert.Equal("the builder failed half-way", error.Message);
            Assert.Null(await release.OpenReadAsync("officers.json"));
            Assert.Empty(await storage.Releases.ListAsync("opcr"));
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    [SkippableFact]
    public async Task Releases_list_by_id_and_latest_moves_only_when_set()
    {
        var storage = await Azurite.NewStorageAsync(nameof(Releases_list_by_id_and_latest_moves_only_when_set));
        try
        {
            var releases = storage.Releases;
            Assert.Null(await releases.GetLatestAsync("opcr"));
            Assert.Empty(await releases.ListAsync("opcr"));

            foreach (var (source, id) in new[] { ("opcr", "r2"), ("opcr", "r10"), ("opcr", "r1"), ("opcr2", "r9") })
            {
                var store = releases.Open(source, id);
                await store.WriteAsync("manifest.json", "application/json", (s, ct) => s.WriteAsync("{}"u8.ToArray(), ct).AsTask());
                await store.WriteAsync("officers/o1.json", "application/json", (s, ct) => s.WriteAsync("{}"u8.ToArray(), ct).AsTask());
            }

            Assert.Null(await releases.GetLatestAsync("opcr"));
            await releases.SetLatestAsync("opcr", "r2");
            Assert.Equal("r2", await releases.GetLatestAsync("opcr"));
            await releases.SetLatestAsync("opcr", "r10");
            Assert.Equal("r10", await releases.GetLatestAsync("opcr"));
            Assert.Null(await releases.GetLatestAsync("opcr2"));

            // latest.json is not a release; "opcr2" is not "opcr".
            Assert.Equal(["r1", "r10", "r2"], await releases.ListAsync("opcr"));
            Assert.Equal(["r9"], await releases.ListAsync("opcr2"));

            // The pointer is the same JSON the folder store writes.
            var pointer = storage.BlobService.GetBlobContainerClient(storage.Options.ContainerName("releases")).GetBlobClient("opcr/latest.json");
            Assert.Equal("application/json", (await pointer.GetPropertiesAsync()).Value.ContentType);
            using var json = JsonDocument.Parse((await pointer.DownloadContentAsync()).Value.Content.ToString());
            Assert.Equal("r10", json.RootElement.GetProperty("release").GetString());

            await Assert.ThrowsAsync<ArgumentException>(() => releases.SetLatestAsync("opcr", "../r1"));
            Assert.Throws<ArgumentException>(() => releases.Open("opcr/x", "r1"));
        }
        finally
        {
            await Azurite.DeleteAsync(storage);
        }
    }

    /// <summary>A stream that can only be read forward (an HTTP body, a decompressor).</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
