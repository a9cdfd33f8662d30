using System.Text.Json.Serialization;

namespace WeatherGinr.Ingest;

/// <summary>
/// What <see cref="NetCdfInspector.Inspect"/> found in one file. Serialise with
/// <see cref="NetCdfInspector.JsonOptions"/> (camelCase, enums and times as strings); the shape is
/// documented in the README and kept stable for scripts.
/// </summary>
/// <param name="Path">The file as given.</param>
/// <param name="Format">"classic", "64bit_offset", "cdf5", "netcdf4" or "netcdf4_classic".</param>
/// <param name="Time">The time axis, or null when the file has none (or it cannot be decoded: see Problems).</param>
/// <param name="Latitude">Latitude range in degrees north, and whether the file stores it ascending.</param>
/// <param name="Longitude">Longitude range normalised to [-180, 180), and whether the file stores it ascending.</param>
/// <param name="Variables">Every data variable of two or more dimensions (bounds variables excluded).</param>
/// <param name="Problems">Things that would stop or alter ingestion, one sentence each.</param>
public sealed record FileInspection(
    string Path,
    string Format,
    TimeAxisInspection? Time,
    CoordinateInspection? Latitude,
    CoordinateInspection? Longitude,
    IReadOnlyList<VariableInspection> Variables,
    IReadOnlyList<string> Problems);

/// <param name="Variable">The time coordinate variable.</param>
/// <param name="Units">As written, e.g. "hours since 2019-3-1 00:00:00".</param>
/// <param name="Calendar">As written, or "standard" when the file gives none.</param>
/// <param name="First">First step, UTC (ISO 8601 in JSON).</param>
/// <param name="Last">Last step, UTC.</param>
/// <param name="Count">Number of steps.</param>
public sealed record TimeAxisInspection(
    string Variable, string Units, string Calendar, DateTimeOffset First, DateTimeOffset Last, int Count);

/// <param name="Variable">The coordinate variable.</param>
/// <param name="MinimumDegrees">Smallest value (longitude normalised to [-180, 180)).</param>
/// <param name="MaximumDegrees">Largest value (longitude normalised to [-180, 180)).</param>
/// <param name="Count">Number of values.</param>
/// <param name="Ascending">True when the file stores the values in strictly ascending order.</param>
public sealed record CoordinateInspection(
    string Variable, double MinimumDegrees, double MaximumDegrees, int Count, bool Ascending)
{
    /// <summary>
    /// True when the values go strictly one way (ascending or descending); ingest refuses any other axis.
    /// </summary>
    public bool Monotonic { get; init; } = true;
}

/// <param name="Name">As written (with its group path for nested netCDF-4 groups).</param>
/// <param name="StandardName">CF standard_name, or null.</param>
/// <param name="Units">Units as written in the file, or null.</param>
/// <param name="Quantity">The quantity ingestion maps it to, or null.</param>
/// <param name="CanonicalUnits">Canonical units it maps to ("m s-1", "K", "1"), or null.</param>
/// <param name="Note">Why it maps to nothing, or how its units were inferred; null when it maps plainly.</param>
/// <param name="Dimensions">Dimensions in file order.</param>
/// <param name="ValidCount">Values that decode to a number.</param>
/// <param name="MissingCount">Fill, missing, NaN or out-of-valid-range values.</param>
/// <param name="Minimum">Smallest valid decoded value in the file's own units, or null.</param>
/// <param name="Maximum">Largest valid decoded value in the file's own units, or null.</param>
/// <param name="Mean">Mean of the valid decoded values in the file's own units, or null.</param>
public sealed record VariableInspection(
    string Name,
    string? StandardName,
    string? Units,
    [property: JsonConverter(typeof(JsonStringEnumConverter<WeatherQuantity>))] WeatherQuantity? Quantity,
    string? CanonicalUnits,
    string? Note,
    IReadOnlyList<DimensionInspection> Dimensions,
    long ValidCount,
    long MissingCount,
    double? Minimum,
    double? Maximum,
    double? Mean);

/// <param name="Name">Dimension name.</param>
/// <param name="Length">Its length.</param>
/// <param name="Unlimited">True for a record (unlimited) dimension.</param>
public sealed record DimensionInspection(string Name, long Length, bool Unlimited);
