namespace WeatherGinr.Core.Spectral;

/// <summary>The eigensolver reached its iteration cap before every wanted pair met the tolerance.</summary>
public sealed class EigensolverNotConvergedException : Exception
{
    public EigensolverNotConvergedException()
    {
    }

    public EigensolverNotConvergedException(string message)
        : base(message)
    {
    }

    public EigensolverNotConvergedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal EigensolverNotConvergedException(
        int nodeCount, int iterations, int unconverged, double worstRelativeResidual, double tolerance)
        : base($"The Laplacian eigensolver did not converge on a graph of {nodeCount} nodes: after {iterations} "
            + $"filter rounds (EigensolverOptions.MaxIterations) {unconverged} wanted pairs still have relative "
            + $"residual up to {worstRelativeResidual:0.00e0}, above the tolerance {tolerance:0.00e0}. "
            + "Raise MaxIterations "
            + "or MaxFilterDegree, or loosen Tolerance.")
    {
        NodeCount = nodeCount;
        Iterations = iterations;
        WorstRelativeResidual = worstRelativeResidual;
        Tolerance = tolerance;
    }

    /// <summary>Size of the graph being solved when the cap was hit.</summary>
    public int NodeCount { get; }

    /// <summary>Rounds spent.</summary>
    public int Iterations { get; }

    /// <summary>Largest <c>||L u - lambda u|| / ||L||</c> among the wanted pairs.</summary>
    public double WorstRelativeResidual { get; }

    /// <summary>The tolerance that was asked for.</summary>
    public double Tolerance { get; }
}
