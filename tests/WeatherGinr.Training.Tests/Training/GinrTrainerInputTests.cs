namespace WeatherGinr.Training.Tests;

/// <summary>Bad input fails with a clear exception before any training step.</summary>
public sealed class GinrTrainerInputTests
{
    private readonly SphericalHarmonicEmbedding embedding = new(50);

    [Fact]
    public void Infinite_target_is_rejected_naming_the_value()
    {
        var samples = SampleFields.StaticTemperature(embedding);
        samples.Targets[7] = float.PositiveInfinity;

        var error = AssertRejected<ArgumentException>(samples, Static);
        Assert.Equal("samples", error.ParamName);
        Assert.Contains("Targets[7]", error.Message, StringComparison.Ordinal);
        Assert.Contains("node 7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Embedding_of_another_length_is_rejected()
    {
        var samples = SampleFields.StaticTemperature(embedding) with { Embedding = new float[49 * 16] };

        var error = AssertRejected<ArgumentException>(samples, Static);
        Assert.Equal("samples", error.ParamName);
        Assert.Contains("NodeCount x EmbeddingColumns", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Architecture_reading_another_number_of_columns_is_rejected()
    {
        var samples = SampleFields.StaticTemperature(embedding);

        var error = AssertRejected<ArgumentException>(samples, Static with { EmbeddingColumns = 34 });
        Assert.Equal("architecture", error.ParamName);
        Assert.Contains("EmbeddingColumns is 34", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Architecture_with_another_number_of_outputs_is_rejected()
    {
        var samples = SampleFields.StaticTemperature(embedding);

        var error = AssertRejected<ArgumentException>(samples, Static with { Outputs = 3 });
        Assert.Equal("architecture", error.ParamName);
        Assert.Contains("one output per variable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_missing_targets_are_rejected()
    {
        var samples = SampleFields.StaticTemperature(embedding);
        Array.Fill(samples.Targets, float.NaN);

        var error = AssertRejected<ArgumentException>(samples, Static);
        Assert.Contains("no valid value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Times_out_of_order_are_rejected()
    {
        var samples = SampleFields.TwoSeasons(embedding) with { Times = [30.0, 0.0] };

        var error = AssertRejected<ArgumentException>(samples, Static with { ConditioningColumns = 1, Outputs = 2 });
        Assert.Contains("strictly increasing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_times_without_a_time_input_are_rejected()
    {
        var samples = SampleFields.TwoSeasons(embedding);

        var error = AssertRejected<ArgumentException>(samples, Static with { Outputs = 2 });
        Assert.Equal("architecture", error.ParamName);
    }

    [Fact]
    public void Nonsense_options_are_rejected_naming_the_setting()
    {
        var samples = SampleFields.StaticTemperature(embedding);

        var error = Assert.Throws<ArgumentException>(() => GinrTrainer.Train(samples, Static,
            new TrainingOptions(BatchSize: 0)));
        Assert.Equal("options", error.ParamName);
        Assert.Contains("BatchSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_learning_rate_that_makes_the_loss_diverge_is_told_as_such_naming_the_rate()
    {
        var samples = SampleFields.StaticTemperature(embedding);

        var error = Assert.Throws<TrainingDivergedException>(() => GinrTrainer.Train(samples, Static,
            GinrTrainerFitTests.QuickOptions with { LearningRate = 1e10, MaxSteps = 200 }));

        Assert.Matches(@"^the training loss became (NaN|∞|-∞|Infinity|-Infinity) at step \d+ " +
            @"at learning rate 1E\+10; " +
            "lower the learning rate or check the samples for extreme values$", error.Message);
    }

    private static GinrArchitecture Static => GinrTrainerFitTests.SmallSine with { ConditioningColumns = 0 };

    private static TException AssertRejected<TException>(SpatioTemporalSamples samples,
        GinrArchitecture architecture)
        where TException : Exception
    {
        var progress = new RecordingProgress();
        var error = Assert.Throws<TException>(() => GinrTrainer.Train(samples, architecture,
            GinrTrainerFitTests.QuickOptions with { ProgressIntervalSteps = 1 }, progress));
        Assert.Empty(progress.Reports);
        return error;
    }
}
