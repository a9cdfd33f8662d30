using System.Security.Cryptography;
using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;

namespace WeatherGinr.Core.Tests.Spectral;

public sealed class EmbeddingCacheTests : IDisposable
{
    private const int Level = 3;
    private const int Columns = 20;
    private readonly string folder = Directory.CreateTempSubdirectory("wginr-cache-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Second_request_reads_the_same_bytes_from_disk()
    {
        var cache = new EmbeddingCache(folder);
        SpectralEmbedding computed = cache.GetOrCreate(Level, Columns, out bool firstFromCache);
        SpectralEmbedding loaded = new EmbeddingCache(folder).GetOrCreate(Level, Columns, out bool secondFromCache);

        Assert.False(firstFromCache);
        Assert.True(secondFromCache);
        Assert.Equal("ico3-combinatorial-k20-s3", loaded.Id);
        Assert.Equal(Path.Combine(folder, "ico3-combinatorial-k20-s3.wgemb"), cache.PathFor(Level, Columns));
        Assert.Equal(computed.Values, loaded.Values);
        Assert.Equal(computed.Eigenvalues, loaded.Eigenvalues);
        Assert.Equal(computed.ClusterSizes, loaded.ClusterSizes);
        Assert.Equal(computed.MaxRelativeResidual, loaded.MaxRelativeResidual);
        Assert.Single(Directory.GetFiles(folder)); // no temporary file left behind
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("empty")]
    public void A_damaged_file_is_detected_and_recomputed(string damage)
    {
        var cache = new EmbeddingCache(folder);
        SpectralEmbedding original = cache.GetOrCreate(Level, Columns, out _);
        string path = cache.PathFor(Level, Columns);
        byte[] bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "flip":
                bytes[bytes.Length / 2] ^= 0x10;
                File.WriteAllBytes(path, bytes);
                break;
            case "truncate":
                File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);
                break;
            default:
                File.WriteAllBytes(path, []);
                break;
        }

        Assert.False(cache.TryLoad(Level, Columns, out _, out string? rejection));
        Assert.Contains(path, rejection);

