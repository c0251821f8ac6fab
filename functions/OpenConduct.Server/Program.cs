using System.CommandLine;
using OpenConduct.Server.Commands;

var root = new RootCommand("OpenConduct: police-conduct records, imported, redacted and published. Without a command: serve.")
{
    ServeCommand.Create(),
    IngestCommand.Create(),
    DropCommand.Create(),
    CheckCommand.Create(),
    MigrateProfileCommand.Create(),
    ScrubEvalCommand.Create(),
    SearchEvalCommand.Create(),
    IdentityEvalCommand.Create(),
    SearchCommand.Create(),
    GenerateCommand.Create(),
};

// `serve` is the default command: `openconduct` and `openconduct --urls ...` start the server.
var verbs = root.Subcommands.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
string[] help = ["-h", "--help", "-?", "--version"];
if (args.Length == 0 || (!verbs.Contains(args[0]) && args[0].StartsWith('-') && !help.Contains(args[0])))
{
    args = ["serve", .. args];
}

return root.Parse(args).Invoke();
