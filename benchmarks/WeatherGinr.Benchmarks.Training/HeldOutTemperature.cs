using WeatherGinr.Core.Mesh;
using WeatherGinr.Core.Spectral;
using WeatherGinr.Ingest;

namespace WeatherGinr.Benchmarks.Training;

/// <summary>
/// The time-to-R² data: the monthly tas of one file regridded onto an icosphere, [time, node] row-major in
/// kelvin, and the held-out nodes (10 %, drawn with seed 5), which are NaN in the training targets.
/// </summary>
public sealed class HeldOutTemperature
{
    private readonly EmbeddingCache cache;

    private HeldOutTemperature(EmbeddingCache cache, int level, int nodeCount, int timeCount, float[] targets,
        int[] heldOut)
    {
        this.cache = cache;
        Level = level;
        NodeCount = nodeCount;
        TimeCount = timeCount;
        Targets = targets;
        HeldOut = heldOut;
    }

    public int Level { get; }

    public int NodeCount { get; }

    public int TimeCount { get; }

    /// <summary>Every node at every time, [time, node] row-major, kelvin.</summary>
    public float[] Targets { get; }

    /// <summary>Held-out node indices, ascending.</summary>
    public int[] HeldOut { get; }

    public static HeldOutTemperature Load(string temperatureFile, string embeddingCache, int level)
    {
        var mesh = Icosphere.Create(level);
        var field = WeatherFieldReader.ReadWeatherFields([temperatureFile])
            .First(f => f.Quantity == WeatherQuantity.AirTemperature);
        var n = mesh.NodeCount;
        var targets = Enumerable.Range(0, field.TimeCount).SelectMany(t => LatLonRegridder.Regrid(field, t,
            mesh.LatitudesDegrees, mesh.LongitudesDegrees, mesh.MeanEdgeLengthDegrees)).ToArray();
        var random = new Random(5);
        var heldOut = Enumerable.Range(0, n).OrderBy(_ => random.Next()).Take(n / 10).Order().ToArray();
        return new HeldOutTemperature(new EmbeddingCache(embeddingCache), level, n, field.TimeCount, targets,
            heldOut);
    }

    /// <summary>The first <paramref name="columns"/> Laplacian eigenvectors (scaled), from the cache.</summary>
    public float[] Embedding(int columns) => cache.GetOrCreate(Level, columns, out _).Values;

    /// <summary>The targets with every held-out node set to NaN at every time.</summary>
    public float[] TrainingTargets()
    {
        var training = (float[])Targets.Clone();
        for (var t = 0; t < TimeCount; t++)
        {
            foreach (var node in HeldOut)
            {
                training[(t * NodeCount) + node] = float.NaN;
            }
        }

        return training;
    }

    /// <summary>The held-out values, [time, held-out node] row-major.</summary>
    public float[] HeldOutTruth() => Enumerable.Range(0, TimeCount)
        .SelectMany(t => HeldOut.Select(i => Targets[(t * NodeCount) + i])).ToArray();
}
