using WeatherGinr.Ingest.Tests.TestSupport;

namespace WeatherGinr.Ingest.Tests.Cf;

/// <summary>Time units and calendars, each in its own file; expected instants worked out by hand.</summary>
public sealed class CfTimeTests
{
    private static DateTimeOffset[] TimesOf(string name, string units, string? calendar, string values, int steps)
    {
        var calendarAttribute = calendar is null ? string.Empty : $"time:calendar = \"{calendar}\" ;";
        var path = CdlFile.Create(name, SmallGrid.Cdl(
            "float t2m(time, lat, lon) ; t2m:units = \"K\" ;",
            $"t2m = {SmallGrid.Sequence(200, steps)} ;",
            timeDeclaration: $"double time(time) ; time:units = \"{units}\" ; {calendarAttribute}",
            timeData: $"time = {values} ;"));
        return SmallGrid.ReadSingle(path).TimesUtc;
    }

    private static DateTimeOffset Utc(int year, int month, int day, int hour = 0, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);

    [Theory]
    [InlineData("seconds since 1970-01-01T00:00:00Z", "86400, 90000", 1970, 1, 2, 1)]
    [InlineData("minutes since 2000-01-01 00:00", "60, 120", 2000, 1, 1, 1)]
    [InlineData("hour since 1980-01-14 14:00:00", "10, 11", 1980, 1, 15, 1)]
    [InlineData("days since 1850-01-01", "0.5, 1.5", 1850, 1, 1, 24)]
    [InlineData("hours since 2000-01-01 06:00:00 +06:00", "0, 1", 2000, 1, 1, 1)]
    [InlineData("d since 2001-2-28", "1, 2", 2001, 3, 1, 24)]
    public void Units_of_every_form_decode(string units, string values, int year, int month, int day, int stepHours)
    {
        var times = TimesOf("units_" + Math.Abs(units.GetHashCode()), units, null, values, 2);

        var expectedFirst = units switch
        {
            _ when units.StartsWith("hour since 1980", StringComparison.Ordinal) => Utc(1980, 1, 15, 0),
            _ when units.StartsWith("days since 1850", StringComparison.Ordinal) => Utc(1850, 1, 1, 12),
            _ when units.Contains("+06:00", StringComparison.Ordinal) => Utc(2000, 1, 1, 0),
            _ when units.StartsWith("minutes", StringComparison.Ordinal) => Utc(2000, 1, 1, 1),
            _ => new DateTimeOffset(year, month, day, 0, 0, 0, TimeSpan.Zero),
        };
        Assert.Equal(expectedFirst, times[0]);
        Assert.Equal(TimeSpan.FromHours(stepHours), times[1] - times[0]);
    }

    [Fact]
    public void Noleap_calendar_skips_29_February()
    {
        // 2000 is a leap year in the Gregorian calendar, not in noleap: day 59 is 1 March.
        var times = TimesOf("noleap", "days since 2000-01-01", "noleap", "58, 59", 2);

        Assert.Equal(Utc(2000, 2, 28), times[0]);
        Assert.Equal(Utc(2000, 3, 1), times[1]);
    }

    [Fact]
    public void Day365_is_noleap_across_years()
    {
        // 365 * 4 days in 365_day from 2000-01-01 is 2004-01-01 exactly.
        var times = TimesOf("day365", "days since 2000-01-01", "365_day", "0, 1460", 2);

        Assert.Equal(Utc(2004, 1, 1), times[1]);
    }

    [Fact]
    public void Day360_months_are_30_days_stretched_onto_real_months()
    {
        // 360_day: day 30 is 1 February, day 59.5 is 30 February at noon, whose position
        // ((30 - 1) + 0.5) / 30 of February 2001 (28 days) is 27.5333 days after 1 February.
        var times = TimesOf("day360", "days since 2001-01-01", "360_day", "30, 59.5", 2);

        Assert.Equal(Utc(2001, 2, 1), times[0]);
        Assert.Equal(Utc(2001, 2, 1).AddMilliseconds(Math.Round(29.5 / 30 * 28 * 86_400_000)), times[1]);
    }

    [Fact]
    public void Julian_calendar_keeps_its_labels()
    {
        // 1900 is a leap year in the Julian calendar, not in the Gregorian: 28 Feb, 29 Feb (no such Gregorian
        // day: it shares 28 Feb, from noon), 1 March.
        var times = TimesOf("julian", "days since 1900-02-27", "julian", "1, 2, 2.5, 3", 4);

        Assert.Equal(
            [Utc(1900, 2, 28), Utc(1900, 2, 28).AddHours(12), Utc(1900, 2, 28).AddHours(18), Utc(1900, 3, 1)], times);
    }

    [Theory]
    [InlineData("all_leap")]
    [InlineData("366_day")]
    public void All_leap_february_29_of_a_common_year_is_its_own_step_between_28_february_and_1_march(
        string calendar)
    {
        // A daily all_leap series across 2001's February (days 58, 59, 60 since 1 January are 28 Feb, 29 Feb and
        // 1 Mar): three distinct, ordered steps; days before the 28th and after the month keep their labels.
        var times = TimesOf("allleap_" + calendar, "days since 2001-01-01", calendar, "57, 58, 59, 60, 365", 5);

        Assert.Equal(
            [
                Utc(2001, 2, 27), Utc(2001, 2, 28), Utc(2001, 2, 28).AddHours(12), Utc(2001, 3, 1),
                Utc(2001, 12, 31),
            ],
            times);
    }

