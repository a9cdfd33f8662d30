using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using WeatherGinr.Grains.Abstractions;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace WeatherGinr.Cli.Commands;

/// <summary>Options and output conventions every verb shares.</summary>
public static class CommonOptions
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitBadInput = 2;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,

        // Output for people and scripts, never embedded in HTML: keep ' + < > and non-ASCII as written.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,

        // A number that is not one (an empty held-out set's NaN R²) is null, as the Markdown's '-' is: a column
        // stays numbers and nulls rather than mixing in the strings "NaN" and "Infinity".
        Converters = { new JsonStringEnumConverter(), new NonFiniteAsNull() },
    };

    private sealed class NonFiniteAsNull : JsonConverter<double>
    {
        public override bool HandleNull => true;

        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            if (double.IsFinite(value))
            {
                writer.WriteNumberValue(value);
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }

    public static Option<string> Data()
    {
        var option = new Option<string>("--data")
        {
            Description = "Data folder for datasets, embeddings, checkpoints and exports " +
                "(default: $WEATHERGINR_DATA or ./data)",
            // A blank WEATHERGINR_DATA counts as unset (it once made a folder named " ").
            DefaultValueFactory = _ =>
                Environment.GetEnvironmentVariable("WEATHERGINR_DATA") is { } env && !string.IsNullOrWhiteSpace(env)
                    ? env : "data",
        };

        // A folder that may not exist yet (it is created), but never an existing file, and never a blank name
        // (--data '' ended in a stack trace from every verb).
        option.Validators.Add(result =>
        {
            var folder = result.GetValueOrDefault<string>();
            if (string.IsNullOrWhiteSpace(folder))
            {
                result.AddError($"--data '{folder}' names no folder; give a path such as ./data");
            }
            else if (File.Exists(folder))
            {
                result.AddError($"--data '{folder}' is a file; it must be a folder");
            }
            else if (DataParentProblem(folder) is { } problem)
            {
                result.AddError(problem);
            }
        });
        return option;
    }

    /// <summary>
    /// Why the data folder cannot be created, when one of its parents is a regular file (<c>--data a-file/sub</c>
    /// ended in .NET's "Could not find a part of the path" with exit code 1); null when it can be. Every verb's
    /// --data.
    /// </summary>
    private static string? DataParentProblem(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);

        // The nearest ancestor that exists decides: a folder can hold the rest, a file cannot.
        for (var parent = Path.GetDirectoryName(Path.GetFullPath(folder)); !string.IsNullOrEmpty(parent);
            parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent))
            {
                return null;
            }

            if (File.Exists(parent))
            {
                return $"--data '{folder}': its parent '{parent}' is a file, not a folder, so the data folder " +
                    "cannot be made there; give a path under a folder";
            }
        }

        return null;
    }


    public static Option<bool> JsonOutput() => new("--json")
    {
        Description = "Print a machine-readable JSON summary on standard output (narration goes to standard error)",
    };

    /// <summary>
    /// Starts the silo and the HTTP server; a bad address or one that cannot be bound is one line and an
    /// exit code (2 for an address that cannot be used as given, 1 when the machine refuses it), not a stack
    /// trace. A bind that would fail (a port in use, an address this machine does not have, a privileged
    /// port) is found before the silo starts (<see cref="ListenProbe"/>); should the situation change between
    /// that check and Kestrel's bind, the host still logs the failure, and the silo is stopped before the
    /// application is disposed so that it does not fail once more on the way out.
    /// </summary>
    public static async Task<int?> TryStart(Microsoft.AspNetCore.Builder.WebApplication app, string url,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Kestrel cannot give localhost's two loopback addresses one free port: it throws as it starts.
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri is { IsLoopback: true, Port: 0 }
            && !System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out _))
        {
            return Fail($"cannot listen on '{url}': port 0 (any free port) cannot be asked for on a host name; " +
                "use http://127.0.0.1:0 or http://[::1]:0", ExitBadInput);
        }

        if (uri is not null && ListenProbe.FindRefusal(uri) is { } refusal)
        {
            return Fail($"cannot listen on '{url}': {refusal.Reason}", ExitFailure);
        }

        try
        {
            await app.StartAsync(cancellationToken);
            return null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or UriFormatException)
        {
            await app.StopAsync(CancellationToken.None);
            return Fail($"cannot listen on '{url}': {e.Message}", ExitBadInput);
        }
        catch (IOException e)
        {
            await app.StopAsync(CancellationToken.None);
            return Fail($"cannot listen on '{url}': {e.Message}", ExitFailure);
        }
        catch (System.Net.Sockets.SocketException e)
        {
            await app.StopAsync(CancellationToken.None);
            return Fail($"cannot listen on '{url}': {e.Message}", ExitFailure);
        }
    }

    /// <summary>Width for human output that is not a terminal's: wide enough that nothing ever wraps.</summary>
    internal const int UnwrappedWidth = 10_000;

    /// <summary>
    /// A Spectre console for human output on <paramref name="writer"/>. Spectre wraps every line at the
    /// console's width, and takes 80 columns when the stream is not a terminal, which splits curl commands,
    /// paths and numbers in a log file. So: <c>COLUMNS</c> when set (the user asked for that width), else
    /// the terminal's own width, else (a file, a pipe) no wrapping at all.
    /// </summary>
    public static IAnsiConsole HumanOutput(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), NumberStyles.None,
                CultureInfo.InvariantCulture, out var columns) && columns > 0)
        {
            console.Profile.Width = columns;
        }
        else if (redirected)
        {
            console.Profile.Width = UnwrappedWidth;
        }

        return console;
    }

    /// <summary>
    /// One clear line on standard error, prefixed with the program's name. Control characters in the
    /// message (a file name holding a newline) are escaped, so one problem stays one line.
    /// </summary>
    public static int Fail(string message, int exitCode)
    {
        Console.Error.WriteLine($"weatherginr: error: {Printable(message)}");
        return exitCode;
    }

    /// <summary>
    /// A parse error in words a user acts on: System.CommandLine's "Cannot parse argument '--data' for option '--k'
    /// as expected type 'System.Int32'" becomes "--k needs a whole number, not '--data'"; other messages stay.
    /// </summary>
    /// <summary>
    /// "unknown option '--bogus' for 'ingest'; it takes --source, --dataset, ...": the verb and what it takes, where
    /// the parser's own text ("Unrecognized command or argument") names neither.
    /// </summary>
    public static string UnknownArgument(ParseResult parsed, string token)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        ArgumentNullException.ThrowIfNull(token);
        var verb = parsed.CommandResult.Command;
        var options = verb.Options.Where(o => !o.Hidden && o is not HelpOption and not VersionOption)
            .Select(o => o.Name).ToArray();
        var takes = options.Length == 0 ? "it takes no options" : $"it takes {string.Join(", ", options)}";
        return token.StartsWith('-')
            ? $"unknown option '{Printable(token)}' for '{VerbPath(parsed)}'; {takes}"
            : $"unexpected argument '{Printable(token)}' for '{VerbPath(parsed)}'; {takes}";
    }

    /// <summary>
    /// The first problem of a parse, in words: a value that does not parse first (`--k --data` says --k needs a whole
    /// number), then an unknown option or stray argument with what the verb takes.
    /// </summary>
    public static string FirstUsageProblem(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var error = parsed.Errors.FirstOrDefault(
            e => !e.Message.StartsWith("Unrecognized command or argument", StringComparison.Ordinal));
        return error is not null ? UsageProblem(error.Message)
            : parsed.UnmatchedTokens.Count > 0 ? UnknownArgument(parsed, parsed.UnmatchedTokens[0])
            : UsageProblem(parsed.Errors[0].Message);
    }

    /// <summary>"ingest", or "experiment fit" for a verb under another.</summary>
    public static string VerbPath(ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        var names = new List<string>();
        for (var result = parsed.CommandResult; result?.Parent is not null; result = result.Parent as CommandResult)
        {
            names.Insert(0, result.Command.Name);
        }

        return string.Join(' ', names);
    }

    public static string UsageProblem(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var missing = System.Text.RegularExpressions.Regex.Match(message,
            @"^Required argument missing for option: '(?<option>[^']*)'\.?$");
        if (missing.Success)
        {
            return $"{missing.Groups["option"].Value} needs a value";
        }

        var noArgument = System.Text.RegularExpressions.Regex.Match(message,
            @"^Required argument missing for command: '(?<verb>[^']*)'\.?$");
        if (noArgument.Success)
        {
            return $"{noArgument.Groups["verb"].Value} needs at least one FILE";
        }

        var match = System.Text.RegularExpressions.Regex.Match(message,
            @"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']*)' as expected type " +
            @"'System\.(?:Nullable`1\[System\.)?(?<type>\w+)\]?'\.?$");
        if (!match.Success)
        {
            return message;
        }

        var value = match.Groups["value"].Value;
        if (match.Groups["type"].Value is "Int32" or "Int64"
            && System.Text.RegularExpressions.Regex.IsMatch(value, @"^[+-]?[0-9]+$"))
        {
            return $"{match.Groups["option"].Value} {value} is too large";
        }

        var expected = match.Groups["type"].Value switch
        {
            "Int32" or "Int64" => "a whole number",
            "Double" or "Single" => "a number",
            "Boolean" => "true or false",
            _ => "a value of another kind",
        };
        return $"{match.Groups["option"].Value} needs {expected}, not '{value}'";
    }

    /// <inheritdoc cref="ErrorText.Printable"/>
    public static string Printable(string text) => ErrorText.Printable(text);
}
