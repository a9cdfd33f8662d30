using System.Globalization;

namespace WeatherGinr.Benchmarks.Ingest;

/// <summary>Command-line settings of the ingest benchmark; every one has a default that runs as is.</summary>
internal sealed record BenchmarkOptions(string FilePath, string? Variable, int IcosphereLevel, int Repeats,
    string Python, double WarmUpSeconds)
{
    /// <summary>CCSM annual 2 m temperature: global T42 Gaussian grid (128 x 64), 110 steps.</summary>
    private const string DefaultFile = "TREFHT.B06.66.atm.1890-1999ANN.nc";

    internal static BenchmarkOptions Parse(string[] args)
    {
        string? file = null, variable = null, python = "/usr/bin/python3";
        int level = 5, repeats = 30;
        double warmUp = 5;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--file": file = value; break;
                case "--variable": variable = value; break;
                case "--level": level = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--repeats": repeats = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--python": python = value; break;
                case "--warm-up": warmUp = double.Parse(value, CultureInfo.InvariantCulture); break;
                default:
                    throw new ArgumentException($"unknown option '{args[i]}'; accepted: --file PATH --variable NAME " +
                        "--level N --repeats N --python PATH --warm-up SECONDS");
            }

            i++;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(repeats, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(warmUp);
        return new BenchmarkOptions(file ?? Path.Combine(SampleData(), DefaultFile), variable, level, repeats, python,
            warmUp);
    }

    /// <summary><c>../shared/data/netcdf</c> beside the repository root (the folder holding WeatherGinr.sln).</summary>
    private static string SampleData()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "WeatherGinr.sln")))
            {
                return Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "data", "netcdf"));
            }
        }

        throw new InvalidOperationException($"no WeatherGinr.sln above {AppContext.BaseDirectory}; pass --file");
    }
}
