using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;
using Orleans.Hosting;
using WeatherGinr.Grains.Placement;
using WeatherGinr.Grains.Spectral;
using WeatherGinr.Grains.Storage;

namespace WeatherGinr.Grains;

/// <summary>Registers what the grains need on a silo: the data folder, the embedding library, placement.</summary>
public static class WeatherGinrGrainServices
{
    public static ISiloBuilder AddWeatherGinrGrains(this ISiloBuilder silo, string dataRoot)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddSingleton(new DataFolder(dataRoot));
        silo.Services.AddSingleton<EmbeddingLibrary>();
        silo.Services.AddPlacementFilter<AcceleratorPreferredPlacementStrategy, AcceleratorPreferredPlacementDirector>(
            ServiceLifetime.Singleton);
        return silo;
    }
}
