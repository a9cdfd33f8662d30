using System.Globalization;
using System.Runtime.InteropServices;
using Xunit.Abstractions;

namespace WeatherGinr.Training.Tests;

/// <summary>
/// Measures the demo configuration on real data: CMIP5 monthly tas, uas, vas (2005) regridded onto
/// icosphere level 5, k = 100 Laplacian eigenvectors, 12 steps, 3 variables in one network. Needs the files
/// emb_l5_k100.f32 (10242 x 100), y_l5.f32 (12 x 10242 x 3) and t.f64 (12) in WEATHERGINR_DEMO_DATA.
/// WEATHERGINR_DEMO_CONFIG overrides settings, e.g. "layers=6,width=256,lr=1e-3,batch=4096,steps=2000".
/// </summary>
public sealed class DemoPresetMeasurement(ITestOutputHelper output)
{
    [DemoDataFact]
    public void Demo_preset_on_cmip5_level5()
    {
        var folder = Environment.GetEnvironmentVariable(DemoDataFactAttribute.Variable)!;
        var samples = new SpatioTemporalSamples(
            ReadFloats(Path.Combine(folder, "emb_l5_k100.f32")), 10242, 100,
            MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(Path.Combine(folder, "t.f64"))).ToArray(),
            ReadFloats(Path.Combine(folder, "y_l5.f32")), ["tas", "uas", "vas"]);
        var (architecture, options) = Configure(GinrPresets.DemoArchitecture(100, 3), GinrPresets.DemoOptions);
        output.WriteLine($"{architecture}\n{options}");

        var progress = new LineProgress(output);
        using var outcome = new OwnedOutcome(GinrTrainer.Train(samples, architecture, options, progress));
        output.WriteLine($"steps {outcome.Outcome.Steps}, {outcome.Outcome.ElapsedSeconds:F1} s, " +
            $"stop {outcome.Outcome.StopReason}, final loss {outcome.Outcome.FinalLoss:E3}, " +
            $"device {outcome.Outcome.Device}, parameters {outcome.Model.ParameterCount}");

        var rSquared = RSquaredPerVariable(outcome.Model, samples);
        output.WriteLine("R-squared on training nodes: " + string.Join(", ",
            samples.VariableNames.Select((name, variable) => $"{name} {rSquared[variable]:F4}")));
        Assert.True(rSquared[0] >= 0.99, $"temperature R-squared {rSquared[0]:F4}");
    }

    private static double[] RSquaredPerVariable(GinrModel model, SpatioTemporalSamples samples)
    {
        var n = samples.NodeCount;
        var variables = samples.VariableCount;
        var truth = new List<double>[variables];
        var fitted = new List<double>[variables];
        for (var variable = 0; variable < variables; variable++)
        {
            (truth[variable], fitted[variable]) = ([], []);
        }

        for (var step = 0; step < samples.TimeCount; step++)
        {
            var predicted = model.Predict(samples.Embedding, n, samples.Times[step]);
            for (var index = 0; index < n * variables; index++)
            {
                truth[index % variables].Add(samples.Targets[(step * n * variables) + index]);
                fitted[index % variables].Add(predicted[index]);
            }
        }

        return Enumerable.Range(0, variables)
            .Select(variable => SampleFields.RSquared(truth[variable], fitted[variable])).ToArray();
    }

    private static (GinrArchitecture, TrainingOptions) Configure(GinrArchitecture architecture,
        TrainingOptions options)
    {
        var config = Environment.GetEnvironmentVariable("WEATHERGINR_DEMO_CONFIG") ?? "";
        foreach (var setting in config.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = (setting.Split('=')[0].Trim(), setting.Split('=')[1].Trim());
            var number = double.Parse(value, CultureInfo.InvariantCulture);
            (architecture, options) = key switch
            {
                "layers" => (architecture with { Layers = (int)number }, options),
                "width" => (architecture with { Width = (int)number }, options),
                "omega" => (architecture with { Omega0 = number }, options),
                "relu" => (architecture with { Activation = GinrActivation.Relu }, options),
                "lr" => (architecture, options with { LearningRate = number }),
                "batch" => (architecture, options with { BatchSize = (int)number }),
                "steps" => (architecture, options with { MaxSteps = (int)number }),
                "patience" => (architecture, options with { PlateauPatience = (int)number }),
                "window" => (architecture, options with { PlateauWindowSteps = (int)number }),
                "budget" => (architecture, options with { TimeBudgetSeconds = number }),
                "wd" => (architecture, options with { WeightDecay = number }),
                _ => throw new ArgumentException($"unknown setting '{key}'"),
            };
        }

        return (architecture, options);
    }

    private static float[] ReadFloats(string path) =>
        MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

    private sealed class LineProgress(ITestOutputHelper output) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => output.WriteLine(
            $"step {value.Step}/{value.MaxSteps} loss {value.Loss:E3} lr {value.LearningRate:E2} " +
            $"{value.ElapsedSeconds:F1} s");
    }
}
