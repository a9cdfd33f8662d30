namespace WeatherGinr.Training.Tests;

/// <summary>NaN targets (missing or held out) never influence training.</summary>
public sealed class GinrTrainerMissingValueTests
{
    private static readonly TrainingOptions Options = GinrTrainerFitTests.QuickOptions with { MaxSteps = 80 };

    [Fact]
    public void Held_out_nodes_marked_nan_train_exactly_like_samples_without_those_nodes()
    {
        var embedding = new SphericalHarmonicEmbedding(300);
        var full = SampleFields.TwoSeasons(embedding);
        var heldOut = Enumerable.Range(0, 300).Where(node => node % 7 == 3).ToHashSet();
        var architecture = GinrTrainerFitTests.SmallSine with { Outputs = 2 };

        var withNaN = WithHeldOut(full, heldOut, float.NaN);
        var withoutNodes = WithoutNodes(full, heldOut);
        var withAbsurd = WithHeldOut(full, heldOut, 1e6f);

        var (nanWeights, nanLosses) = GinrTrainerDeterminismTests.TrainAndExport(withNaN, architecture, Options);
        var (dropWeights, dropLosses) = GinrTrainerDeterminismTests.TrainAndExport(withoutNodes, architecture, Options);
        var (absurdWeights, _) = GinrTrainerDeterminismTests.TrainAndExport(withAbsurd, architecture, Options);

        // Identical batches of (node, time) pairs, normalisation and losses: bit for bit the same weights.
        Assert.Equal(dropLosses, nanLosses);
        for (var index = 0; index < nanWeights.Length; index++)
        {
            Assert.Equal(dropWeights[index], nanWeights[index]);
        }

        // The comparison is sensitive: the same nodes with (absurd) values do change training.
        Assert.NotEqual(nanWeights[^1], absurdWeights[^1]);
    }

    [Fact]
    public void One_missing_variable_keeps_the_other_variables_of_that_pair_in_training()
    {
        var embedding = new SphericalHarmonicEmbedding(400);
        var samples = SampleFields.TwoSeasons(embedding);
        var n = embedding.NodeCount;

        // Wind missing at every other node: temperature must still be learnt everywhere and the wind
        // statistics must come from the valid half only.
        for (var step = 0; step < 2; step++)
        {
            for (var node = 0; node < n; node += 2)
            {
                samples.Targets[(((step * n) + node) * 2) + 1] = float.NaN;
            }
        }

        using var outcome = new OwnedOutcome(GinrTrainer.Train(samples, GinrTrainerFitTests.SmallSine with
        {
            Outputs = 2,
        }, GinrTrainerFitTests.QuickOptions with { MaxSteps = 900 }));

        var validWind = samples.Targets.Where((value, index) => index % 2 == 1 && !float.IsNaN(value))
            .Select(value => (double)value).ToArray();
        Assert.Equal(validWind.Average(), outcome.Model.Normalisation.Means[1], 1e-4);
        Assert.True(double.IsFinite(outcome.Outcome.FinalLoss));

        var predicted = outcome.Model.Predict(embedding.Rows, n, 0.0);
        var truth = Enumerable.Range(0, n).Select(node => (double)samples.Targets[node * 2]).ToArray();
        var fitted = Enumerable.Range(0, n).Select(node => (double)predicted[node * 2]).ToArray();
        Assert.True(SampleFields.RSquared(truth, fitted) >= 0.99);
    }

    private static SpatioTemporalSamples WithHeldOut(SpatioTemporalSamples samples, HashSet<int> nodes, float value)
    {
        var targets = (float[])samples.Targets.Clone();
        var variables = samples.VariableCount;
        for (var step = 0; step < samples.TimeCount; step++)
        {
            foreach (var node in nodes)
            {
                var first = ((step * samples.NodeCount) + node) * variables;
                targets.AsSpan(first, variables).Fill(value);
            }
        }

        return samples with { Targets = targets };
    }

    private static SpatioTemporalSamples WithoutNodes(SpatioTemporalSamples samples, HashSet<int> nodes)
    {
        var kept = Enumerable.Range(0, samples.NodeCount).Where(node => !nodes.Contains(node)).ToArray();
        var columns = samples.EmbeddingColumns;
        var variables = samples.VariableCount;
        var embedding = kept.SelectMany(node => samples.Embedding.AsSpan(node * columns, columns).ToArray());
        var targets = Enumerable.Range(0, samples.TimeCount).SelectMany(step => kept.SelectMany(node =>
            samples.Targets.AsSpan(((step * samples.NodeCount) + node) * variables, variables).ToArray()));
        return samples with
        {
            Embedding = embedding.ToArray(),
            NodeCount = kept.Length,
            Targets = targets.ToArray(),
        };
    }
}
