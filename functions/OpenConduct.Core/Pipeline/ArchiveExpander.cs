using System.Globalization;
using System.IO.Compression;

namespace OpenConduct.Core.Pipeline;

/// <summary>
/// The limits an agency's archive must keep to be expanded (the pipeline's defaults, overridden per source by the
/// sources file's <c>archive</c> object). An archive over any of them is an invalid export: quarantined at once, with the
/// limit named, and nothing of it expanded further.
/// </summary>
public sealed record ArchiveLimits
{
    /// <summary>The most bytes all entries of one archive may expand to (default 4 GiB).</summary>
    public long MaxExpandedBytes { get; init; } = 4L << 30;

    /// <summary>The most bytes one entry may expand to (default 2 GiB, the largest export a pull accepts).</summary>
    public long MaxEntryBytes { get; init; } = 2L << 30;

    /// <summary>The most files an archive may hold (default 1,000: an export is a handful of files).</summary>
    public int MaxEntries { get; init; } = 1_000;

    /// <summary>
    /// The most an entry may expand per compressed byte (default 100; CSV and JSON exports compress 5 to 20 times), checked
    /// once the entry has expanded past <see cref="RatioFloorBytes"/> (small files may compress further).
    /// </summary>
    public double MaxRatio { get; init; } = 100;

    /// <summary>Below this many expanded bytes an entry's ratio is not checked (16 MiB).</summary>
    public const long RatioFloorBytes = 16L << 20;

    public static ArchiveLimits Default { get; } = new();

    /// <summary>The problems with these limits (empty when valid), named after the sources file's properties under <paramref name="at"/>.</summary>
    public IReadOnlyList<string> Validate(string at)
    {
        var problems = new List<string>();
        if (MaxExpandedBytes <= 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{at}.maxExpandedBytes: {MaxExpandedBytes} is not a number of bytes above 0"));
        }

        if (MaxEntryBytes <= 0)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{at}.maxEntryBytes: {MaxEntryBytes} is not a number of bytes above 0"));
        }

        if (MaxEntries is < 1 or > 100_000)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{at}.maxEntries: {MaxEntries} is not between 1 and 100000"));
        }

        if (!(MaxRatio >= 1 && MaxRatio <= 100_000))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{at}.maxRatio: {MaxRatio} is not between 1 and 100000"));
        }

        return problems;
    }
}

/// <summary>
/// An export that is invalid as delivered (an archive over a limit, with an unsafe or unreadable entry): retrying cannot
/// help, so the pipeline quarantines it at once with this message.
/// </summary>
public sealed class InvalidExportException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Expands a ZIP archive of an agency's export into one flat folder, safely: the entry count, each entry's expanded
/// size, the archive's total and the compression ratio are checked before and while each entry is written (a header's
/// declared sizes may lie, so the bytes are counted as they come), and an entry whose name is unsafe (a backslash, a
/// control character, a name that is not a plain file name), encrypted, or itself an archive (nested archives are not
/// expanded) makes the export invalid. A failed expansion deletes what it wrote.
/// </summary>
public static class ArchiveExpander
{
    private static readonly string[] ArchiveExtensions = [".zip", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".xz", ".zst"];

    /// <summary>Expands <paramref name="zipPath"/> into <paramref name="folder"/>; returns the files written. Throws <see cref="InvalidExportException"/>.</summary>
    public static IReadOnlyList<string> Expand(string zipPath, string folder, ArchiveLimits limits)
    {
        ArgumentNullException.ThrowIfNull(zipPath);
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(limits);
        var name = Path.GetFileName(zipPath);
        var written = new List<string>();
        try
        {
            ZipArchive archive;
            try
            {
                archive = ZipFile.OpenRead(zipPath);
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidExportException($"{name}: not a readable ZIP archive ({ex.Message})", ex);
            }

            using (archive)
            {
                var entries = archive.Entries;
                CheckDeclaredSizes(name, entries, limits);
                long total = 0;
                foreach (var entry in entries)
                {
                    if (entry.FullName.EndsWith('/') && entry.Length == 0)
                    {
                        continue; // a folder
                    }

                    var file = CheckEntry(name, entry);
                    var target = Path.Combine(folder, file);
                    if (File.Exists(target))
                    {
                        throw new InvalidExportException($"{name}: two files named '{file}'");
                    }

                    written.Add(target);
                    total += Copy(name, entry, target, limits, total);
                }
            }

            return written;
        }
        catch
        {
            foreach (var file in written)
            {
                File.Delete(file);
            }

            throw;
        }
    }

