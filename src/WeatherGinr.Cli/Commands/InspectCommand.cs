using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using WeatherGinr.Ingest;

namespace WeatherGinr.Cli.Commands;

/// <summary>
/// <c>weatherginr inspect FILE... [--json]</c>: what ingestion sees in each NetCDF file. A file that
/// cannot be inspected is named on standard error and the others are still inspected; the exit code
/// is then <see cref="CommonOptions.ExitBadInput"/>.
/// </summary>
public static class InspectCommand
{

    public static Command Create()
    {
        var files = new Argument<string[]>("FILE")
        {
            Description = "NetCDF files (classic, 64-bit offset, CDF5, netCDF-4)",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print a JSON array with one FileInspection per file inspected (shape in the README)",
        };
        var command = new Command("inspect", "Show what ingestion sees in NetCDF files: format, time axis, " +
            "grid ranges, and per variable its units, canonical mapping and value statistics")
        {
            files, json,
        };
        command.SetAction(parse =>
        {
            // The parser takes '--bogus' for a file (FILE is open-ended); one that is not a file is an option mistyped.
            var given = parse.GetValue(files)!;
            var unknown = given.FirstOrDefault(f => f.StartsWith('-') && !File.Exists(f));
            return unknown is null ? Run(given, parse.GetValue(json))
                : CommonOptions.Fail(
                    $"{CommonOptions.UnknownArgument(parse, unknown)} (see 'weatherginr inspect --help')",
                    CommonOptions.ExitBadInput);
        });
        return command;
    }

    /// <summary>Inspects every file; returns the process exit code.</summary>
    public static int Run(IReadOnlyList<string> paths, bool json)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var inspections = new List<FileInspection>();
        var exitCode = CommonOptions.ExitOk;
        foreach (var path in paths)
        {
            try
            {
                inspections.Add(NetCdfInspector.Inspect(path));
            }
            catch (Exception e) when (e is IngestException or IOException or UnauthorizedAccessException
                or ArgumentException)
            {
                // IngestException messages already name the file; the others get it prefixed.
                var message = e is IngestException { FilePath: not null } ? e.Message : $"'{path}': {e.Message}";
                exitCode = CommonOptions.Fail($"cannot inspect {message}", CommonOptions.ExitBadInput);
                continue;
            }

            if (!json)
            {
                WriteTable(StandardOutput(), inspections[^1]);
            }
        }

        if (json)
        {
            // Always an array, even for one file: scripts get one shape.
            Console.Out.WriteLine(JsonSerializer.Serialize(inspections, NetCdfInspector.JsonOptions));
        }

        return exitCode;
    }

    private static IAnsiConsole StandardOutput() => CommonOptions.HumanOutput(Console.Out, Console.IsOutputRedirected);

    /// <summary>
    /// The human table. Names come from the file and the file system, so every line and cell goes
    /// through <see cref="CommonOptions.Printable"/>: a newline in a name must not start a new line.
    /// </summary>
    private static void WriteTable(IAnsiConsole console, FileInspection inspection)
    {
        var path = CommonOptions.Printable(inspection.Path);
        console.MarkupLine($"[bold]{Markup.Escape(path)}[/] ({inspection.Format})");
        WriteLine(console, inspection.Time is { } time
            ? $"  time       {time.Variable}: {Iso(time.First)} .. {Iso(time.Last)}, " +
              $"{time.Count} step{(time.Count == 1 ? "" : "s")}, calendar {time.Calendar}"
            : "  time       none");
        WriteLine(console, $"  latitude   {Describe(inspection.Latitude)}");
        WriteLine(console, $"  longitude  {Describe(inspection.Longitude)}");

        var table = new Table().Border(TableBorder.Simple);
        foreach (var heading in new[] { "variable", "standard_name", "units", "maps to", "dimensions" })
        {
            table.AddColumn(heading);
        }

        foreach (var heading in new[] { "valid", "missing", "min", "max", "mean" })
        {
            table.AddColumn(new TableColumn(heading).RightAligned());
        }

        foreach (var variable in inspection.Variables)
        {
            var mapsTo = variable.CanonicalUnits is null ? "-" : $"{variable.CanonicalUnits} ({variable.Quantity})";
            var dimensions = string.Join(", ", variable.Dimensions.Select(d => $"{d.Name}={d.Length}"));
            table.AddRow(new[]
            {
                variable.Name, variable.StandardName ?? "-", variable.Units ?? "-", mapsTo, dimensions,
                variable.ValidCount.ToString(CultureInfo.InvariantCulture),
                variable.MissingCount.ToString(CultureInfo.InvariantCulture),
                Number(variable.Minimum), Number(variable.Maximum), Number(variable.Mean),
            }.Select(cell => new Text(CommonOptions.Printable(cell))));
        }

        console.Write(table);
        foreach (var variable in inspection.Variables.Where(v => v.Note is not null))
        {
            WriteLine(console, $"  note: {variable.Name}: {variable.Note}");
        }

        foreach (var problem in inspection.Problems)
        {
            WriteLine(console, $"  problem: {problem}");
        }

        console.WriteLine();
    }

    private static void WriteLine(IAnsiConsole console, string line) =>
        console.WriteLine(CommonOptions.Printable(line));

    private static string Describe(CoordinateInspection? coordinate) => coordinate is null
        ? "none"
        : $"{coordinate.Variable}: {Number(coordinate.MinimumDegrees)} .. {Number(coordinate.MaximumDegrees)} " +
          $"({coordinate.Count} values, " +
          (coordinate.Ascending ? "stored ascending)" : coordinate.Monotonic ? "stored descending)" : "in no order)");

    private static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Number(double? value) =>
        value is { } v ? v.ToString("G7", CultureInfo.InvariantCulture) : "-";
}
