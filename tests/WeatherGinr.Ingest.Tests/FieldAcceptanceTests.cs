using WeatherGinr.Ingest.Tests.TestSupport;

namespace WeatherGinr.Ingest.Tests;

/// <summary>
/// Files whose values no weather can have (wrong units, an undeclared fill value, percent labelled as a
/// fraction) are refused after decoding to canonical units, and inspect reports the same sentence.
/// Each file is 2 steps x 3 rows x 4 columns, built with ncgen.
/// </summary>
public sealed class FieldAcceptanceTests
{
    [Theory]
    [InlineData("neg_kelvin", "tas", "air_temperature", "K", "-50", "24 of 24", "worst: -50 K",
        "degrees Celsius or Fahrenheit labelled as kelvin")]
    [InlineData("degc_as_k", "tas", "air_temperature", "K", "15", "24 of 24", "worst: 15 K",
        "degrees Celsius or Fahrenheit labelled as kelvin")]
    [InlineData("huge_wind", "uas", "eastward_wind", "m s-1", "1e30", "24 of 24", "worst: 1E+30 m s-1",
        "fill value the file does not declare")]
    [InlineData("cloud_percent_as_fraction", "tcc", "cloud_area_fraction", "1", "70", "24 of 24", "worst: 70;",
        "percent labelled as a fraction; set units = \"%\"")]
    [InlineData("one_spike", "vas", "northward_wind", "m s-1", "SPIKE", "1 of 24", "worst: 3E+38 m s-1",
        "fill value the file does not declare")]
    [InlineData("knots_too_fast", "uas", "eastward_wind", "knots", "400", "24 of 24", "worst: 205.778 m s-1",
        "check the units attribute")]
    public void Values_outside_the_physical_range_refuse_the_file_naming_count_worst_range_and_cause(
        string name, string variable, string standardName, string units, string value, string count,
        string worst, string cause)
    {
        var path = CdlFile.Create("implausible-" + name, SmallFile(variable, standardName, units, value));

        var field = Assert.Single(WeatherFieldReader.ReadWeatherFields([path]));
        var refusal = FieldAcceptance.Refusal(field, path);

        Assert.NotNull(refusal);
        Assert.StartsWith($"variable '{variable}' in '{path}': has {count} valid values outside", refusal,
            StringComparison.Ordinal);
        Assert.Contains(worst, refusal, StringComparison.Ordinal);
        Assert.Contains(cause, refusal, StringComparison.Ordinal);
        var (minimum, maximum) = FieldAcceptance.PhysicalRange(field.Quantity);
        var range = field.Quantity == WeatherQuantity.CloudAreaFraction
            ? "0 .. 1 (a fraction"
            : $"{minimum} .. {maximum} {field.CanonicalUnits}";
        Assert.Contains(range, refusal, StringComparison.Ordinal);

        // inspect predicts what ingest refuses, in the same words.
        Assert.Equal([refusal], NetCdfInspector.Inspect(path).Problems);
    }

    [Theory]
    [InlineData("tas", "air_temperature", "K", "150")]
    [InlineData("tas", "air_temperature", "K", "350")]
    [InlineData("tas", "air_temperature", "degC", "-89.2")]
    [InlineData("tas", "air_temperature", "degF", "134")]
    [InlineData("uas", "eastward_wind", "m s-1", "-200")]
    [InlineData("tcc", "cloud_area_fraction", "1", "1.0005")]
    [InlineData("tcc", "cloud_area_fraction", "%", "100")]
    public void Values_at_the_edges_of_the_range_after_conversion_to_canonical_units_are_accepted(
        string variable, string standardName, string units, string value)
    {
        var path = CdlFile.Create($"plausible-{variable}-{units.Replace(' ', '_')}-{value}",
            SmallFile(variable, standardName, units, value));

        var field = Assert.Single(WeatherFieldReader.ReadWeatherFields([path]));

        Assert.Null(FieldAcceptance.Refusal(field, path));
        Assert.Empty(NetCdfInspector.Inspect(path).Problems);
    }

    [Theory]
    [InlineData("tcc", "cloud_area_fraction", "1", "1.002", "worst: 1.002;")]
    [InlineData("tcc", "cloud_area_fraction", "1", "-0.002", "worst: -0.002;")]
    [InlineData("tas", "air_temperature", "degC", "80", "worst: 353.15 K")]
    public void Values_just_past_the_range_are_refused(
        string variable, string standardName, string units, string value, string worst)
    {
        var path = CdlFile.Create($"just-past-{variable}-{value}", SmallFile(variable, standardName, units, value));

        var field = Assert.Single(WeatherFieldReader.ReadWeatherFields([path]));

        Assert.Contains(worst, FieldAcceptance.Refusal(field, path), StringComparison.Ordinal);
    }

    /// <summary>
    /// Every value <paramref name="value"/>; "SPIKE" gives plausible values 0..23 but 3e38 at the sixth,
    /// like a float fill value the file does not declare.
    /// </summary>
    private static string SmallFile(string name, string standardName, string units, string value)
    {
        var values = value == "SPIKE"
            ? Enumerable.Range(0, 24).Select(i => i == 5 ? "3e38" : $"{i}")
            : Enumerable.Repeat(value, 24);
        return $$"""
            netcdf {{name}} {
            dimensions: time = 2 ; lat = 3 ; lon = 4 ;
            variables:
              double time(time) ; time:units = "days since 2005-01-01" ;
              float lat(lat) ; lat:units = "degrees_north" ;
              float lon(lon) ; lon:units = "degrees_east" ;
              float {{name}}(time, lat, lon) ; {{name}}:units = "{{units}}" ;
                {{name}}:standard_name = "{{standardName}}" ;
            data:
              time = 15, 45 ; lat = -10, 0, 10 ; lon = 0, 90, 180, 270 ;
              {{name}} = {{string.Join(", ", values)}} ;
            }
            """;
    }
}
