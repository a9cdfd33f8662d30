using System.Diagnostics;

namespace WeatherGinr.Cli.Tests.Commands;

/// <summary>
/// The built CLI (<c>weatherginr.dll</c> beside the tests) run as a child process, as a user runs it.
/// </summary>
internal static class CliProcess
{
    internal sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    private static string CliPath => Path.Combine(AppContext.BaseDirectory, "weatherginr.dll");

    internal static Result Run(IEnumerable<string> arguments, int timeoutSeconds = 120,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = StartInfo(arguments);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"cannot start {start.FileName}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException(
                $"weatherginr {string.Join(' ', arguments)} did not finish in {timeoutSeconds} s");
        }

        process.WaitForExit();
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>The CLI with these arguments, both output streams redirected (for runs that do not exit).</summary>
    /// <summary>
    /// <paramref name="start"/>, run through a python exec that first puts SIGINT back to its default. A test run
    /// started as a background job (an asynchronous list in a non-interactive shell, as a CI script may start it)
    /// hands every child SIGINT ignored, and the CLI, as any program, keeps an inherited ignore; a test of what
    /// Ctrl+C does must not depend on how the tests were started. The exec keeps the process id.
    /// </summary>
    internal static ProcessStartInfo WithDefaultInterrupt(ProcessStartInfo start)
    {
        var wrapped = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = start.RedirectStandardOutput,
            RedirectStandardError = start.RedirectStandardError,
            UseShellExecute = false,
        };
        wrapped.ArgumentList.Add("-c");
        wrapped.ArgumentList.Add("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
            + "os.execvp(sys.argv[1], sys.argv[1:])");
        wrapped.ArgumentList.Add(start.FileName);
        foreach (var argument in start.ArgumentList)
        {
            wrapped.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in start.Environment)
        {
            wrapped.Environment[name] = value;
        }

        return wrapped;
    }

    internal static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        // dotnet test sets DOTNET_HOST_PATH to the muxer that runs the tests.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["WEATHERGINR_DEBUG"] = "1";
        return start;
    }

    /// <summary>
    /// Runs a reference tool (ncdump, ncgen) and returns its standard output; fails on a non-zero exit.
    /// </summary>
    internal static string Tool(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed: {error.Result}");
        }

        return output.Result;
    }
}
