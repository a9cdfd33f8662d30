namespace WeatherGinr.Training.Tests;

public sealed class FieldMetricsTests
{
    [Fact]
    public void Scores_match_hand_computed_values_and_skip_missing_truth()
    {
        // Valid pairs (1, 1.5), (2, 2), (3, 2.5), (4, 4): errors -0.5, 0, 0.5, 0; mean truth 2.5, SST 5.
        float[] truth = [1, 2, float.NaN, 3, 4];
        float[] predicted = [1.5f, 2, 100, 2.5f, 4];

        var score = FieldMetrics.Score("tas", truth, predicted);

        Assert.Equal(4, score.Count);
        Assert.Equal(1.0 - (0.5 / 5.0), score.RSquared, 12);
        Assert.Equal(Math.Sqrt(0.5 / 4.0), score.Rmse, 12);
        Assert.Equal(1.0 / 4.0, score.Mae, 12);
    }

    [Fact]
    public void Per_variable_scores_read_interleaved_values()
    {
        // Two variables interleaved: the first fitted exactly, the second predicted by its mean (R-squared 0).
        float[] truth = [10, 1, 20, 2, 30, 3];
        float[] predicted = [10, 2, 20, 2, 30, 2];

        var scores = FieldMetrics.ScorePerVariable(truth, predicted, ["tas", "uas"]);

        Assert.Equal(1.0, scores[0].RSquared, 12);
        Assert.Equal(0.0, scores[1].RSquared, 12);
        Assert.Equal("uas", scores[1].Variable);
    }

    [Fact]
    public void A_nan_prediction_is_not_hidden()
    {
        var score = FieldMetrics.Score("tas", [1f, 2f], [1f, float.NaN]);

        Assert.True(double.IsNaN(score.RSquared));
    }

    [Fact]
    public void Compression_ratio_counts_float32_values_against_model_bytes() =>
        Assert.Equal(12.0 * 10_242 * 3 * 4 / (315_907 * 4.0),
            FieldMetrics.CompressionRatio(12L * 10_242 * 3, 315_907 * 4L), 12);
}
