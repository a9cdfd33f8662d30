namespace WeatherGinr.Training;

/// <summary>
/// How a model maps physical values and times to what the network sees: targets z-scored per variable,
/// <c>z = (y - mean) / std</c>, and time scaled to [-1, 1] over the training times,
/// <c>tau = 2 (t - first) / (last - first) - 1</c>. A query time outside the training range extrapolates.
/// </summary>
/// <param name="Means">Mean of each variable over its valid training values.</param>
/// <param name="StandardDeviations">Population standard deviation of each variable (1 where constant).</param>
/// <param name="FirstTime">Earliest training time, in the samples' unit.</param>
/// <param name="LastTime">Latest training time; equal to <paramref name="FirstTime"/> for one step.</param>
public sealed record FieldNormalisation(
    IReadOnlyList<double> Means,
    IReadOnlyList<double> StandardDeviations,
    double FirstTime,
    double LastTime)
{
    /// <summary>Time in the network's [-1, 1] scale; 0 when the training had one time step.</summary>
    public double NormaliseTime(double time)
    {
        var span = LastTime - FirstTime;
        return span > 0 ? (2.0 * (time - FirstTime) / span) - 1.0 : 0.0;
    }

    /// <summary>
    /// Per-variable statistics over the valid (non-NaN) values of [time, node, variable] targets. Uncentred
    /// (mean 0, RMS as the scale) for Laplacian targets: L annihilates constants, so a mean shift of L f has
    /// no counterpart in f.
    /// </summary>
    internal static FieldNormalisation FromTargets(
        float[] targets, int variables, double firstTime, double lastTime, bool centred = true)
    {
        var sums = new double[variables];
        var counts = new long[variables];
        for (long index = 0; index < targets.LongLength; index++)
        {
            var value = targets[index];
            if (!float.IsNaN(value))
            {
                sums[index % variables] += value;
                counts[index % variables]++;
            }
        }

        var means = new double[variables];
        for (var variable = 0; variable < variables; variable++)
        {
            means[variable] = centred && counts[variable] > 0 ? sums[variable] / counts[variable] : 0.0;
        }

        // Two passes: the sum of squared deviations about the mean avoids the cancellation of
        // E[y^2] - E[y]^2 for temperatures near 288 K with a spread of a few kelvin.
        var squares = new double[variables];
        for (long index = 0; index < targets.LongLength; index++)
        {
            var value = targets[index];
            if (!float.IsNaN(value))
            {
                var deviation = value - means[index % variables];
                squares[index % variables] += deviation * deviation;
            }
        }

        var deviations = new double[variables];
        for (var variable = 0; variable < variables; variable++)
        {
            var std = counts[variable] > 0 ? Math.Sqrt(squares[variable] / counts[variable]) : 0.0;
            deviations[variable] = std > 1e-12 ? std : 1.0;
        }

        return new FieldNormalisation(means, deviations, firstTime, lastTime);
    }
}
