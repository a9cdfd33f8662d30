using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using WeatherGinr.Ingest.Native;

namespace WeatherGinr.Ingest.Cf;

/// <summary>
/// Turns raw stored numbers of one variable into physical values in the file's own units,
/// following the CF conventions (section 2.5 and 8.1):
/// <list type="bullet">
/// <item><c>_Unsigned = "true"</c> on a signed integer type reinterprets it as unsigned
/// (raw + 2^bits when negative), for the data and for its fill/missing/valid attributes.</item>
/// <item>missing when the raw value equals <c>_FillValue</c>, or any of <c>missing_value</c>
/// (both honoured, also when they disagree), or lies outside <c>valid_range</c> /
/// <c>valid_min</c> / <c>valid_max</c>, or is NaN or infinite; with no <c>_FillValue</c>, the
/// library's default fill for the type counts as missing (as netCDF4-python does).</item>
/// <item>unpacked = raw * scale_factor + add_offset (a negative scale is fine).</item>
/// </list>
/// Attributes given in the variable's own type are compared with raw values; for a packed
/// variable, missing/valid attributes written in another type (the unpacked type) are
/// compared with unpacked values, as CF 8.1 allows.
/// </summary>
internal sealed class CfValueDecoder
{
    private readonly double scale;
    private readonly double offset;
    private readonly double unsignedShift;
    private readonly double[] missingRaw;
    private readonly double[] missingUnpacked;
    private readonly double validMinRaw;
    private readonly double validMaxRaw;
    private readonly double validMinUnpacked;
    private readonly double validMaxUnpacked;
    private readonly bool isFloat32;

    private CfValueDecoder(
        double scale, double offset, double unsignedShift, double[] missingRaw, double[] missingUnpacked,
        (double Min, double Max) validRaw, (double Min, double Max) validUnpacked, bool isFloat32)
    {
        this.scale = scale;
        this.offset = offset;
        this.unsignedShift = unsignedShift;
        this.missingRaw = missingRaw;
        this.missingUnpacked = missingUnpacked;
        (validMinRaw, validMaxRaw) = validRaw;
        (validMinUnpacked, validMaxUnpacked) = validUnpacked;
        this.isFloat32 = isFloat32;
    }

    internal bool IsPacked => scale != 1 || offset != 0;

