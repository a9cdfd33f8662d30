using Xunit.Abstractions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Training;
using static WeatherGinr.Tests.Shared.TrainingRuns;

namespace WeatherGinr.Grains.Tests.Cluster;

/// <summary>
/// Training through a real three-silo TestingHost cluster: the primary silo takes no training work, the two others
/// do. A run's job is trained on one of them; when that silo leaves the cluster (shut down, or killed without a
/// word) the run hands the job to the other, which trains it to the end and registers a model that answers.
/// Each test builds its own cluster, since it takes a silo away.
/// </summary>
public sealed class TrainingWorkerLossTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string DataRootKey = "WeatherGinr:DataRoot";

    private readonly string dataRoot = Directory.CreateTempSubdirectory("wginr-worker-loss-").FullName;
    private TestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 3);
        builder.Properties[DataRootKey] = dataRoot;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
        Directory.Delete(dataRoot, recursive: true);
    }

    [Theory]
    [InlineData(false)] // the silo shuts down: its worker is cancelled and tells the run
    [InlineData(true)] // the silo is killed: nothing is said; the run sees the cluster declare it dead
    public async Task AJobWhoseSiloLeavesIsTrainedToTheEndOnAnother(bool kill)
    {
        var run = await StartRun("loss");
        var first = await WaitFor(run, s => s is { State: JobState.Running, Step: > 0 }, "the first attempt to train");
        Assert.Equal(0, first.Attempt);
        var lost = cluster.Silos.Single(s => s.SiloAddress.ToString() == first.Silo);
        Assert.NotEqual(cluster.Primary, lost); // the primary takes no training work

        if (kill)
        {
            await cluster.KillSiloAsync(lost);
        }
        else
        {
            await cluster.StopSiloAsync(lost);
        }

        var done = await WaitFor(run, s => s.State is JobState.Succeeded or JobState.Failed, "the job to finish");
        output.WriteLine($"first: {first}");
        output.WriteLine($"done: {done}");

        Assert.Equal(JobState.Succeeded, done.State);

        // Attempt 1 when the run saw the silo die; attempt 0 again when the run lived on that silo too and resumed
        // from its state file, handing the job to a fresh worker of the same attempt.
        Assert.InRange(done.Attempt, 0, 1);
        Assert.NotEqual(first.Silo, done.Silo);
        Assert.NotEqual(cluster.Primary!.SiloAddress.ToString(), done.Silo);
        Assert.Null(done.Error);

        // The model the second attempt registered answers a query, with a temperature no weather could not have.
        var values = await cluster.GrainFactory.GetGrain<IModelGrain>(done.ModelId!)
            .Query([new PointQuery(10, 20, new DateTimeOffset(2005, 6, 16, 0, 0, 0, TimeSpan.Zero))]);
        Assert.InRange(Assert.Single(Assert.Single(values).Values), 180, 340);
    }

    [Fact]
    public async Task ARunWhoseSiloIsKilledGoesOnFromItsStateFileElsewhere()
    {
        // The run must live on a silo that may be killed, not the primary: started from inside a training silo,
        // it is placed there (runs prefer their caller's silo). Moved once to show that a new activation picks up
        // from the state file (deactivated, then called again: the same path a lost silo takes).
        var doomed = cluster.Silos.First(s => !s.Equals(cluster.Primary));
        var grains = ((InProcessSiloHandle)doomed).SiloHost.Services.GetRequiredService<IGrainFactory>();
        var run = await StartRun("resume", grains);
        await WaitFor(run, s => s is { State: JobState.Running, Step: > 0 }, "the job to train");
        var management = cluster.GrainFactory.GetGrain<IManagementGrain>(0);
        await management.DeactivateGrain(run.GetGrainId());
        Assert.Single((await run.GetStatus()).Jobs);
        Assert.Equal(doomed.SiloAddress, await management.GetActivationAddress(run));

        await cluster.KillSiloAsync(doomed);

        // Asked again through the cluster's client: a new activation elsewhere reads the run's state file.
        var resumed = cluster.GrainFactory.GetGrain<ITrainingRunGrain>(run.GetPrimaryKeyString());
        var done = await WaitFor(resumed, s => s.State is JobState.Succeeded or JobState.Failed, "the job to finish");
        output.WriteLine($"run was on {doomed.SiloAddress}; done: {done}");

        Assert.Equal(JobState.Succeeded, done.State);
        Assert.NotEqual(doomed.SiloAddress.ToString(), done.Silo);
        Assert.NotEqual(doomed.SiloAddress, await management.GetActivationAddress(resumed));
        var values = await cluster.GrainFactory.GetGrain<IModelGrain>(done.ModelId!)
            .Query([new PointQuery(-30, 140, new DateTimeOffset(2005, 1, 16, 0, 0, 0, TimeSpan.Zero))]);
        Assert.InRange(Assert.Single(Assert.Single(values).Values), 180, 340);
    }

    [Fact]
    public async Task ADamagedStateFileDoesNotMakeTheRunIdUnusable()
    {
        var state = Path.Combine(dataRoot, "runs", "damaged-run", "run.state");
        Directory.CreateDirectory(Path.GetDirectoryName(state)!);
        await File.WriteAllBytesAsync(state, [0x42, 0x00, 0xff, 0x13, 0x37]);

        var status = await cluster.GrainFactory.GetGrain<ITrainingRunGrain>("damaged-run").GetStatus();
        var run = await StartRun("damaged");
        var done = await WaitFor(run, s => s.State is JobState.Succeeded or JobState.Failed, "the job to finish");

        Assert.Empty(status.Jobs);
        Assert.Equal(JobState.Succeeded, done.State);
    }

    [Fact]
    public async Task AJobHandedAgainToAWorkerThatFinishedItIsNotTrainedTwice()
    {
        // What a run that resumed elsewhere does for a job whose success it never heard: the worker tells it again.
        var run = await StartRun("again");
        var done = await WaitFor(run, s => s.State is JobState.Succeeded or JobState.Failed, "the job to finish");
        Assert.Equal(JobState.Succeeded, done.State);
        var serializer = ((InProcessSiloHandle)cluster.Primary!).SiloHost.Services
            .GetRequiredService<Orleans.Serialization.Serializer>();
        var state = serializer.Deserialize<TrainingRunState>(
            await File.ReadAllBytesAsync(Path.Combine(dataRoot, "runs", "again-run", "run.state")));
        var job = Assert.Single(state!.Dispatched).Job; // the job exactly as the run handed it out
        var checkpoint = Path.Combine(TrainingJobExecution.OutputFolderOf(job), "model.ginr");
        var written = File.GetLastWriteTimeUtc(checkpoint);

        var silo = await cluster.GrainFactory.GetGrain<ITrainingWorkerGrain>($"again-run.tas.{job.StartId}")
            .Accept(job);
        await Task.Delay(TimeSpan.FromSeconds(8)); // a second training takes about 4 s here

        Assert.Equal(done.Silo, silo.ToString());
        Assert.Equal(written, File.GetLastWriteTimeUtc(checkpoint));
        Assert.Equal(JobState.Succeeded, Assert.Single((await run.GetStatus()).Jobs).State);
    }

    [Fact]
    public async Task ARunStartedAgainUnderItsIdWithOtherSettingsTrainsAgain()
    {
        // Once a finished run's activation is gone, its id may be started afresh: new workers train the new settings
        // (the first start's worker, still active, would only have repeated its outcome).
        var first = await WaitFor(await StartRun("twice"), s => s.State is JobState.Succeeded or JobState.Failed,
            "the first start to finish");
        var firstModel = await cluster.GrainFactory.GetGrain<IModelGrain>(first.ModelId!).Describe();
        var run = cluster.GrainFactory.GetGrain<ITrainingRunGrain>("twice-run");
        await cluster.GrainFactory.GetGrain<IManagementGrain>(0).DeactivateGrain(run.GetGrainId());

        await run.Start(new TrainingRunRequest("twice", MeshLevel: 2, EmbeddingColumns: 16, HeldOutFraction: 0.1,
            Settings with { Layers = 2, Width = 8, MaxSteps = 50 }));
        var second = await WaitFor(run, s => s.State is JobState.Succeeded or JobState.Failed, "the second start");

        Assert.Equal(JobState.Succeeded, first.State);
        Assert.Equal(JobState.Succeeded, second.State);
        Assert.Equal(50, second.Step);
        var model = await cluster.GrainFactory.GetGrain<IModelGrain>(second.ModelId!).Describe();
        Assert.True(model.ParameterCount < 500, $"the second start's model has {model.ParameterCount} parameters");

        // Each start wrote a folder of its own, so the first model's files stayed whole while the second trained;
        // once the second was registered, the first's went.
        var firstFolder = Path.GetDirectoryName(firstModel.CheckpointPath)!;
        var secondFolder = Path.GetDirectoryName(model.CheckpointPath)!;
        Assert.NotEqual(firstFolder, secondFolder);
        Assert.Equal(Path.GetDirectoryName(firstFolder), Path.GetDirectoryName(secondFolder));
        Assert.False(Directory.Exists(firstFolder), "the first start's files are removed");
        Assert.Equal(["coverage.bin", "model.ginr"],
            Directory.GetFiles(secondFolder).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task ARunWhoseStateCannotBeStoredStillTrainsToTheEnd()
    {
        // A folder where status.json belongs makes every store fail, as a full disk does. Those failures stalled
        // the jobs: a worker's first report threw and it never trained, and the run answered Running forever.
        Directory.CreateDirectory(Path.Combine(dataRoot, "runs", "unstored-run", "status.json"));

        var run = await StartRun("unstored");
        var done = await WaitFor(run, s => s.State is JobState.Succeeded or JobState.Failed, "the job to finish");

        Assert.Equal(JobState.Succeeded, done.State);
        var values = await cluster.GrainFactory.GetGrain<IModelGrain>(done.ModelId!)
            .Query([new PointQuery(10, 20, new DateTimeOffset(2005, 6, 16, 0, 0, 0, TimeSpan.Zero))]);
        Assert.InRange(Assert.Single(Assert.Single(values).Values), 180, 340);
    }

    [Fact]
    public async Task ReportsFromAnAttemptTheRunHasReplacedAreIgnored()
    {
        var run = await StartRun("stale");
        var current = await WaitFor(run, s => s.State is JobState.Running, "the job to start");

        // As a worker of attempt 2 (which the run never dispatched) would report: its success must not count.
        await run.ReportProgress(current with { State = JobState.Succeeded, Attempt = current.Attempt + 1 });
        await run.ReportInterrupted(current.JobId, current.Attempt + 1, "a worker the run does not know");

        var after = Assert.Single((await run.GetStatus()).Jobs);
        Assert.Equal(current.Attempt, after.Attempt);
        Assert.NotEqual(JobState.Succeeded, after.State);
        Assert.NotEqual(JobState.Failed, after.State);
    }

    /// <summary>
    /// Long enough to be caught training (8 s budget, steps without end), small enough to train twice.
    /// </summary>
    private static TrainingSettings Settings { get; } = new(Layers: 3, Width: 32, Activation: "Sine",
        LearningRate: 1e-3, BatchSize: 512, MaxSteps: 1_000_000, TimeBudgetSeconds: 8, Seed: 7);

    private async Task<ITrainingRunGrain> StartRun(string name, IGrainFactory? through = null)
    {
        var grains = through ?? cluster.GrainFactory;
        var report = await grains.GetGrain<IDatasetGrain>(name)
            .Ingest(new IngestRequest([SampleFile("tas_rectilinear_grid_2D.nc")]));
        Assert.Empty(report.Failures);

        var run = grains.GetGrain<ITrainingRunGrain>($"{name}-run");
        await run.Start(new TrainingRunRequest(name, MeshLevel: 2, EmbeddingColumns: 16, HeldOutFraction: 0.1,
            Settings));
        return run;
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddMemoryGrainStorageAsDefault();
            siloBuilder.UseInMemoryReminderService();
            siloBuilder.AddWeatherGinrGrains(siloBuilder.Configuration[DataRootKey]!, hasAccelerator: false,
                trains: siloBuilder.Configuration["Orleans:Name"] != "Primary");
        }
    }
}
