namespace WeatherGinr.Ingest.Tests.TestSupport;

/// <summary>The shared sample files, found from the repository root (never copied into it).</summary>
internal static class SampleData
{
    private static readonly Lazy<string> Folder = new(Locate);

    internal static string Directory => Folder.Value;

    internal static string PathOf(string fileName) => Path.Combine(Directory, fileName);

    internal static IEnumerable<string> AllFiles() =>
        System.IO.Directory.EnumerateFiles(Directory)
            .Where(p => p.EndsWith(".nc", StringComparison.Ordinal) || p.EndsWith(".cdf", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    private static string Locate()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "WeatherGinr.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException($"WeatherGinr.sln not found above {AppContext.BaseDirectory}");
        }

        var folder = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data", "netcdf"));
        if (!System.IO.Directory.Exists(folder))
        {
            throw new InvalidOperationException($"sample data folder {folder} is missing");
        }

        return folder;
    }
}
