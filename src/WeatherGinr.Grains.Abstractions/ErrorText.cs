using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace WeatherGinr.Grains.Abstractions;

/// <summary>Messages and names as a user reads them.</summary>
public static partial class ErrorText
{
    /// <summary>
    /// The message without the " (Parameter 'samples')" that <see cref="ArgumentException"/> appends for
    /// programmers; the message names the value already. Matched by its text, since an exception that crossed a
    /// grain call may arrive with the suffix in its message and no parameter name.
    /// </summary>
    public static string Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return ParameterSuffix().Replace(exception.Message, string.Empty);
    }

    /// <summary>
    /// Text for human output that reads line by line: control characters (a newline, carriage return or
    /// terminal escape in a file or variable name) and the Unicode line and paragraph separators are
    /// written as C escapes (<c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\u001B</c>), so a name cannot break
    /// a line in two or steer the terminal. Other text, backslashes included, is kept as written; JSON
    /// output escapes such characters itself.
    /// </summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(NeedsEscape))
        {
            return text;
        }

        var printable = new StringBuilder(text.Length + 8);
        foreach (var character in text)
        {
            printable.Append(character switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when NeedsEscape(character) => $"\\u{(int)character:X4}",
                _ => character.ToString(),
            });
        }

        return printable.ToString();
    }

    private static bool NeedsEscape(char character) => char.IsControl(character)
        || char.GetUnicodeCategory(character) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;

    [GeneratedRegex(@" \(Parameter '[^']*'\)$", RegexOptions.Multiline)]
    private static partial Regex ParameterSuffix();
}
