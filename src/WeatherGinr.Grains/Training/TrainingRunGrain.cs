using System.Text;
using Microsoft.Extensions.Logging;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Spectral;
using WeatherGinr.Grains.Storage;

namespace WeatherGinr.Grains.Training;

/// <inheritdoc cref="ITrainingRunGrain"/>
/// <remarks>
/// The run's status is written to <c>runs/{run}/status.json</c> whenever a job changes state, so an
/// operator (or a restarted silo) can read where it stood.
/// </remarks>
public sealed partial class TrainingRunGrain(DataFolder dataFolder, ILogger<TrainingRunGrain> logger)
    : Grain, ITrainingRunGrain
{
    private TrainingRunRequest? request;
    private readonly List<JobStatus> jobs = [];

    private string RunId => this.GetPrimaryKeyString();

    public async Task<TrainingRunStatus> Start(TrainingRunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (this.request is not null)
        {
            return this.request == request ? Status() : throw new InvalidOperationException(
                $"run '{RunId}' was already started with other settings; choose another run id");
        }

        DataFolder.SafeName(RunId, "run id");
        TrainingSettingsCheck.Validate(request);
        var dataset = await GrainFactory.GetGrain<IDatasetGrain>(request.Dataset).Describe();
        if (dataset.Variables.Count == 0)
        {
            throw new ArgumentException($"dataset '{request.Dataset}' holds no variables; ingest files first",
                nameof(request));
        }

        var embedding = await GrainFactory
            .GetGrain<IEmbeddingGrain>(EmbeddingGrain.KeyFor(request.MeshLevel, request.EmbeddingColumns)).Ensure();
        this.request = request;
        DelayDeactivation(TimeSpan.FromDays(1));

        // Variables that share a time axis learn together in one network (conditioned on that time).
        var groups = dataset.Variables
            .GroupBy(v => (v.FirstTimeUtc, v.LastTimeUtc, v.TimeCount))
            .Select(g => g.OrderBy(v => v.Name, StringComparer.Ordinal).ToArray())
            .ToArray();
        LogRunStarted(logger, RunId, request.Dataset, groups.Length, embedding.Id);

        foreach (var variables in groups)
        {
            var jobId = JobIdFor(variables);
            var job = new TrainingJob(RunId, jobId, variables, embedding, request.HeldOutFraction, request.Settings,
                dataFolder.RunJob(RunId, jobId));
            jobs.Add(new JobStatus(jobId, variables.Select(v => v.Name).ToArray(), JobState.Pending, 0,
                request.Settings.MaxSteps, double.NaN, null, null, [], null, 0, null));
            await GrainFactory.GetGrain<ITrainingWorkerGrain>($"{RunId}.{jobId}").Accept(job);
            LogJobDispatched(logger, jobId, RunId);
        }

        Persist();
        return Status();
    }

    public Task<TrainingRunStatus> GetStatus() => Task.FromResult(Status());

    public Task ReportProgress(JobStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var index = jobs.FindIndex(j => j.JobId == status.JobId);
        if (index < 0)
        {
            return Task.CompletedTask;
        }

        // A late progress message must not turn a finished job back into a running one.
        var previous = jobs[index];
        if (previous.State is JobState.Succeeded or JobState.Failed)
        {
            return Task.CompletedTask;
        }

        jobs[index] = status;
        if (status.State != previous.State)
        {
            Persist();
            var run = Status();
            if (run.State is JobState.Succeeded or JobState.Failed)
            {
                LogRunFinished(logger, RunId, run.State);
            }
        }

        return Task.CompletedTask;
    }

    private TrainingRunStatus Status()
    {
        var state = jobs.Count == 0 ? JobState.Pending
            : jobs.All(j => j.State == JobState.Succeeded) ? JobState.Succeeded
            : jobs.All(j => j.State is JobState.Succeeded or JobState.Failed) ? JobState.Failed
            : jobs.Any(j => j.State != JobState.Pending) ? JobState.Running
            : JobState.Pending;
        return new TrainingRunStatus(RunId, state, jobs.ToArray());
    }

    private void Persist() =>
        AtomicFile.WriteJson(Path.Combine(dataFolder.Runs, RunId, "status.json"), new { request, status = Status() });

    private static string JobIdFor(IEnumerable<DatasetVariable> variables)
    {
        var id = new StringBuilder();
        foreach (var c in string.Join('-', variables.Select(v => v.Name)).ToLowerInvariant())
        {
            id.Append(char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_');
        }

        return id.Length <= 80 ? id.ToString() : id.ToString(0, 80);
    }
}
