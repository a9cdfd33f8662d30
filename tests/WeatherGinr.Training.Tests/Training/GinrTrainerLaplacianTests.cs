namespace WeatherGinr.Training.Tests;

/// <summary>Differential supervision: learn f from L f alone, up to the Laplacian's null space.</summary>
public sealed class GinrTrainerLaplacianTests
{
    [Fact]
    public void Icosphere_counts_match_the_closed_form()
    {
        var mesh = new TestIcosphere(3);

        Assert.Equal((10 * 64) + 2, mesh.NodeCount);
        Assert.Equal(30 * 64, mesh.Graph.EdgeSources.Length);
    }

    [Fact]
    public void Laplacian_of_a_constant_is_zero_and_matches_an_edge_sum()
    {
        var mesh = new TestIcosphere(2);
        var constant = Enumerable.Repeat(5f, mesh.NodeCount).ToArray();
        Assert.All(mesh.Graph.ApplyLaplacian(constant, 1), value => Assert.Equal(0f, value));

        var signal = Enumerable.Range(0, mesh.NodeCount).Select(node => (float)mesh.Z[node]).ToArray();
        Assert.Equal(EdgeSumLaplacian(mesh, signal), mesh.Graph.ApplyLaplacian(signal, 1));
    }

    [Fact]
    public void A_signal_is_recovered_up_to_a_constant_from_its_laplacian()
    {
        var mesh = new TestIcosphere(3);
        var embedding = new SphericalHarmonicEmbedding((mesh.X, mesh.Y, mesh.Z));
        var signal = Enumerable.Range(0, mesh.NodeCount)
            .Select(node => (float)SampleFields.Temperature(mesh.X[node], mesh.Y[node], mesh.Z[node])).ToArray();
        var laplacian = EdgeSumLaplacian(mesh, signal);
        var samples = new SpatioTemporalSamples(embedding.Rows, mesh.NodeCount, SphericalHarmonicEmbedding.Columns,
            [0.0], laplacian, ["tas"]);
        var architecture = new GinrArchitecture(SphericalHarmonicEmbedding.Columns, 0, 1, Layers: 4, Width: 64);

        using var outcome = new OwnedOutcome(GinrTrainer.TrainOnLaplacian(samples, mesh.Graph, architecture,
            GinrTrainerFitTests.QuickOptions with { MaxSteps = 1500 }));

        // Compare after removing each mean: the constant is in L's null space and cannot be learnt.
        var predicted = outcome.Model.Predict(embedding.Rows, mesh.NodeCount, 0.0);
        var truthMean = signal.Average();
        var predictedMean = predicted.Average();
        var rSquared = FieldMetrics.RSquared(signal.Select(value => value - truthMean).ToArray(),
            predicted.Select(value => value - predictedMean).ToArray());
        Assert.True(rSquared >= 0.99, $"R-squared of the centred recovery {rSquared:F4}");
    }

    // (L f)_i = sum over edges (i, j) of f_i - f_j: an independent route to D - A.
    private static float[] EdgeSumLaplacian(TestIcosphere mesh, float[] signal)
    {
        var result = new double[mesh.NodeCount];
        for (var edge = 0; edge < mesh.Graph.EdgeSources.Length; edge++)
        {
            var (i, j) = (mesh.Graph.EdgeSources[edge], mesh.Graph.EdgeTargets[edge]);
            result[i] += signal[i] - signal[j];
            result[j] += signal[j] - signal[i];
        }

        return result.Select(value => (float)value).ToArray();
    }
}
