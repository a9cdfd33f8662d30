using Microsoft.Extensions.Logging;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Placement;
using WeatherGinr.Grains.Serving;
using WeatherGinr.Grains.Spectral;
using WeatherGinr.Training;

namespace WeatherGinr.Grains.Training;

/// <inheritdoc cref="ITrainingWorkerGrain"/>
/// <remarks>
/// Training runs on a thread-pool thread, never on the grain scheduler, and holds no TorchSharp
/// scope across an await. Progress reaches the run grain at most about once a second. When the activation goes
/// away before the job is done (its silo shuts down), training is cancelled and the run is told, so that it
/// hands the job to another worker; a silo that crashes cannot say so, and the run notices its death instead.
/// </remarks>
[AcceleratorPreferredPlacement]
public sealed partial class TrainingWorkerGrain(
    EmbeddingLibrary library,
    TrainingSlots slots,
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IClusterMembershipService membership,
    ILogger<TrainingWorkerGrain> logger) : Grain, ITrainingWorkerGrain, IDisposable
{
    private readonly CancellationTokenSource interrupted = new();
    private Task? training;
    private TrainingJob? accepted;

    /// <summary>How the accepted job ended (null while it trains), to tell a run that asks again.</summary>
    private volatile JobStatus? finished;

    public Task<SiloAddress> Accept(TrainingJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (training is { IsCompleted: false })
        {
            return Task.FromResult(silo.SiloAddress); // the same job delivered twice: already under way
        }

        // The same job again after it ended (a run that resumed elsewhere and never heard): its outcome is told
        // again rather than the job trained twice. After this call returns, since the run waits on it.
        if (accepted is { } previous && (previous.RunId, previous.JobId, previous.StartId, previous.Attempt)
                == (job.RunId, job.JobId, job.StartId, job.Attempt) && finished is { } outcome)
        {
            _ = Task.Run(() => grains.GetGrain<ITrainingRunGrain>(job.RunId).ReportProgress(outcome));
            return Task.FromResult(silo.SiloAddress);
        }

        // Keep the activation alive while it trains, however long that takes.
        DelayDeactivation(TimeSpan.FromDays(1));
        var siloName = silo.SiloAddress.ToString();
        accepted = job;
        training = Task.Run(() => Train(job, siloName, interrupted.Token));
        return Task.FromResult(silo.SiloAddress);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (training is { IsCompleted: false } running && accepted is { } job)
        {
            await interrupted.CancelAsync();
            try
            {
                await running.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The silo would not wait any longer; the run is told all the same.
            }

            LogJobInterrupted(logger, job.JobId, reason.Description);

            // The last silo of a cluster going down (the embedded process stopped with Ctrl+C) has no one to tell:
            // the run goes with it, and a later process starts runs afresh.
            var anyOtherSilo = membership.CurrentSnapshot.Members.Values.Any(
                m => m.Status == SiloStatus.Active && !m.SiloAddress.Equals(silo.SiloAddress));
            try
            {
                if (anyOtherSilo)
                {
                    await grains.GetGrain<ITrainingRunGrain>(job.RunId)
                        .ReportInterrupted(job.JobId, job.Attempt, reason.Description);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The run grain could not be reached; it finds out when the membership declares this silo dead.
                LogInterruptionNotDelivered(logger, e, job.JobId);
            }
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    public void Dispose() => interrupted.Dispose();

    private async Task Train(TrainingJob job, string siloName, CancellationToken cancellationToken)
    {
        var run = grains.GetGrain<ITrainingRunGrain>(job.RunId);
        var variables = job.Variables.Select(v => v.Name).ToArray();
        IDisposable slot;
        try
        {
            slot = await slots.Acquire(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return; // interrupted while queued for a slot: the deactivation tells the run
        }

        using var lease = slot;
        var device = TorchRuntime.DescribeDevice();
        var variableList = string.Join(", ", variables);
        LogJobStarted(logger, job.JobId, job.RunId, variableList, device, siloName);

        var status = new JobStatus(job.JobId, variables, JobState.Running, 0, job.Settings.MaxSteps, double.NaN,
            null, null, [], device, 0, siloName) { Attempt = job.Attempt };
        await run.ReportProgress(status);

        var startedUtc = DateTime.UtcNow;
        var reporter = new ThrottledProgress(status, run, logger);
        JobStatus succeeded;
        try
        {
            var outcome = TrainingJobExecution.Run(job, library, reporter, cancellationToken);
            var modelId = $"{job.RunId}.{job.JobId}";
            var fields = job.Variables;
            var descriptor = new ModelDescriptor(
                modelId, outcome.CheckpointPath, fields, job.Embedding,
                fields.Min(f => f.FirstTimeUtc), fields.Max(f => f.LastTimeUtc),
                outcome.ParameterCount, outcome.Metrics, outcome.CoveragePath);
            await grains.GetGrain<IModelGrain>(modelId).Register(descriptor);
            RemoveEarlierOutputs(job, startedUtc);

            LogJobFinished(logger, job.JobId, outcome.Steps, outcome.Seconds);
            succeeded = status with
            {
                State = JobState.Succeeded, Step = outcome.Steps, MaxSteps = outcome.Steps, Loss = reporter.LastLoss,
                ModelId = modelId, Metrics = outcome.Metrics, Device = outcome.Device, Seconds = outcome.Seconds,
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // interrupted: not a failure of the job; the deactivation tells the run, which dispatches it again
        }
        catch (Exception e) when (e is TrainingInputException or TrainingDivergedException or IOException
            or InvalidDataException or UnauthorizedAccessException)
        {
            // The input's fault, or storage's (a damaged field file, a full disk), said in words: no stack trace.
            if (e is TrainingInputException or TrainingDivergedException)
            {
                LogJobInputRefused(logger, job.JobId, e.Message);
            }
            else
            {
                LogJobStorageFailed(logger, job.JobId, e.Message);
            }

            finished = status with { State = JobState.Failed, Error = e.Message };
            await run.ReportProgress(finished);
            return;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogJobFailed(logger, e, job.JobId, e.Message);
            finished = status with { State = JobState.Failed, Error = ErrorText.Of(e) };
            await run.ReportProgress(finished);
            return;
        }

        // Outside the catches: a report that fails (the run's silo went down just then) must not turn a trained and
        // registered model into a failed job. A resumed run hands the job to this worker again and hears of it.
        finished = succeeded;
        await run.ReportProgress(succeeded);
    }

    /// <summary>
    /// Once this attempt's model is registered, the files of the job's earlier starts and attempts (and of builds
    /// that wrote <c>model.ginr</c> straight into the job's folder) answer for nothing: removed, as far as they can
    /// be. A server that loaded one keeps it in memory until it sees the new descriptor. Only what was last written
    /// before this attempt began goes: a folder another process is training into now is left to it.
    /// </summary>
    private void RemoveEarlierOutputs(TrainingJob job, DateTime startedUtc)
    {
        var current = TrainingJobExecution.OutputFolderOf(job);
        try
        {
            foreach (var entry in new DirectoryInfo(job.OutputFolder).EnumerateFileSystemInfos())
            {
                if (entry.FullName == current || LastWrittenUtc(entry) >= startedUtc)
                {
                    continue;
                }

                if (entry is DirectoryInfo folder)
                {
                    folder.Delete(recursive: true);
                }
                else if (entry.Name is "model.ginr" or "coverage.bin"
                    || entry.Name.EndsWith(".tmp", StringComparison.Ordinal)
                    || entry.Name.EndsWith(".partial", StringComparison.Ordinal))
                {
                    entry.Delete();
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogEarlierOutputsKept(logger, job.JobId, job.OutputFolder, e.Message);
        }
    }

    private static DateTime LastWrittenUtc(FileSystemInfo entry) => entry is DirectoryInfo folder
        ? folder.EnumerateFiles().Select(f => f.LastWriteTimeUtc).Append(folder.LastWriteTimeUtc).Max()
        : entry.LastWriteTimeUtc;

    /// <summary>Forwards trainer progress to the run grain, at most about once a second.</summary>
    private sealed class ThrottledProgress(JobStatus status, ITrainingRunGrain run, ILogger logger)
        : IProgress<TrainingProgress>
    {
        private DateTime lastSentUtc = DateTime.MinValue;

        public double LastLoss { get; private set; } = double.NaN;

        public void Report(TrainingProgress value)
        {
            LastLoss = value.Loss;
            var now = DateTime.UtcNow;
            if (now - lastSentUtc < TimeSpan.FromSeconds(1))
            {
                return;
            }

            lastSentUtc = now;
            LogJobProgress(logger, status.JobId, value.Step, value.MaxSteps, value.Loss);

            // Fire and forget: a lost progress message only delays the next one.
            _ = run.ReportProgress(status with
            {
                Step = value.Step, MaxSteps = value.MaxSteps, Loss = value.Loss, Seconds = value.ElapsedSeconds,
            });
        }
    }
}
