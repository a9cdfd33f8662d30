namespace WeatherGinr.Ingest;

/// <summary>
/// A file could not be read as weather data. The message always names the file, the variable
/// when one is involved, and what was wrong; native failures carry libnetcdf's own message
/// (<c>nc_strerror</c>) and its status code.
/// </summary>
public sealed class IngestException : Exception
{
    public IngestException()
    {
    }

    public IngestException(string message)
        : base(message)
    {
    }

    public IngestException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public IngestException(string? filePath, string? variableName, string problem, Exception? innerException = null)
        : base(Compose(filePath, variableName, problem), innerException)
    {
        FilePath = filePath;
        VariableName = variableName;
    }

    /// <summary>The file that could not be read, when the problem belongs to one file.</summary>
    public string? FilePath { get; }

    /// <summary>The variable as written in the file, when the problem belongs to one variable.</summary>
    public string? VariableName { get; }

    /// <summary>libnetcdf's status code when the failure came from the library, else null.</summary>
    public int? NativeStatus { get; init; }

    private static string Compose(string? filePath, string? variableName, string problem)
    {
        var subject = (filePath, variableName) switch
        {
            (not null, not null) => $"variable '{variableName}' in '{filePath}'",
            (not null, null) => $"'{filePath}'",
            (null, not null) => $"variable '{variableName}'",
            _ => "input",
        };
        return $"{subject}: {problem}";
    }
}
