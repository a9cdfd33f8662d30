namespace WeatherGinr.Cli.Tests.Commands;

/// <summary>Usage errors at the top level and in option values, run as a real process.</summary>
public sealed class UsageErrorTests
{
    private const string Verbs = "demo, serve, inspect, ingest, mesh, experiment";

    [Theory]
    [InlineData("bogus",
        $"weatherginr: error: unknown command 'bogus'; the commands are {Verbs} (see 'weatherginr --help')")]
    [InlineData("--bogus",
        $"weatherginr: error: unknown option '--bogus'; the commands are {Verbs} (see 'weatherginr --help')")]
    [InlineData("", $"weatherginr: error: no command given; the commands are {Verbs} (see 'weatherginr --help')")]
    [InlineData("mesh --level 2 --k --data /tmp", "weatherginr: error: --k needs a whole number, not '--data' " +
        "(see 'weatherginr mesh --help')")]
    [InlineData("mesh --level 2 --k 99999999999", "weatherginr: error: --k 99999999999 is too large " +
        "(see 'weatherginr mesh --help')")]
    [InlineData("ingest --once --bogus", "weatherginr: error: unknown option '--bogus' for 'ingest'; it takes " +
        "--source, --dataset, --once, --data, --json (see 'weatherginr ingest --help')")]
    [InlineData("serve stray", "weatherginr: error: unexpected argument 'stray' for 'serve'; it takes --data, --url " +
        "(see 'weatherginr serve --help')")]
    [InlineData("mesh --level 2 --bogus", "weatherginr: error: unknown option '--bogus' for 'mesh'; it takes --data, " +
        "--json, --level, --k, --round-k (see 'weatherginr mesh --help')")]
    [InlineData("inspect --bogus", "weatherginr: error: unknown option '--bogus' for 'inspect'; it takes --json " +
        "(see 'weatherginr inspect --help')")]
    [InlineData("inspect", "weatherginr: error: inspect needs at least one FILE (see 'weatherginr inspect --help')")]
    [InlineData("demo --steps 1.5", "weatherginr: error: --steps needs a whole number, not '1.5' " +
        "(see 'weatherginr demo --help')")]
    [InlineData("ingest --once --source", "weatherginr: error: --source needs a value " +
        "(see 'weatherginr ingest --help')")]
    public void AUsageErrorIsOneLineInWordsWithExitCodeTwo(string arguments, string expected)
    {
        var result = CliProcess.Run(arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected, Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Theory]
    [InlineData("mesh", "--level", "2", "--k", "4")]
    [InlineData("serve")]
    [InlineData("ingest", "--source", "/nonexistent", "--dataset", "x", "--once")]
    [InlineData("demo")]
    public void AnEmptyDataFolderIsAUsageErrorNotAStackTrace(params string[] verb)
    {
        var result = CliProcess.Run([.. verb, "--data", ""]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"weatherginr: error: --data '' names no folder; give a path such as ./data " +
            $"(see 'weatherginr {verb[0]} --help')",
            Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
