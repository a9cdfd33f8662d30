using static TorchSharp.torch;

namespace WeatherGinr.Training.Tests;

public sealed class AdamWOptimiserTests
{
    [Fact]
    public void Matches_libtorch_adamw_step_for_step()
    {
        random.manual_seed(3);
        using var ours = nn.Linear(4, 3);
        using var reference = nn.Linear(4, 3);
        using (no_grad())
        {
            reference.weight!.copy_(ours.weight!);
            reference.bias!.copy_(ours.bias!);
        }

        using var optimiser = new AdamWOptimiser(ours.parameters(), learningRate: 0.05, weightDecay: 0.01);
        using var libtorch = optim.AdamW(reference.parameters(), lr: 0.05, weight_decay: 0.01);
        using var input = randn(8, 4);

        for (var step = 0; step < 6; step++)
        {
            using (var scope = NewDisposeScope())
            {
                optimiser.ZeroGradients();
                ours.forward(input).square().sum().backward();
                optimiser.Step();

                libtorch.zero_grad();
                reference.forward(input).square().sum().backward();
                libtorch.step();
            }
        }

        var expected = GinrModel.ToArray(reference.weight!);
        var actual = GinrModel.ToArray(ours.weight!);
        for (var index = 0; index < expected.Length; index++)
        {
            Assert.Equal(expected[index], actual[index], 1e-5);
        }
    }
}
