using Spectre.Console;
using WeatherGinr.Cli.Commands;
using WeatherGinr.Cli.Demo;
using WeatherGinr.Grains.Abstractions;

namespace WeatherGinr.Cli.Tests.Demo;

/// <summary>The demo's results as written to a file: nothing folded, the held-out dates on one line.</summary>
public sealed class DemoReportTests
{
    [Fact]
    public void TheHeldOutDatesAreOneLineWhenWrittenToAFile()
    {
        var dates = Enumerable.Range(0, 18)
            .Select(i => new DateTimeOffset(1894 + 6 * i, 7, 10, 0, 0, 0, TimeSpan.Zero)).ToArray();
        var score = new FitScore(100, 0.9, 1.5, 1.0);
        var metrics = new VariableMetrics("TREFHT", "K", score, score, score)
        {
            HeldOutTimeSteps = score, BaselineHeldOutTimeSteps = score, HeldOutTimesUtc = dates,
        };
        var model = new ModelSummary("demo-model", ["TREFHT"], "cpu", 4, 30, 1000, [metrics], "model.ginr", [], []);
        using var file = new StringWriter();

        DemoReport.Write(CommonOptions.HumanOutput(file, redirected: true),
            new DemoSummary("data", [], new EmbeddingDescriptorSummary("e", 3, 16, 642, false, 0, 0, "e"), [model], 1));

        var expected = "  held-out time steps: " + string.Join(", ", dates.Select(d => d.ToString("yyyy-MM-dd")));
        Assert.Contains(expected, file.ToString().Split('\n').Select(line => line.TrimEnd('\r')));
    }
}
