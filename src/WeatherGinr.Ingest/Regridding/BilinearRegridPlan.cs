namespace WeatherGinr.Ingest;

/// <summary>
/// Bilinear regridding of one latitude-longitude grid onto fixed targets, with the geometry (which
/// cells and weights serve each target) worked out once: applying it to a time step costs four
/// multiply-adds per target. Gives exactly the values of <see cref="LatLonRegridder.Regrid"/> without
/// a target spacing, step by step, including the pole caps, periodic longitude and missing corners.
/// Create with <see cref="LatLonRegridder.PlanBilinear"/>. Immutable and safe to share across threads.
/// </summary>
public sealed class BilinearRegridPlan
{
    private readonly double[] latitudes;
    private readonly double[] longitudes;
    private readonly BilinearStencil[] stencils;
    private readonly LatLonRegridder.RegridGrid grid;

    // The stencils again as flat arrays for steps without missing values: absent corners get weight 0
    // (and a harmless cell 0), so every target is the same five multiply-adds without branches.
    private readonly int[] cells;
    private readonly double[] weights;
    private readonly double[] poleWeights;
    private readonly sbyte[] poles;
    private readonly double[] weightTotals;

    internal BilinearRegridPlan(GriddedField field, ReadOnlySpan<double> targetLatitudesDegrees,
        ReadOnlySpan<double> targetLongitudesDegrees)
    {
        latitudes = field.LatitudesDegrees;
        longitudes = field.LongitudesDegrees;
        grid = new LatLonRegridder.RegridGrid(field, 0);
        stencils = new BilinearStencil[targetLatitudesDegrees.Length];
        for (var index = 0; index < stencils.Length; index++)
        {
            var latitude = targetLatitudesDegrees[index];
            var longitude = targetLongitudesDegrees[index];
            stencils[index] = !double.IsFinite(latitude) || !double.IsFinite(longitude) || Math.Abs(latitude) > 90
                ? BilinearStencil.Empty
                : grid.Stencil(latitude, longitude);
        }

        cells = new int[4 * stencils.Length];
        weights = new double[4 * stencils.Length];
        poleWeights = new double[stencils.Length];
        poles = new sbyte[stencils.Length];
        weightTotals = new double[stencils.Length];
        for (var index = 0; index < stencils.Length; index++)
        {
            var stencil = stencils[index];
            ReadOnlySpan<(int Cell, double Weight)> corners = [(stencil.Cell0, stencil.Weight0),
                (stencil.Cell1, stencil.Weight1), (stencil.Cell2, stencil.Weight2), (stencil.Cell3, stencil.Weight3)];
            double total = 0;
            for (var slot = 0; slot < 4; slot++)
            {
                var (cell, weight) = corners[slot];
                var used = cell >= 0 && weight > 0;
                cells[(4 * index) + slot] = used ? cell : 0;
                weights[(4 * index) + slot] = used ? weight : 0;
                total += used ? weight : 0;
            }

            // Summed in the same order as BilinearStencil.Evaluate, so both give the same rounding.
            var poleUsed = stencil.Pole != 0 && stencil.PoleWeight > 0;
            poleWeights[index] = poleUsed ? stencil.PoleWeight : 0;
            poles[index] = poleUsed ? stencil.Pole : (sbyte)0;
            weightTotals[index] = poleUsed ? total + stencil.PoleWeight : total;
        }
    }

    public int TargetCount => stencils.Length;

    /// <summary>
    /// Writes one time step of <paramref name="field"/> at the targets into <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The field is not on the grid this plan was made for.</exception>
    public void Apply(GriddedField field, int timeIndex, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentOutOfRangeException.ThrowIfNotEqual(destination.Length, stencils.Length, nameof(destination));
        RequireSameGrid(field);
        var step = field.Step(timeIndex).Span;
        var (north, south) = grid.PoleValues(step);
        if (HasMissing(step))
        {
            // Some values are missing (or infinite): drop them corner by corner and renormalise.
            for (var index = 0; index < stencils.Length; index++)
            {
                destination[index] = (float)stencils[index].Evaluate(step, north, south);
            }

            return;
        }

        // f = (w0 f0 + w1 f1 + w2 f2 + w3 f3 + wp f_pole) / (w0 + w1 + w2 + w3 + wp)
        for (var index = 0; index < stencils.Length; index++)
        {
            var corner = 4 * index;
            var total = weightTotals[index];
            var pole = poles[index] > 0 ? north : poles[index] < 0 ? south : 0;
            var sum = 0.0;
            sum += weights[corner] * step[cells[corner]];
            sum += weights[corner + 1] * step[cells[corner + 1]];
            sum += weights[corner + 2] * step[cells[corner + 2]];
            sum += weights[corner + 3] * step[cells[corner + 3]];
            sum += poleWeights[index] * pole;
            destination[index] = total > 0 ? (float)(sum / total) : float.NaN;
        }
    }

