namespace WeatherGinr.Ingest.Tests.Regridding;

/// <summary>Regridder behaviour at the poles, the seam, missing data and when averaging.</summary>
public sealed class LatLonRegridderTests
{
    private static GriddedField Field(double[] latitudes, double[] longitudes, Func<double, double, double> value)
    {
        var values = new float[latitudes.Length * longitudes.Length];
        for (var row = 0; row < latitudes.Length; row++)
        {
            for (var column = 0; column < longitudes.Length; column++)
            {
                values[(row * longitudes.Length) + column] = (float)value(latitudes[row], longitudes[column]);
            }
        }

        return new GriddedField(["memory"], "t2m", WeatherQuantity.AirTemperature, "K", latitudes, longitudes,
            [DateTimeOffset.UnixEpoch], values);
    }

    private static double[] Range(double first, double step, int count) =>
        Enumerable.Range(0, count).Select(i => first + (i * step)).ToArray();

    /// <summary>
    /// Gauss-Legendre latitudes for n rows (Newton on P_n), ascending; the T42-like grid stops at 87.86.
    /// </summary>
    private static double[] GaussianLatitudes(int rows)
    {
        var latitudes = new double[rows];
        for (var root = 0; root < rows; root++)
        {
            var x = Math.Cos(Math.PI * (root + 0.75) / (rows + 0.5));
            for (var iteration = 0; iteration < 100; iteration++)
            {
                double p0 = 1, p1 = x;
                for (var degree = 2; degree <= rows; degree++)
                {
                    (p0, p1) = (p1, (((2 * degree) - 1) * x * p1 - ((degree - 1) * p0)) / degree);
                }

                var derivative = rows * ((x * p1) - p0) / ((x * x) - 1);
                var step = p1 / derivative;
                x -= step;
                if (Math.Abs(step) < 1e-15)
                {
                    break;
                }
            }

            latitudes[root] = Math.Asin(x) * 180 / Math.PI;
        }

        Array.Sort(latitudes);
        return latitudes;
    }

    [Fact]
    public void Gaussian_grid_is_continuous_at_the_poles_and_exact_for_a_field_linear_in_z()
    {
        // f = 300 + 10 sin(phi): at the pole every longitude must give the same value, and the
        // cap between the last row (87.86) and the pole is filled by the ring mean there.
        var latitudes = GaussianLatitudes(64);
        var field = Field(latitudes, Range(0, 2.8125, 128), (lat, _) => 300 + (10 * Math.Sin(lat * Math.PI / 180)));

        var poleValues = LatLonRegridder.Regrid(field, 0, [90, 90, 90, -90, -90], [0, 77, -123, 10, 200]);
        var cap = LatLonRegridder.Regrid(field, 0, [89, 88.5], [33, 33]);

        Assert.Equal(87.8638, latitudes[^1], 3);
        Assert.All(poleValues[..3], v => Assert.Equal(poleValues[0], v));
        Assert.All(poleValues[3..], v => Assert.Equal(poleValues[3], v));

        // Pole value = ring mean = f(87.86); linear blend towards it: error below
        // 10 (1 - sin 87.86) = 0.007 K.
        Assert.Equal(310, poleValues[0], 0.01);
        Assert.Equal(290, poleValues[3], 0.01);
        Assert.All(cap, v => Assert.InRange(v, 309.9, 310.0001));
    }

    [Fact]
    public void Regional_grid_is_NaN_outside_and_not_periodic()
    {
        // ERA5-like UK box: 10W..2E, 50..58N, 0.25 degree.
        var field = Field(Range(50, 0.25, 33), Range(-10, 0.25, 49), (lat, lon) => lat + lon);

        var values = LatLonRegridder.Regrid(field, 0, [55, 55, 59, 55, 55, 50], [-10.5, 2.5, 0, 1.1, -10, 2]);

        Assert.True(float.IsNaN(values[0]) && float.IsNaN(values[1]) && float.IsNaN(values[2]));
        Assert.Equal(56.1, values[3], 1e-4);
        Assert.Equal(45, values[4], 1e-4);
        Assert.Equal(52, values[5], 1e-4);
        Assert.False(field.IsGlobalInLongitude);
    }

    [Fact]
    public void Seam_between_last_and_first_column_interpolates_periodically()
    {
        var field = Field([0, 10], Range(0, 10, 36), (_, lon) => lon == 350 ? 10 : lon == 0 ? 20 : 0);

        var values = LatLonRegridder.Regrid(field, 0, [0, 0, 0], [355, -5, 715]);

        Assert.All(values, v => Assert.Equal(15, v, 1e-5));
    }

