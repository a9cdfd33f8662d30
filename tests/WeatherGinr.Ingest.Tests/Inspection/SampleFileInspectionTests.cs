using System.Text.Json;
using WeatherGinr.Ingest.Tests.TestSupport;

namespace WeatherGinr.Ingest.Tests.Inspection;

/// <summary>
/// Inspection of every sample file against ncdump: valid and missing counts (ncdump prints the
/// _FillValue, or the type's default fill when none is declared, as "_"; in these files
/// missing_value equals _FillValue), and min/max/mean of the raw values (none is packed), plus
/// the time axis against <c>ncdump -t</c>.
/// </summary>
public sealed class SampleFileInspectionTests
{
    public static TheoryData<string> Files => new(SampleData.AllFiles().Select(Path.GetFileName).OfType<string>());

    [Theory]
    [MemberData(nameof(Files))]
    public void Counts_and_statistics_match_ncdump(string fileName)
    {
        var path = SampleData.PathOf(fileName);

        var inspection = NetCdfInspector.Inspect(path);

        Assert.NotEmpty(inspection.Variables);
        foreach (var variable in inspection.Variables)
        {
            var raw = NcDump.RawValues(path, variable.Name);
            var valid = raw.Where(v => !double.IsNaN(v)).ToArray();
            Assert.Equal(raw.Length - valid.Length, variable.MissingCount);
            Assert.Equal(valid.Length, variable.ValidCount);
            if (valid.Length == 0)
            {
                Assert.Null(variable.Mean);
                continue;
            }

            // ncdump -p 9 prints floats to 9 significant digits: exact for float32.
            Assert.Equal((float)valid.Min(), (float)variable.Minimum!.Value);
            Assert.Equal((float)valid.Max(), (float)variable.Maximum!.Value);
            var scale = Math.Max(1, valid.Max(Math.Abs));
            Assert.True(Math.Abs(valid.Average() - variable.Mean!.Value) <= 1e-9 * scale,
                $"{variable.Name}: mean {variable.Mean} vs ncdump {valid.Average()}");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Json_round_trips_with_the_documented_property_names(string fileName)
    {
        var inspection = NetCdfInspector.Inspect(SampleData.PathOf(fileName));

        var json = NetCdfInspector.ToJson(inspection);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;

        Assert.Equal(inspection.Format, root.GetProperty("format").GetString());
        Assert.True(root.TryGetProperty("time", out _));
        Assert.True(root.TryGetProperty("latitude", out _));
        Assert.True(root.TryGetProperty("longitude", out _));
        Assert.True(root.TryGetProperty("problems", out _));
        var first = root.GetProperty("variables")[0];
        foreach (var name in new[] { "name", "standardName", "units", "quantity", "canonicalUnits", "note",
            "dimensions", "validCount", "missingCount", "minimum", "maximum", "mean" })
        {
            Assert.True(first.TryGetProperty(name, out _), $"property {name} missing in {json[..200]}");
        }

        var back = JsonSerializer.Deserialize<FileInspection>(json, NetCdfInspector.JsonOptions)!;
        Assert.Equal(inspection.Variables.Count, back.Variables.Count);
        Assert.Equal(inspection.Time?.First, back.Time?.First);
    }

    [Fact]
    public void Ncep_file_maps_its_four_variables_and_reports_a_descending_gaussian_latitude()
    {
        var inspection = NetCdfInspector.Inspect(SampleData.PathOf("ncep_flx_2006040100_u10_v10_t2m_tcc.nc"));

        Assert.Equal("64bit_offset", inspection.Format);
        Assert.False(inspection.Latitude!.Ascending);
        Assert.Equal(94, inspection.Latitude.Count);
        Assert.Equal(-88.5419501372975, inspection.Latitude.MinimumDegrees, 12);
        Assert.Equal(-180, inspection.Longitude!.MinimumDegrees, 9);
        Assert.Equal(178.125, inspection.Longitude.MaximumDegrees, 9);
        // The name says 2006040100, but the file holds time = 0 "hours since 2006-3-31 00:00:00"
        // (ncdump -t: "2006-03-31"); the file is what counts.
        Assert.Equal(new DateTimeOffset(2006, 3, 31, 0, 0, 0, TimeSpan.Zero), inspection.Time!.First);
        Assert.Equal(1, inspection.Time.Count);
        var tcc = inspection.Variables.Single(v => v.Name == "tcc");
        Assert.Equal(WeatherQuantity.CloudAreaFraction, tcc.Quantity);
        Assert.Equal("1", tcc.CanonicalUnits);
        Assert.Equal("%", tcc.Units);
        Assert.Empty(inspection.Problems);
    }

    [Fact]
    public void Unmapped_variables_say_why()
    {
        var inspection = NetCdfInspector.Inspect(SampleData.PathOf("coads_climatology.cdf"));

        var sst = inspection.Variables.Single(v => v.Name == "SST");
        Assert.Null(sst.Quantity);
        Assert.Contains("not a wind, temperature or cloud", sst.Note, StringComparison.Ordinal);
        var airt = inspection.Variables.Single(v => v.Name == "AIRT");
        Assert.Equal(WeatherQuantity.AirTemperature, airt.Quantity);
        Assert.Equal("K", airt.CanonicalUnits);
        Assert.Equal("DEG C", airt.Units);
    }

    [Theory]
    [InlineData("-120, 0, 120", "0, 90, 180, 270", "has latitude -120 outside -90..90")]
    [InlineData("0, 0, 0", "0, 90, 180, 270", "latitudes that are not strictly monotonic")]
    [InlineData("-10, 0, 10", "0, 90, 90, 270", "longitudes that are not strictly monotonic")]
    public void Coordinates_that_ingestion_refuses_are_described_and_reported_as_problems(string latitudes,
        string longitudes, string expected)
    {
        var path = CdlFile.Create("bad-coordinates-" + Math.Abs(expected.GetHashCode(StringComparison.Ordinal)), $$"""
            netcdf bad {
            dimensions: time = 1 ; lat = 3 ; lon = 4 ;
            variables:
              double time(time) ; time:units = "days since 2005-01-01" ;
              float lat(lat) ; lat:units = "degrees_north" ;
              float lon(lon) ; lon:units = "degrees_east" ;
              float tas(time, lat, lon) ; tas:units = "K" ;
            data:
              time = 0 ; lat = {{latitudes}} ; lon = {{longitudes}} ;
              tas = 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 ;
            }
            """);

        var inspection = NetCdfInspector.Inspect(path);

        Assert.NotNull(inspection.Latitude);
        Assert.NotNull(inspection.Longitude);
        var problem = Assert.Single(inspection.Problems, p => p.Contains(expected, StringComparison.Ordinal));
        Assert.Contains(path, problem, StringComparison.Ordinal);
        var refusal = Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([path]));
        Assert.Contains(expected, refusal.Message, StringComparison.Ordinal);
        var axis = expected.Contains("longitudes", StringComparison.Ordinal) ? inspection.Longitude
            : inspection.Latitude;
        Assert.Equal(expected.Contains("monotonic", StringComparison.Ordinal),
            !axis!.Monotonic && !axis.Ascending); // 0, 90, 90, 270 ends higher but does not ascend
    }
}
