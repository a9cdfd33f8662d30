namespace WeatherGinr.Training.Tests;

public sealed class GinrTrainerDeterminismTests
{
    private static readonly TrainingOptions Options = GinrTrainerFitTests.QuickOptions with
    {
        MaxSteps = 120,
        ProgressIntervalSteps = 10,
    };

    [Fact]
    public void Same_seed_gives_identical_weights_and_losses()
    {
        var samples = SampleFields.TwoSeasons(new SphericalHarmonicEmbedding(300));
        var architecture = GinrTrainerFitTests.SmallSine with { Outputs = 2 };

        var (firstWeights, firstLosses) = TrainAndExport(samples, architecture, Options);
        var (secondWeights, secondLosses) = TrainAndExport(samples, architecture, Options);

        Assert.Equal(firstLosses, secondLosses);
        Assert.Equal(firstWeights.Length, secondWeights.Length);
        for (var index = 0; index < firstWeights.Length; index++)
        {
            Assert.Equal(firstWeights[index], secondWeights[index]);
        }
    }

    [Fact]
    public void Another_seed_gives_other_weights()
    {
        var samples = SampleFields.TwoSeasons(new SphericalHarmonicEmbedding(300));
        var architecture = GinrTrainerFitTests.SmallSine with { Outputs = 2 };

        var (firstWeights, _) = TrainAndExport(samples, architecture, Options with { MaxSteps = 5 });
        var (secondWeights, _) = TrainAndExport(samples, architecture, Options with { MaxSteps = 5, Seed = 2 });

        Assert.NotEqual(firstWeights[0], secondWeights[0]);
    }

    internal static (float[][] Weights, double[] Losses) TrainAndExport(SpatioTemporalSamples samples,
        GinrArchitecture architecture, TrainingOptions options)
    {
        var progress = new RecordingProgress();
        using var outcome = new OwnedOutcome(GinrTrainer.Train(samples, architecture, options, progress));
        var (_, values) = outcome.Model.ExportParameters();
        return (values, progress.Reports.Select(report => report.Loss).ToArray());
    }
}
