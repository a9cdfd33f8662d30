namespace WeatherGinr.Benchmarks.Spectral;

/// <summary>One level of the multilevel solve.</summary>
internal sealed record LevelCost(int NodeCount, string Method, int Rounds, int SparseProducts, double Seconds);
