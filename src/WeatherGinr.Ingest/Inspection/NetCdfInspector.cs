using System.Text.Json;
using System.Text.Json.Serialization;
using WeatherGinr.Ingest.Cf;
using WeatherGinr.Ingest.Native;
using WeatherGinr.Ingest.Reading;

namespace WeatherGinr.Ingest;

/// <summary>
/// Describes a NetCDF file as ingestion sees it: format, time axis, grid ranges and, for every
/// data variable, its mapping to a <see cref="WeatherQuantity"/> and statistics of its decoded
/// values. Problems with single variables are reported, not thrown.
/// </summary>
public static class NetCdfInspector
{
    /// <summary>camelCase, indented, enums as strings, nulls written (a stable shape for scripts).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,

        // For people and scripts, never embedded in HTML: keep ' + < > and non-ASCII as written.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <exception cref="IngestException">The file is missing or cannot be opened as NetCDF.</exception>
    public static FileInspection Inspect(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var file = NetCdfFile.Open(path);
        var problems = new List<string>();

        var time = InspectTime(file, problems);
        var latitude = InspectCoordinate(file, CfAxisKind.Latitude, problems);
        var longitude = InspectCoordinate(file, CfAxisKind.Longitude, problems);

        var boundsNames = file.Variables
            .Select(v => v.Text("bounds"))
            .Where(name => !string.IsNullOrEmpty(name))
            .ToHashSet(StringComparer.Ordinal);
        var variables = file.Variables
            .Where(v => v.Rank >= 2 && !boundsNames.Contains(v.Name))
            .Select(v => InspectVariable(file, v))
            .ToList();

        try
        {
            if (WeatherFieldReader.ChooseVariables(file).Count == 0)
            {
                problems.Add("no recognisable wind, temperature or cloud variable");
            }
        }
        catch (IngestException exception)
        {
            problems.Add(exception.Message);
        }

        if (problems.Count == 0)
        {
            problems.AddRange(IngestRefusals(path));
        }

        return new FileInspection(path, file.Format, time, latitude, longitude, variables, problems);
    }

    /// <summary>
    /// What ingestion itself would refuse the file for, found by its own code: the file decoded alone (extra
    /// dimensions, coordinates, a time given twice with different values...), then each field's
    /// <see cref="FieldAcceptance"/> check (no valid value, values outside the physical range). Run only when
    /// the checks above found nothing, as ingestion stops at the first problem and the same cause would
    /// otherwise be reported twice in other words.
    /// </summary>
    private static List<string> IngestRefusals(string path)
    {
        IReadOnlyList<GriddedField> fields;
        try
        {
            fields = WeatherFieldReader.ReadWeatherFields([path]);
        }
        catch (IngestException exception)
        {
            return [exception.Message];
        }

        return [.. FieldAcceptance.Refusals(fields, path)];
    }

    /// <summary>The inspection as JSON in the documented shape.</summary>
    public static string ToJson(FileInspection inspection) => JsonSerializer.Serialize(inspection, JsonOptions);

    private static TimeAxisInspection? InspectTime(NetCdfFile file, List<string> problems)
    {
        var timeVariable = file.Variables.FirstOrDefault(v => v.Rank == 1 && v.Name == v.Dimensions[0].Name
                && CfCoordinates.Classify(v) == CfAxisKind.Time)
            ?? file.Variables.FirstOrDefault(v => v.Rank == 0 && CfCoordinates.Classify(v) == CfAxisKind.Time);
        if (timeVariable is null)
        {
            return null;
        }

        try
        {
            var calendar = timeVariable.Text("calendar");
            var axis = CfTimeAxis.TryParse(timeVariable.Text("units"), calendar, out var reason)
                ?? throw new IngestException(file.Path, timeVariable.QualifiedName, $"time coordinate {reason}");
            var values = VariableLayout.ReadAllDecoded(file, timeVariable, allowMissing: false);
            if (values.Length == 0)
            {
                problems.Add($"time coordinate '{timeVariable.QualifiedName}' has no steps");
                return null;
            }

            var times = values.Select(v => axis.ToUtc(v) ?? throw new IngestException(file.Path,
                timeVariable.QualifiedName, $"time value {v} lies outside years 1..9999")).ToArray();
            return new TimeAxisInspection(timeVariable.QualifiedName, axis.Units,
                string.IsNullOrEmpty(calendar) ? "standard" : calendar, times.Min(), times.Max(), times.Length);
        }
        catch (IngestException exception)
        {
            problems.Add(exception.Message);
            return null;
        }
    }

