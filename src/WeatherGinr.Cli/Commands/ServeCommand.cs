using System.CommandLine;
using Microsoft.Extensions.Hosting;
using WeatherGinr.Host;

namespace WeatherGinr.Cli.Commands;

/// <summary><c>weatherginr serve</c>: the embedded silo and HTTP API over an existing data folder.</summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var url = new Option<string>("--url")
        {
            Description = "Address to listen on",
            DefaultValueFactory = _ => "http://127.0.0.1:5088",
        };
        var command = new Command("serve", "Serve trained models over HTTP from one embedded silo") { data, url };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var app = WeatherGinrHost.Build(new WeatherGinrHostOptions
            {
                DataRoot = Path.GetFullPath(parse.GetValue(data)!),
                HttpUrl = parse.GetValue(url)!,
                ConsoleLogLevel = Microsoft.Extensions.Logging.LogLevel.Information,
            });
            await app.StartAsync(cancellationToken);
            Console.Error.WriteLine($"weatherginr: serving on {WeatherGinrHost.ListeningAddress(app)} (Ctrl+C stops)");
            await app.WaitForShutdownAsync(cancellationToken);
            return CommonOptions.ExitOk;
        });
        return command;
    }
}
