using WeatherGinr.Ingest.Tests.TestSupport;

namespace WeatherGinr.Ingest.Tests.Regridding;

/// <summary>
/// A bilinear plan gives exactly what <see cref="LatLonRegridder.Regrid"/> gives step by step: on a
/// global Gaussian grid (pole caps), on grids with many missing values (COADS land), on a regional grid
/// (targets outside it), and at awkward targets (the poles, the seam, NaN, beyond 90 degrees).
/// </summary>
public sealed class BilinearRegridPlanTests
{
    /// <summary>A spread of targets: a Fibonacci lattice over the sphere plus the special cases.</summary>
    private static (double[] Latitudes, double[] Longitudes) Targets()
    {
        const int lattice = 4000;
        var latitudes = new List<double> { 90, -90, 0, 89.99, -89.99, 45, double.NaN, 91, 10 };
        var longitudes = new List<double> { 0, 123, 179.999, -180, 360, 540, 10, 0, double.PositiveInfinity };
        for (var i = 0; i < lattice; i++)
        {
            // Fibonacci lattice: z uniform in (-1, 1), longitude advancing by the golden angle.
            latitudes.Add(Math.Asin(-1 + ((2.0 * i + 1) / lattice)) * 180 / Math.PI);
            longitudes.Add((i * 137.50776405) % 360 - 180);
        }

        return ([.. latitudes], [.. longitudes]);
    }

    [Theory]
    [InlineData("ncep_flx_2006040100_u10_v10_t2m_tcc.nc")]
    [InlineData("coads_climatology.cdf")]
    [InlineData("era5_t2m_2019-03_uk_hourly.nc")]
    public void EveryStepEqualsRegridExactly(string sample)
    {
        var (latitudes, longitudes) = Targets();
        foreach (var field in WeatherFieldReader.ReadWeatherFields([SampleData.PathOf(sample)]))
        {
            var steps = Math.Min(field.TimeCount, 40);
            var clipped = field with
            {
                TimesUtc = field.TimesUtc[..steps],
                Values = field.Values[..(steps * field.LatitudeCount * field.LongitudeCount)],
            };

            var plan = LatLonRegridder.PlanBilinear(clipped, latitudes, longitudes);
            var all = plan.ApplyAllSteps(clipped);

            for (var step = 0; step < steps; step++)
            {
                var expected = LatLonRegridder.Regrid(clipped, step, latitudes, longitudes);
                var actual = all.AsSpan(step * latitudes.Length, latitudes.Length).ToArray();
                Assert.True(expected.AsSpan().SequenceEqual(actual),
                    $"{sample} {field.VariableName} step {step}: plan and Regrid differ");

                // One step at a time takes its own path (no blocks of steps): the same values.
                var single = new float[latitudes.Length];
                plan.Apply(clipped, step, single);
                Assert.True(expected.AsSpan().SequenceEqual(single),
                    $"{sample} {field.VariableName} step {step}: Apply and Regrid differ");
            }
        }
    }

    [Theory]
    [InlineData("ncep_flx_2006040100_u10_v10_t2m_tcc.nc")]
    [InlineData("coads_climatology.cdf")]
    public void AllStepsIntoAReusedBufferEqualAllStepsIntoANewArray(string sample)
    {
        var (latitudes, longitudes) = Targets();
        var field = WeatherFieldReader.ReadWeatherFields([SampleData.PathOf(sample)])[0];
        var plan = LatLonRegridder.PlanBilinear(field, latitudes, longitudes);
        var expected = plan.ApplyAllSteps(field);

        // A buffer that held another field's values (and a NaN here and there) keeps none of them.
        var reused = new float[expected.Length];
        for (var index = 0; index < reused.Length; index++)
        {
            reused[index] = index % 7 == 0 ? float.NaN : 1000 + index;
        }

        plan.ApplyAllSteps(field, reused);

        Assert.True(expected.AsSpan().SequenceEqual(reused), $"{sample}: reused buffer and new array differ");
        var error = Assert.Throws<ArgumentException>(() => plan.ApplyAllSteps(field, new float[expected.Length - 1]));
        Assert.Contains($"need {expected.Length}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFieldOnAnotherGridIsRefused()
    {
        var ncep = WeatherFieldReader.ReadWeatherFields(
            [SampleData.PathOf("ncep_flx_2006040100_u10_v10_t2m_tcc.nc")])[0];
        var coads = WeatherFieldReader.ReadWeatherFields([SampleData.PathOf("coads_climatology.cdf")])[0];
        var plan = LatLonRegridder.PlanBilinear(ncep, [0.0], [0.0]);

        var error = Assert.Throws<ArgumentException>(() => plan.ApplyAllSteps(coads));

        Assert.Contains("90x180", error.Message, StringComparison.Ordinal);
    }
}
