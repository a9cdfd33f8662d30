using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using WeatherGinr.Core.Mesh;

namespace WeatherGinr.Core.Spectral;

/// <summary>
/// The combinatorial graph Laplacian <c>L = D - A</c> of an unweighted, undirected graph, in compressed sparse
/// rows: <c>(L x)_i = deg(i) x_i - sum over neighbours j of x_j</c>. Symmetric and positive semi-definite, with
/// the constant vector in its null space.
/// </summary>
/// <remarks>
/// Blocks of vectors are stored row-major, <c>n x columns</c>: row i holds the values of node i in every
/// column, so one sparse row touches contiguous memory in every neighbour (this is what makes the block
/// product fast). Instances are immutable and safe to share between threads.
/// </remarks>
public sealed class GraphLaplacian
{
    private readonly int[] rowOffsets;
    private readonly int[] neighbours;
    private readonly double[] degrees;

    private GraphLaplacian(int size, int[] rowOffsets, int[] neighbours, double[] degrees, int maxDegree)
    {
        Size = size;
        this.rowOffsets = rowOffsets;
        this.neighbours = neighbours;
        this.degrees = degrees;
        MaxDegree = maxDegree;
    }

    /// <summary>Number of nodes (rows).</summary>
    public int Size { get; }

    /// <summary>Largest node degree; <c>2 * MaxDegree</c> bounds the largest eigenvalue (Gershgorin).</summary>
    public int MaxDegree { get; }

    /// <summary>Number of stored off-diagonal entries (twice the number of edges).</summary>
    public int OffDiagonalCount => neighbours.Length;

