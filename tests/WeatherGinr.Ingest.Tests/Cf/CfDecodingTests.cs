using WeatherGinr.Ingest.Tests.TestSupport;

namespace WeatherGinr.Ingest.Tests.Cf;

/// <summary>
/// Each CF convention in its own small file written with ncgen; expected values follow from the
/// CF rules by hand (stated beside each test).
/// </summary>
public sealed class CfDecodingTests
{
    [Fact]
    public void Negative_scale_factor_packing_unpacks_and_masks_the_fill()
    {
        // stored s -> T = s * -0.01 + 300 K; -32767 is the fill.
        var path = CdlFile.Create("negative_scale", SmallGrid.Cdl(
            "short tas(time, lat, lon) ; tas:units = \"K\" ; tas:scale_factor = -0.01f ; tas:add_offset = 300.f ; "
            + "tas:_FillValue = -32767s ;",
            "tas = -32767, " + string.Join(", ", Enumerable.Range(1, 23).Select(n => (n * 100).ToString())) + " ;"));

        var field = SmallGrid.ReadSingle(path);

        Assert.Equal(WeatherQuantity.AirTemperature, field.Quantity);
        for (var step = 0; step < 2; step++)
        {
            for (var row = 0; row < 3; row++)
            {
                for (var column = 0; column < 4; column++)
                {
                    var n = (step * 12) + (row * 4) + SmallGrid.ColumnSource[column];
                    var expected = n == 0 ? double.NaN : (float)((n * 100 * (double)-0.01f) + 300.0);
                    Assert.Equal(expected, field[step, row, column]);
                }
            }
        }
    }

    [Fact]
    public void Unsigned_byte_is_read_as_0_to_255_and_its_fill_too()
    {
        // _Unsigned byte: raw -56 is 200, -1 is 255 (= _FillValue -1b); cloud in percent.
        var data = Enumerable.Repeat("-56", 24).ToArray();
        data[5] = "-1";
        data[6] = "100";
        var path = CdlFile.Create("unsigned_byte", SmallGrid.Cdl(
            "byte tcc(time, lat, lon) ; tcc:units = \"%\" ; tcc:_Unsigned = \"true\" ; tcc:_FillValue = -1b ; "
            + "tcc:scale_factor = 0.5f ;",
            $"tcc = {string.Join(", ", data)} ;"));

        var field = SmallGrid.ReadSingle(path);

        // file index 5 = (t0, row 1, file column 1) -> our column 3; index 6 -> file column 2 -> ours 0.
        Assert.True(float.IsNaN(field[0, 1, 3]));
        Assert.Equal((float)(100 * 0.5 / 100), field[0, 1, 0]);
        Assert.Equal((float)(200 * 0.5 / 100), field[0, 0, 0]);
        Assert.Equal(1, field.Values.Count(float.IsNaN));
    }

    [Fact]
    public void Fill_value_and_a_different_missing_value_are_both_missing()
    {
        var data = SmallGrid.Sequence(250).Split(", ");
        data[0] = "-999";
        data[1] = "-888";
        data[2] = "-777";
        var path = CdlFile.Create("fill_vs_missing", SmallGrid.Cdl(
            "float t2m(time, lat, lon) ; t2m:units = \"K\" ; t2m:_FillValue = -999.f ; "
            + "t2m:missing_value = -888.f, -777.f ;",
            $"t2m = {string.Join(", ", data)} ;"));

        var field = SmallGrid.ReadSingle(path);

        Assert.Equal(3, field.Values.Count(float.IsNaN));
        Assert.True(float.IsNaN(field[0, 0, 2]) && float.IsNaN(field[0, 0, 3]) && float.IsNaN(field[0, 0, 0]));
        Assert.Equal((float)SmallGrid.Expected(0, 0, 1, 250), field[0, 0, 1]);
    }

