using WeatherGinr.Ingest.Native;

namespace WeatherGinr.Ingest.Cf;

/// <summary>
/// Finds coordinate variables and tells latitude, longitude, time and vertical axes apart by
/// their attributes (CF 4.1-4.4): <c>units</c> first (degrees_north, degrees_east,
/// "&lt;unit&gt; since &lt;date&gt;"), then <c>standard_name</c>, then <c>axis</c>. Names
/// (lat, lon, time...) are used only for a coordinate that carries none of these attributes.
/// </summary>
internal static class CfCoordinates
{
    private static readonly HashSet<string> LatitudeUnits = new(StringComparer.OrdinalIgnoreCase)
    {
        "degrees_north", "degree_north", "degree_N", "degrees_N", "degreeN", "degreesN",
    };

    private static readonly HashSet<string> LongitudeUnits = new(StringComparer.OrdinalIgnoreCase)
    {
        "degrees_east", "degree_east", "degree_E", "degrees_E", "degreeE", "degreesE",
    };

    private static readonly HashSet<string> VerticalStandardNames = new(StringComparer.Ordinal)
    {
        "height", "altitude", "air_pressure", "depth", "model_level_number", "atmosphere_sigma_coordinate",
        "atmosphere_hybrid_sigma_pressure_coordinate", "height_above_mean_sea_level",
    };

    /// <summary>The coordinate variable of a dimension: 1-D, same name, same or enclosing group.</summary>
    internal static NetCdfVariable? CoordinateVariable(NetCdfFile file, NetCdfVariable owner, NetCdfDimension dim)
    {
        NetCdfVariable? best = null;
        foreach (var candidate in file.Variables)
        {
            if (candidate.Rank == 1 && candidate.Name == dim.Name && candidate.Dimensions[0].Id == dim.Id
                && candidate.Type.IsNumeric() && IsVisibleFrom(candidate.GroupPath, owner.GroupPath)
                && (best is null || candidate.GroupPath.Length > best.GroupPath.Length))
            {
                best = candidate;
            }
        }

        return best;
    }

    /// <summary>Classifies a coordinate (or scalar coordinate) variable.</summary>
    internal static CfAxisKind Classify(NetCdfVariable coordinate)
    {
        var units = coordinate.Text("units") ?? string.Empty;
        var standardName = coordinate.Text("standard_name") ?? string.Empty;
        var axis = (coordinate.Text("axis") ?? string.Empty).ToUpperInvariant();

        if (LatitudeUnits.Contains(units) || standardName == "latitude")
        {
            return CfAxisKind.Latitude;
        }

        if (LongitudeUnits.Contains(units) || standardName == "longitude")
        {
            return CfAxisKind.Longitude;
        }

        if (units.Contains(" since ", StringComparison.OrdinalIgnoreCase) || standardName == "time" || axis == "T")
        {
            return CfAxisKind.Time;
        }

        if (axis == "Z" || coordinate.Text("positive") is not null || VerticalStandardNames.Contains(standardName))
        {
            return CfAxisKind.Vertical;
        }

        // axis X/Y without degree units is a projection coordinate, not longitude/latitude.
        var degrees = units.Length == 0 || units.StartsWith("degree", StringComparison.OrdinalIgnoreCase);
        if (axis == "Y" && degrees)
        {
            return CfAxisKind.Latitude;
        }

        if (axis == "X" && degrees)
        {
            return CfAxisKind.Longitude;
        }

        if (units.Length == 0 && standardName.Length == 0 && axis.Length == 0)
        {
            return coordinate.Name.ToLowerInvariant() switch
            {
                "lat" or "latitude" or "nav_lat" => CfAxisKind.Latitude,
                "lon" or "longitude" or "nav_lon" => CfAxisKind.Longitude,
                "time" or "t" or "valid_time" => CfAxisKind.Time,
                "lev" or "level" or "height" or "plev" or "z" => CfAxisKind.Vertical,
                _ => CfAxisKind.Other,
            };
        }

        return CfAxisKind.Other;
    }

    /// <summary>
    /// A coordinate that <see cref="Classify"/> did not take for time but that is one by every other sign:
    /// its dimension is the record (unlimited) dimension, or it is named time, t, valid_time or times. Its
    /// units are then the problem (e.g. "fortnights"), and the error should say so.
    /// </summary>
    internal static bool LooksLikeTime(NetCdfVariable coordinate, NetCdfDimension dimension) =>
        Classify(coordinate) is not (CfAxisKind.Latitude or CfAxisKind.Longitude or CfAxisKind.Vertical)
        && (dimension.IsUnlimited
            || coordinate.Name.ToLowerInvariant() is "time" or "t" or "valid_time" or "times");

    /// <summary>
    /// A scalar time coordinate for a variable that has no time dimension: one named in its
    /// <c>coordinates</c> attribute first, else the only scalar time variable of its group.
    /// </summary>
    internal static NetCdfVariable? ScalarTime(NetCdfFile file, NetCdfVariable owner)
    {
        var named = (owner.Text("coordinates") ?? string.Empty)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var scalars = file.Variables
            .Where(v => v.Rank == 0 && v.Type.IsNumeric() && IsVisibleFrom(v.GroupPath, owner.GroupPath)
                && Classify(v) == CfAxisKind.Time)
            .ToList();
        var fromAttribute = scalars.FirstOrDefault(v => named.Contains(v.Name, StringComparer.Ordinal));
        if (fromAttribute is not null)
        {
            return fromAttribute;
        }

        return scalars.Count == 1 ? scalars[0] : null;
    }

    private static bool IsVisibleFrom(string coordinateGroup, string ownerGroup) =>
        coordinateGroup == "/" || ownerGroup == coordinateGroup
        || ownerGroup.StartsWith(coordinateGroup + "/", StringComparison.Ordinal);
}
