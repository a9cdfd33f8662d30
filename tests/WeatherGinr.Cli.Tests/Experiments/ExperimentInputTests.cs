using System.Text.RegularExpressions;
using WeatherGinr.Cli.Tests.Commands;

namespace WeatherGinr.Cli.Tests.Experiments;

/// <summary>
/// <c>weatherginr experiment</c> run as a real process on input it cannot use as it is, or reads on another thread
/// than the one that opened libnetcdf first: what it says, and that it says nothing else.
/// </summary>
public sealed class ExperimentInputTests : IDisposable
{
    private readonly string data = Directory.CreateTempSubdirectory("wginr-experiment-input-").FullName;

    public void Dispose() => Directory.Delete(data, recursive: true);

    [Fact]
    public void ANetCdf4InputLeavesHdf5sErrorStackOffStandardError()
    {
        // libnetcdf probes every netCDF-4 variable for quantize attributes it rarely has; HDF5 printed each miss as
        // an "HDF5-DIAG" block on any thread but the one that had initialised libnetcdf, although all was well.
        var input = Path.Combine(data, "tas4.nc");
        CliProcess.Tool("nccopy", "-k", "nc4", QuickExperimentFixture.TemperatureFile, input);

        var result = CliProcess.Run(["experiment", "fit", "--quick", "--data", data, "--input", input],
            timeoutSeconds: 300);

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.DoesNotContain("HDF5", result.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fit")]
    [InlineData("embedding-size")]
    [InlineData("differential")]
    [InlineData("latents")]
    [InlineData("spatio-temporal")]
    public void AGridOfOnePointIsOneLineNamingFileVariableGridAndMeshLevel(string experiment)
    {
        // One point reaches no node; the trainer's "samples.Targets holds no valid value" came out before.
        var input = TemperatureFile("tas_point", latitudes: "10", longitudes: "20", MonthlyTimes(12));

        var result = CliProcess.Run(["experiment", experiment, "--quick", "--data", data, "--input", input],
            timeoutSeconds: 300);

        Assert.Equal(2, result.ExitCode);
        var line = ErrorLine(result);
        Assert.Matches($"^weatherginr: error: {Regex.Escape(input)}: variable 'tas' on its 1 x 1 grid reaches none " +
            "of the [0-9,]+ nodes of mesh level [0-9] ", line);
        Assert.Contains("there is nothing to learn", line, StringComparison.Ordinal);
        Assert.DoesNotContain("samples", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(data, "experiments")), "nothing is written for unusable input");
    }

    [Fact]
    public void DifferentialOnARegionalGridWithNoWholeStencilIsRefusedBeforeAnyWork()
    {
        // The UK's 0.25 degree grid reaches 3 nodes of level 3, none with all its neighbours, so L f is nowhere
        // defined; the closed-form rows were trained first and then lost to the trainer's error.
        var input = RepositoryPaths.Sample("era5_t2m_2019-03_uk_hourly.nc");

        var result = CliProcess.Run(["experiment", "differential", "--quick", "--data", data, "--input", input],
            timeoutSeconds: 300);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"weatherginr: error: {input}: variable 't2m' on its 33 x 49 grid reaches only 3 of the 642 " +
            "nodes of mesh level 3 (a node takes its value from the grid cells around it, about 8.6 degrees apart at " +
            "this level), and none of them has all its neighbours inside the grid, which L f needs at a node: there " +
            "is nothing to learn; give a grid that spans several mesh spacings (without --quick the mesh is finer)",
            ErrorLine(result));
        Assert.DoesNotContain("closed form", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        var embeddings = Path.Combine(data, "embeddings");
        Assert.True(!Directory.Exists(embeddings) || Directory.GetFiles(embeddings).Length == 0,
            "refused before any embedding is built");
    }

    [Fact]
    public void SpatioTemporalRefusesAnHourlySeriesNamingTheFileAndTheStep()
    {
        // 744 hourly steps were labelled "744 months", 186 of them "2019-03".
        var input = RepositoryPaths.Sample("era5_t2m_2019-03_uk_hourly.nc");

        var result = CliProcess.Run(["experiment", "spatio-temporal", "--quick", "--data", data, "--input", input],
            timeoutSeconds: 300);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"weatherginr: error: {input}: variable 't2m' is not a monthly series: steps 0 and 1 " +
            "(2019-03-01 00:00 and 2019-03-01 01:00 UTC) are 1 hour apart; this experiment holds out and labels " +
            "months, so it takes one step a month (27 to 32 days apart), for example monthly means", ErrorLine(result));
        Assert.DoesNotContain("months on", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void EmbeddingSizeSaysPlainlyWhenNoHeldOutNodeHoldsData()
    {
        // The UK reaches 3 of 642 nodes and none of the 64 held out: "64 held out" stood beside empty columns.
        var input = RepositoryPaths.Sample("era5_t2m_2019-03_uk_hourly.nc");

        var result = CliProcess.Run(["experiment", "embedding-size", "--quick", "--data", data, "--input", input],
            timeoutSeconds: 300);

        Assert.True(result.ExitCode == 0, result.StandardError);
        const string said = "none of the 64 held-out nodes holds data (the input reaches 3 of the 642 nodes), so " +
            "nothing is scored on held-out nodes";
        Assert.Contains($"embedding-size: {said}", result.StandardOutput, StringComparison.Ordinal);
        var markdown = File.ReadAllText(Path.Combine(data, "experiments", "embedding-size.quick.md"));
        Assert.Contains($"- mesh: icosphere level 3 (642 nodes), 64 held out; {said}", markdown,
            StringComparison.Ordinal);
        Assert.Contains($"Held-out columns are empty: {said}.", markdown, StringComparison.Ordinal);

        // The signal by its own variable and, the steps being hours, its hour (it read "tas 2019-03").
        Assert.Contains($"- signal: t2m 2019-03-01 00:00 from {input}", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void NoExperimentNameAsksForOneAndListsThem()
    {
        var result = CliProcess.Run(["experiment", "--quick", "--data", data]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("weatherginr: error: experiment needs the name of an experiment: fit, embedding-size, transfer, " +
            "differential, latents, spatio-temporal, variables or all (see 'weatherginr experiment --help')",
            ErrorLine(result));
    }

    [Fact]
    public void AFolderGivenAsInputIsSaidToBeAFolder()
    {
        var folder = Directory.CreateDirectory(Path.Combine(data, "inputs")).FullName;

        var result = CliProcess.Run(["experiment", "fit", "--quick", "--data", data, "--input", folder]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"weatherginr: error: --input '{folder}' is a directory, not a NetCDF file; name one file with " +
            "near-surface temperature", ErrorLine(result));
    }

    [Fact]
    public void ADataFolderUnderAFileIsOneLineNamingBoth()
    {
        var file = Path.Combine(data, "a-file");
        File.WriteAllText(file, "x");
        var folder = Path.Combine(file, "sub");

        var result = CliProcess.Run(["experiment", "fit", "--quick", "--data", folder, "--input",
            QuickExperimentFixture.TemperatureFile]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"weatherginr: error: --data '{folder}': its parent '{file}' is a file, not a folder",
            ErrorLine(result), StringComparison.Ordinal);
    }

    /// <summary>The one line on standard error (the test fails when there are more or none).</summary>
    private static string ErrorLine(CliProcess.Result result) =>
        Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            l => l.StartsWith("weatherginr: error:", StringComparison.Ordinal));

    /// <summary>Days since 2005-01-01 at the start of each of the first <paramref name="months"/> months.</summary>
    private static string MonthlyTimes(int months)
    {
        var first = new DateTime(2005, 1, 1);
        return string.Join(", ", Enumerable.Range(0, months).Select(m => (first.AddMonths(m) - first).Days));
    }

    /// <summary>A tas file in kelvin made with ncgen; values rise by one kelvin per value from 280 K.</summary>
    private string TemperatureFile(string name, string latitudes, string longitudes, string times)
    {
        var (steps, rows, columns) = (times.Split(',').Length, latitudes.Split(',').Length,
            longitudes.Split(',').Length);
        var values = string.Join(", ", Enumerable.Range(0, steps * rows * columns).Select(i => 280 + (i % 20)));
        var cdl = Path.Combine(data, name + ".cdl");
        var path = Path.Combine(data, name + ".nc");
        File.WriteAllText(cdl, $$"""
            netcdf {{name}} {
            dimensions: time = {{steps}} ; lat = {{rows}} ; lon = {{columns}} ;
            variables:
              double time(time) ; time:units = "days since 2005-01-01" ;
              float lat(lat) ; lat:units = "degrees_north" ;
              float lon(lon) ; lon:units = "degrees_east" ;
              float tas(time, lat, lon) ; tas:units = "K" ; tas:standard_name = "air_temperature" ;
            data:
              time = {{times}} ; lat = {{latitudes}} ; lon = {{longitudes}} ;
              tas = {{values}} ;
            }
            """);
        CliProcess.Tool("ncgen", "-o", path, cdl);
        return path;
    }
}
