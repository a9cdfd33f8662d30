using Microsoft.Extensions.DependencyInjection;
using WeatherGinr.Grains.Abstractions;
using static WeatherGinr.Tests.Shared.TrainingRuns;

namespace WeatherGinr.Host.Tests.Http;

/// <summary>
/// Two small models of one dataset, trained once for every test of the collection: the same network shape and
/// data, different seeds, so that they answer differently at the same point. Tests serve copies of the folder.
/// </summary>
public sealed class TrainedModels : IAsyncLifetime
{
    private readonly string template = Directory.CreateTempSubdirectory("wginr-trained-").FullName;

    /// <summary>The first model's id ("alpha.{job}").</summary>
    public string Alpha { get; private set; } = "";

    /// <summary>The second model's id ("beta.{job}").</summary>
    public string Beta { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var app = WeatherGinrHost.Build(
            new WeatherGinrHostOptions { DataRoot = template, HttpUrl = "http://127.0.0.1:0" });
        await app.StartAsync();
        try
        {
            var grains = app.Services.GetRequiredService<IGrainFactory>();
            var report = await grains.GetGrain<IDatasetGrain>("serving")
                .Ingest(new IngestRequest([SampleFile("tas_rectilinear_grid_2D.nc")]));
            Assert.Empty(report.Failures);
            Alpha = await Train(grains, "alpha", seed: 1);
            Beta = await Train(grains, "beta", seed: 2);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>
    /// A copy of the trained folder in <paramref name="root"/>, its descriptors naming the copy's files (they hold
    /// absolute paths).
    /// </summary>
    /// <summary>
    /// Copies the trained folder to <paramref name="root"/>; with <paramref name="rewritePaths"/> the descriptors'
    /// paths are made to name the copy's files, otherwise they still name the original's, as a plain copy's do.
    /// </summary>
    public void CopyTo(string root, bool rewritePaths = true)
    {
        foreach (var file in Directory.EnumerateFiles(template, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(template, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        foreach (var descriptor in Directory.EnumerateFiles(Path.Combine(root, "models"), "*.json")
            .Where(_ => rewritePaths))
        {
            var text = File.ReadAllText(descriptor);
            File.WriteAllText(descriptor, text.Replace(template, root, StringComparison.Ordinal));
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(template, recursive: true);
        return Task.CompletedTask;
    }

    private static async Task<string> Train(IGrainFactory grains, string runId, int seed)
    {
        var run = grains.GetGrain<ITrainingRunGrain>(runId);
        await run.Start(new TrainingRunRequest("serving", MeshLevel: 2, EmbeddingColumns: 16, HeldOutFraction: 0.1,
            new TrainingSettings(Layers: 2, Width: 16, Activation: "Sine", LearningRate: 1e-3, BatchSize: 256,
                MaxSteps: 30, TimeBudgetSeconds: 60, Seed: seed)));
        var job = await WaitFor(run, s => s.State is JobState.Succeeded or JobState.Failed, $"run {runId}");
        Assert.Equal(JobState.Succeeded, job.State);
        return job.ModelId!;
    }
}

[CollectionDefinition(Name)]
public sealed class TrainedModelsCollection : ICollectionFixture<TrainedModels>
{
    public const string Name = "trained models";
}
