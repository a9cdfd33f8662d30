using System.Globalization;
using System.Text;
using System.Text.Json;
using WeatherGinr.Cli.Commands;
using WeatherGinr.Grains.Storage;

namespace WeatherGinr.Cli.Experiments;

/// <summary>
/// Writes an experiment's result as Markdown and JSON, <c>{folder}/{name}.md</c> and <c>.json</c> (quick
/// runs as <c>{name}.quick.*</c>, so they never overwrite full numbers), each written beside its target and
/// renamed into place.
/// </summary>
public static class ExperimentReport
{
    /// <summary>Writes both files and returns their paths (Markdown, JSON).</summary>
    public static (string Markdown, string Json) Write(ExperimentResult result, string folder)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, result.Quick ? $"{result.Name}.quick" : result.Name);
        var markdown = stem + ".md";
        var json = stem + ".json";
        AtomicFile.Write(markdown, stream => stream.Write(Encoding.UTF8.GetBytes(ToMarkdown(result))));
        AtomicFile.Write(json, stream => JsonSerializer.Serialize(stream, result, CommonOptions.Json));
        return (markdown, json);
    }

    public static string ToMarkdown(ExperimentResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"### {result.Title} (`experiment {result.Name}{(result.Quick ? " --quick" : "")}`)");
        text.AppendLine();
        foreach (var (key, value) in result.Settings)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {key}: {value}");
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"- ran on {result.Device} in {result.Seconds:F0} s, finished {result.FinishedUtc:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine();
        var header = result.Columns.Select(c => c.Name).Prepend(result.LabelColumn);
        text.AppendLine("| " + string.Join(" | ", header) + " |");
        text.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", result.Columns.Count + 1)));
        foreach (var row in result.Rows)
        {
            var cells = result.Columns.Select(c => ExperimentTable.Format(row[c.Name], c.Format)).Prepend(row.Label);
            text.AppendLine("| " + string.Join(" | ", cells) + " |");
        }

        text.AppendLine();
        foreach (var note in result.Notes)
        {
            text.AppendLine(note);
            text.AppendLine();
        }

        return text.ToString();
    }
}
