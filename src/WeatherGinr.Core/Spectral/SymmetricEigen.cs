using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace WeatherGinr.Core.Spectral;

/// <summary>Dense symmetric eigendecomposition (MathNet's Householder tridiagonalisation and QL).</summary>
internal static class SymmetricEigen
{
    /// <summary>
    /// Eigenvalues ascending and eigenvectors of a symmetric m x m matrix stored row-major; the result's
    /// column j (row-major m x m) is the eigenvector of eigenvalue j.
    /// </summary>
    public static (double[] Values, double[] Vectors) Decompose(ReadOnlySpan<double> symmetric, int m)
    {
        var matrix = Matrix<double>.Build.Dense(m, m);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                // Average the two triangles: callers pass products that are symmetric only up to rounding.
                matrix[i, j] = 0.5 * (symmetric[i * m + j] + symmetric[j * m + i]);
            }
        }

        Evd<double> evd = matrix.Evd(Symmetricity.Symmetric);
        var raw = new double[m];
        for (int i = 0; i < m; i++)
        {
            raw[i] = evd.EigenValues[i].Real;
        }

        int[] order = Enumerable.Range(0, m).OrderBy(i => raw[i]).ToArray();
        var values = new double[m];
        var vectors = new double[m * m];
        Matrix<double> eigenvectors = evd.EigenVectors;
        for (int j = 0; j < m; j++)
        {
            values[j] = raw[order[j]];
            for (int i = 0; i < m; i++)
            {
                vectors[i * m + j] = eigenvectors[i, order[j]];
            }
        }

        return (values, vectors);
    }
}
