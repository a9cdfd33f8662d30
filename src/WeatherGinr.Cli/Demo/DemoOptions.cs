using WeatherGinr.Grains.Abstractions;

namespace WeatherGinr.Cli.Demo;

/// <summary>How the demo is sized. The defaults run in a few minutes on 2 CPU cores.</summary>
public sealed record DemoOptions
{
    public required string DataRoot { get; init; }

    /// <summary>The user's own NetCDF files; null means the Debian sample packages.</summary>
    public IReadOnlyList<string>? InputFiles { get; init; }

    public int MeshLevel { get; init; } = 5;

    public int EmbeddingColumns { get; init; } = 100;

    /// <summary>Share of original grid cells kept out of training to score spatial super-resolution.</summary>
    public double HeldOutFraction { get; init; } = 0.1;

    public required TrainingSettings Training { get; init; }

    /// <summary>Resolution of the super-resolved Parquet export, in degrees.</summary>
    public double ExportResolutionDegrees { get; init; } = 0.5;

    /// <summary>Resolution of the super-resolved map panel, in degrees.</summary>
    public double MapResolutionDegrees { get; init; } = 0.5;

    public string RunPrefix { get; init; } = "demo";
}
