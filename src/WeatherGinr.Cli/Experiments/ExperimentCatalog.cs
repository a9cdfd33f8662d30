namespace WeatherGinr.Cli.Experiments;

/// <summary>The experiments <c>weatherginr experiment NAME</c> can run, by name.</summary>
public static class ExperimentCatalog
{
    public static IReadOnlyList<IExperiment> All { get; } =
    [
        new FitExperiment(),
        new EmbeddingSizeExperiment(),
        new TransferExperiment(),
        new DifferentialExperiment(),
        new LatentsExperiment(),
        new SpatioTemporalExperiment(),
        new VariablesExperiment(),
    ];

    public static IExperiment? Find(string name) =>
        All.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
}
