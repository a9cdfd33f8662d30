using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Placement;
using Orleans.Serialization;
using Microsoft.Extensions.Logging;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Spectral;
using WeatherGinr.Grains.Storage;

namespace WeatherGinr.Grains.Training;

/// <inheritdoc cref="ITrainingRunGrain"/>
/// <remarks>
/// The run's status is written to <c>runs/{run}/status.json</c> whenever a job changes state, so an operator can
/// read where it stood, and its whole state (request, jobs, the silo each went to) to <c>runs/{run}/run.state</c>
/// in Orleans' own serialization: when the silo that held the run is lost, the next call activates the run
/// elsewhere from that file, and it goes on (its workers keep reporting to it; jobs whose silo was lost too are
/// dispatched again).
/// </remarks>
[PreferLocalPlacement] // a light coordinator: beside whoever started it and polls it, one hop fewer
public sealed partial class TrainingRunGrain(
    DataFolder dataFolder, IClusterMembershipService membership, Serializer serializer,
    IOptions<ClusterOptions> cluster, ILogger<TrainingRunGrain> logger)
    : Grain, ITrainingRunGrain
{
    /// <summary>Dispatches of one job in all (the first and the ones after losing a worker) before it fails.</summary>
    public const int MaxAttempts = 3;

    /// <summary>How often the run looks at the silos its unfinished jobs were handed to.</summary>
    public static readonly TimeSpan WorkerCheckInterval = TimeSpan.FromSeconds(2);

    private TrainingRunRequest? request;
    private readonly List<JobStatus> jobs = [];

    /// <summary>Each job as last handed out, and the silo its worker took it on.</summary>
    private readonly Dictionary<string, (TrainingJob Job, SiloAddress Silo)> dispatched = new(StringComparer.Ordinal);
    private IGrainTimer? workerCheck;
    private bool stateNotStored;
    private bool resuming;

    private string RunId => this.GetPrimaryKeyString();

    private string StatePath => Path.Combine(dataFolder.Runs, RunId, "run.state");

    /// <summary>
    /// A run this cluster started and has not finished (its silo since lost) picks up from its state file. A
    /// finished run, or one another cluster left (an earlier embedded process), is history: starting the id again
    /// starts a new run.
    /// </summary>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!DataFolder.IsSafeName(RunId) || !File.Exists(StatePath))
        {
            return Task.CompletedTask; // a bad run id is refused by Start, and has no state to read
        }

        TrainingRunState? state;
        try
        {
            state = serializer.Deserialize<TrainingRunState>(File.ReadAllBytes(StatePath));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A damaged file must not make the run id unusable: it is set aside, and the run starts afresh.
            LogStateUnreadable(logger, e, RunId, StatePath);
            return Task.CompletedTask;
        }

        if (state is null || state.ClusterId != cluster.Value.ClusterId
            || state.Jobs.All(j => j.State is JobState.Succeeded or JobState.Failed))
        {
            return Task.CompletedTask;
        }

        request = state.Request;
        jobs.AddRange(state.Jobs);
        foreach (var (job, silo) in state.Dispatched)
        {
            dispatched[job.JobId] = (job, silo);
        }

        if (Status().State is JobState.Pending or JobState.Running)
        {
            DelayDeactivation(TimeSpan.FromDays(1));
            LogRunResumed(logger, RunId, jobs.Count(j => j.State is JobState.Pending or JobState.Running));
            resuming = true;
            workerCheck = this.RegisterGrainTimer(CheckWorkers, TimeSpan.Zero, WorkerCheckInterval);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// After a resume, each unfinished job is handed to its worker again: a worker still training answers that it
    /// has the job (a no-op); one lost with the run's silo is activated afresh and trains it; one that cannot be
    /// reached counts as lost.
    /// </summary>
    private async Task Resume()
    {
        foreach (var (job, _) in dispatched.Values.ToArray())
        {
            if (jobs.Find(j => j.JobId == job.JobId) is not { State: JobState.Pending or JobState.Running })
            {
                continue;
            }

            try
            {
                await Dispatch(job);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                await Redispatch(job.JobId, $"its worker could not be reached after the run moved: {e.Message}");
            }
        }

        Persist();
    }

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

        var startId = Guid.NewGuid().ToString("N")[..12];
        try
        {
            foreach (var variables in groups)
            {
                var jobId = JobIdFor(variables);
                var job = new TrainingJob(RunId, jobId, variables, embedding, request.HeldOutFraction,
                    request.Settings, dataFolder.RunJob(RunId, jobId)) { StartId = startId };
                jobs.Add(new JobStatus(jobId, variables.Select(v => v.Name).ToArray(), JobState.Pending, 0,
                    request.Settings.MaxSteps, double.NaN, null, null, [], null, 0, null));
                await Dispatch(job);
            }
        }
        catch
        {
            // Not started after all (no silo took a job): the caller may start it again, and a job already handed
            // out is then a no-op for the worker that has it. Left half-set, the run answered Pending forever.
            this.request = null;
            jobs.Clear();
            dispatched.Clear();
            throw;
        }

        workerCheck = this.RegisterGrainTimer(CheckWorkers, WorkerCheckInterval, WorkerCheckInterval);
        Persist();
        return Status();
    }

    /// <summary>
    /// Hands the job to its worker (a new grain per start and attempt) and notes the silo that took it.
    /// </summary>
    private async Task Dispatch(TrainingJob job)
    {
        var key = $"{RunId}.{job.JobId}.{job.StartId}" + (job.Attempt == 0 ? "" : $".{job.Attempt}");
        var silo = await GrainFactory.GetGrain<ITrainingWorkerGrain>(key).Accept(job);
        var siloName = silo.ToString();
        dispatched[job.JobId] = (job, silo);
        var index = jobs.FindIndex(j => j.JobId == job.JobId);
        jobs[index] = jobs[index] with { Silo = siloName, Attempt = job.Attempt };
        LogJobDispatched(logger, job.JobId, RunId, job.Attempt, siloName);
    }

    /// <summary>
    /// Every few seconds while jobs are unfinished: a job whose worker's silo the cluster has declared dead is
    /// handed to a new worker (a silo that crashed never says so itself).
    /// </summary>
    private async Task CheckWorkers(CancellationToken cancellationToken)
    {
        if (resuming)
        {
            resuming = false;
            await Resume();
        }

        var snapshot = membership.CurrentSnapshot;
        foreach (var (jobId, (_, silo)) in dispatched.ToArray())
        {
            var state = jobs.Find(j => j.JobId == jobId)!.State;
            if (state is JobState.Pending or JobState.Running && snapshot.GetSiloStatus(silo) == SiloStatus.Dead)
            {
                await Redispatch(jobId, $"its worker's silo {silo} left the cluster");
            }
        }

        if (Status().State is JobState.Succeeded or JobState.Failed)
        {
            workerCheck?.Dispose();
            workerCheck = null;
        }
    }

    public async Task ReportInterrupted(string jobId, int attempt, string reason)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        if (jobs.Find(j => j.JobId == jobId) is { State: JobState.Pending or JobState.Running } current
            && current.Attempt == attempt)
        {
            LogJobInterrupted(logger, jobId, RunId, attempt, reason);
            await Redispatch(jobId, $"its worker was interrupted ({reason})");
        }
    }

    /// <summary>
    /// The job again, from the start, on a new worker; after <see cref="MaxAttempts"/> dispatches it fails with
    /// the reason. A dispatch that fails (no silo takes training work just now) is tried again at the next check.
    /// </summary>
    private async Task Redispatch(string jobId, string reason)
    {
        var (job, silo) = dispatched[jobId];
        var index = jobs.FindIndex(j => j.JobId == jobId);
        var next = job with { Attempt = job.Attempt + 1 };
        if (next.Attempt >= MaxAttempts)
        {
            LogJobGivenUp(logger, jobId, RunId, MaxAttempts, reason);
            jobs[index] = jobs[index] with
            {
                State = JobState.Failed, Error = $"{reason}; given up after {MaxAttempts} attempts",
            };
            Persist();
            return;
        }

        LogJobRedispatched(logger, jobId, RunId, next.Attempt, reason);
        jobs[index] = jobs[index] with
        {
            State = JobState.Pending, Step = 0, Loss = double.NaN, Seconds = 0, Device = null, Silo = null,
            Attempt = next.Attempt, Error = $"attempt {next.Attempt + 1}: {reason}",
        };
        try
        {
            await Dispatch(next);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Counted as an attempt; the dead silo stays on record so that the next check tries again.
            dispatched[jobId] = (next, silo);
            jobs[index] = jobs[index] with { Error = $"attempt {next.Attempt + 1}: {reason}; could not be handed " +
                $"to a new worker yet: {e.Message}" };
        }

        Persist();
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

        // A late progress message must not turn a finished job back into a running one, and a worker the run has
        // replaced (its silo was lost) no longer speaks for the job.
        var previous = jobs[index];
        if (previous.State is JobState.Succeeded or JobState.Failed || status.Attempt != previous.Attempt)
        {
            return Task.CompletedTask;
        }

        // The reason for a new attempt stays visible while it runs.
        jobs[index] = status is { State: JobState.Pending or JobState.Running, Error: null }
            ? status with { Error = previous.Error } : status;
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

    /// <summary>
    /// Stores the run's state and status. A store that fails (a full disk) leaves the run going on in memory, said
    /// once in the log: every report and dispatch calls this, and a throw here stalled the jobs behind it (their
    /// worker's first report failed and it never trained; the demo waited forever).
    /// </summary>
    private void Persist()
    {
        var state = new TrainingRunState(cluster.Value.ClusterId, request!, jobs.ToArray(),
            dispatched.Values.Select(d => new TrainingJobDispatch(d.Job, d.Silo)).ToArray());
        try
        {
            AtomicFile.Write(StatePath, stream => serializer.Serialize(state, stream));
            AtomicFile.WriteJson(Path.Combine(dataFolder.Runs, RunId, "status.json"),
                new { request, status = Status() });
            stateNotStored = false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!stateNotStored)
            {
                LogRunStateNotStored(logger, RunId, StatePath, e.Message);
            }

            stateNotStored = true;
        }
    }

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

/// <summary>What a run must keep to go on after the silo that held it is lost.</summary>
[GenerateSerializer, Alias("wginr.TrainingRunState")]
internal sealed record TrainingRunState(
    [property: Id(0)] string ClusterId,
    [property: Id(1)] TrainingRunRequest Request,
    [property: Id(2)] IReadOnlyList<JobStatus> Jobs,
    [property: Id(3)] IReadOnlyList<TrainingJobDispatch> Dispatched);

/// <summary>A job as last handed out, and the silo that took it.</summary>
[GenerateSerializer, Alias("wginr.TrainingJobDispatch")]
internal sealed record TrainingJobDispatch([property: Id(0)] TrainingJob Job, [property: Id(1)] SiloAddress Silo);
