using WeatherGinr.Ingest.Tests.TestSupport;

namespace WeatherGinr.Ingest.Tests.Reading;

/// <summary>
/// libnetcdf is not thread-safe; the reader serialises calls, so parallel reads agree with serial ones.
/// </summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public void Parallel_reads_give_the_same_values_as_serial_reads()
    {
        string[] files = ["tas_rectilinear_grid_2D.nc", "uas_rectilinear_grid_2D.nc", "cdo_synth_uvtc.nc",
            "ncep_flx_2006040100_u10_v10_t2m_tcc.nc"];
        var paths = files.Select(SampleData.PathOf).ToArray();
        var serial = paths.Select(p => WeatherFieldReader.ReadWeatherFields([p])).ToArray();

        var parallel = new IReadOnlyList<GriddedField>[paths.Length * 3];
        Parallel.For(0, parallel.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            index => parallel[index] = WeatherFieldReader.ReadWeatherFields([paths[index % paths.Length]]));

        for (var index = 0; index < parallel.Length; index++)
        {
            var expected = serial[index % paths.Length];
            Assert.Equal(expected.Count, parallel[index].Count);
            for (var field = 0; field < expected.Count; field++)
            {
                Assert.Equal(expected[field].Values, parallel[index][field].Values);
            }
        }
    }
}
