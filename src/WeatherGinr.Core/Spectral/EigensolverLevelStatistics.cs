namespace WeatherGinr.Core.Spectral;

/// <summary>What one level of a (multilevel) eigensolve cost.</summary>
/// <param name="NodeCount">Graph size at this level.</param>
/// <param name="Method">"dense" or "chebyshev-subspace".</param>
/// <param name="Rounds">Filter-and-Rayleigh-Ritz rounds.</param>
/// <param name="SparseProducts">Sparse block products L X, each over the whole block.</param>
/// <param name="BlockColumns">Width of the block carried.</param>
/// <param name="Seconds">Wall-clock time of the level.</param>
/// <param name="MaxRelativeResidual">Worst wanted <c>||L u - lambda u|| / ||L||</c> at the end of the level.</param>
public sealed record EigensolverLevelStatistics(
    int NodeCount, string Method, int Rounds, int SparseProducts, int BlockColumns, double Seconds,
    double MaxRelativeResidual);
