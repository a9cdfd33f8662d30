using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using WeatherGinr.Grains.Abstractions;
using static WeatherGinr.Tests.Shared.TrainingRuns;

namespace WeatherGinr.Host.Tests;

/// <summary>
/// The embedded process is a whole cluster on its own: a run it left unfinished when it stopped (a demo stopped
/// with Ctrl+C) is not taken for one still going on by the next process over the same data folder, which may start
/// that run id again with other settings and trains it.
/// </summary>
public sealed class EmbeddedRunRestartTests : IDisposable
{
    private readonly string dataRoot = Directory.CreateTempSubdirectory("wginr-embedded-restart-").FullName;

    public void Dispose() => Directory.Delete(dataRoot, recursive: true);

    [Fact]
    public async Task ARunAnEarlierProcessLeftUnfinishedIsStartedAfreshNotResumed()
    {
        var endless = Settings(timeBudgetSeconds: 600);
        await using (var first = await Started())
        {
            var run = await StartRun(first, endless);
            await WaitFor(run, s => s is { State: JobState.Running, Step: > 0 }, "the first process to train");
            await first.StopAsync(); // mid-training, as Ctrl+C would
        }

        Assert.True(File.Exists(Path.Combine(dataRoot, "runs", "restart-run", "run.state")));

        await using var second = await Started();
        var again = await StartRun(second, Settings(timeBudgetSeconds: 3));
        var done = await WaitFor(again, s => s.State is JobState.Succeeded or JobState.Failed, "the second run");

        Assert.Equal(JobState.Succeeded, done.State);
        Assert.Equal(0, done.Attempt);
        await second.StopAsync();
    }

    private async Task<WebApplication> Started()
    {
        var app = WeatherGinrHost.Build(
            new WeatherGinrHostOptions { DataRoot = dataRoot, HttpUrl = "http://127.0.0.1:0" });
        await app.StartAsync();
        return app;
    }

    private static TrainingSettings Settings(double timeBudgetSeconds) =>
        new(Layers: 2, Width: 16, Activation: "Sine", LearningRate: 1e-3, BatchSize: 256, MaxSteps: 10_000_000,
            TimeBudgetSeconds: timeBudgetSeconds, Seed: 3);

    private static async Task<ITrainingRunGrain> StartRun(WebApplication app, TrainingSettings settings)
    {
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var report = await grains.GetGrain<IDatasetGrain>("restart")
            .Ingest(new IngestRequest([SampleFile("tas_rectilinear_grid_2D.nc")]));
        Assert.Empty(report.Failures);
        var run = grains.GetGrain<ITrainingRunGrain>("restart-run");
        await run.Start(new TrainingRunRequest("restart", MeshLevel: 2, EmbeddingColumns: 16, HeldOutFraction: 0.1,
            settings));
        return run;
    }
}
