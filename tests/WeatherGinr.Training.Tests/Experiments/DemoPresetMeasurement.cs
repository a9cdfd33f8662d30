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
        // "variable=i" trains a network on variable i alone (one network per variable, for comparison).
        var only = (int)Setting("variable", -1);
        if (only >= 0)
        {
            samples = samples with
            {
                Targets = samples.Targets.Where((_, index) => index % 3 == only).ToArray(),
                VariableNames = [samples.VariableNames[only]],
            };
        }

        var (architecture, options) = Configure(GinrPresets.DemoArchitecture(100, samples.VariableCount),
            GinrPresets.DemoOptions);
        output.WriteLine($"{architecture}\n{options}");

        // "evaluate=N" in the configuration scores the model every N steps by resuming from checkpoints, which
        // continues exactly as one uninterrupted run.
        var evaluateEvery = (int)Setting("evaluate", options.MaxSteps);
        var checkpoint = Path.Combine(Path.GetTempPath(), $"ginr-demo-{Guid.NewGuid():N}.ckpt");
        var progress = new LineProgress(output);
        var rSquared = Array.Empty<double>();
        var seconds = 0.0;
        try
        {
            for (var target = evaluateEvery; ; target = Math.Min(target + evaluateEvery, options.MaxSteps))
            {
                var segment = options with { MaxSteps = target, CheckpointPath = checkpoint };
                using var outcome = new OwnedOutcome(target == evaluateEvery
                    ? GinrTrainer.Train(samples, architecture, segment, progress)
                    : GinrTrainer.Resume(samples, architecture, checkpoint, segment, progress));
                seconds += outcome.Outcome.ElapsedSeconds;
                rSquared = RSquaredPerVariable(outcome.Model, samples);
                progress.Write($"steps {outcome.Outcome.Steps}, {seconds:F1} s training, " +
                    $"stop {outcome.Outcome.StopReason}, loss {outcome.Outcome.FinalLoss:E3}, " +
                    $"{outcome.Outcome.Device}, parameters {outcome.Model.ParameterCount}; R-squared " +
                    string.Join(", ", samples.VariableNames.Select((name, v) => $"{name} {rSquared[v]:F4}")));
                if (target >= options.MaxSteps || outcome.Outcome.StopReason != "max-steps")
                {
                    break;
                }
            }
        }
        finally
        {
            File.Delete(checkpoint);
        }

        Assert.True(rSquared[0] >= 0.99, $"{samples.VariableNames[0]} R-squared {rSquared[0]:F4}");
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

    private static string Configuration => Environment.GetEnvironmentVariable("WEATHERGINR_DEMO_CONFIG") ?? "";

    private static double Setting(string name, double fallback) => Configuration
        .Split(',', StringSplitOptions.RemoveEmptyEntries).Select(setting => setting.Split('='))
        .Where(pair => pair[0].Trim() == name)
        .Select(pair => double.Parse(pair[1], CultureInfo.InvariantCulture)).DefaultIfEmpty(fallback).Last();

    private static (GinrArchitecture, TrainingOptions) Configure(GinrArchitecture architecture,
        TrainingOptions options)
    {
        foreach (var setting in Configuration.Split(',', StringSplitOptions.RemoveEmptyEntries))
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
                "threads" => (architecture, options with { Threads = (int)number }),
                "evaluate" or "variable" => (architecture, options),
                _ => throw new ArgumentException($"unknown setting '{key}'"),
            };
        }

        return (architecture, options);
    }

    private static float[] ReadFloats(string path) =>
        MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

    // Lines go to the test output and, when WEATHERGINR_DEMO_LOG names a file, to it as they happen.
    private sealed class LineProgress(ITestOutputHelper output) : IProgress<TrainingProgress>
    {
        private readonly string? logPath = Environment.GetEnvironmentVariable("WEATHERGINR_DEMO_LOG");

        public void Report(TrainingProgress value) => Write(
            $"step {value.Step}/{value.MaxSteps} loss {value.Loss:E3} lr {value.LearningRate:E2} " +
            $"{value.ElapsedSeconds:F1} s");

        public void Write(string line)
        {
            output.WriteLine(line);
            if (logPath is not null)
            {
                File.AppendAllText(logPath, line + Environment.NewLine);
            }
        }
    }
}
