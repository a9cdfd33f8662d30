using WeatherGinr.Cli.Experiments;

namespace WeatherGinr.Cli.Tests.Experiments;

/// <summary>
/// One data folder for every quick experiment, so embeddings computed by one are reused by the next, and
/// the real CMIP5 2005 monthly temperature from the shared sample data.
/// </summary>
public sealed class QuickExperimentFixture : IDisposable
{
    public string DataRoot { get; } = Directory.CreateTempSubdirectory("wginr-experiments-").FullName;

    public static string TemperatureFile => RepositoryPaths.Sample("tas_rectilinear_grid_2D.nc");

    public ExperimentContext Context() => new(DataRoot, quick: true, TemperatureFile);

    /// <summary>Runs an experiment at its quick size and writes its files, as the command does.</summary>
    public (ExperimentResult Result, string Markdown, string Json) Run(string name)
    {
        var experiment = ExperimentCatalog.Find(name) ?? throw new InvalidOperationException($"no experiment {name}");
        var context = Context();
        var result = experiment.Run(context, CancellationToken.None);
        var (markdown, json) = ExperimentReport.Write(result, context.ResultsFolder);
        return (result, markdown, json);
    }

    public void Dispose() => Directory.Delete(DataRoot, recursive: true);
}
