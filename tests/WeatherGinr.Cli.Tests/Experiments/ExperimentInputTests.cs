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
}
