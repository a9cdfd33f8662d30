using System.Diagnostics;
using WeatherGinr.Ingest.Cf;
using WeatherGinr.Ingest.Native;

namespace WeatherGinr.Ingest.Reading;

/// <summary>
/// How a data variable's dimensions map onto (time, latitude, longitude): which axis is which,
/// the grid normalised to ascending latitudes and ascending longitudes in [-180, 180), and the
/// decoded time of each step. Any other dimension must have length 1 (a single level or height).
/// </summary>
internal sealed class VariableLayout
{
    /// <summary>Largest coordinate variable we read (elements).</summary>
    internal const long MaxCoordinateLength = 1 << 22;

    private VariableLayout(
        int latitudeAxis, int longitudeAxis, int timeAxis, double[] latitudes, int[] latitudeSource,
        double[] longitudes, int[] longitudeSource, DateTimeOffset[] times, string? timeVariable, string? calendar,
        (int Dropped, int Kept)[] longitudeDuplicates, double[] fileLongitudes)
    {
        LongitudeDuplicates = longitudeDuplicates;
        FileLongitudes = fileLongitudes;
        LatitudeAxis = latitudeAxis;
        LongitudeAxis = longitudeAxis;
        TimeAxis = timeAxis;
        LatitudesDegrees = latitudes;
        LatitudeSource = latitudeSource;
        LongitudesDegrees = longitudes;
        LongitudeSource = longitudeSource;
        TimesUtc = times;
        TimeVariableName = timeVariable;
        CalendarName = calendar;
    }

    internal int LatitudeAxis { get; }

    internal int LongitudeAxis { get; }

    /// <summary>The variable's time dimension, or -1 for a single (scalar or absent) time.</summary>
    internal int TimeAxis { get; }

    internal double[] LatitudesDegrees { get; }

    /// <summary>For each ascending latitude row, its row in the file.</summary>
    internal int[] LatitudeSource { get; }

    internal double[] LongitudesDegrees { get; }

    /// <summary>For each ascending longitude column, its column in the file.</summary>
    internal int[] LongitudeSource { get; }

    /// <summary>
    /// File columns dropped because they land on a kept one (a wrap-around column: 0 and 360), with the kept
    /// column; their values must agree, or the file is refused rather than one of them silently lost.
    /// </summary>
    internal (int Dropped, int Kept)[] LongitudeDuplicates { get; }

    /// <summary>The longitudes as the file stores them, for messages.</summary>
    internal double[] FileLongitudes { get; }

    /// <summary>In the file's order (not sorted).</summary>
    internal DateTimeOffset[] TimesUtc { get; }

    internal string? TimeVariableName { get; }

    internal string? CalendarName { get; }

    /// <summary>Kind of each dimension of the variable, from its coordinate variable.</summary>
    internal static CfAxisKind[] ClassifyDimensions(NetCdfFile file, NetCdfVariable variable)
    {
        var kinds = new CfAxisKind[variable.Rank];
        for (var axis = 0; axis < variable.Rank; axis++)
        {
            var dimension = variable.Dimensions[axis];
            var coordinate = CfCoordinates.CoordinateVariable(file, variable, dimension);
            kinds[axis] = coordinate is not null
                ? CfCoordinates.Classify(coordinate)
                : dimension.IsUnlimited ? CfAxisKind.Time : CfAxisKind.Other;
        }

        return kinds;
    }

    /// <summary>True when the variable has exactly one latitude and one longitude dimension.</summary>
    internal static bool HasLatLonGrid(NetCdfFile file, NetCdfVariable variable)
    {
        var kinds = ClassifyDimensions(file, variable);
        return kinds.Count(k => k == CfAxisKind.Latitude) == 1 && kinds.Count(k => k == CfAxisKind.Longitude) == 1;
    }

    /// <summary>
    /// Why the variable has no latitude or no longitude dimension, naming each dimension that could have been
    /// one and what its coordinate lacks (none at all, units 'radians'...); null when it has both.
    /// </summary>
    internal static string? MissingGridAxes(NetCdfFile file, NetCdfVariable variable)
    {
        var kinds = ClassifyDimensions(file, variable);
        var missing = new[] { CfAxisKind.Latitude, CfAxisKind.Longitude }
            .Where(kind => !kinds.Contains(kind))
            .Select(kind => kind.ToString().ToLowerInvariant())
            .ToList();
        if (missing.Count == 0)
        {
            return null;
        }

        var reasons = new List<string>();
        for (var axis = 0; axis < kinds.Length; axis++)
        {
            if (kinds[axis] is CfAxisKind.Other)
            {
                reasons.Add(WhyNotLatitudeOrLongitude(file, variable, variable.Dimensions[axis], missing));
            }
        }

        var dimensions = string.Join(", ", variable.Dimensions.Select(d => d.Name));
        return $"is not on a latitude-longitude grid: no {string.Join(" and no ", missing)} was recognised among "
            + $"its dimensions ({dimensions})" + (reasons.Count == 0 ? string.Empty : ": " + string.Join("; ", reasons))
            + ". A latitude coordinate has units degrees_north, standard_name latitude or axis Y with units in "
            + "degrees (a longitude: degrees_east, longitude or X); only rectilinear lat-lon grids are supported";
    }