    /// <summary>
    /// Checks what an archive's directory declares against the limits, before anything is expanded: the entry count, each
    /// entry's size and ratio, the total. Expanding counts the bytes again (a header may lie).
    /// </summary>
    public static void CheckDeclaredSizes(string archive, IReadOnlyCollection<ZipArchiveEntry> entries, ArchiveLimits limits)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(limits);
        if (entries.Count > limits.MaxEntries)
        {
            throw new InvalidExportException(Invariant($"{archive}: {entries.Count:N0} entries, more than the {limits.MaxEntries:N0} an archive may hold"));
        }

        long total = 0;
        foreach (var entry in entries)
        {
            if (entry.Length > limits.MaxEntryBytes)
            {
                throw new InvalidExportException(Invariant($"{archive}: the entry '{Printable(entry.FullName)}' expands to {entry.Length:N0} bytes, more than the {limits.MaxEntryBytes:N0} one file may"));
            }

            total += entry.Length;
            if (total > limits.MaxExpandedBytes)
            {
                throw new InvalidExportException(Invariant($"{archive}: the archive expands to more than the {limits.MaxExpandedBytes:N0} bytes it may"));
            }

            if (entry.Length > ArchiveLimits.RatioFloorBytes && entry.Length > limits.MaxRatio * Math.Max(1, entry.CompressedLength))
            {
                throw new InvalidExportException(Invariant($"{archive}: the entry '{Printable(entry.FullName)}' expands {entry.Length / (double)Math.Max(1, entry.CompressedLength):N0} times its compressed size, more than the {limits.MaxRatio:N0} allowed (a compression bomb?)"));
            }
        }
    }

    /// <summary>The entry's file name, once its name and encryption pass (its declared sizes were checked with the others).</summary>
    private static string CheckEntry(string archive, ZipArchiveEntry entry)
    {
        var full = entry.FullName;
        if (full.Contains('\\', StringComparison.Ordinal) || full.Any(char.IsControl) || full.Contains(':', StringComparison.Ordinal))
        {
            throw new InvalidExportException($"{archive}: the entry name '{Printable(full)}' is not a file name (a backslash, a colon or a control character)");
        }

        var file = entry.Name;
        if (file.Length == 0 || file is "." or ".." || file.StartsWith('.') || file.Length > 255)
        {
            throw new InvalidExportException($"{archive}: the entry '{Printable(full)}' has no usable file name");
        }

        if (entry.IsEncrypted)
        {
            throw new InvalidExportException($"{archive}: the entry '{Printable(full)}' is encrypted; send the export unencrypted over the drop's secured channel");
        }

        if (ArchiveExtensions.Any(e => file.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidExportException($"{archive}: the entry '{Printable(full)}' is itself an archive; nested archives are not expanded: put the export's files in one archive");
        }

        return file;
    }

    /// <summary>Writes the entry, counting its bytes against the limits whatever its header declared; returns the bytes written.</summary>
    private static long Copy(string archive, ZipArchiveEntry entry, string target, ArchiveLimits limits, long before)
    {
        var buffer = new byte[1 << 16];
        long written = 0;
        using var input = entry.Open();
        using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        int n;
        while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
        {
            written += n;
            if (written > limits.MaxEntryBytes)
            {
                throw new InvalidExportException(Invariant($"{archive}: the entry '{Printable(entry.FullName)}' expands past the {limits.MaxEntryBytes:N0} bytes one file may (its header said {entry.Length:N0})"));
            }

            if (before + written > limits.MaxExpandedBytes)
            {
                throw new InvalidExportException(Invariant($"{archive}: the archive expands past the {limits.MaxExpandedBytes:N0} bytes it may"));
            }

            if (written > ArchiveLimits.RatioFloorBytes && written > limits.MaxRatio * Math.Max(1, entry.CompressedLength))
            {
                throw new InvalidExportException(Invariant($"{archive}: the entry '{Printable(entry.FullName)}' expands more than {limits.MaxRatio:N0} times its compressed size of {entry.CompressedLength:N0} bytes (a compression bomb?)"));
            }

            output.Write(buffer, 0, n);
        }

        return written;
    }

    /// <summary>The name with control characters shown as <c>\uXXXX</c>, cut to 200 characters.</summary>
    private static string Printable(string name)
    {
        var text = string.Concat(name.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
        return text.Length > 200 ? text[..200] + "…" : text;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
