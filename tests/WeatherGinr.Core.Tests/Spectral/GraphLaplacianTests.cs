using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;

namespace WeatherGinr.Core.Tests.Spectral;

public class GraphLaplacianTests
{
    [Fact]
    public void Product_matches_the_dense_matrix_D_minus_A()
    {
        Icosphere mesh = Icosphere.Create(2);
        GraphLaplacian laplacian = GraphLaplacian.Combinatorial(mesh);
        int n = mesh.NodeCount;
        var dense = new double[n, n];
        for (int e = 0; e < mesh.EdgeCount; e++)
        {
            int u = mesh.EdgeEndpoints[2 * e], v = mesh.EdgeEndpoints[2 * e + 1];
            dense[u, v] -= 1;
            dense[v, u] -= 1;
            dense[u, u] += 1;
            dense[v, v] += 1;
        }

        var random = new Random(1);
        double[] x = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var y = new double[n];
        laplacian.Multiply(x, y);
        for (int i = 0; i < n; i++)
        {
            double expected = 0;
            for (int j = 0; j < n; j++)
            {
                expected += dense[i, j] * x[j];
            }

            Assert.Equal(expected, y[i], 1e-12);
        }

        // Constants are in the null space.
        laplacian.Multiply(Enumerable.Repeat(3.5, n).ToArray(), y);
        Assert.All(y, value => Assert.Equal(0.0, value, 12));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(19)]
    public void Block_product_equals_column_by_column_products(int columns)
    {
        GraphLaplacian laplacian = GraphLaplacian.Combinatorial(Icosphere.Create(4));
        int n = laplacian.Size;
        var random = new Random(2);
        double[] block = Enumerable.Range(0, n * columns).Select(_ => random.NextDouble() - 0.5).ToArray();
        var product = new double[n * columns];
        laplacian.MultiplyBlock(block, product, columns);

        var column = new double[n];
        var expected = new double[n];
        for (int j = 0; j < columns; j++)
        {
            for (int i = 0; i < n; i++)
            {
                column[i] = block[i * columns + j];
            }

            laplacian.Multiply(column, expected);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(expected[i], product[i * columns + j], 1e-12);
            }
        }
    }

    [Fact]
    public void Csr_export_holds_the_same_matrix_with_the_diagonal_in_sorted_rows()
    {
        Icosphere mesh = Icosphere.Create(2);
        GraphLaplacian laplacian = GraphLaplacian.Combinatorial(mesh);
        (int[] offsets, int[] columns, double[] values) = laplacian.ToCsr();

        int n = laplacian.Size;
        Assert.Equal(n + 1, offsets.Length);
        Assert.Equal(2 * mesh.EdgeCount + n, offsets[n]);
        var random = new Random(5);
        double[] x = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
        var expected = new double[n];
        laplacian.Multiply(x, expected);
        for (int i = 0; i < n; i++)
        {
            ReadOnlySpan<int> row = columns.AsSpan(offsets[i], offsets[i + 1] - offsets[i]);
            Assert.True(row.ToArray().Zip(row[1..].ToArray(), (a, b) => a < b).All(ok => ok), $"row {i} unsorted");
            double sum = 0, rowSum = 0;
            for (int p = offsets[i]; p < offsets[i + 1]; p++)
            {
                Assert.Equal(columns[p] == i ? row.Length - 1 : -1.0, values[p]);
                sum += values[p] * x[columns[p]];
                rowSum += values[p];
            }

            Assert.Equal(0.0, rowSum);
            Assert.Equal(expected[i], sum, 1e-12);
        }
    }

    [Fact]
    public void Malformed_edge_lists_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => GraphLaplacian.FromEdges(3, [0, 1, 2]));
        Assert.Throws<ArgumentException>(() => GraphLaplacian.FromEdges(3, [0, 3]));
        Assert.Throws<ArgumentException>(() => GraphLaplacian.FromEdges(3, [1, 1]));
    }
}