    /// <summary>What the coordinate of a dimension classified as neither axis lacks, in one clause.</summary>
    private static string WhyNotLatitudeOrLongitude(NetCdfFile file, NetCdfVariable variable,
        NetCdfDimension dimension, List<string> missing)
    {
        var coordinate = CfCoordinates.CoordinateVariable(file, variable, dimension);
        if (coordinate is null)
        {
            return $"dimension '{dimension.Name}' has no coordinate variable (a 1-D variable of the same name)";
        }

        var units = coordinate.Text("units");
        if (string.IsNullOrWhiteSpace(units))
        {
            return $"coordinate '{coordinate.QualifiedName}' has no units, and no standard_name or axis that "
                + "marks it as latitude or longitude";
        }

        var degreeUnits = missing.Count == 2 ? "\"degrees_north\" or \"degrees_east\""
            : missing[0] == "latitude" ? "\"degrees_north\"" : "\"degrees_east\"";
        return units.StartsWith("rad", StringComparison.OrdinalIgnoreCase)
            ? $"coordinate '{coordinate.QualifiedName}' has units '{units}', which are not degrees; convert its "
                + $"values to degrees and set units = {degreeUnits}"
            : $"coordinate '{coordinate.QualifiedName}' has units '{units}', which are not degrees_north or "
                + "degrees_east";
    }

    internal static VariableLayout Resolve(NetCdfFile file, NetCdfVariable variable)
    {
        var path = file.Path;
        var name = variable.QualifiedName;

        // Before the other dimensions are judged: a latitude that was not recognised (units 'radians', no
        // coordinate variable) would otherwise be reported as an unsupported extra dimension.
        if (MissingGridAxes(file, variable) is { } notOnGrid)
        {
            throw new IngestException(path, name, notOnGrid);
        }

        var kinds = ClassifyDimensions(file, variable);
        int latitudeAxis = -1, longitudeAxis = -1, timeAxis = -1;
        for (var axis = 0; axis < kinds.Length; axis++)
        {
            var dimension = variable.Dimensions[axis];
            switch (kinds[axis])
            {
                case CfAxisKind.Latitude when latitudeAxis < 0:
                    latitudeAxis = axis;
                    break;
                case CfAxisKind.Longitude when longitudeAxis < 0:
                    longitudeAxis = axis;
                    break;
                case CfAxisKind.Time when timeAxis < 0 && dimension.Length != 1:
                    timeAxis = axis;
                    break;
                case CfAxisKind.Time when timeAxis < 0:
                    // A time dimension of length 1 still carries the step's time.
                    timeAxis = axis;
                    break;
                default:
                    if (dimension.Length != 1
                        && CfCoordinates.CoordinateVariable(file, variable, dimension) is { } coordinate
                        && CfCoordinates.LooksLikeTime(coordinate, dimension))
                    {
                        // Not an extra dimension: a time axis whose units could not be read as time.
                        throw new IngestException(path, coordinate.QualifiedName,
                            $"is the time coordinate of '{name}' but has units '{coordinate.Text("units")}', "
                            + $"which are not time units; expected {CfTimeAxis.AcceptedUnits}");
                    }

                    if (dimension.Length != 1)
                    {
                        throw new IngestException(path, name,
                            $"has dimension '{dimension.Name}' of length {dimension.Length} besides latitude, "
                            + "longitude and time; only single-level (length 1) extra dimensions are supported");
                    }

                    break;
            }
        }

        Debug.Assert(latitudeAxis >= 0 && longitudeAxis >= 0, "MissingGridAxes found both");

        var (latitudes, latitudeSource) = PrepareLatitudes(
            ReadCoordinate(file, variable, variable.Dimensions[latitudeAxis]), path, name);
        var fileLongitudes = ReadCoordinate(file, variable, variable.Dimensions[longitudeAxis]);
        var (longitudes, longitudeSource) = PrepareLongitudes(fileLongitudes, path, name);

        var (times, timeVariable, calendar) = ResolveTimes(file, variable, timeAxis);
        return new VariableLayout(latitudeAxis, longitudeAxis, timeAxis, latitudes, latitudeSource, longitudes,
            longitudeSource, times, timeVariable, calendar, Duplicates(fileLongitudes, longitudes, longitudeSource),
            fileLongitudes);
    }