    /// <summary>The combinatorial Laplacian of an icosphere's edge graph, the paper's default.</summary>
    public static GraphLaplacian Combinatorial(Icosphere mesh)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        return FromEdges(mesh.NodeCount, mesh.EdgeEndpoints);
    }

    /// <summary>
    /// Combinatorial Laplacian from an edge list (pairs of node indices, each undirected edge once; no
    /// self-loops, no duplicates).
    /// </summary>
    public static GraphLaplacian FromEdges(int nodeCount, ReadOnlySpan<int> edgeEndpoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nodeCount);
        if (edgeEndpoints.Length % 2 != 0)
        {
            throw new ArgumentException(
                $"The edge list has {edgeEndpoints.Length} entries; it must hold pairs of node indices.",
                nameof(edgeEndpoints));
        }

        var counts = new int[nodeCount + 1];
        for (int i = 0; i < edgeEndpoints.Length; i++)
        {
            int node = edgeEndpoints[i];
            if ((uint)node >= (uint)nodeCount)
            {
                throw new ArgumentException(
                    $"Edge list entry {i} is node {node}, outside [0, {nodeCount}).", nameof(edgeEndpoints));
            }

            counts[node + 1]++;
        }

        for (int i = 0; i < nodeCount; i++)
        {
            counts[i + 1] += counts[i];
        }

        var offsets = (int[])counts.Clone();
        var neighbours = new int[edgeEndpoints.Length];
        var fill = (int[])counts.Clone();
        for (int e = 0; e < edgeEndpoints.Length / 2; e++)
        {
            int u = edgeEndpoints[2 * e], v = edgeEndpoints[2 * e + 1];
            if (u == v)
            {
                throw new ArgumentException($"Edge {e} is a self-loop at node {u}.", nameof(edgeEndpoints));
            }

            neighbours[fill[u]++] = v;
            neighbours[fill[v]++] = u;
        }

        var degrees = new double[nodeCount];
        int maxDegree = 0;
        for (int i = 0; i < nodeCount; i++)
        {
            // Sorted rows make the block product walk memory in one direction.
            neighbours.AsSpan(offsets[i], offsets[i + 1] - offsets[i]).Sort();
            int degree = offsets[i + 1] - offsets[i];
            degrees[i] = degree;
            maxDegree = Math.Max(maxDegree, degree);
        }

        return new GraphLaplacian(nodeCount, offsets, neighbours, degrees, maxDegree);
    }

    /// <summary>
    /// The whole matrix in standard compressed sparse rows (diagonal included, columns ascending in each row),
    /// for handing the same Laplacian to another solver: row i holds columns
    /// <c>Columns[RowOffsets[i] .. RowOffsets[i + 1])</c> with <c>Values</c> deg(i) on the diagonal and -1 elsewhere.
    /// </summary>
    public (int[] RowOffsets, int[] Columns, double[] Values) ToCsr()
    {
        var offsets = new int[Size + 1];
        var columns = new int[neighbours.Length + Size];
        var values = new double[columns.Length];
        int p = 0;
        for (int i = 0; i < Size; i++)
        {
            offsets[i] = p;
            bool diagonalPlaced = false;
            for (int q = rowOffsets[i]; q <= rowOffsets[i + 1]; q++)
            {
                // Neighbours are sorted; the diagonal goes in before the first larger column.
                if (!diagonalPlaced && (q == rowOffsets[i + 1] || neighbours[q] > i))
                {
                    columns[p] = i;
                    values[p++] = degrees[i];
                    diagonalPlaced = true;
                }

                if (q < rowOffsets[i + 1])
                {
                    columns[p] = neighbours[q];
                    values[p++] = -1.0;
                }
            }
        }

        offsets[Size] = p;
        Debug.Assert(p == columns.Length);
        return (offsets, columns, values);
    }

    /// <summary>y = L x for one vector.</summary>
    public void Multiply(ReadOnlySpan<double> x, Span<double> y)
    {
        CheckLength(x.Length, Size, nameof(x));
        CheckLength(y.Length, Size, nameof(y));
        for (int i = 0; i < Size; i++)
        {
            double sum = degrees[i] * x[i];
            for (int p = rowOffsets[i]; p < rowOffsets[i + 1]; p++)
            {
                sum -= x[neighbours[p]];
            }

            y[i] = sum;
        }
    }

    /// <summary>Y = L X for a row-major block of <paramref name="columns"/> vectors, in parallel over rows.</summary>
    public void MultiplyBlock(ReadOnlySpan<double> x, Span<double> y, int columns)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        CheckLength(x.Length, Size * columns, nameof(x));
        CheckLength(y.Length, Size * columns, nameof(y));
        unsafe
        {
            fixed (double* px = x, py = y)
            {
                var xs = (nint)px;
                var ys = (nint)py;
                RowPartition.For(Size, 8L * columns, (start, end) =>
                    Combine(start, end, columns, 1.0, (double*)xs, 0.0, 0.0, null, (double*)ys));
            }
        }
    }

    /// <summary>
    /// Fused block step <c>Y = alpha L X + gamma X + beta Z</c> (Z may be empty when beta is 0), the
    /// three-term recurrence of a Chebyshev filter in one pass over memory.
    /// </summary>
    internal unsafe void MultiplyCombine(
        ReadOnlySpan<double> x, int columns, double alpha, double gamma, double beta, ReadOnlySpan<double> z,
        Span<double> y)
    {
        Debug.Assert(x.Length == Size * columns && y.Length == Size * columns);
        Debug.Assert(beta == 0.0 || z.Length == Size * columns);
        fixed (double* px = x, py = y, pz = z)
        {
            var xs = (nint)px;
            var ys = (nint)py;
            var zs = beta == 0.0 ? 0 : (nint)pz;
            RowPartition.For(Size, 8L * columns, (start, end) =>
                Combine(start, end, columns, alpha, (double*)xs, gamma, beta, (double*)zs, (double*)ys));
        }
    }

    /// <summary>
    /// The same fused step in single precision, <c>Y = alpha L X + gamma X + beta Z</c>: half the memory traffic of
    /// the double one, for filter steps whose rounding a later double-precision step removes.
    /// </summary>
    internal unsafe void MultiplyCombine(
        ReadOnlySpan<float> x, int columns, float alpha, float gamma, float beta, ReadOnlySpan<float> z,
        Span<float> y)
    {
        Debug.Assert(x.Length == Size * columns && y.Length == Size * columns);
        Debug.Assert(beta == 0f || z.Length == Size * columns);
        fixed (float* px = x, py = y, pz = z)
        {
            var xs = (nint)px;
            var ys = (nint)py;
            var zs = beta == 0f ? 0 : (nint)pz;
            RowPartition.For(Size, 4L * columns, (start, end) =>
                Combine(start, end, columns, alpha, (float*)xs, gamma, beta, (float*)zs, (float*)ys));
        }
    }

    /// <summary>Exact largest eigenvalue bound from Gershgorin's discs: lambda_max &lt;= 2 max deg.</summary>
    internal double GershgorinBound => 2.0 * MaxDegree;

    internal ReadOnlySpan<int> RowOffsets => rowOffsets;

    internal ReadOnlySpan<int> Neighbours => neighbours;

    internal ReadOnlySpan<double> Degrees => degrees;

    /// <summary>Rows [start, end) of <c>y = (alpha L + gamma I) x + beta z</c>, in double or single.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void Combine<T>(int start, int end, int columns, T alpha, T* x, T gamma, T beta, T* z, T* y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int width = Vector<T>.Count;
        int vectorColumns = columns - columns % width;
        var vAlpha = new Vector<T>(alpha);
        var vBeta = new Vector<T>(beta);
        fixed (int* offsets = rowOffsets, nbrs = neighbours)
        fixed (double* deg = degrees)
        {
            for (int i = start; i < end; i++)
            {
                int first = offsets[i], last = offsets[i + 1];
                T diagonal = alpha * T.CreateTruncating(deg[i]) + gamma;
                T* xi = x + (long)i * columns;
                T* yi = y + (long)i * columns;
                T* zi = z == null ? null : z + (long)i * columns;
                var vDiagonal = new Vector<T>(diagonal);

                // Four vectors of columns per pass over the neighbours: each index is read once per four.
                int c = 0;
                for (; c + 4 * width <= vectorColumns; c += 4 * width)
                {
                    Vector<T> sum0 = Vector<T>.Zero, sum1 = Vector<T>.Zero;
                    Vector<T> sum2 = Vector<T>.Zero, sum3 = Vector<T>.Zero;
                    for (int p = first; p < last; p++)
                    {
                        T* xj = x + (long)nbrs[p] * columns + c;
                        sum0 += Unsafe.ReadUnaligned<Vector<T>>(xj);
                        sum1 += Unsafe.ReadUnaligned<Vector<T>>(xj + width);
                        sum2 += Unsafe.ReadUnaligned<Vector<T>>(xj + 2 * width);
                        sum3 += Unsafe.ReadUnaligned<Vector<T>>(xj + 3 * width);
                    }

                    StoreCombined(yi + c, vDiagonal, xi + c, vAlpha, sum0, vBeta, zi == null ? null : zi + c);
                    StoreCombined(yi + c + width, vDiagonal, xi + c + width, vAlpha, sum1, vBeta,
                        zi == null ? null : zi + c + width);
                    StoreCombined(yi + c + 2 * width, vDiagonal, xi + c + 2 * width, vAlpha, sum2, vBeta,
                        zi == null ? null : zi + c + 2 * width);
                    StoreCombined(yi + c + 3 * width, vDiagonal, xi + c + 3 * width, vAlpha, sum3, vBeta,
                        zi == null ? null : zi + c + 3 * width);
                }

                for (; c < vectorColumns; c += width)
                {
                    // (alpha L + gamma I) x at row i: (alpha deg + gamma) x_i - alpha sum_j x_j.
                    Vector<T> neighbourSum = Vector<T>.Zero;
                    for (int p = first; p < last; p++)
                    {
                        neighbourSum += Unsafe.ReadUnaligned<Vector<T>>(x + (long)nbrs[p] * columns + c);
                    }

                    Vector<T> value = vDiagonal * Unsafe.ReadUnaligned<Vector<T>>(xi + c) - vAlpha * neighbourSum;
                    if (zi != null)
                    {
                        value += vBeta * Unsafe.ReadUnaligned<Vector<T>>(zi + c);
                    }

                    Unsafe.WriteUnaligned(yi + c, value);
                }

                for (c = vectorColumns; c < columns; c++)
                {
                    T neighbourSum = T.Zero;
                    for (int p = first; p < last; p++)
                    {
                        neighbourSum += x[(long)nbrs[p] * columns + c];
                    }

                    T value = diagonal * xi[c] - alpha * neighbourSum;
                    if (zi != null)
                    {
                        value += beta * zi[c];
                    }

                    yi[c] = value;
                }
            }
        }
    }

    /// <summary>One vector of <c>y = diagonal x_i - alpha (sum of neighbours) + beta z_i</c> (no z: no term).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void StoreCombined<T>(
        T* y, Vector<T> diagonal, T* x, Vector<T> alpha, Vector<T> neighbourSum, Vector<T> beta, T* z)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T> value = diagonal * Unsafe.ReadUnaligned<Vector<T>>(x) - alpha * neighbourSum;
        if (z != null)
        {
            value += beta * Unsafe.ReadUnaligned<Vector<T>>(z);
        }

        Unsafe.WriteUnaligned(y, value);
    }

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"'{name}' has {actual} values; expected {expected}.", name);
        }
    }
}
