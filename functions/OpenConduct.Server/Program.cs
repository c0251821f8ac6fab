using System.CommandLine;
using OpenConduct.Server.Commands;

var root = new RootCommand("OpenConduct: police-conduct records, imported, redacted and published.")
{
    CheckCommand.Create(),
    GenerateCommand.Create(),
    IngestCommand.Create(),
    SearchCommand.Create(),
    ServeCommand.Create(),
};

return root.Parse(args).Invoke();
