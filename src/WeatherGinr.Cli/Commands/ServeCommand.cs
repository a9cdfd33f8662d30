using System.CommandLine;
using Microsoft.Extensions.Hosting;
using WeatherGinr.Grains.Storage;
using WeatherGinr.Host;

namespace WeatherGinr.Cli.Commands;

/// <summary><c>weatherginr serve</c>: the embedded silo and HTTP API over an existing data folder.</summary>
public static partial class ServeCommand
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
                return CommonOptions.Fail($"--url '{listen}' {UrlProblem(listen)}", CommonOptions.ExitBadInput);
            }

            // Kestrel would need a certificate, which serve does not configure; it failed at start with a stack trace.
            if (uri.Scheme == "https")
            {
                return CommonOptions.Fail($"--url '{listen}' asks for HTTPS, which serve does not set up (it has no " +
                    "certificate settings); serve plain http:// and put TLS in front of it (a reverse proxy or the " +
                    "cluster's ingress)", CommonOptions.ExitBadInput);
            }

            // Only scheme, host and port mean anything to the server; Kestrel reads anything more its own way
            // (a query once turned http://127.0.0.1:18412?x=1 into every interface on port 80, and so did an
            // empty user name, http://@127.0.0.1:18412). Kestrel is given the address rebuilt from those three.
            var host = uri.HostNameType == UriHostNameType.IPv6 ? $"[{uri.IdnHost}]" : uri.IdnHost;
            var address = $"{uri.Scheme}://{host}:{uri.Port}";
            if (ExtraUrlPart(uri, listen) is { } extra)
            {
                return CommonOptions.Fail($"--url '{listen}' has {extra}; give only scheme, host and port, " +
                    $"such as {address}", CommonOptions.ExitBadInput);
            }

            // serve only reads what demo, experiment or a cluster wrote: a folder that is not there is a mistyped
            // --data, refused before anything is created under it (a file was refused by the option itself).
            var dataRoot = Path.GetFullPath(parse.GetValue(data)!);
            if (!Directory.Exists(dataRoot))
            {
                return CommonOptions.Fail(
                    $"--data '{dataRoot}' does not exist; serve reads the models that './weatherginr demo' " +
                    "writes into a data folder (check the path, or run the demo with that --data first)",
                    CommonOptions.ExitBadInput);
            }

            if (new DataFolder(dataRoot).LayoutProblem() is { } layout)
            {
                return CommonOptions.Fail(layout, CommonOptions.ExitBadInput);
            }

            if (!Directory.Exists(Path.Combine(dataRoot, "models")))
            {
                Console.Error.WriteLine(CommonOptions.Printable($"weatherginr: warning: '{dataRoot}' holds no " +
                    "trained models yet (run './weatherginr demo' or check --data)"));
            }

            await using var app = WeatherGinrHost.Build(new WeatherGinrHostOptions
            {
                DataRoot = dataRoot,
                HttpUrl = address,
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

    /// <summary>
    /// Why a URL did not parse as an http(s) address. Uri refuses a port outside 0..65535 or one that is not
    /// a number without saying so; the port is then named, since the rest of the address is usually fine.
    /// </summary>
    internal static string UrlProblem(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var port = PortOf().Match(url);
        if (port.Success)
        {
            var text = port.Groups["port"].Value;
            return int.TryParse(text, System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out var number) && number <= 65535
                ? "is not an http:// address"
                : $"has port '{text}', which is not a TCP port (0..65535; 0 picks a free one)";
        }

        return "is not an http:// address";
    }

    /// <summary>
    /// What a listening address has beyond scheme, host and port, in words; null when nothing. Judged on the text
    /// as typed too, since Uri tidies some of it away (an empty user name, a path of "/." or "/a/..").
    /// </summary>
    internal static string? ExtraUrlPart(Uri uri, string typed)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(typed);
        var afterScheme = typed[(typed.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var authorityEnd = afterScheme.IndexOfAny(['/', '?', '#']);
        var authority = authorityEnd < 0 ? afterScheme : afterScheme[..authorityEnd];
        var rest = authorityEnd < 0 ? "" : afterScheme[authorityEnd..];
        var typedPath = rest.Split(['?', '#'], 2)[0];
        return uri.UserInfo.Length > 0 || authority.Contains('@', StringComparison.Ordinal)
                ? $"user information ('{authority[..(authority.LastIndexOf('@') + 1)]}')"
            : typedPath is not ("" or "/") ? $"a path ('{typedPath}'); the API is served from the root"
            : uri.Query.Length > 0 || rest.Contains('?', StringComparison.Ordinal)
                ? $"a query ('{(uri.Query.Length > 0 ? uri.Query : "?")}')"
            : uri.Fragment.Length > 0 || rest.Contains('#', StringComparison.Ordinal)
                ? $"a fragment ('{(uri.Fragment.Length > 0 ? uri.Fragment : "#")}')"
            : null;
    }

    /// <summary>The port of http(s)://host:port[/...]; the host a name, IPv4, or IPv6 in brackets.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^https?://(\[[^\]]*\]|[^/:\[\]]*):(?<port>[^/?#]*)(?:[/?#]|$)")]
    private static partial System.Text.RegularExpressions.Regex PortOf();
}
