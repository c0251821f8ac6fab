using System.Diagnostics;
using System.Globalization;
using OpenConduct.Samples;

/// <summary>The synthetic exports the benchmarks read: generated once per source and size under the data folder, then reused.</summary>
internal static class BenchExports
{
    /// <summary>The files of an export folder (not its dot-files), in name order, with their sizes and SHA-256.</summary>
    public static async Task<List<OpenConduct.Core.Release.ReleaseExportFile>> FilesAsync(string exportDir)
    {
        var files = new List<OpenConduct.Core.Release.ReleaseExportFile>();
        foreach (var path in Directory.EnumerateFiles(exportDir).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal))
        {
            files.Add(new(Path.GetFileName(path), new FileInfo(path).Length, await OpenConduct.Core.Pipeline.RawExport.Sha256Async(path, CancellationToken.None)));
        }

        return files;
    }

    /// <summary>
    /// The folder <c>{dataRoot}/{source}-{allegations}</c>, generated unless its <c>.complete</c> marker is there and
    /// names the generator's current <see cref="SyntheticExports.ShapeVersion"/> (an export of an older shape is made again).
    /// </summary>
    public static string Ensure(string dataRoot, string source, int allegations)
    {
        var dir = Path.Combine(dataRoot, string.Create(CultureInfo.InvariantCulture, $"{source}-{allegations}"));
        var marker = Path.Combine(dir, ".complete");
        var shape = string.Create(CultureInfo.InvariantCulture, $"shape {SyntheticExports.ShapeVersion}");
        if (!File.Exists(marker) || File.ReadAllText(marker).Trim() != shape)
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }

            var options = new SyntheticExportOptions { Allegations = allegations };
            var generated = Stopwatch.StartNew();
            _ = source switch
            {
                "opcr" => SyntheticExports.WriteOpcr(dir, options),
                "iau" => SyntheticExports.WriteIau(dir, options),
                "opa-json" => SyntheticExports.WriteOpaJson(dir, options),
                "opa-flat" => SyntheticExports.WriteOpaJson(dir, options, flat: true),
                _ => SyntheticExports.WriteCra(dir, options),
            };
            File.WriteAllText(marker, shape);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  generated {dir} in {generated.Elapsed.TotalSeconds:0.0} s"));
        }

        return dir;
    }
}
