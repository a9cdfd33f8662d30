namespace WeatherGinr.Training.Tests;

public sealed class GinrTrainerCheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("ginr-checkpoint-").FullName;
    private readonly SpatioTemporalSamples samples = SampleFields.TwoSeasons(new SphericalHarmonicEmbedding(300));
    private readonly GinrArchitecture architecture = GinrTrainerFitTests.SmallSine with { Outputs = 2 };

    // Short plateau windows with no patience, so the learning rate changes (and must be restored) in the run.
    private readonly TrainingOptions options = GinrTrainerFitTests.QuickOptions with
    {
        MaxSteps = 100,
        PlateauWindowSteps = 5,
        PlateauPatience = 0,
        PlateauThreshold = 0.2,
        ProgressIntervalSteps = 5,
    };

    [Fact]
    public void A_run_interrupted_after_a_checkpoint_resumes_to_the_uninterrupted_result()
    {
        var (expected, expectedLosses) = GinrTrainerDeterminismTests.TrainAndExport(samples, architecture, options);
        var path = Path.Combine(folder, "run.ckpt");

        // The worker "dies" at step 50, right after its checkpoint at step 50.
        using var cancellation = new CancellationTokenSource();
        var firstProgress = new CallbackProgress(report =>
        {
            if (report.Step == 50)
            {
                cancellation.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => GinrTrainer.Train(samples, architecture,
            options with { CheckpointPath = path, CheckpointIntervalSteps = 25 }, firstProgress, cancellation.Token));

        var resumedProgress = new RecordingProgress();
        using var resumed = new OwnedOutcome(GinrTrainer.Resume(samples, architecture, path, options, resumedProgress));
        var (_, actual) = resumed.Model.ExportParameters();

        Assert.Equal(100, resumed.Outcome.Steps);
        Assert.True(resumed.Outcome.FinalLearningRate < options.LearningRate, "the schedule should have acted");
        Assert.Equal(expectedLosses[10..], resumedProgress.Reports.Select(report => report.Loss));
        for (var index = 0; index < expected.Length; index++)
        {
            Assert.Equal(expected[index], actual[index]);
        }
    }

    [Fact]
    public void Resuming_with_another_architecture_is_rejected_before_training()
    {
        var path = WriteCheckpoint();
        var progress = new RecordingProgress();

        var error = Assert.Throws<InvalidOperationException>(() => GinrTrainer.Resume(samples,
            architecture with { Width = 32 }, path, options, progress));
        Assert.Contains("another model shape", error.Message, StringComparison.Ordinal);
        Assert.Empty(progress.Reports);
    }

    [Fact]
    public void Resuming_on_other_samples_is_rejected_before_training()
    {
        var path = WriteCheckpoint();
        var other = SampleFields.TwoSeasons(new SphericalHarmonicEmbedding(200));

        var error = Assert.Throws<InvalidOperationException>(() => GinrTrainer.Resume(other, architecture, path,
            options));
        Assert.Contains("300 nodes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resuming_from_a_saved_model_without_training_state_is_rejected()
    {
        using var trained = new OwnedOutcome(GinrTrainer.Train(samples, architecture, options with { MaxSteps = 2 }));
        var path = Path.Combine(folder, "plain.ginr");
        trained.Model.Save(path);

        var error = Assert.Throws<InvalidOperationException>(() => GinrTrainer.Resume(samples, architecture, path,
            options));
        Assert.Contains("without training state", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_training_checkpoint_also_loads_as_a_model()
    {
        var path = WriteCheckpoint();

        using var model = GinrModel.Load(path);
        Assert.Equal(architecture, model.Architecture);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string WriteCheckpoint()
    {
        var path = Path.Combine(folder, "short.ckpt");
        using var outcome = new OwnedOutcome(GinrTrainer.Train(samples, architecture, options with
        {
            MaxSteps = 3,
            CheckpointPath = path,
        }));
        return path;
    }

    private sealed class CallbackProgress(Action<TrainingProgress> callback) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => callback(value);
    }
}
