using System.Collections.Concurrent;
using System.Globalization;
using Spectre.Console;
using WeatherGinr.Grains.Abstractions;

namespace WeatherGinr.Cli.Demo;

/// <summary>Narrates the demo on a terminal: stage headings, notes, and one progress bar per training job.</summary>
public sealed class ConsoleDemoObserver(IAnsiConsole console) : IDemoObserver, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ProgressTask> bars = new();
    private readonly TaskCompletionSource trainingDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<ProgressContext> contextReady =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? display;

    public void Stage(string title) => console.MarkupLine($"\n[bold deepskyblue1]{Markup.Escape(title)}[/]");

    public void Note(string text) => console.MarkupLine($"  {Markup.Escape(text)}");

    public void Training(TrainingRunStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        display ??= console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                contextReady.SetResult(context);
                await trainingDone.Task;
            });

        var context = contextReady.Task.GetAwaiter().GetResult();
        foreach (var job in status.Jobs)
        {
            var bar = bars.GetOrAdd(job.JobId, _ => context.AddTask(job.JobId, maxValue: Math.Max(1, job.MaxSteps)));
            bar.MaxValue = Math.Max(1, job.MaxSteps);
            bar.Value = job.State == JobState.Succeeded ? bar.MaxValue : Math.Min(job.Step, bar.MaxValue);
            var loss = double.IsFinite(job.Loss) ? job.Loss.ToString("G3", CultureInfo.InvariantCulture) : "-";
            var attempt = job.Attempt > 0 ? $", attempt {job.Attempt + 1}" : "";
            bar.Description = $"{job.JobId} [grey]({job.State.ToString().ToLowerInvariant()}{attempt}, loss {loss}, " +
                $"{Markup.Escape(job.Device ?? "...")})[/]";
        }

        if (status.State is JobState.Succeeded or JobState.Failed)
        {
            trainingDone.TrySetResult();
            display.GetAwaiter().GetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        trainingDone.TrySetResult();
        if (display is not null)
        {
            await display;
        }
    }
}
