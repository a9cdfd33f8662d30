using WeatherGinr.Ingest.Native;

namespace WeatherGinr.Ingest.Cf;

/// <summary>
/// Which variables hold which <see cref="WeatherQuantity"/>, and how their units convert to the
/// canonical ones. A variable is recognised by its CF <c>standard_name</c> first; only a
/// variable without a standard_name (or with one of ours) is recognised by its name. A variable
/// whose standard_name names something else (e.g. sea_surface_temperature) is never taken.
/// </summary>
internal static class QuantityCatalog
{
    private static readonly Dictionary<string, WeatherQuantity> StandardNames = new(StringComparer.Ordinal)
    {
        ["eastward_wind"] = WeatherQuantity.EastwardWind,
        ["northward_wind"] = WeatherQuantity.NorthwardWind,
        ["air_temperature"] = WeatherQuantity.AirTemperature,
        ["cloud_area_fraction"] = WeatherQuantity.CloudAreaFraction,
    };

    private static readonly Dictionary<string, WeatherQuantity> CommonNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["u10"] = WeatherQuantity.EastwardWind,
        ["uas"] = WeatherQuantity.EastwardWind,
        ["uwnd"] = WeatherQuantity.EastwardWind,
        ["u"] = WeatherQuantity.EastwardWind,
        ["u10m"] = WeatherQuantity.EastwardWind,
        ["10u"] = WeatherQuantity.EastwardWind,
        ["ugrd"] = WeatherQuantity.EastwardWind,
        ["ugrd10m"] = WeatherQuantity.EastwardWind,
        ["v10"] = WeatherQuantity.NorthwardWind,
        ["vas"] = WeatherQuantity.NorthwardWind,
        ["vwnd"] = WeatherQuantity.NorthwardWind,
        ["v"] = WeatherQuantity.NorthwardWind,
        ["v10m"] = WeatherQuantity.NorthwardWind,
        ["10v"] = WeatherQuantity.NorthwardWind,
        ["vgrd"] = WeatherQuantity.NorthwardWind,
        ["vgrd10m"] = WeatherQuantity.NorthwardWind,
        ["t2m"] = WeatherQuantity.AirTemperature,
        ["2t"] = WeatherQuantity.AirTemperature,
        ["t2"] = WeatherQuantity.AirTemperature,
        ["tas"] = WeatherQuantity.AirTemperature,
        ["trefht"] = WeatherQuantity.AirTemperature,
        ["airt"] = WeatherQuantity.AirTemperature,
        ["at"] = WeatherQuantity.AirTemperature,
        ["air"] = WeatherQuantity.AirTemperature,
        ["tmp2m"] = WeatherQuantity.AirTemperature,
        ["tair"] = WeatherQuantity.AirTemperature,
        ["t"] = WeatherQuantity.AirTemperature,
        ["tcc"] = WeatherQuantity.CloudAreaFraction,
        ["cld"] = WeatherQuantity.CloudAreaFraction,
        ["clt"] = WeatherQuantity.CloudAreaFraction,
        ["cldtot"] = WeatherQuantity.CloudAreaFraction,
        ["tcdc"] = WeatherQuantity.CloudAreaFraction,
        ["tcdcclm"] = WeatherQuantity.CloudAreaFraction,
        ["cloud"] = WeatherQuantity.CloudAreaFraction,
        ["total_cloud_cover"] = WeatherQuantity.CloudAreaFraction,
        ["cloudcover"] = WeatherQuantity.CloudAreaFraction,
    };

    // Keys are normalised by Normalise: lower case, without spaces, '_', '.', '*' and '^'.
    private static readonly Dictionary<string, UnitConversion> WindUnits = new(StringComparer.Ordinal)
    {
        ["ms-1"] = UnitConversion.Identity,
        ["m/s"] = UnitConversion.Identity,
        ["m/sec"] = UnitConversion.Identity,
        ["msec-1"] = UnitConversion.Identity,
        ["meters/second"] = UnitConversion.Identity,
        ["metres/second"] = UnitConversion.Identity,
        ["meter/second"] = UnitConversion.Identity,
        ["metre/second"] = UnitConversion.Identity,
        ["meterssecond-1"] = UnitConversion.Identity,
        ["metressecond-1"] = UnitConversion.Identity,
        ["meterspersecond"] = UnitConversion.Identity,
        ["metrespersecond"] = UnitConversion.Identity,
        ["knots"] = new(0.514444444444444, 0),
        ["knot"] = new(0.514444444444444, 0),
        ["kt"] = new(0.514444444444444, 0),
        ["kts"] = new(0.514444444444444, 0),
        ["km/h"] = new(1 / 3.6, 0),
        ["kmh-1"] = new(1 / 3.6, 0),
        ["km/hr"] = new(1 / 3.6, 0),
    };

    private static readonly Dictionary<string, UnitConversion> TemperatureUnits = new(StringComparer.Ordinal)
    {
        ["k"] = UnitConversion.Identity,
        ["kelvin"] = UnitConversion.Identity,
        ["kelvins"] = UnitConversion.Identity,
        ["degk"] = UnitConversion.Identity,
        ["degreesk"] = UnitConversion.Identity,
        ["degreek"] = UnitConversion.Identity,
        ["degc"] = new(1, 273.15),
        ["degreesc"] = new(1, 273.15),
        ["degreec"] = new(1, 273.15),
        ["celsius"] = new(1, 273.15),
        ["degreescelsius"] = new(1, 273.15),
        ["degreecelsius"] = new(1, 273.15),
        ["°c"] = new(1, 273.15),
        ["degf"] = new(5.0 / 9.0, 273.15 - (32 * 5.0 / 9.0)),
        ["degreesf"] = new(5.0 / 9.0, 273.15 - (32 * 5.0 / 9.0)),
        ["degreef"] = new(5.0 / 9.0, 273.15 - (32 * 5.0 / 9.0)),
        ["fahrenheit"] = new(5.0 / 9.0, 273.15 - (32 * 5.0 / 9.0)),
        ["degreesfahrenheit"] = new(5.0 / 9.0, 273.15 - (32 * 5.0 / 9.0)),
        ["°f"] = new(5.0 / 9.0, 273.15 - (32 * 5.0 / 9.0)),
    };

    private static readonly Dictionary<string, UnitConversion> CloudUnits = new(StringComparer.Ordinal)
    {
        ["1"] = UnitConversion.Identity,
        ["fraction"] = UnitConversion.Identity,
        ["0-1"] = UnitConversion.Identity,
        ["(0-1)"] = UnitConversion.Identity,
        ["dimensionless"] = UnitConversion.Identity,
        ["fractionofskycover"] = UnitConversion.Identity,
        ["%"] = new(0.01, 0),
        ["percent"] = new(0.01, 0),
        ["percentage"] = new(0.01, 0),
        ["(0-100)"] = new(0.01, 0),
        ["0-100"] = new(0.01, 0),
        ["okta"] = new(0.125, 0),
        ["oktas"] = new(0.125, 0),
    };

    internal static string CanonicalUnits(WeatherQuantity quantity) => quantity switch
    {
        WeatherQuantity.EastwardWind or WeatherQuantity.NorthwardWind => "m s-1",
        WeatherQuantity.AirTemperature => "K",
        WeatherQuantity.CloudAreaFraction => "1",
        _ => throw new ArgumentOutOfRangeException(nameof(quantity), quantity, null),
    };

    internal static string AcceptedUnits(WeatherQuantity quantity) => quantity switch
    {
        WeatherQuantity.EastwardWind or WeatherQuantity.NorthwardWind =>
            "'m s-1', 'm/s', 'm s**-1', 'knots', 'km/h'",
        WeatherQuantity.AirTemperature => "'K', 'degC' (also 'deg C', 'degrees_Celsius'), 'degF'",
        WeatherQuantity.CloudAreaFraction => "'1', 'fraction', '0-1', '%', 'percent', 'okta'",
        _ => string.Empty,
    };

    /// <summary>
    /// The quantity a variable holds and how sure we are: 0 = by standard_name, 1 = by name.
    /// Null when it holds none of ours.
    /// </summary>
    internal static (WeatherQuantity Quantity, int Rank)? Recognise(NetCdfVariable variable)
    {
        var standardName = variable.Text("standard_name");
        if (!string.IsNullOrEmpty(standardName))
        {
            return StandardNames.TryGetValue(standardName, out var byStandardName) ? (byStandardName, 0) : null;
        }

        return CommonNames.TryGetValue(variable.Name, out var byName) ? (byName, 1) : null;
    }

    /// <summary>The CF standard_name of a quantity (e.g. air_temperature).</summary>
    internal static string StandardName(WeatherQuantity quantity) =>
        StandardNames.First(pair => pair.Value == quantity).Key;

    /// <summary>Conversion from the written units, or null when they are not accepted.</summary>
    internal static UnitConversion? Conversion(WeatherQuantity quantity, string units)
    {
        var table = quantity switch
        {
            WeatherQuantity.EastwardWind or WeatherQuantity.NorthwardWind => WindUnits,
            WeatherQuantity.AirTemperature => TemperatureUnits,
            _ => CloudUnits,
        };
        return table.TryGetValue(Normalise(units), out var conversion) ? conversion : null;
    }

    /// <summary>
    /// Units for a variable that declares none, from the range of its valid values, or null when
    /// that range is not conclusive. Rules: temperature 150..350 is K; winds within +-150 are
    /// m s-1 (the convention of every model and reanalysis output); cloud 0..1 is a fraction and
    /// 0..100 with a maximum above 1 is percent.
    /// </summary>
    internal static string? InferUnits(WeatherQuantity quantity, double validMinimum, double validMaximum)
    {
        if (double.IsNaN(validMinimum) || double.IsNaN(validMaximum))
        {
            return null;
        }

        return quantity switch
        {
            WeatherQuantity.AirTemperature when validMinimum >= 150 && validMaximum <= 350 => "K",
            WeatherQuantity.EastwardWind or WeatherQuantity.NorthwardWind
                when validMinimum >= -150 && validMaximum <= 150 => "m s-1",
            WeatherQuantity.CloudAreaFraction when validMinimum >= 0 && validMaximum <= 1 => "1",
            WeatherQuantity.CloudAreaFraction when validMinimum >= 0 && validMaximum <= 100 => "%",
            _ => null,
        };
    }

    private static string Normalise(string units)
    {
        var buffer = new System.Text.StringBuilder(units.Length);
        foreach (var character in units.Trim().ToLowerInvariant())
        {
            if (!char.IsWhiteSpace(character) && character is not ('_' or '.' or '*' or '^'))
            {
                buffer.Append(character);
            }
        }

        return buffer.ToString();
    }
}
