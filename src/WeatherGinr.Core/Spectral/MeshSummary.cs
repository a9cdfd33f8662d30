using System.Diagnostics;
using WeatherGinr.Core.Mesh;

namespace WeatherGinr.Core.Spectral;

/// <summary>
/// What <c>weatherginr mesh --level L --k K</c> prints: the mesh's counts, the spectrum and how it was obtained.
/// </summary>
public sealed record MeshSummary(
    int Level,
    int NodeCount,
    int EdgeCount,
    int TriangleCount,
    double MeanEdgeLengthDegrees,
    string EmbeddingId,
    int Columns,
    IReadOnlyList<double> Eigenvalues,
    IReadOnlyList<int> ClusterSizes,
    bool CutsCluster,
    int ClusterCompleteCount,
    double MaxRelativeResidual,
    bool FromCache,
    string CachePath,
    double Seconds)
{
    /// <summary>Builds (or loads) the embedding of a level and summarises it; Seconds covers both.</summary>
    public static MeshSummary Create(
        EmbeddingCache cache, int level, int columns, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var clock = Stopwatch.StartNew();
        Icosphere mesh = Icosphere.Create(level);
        SpectralEmbedding embedding = cache.GetOrCreate(
            level, columns, out bool fromCache, progress, cancellationToken);
        return new MeshSummary(
            level, mesh.NodeCount, mesh.EdgeCount, mesh.TriangleCount, mesh.MeanEdgeLengthDegrees, embedding.Id,
            embedding.Columns, embedding.Eigenvalues, embedding.ClusterSizes, embedding.CutsCluster,
            embedding.ClusterCompleteCount, embedding.MaxRelativeResidual, fromCache, cache.PathFor(level, columns),
            clock.Elapsed.TotalSeconds);
    }
}