    /// <summary>Each file column that was dropped, with the kept column on the same meridian.</summary>
    private static (int Dropped, int Kept)[] Duplicates(double[] fileLongitudes, double[] ascending, int[] source)
    {
        if (source.Length == fileLongitudes.Length)
        {
            return [];
        }

        var kept = source.ToHashSet();
        var pairs = new List<(int Dropped, int Kept)>();
        for (var column = 0; column < fileLongitudes.Length; column++)
        {
            if (kept.Contains(column))
            {
                continue;
            }

            // The kept column nearest on the circle (the same meridian, within the coincidence tolerance).
            var longitude = LatLonGeometry.NormaliseLongitude(fileLongitudes[column]);
            var nearest = Enumerable.Range(0, ascending.Length)
                .MinBy(i => Math.Min(Math.Abs(ascending[i] - longitude), 360 - Math.Abs(ascending[i] - longitude)));
            pairs.Add((column, source[nearest]));
        }

        return [.. pairs];
    }

    /// <summary>
    /// Throws when a dropped duplicate column's values differ from its kept twin's in this step (both decoded):
    /// a wrap-around column holding other data than the column it repeats was lost without a word before.
    /// </summary>
    internal static void CheckDuplicateColumns<T>(VariableLayout layout, ReadOnlySpan<T> step, int rows,
        int latitudeStride, int longitudeStride, string path, string name, DateTimeOffset time)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        foreach (var (dropped, kept) in layout.LongitudeDuplicates)
        {
            for (var row = 0; row < rows; row++)
            {
                var a = double.CreateTruncating(step[(row * latitudeStride) + (dropped * longitudeStride)]);
                var b = double.CreateTruncating(step[(row * latitudeStride) + (kept * longitudeStride)]);
                var same = (double.IsNaN(a) && double.IsNaN(b))
                    || Math.Abs(a - b) <= 1e-4 * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));
                if (!same)
                {
                    throw new IngestException(path, name,
                        $"repeats longitude {layout.FileLongitudes[kept]} as {layout.FileLongitudes[dropped]} " +
                        $"(the same meridian) with other values: {b} and {a} at {time:yyyy-MM-dd HH:mm} UTC, " +
                        "row " + row + "; remove one of the two columns");
                }
            }
        }
    }

    /// <summary>All values of a coordinate variable, CF-decoded; missing values are an error.</summary>
    internal static double[] ReadCoordinate(NetCdfFile file, NetCdfVariable owner, NetCdfDimension dimension)
    {
        var coordinate = CfCoordinates.CoordinateVariable(file, owner, dimension)
            ?? throw new IngestException(file.Path, owner.QualifiedName,
                $"dimension '{dimension.Name}' has no coordinate variable");
        return ReadAllDecoded(file, coordinate, allowMissing: false);
    }

    internal static double[] ReadAllDecoded(NetCdfFile file, NetCdfVariable variable, bool allowMissing)
    {
        var count = variable.ElementCount;
        if (count < 0 || count > MaxCoordinateLength)
        {
            throw new IngestException(file.Path, variable.QualifiedName,
                $"declares {count} coordinate values (limit {MaxCoordinateLength}); the header is not plausible");
        }

        var raw = new double[count];
        var start = new long[variable.Rank];
        var counts = variable.Dimensions.Select(d => d.Length).ToArray();
        file.ReadSlab(variable, start, counts, raw);
        var decoder = CfValueDecoder.For(variable, file.Path);
        for (var index = 0; index < raw.Length; index++)
        {
            raw[index] = decoder.Decode(raw[index]);
            if (!allowMissing && double.IsNaN(raw[index]))
            {
                throw new IngestException(file.Path, variable.QualifiedName,
                    $"has a missing or invalid coordinate value at index {index}");
            }
        }

        return raw;
    }

    internal static (double[] Ascending, int[] Source) PrepareLatitudes(double[] values, string path, string name)
    {
        foreach (var value in values)
        {
            if (!(Math.Abs(value) <= 90.0 + LatLonGeometry.CoincidentDegrees))
            {
                throw new IngestException(path, name, $"has latitude {value} outside -90..90");
            }
        }

        var order = Enumerable.Range(0, values.Length).ToArray();
        if (values.Length > 1 && values[0] > values[^1])
        {
            Array.Reverse(order);
        }

        var ascending = order.Select(i => Math.Clamp(values[i], -90.0, 90.0)).ToArray();
        for (var index = 1; index < ascending.Length; index++)
        {
            if (!(ascending[index] > ascending[index - 1]))
            {
                throw new IngestException(path, name,
                    "has latitudes that are not strictly monotonic (ascending or descending)");
            }
        }

        return (ascending, order);
    }

    /// <summary>
    /// Normalises longitudes into [-180, 180) and sorts them; the data columns follow. A file's
    /// longitudes must be strictly monotonic and span at most one turn; a column that lands on
    /// an earlier one (a duplicated wrap-around column, e.g. 0 and 360) is dropped; the decoders then check
    /// that its values agree (<see cref="CheckDuplicateColumns"/>).
    /// </summary>
    internal static (double[] Ascending, int[] Source) PrepareLongitudes(double[] values, string path, string name)
    {
        foreach (var value in values)
        {
            if (!double.IsFinite(value) || Math.Abs(value) > 1080)
            {
                throw new IngestException(path, name, $"has longitude {value} outside -1080..1080");
            }
        }

        var direction = values.Length > 1 && values[0] > values[^1] ? -1.0 : 1.0;
        for (var index = 1; index < values.Length; index++)
        {
            if (!((values[index] - values[index - 1]) * direction > 0))
            {
                throw new IngestException(path, name, "has longitudes that are not strictly monotonic");
            }
        }

        if (values.Length > 1 && Math.Abs(values[^1] - values[0]) > 360.0 + LatLonGeometry.CoincidentDegrees)
        {
            throw new IngestException(path, name,
                $"has longitudes spanning {Math.Abs(values[^1] - values[0])} degrees, more than one turn");
        }

        var normalised = values.Select(LatLonGeometry.NormaliseLongitude).ToArray();
        var order = Enumerable.Range(0, values.Length)
            .OrderBy(i => normalised[i])
            .ThenBy(i => direction > 0 ? i : -i)
            .ToArray();
        var ascending = new List<double>(values.Length);
        var source = new List<int>(values.Length);
        foreach (var index in order)
        {
            var longitude = normalised[index];
            if (ascending.Count > 0 && longitude - ascending[^1] <= LatLonGeometry.CoincidentDegrees)
            {
                continue;
            }

            // 179.9999999 and -180 are the same meridian: keep the one already present.
            if (ascending.Count > 0 && longitude >= 180.0 - LatLonGeometry.CoincidentDegrees
                && ascending[0] <= -180.0 + LatLonGeometry.CoincidentDegrees)
            {
                continue;
            }

            ascending.Add(longitude);
            source.Add(index);
        }

        return ([.. ascending], [.. source]);
    }

    private static (DateTimeOffset[] Times, string? Variable, string? Calendar) ResolveTimes(
        NetCdfFile file, NetCdfVariable variable, int timeAxis)
    {
        NetCdfVariable? timeVariable = null;
        if (timeAxis >= 0)
        {
            var dimension = variable.Dimensions[timeAxis];
            timeVariable = CfCoordinates.CoordinateVariable(file, variable, dimension);
            if (timeVariable is null && dimension.Length != 1)
            {
                throw new IngestException(file.Path, variable.QualifiedName,
                    $"has time dimension '{dimension.Name}' ({dimension.Length} steps) without a time coordinate "
                    + "variable, so its steps have no times");
            }

            if (dimension.Length == 0)
            {
                throw new IngestException(file.Path, variable.QualifiedName,
                    $"has time dimension '{dimension.Name}' with no steps");
            }
        }

        timeVariable ??= CfCoordinates.ScalarTime(file, variable);
        if (timeVariable is null)
        {
            // No time at all: one step at the Unix epoch (documented on GriddedField.TimesUtc).
            return ([DateTimeOffset.UnixEpoch], null, null);
        }

        var calendarName = timeVariable.Text("calendar");
        var axis = CfTimeAxis.TryParse(timeVariable.Text("units"), calendarName, out var reason)
            ?? throw new IngestException(file.Path, timeVariable.QualifiedName, $"time coordinate {reason}");
        var values = ReadAllDecoded(file, timeVariable, allowMissing: false);
        var times = new DateTimeOffset[values.Length];
        for (var index = 0; index < values.Length; index++)
        {
            times[index] = axis.ToUtc(values[index]) ?? throw new IngestException(file.Path,
                timeVariable.QualifiedName, $"time value {values[index]} ({axis.Units}) lies outside years 1..9999");
        }

        return (times, timeVariable.QualifiedName, string.IsNullOrEmpty(calendarName) ? null : calendarName);
    }
}
