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
    // An unknown verb also makes the parser say that no verb was given: one line naming the verbs says both.
    var verbs = string.Join(", ", root.Subcommands.Select(c => c.Name));
    var unknownVerb = parsed.CommandResult.Command == root && parsed.UnmatchedTokens.Count > 0
        ? parsed.UnmatchedTokens[0]
        : null;
    var messages = unknownVerb is not null
        ? [$"unknown {(unknownVerb.StartsWith('-') ? "option" : "command")} '{unknownVerb}'; the commands are {verbs}"]
        : parsed.CommandResult.Command == root ? [$"no command given; the commands are {verbs}"]
        : parsed.UnmatchedTokens.Count > 0
            ? parsed.UnmatchedTokens.Select(t => CommonOptions.UnknownArgument(parsed, t)).ToArray()
        : parsed.Errors.Select(e => CommonOptions.UsageProblem(e.Message)).Distinct().ToArray();
    var help = parsed.CommandResult.Command == root
    ? "weatherginr --help"
    : $"weatherginr {CommonOptions.VerbPath(parsed)} --help";
    foreach (var message in messages)
    {
        CommonOptions.Fail($"{message} (see '{help}')", CommonOptions.ExitBadInput);
    }

    return CommonOptions.ExitBadInput;
}

return await parsed.InvokeAsync();
