namespace WeatherGinr.Benchmarks.Spectral;

/// <summary>
/// What eigsh_reference.py prints: scipy's solve at its default tolerance and at our contract's, and both
/// solvers' pairs measured the same way; load averages (1 minute) as each scipy solve started.
/// </summary>
internal sealed record ReferenceResult(
    string ScipyVersion, int NodeCount, double Seconds, double LoadAverage, long PeakMemoryBytes, double Norm,
    double Residual, double Orthonormality, double ContractTolerance, double ContractSeconds,
    double ContractLoadAverage, double ContractResidual, double ContractOrthonormality, double OursResidual,
    double OursOrthonormality, double MaxEigenvalueDifference);
