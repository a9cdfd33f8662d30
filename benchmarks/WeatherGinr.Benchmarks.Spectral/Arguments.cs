using System.Globalization;

namespace WeatherGinr.Benchmarks.Spectral;

/// <summary><c>--name value</c> pairs of the command line.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> values;

    private Arguments(Dictionary<string, string> values) => this.values = values;

    public static Arguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--name value' pairs; got '{string.Join(' ', args)}'");
            }

            values[args[i][2..]] = args[i + 1];
        }

        return new Arguments(values);
    }

    public string Text(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public int Integer(string name, int fallback)
    {
        if (!values.TryGetValue(name, out string? text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new ArgumentException($"--{name} '{text}' is not an integer");
    }

    public double Number(string name, double fallback)
    {
        if (!values.TryGetValue(name, out string? text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new ArgumentException($"--{name} '{text}' is not a number");
    }

    public int[] Integers(string name, int[] fallback)
        => values.TryGetValue(name, out string? text)
            ? text.Split(',').Select(part => int.Parse(part, CultureInfo.InvariantCulture)).ToArray()
            : fallback;
}
