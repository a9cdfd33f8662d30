using System.Text.Json;

namespace WeatherGinr.Cli.Tests.Experiments;

/// <summary>
/// Every experiment at its quick size (icosphere levels 2 to 4, networks 4 x 64, a few hundred steps), with
/// thresholds on what the paper's claims imply at that size. Full sizes run only from the command.
/// </summary>
public sealed class QuickExperimentTests(QuickExperimentFixture fixture) : IClassFixture<QuickExperimentFixture>
{
    [Fact]
    public void FitReachesTheTargetOnAReactionDiffusionPatternAndRealTemperature()
    {
        var (result, markdown, json) = fixture.Run("fit");

        Assert.Equal(2, result.Rows.Count);
        Assert.All(result.Rows, row => Assert.True(row["R² train"] >= 0.999, $"{row.Label}: R² {row["R² train"]}"));

        // A pattern, not the uniform state u = 1, v = 0 the reaction decays to without one.
        var pattern = result.Rows.Single(r => r.Label.StartsWith("Gray-Scott", StringComparison.Ordinal));
        Assert.True(pattern["signal std"] > 0.05, $"v has standard deviation {pattern["signal std"]}");

        // Monthly surface temperature over the globe varies by about 15 K (one standard deviation).
        var tas = result.Row("tas 2005-01");
        Assert.InRange(tas["signal std"], 8, 25);
        Assert.True(tas["RMSE"] < 0.032 * tas["signal std"], "R² >= 0.999 means RMSE <= sqrt(0.001) std");

        Assert.EndsWith("fit.quick.md", markdown, StringComparison.Ordinal);
        Assert.Contains("| tas 2005-01 | 642 |", File.ReadAllText(markdown), StringComparison.Ordinal);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("fit", document.RootElement.GetProperty("name").GetString());
        Assert.True(document.RootElement.GetProperty("quick").GetBoolean());
    }

    [Fact]
    public void MoreEigenvectorsGeneraliseBetterAndReluBeatsTheNeighbourMean()
    {
        var (result, _, _) = fixture.Run("embedding-size");

        Assert.Equal(["4", "9", "16", "neighbour mean"], result.Rows.Select(r => r.Label));
        var relu = (Train: "ReLU 4x64 R² train", HeldOut: "ReLU 4x64 R² held-out");
        Assert.True(result.Row("16")[relu.HeldOut] > result.Row("4")[relu.HeldOut],
            "16 eigenvectors describe held-out nodes better than 4");
        Assert.True(result.Row("16")[relu.HeldOut] > result.Row("neighbour mean")["SIREN 4x64 R² held-out"],
            "the ReLU network beats the plain neighbour mean on held-out nodes");
        Assert.All(result.Rows.Take(3), row => Assert.True(row["SIREN 4x64 R² train"] >= 0.999));
    }

    [Fact]
    public void TransferWorksThroughTheAlignedEmbeddingAndNotWithoutIt()
    {
        var (result, _, _) = fixture.Run("transfer");

        foreach (var level in new[] { "3", "4" })
        {
            var row = result.Row($"ReLU 4x64, {level}");
            Assert.True(row["R² aligned"] >= 0.99, $"level {level}: aligned R² {row["R² aligned"]}");
            Assert.True(row["R² aligned"] > row["R² unaligned"] + 0.3, $"level {level}: alignment matters");
            Assert.True(row["alignment RMS"] < 0.1, $"level {level}: aligned columns match on shared nodes");
        }

        // Scored on the new nodes only: 10 (4^3 - 4^2) = 480 at level 3 and 10 (4^4 - 4^2) = 2400 at level 4.
        Assert.Equal(480, result.Row("ReLU 4x64, 3")["nodes scored"]);
        Assert.Equal(2400, result.Row("ReLU 4x64, 4")["nodes scored"]);
    }

    [Fact]
    public void ASignalIsRecoveredFromItsLaplacianUpToAConstant()
    {
        var (result, _, _) = fixture.Run("differential");

        var closedForm = result.Row("closed form");
        Assert.True(closedForm["R² f (centred)"] >= 0.85, $"centred R² {closedForm["R² f (centred)"]}");
        Assert.True(closedForm["R² L f"] >= 0.9, $"L f R² {closedForm["R² L f"]}");
        Assert.True(result.Row("tas 2005-01")["R² f (centred)"] >= 0.8);
    }

    [Fact]
    public void SeveralSignalsShareOneNetwork()
    {
        var (result, _, _) = fixture.Run("latents");

        Assert.Equal(["1", "2", "4"], result.Rows.Select(r => r.Label));
        Assert.All(result.Rows, row =>
            Assert.True(row["worst R²"] >= 0.99, $"{row.Label} signals: {row["worst R²"]}"));

        // One network: the parameter count grows only by the latent table (8 numbers per signal).
        Assert.Equal(8 * 3, result.Row("4")["parameters"] - result.Row("1")["parameters"]);
    }
}