        var told = new List<string>();
        var watched = new EmbeddingCache(folder) { InvalidFileReplaced = told.Add };
        SpectralEmbedding recomputed = watched.GetOrCreate(Level, Columns, out bool fromCache);
        Assert.False(fromCache);
        Assert.Equal([rejection + "; computing it again"], told);
        Assert.Equal(original.Values, recomputed.Values);
        Assert.Equal(bytes.Length, new FileInfo(path).Length == bytes.Length ? bytes.Length : -1);
        Assert.True(cache.TryLoad(Level, Columns, out _, out _));
    }

    [Fact]
    public void The_file_holds_the_solvers_double_precision_vectors_within_the_contract()
    {
        // Level 4 is solved iteratively (to 1e-8); rounded to single precision its vectors would leave ~2e-8.
        const int level = 4, columns = 40;
        var cache = new EmbeddingCache(folder);
        SpectralEmbedding computed = cache.GetOrCreate(level, columns, out _);
        double[]? stored = cache.LoadDoublePrecisionValues(level, columns, out string? rejection);
        Assert.True(stored is not null, rejection);

        // L x = D x - A x from the mesh's edges; ||L|| from below by power iteration, so residuals err high.
        var mesh = Icosphere.Create(level);
        int n = mesh.NodeCount;
        double[] Laplacian(double[] x)
        {
            var y = new double[n];
            for (int e = 0; e < mesh.EdgeEndpoints.Length; e += 2)
            {
                int a = mesh.EdgeEndpoints[e], b = mesh.EdgeEndpoints[e + 1];
                y[a] += x[a] - x[b];
                y[b] += x[b] - x[a];
            }

            return y;
        }

        var random = new Random(7);
        double[] v = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        double norm = 0;
        for (int step = 0; step < 300; step++)
        {
            double length = Math.Sqrt(v.Sum(x => x * x));
            v = v.Select(x => x / length).ToArray();
            double[] w = Laplacian(v);
            norm = v.Zip(w, (x, y) => x * y).Sum();
            v = w;
        }

        double scale = Math.Sqrt(n);
        double[][] u = Enumerable.Range(0, columns)
            .Select(j => Enumerable.Range(0, n).Select(i => stored[i * columns + j] / scale).ToArray()).ToArray();
        for (int j = 0; j < columns; j++)
        {
            double[] lu = Laplacian(u[j]);
            double residual = Math.Sqrt(lu.Select((x, i) => x - computed.Eigenvalues[j] * u[j][i]).Sum(r => r * r));
            Assert.True(residual / norm <= 1e-8, $"column {j}: relative residual {residual / norm:E2}");
            for (int l = 0; l <= j; l++)
            {
                double dot = u[j].Zip(u[l], (x, y) => x * y).Sum();
                Assert.True(Math.Abs(dot - (j == l ? 1 : 0)) <= 1e-10, $"u_{j} . u_{l} = {dot}");
            }
        }

        Assert.Equal(stored.Select(x => (float)x), computed.Values);
    }

    [Theory]
    [InlineData("eigenvalue NaN", "eigenvalue 5 is NaN")]
    [InlineData("eigenvalues unsorted", "eigenvalue 9 is")]
    [InlineData("value NaN", "value NaN at node 3, column 2")]
    [InlineData("format 1", "written in format 1 (single precision)")]
    public void A_file_with_a_valid_checksum_but_impossible_contents_is_recomputed(string forgery, string expected)
    {
        var cache = new EmbeddingCache(folder);
        SpectralEmbedding original = cache.GetOrCreate(Level, Columns, out _);
        double[] stored = cache.LoadDoublePrecisionValues(Level, Columns, out _)!;
        string path = cache.PathFor(Level, Columns);
        byte[] payload = File.ReadAllBytes(path)[..^32];

        // Find what to change by its bytes (the layout is the cache's own business), then re-sign the file.
        void Replace(double value, double forged)
        {
            int at = payload.AsSpan().IndexOf(BitConverter.GetBytes(value));
            Assert.True(at > 0, $"{value} not found");
            BitConverter.GetBytes(forged).CopyTo(payload, at);
        }

        switch (forgery)
        {
            case "eigenvalue NaN":
                Replace(original.Eigenvalues[5], double.NaN);
                break;
            case "eigenvalues unsorted":
                Replace(original.Eigenvalues[9], original.Eigenvalues[8] / 2);
                break;
            case "value NaN":
                Replace(stored[3 * Columns + 2], double.NaN);
                break;
            default:
                BitConverter.GetBytes(1).CopyTo(payload, 8); // the format number follows the 8-byte magic
                break;
        }

        File.WriteAllBytes(path, [.. payload, .. SHA256.HashData(payload)]);

        Assert.False(cache.TryLoad(Level, Columns, out _, out string? rejection));
        Assert.Contains(expected, rejection, StringComparison.Ordinal);
        SpectralEmbedding recomputed = cache.GetOrCreate(Level, Columns, out bool fromCache);
        Assert.False(fromCache);
        Assert.Equal(original.Values, recomputed.Values);
        Assert.True(cache.TryLoad(Level, Columns, out _, out _));
    }

    [Fact]
    public void A_cache_path_that_is_a_file_is_named_as_such()
    {
        string file = Path.Combine(folder, "embeddings");
        File.WriteAllText(file, "not a folder");

        var error = Assert.Throws<IOException>(() => new EmbeddingCache(file));

        Assert.Equal(
            $"the embedding cache '{file}' is a file, not a folder; move it away or choose another data folder",
            error.Message);
    }

    [Fact]
    public void A_folder_where_the_file_belongs_is_reported_before_any_solve()
    {
        var cache = new EmbeddingCache(folder);
        string path = cache.PathFor(Level, Columns);
        Directory.CreateDirectory(path);

        var error = Assert.Throws<IOException>(() => cache.GetOrCreate(Level, Columns, out _));

        Assert.Equal($"'{path}' is a folder where the embedding file belongs; move it away and run again; "
            + "nothing was computed", error.Message);
        Assert.True(Directory.Exists(path), "the folder is left as it was");
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void Concurrent_requests_compute_once()
    {
        var cache = new EmbeddingCache(folder);
        var computedCount = 0;
        Parallel.For(0, 4, _ =>
        {
            cache.GetOrCreate(Level, Columns, out bool fromCache);
            if (!fromCache)
            {
                Interlocked.Increment(ref computedCount);
            }
        });

        Assert.Equal(1, computedCount);
    }

    [Fact]
    public void Rounding_up_stores_the_whole_cluster_and_the_requested_prefix()
    {
        // k = 20 at level 3 keeps 4 of the 5-fold cluster at columns 16..20.
        var cache = new EmbeddingCache(folder);
        SpectralEmbedding rounded = cache.GetOrCreate(Level, Columns, roundUpToClusterBoundary: true, out bool fresh);

        Assert.False(fresh);
        Assert.Equal(21, rounded.Columns);
        Assert.False(rounded.CutsCluster);
        Assert.Equal([1, 3, 5, 3, 4, 5], rounded.ClusterSizes);

        Assert.True(cache.TryLoad(Level, Columns, out SpectralEmbedding? prefix, out _));
        Assert.Equal([1, 3, 5, 3, 4, 4], prefix.ClusterSizes);
        Assert.Equal(21, prefix.ClusterCompleteCount);
        Assert.Equal(rounded.Eigenvalues[..Columns], prefix.Eigenvalues);
        for (int node = 0; node < rounded.NodeCount; node += 97)
        {
            Assert.Equal(rounded.Row(node)[..Columns].ToArray(), prefix.Row(node).ToArray());
        }

        SpectralEmbedding again = cache.GetOrCreate(Level, Columns, roundUpToClusterBoundary: true, out bool cached);
        Assert.True(cached);
        Assert.Equal(rounded.Values, again.Values);
    }

    [Fact]
    public void Mesh_summary_reports_counts_spectrum_and_cache_use()
    {
        var cache = new EmbeddingCache(folder);
        MeshSummary first = MeshSummary.Create(cache, Level, Columns);
        MeshSummary second = MeshSummary.Create(cache, Level, Columns);

        Assert.False(first.FromCache);
        Assert.True(second.FromCache);
        Assert.Equal((642, 1920, 1280), (second.NodeCount, second.EdgeCount, second.TriangleCount));
        Assert.Equal(Columns, second.Eigenvalues.Count);
        // l = 0..3 (1, 3, 5, 3 + 4), then 4 of the 5-fold half of l = 4, which comes first at level 3.
        Assert.Equal([1, 3, 5, 3, 4, 4], second.ClusterSizes);
        Assert.True(second.CutsCluster);
        Assert.Equal(21, second.ClusterCompleteCount);
        Assert.Equal(16, second.LowerClusterBoundary);
        Assert.Equal(Columns, second.RequestedColumns);
        Assert.True(second.MaxRelativeResidual <= 1e-8);
        Assert.Equal(cache.PathFor(Level, Columns), second.CachePath);
    }
}
