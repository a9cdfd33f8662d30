namespace WeatherGinr.Grains.Serving;

/// <summary>
/// Cell centres of a regular latitude-longitude window: <c>south + (i + 1/2) * resolution</c>, so a
/// global 0.5 degree grid has 360 x 720 points and never puts a point exactly on a pole.
/// </summary>
/// <remarks>
/// Longitudes run east from <c>west</c>. An <c>east</c> below <c>west</c> is a window across the antimeridian
/// (<c>west = 170, east = -170</c> spans 20 degrees); its longitudes stay in the convention the bounds are
/// written in: past 180 they wrap to negative values when both bounds are at most 180 (170.5 .. 179.5, then
/// -179.5 .. -170.5), past 360 otherwise (<c>west = 350, east = 10</c>: 350.5 .. 359.5, then 0.5 .. 9.5).
/// </remarks>
public sealed class RegularGrid
{
    /// <summary>Largest grid served in one request (a global 0.05 degree grid).</summary>
    public const long MaxPoints = 3600L * 7200;

    public RegularGrid(double southDegrees, double northDegrees, double westDegrees, double eastDegrees,
        double resolutionDegrees)
    {
        var (latitudeCount, longitudeCount) = Shape(southDegrees, northDegrees, westDegrees, eastDegrees,
            resolutionDegrees, MaxPoints, "one grid may hold");

        Latitudes = Enumerable.Range(0, latitudeCount)
            .Select(i => southDegrees + (i + 0.5) * (northDegrees - southDegrees) / latitudeCount).ToArray();
        var span = LongitudeSpan(westDegrees, eastDegrees);
        var wrapAbove = eastDegrees < westDegrees ? (westDegrees <= 180 && eastDegrees <= 180 ? 180.0 : 360.0)
            : double.PositiveInfinity;
        Longitudes = Enumerable.Range(0, longitudeCount)
            .Select(j => westDegrees + (j + 0.5) * span / longitudeCount)
            .Select(longitude => longitude > wrapAbove ? longitude - 360 : longitude).ToArray();
    }

    /// <summary>Degrees from west to east going east: east - west, plus 360 when east is below west.</summary>
    private static double LongitudeSpan(double westDegrees, double eastDegrees) =>
        eastDegrees < westDegrees ? eastDegrees - westDegrees + 360 : eastDegrees - westDegrees;

    /// <summary>
    /// Rows and columns of the window, after checking its bounds and that it holds at most
    /// <paramref name="maxPoints"/> points. The count is taken in floating point before any cast to int, so
    /// the message tells the true size even of a resolution of 1e-9 degrees.
    /// <paramref name="limitDescription"/> completes "exceeds the N points ..." ("a JSON answer holds").
    /// </summary>
    public static (int Rows, int Columns) Shape(double southDegrees, double northDegrees, double westDegrees,
        double eastDegrees, double resolutionDegrees, long maxPoints, string limitDescription, string? hint = null)
    {
        var problems = WindowProblems(southDegrees, northDegrees, westDegrees, eastDegrees, resolutionDegrees);
        if (problems.Count > 0)
        {
            throw new ArgumentException(problems[0]);
        }

        var rows = Math.Max(1, Math.Round((northDegrees - southDegrees) / resolutionDegrees));
        var columns = Math.Max(1, Math.Round(LongitudeSpan(westDegrees, eastDegrees) / resolutionDegrees));
        if (rows * columns > maxPoints)
        {
            throw new ArgumentException(
                $"a {Count(rows)} x {Count(columns)} grid ({Product(rows, columns)} points) exceeds the {maxPoints} " +
                $"points {limitDescription}; {hint ?? "use a coarser resolution or a smaller window"}");
        }

        return ((int)rows, (int)columns);
    }

    /// <summary>
    /// Everything wrong with the window's bounds and resolution (not its size), one problem each. A part whose
    /// numbers are unknown (null: they did not parse) is not judged, and the other parts still are.
    /// </summary>
    public static IReadOnlyList<string> WindowProblems(double? southDegrees, double? northDegrees,
        double? westDegrees, double? eastDegrees, double? resolutionDegrees)
    {
        var problems = new List<string>();
        if (southDegrees is { } south && northDegrees is { } north && !(south >= -90 && north <= 90 && south < north))
        {
            problems.Add($"latitude window [{south}, {north}] must satisfy -90 <= south < north <= 90");
        }

        // East below west by 360 or more would wrap to a span of zero or less (west=300, east=-300): refused, as
        // is a window whose bounds are the same meridian (west=190, east=-170).
        if (westDegrees is { } west && eastDegrees is { } east
            && !(double.IsFinite(west) && double.IsFinite(east) && Math.Abs(west) <= 360 && Math.Abs(east) <= 360
                 && LongitudeSpan(west, east) is > 0 and <= 360))
        {
            problems.Add(
                $"longitude window [{west}, {east}] must have both bounds within -360..360 and span " +
                "more than 0 and at most 360 degrees going east from west (an east below west crosses the " +
                "antimeridian: west=170, east=-170 is 20 degrees)");
        }

        if (resolutionDegrees is { } resolution && !(resolution > 0 && resolution <= 90))
        {
            problems.Add($"resolution {resolution} degrees must be in (0, 90]");
        }

        return problems;
    }

    /// <summary>rows x columns as <see cref="Count"/> writes it, also where the product exceeds a double.</summary>
    private static string Product(double rows, double columns)
    {
        if (double.IsFinite(rows * columns))
        {
            return Count(rows * columns);
        }

        var exponent = Math.Log10(rows) + Math.Log10(columns);
        var whole = Math.Floor(exponent);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{Math.Pow(10, exponent - whole):0.#}e+{whole:0}");
    }

    /// <summary>
    /// A count as digits up to a trillion, beyond that in scientific notation (1.8e+302, not 303 digits).
    /// </summary>
    private static string Count(double value) =>
        value < 1e12 ? value.ToString("0", System.Globalization.CultureInfo.InvariantCulture)
            : value.ToString("0.#e+0", System.Globalization.CultureInfo.InvariantCulture);

    public double[] Latitudes { get; }

    public double[] Longitudes { get; }

    public int PointCount => Latitudes.Length * Longitudes.Length;

    /// <summary>Flattened point coordinates, latitude-major (row i, column j at i * columns + j).</summary>
    public (double[] Latitudes, double[] Longitudes) Points()
    {
        var lats = new double[PointCount];
        var lons = new double[PointCount];
        for (var i = 0; i < Latitudes.Length; i++)
        {
            for (var j = 0; j < Longitudes.Length; j++)
            {
                lats[i * Longitudes.Length + j] = Latitudes[i];
                lons[i * Longitudes.Length + j] = Longitudes[j];
            }
        }

        return (lats, lons);
    }
}
