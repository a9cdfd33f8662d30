namespace WeatherGinr.Ingest.Cf;

/// <summary>CF calendars (CF 4.4.1).</summary>
internal enum CfCalendar
{
    /// <summary>"standard"/"gregorian" (and a missing calendar): Julian before 1582-10-15.</summary>
    Standard,
    ProlepticGregorian,
    Julian,
    NoLeap,
    AllLeap,
    Day360,
}

/// <summary>Day numbers for each calendar, and their inverses.</summary>
internal static class CfCalendarArithmetic
{
    private static readonly int[] DaysBeforeMonthNoLeap = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    private static readonly int[] DaysBeforeMonthLeap = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335];

    /// <summary>Gregorian day number of 1582-10-15, the first day of the Gregorian reform.</summary>
    private static readonly long GregorianReform = GregorianDays(1582, 10, 15);

    /// <summary>Julian-calendar day numbers aligned so that Julian 1582-10-05 = Gregorian 1582-10-15.</summary>
    private static readonly long JulianAlignment = JulianDaysRaw(1582, 10, 5) - GregorianReform;

    internal static CfCalendar? Parse(string? name) => (name ?? string.Empty).Trim().ToLowerInvariant() switch
    {
        "" or "standard" or "gregorian" => CfCalendar.Standard,
        "proleptic_gregorian" => CfCalendar.ProlepticGregorian,
        "julian" => CfCalendar.Julian,
        "noleap" or "365_day" => CfCalendar.NoLeap,
        "all_leap" or "366_day" => CfCalendar.AllLeap,
        "360_day" => CfCalendar.Day360,
        _ => null,
    };

    internal static int DaysInMonth(CfCalendar calendar, long year, int month) => calendar switch
    {
        CfCalendar.Day360 => 30,
        CfCalendar.NoLeap => DaysBeforeMonth(false, month + 1) - DaysBeforeMonth(false, month),
        CfCalendar.AllLeap => DaysBeforeMonth(true, month + 1) - DaysBeforeMonth(true, month),
        CfCalendar.Julian => MonthLength(year % 4 == 0, month),
        CfCalendar.ProlepticGregorian => MonthLength(IsGregorianLeap(year), month),
        _ => MonthLength(year < 1582 ? year % 4 == 0 : IsGregorianLeap(year), month),
    };

    /// <summary>Days from the calendar's own origin to (year, month, day).</summary>
    internal static long DayNumber(CfCalendar calendar, long year, int month, int day) => calendar switch
    {
        CfCalendar.Day360 => (year * 360) + ((month - 1) * 30) + (day - 1),
        CfCalendar.NoLeap => (year * 365) + DaysBeforeMonth(false, month) + (day - 1),
        CfCalendar.AllLeap => (year * 366) + DaysBeforeMonth(true, month) + (day - 1),
        CfCalendar.ProlepticGregorian => GregorianDays(year, month, day),
        CfCalendar.Julian => JulianDaysRaw(year, month, day) - JulianAlignment,
        _ => (year, month, day).CompareTo((1582L, 10, 15)) < 0
            ? JulianDaysRaw(year, month, day) - JulianAlignment
            : GregorianDays(year, month, day),
    };

    /// <summary>Inverse of <see cref="DayNumber"/>.</summary>
    internal static (long Year, int Month, int Day) Date(CfCalendar calendar, long dayNumber)
    {
        switch (calendar)
        {
            case CfCalendar.Day360:
                {
                    var year = FloorDiv(dayNumber, 360);
                    var dayOfYear = (int)(dayNumber - (year * 360));
                    return (year, (dayOfYear / 30) + 1, (dayOfYear % 30) + 1);
                }

            case CfCalendar.NoLeap:
            case CfCalendar.AllLeap:
                {
                    var leap = calendar == CfCalendar.AllLeap;
                    var length = leap ? 366 : 365;
                    var year = FloorDiv(dayNumber, length);
                    var dayOfYear = (int)(dayNumber - (year * length));
                    var month = 12;
                    while (DaysBeforeMonth(leap, month) > dayOfYear)
                    {
                        month--;
                    }

                    return (year, month, dayOfYear - DaysBeforeMonth(leap, month) + 1);
                }

            case CfCalendar.ProlepticGregorian:
                return GregorianDate(dayNumber);
            case CfCalendar.Julian:
                return JulianDate(dayNumber + JulianAlignment);
            default:
                return dayNumber < GregorianReform ? JulianDate(dayNumber + JulianAlignment) : GregorianDate(dayNumber);
        }
    }

    private static bool IsGregorianLeap(long year) => year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);

    private static int MonthLength(bool leap, int month) =>
        DaysBeforeMonth(leap, month + 1) - DaysBeforeMonth(leap, month);

    private static int DaysBeforeMonth(bool leap, int month) =>
        month > 12 ? (leap ? 366 : 365) : (leap ? DaysBeforeMonthLeap : DaysBeforeMonthNoLeap)[month - 1];

    private static long FloorDiv(long value, long divisor) =>
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor);

    // Days since 1970-01-01 in the proleptic Gregorian calendar, astronomical years (year 0 exists);
    // the era/day-of-era method of H. Hinnant, "chrono-compatible low-level date algorithms".
    private static long GregorianDays(long year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        var era = FloorDiv(year, 400);
        var yearOfEra = year - (era * 400);
        var dayOfYear = ((153 * (month + (month > 2 ? -3 : 9))) + 2) / 5 + day - 1;
        var dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
        return (era * 146097) + dayOfEra - 719468;
    }

    private static (long Year, int Month, int Day) GregorianDate(long days)
    {
        days += 719468;
        var era = FloorDiv(days, 146097);
        var dayOfEra = days - (era * 146097);
        var yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36524) - (dayOfEra / 146096)) / 365;
        var dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
        var monthIndex = ((5 * dayOfYear) + 2) / 153;
        var day = (int)(dayOfYear - (((153 * monthIndex) + 2) / 5) + 1);
        var month = (int)(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        var year = yearOfEra + (era * 400) + (month <= 2 ? 1 : 0);
        return (year, month, day);
    }

    // The same method with the Julian calendar's 4-year cycle of 1461 days (origin arbitrary).
    private static long JulianDaysRaw(long year, int month, int day)
    {
        year -= month <= 2 ? 1 : 0;
        var era = FloorDiv(year, 4);
        var yearOfEra = year - (era * 4);
        var dayOfYear = ((153 * (month + (month > 2 ? -3 : 9))) + 2) / 5 + day - 1;
        return (era * 1461) + (yearOfEra * 365) + dayOfYear;
    }

    private static (long Year, int Month, int Day) JulianDate(long rawDays)
    {
        var era = FloorDiv(rawDays, 1461);
        var dayOfEra = rawDays - (era * 1461);
        var yearOfEra = Math.Min(dayOfEra / 365, 3);
        var dayOfYear = dayOfEra - (yearOfEra * 365);
        var monthIndex = ((5 * dayOfYear) + 2) / 153;
        var day = (int)(dayOfYear - (((153 * monthIndex) + 2) / 5) + 1);
        var month = (int)(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9);
        var year = yearOfEra + (era * 4) + (month <= 2 ? 1 : 0);
        return (year, month, day);
    }
}
