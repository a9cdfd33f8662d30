namespace WeatherGinr.Ingest;

/// <summary>
/// Facts about rectilinear latitude-longitude grids shared by the reader and the regridder.
/// </summary>
internal static class LatLonGeometry
{
    /// <summary>Tolerance (degrees) under which two coordinates are the same point.</summary>
    internal const double CoincidentDegrees = 1e-6;

    /// <summary>Longitude in [-180, 180): lambda - 360 * floor((lambda + 180) / 360).</summary>
    internal static double NormaliseLongitude(double longitudeDegrees)
    {
        var normalised = longitudeDegrees - (360.0 * Math.Floor((longitudeDegrees + 180.0) / 360.0));
        return normalised >= 180.0 ? normalised - 360.0 : normalised;
    }

    /// <summary>Median spacing of an ascending coordinate (robust to one wrap or gap).</summary>
    internal static double MedianSpacing(ReadOnlySpan<double> ascending)
    {
        if (ascending.Length < 2)
        {
            return double.NaN;
        }

        var steps = new double[ascending.Length - 1];
        for (var index = 1; index < ascending.Length; index++)
        {
            steps[index - 1] = ascending[index] - ascending[index - 1];
        }

        Array.Sort(steps);
        return steps[steps.Length / 2];
    }

    /// <summary>
    /// The spacing regridding compares targets with: max(median row spacing, median column spacing), with
    /// 180 (360) standing in for a single row (column).
    /// </summary>
    internal static double GridSpacingDegrees(ReadOnlySpan<double> latitudes, ReadOnlySpan<double> longitudes)
    {
        var latitudeSpacing = latitudes.Length > 1 ? MedianSpacing(latitudes) : 180;
        var longitudeSpacing = longitudes.Length > 1 ? MedianSpacing(longitudes) : 360;
        return Math.Max(latitudeSpacing, longitudeSpacing);
    }

    /// <summary>
    /// True when ascending longitudes in [-180, 180) close the circle: the gap from the last
    /// column back round to the first is no wider than 1.5 typical spacings.
    /// </summary>
    internal static bool IsGlobalInLongitude(ReadOnlySpan<double> ascendingLongitudes)
    {
        if (ascendingLongitudes.Length < 3)
        {
            return false;
        }

        var spacing = MedianSpacing(ascendingLongitudes);
        var wrapGap = ascendingLongitudes[0] + 360.0 - ascendingLongitudes[^1];
        return wrapGap <= (1.5 * spacing) + CoincidentDegrees;
    }

    /// <summary>Largest gap between neighbouring columns that still counts as one grid cell.</summary>
    internal static double MaximumLongitudeGap(ReadOnlySpan<double> ascendingLongitudes) =>
        ascendingLongitudes.Length < 2 ? 0 : (1.5 * MedianSpacing(ascendingLongitudes)) + CoincidentDegrees;
}
