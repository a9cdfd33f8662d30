namespace WeatherGinr.Cli.Tests;

/// <summary>Finds the repository root and the shared sample data beside it.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary><c>../shared/data/netcdf</c> relative to the repository root (read-only, never copied).</summary>
    public static string SampleData { get; } = Path.GetFullPath(Path.Combine(Root, "..", "shared", "data", "netcdf"));

    public static string Sample(string name) => Path.Combine(SampleData, name);

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "WeatherGinr.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no WeatherGinr.sln above {AppContext.BaseDirectory}");
    }
}
