namespace WeatherGinr.Training.Tests;

/// <summary>
/// A fact that runs only when WEATHERGINR_DEMO_DATA names a folder of prepared demo data (icosphere level 5
/// embedding and regridded CMIP5 fields, written by a script outside the repository); skipped otherwise,
/// so the default suite never depends on it.
/// </summary>
public sealed class DemoDataFactAttribute : FactAttribute
{
    public const string Variable = "WEATHERGINR_DEMO_DATA";

    public DemoDataFactAttribute()
    {
        var folder = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(folder) || !Directory.Exists(folder))
        {
            Skip = $"set {Variable} to a folder of prepared demo data to run this measurement";
        }
    }
}
