using System.Runtime.InteropServices;

namespace WeatherGinr.Benchmarks.Ingest;

/// <summary>
/// CPU time the calling thread has used (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>): unlike the wall clock it
/// does not count time spent waiting for a core, so on a machine shared with other builds it measures the
/// work, not the queue. Python's side reports the same clock (<c>time.thread_time</c>).
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ThreadCpuTimeClockId = 3;

    /// <summary>Seconds of CPU this thread has used so far.</summary>
    internal static double NowSeconds()
    {
        if (GetTime(ThreadCpuTimeClockId, out var time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        }

        return time.Seconds + (time.Nanoseconds / 1e9);
    }

    /// <summary>
    /// Minor page faults this thread has taken so far (<c>getrusage(RUSAGE_THREAD)</c>): each first touch of
    /// a page the kernel hands out fresh, which is where a large new array's time goes until the garbage
    /// collector keeps its memory between runs.
    /// </summary>
    internal static long MinorFaults()
    {
        const int RusageThread = 1;
        Span<long> usage = stackalloc long[18];
        if (GetUsage(RusageThread, ref MemoryMarshal.GetReference(usage)) != 0)
        {
            throw new InvalidOperationException("getrusage(RUSAGE_THREAD) failed");
        }

        // struct rusage: two struct timevals (4 longs), then ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt.
        return usage[8];
    }

    [LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetUsage(int who, ref long usage);

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int GetTime(int clockId, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
