using System.Text.RegularExpressions;

namespace WeatherGinr.Grains.Abstractions;

/// <summary>An exception's message as a user reads it.</summary>
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

    [GeneratedRegex(@" \(Parameter '[^']*'\)$", RegexOptions.Multiline)]
    private static partial Regex ParameterSuffix();
}
