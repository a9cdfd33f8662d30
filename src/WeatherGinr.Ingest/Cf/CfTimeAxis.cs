using System.Globalization;
using System.Text.RegularExpressions;

namespace WeatherGinr.Ingest.Cf;

/// <summary>
/// Decodes CF time values, "&lt;unit&gt; since &lt;reference&gt;" with a calendar, into UTC instants.
/// <list type="bullet">
/// <item>Units: microseconds, milliseconds, seconds, minutes, hours, days and weeks in any CF
/// spelling ("hour since", "hrs", "secs", "d", "ms", "us", "ns"; xarray writes "milliseconds since" for
/// sub-second times). "months"/"years since" are refused: their length is ambiguous.</item>
/// <item>Reference: "Y-M-D", optional "h:m:s[.f]" (space or 'T'), optional zone ("Z", "UTC",
/// "+h", "+hh:mm").</item>
/// <item>Calendars: standard/gregorian (the default when missing; Julian before 1582-10-15),
/// proleptic_gregorian, julian, noleap/365_day, all_leap/366_day, 360_day. The decoded date
/// labels (year, month, day, time of day) of the file's calendar become a
/// <see cref="DateTimeOffset"/> with the same labels. A day the Gregorian calendar lacks (29 February
/// of an all_leap/366_day year, or of a Julian century year, that is not a Gregorian leap year) shares
/// the month's last real day with it: calendar days 28 and 29 map linearly onto 28 February, so 28
/// February keeps its label, 29 February at 00:00 is 28 February at 12:00, and no two steps collide
/// (it used to roll into 1 March, onto the next day's step). 360_day months are
/// stretched linearly onto the real month (day d at time t of a 30-day month maps to
/// start of month + ((d - 1) + t/24h) / 30 * real month length), so order and month
/// boundaries are kept and no two steps collide.</item>
/// <item>Year 0 (climatologies such as COADS, "hour since 0000-01-01"): <see cref="DateTimeOffset"/>
/// has no year 0, so a reference date in year 0 is moved to year 4. Year 4 is a leap year in
/// every calendar, as year 0 is, so every month and day label stays as the file means it
/// (COADS' January step is 0004-01-16T06:00Z).</item>
/// <item>Instants are rounded to whole milliseconds (float time coordinates carry microsecond
/// noise).</item>
/// </list>
/// </summary>
internal sealed partial class CfTimeAxis
{
    /// <summary>The year a year-0 reference date is moved to (a leap year like year 0).</summary>
    internal const int YearZeroReplacement = 4;

    private readonly double unitSeconds;
    private readonly long referenceDay;
    private readonly double referenceSecondOfDay;
    private readonly TimeSpan referenceZone;

    private CfTimeAxis(
        string units, CfCalendar calendar, double unitSeconds, long referenceDay, double referenceSecondOfDay,
        TimeSpan referenceZone)
    {
        Units = units;
        Calendar = calendar;
        this.unitSeconds = unitSeconds;
        this.referenceDay = referenceDay;
        this.referenceSecondOfDay = referenceSecondOfDay;
        this.referenceZone = referenceZone;
    }

    internal string Units { get; }

    internal CfCalendar Calendar { get; }

    /// <summary>The form of time units this reader decodes, as error messages quote it.</summary>
    internal const string AcceptedUnits =
        "'<nanoseconds|microseconds|milliseconds|seconds|minutes|hours|days|weeks> since <date>', " +
        "e.g. 'hours since 1970-01-01 00:00:00'";

    /// <summary>Parses units and calendar; null with a reason when they cannot be decoded.</summary>
    internal static CfTimeAxis? TryParse(string? units, string? calendarName, out string reason)
    {
        reason = string.Empty;
        if (string.IsNullOrWhiteSpace(units))
        {
            reason = $"has no units; expected {AcceptedUnits}";
            return null;
        }

        var calendar = CfCalendarArithmetic.Parse(calendarName);
        if (calendar is null)
        {
            reason = $"has calendar '{calendarName}'; expected one of standard, gregorian, proleptic_gregorian, "
                + "julian, noleap, 365_day, all_leap, 366_day, 360_day";
            return null;
        }

        var match = UnitsPattern().Match(units);
        if (!match.Success)
        {
            reason = $"has units '{units}', which are not time units; expected {AcceptedUnits}";
            return null;
        }

        var unitSeconds = match.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "ns" or "nsec" or "nsecs" or "nanosecond" or "nanoseconds" => 1e-9,
            "us" or "usec" or "usecs" or "microsecond" or "microseconds" => 1e-6,
            "ms" or "msec" or "msecs" or "millisecond" or "milliseconds" => 1e-3,
            "s" or "sec" or "secs" or "second" or "seconds" => 1.0,
            "min" or "mins" or "minute" or "minutes" => 60.0,
            "h" or "hr" or "hrs" or "hour" or "hours" => 3600.0,
            "d" or "day" or "days" => 86400.0,
            "week" or "weeks" => 7 * 86400.0,
            _ => double.NaN,
        };
        if (double.IsNaN(unitSeconds))
        {
            reason = $"has units '{units}': '{match.Groups["unit"].Value}' is not a fixed length of time; "
                + $"expected {AcceptedUnits}";
            return null;
        }

