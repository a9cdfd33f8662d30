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

    public LargeAnswerGate(int concurrent = 1) => slots = new SemaphoreSlim(concurrent, concurrent);

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

    public void Dispose() => slots.Dispose();

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
