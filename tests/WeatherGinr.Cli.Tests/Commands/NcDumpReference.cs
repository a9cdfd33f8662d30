using System.Globalization;
using System.Text.RegularExpressions;

namespace WeatherGinr.Cli.Tests.Commands;

/// <summary>
/// An independent reading of a variable through <c>ncdump</c> (netcdf-bin): raw stored values printed
/// with 9 (float) and 17 (double) significant digits, "_" where a value equals the fill value.
/// </summary>
internal static partial class NcDumpReference
{
    /// <summary>Raw values in file order; NaN where ncdump prints the fill marker "_".</summary>
    internal static double[] RawValues(string path, string variable)
    {
        // Millions of values: tokenise by hand rather than through a Match per value.
        var text = CliProcess.Tool("ncdump", "-p", "9,17", "-v", variable, path);
        var body = Body(text, variable).AsSpan();
        var values = new List<double>();
        foreach (var range in body.SplitAny(", \t\n"))
        {
            var token = body[range];
            if (token.IsEmpty)
            {
                continue;
            }

            values.Add(token is "_" ? double.NaN
                : double.Parse(token.TrimEnd("fbsL"), NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return [.. values];
    }

    /// <summary>
    /// Times as <c>ncdump -t</c> decodes them ("2005-01-16 12", "0000-02-15 16:29:5.999998"), as UTC.
    /// Year 0 (which DateTime cannot hold) is returned as year 4, the product's documented convention.
    /// </summary>
    internal static DateTimeOffset[] Times(string path, string variable) =>
        Data(CliProcess.Tool("ncdump", "-t", "-v", variable, path), variable)
            .Select(token => ParseTime(token.Trim('"')))
            .ToArray();

    /// <summary>The names of the variables of rank two or more that ncdump -h lists.</summary>
    internal static string[] GriddedVariables(string path) =>
        DeclarationPattern().Matches(CliProcess.Tool("ncdump", "-h", path))
            .Where(m => m.Groups["dims"].Value.Contains(',', StringComparison.Ordinal))
            .Select(m => m.Groups["name"].Value)
            .ToArray();

    private static DateTimeOffset ParseTime(string text)
    {
        var parts = text.Split(' ');
        var date = parts[0].Split('-').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var clock = parts.Length > 1 ? parts[1].Split(':') : [];
        var hours = clock.Length > 0 ? int.Parse(clock[0], CultureInfo.InvariantCulture) : 0;
        var minutes = clock.Length > 1 ? int.Parse(clock[1], CultureInfo.InvariantCulture) : 0;
        var seconds = clock.Length > 2 ? double.Parse(clock[2], CultureInfo.InvariantCulture) : 0;
        var year = date[0] == 0 ? 4 : date[0];
        return new DateTimeOffset(year, date[1], date[2], 0, 0, 0, TimeSpan.Zero)
            .AddHours(hours).AddMinutes(minutes).AddSeconds(seconds);
    }

    private static List<string> Data(string text, string variable) =>
        TokenPattern().Matches(Body(text, variable)).Select(m => m.Value).ToList();

    /// <summary>The text between "VAR =" and ";" in ncdump's data section.</summary>
    private static string Body(string text, string variable)
    {
        var data = text.IndexOf("\ndata:", StringComparison.Ordinal);
        var start = text.IndexOf($"\n {variable} =", data, StringComparison.Ordinal);
        Assert.True(data >= 0 && start >= 0, $"ncdump printed no data for {variable}");
        start = text.IndexOf('=', start) + 1;
        return text[start..text.IndexOf(';', start)];
    }

    [GeneratedRegex("\"[^\"]*\"|[^,\\s]+")]
    private static partial Regex TokenPattern();

    [GeneratedRegex(
        @"^\t(?:byte|ubyte|char|short|ushort|int|uint|int64|uint64|float|double) " +
        @"(?<name>\S+)\((?<dims>[^)]*)\) ;",
        RegexOptions.Multiline)]
    private static partial Regex DeclarationPattern();
}
