using WeatherGinr.Grains.Abstractions;

namespace WeatherGinr.Grains.Training;

/// <summary>
/// Streams (truth, estimate) pairs into R-squared, RMSE and MAE. Sums are kept in double, and the
/// total sum of squares uses Welford's update so a large mean (temperatures near 288 K) costs no
/// precision.
/// </summary>
public sealed class FitScoreAccumulator
{
    private long count;
    private double mean;
    private double totalSquares;
    private double residualSquares;
    private double absoluteResiduals;

    /// <summary>Adds one pair; pairs where either value is not finite are skipped.</summary>
    public void Add(double truth, double estimate)
    {
        if (!double.IsFinite(truth) || !double.IsFinite(estimate))
        {
            return;
        }

        count++;
        var delta = truth - mean;
        mean += delta / count;
        totalSquares += delta * (truth - mean);

        var residual = truth - estimate;
        residualSquares += residual * residual;
        absoluteResiduals += Math.Abs(residual);
    }

    /// <summary>R^2 = 1 - sum (y - f)^2 / sum (y - mean y)^2; NaN when there is nothing to score.</summary>
    public FitScore ToScore() => count == 0
        ? new FitScore(0, double.NaN, double.NaN, double.NaN)
        : new FitScore(
            (int)Math.Min(count, int.MaxValue),
            totalSquares > 0 ? 1 - residualSquares / totalSquares : double.NaN,
            Math.Sqrt(residualSquares / count),
            absoluteResiduals / count);
}
