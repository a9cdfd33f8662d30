using System.Globalization;

namespace WeatherGinr.Ingest;

/// <summary>
/// What a decoded field must satisfy before a dataset takes the file it came from: at least one valid
/// value, and every valid value (in canonical units) inside the physical range of its quantity. The
/// dataset grain refuses a file that fails, and <see cref="NetCdfInspector"/> reports the same sentence,
/// so that inspect predicts what ingest refuses.
/// </summary>
/// <remarks>
/// The ranges are generous on purpose: they are there to catch wrong units, undeclared fill values and
/// percent labelled as a fraction, not to judge the weather.
/// <list type="bullet">
/// <item>Air temperature 150 .. 350 K. The coldest air measured near the surface is 184 K (Vostok,
/// -89.2 degC) and the coldest of the troposphere and stratosphere about 180 K; the hottest is 330 K
/// (56.7 degC). Degrees Celsius labelled K (-90 .. 60 "K") and degrees Fahrenheit labelled K fall below
/// 150 K. The polar summer mesopause (about 130 K) is outside, but a single-level product does not
/// ingest it.</item>
/// <item>Each wind component within +-200 m s-1: jet stream cores reach about 110 m s-1 and the fastest
/// Doppler-measured tornado winds about 135 m s-1.</item>
/// <item>Cloud area fraction in [0, 1], with <see cref="FractionTolerance"/> either side for rounding
/// (percent divided by 100 in float, packed bytes).</item>
/// </list>
/// </remarks>
public static class FieldAcceptance
{
    /// <summary>How far outside [0, 1] a cloud fraction may lie and still count as rounding.</summary>
    public const double FractionTolerance = 1e-3;

    /// <summary>Smallest and largest physically plausible value of a quantity, in its canonical units.</summary>
    public static (double Minimum, double Maximum) PhysicalRange(WeatherQuantity quantity) => quantity switch
    {
        WeatherQuantity.AirTemperature => (150.0, 350.0),
        WeatherQuantity.EastwardWind or WeatherQuantity.NorthwardWind => (-200.0, 200.0),
        WeatherQuantity.CloudAreaFraction => (-FractionTolerance, 1.0 + FractionTolerance),
        _ => throw new ArgumentOutOfRangeException(nameof(quantity), quantity, "not a known quantity"),
    };

    /// <summary>The refusals (see <see cref="Refusal"/>) of every field decoded from <paramref name="path"/>.</summary>
    public static IReadOnlyList<string> Refusals(IEnumerable<GriddedField> fields, string path)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return fields.Select(field => Refusal(field, path)).OfType<string>().ToList();
    }

    /// <summary>
    /// Why a dataset must refuse the file <paramref name="path"/> for this field (decoded from that file
    /// alone), or null when it may take it. NaN is missing; an infinity counts as outside the range.
    /// </summary>
    public static string? Refusal(GriddedField field, string path)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        var (minimum, maximum) = PhysicalRange(field.Quantity);
        long valid = 0, outside = 0;
        var worst = double.NaN;
        var worstDistance = 0.0;
        foreach (var value in field.Values)
        {
            if (float.IsNaN(value))
            {
                continue;
            }

            valid++;
            var distance = value < minimum ? minimum - value : value - maximum;
            if (distance > 0)
            {
                outside++;
                if (!(distance <= worstDistance))
                {
                    (worst, worstDistance) = (value, distance);
                }
            }
        }

        if (valid == 0)
        {
            return $"variable '{field.VariableName}' in '{path}': has no valid value: all {field.Values.Length:N0} "
                + "values are missing (fill value, missing value, outside the valid range, or not finite)";
        }

        return outside == 0 ? null : Implausible(field, path, valid, outside, worst);
    }

    private static string Implausible(GriddedField field, string path, long valid, long outside, double worst)
    {
        var (minimum, maximum) = PhysicalRange(field.Quantity);
        var range = field.Quantity == WeatherQuantity.CloudAreaFraction
            ? $"0 .. 1 (a fraction, {Number(FractionTolerance)} either side allowed for rounding)"
            : $"{Number(minimum)} .. {Number(maximum)} {field.CanonicalUnits}";
        var worstText = field.Quantity == WeatherQuantity.CloudAreaFraction
            ? Number(worst)
            : $"{Number(worst)} {field.CanonicalUnits}";
        var written = field.UnitsInferred ? $"inferred as '{field.SourceUnits}'" : $"'{field.SourceUnits}'";
        return $"variable '{field.VariableName}' in '{path}': has {outside:N0} of {valid:N0} valid values outside "
            + $"the physically plausible range of {field.Quantity}, {range} (worst: {worstText}; units in the "
            + $"file: {written}): {LikelyCause(field.Quantity, worst, maximum)}";
    }

    /// <summary>The usual reason for such a value, and what to change in the file.</summary>
    private static string LikelyCause(WeatherQuantity quantity, double worst, double maximum)
    {
        // Fill values are typically 1e20, 9.96921e36 (netCDF's default) or 3.4e38 (float maximum).
        if (!(Math.Abs(worst) < 1e10))
        {
            return "a value this large is usually a fill value the file does not declare; give the variable "
                + "a _FillValue or missing_value attribute holding it";
        }

        return quantity switch
        {
            WeatherQuantity.AirTemperature when worst < maximum =>
                "values this low are usually degrees Celsius or Fahrenheit labelled as kelvin; check the "
                + "units attribute (e.g. units = \"degC\")",
            WeatherQuantity.CloudAreaFraction when worst > maximum && worst <= 100 =>
                "values up to 100 are usually percent labelled as a fraction; set units = \"%\"",
            _ => "check the units attribute, and whether a fill or missing value is used but not declared",
        };
    }

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
