using WeatherGinr.Grains.Abstractions;
using Xunit;

namespace WeatherGinr.Tests.Shared;

/// <summary>
/// What tests of training runs share (compiled into each test project that trains through grains): the real
/// sample files, and waiting for a one-job run to reach a state.
/// </summary>
internal static class TrainingRuns
{
    /// <summary>A sample NetCDF file of ../shared/data/netcdf, found from the repository root.</summary>
    public static string SampleFile(string name)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "WeatherGinr.sln")))
            {
                return Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "data", "netcdf", name));
            }
        }

        throw new InvalidOperationException($"no WeatherGinr.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The run's only job once <paramref name="condition"/> holds; fails after 3 minutes.</summary>
    public static async Task<JobStatus> WaitFor(ITrainingRunGrain run, Func<JobStatus, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            var job = Assert.Single((await run.GetStatus()).Jobs);
            if (condition(job))
            {
                return job;
            }

            Assert.True(DateTime.UtcNow < deadline, $"waited 3 minutes for {what}; the job is {job}");
            await Task.Delay(100);
        }
    }
}
