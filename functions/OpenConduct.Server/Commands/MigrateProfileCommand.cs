using System.CommandLine;
using System.Text.Json;
using OpenConduct.Core.Import;

namespace OpenConduct.Server.Commands;

/// <summary>
/// <c>migrate-profile profile.json [--write]</c>: brings a profile written for an earlier format up to date (category
/// vocabularies to the closed canonical set) and lists every change; <c>--write</c> replaces the file (keeping a
/// <c>.bak</c>), otherwise the migrated profile goes to standard output. Exit 0 when it loads afterwards, 2 when not.
/// </summary>
internal static class MigrateProfileCommand
{
    public static Command Create()
    {
        var profileArgument = new Argument<FileInfo>("profile") { Description = "The mapping profile (JSON) to bring up to date." };
        var writeOption = new Option<bool>("--write") { Description = "Replace the file (the original is kept as profile.json.bak) instead of printing the migrated profile." };
        var command = new Command("migrate-profile", "Bring a mapping profile written for an earlier format up to date and say what changed.")
        {
            profileArgument,
            writeOption,
        };
        command.SetAction(parse => Run(parse.GetValue(profileArgument)!, parse.GetValue(writeOption), Console.Out, Console.Error));
        return command;
    }

    public static int Run(FileInfo file, bool write, TextWriter output, TextWriter messages)
    {
        string json;
        try
        {
            json = File.ReadAllText(file.FullName);
        }
        catch (IOException ex)
        {
            messages.WriteLine($"cannot read profile {file.FullName}: {ex.Message}");
            return 2;
        }

        string migrated;
        IReadOnlyList<string> changes;
        try
        {
            (migrated, changes) = ProfileMigration.Migrate(json);
        }
        catch (JsonException ex)
        {
            messages.WriteLine($"profile {file.FullName} is not JSON: {ex.Message}");
            return 2;
        }

        messages.WriteLine(changes.Count == 0 ? $"{file.Name}: nothing to change" : $"{file.Name}: {changes.Count} change{(changes.Count == 1 ? "" : "s")}:");
        foreach (var change in changes)
        {
            messages.WriteLine($"  {change}");
        }

        try
        {
            MappingProfileLoader.Parse(migrated, file.Name);
        }
        catch (ProfileException ex)
        {
            messages.WriteLine($"the migrated profile still does not load (fix by hand): {ex.Message}");
            if (!write)
            {
                output.WriteLine(migrated);
            }

            return 2;
        }

        if (!write)
        {
            output.WriteLine(migrated);
        }
        else if (changes.Count > 0)
        {
            File.Copy(file.FullName, file.FullName + ".bak", overwrite: true);
            File.WriteAllText(file.FullName, migrated + Environment.NewLine);
            messages.WriteLine($"wrote {file.FullName} (the original is {file.Name}.bak)");
        }

        return 0;
    }
}
