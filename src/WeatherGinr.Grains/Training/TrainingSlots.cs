namespace WeatherGinr.Grains.Training;

/// <summary>
/// How many training jobs one silo runs at once. A job uses every core (or the whole GPU) it is given,
/// so two jobs side by side on one machine only slow each other down; further jobs wait here, in order,
/// and a cluster spreads them over silos instead.
/// </summary>
public sealed class TrainingSlots(int capacity) : IDisposable
{
    private readonly SemaphoreSlim slots = new(
        capacity >= 1 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "at least 1"));

    public int Capacity { get; } = capacity;

    /// <summary>Waits for a free slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> Acquire(CancellationToken cancellationToken = default)
    {
        await slots.WaitAsync(cancellationToken);
        return new Lease(slots);
    }

    public void Dispose() => slots.Dispose();

    private sealed class Lease(SemaphoreSlim slots) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
