namespace WeatherGinr.Training.Tests;

/// <summary>Analytic fields of low spherical-harmonic content, and sample sets built from them.</summary>
internal static class SampleFields
{
    /// <summary>A temperature-like field (kelvin): warm equator, cold poles, a wave in longitude.</summary>
    public static double Temperature(double x, double y, double z) =>
        288.0 - (30.0 * z * z) + (4.0 * x * y) + (3.0 * z);

    /// <summary>A wind-like field (m/s) with its own pattern.</summary>
    public static double Wind(double x, double y, double z) => (6.0 * x * z) - (4.0 * y) + 1.0;

    /// <summary>One time step of the temperature field on the embedding's points (one variable).</summary>
    public static SpatioTemporalSamples StaticTemperature(SphericalHarmonicEmbedding embedding)
    {
        var targets = new float[embedding.NodeCount];
        for (var node = 0; node < embedding.NodeCount; node++)
        {
            targets[node] = (float)Temperature(embedding.X[node], embedding.Y[node], embedding.Z[node]);
        }

        return new SpatioTemporalSamples(embedding.Rows, embedding.NodeCount, SphericalHarmonicEmbedding.Columns,
            [0.0], targets, ["tas"]);
    }

    /// <summary>
    /// Two time steps whose fields differ in shape, two variables each: at t = 0 the temperature and wind
    /// fields, at t = 30 (days) the same fields with the axes permuted cyclically (the cold caps move from
    /// the poles to the y axis).
    /// </summary>
    public static SpatioTemporalSamples TwoSeasons(SphericalHarmonicEmbedding embedding)
    {
        var n = embedding.NodeCount;
        var targets = new float[2 * n * 2];
        for (var step = 0; step < 2; step++)
        {
            for (var node = 0; node < n; node++)
            {
                var (x, y, z) = step == 0
                    ? (embedding.X[node], embedding.Y[node], embedding.Z[node])
                    : (embedding.Z[node], embedding.X[node], embedding.Y[node]);
                targets[(((step * n) + node) * 2) + 0] = (float)Temperature(x, y, z);
                targets[(((step * n) + node) * 2) + 1] = (float)Wind(x, y, z);
            }
        }

        return new SpatioTemporalSamples(embedding.Rows, n, SphericalHarmonicEmbedding.Columns, [0.0, 30.0],
            targets, ["tas", "uas"]);
    }

    /// <summary>Coefficient of determination of predictions against truth, 1 - SSE / SST.</summary>
    public static double RSquared(IReadOnlyList<double> truth, IReadOnlyList<double> predicted)
    {
        var mean = truth.Average();
        var residual = 0.0;
        var total = 0.0;
        for (var index = 0; index < truth.Count; index++)
        {
            residual += (truth[index] - predicted[index]) * (truth[index] - predicted[index]);
            total += (truth[index] - mean) * (truth[index] - mean);
        }

        return 1.0 - (residual / total);
    }
}
