using WeatherGinr.Ingest.Tests.TestSupport;

namespace WeatherGinr.Ingest.Tests.Reading;

/// <summary>File formats, dimension orders, coordinate discovery and longitude conventions.</summary>
public sealed class LayoutAndFormatTests
{
    private static void AssertSequence(GriddedField field, double offset = 0, double scale = 1)
    {
        Assert.Equal([-10.0, 0.0, 10.0], field.LatitudesDegrees);
        Assert.Equal([-180.0, -90.0, 0.0, 90.0], field.LongitudesDegrees);
        for (var step = 0; step < field.TimeCount; step++)
        {
            for (var row = 0; row < 3; row++)
            {
                for (var column = 0; column < 4; column++)
                {
                    var expected = (float)(SmallGrid.Expected(step, row, column, offset) * scale);
                    Assert.Equal(expected, field[step, row, column]);
                }
            }
        }
    }

    [Theory]
    [InlineData("classic")]
    [InlineData("64-bit offset")]
    [InlineData("cdf5")]
    [InlineData("nc4")]
    [InlineData("nc7")]
    public void Every_format_reads_the_same_values(string kind)
    {
        var path = CdlFile.Create("format_" + kind.Replace(' ', '_'), SmallGrid.Cdl(
            "float t2m(time, lat, lon) ; t2m:units = \"K\" ;", $"t2m = {SmallGrid.Sequence(200)} ;"), kind);

        AssertSequence(SmallGrid.ReadSingle(path), 200);
        Assert.Equal(kind switch
        {
            "classic" => "classic",
            "64-bit offset" => "64bit_offset",
            "cdf5" => "cdf5",
            "nc4" => "netcdf4",
            _ => "netcdf4_classic",
        }, NetCdfInspector.Inspect(path).Format);
    }

    [Fact]
    public void Deflated_chunked_netcdf4_with_unsigned_and_64_bit_types_reads()
    {
        var path = CdlFile.Create("nc4_deflate", SmallGrid.Cdl(
            "ushort tcc(time, lat, lon) ; tcc:units = \"1\" ; tcc:scale_factor = 0.001 ; tcc:_DeflateLevel = 5 ; "
            + "tcc:_ChunkSizes = 1, 3, 4 ; tcc:_Shuffle = \"true\" ; tcc:_FillValue = 65535US ;",
            $"tcc = {SmallGrid.Sequence(600)} ;",
            timeDeclaration: "int64 time(time) ; time:units = \"hours since 2000-01-01\" ;"), "nc4");

        AssertSequence(SmallGrid.ReadSingle(path), 600, 0.001);
    }

    [Fact]
    public void Variable_in_a_nested_netcdf4_group_is_found()
    {
        var path = CdlFile.Create("nc4_groups", """
            netcdf groups {
            group: forecast {
              group: surface {
                dimensions: lat = 2 ; lon = 2 ;
                variables:
                  double lat(lat) ; lat:units = "degrees_north" ;
                  double lon(lon) ; lon:units = "degrees_east" ;
                  float tas(lat, lon) ; tas:units = "degC" ;
                data: lat = 0, 1 ; lon = 10, 11 ; tas = 1, 2, 3, 4 ;
              }
            }
            }
            """, "nc4");

        var field = SmallGrid.ReadSingle(path);

        Assert.Equal("tas", field.VariableName);
        Assert.Equal([274.15f, 275.15f, 276.15f, 277.15f], field.Values);
    }

    [Fact]
    public void Lon_lat_dimension_order_with_digit_name_and_singleton_level()
    {
        // 2t(time, height=1, lon, lat): values v = 10 * lonIndex + latIndex in file order.
        var path = CdlFile.Create("lon_lat_order", """
            netcdf lon_lat_order {
            dimensions: time = 1 ; height = 1 ; lon = 3 ; lat = 2 ;
            variables:
              double time(time) ; time:units = "days since 2000-01-01" ;
              double height(height) ; height:units = "m" ; height:positive = "up" ;
              double lon(lon) ; lon:standard_name = "longitude" ;
              double lat(lat) ; lat:axis = "Y" ;
              float \2t(time, height, lon, lat) ; \2t:units = "K" ;
            data: time = 0 ; height = 2 ; lon = 0, 120, 240 ; lat = 30, -30 ;
              \2t = 200, 201, 210, 211, 220, 221 ;
            }
            """);

        var field = SmallGrid.ReadSingle(path);

        Assert.Equal("2t", field.VariableName);
        Assert.Equal([-30.0, 30.0], field.LatitudesDegrees);
        Assert.Equal([-120.0, 0.0, 120.0], field.LongitudesDegrees);

        // Row -30 is file lat index 1; column -120 is file lon index 2 (240).
        Assert.Equal([221f, 201f, 211f, 220f, 200f, 210f], field.Values);
    }

