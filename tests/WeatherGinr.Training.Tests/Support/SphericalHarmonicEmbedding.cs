namespace WeatherGinr.Training.Tests;

/// <summary>
/// A stand-in for the Laplacian eigenbasis of a sphere mesh: the real spherical harmonics of degree 0..3
/// (16 columns, which the icosphere's eigenvectors converge to), evaluated on a Fibonacci lattice of points
/// and scaled to unit RMS per column, as the sqrt(n)-scaled eigenvectors are.
/// </summary>
internal sealed class SphericalHarmonicEmbedding
{
    public const int Columns = 16;

    public SphericalHarmonicEmbedding(int nodeCount)
        : this(FibonacciLattice(nodeCount))
    {
    }

    /// <summary>The harmonics on given unit vectors (for example an icosphere's nodes).</summary>
    public SphericalHarmonicEmbedding((double[] X, double[] Y, double[] Z) points)
    {
        var nodeCount = points.X.Length;
        NodeCount = nodeCount;
        (X, Y, Z) = points;
        Rows = new float[nodeCount * Columns];

        var raw = new double[nodeCount * Columns];
        for (var node = 0; node < nodeCount; node++)
        {
            Harmonics(X[node], Y[node], Z[node]).CopyTo(raw.AsSpan(node * Columns, Columns));
        }

        for (var column = 0; column < Columns; column++)
        {
            var sumOfSquares = 0.0;
            for (var node = 0; node < nodeCount; node++)
            {
                sumOfSquares += raw[(node * Columns) + column] * raw[(node * Columns) + column];
            }

            var rms = Math.Sqrt(sumOfSquares / nodeCount);
            for (var node = 0; node < nodeCount; node++)
            {
                Rows[(node * Columns) + column] = (float)(raw[(node * Columns) + column] / rms);
            }
        }
    }

    public int NodeCount { get; }

    public double[] X { get; }

    public double[] Y { get; }

    public double[] Z { get; }

    /// <summary>NodeCount x 16 row-major.</summary>
    public float[] Rows { get; }

    // Fibonacci lattice: z uniform in (-1, 1), longitude advancing by the golden angle.
    private static (double[] X, double[] Y, double[] Z) FibonacciLattice(int nodeCount)
    {
        var goldenAngle = Math.PI * (3.0 - Math.Sqrt(5.0));
        var (x, y, z) = (new double[nodeCount], new double[nodeCount], new double[nodeCount]);
        for (var node = 0; node < nodeCount; node++)
        {
            z[node] = 1.0 - ((2.0 * node + 1.0) / nodeCount);
            var radius = Math.Sqrt(1.0 - (z[node] * z[node]));
            x[node] = radius * Math.Cos(goldenAngle * node);
            y[node] = radius * Math.Sin(goldenAngle * node);
        }

        return (x, y, z);
    }

    // Unnormalised real spherical harmonics, degree 0 to 3, as Cartesian polynomials on the unit sphere.
    private static double[] Harmonics(double x, double y, double z) =>
    [
        1.0,
        x, y, z,
        x * y, y * z, x * z, (x * x) - (y * y), (3 * z * z) - 1,
        x * ((x * x) - (3 * y * y)), y * ((3 * x * x) - (y * y)), x * y * z, x * ((5 * z * z) - 1),
        y * ((5 * z * z) - 1), z * ((5 * z * z) - 3), z * ((x * x) - (y * y)),
    ];
}
