namespace WeatherGinr.Core.Spectral;

/// <summary>
/// Splits the rows of a block into a few contiguous ranges and runs them on the thread pool. Ranges are fixed
/// for a given row count, so reductions over them add up in the same order on every run.
/// </summary>
internal static class RowPartition
{
    /// <summary>Blocks smaller than this run on the calling thread; the pool costs more than it gains.</summary>
    private const int SerialWorkThreshold = 1 << 15;

    public static int RangeCount(int rows, long workPerRow)
    {
        if (rows * workPerRow < SerialWorkThreshold || Environment.ProcessorCount == 1)
        {
            return 1;
        }

        // A few ranges per core even out cores that another process interrupts.
        return Math.Min(rows, 4 * Environment.ProcessorCount);
    }

    public static (int Start, int End) Range(int rows, int rangeCount, int index)
    {
        long start = (long)rows * index / rangeCount;
        long end = (long)rows * (index + 1) / rangeCount;
        return ((int)start, (int)end);
    }

    /// <summary>Runs <paramref name="body"/>(start, end) over ranges covering [0, rows).</summary>
    public static void For(int rows, long workPerRow, Action<int, int> body)
    {
        int ranges = RangeCount(rows, workPerRow);
        if (ranges == 1)
        {
            body(0, rows);
            return;
        }

        Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            index =>
            {
                (int start, int end) = Range(rows, ranges, index);
                body(start, end);
            });
    }
}
