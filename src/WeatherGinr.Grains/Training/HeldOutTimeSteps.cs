namespace WeatherGinr.Grains.Training;

/// <summary>
/// Interior time steps kept out of training to score temporal super-resolution: their values are set
/// to NaN in the training targets (so they never enter the loss or the normalisation), and afterwards
/// the network is scored on them beside linear interpolation in time between the neighbouring training
/// steps. The first and last steps are never held out, so every held-out step lies between two
/// training steps and the network's time input stays inside the range it was trained on.
/// </summary>
public sealed class HeldOutTimeSteps
{
    /// <summary>The default share of interior steps held out: about one in six.</summary>
    public const double DefaultFraction = 1.0 / 6.0;

    /// <summary>Datasets with fewer steps hold none out by default (too few to spare any).</summary>
    public const int DefaultMinimumTimeCount = 6;

    private readonly bool[] isHeldOut;

    /// <param name="timeCount">Time steps of the dataset.</param>
    /// <param name="fraction">
    /// Share of the interior steps (all but the first and last) to hold out, in [0, 1); the count is
    /// <c>round(fraction * (timeCount - 2))</c>, spread evenly over the interior.
    /// </param>
    public HeldOutTimeSteps(int timeCount, double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(timeCount);
        CheckFraction(fraction, nameof(fraction));
        TimeCount = timeCount;
        isHeldOut = new bool[timeCount];

        // Step j of m held out sits at the middle of the j-th of m equal parts of the interior 1 .. T-2,
        // index 1 + floor((j + 1/2) * interior / m); distinct because each part holds at least one step.
        var interior = Math.Max(timeCount - 2, 0);
        var count = (int)Math.Round(fraction * interior, MidpointRounding.AwayFromZero);
        Steps = Enumerable.Range(0, count)
            .Select(j => 1 + (int)Math.Floor((j + 0.5) * interior / count))
            .ToArray();
        foreach (var step in Steps)
        {
            isHeldOut[step] = true;
        }
    }

    /// <summary>Time steps of the dataset.</summary>
    public int TimeCount { get; }

    /// <summary>Held-out step indices, ascending; never 0 or <c>TimeCount - 1</c>.</summary>
    public int[] Steps { get; }

    /// <summary>
    /// The fraction a job uses: the one requested, or by default <see cref="DefaultFraction"/> when the
    /// dataset has at least <see cref="DefaultMinimumTimeCount"/> steps and 0 otherwise.
    /// </summary>
    /// <exception cref="ArgumentException">The requested fraction is not in [0, 1).</exception>
    public static HeldOutTimeSteps For(int timeCount, double? requestedFraction)
    {
        if (requestedFraction is { } fraction)
        {
            CheckFraction(fraction, nameof(requestedFraction));
            return new HeldOutTimeSteps(timeCount, fraction);
        }

        return new HeldOutTimeSteps(timeCount, timeCount >= DefaultMinimumTimeCount ? DefaultFraction : 0);
    }

    public bool Contains(int step) => isHeldOut[step];

    /// <summary>
    /// A copy of targets <c>[time, node, variable]</c> with every value of a held-out step set to NaN.
    /// </summary>
    public float[] Mask(float[] targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Length % TimeCount != 0)
        {
            throw new ArgumentException(
                $"targets hold {targets.Length} numbers, not a multiple of the {TimeCount} time steps",
                nameof(targets));
        }

        var masked = (float[])targets.Clone();
        var perStep = targets.Length / TimeCount;
        foreach (var step in Steps)
        {
            masked.AsSpan(step * perStep, perStep).Fill(float.NaN);
        }

        return masked;
    }

    /// <summary>
    /// The training steps on either side of a step, and the weight of the later one for linear
    /// interpolation in time: <c>y(t) = (1 - w) y(t_before) + w y(t_after)</c>, <c>w = (t - t_before) /
    /// (t_after - t_before)</c>. A training step brackets itself (weight 0).
    /// </summary>
    /// <param name="times">The time of every step, strictly increasing, any unit.</param>
    /// <param name="step">The step to bracket.</param>
    public (int Before, int After, double AfterWeight) Bracket(IReadOnlyList<double> times, int step)
    {
        ArgumentNullException.ThrowIfNull(times);
        ArgumentOutOfRangeException.ThrowIfNotEqual(times.Count, TimeCount, nameof(times));
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, TimeCount);
        if (!isHeldOut[step])
        {
            return (step, step, 0);
        }

        var before = step - 1;
        while (isHeldOut[before])
        {
            before--; // step 0 is never held out, so this stops
        }

        var after = step + 1;
        while (isHeldOut[after])
        {
            after++; // nor is the last step
        }

        return (before, after, (times[step] - times[before]) / (times[after] - times[before]));
    }

    private static void CheckFraction(double fraction, string parameterName)
    {
        if (!double.IsFinite(fraction) || fraction is < 0 or >= 1)
        {
            throw new ArgumentException(
                $"held-out time fraction is {fraction}; it must be in [0, 1) (the share of interior time steps " +
                "kept out of training; 0 holds none out)", parameterName);
        }
    }
}
