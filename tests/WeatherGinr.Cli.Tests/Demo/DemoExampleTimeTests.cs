using WeatherGinr.Cli.Demo;

namespace WeatherGinr.Cli.Tests.Demo;

/// <summary>The time the demo's printed and run query examples use: inside the trained model's window.</summary>
public sealed class DemoExampleTimeTests
{
    [Theory]
    [InlineData("1850-01-16T12:00:00Z", "2005-12-16T12:00:00Z", "1928-01-02T00:00:00Z")] // CMIP5 monthly series
    [InlineData("2024-03-01T00:00:00Z", "2024-03-02T06:00:00Z", "2024-03-01T15:00:00Z")] // six-hourly, 30 h
    [InlineData("2005-07-16T12:30:00Z", "2005-07-16T12:30:00Z", "2005-07-16T12:30:00Z")] // one time step
    [InlineData("2005-07-16T12:30:00Z", "2005-07-16T12:40:00Z", "2005-07-16T12:30:00Z")] // never before the start
    public void TheExampleTimeIsInsideTheTrainingWindow(string first, string last, string expected)
    {
        var (firstUtc, lastUtc) = (DateTimeOffset.Parse(first), DateTimeOffset.Parse(last));

        var time = DemoPipeline.ExampleTime(firstUtc, lastUtc);

        Assert.Equal(expected, DemoPipeline.IsoTime(time));
        Assert.InRange(time, firstUtc, lastUtc);
    }

    [Theory]
    [InlineData(-88.5, 88.5, 1.875, -180, 178.125, 1.875, 51.5, -0.13)] // a global grid: London, as before
    [InlineData(50, 58, 0.25, -10, 2, 0.25, 54, -4)] // the ERA5 UK box: its middle, not Paris (no data there)
    [InlineData(-10, 10, 5, 170, 190, 5, 0, -180)] // across the antimeridian (its middle, the meridian 180)
    public void TheExamplePlaceIsOneTheModelHasDataFor(double south, double north, double latitudeStep, double west,
        double east, double longitudeStep, double latitude, double longitude)
    {
        static double[] Steps(double first, double last, double step) =>
            Enumerable.Range(0, (int)Math.Round((last - first) / step) + 1).Select(i => first + (i * step)).ToArray();
        var longitudes = Steps(west, east, longitudeStep).Select(l => l >= 180 ? l - 360 : l).Order().ToArray();
        var latitudes = Steps(south, north, latitudeStep);
        var field = new WeatherGinr.Ingest.GriddedField([], "tas", WeatherGinr.Ingest.WeatherQuantity.AirTemperature,
            "K", latitudes, longitudes, [DateTimeOffset.UnixEpoch], new float[latitudes.Length * longitudes.Length]);
        var summary = new ModelSummary("m", ["tas"], "cpu", 1, 1, 1, [], "c", [], []);

        var placed = DemoPipeline.WithExamplePlace(summary, field);

        Assert.Equal((latitude, longitude), placed.ExamplePoint);
        var (s, n, w, e) = placed.ExampleWindow;
        Assert.True(s <= latitude && latitude <= n && (w <= e ? w <= longitude && longitude <= e
            : longitude >= w || longitude <= e), $"the point lies outside the example window {placed.ExampleWindow}");
    }
}
