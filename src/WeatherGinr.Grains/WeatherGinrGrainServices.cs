using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using WeatherGinr.Grains.Placement;
using WeatherGinr.Grains.Spectral;
using WeatherGinr.Grains.Storage;

namespace WeatherGinr.Grains;

/// <summary>
/// Registers what the grains need on a silo: the shared data folder, the embedding library, the
/// accelerator-preferring placement of training workers, and the silo metadata that placement reads.
/// Every host (the embedded process, cluster silos, the test cluster) configures silos through here.
/// </summary>
public static class WeatherGinrGrainServices
{
    public static ISiloBuilder AddWeatherGinrGrains(this ISiloBuilder silo, string dataRoot, bool hasAccelerator,
        bool trains = true)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddSingleton(new DataFolder(dataRoot));
        silo.Services.AddSingleton<EmbeddingLibrary>();
        silo.Services.AddPlacementFilter<AcceleratorPreferredPlacementStrategy, AcceleratorPreferredPlacementDirector>(
            ServiceLifetime.Singleton);
        silo.UseSiloMetadata(new Dictionary<string, string>
        {
            [SiloCapabilities.AcceleratorKey] = hasAccelerator ? "cuda" : "none",
            [SiloCapabilities.TrainsKey] = trains ? "true" : "false",
        });
        return silo;
    }
}