    [Fact]
    public void Missing_corners_are_dropped_and_weights_renormalised_and_all_missing_is_NaN()
    {
        // Corners (0,0)=1, (0,10)=NaN, (10,0)=3, (10,10)=NaN; at (2.5, 5): weights 0.375, 0.375,
        // 0.125, 0.125 -> valid 0.375 * 1 + 0.125 * 3 over 0.5 = 1.5.
        var field = Field([0, 10], [0, 10], (lat, lon) => lon == 10 ? double.NaN : lat == 0 ? 1 : 3);

        var values = LatLonRegridder.Regrid(field, 0, [2.5, 5, 0], [5, 10, 10]);

        Assert.Equal(1.5, values[0], 1e-6);
        Assert.True(float.IsNaN(values[1]));
        Assert.True(float.IsNaN(values[2]));
    }

    [Fact]
    public void Area_average_removes_sub_grid_checkerboard_that_sampling_would_alias()
    {
        // +-1 alternating on a 1-degree grid: any point sample is +-1 (or a blend); the average
        // over a 10-degree region is near 0.
        var field = Field(Range(-89.5, 1, 180), Range(-179.5, 1, 360),
            (lat, lon) => ((int)Math.Floor(lat) + (int)Math.Floor(lon)) % 2 == 0 ? 1 : -1);
        var latitudes = new double[] { 0.5, 45.5, -60.5, 89.9 };
        var longitudes = new double[] { 10.5, -120.5, 33.5, 0 };

        var sampled = LatLonRegridder.Regrid(field, 0, latitudes, longitudes);
        var averaged = LatLonRegridder.Regrid(field, 0, latitudes, longitudes, targetSpacingDegrees: 10);

        Assert.All(sampled[..3], v => Assert.Equal(1, Math.Abs(v), 1e-6));
        Assert.All(averaged, v => Assert.InRange(v, -0.1, 0.1));
    }

    [Fact]
    public void Area_average_of_a_smooth_field_stays_close_and_ignores_missing_cells()
    {
        // f = 288.15 - 40 sin^2(phi); a cap of radius r = 0.525 * 5 deg changes the mean by about
        // (r^2 / 4) |laplacian f| <= (0.0458^2 / 4) * 160 = 0.084 K.
        var field = Field(Range(-89.5, 1, 180), Range(-179.5, 1, 360), (lat, lon) =>
            lon is > 100 and < 101 ? double.NaN : 288.15 - (40 * Math.Pow(Math.Sin(lat * Math.PI / 180), 2)));
        var latitudes = new double[] { 0, 30, 60, -45, 100.5 - 100.5 };
        var longitudes = new double[] { 0, 90, -150, 100.5, 100.5 };

        var averaged = LatLonRegridder.Regrid(field, 0, latitudes, longitudes, targetSpacingDegrees: 5);

        for (var index = 0; index < latitudes.Length; index++)
        {
            var exact = 288.15 - (40 * Math.Pow(Math.Sin(latitudes[index] * Math.PI / 180), 2));
            Assert.Equal(exact, averaged[index], 0.09);
        }
    }

    [Fact]
    public void Targets_finer_than_the_grid_fall_back_to_bilinear()
    {
        var field = Field(Range(-89.5, 1, 180), Range(-179.5, 1, 360), (lat, lon) => lat + (0.01 * lon));

        var bilinear = LatLonRegridder.Regrid(field, 0, [10.2], [20.7]);
        var fine = LatLonRegridder.Regrid(field, 0, [10.2], [20.7], targetSpacingDegrees: 0.5);

        Assert.Equal(bilinear, fine);
        Assert.Equal(10.2 + 0.207, bilinear[0], 1e-5);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        var field = Field([0, 1], [0, 1], (_, _) => 1);

        Assert.Throws<ArgumentOutOfRangeException>(() => LatLonRegridder.Regrid(field, 1, [0], [0]));
        Assert.Throws<ArgumentException>(() => LatLonRegridder.Regrid(field, 0, [0, 1], [0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatLonRegridder.Regrid(field, 0, [0], [0], -1));
        Assert.True(float.IsNaN(LatLonRegridder.Regrid(field, 0, [double.NaN], [0])[0]));
    }
}
