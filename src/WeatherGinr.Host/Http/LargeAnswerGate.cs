namespace WeatherGinr.Host.Http;

/// <summary>
/// Lets one large grid answer be made at a time in a server; the others wait their turn (or until their client
/// leaves). A 3.8 million point Parquet answer takes about 1.8 GB while it is made, and three at once took a
/// server to 4.9 GB in a new-user pass; queued, the peak is one answer's. Small answers never wait.
/// </summary>
internal sealed class LargeAnswerGate : IDisposable
{
    /// <summary>
    /// Grids above this many points queue: a quarter of the JSON limit. A 958,000-point JSON answer took a server from
    /// 237 MB to 1.28 GB, so this is roughly 270 MB while made (a JSON answer's turn ends before it is serialised).
    /// </summary>
    public const long LargePoints = 250_000;

    private readonly SemaphoreSlim slots;
    private readonly int concurrent;
    private int compactionPending;
    private int compactions;

    public LargeAnswerGate(int concurrent = 1)
    {
        this.concurrent = concurrent;
        slots = new SemaphoreSlim(concurrent, concurrent);
    }

    /// <summary>The server's one gate.</summary>
    public static LargeAnswerGate Shared { get; } = new();

    /// <summary>
    /// Waits for a turn when <paramref name="points"/> is above <see cref="LargePoints"/>; dispose the result when
    /// the answer is made. Throws <see cref="OperationCanceledException"/> (taking no turn) when
    /// <paramref name="cancellationToken"/> fires while waiting.
    /// </summary>
    public async Task<IDisposable> EnterAsync(long points, CancellationToken cancellationToken)
    {
        if (points <= LargePoints)
        {
            return Turn.None;
        }

        await slots.WaitAsync(cancellationToken);
        return new Turn(slots);
    }

    /// <summary>
    /// Call when a large answer has been sent. Once no large answer is being made, the heap those answers grew is
    /// compacted and handed back to the system (an aggressive collection, on the thread pool): without it a server
    /// kept 3.7 GB after three 3.8 million point answers, since the collector keeps the memory it grew for reuse.
    /// </summary>
    public void AnswerSent()
    {
        if (Interlocked.Exchange(ref compactionPending, 1) == 1)
        {
            return; // one is already on its way; it will see this answer's garbage too
        }

        _ = Task.Run(async () =>
        {
            // A moment for the response's last buffers to go, then only if no large answer started meanwhile.
            await Task.Delay(CompactionDelay).ConfigureAwait(false);
            Interlocked.Exchange(ref compactionPending, 0);
            if (slots.CurrentCount == concurrent)
            {
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                NativeHeap.Trim();
                Interlocked.Increment(ref compactions);
            }
        });
    }

    /// <summary>How long after a large answer is sent its memory is handed back.</summary>
    internal static TimeSpan CompactionDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times memory was handed back (for tests).</summary>
    internal int Compactions => Volatile.Read(ref compactions);

    public void Dispose() => slots.Dispose();

    /// <summary>
    /// glibc keeps freed native memory (libtorch's tensors while a grid is evaluated) in its arenas;
    /// <c>malloc_trim</c> returns what is free at their tops to the system. Elsewhere (musl, other systems) nothing.
    /// </summary>
    private static class NativeHeap
    {
        private static bool unavailable;

        public static void Trim()
        {
            if (unavailable || !OperatingSystem.IsLinux())
            {
                return;
            }

            try
            {
                MallocTrim(0);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                unavailable = true;
            }
        }

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
        private static extern int MallocTrim(nuint pad);
    }

    private sealed class Turn(SemaphoreSlim? slots) : IDisposable
    {
        public static readonly Turn None = new(null);

        private int released;

        public void Dispose()
        {
            if (slots is not null && Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
