using System.Diagnostics;

namespace WeatherGinr.Benchmarks.Training;

/// <summary>
/// Wall-clock and process CPU seconds of training only: paused while the held-out nodes are scored.
/// </summary>
public sealed class TrainingClock
{
    private readonly Stopwatch wall = new();
    private TimeSpan cpuBefore;
    private TimeSpan cpuCounted;

    public void Resume()
    {
        cpuBefore = ProcessCpu();
        wall.Start();
    }

    public void Pause()
    {
        wall.Stop();
        cpuCounted += ProcessCpu() - cpuBefore;
    }

    /// <summary>Training seconds so far: wall clock and CPU time of every thread of this process.</summary>
    public (double Seconds, double CpuSeconds) Read() => (wall.Elapsed.TotalSeconds,
        (cpuCounted + (wall.IsRunning ? ProcessCpu() - cpuBefore : TimeSpan.Zero)).TotalSeconds);

    private static TimeSpan ProcessCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
