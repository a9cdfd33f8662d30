namespace WeatherGinr.Core.Spectral;

/// <summary>Settings of <see cref="LaplacianEigensolver"/>; the defaults meet the embedding's contract.</summary>
public sealed record EigensolverOptions
{
    /// <summary>The defaults.</summary>
    public static EigensolverOptions Default { get; } = new();

    /// <summary>Every returned pair satisfies <c>||L u - lambda u|| &lt;= Tolerance * ||L||</c>.</summary>
    public double Tolerance { get; init; } = 1e-8;

    /// <summary>
    /// Residual tolerance on the coarser levels of a multilevel solve; they only supply a starting block, whose
    /// error after prolongation is dominated by interpolation anyway.
    /// </summary>
    public double IntermediateTolerance { get; init; } = 1e-5;

    /// <summary>Cap on filter-and-Rayleigh-Ritz rounds per level; hitting it throws.</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>Largest Chebyshev polynomial degree in one round.</summary>
    public int MaxFilterDegree { get; init; } = 200;

    /// <summary>Graphs with at most this many nodes are solved by a dense symmetric eigendecomposition.</summary>
    public int DenseNodeLimit { get; init; } = 1000;

    /// <summary>
    /// Extra vectors carried beyond the requested count (guard vectors); null chooses
    /// <c>max(16, count / 4)</c>. The block width is then rounded up to a multiple of 8.
    /// </summary>
    public int? GuardColumns { get; init; }

    /// <summary>
    /// Relative gap below which neighbouring eigenvalues count as one degenerate cluster:
    /// <c>lambda_(i+1) - lambda_i &lt;= ClusterRelativeTolerance * lambda_(i+1)</c>.
    /// </summary>
    public double ClusterRelativeTolerance { get; init; } = 1e-6;

    /// <summary>
    /// When the requested count cuts a degenerate eigenvalue cluster, return the whole cluster: the basis then
    /// holds <see cref="LaplacianEigenbasis.ClusterCompleteCount"/> pairs instead of the count asked for.
    /// </summary>
    public bool RoundUpToClusterBoundary { get; init; }

    /// <summary>
    /// Runs the long first filter after each prolongation in single precision (half the memory traffic of the
    /// memory-bound sparse block products), followed by a short double-precision smoothing filter that removes
    /// the rounding noise; the tolerance and the later rounds are unchanged.
    /// </summary>
    public bool SinglePrecisionFilter { get; init; } = true;

    /// <summary>
    /// Levels (graphs) with fewer nodes keep the first filter in double precision: their blocks fit in cache,
    /// so single precision saves little, and the cleanup filter's cut would leave more of the spectrum uncleaned.
    /// </summary>
    public int SinglePrecisionMinimumNodes { get; init; } = 30_000;

    /// <summary>Seed of the random start where no coarser level can supply one.</summary>
    public int RandomSeed { get; init; } = 20221128;

    internal void Validate()
    {
        if (!(Tolerance > 0 && Tolerance < 1) || !(IntermediateTolerance > 0 && IntermediateTolerance < 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(Tolerance), $"Tolerances must lie in (0, 1); got {Tolerance} and {IntermediateTolerance}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MaxIterations, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFilterDegree, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(DenseNodeLimit);
        ArgumentOutOfRangeException.ThrowIfNegative(SinglePrecisionMinimumNodes);
        if (GuardColumns is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(GuardColumns), GuardColumns, "Must be 0 or more.");
        }
    }
}
