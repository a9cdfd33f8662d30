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

    public EmbeddingCache Cache { get; } = new(dataFolder.Embeddings);

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