    internal static CfValueDecoder For(NetCdfVariable variable, string path)
    {
        var type = variable.Type;
        var unsignedShift = 0.0;
        if (type.IsInteger() && string.Equals(variable.Text("_Unsigned"), "true", StringComparison.OrdinalIgnoreCase))
        {
            unsignedShift = type switch
            {
                NetCdfType.Byte => 256.0,
                NetCdfType.Short => 65536.0,
                NetCdfType.Int => 4294967296.0,
                NetCdfType.Int64 => 18446744073709551616.0,
                _ => 0.0,
            };
        }

        var scale = Single(variable, "scale_factor", path) ?? 1.0;
        var offset = Single(variable, "add_offset", path) ?? 0.0;
        if (!double.IsFinite(scale) || !double.IsFinite(offset))
        {
            throw new IngestException(path, variable.QualifiedName,
                $"has a non-finite scale_factor ({scale}) or add_offset ({offset})");
        }

        var packed = variable.Numbers("scale_factor") is not null || variable.Numbers("add_offset") is not null;
        var packedType = variable.AttributeType("scale_factor") ?? variable.AttributeType("add_offset");

        // Which space an attribute lives in: its own type decides (CF 8.1).
        bool InUnpackedSpace(string name) =>
            packed && variable.AttributeType(name) is { } attributeType && attributeType != type
            && (packedType is null || attributeType == packedType || attributeType.IsFloatingPoint());

        double ToRaw(double value, string name)
        {
            if (variable.AttributeType(name) == type && unsignedShift != 0 && value < 0)
            {
                value += unsignedShift;
            }

            // A float variable's values are float32: compare the attribute at float32 precision,
            // so a double -1e34 matches the stored float -1e34f.
            return type == NetCdfType.Float ? (float)value : value;
        }

        var missingRaw = new List<double>();
        var missingUnpacked = new List<double>();
        var fill = variable.Numbers("_FillValue");
        if (fill is not null)
        {
            // _FillValue is by definition in the variable's own (raw) type.
            missingRaw.Add(ToRaw(fill[0], "_FillValue"));
        }
        else if (unsignedShift == 0 && type.DefaultFill() is { } defaultFill)
        {
            missingRaw.Add(defaultFill);
        }

        foreach (var value in variable.Numbers("missing_value") ?? [])
        {
            if (InUnpackedSpace("missing_value"))
            {
                missingUnpacked.Add(value);
            }
            else
            {
                missingRaw.Add(ToRaw(value, "missing_value"));
            }
        }

        var validRaw = (double.NegativeInfinity, double.PositiveInfinity);
        var validUnpacked = (double.NegativeInfinity, double.PositiveInfinity);
        var range = variable.Numbers("valid_range");
        if (range is not null && (range.Length != 2 || !(range[0] <= range[1])))
        {
            // CF: two numbers, the smallest valid value first. Taken as given, an inverted range masked every value
            // and the file was refused for holding no valid value, without a word about the attribute.
            throw new IngestException(path, variable.QualifiedName,
                $"has valid_range [{string.Join(", ", range.Select(v => v.ToString(CultureInfo.InvariantCulture)))}]; "
                + "it must hold two numbers, the smallest valid value first");
        }

        var validMin = variable.Numbers("valid_min");
        var validMax = variable.Numbers("valid_max");
        if (range is null && validMin is { Length: > 0 } && validMax is { Length: > 0 }
            && !(validMin[0] <= validMax[0]))
        {
            throw new IngestException(path, variable.QualifiedName,
                $"has valid_min {validMin[0].ToString(CultureInfo.InvariantCulture)} above valid_max "
                + $"{validMax[0].ToString(CultureInfo.InvariantCulture)}; no value could be valid");
        }

        if (range is not null)
        {
            SetValid("valid_range", range[0], range[1]);
        }
        else
        {
            if (validMin is { Length: > 0 })
            {
                SetValid("valid_min", validMin[0], double.PositiveInfinity);
            }

            if (validMax is { Length: > 0 })
            {
                SetValid("valid_max", double.NegativeInfinity, validMax[0]);
            }
        }

        void SetValid(string name, double min, double max)
        {
            if (InUnpackedSpace(name))
            {
                validUnpacked = (Math.Max(validUnpacked.Item1, min), Math.Min(validUnpacked.Item2, max));
            }
            else
            {
                var low = double.IsInfinity(min) ? min : ToRaw(min, name);
                var high = double.IsInfinity(max) ? max : ToRaw(max, name);
                validRaw = (Math.Max(validRaw.Item1, low), Math.Min(validRaw.Item2, high));
            }
        }

        return new CfValueDecoder(
            scale, offset, unsignedShift, [.. missingRaw], [.. missingUnpacked], validRaw, validUnpacked,
            type == NetCdfType.Float);
    }

    /// <summary>
    /// True when decoding only masks values (non-finite, or equal to a raw fill or missing value): no
    /// packing, no <c>_Unsigned</c>, no valid range, no missing value in unpacked space.
    /// </summary>
    internal bool IsMaskOnly =>
        unsignedShift == 0 && !IsPacked && missingUnpacked.Length == 0
        && double.IsNegativeInfinity(validMinRaw) && double.IsPositiveInfinity(validMaxRaw)
        && double.IsNegativeInfinity(validMinUnpacked) && double.IsPositiveInfinity(validMaxUnpacked);

    /// <summary>
    /// <see cref="Decode"/> of every value in place. Mask-only variables (most float files) take a
    /// loop without calls, the hot path of ingestion; it gives exactly what <see cref="Decode"/> gives.
    /// </summary>
    internal void DecodeInPlace(Span<double> values)
    {
        if (!IsMaskOnly)
        {
            for (var index = 0; index < values.Length; index++)
            {
                values[index] = Decode(values[index]);
            }

            return;
        }

        var missingValues = missingRaw;
        for (var index = 0; index < values.Length; index++)
        {
            var raw = values[index];
            var isMissing = !double.IsFinite(raw);
            foreach (var missing in missingValues)
            {
                isMissing |= raw == missing;
            }

            // raw * 1 + 0 is raw: the unpacking of Decode is the identity here.
            values[index] = isMissing ? double.NaN : isFloat32 ? (float)raw : raw;
        }
    }

