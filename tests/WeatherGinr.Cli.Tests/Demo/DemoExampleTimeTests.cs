using WeatherGinr.Cli.Demo;

namespace WeatherGinr.Cli.Tests.Demo;

/// <summary>The time the demo's printed and run query examples use: inside the trained model's window.</summary>
public sealed class DemoExampleTimeTests
{
    [Theory]
    [InlineData("1850-01-16T12:00:00Z", "2005-12-16T12:00:00Z", "1928-01-02T00:00:00Z")] // CMIP5 monthly series
    [InlineData("2024-03-01T00:00:00Z", "2024-03-02T06:00:00Z", "2024-03-01T15:00:00Z")] // six-hourly, 30 h
    [InlineData("2005-07-16T12:30:00Z", "2005-07-16T12:30:00Z", "2005-07-16T12:30:00Z")] // one time step
    [InlineData("2005-07-16T12:30:00Z", "2005-07-16T12:40:00Z", "2005-07-16T12:30:00Z")] // never before the start
    public void TheExampleTimeIsInsideTheTrainingWindow(string first, string last, string expected)
    {
        var (firstUtc, lastUtc) = (DateTimeOffset.Parse(first), DateTimeOffset.Parse(last));

        var time = DemoPipeline.ExampleTime(firstUtc, lastUtc);

        Assert.Equal(expected, DemoPipeline.IsoTime(time));
        Assert.InRange(time, firstUtc, lastUtc);
    }
}
