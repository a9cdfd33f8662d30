namespace WeatherGinr.Ingest.Tests.TestSupport;

/// <summary>
/// CDL for a small 2 x 3 x 4 (time, lat, lon) file: lat -10, 0, 10; lon 0, 90, 180, 270 (so the
/// reader's columns are -180, -90, 0, 90 from file columns 2, 3, 0, 1); two steps 6 hours apart.
/// Tests swap in their own variable declaration, data, time declaration and format.
/// </summary>
internal static class SmallGrid
{
    internal static readonly int[] ColumnSource = [2, 3, 0, 1];

    internal static string Cdl(
        string variableDeclaration,
        string variableData,
        string timeDeclaration = "double time(time) ; time:units = \"hours since 2000-01-01 00:00:00\" ;",
        string timeData = "time = 0, 6 ;",
        string extraDimensions = "",
        string extraVariables = "",
        string extraData = "") => $$"""
        netcdf small {
        dimensions:
          time = UNLIMITED ; lat = 3 ; lon = 4 ; {{extraDimensions}}
        variables:
          {{timeDeclaration}}
          float lat(lat) ; lat:units = "degrees_north" ;
          float lon(lon) ; lon:units = "degrees_east" ;
          {{extraVariables}}
          {{variableDeclaration}}
        data:
          {{timeData}}
          lat = -10, 0, 10 ;
          lon = 0, 90, 180, 270 ;
          {{extraData}}
          {{variableData}}
        }
        """;

    /// <summary>24 comma-separated values v(t, i, j) = 100 t + 10 i + j + offset (file order).</summary>
    internal static string Sequence(double offset = 0, int steps = 2) =>
        string.Join(", ", Enumerable.Range(0, steps * 12).Select(n => ((100 * (n / 12)) + (10 * (n % 12 / 4))
            + (n % 4) + offset).ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>The field's value at (t, ascending row i, ascending column j) for the file value rule above.</summary>
    internal static double Expected(int step, int row, int column, double offset = 0) =>
        (100 * step) + (10 * row) + ColumnSource[column] + offset;

    internal static GriddedField ReadSingle(string path) => Assert.Single(WeatherFieldReader.ReadWeatherFields([path]));
}
