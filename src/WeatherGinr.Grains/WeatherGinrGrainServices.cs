using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using WeatherGinr.Grains.Placement;
using WeatherGinr.Grains.Spectral;
using WeatherGinr.Grains.Storage;
using WeatherGinr.Grains.Training;
using WeatherGinr.Ingest;

namespace WeatherGinr.Grains;

/// <summary>
/// Registers what the grains need on a silo: the shared data folder, the embedding library, the ingest
/// workspace the dataset grains decode into, the accelerator-preferring placement of training workers, and
/// the silo metadata that placement reads.
/// Every host (the embedded process, cluster silos, the test cluster) configures silos through here.
/// </summary>
public static class WeatherGinrGrainServices
{
    /// <param name="silo">The silo being configured.</param>
    /// <param name="dataRoot">The data folder every silo shares.</param>
    /// <param name="hasAccelerator">Whether this silo trains on a CUDA device (workers prefer such silos).</param>
    /// <param name="trains">Whether this silo accepts training jobs at all.</param>
    /// <param name="trainingSlots">Training jobs this silo runs at once; more wait their turn.</param>
    public static ISiloBuilder AddWeatherGinrGrains(this ISiloBuilder silo, string dataRoot, bool hasAccelerator,
        bool trains = true, int trainingSlots = 1)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddSingleton(new TrainingSlots(trainingSlots));
        silo.Services.AddSingleton(new DataFolder(dataRoot));
        silo.Services.AddSingleton<EmbeddingLibrary>();

        // One per silo: its idle buffers are bounded once for the silo, not once per dataset.
        silo.Services.AddSingleton(new IngestWorkspace());
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
