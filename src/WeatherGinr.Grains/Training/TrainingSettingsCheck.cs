using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Training;

namespace WeatherGinr.Grains.Training;

/// <summary>Checks a training request at the boundary, so a bad setting fails before any work starts.</summary>
public static class TrainingSettingsCheck
{
    public static void Validate(TrainingRunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var s = request.Settings;
        Require(request.MeshLevel is >= 0 and <= 8, "mesh level", request.MeshLevel, "0..8");
        Require(request.EmbeddingColumns >= 1, "embedding columns (k)", request.EmbeddingColumns, "at least 1");
        Require(request.HeldOutFraction is >= 0 and < 1, "held-out fraction", request.HeldOutFraction, "in [0, 1)");
        Require(s.Layers >= 2, "layers", s.Layers, "at least 2");
        Require(s.Width >= 1, "width", s.Width, "at least 1");
        // By name only: Enum.TryParse also takes a number ("5"), which names no activation.
        Require(Enum.GetNames<GinrActivation>().Contains(s.Activation, StringComparer.OrdinalIgnoreCase),
            "activation", s.Activation, string.Join(" or ", Enum.GetNames<GinrActivation>()));
        Require(double.IsFinite(s.LearningRate) && s.LearningRate > 0, "learning rate", s.LearningRate, "positive");
        Require(s.BatchSize >= 1, "batch size", s.BatchSize, "at least 1");
        Require(s.MaxSteps >= 1, "steps", s.MaxSteps, "at least 1");
        Require(s.TimeBudgetSeconds > 0, "time budget (seconds)", s.TimeBudgetSeconds, "positive");
        Require(s.HeldOutTimeFraction is null or (>= 0 and < 1), "held-out time fraction",
            s.HeldOutTimeFraction ?? double.NaN, "in [0, 1) or unset");
    }

    private static void Require(bool condition, string setting, object value, string expected)
    {
        if (!condition)
        {
            throw new ArgumentException($"training setting {setting} is {value}; it must be {expected}");
        }
    }
}