    [Fact]
    public void Packed_integer_with_a_NaN_missing_value_in_unpacked_space_masks_only_the_fill()
    {
        // short, scale 0.1, _FillValue -32767s, missing_value NaNf (unpacked type): -32767 -> NaN,
        // everything else unpacks to s * 0.1 (the NaN attribute matches nothing finite).
        var data = Enumerable.Range(2500, 24).Select(n => n.ToString()).ToArray();
        data[3] = "-32767";
        var path = CdlFile.Create("nan_missing_packed", SmallGrid.Cdl(
            "short t2m(time, lat, lon) ; t2m:units = \"K\" ; t2m:scale_factor = 0.1f ; t2m:_FillValue = -32767s ; "
            + "t2m:missing_value = NaNf ;",
            $"t2m = {string.Join(", ", data)} ;"));

        var field = SmallGrid.ReadSingle(path);

        Assert.Equal(1, field.Values.Count(float.IsNaN));
        Assert.True(float.IsNaN(field[0, 0, 1]));
        Assert.Equal((float)(2500 * (double)0.1f), field[0, 0, 2]);
    }

    [Fact]
    public void Float_with_NaN_fill_and_valid_range_masks_both()
    {
        var data = SmallGrid.Sequence(200).Split(", ");
        data[0] = "NaNf";
        data[1] = "400";
        data[2] = "100";
        var path = CdlFile.Create("nan_fill_valid_range", SmallGrid.Cdl(
            "float t2m(time, lat, lon) ; t2m:units = \"K\" ; t2m:_FillValue = NaNf ; t2m:valid_range = 150.f, 350.f ;",
            $"t2m = {string.Join(", ", data)} ;"));

        var field = SmallGrid.ReadSingle(path);

        Assert.Equal(3, field.Values.Count(float.IsNaN));
    }

    [Theory]
    [InlineData("u10:valid_range = 100.f, -2.f ;", "has valid_range [100, -2]; it must hold two numbers, the smallest "
        + "valid value first")]
    [InlineData("u10:valid_range = -2.f, 50.f, 100.f ;", "has valid_range [-2, 50, 100]; it must hold two numbers, "
        + "the smallest valid value first")]
    [InlineData("u10:valid_min = 100.f ; u10:valid_max = -2.f ;", "has valid_min 100 above valid_max -2; no value "
        + "could be valid")]
    public void A_valid_range_no_value_can_satisfy_is_refused_naming_the_attribute(string attributes, string expected)
    {
        // Taken as given, these masked every value and the file was refused as holding no valid value.
        var path = CdlFile.Create("bad_valid_range", SmallGrid.Cdl(
            $"float u10(time, lat, lon) ; u10:units = \"m s-1\" ; {attributes}",
            $"u10 = {SmallGrid.Sequence(-5)} ;"));

        var error = Assert.Throws<IngestException>(() => SmallGrid.ReadSingle(path));

        Assert.Equal($"variable 'u10' in '{path}': {expected}", error.Message);
    }

    [Fact]
    public void Valid_min_and_valid_max_alone_mask_outliers()
    {
        var data = SmallGrid.Sequence(-5).Split(", ");
        var path = CdlFile.Create("valid_min_max", SmallGrid.Cdl(
            "float u10(time, lat, lon) ; u10:units = \"m s-1\" ; u10:valid_min = -2.f ; u10:valid_max = 100.f ;",
            $"u10 = {string.Join(", ", data)} ;"));

        var field = SmallGrid.ReadSingle(path);

        // File values 100 t + 10 i + j - 5: below -2 are j = 0, 1, 2 of row 0 step 0 (3 values);
        // above 100: step 1 rows 1, 2 (8 values) and step 1 row 0 columns j >= 6? none; total 3 + 8 = 11.
        var expected = Enumerable.Range(0, 24)
            .Select(n => (100 * (n / 12)) + (10 * (n % 12 / 4)) + (n % 4) - 5)
            .Count(v => v < -2 || v > 100);
        Assert.Equal(expected, field.Values.Count(float.IsNaN));
    }

    [Fact]
    public void Celsius_and_percent_convert_to_kelvin_and_fraction()
    {
        var path = CdlFile.Create("celsius", SmallGrid.Cdl(
            "float AT(time, lat, lon) ; AT:units = \"deg C\" ; float CLD(time, lat, lon) ; CLD:units = \"percent\" ;",
            $"AT = {SmallGrid.Sequence(-50)} ; CLD = {SmallGrid.Sequence(-50)} ;"));

        var fields = WeatherFieldReader.ReadWeatherFields([path]);

        var temperature = fields.Single(f => f.Quantity == WeatherQuantity.AirTemperature);
        var cloud = fields.Single(f => f.Quantity == WeatherQuantity.CloudAreaFraction);
        Assert.Equal("K", temperature.CanonicalUnits);
        Assert.Equal((float)(SmallGrid.Expected(1, 2, 3, -50) + 273.15), temperature[1, 2, 3]);
        Assert.Equal((float)(SmallGrid.Expected(1, 2, 3, -50) * 0.01), cloud[1, 2, 3]);
    }

