namespace WeatherGinr.Training;

/// <summary>
/// Reduce-on-plateau on noisy batch losses: the mean loss of every window of steps is one observation;
/// after more than <c>patience</c> observations without a relative improvement of <c>threshold</c> over
/// the best, the learning rate is multiplied by <c>factor</c>. Training stops early when that would take
/// the rate below the minimum.
/// </summary>
internal sealed class PlateauSchedule(TrainingOptions options)
{
    public double LearningRate { get; set; } = options.LearningRate;

    public double BestWindowLoss { get; set; } = double.PositiveInfinity;

    public int WindowsWithoutImprovement { get; set; }

    public double WindowLossSum { get; set; }

    public int WindowSteps { get; set; }

    /// <summary>Mean loss of the last completed window (NaN before the first).</summary>
    public double LastWindowLoss { get; set; } = double.NaN;

    public bool StopRequested { get; private set; }

    /// <summary>
    /// Why the loop should stop after this step: "early-stopping" once the rate would fall below its minimum,
    /// "time-budget" once <paramref name="elapsedSeconds"/> reach the options' budget; otherwise null.
    /// </summary>
    public string? StopReason(double elapsedSeconds) =>
        StopRequested ? "early-stopping"
        : options.TimeBudgetSeconds is { } budget && elapsedSeconds >= budget ? "time-budget"
        : null;

    /// <summary>Adds one step's loss; returns true when a window closed.</summary>
    public bool Observe(double loss)
    {
        WindowLossSum += loss;
        WindowSteps++;
        if (WindowSteps < options.PlateauWindowSteps)
        {
            return false;
        }

        LastWindowLoss = WindowLossSum / WindowSteps;
        WindowLossSum = 0;
        WindowSteps = 0;

        if (LastWindowLoss < BestWindowLoss * (1.0 - options.PlateauThreshold))
        {
            BestWindowLoss = LastWindowLoss;
            WindowsWithoutImprovement = 0;
            return true;
        }

        WindowsWithoutImprovement++;
        if (WindowsWithoutImprovement > options.PlateauPatience)
        {
            var reduced = LearningRate * options.PlateauFactor;
            if (reduced < options.MinLearningRate)
            {
                StopRequested = true;
            }
            else
            {
                LearningRate = reduced;
            }

            WindowsWithoutImprovement = 0;
        }

        return true;
    }
}
