using WeatherGinr.Grains.Training;

namespace WeatherGinr.Grains.Tests.Training;

public sealed class FitScoreAccumulatorTests
{
    [Fact]
    public void MatchesTheTextbookFormulasOnAKnownCase()
    {
        // truth 1..5 (mean 3, total sum of squares 10); estimate = truth + (+1, -1, +1, -1, 0):
        // residual sum of squares 4, so R^2 = 1 - 4/10 = 0.6, RMSE = sqrt(4/5), MAE = 4/5.
        double[] truth = [1, 2, 3, 4, 5];
        double[] offsets = [1, -1, 1, -1, 0];
        var scores = new FitScoreAccumulator();
        for (var i = 0; i < truth.Length; i++)
        {
            scores.Add(truth[i], truth[i] + offsets[i]);
        }

        var score = scores.ToScore();
        Assert.Equal(5, score.Count);
        Assert.Equal(0.6, score.RSquared, 12);
        Assert.Equal(Math.Sqrt(0.8), score.Rmse, 12);
        Assert.Equal(0.8, score.Mae, 12);
    }

    [Fact]
    public void KeepsPrecisionWithALargeMean()
    {
        // Temperatures near 288 K with 0.01 K variations: a naive sum of squares loses these digits in float.
        var scores = new FitScoreAccumulator();
        var random = new Random(5);
        var truth = Enumerable.Range(0, 10_000).Select(_ => 288.15 + 0.01 * random.NextDouble()).ToArray();
        var mean = truth.Average();
        var total = truth.Sum(y => (y - mean) * (y - mean));
        foreach (var y in truth)
        {
            scores.Add(y, mean);
        }

        // Predicting the mean everywhere scores R^2 = 0 exactly; RMSE is the population deviation.
        Assert.Equal(0.0, scores.ToScore().RSquared, 9);
        Assert.Equal(Math.Sqrt(total / truth.Length), scores.ToScore().Rmse, 12);
    }

    [Fact]
    public void SkipsNonFinitePairsAndReportsNothingWhenEmpty()
    {
        var scores = new FitScoreAccumulator();
        scores.Add(double.NaN, 1);
        scores.Add(1, double.PositiveInfinity);

        var score = scores.ToScore();
        Assert.Equal(0, score.Count);
        Assert.True(double.IsNaN(score.RSquared));
    }
}
