namespace WeatherGinr.Training;

/// <summary>Measured configurations; see each member for what it was measured on.</summary>
public static class GinrPresets
{
    /// <summary>The product demo's network for k embedding columns, time conditioning and n variables.</summary>
    public static GinrArchitecture DemoArchitecture(int embeddingColumns, int variables) =>
        new(embeddingColumns, ConditioningColumns: 1, Outputs: variables, Layers: 6, Width: 256);

    /// <summary>The product demo's optimisation settings.</summary>
    public static TrainingOptions DemoOptions { get; } = new(MaxSteps: 2000, BatchSize: 4096, LearningRate: 1e-3,
        TimeBudgetSeconds: 150, ProgressIntervalSteps: 100);
}
