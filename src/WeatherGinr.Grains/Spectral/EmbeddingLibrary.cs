using System.Collections.Concurrent;
using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Storage;

namespace WeatherGinr.Grains.Spectral;

/// <summary>
/// Per-silo memory of meshes and embeddings already loaded, so the workers and models on one silo
/// share one copy. The bytes come from the content-addressed cache on the shared data folder.
/// </summary>
public sealed class EmbeddingLibrary(DataFolder dataFolder)
{
    private readonly ConcurrentDictionary<int, Lazy<Icosphere>> meshes = new();
    private readonly ConcurrentDictionary<string, Lazy<SpectralEmbedding>> embeddings = new();

    // Made on first use, not with the library: the cache creates its folder, and when that fails (a file named
    // 'embeddings', a read-only data folder) the caller should hear why, naming the folder, rather than fail to
    // create the grain that asked. A failure is not remembered, so the folder may be fixed while the silo runs.
    private readonly Lazy<EmbeddingCache> cache = new(
        () => new EmbeddingCache(dataFolder.Embeddings), LazyThreadSafetyMode.PublicationOnly);

    public EmbeddingCache Cache => cache.Value;

    public Icosphere Mesh(int level) =>
        meshes.GetOrAdd(level, l => new Lazy<Icosphere>(() => Icosphere.Create(l))).Value;

    /// <summary>Loads an embedding the embedding grain has made; recomputes only if its file went bad.</summary>
    public SpectralEmbedding Embedding(EmbeddingDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return embeddings.GetOrAdd(descriptor.Id, _ => new Lazy<SpectralEmbedding>(
            () => Cache.GetOrCreate(descriptor.MeshLevel, descriptor.Columns, out bool _))).Value;
    }
}
