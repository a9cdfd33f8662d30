using System.Globalization;

namespace WeatherGinr.Benchmarks.Training;

/// <summary>"--name value" pairs and "--flag" switches of the benchmark's command line.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string?> values = [];

    public static Arguments Parse(string[] args)
    {
        var parsed = new Arguments();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"unexpected argument '{args[i]}'");
            }

            var hasValue = i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal);
            parsed.values[args[i]] = hasValue ? args[++i] : null;
        }

        return parsed;
    }

    public bool Flag(string name) => values.ContainsKey(name);

    public string? Text(string name) => values.GetValueOrDefault(name);

    public int Int(string name, int fallback) =>
        Text(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        Text(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
