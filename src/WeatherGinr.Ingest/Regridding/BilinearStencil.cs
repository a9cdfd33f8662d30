namespace WeatherGinr.Ingest;

/// <summary>
/// The bilinear value at one target as a recipe: up to four grid cells (flat indices into a step,
/// -1 when absent) with their weights, and poleward of a global grid's last row the weight of the
/// pole value. Slots 0-1 are the southern (or only) row, slots 2-3 the northern row.
/// </summary>
internal struct BilinearStencil
{
    internal static readonly BilinearStencil Empty = new()
    {
        Cell0 = -1, Cell1 = -1, Cell2 = -1, Cell3 = -1,
    };

    internal int Cell0, Cell1, Cell2, Cell3;
    internal double Weight0, Weight1, Weight2, Weight3;
    internal double PoleWeight;

    /// <summary>+1 north pole, -1 south pole, 0 none.</summary>
    internal sbyte Pole;

    internal void Set(int slot, int cell, double weight)
    {
        switch (slot)
        {
            case 0: (Cell0, Weight0) = (cell, weight); break;
            case 1: (Cell1, Weight1) = (cell, weight); break;
            case 2: (Cell2, Weight2) = (cell, weight); break;
            default: (Cell3, Weight3) = (cell, weight); break;
        }
    }

    /// <summary>
    /// f = sum(w_i f_i) / sum(w_i) over the valid corners (and the pole value), NaN when none is valid:
    /// missing corners are dropped and the remaining weights renormalised. Corners are summed in slot
    /// order, so every caller gets the same rounding.
    /// </summary>
    internal readonly double Evaluate(ReadOnlySpan<float> step, double northPoleValue, double southPoleValue)
    {
        double weightSum = 0, valueSum = 0;
        AddCorner(step, Cell0, Weight0, ref weightSum, ref valueSum);
        AddCorner(step, Cell1, Weight1, ref weightSum, ref valueSum);
        AddCorner(step, Cell2, Weight2, ref weightSum, ref valueSum);
        AddCorner(step, Cell3, Weight3, ref weightSum, ref valueSum);
        if (Pole != 0)
        {
            var pole = Pole > 0 ? northPoleValue : southPoleValue;
            if (!double.IsNaN(pole) && PoleWeight > 0)
            {
                weightSum += PoleWeight;
                valueSum += PoleWeight * pole;
            }
        }

        return weightSum > 0 ? valueSum / weightSum : double.NaN;
    }

    private static void AddCorner(ReadOnlySpan<float> step, int cell, double weight, ref double weightSum,
        ref double valueSum)
    {
        if (cell < 0 || !(weight > 0))
        {
            return;
        }

        var sample = step[cell];
        if (!float.IsNaN(sample))
        {
            weightSum += weight;
            valueSum += weight * sample;
        }
    }
}
