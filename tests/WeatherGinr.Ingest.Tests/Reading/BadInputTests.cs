using WeatherGinr.Ingest.Tests.TestSupport;

namespace WeatherGinr.Ingest.Tests.Reading;

/// <summary>Input that is not readable weather data ends in an IngestException naming the file.</summary>
public sealed class BadInputTests
{
    [Fact]
    public void Missing_file()
    {
        var path = CdlFile.TempPath("does_not_exist.nc");

        var error = Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([path]));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_file_renamed_nc_carries_the_library_message()
    {
        var path = CdlFile.TempPath("text.nc");
        File.WriteAllText(path, "this is a weather report, not a NetCDF file\n");

        var error = Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([path]));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("NetCDF: Unknown file format", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.NativeStatus);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.999)]
    [InlineData(0.0005)]
    public void Truncated_file(double keptFraction)
    {
        var source = SampleData.PathOf("tas_rectilinear_grid_2D.nc");
        var bytes = File.ReadAllBytes(source);
        var path = CdlFile.TempPath($"truncated_{keptFraction}.nc");
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * keptFraction)]);

        var error = Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([path]));

        Assert.Equal(path, error.FilePath);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("looks truncated (not a complete netCDF file)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("classic", 120, "its header runs past the end of the file (120 bytes)")]
    [InlineData("64-bit offset", 200, "its header runs past the end of the file (200 bytes)")]
    [InlineData("nc4", 2000, "its HDF5 superblock places the end of the file at byte")]
    [InlineData("nc4", 30, "the file ends inside its HDF5 superblock (30 bytes)")]
    public void A_file_cut_short_before_libnetcdf_can_open_it_says_it_looks_truncated_and_keeps_the_library_message(
        string kind, int keptBytes, string expectedDetail)
    {
        // libnetcdf alone says "NetCDF: Invalid argument" (classic) or "NetCDF: HDF error" (netCDF-4) here.
        var complete = CdlFile.Create($"cut_{kind.Replace(' ', '_')}", SmallGrid.Cdl(
            "float t2m(time, lat, lon) ; t2m:units = \"K\" ; t2m:long_name = \"2 metre temperature\" ;",
            $"t2m = {SmallGrid.Sequence(200)} ;"), kind);
        var path = CdlFile.TempPath($"cut_{kind.Replace(' ', '_')}_{keptBytes}.nc");
        File.WriteAllBytes(path, File.ReadAllBytes(complete)[..keptBytes]);

        var read = Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([path]));
        var inspected = Assert.Throws<IngestException>(() => NetCdfInspector.Inspect(path));

        foreach (var error in new[] { read, inspected })
        {
            Assert.Equal(path, error.FilePath);
            Assert.StartsWith($"'{path}': looks truncated (not a complete netCDF file): ", error.Message,
                StringComparison.Ordinal);
            Assert.Contains(expectedDetail, error.Message, StringComparison.Ordinal);
            Assert.Contains("(libnetcdf: NetCDF: ", error.Message, StringComparison.Ordinal);
            Assert.NotNull(error.NativeStatus);
        }
    }

    [Fact]
    public void Netcdf_without_a_recognisable_variable()
    {
        var path = CdlFile.Create("no_weather", """
            netcdf no_weather {
            dimensions: lat = 1 ; lon = 2 ;
            variables:
              double lat(lat) ; lat:units = "degrees_north" ;
              double lon(lon) ; lon:units = "degrees_east" ;
              float SST(lat, lon) ; SST:units = "degC" ;
            data: lat = 0 ; lon = 0, 1 ; SST = 1, 2 ;
            }
            """);

        var error = Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([path]));

        Assert.Equal(path, error.FilePath);
        Assert.Contains("no recognisable", error.Message, StringComparison.Ordinal);
        Assert.Contains("SST", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Absurd_dimension_lengths_are_refused_before_allocating()
    {
        // A small classic file whose header is patched to declare 2^31 - 1 longitudes: the
        // header is untrusted, so the reader refuses it instead of allocating or reading.
        var small = CdlFile.Create("huge_source", """
            netcdf huge_source {
            dimensions: lat = 2 ; lon = 12345 ;
            variables:
              float lat(lat) ; lat:units = "degrees_north" ;
              float lon(lon) ; lon:units = "degrees_east" ;
              float tas(lat, lon) ; tas:units = "K" ;
            }
            """);
        var bytes = File.ReadAllBytes(small);
        var marker = new byte[] { 0, 0, 0x30, 0x39 };
        var at = bytes.AsSpan().IndexOf(marker);
        Assert.True(at > 0);
        new byte[] { 0x7F, 0xFF, 0xFF, 0xFF }.CopyTo(bytes, at);
        var path = CdlFile.TempPath("huge.nc");
        File.WriteAllBytes(path, bytes);

        var error = Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([path]));

        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void Inspect_of_a_missing_file_throws_naming_it()
    {
        var path = CdlFile.TempPath("nothing_here.nc");

        var error = Assert.Throws<IngestException>(() => NetCdfInspector.Inspect(path));

        Assert.Equal(path, error.FilePath);
    }

    [Theory]
    [InlineData("lat_radians", "float lat(lat) ; lat:units = \"radians\" ;",
        "no latitude was recognised", "coordinate 'lat' has units 'radians', which are not degrees; "
        + "convert its values to degrees and set units = \"degrees_north\"")]
    [InlineData("lat_without_coordinate", "",
        "no latitude was recognised", "dimension 'lat' has no coordinate variable")]
    [InlineData("lat_in_metres", "float lat(lat) ; lat:units = \"m\" ;",
        "no latitude was recognised", "coordinate 'lat' has units 'm', which are not degrees_north")]
    public void A_latitude_that_is_not_recognised_is_named_with_its_reason_not_taken_for_an_extra_dimension(
        string name, string latitudeDeclaration, string missing, string reason)
    {
        var latitudeData = latitudeDeclaration.Length == 0 ? string.Empty : "lat = -0.5, 0, 0.5 ;";
        var path = CdlFile.Create(name, $$"""
            netcdf {{name}} {
            dimensions: time = UNLIMITED ; lat = 3 ; lon = 4 ;
            variables:
              double time(time) ; time:units = "days since 2005-01-01" ;
              {{latitudeDeclaration}}
              float lon(lon) ; lon:units = "degrees_east" ;
              float tas(time, lat, lon) ; tas:units = "K" ;
            data:
              time = 0 ; {{latitudeData}} lon = 0, 90, 180, 270 ;
              tas = 280, 281, 282, 283, 284, 285, 286, 287, 288, 289, 290, 291 ;
            }
            """);

        var error = Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([path]));

        Assert.StartsWith($"variable 'tas' in '{path}': is not on a latitude-longitude grid: {missing} among its "
            + "dimensions (time, lat, lon): ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("besides latitude", error.Message, StringComparison.Ordinal);

        // inspect says the same: as the variable's note and as the file's problem.
        var inspection = NetCdfInspector.Inspect(path);
        var tas = inspection.Variables.Single(v => v.Name == "tas");
        Assert.Null(tas.Quantity);
        Assert.EndsWith(error.Message[error.Message.IndexOf("is not on", StringComparison.Ordinal)..], tas.Note,
            StringComparison.Ordinal);
        Assert.Equal([error.Message], inspection.Problems);
    }
}
