using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.TestingHost;
using WeatherGinr.Core.Spectral;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Spectral;
using WeatherGinr.Grains.Tests.Cluster;

namespace WeatherGinr.Grains.Tests.Spectral;

/// <summary>
/// The embedding grain in the two-silo test cluster: one computation however many callers, one shared file,
/// and a damaged file detected and recomputed by a fresh activation.
/// </summary>
[Collection(WeatherGinrClusterCollection.Name)]
public sealed class EmbeddingGrainTests(WeatherGinrClusterFixture fixture)
{
    private string EmbeddingsFolder => Path.Combine(fixture.DataRoot, "embeddings");

    [Fact]
    public async Task Concurrent_callers_on_both_silos_and_the_client_share_one_computation_and_one_file()
    {
        const int level = 4, columns = 30;
        Directory.CreateDirectory(EmbeddingsFolder);
        using var writes = new CacheWriteCounter(EmbeddingsFolder);

        // 8 callers through each of three grain factories (the client and each silo's own), all in flight at once.
        IGrainFactory[] factories = [fixture.Grains, .. fixture.Cluster.Silos.Select(SiloGrainFactory)];
        Assert.Equal(3, factories.Length);
        Task<EmbeddingDescriptor>[] calls = factories
            .SelectMany(factory => Enumerable.Range(0, 8).Select(_ =>
                factory.GetGrain<IEmbeddingGrain>(EmbeddingGrain.KeyFor(level, columns)).Ensure()))
            .ToArray();
        EmbeddingDescriptor[] results = await Task.WhenAll(calls);

        Assert.Single(results, result => !result.FromCache);
        Assert.All(results, result => Assert.Equal(results[0].Id, result.Id));
        Assert.All(results, result => Assert.Equal(results[0].Eigenvalues, result.Eigenvalues));
        Assert.Equal(1, await writes.SettledCount());

        // Every silo's library reads the same bytes from the one file, writing nothing.
        string path = results[0].CachePath;
        DateTime written = File.GetLastWriteTimeUtc(path);
        float[][] values = fixture.Cluster.Silos
            .Select(silo => SiloService<EmbeddingLibrary>(silo).Embedding(results[0]).Values)
            .ToArray();
        Assert.Equal(values[0], values[1]);
        Assert.Equal(written, File.GetLastWriteTimeUtc(path));
        Assert.Equal(1, await writes.SettledCount());
        Assert.True(results[0].MaxRelativeResidual <= 1e-8);
    }

    [Fact]
    public async Task A_corrupted_file_is_detected_and_recomputed_by_a_fresh_activation()
    {
        const int level = 3, columns = 16;
        var grain = fixture.Grains.GetGrain<IEmbeddingGrain>(EmbeddingGrain.KeyFor(level, columns));
        EmbeddingDescriptor first = await grain.Ensure();
        byte[] original = await File.ReadAllBytesAsync(first.CachePath);

        // Flip one bit in the middle of the eigenvectors, then let the activation go.
        byte[] damaged = (byte[])original.Clone();
        damaged[damaged.Length / 2] ^= 0x04;
        await File.WriteAllBytesAsync(first.CachePath, damaged);
        var cache = new EmbeddingCache(EmbeddingsFolder);
        Assert.False(cache.TryLoad(level, columns, out _, out string? rejection));
        Assert.Contains("checksum", rejection, StringComparison.Ordinal);
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        EmbeddingDescriptor second = await WaitForFreshActivation(grain);

        Assert.False(second.FromCache);
        Assert.True(cache.TryLoad(level, columns, out SpectralEmbedding? repaired, out _));
        Assert.Equal(first.Eigenvalues, repaired.Eigenvalues);
        Assert.Equal(SHA256.HashData(original), SHA256.HashData(await File.ReadAllBytesAsync(second.CachePath)));
    }

    [Fact]
    public async Task A_cancelled_computation_stops_stores_nothing_and_the_next_caller_computes_it()
    {
        // Level 7 takes seconds to solve. The cache probes its folder with a temporary file just before it builds
        // the mesh and solves: that says the first call has begun.
        const int level = 7, columns = 24;
        Directory.CreateDirectory(EmbeddingsFolder);
        using var writes = new CacheWriteCounter(EmbeddingsFolder);
        var begun = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var probe = new FileSystemWatcher(EmbeddingsFolder, $"ico{level}-*-k{columns}-*.tmp");
        probe.Created += (_, _) => begun.TrySetResult();
        probe.EnableRaisingEvents = true;
        var grain = fixture.Grains.GetGrain<IEmbeddingGrain>(EmbeddingGrain.KeyFor(level, columns));
        using var cancel = new CancellationTokenSource();

        Task<EmbeddingDescriptor> cancelled = grain.Ensure(cancel.Token);
        await begun.Task.WaitAsync(TimeSpan.FromMinutes(1));
        Task<EmbeddingDescriptor> queued = grain.Ensure();
        await Task.Delay(100);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        // The grain is not reentrant: the second call runs once the cancelled one has ended. Had that one finished
        // its solve, the second would answer from the activation's memory (FromCache true).
        EmbeddingDescriptor next = await queued;
        Assert.False(next.FromCache);
        Assert.True(next.Seconds > 0);
        Assert.Equal(1, await writes.SettledCount());
        Assert.True(next.MaxRelativeResidual <= 1e-8);
    }

    /// <summary>
    /// Deactivation runs once the activation is idle, just after the call that requested it; a call that still
    /// reaches the old activation answers from memory (Seconds 0), so ask until a new activation answers.
    /// </summary>
    private static async Task<EmbeddingDescriptor> WaitForFreshActivation(IEmbeddingGrain grain)
    {
        for (int attempt = 0; attempt < 100; attempt++)
        {
            EmbeddingDescriptor descriptor = await grain.Ensure();
            if (descriptor.Seconds > 0)
            {
                return descriptor;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("the embedding grain was not deactivated within 5 s");
    }

    private static IGrainFactory SiloGrainFactory(SiloHandle silo) => SiloService<IGrainFactory>(silo);

    private static T SiloService<T>(SiloHandle silo)
        where T : notnull
        => ((InProcessSiloHandle)silo).SiloHost.Services.GetRequiredService<T>();

    /// <summary>Counts embedding files put in place (the cache writes a temporary file and renames it).</summary>
    private sealed class CacheWriteCounter : IDisposable
    {
        private readonly FileSystemWatcher watcher;
        private readonly ConcurrentQueue<string> placed = new();

        public CacheWriteCounter(string folder)
        {
            watcher = new FileSystemWatcher(folder) { IncludeSubdirectories = false };
            watcher.Renamed += (_, e) =>
            {
                if (e.Name?.EndsWith(".wgemb", StringComparison.Ordinal) == true)
                {
                    placed.Enqueue(e.Name);
                }
            };
            watcher.EnableRaisingEvents = true;
        }

        /// <summary>The count once no new event has arrived for half a second (events arrive asynchronously).</summary>
        public async Task<int> SettledCount()
        {
            int count;
            do
            {
                count = placed.Count;
                await Task.Delay(500);
            }
            while (placed.Count != count);

            return count;
        }

        public void Dispose() => watcher.Dispose();
    }
}
