namespace WeatherGinr.Training.Tests;

public sealed class GinrTrainerFitTests
{
    internal static readonly GinrArchitecture SmallSine = new(SphericalHarmonicEmbedding.Columns, 1, 1,
        Layers: 4, Width: 64);

    // One torch thread: these networks are too small to gain from more, and the determinism tests compare
    // runs at one thread count. It also keeps the suite from oversubscribing a shared 2-core machine.
    internal static readonly TrainingOptions QuickOptions = new(MaxSteps: 600, BatchSize: 256, LearningRate: 1e-3,
        Threads: 1);

    [Fact]
    public void Fits_a_smooth_static_field_on_training_nodes()
    {
        var embedding = new SphericalHarmonicEmbedding(600);
        var samples = SampleFields.StaticTemperature(embedding);

        using var outcome = new OwnedOutcome(GinrTrainer.Train(samples, SmallSine, QuickOptions));
        var predicted = outcome.Model.Predict(embedding.Rows, embedding.NodeCount, time: 0.0);

        var truth = samples.Targets.Select(value => (double)value).ToArray();
        var rSquared = SampleFields.RSquared(truth, predicted.Select(value => (double)value).ToArray());
        Assert.True(rSquared >= 0.99, $"R-squared {rSquared:F5} on training nodes; expected >= 0.99");
        Assert.Equal(QuickOptions.MaxSteps, outcome.Outcome.Steps);
        Assert.StartsWith("cpu", outcome.Outcome.Device, StringComparison.Ordinal);
    }

    [Fact]
    public void Time_conditioning_fits_two_different_fields_at_two_times()
    {
        var embedding = new SphericalHarmonicEmbedding(500);
        var samples = SampleFields.TwoSeasons(embedding);
        var architecture = SmallSine with { Outputs = 2 };

        using var outcome = new OwnedOutcome(GinrTrainer.Train(samples, architecture, QuickOptions with
        {
            MaxSteps = 900,
        }));

        var n = embedding.NodeCount;
        for (var step = 0; step < 2; step++)
        {
            var predicted = outcome.Model.Predict(embedding.Rows, n, samples.Times[step]);
            for (var variable = 0; variable < 2; variable++)
            {
                var truth = Enumerable.Range(0, n)
                    .Select(node => (double)samples.Targets[(((step * n) + node) * 2) + variable]).ToArray();
                var fitted = Enumerable.Range(0, n).Select(node => (double)predicted[(node * 2) + variable]).ToArray();
                var rSquared = SampleFields.RSquared(truth, fitted);
                Assert.True(rSquared >= 0.99,
                    $"time step {step}, variable {samples.VariableNames[variable]}: R-squared {rSquared:F5}");
            }
        }

        // The two fields differ in shape: a model that ignored time would score far below 0.99 on both.
        var mirrored = SampleFields.RSquared(
            Enumerable.Range(0, n).Select(node => (double)samples.Targets[node * 2]).ToArray(),
            Enumerable.Range(0, n).Select(node => (double)samples.Targets[((n + node) * 2)]).ToArray());
        Assert.True(mirrored < 0.5, $"the test's two fields should differ; R-squared between them {mirrored:F3}");
    }
}

/// <summary>Disposes the model of a training outcome at the end of a test.</summary>
internal sealed class OwnedOutcome(TrainingOutcome outcome) : IDisposable
{
    public TrainingOutcome Outcome { get; } = outcome;

    public GinrModel Model => Outcome.Model;

    public void Dispose() => Outcome.Model.Dispose();
}
