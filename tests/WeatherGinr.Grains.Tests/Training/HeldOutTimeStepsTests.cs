using WeatherGinr.Grains.Training;

namespace WeatherGinr.Grains.Tests.Training;

public sealed class HeldOutTimeStepsTests
{
    [Fact]
    public void ByDefaultTwelveMonthsHoldOutTwoInteriorMonthsSpreadOverTheYear()
    {
        var steps = HeldOutTimeSteps.For(12, requestedFraction: null);

        // round(10 / 6) = 2 of the 10 interior steps, at the middles of the halves 1..5 and 6..10.
        Assert.Equal([3, 8], steps.Steps);
        Assert.False(steps.Contains(0));
        Assert.False(steps.Contains(11));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void ByDefaultFewerThanSixStepsHoldNothingOut(int timeCount) =>
        Assert.Empty(HeldOutTimeSteps.For(timeCount, requestedFraction: null).Steps);

    [Theory]
    [InlineData(6, 1)]
    [InlineData(24, 4)]
    [InlineData(62, 10)]
    public void ByDefaultAboutOneInSixInteriorStepsIsHeldOut(int timeCount, int expected) =>
        Assert.Equal(expected, HeldOutTimeSteps.For(timeCount, requestedFraction: null).Steps.Length);

    [Theory]
    [InlineData(3, 0.5)]
    [InlineData(40, 0.3)]
    [InlineData(40, 0.99)]
    [InlineData(7, 0.9)]
    public void NeverTheFirstOrLastStepAndAlwaysDistinct(int timeCount, double fraction)
    {
        var steps = new HeldOutTimeSteps(timeCount, fraction);

        Assert.Equal((int)Math.Round(fraction * (timeCount - 2), MidpointRounding.AwayFromZero), steps.Steps.Length);
        Assert.Equal(steps.Steps.Length, steps.Steps.Distinct().Count());
        Assert.All(steps.Steps, s => Assert.InRange(s, 1, timeCount - 2));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void ARequestedFractionOutsideZeroToOneIsRefusedNamingTheSetting(double fraction)
    {
        var error = Assert.Throws<ArgumentException>(() => HeldOutTimeSteps.For(12, fraction));
        Assert.Contains("held-out time fraction", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaskRemovesEveryValueOfAHeldOutStepAndNothingElse()
    {
        const int Times = 8, PerStep = 5;
        var steps = HeldOutTimeSteps.For(Times, requestedFraction: 0.34); // round(0.34 * 6) = 2 steps
        var targets = Enumerable.Range(0, Times * PerStep).Select(i => (float)i).ToArray();

        var masked = steps.Mask(targets);

        Assert.Equal(2, steps.Steps.Length);
        for (var index = 0; index < targets.Length; index++)
        {
            Assert.Equal(steps.Contains(index / PerStep) ? float.NaN : targets[index], masked[index]);
        }

        Assert.DoesNotContain(targets, float.IsNaN);
    }

    [Fact]
    public void BracketInterpolatesByTimeNotByIndexAndSkipsAdjacentHeldOutSteps()
    {
        // Uneven times (days); fraction 0.99 of 4 interior steps holds out all of 1..4.
        double[] times = [0, 31, 59, 90, 120, 151];
        var steps = new HeldOutTimeSteps(times.Length, 0.99);

        var (before, after, weight) = steps.Bracket(times, 2);

        Assert.Equal((0, 5), (before, after));
        Assert.Equal(59.0 / 151.0, weight, 12);
        Assert.Equal((0, 0, 0.0), steps.Bracket(times, 0));
    }
}
