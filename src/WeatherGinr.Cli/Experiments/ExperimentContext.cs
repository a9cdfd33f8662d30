using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;
using WeatherGinr.Grains.Storage;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// What an experiment runs with: the data folder (its embedding cache and sample data), the size
/// (<c>Quick</c>: tiny meshes and short trainings for tests; otherwise the full sizes), the real
/// temperature file, and where narration goes.
/// </summary>
public sealed class ExperimentContext
{
    private readonly Dictionary<int, Icosphere> meshes = [];

    public ExperimentContext(string dataRoot, bool quick, string? temperatureFile, Action<string>? narrate = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataRoot);
        Data = new DataFolder(Path.GetFullPath(dataRoot));
        Quick = quick;
        TemperatureFile = temperatureFile;
        Narrate = narrate ?? (_ => { });
        Embeddings = new EmbeddingCache(Data.Embeddings);
    }

    public DataFolder Data { get; }

    public bool Quick { get; }

    /// <summary>A NetCDF file with near-surface temperature; null: the demo's CMIP5 sample (downloaded once).</summary>
    public string? TemperatureFile { get; }

    public Action<string> Narrate { get; }

    public EmbeddingCache Embeddings { get; }

    /// <summary>Where results go: <c>{data}/experiments</c>.</summary>
    public string ResultsFolder => Path.Combine(Data.Root, "experiments");

    public Icosphere Mesh(int level)
    {
        if (!meshes.TryGetValue(level, out var mesh))
        {
            meshes[level] = mesh = Icosphere.Create(level);
        }

        return mesh;
    }

    /// <summary>The first <paramref name="columns"/> embedding columns of a level, from the shared cache.</summary>
    public SpectralEmbedding Embedding(int level, int columns)
    {
        var embedding = Embeddings.GetOrCreate(level, columns, out var fromCache);
        Narrate(fromCache
            ? $"embedding {embedding.Id} from the cache"
            : $"computed embedding {embedding.Id} ({embedding.NodeCount:N0} nodes)");
        return embedding;
    }
}
