using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Training;

namespace WeatherGinr.Grains.Tests.Training;

public sealed class TrainingSettingsCheckTests
{
    private static readonly TrainingSettings Good = new(
        Layers: 4, Width: 64, Activation: "Sine", LearningRate: 1e-3, BatchSize: 1024, MaxSteps: 300,
        TimeBudgetSeconds: 60, Seed: 1);

    [Theory]
    [InlineData("Sine")]
    [InlineData("relu")]
    public void AnActivationNamedInAnyCaseIsAccepted(string activation) =>
        TrainingSettingsCheck.Validate(new TrainingRunRequest("d", 3, 16, 0.1, Good with { Activation = activation }));

    [Theory]
    [InlineData("5")] // Enum.TryParse would take it as the underlying value
    [InlineData("0")]
    [InlineData("Tanh")]
    public void AnythingButAnActivationsNameIsRefusedNamingTheSetting(string activation)
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingSettingsCheck.Validate(
            new TrainingRunRequest("d", 3, 16, 0.1, Good with { Activation = activation })));
        Assert.StartsWith($"training setting activation is {activation}; it must be ", error.Message,
            StringComparison.Ordinal);
    }
}
