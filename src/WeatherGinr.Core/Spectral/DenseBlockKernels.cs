using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace WeatherGinr.Core.Spectral;

/// <summary>
/// Tall-skinny dense products on row-major blocks (n rows, a few hundred columns), the dense half of a block
/// eigensolver: Gram matrices <c>A^T B</c> and rotations <c>X Q</c>. Register-tiled 4 x 8 micro-kernels with
/// fused multiply-add; rows split over the cores with fixed ranges, so results repeat bit for bit.
/// </summary>
internal static unsafe class DenseBlockKernels
{
    private const int PanelRows = 128;

    /// <summary>
    /// C (m x r, row-major) = A^T B with A (n x m) and B (n x r) row-major. With <paramref name="symmetric"/>
    /// (A and B the same block, m == r) only tiles touching the upper triangle are computed, then mirrored.
    /// </summary>
    public static void TransposeMultiply(
        ReadOnlySpan<double> a, int m, ReadOnlySpan<double> b, int r, int n, Span<double> c, bool symmetric)
    {
        if (a.Length < n * m || b.Length < n * r || c.Length < m * r)
        {
            throw new ArgumentException("Block sizes do not match the stated dimensions.");
        }

        int ranges = RowPartition.RangeCount(n, (long)m * r / 2);
        var partials = new double[ranges][];
        fixed (double* pa = a, pb = b)
        {
            var aAddress = (nint)pa;
            var bAddress = (nint)pb;
            Parallel.For(0, ranges, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
                index =>
                {
                    (int start, int end) = RowPartition.Range(n, ranges, index);
                    var partial = new double[m * r];
                    fixed (double* pc = partial)
                    {
                        for (int panel = start; panel < end; panel += PanelRows)
                        {
                            int panelEnd = Math.Min(end, panel + PanelRows);
                            GramPanel((double*)aAddress, m, (double*)bAddress, r, panel, panelEnd, pc, symmetric);
                        }
                    }

                    partials[index] = partial;
                });
        }

        // Fixed summation order over the ranges keeps the result deterministic.
        c[..(m * r)].Clear();
        foreach (double[] partial in partials)
        {
            for (int i = 0; i < m * r; i++)
            {
                c[i] += partial[i];
            }
        }

        if (symmetric)
        {
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    c[i * r + j] = c[j * r + i];
                }
            }
        }
    }

    /// <summary>Y (n x r) = X (n x m) Q (m x r), all row-major. Y must not overlap X.</summary>
    public static void Multiply(ReadOnlySpan<double> x, int n, int m, ReadOnlySpan<double> q, int r, Span<double> y)
    {
        if (x.Length < n * m || q.Length < m * r || y.Length < n * r)
        {
            throw new ArgumentException("Block sizes do not match the stated dimensions.");
        }

        fixed (double* px = x, pq = q, py = y)
        {
            var xAddress = (nint)px;
            var qAddress = (nint)pq;
            var yAddress = (nint)py;
            RowPartition.For(n, (long)m * r, (start, end) =>
                RotateRows((double*)xAddress, m, (double*)qAddress, r, start, end, (double*)yAddress));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GramPanel(double* a, int m, double* b, int r, int start, int end, double* c, bool symmetric)
    {
        int mTiled = m - m % 4, rTiled = r - r % 8;
        for (int i = 0; i < mTiled; i += 4)
        {
            // In a symmetric product, tiles wholly below the diagonal (j + 7 < i) are mirrored later.
            int jStart = symmetric ? i - i % 8 : 0;
            for (int j = jStart; j < rTiled; j += 8)
            {
                Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default;
                Vector256<double> c20 = default, c21 = default, c30 = default, c31 = default;
                for (int p = start; p < end; p++)
                {
                    double* ap = a + (long)p * m + i;
                    double* bp = b + (long)p * r + j;
                    Vector256<double> b0 = Vector256.Load(bp), b1 = Vector256.Load(bp + 4);
                    Vector256<double> s = Vector256.Create(ap[0]);
                    c00 = Vector256.FusedMultiplyAdd(s, b0, c00);
                    c01 = Vector256.FusedMultiplyAdd(s, b1, c01);
                    s = Vector256.Create(ap[1]);
                    c10 = Vector256.FusedMultiplyAdd(s, b0, c10);
                    c11 = Vector256.FusedMultiplyAdd(s, b1, c11);
                    s = Vector256.Create(ap[2]);
                    c20 = Vector256.FusedMultiplyAdd(s, b0, c20);
                    c21 = Vector256.FusedMultiplyAdd(s, b1, c21);
                    s = Vector256.Create(ap[3]);
                    c30 = Vector256.FusedMultiplyAdd(s, b0, c30);
                    c31 = Vector256.FusedMultiplyAdd(s, b1, c31);
                }

                AddTo(c + i * r + j, c00, c01);
                AddTo(c + (i + 1) * r + j, c10, c11);
                AddTo(c + (i + 2) * r + j, c20, c21);
                AddTo(c + (i + 3) * r + j, c30, c31);
            }
        }

        // Edges of the product that the tiles do not cover: rows i >= mTiled, or columns j >= rTiled.
        for (int i = 0; i < m; i++)
        {
            int jFrom = i < mTiled ? rTiled : 0;
            for (int j = jFrom; j < r; j++)
            {
                if (symmetric && j < i)
                {
                    continue;
                }

                double sum = 0;
                for (int p = start; p < end; p++)
                {
                    sum += a[(long)p * m + i] * b[(long)p * r + j];
                }

                c[i * r + j] += sum;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RotateRows(double* x, int m, double* q, int r, int start, int end, double* y)
    {
        int rTiled = r - r % 8;
        int p = start;
        for (; p + 4 <= end; p += 4)
        {
            double* x0 = x + (long)p * m, x1 = x0 + m, x2 = x1 + m, x3 = x2 + m;
            double* y0 = y + (long)p * r, y1 = y0 + r, y2 = y1 + r, y3 = y2 + r;
            for (int j = 0; j < rTiled; j += 8)
            {
                Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default;
                Vector256<double> c20 = default, c21 = default, c30 = default, c31 = default;
                for (int k = 0; k < m; k++)
                {
                    double* qk = q + k * r + j;
                    Vector256<double> q0 = Vector256.Load(qk), q1 = Vector256.Load(qk + 4);
                    Vector256<double> s = Vector256.Create(x0[k]);
                    c00 = Vector256.FusedMultiplyAdd(s, q0, c00);
                    c01 = Vector256.FusedMultiplyAdd(s, q1, c01);
                    s = Vector256.Create(x1[k]);
                    c10 = Vector256.FusedMultiplyAdd(s, q0, c10);
                    c11 = Vector256.FusedMultiplyAdd(s, q1, c11);
                    s = Vector256.Create(x2[k]);
                    c20 = Vector256.FusedMultiplyAdd(s, q0, c20);
                    c21 = Vector256.FusedMultiplyAdd(s, q1, c21);
                    s = Vector256.Create(x3[k]);
                    c30 = Vector256.FusedMultiplyAdd(s, q0, c30);
                    c31 = Vector256.FusedMultiplyAdd(s, q1, c31);
                }

                Store(y0 + j, c00, c01);
                Store(y1 + j, c10, c11);
                Store(y2 + j, c20, c21);
                Store(y3 + j, c30, c31);
            }

            for (int row = 0; row < 4; row++)
            {
                RotateRowTail(x + (long)(p + row) * m, m, q, r, rTiled, y + (long)(p + row) * r);
            }
        }

        for (; p < end; p++)
        {
            RotateRowTail(x + (long)p * m, m, q, r, 0, y + (long)p * r);
        }
    }

    private static void RotateRowTail(double* xRow, int m, double* q, int r, int jFrom, double* yRow)
    {
        for (int j = jFrom; j < r; j++)
        {
            double sum = 0;
            for (int k = 0; k < m; k++)
            {
                sum += xRow[k] * q[k * r + j];
            }

            yRow[j] = sum;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(double* target, Vector256<double> low, Vector256<double> high)
    {
        Vector256.Store(Vector256.Load(target) + low, target);
        Vector256.Store(Vector256.Load(target + 4) + high, target + 4);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(double* target, Vector256<double> low, Vector256<double> high)
    {
        Vector256.Store(low, target);
        Vector256.Store(high, target + 4);
    }
}