    /// <summary>
    /// True when a float32 variable decodes by masking alone and every fill or missing value is itself a
    /// float32 number, so <see cref="DecodeInPlace(Span{float})"/> on the stored floats gives exactly what
    /// <see cref="DecodeInPlace(Span{double})"/> gives on them widened to double.
    /// </summary>
    internal bool DecodesAsFloat32 =>
        isFloat32 && IsMaskOnly && Array.TrueForAll(missingRaw, missing => (double)(float)missing == missing);

    /// <summary>
    /// The mask-only decoding of stored float32 values, in place and vectorised: NaN where a value is NaN,
    /// infinite, or equal to a fill or missing value; every other value unchanged. Only when
    /// <see cref="DecodesAsFloat32"/>.
    /// </summary>
    internal void DecodeInPlace(Span<float> values)
    {
        Debug.Assert(DecodesAsFloat32, "only float32 variables that decode by masking");
        const uint ExponentBits = 0x7F80_0000;
        Span<float> missing = stackalloc float[missingRaw.Length];
        for (var slot = 0; slot < missing.Length; slot++)
        {
            missing[slot] = (float)missingRaw[slot];
        }

        var index = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var exponent = new Vector<uint>(ExponentBits);
            var nan = new Vector<float>(float.NaN);
            for (; index + Vector<float>.Count <= values.Length; index += Vector<float>.Count)
            {
                var slice = values.Slice(index, Vector<float>.Count);
                var vector = new Vector<float>(slice);

                // Non-finite: all exponent bits set (IEEE 754 binary32). Equality is IEEE, as in the scalar
                // loop: -0 equals 0, NaN equals nothing.
                var isMissing = Vector.AsVectorSingle(
                    Vector.Equals(Vector.AsVectorUInt32(vector) & exponent, exponent));
                foreach (var value in missing)
                {
                    isMissing |= Vector.AsVectorSingle(Vector.Equals(vector, new Vector<float>(value)));
                }

                Vector.ConditionalSelect(Vector.AsVectorInt32(isMissing), nan, vector).CopyTo(slice);
            }
        }

        for (; index < values.Length; index++)
        {
            var raw = values[index];
            var isMissing = !float.IsFinite(raw);
            foreach (var value in missing)
            {
                isMissing |= raw == value;
            }

            values[index] = isMissing ? float.NaN : raw;
        }
    }

    /// <summary>Physical value of one raw number, NaN when it is missing or invalid.</summary>
    internal double Decode(double raw)
    {
        if (unsignedShift != 0 && raw < 0)
        {
            raw += unsignedShift;
        }

        if (!double.IsFinite(raw) || raw < validMinRaw || raw > validMaxRaw)
        {
            return double.NaN;
        }

        foreach (var missing in missingRaw)
        {
            if (raw == missing)
            {
                return double.NaN;
            }
        }

        // value = raw * scale_factor + add_offset
        var value = raw * scale + offset;
        if (!double.IsFinite(value) || value < validMinUnpacked || value > validMaxUnpacked)
        {
            return double.NaN;
        }

        foreach (var missing in missingUnpacked)
        {
            // Unpacked attributes are usually float32 while the unpacked value is computed in
            // double: compare at float32 precision.
            if ((float)value == (float)missing || double.IsNaN(missing) && double.IsNaN(value))
            {
                return double.NaN;
            }
        }

        return isFloat32 && !IsPacked ? (float)value : value;
    }

    private static double? Single(NetCdfVariable variable, string name, string path)
    {
        var numbers = variable.Numbers(name);
        if (numbers is null)
        {
            if (variable.Attributes.ContainsKey(name))
            {
                throw new IngestException(path, variable.QualifiedName,
                    $"has a {name} attribute that is not a number ('{variable.Text(name)}')");
            }

            return null;
        }

        return numbers[0];
    }
}
