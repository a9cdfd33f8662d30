using System.Runtime.InteropServices;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Storage;
using WeatherGinr.Grains.Tests.Cluster;
using WeatherGinr.Ingest;

namespace WeatherGinr.Grains.Tests.Ingest;

/// <summary>
/// Dataset grains on the test cluster's silos share each silo's ingest workspace: eight datasets ingesting
/// same-size files at once, one after another each, must still store exactly the values of a plain read.
/// </summary>
[Collection(WeatherGinrClusterCollection.Name)]
public sealed class ConcurrentIngestionTests(WeatherGinrClusterFixture fixture)
{
    [Fact]
    public async Task DatasetsIngestingAtOnceThroughOneWorkspaceStoreThePlainValues()
    {
        string[] samples = ["tas_rectilinear_grid_2D.nc", "uas_rectilinear_grid_2D.nc", "vas_rectilinear_grid_2D.nc"];
        var plain = samples
            .Select(sample => Assert.Single(WeatherFieldReader.ReadWeatherFields([DropFolder.Sample(sample)])))
            .ToDictionary(field => field.VariableName, field => field.Values);
        string[] datasets = Enumerable.Range(0, 8)
            .Select(i => $"concurrent-{i}-{Guid.NewGuid():N}"[..24])
            .ToArray();

        // Each dataset takes the three files in its own order, so at any moment different files are decoding.
        await Task.WhenAll(datasets.Select(async (dataset, i) =>
        {
            var grain = fixture.Grains.GetGrain<IDatasetGrain>(dataset);
            for (int k = 0; k < samples.Length; k++)
            {
                string path = DropFolder.Sample(samples[(i + k) % samples.Length]);
                IngestReport report = await grain.Ingest(new IngestRequest([path]));
                Assert.Empty(report.Failures);
            }
        }));

        foreach (string dataset in datasets)
        {
            var summary = await fixture.Grains.GetGrain<IDatasetGrain>(dataset).Describe();
            Assert.Equal(3, summary.Variables.Count);
            foreach (var variable in summary.Variables)
            {
                float[] stored = GriddedFieldStore.Read(variable.StoragePath).Values;
                Assert.True(
                    MemoryMarshal.AsBytes(plain[variable.Name].AsSpan()).SequenceEqual(
                        MemoryMarshal.AsBytes(stored.AsSpan())),
                    $"dataset {dataset}, '{variable.Name}': stored values differ from a plain read");
            }
        }
    }
}
