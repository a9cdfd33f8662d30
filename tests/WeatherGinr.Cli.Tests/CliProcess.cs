using System.Diagnostics;

namespace WeatherGinr.Cli.Tests;

/// <summary>The output of one run of the CLI as a child process.</summary>
internal sealed record CliResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>Runs the built <c>weatherginr.dll</c> (copied beside the tests) as a real child process.</summary>
internal static class CliProcess
{
    public static async Task<CliResult> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "weatherginr.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }
}
