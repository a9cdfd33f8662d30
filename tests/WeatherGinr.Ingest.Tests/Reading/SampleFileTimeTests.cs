using System.Globalization;
using WeatherGinr.Ingest.Tests.TestSupport;

namespace WeatherGinr.Ingest.Tests.Reading;

/// <summary>Decoded times of every sample file against <c>ncdump -t</c> (netcdf-bin's own CF time decoder).</summary>
public sealed class SampleFileTimeTests
{
    public static TheoryData<string, string> TimeAxes => new()
    {
        { "ncep_flx_2006040100_u10_v10_t2m_tcc.nc", "time" },
        { "monthly_navy_winds.cdf", "TIME" },
        { "coads_climatology.cdf", "TIME" },
        { "esku_heat_budget.cdf", "TIME" },
        { "tas_rectilinear_grid_2D.nc", "time" },
        { "TREFHT.B06.66.atm.1890-1999ANN.nc", "time" },
        { "era5_t2m_2019-03_uk_hourly.nc", "time" },
        { "cdo_synth_uvtc.nc", "time" },
    };

    [Theory]
    [MemberData(nameof(TimeAxes))]
    public void Times_match_ncdump_to_the_millisecond(string fileName, string timeVariable)
    {
        var path = SampleData.PathOf(fileName);
        var expected = NcDump.Times(path, timeVariable).Select(ParseNcDumpTime).ToArray();

        var field = WeatherFieldReader.ReadWeatherFields([path])[0];

        Assert.Equal(expected.Length, field.TimeCount);
        for (var index = 0; index < expected.Length; index++)
        {
            var difference = Math.Abs((field.TimesUtc[index] - expected[index]).TotalMilliseconds);
            Assert.True(difference <= 1, $"step {index}: {field.TimesUtc[index]:O} vs ncdump {expected[index]:O}");
        }
    }

    [Fact]
    public void Navy_winds_start_at_the_reference_plus_the_first_offset()
    {
        // ncdump -v TIME: first value 17544 "hour since 1980-01-14 14:00:00" = 731 days later.
        var field = WeatherFieldReader.ReadWeatherFields([SampleData.PathOf("monthly_navy_winds.cdf")])[0];

        Assert.Equal(132, field.TimeCount);
        Assert.Equal(new DateTimeOffset(1980, 1, 14, 14, 0, 0, TimeSpan.Zero).AddHours(RawFirstTime()),
            field.TimesUtc[0]);
    }

    [Fact]
    public void Coads_year_zero_climatology_is_moved_to_year_four_with_its_labels()
    {
        var field = WeatherFieldReader.ReadWeatherFields([SampleData.PathOf("coads_climatology.cdf")])[0];

        // ncdump -t: "0000-01-16 06", "0000-05-16 23:56:24.000005"
        Assert.Equal(new DateTimeOffset(4, 1, 16, 6, 0, 0, TimeSpan.Zero), field.TimesUtc[0]);
        Assert.Equal(new DateTimeOffset(4, 5, 16, 23, 56, 24, TimeSpan.Zero), field.TimesUtc[4]);
    }

    private static double RawFirstTime() =>
        NcDump.RawValues(SampleData.PathOf("monthly_navy_winds.cdf"), "TIME")[0];

    /// <summary>
    /// ncdump -t prints "Y-M-D", "Y-M-D HH", "Y-M-D HH:MM" or "Y-M-D HH:MM:SS[.f]"; year 0 means year 4 here.
    /// </summary>
    internal static DateTimeOffset ParseNcDumpTime(string text)
    {
        var parts = text.Trim().Split(' ', 'T');
        var date = parts[0].Split('-');
        var year = int.Parse(date[0], CultureInfo.InvariantCulture);
        var result = new DateTimeOffset(year == 0 ? 4 : year, int.Parse(date[1], CultureInfo.InvariantCulture),
            int.Parse(date[2], CultureInfo.InvariantCulture), 0, 0, 0, TimeSpan.Zero);
        if (parts.Length > 1)
        {
            var clock = parts[1].Split(':');
            result = result.AddHours(int.Parse(clock[0], CultureInfo.InvariantCulture));
            if (clock.Length > 1)
            {
                result = result.AddMinutes(int.Parse(clock[1], CultureInfo.InvariantCulture));
            }

            if (clock.Length > 2)
            {
                result = result.AddTicks((long)Math.Round(
                    double.Parse(clock[2], CultureInfo.InvariantCulture) * TimeSpan.TicksPerSecond));
            }
        }

        return result;
    }
}
