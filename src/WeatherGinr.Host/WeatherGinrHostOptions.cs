namespace WeatherGinr.Host;

/// <summary>How a WeatherGinr process hosts its silo and its HTTP API.</summary>
public sealed record WeatherGinrHostOptions
{
    /// <summary>The shared data folder (datasets, embeddings, checkpoints, exports).</summary>
    public required string DataRoot { get; init; }

    /// <summary>Where the HTTP API listens; loopback by default. Port 0 picks a free port.</summary>
    public string HttpUrl { get; init; } = "http://127.0.0.1:5088";

    /// <summary>Whether to serve HTTP at all (a pure worker silo does not).</summary>
    public bool ServeHttp { get; init; } = true;

    /// <summary>Longest a grain call may take before it fails (embeddings of fine meshes take minutes).</summary>
    public TimeSpan GrainCallTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Minimum level of log messages written to the console.</summary>
    public Microsoft.Extensions.Logging.LogLevel ConsoleLogLevel { get; init; } =
        Microsoft.Extensions.Logging.LogLevel.Warning;
}
