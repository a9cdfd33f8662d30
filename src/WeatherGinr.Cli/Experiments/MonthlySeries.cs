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

    /// <summary>Temperature alone, in kelvin.</summary>
    public static GriddedField Temperature(ExperimentContext context)
    {
        var path = TemperaturePath(context);
        return Read([path], context).FirstOrDefault(f => f.Quantity == WeatherQuantity.AirTemperature)
            ?? throw new ArgumentException($"{path}: holds no air temperature variable", nameof(context));
    }

    /// <summary>tas, uas and vas in that order (kelvin, m/s, m/s), on one grid and one time axis.</summary>
    /// <exception cref="ArgumentException">A wind file is missing beside the temperature file, or the axes differ.
    /// </exception>
    public static GriddedField[] TemperatureAndWind(ExperimentContext context)
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
        var wind = new[] { "uas", "vas" }.Select(v => Path.Combine(folder, v + name[3..])).ToArray();
        foreach (var file in wind.Where(f => !File.Exists(f)))
        {
            throw new ArgumentException($"{file}: wind file not found beside {path}", nameof(context));
        }

        var fields = Read([path, .. wind], context);
        var wanted = new[]
        {
            WeatherQuantity.AirTemperature, WeatherQuantity.EastwardWind, WeatherQuantity.NorthwardWind,
        };
        var chosen = wanted.Select(q => fields.FirstOrDefault(f => f.Quantity == q)
            ?? throw new ArgumentException($"{path} and the wind files beside it hold no {q} variable",
                nameof(context))).ToArray();
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
