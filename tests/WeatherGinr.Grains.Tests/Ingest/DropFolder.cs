namespace WeatherGinr.Grains.Tests.Ingest;

/// <summary>
/// A temporary drop folder filled with copies of the real sample files (../shared/data/netcdf, found
/// from the repository root) and files the tests write; deleted on dispose.
/// </summary>
internal sealed class DropFolder : IDisposable
{
    private static readonly Lazy<string> SampleData = new(() =>
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "WeatherGinr.sln")))
            {
                return Path.GetFullPath(Path.Combine(folder.FullName, "..", "shared", "data", "netcdf"));
            }
        }

        throw new InvalidOperationException($"no WeatherGinr.sln above {AppContext.BaseDirectory}");
    });

    public string Folder { get; } = Directory.CreateTempSubdirectory("wginr-drop-").FullName;

    public string RejectedFolder => Path.Combine(Folder, "rejected");

    public static string Sample(string name) => Path.Combine(SampleData.Value, name);

    /// <summary>Copies a sample file in (a drop folder's files may be moved, so the originals never go in).</summary>
    public string Add(string sampleName, string? asName = null)
    {
        var target = Path.Combine(Folder, asName ?? sampleName);
        File.Copy(Sample(sampleName), target);
        return target;
    }

    public string Write(string name, byte[] bytes)
    {
        var target = Path.Combine(Folder, name);
        File.WriteAllBytes(target, bytes);
        return target;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