        var date = ReferencePattern().Match(match.Groups["reference"].Value.Trim());
        if (!date.Success)
        {
            reason = $"has units '{units}' whose reference date cannot be read; expected {AcceptedUnits}";
            return null;
        }

        var year = long.Parse(date.Groups["year"].Value, CultureInfo.InvariantCulture);
        var month = int.Parse(date.Groups["month"].Value, CultureInfo.InvariantCulture);
        var day = date.Groups["day"].Success ? int.Parse(date.Groups["day"].Value, CultureInfo.InvariantCulture) : 1;
        var hour = date.Groups["hour"].Success ? int.Parse(date.Groups["hour"].Value, CultureInfo.InvariantCulture) : 0;
        var minute = date.Groups["minute"].Success
            ? int.Parse(date.Groups["minute"].Value, CultureInfo.InvariantCulture) : 0;
        var second = date.Groups["second"].Success
            ? double.Parse(date.Groups["second"].Value, CultureInfo.InvariantCulture) : 0;
        if (year == 0)
        {
            year = YearZeroReplacement;
        }

        if (year < 1 || year > 9999 || month is < 1 or > 12 || day < 1
            || day > CfCalendarArithmetic.DaysInMonth(calendar.Value, year, month)
            || hour > 24 || minute > 59 || second >= 61)
        {
            reason = $"has units '{units}' with an impossible or unsupported reference date "
                + "(years 0..9999 are supported)";
            return null;
        }

        if (!TryParseZone(date.Groups["zone"].Value, out var zone))
        {
            reason = $"has units '{units}' with an unreadable time zone";
            return null;
        }

        var referenceDay = CfCalendarArithmetic.DayNumber(calendar.Value, year, month, day);
        var secondOfDay = (hour * 3600.0) + (minute * 60.0) + second;
        return new CfTimeAxis(units, calendar.Value, unitSeconds, referenceDay, secondOfDay, zone);
    }

    /// <summary>The instant of one time value, or null when it is not finite or out of range.</summary>
    internal DateTimeOffset? ToUtc(double value)
    {
        // seconds since the calendar's origin = reference + value * unit
        var offsetSeconds = value * unitSeconds;
        if (!double.IsFinite(offsetSeconds) || Math.Abs(offsetSeconds) > 400_000.0 * 366 * 86400)
        {
            return null;
        }

        var wholeDays = Math.Floor((referenceSecondOfDay + offsetSeconds) / 86400.0);
        var secondOfDay = referenceSecondOfDay + offsetSeconds - (wholeDays * 86400.0);
        var (year, month, day) = CfCalendarArithmetic.Date(Calendar, referenceDay + (long)wholeDays);
        if (year is < 1 or > 9999)
        {
            return null;
        }

        var monthStart = new DateTime((int)year, month, 1, 0, 0, 0, DateTimeKind.Utc);
        var realLength = DateTime.DaysInMonth((int)year, month);
        var calendarLength = CfCalendarArithmetic.DaysInMonth(Calendar, year, month);
        var daysIntoMonth = (day - 1) + (secondOfDay / 86400.0);
        if (Calendar == CfCalendar.Day360)
        {
            daysIntoMonth = daysIntoMonth / 30.0 * realLength;
        }
        else if (calendarLength > realLength && daysIntoMonth > realLength - 1)
        {
            // The month's last real day holds its own calendar day and the ones the Gregorian month lacks.
            daysIntoMonth = (realLength - 1) + ((daysIntoMonth - (realLength - 1)) / (calendarLength - realLength + 1));
        }

        var milliseconds = Math.Round(daysIntoMonth * 86_400_000.0);
        var ticks = monthStart.Ticks + ((long)milliseconds * TimeSpan.TicksPerMillisecond) - referenceZone.Ticks;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return null;
        }

        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    private static bool TryParseZone(string text, out TimeSpan zone)
    {
        zone = TimeSpan.Zero;
        text = text.Trim();
        if (text.Length == 0 || text is "Z" or "z" || text.Equals("UTC", StringComparison.OrdinalIgnoreCase)
            || text.Equals("GMT", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var match = ZonePattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var hours = int.Parse(match.Groups["hours"].Value, CultureInfo.InvariantCulture);
        var minutes = match.Groups["minutes"].Success
            ? int.Parse(match.Groups["minutes"].Value, CultureInfo.InvariantCulture) : 0;
        if (hours > 14 || minutes > 59)
        {
            return false;
        }

        zone = new TimeSpan(hours, minutes, 0) * (match.Groups["sign"].Value == "-" ? -1 : 1);
        return true;
    }

    [GeneratedRegex(@"^\s*(?<unit>[A-Za-z]+)\s+since\s+(?<reference>.+?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex UnitsPattern();

    [GeneratedRegex(
        @"^(?<year>-?\d{1,5})-(?<month>\d{1,2})(-(?<day>\d{1,2}))?"
        + @"([ T]+(?<hour>\d{1,2})(:(?<minute>\d{1,2})(:(?<second>\d{1,2}(\.\d*)?))?)?)?"
        + @"\s*(?<zone>Z|UTC|GMT|[+-]\d{1,2}(:?\d{2})?)?$",
        RegexOptions.IgnoreCase)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex(@"^(?<sign>[+-])(?<hours>\d{1,2})(:?(?<minutes>\d{2}))?$")]
    private static partial Regex ZonePattern();
}
