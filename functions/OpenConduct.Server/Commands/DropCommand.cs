using System.CommandLine;
using OpenConduct.Azure;
using OpenConduct.Core.Pipeline;
using OpenConduct.Core.Sources;

namespace OpenConduct.Server.Commands;

/// <summary>
/// <c>drop --source id folder</c>: uploads an export folder to <c>exports-incoming/{source}/</c> as an agency would, then
/// the completion marker; the running server (or the Functions app) pulls and processes it.
/// </summary>
internal static class DropCommand
{
    public static Command Create()
    {
        var sourceOption = new Option<string>("--source", "-s") { Description = "The id of a source of kind drop in the sources file.", Required = true };
        var sourcesOption = HostSettings.SourcesOption("The sources file (docs/sources.md).");
        var storageOption = HostSettings.StorageOption("The storage connection string");
        var prefixOption = HostSettings.PrefixOption();
        var folderArgument = new Argument<DirectoryInfo>("export-folder") { Description = "The folder whose files are the export." };
        var command = new Command("drop", "Upload an export folder into exports-incoming/{source}/ for the pipeline to pull (as an agency would).")
        {
            sourceOption, sourcesOption, storageOption, prefixOption, folderArgument,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = Console.Out;
            var folder = parse.GetValue(folderArgument)!;
            var id = parse.GetValue(sourceOption)!;
            SourcesConfig config;
            try
            {
                config = SourcesFile.Load(parse.GetValue(sourcesOption)!.FullName);
            }
            catch (Exception ex) when (ex is SourcesException or IOException)
            {
                output.WriteLine(ex.Message);
                return 2;
            }

            if (config.Sources.FirstOrDefault(s => s.Id == id) is not { } source || source.Kind != SourceKind.Drop)
            {
                output.WriteLine($"drop: '{id}' is not a source of kind drop in {parse.GetValue(sourcesOption)!.FullName} (drop sources: {string.Join(", ", config.Sources.Where(s => s.Kind == SourceKind.Drop).Select(s => s.Id))})");
                return 2;
            }

            if (!folder.Exists)
            {
                output.WriteLine($"drop: no folder {folder.FullName}");
                return 2;
            }

            var storageOptions = HostSettings.StorageOptions(parse.GetValue(prefixOption));
            if (await HostSettings.ConnectStorageAsync(parse.GetValue(storageOption)!, storageOptions, "drop", output, cancellationToken).ConfigureAwait(false) is not { } storage)
            {
                return 2;
            }

            var count = await Drops.UploadAsync(storage.Containers.Incoming, source.Id, folder, new Progress<string>(output.WriteLine), cancellationToken).ConfigureAwait(false);
            output.WriteLine($"drop {source.Id}: {count} file(s) uploaded to {storage.Containers.Incoming.Name}/{source.Id}/ with the completion marker; the pipeline pulls it on its next look");
            return 0;
        });
        return command;
    }
}
