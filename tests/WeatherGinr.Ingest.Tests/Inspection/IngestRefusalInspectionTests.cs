using WeatherGinr.Ingest.Tests.TestSupport;

namespace WeatherGinr.Ingest.Tests.Inspection;

/// <summary>
/// Files that open, whose coordinates and time axis look fine, but that ingestion refuses once it decodes
/// them: inspect lists ingestion's own refusal as the file's problem, in the same words.
/// </summary>
public sealed class IngestRefusalInspectionTests
{
    [Theory]
    [InlineData("three_levels", "has dimension 'lev' of length 3 besides latitude, longitude and time")]
    [InlineData("all_fill", "has no valid value: all 24 values are missing")]
    [InlineData("time_twice", "has two steps at 2005-01-02T00:00:00.0000000+00:00 (indices 1 and 2 of its time axis) "
        + "with different values")]
    public void Inspect_reports_what_ingest_refuses_in_the_same_words(string name, string expected)
    {
        var path = CdlFile.Create("refused-" + name, name switch
        {
            "three_levels" => Cdl(name, levels: 3, times: "0", values: Numbers(280, 36)),
            "all_fill" => Cdl(name, levels: 1, times: "0, 1", values: string.Join(", ", Enumerable.Repeat("_", 24))),
            _ => Cdl(name, levels: 1, times: "0, 1, 1", values: Numbers(280, 36)),
        });

        var refusal = IngestRefusal(path);
        var inspection = NetCdfInspector.Inspect(path);

        Assert.Contains(expected, refusal, StringComparison.Ordinal);
        Assert.StartsWith($"variable 'tas' in '{path}'", refusal, StringComparison.Ordinal);
        Assert.Equal([refusal], inspection.Problems);
        Assert.Equal(WeatherQuantity.AirTemperature, inspection.Variables.Single(v => v.Name == "tas").Quantity);
    }

    /// <summary>What the dataset grain would say: the decode's exception, else the acceptance refusal.</summary>
    private static string IngestRefusal(string path)
    {
        try
        {
            var field = Assert.Single(WeatherFieldReader.ReadWeatherFields([path]));
            return FieldAcceptance.Refusal(field, path) ?? throw new InvalidOperationException("ingest accepts it");
        }
        catch (IngestException e)
        {
            return e.Message;
        }
    }

    private static string Numbers(int first, int count) => string.Join(", ", Enumerable.Range(first, count));

    /// <summary>tas(time, lev, lat, lon) on 3 x 4 points; lev has no coordinate variable.</summary>
    private static string Cdl(string name, int levels, string times, string values) => $$"""
        netcdf {{name}} {
        dimensions: time = UNLIMITED ; lev = {{levels}} ; lat = 3 ; lon = 4 ;
        variables:
          double time(time) ; time:units = "days since 2005-01-01" ;
          float lat(lat) ; lat:units = "degrees_north" ;
          float lon(lon) ; lon:units = "degrees_east" ;
          float tas(time, lev, lat, lon) ; tas:units = "K" ; tas:_FillValue = -999.f ;
        data:
          time = {{times}} ; lat = -10, 0, 10 ; lon = 0, 90, 180, 270 ;
          tas = {{values}} ;
        }
        """;
}
