using System.Text.Json;
using WeatherGinr.Cli.Tests.Commands;

namespace WeatherGinr.Cli.Tests.Experiments;

/// <summary><c>weatherginr experiment</c> run as a real process.</summary>
public sealed class ExperimentCommandTests
{
    [Fact]
    public void AnUnknownExperimentIsOneLineNamingTheChoicesAndExitCodeTwo()
    {
        var result = CliProcess.Run(["experiment", "nosuch"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown experiment 'nosuch'", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("fit, embedding-size, transfer, differential, latents, spatio-temporal, variables",
            result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void ATemperatureFileThatIsNotNetCdfIsNamedWithExitCodeTwo()
    {
        var data = Directory.CreateTempSubdirectory("wginr-experiment-cli-").FullName;
        var bogus = Path.Combine(data, "not-netcdf.nc");
        File.WriteAllText(bogus, "plain text\n");
        try
        {
            var result = CliProcess.Run(["experiment", "fit", "--quick", "--data", data, "--input", bogus]);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains(bogus, result.StandardError, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(data, "experiments")), "nothing is written for bad input");
            Assert.False(Directory.Exists(Path.Combine(data, "embeddings")), "refused before any embedding is built");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void ATemperatureFileWithValuesNoWeatherHasIsRefusedAsIngestWouldRefuseIt()
    {
        // Celsius labelled as kelvin: every value far below 150 K.
        var data = Directory.CreateTempSubdirectory("wginr-experiment-cli-").FullName;
        try
        {
            var path = TemperatureFile(data, "celsius", times: "0", values: "12, 14, 15, 21, 19, 17");
            var result = CliProcess.Run(["experiment", "fit", "--quick", "--data", data, "--input", path]);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("6 of 6 valid values outside the physically plausible range", result.StandardError,
                StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(data, "embeddings")), "refused before any embedding is built");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void ASeriesTooShortToHoldAMonthOutIsRefusedBySpatioTemporal()
    {
        // Two months: no interior step to hold out (the table's month rows came out empty, "months NaN", before).
        var data = Directory.CreateTempSubdirectory("wginr-experiment-cli-").FullName;
        try
        {
            var path = TemperatureFile(data, "tas_two", times: "0, 31",
                values: "280, 281, 282, 283, 284, 285, 286, 287, 288, 289, 290, 291");
            var result = CliProcess.Run(["experiment", "spatio-temporal", "--quick", "--data", data, "--input", path],
                timeoutSeconds: 300);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains($"weatherginr: error: {path}: the series has 2 time steps, too few to hold any interior " +
                "one out", result.StandardError, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(data, "experiments", "spatio-temporal.quick.json")));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void AWindFileBesideTheInputIsCheckedAsIngestWouldCheckIt()
    {
        // The temperature file passes; the eastward wind found beside it holds 600 m/s, beyond any weather.
        var data = Directory.CreateTempSubdirectory("wginr-experiment-cli-").FullName;
        string Cdl(string variable, string standardName, string units, string values) => $$"""
            netcdf {{variable}} {
            dimensions: time = 2 ; lat = 2 ; lon = 3 ;
            variables:
              double time(time) ; time:units = "days since 2005-01-01" ;
              float lat(lat) ; lat:units = "degrees_north" ;
              float lon(lon) ; lon:units = "degrees_east" ;
              float {{variable}}(time, lat, lon) ; {{variable}}:units = "{{units}}" ;
                {{variable}}:standard_name = "{{standardName}}" ;
            data:
              time = 0, 31 ; lat = -10, 10 ; lon = 0, 120, 240 ;
              {{variable}} = {{values}} ;
            }
            """;
        try
        {
            foreach (var (variable, standardName, units, values) in new[]
            {
                ("tas", "air_temperature", "K", "280, 281, 282, 283, 284, 285, 286, 287, 288, 289, 290, 291"),
                ("uas", "eastward_wind", "m s-1", "1, 2, 3, 600, 5, 6, 7, 8, 9, 10, 11, 12"),
                ("vas", "northward_wind", "m s-1", "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12"),
            })
            {
                File.WriteAllText(Path.Combine(data, variable + ".cdl"), Cdl(variable, standardName, units, values));
                CliProcess.Tool("ncgen", "-o", Path.Combine(data, variable + "_x.nc"),
                    Path.Combine(data, variable + ".cdl"));
            }

            var result = CliProcess.Run(["experiment", "variables", "--quick", "--data", data,
                "--input", Path.Combine(data, "tas_x.nc")], timeoutSeconds: 300);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains(Path.Combine(data, "uas_x.nc"), result.StandardError, StringComparison.Ordinal);
            Assert.Contains("1 of 12 valid values outside the physically plausible range", result.StandardError,
                StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(data, "experiments")), "nothing is written for bad input");
            var embeddings = Path.Combine(data, "embeddings");
            Assert.True(!Directory.Exists(embeddings) || Directory.GetFiles(embeddings).Length == 0,
                "refused before any embedding is built");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public void AllGoesOnPastAnExperimentTheInputDoesNotSuitAndPrintsTheOthers()
    {
        // A temperature file whose name does not start with 'tas': 'variables' finds no wind files beside it.
        var data = Directory.CreateTempSubdirectory("wginr-experiment-cli-").FullName;
        try
        {
            var input = Path.Combine(data, "temperature.nc");
            File.Copy(QuickExperimentFixture.TemperatureFile, input);

            var result = CliProcess.Run(["experiment", "all", "--quick", "--json", "--data", data, "--input", input],
                timeoutSeconds: 600);

            Assert.Equal(2, result.ExitCode);
            var error = Assert.Single(result.StandardError.Split('\n'),
                line => line.StartsWith("weatherginr: error:", StringComparison.Ordinal));
            Assert.StartsWith("weatherginr: error: experiment 'variables': ", error, StringComparison.Ordinal);
            using var document = JsonDocument.Parse(result.StandardOutput);
            var names = document.RootElement.EnumerateArray().Select(r => r.GetProperty("name").GetString()!).ToArray();
            Assert.Equal(["fit", "embedding-size", "transfer", "differential", "latents", "spatio-temporal"], names);
            Assert.All(names, n => Assert.True(File.Exists(Path.Combine(data, "experiments", $"{n}.quick.json"))));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>A small tas file (2 x 3 grid, kelvin by its units) made with ncgen from CDL.</summary>
    private static string TemperatureFile(string folder, string name, string times, string values)
    {
        var cdl = Path.Combine(folder, name + ".cdl");
        var path = Path.Combine(folder, name + ".nc");
        File.WriteAllText(cdl, $$"""
            netcdf {{name}} {
            dimensions: time = {{times.Split(',').Length}} ; lat = 2 ; lon = 3 ;
            variables:
              double time(time) ; time:units = "days since 2005-01-01" ;
              float lat(lat) ; lat:units = "degrees_north" ;
              float lon(lon) ; lon:units = "degrees_east" ;
              float tas(time, lat, lon) ; tas:units = "K" ; tas:standard_name = "air_temperature" ;
            data:
              time = {{times}} ; lat = -10, 10 ; lon = 0, 120, 240 ;
              tas = {{values}} ;
            }
            """);
        CliProcess.Tool("ncgen", "-o", path, cdl);
        return path;
    }

    [Fact]
    public void QuickLatentsPrintsJsonAndWritesBothFiles()
    {
        var data = Directory.CreateTempSubdirectory("wginr-experiment-cli-").FullName;
        try
        {
            var result = CliProcess.Run(["experiment", "latents", "--quick", "--json", "--data", data,
                "--input", QuickExperimentFixture.TemperatureFile], timeoutSeconds: 300);

            Assert.True(result.ExitCode == 0, result.StandardError);
            using var document = JsonDocument.Parse(result.StandardOutput);
            Assert.Equal("latents", document.RootElement.GetProperty("name").GetString());
            Assert.Equal(3, document.RootElement.GetProperty("rows").GetArrayLength());
            Assert.True(File.Exists(Path.Combine(data, "experiments", "latents.quick.md")));
            Assert.True(File.Exists(Path.Combine(data, "experiments", "latents.quick.json")));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
