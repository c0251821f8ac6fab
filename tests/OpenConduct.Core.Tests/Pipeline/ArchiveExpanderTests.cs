using System.IO.Compression;
using System.Text;
using OpenConduct.Core.Pipeline;

namespace OpenConduct.Core.Tests.Pipeline;

/// <summary>Hostile archives (issue 19): each is refused as an invalid export with a reason, and nothing of it stays on disk.</summary>
public sealed class ArchiveExpanderTests : IDisposable
{
    private readonly TempFolder folder = new();

    private string Out => Directory.CreateDirectory(Path.Combine(folder.Path, "out")).FullName;

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_plain_export_expands_flat()
    {
        var zip = Zip(("complaints.csv", Encoding.UTF8.GetBytes("a,b\n1,2\n")), ("data/officers.csv", Encoding.UTF8.GetBytes("x\n1\n")), ("data/", []));

        var files = ArchiveExpander.Expand(zip, Out, ArchiveLimits.Default);

        Assert.Equal(["complaints.csv", "officers.csv"], files.Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("a,b\n1,2\n", File.ReadAllText(Path.Combine(Out, "complaints.csv")));
    }

    [Fact]
    public void A_compression_bomb_is_refused_before_it_fills_the_disk()
    {
        // 1 GiB of zeros compresses to about 1 MB: refused once 16 MiB are out, far past a ratio of 100.
        var zip = Path.Combine(folder.Path, "bomb.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var entry = archive.CreateEntry("complaints.csv", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 1024; i++)
            {
                entry.Write(zeros);
            }
        }

        Assert.True(new FileInfo(zip).Length < 4 << 20, $"the bomb is {new FileInfo(zip).Length:N0} bytes");

        var error = Assert.Throws<InvalidExportException>(() => ArchiveExpander.Expand(zip, Out, ArchiveLimits.Default));

        Assert.Contains("bomb.zip", error.Message, StringComparison.Ordinal);
        Assert.Contains("compressed size", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Out));
    }

    [Fact]
    public void Entry_and_archive_sizes_are_limited()
    {
        var zip = Zip(("a.csv", new byte[300_000]), ("b.csv", new byte[300_000]));

        var entry = Assert.Throws<InvalidExportException>(() => ArchiveExpander.Expand(zip, Out, new ArchiveLimits { MaxEntryBytes = 200_000 }));
        Assert.Contains("more than the 200,000 one file may", entry.Message, StringComparison.Ordinal);

        var total = Assert.Throws<InvalidExportException>(() => ArchiveExpander.Expand(zip, Out, new ArchiveLimits { MaxExpandedBytes = 500_000 }));
        Assert.Contains("500,000 bytes it may", total.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Out));
    }

    [Fact]
    public void Too_many_entries_are_refused()
    {
        var zip = Zip([.. Enumerable.Range(0, 12).Select(i => ($"f{i}.csv", new byte[] { 1 }))]);

        var error = Assert.Throws<InvalidExportException>(() => ArchiveExpander.Expand(zip, Out, new ArchiveLimits { MaxEntries = 10 }));

        Assert.Contains("12 entries, more than the 10", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("data\\complaints.csv", "not a file name")]
    [InlineData("c:complaints.csv", "not a file name")]
    [InlineData("complaints\u0001.csv", "not a file name")]
    [InlineData("exports/inner.zip", "itself an archive")]
    [InlineData("exports/inner.tar.gz", "itself an archive")]
    [InlineData("../..", "no usable file name")]
    [InlineData(".hidden", "no usable file name")]
    public void Unsafe_entries_make_the_export_invalid(string name, string reason)
    {
        var zip = Zip(("ok.csv", [1, 2, 3]), (name, [1, 2, 3]));

        var error = Assert.Throws<InvalidExportException>(() => ArchiveExpander.Expand(zip, Out, ArchiveLimits.Default));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\u0001", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Out));
    }

    [Fact]
    public void An_encrypted_entry_makes_the_export_invalid()
    {
        var zip = Zip(("complaints.csv", Encoding.UTF8.GetBytes("a,b\n1,2\n")));
        SetEncryptedFlag(zip);

        var error = Assert.Throws<InvalidExportException>(() => ArchiveExpander.Expand(zip, Out, ArchiveLimits.Default));

        Assert.Contains("encrypted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_an_invalid_export()
    {
        var zip = Path.Combine(folder.Path, "export.zip");
        File.WriteAllText(zip, "complaint,officer\n1,2\n");

        var error = Assert.Throws<InvalidExportException>(() => ArchiveExpander.Expand(zip, Out, ArchiveLimits.Default));

        Assert.Contains("not a readable ZIP archive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Limits_are_validated_with_their_names()
    {
        var problems = new ArchiveLimits { MaxEntries = 0, MaxRatio = 0.5, MaxEntryBytes = -1, MaxExpandedBytes = 0 }.Validate("$.sources[0].archive");

        Assert.Equal(4, problems.Count);
        Assert.All(problems, p => Assert.StartsWith("$.sources[0].archive.max", p, StringComparison.Ordinal));
        Assert.Empty(ArchiveLimits.Default.Validate("x"));
    }

    private string Zip(params (string Name, byte[] Bytes)[] entries)
    {
        var zip = Path.Combine(folder.Path, Guid.NewGuid().ToString("N") + ".zip");
        using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
        foreach (var (name, bytes) in entries)
        {
            using var stream = archive.CreateEntry(name).Open();
            stream.Write(bytes);
        }

        return zip;
    }

    /// <summary>Sets bit 0 (encrypted) of the general purpose flags in every local and central directory header.</summary>
    private static void SetEncryptedFlag(string zip)
    {
        var bytes = File.ReadAllBytes(zip);
        for (var i = 0; i + 4 <= bytes.Length; i++)
        {
            var signature = BitConverter.ToUInt32(bytes, i);
            if (signature == 0x04034b50)
            {
                bytes[i + 6] |= 1;
            }
            else if (signature == 0x02014b50)
            {
                bytes[i + 8] |= 1;
            }
        }

        File.WriteAllBytes(zip, bytes);
    }
}
