namespace WeatherGinr.Training;

/// <summary>
/// Measured configurations. The demo preset was measured on CMIP5 MPI-ESM-LR 2005 monthly tas, uas and
/// vas regridded onto icosphere level 5 (10,242 nodes), k = 100 eigenvectors, 12 time steps, 3 variables in
/// one network, 2 CPU threads (numbers in src/WeatherGinr.Training/README.md).
/// </summary>
public static class GinrPresets
{
    /// <summary>
    /// The demo network: the paper's SIREN (w0 = 30) with 6 layers of 256 and the skip before layer 3,
    /// conditioned on time. 316k parameters for k = 100 and 3 variables, about 62 ms per 4096-pair step on
    /// 2 cores. Width 128 is 2x faster per step but needed more steps for less accuracy (tas R-squared 0.9970
    /// after 1500 steps against 0.9991 after 1200).
    /// </summary>
    public static GinrArchitecture DemoArchitecture(int embeddingColumns, int variables) =>
        new(embeddingColumns, ConditioningColumns: 1, Outputs: variables, Layers: 6, Width: 256);

    /// <summary>
    /// The demo optimisation: learning rate 3e-4 (1e-3 stalls this SIREN at a standardised loss of 0.15;
    /// 1e-4 and 5e-4 gain less per step), batches of 4096 (node, time) pairs, 1200 steps (about 75-85 s on 2
    /// idle cores; tas R-squared passes 0.99 near step 400 and reached 0.9991 at 1200), a plateau patience of
    /// one 50-step window (the first halving of the rate brings the largest drop in loss: 0.9989 at step 1000
    /// against 0.995 with patience 4), and a 110 s time budget as a guard on a busy machine, which stops
    /// earlier but past the 0.99 mark.
    /// </summary>
    public static TrainingOptions DemoOptions { get; } = new(MaxSteps: 1200, BatchSize: 4096, LearningRate: 3e-4,
        TimeBudgetSeconds: 110, PlateauPatience: 1, ProgressIntervalSteps: 100);
}
