namespace WeatherGinr.Ingest.Tests.TestSupport;

/// <summary>Builds small NetCDF files from CDL text with ncgen, in a per-run temp folder.</summary>
internal static class CdlFile
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var folder = Path.Combine(Path.GetTempPath(), "weatherginr-ingest-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    });

    internal static string TempFolder => Folder.Value;

    /// <summary>ncgen -k kind (classic, 64-bit offset, cdf5, nc4, nc7) of the CDL; returns the path.</summary>
    internal static string Create(string name, string cdl, string kind = "classic")
    {
        var cdlPath = Path.Combine(TempFolder, name + ".cdl");
        var ncPath = Path.Combine(TempFolder, name + ".nc");
        File.WriteAllText(cdlPath, cdl);
        ExternalTool.Run("ncgen", ["-k", kind, "-o", ncPath, cdlPath]);
        return ncPath;
    }

    internal static string TempPath(string fileName) => Path.Combine(TempFolder, fileName);
}
