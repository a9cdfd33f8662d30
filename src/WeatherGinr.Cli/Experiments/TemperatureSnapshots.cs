using WeatherGinr.Cli.Demo;
using WeatherGinr.Core.Mesh;
using WeatherGinr.Ingest;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// Real near-surface temperature regridded onto icosphere nodes: by default the CMIP5 MPI-ESM-LR 2005
/// monthly tas the demo uses (downloaded into the data folder once), or any file with temperature.
/// </summary>
public sealed class TemperatureSnapshots
{
    private readonly GriddedField temperature;

    private TemperatureSnapshots(GriddedField field, string path)
    {
        this.temperature = field;
        SourcePath = path;
    }

    public string SourcePath { get; }

    /// <summary>The temperature variable on its own grid.</summary>
    internal GriddedField Field => temperature;

    public int TimeCount => temperature.TimeCount;

    public DateTimeOffset TimeUtc(int step) => temperature.TimesUtc[step];

    /// <summary>
    /// A step as a row label, the variable's own name and its time: "tas 2005-01" for a monthly series, the hour as
    /// well ("t2m 2019-03-01 00:00") when steps are closer than a month, so that two labels never read the same.
    /// </summary>
    public string Label(int step)
    {
        var times = temperature.TimesUtc;
        var monthly = times.Length < 2 || times[1] - times[0] >= MonthlySeries.MonthlyStep.Shortest;
        return $"{temperature.VariableName} {times[step].ToString(monthly ? "yyyy-MM" : "yyyy-MM-dd HH:mm",
            System.Globalization.CultureInfo.InvariantCulture)}";
    }

    public static TemperatureSnapshots Load(ExperimentContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.TemperatureFile ?? new SampleData(context.Data.Root).Ensure(context.Narrate)
            .SelectMany(d => d.Files)
            .First(f => Path.GetFileName(f) == "tas_rectilinear_grid_2D.nc");
        var temperature = AcceptedWeatherFields.Read([path])
            .FirstOrDefault(f => f.Quantity == WeatherQuantity.AirTemperature)
            ?? throw new ArgumentException($"{path}: holds no air temperature variable", nameof(context));
        context.Narrate($"temperature '{temperature.VariableName}' from {path}: {temperature.TimeCount} steps on a " +
            $"{temperature.LatitudeCount}x{temperature.LongitudeCount} grid");
        return new TemperatureSnapshots(temperature, path);
    }

    /// <summary>One time step on every node of the mesh, in kelvin (NaN where the grid has no data).</summary>
    public float[] OnNodes(Icosphere mesh, int step)
    {
        ArgumentNullException.ThrowIfNull(mesh);
        return LatLonRegridder.Regrid(this.temperature, step, mesh.LatitudesDegrees, mesh.LongitudesDegrees,
            mesh.MeanEdgeLengthDegrees);
    }

    /// <summary>
    /// <see cref="OnNodes"/>, refused (<see cref="InputCoverage"/>) when the step reaches no node: called before
    /// anything is trained, so a grid too small for the mesh is one line naming file, variable, grid and level.
    /// </summary>
    /// <exception cref="WeatherGinr.Grains.Training.TrainingInputException">No node holds a value.</exception>
    public float[] RequireOnNodes(Icosphere mesh, int step, bool quick)
    {
        var values = OnNodes(mesh, step);
        InputCoverage.RequireSome(SourcePath, temperature, mesh, values, quick);
        return values;
    }
}
