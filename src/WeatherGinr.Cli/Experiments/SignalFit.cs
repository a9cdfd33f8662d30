using WeatherGinr.Core.Spectral;
using WeatherGinr.Training;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// A static signal on a mesh fitted by a GINR without conditioning: the trained model (owned; dispose
/// it) and its scores in the signal's units on the training nodes and, when nodes were held out, on those.
/// </summary>
public sealed class SignalFit : IDisposable
{
    private SignalFit(TrainingOutcome outcome, FieldScore training, FieldScore? heldOut)
    {
        Outcome = outcome;
        Training = training;
        HeldOut = heldOut;
    }

    public TrainingOutcome Outcome { get; }

    public GinrModel Model => Outcome.Model;

    public FieldScore Training { get; }

    public FieldScore? HeldOut { get; }

    /// <summary>The first <paramref name="columns"/> columns of an embedding, row-major.</summary>
    public static float[] Columns(SpectralEmbedding embedding, int columns)
    {
        ArgumentNullException.ThrowIfNull(embedding);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(columns, embedding.Columns);
        var rows = new float[embedding.NodeCount * columns];
        for (var i = 0; i < embedding.NodeCount; i++)
        {
            embedding.Values.AsSpan(i * embedding.Columns, columns).CopyTo(rows.AsSpan(i * columns, columns));
        }

        return rows;
    }

    /// <summary>
    /// Trains on <paramref name="values"/> at every node except <paramref name="heldOutNodes"/> (NaN in the
    /// targets, so they never enter the loss) and scores both sets.
    /// </summary>
    public static SignalFit Train(float[] embeddingRows, int columns, float[] values, FitSettings settings,
        IReadOnlyCollection<int>? heldOutNodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(embeddingRows);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(settings);
        var n = values.Length;
        var targets = (float[])values.Clone();
        foreach (var node in heldOutNodes ?? [])
        {
            targets[node] = float.NaN;
        }

        var samples = new SpatioTemporalSamples(embeddingRows, n, columns, [0.0], targets, ["value"]);
        var outcome = GinrTrainer.Train(samples, settings.Architecture(columns), settings.Options, null,
            cancellationToken);
        var predicted = outcome.Model.Predict(embeddingRows, n, 0.0);
        var training = FieldMetrics.Score("value", targets, predicted);
        FieldScore? heldOut = null;
        if (heldOutNodes is { Count: > 0 })
        {
            var truth = heldOutNodes.Select(i => values[i]).ToArray();
            heldOut = FieldMetrics.Score("value", truth, heldOutNodes.Select(i => predicted[i]).ToArray());
        }

        return new SignalFit(outcome, training, heldOut);
    }

    /// <summary>A reproducible random share of the nodes, ascending.</summary>
    public static int[] HoldOutNodes(int nodeCount, double fraction, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, nodeCount).OrderBy(_ => random.Next())
            .Take((int)Math.Round(fraction * nodeCount)).Order().ToArray();
    }

    public void Dispose() => Outcome.Model.Dispose();
}
