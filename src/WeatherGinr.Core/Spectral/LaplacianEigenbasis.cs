namespace WeatherGinr.Core.Spectral;

/// <summary>
/// The lowest eigenpairs of a graph Laplacian: eigenvalues ascending, eigenvectors orthonormal, stored
/// column-major (vector j is <c>Vectors[j * NodeCount .. (j + 1) * NodeCount)</c>).
/// </summary>
/// <remarks>
/// Eigenvectors are defined up to sign, and inside a degenerate cluster up to a rotation. The solver fixes
/// each sign so that the first entry with at least half the vector's largest magnitude is positive;
/// rotations inside clusters are whatever the solver produced (align them across levels with SpectralAlignment).
/// </remarks>
public sealed class LaplacianEigenbasis
{
    internal LaplacianEigenbasis(
        int nodeCount, double[] eigenvalues, double[] vectors, double maxRelativeResidual, double normEstimate,
        IReadOnlyList<int> clusterSizes, int nextEigenvalueIndex, double? nextEigenvalue,
        IReadOnlyList<EigensolverLevelStatistics> statistics)
    {
        NodeCount = nodeCount;
        Count = eigenvalues.Length;
        Eigenvalues = eigenvalues;
        Vectors = vectors;
        MaxRelativeResidual = maxRelativeResidual;
        NormEstimate = normEstimate;
        ClusterSizes = clusterSizes;
        NextEigenvalue = nextEigenvalue;
        ClusterCompleteCount = nextEigenvalueIndex;
        Statistics = statistics;
    }

    /// <summary>Number of nodes n (length of every vector).</summary>
    public int NodeCount { get; }

    /// <summary>Number of eigenpairs k.</summary>
    public int Count { get; }

    /// <summary>Eigenvalues, ascending (the first is 0 up to rounding for a connected graph).</summary>
    public double[] Eigenvalues { get; }

    /// <summary>Orthonormal eigenvectors, column-major: vector j at <c>[j * n, (j + 1) * n)</c>.</summary>
    public double[] Vectors { get; }

    /// <summary><c>max_j ||L u_j - lambda_j u_j|| / ||L||</c>, recomputed from the returned vectors.</summary>
    public double MaxRelativeResidual { get; }

    /// <summary>The estimate of <c>||L|| = lambda_max</c> used in the relative residual (from below).</summary>
    public double NormEstimate { get; }

    /// <summary>Sizes of the degenerate eigenvalue clusters among the <see cref="Count"/> pairs, in order.</summary>
    public IReadOnlyList<int> ClusterSizes { get; }

    /// <summary>
    /// The eigenvalue just above the returned ones (computed in the same block, to the same tolerance when it
    /// completes a cluster cut by Count), or null when the solve produced none (a dense solve of the whole graph).
    /// </summary>
    public double? NextEigenvalue { get; }

    /// <summary>
    /// The smallest count at or above <see cref="Count"/> that ends on a cluster boundary; equal to
    /// <see cref="Count"/> exactly when Count does not cut a degenerate cluster.
    /// </summary>
    public int ClusterCompleteCount { get; }

    /// <summary>True when <see cref="Count"/> splits a degenerate cluster (round to
    /// <see cref="ClusterCompleteCount"/> or to <see cref="Count"/> minus the last cluster size).</summary>
    public bool CutsCluster => ClusterCompleteCount != Count;

    /// <summary>Per-level cost of the solve that produced this basis (coarse to fine).</summary>
    public IReadOnlyList<EigensolverLevelStatistics> Statistics { get; }

    /// <summary>Vector j as a span.</summary>
    public ReadOnlySpan<double> Vector(int j)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(j);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(j, Count);
        return Vectors.AsSpan(j * NodeCount, NodeCount);
    }
}
