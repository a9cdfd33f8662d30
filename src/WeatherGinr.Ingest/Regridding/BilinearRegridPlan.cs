using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
    /// <summary>
    /// Steps small enough together (16 x a 0.25-degree step is 66 MB; 16 x T42 is 0.5 MB) to stay in cache.
    /// </summary>
    private const int StepsPerBlock = 16;

    /// <summary>Targets per chunk: 256 x (4 cells, 4 + 2 weights, 1 pole slot) is 17 KiB, within L1.</summary>
    private const int TargetsPerChunk = 256;

    private readonly double[] latitudes;
    private readonly double[] longitudes;
    private readonly LatLonRegridder.RegridGrid grid;
    private readonly int targetCount;

    // Each target's stencil as flat arrays, corner-major ([corner * targets + target]) so that neighbouring
    // targets sit side by side for vector loads: absent corners get weight 0 (and a harmless cell 0), so on
    // a step without missing values every target is the same five multiply-adds without branches. Kept
    // only in this form (no array of stencils beside it): 10,242 targets take 0.7 MB instead of 1.4 MB.
    private readonly int[] cells;
    private readonly double[] weights;
    private readonly double[] poleWeights;

    /// <summary>Which pole value a target's pole term multiplies: 0 none (the value 0), 1 north, 2 south.</summary>
    private readonly int[] poleSlots;

    private readonly double[] weightTotals;

    internal BilinearRegridPlan(GriddedField field, ReadOnlySpan<double> targetLatitudesDegrees,
        ReadOnlySpan<double> targetLongitudesDegrees)
    {
        latitudes = field.LatitudesDegrees;
        longitudes = field.LongitudesDegrees;
        grid = new LatLonRegridder.RegridGrid(field, 0);
        targetCount = targetLatitudesDegrees.Length;
        cells = new int[4 * targetCount];
        weights = new double[4 * targetCount];
        poleWeights = new double[targetCount];
        poleSlots = new int[targetCount];
        weightTotals = new double[targetCount];
        for (var index = 0; index < targetCount; index++)
        {
            var latitude = targetLatitudesDegrees[index];
            var longitude = targetLongitudesDegrees[index];
            var stencil = !double.IsFinite(latitude) || !double.IsFinite(longitude) || Math.Abs(latitude) > 90
                ? BilinearStencil.Empty
                : grid.Stencil(latitude, longitude);
            Store(index, stencil);
        }
    }

    public int TargetCount => targetCount;

    /// <summary>
    /// Writes one time step of <paramref name="field"/> at the targets into <paramref name="destination"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The field is not on the grid this plan was made for.</exception>
    public void Apply(GriddedField field, int timeIndex, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentOutOfRangeException.ThrowIfNotEqual(destination.Length, targetCount, nameof(destination));
        RequireSameGrid(field);
        var step = field.Step(timeIndex).Span;
        var (north, south) = grid.PoleValues(step);
        ReadOnlySpan<double> poleTerms = [0, north, south];
        if (HasMissing(step))
        {
            WriteStepWithMissing(step, poleTerms, destination);
            return;
        }

        WritePlainStep(step, poleTerms, 0, targetCount, destination);
    }

    /// <summary>Every time step at the targets: [time, target] row-major, in a new array.</summary>
    /// <remarks>
    /// Same values as <see cref="Apply"/>; see <see cref="ApplyAllSteps(GriddedField, Span{float})"/>.
    /// </remarks>
    public float[] ApplyAllSteps(GriddedField field)
    {
        ArgumentNullException.ThrowIfNull(field);

        // Every element is written (plain steps or Apply), so the array need not be zeroed.
        var result = GC.AllocateUninitializedArray<float>(field.TimeCount * targetCount);
        ApplyAllSteps(field, result);
        return result;
    }

    /// <summary>
    /// Every time step at the targets into <paramref name="destination"/>, [time, target] row-major: every
    /// element is written, so a reused buffer (an <see cref="IngestWorkspace"/>'s) keeps nothing of before.
    /// </summary>
    /// <remarks>
    /// Steps without missing values go through in blocks of <see cref="StepsPerBlock"/>, and within a block
    /// the targets in chunks of <see cref="TargetsPerChunk"/>: a chunk's cells and weights are read from L1
    /// for every step of the block, and the block's steps stay in L2. Same values as <see cref="Apply"/>.
    /// </remarks>
    /// <exception cref="ArgumentException">
    /// The field is not on the grid this plan was made for, or the destination is not one value per step and
    /// target.
    /// </exception>
    public void ApplyAllSteps(GriddedField field, Span<float> destination)
    {
        ArgumentNullException.ThrowIfNull(field);
        RequireSameGrid(field);
        var targets = targetCount;
        if (destination.Length != (long)field.TimeCount * targets)
        {
            throw new ArgumentException(
                $"destination holds {destination.Length} values; {field.TimeCount} steps of '{field.VariableName}' " +
                $"at {targets} targets need {(long)field.TimeCount * targets}", nameof(destination));
        }

        Span<int> plainSteps = stackalloc int[StepsPerBlock];
        for (var first = 0; first < field.TimeCount; first += StepsPerBlock)
        {
            var plainCount = 0;
            for (var step = first; step < Math.Min(first + StepsPerBlock, field.TimeCount); step++)
            {
                if (HasMissing(field.Step(step).Span))
                {
                    Apply(field, step, destination.Slice(step * targets, targets));
                }
                else
                {
                    plainSteps[plainCount++] = step;
                }
            }

            ApplyPlainSteps(field, plainSteps[..plainCount], destination);
        }
    }

    /// <summary>
    /// Puts one target's stencil into the flat arrays: its used corners (a cell on the grid and a weight
    /// above 0), its pole term, and the total of their weights summed in the order
    /// <see cref="BilinearStencil.Evaluate"/> uses, so both give the same rounding.
    /// </summary>
    private void Store(int target, in BilinearStencil stencil)
    {
        ReadOnlySpan<(int Cell, double Weight)> corners = [(stencil.Cell0, stencil.Weight0),
            (stencil.Cell1, stencil.Weight1), (stencil.Cell2, stencil.Weight2), (stencil.Cell3, stencil.Weight3)];
        double total = 0;
        for (var slot = 0; slot < 4; slot++)
        {
            var (cell, weight) = corners[slot];
            var used = cell >= 0 && weight > 0;

            // The vectorised kernel gathers without bounds checks: every cell must lie on the grid.
            if (used && cell >= latitudes.Length * longitudes.Length)
            {
                throw new InvalidOperationException(
                    $"bilinear stencil of target {target} names cell {cell}, outside the " +
                    $"{latitudes.Length}x{longitudes.Length} grid");
            }

            cells[(slot * targetCount) + target] = used ? cell : 0;
            weights[(slot * targetCount) + target] = used ? weight : 0;
            total += used ? weight : 0;
        }

        var poleUsed = stencil.Pole != 0 && stencil.PoleWeight > 0;
        poleWeights[target] = poleUsed ? stencil.PoleWeight : 0;
        poleSlots[target] = !poleUsed ? 0 : stencil.Pole > 0 ? 1 : 2;
        weightTotals[target] = poleUsed ? total + stencil.PoleWeight : total;
    }

    /// <summary>
    /// A step with missing (or infinite) values: f = sum(w_i f_i) / sum(w_i) over the corners whose value is
    /// not NaN, and the pole term when the pole value is not NaN; NaN when no weight is left. The same
    /// arithmetic in the same order as <see cref="BilinearStencil.Evaluate"/> (an unused corner has weight 0
    /// here and is skipped there), so the same values bit for bit.
    /// </summary>
    private void WriteStepWithMissing(ReadOnlySpan<float> step, ReadOnlySpan<double> poleTerms,
        Span<float> destination)
    {
        for (var target = 0; target < targetCount; target++)
        {
            double weightSum = 0, valueSum = 0;
            for (var slot = 0; slot < 4; slot++)
            {
                var weight = weights[(slot * targetCount) + target];
                var sample = step[cells[(slot * targetCount) + target]];
                if (weight > 0 && !float.IsNaN(sample))
                {
                    weightSum += weight;
                    valueSum += weight * sample;
                }
            }

            var pole = poleTerms[poleSlots[target]];
            if (poleSlots[target] != 0 && !double.IsNaN(pole))
            {
                weightSum += poleWeights[target];
                valueSum += poleWeights[target] * pole;
            }

            destination[target] = weightSum > 0 ? (float)(valueSum / weightSum) : float.NaN;
        }
    }

    /// <summary>
    /// True when a value is NaN or infinite: its exponent bits are all ones (IEEE 754 binary32). Compared as
    /// integers, so it vectorises.
    /// </summary>
    private static bool HasMissing(ReadOnlySpan<float> step)
    {
        const uint ExponentBits = 0x7F80_0000;
        var bits = MemoryMarshal.Cast<float, uint>(step);
        var index = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var exponent = Vector256.Create(ExponentBits);
            for (; index + Vector256<uint>.Count <= bits.Length; index += Vector256<uint>.Count)
            {
                var masked = Vector256.Create(bits.Slice(index, Vector256<uint>.Count)) & exponent;
                if (Vector256.EqualsAny(masked, exponent))
                {
                    return true;
                }
            }
        }

        for (; index < bits.Length; index++)
        {
            if ((bits[index] & ExponentBits) == ExponentBits)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Steps without missing values, chunk of targets by chunk, into <paramref name="result"/>.</summary>
    private void ApplyPlainSteps(GriddedField field, ReadOnlySpan<int> steps, Span<float> result)
    {
        if (steps.IsEmpty)
        {
            return;
        }

        // Per step the values a pole term multiplies, by pole slot: 0 (no pole), north, south.
        var targets = targetCount;
        Span<double> poleTerms = stackalloc double[3 * steps.Length];
        for (var k = 0; k < steps.Length; k++)
        {
            var (north, south) = grid.PoleValues(field.Step(steps[k]).Span);
            (poleTerms[3 * k], poleTerms[(3 * k) + 1], poleTerms[(3 * k) + 2]) = (0, north, south);
        }

        for (var chunkStart = 0; chunkStart < targets; chunkStart += TargetsPerChunk)
        {
            var chunk = Math.Min(TargetsPerChunk, targets - chunkStart);
            for (var k = 0; k < steps.Length; k++)
            {
                WritePlainStep(field.Step(steps[k]).Span, poleTerms.Slice(3 * k, 3), chunkStart, chunk,
                    result.Slice((steps[k] * targets) + chunkStart, chunk));
            }
        }
    }

    /// <summary>
    /// f = (w0 f0 + w1 f1 + w2 f2 + w3 f3 + wp f_pole) / (w0 + w1 + w2 + w3 + wp), NaN where the total is 0, for
    /// targets [first, first + count) of a step without missing values; summed in the order
    /// <see cref="BilinearStencil.Evaluate"/> uses, so the rounding is the same.
    /// </summary>
    /// <remarks>
    /// With AVX2, eight targets at a time: their corners are gathered (the cells are arbitrary), widened to
    /// double, multiplied and added one corner after another (no fused multiply-add, which rounds once
    /// instead of twice), divided and rounded to float lane by lane. That is the same IEEE arithmetic as the
    /// scalar loop, so the values are bit for bit those of the scalar formula and of <see cref="Apply"/>.
    /// </remarks>
    private void WritePlainStep(ReadOnlySpan<float> step, ReadOnlySpan<double> poleTerms, int first, int count,
        Span<float> destination)
    {
        Debug.Assert(step.Length == latitudes.Length * longitudes.Length, "one step of the planned grid");
        Debug.Assert(poleTerms.Length == 3 && destination.Length == count, "three pole terms, one value a target");
        var targets = targetCount;
        var index = 0;
        if (Avx2.IsSupported)
        {
            index = WritePlainStepAvx2(step, poleTerms, first, count, destination);
        }

        for (; index < count; index++)
        {
            var target = first + index;
            var sum = 0.0;
            sum += weights[target] * step[cells[target]];
            sum += weights[targets + target] * step[cells[targets + target]];
            sum += weights[(2 * targets) + target] * step[cells[(2 * targets) + target]];
            sum += weights[(3 * targets) + target] * step[cells[(3 * targets) + target]];
            sum += poleWeights[target] * poleTerms[poleSlots[target]];
            var total = weightTotals[target];
            destination[index] = total > 0 ? (float)(sum / total) : float.NaN;
        }
    }

    /// <summary>
    /// The AVX2 part of <see cref="WritePlainStep"/>: whole groups of eight targets; returns how many it did.
    /// </summary>
    private unsafe int WritePlainStepAvx2(ReadOnlySpan<float> step, ReadOnlySpan<double> poleTerms, int first,
        int count, Span<float> destination)
    {
        const int Lanes = 8;
        var targets = targetCount;
        var done = count - (count % Lanes);
        var nan = Vector256.Create(double.NaN);
        var (north, south) = (Vector256.Create(poleTerms[1]), Vector256.Create(poleTerms[2]));
        fixed (float* stepPointer = step)
        fixed (int* cellPointer = cells)
        fixed (double* weightPointer = weights)
        fixed (double* poleWeightPointer = poleWeights)
        fixed (int* poleSlotPointer = poleSlots)
        fixed (double* totalPointer = weightTotals)
        fixed (float* destinationPointer = destination)
        {
            for (var index = 0; index < done; index += Lanes)
            {
                var target = first + index;
                var (low, high) = (Vector256<double>.Zero, Vector256<double>.Zero);
                for (var corner = 0; corner < 4; corner++)
                {
                    // Cells were checked against the grid when the plan was made; RequireSameGrid keeps it.
                    var offset = (corner * targets) + target;
                    var samples = Avx2.GatherVector256(stepPointer, Avx.LoadVector256(cellPointer + offset), 4);
                    low = Avx.Add(low, Avx.Multiply(Avx.LoadVector256(weightPointer + offset),
                        Avx.ConvertToVector256Double(samples.GetLower())));
                    high = Avx.Add(high, Avx.Multiply(Avx.LoadVector256(weightPointer + offset + 4),
                        Avx.ConvertToVector256Double(samples.GetUpper())));
                }

                // The pole term: slot 1 takes the north value, slot 2 the south, slot 0 the value 0 (a blend,
                // not a gather: it is the same number either way).
                var slots = Avx.LoadVector256(poleSlotPointer + target);
                low = Avx.Add(low, Avx.Multiply(Avx.LoadVector256(poleWeightPointer + target),
                    PoleTerms(slots.GetLower(), north, south)));
                high = Avx.Add(high, Avx.Multiply(Avx.LoadVector256(poleWeightPointer + target + 4),
                    PoleTerms(slots.GetUpper(), north, south)));

                // (float)(sum / total) where total > 0, else NaN; ConvertToVector128Single rounds to nearest.
                var lowTotals = Avx.LoadVector256(totalPointer + target);
                var highTotals = Avx.LoadVector256(totalPointer + target + 4);
                low = Avx.BlendVariable(nan, Avx.Divide(low, lowTotals),
                    Avx.CompareGreaterThan(lowTotals, Vector256<double>.Zero));
                high = Avx.BlendVariable(nan, Avx.Divide(high, highTotals),
                    Avx.CompareGreaterThan(highTotals, Vector256<double>.Zero));
                Sse.Store(destinationPointer + index, Avx.ConvertToVector128Single(low));
                Sse.Store(destinationPointer + index + 4, Avx.ConvertToVector128Single(high));
            }
        }

        return done;
    }

    /// <summary>Per lane: slot 1 gives north, slot 2 south, anything else 0.</summary>
    private static Vector256<double> PoleTerms(Vector128<int> slots, Vector256<double> north,
        Vector256<double> south)
    {
        var wide = Avx2.ConvertToVector256Int64(slots).AsDouble();
        var isNorth = Avx2.CompareEqual(wide.AsInt64(), Vector256.Create(1L)).AsDouble();
        var isSouth = Avx2.CompareEqual(wide.AsInt64(), Vector256.Create(2L)).AsDouble();
        return Avx.BlendVariable(Avx.BlendVariable(Vector256<double>.Zero, north, isNorth), south, isSouth);
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
