namespace WeatherGinr.Ingest.Cf;

/// <summary>What a dimension of a data variable is, as far as a rectilinear reader cares.</summary>
internal enum CfAxisKind
{
    Other,
    Latitude,
    Longitude,
    Time,
    Vertical,
}
