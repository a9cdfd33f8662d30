using WeatherGinr.Cli.Experiments;
using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;
using WeatherGinr.Training;

namespace WeatherGinr.Cli.Tests.Experiments;

/// <summary>
/// <see cref="DifferentialSupervision"/> beyond the quick experiment: bad input is refused before any step, and
/// the preconditioned loss recovers a signal known in closed form on a tiny mesh.
/// </summary>
public sealed class DifferentialSupervisionTests
{
    private static readonly Icosphere Mesh = Icosphere.Create(2);

    [Fact]
    public void BadInputIsAClearErrorBeforeAnyStep()
    {
        var (samples, eigenvalues, graph) = Problem(SmoothSphereSignal.OnNodes(Mesh));
        var architecture = new GinrArchitecture(samples.EmbeddingColumns, 0, 1, 3, 32, GinrActivation.Relu);
        var options = new TrainingOptions(MaxSteps: 1);

        var nan = samples with { Targets = samples.Targets.Select((v, i) => i == 7 ? float.NaN : v).ToArray() };
        var error = Assert.Throws<ArgumentException>(() => DifferentialSupervision.Train(nan, eigenvalues, graph,
            architecture, options, DifferentialLoss.Pure));
        Assert.Equal("samples", error.ParamName);

        error = Assert.Throws<ArgumentException>(() => DifferentialSupervision.Train(samples, eigenvalues[..^1],
            graph, architecture, options, DifferentialLoss.Pure));
        Assert.Equal("eigenvalues", error.ParamName);

        error = Assert.Throws<ArgumentException>(() => DifferentialSupervision.Train(samples, eigenvalues, graph,
            architecture, options, new DifferentialLoss(PreconditionedModes: samples.EmbeddingColumns + 1)));
        Assert.Contains("PreconditionedModes", error.Message, StringComparison.Ordinal);

        error = Assert.Throws<ArgumentException>(() => DifferentialSupervision.Train(samples, eigenvalues, graph,
            architecture, options, new DifferentialLoss(AnchorNodes: [3], AnchorValues: [1f])));
        Assert.Contains("at least two", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ThePreconditionedLossRecoversAClosedFormSignalUpToAConstant()
    {
        var truth = SmoothSphereSignal.OnNodes(Mesh);
        var (samples, eigenvalues, graph) = Problem(truth);
        var architecture = new GinrArchitecture(samples.EmbeddingColumns, 0, 1, 4, 64, GinrActivation.Relu);
        var options = new TrainingOptions(MaxSteps: 400, LearningRate: 1e-3, Threads: 2);

        var outcome = DifferentialSupervision.Train(samples, eigenvalues, graph, architecture, options,
            new DifferentialLoss(PreconditionedModes: samples.EmbeddingColumns));
        using var model = outcome.Model;
        var predicted = model.Predict(samples.Embedding, Mesh.NodeCount, 0.0);

        // f = 2xy + z^2 - x/2 + sin 3z + cos(2x + y) at every node, known exactly; both sides centred.
        var (truthMean, predictedMean) = (truth.Average(v => (double)v), predicted.Average(v => (double)v));
        var centredTruth = truth.Select(v => (float)(v - truthMean)).ToArray();
        var centredPrediction = predicted.Select(v => (float)(v - predictedMean)).ToArray();
        var rSquared = FieldMetrics.RSquared(centredTruth, centredPrediction);
        Assert.True(rSquared >= 0.99, $"centred R² {rSquared}");
    }

    // The level-2 icosphere (162 nodes), its first 16 Laplacian eigenvectors scaled by sqrt(n), and L f.
    private static (SpatioTemporalSamples Samples, double[] Eigenvalues, MeshGraph Graph) Problem(float[] signal)
    {
        var embedding = SpectralEmbedding.FromEigenbasis(2,
            LaplacianEigensolver.Solve(GraphLaplacian.Combinatorial(Mesh), 16));
        var graph = DifferentialExperiment.Graph(Mesh);
        var samples = new SpatioTemporalSamples(embedding.Values, Mesh.NodeCount, embedding.Columns, [0.0],
            graph.ApplyLaplacian(signal, 1), ["value"]);
        return (samples, embedding.Eigenvalues, graph);
    }
}
