using System.Globalization;
using ParquetSharp;
using WeatherGinr.Grains.Abstractions;
using WeatherGinr.Grains.Storage;

namespace WeatherGinr.Grains.Serving;

/// <summary>
/// Writes gridded values as a flat Parquet table that DuckDB, pandas and Spark read as they are:
/// <c>time_utc</c> (timestamp, UTC, milliseconds), <c>latitude_deg</c>, <c>longitude_deg</c>, then one
/// float column per variable. Units and provenance go into the file's key-value metadata
/// (<c>units.{variable}</c>, <c>weatherginr.model</c>, the model's training window as
/// <c>weatherginr.first_time_utc</c> and <c>weatherginr.last_time_utc</c>, and
/// <c>weatherginr.extrapolated</c>: "true" when a time of the file lies outside that window, as JSON answers flag
/// it). One row group per time step.
/// </summary>
public static class GridParquetWriter
{
    public static long Write(string path, RegularGrid grid, IReadOnlyList<DateTimeOffset> timesUtc,
        IReadOnlyList<DatasetVariable> variables, string modelId, (DateTimeOffset First, DateTimeOffset Last) window,
        Func<DateTimeOffset, float[]> evaluate)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(timesUtc);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(evaluate);

        var columns = new List<Column>
        {
            new Column<DateTime>("time_utc", LogicalType.Timestamp(isAdjustedToUtc: true, TimeUnit.Millis)),
            new Column<double>("latitude_deg"),
            new Column<double>("longitude_deg"),
        };
        columns.AddRange(variables.Select(v => new Column<float>(v.Name)));
        var metadata = variables.ToDictionary(v => "units." + v.Name, v => v.Units);
        metadata["weatherginr.model"] = modelId;
        metadata["weatherginr.first_time_utc"] = window.First.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        metadata["weatherginr.last_time_utc"] = window.Last.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        metadata["weatherginr.extrapolated"] =
            timesUtc.Any(t => t < window.First || t > window.Last) ? "true" : "false";

        var (lats, lons) = grid.Points();
        long rows = 0;

        // ParquetSharp writes through a native file handle: write beside the target, then rename.
        var temporary = path + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            using (var file = new ParquetFileWriter(temporary, columns.ToArray(), keyValueMetadata: metadata))
            {
                foreach (var time in timesUtc)
                {
                    var values = evaluate(time);
                    using var rowGroup = file.AppendRowGroup();
                    using (var writer = rowGroup.NextColumn().LogicalWriter<DateTime>())
                    {
                        writer.WriteBatch(Enumerable.Repeat(time.UtcDateTime, lats.Length).ToArray());
                    }

                    using (var writer = rowGroup.NextColumn().LogicalWriter<double>())
                    {
                        writer.WriteBatch(lats);
                    }

                    using (var writer = rowGroup.NextColumn().LogicalWriter<double>())
                    {
                        writer.WriteBatch(lons);
                    }

                    for (var v = 0; v < variables.Count; v++)
                    {
                        var column = new float[lats.Length];
                        for (var p = 0; p < column.Length; p++)
                        {
                            column[p] = values[p * variables.Count + v];
                        }

                        using var writer = rowGroup.NextColumn().LogicalWriter<float>();
                        writer.WriteBatch(column);
                    }

                    rows += lats.Length;
                }

                file.Close();
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        return rows;
    }
}