    [Fact]
    public void Unknown_units_name_the_variable_the_units_and_the_accepted_ones()
    {
        var path = CdlFile.Create("unknown_units", SmallGrid.Cdl(
            "float tas(time, lat, lon) ; tas:units = \"furlongs\" ;", $"tas = {SmallGrid.Sequence()} ;"));

        var error = Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([path]));

        Assert.Equal(path, error.FilePath);
        Assert.Equal("tas", error.VariableName);
        Assert.Contains("'furlongs'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'K'", error.Message, StringComparison.Ordinal);
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_units_are_inferred_only_from_a_conclusive_range()
    {
        var kelvin = CdlFile.Create("no_units_kelvin", SmallGrid.Cdl(
            "float t2m(time, lat, lon) ;", $"t2m = {SmallGrid.Sequence(180)} ;"));
        var ambiguous = CdlFile.Create("no_units_ambiguous", SmallGrid.Cdl(
            "float t2m(time, lat, lon) ;", $"t2m = {SmallGrid.Sequence(-20)} ;"));

        var field = SmallGrid.ReadSingle(kelvin);
        var error = Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([ambiguous]));

        Assert.True(field.UnitsInferred);
        Assert.Equal("K", field.SourceUnits);
        Assert.Equal((float)SmallGrid.Expected(1, 1, 1, 180), field[1, 1, 1]);
        Assert.Equal("t2m", error.VariableName);
        Assert.Contains("no units", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_equally_good_candidates_are_one_clear_sentence_naming_the_file_each_variable_and_the_fix()
    {
        var byName = CdlFile.Create("ambiguous_by_name", SmallGrid.Cdl(
            "float tas(time, lat, lon) ; tas:units = \"K\" ; float t2(time, lat, lon) ; t2:units = \"K\" ;",
            $"tas = {SmallGrid.Sequence(200)} ; t2 = {SmallGrid.Sequence(210)} ;"));
        var byStandardName = CdlFile.Create("ambiguous_by_standard_name", SmallGrid.Cdl(
            "float a(time, lat, lon) ; a:units = \"K\" ; a:standard_name = \"air_temperature\" ; "
            + "float b(time, lat, lon) ; b:units = \"K\" ; b:standard_name = \"air_temperature\" ;",
            $"a = {SmallGrid.Sequence(200)} ; b = {SmallGrid.Sequence(210)} ;"));

        var names = Assert.Throws<IngestException>(() => WeatherFieldReader.ReadWeatherFields([byName]));
        var standardNames = Assert.Throws<IngestException>(() =>
            WeatherFieldReader.ReadWeatherFields([byStandardName]));

        Assert.Equal(
            $"'{byName}': has 2 variables that could each be AirTemperature (all recognised by their names): "
            + "'tas', 't2'. Refusing to guess which one to read: keep only one of them in the file, or give the "
            + "one to read the attribute standard_name = \"air_temperature\".", names.Message);
        Assert.Equal(
            $"'{byStandardName}': has 2 variables that could each be AirTemperature (all recognised by "
            + "standard_name 'air_temperature'): 'a', 'b'. Refusing to guess which one to read: keep only one of "
            + "them in the file, or remove standard_name 'air_temperature' from all but the one to read.",
            standardNames.Message);
        Assert.Null(names.VariableName);
    }

    [Fact]
    public void Standard_name_wins_over_the_variable_name()
    {
        // "u" would be a wind by name, but its standard_name says air_temperature; "SST" is not air.
        var path = CdlFile.Create("standard_name_first", SmallGrid.Cdl(
            "float u(time, lat, lon) ; u:standard_name = \"air_temperature\" ; u:units = \"K\" ; "
            + "float t2m(time, lat, lon) ; t2m:standard_name = \"sea_surface_temperature\" ; t2m:units = \"K\" ;",
            $"u = {SmallGrid.Sequence(200)} ; t2m = {SmallGrid.Sequence(200)} ;"));

        var field = SmallGrid.ReadSingle(path);

        Assert.Equal(WeatherQuantity.AirTemperature, field.Quantity);
        Assert.Equal("u", field.VariableName);
    }
}
