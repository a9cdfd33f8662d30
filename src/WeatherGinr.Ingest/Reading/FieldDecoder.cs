using WeatherGinr.Ingest.Cf;
using WeatherGinr.Ingest.Native;

namespace WeatherGinr.Ingest.Reading;

/// <summary>
/// Decodes one recognised variable of one file into a <see cref="FileField"/>: reads it one time
/// step at a time, applies the CF value decoding, reorders rows and columns onto the ascending
/// grid, and converts to canonical units.
/// </summary>
internal static class FieldDecoder
{
    /// <summary>Most values (time x lat x lon) one field may hold: 2^28 floats, 1 GiB.</summary>
    internal const long MaxValuesPerField = 1L << 28;

    /// <summary>Most values of one time step: 2^26 (a 0.025-degree global grid).</summary>
    internal const long MaxValuesPerStep = 1L << 26;

    /// <param name="file">The open file.</param>
    /// <param name="variable">The variable to decode.</param>
    /// <param name="quantity">What it measures.</param>
    /// <param name="workspace">
    /// Lends the values array when given (handed back here if decoding fails after the read); otherwise a
    /// new array.
    /// </param>
    internal static FileField Decode(NetCdfFile file, NetCdfVariable variable, WeatherQuantity quantity,
        IngestWorkspace? workspace = null)
    {
        var path = file.Path;
        var name = variable.QualifiedName;
        if (!variable.Type.IsNumeric())
        {
            throw new IngestException(path, name, $"has type {variable.Type.CdlName()}, not a numeric type");
        }

        var layout = VariableLayout.Resolve(file, variable);
        var latitudeCount = layout.LatitudesDegrees.Length;
        var longitudeCount = layout.LongitudesDegrees.Length;
        var fileLatitudeCount = variable.Dimensions[layout.LatitudeAxis].Length;
        var fileLongitudeCount = variable.Dimensions[layout.LongitudeAxis].Length;
        var timeCount = layout.TimesUtc.Length;
        var stepValues = fileLatitudeCount * fileLongitudeCount;
        if (latitudeCount == 0 || longitudeCount == 0 || timeCount == 0)
        {
            throw new IngestException(path, name, "has an empty latitude, longitude or time axis");
        }

        if (stepValues > MaxValuesPerStep || (double)stepValues * timeCount > MaxValuesPerField)
        {
            throw new IngestException(path, name,
                $"would hold {timeCount} x {fileLatitudeCount} x {fileLongitudeCount} values, more than the limit "
                + $"of {MaxValuesPerField} per field ({MaxValuesPerStep} per step); refusing to allocate");
        }

        var decoder = CfValueDecoder.For(variable, path);

        // Every element is written below (each step, row and column), so the array need not be zeroed, and a
        // workspace's buffer may hold the previous file's values.
        var valueCount = timeCount * latitudeCount * longitudeCount;
        var values = workspace?.Rent(valueCount) ?? GC.AllocateUninitializedArray<float>(valueCount);
        try
        {
            return DecodeInto(file, variable, quantity, layout, decoder, values);
        }
        catch when (workspace is not null)
        {
            workspace.Return(values);
            throw;
        }
    }

    /// <summary>Reads, decodes and converts every value into <paramref name="values"/>, then describes them.</summary>
    private static FileField DecodeInto(NetCdfFile file, NetCdfVariable variable, WeatherQuantity quantity,
        VariableLayout layout, CfValueDecoder decoder, float[] values)
    {
        var (path, name) = (file.Path, variable.QualifiedName);

        // The range of the values matters only when units must be inferred from it.
        var needRange = string.IsNullOrWhiteSpace(variable.Text("units"));
        double minimum = double.PositiveInfinity, maximum = double.NegativeInfinity;
        if (variable.Type == NetCdfType.Float && decoder.DecodesAsFloat32)
        {
            // The common case (float32 with a fill value): stored floats, decoded in one vectorised pass.
            new Float32StepReader(file, variable, layout, decoder).ReadInto(values);
            if (needRange)
            {
                (minimum, maximum) = ValidRange(values);
            }
        }
        else
        {
            ReadWidened(file, variable, layout, decoder, values, needRange, ref minimum, ref maximum);
        }

        var (units, inferred) = ResolveUnits(path, name, variable, quantity, minimum, maximum);
        var conversion = QuantityCatalog.Conversion(quantity, units)
            ?? throw new IngestException(path, name,
                $"has units '{units}', which are not accepted for {quantity}; accepted: "
                + QuantityCatalog.AcceptedUnits(quantity));
        if (conversion != UnitConversion.Identity)
        {
            for (var index = 0; index < values.Length; index++)
            {
                values[index] = (float)conversion.Apply(values[index]);
            }
        }

        return new FileField(path, variable.Name, quantity, layout.LatitudesDegrees, layout.LongitudesDegrees,
            layout.TimesUtc, values, units, inferred);
    }

