namespace WeatherGinr.Grains.Training;

/// <summary>
/// A reproducible random choice of original grid cells kept out of training: their values are
/// removed before regridding, so no training node learns from them, and they score spatial
/// super-resolution afterwards. The same cells are held out at every time step.
/// </summary>
public sealed class HeldOutGridPoints
{
    private readonly bool[] isHeldOut;

    public HeldOutGridPoints(int latitudeCount, int longitudeCount, double fraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(fraction, 1.0);
        LatitudeCount = latitudeCount;
        LongitudeCount = longitudeCount;
        isHeldOut = new bool[latitudeCount * longitudeCount];

        // A partial Fisher-Yates shuffle picks exactly round(fraction * cells) distinct cells.
        var cells = Enumerable.Range(0, isHeldOut.Length).ToArray();
        var random = new Random(seed);
        var count = (int)Math.Round(fraction * cells.Length);
        for (var i = 0; i < count; i++)
        {
            var j = random.Next(i, cells.Length);
            (cells[i], cells[j]) = (cells[j], cells[i]);
            isHeldOut[cells[i]] = true;
        }

        Cells = cells[..count].Order().ToArray();
    }

    public int LatitudeCount { get; }

    public int LongitudeCount { get; }

    /// <summary>Held-out cells as flat indices <c>lat * LongitudeCount + lon</c>, ascending.</summary>
    public int[] Cells { get; }

    public bool Contains(int latitudeIndex, int longitudeIndex) =>
        isHeldOut[latitudeIndex * LongitudeCount + longitudeIndex];

    /// <summary>A copy of <c>[time, lat, lon]</c> values with the held-out cells set to NaN.</summary>
    public float[] Mask(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var cellsPerStep = isHeldOut.Length;
        if (values.Length % cellsPerStep != 0)
        {
            throw new ArgumentException(
                $"values hold {values.Length} numbers, not a multiple of the grid's {cellsPerStep}",
                nameof(values));
        }

        var masked = (float[])values.Clone();
        for (var offset = 0; offset < masked.Length; offset += cellsPerStep)
        {
            foreach (var cell in Cells)
            {
                masked[offset + cell] = float.NaN;
            }
        }

        return masked;
    }
}
