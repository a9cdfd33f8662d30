using System.Security.Cryptography;

namespace WeatherGinr.Cli.Tests.Commands;

/// <summary>Bad input to <c>weatherginr demo</c>, through the real CLI process.</summary>
public sealed class DemoCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("wginr-demo-cli-").FullName;

    private string DataRoot => Path.Combine(folder, "data");

    [Fact]
    public void AMissingFileIsNamedOnOneLineWithExitCodeTwo()
    {
        var missing = Path.Combine(folder, "no-such-file.nc");

        var result = CliProcess.Run(["demo", "--data", DataRoot, "--input", missing], timeoutSeconds: 300);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(ErrorLines(result));
        Assert.Contains(missing, line, StringComparison.Ordinal);
        Assert.Contains("does not exist", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATextFileIsRefusedWithTheLibrarysReason()
    {
        var text = Path.Combine(folder, "notes.nc");
        await File.WriteAllTextAsync(text, "not a NetCDF file\n");

        var result = CliProcess.Run(["demo", "--data", DataRoot, "--input", text], timeoutSeconds: 300);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(ErrorLines(result));
        Assert.Contains(text, line, StringComparison.Ordinal);
        Assert.Contains("Unknown file format", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANetCdfFileWithoutWeatherVariablesIsNamedAndTheDataFolderIsKept()
    {
        // Real NetCDF (made with ncgen) holding only a variable no reader would call wind, temperature or cloud.
        var cdl = Path.Combine(folder, "salinity.cdl");
        var netcdf = Path.Combine(folder, "salinity.nc");
        await File.WriteAllTextAsync(cdl, """
            netcdf salinity {
            dimensions: lat = 2 ; lon = 3 ;
            variables:
              double lat(lat) ; lat:units = "degrees_north" ;
              double lon(lon) ; lon:units = "degrees_east" ;
              float so(lat, lon) ; so:standard_name = "sea_water_salinity" ; so:units = "1e-3" ;
            data:
              lat = -10, 10 ; lon = 0, 10, 20 ; so = 35, 35, 35, 34, 34, 34 ;
            }
            """);
        using (var ncgen = System.Diagnostics.Process.Start("ncgen", ["-o", netcdf, cdl]))
        {
            await ncgen.WaitForExitAsync();
            Assert.Equal(0, ncgen.ExitCode);
        }

        var sentinel = Path.Combine(DataRoot, "datasets", "kept.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(sentinel)!);
        await File.WriteAllTextAsync(sentinel, "already stored");
        var before = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(sentinel)));

        var result = CliProcess.Run(["demo", "--data", DataRoot, "--input", netcdf], timeoutSeconds: 300);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(ErrorLines(result));
        Assert.Contains(netcdf, line, StringComparison.Ordinal);
        Assert.Equal(before, Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(sentinel))));
        Assert.False(Directory.Exists(Path.Combine(DataRoot, "runs")), "no training started on bad input");
    }

    [Theory]
    [InlineData("demo", "embeddings")]
    [InlineData("demo", "models")]
    [InlineData("serve", "models")]
    public void AFileWhereTheDataFolderKeepsItsOwnFolderIsNamedBeforeAnyWork(string verb, string folder)
    {
        // embeddings: "Failed to create an instance of grain type ...EmbeddingGrain"; models: the demo trained every
        // job and failed only when it registered the first model, and serve answered an empty list without a word.
        var file = Path.Combine(DataRoot, folder);
        Directory.CreateDirectory(DataRoot);
        File.WriteAllText(file, "not a folder");
        string[] arguments = verb == "demo"
            ? ["demo", "--data", DataRoot, "--input", RepositoryPaths.Sample("tas_rectilinear_grid_2D.nc"),
                "--level", "2", "--k", "16"]
            : ["serve", "--data", DataRoot, "--url", "http://127.0.0.1:0"];

        var result = CliProcess.Run(arguments, timeoutSeconds: 300);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"weatherginr: error: '{file}' is a file where the data folder keeps its {folder}; move it " +
            "away, or choose another --data", Assert.Single(ErrorLines(result)));
        Assert.False(Directory.Exists(Path.Combine(DataRoot, "datasets")), "nothing was ingested");
    }

    [Theory]
    [InlineData("--steps", "-5", "--steps -5 must be at least 1")]
    [InlineData("--layers", "0", "--layers 0 must be at least 2 (the first and the last linear layer)")]
    [InlineData("--lr", "NaN", "--lr NaN must be a positive finite number")]
    [InlineData("--activation", "Tanh", "--activation 'Tanh' is not one of Sine, Relu")]
    [InlineData("--batch", "0", "--batch 0 must be at least 1")]
    [InlineData("--time-budget", "-1", "--time-budget -1 must be a positive number of seconds")]
    [InlineData("--width", "-1", "--width -1 must be at least 1")]
    public void ABadTrainingOptionIsRefusedBeforeAnyWork(string option, string value, string expected)
    {
        var result = CliProcess.Run(["demo", "--data", DataRoot, option, value], timeoutSeconds: 300);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"weatherginr: error: {expected}", Assert.Single(ErrorLines(result)));

        // Nothing was downloaded, ingested or embedded: the data folder was never created.
        Assert.False(Directory.Exists(DataRoot), "the demo did work before refusing its options");
    }

    [Theory]
    [InlineData("2", "163", "--k 163 must lie in 1..162 (the node count of level 2)")]
    [InlineData("5", "5000", "--k 5000: 5000 eigenpairs need a block of 6256 vectors")]
    public void AnEmbeddingSizeMeshRefusesIsRefusedByTheDemoInTheSameWords(string level, string k, string expected)
    {
        var demo = CliProcess.Run(["demo", "--data", DataRoot, "--level", level, "--k", k], timeoutSeconds: 300);
        var mesh = CliProcess.Run(["mesh", "--data", DataRoot, "--level", level, "--k", k], timeoutSeconds: 300);

        Assert.Equal((2, 2), (demo.ExitCode, mesh.ExitCode));
        Assert.StartsWith($"weatherginr: error: {expected}", Assert.Single(ErrorLines(demo)), StringComparison.Ordinal);
        Assert.Equal(Assert.Single(ErrorLines(mesh)).Split(" (see '")[0], Assert.Single(ErrorLines(demo)));
        Assert.False(Directory.Exists(Path.Combine(DataRoot, "embeddings")), "refused before any work");
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task AStopSignalMidTrainingEndsTheDemoPromptlyInOneLine(string signal)
    {
        // Training that would run for ten minutes; the signal comes two seconds into the training stage.
        (int exitCode, TimeSpan stopping, string[] errors) = await StopTheDemoDuring("4-5. Training", signal,
            ["--level", "3", "--k", "16", "--steps", "10000000", "--time-budget", "600"]);

        Assert.Equal(130, exitCode);
        Assert.True(stopping < TimeSpan.FromSeconds(30), $"the demo took {stopping} to stop");
        Assert.Equal([StoppedLine], errors);
    }

    [Fact]
    public async Task AStopSignalMidEigenSolveStopsTheSolveAndStoresNoEmbedding()
    {
        // Level 7 with k = 100 solves for seconds; the signal comes as the embedding stage is announced. A solve
        // that went on to the end would leave its file in the cache before the demo stopped.
        (int exitCode, _, string[] errors) = await StopTheDemoDuring("3. Icosphere", "INT",
            ["--level", "7", "--k", "100"], delay: TimeSpan.FromMilliseconds(300));

        Assert.Equal(130, exitCode);
        Assert.Equal([StoppedLine], errors);
        Assert.Empty(Directory.GetFiles(Path.Combine(DataRoot, "embeddings"), "*.wgemb"));
    }

    private const string StoppedLine = "weatherginr: error: the demo was stopped before it finished (Ctrl+C or a " +
        "stop signal); what it had stored stays, and running it again takes up from there";

    /// <summary>
    /// Runs the demo on one sample file, sends <paramref name="signal"/> once a standard output line holds
    /// <paramref name="stage"/> (after <paramref name="delay"/>, 2 s unless given), and returns the exit code,
    /// the time from the signal to the exit and the non-empty standard error lines.
    /// </summary>
    private async Task<(int ExitCode, TimeSpan Stopping, string[] Errors)> StopTheDemoDuring(
        string stage, string signal, string[] settings, TimeSpan? delay = null)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Text.StringBuilder();
        using var demo = new System.Diagnostics.Process { StartInfo = CliProcess.WithDefaultInterrupt(
            CliProcess.StartInfo(["demo", "--data", DataRoot, "--input",
                RepositoryPaths.Sample("tas_rectilinear_grid_2D.nc"), .. settings])) };
        demo.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains(stage, StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        };
        demo.ErrorDataReceived += (_, line) =>
        {
            lock (errors)
            {
                errors.AppendLine(line.Data);
            }
        };
        demo.Start();
        demo.BeginOutputReadLine();
        demo.BeginErrorReadLine();
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromMinutes(3));
            await Task.Delay(delay ?? TimeSpan.FromSeconds(2));
            CliProcess.Tool("kill", $"-{signal}", demo.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            await demo.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            lock (errors)
            {
                return (demo.ExitCode, clock.Elapsed, errors.ToString()
                    .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            }
        }
        finally
        {
            if (!demo.HasExited)
            {
                demo.Kill(entireProcessTree: true);
            }
        }
    }

    private static string[] ErrorLines(CliProcess.Result result) =>
        result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("weatherginr: error:", StringComparison.Ordinal)).ToArray();

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
