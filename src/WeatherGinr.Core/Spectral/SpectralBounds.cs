using System.Numerics;
using System.Runtime.InteropServices;

namespace WeatherGinr.Core.Spectral;

/// <summary>Estimates of the largest eigenvalue of a Laplacian, for the filter bound and for ||L||.</summary>
internal static class SpectralBounds
{
    /// <summary>
    /// Lanczos with full reorthogonalisation from a fixed random start. Returns the largest Ritz value (a lower
    /// bound of lambda_max, and the norm used for relative residuals) and an upper bound
    /// <c>min(theta + |beta_s s_last|, 2 max deg)</c>, theta plus the Ritz residual (Zhou and Saad 2007),
    /// never above Gershgorin's bound.
    /// </summary>
    public static (double LargestRitzValue, double UpperBound) LargestEigenvalue(
        GraphLaplacian laplacian, int steps, int seed)
    {
        int n = laplacian.Size;
        steps = Math.Min(steps, n);
        var basis = new double[steps][];
        var alpha = new double[steps];
        var beta = new double[steps];
        var random = new Random(seed);
        var q = new double[n];
        for (int i = 0; i < n; i++)
        {
            q[i] = random.NextDouble() - 0.5;
        }

        Scale(q, 1.0 / Norm(q));
        var w = new double[n];
        int used = 0;
        for (int s = 0; s < steps; s++)
        {
            basis[s] = (double[])q.Clone();
            used = s + 1;
            laplacian.Multiply(q, w);
            alpha[s] = Dot(w, q);

            // Full reorthogonalisation (twice is enough, Kahan-Parlett): at most a few dozen vectors.
            for (int pass = 0; pass < 2; pass++)
            {
                for (int j = 0; j <= s; j++)
                {
                    double projection = Dot(w, basis[j]);
                    Axpy(-projection, basis[j], w);
                }
            }

            beta[s] = Norm(w);
            if (beta[s] <= 1e-12 * Math.Abs(alpha[s]))
            {
                break; // invariant subspace: the Ritz values are exact
            }

            Array.Copy(w, q, n);
            Scale(q, 1.0 / beta[s]);
        }

        var tridiagonal = new double[used * used];
        for (int i = 0; i < used; i++)
        {
            tridiagonal[i * used + i] = alpha[i];
            if (i + 1 < used)
            {
                tridiagonal[i * used + i + 1] = beta[i];
                tridiagonal[(i + 1) * used + i] = beta[i];
            }
        }

        (double[] values, double[] vectors) = SymmetricEigen.Decompose(tridiagonal, used);
        double theta = values[used - 1];
        double ritzResidual = Math.Abs(beta[used - 1] * vectors[(used - 1) * used + used - 1]);
        double upper = Math.Min(laplacian.GershgorinBound, theta + ritzResidual + 1e-12 * theta);
        return (theta, upper);
    }

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        ReadOnlySpan<Vector<double>> av = MemoryMarshal.Cast<double, Vector<double>>(a);
        ReadOnlySpan<Vector<double>> bv = MemoryMarshal.Cast<double, Vector<double>>(b);
        Vector<double> partial = Vector<double>.Zero;
        for (int i = 0; i < av.Length; i++)
        {
            partial += av[i] * bv[i];
        }

        double sum = Vector.Sum(partial);
        for (int i = av.Length * Vector<double>.Count; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    private static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));

    private static void Scale(Span<double> a, double factor)
    {
        for (int i = 0; i < a.Length; i++)
        {
            a[i] *= factor;
        }
    }

    private static void Axpy(double factor, ReadOnlySpan<double> x, Span<double> y)
    {
        ReadOnlySpan<Vector<double>> xv = MemoryMarshal.Cast<double, Vector<double>>(x);
        Span<Vector<double>> yv = MemoryMarshal.Cast<double, Vector<double>>(y);
        var f = new Vector<double>(factor);
        for (int i = 0; i < xv.Length; i++)
        {
            yv[i] += f * xv[i];
        }

        for (int i = xv.Length * Vector<double>.Count; i < x.Length; i++)
        {
            y[i] += factor * x[i];
        }
    }
}
