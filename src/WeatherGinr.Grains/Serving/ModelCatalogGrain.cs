using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Storage;

namespace WeatherGinr.Grains.Serving;

/// <inheritdoc cref="IModelCatalogGrain"/>
/// <remarks>
/// The catalogue is the set of descriptors in <c>models/</c>; the grain only orders access. A file whose name is
/// no model id (<c>my model.json</c>, copied in by hand) is not listed: no model grain could be asked about it.
/// </remarks>
public sealed class ModelCatalogGrain(DataFolder dataFolder) : Grain, IModelCatalogGrain
{
    public Task<IReadOnlyList<string>> List()
    {
        IReadOnlyList<string> ids = Directory.Exists(dataFolder.Models)
            ? Directory.EnumerateFiles(dataFolder.Models, "*.json").Select(Path.GetFileNameWithoutExtension)
                .Where(DataFolder.IsSafeName).OfType<string>().Order(StringComparer.Ordinal).ToArray()
            : [];
        return Task.FromResult(ids);
    }
}