    [Fact]
    public void Non_singleton_extra_dimension_is_an_error_naming_it()
    {
        var path = CdlFile.Create("two_levels", """
            netcdf two_levels {
            dimensions: lev = 2 ; lat = 1 ; lon = 2 ;
            variables:
              double lev(lev) ; lev:axis = "Z" ;
              double lat(lat) ; lat:units = "degrees_north" ;
              double lon(lon) ; lon:units = "degrees_east" ;
              float ta(lev, lat, lon) ; ta:standard_name = "air_temperature" ; ta:units = "K" ;
            data: lev = 1000, 850 ; lat = 0 ; lon = 0, 1 ; ta = 1, 2, 3, 4 ;
            }
            """);

        var error = Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([path]));

        Assert.Equal("ta", error.VariableName);
        Assert.Contains("'lev'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Longitudes_past_360_and_a_duplicated_wrap_column_are_normalised()
    {
        // Columns 0, 90, 180, 270, 360 (360 duplicates 0 and is dropped); a second file runs
        // 90..450 (so 360, 450 come back as 0, 90).
        var duplicated = CdlFile.Create("wrap_column", """
            netcdf wrap_column {
            dimensions: lat = 1 ; lon = 5 ;
            variables:
              double lat(lat) ; lat:units = "degrees_north" ;
              double lon(lon) ; lon:units = "degrees_east" ;
              float tas(lat, lon) ; tas:units = "K" ;
            data: lat = 0 ; lon = 0, 90, 180, 270, 360 ; tas = 1, 2, 3, 4, 1 ;
            }
            """);
        var past360 = CdlFile.Create("past_360", """
            netcdf past_360 {
            dimensions: lat = 1 ; lon = 4 ;
            variables:
              double lat(lat) ; lat:units = "degrees_north" ;
              double lon(lon) ; lon:units = "degrees_east" ;
              float tas(lat, lon) ; tas:units = "K" ;
            data: lat = 0 ; lon = 180, 270, 360, 450 ; tas = 3, 4, 1, 2 ;
            }
            """);

        var first = SmallGrid.ReadSingle(duplicated);
        var second = SmallGrid.ReadSingle(past360);

        Assert.Equal([-180.0, -90.0, 0.0, 90.0], first.LongitudesDegrees);
        Assert.Equal([3f, 4f, 1f, 2f], first.Values);
        Assert.Equal(first.LongitudesDegrees, second.LongitudesDegrees);
        Assert.Equal(first.Values, second.Values);
        Assert.True(first.IsGlobalInLongitude);
    }

    [Theory]
    [InlineData("float", "")] // decoded as float32 in place
    [InlineData("short", "tas:scale_factor = 0.5f ; tas:add_offset = 200.f ;")] // packed: decoded through double
    public void A_wrap_column_with_other_values_than_the_column_it_repeats_is_refused_not_dropped(string type,
        string packing)
    {
        // 360 repeats 0; its value (300 K) is not the 0 column's (280 K). Before, one of them was lost silently.
        var (zero, other) = type == "short" ? (160, 200) : (280, 300);
        var path = CdlFile.Create("wrap_other_" + type, $$"""
            netcdf wrap_other {
            dimensions: time = 1 ; lat = 2 ; lon = 5 ;
            variables:
              double time(time) ; time:units = "days since 2005-01-01" ;
              double lat(lat) ; lat:units = "degrees_north" ;
              double lon(lon) ; lon:units = "degrees_east" ;
              {{type}} tas(time, lat, lon) ; tas:units = "K" ; {{packing}}
            data: time = 0 ; lat = -10, 10 ; lon = 0, 90, 180, 270, 360 ;
              tas = {{string.Join(", ", Enumerable.Repeat(zero, 9))}}, {{other}} ;
            }
            """);

        var refusal = Assert.Throws<IngestException>(() => SmallGrid.ReadSingle(path));

        Assert.Equal($"variable 'tas' in '{path}': repeats longitude 0 as 360 (the same meridian) with other " +
            "values: 280 and 300 at 2005-01-01 00:00 UTC, row 1; remove one of the two columns", refusal.Message);
    }

    [Fact]
    public void Coads_longitudes_21_to_379_become_a_sorted_global_axis()
    {
        var field = WeatherFieldReader.ReadWeatherFields([SampleData.PathOf("coads_climatology.cdf")])
            .Single(f => f.Quantity == WeatherQuantity.AirTemperature);

        Assert.Equal(180, field.LongitudeCount);
        Assert.Equal(-179, field.LongitudesDegrees[0], 9);
        Assert.Equal(179, field.LongitudesDegrees[^1], 9);
        Assert.True(field.IsGlobalInLongitude);
    }
}
