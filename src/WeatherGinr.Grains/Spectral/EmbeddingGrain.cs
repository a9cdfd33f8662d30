using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using WeatherGinr.Grains.Abstractions;

namespace WeatherGinr.Grains.Spectral;

/// <inheritdoc cref="IEmbeddingGrain"/>
/// <remarks>
/// The grain is not reentrant, so callers that arrive during the computation queue behind it and
/// then get the finished descriptor: one computation per mesh and k in the whole cluster.
/// </remarks>
public sealed partial class EmbeddingGrain(EmbeddingLibrary library, ILogger<EmbeddingGrain> logger)
    : Grain, IEmbeddingGrain
{
    private EmbeddingDescriptor? descriptor;

    public static string KeyFor(int meshLevel, int columns) =>
        string.Create(CultureInfo.InvariantCulture, $"ico{meshLevel}-k{columns}");

    public async Task<EmbeddingDescriptor> Ensure(CancellationToken cancellationToken = default)
    {
        if (descriptor is not null)
        {
            return descriptor with { FromCache = true, Seconds = 0 };
        }

        var (level, columns) = ParseKey(this.GetPrimaryKeyString());
        LogEmbeddingComputing(logger, level, columns);
        var clock = Stopwatch.StartNew();
        var (embedding, fromCache) = await Task.Run(() =>
        {
            var made = library.Cache.GetOrCreate(level, columns, out var cached, cancellationToken: cancellationToken);
            return (made, cached);
        }, cancellationToken);

        descriptor = new EmbeddingDescriptor(
            embedding.Id, level, columns, embedding.NodeCount, library.Cache.PathFor(level, columns), fromCache,
            clock.Elapsed.TotalSeconds, embedding.MaxRelativeResidual, embedding.Eigenvalues);
        LogEmbeddingReady(logger, embedding.Id, fromCache, clock.Elapsed.TotalSeconds, embedding.MaxRelativeResidual);
        return descriptor;
    }

    private static (int Level, int Columns) ParseKey(string key)
    {
        var parts = key.Split('-');
        if (parts.Length == 2 && parts[0].StartsWith("ico", StringComparison.Ordinal)
            && parts[1].StartsWith('k')
            && int.TryParse(parts[0][3..], NumberStyles.None, CultureInfo.InvariantCulture, out var level)
            && int.TryParse(parts[1][1..], NumberStyles.None, CultureInfo.InvariantCulture, out var columns))
        {
            return (level, columns);
        }

        throw new ArgumentException($"embedding key '{key}' is not of the form 'ico{{level}}-k{{columns}}'");
    }
}
