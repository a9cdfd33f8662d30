using WeatherGinr.Cli.Demo;
using WeatherGinr.Ingest;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// A real multi-month series on its latitude-longitude grid: near-surface temperature and, where the files
/// sit beside it, eastward and northward wind. By default the demo's CMIP5 MPI-ESM-LR 2005 monthly tas, uas and
/// vas; with <c>--input tas_X.nc</c>, that file and <c>uas_X.nc</c>, <c>vas_X.nc</c> in the same folder.
/// </summary>
public static class MonthlySeries
{
    /// <summary>The temperature file the context names (the demo's by default).</summary>
    public static string TemperaturePath(ExperimentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.TemperatureFile ?? new SampleData(context.Data.Root).Ensure(context.Narrate)
            .SelectMany(d => d.Files)
            .First(f => Path.GetFileName(f) == "tas_rectilinear_grid_2D.nc");
    }

    /// <summary>The tas file and the uas and vas files looked for beside it, in that order.</summary>
    /// <exception cref="ArgumentException">The temperature file's name does not start with 'tas'.</exception>
    public static string[] TemperatureAndWindPaths(ExperimentContext context)
    {
        var path = TemperaturePath(context);
        var name = Path.GetFileName(path);
        if (!name.StartsWith("tas", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"{path}: the wind files are looked for beside the temperature file as uas{name} and vas{name} " +
                "when its name starts with 'tas'; it does not. Pass a tas_*.nc file with --input.", nameof(context));
        }

        var folder = Path.GetDirectoryName(path)!;
        return [path, .. new[] { "uas", "vas" }.Select(v => Path.Combine(folder, v + name[3..]))];
    }

    /// <summary>Temperature alone, in kelvin.</summary>
    public static GriddedField Temperature(ExperimentContext context)
    {
        var path = TemperaturePath(context);
        var temperature = Read([path], context).FirstOrDefault(f => f.Quantity == WeatherQuantity.AirTemperature)
            ?? throw new ArgumentException($"{path}: holds no air temperature variable", nameof(context));
        RequireMonthly(path, temperature);
        return temperature;
    }

    /// <summary>Shortest and longest gap between two monthly steps: 28 days (February) to 31, with a day of
    /// slack either side for steps stamped at different points of their months.</summary>
    public static readonly (TimeSpan Shortest, TimeSpan Longest) MonthlyStep = (TimeSpan.FromDays(27),
        TimeSpan.FromDays(32));

    /// <summary>
    /// Refuses a series whose steps are not a month apart. The experiments that read one hold out interior months,
    /// interpolate between neighbouring months and label each step 'yyyy-MM': an hourly March read as 744 months gave
    /// 186 identical '2019-03' labels. Relabelling the steps would leave the month-sized held-out choices and
    /// baselines meaning nothing, so the series is refused instead, naming the first step that is not a month.
    /// </summary>
    /// <exception cref="ArgumentException">Two consecutive steps are not 27 to 32 days apart.</exception>
    public static void RequireMonthly(string path, GriddedField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var times = field.TimesUtc;
        for (var t = 1; t < times.Length; t++)
        {
            var step = times[t] - times[t - 1];
            if (step >= MonthlyStep.Shortest && step <= MonthlyStep.Longest)
            {
                continue;
            }

            var apart = Math.Abs(step.TotalDays) < 2
                ? (step.TotalHours == 1 ? "1 hour" : $"{step.TotalHours:0.##} hours")
                : $"{step.TotalDays:0.##} days";
            throw new ArgumentException(
                $"{path}: variable '{field.VariableName}' is not a monthly series: steps {t - 1} and {t} " +
                $"({times[t - 1]:yyyy-MM-dd HH:mm} and {times[t]:yyyy-MM-dd HH:mm} UTC) are {apart} apart; this " +
                "experiment holds out and labels months, so it takes one step a month (27 to 32 days apart), for " +
                "example monthly means", nameof(path));
        }
    }

    /// <summary>tas, uas and vas in that order (kelvin, m/s, m/s), on one grid and one time axis.</summary>
    /// <exception cref="ArgumentException">A wind file is missing beside the temperature file, or the axes differ.
    /// </exception>
    public static GriddedField[] TemperatureAndWind(ExperimentContext context)
    {
        var paths = TemperatureAndWindPaths(context);
        var path = paths[0];
        foreach (var file in paths.Skip(1).Where(f => !File.Exists(f)))
        {
            throw new ArgumentException($"{file}: wind file not found beside {path}", nameof(context));
        }

        var fields = Read(paths, context);
        var wanted = new[]
        {
            WeatherQuantity.AirTemperature, WeatherQuantity.EastwardWind, WeatherQuantity.NorthwardWind,
        };
        var chosen = wanted.Select(q => fields.FirstOrDefault(f => f.Quantity == q)
            ?? throw new ArgumentException($"{path} and the wind files beside it hold no {q} variable",
                nameof(context))).ToArray();
        RequireMonthly(path, chosen[0]);
        foreach (var field in chosen.Skip(1))
        {
            if (!field.TimesUtc.SequenceEqual(chosen[0].TimesUtc)
                || !field.LatitudesDegrees.SequenceEqual(chosen[0].LatitudesDegrees)
                || !field.LongitudesDegrees.SequenceEqual(chosen[0].LongitudesDegrees))
            {
                throw new ArgumentException(
                    $"'{field.VariableName}' has another grid or time axis than '{chosen[0].VariableName}'",
                    nameof(context));
            }
        }

        return chosen;
    }

    private static IReadOnlyList<GriddedField> Read(string[] paths, ExperimentContext context)
    {
        var fields = AcceptedWeatherFields.Read(paths);
        foreach (var field in fields)
        {
            context.Narrate($"'{field.VariableName}' ({field.CanonicalUnits}): {field.TimeCount} steps on a " +
                $"{field.LatitudeCount}x{field.LongitudeCount} grid");
        }

        return fields;
    }
}
