using WeatherGinr.Ingest.Tests.TestSupport;

namespace WeatherGinr.Ingest.Tests.Regridding;

/// <summary>
/// Regridding of cdo_synth_uvtc.nc (2.5-degree grid, rows -90..90, columns 0..357.5) checked
/// against the formulas it was made from (data README). Bilinear interpolation of a smooth f
/// errs by at most (h^2 / 8) (|f_phi phi| + |f_lambda lambda|), h = 2.5 deg = 0.043633 rad, so
/// h^2 / 8 = 2.380e-4:
/// t2m = 288.15 - 40 sin^2(phi) = 268.15 + 20 cos(2 phi): |f''| &lt;= 80 K, bound 0.019 K;
/// u10 = 10 cos(phi) sin(lambda): bound 2.380e-4 * (10 + 10) = 0.0048 m/s;
/// v10 = 5 sin(2 phi): bound 2.380e-4 * 20 = 0.0048 m/s;
/// tcc = cos^2(lambda) as a fraction: bound 2.380e-4 * 2 = 0.00048.
/// Each tolerance adds float32 storage error (1e-4 relative at most).
/// </summary>
public sealed class SyntheticRegridTests
{
    private static readonly Lazy<IReadOnlyList<GriddedField>> Fields =
        new(() => WeatherFieldReader.ReadWeatherFields([SampleData.PathOf("cdo_synth_uvtc.nc")]));

    private static (double[] Latitudes, double[] Longitudes) ScatteredPoints(int count, int seed)
    {
        var random = new Random(seed);
        var latitudes = new double[count];
        var longitudes = new double[count];
        for (var index = 0; index < count; index++)
        {
            // Uniform on the sphere: sin(phi) uniform in [-1, 1]; longitudes over several turns.
            latitudes[index] = Math.Asin((2 * random.NextDouble()) - 1) * 180 / Math.PI;
            longitudes[index] = (random.NextDouble() * 1080) - 540;
        }

        latitudes[0] = 90;
        latitudes[1] = -90;
        longitudes[2] = 359.99;
        longitudes[3] = -180;
        return (latitudes, longitudes);
    }

    [Theory]
    [InlineData(WeatherQuantity.AirTemperature, 0.019 + 1e-4)]
    [InlineData(WeatherQuantity.EastwardWind, 0.0048 + 0.001)]
    [InlineData(WeatherQuantity.NorthwardWind, 0.0048 + 0.001)]
    [InlineData(WeatherQuantity.CloudAreaFraction, 0.00048 + 0.0001)]
    public void Bilinear_values_match_the_formula_within_the_derived_bound(WeatherQuantity quantity, double bound)
    {
        var field = Fields.Value.Single(f => f.Quantity == quantity);
        var (latitudes, longitudes) = ScatteredPoints(5000, seed: 7);

        var values = LatLonRegridder.Regrid(field, 3, latitudes, longitudes);

        var worst = 0.0;
        for (var index = 0; index < values.Length; index++)
        {
            var expected = Formula(quantity, latitudes[index], longitudes[index]);
            worst = Math.Max(worst, Math.Abs(values[index] - expected));
        }

        Assert.True(worst <= bound, $"worst error {worst} exceeds the bound {bound}");
        Assert.True(worst > 0, "interpolation error of exactly zero everywhere means the test tests nothing");
    }

    internal static double Formula(WeatherQuantity quantity, double latitudeDegrees, double longitudeDegrees)
    {
        var phi = latitudeDegrees * Math.PI / 180;
        var lambda = longitudeDegrees * Math.PI / 180;
        return quantity switch
        {
            WeatherQuantity.AirTemperature => 288.15 - (40 * Math.Pow(Math.Sin(phi), 2)),
            WeatherQuantity.EastwardWind => 10 * Math.Cos(phi) * Math.Sin(lambda),
            WeatherQuantity.NorthwardWind => 5 * Math.Sin(2 * phi),
            _ => Math.Pow(Math.Cos(lambda), 2),
        };
    }
}