    private static CoordinateInspection? InspectCoordinate(NetCdfFile file, CfAxisKind kind, List<string> problems)
    {
        var coordinate = file.Variables.FirstOrDefault(v => v.Rank == 1 && v.Name == v.Dimensions[0].Name
            && CfCoordinates.Classify(v) == kind);
        if (coordinate is null)
        {
            return null;
        }

        try
        {
            var values = VariableLayout.ReadAllDecoded(file, coordinate, allowMissing: false);
            if (values.Length == 0)
            {
                return null;
            }

            // Ascending only when every step goes up (a non-monotonic axis is not "ascending" because it ends higher).
            var ascending = values.Zip(values.Skip(1)).All(pair => pair.Second > pair.First);
            var descending = values.Length > 1 && values.Zip(values.Skip(1)).All(pair => pair.Second < pair.First);

            // The same checks ingestion makes (range, strict monotonicity, at most one turn of longitude), so
            // that inspect shows what ingest would refuse; the coordinate is still described.
            try
            {
                _ = kind == CfAxisKind.Latitude
                    ? VariableLayout.PrepareLatitudes(values, file.Path, coordinate.QualifiedName)
                    : VariableLayout.PrepareLongitudes(values, file.Path, coordinate.QualifiedName);
            }
            catch (IngestException exception)
            {
                problems.Add(exception.Message);
            }

            if (kind == CfAxisKind.Longitude)
            {
                values = values.Select(LatLonGeometry.NormaliseLongitude).ToArray();
            }

            return new CoordinateInspection(coordinate.QualifiedName, values.Min(), values.Max(), values.Length,
                ascending) { Monotonic = ascending || descending };
        }
        catch (IngestException exception)
        {
            problems.Add(exception.Message);
            return null;
        }
    }

    private static VariableInspection InspectVariable(NetCdfFile file, NetCdfVariable variable)
    {
        var units = variable.Text("units");
        var standardName = variable.Text("standard_name");
        var dimensions = variable.Dimensions.Select(d => new DimensionInspection(d.Name, d.Length, d.IsUnlimited))
            .ToList();
        string? note = null;
        var statistics = default(ValueStatistics);
        try
        {
            statistics = ValueStatistics.Of(file, variable);
        }
        catch (IngestException exception)
        {
            note = exception.Message;
        }

        var match = QuantityCatalog.Recognise(variable);
        WeatherQuantity? quantity = null;
        string? canonical = null;
        if (match is null)
        {
            note ??= "not a wind, temperature or cloud variable";
        }
        else if (!VariableLayout.HasLatLonGrid(file, variable))
        {
            // The same words as ingestion's refusal, which names the coordinate that was not recognised and why.
            var why = VariableLayout.MissingGridAxes(file, variable) ?? "is not on a latitude-longitude grid";
            note ??= $"looks like {match.Value.Quantity} but {why}";
        }
        else if (string.IsNullOrWhiteSpace(units))
        {
            var inferred = statistics.ValidCount > 0
                ? QuantityCatalog.InferUnits(match.Value.Quantity, statistics.Minimum, statistics.Maximum)
                : null;
            quantity = inferred is null ? null : match.Value.Quantity;
            canonical = inferred is null ? null : QuantityCatalog.CanonicalUnits(match.Value.Quantity);
            note ??= inferred is null
                ? $"no units, and the values do not identify them; accepted: "
                    + QuantityCatalog.AcceptedUnits(match.Value.Quantity)
                : $"no units; '{inferred}' inferred from the range of the values";
        }
        else if (QuantityCatalog.Conversion(match.Value.Quantity, units) is null)
        {
            note ??= $"units '{units}' are not accepted for {match.Value.Quantity}; accepted: "
                + QuantityCatalog.AcceptedUnits(match.Value.Quantity);
        }
        else
        {
            quantity = match.Value.Quantity;
            canonical = QuantityCatalog.CanonicalUnits(match.Value.Quantity);
        }

        var valid = statistics.ValidCount;
        return new VariableInspection(variable.QualifiedName, standardName, units, quantity, canonical, note,
            dimensions, valid, statistics.MissingCount, valid > 0 ? statistics.Minimum : null,
            valid > 0 ? statistics.Maximum : null, valid > 0 ? statistics.Sum / valid : null);
    }

    /// <summary>Counts and extremes of the decoded values, read one slice of the first dimension at a time.</summary>
    private readonly record struct ValueStatistics(
        long ValidCount, long MissingCount, double Minimum, double Maximum, double Sum)
    {
        internal static ValueStatistics Of(NetCdfFile file, NetCdfVariable variable)
        {
            if (!variable.Type.IsNumeric())
            {
                throw new IngestException(file.Path, variable.QualifiedName,
                    $"has type {variable.Type.CdlName()}; no statistics");
            }

            var total = variable.ElementCount;
            var slices = variable.Dimensions[0].Length;
            var sliceSize = slices == 0 ? 0 : total / slices;
            if (total < 0 || sliceSize > FieldDecoder.MaxValuesPerStep || total > 1L << 34)
            {
                throw new IngestException(file.Path, variable.QualifiedName,
                    $"declares {total} values, too many to summarise");
            }

            var decoder = CfValueDecoder.For(variable, file.Path);
            var buffer = new double[sliceSize];
            var start = new long[variable.Rank];
            var count = variable.Dimensions.Select(d => d.Length).ToArray();
            count[0] = 1;
            long valid = 0, missing = 0;
            double minimum = double.PositiveInfinity, maximum = double.NegativeInfinity, sum = 0;
            for (long slice = 0; slice < slices; slice++)
            {
                start[0] = slice;
                file.ReadSlab(variable, start, count, buffer);
                foreach (var raw in buffer)
                {
                    var value = decoder.Decode(raw);
                    if (double.IsNaN(value))
                    {
                        missing++;
                        continue;
                    }

                    valid++;
                    sum += value;
                    minimum = Math.Min(minimum, value);
                    maximum = Math.Max(maximum, value);
                }
            }

            return new ValueStatistics(valid, missing, minimum, maximum, sum);
        }
    }
}
