using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
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
        : parsed.UnmatchedTokens.Count > 0 ? parsed.UnmatchedTokens.Select(t => UnknownArgument(parsed, t)).ToArray()
        : parsed.Errors.Select(e => CommonOptions.UsageProblem(e.Message)).Distinct().ToArray();
    var help = parsed.CommandResult.Command == root ? "weatherginr --help" : $"weatherginr {VerbPath(parsed)} --help";
    foreach (var message in messages)
    {
        CommonOptions.Fail($"{message} (see '{help}')", CommonOptions.ExitBadInput);
    }

    return CommonOptions.ExitBadInput;
}

return await parsed.InvokeAsync();

// "unknown option '--bogus' for 'ingest'; it takes --source, --dataset, ...": the verb and what it takes, where the
// parser's own text ("Unrecognized command or argument") names neither.
static string UnknownArgument(ParseResult parsed, string token)
{
    var verb = parsed.CommandResult.Command;
    var options = verb.Options.Where(o => !o.Hidden && o is not HelpOption and not VersionOption)
        .Select(o => o.Name).ToArray();
    var takes = options.Length == 0 ? "it takes no options" : $"it takes {string.Join(", ", options)}";
    return token.StartsWith('-')
        ? $"unknown option '{CommonOptions.Printable(token)}' for '{VerbPath(parsed)}'; {takes}"
        : $"unexpected argument '{CommonOptions.Printable(token)}' for '{VerbPath(parsed)}'; {takes}";
}

// "ingest", or "experiment fit" for a verb under another.
static string VerbPath(ParseResult parsed)
{
    var names = new List<string>();
    for (var result = parsed.CommandResult; result?.Parent is not null; result = result.Parent as CommandResult)
    {
        names.Insert(0, result.Command.Name);
    }

    return string.Join(' ', names);
}
