namespace WeatherGinr.Core.Spectral;

/// <summary>
/// How to begin refining a block prolonged from a coarser level: the coarse Ritz values scaled to this level
/// (eigenvalues of the combinatorial Laplacian scale like h^2, so by about 1/4 per icosphere level) place the
/// filters; the smoothing filter (on [4a, b]) removes interpolation error and the main filter (on [a, b]) the
/// low-frequency difference between the two discretisations.
/// </summary>
/// <param name="EstimatedRitzValues">Ascending estimates of the block's Ritz values at this level.</param>
/// <param name="SmoothingDegree">Degree of the smoothing filter.</param>
/// <param name="MainDegree">Degree of the main filter applied right after it (0 for none).</param>
/// <param name="SinglePrecision">Whether the smoothing and main filters run in single precision.</param>
/// <param name="CleanupDegree">
/// Degree of the double-precision filter on [CleanupCutFactor * a, b] that removes single-precision rounding from
/// the high frequencies before the Rayleigh-Ritz (0 for none).
/// </param>
internal sealed record ProlongedStart(
    double[] EstimatedRitzValues, int SmoothingDegree, int MainDegree, bool SinglePrecision = false,
    int CleanupDegree = 0);
