using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Serving;
using WeatherGinr.Grains.Tests.Cluster;

namespace WeatherGinr.Grains.Tests.Serving;

/// <summary>
/// A damaged descriptor is a <see cref="ModelUnavailableException"/> that crosses a grain call from another silo
/// with its type and message (the HTTP API answers it by its type), and the catalogue lists no file whose name
/// no model grain could take.
/// </summary>
[Collection(WeatherGinrClusterCollection.Name)]
public sealed class ModelGrainDamageTests(WeatherGinrClusterFixture fixture)
{
    [Fact]
    public async Task ADamagedDescriptorCrossesTheClusterAsModelUnavailableNamingTheFile()
    {
        var path = Path.Combine(fixture.DataRoot, "models", "damaged.json");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, "{}");
        try
        {
            var error = await Assert.ThrowsAsync<ModelUnavailableException>(() =>
                fixture.Grains.GetGrain<IModelGrain>("damaged").Describe());

            Assert.Equal($"model 'damaged' cannot be served: its descriptor '{path}' has no modelId, has no " +
                "checkpointPath, lists no variables, has no embedding, has no metrics; restore the file or train " +
                "the model again", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task TheCatalogueListsNoFileWhoseNameIsNoModelId()
    {
        var models = Path.Combine(fixture.DataRoot, "models");
        Directory.CreateDirectory(models);
        string[] files = [Path.Combine(models, "my model.json"), Path.Combine(models, "good.json")];
        foreach (var file in files)
        {
            await File.WriteAllTextAsync(file, "{}");
        }

        try
        {
            Assert.Equal(["good"], await fixture.Grains.GetGrain<IModelCatalogGrain>(0).List());
        }
        finally
        {
            foreach (var file in files)
            {
                File.Delete(file);
            }
        }
    }
}
