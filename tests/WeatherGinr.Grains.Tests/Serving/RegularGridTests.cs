using WeatherGinr.Grains.Serving;

namespace WeatherGinr.Grains.Tests.Serving;

public sealed class RegularGridTests
{
    [Fact]
    public void GlobalHalfDegreeGridHasCellCentresAndNoPolePoint()
    {
        var grid = new RegularGrid(-90, 90, -180, 180, 0.5);

        Assert.Equal(360, grid.Latitudes.Length);
        Assert.Equal(720, grid.Longitudes.Length);
        Assert.Equal(-89.75, grid.Latitudes[0], 12);
        Assert.Equal(89.75, grid.Latitudes[^1], 12);
        Assert.Equal(-179.75, grid.Longitudes[0], 12);
        Assert.Equal(179.75, grid.Longitudes[^1], 12);
    }

    [Fact]
    public void PointsAreLatitudeMajor()
    {
        var grid = new RegularGrid(0, 2, 10, 13, 1);
        var (lats, lons) = grid.Points();

        Assert.Equal([0.5, 0.5, 0.5, 1.5, 1.5, 1.5], lats);
        Assert.Equal([10.5, 11.5, 12.5, 10.5, 11.5, 12.5], lons);
    }

    [Theory]
    [InlineData(10, 0, -180, 180, 1)]      // south above north
    [InlineData(-95, 90, -180, 180, 1)]    // below the south pole
    [InlineData(-90, 90, 0, 400, 1)]       // more than one turn of longitude
    [InlineData(-90, 90, -180, 180, 0)]    // no resolution
    [InlineData(-90, 90, -180, 180, 0.01)] // too many points for one request
    [InlineData(-90, 90, -180, 180, 1e-9)] // more rows than an int holds
    public void RefusesWindowsThatMakeNoSense(double s, double n, double w, double e, double resolution) =>
        Assert.Throws<ArgumentException>(() => new RegularGrid(s, n, w, e, resolution));
}
