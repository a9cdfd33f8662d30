namespace WeatherGinr.Ingest;

/// <summary>
/// Physical quantities the product learns; canonical units: m s-1, m s-1, K, 1 (fraction 0..1).
/// </summary>
public enum WeatherQuantity
{
    /// <summary>Eastward (zonal) wind, m s-1; CF standard_name <c>eastward_wind</c>.</summary>
    EastwardWind,

    /// <summary>Northward (meridional) wind, m s-1; CF standard_name <c>northward_wind</c>.</summary>
    NorthwardWind,

    /// <summary>Air temperature, K; CF standard_name <c>air_temperature</c>.</summary>
    AirTemperature,

    /// <summary>Cloud cover as a fraction 0..1; CF standard_name <c>cloud_area_fraction</c>.</summary>
    CloudAreaFraction,
}
