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
            var listen = parse.GetValue(url)!;
            if (!Uri.TryCreate(listen, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                return CommonOptions.Fail($"--url '{listen}' is not an http:// or https:// address",
                    CommonOptions.ExitBadInput);
            }

            var dataRoot = Path.GetFullPath(parse.GetValue(data)!);
            if (!Directory.Exists(Path.Combine(dataRoot, "models")))
            {
                Console.Error.WriteLine(CommonOptions.Printable($"weatherginr: warning: '{dataRoot}' holds no " +
                    "trained models yet (run './weatherginr demo' or check --data)"));
            }

            await using var app = WeatherGinrHost.Build(new WeatherGinrHostOptions
            {
                DataRoot = dataRoot,
                HttpUrl = listen,
                ConsoleLogLevel = Microsoft.Extensions.Logging.LogLevel.Information,
            });
            if (await CommonOptions.TryStart(app, listen, cancellationToken) is { } failure)
            {
                return failure;
            }

            Console.Error.WriteLine($"weatherginr: serving on {WeatherGinrHost.ListeningAddress(app)} (Ctrl+C stops)");
            await app.WaitForShutdownAsync(cancellationToken);
            return CommonOptions.ExitOk;
        });
        return command;
    }
}
