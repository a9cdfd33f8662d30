using WeatherGinr.Grains.Abstractions;

namespace WeatherGinr.Grains.Tests.Cluster;

[Collection(WeatherGinrClusterCollection.Name)]
public sealed class ClusterSmokeTests(WeatherGinrClusterFixture fixture)
{
    [Fact]
    public async Task TwoSilosServeTheCatalogueOfAnEmptyDataFolder()
    {
        Assert.Equal(2, fixture.Cluster.GetActiveSilos().Count());

        var models = await fixture.Grains.GetGrain<IModelCatalogGrain>(0).List();

        Assert.Empty(models);
    }

    [Fact]
    public async Task AnUnknownModelIsReportedByName()
    {
        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() =>
            fixture.Grains.GetGrain<IModelGrain>("missing-model").Describe());

        Assert.Contains("'missing-model'", error.Message, StringComparison.Ordinal);
    }
}
