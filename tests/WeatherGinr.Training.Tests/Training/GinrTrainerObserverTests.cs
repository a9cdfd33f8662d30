namespace WeatherGinr.Training.Tests;

public sealed class GinrTrainerObserverTests
{
    private static readonly TrainingOptions Options = GinrTrainerFitTests.QuickOptions with
    {
        MaxSteps = 120,
        ProgressIntervalSteps = 10,
    };

    [Fact]
    public void Observer_sees_the_live_model_at_every_interval_without_changing_the_training()
    {
        var embedding = new SphericalHarmonicEmbedding(300);
        var samples = SampleFields.TwoSeasons(embedding);
        var architecture = GinrTrainerFitTests.SmallSine with { Outputs = 2 };
        var steps = new List<int>();
        float[]? lastObserved = null;
        var observed = Options with
        {
            ObservationIntervalSteps = 40,
            Observer = observation =>
            {
                steps.Add(observation.Step);
                Assert.True(double.IsFinite(observation.Loss) && observation.Loss > 0, $"loss {observation.Loss}");
                lastObserved = observation.Model.Predict(embedding.Rows, embedding.NodeCount, time: 30.0);
                return false;
            },
        };

        var (plainWeights, plainLosses) = GinrTrainerDeterminismTests.TrainAndExport(samples, architecture, Options);
        var progress = new RecordingProgress();
        using var outcome = new OwnedOutcome(GinrTrainer.Train(samples, architecture, observed, progress));
        var (_, observedWeights) = outcome.Model.ExportParameters();

        // Invariants: calls at steps 40, 80, 120; scoring under no_grad leaves weights and losses bit-identical;
        // the model seen at step 120 is the model returned.
        Assert.Equal([40, 80, 120], steps);
        Assert.Equal(plainLosses, progress.Reports.Select(report => report.Loss));
        Assert.Equal(plainWeights.Length, observedWeights.Length);
        for (var index = 0; index < plainWeights.Length; index++)
        {
            Assert.Equal(plainWeights[index], observedWeights[index]);
        }

        Assert.Equal(outcome.Model.Predict(embedding.Rows, embedding.NodeCount, time: 30.0), lastObserved);
        Assert.Equal("max-steps", outcome.Outcome.StopReason);
    }

    [Fact]
    public void Observer_returning_true_stops_where_a_shorter_run_would_have_ended()
    {
        var samples = SampleFields.TwoSeasons(new SphericalHarmonicEmbedding(300));
        var architecture = GinrTrainerFitTests.SmallSine with { Outputs = 2 };
        var stopping = Options with { ObservationIntervalSteps = 10, Observer = observation => observation.Step >= 30 };

        using var stopped = new OwnedOutcome(GinrTrainer.Train(samples, architecture, stopping));
        var (shortWeights, _) = GinrTrainerDeterminismTests.TrainAndExport(samples, architecture,
            Options with { MaxSteps = 30 });
        var (_, stoppedWeights) = stopped.Model.ExportParameters();

        Assert.Equal(30, stopped.Outcome.Steps);
        Assert.Equal("observer", stopped.Outcome.StopReason);
        for (var index = 0; index < shortWeights.Length; index++)
        {
            Assert.Equal(shortWeights[index], stoppedWeights[index]);
        }
    }

    [Fact]
    public void Observation_interval_below_one_is_refused_before_training()
    {
        var samples = SampleFields.TwoSeasons(new SphericalHarmonicEmbedding(50));
        var architecture = GinrTrainerFitTests.SmallSine with { Outputs = 2 };

        var error = Assert.Throws<ArgumentException>(() =>
            GinrTrainer.Train(samples, architecture, Options with { ObservationIntervalSteps = 0 }));

        Assert.Contains("ObservationIntervalSteps is 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_with_an_observer_still_serialise_to_json_without_it()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Options with { Observer = _ => false });

        Assert.DoesNotContain("Observer", json, StringComparison.Ordinal);
        Assert.Contains("\"ObservationIntervalSteps\":100", json, StringComparison.Ordinal);
    }
}
