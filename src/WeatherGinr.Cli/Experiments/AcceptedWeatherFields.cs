using WeatherGinr.Ingest;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// An experiment's input read as ingest would accept it: every file on its own must pass
/// <see cref="FieldAcceptance"/> (values no weather can have, no valid value at all), so an experiment never
/// trains on what the dataset grain would refuse, whether the file is the bundled sample, the <c>--input</c> file
/// or a wind file found beside it.
/// </summary>
internal static class AcceptedWeatherFields
{
    /// <summary>The fields of all <paramref name="paths"/> together, after each file passed on its own.</summary>
    /// <exception cref="IngestException">A file cannot be read, or the first refusal, naming its file and variable.
    /// </exception>
    public static IReadOnlyList<GriddedField> Read(IReadOnlyList<string> paths)
    {
        IReadOnlyList<GriddedField> fields = [];
        foreach (var path in paths)
        {
            fields = WeatherFieldReader.ReadWeatherFields([path]);
            var refusals = FieldAcceptance.Refusals(fields, path);
            if (refusals.Count > 0)
            {
                throw new IngestException(refusals[0]);
            }
        }

        // One file is read once; several are read together as well, since a variable may span them.
        return paths.Count == 1 ? fields : WeatherFieldReader.ReadWeatherFields(paths);
    }
}
