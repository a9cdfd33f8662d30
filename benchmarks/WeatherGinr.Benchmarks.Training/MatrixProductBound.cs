using System.Diagnostics;
using static TorchSharp.torch;

namespace WeatherGinr.Benchmarks.Training;

/// <summary>
/// The matrix products of one training step alone, as points per second: per linear layer of shape
/// (in, out) at batch B, the forward <c>Y = X W^T</c> [B, out], the weight gradient <c>dW = dY^T X</c>
/// [out, in] and, except for the first layer (its input needs no gradient), the input gradient
/// <c>dX = dY W</c> [B, in]. No framework can train faster than its own products allow, so the ratio of
/// these rates bounds the ratio of the training rates from above when the products dominate the step.
/// </summary>
public static class MatrixProductBound
{
    public static double TorchSharpRate(BenchmarkArchitecture shape, int warmupSteps, int threads)
    {
        set_num_threads(threads);
        using var scope = NewDisposeScope();
        manual_seed(1);
        var layers = Enumerable.Range(0, shape.Layers).Select(shape.Architecture.LayerShape).Select(layer => (
            X: randn(shape.BatchSize, layer.Inputs), W: randn(layer.Outputs, layer.Inputs),
            DY: randn(shape.BatchSize, layer.Outputs))).ToArray();

        void Step()
        {
            using var stepScope = NewDisposeScope();
            for (var index = 0; index < layers.Length; index++)
            {
                var (x, w, dy) = layers[index];
                _ = mm(x, w.t());
                _ = mm(dy.t(), x);
                if (index > 0)
                {
                    _ = mm(dy, w);
                }
            }
        }

        for (var step = 0; step < warmupSteps; step++)
        {
            Step();
        }

        var clock = Stopwatch.StartNew();
        for (var step = 0; step < shape.TimedSteps; step++)
        {
            Step();
        }

        return (double)shape.TimedSteps * shape.BatchSize / clock.Elapsed.TotalSeconds;
    }
}
