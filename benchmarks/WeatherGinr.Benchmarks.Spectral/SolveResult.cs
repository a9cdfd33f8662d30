namespace WeatherGinr.Benchmarks.Spectral;

/// <summary>What one level's child process reports.</summary>
internal sealed record SolveResult(
    int Level, int NodeCount, int K, double Seconds, double MeshSeconds, long PeakMemoryBytes,
    double ReportedResidual, LevelCost[] Levels);
