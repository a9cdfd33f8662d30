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
return await root.Parse(args).InvokeAsync();
