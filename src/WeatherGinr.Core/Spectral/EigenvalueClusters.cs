namespace WeatherGinr.Core.Spectral;

/// <summary>Groups of (numerically) equal eigenvalues.</summary>
public static class EigenvalueClusters
{
    /// <summary>
    /// Sizes of runs of ascending eigenvalues whose neighbours differ by at most
    /// <c>relativeTolerance * max(|lambda_(i+1)|, absoluteFloor)</c>.
    /// </summary>
    public static IReadOnlyList<int> Sizes(
        ReadOnlySpan<double> ascendingEigenvalues, double relativeTolerance, double absoluteFloor = 1e-12)
    {
        var sizes = new List<int>();
        int size = 0;
        for (int i = 0; i < ascendingEigenvalues.Length; i++)
        {
            if (i > 0 && !SameCluster(ascendingEigenvalues[i - 1], ascendingEigenvalues[i], relativeTolerance,
                    absoluteFloor))
            {
                sizes.Add(size);
                size = 0;
            }

            size++;
        }

        if (size > 0)
        {
            sizes.Add(size);
        }

        return sizes;
    }

    /// <summary>True when two neighbouring eigenvalues belong to one degenerate cluster.</summary>
    public static bool SameCluster(double lower, double upper, double relativeTolerance, double absoluteFloor = 1e-12)
        => upper - lower <= relativeTolerance * Math.Max(Math.Abs(upper), absoluteFloor);
}
