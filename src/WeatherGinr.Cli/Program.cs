using System.CommandLine;
using WeatherGinr.Cli.Commands;

var root = new RootCommand(
    "WeatherGinr: learns compact neural representations of global weather fields on an icosphere and " +
    "answers queries about them at any place and time")
{
    DemoCommand.Create(),
    ServeCommand.Create(),
    InspectCommand.Create(),
    IngestCommand.Create(),
    MeshCommand.Create(),
    ExperimentCommand.Create(),
};

// Usage errors of every verb (an unknown verb or option, a value that is not a number) read the same:
// one line each on standard error, exit code 2. Verbs that check their own arguments keep doing so.
var parsed = root.Parse(args);
if (parsed.Errors.Count > 0 && parsed.Action is not { ClearsParseErrors: true })
{
    foreach (var error in parsed.Errors)
    {
        CommonOptions.Fail($"{error.Message} (see 'weatherginr --help')", CommonOptions.ExitBadInput);
    }

    return CommonOptions.ExitBadInput;
}

return await parsed.InvokeAsync();
