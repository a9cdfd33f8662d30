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

    [Fact]
    public void AnEastBelowWestCrossesTheAntimeridianInTheBoundsConvention()
    {
        var minusConvention = new RegularGrid(0, 1, 170, -170, 5);
        var zeroTo360 = new RegularGrid(0, 1, 350, 10, 5);
        var written180To190 = new RegularGrid(0, 1, 170, 190, 5);

        Assert.Equal([172.5, 177.5, -177.5, -172.5], minusConvention.Longitudes);
        Assert.Equal([352.5, 357.5, 2.5, 7.5], zeroTo360.Longitudes);
        Assert.Equal([172.5, 177.5, 182.5, 187.5], written180To190.Longitudes);
    }

    [Fact]
    public void AWholeTurnStartingAnywhereHasEveryLongitudeOnce()
    {
        var grid = new RegularGrid(0, 1, 90, 90 - 1e-9, 10);

        Assert.Equal(36, grid.Longitudes.Length);
        Assert.Equal(36, grid.Longitudes.Select(l => Math.Round(((l % 360) + 360) % 360, 6)).Distinct().Count());
    }

    [Theory]
    [InlineData(-90, 90, 170, 170, 1)]     // west equal to east: no window (or every longitude?)
    [InlineData(-90, 90, 190, -170, 1)]    // the same meridian written two ways: a span of 0
    [InlineData(-90, 90, 180, -180, 1)]    // likewise
    [InlineData(-90, 90, 300, -300, 1)]    // east below west by more than a turn: a span of -240
    [InlineData(-90, 90, 200, -170, 1)]    // a span of -10
    [InlineData(-90, 90, -400, 0, 1)]      // a bound beyond one turn
    [InlineData(10, 0, -180, 180, 1)]      // south above north
    [InlineData(-95, 90, -180, 180, 1)]    // below the south pole
    [InlineData(-90, 90, 0, 400, 1)]       // more than one turn of longitude
    [InlineData(-90, 90, -180, 180, 0)]    // no resolution
    [InlineData(-90, 90, -180, 180, 0.01)] // too many points for one request
    [InlineData(-90, 90, -180, 180, 1e-9)] // more rows than an int holds
    public void RefusesWindowsThatMakeNoSense(double s, double n, double w, double e, double resolution) =>
        Assert.Throws<ArgumentException>(() => new RegularGrid(s, n, w, e, resolution));
}
