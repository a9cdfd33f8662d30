using Microsoft.Extensions.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;

namespace WeatherGinr.Grains.Tests.Cluster;

/// <summary>
/// A real Orleans test cluster (two silos in this process, TestingHost) configured exactly as the
/// product configures its silos, over a fresh temporary data folder. Share it with
/// <c>[Collection(WeatherGinrClusterCollection.Name)]</c>.
/// </summary>
public sealed class WeatherGinrClusterFixture : IAsyncLifetime
{
    private const string DataRootKey = "WeatherGinr:DataRoot";

    public string DataRoot { get; } = Directory.CreateTempSubdirectory("wginr-cluster-").FullName;

    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(initialSilosCount: 2);
        builder.Properties[DataRootKey] = DataRoot;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(DataRoot, recursive: true);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddMemoryGrainStorageAsDefault();
            siloBuilder.UseInMemoryReminderService();
            siloBuilder.AddWeatherGinrGrains(siloBuilder.Configuration[DataRootKey]!, hasAccelerator: false);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class WeatherGinrClusterCollection : ICollectionFixture<WeatherGinrClusterFixture>
{
    public const string Name = "WeatherGinr test cluster";
}
