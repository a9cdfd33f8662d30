using System.Globalization;
using System.Text.RegularExpressions;

namespace WeatherGinr.Ingest.Tests.TestSupport;

/// <summary>
/// Values as <c>ncdump -v VAR -p 9,17</c> prints them: raw stored numbers in file order, "_"
/// (the variable's _FillValue) as NaN, no scale/offset applied.
/// </summary>
internal static partial class NcDump
{
    internal static double[] RawValues(string path, string variable)
    {
        var text = ExternalTool.Run("ncdump", ["-v", variable, "-p", "9,17", path]);
        return ParseData(text, variable).Select(ParseNumber).ToArray();
    }

    /// <summary>Times as ncdump -t decodes them (ISO-like strings), in file order.</summary>
    internal static string[] Times(string path, string variable)
    {
        var text = ExternalTool.Run("ncdump", ["-t", "-v", variable, path]);
        return ParseData(text, variable).Select(t => t.Trim('"')).ToArray();
    }

    private static List<string> ParseData(string text, string variable)
    {
        var data = text[(text.IndexOf("\ndata:", StringComparison.Ordinal) + 6)..];
        var match = Regex.Match(data, @"(^|\n)\s*" + Regex.Escape(variable) + @"\s*=(?<body>[^;]*);");
        if (!match.Success)
        {
            throw new InvalidOperationException($"ncdump printed no data for {variable}");
        }

        return TokenPattern().Matches(match.Groups["body"].Value).Select(m => m.Value).ToList();
    }

    private static double ParseNumber(string token) =>
        token == "_" ? double.NaN : double.Parse(token.TrimEnd('f', 'b', 's', 'L'), CultureInfo.InvariantCulture);

    [GeneratedRegex("\"[^\"]*\"|[^,\\s]+")]
    private static partial Regex TokenPattern();
}
