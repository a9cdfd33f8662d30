namespace WeatherGinr.Benchmarks.Spectral;

/// <summary>What one level's child process reports; the load average (1 minute) as the solve started.</summary>
internal sealed record SolveResult(
    int Level, int NodeCount, int K, double Seconds, double MeshSeconds, long PeakMemoryBytes,
    double ReportedResidual, double LoadAverage, LevelCost[] Levels);