    /// <summary>Every time step at the targets: [time, target] row-major.</summary>
    /// <remarks>
    /// Steps without missing values go through in blocks of <see cref="StepsPerBlock"/>: each target's
    /// stencil is read once per block instead of once per step (the stencils, not the arithmetic, are
    /// what costs time when every step is done separately). Same values as <see cref="Apply"/>.
    /// </remarks>
    public float[] ApplyAllSteps(GriddedField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        RequireSameGrid(field);
        var targets = stencils.Length;
        var result = new float[field.TimeCount * targets];
        Span<int> plainSteps = stackalloc int[StepsPerBlock];
        for (var first = 0; first < field.TimeCount; first += StepsPerBlock)
        {
            var plainCount = 0;
            for (var step = first; step < Math.Min(first + StepsPerBlock, field.TimeCount); step++)
            {
                if (HasMissing(field.Step(step).Span))
                {
                    Apply(field, step, result.AsSpan(step * targets, targets));
                }
                else
                {
                    plainSteps[plainCount++] = step;
                }
            }

            ApplyPlainSteps(field, plainSteps[..plainCount], result);
        }

        return result;
    }

    /// <summary>
    /// Steps small enough together (16 x a 0.25-degree step is 66 MB; 16 x T42 is 0.5 MB) to stay in cache.
    /// </summary>
    private const int StepsPerBlock = 16;

    private static bool HasMissing(ReadOnlySpan<float> step) =>
        step.ContainsAnyExceptInRange(float.MinValue, float.MaxValue);

    /// <summary>
    /// f = (w0 f0 + w1 f1 + w2 f2 + w3 f3 + wp f_pole) / (w0 + w1 + w2 + w3 + wp) for steps without missing
    /// values, summed in the order <see cref="BilinearStencil.Evaluate"/> uses, so the rounding is the same.
    /// </summary>
    private void ApplyPlainSteps(GriddedField field, ReadOnlySpan<int> steps, float[] result)
    {
        if (steps.IsEmpty)
        {
            return;
        }

        var targets = stencils.Length;
        var values = field.Values;
        var stepSize = field.LatitudeCount * field.LongitudeCount;
        Span<int> offsets = stackalloc int[steps.Length];
        Span<double> northPoles = stackalloc double[steps.Length];
        Span<double> southPoles = stackalloc double[steps.Length];
        for (var k = 0; k < steps.Length; k++)
        {
            offsets[k] = steps[k] * stepSize;
            (northPoles[k], southPoles[k]) = grid.PoleValues(field.Step(steps[k]).Span);
        }

        for (var index = 0; index < targets; index++)
        {
            var corner = 4 * index;
            var (cell0, cell1, cell2, cell3) = (cells[corner], cells[corner + 1], cells[corner + 2], cells[corner + 3]);
            var (weight0, weight1, weight2, weight3) =
                (weights[corner], weights[corner + 1], weights[corner + 2], weights[corner + 3]);
            var poleWeight = poleWeights[index];
            var pole = poles[index];
            var total = weightTotals[index];
            for (var k = 0; k < steps.Length; k++)
            {
                var offset = offsets[k];
                var sum = 0.0;
                sum += weight0 * values[offset + cell0];
                sum += weight1 * values[offset + cell1];
                sum += weight2 * values[offset + cell2];
                sum += weight3 * values[offset + cell3];
                sum += poleWeight * (pole > 0 ? northPoles[k] : pole < 0 ? southPoles[k] : 0);
                result[(steps[k] * targets) + index] = total > 0 ? (float)(sum / total) : float.NaN;
            }
        }
    }

    private void RequireSameGrid(GriddedField field)
    {
        if (!(ReferenceEquals(field.LatitudesDegrees, latitudes)
                || field.LatitudesDegrees.AsSpan().SequenceEqual(latitudes))
            || !(ReferenceEquals(field.LongitudesDegrees, longitudes)
                || field.LongitudesDegrees.AsSpan().SequenceEqual(longitudes)))
        {
            throw new ArgumentException(
                $"'{field.VariableName}' is on a {field.LatitudeCount}x{field.LongitudeCount} " +
                $"grid other than the {latitudes.Length}x{longitudes.Length} grid this plan was made for",
                nameof(field));
        }
    }
}
