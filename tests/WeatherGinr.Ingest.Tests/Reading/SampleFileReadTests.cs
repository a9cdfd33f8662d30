using WeatherGinr.Ingest.Tests.TestSupport;

namespace WeatherGinr.Ingest.Tests.Reading;

/// <summary>
/// Every sample file decoded by <see cref="WeatherFieldReader"/> against xarray + netCDF4 run in
/// the same test (values bit-for-bit as float32, NaN positions identical) and against ncdump
/// (fill counts, decoded times).
/// </summary>
public sealed class SampleFileReadTests
{
    public static TheoryData<string, string, WeatherQuantity, double, double> Variables => new()
    {
        // file, variable, quantity, scale and offset to canonical units
        { "ncep_flx_2006040100_u10_v10_t2m_tcc.nc", "u10", WeatherQuantity.EastwardWind, 1, 0 },
        { "ncep_flx_2006040100_u10_v10_t2m_tcc.nc", "v10", WeatherQuantity.NorthwardWind, 1, 0 },
        { "ncep_flx_2006040100_u10_v10_t2m_tcc.nc", "t2m", WeatherQuantity.AirTemperature, 1, 0 },
        { "ncep_flx_2006040100_u10_v10_t2m_tcc.nc", "tcc", WeatherQuantity.CloudAreaFraction, 0.01, 0 },
        { "monthly_navy_winds.cdf", "UWND", WeatherQuantity.EastwardWind, 1, 0 },
        { "monthly_navy_winds.cdf", "VWND", WeatherQuantity.NorthwardWind, 1, 0 },
        { "coads_climatology.cdf", "AIRT", WeatherQuantity.AirTemperature, 1, 273.15 },
        { "coads_climatology.cdf", "UWND", WeatherQuantity.EastwardWind, 1, 0 },
        { "coads_climatology.cdf", "VWND", WeatherQuantity.NorthwardWind, 1, 0 },
        { "esku_heat_budget.cdf", "CLD", WeatherQuantity.CloudAreaFraction, 1, 0 },
        { "esku_heat_budget.cdf", "AT", WeatherQuantity.AirTemperature, 1, 273.15 },
        { "tas_rectilinear_grid_2D.nc", "tas", WeatherQuantity.AirTemperature, 1, 0 },
        { "uas_rectilinear_grid_2D.nc", "uas", WeatherQuantity.EastwardWind, 1, 0 },
        { "vas_rectilinear_grid_2D.nc", "vas", WeatherQuantity.NorthwardWind, 1, 0 },
        { "TREFHT.B06.66.atm.1890-1999ANN.nc", "TREFHT", WeatherQuantity.AirTemperature, 1, 0 },
        { "era5_t2m_2019-03_uk_hourly.nc", "t2m", WeatherQuantity.AirTemperature, 1, 0 },
        { "cdo_synth_uvtc.nc", "u10", WeatherQuantity.EastwardWind, 1, 0 },
        { "cdo_synth_uvtc.nc", "v10", WeatherQuantity.NorthwardWind, 1, 0 },
        { "cdo_synth_uvtc.nc", "t2m", WeatherQuantity.AirTemperature, 1, 0 },
        { "cdo_synth_uvtc.nc", "tcc", WeatherQuantity.CloudAreaFraction, 0.01, 0 },
    };

    [Theory]
    [MemberData(nameof(Variables))]
    public void Values_match_xarray_after_reordering_and_unit_conversion(
        string fileName, string variable, WeatherQuantity quantity, double scale, double offset)
    {
        var path = SampleData.PathOf(fileName);

        var field = WeatherFieldReader.ReadWeatherFields([path]).Single(f => f.Quantity == quantity);
        var (latitudes, longitudes, values) = XarrayReference.Decode(path, variable, scale, offset);

        Assert.Equal(variable, field.VariableName);
        Assert.Equal(latitudes, field.LatitudesDegrees);
        Assert.Equal(longitudes.Length, field.LongitudeCount);
        for (var index = 0; index < longitudes.Length; index++)
        {
            Assert.Equal(longitudes[index], field.LongitudesDegrees[index], 9);
        }

        Assert.Equal(values.Length, field.Values.Length);
        var mismatches = 0;
        for (var index = 0; index < values.Length; index++)
        {
            var same = float.IsNaN(values[index])
                ? float.IsNaN(field.Values[index])
                : values[index] == field.Values[index];
            mismatches += same ? 0 : 1;
        }

        Assert.Equal(0, mismatches);
    }
}
