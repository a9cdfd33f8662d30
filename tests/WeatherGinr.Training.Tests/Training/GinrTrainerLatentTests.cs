namespace WeatherGinr.Training.Tests;

/// <summary>Several signals in one network, told apart by learned latent vectors (auto-decoder).</summary>
public sealed class GinrTrainerLatentTests
{
    private static readonly Func<double, double, double, double>[] Signals =
    [
        (x, y, z) => SampleFields.Temperature(x, y, z),
        (x, y, z) => SampleFields.Temperature(z, x, y),
        (x, y, z) => SampleFields.Wind(x, y, z) * 3.0,
    ];

    [Fact]
    public void Three_signals_in_one_network_are_each_recovered()
    {
        var embedding = new SphericalHarmonicEmbedding(400);
        var samples = SignalSamples(embedding);
        var architecture = new GinrArchitecture(SphericalHarmonicEmbedding.Columns, ConditioningColumns: 8,
            Outputs: 1, Layers: 4, Width: 64, LatentSignals: Signals.Length);

        using var outcome = new OwnedOutcome(GinrTrainer.Train(samples, architecture,
            GinrTrainerFitTests.QuickOptions with { MaxSteps = 1200 }));

        var n = embedding.NodeCount;
        for (var signal = 0; signal < Signals.Length; signal++)
        {
            var predicted = outcome.Model.PredictSignal(embedding.Rows, n, signal);
            var truth = samples.Targets.AsSpan(signal * n, n).ToArray();
            var rSquared = FieldMetrics.RSquared(truth, predicted);
            Assert.True(rSquared >= 0.99, $"signal {signal}: R-squared {rSquared:F4}");
        }

        Assert.Equal(Signals.Length * 8, outcome.Model.Latents().Length);
        Assert.Equal(architecture.ParameterCount, outcome.Model.ParameterCount);
    }

    [Fact]
    public void Latents_survive_save_and_load()
    {
        var embedding = new SphericalHarmonicEmbedding(100);
        var architecture = new GinrArchitecture(SphericalHarmonicEmbedding.Columns, 4, 1, Layers: 3, Width: 16,
            LatentSignals: Signals.Length);
        using var outcome = new OwnedOutcome(GinrTrainer.Train(SignalSamples(embedding), architecture,
            GinrTrainerFitTests.QuickOptions with { MaxSteps = 5 }));
        var path = Path.Combine(Path.GetTempPath(), $"ginr-latents-{Guid.NewGuid():N}.ginr");
        try
        {
            outcome.Model.Save(path);
            using var loaded = GinrModel.Load(path);

            Assert.Equal(outcome.Model.Latents(), loaded.Latents());
            Assert.Equal(outcome.Model.PredictSignal(embedding.Rows, 100, 2),
                loaded.PredictSignal(embedding.Rows, 100, 2));
            Assert.Throws<InvalidOperationException>(() => loaded.Predict(embedding.Rows, 100, 0.0));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Signal_count_must_match_the_latent_table()
    {
        var embedding = new SphericalHarmonicEmbedding(50);
        var architecture = new GinrArchitecture(SphericalHarmonicEmbedding.Columns, 4, 1, LatentSignals: 5);

        var error = Assert.Throws<ArgumentException>(() => GinrTrainer.Train(SignalSamples(embedding), architecture,
            GinrTrainerFitTests.QuickOptions));
        Assert.Contains("LatentSignals is 5", error.Message, StringComparison.Ordinal);
    }

    // The samples' time axis carries the signal index for an auto-decoder.
    private static SpatioTemporalSamples SignalSamples(SphericalHarmonicEmbedding embedding)
    {
        var n = embedding.NodeCount;
        var targets = new float[Signals.Length * n];
        for (var signal = 0; signal < Signals.Length; signal++)
        {
            for (var node = 0; node < n; node++)
            {
                targets[(signal * n) + node] = (float)Signals[signal](embedding.X[node], embedding.Y[node],
                    embedding.Z[node]);
            }
        }

        return new SpatioTemporalSamples(embedding.Rows, n, SphericalHarmonicEmbedding.Columns,
            Enumerable.Range(0, Signals.Length).Select(signal => (double)signal).ToArray(), targets, ["value"]);
    }
}
