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