    /// <summary>
    /// Any numeric type and any CF decoding: one step at a time through double (packed integers, _Unsigned,
    /// valid ranges, unpacked missing values), rows and columns reordered onto the ascending grid.
    /// </summary>
    private static void ReadWidened(NetCdfFile file, NetCdfVariable variable, VariableLayout layout,
        CfValueDecoder decoder, float[] values, bool needRange, ref double minimum, ref double maximum)
    {
        var latitudeCount = layout.LatitudesDegrees.Length;
        var longitudeCount = layout.LongitudesDegrees.Length;
        var fileLatitudeCount = variable.Dimensions[layout.LatitudeAxis].Length;
        var fileLongitudeCount = variable.Dimensions[layout.LongitudeAxis].Length;
        var stepValues = (int)(fileLatitudeCount * fileLongitudeCount);
        var raw = new double[stepValues];

        // Within one step only latitude and longitude have a count above 1, so a value's place
        // in the slab is row * latitudeStride + column * longitudeStride.
        var latitudeStride = layout.LatitudeAxis < layout.LongitudeAxis ? (int)fileLongitudeCount : 1;
        var longitudeStride = layout.LatitudeAxis < layout.LongitudeAxis ? 1 : (int)fileLatitudeCount;
        var start = new long[variable.Rank];
        var count = new long[variable.Rank];
        Array.Fill(count, 1);
        count[layout.LatitudeAxis] = fileLatitudeCount;
        count[layout.LongitudeAxis] = fileLongitudeCount;
        for (var step = 0; step < layout.TimesUtc.Length; step++)
        {
            if (layout.TimeAxis >= 0)
            {
                start[layout.TimeAxis] = step;
            }

            file.ReadSlab(variable, start, count, raw);
            decoder.DecodeInPlace(raw.AsSpan());
            VariableLayout.CheckDuplicateColumns<double>(layout, raw, (int)fileLatitudeCount, latitudeStride,
                longitudeStride, file.Path, variable.Name, layout.TimesUtc[step]);
            var stepOffset = step * latitudeCount * longitudeCount;
            var longitudeSource = layout.LongitudeSource;
            for (var row = 0; row < latitudeCount; row++)
            {
                var sourceRow = layout.LatitudeSource[row] * latitudeStride;
                var target = values.AsSpan(stepOffset + (row * longitudeCount), longitudeCount);
                for (var column = 0; column < target.Length; column++)
                {
                    target[column] = (float)raw[sourceRow + (longitudeSource[column] * longitudeStride)];
                }

                for (var column = 0; needRange && column < target.Length; column++)
                {
                    var value = raw[sourceRow + (longitudeSource[column] * longitudeStride)];
                    if (!double.IsNaN(value))
                    {
                        minimum = Math.Min(minimum, value);
                        maximum = Math.Max(maximum, value);
                    }
                }
            }
        }
    }

    /// <summary>Smallest and largest valid (non-NaN) value; infinities when none is valid.</summary>
    private static (double Minimum, double Maximum) ValidRange(ReadOnlySpan<float> values)
    {
        double minimum = double.PositiveInfinity, maximum = double.NegativeInfinity;
        foreach (var value in values)
        {
            if (!float.IsNaN(value))
            {
                minimum = Math.Min(minimum, value);
                maximum = Math.Max(maximum, value);
            }
        }

        return (minimum, maximum);
    }

    private static (string Units, bool Inferred) ResolveUnits(
        string path, string name, NetCdfVariable variable, WeatherQuantity quantity, double minimum, double maximum)
    {
        var written = variable.Text("units");
        if (!string.IsNullOrWhiteSpace(written))
        {
            return (written, false);
        }

        var inferred = QuantityCatalog.InferUnits(quantity, minimum, maximum);
        if (inferred is null)
        {
            throw new IngestException(path, name,
                $"has no units attribute and its values ({minimum} .. {maximum}) do not identify the units of "
                + $"{quantity}; add units, one of {QuantityCatalog.AcceptedUnits(quantity)}");
        }

        return (inferred, true);
    }
}
