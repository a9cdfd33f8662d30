using System.Diagnostics;
using WeatherGinr.Core.Mesh;

namespace WeatherGinr.Core.Spectral;

/// <summary>
/// What <c>weatherginr mesh --level L --k K</c> prints: the mesh's counts, the spectrum and how it was obtained.
/// </summary>
/// <param name="Level">Icosphere level.</param>
/// <param name="NodeCount">Nodes, <c>10 * 4^L + 2</c>.</param>
/// <param name="EdgeCount">Edges, <c>30 * 4^L</c>.</param>
/// <param name="TriangleCount">Triangles, <c>20 * 4^L</c>.</param>
/// <param name="MeanEdgeLengthDegrees">Mean great-circle edge length.</param>
/// <param name="EmbeddingId">Content id of the cached embedding.</param>
/// <param name="RequestedColumns">The k asked for.</param>
/// <param name="Columns">The k delivered: <paramref name="RequestedColumns"/>, or the next cluster boundary when
/// rounding was asked for and k cut a cluster.</param>
/// <param name="CutsCluster">True when <paramref name="Columns"/> splits a degenerate eigenvalue cluster.</param>
/// <param name="LowerClusterBoundary">The largest cluster boundary at or below <paramref name="Columns"/>
/// (equal to it when no cluster is cut).</param>
/// <param name="ClusterCompleteCount">The smallest cluster boundary at or above <paramref name="Columns"/>.</param>
/// <param name="Eigenvalues">The k eigenvalues, ascending.</param>
/// <param name="ClusterSizes">Sizes of the degenerate clusters among them (the last partial when k cuts one).</param>
/// <param name="MaxRelativeResidual">Worst <c>||L u - lambda u|| / ||L||</c>.</param>
/// <param name="FromCache">True when a valid cached file was read instead of solving.</param>
/// <param name="CachePath">The embedding's file.</param>
/// <param name="Seconds">Wall-clock time of the mesh and the embedding (load or solve).</param>
public sealed record MeshSummary(
    int Level,
    int NodeCount,
    int EdgeCount,
    int TriangleCount,
    double MeanEdgeLengthDegrees,
    string EmbeddingId,
    int RequestedColumns,
    int Columns,
    IReadOnlyList<double> Eigenvalues,
    IReadOnlyList<int> ClusterSizes,
    bool CutsCluster,
    int LowerClusterBoundary,
    int ClusterCompleteCount,
    double MaxRelativeResidual,
    bool FromCache,
    string CachePath,
    double Seconds)
{
    /// <summary>
    /// Builds (or loads) the embedding of a level and summarises it; Seconds covers both. With
    /// <paramref name="roundUpToClusterBoundary"/>, a k that cuts a cluster is raised to the cluster's end.
    /// </summary>
    public static MeshSummary Create(
        EmbeddingCache cache, int level, int columns, bool roundUpToClusterBoundary = false,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cache);
        var clock = Stopwatch.StartNew();
        Icosphere mesh = Icosphere.Create(level);
        SpectralEmbedding embedding = cache.GetOrCreate(
            level, columns, roundUpToClusterBoundary, out bool fromCache, progress, cancellationToken);

        // The last listed cluster is the partial one when k cuts a cluster.
        int lower = embedding.CutsCluster ? embedding.Columns - embedding.ClusterSizes[^1] : embedding.Columns;
        return new MeshSummary(
            level, mesh.NodeCount, mesh.EdgeCount, mesh.TriangleCount, mesh.MeanEdgeLengthDegrees, embedding.Id,
            columns, embedding.Columns, embedding.Eigenvalues, embedding.ClusterSizes, embedding.CutsCluster, lower,
            embedding.ClusterCompleteCount, embedding.MaxRelativeResidual, fromCache,
            cache.PathFor(level, embedding.Columns), clock.Elapsed.TotalSeconds);
    }
}