    [Theory]
    [InlineData("milliseconds since 2020-01-01", "250, 1500", 250, 1500)]
    [InlineData("ms since 2020-01-01", "250, 1500", 250, 1500)]
    [InlineData("microseconds since 2020-01-01T00:00:00", "250000, 1500000", 250, 1500)]
    [InlineData("us since 2020-01-01", "3000, 9000", 3, 9)]
    [InlineData("nanoseconds since 2020-01-01", "5000000, 7.0e9", 5, 7000)]
    public void Sub_second_units_are_read(string units, string values, int firstMs, int secondMs)
    {
        var times = TimesOf("subsecond_" + Math.Abs(units.GetHashCode()), units, null, values, 2);

        Assert.Equal([Utc(2020, 1, 1).AddMilliseconds(firstMs), Utc(2020, 1, 1).AddMilliseconds(secondMs)], times);
    }

    [Fact]
    public void Standard_calendar_switches_from_julian_to_gregorian_in_1582()
    {
        // 1582-10-04 (Julian) is followed by 1582-10-15 (Gregorian).
        var times = TimesOf("reform", "days since 1582-10-04", "standard", "0, 1", 2);

        Assert.Equal(Utc(1582, 10, 4), times[0]);
        Assert.Equal(Utc(1582, 10, 15), times[1]);
    }

    [Fact]
    public void Proleptic_gregorian_does_not_switch()
    {
        var times = TimesOf("proleptic", "days since 1582-10-04", "proleptic_gregorian", "0, 1", 2);

        Assert.Equal(Utc(1582, 10, 5), times[1]);
    }

    [Fact]
    public void Unknown_calendar_months_since_and_missing_units_are_errors_naming_the_time_variable()
    {
        var calendar = Assert.Throws<IngestException>(() =>
            TimesOf("bad_calendar", "days since 2000-01-01", "lunar", "0, 1", 2));
        var months = Assert.Throws<IngestException>(() =>
            TimesOf("months_since", "months since 2000-01-01", null, "0, 1", 2));
        var noUnits = Assert.Throws<IngestException>(() => SmallGrid.ReadSingle(CdlFile.Create("time_no_units",
            SmallGrid.Cdl("float t2m(time, lat, lon) ; t2m:units = \"K\" ;", $"t2m = {SmallGrid.Sequence(200)} ;",
                timeDeclaration: "double time(time) ; time:axis = \"T\" ;"))));

        Assert.Contains("lunar", calendar.Message, StringComparison.Ordinal);
        Assert.Contains("months", months.Message, StringComparison.Ordinal);
        Assert.Equal("time", noUnits.VariableName);
        Assert.Contains("no units", noUnits.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fortnights since whenever", "'fortnights' is not a fixed length of time")]
    [InlineData("fortnights", "is the time coordinate of 't2m'")]
    [InlineData("days since whenever", "reference date cannot be read")]
    public void Unreadable_time_units_name_the_variable_the_units_found_and_the_accepted_form(string units,
        string cause)
    {
        var path = CdlFile.Create("time_units_" + units.Replace(' ', '_'), SmallGrid.Cdl(
            "float t2m(time, lat, lon) ; t2m:units = \"K\" ;", $"t2m = {SmallGrid.Sequence(200)} ;",
            timeDeclaration: $"double time(time) ; time:units = \"{units}\" ;"));

        var error = Assert.Throws<IngestException>(() => SmallGrid.ReadSingle(path));

        Assert.Equal("time", error.VariableName);
        Assert.StartsWith($"variable 'time' in '{path}': ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"units '{units}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(cause, error.Message, StringComparison.Ordinal);
        Assert.EndsWith("expected '<nanoseconds|microseconds|milliseconds|seconds|minutes|hours|days|weeks> " +
            "since <date>', "
            + "e.g. 'hours since 1970-01-01 00:00:00'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("extra", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scalar_time_gives_one_step()
    {
        var path = CdlFile.Create("scalar_time", """
            netcdf scalar_time {
            dimensions: lat = 2 ; lon = 3 ;
            variables:
              double time ; time:units = "hours since 2010-06-01 00:00" ; time:standard_name = "time" ;
              double lat(lat) ; lat:units = "degrees_north" ;
              double lon(lon) ; lon:units = "degrees_east" ;
              float tas(lat, lon) ; tas:units = "K" ; tas:coordinates = "time" ;
            data: time = 36 ; lat = 0, 1 ; lon = 10, 11, 12 ; tas = 280, 281, 282, 283, 284, 285 ;
            }
            """);

        var field = SmallGrid.ReadSingle(path);

        Assert.Equal([Utc(2010, 6, 2, 12)], field.TimesUtc);
        Assert.Equal(6, field.Values.Length);
    }

    [Fact]
    public void No_time_at_all_gives_one_step_at_the_unix_epoch()
    {
        var path = CdlFile.Create("no_time", """
            netcdf no_time {
            dimensions: lat = 2 ; lon = 2 ;
            variables:
              double lat(lat) ; lat:units = "degrees_north" ;
              double lon(lon) ; lon:units = "degrees_east" ;
              float tas(lat, lon) ; tas:units = "K" ;
            data: lat = 0, 1 ; lon = 10, 11 ; tas = 280, 281, 282, 283 ;
            }
            """);

        Assert.Equal([DateTimeOffset.UnixEpoch], SmallGrid.ReadSingle(path).TimesUtc);
    }
}
