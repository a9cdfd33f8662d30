using System.Text.Json;
using WeatherGinr.Cli.Commands;
using WeatherGinr.Cli.Experiments;

namespace WeatherGinr.Cli.Tests.Commands;

/// <summary>What every --json output and experiment table file is written with.</summary>
public sealed class JsonOutputTests
{
    [Fact]
    public void NumbersThatAreNotNumbersAreNullsAndReadBackAsNaN()
    {
        var row = new ExperimentRow("held-out months", new Dictionary<string, double>
        {
            ["R²"] = double.NaN, ["RMSE"] = double.PositiveInfinity, ["count"] = 0, ["MAE"] = 1.25,
        });

        var json = JsonSerializer.Serialize(row, CommonOptions.Json);
        var back = JsonSerializer.Deserialize<ExperimentRow>(json, CommonOptions.Json)!;

        using var document = JsonDocument.Parse(json);
        var values = document.RootElement.GetProperty("values");
        Assert.Equal(JsonValueKind.Null, values.GetProperty("R²").ValueKind);
        Assert.Equal(JsonValueKind.Null, values.GetProperty("RMSE").ValueKind);
        Assert.Equal(1.25, values.GetProperty("MAE").GetDouble());
        Assert.DoesNotContain("NaN", json, StringComparison.Ordinal);
        Assert.True(double.IsNaN(back["R²"]));
        Assert.Equal(0, back["count"]);
    }
}
