using static TorchSharp.torch;

namespace WeatherGinr.Training.Tests;

public sealed class GinrNetworkTests
{
    [Theory]
    [InlineData(GinrActivation.Sine)]
    [InlineData(GinrActivation.Relu)]
    public void Forward_pass_matches_a_scalar_reimplementation(GinrActivation activation)
    {
        // 3 layers: skip before layer ceil(3/2) = 2; input 3 embedding columns + 1 time.
        var architecture = new GinrArchitecture(3, 1, 2, Layers: 3, Width: 5, Activation: activation);
        random.manual_seed(7);
        using var network = new GinrNetwork(architecture, CPU);
        var named = network.named_parameters()
            .ToDictionary(pair => pair.name, pair => GinrModel.ToArray(pair.parameter));
        var input = new float[] { 0.3f, -1.2f, 0.8f, -0.5f, 1.5f, 0.1f, -0.7f, 0.9f };

        float[] actual;
        using (no_grad())
        {
            using var batch = tensor(input, [2, 4]);
            using var result = network.forward(batch);
            actual = GinrModel.ToArray(result);
        }

        for (var row = 0; row < 2; row++)
        {
            var x = input.AsSpan(row * 4, 4).ToArray().Select(value => (double)value).ToArray();
            var hidden = Activate(Affine(named, 0, x, 4, 5), architecture);
            hidden = Activate(Affine(named, 1, hidden, 5, 5), architecture);
            var output = Affine(named, 2, [.. hidden, .. x], 9, 2);
            Assert.Equal(output[0], actual[row * 2], 1e-4);
            Assert.Equal(output[1], actual[(row * 2) + 1], 1e-4);
        }
    }

    [Fact]
    public void Sine_layers_use_siren_initialisation_bounds()
    {
        var architecture = new GinrArchitecture(100, 1, 3, Layers: 4, Width: 256);
        random.manual_seed(1);
        using var network = new GinrNetwork(architecture, CPU);
        var weights = network.named_parameters().Where(pair => pair.name.EndsWith("weight", StringComparison.Ordinal))
            .Select(pair => (Shape: pair.parameter.shape, Values: GinrModel.ToArray(pair.parameter))).ToArray();

        for (var layer = 0; layer < weights.Length; layer++)
        {
            var fanIn = weights[layer].Shape[1];
            var bound = layer == 0 ? 1.0 / fanIn : Math.Sqrt(6.0 / fanIn) / 30.0;
            var largest = weights[layer].Values.Max(Math.Abs);
            Assert.InRange(largest, 0.95 * bound, bound);
        }
    }

    private static double[] Affine(Dictionary<string, float[]> named, int layer, double[] x, int inputs, int outputs)
    {
        var weight = named[$"layers.{layer}.weight"];
        var bias = named[$"layers.{layer}.bias"];
        var y = new double[outputs];
        for (var row = 0; row < outputs; row++)
        {
            y[row] = bias[row];
            for (var column = 0; column < inputs; column++)
            {
                y[row] += weight[(row * inputs) + column] * x[column];
            }
        }

        return y;
    }

    private static double[] Activate(double[] values, GinrArchitecture architecture) =>
        architecture.Activation == GinrActivation.Sine
            ? values.Select(value => Math.Sin(architecture.Omega0 * value)).ToArray()
            : values.Select(value => Math.Max(0, value)).ToArray();
}
