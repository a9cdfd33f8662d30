using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;

namespace WeatherGinr.Core.Tests.Spectral;

/// <summary>Eigenbases shared by the test classes: each solved once per test run.</summary>
internal static class SolvedBases
{
    private static readonly Lazy<Icosphere>[] Meshes =
        Enumerable.Range(0, 7).Select(level => new Lazy<Icosphere>(() => Icosphere.Create(level))).ToArray();

    private static readonly Lazy<LaplacianEigenbasis>[] Bases =
        Enumerable.Range(0, 7).Select(level => new Lazy<LaplacianEigenbasis>(
            () => LaplacianEigensolver.Solve(Mesh(level), 100))).ToArray();

    public static Icosphere Mesh(int level) => Meshes[level].Value;

    /// <summary>The default k = 100 basis of a level (3 to 6).</summary>
    public static LaplacianEigenbasis K100(int level) => Bases[level].Value;

    /// <summary>Largest |u_a . u_b - delta_ab| over all pairs.</summary>
    public static double OrthonormalityError(LaplacianEigenbasis basis)
    {
        double worst = 0;
        int n = basis.NodeCount;
        for (int a = 0; a < basis.Count; a++)
        {
            ReadOnlySpan<double> u = basis.Vector(a);
            for (int b = a; b < basis.Count; b++)
            {
                ReadOnlySpan<double> v = basis.Vector(b);
                double dot = 0;
                for (int i = 0; i < n; i++)
                {
                    dot += u[i] * v[i];
                }

                worst = Math.Max(worst, Math.Abs(dot - (a == b ? 1 : 0)));
            }
        }

        return worst;
    }

    /// <summary>max_j ||L u_j - lambda_j u_j|| / lambda_max, lambda_max from a dense bound-free power method.</summary>
    public static double RelativeResidual(GraphLaplacian laplacian, LaplacianEigenbasis basis, double norm)
    {
        int n = basis.NodeCount;
        var product = new double[n];
        double worst = 0;
        for (int j = 0; j < basis.Count; j++)
        {
            ReadOnlySpan<double> u = basis.Vector(j);
            laplacian.Multiply(u, product);
            double sum = 0;
            for (int i = 0; i < n; i++)
            {
                double r = product[i] - basis.Eigenvalues[j] * u[i];
                sum += r * r;
            }

            worst = Math.Max(worst, Math.Sqrt(sum) / norm);
        }

        return worst;
    }

    /// <summary>Lambda_max by plain power iteration (from below; a few hundred steps give 1e-3).</summary>
    public static double LargestEigenvalue(GraphLaplacian laplacian)
    {
        int n = laplacian.Size;
        var x = new double[n];
        var y = new double[n];
        var random = new Random(3);
        for (int i = 0; i < n; i++)
        {
            x[i] = random.NextDouble() - 0.5;
        }

        double estimate = 0;
        for (int step = 0; step < 500; step++)
        {
            double norm = Math.Sqrt(x.Sum(v => v * v));
            for (int i = 0; i < n; i++)
            {
                x[i] /= norm;
            }

            laplacian.Multiply(x, y);
            estimate = x.Zip(y, (a, b) => a * b).Sum();
            (x, y) = (y, x);
        }

        return estimate;
    }
}
