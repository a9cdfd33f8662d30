namespace WeatherGinr.Training.Tests;

public sealed class FieldMetricsEvaluateTests
{
    [Fact]
    public void Evaluate_on_chosen_nodes_equals_scoring_the_predictions_by_hand()
    {
        var embedding = new SphericalHarmonicEmbedding(120);
        var samples = SampleFields.TwoSeasons(embedding);
        using var trained = new OwnedOutcome(GinrTrainer.Train(samples, GinrTrainerFitTests.SmallSine with
        {
            Outputs = 2,
        }, GinrTrainerFitTests.QuickOptions with { MaxSteps = 20 }));
        int[] nodes = [3, 17, 40, 41, 99];

        var scores = FieldMetrics.Evaluate(trained.Model, samples, nodes);

        // By hand: predict each node at each time with the per-row overload, then score variable 1.
        var rows = nodes.SelectMany(node => embedding.Rows.AsSpan(node * 16, 16).ToArray()).ToArray();
        var truth = new List<float>();
        var predicted = new List<float>();
        foreach (var (time, step) in samples.Times.Select((time, step) => (time, step)))
        {
            var values = trained.Model.Predict(rows, Enumerable.Repeat(time, nodes.Length).ToArray());
            for (var index = 0; index < nodes.Length; index++)
            {
                truth.Add(samples.Targets[(((step * 120) + nodes[index]) * 2) + 1]);
                predicted.Add(values[(index * 2) + 1]);
            }
        }

        var expected = FieldMetrics.Score("uas", truth.ToArray(), predicted.ToArray());
        Assert.Equal(2 * nodes.Length, scores[1].Count);
        Assert.Equal(expected.RSquared, scores[1].RSquared, 5);
        Assert.Equal(expected.Rmse, scores[1].Rmse, 5);
        Assert.Equal(expected.Mae, scores[1].Mae, 5);
    }
}
