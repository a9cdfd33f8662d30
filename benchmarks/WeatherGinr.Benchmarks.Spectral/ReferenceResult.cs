namespace WeatherGinr.Benchmarks.Spectral;

/// <summary>What eigsh_reference.py prints: scipy's solve, and both solvers' pairs measured the same way.</summary>
internal sealed record ReferenceResult(
    string ScipyVersion, int NodeCount, double Seconds, long PeakMemoryBytes, double Norm, double Residual,
    double Orthonormality, double OursResidual, double OursOrthonormality, double MaxEigenvalueDifference);
