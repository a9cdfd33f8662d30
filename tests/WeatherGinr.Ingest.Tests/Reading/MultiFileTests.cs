using WeatherGinr.Ingest.Reading;
using WeatherGinr.Ingest.Tests.TestSupport;

namespace WeatherGinr.Ingest.Tests.Reading;

/// <summary>One dataset spread over files: by variable, by time, and the errors when they disagree.</summary>
public sealed class MultiFileTests
{
    private static string TemperatureFile(string name, string times, double offset, string lat = "-10, 0, 10") =>
        CdlFile.Create(name, SmallGrid.Cdl(
            "float tas(time, lat, lon) ; tas:units = \"K\" ;", $"tas = {SmallGrid.Sequence(offset)} ;",
            timeData: $"time = {times} ;").Replace("lat = -10, 0, 10 ;", $"lat = {lat} ;", StringComparison.Ordinal));

    [Fact]
    public void Cmip5_tas_uas_vas_files_combine_into_three_fields_on_one_grid()
    {
        var fields = WeatherFieldReader.ReadWeatherFields([
            SampleData.PathOf("vas_rectilinear_grid_2D.nc"),
            SampleData.PathOf("tas_rectilinear_grid_2D.nc"),
            SampleData.PathOf("uas_rectilinear_grid_2D.nc")]);

        Assert.Equal([WeatherQuantity.EastwardWind, WeatherQuantity.NorthwardWind, WeatherQuantity.AirTemperature],
            fields.Select(f => f.Quantity));
        Assert.All(fields, f => Assert.Equal((12, 96, 192), (f.TimeCount, f.LatitudeCount, f.LongitudeCount)));
        Assert.All(fields, f => Assert.Equal(fields[0].TimesUtc, f.TimesUtc));
        Assert.Equal(["uas", "vas", "tas"], fields.Select(f => f.VariableName));
    }

    [Fact]
    public void Files_each_within_the_per_field_limit_are_refused_when_together_they_exceed_it()
    {
        // The limit is 2^28 values (1 GiB of floats); at that size a test would allocate gigabytes, so the same
        // merge runs with a limit of 50 values: two 3 x 3 grids of 3 steps each make 54.
        static FileField Piece(string path, int firstDay) => new(path, "tas", WeatherQuantity.AirTemperature,
            [-10, 0, 10], [0, 120, 240],
            Enumerable.Range(firstDay, 3).Select(d => DateTimeOffset.UnixEpoch.AddDays(d)).ToArray(),
            new float[27], "K", UnitsInferred: false);

        var merged = FieldMerger.Merge([Piece("/d/a.nc", 0), Piece("/d/b.nc", 3)], maxValues: 54);
        var error = Assert.Throws<IngestException>(
            () => FieldMerger.Merge([Piece("/d/a.nc", 0), Piece("/d/b.nc", 3)], maxValues: 50));

        Assert.Equal(6, merged.TimeCount);
        Assert.Equal("variable 'tas' in '/d/b.nc': would make 'tas' hold 6 steps of 3 x 3 values with the 1 other " +
            "file(s) of it, more than the limit of 50 per field; start another dataset for more steps", error.Message);
    }

    [Fact]
    public void Time_split_across_files_is_joined_in_time_order_and_identical_overlap_kept_once()
    {
        var later = TemperatureFile("split_later", "12, 18", 200);
        var earlier = TemperatureFile("split_earlier", "0, 6", 200);
        var repeat = TemperatureFile("split_repeat", "0, 6", 200);

        var field = SmallGrid.ReadSingle(later);
        var joined = Assert.Single(WeatherFieldReader.ReadWeatherFields([later, earlier, repeat]));

        Assert.Equal(4, joined.TimeCount);
        Assert.Equal([0, 6, 12, 18], joined.TimesUtc.Select(t => (t - joined.TimesUtc[0]).TotalHours));
        Assert.Equal(field.Values, joined.Values[24..]);
        Assert.Equal(2, joined.SourceFiles.Count);
    }

    [Fact]
    public void Overlapping_times_with_different_values_are_an_error()
    {
        var first = TemperatureFile("overlap_a", "0, 6", 200);
        var second = TemperatureFile("overlap_b", "6, 12", 201);

        var error = Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([first, second]));

        Assert.Contains("different values", error.Message, StringComparison.Ordinal);
        Assert.Contains("overlap_", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_file_with_two_different_steps_at_one_time_says_so_instead_of_naming_itself_as_the_other()
    {
        // SmallGrid.Sequence(offset) gives every step different values; both steps are at hour 6.
        var file = TemperatureFile("repeated_time", "6, 6", 200);

        var error = Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([file]));

        Assert.Contains("has two steps at", error.Message, StringComparison.Ordinal);
        Assert.Contains("indices 0 and 1 of its time axis", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("also has", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Different_grids_are_an_error()
    {
        var first = TemperatureFile("grid_a", "0, 6", 200);
        var second = TemperatureFile("grid_b", "12, 18", 200, lat: "-20, 0, 20");

        var error = Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([first, second]));

        Assert.Contains("grid", error.Message, StringComparison.Ordinal);
        Assert.Equal(second, error.FilePath);
    }
}
