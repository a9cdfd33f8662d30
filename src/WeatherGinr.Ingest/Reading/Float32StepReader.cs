using System.Buffers;
using System.Diagnostics;
using WeatherGinr.Ingest.Cf;
using WeatherGinr.Ingest.Native;

namespace WeatherGinr.Ingest.Reading;

/// <summary>
/// The fast path of <see cref="FieldDecoder"/> for float32 variables that decode by masking alone (most
/// model output): the library hands over the stored floats (no widening to double), many steps per call,
/// and the CF mask runs as one vectorised pass. Rows and columns are then moved onto the ascending grid
/// in runs of consecutive columns (a longitude rotation is two runs a row), or the block is read straight
/// into the result when the file's order already is the grid's. Gives exactly what the double path gives.
/// </summary>
internal sealed class Float32StepReader
{
    /// <summary>Most values one read asks for: 2^22 floats (16 MiB of pooled buffer).</summary>
    private const int MaxValuesPerRead = 1 << 22;

    private readonly NetCdfFile file;
    private readonly NetCdfVariable variable;
    private readonly VariableLayout layout;
    private readonly CfValueDecoder decoder;
    private readonly int fileLatitudeCount;
    private readonly int fileLongitudeCount;
    private readonly int latitudeStride;
    private readonly int longitudeStride;

    internal Float32StepReader(NetCdfFile file, NetCdfVariable variable, VariableLayout layout,
        CfValueDecoder decoder)
    {
        Debug.Assert(variable.Type == NetCdfType.Float && decoder.DecodesAsFloat32, "float32, mask-only decoding");
        this.file = file;
        this.variable = variable;
        this.layout = layout;
        this.decoder = decoder;
        fileLatitudeCount = (int)variable.Dimensions[layout.LatitudeAxis].Length;
        fileLongitudeCount = (int)variable.Dimensions[layout.LongitudeAxis].Length;

        // Within one step only latitude and longitude have a count above 1, so a value's place in the
        // step is row * latitudeStride + column * longitudeStride.
        var latitudeFirst = layout.LatitudeAxis < layout.LongitudeAxis;
        latitudeStride = latitudeFirst ? fileLongitudeCount : 1;
        longitudeStride = latitudeFirst ? 1 : fileLatitudeCount;
    }

    /// <summary>Every step, decoded, in [time, ascending latitude, ascending longitude] order.</summary>
    internal void ReadInto(float[] values)
    {
        var stepValues = fileLatitudeCount * fileLongitudeCount;
        var timeCount = layout.TimesUtc.Length;
        Debug.Assert(values.Length == timeCount * layout.LatitudesDegrees.Length * layout.LongitudesDegrees.Length,
            "one value per step, row and column of the ascending grid");

        // Several steps per read only when time is the slowest-varying of the three axes: then a block of
        // steps is consecutive whole steps in the buffer.
        var timeOutermost = layout.TimeAxis < Math.Min(layout.LatitudeAxis, layout.LongitudeAxis);
        var stepsPerRead = timeOutermost ? Math.Clamp(MaxValuesPerRead / stepValues, 1, timeCount) : 1;
        var inFileOrder = IsInGridOrder();
        var buffer = inFileOrder ? null : ArrayPool<float>.Shared.Rent(stepsPerRead * stepValues);
        try
        {
            var runs = inFileOrder ? [] : ColumnRuns();
            for (var first = 0; first < timeCount; first += stepsPerRead)
            {
                var steps = Math.Min(stepsPerRead, timeCount - first);
                var block = inFileOrder
                    ? values.AsSpan(first * stepValues, steps * stepValues)
                    : buffer.AsSpan(0, steps * stepValues);
                ReadSteps(first, steps, block);
                decoder.DecodeInPlace(block);
                if (!inFileOrder)
                {
                    for (var step = 0; layout.LongitudeDuplicates.Length > 0 && step < steps; step++)
                    {
                        VariableLayout.CheckDuplicateColumns(layout, block.Slice(step * stepValues, stepValues),
                            fileLatitudeCount, latitudeStride, longitudeStride, file.Path, variable.Name,
                            layout.TimesUtc[first + step]);
                    }

                    Place(block, first, steps, runs, values);
                }
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<float>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// True when the file already stores steps as the grid wants them: time first, latitude before
    /// longitude, rows ascending and columns ascending in [-180, 180) with none dropped.
    /// </summary>
    private bool IsInGridOrder()
    {
        if (layout.TimeAxis > Math.Min(layout.LatitudeAxis, layout.LongitudeAxis)
            || layout.LatitudeAxis > layout.LongitudeAxis
            || layout.LongitudeSource.Length != fileLongitudeCount)
        {
            return false;
        }

        for (var row = 0; row < layout.LatitudeSource.Length; row++)
        {
            if (layout.LatitudeSource[row] != row)
            {
                return false;
            }
        }

        for (var column = 0; column < layout.LongitudeSource.Length; column++)
        {
            if (layout.LongitudeSource[column] != column)
            {
                return false;
            }
        }

        return true;
    }

    private void ReadSteps(int first, int steps, Span<float> block)
    {
        var start = new long[variable.Rank];
        var count = new long[variable.Rank];
        Array.Fill(count, 1);
        count[layout.LatitudeAxis] = fileLatitudeCount;
        count[layout.LongitudeAxis] = fileLongitudeCount;
        if (layout.TimeAxis >= 0)
        {
            start[layout.TimeAxis] = first;
            count[layout.TimeAxis] = steps;
        }

        file.ReadSlab(variable, start, count, block);
    }

    /// <summary>
    /// Runs of grid columns whose file columns are consecutive (with longitude the fastest axis):
    /// (first grid column, first file column, length). Without that, one run per column.
    /// </summary>
    private (int Column, int Source, int Length)[] ColumnRuns()
    {
        var source = layout.LongitudeSource;
        var runs = new List<(int Column, int Source, int Length)>();
        for (var column = 0; column < source.Length;)
        {
            var length = 1;
            while (longitudeStride == 1 && column + length < source.Length
                   && source[column + length] == source[column] + length)
            {
                length++;
            }

            runs.Add((column, source[column], length));
            column += length;
        }

        return [.. runs];
    }

    /// <summary>Copies decoded steps from the file's order into their ascending rows and columns.</summary>
    private void Place(ReadOnlySpan<float> block, int first, int steps,
        ReadOnlySpan<(int Column, int Source, int Length)> runs, float[] values)
    {
        var stepValues = fileLatitudeCount * fileLongitudeCount;
        var columns = layout.LongitudesDegrees.Length;
        var gridStepValues = layout.LatitudesDegrees.Length * columns;
        for (var step = 0; step < steps; step++)
        {
            var fileStep = block.Slice(step * stepValues, stepValues);
            var gridStep = values.AsSpan((first + step) * gridStepValues, gridStepValues);
            for (var row = 0; row < layout.LatitudeSource.Length; row++)
            {
                var sourceRow = layout.LatitudeSource[row] * latitudeStride;
                var target = gridStep.Slice(row * columns, columns);
                foreach (var (column, source, length) in runs)
                {
                    if (longitudeStride == 1)
                    {
                        fileStep.Slice(sourceRow + source, length).CopyTo(target.Slice(column, length));
                    }
                    else
                    {
                        target[column] = fileStep[sourceRow + (source * longitudeStride)];
                    }
                }
            }
        }
    }
}
