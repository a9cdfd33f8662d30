namespace WeatherGinr.Training;

/// <summary>
/// The order in which valid (node, time) pairs are visited: every epoch is a fresh random permutation cut
/// into full batches (the remainder is dropped; the next permutation covers it on average). The
/// permutation of epoch e depends only on the seed and e, so the batch of any step can be rebuilt after a
/// resume without saved generator state.
/// </summary>
internal sealed class BatchOrder
{
    private readonly int[] validPairs;
    private readonly int seed;
    private int[]? permutation;
    private long permutationEpoch = -1;

    public BatchOrder(int[] validPairs, int batchSize, int seed)
    {
        Debug.Assert(validPairs.Length > 0, "at least one valid pair");
        this.validPairs = validPairs;
        this.seed = seed;
        BatchSize = Math.Min(batchSize, validPairs.Length);
        BatchesPerEpoch = validPairs.Length / BatchSize;
    }

    /// <summary>Pairs per batch: the requested size, or every valid pair when there are fewer.</summary>
    public int BatchSize { get; }

    public int BatchesPerEpoch { get; }

    /// <summary>Writes the pair indices (time * nodes + node) of step <paramref name="step"/>.</summary>
    public void Fill(long step, Span<int> pairs)
    {
        Debug.Assert(pairs.Length == BatchSize, "one slot per pair");
        var epoch = step / BatchesPerEpoch;
        var batch = (int)(step % BatchesPerEpoch);
        if (epoch != permutationEpoch)
        {
            permutation = Shuffle(epoch);
            permutationEpoch = epoch;
        }

        permutation.AsSpan(batch * BatchSize, BatchSize).CopyTo(pairs);
    }

    // Fisher-Yates with System.Random seeded from (seed, epoch); Random(int) is the same sequence on every
    // platform and run, unlike the parameterless constructor.
    private int[] Shuffle(long epoch)
    {
        var order = (int[])validPairs.Clone();
        var random = new Random(MixSeed(seed, epoch));
        for (var index = order.Length - 1; index > 0; index--)
        {
            var other = random.Next(index + 1);
            (order[index], order[other]) = (order[other], order[index]);
        }

        return order;
    }

    // SplitMix64 finaliser (Steele et al. 2014) over the seed and epoch, folded to a non-negative int.
    private static int MixSeed(int seed, long epoch)
    {
        var mixed = unchecked(((ulong)(uint)seed << 32) ^ (ulong)epoch ^ 0x9E3779B97F4A7C15UL);
        mixed = unchecked((mixed ^ (mixed >> 30)) * 0xBF58476D1CE4E5B9UL);
        mixed = unchecked((mixed ^ (mixed >> 27)) * 0x94D049BB133111EBUL);
        mixed ^= mixed >> 31;
        return (int)(mixed & int.MaxValue);
    }
}
